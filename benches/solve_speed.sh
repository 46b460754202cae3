#!/usr/bin/env bash
# Times `supportsim solve` (the reference plan, confirmed on 20 replications) on the `saas` case of
# seed 1, two runs, then `supportsim score` with the grade and the reference cached (20
# replications, the default), three runs, with wall time and peak memory (GNU time). The proposal
# is the case's own template. Then, for the reference's quality, runs examples/solve_quality.rs on
# SEEDS seeds of each case scenario (default 0: skipped; 20 takes about 15 minutes per scenario).
#
#   benches/solve_speed.sh [WORK_DIR] [SEEDS]   # default WORK_DIR: /tmp/supportsim-solve-bench
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-/tmp/supportsim-solve-bench}"
seeds="${2:-0}"
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/supportsim"
if [ ! -f "$work/saas/case.toml" ]; then
  "$bin" --quiet generate --seed 1 --out "$work/saas" --force --format parquet
fi
"$bin" proposal template --case "$work/saas" --out "$work/saas-proposal.toml" --force > /dev/null
echo "commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%d), $(nproc) cores"
for run in 1 2; do
  /usr/bin/time -f "saas solve run $run: %e s wall, %M KB peak" \
    "$bin" --quiet solve --case "$work/saas" > /dev/null
done
for run in 1 2 3; do
  /usr/bin/time -f "saas score with the grade, reference cached, run $run: %e s wall, %M KB peak" \
    "$bin" --quiet score --case "$work/saas" --proposal "$work/saas-proposal.toml" > /dev/null
done
if [ "$seeds" -gt 0 ]; then
  cargo build --release --quiet --example solve_quality
  for s in saas ecommerce fintech; do
    "${CARGO_TARGET_DIR:-target}/release/examples/solve_quality" "$s" "$seeds" 200 2
  done
fi
