#!/usr/bin/env bash
# fuzz.sh [SECONDS] - build and run every libFuzzer target in tests/fuzz/.
#
# Each tests/fuzz/fuzz_NAME.c is linked with all of src/core (compiled once,
# with coverage instrumentation, into build/fuzz/obj/) using
#   clang -fsanitize=fuzzer,address,undefined
# and run for SECONDS (default 60) on a scratch copy of its seed corpus,
# tests/fuzz/seeds/fuzz_NAME/ plus any test data listed in extra_seeds below
# (read from $MC_TESTDATA, default ../shared/testdata), so the repository is
# never written to. A target passes when libFuzzer exits 0: no crash, leak,
# sanitizer report, timeout (-timeout=30 per input) or memory blow-up
# (-rss_limit_mb=2048). Logs: build/fuzz/fuzz_NAME.log; crashing inputs:
# build/fuzz/artifacts/. One line per target, then exactly
#   fuzz: N passed, N failed
# Environment: FUZZ_CC (default clang), FUZZ_JOBS (parallel compiles,
# default nproc), FUZZ_KEEP_CORPUS=1 keeps the grown corpus in build/fuzz/corpus/.
set -u
secs=${1:-60}
case $secs in '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
out=build/fuzz
cc=${FUZZ_CC:-clang}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
testdata=${MC_TESTDATA:-../shared/testdata}
pkgs="jansson libsodium openssl zlib"
mkdir -p "$out/obj" "$out/artifacts"

targets=$(ls tests/fuzz/fuzz_*.c 2>/dev/null)
ntargets=$(echo "$targets" | grep -c . || true)
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "fuzz: $cc not found (libFuzzer needs clang)"
  echo "fuzz: 0 passed, $ntargets failed"
  exit 1
fi
cflags="-std=c17 -g -O1 -D_GNU_SOURCE -Isrc -fno-omit-frame-pointer $(pkg-config --cflags $pkgs)"
libs="$(pkg-config --libs $pkgs) -lm"
san="address,undefined"

# More seeds for some targets: test data (never copied into the repository)
# and fixtures other tests own. A target not listed runs on its seeds/ dir.
extra_seeds() {
  case $1 in
    fuzz_verify) ls "$testdata"/edc/*.jsonld tests/fixtures/hostile/*.json 2>/dev/null ;;
    fuzz_jcs) ls "$testdata"/edc/*unsigned*.jsonld 2>/dev/null ;;
    fuzz_vc_shape) ls tests/fixtures/vc-shape/*.json 2>/dev/null ;;
    fuzz_csv) ls tests/fixtures/csv/* 2>/dev/null ;;
    fuzz_baked) ls tests/fixtures/baked/* 2>/dev/null ;;
    fuzz_rdfc) ls "$testdata"/w3c-rdf-canon/tests/rdfc10/*-in.nq 2>/dev/null | head -60 ;;
    fuzz_jsonld) ls "$testdata"/w3c-json-ld-api/tests/expand/*-in.jsonld 2>/dev/null | head -60 ;;
  esac
}

# ---- compile src/core once (only what changed) ----
newest_h=$(ls -t src/core/*.h | head -1)
stale=()
for src in src/core/*.c; do
  obj=$out/obj/$(basename "${src%.c}").o
  if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_h" -nt "$obj" ]; then stale+=("$src"); fi
done
if [ ${#stale[@]} -gt 0 ]; then
  printf '%s\n' "${stale[@]}" | xargs -P "$jobs" -I{} sh -c \
    'o='"$out"'/obj/$(basename {} .c).o; '"$cc $cflags"' -fsanitize=fuzzer-no-link,'"$san"' -c {} -o "$o" 2>"$o.err" || { rm -f "$o"; echo "fuzz: cannot compile {}:"; head -5 "$o.err"; }'
fi
objs=""
for src in src/core/*.c; do objs="$objs $out/obj/$(basename "${src%.c}").o"; done

passed=0 failed=0
for t in $targets; do
  name=$(basename "$t" .c)
  bin=$out/$name
  log=$out/$name.log
  if ! $cc $cflags -fsanitize=fuzzer,$san "$t" $objs -o "$bin" $libs >"$log" 2>&1; then
    echo "$name: FAILED to build (see $log)"
    failed=$((failed + 1))
    continue
  fi
  corpus=$(mktemp -d "${TMPDIR:-/tmp}/mc-fuzz-$name.XXXXXX")
  [ -d "tests/fuzz/seeds/$name" ] && cp -R "tests/fuzz/seeds/$name/." "$corpus/" 2>/dev/null
  for f in $(extra_seeds "$name"); do cp "$f" "$corpus/" 2>/dev/null; done
  nseeds=$(ls "$corpus" | wc -l)
  "$bin" "$corpus" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=30 -print_final_stats=1 \
    -artifact_prefix="$out/artifacts/$name-" >>"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  ncorpus=$(ls "$corpus" | wc -l)
  if [ "$rc" -eq 0 ]; then
    echo "$name: passed (${runs:-?} runs in ${secs}s, ${cov:-cov: ?}, corpus $nseeds -> $ncorpus)"
    passed=$((passed + 1))
  else
    why=$(grep -m1 -E '^SUMMARY|ERROR: libFuzzer|==ERROR' "$log" | cut -c1-160)
    art=$(grep -o "$out/artifacts/$name-[^ ]*" "$log" | tail -1)
    echo "$name: FAILED (exit $rc: ${why:-see log}; input ${art:-none}; log $log)"
    failed=$((failed + 1))
  fi
  if [ "${FUZZ_KEEP_CORPUS:-0}" = 1 ]; then
    rm -rf "$out/corpus/$name" && mkdir -p "$out/corpus" && mv "$corpus" "$out/corpus/$name"
  else
    rm -rf "$corpus"
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
