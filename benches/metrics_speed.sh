#!/usr/bin/env bash
# Times `supportsim metrics --by channel,week` on a `large` case (about 1.1 M tickets, 10 M events),
# from Parquet and from CSV, and `quiz` and `check` on the default `saas` case, three runs each, with
# wall time and peak memory (GNU time).
#
#   benches/metrics_speed.sh [WORK_DIR]     # default WORK_DIR: /tmp/supportsim-metrics-bench
#
# The case is generated once into WORK_DIR (about 12 s); the CSV-only copy holds case.toml and the
# CSV files, so the loader reads CSV. The saas case is generated into WORK_DIR too (about 3 s).
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-/tmp/supportsim-metrics-bench}"
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/supportsim"
if [ ! -f "$work/large/case.toml" ]; then
  "$bin" --quiet generate --scenario scenarios/large.toml --seed 1 --out "$work/large" --force
fi
if [ ! -f "$work/large-csv/case.toml" ]; then
  mkdir -p "$work/large-csv/candidate/data"
  cp "$work/large/case.toml" "$work/large-csv/"
  cp "$work/large/candidate/data/"*.csv "$work/large-csv/candidate/data/"
fi
echo "commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%d), $(nproc) cores"
for dir in large large-csv; do
  for run in 1 2 3; do
    /usr/bin/time -f "$dir run $run: %e s wall, %M KB peak" \
      "$bin" metrics --case "$work/$dir" --by channel,week --json > /dev/null
  done
done
if [ ! -f "$work/saas/case.toml" ]; then
  "$bin" --quiet generate --scenario saas --seed 1 --out "$work/saas" --force
fi
{ echo "[answers]"; for i in $(seq 1 12); do echo "q$i = 0.5"; done; } > "$work/answers.toml"
for run in 1 2 3; do
  /usr/bin/time -f "saas quiz run $run: %e s wall, %M KB peak" \
    "$bin" quiz --case "$work/saas" --force > /dev/null
done
for run in 1 2 3; do
  /usr/bin/time -f "saas check run $run: %e s wall, %M KB peak" \
    "$bin" check --case "$work/saas" --answers "$work/answers.toml" > /dev/null
done
