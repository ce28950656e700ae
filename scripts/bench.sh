#!/usr/bin/env bash
# bench.sh [SECONDS] - microcred's signature suites against a bare Ed25519
# signature and against the Digital Bazaar reference libraries, in one go.
#
# Builds bench/bench_crypto.c with src/core (-O2, as the release build, no
# sanitizers; objects in build/bench/obj/), runs it (SECONDS per suite,
# default 1), has bench/reference.mjs (node) first check that the reference
# libraries accept the credential microcred signed and then time them on the
# same credential, and prints the ratios:
#   JCS sign vs bare Ed25519: X×      (CPU time of an eddsa-jcs-2022 proof over
#                                      time of one Ed25519 signature; target <= 2)
#   microcred vs Digital Bazaar: sign Y× (throughput ratio; target >= 20),
#                                verify Z× with its ceiling (a bare Ed25519
#                                verification alone against their verify)
# Both programs are single-threaded. Installs node_modules with `npm ci`
# when they are missing. Environment: CC (default cc), BENCH_JOBS.
set -u
secs=${1:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
out=build/bench
cc=${CC:-cc}
jobs=${BENCH_JOBS:-$(nproc 2>/dev/null || echo 2)}
pkgs="jansson libsodium openssl zlib"
cflags="-std=c17 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-format-truncation -D_GNU_SOURCE -Isrc -O2 -g $(pkg-config --cflags $pkgs)"
mkdir -p "$out/obj"

newest_h=$(ls -t src/core/*.h | head -1)
stale=()
for src in src/core/*.c; do
  obj=$out/obj/$(basename "${src%.c}").o
  if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_h" -nt "$obj" ]; then stale+=("$src"); fi
done
if [ ${#stale[@]} -gt 0 ]; then
  printf '%s\n' "${stale[@]}" | xargs -P "$jobs" -I{} sh -c \
    "$cc $cflags -c {} -o $out/obj/\$(basename {} .c).o" || { echo "bench: cannot compile src/core"; exit 1; }
fi
objs=""
for src in src/core/*.c; do objs="$objs $out/obj/$(basename "${src%.c}").o"; done
# linked with the allocator the microcred binary uses
malloc_libs=$(make -s --no-print-directory print-MALLOC_LIBS)
if ! $cc $cflags bench/bench_crypto.c $objs -o "$out/bench_crypto" $malloc_libs $(pkg-config --libs $pkgs) -lm; then
  echo "bench: cannot build bench/bench_crypto.c"
  exit 1
fi

mc_log=$out/microcred.txt
db_log=$out/reference.txt
"$out/bench_crypto" --seconds "$secs" --write-signed "$out/signed-credential.json" | tee "$mc_log"
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "bench: bench_crypto failed"; exit 1; }

if [ ! -d node_modules/@digitalbazaar/vc ]; then
  echo "bench: installing node_modules (npm ci)"
  npm ci --no-audit --no-fund >"$out/npm.log" 2>&1 || { echo "bench: npm ci failed (see $out/npm.log)"; exit 1; }
fi
echo
node bench/reference.mjs --seconds "$secs" --check "$out/signed-credential.json" | tee "$db_log"
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "bench: reference benchmark failed"; exit 1; }

ops() { awk -v n="$2" '$1 == n && $3 == "ops/s" { print $2 }' "$1"; }
ed=$(ops "$mc_log" ed25519-sign)
edv=$(ops "$mc_log" ed25519-verify)
sign=$(ops "$mc_log" eddsa-jcs-2022-sign)
verify=$(ops "$mc_log" eddsa-jcs-2022-verify)
report=$(ops "$mc_log" verify-report)
db_sign=$(ops "$db_log" eddsa-jcs-2022-sign)
db_verify=$(ops "$db_log" eddsa-jcs-2022-verify)
for v in "$ed" "$edv" "$sign" "$verify" "$report" "$db_sign" "$db_verify"; do
  [ -n "$v" ] || { echo "bench: a result is missing"; exit 1; }
done
echo
awk -v ed="$ed" -v s="$sign" 'BEGIN { printf "JCS sign vs bare Ed25519: %.2f×  (%.1f us vs %.1f us; target <= 2×: %s)\n", ed / s, 1e6 / s, 1e6 / ed, ed / s <= 2 ? "met" : "BELOW TARGET" }'
# The 20x target is for signing (issue 3). Verification is bounded by the
# Ed25519 verification itself, which is about 3x a signature: the ceiling
# line says how fast a verifier that did nothing else could be.
awk -v s="$sign" -v v="$verify" -v ds="$db_sign" -v dv="$db_verify" -v r="$report" -v edv="$edv" 'BEGIN {
  printf "microcred vs Digital Bazaar: sign %.1f×  (target >= 20×: %s)\n", s / ds, (s / ds >= 20) ? "met" : "BELOW TARGET"
  printf "                             verify %.1f×  (whole verification report: %.1f×; ceiling, a bare Ed25519 verification alone: %.1f×)\n",
    v / dv, r / dv, edv / dv }'
