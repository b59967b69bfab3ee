#!/usr/bin/env bash
# Checks that /openapi.json tells the truth (README "Hostile input"): schemathesis, every check,
# against the stats API on a throwaway database, with a catalogue of dates, booleans, strings,
# ranked and series stats. Exits non-zero on any failure.
# Needs MariaDB/MySQL at DATABASE_URL (default mysql://root@127.0.0.1:3306), python3 with venv.
# MAX_EXAMPLES (default 100) is schemathesis's examples per operation and phase; the venv is
# kept in VENV (default /tmp/statsbot-schemathesis-venv) between runs.
set -euo pipefail
cd "$(dirname "$0")/.."

SERVER=${DATABASE_URL:-mysql://root@127.0.0.1:3306}
SERVER=${SERVER%/}
DB=statsbot_schemathesis
TOKEN=schemathesis-token-0123456789abcdef
ADDR=${ADDR:-127.0.0.1:18084}
VENV=${VENV:-/tmp/statsbot-schemathesis-venv}
MAX_EXAMPLES=${MAX_EXAMPLES:-100}
TARGET=${CARGO_TARGET_DIR:-target}

[ -x "$VENV/bin/schemathesis" ] || {
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q schemathesis
}
"$VENV/bin/schemathesis" --version

[[ $SERVER =~ ^mysql://([^:@/]+)(:([^@/]*))?@([^:/]+)(:([0-9]+))?$ ]] ||
  { echo "DATABASE_URL must be mysql://user[:password]@host[:port] (no database)"; exit 2; }
sql() {
  MYSQL_PWD=${BASH_REMATCH[3]} mariadb -u "${BASH_REMATCH[1]}" -h "${BASH_REMATCH[4]}" \
    -P "${BASH_REMATCH[6]:-3306}" --protocol=tcp "$@"
}
sql -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB"
for migration in migrations/*.sql; do sql "$DB" < "$migration"; done
sql "$DB" -e "
  INSERT INTO users (name, email, is_mentor, created_at, updated_at)
  WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
  SELECT CONCAT('Member ', i), CONCAT('m', i, '@schemathesis.test'), i % 7 = 0,
         NOW() - INTERVAL i * 3 DAY, NOW()
    FROM n;
  UPDATE users SET invited_by = 7 WHERE id % 5 = 0 AND id <> 7"

# The shipped stats, and stats with a date, a boolean and a string of allowed values.
SETTINGS=
CATALOGUE=$(mktemp --suffix=.toml)
cat stats-api/catalogue.toml - > "$CATALOGUE" <<'TOML'

[[stats]]
name = "joined_between"
title = "Members who joined between two dates"
description = "How many joined from one day to another"
display = "figures"
sql = "SELECT COUNT(*) AS joined FROM users WHERE created_at >= :since AND created_at < :until + INTERVAL 1 DAY"
[[stats.params]]
name = "since"
type = "date"
min = "2000-01-01"
default = "2020-02-29"
[[stats.params]]
name = "until"
type = "date"
default = "2099-12-31"

[[stats]]
name = "by_role"
title = "Members by role"
description = "Mentors or everyone else, ranked by invitations"
display = "ranked"
sql = """
SELECT name, id AS points FROM users
 WHERE is_mentor = :mentors AND (:role = 'any' OR :role = IF(invited_by IS NULL, 'founder', 'invited'))
 ORDER BY points DESC LIMIT 20
"""
[[stats.params]]
name = "mentors"
type = "boolean"
default = false
[[stats.params]]
name = "role"
type = "string"
allowed = ["any", "founder", "invited"]
default = "any"

[[stats]]
name = "daily"
title = "Signups per day"
description = "Signups each day since a date"
display = "series"
sql = "SELECT DATE_FORMAT(created_at, '%Y-%m-%d') AS day, COUNT(*) AS signups FROM users WHERE created_at >= :since GROUP BY day ORDER BY day"
[[stats.params]]
name = "since"
type = "date"
default = "2025-01-01"
TOML

cargo build -q -p stats-api
DATABASE_URL="$SERVER/$DB" STATS_API_TOKENS=$TOKEN STATS_API_ADDR=$ADDR STATS_CATALOGUE=$CATALOGUE \
  STATS_API_PUBLIC_URL="http://$ADDR" STATS_API_CHART_KEY=schemathesis-chart-key-0123456789abcdef \
  RUST_LOG=warn "$TARGET/debug/stats-api" &
PID=$!
trap 'kill $PID 2>/dev/null; rm -f "$CATALOGUE" "$SETTINGS"; sql -e "DROP DATABASE IF EXISTS $DB"' EXIT
for _ in $(seq 1 100); do curl -fs "http://$ADDR/healthz" >/dev/null && break; sleep 0.1; done

# A chart of a date range with no rows is valid input answered 422 `not_chartable` (as
# documented): the data, not the request, has nothing to draw.
SETTINGS=$(mktemp --suffix=.toml)
cat > "$SETTINGS" <<'TOML'
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "401", "403", "404", "422"]
TOML

"$VENV/bin/schemathesis" --config-file "$SETTINGS" run "http://$ADDR/openapi.json" \
  --checks all \
  --header "Authorization: Bearer $TOKEN" \
  --max-examples "$MAX_EXAMPLES" \
  --workers 2 \
  --suppress-health-check too_slow,filter_too_much \
  --no-color
