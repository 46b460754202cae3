#!/usr/bin/env bash
# Times `supportsim chart` (SVG; SVG and PNG) and `supportsim report` on a `large` case (about
# 1.1 M tickets), three runs each, with wall time and peak memory (GNU time).
#
#   benches/report_speed.sh [WORK_DIR]     # default WORK_DIR: /tmp/supportsim-report-bench
#
# The case is generated once into WORK_DIR (about 12 s), Parquet only.
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-/tmp/supportsim-report-bench}"
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/supportsim"
if [ ! -f "$work/large/case.toml" ]; then
  "$bin" --quiet generate --scenario scenarios/large.toml --seed 1 --format parquet --out "$work/large" --force
fi
echo "commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%d), $(nproc) cores"
for format in svg both; do
  for run in 1 2 3; do
    /usr/bin/time -f "chart --format $format run $run: %e s wall, %M KB peak" \
      "$bin" chart --case "$work/large" --format "$format" --force > /dev/null
  done
done
for run in 1 2 3; do
  /usr/bin/time -f "report run $run: %e s wall, %M KB peak" \
    "$bin" report --case "$work/large" --force > /dev/null
done
