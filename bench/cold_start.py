#!/usr/bin/env python3
"""Cold starts under the Lambda runtime emulator: the Rust bot against a Python Bolt app.

Each run execs one function process, at once sends a signed `/stats members` through the
emulator's Function URL, and times exec → answered request; then stops the process, so every
run is a cold start. The two alternate within a round, so both see the same machine.
Started by bench/cold-start.sh, which provides the emulator, the stats API and the binaries.

With --trace N, the bot alone is then run N more times under strace (only execve, openat and
connect are stopped for, so the added cost is small) to say where its milliseconds go:
the loader, start-up until it asks the runtime for an event, the event until it calls the
stats API, and the rest of the answer.

    cold_start.py --emulator http://127.0.0.1:9009 --api-url URL --api-token TOKEN [--runs 9]
                  [--trace 5]
"""

import argparse
import hashlib
import re
import shutil
import hmac
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "cold-start-signing-secret"


def slash_request(url):
    """A `/stats members` request signed as Slack signs it (v0:timestamp:body, HMAC-SHA256)."""
    body = urllib.parse.urlencode({
        "token": "unused", "team_id": "T0BENCH", "team_domain": "bench",
        "channel_id": "C0BENCH", "channel_name": "general", "user_id": "U0BENCH",
        "user_name": "bench", "command": "/stats", "text": "members",
        "api_app_id": "A0BENCH", "response_url": "https://hooks.slack.com/commands/T0BENCH/1/x",
        "trigger_id": "1.2.3",
    }).encode()
    ts = str(int(time.time()))
    mac = hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    return urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": "v0=" + mac.hexdigest(),
    })


def cold_start(name, argv, cwd, env, emulator, log):
    """Seconds from exec to the answer, the answer, and when it came (epoch seconds)."""
    req = slash_request(f"{emulator}/lambda-url/_/slack/commands")
    started = time.perf_counter()
    # Its own process group: a wrapper (strace) is stopped together with the function.
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            answer = resp.read().decode()
            status = resp.status
        elapsed = time.perf_counter() - started
        answered_at = time.time()
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
    if status != 200 or "members" not in answer:
        raise RuntimeError(f"{name}: unexpected answer {status}: {answer[:300]}")
    return elapsed, answer, answered_at


