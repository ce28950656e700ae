#!/bin/sh
# bench-rdfc.sh - eddsa-rdfc-2022 throughput: microcred (C, bench/bench_rdfc.c)
# against the Digital Bazaar libraries in node (bench/reference_rdfc.mjs) and
# a bare Ed25519 signature, on the full EU micro-credential.
#
#   scripts/bench-rdfc.sh            (BUILD=build, BENCH_SECONDS=2, REPEAT=3)
#   BUILD=/tmp/x/build BENCH_SECONDS=3 REPEAT=5 scripts/bench-rdfc.sh
#   BENCH_NO_BUILD=1 ...   (benchmark the library already in $BUILD)
#
# The credential is what `microcred credential build --format ob3` makes of
# tests/fixtures/credentials/full.json (every EU element, en/sv/lv), issued
# by the did:key of a fresh key; both implementations sign it with that key
# and the same `created`, so their proofValues must be identical (checked).
# Every measurement is single-threaded; each side runs REPEAT times,
# alternating, and the best run counts. Rates are given per wall-clock second
# and per second of CPU time (C: the thread's; node: the process's, GC
# threads included); the ratios use CPU time, which stays meaningful when the
# machine is shared, with the wall-clock ratio beside it. The targets are
# printed beside the ratios; missing one is reported, not an error. Exit 1 only when something fails to build or run, or the two
# implementations disagree on the proof.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SECONDS_PER_OP=${BENCH_SECONDS:-2}
REPEAT=${REPEAT:-3}

# BENCH_NO_BUILD=1 uses $BUILD/microcred and $BUILD/libmicrocred.a as they are.
if [ -z "${BENCH_NO_BUILD:-}" ]; then
  make --no-print-directory BUILD="$BUILD" "$BUILD/microcred" "$BUILD/libmicrocred.a" >/dev/null
fi
mkdir -p "$BUILD/bench"
PKGS="jansson libsodium openssl zlib"
${CC:-cc} -std=c17 -O2 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -D_GNU_SOURCE -Isrc \
  $(pkg-config --cflags $PKGS) bench/bench_rdfc.c "$BUILD/libmicrocred.a" \
  $(make -s --no-print-directory print-MALLOC_LIBS) $(pkg-config --libs $PKGS) -lpthread -lm \
  -o "$BUILD/bench/bench_rdfc"  # with the allocator the microcred binary uses

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$BUILD/microcred" keys generate --out "$tmp/key.json" >/dev/null
did=$(sed -n 's/.*"controller": *"\([^"]*\)".*/\1/p' "$tmp/key.json")
"$BUILD/microcred" credential build --format ob3 --issuer "$did" --salt bench \
  tests/fixtures/credentials/full.json >"$tmp/cred.json"

have_node=yes
if [ ! -d node_modules/@digitalbazaar/eddsa-rdfc-2022-cryptosuite ]; then
  echo "bench-rdfc: node_modules missing (run npm ci): Digital Bazaar baseline skipped" >&2
  have_node=no
fi

i=0
: >"$tmp/c.txt"
: >"$tmp/db.txt"
while [ "$i" -lt "$REPEAT" ]; do
  "$BUILD/bench/bench_rdfc" "$tmp/cred.json" "$tmp/key.json" "$SECONDS_PER_OP" >>"$tmp/c.txt"
  if [ "$have_node" = yes ]; then
    node bench/reference_rdfc.mjs "$tmp/cred.json" "$tmp/key.json" "$SECONDS_PER_OP" >>"$tmp/db.txt"
  fi
  i=$((i + 1))
done

c_pv=$(awk '$1 == "proofValue" {print $2; exit}' "$tmp/c.txt")
if [ "$have_node" = yes ]; then
  db_pv=$(awk '$1 == "proofValue" {print $2; exit}' "$tmp/db.txt")
  if [ "$c_pv" != "$db_pv" ]; then
    echo "bench-rdfc: proofValues differ: microcred $c_pv, Digital Bazaar $db_pv" >&2
    exit 1
  fi
fi

cat "$tmp/c.txt" "$tmp/db.txt" | awk -v repeat="$REPEAT" -v secs="$SECONDS_PER_OP" -v node="$have_node" '
  $1 ~ /_ops$/ { if ($2 > best[$1]) best[$1] = $2 }
  $1 == "nquads_bytes" { nq = $2 }
  function row(label, k) {
    printf "  %-44s %10.1f %10.1f\n", label, best[k "_ops"], best[k "_cpu_ops"]
  }
  function ratio(label, a, b, target) {
    w = best[a "_ops"] / best[b "_ops"]
    c = best[a "_cpu_ops"] / best[b "_cpu_ops"]
    printf "%s: %.1f×  (per CPU second; %.1f× per wall-clock second; target >= %d×%s)\n", label, c, w,
      target, (c >= target ? "" : ": BELOW TARGET")
  }
  END {
    printf "eddsa-rdfc-2022, full EU micro-credential (%d bytes of canonical N-Quads),\n", nq
    printf "single thread, best of %d runs of ~%ss per operation\n", repeat, secs
    printf "  %-44s %10s %10s\n", "operations per second of", "wall-clock", "CPU time"
    row("microcred rdfc canonicalize+sign", "rdfc_sign")
    row("microcred rdfc verify", "rdfc_verify")
    row("bare Ed25519 sign (libsodium)", "ed25519_sign")
    row("bare Ed25519 verify (libsodium)", "ed25519_verify")
    if (node == "yes") {
      row("Digital Bazaar sign (vc.issue)", "db_sign")
      row("Digital Bazaar verify (vc.verifyCredential)", "db_verify")
      ratio("rdfc sign vs Digital Bazaar", "rdfc_sign", "db_sign", 40)
      ratio("rdfc verify vs Digital Bazaar", "rdfc_verify", "db_verify", 40)
    }
    m = best["ed25519_sign_cpu_ops"] / best["rdfc_sign_cpu_ops"]
    mw = best["ed25519_sign_ops"] / best["rdfc_sign_ops"]
    printf "JSON-LD + canonicalization cost: %.0f Ed25519 signatures  (rdfc sign = %.0f× a bare Ed25519 signature per CPU second, %.0f× per wall-clock second; target <= 3×%s)\n",
      m - 1, m, mw, (m <= 3 ? "" : ": BELOW TARGET")
    printf "proofValue identical in both implementations: %s\n", (node == "yes" ? "yes" : "not checked")
  }'
