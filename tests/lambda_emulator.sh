#!/usr/bin/env bash
# The bot's Lambda path, for real: the bot binary under `cargo lambda watch` (the Lambda Runtime
# API and Function URLs, emulated), a stats API whose `members` sleeps on the database, and
# tests/lambda_emulator.py as Slack. Passes when the slow command is acknowledged in time and its
# answer reaches response_url, and a mention of it (the Events API) is acknowledged in time and
# answered in its thread, each posted by the same invocation before the next event is taken.
#
#   bash tests/lambda_emulator.sh
#
# Needs what the workspace tests need (MariaDB/MySQL at DATABASE_URL) and installs cargo-lambda
# from PyPI when it is missing. Logs go to target/lambda-emulator/.
set -euo pipefail
cd "$(dirname "$0")/.."

SLEEP=3 # seconds: past the bot's 2 s deadline, inside the dev stack's 5 s query limit
SECRET=lambda-emulator-signing-secret
logs=target/lambda-emulator
mkdir -p "$logs"

if ! command -v cargo-lambda >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    cargo-lambda==1.9.2
  PATH="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$PATH"
fi

cargo build --locked -q -p bot --bin bot
cargo build --locked -q --bin statsbot

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
api_port=$(free_port)
dev_bot_port=$(free_port)
emulator_port=$(free_port)
slack_port=$(free_port)

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# The shipped catalogue with `members` sleeping first (uncached), and a quick twin to learn the
# true count from.
sed -e "s/FROM (SELECT 1 AS one) AS always/FROM (SELECT SLEEP($SLEEP) AS pause) AS always/" \
  -e '0,/cache_seconds = 60/s//cache_seconds = 0/' stats-api/catalogue.toml >"$logs/catalogue.toml"
grep -q "SLEEP($SLEEP)" "$logs/catalogue.toml" || { echo "FAIL: the shipped members SQL changed" >&2; exit 1; }
cat >>"$logs/catalogue.toml" <<TOML

[[stats]]
name = "member-count"
title = "Member count"
description = "Members, quickly."
display = "figures"
cache_seconds = 0
sql = "SELECT COUNT(*) AS total FROM users WHERE deleted_at IS NULL"
TOML

# A stats API on demo data: the dev stack (its own bot is not used).
STATS_CATALOGUE="$logs/catalogue.toml" STATS_API_ADDR="127.0.0.1:$api_port" \
  BOT_ADDR="127.0.0.1:$dev_bot_port" target/debug/statsbot dev >"$logs/dev.log" 2>&1 &
pids+=($!)
token=""
for _ in $(seq 1 300); do
  token=$(sed -n 's/.*Authorization: Bearer \([0-9a-f]*\).*/\1/p' "$logs/dev.log" | head -n 1)
  [ -n "$token" ] && break
  kill -0 "${pids[0]}" 2>/dev/null || break
  sleep 0.5
done
[ -n "$token" ] || { cat "$logs/dev.log" >&2; echo "FAIL: the stats API did not start" >&2; exit 1; }

# The emulator, serving the Runtime API the bot polls and the Function URL Slack would call.
cargo-lambda lambda watch --only-lambda-apis -A 127.0.0.1 -P "$emulator_port" \
  >"$logs/emulator.log" 2>&1 &
pids+=($!)
# Only wait for the port: an HTTP request would be taken as an invocation.
for _ in $(seq 1 200); do
  (exec 3<>"/dev/tcp/127.0.0.1/$emulator_port") 2>/dev/null && break
  sleep 0.1
done

# The bot as Lambda runs it: the environment the runtime reads, and the bot's own settings.
env -i PATH="$PATH" HOME="${HOME:-/root}" RUST_LOG=info \
  AWS_LAMBDA_RUNTIME_API="http://127.0.0.1:$emulator_port/.rt" \
  AWS_LAMBDA_FUNCTION_NAME=_ AWS_LAMBDA_FUNCTION_VERSION=1 \
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256 AWS_REGION=us-east-1 \
  SLACK_SIGNING_SECRET="$SECRET" STATS_API_URL="http://127.0.0.1:$api_port" \
  STATS_API_TOKEN="$token" SLACK_ALLOW_RESPONSE_URL="http://127.0.0.1:" \
  SLACK_BOT_TOKEN=xoxb-lambda-emulator SLACK_API_URL="http://127.0.0.1:$slack_port/api" \
  target/debug/bot >"$logs/bot.log" 2>&1 &
pids+=($!)

if ! python3 tests/lambda_emulator.py \
  --function-url "http://127.0.0.1:$emulator_port/lambda-url/_" --secret "$SECRET" \
  --api-url "http://127.0.0.1:$api_port" --api-token "$token" --sleep "$SLEEP" \
  --slack-port "$slack_port"; then
  echo "--- bot log" >&2
  tail -n 30 "$logs/bot.log" >&2
  echo "--- emulator log" >&2
  tail -n 30 "$logs/emulator.log" >&2
  exit 1
fi
