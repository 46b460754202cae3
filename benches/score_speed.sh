#!/usr/bin/env bash
# Times `supportsim score` (20 paired replications of the horizon, the default) on the default `saas`
# case, seed 1, three runs, and on a `large` case with REPLICATIONS replications (default 20), one
# run, with wall time and peak memory (GNU time). The proposal is the case's own template
# (`supportsim proposal template`): two added agents on a live team, and a success metric. Each
# case's reference plan is searched for (`supportsim solve`) before the timed runs, so they time
# `score` with the grade and the reference cached (on `large` the search takes several minutes).
#
#   benches/score_speed.sh [WORK_DIR] [REPLICATIONS]   # default WORK_DIR: /tmp/supportsim-score-bench
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-/tmp/supportsim-score-bench}"
reps="${2:-20}"
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/supportsim"
for s in saas large; do
  scenario="$s"
  [ "$s" = large ] && scenario=scenarios/large.toml
  if [ ! -f "$work/$s/case.toml" ]; then
    "$bin" --quiet generate --scenario "$scenario" --seed 1 --out "$work/$s" --force --format parquet
  fi
  "$bin" proposal template --case "$work/$s" --out "$work/$s-proposal.toml" --force > /dev/null
  [ -f "$work/$s/interviewer/reference.json" ] || "$bin" --quiet solve --case "$work/$s" > /dev/null
done
echo "commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%d), $(nproc) cores"
for run in 1 2 3; do
  /usr/bin/time -f "saas score run $run: %e s wall, %M KB peak" \
    "$bin" score --case "$work/saas" --proposal "$work/saas-proposal.toml" > /dev/null
done
/usr/bin/time -f "large score ($reps replications): %e s wall, %M KB peak" \
  "$bin" score --case "$work/large" --proposal "$work/large-proposal.toml" --replications "$reps" > /dev/null
