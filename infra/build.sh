#!/usr/bin/env bash
# Builds the two Lambda zips that infra/template.yaml deploys:
#   target/lambda/bot/bootstrap.zip        the bot, with the digests, alerts and Home tab as
#                                          digests.toml, alerts.toml and home.toml
#   target/lambda/stats-api/bootstrap.zip  the stats API, with the catalogue as catalogue.toml
#
#   infra/build.sh            arm64 (what the template ships; cross-linked with zig)
#   infra/build.sh --x86-64   x86_64 (then deploy with Architecture=x86_64)
#
# STATS_CATALOGUE names the catalogue to ship (default: stats-api/catalogue.toml);
# BOT_DIGESTS_FILE the digests (default: bot/digests.toml if it exists, else none);
# BOT_ALERTS_FILE the alerts (default: bot/alerts.toml if it exists, else none);
# BOT_HOME_FILE the Home tab's stats (default: bot/home.toml if it exists, else none).
# Needs rustup; cargo-lambda and zig come from the benchmarks' own Python environment
# (bench/python-env.sh) when they are not on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:---arm64}" in
  --arm64) arch=--arm64 target=aarch64-unknown-linux-gnu ;;
  --x86-64) arch=--x86-64 target=x86_64-unknown-linux-gnu ;;
  *) echo "usage: infra/build.sh [--arm64|--x86-64]" >&2; exit 2 ;;
esac
catalogue=${STATS_CATALOGUE:-stats-api/catalogue.toml}
[ -f "$catalogue" ] || { echo "no catalogue at $catalogue" >&2; exit 1; }

if ! rustup target list --installed | grep -qx "$target"; then
  rustup target add "$target"
fi
if ! command -v cargo-lambda >/dev/null 2>&1 || ! command -v zig >/dev/null 2>&1; then
  source bench/python-env.sh cargo-lambda==1.9.2 ziglang==0.17.1
fi

# --release also makes cargo lambda add panic = "abort" and a target-cpu for Lambda's CPUs;
# the workspace's [profile.release] (strip, LTO, one codegen unit) applies as it is.
# The digests ship in the bot's zip like the catalogue in the stats API's: BOT_DIGESTS_FILE, or
# bot/digests.toml when it exists, else none (an empty file: the bot posts nothing).
digests=${BOT_DIGESTS_FILE:-bot/digests.toml}
if [ ! -f "$digests" ]; then
  [ -z "${BOT_DIGESTS_FILE:-}" ] || { echo "no digests file at $digests" >&2; exit 1; }
  mkdir -p target/lambda-include
  digests=target/lambda-include/digests.toml
  printf '# No digests: write bot/digests.toml (see bot/digests.example.toml) and rebuild.\n' >"$digests"
fi
# The alerts likewise: BOT_ALERTS_FILE, or bot/alerts.toml, else an empty file.
alerts=${BOT_ALERTS_FILE:-bot/alerts.toml}
if [ ! -f "$alerts" ]; then
  [ -z "${BOT_ALERTS_FILE:-}" ] || { echo "no alerts file at $alerts" >&2; exit 1; }
  mkdir -p target/lambda-include
  alerts=target/lambda-include/alerts.toml
  printf '# No alerts: write bot/alerts.toml (see bot/alerts.example.toml) and rebuild.\n' >"$alerts"
fi
# The Home tab likewise: BOT_HOME_FILE, or bot/home.toml, else an empty file (the catalogue's
# first stat).
home=${BOT_HOME_FILE:-bot/home.toml}
if [ ! -f "$home" ]; then
  [ -z "${BOT_HOME_FILE:-}" ] || { echo "no Home tab file at $home" >&2; exit 1; }
  mkdir -p target/lambda-include
  home=target/lambda-include/home.toml
  printf '# No Home tab stats: write bot/home.toml (see bot/home.example.toml) and rebuild.\n' >"$home"
fi
# Each package zipped in a directory of its own, then put in place: cargo lambda zips every
# binary it finds in the target directory with the files --include names, so a second build
# into the same directory rewrote the first one's zip with the other's files (the bot's zip
# once held the catalogue and none of its own files).
lambda_dir=${CARGO_TARGET_DIR:-target}/lambda
staging=${CARGO_TARGET_DIR:-target}/lambda-staging
rm -rf "$staging"
# Without Socket Mode (the bot's default `socket-mode` feature): a Lambda cannot hold a socket.
cargo lambda build --release "$arch" --output-format zip --locked -p bot --no-default-features \
  --lambda-dir "$staging/bot" \
  --include "digests.toml:$digests" --include "alerts.toml:$alerts" --include "home.toml:$home"
cargo lambda build --release "$arch" --output-format zip --locked -p stats-api \
  --lambda-dir "$staging/stats-api" --include "catalogue.toml:$catalogue"
for package in bot stats-api; do
  mkdir -p "$lambda_dir/$package"
  cp "$staging/$package/$package/bootstrap.zip" "$lambda_dir/$package/bootstrap.zip"
done
for zip in "$lambda_dir/bot/bootstrap.zip" "$lambda_dir/stats-api/bootstrap.zip"; do
  printf '%s  %s bytes\n' "$zip" "$(stat -c %s "$zip")"
done
