#!/usr/bin/env bash
# Load through the whole path, on loopback: signed `/stats members` commands to the bot, which
# asks the stats API, which reads MariaDB (the answer cached for the stat's 60 s, so the query
# runs about once a minute, as it would for a busy workspace). Reports requests/s, p50/p99,
# errors (HTTP errors, or replies that are not the members answer: must be 0) and the RSS of
# both services before and after (must stay flat).
#
#   bash bench/load.sh            # 60 s, 8 connections
#   DURATION=10s bash bench/load.sh
#
# Needs MariaDB/MySQL at DATABASE_URL (default mysql://root@127.0.0.1:3306); installs wrk if
# missing. The request is signed once: Slack's 300 s window covers the run.
set -euo pipefail
cd "$(dirname "$0")/.."

SERVER=${DATABASE_URL:-mysql://root@127.0.0.1:3306}
SERVER=${SERVER%/}
DATABASE=statsbot_load
DURATION=${DURATION:-60s}
CONNECTIONS=${CONNECTIONS:-8}
SECRET=load-signing-secret-0123456789
TOKEN=load-token-0123456789abcdef
API_ADDR=127.0.0.1:18091
BOT_ADDR=127.0.0.1:18090
out=target/load
mkdir -p "$out"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release -q -p bot -p stats-api --bin bot --bin stats-api
cargo build --release -q --bin statsbot

# A small community: the numbers are not the point, the path is.
DATABASE_URL="$SERVER/$DATABASE" target/release/statsbot migrate >/dev/null
host_port=${SERVER#*@}
mariadb -h "${host_port%:*}" -P "${host_port##*:}" -u root "$DATABASE" <<'SQL'
DELETE FROM users;
INSERT INTO users (id, name, email, is_mentor, invited_by, created_at, updated_at) VALUES
  (1, 'Grace Hopper', 'grace@example.org', 1, NULL, '2020-01-01', '2020-01-01'),
  (2, 'Alan Turing', 'alan@example.org', 0, 1, '2021-06-01', '2021-06-01'),
  (3, 'Ada Lovelace', 'ada@example.org', 0, 1, '2022-03-04', '2022-03-04');
SQL

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT
DATABASE_URL="$SERVER/$DATABASE" STATS_API_TOKENS=$TOKEN STATS_API_ADDR=$API_ADDR RUST_LOG=warn \
  target/release/stats-api >"$out/stats-api.log" 2>&1 &
pids+=($!)
api_pid=$!
SLACK_SIGNING_SECRET=$SECRET STATS_API_URL="http://$API_ADDR" STATS_API_TOKEN=$TOKEN \
  BOT_ADDR=$BOT_ADDR RUST_LOG=warn target/release/bot >"$out/bot.log" 2>&1 &
pids+=($!)
bot_pid=$!
for _ in $(seq 1 100); do
  curl -fs "http://$BOT_ADDR/healthz" >/dev/null && curl -fs "http://$API_ADDR/healthz" >/dev/null && break
  sleep 0.1
done

rss() { awk '/VmRSS/ {printf "%.1f MB", $2/1024}' "/proc/$1/status"; }

# No response_url: nothing may leave this machine, and every answer comes back inline.
body='token=x&team_id=T0LOAD&team_domain=load&channel_id=C0LOAD&channel_name=load&user_id=U0LOAD&user_name=load&command=%2Fstats&text=members&response_url=&trigger_id=1.2.3'
ts=$(date +%s)
sig="v0=$(printf 'v0:%s:%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$SECRET" | awk '{print $NF}')"

# One warm-up request: the catalogue and the stat are fetched once, as after any cold start.
curl -fs -X POST "http://$BOT_ADDR/slack/commands" -H "x-slack-request-timestamp: $ts" \
  -H "x-slack-signature: $sig" --data "$body" | grep -q 'There are currently' \
  || { echo "FAIL: the warm-up command was not answered with the members sentence"; exit 1; }
sleep 1
echo "RSS before: bot $(rss $bot_pid), stats API $(rss $api_pid)"

cat >"$out/load.lua" <<LUA
wrk.method = "POST"
wrk.body = "$body"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["X-Slack-Request-Timestamp"] = "$ts"
wrk.headers["X-Slack-Signature"] = "$sig"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) wrong = 0 end
function response(status, headers, body)
  if status ~= 200 or not string.find(body, "There are currently", 1, true) then
    wrong = wrong + 1
  end
end
function done(summary, latency, requests)
  local w = 0
  for _, t in ipairs(threads) do w = w + t:get("wrong") end
  local e = summary.errors
  local errors = w + e.connect + e.read + e.write + e.timeout
  io.write(string.format("RESULT requests=%d rps=%.0f p50_us=%d p99_us=%d errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), errors))
end
LUA
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -s "$out/load.lua" "http://$BOT_ADDR/slack/commands" \
  | tee "$out/wrk.txt" | grep RESULT
echo "RSS after:  bot $(rss $bot_pid), stats API $(rss $api_pid)"
awk '/^RESULT/ {for (i = 2; i <= NF; i++) {split($i, kv, "="); r[kv[1]] = kv[2]}
  printf "signed /stats members through bot → stats API → MariaDB: %d requests/s, p50 %.2f ms, p99 %.2f ms, %d errors\n",
    r["rps"], r["p50_us"] / 1000, r["p99_us"] / 1000, r["errors"]
  exit (r["errors"] == 0 ? 0 : 1)}' "$out/wrk.txt"
