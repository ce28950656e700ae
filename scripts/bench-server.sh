#!/usr/bin/env bash
# bench-server.sh [OPTIONS...] - benchmarks of the running platform
# (bench/server.mjs): issuance through the API on SQLite and PostgreSQL,
# batches, verification against the Digital Bazaar libraries, the competence
# map on 10,000 staff, start-up time and memory on 1M awards.
#
#   scripts/bench-server.sh                         everything (~10 minutes)
#   scripts/bench-server.sh --only issue,verify --seconds 3
#   BUILD=/tmp/x/build scripts/bench-server.sh      build and use another dir
#   BENCH_NO_BUILD=1 ...                            use $BUILD/microcred as it is
#   BENCH_NO_PG=1 ...                               SQLite only
#
# Options go to bench/server.mjs (see `node bench/server.mjs --help`). The
# server listens on 127.0.0.1 only; PostgreSQL is a private server started by
# scripts/with-postgres on a Unix socket and removed afterwards. Exit 1 when
# something fails to build or run; a missed budget is reported, not an error.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
BUILD=${BUILD:-build}

if [ -z "${BENCH_NO_BUILD:-}" ]; then
  make --no-print-directory BUILD="$BUILD" "$BUILD/microcred" >/dev/null || { echo "bench-server: build failed"; exit 1; }
fi
bin=$(cd "$(dirname "$BUILD/microcred")" && pwd)/microcred
[ -x "$bin" ] || { echo "bench-server: $bin not found"; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench-server: sqlite3 (the command) is needed: apt-get install sqlite3"; exit 1; }
if [ ! -d node_modules/@digitalbazaar/vc ]; then
  echo "bench-server: installing node_modules (npm ci)"
  npm ci --no-audit --no-fund >/dev/null 2>&1 || { echo "bench-server: npm ci failed"; exit 1; }
fi

if [ -n "${BENCH_NO_PG:-}" ] || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  [ -z "${BENCH_NO_PG:-}" ] && echo "bench-server: PostgreSQL server binaries not found: SQLite only"
  exec node bench/server.mjs --bin "$bin" "$@"
fi
# with-postgres exports MC_TEST_PG, which bench/server.mjs reads.
exec scripts/with-postgres node bench/server.mjs --bin "$bin" "$@"
