#!/bin/sh
# bench-statistics.sh [RUNS] - response time of GET /api/v1/statistics on
# 100,000 awards (bench/bench_statistics.mjs): median per dimension over
# RUNS requests (default 15) and one summary line. Uses $MICROCRED_BIN,
# default build/microcred (build it first: make).
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
bin=${MICROCRED_BIN:-build/microcred}
[ -x "$bin" ] || { echo "bench-statistics: $bin is missing; build it first (make)"; exit 2; }
command -v sqlite3 >/dev/null || { echo "bench-statistics: the sqlite3 CLI is needed"; exit 2; }
MICROCRED_BIN=$bin exec node bench/bench_statistics.mjs "$@"
