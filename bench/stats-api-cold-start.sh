#!/usr/bin/env bash
# Cold starts of the stats API under the Lambda runtime emulator: exec → first answered
# `GET /v1/stats/members`, with the 3 shipped stats and with 100 (the shipped ones and 97
# generated), each run a fresh process (bench/stats_api_cold_start.py).
#
#   bash bench/stats-api-cold-start.sh [runs] [BINARY…]   (default 15 runs; the release build)
#
# Give several binaries (e.g. one built before a change) to compare them, alternating within
# a round. Needs MariaDB/MySQL at DATABASE_URL (default mysql://root@127.0.0.1:3306), where it
# creates the database `statsbot_cold_start` with the reference schema. Logs go to bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-15}
shift || true
EMULATOR_PORT=${EMULATOR_PORT:-9010}
SERVER=${DATABASE_URL:-mysql://root@127.0.0.1:3306}
mkdir -p bench/results

if [ $# -eq 0 ]; then
  cargo build --release -q -p stats-api
  set -- "${CARGO_TARGET_DIR:-target}/release/stats-api"
fi
binaries=("$@")
set --
# cargo-lambda from the benchmarks' own Python environment.
source bench/python-env.sh cargo-lambda==1.9.2

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

cargo-lambda lambda watch --only-lambda-apis -A 127.0.0.1 -P "$EMULATOR_PORT" \
  >bench/results/stats-api-emulator.log 2>&1 &
pids+=($!)
# Wait for the port only: any HTTP request there would be taken as an invocation.
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$EMULATOR_PORT") 2>/dev/null && break
  sleep 0.1
done

python3 bench/stats_api_cold_start.py --emulator "http://127.0.0.1:$EMULATOR_PORT" \
  --server "$SERVER" --runs "$RUNS" "${binaries[@]}" | tee bench/results/stats-api-cold-start.txt