def trace(argv, cwd, env, emulator, api_url, runs, logs):
    """Median milliseconds of each phase of the bot's cold start, read from strace's clock."""
    emulator_port = urllib.parse.urlsplit(emulator).port
    api_port = urllib.parse.urlsplit(api_url).port
    line = re.compile(r"^\d+ +(\d+\.\d+) (\w+)\((.*)")
    phases = {"loader: exec → Rust's runtime": [], "start-up → asks the runtime for an event": [],
              "the event → first call to the stats API": [], "the stats API → answered": [],
              "exec → answered (traced)": []}
    roots = []
    for i in range(runs):
        out = Path(logs) / f"cold-start-trace-{i + 1}.txt"
        traced = ["strace", "-f", "-ttt", "-qq", "--seccomp-bpf", "-e",
                  "trace=execve,openat,connect", "-o", str(out), *argv]
        with open(Path(logs) / "cold-start-trace.log", "a") as log:
            _, _, answered = cold_start("rust bot (traced)", traced, cwd, env, emulator, log)
        calls = [m.groups() for m in map(line.match, out.read_text().splitlines()) if m]
        start = next(float(t) for t, name, _ in calls if name == "execve")
        ported = lambda port: next(float(t) for t, name, a in calls  # noqa: E731
                                   if name == "connect" and f"htons({port})" in a)
        runtime = next(float(t) for t, name, a in calls if name == "openat"
                       and not re.search(r'\.so[."]|ld\.so\.cache', a))
        first_event, first_call = ported(emulator_port), ported(api_port)
        for name, ms in zip(phases, [runtime - start, first_event - runtime,
                                     first_call - first_event, answered - first_call,
                                     answered - start]):
            phases[name].append(ms * 1000)
        roots.append(sum(1 for _, name, a in calls if name == "openat" and "/etc/ssl/" in a))
        time.sleep(0.3)
    print(f"\nwhere the bot's cold start goes (strace, median of {runs}):")
    for name, ms in phases.items():
        print(f"  {name:42} {statistics.median(ms):6.2f} ms")
    print(f"  TLS root files read before the answer: {max(roots)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--emulator", required=True, help="e.g. http://127.0.0.1:9009")
    ap.add_argument("--api-url", required=True)
    ap.add_argument("--api-token", required=True)
    ap.add_argument("--bot", default=str(ROOT / "target/release/bot"))
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--logs", default=str(ROOT / "bench/results"))
    ap.add_argument("--trace", type=int, default=0, metavar="N",
                    help="then N traced runs of the bot alone (needs strace)")
    args = ap.parse_args()

    port_url = args.emulator.rstrip("/")
    host = urllib.parse.urlsplit(port_url).netloc
    base_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "SLACK_SIGNING_SECRET": SECRET,
        "STATS_API_URL": args.api_url,
        "STATS_API_TOKEN": args.api_token,
        "RUST_LOG": "info",
        # What Lambda and the emulator set for a function process.
        "AWS_LAMBDA_FUNCTION_NAME": "_",
        "AWS_LAMBDA_FUNCTION_VERSION": "1",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/bench",
        "AWS_LAMBDA_LOG_STREAM_NAME": "bench",
        "AWS_REGION": "us-east-1",
    }
    contenders = {
        # lambda_runtime takes a full URI with a base path.
        "rust bot": ([args.bot], str(ROOT),
                     {**base_env, "AWS_LAMBDA_RUNTIME_API": f"http://{host}/.rt"}),
        # sys.executable: the real interpreter, not a version manager's shim.
        "python bolt": ([sys.executable, "bolt_app.py"], str(ROOT / "bench"),
                        {**base_env, "AWS_LAMBDA_RUNTIME_API": f"{host}/.rt"}),
    }

    # Fill the stats API's cache so both contenders get the same quick answers.
    warm = urllib.request.Request(args.api_url.rstrip("/") + "/v1/stats/members",
                                  headers={"Authorization": f"Bearer {args.api_token}"})
    urllib.request.urlopen(warm, timeout=10).read()

    Path(args.logs).mkdir(parents=True, exist_ok=True)
    times = {name: [] for name in contenders}
    failures = 0
    with open(Path(args.logs) / "cold-start.log", "w") as log:
        for i in range(args.runs):
            order = list(contenders) if i % 2 == 0 else list(reversed(contenders))
            for name in order:
                argv, cwd, env = contenders[name]
                log.write(f"--- {name} run {i + 1}\n")
                log.flush()
                try:
                    elapsed, answer, _ = cold_start(name, argv, cwd, env, port_url, log)
                    times[name].append(elapsed)
                    if i == 0:
                        print(f"{name} answered: {answer[:160]}…")
                except Exception as e:  # noqa: BLE001 - reported and counted
                    failures += 1
                    print(f"{name} run {i + 1} failed: {e}")
                time.sleep(0.3)  # let the emulator drop the stopped process's connection

    print(f"\nexec → first answered /stats members under the Lambda runtime emulator, {args.runs} cold starts each")
    print(f"{'':12} {'median':>9} {'min':>9} {'max':>9}   all (ms)")
    for name, ts in times.items():
        if not ts:
            continue
        ms = [t * 1000 for t in ts]
        print(f"{name:12} {statistics.median(ms):8.1f}  {min(ms):8.1f}  {max(ms):8.1f}   "
              + " ".join(f"{m:.0f}" for m in ms))
    if all(times.values()):
        ratio = statistics.median(times["python bolt"]) / statistics.median(times["rust bot"])
        print(f"python bolt / rust bot (medians): {ratio:.1f}×")
    runs = sum(len(ts) for ts in times.values())
    print(f"cold starts: {runs} passed, {failures} failed")
    if args.trace and shutil.which("strace"):
        argv, cwd, env = contenders["rust bot"]
        trace(argv, cwd, env, port_url, args.api_url, args.trace, args.logs)
    elif args.trace:
        print("strace is not installed: no breakdown (apt-get install strace)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
