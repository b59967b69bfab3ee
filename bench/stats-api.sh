#!/usr/bin/env bash
# Benchmarks the stats API on this machine (see README "Benchmarks"):
#   1. uncached `members` on 100,000 users against the bare query (cargo bench)
#   2. idle RSS of the release binary
#   3. a cached stat under load over loopback (wrk): requests/s and p99
# Needs MariaDB/MySQL at DATABASE_URL (default mysql://root@127.0.0.1:3306); installs wrk if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

SERVER=${DATABASE_URL:-mysql://root@127.0.0.1:3306}
TOKEN=bench-token-0123456789abcdef
ADDR=127.0.0.1:18081
DURATION=${DURATION:-15s}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

cargo bench -p stats-api --bench uncached 2>/dev/null | grep '^uncached'
cargo build --release -q -p stats-api

DATABASE_URL="${SERVER%/}/statsbot_bench" STATS_API_TOKENS=$TOKEN STATS_API_ADDR=$ADDR \
  target/release/stats-api &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
for _ in $(seq 1 50); do curl -fs "http://$ADDR/healthz" >/dev/null && break; sleep 0.1; done
sleep 1
echo "idle RSS: $(awk '/VmRSS/ {printf "%.1f MB", $2/1024}' /proc/$PID/status) (target ≤ 20 MB)"

curl -fs -H "Authorization: Bearer $TOKEN" "http://$ADDR/v1/stats/members" >/dev/null # fill the cache
wrk -t1 -c16 -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" "http://$ADDR/v1/stats/members" \
  | tee /tmp/statsbot-wrk.txt | grep -E 'Requests/sec|  99%|Non-2xx' || true
awk '/Requests\/sec/ {rps=$2} /  99%/ {p99=$2} END {printf "cached members: %d requests/s, p99 %s (targets ≥ 30000, ≤ 5ms)\n", rps, p99}' /tmp/statsbot-wrk.txt
echo "RSS after load: $(awk '/VmRSS/ {printf "%.1f MB", $2/1024}' /proc/$PID/status)"
