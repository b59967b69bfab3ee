#!/usr/bin/env bash
# Cold starts under the Lambda runtime emulator (see README "Deploy"): the bot's release binary
# against a Python Bolt app doing the same job (bench/bolt_app.py), each exec'd afresh per run
# and timed from exec to the answered `/stats members` (bench/cold_start.py).
#
#   bash bench/cold-start.sh [runs]        (default 15 runs each)
#
# Then 5 more runs of the bot alone under strace (when installed) say where its milliseconds go.
#
# Starts the dev stack on its own ports for a stats API to ask (MariaDB/MySQL at DATABASE_URL,
# default mysql://root@127.0.0.1:3306) and `cargo lambda watch --only-lambda-apis` as the
# emulator. Python, Bolt (with boto3, which its Lambda adapter imports) and cargo-lambda come
# from the benchmarks' own environment (bench/python-env.sh). Logs go to bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-15}
EMULATOR_PORT=${EMULATOR_PORT:-9009}
API_ADDR=127.0.0.1:18091
target=${CARGO_TARGET_DIR:-target}
mkdir -p bench/results

source bench/python-env.sh slack_bolt==1.30.0 slack_sdk==3.47.0 boto3==1.43.11 \
  cargo-lambda==1.9.2

cargo build --release -q -p bot
cargo build -q --bin statsbot

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

# A stats API on demo data (the dev stack; its bot is not used).
BOT_ADDR=127.0.0.1:13000 STATS_API_ADDR=$API_ADDR "$target/debug/statsbot" dev \
  >bench/results/dev.log 2>&1 &
pids+=($!)
token=""
for _ in $(seq 1 300); do
  token=$(python3 - "$API_ADDR" <<'PY' 2>/dev/null || true
import json, sys
dev = json.load(open("target/statsbot-dev.json"))
if dev["api_url"].rstrip("/").endswith(sys.argv[1]):
    print(dev["api_token"])
PY
)
  [ -n "$token" ] && curl -fs "http://$API_ADDR/healthz" >/dev/null && break
  sleep 1
done
[ -n "$token" ] || { echo "the dev stack did not start; see bench/results/dev.log" >&2; exit 1; }

# The emulator alone: each function process is started by cold_start.py.
cargo-lambda lambda watch --only-lambda-apis -A 127.0.0.1 -P "$EMULATOR_PORT" \
  >bench/results/emulator.log 2>&1 &
pids+=($!)
# Wait for the port only: any HTTP request there would be taken as an invocation.
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$EMULATOR_PORT") 2>/dev/null && break
  sleep 0.1
done

python3 bench/cold_start.py --emulator "http://127.0.0.1:$EMULATOR_PORT" \
  --api-url "http://$API_ADDR" --api-token "$token" --runs "$RUNS" --bot "$target/release/bot" \
  --trace 5 \
  | tee bench/results/cold-start.txt
