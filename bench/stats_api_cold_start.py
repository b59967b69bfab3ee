#!/usr/bin/env python3
"""Cold starts of the stats API under the Lambda runtime emulator, by catalogue size.

Each run execs the stats-api binary as a Lambda function process (the emulator's runtime API,
AWS_LAMBDA_* set as Lambda sets them), at once sends `GET /v1/stats/members` through the
emulator's Function URL, and times exec → answered request; then stops the process, so every
run is a cold start. Binaries and catalogue sizes alternate within a round.
Started by bench/stats-api-cold-start.sh, which provides the emulator.

    stats_api_cold_start.py --emulator URL --server mysql://root@127.0.0.1:3306 [--runs 15] BINARY…
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "cold-start-token-0123456789abcdef"
DATABASE = "statsbot_cold_start"


def mysql(server, sql, database=None):
    """Runs SQL with the command-line client, on the server `server` names."""
    url = urllib.parse.urlsplit(server)
    argv = ["mysql", "-h", url.hostname or "127.0.0.1", "-P", str(url.port or 3306),
            "-u", urllib.parse.unquote(url.username or "root")]
    env = dict(os.environ)
    if url.password:
        env["MYSQL_PWD"] = urllib.parse.unquote(url.password)
    if database:
        argv.append(database)
    subprocess.run(argv, input=sql.encode(), env=env, check=True)


def prepare_database(server):
    """A database with the reference schema (no rows: the timing is about start-up)."""
    mysql(server, f"DROP DATABASE IF EXISTS {DATABASE}; CREATE DATABASE {DATABASE};")
    for migration in sorted((ROOT / "migrations").glob("*.sql")):
        mysql(server, migration.read_text(), DATABASE)


def catalogue(stats):
    """The shipped catalogue, and generated stats up to `stats` entries, each its own SQL."""
    text = (ROOT / "stats-api/catalogue.toml").read_text()
    shipped = text.count("[[stats]]")
    for i in range(stats - shipped):
        text += f"""
[[stats]]
name = "generated_{i}"
title = "Generated {i}"
description = "A generated stat for the cold-start benchmark."
display = "figures"
sql = "SELECT COUNT(*) AS n_{i} FROM users WHERE id > {i} AND deleted_at IS NULL"
"""
    return text


def cold_start(argv, env, emulator, log):
    """Seconds from exec to the answer."""
    req = urllib.request.Request(f"{emulator}/lambda-url/_/v1/stats/members",
                                 headers={"Authorization": f"Bearer {TOKEN}"})
    started = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            answer = resp.read().decode()
            status = resp.status
        elapsed = time.perf_counter() - started
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if status != 200 or '"total"' not in answer:
        raise RuntimeError(f"unexpected answer {status}: {answer[:300]}")
    return elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--emulator", required=True, help="e.g. http://127.0.0.1:9010")
    ap.add_argument("--server", required=True, help="mysql://user@host:port, no database")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--sizes", default="3,100")
    ap.add_argument("--logs", default=str(ROOT / "bench/results"))
    ap.add_argument("binaries", nargs="+")
    args = ap.parse_args()

    prepare_database(args.server)
    base = args.server.split("?")[0].rstrip("/")
    host = urllib.parse.urlsplit(args.emulator).netloc
    files = {}
    tmp = tempfile.mkdtemp(prefix="stats-api-cold-start-")
    for size in (int(s) for s in args.sizes.split(",")):
        path = Path(tmp) / f"catalogue-{size}.toml"
        path.write_text(catalogue(size))
        files[size] = path
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DATABASE_URL": f"{base}/{DATABASE}",
        "STATS_API_TOKENS": TOKEN,
        "RUST_LOG": "info",
        "AWS_LAMBDA_RUNTIME_API": f"http://{host}/.rt",
        "AWS_LAMBDA_FUNCTION_NAME": "_",
        "AWS_LAMBDA_FUNCTION_VERSION": "1",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/bench",
        "AWS_LAMBDA_LOG_STREAM_NAME": "bench",
        "AWS_REGION": "us-east-1",
    }
    contenders = [(b, size) for b in args.binaries for size in files]
    times = {c: [] for c in contenders}
    failures = 0
    Path(args.logs).mkdir(parents=True, exist_ok=True)
    with open(Path(args.logs) / "stats-api-cold-start.log", "w") as log:
        for i in range(args.runs):
            order = contenders if i % 2 == 0 else list(reversed(contenders))
            for binary, size in order:
                log.write(f"--- {binary} with {size} stats, run {i + 1}\n")
                log.flush()
                try:
                    elapsed = cold_start([binary], {**env, "STATS_CATALOGUE": str(files[size])},
                                         args.emulator.rstrip("/"), log)
                    times[(binary, size)].append(elapsed)
                except Exception as e:  # noqa: BLE001 - reported and counted
                    failures += 1
                    print(f"{binary} with {size} stats, run {i + 1} failed: {e}")
                time.sleep(0.3)  # let the emulator drop the stopped process's connection

    print(f"exec → first answered GET /v1/stats/members under the Lambda runtime emulator, "
          f"{args.runs} cold starts each")
    print(f"{'binary':40} {'stats':>5} {'median':>8} {'min':>7} {'max':>7}   (ms)")
    for (binary, size), ts in times.items():
        if ts:
            ms = [t * 1000 for t in ts]
            print(f"{binary:40} {size:5} {statistics.median(ms):8.1f} {min(ms):7.1f} {max(ms):7.1f}")
    print(f"cold starts: {sum(len(t) for t in times.values())} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
