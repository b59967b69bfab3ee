#!/usr/bin/env bash
# Chart drawing in one run: the stats API's renderer (criterion, stats-api/benches/chart.rs)
# and matplotlib drawing the same rows at the same size (bench/charts-matplotlib.py), with the
# ratio. Medians; PNG encoding included on both sides. No database needed.
#
#   bash bench/charts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results

cargo bench -p stats-api --bench chart -- --noplot 2>&1 | tee bench/results/charts-rust.txt
# criterion prints `time:   [low median high]`; keep the median, in ms.
rust_ms() {
  grep -A1 "^$1" bench/results/charts-rust.txt | grep -o 'time: *\[[^]]*\]' |
    awk '{ v=$4; u=$5; if (u=="µs") v/=1000; if (u=="ns") v/=1e6; if (u=="s") v*=1000; print v }'
}
series_rust=$(rust_ms chart_series)
ranked_rust=$(rust_ms chart_ranked)
echo "rust: series ${series_rust} ms, ranked ${ranked_rust} ms"

# matplotlib from the benchmarks' own Python environment (bench/python-env.sh).
source bench/python-env.sh matplotlib==3.11.2
if python3 bench/charts-matplotlib.py > bench/results/charts-matplotlib.txt; then
  cat bench/results/charts-matplotlib.txt
  series_mpl=$(awk '$1=="series" { print $2 }' bench/results/charts-matplotlib.txt)
  ranked_mpl=$(awk '$1=="ranked" { print $2 }' bench/results/charts-matplotlib.txt)
  awk -v a="$series_mpl" -v b="$series_rust" -v c="$ranked_mpl" -v d="$ranked_rust" \
    'BEGIN { printf "matplotlib / rust: series %.0fx, ranked %.0fx\n", a / b, c / d }'
else
  echo "matplotlib did not draw: no ratio (see bench/results/charts-matplotlib.txt)"
fi
