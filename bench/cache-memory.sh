#!/usr/bin/env bash
# The stats API's memory under hostile chart sizes (README "Hostile input"): a release build on a
# throwaway database of 400 members, one 400-row ranking; the process's RSS before and after
# 300 distinct big chart sizes, then after 300 distinct parameter values (each a new answer to
# cache, so the cache fills to its bound and drops the least recently used).
# Needs MariaDB/MySQL at DATABASE_URL (default mysql://root@127.0.0.1:3306) and curl.
# SIZES (default 300) and STATS_API_CACHE_BYTES (default the service's, 64 MiB) can be set.
set -euo pipefail
cd "$(dirname "$0")/.."

SERVER=${DATABASE_URL:-mysql://root@127.0.0.1:3306}
SERVER=${SERVER%/}
DB=statsbot_cache_memory
TOKEN=bench-token-0123456789abcdef
ADDR=${ADDR:-127.0.0.1:18083}
SIZES=${SIZES:-300}
TARGET=${CARGO_TARGET_DIR:-target}

# mysql://user[:password]@host[:port] for the command-line client.
[[ $SERVER =~ ^mysql://([^:@/]+)(:([^@/]*))?@([^:/]+)(:([0-9]+))?$ ]] ||
  { echo "DATABASE_URL must be mysql://user[:password]@host[:port] (no database)"; exit 2; }
sql() {
  MYSQL_PWD=${BASH_REMATCH[3]} mariadb -u "${BASH_REMATCH[1]}" -h "${BASH_REMATCH[4]}" \
    -P "${BASH_REMATCH[6]:-3306}" --protocol=tcp "$@"
}
sql -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB"
for migration in migrations/*.sql; do sql "$DB" < "$migration"; done
cargo build --release -q -p stats-api
sql "$DB" -e "
  INSERT INTO users (name, email, created_at, updated_at)
  WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
  SELECT CONCAT('Member number ', i, ' of the memory bench'), CONCAT('m', i, '@bench.test'),
         NOW() - INTERVAL i DAY, NOW()
    FROM n"

CATALOGUE=$(mktemp --suffix=.toml)
cat > "$CATALOGUE" <<'TOML'
[[stats]]
name = "board"
title = "Leaderboard"
description = "Every member, ranked"
display = "ranked"
cache_seconds = 3600
sql = "SELECT name, id + :bonus AS points FROM users ORDER BY points DESC, id"
[[stats.params]]
name = "bonus"
type = "integer"
default = 0
TOML

DATABASE_URL="$SERVER/$DB" STATS_API_TOKENS=$TOKEN STATS_API_ADDR=$ADDR STATS_CATALOGUE=$CATALOGUE \
  RUST_LOG=warn "$TARGET/release/stats-api" &
PID=$!
trap 'kill $PID 2>/dev/null; rm -f "$CATALOGUE"; sql -e "DROP DATABASE IF EXISTS $DB"' EXIT
for _ in $(seq 1 100); do curl -fs "http://$ADDR/healthz" >/dev/null && break; sleep 0.1; done

get() { curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" "http://$ADDR$1"; }
rss() { awk '/VmRSS/ {printf "%.1f MB", $2/1024}' "/proc/$PID/status"; }

get /v1/stats/board
get /v1/stats/board.png
echo "RSS with the ranking answered and drawn once: $(rss)"
start=$(date +%s.%N)
for i in $(seq 0 $((SIZES - 1))); do
  get "/v1/stats/board.png?width=$((2000 - i % 1680))&height=$((1200 - (i * 7) % 1000))"
  [ "$i" -eq $((SIZES / 2 - 1)) ] && echo "RSS after $((SIZES / 2)) chart sizes: $(rss)"
done
echo "RSS after $SIZES distinct chart sizes (320-2000 x 200-1200): $(rss)" \
  "($(echo "$(date +%s.%N) - $start" | bc) s)"
for i in $(seq 1 "$SIZES"); do get "/v1/stats/board?bonus=$i"; done
echo "RSS after $SIZES distinct answers of the ranking (bonus=1..$SIZES): $(rss)"
