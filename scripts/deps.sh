#!/usr/bin/env bash
# deps.sh run|check - make sure this Debian machine has what microcred needs.
#   run:   what `make run` needs (build + serve)
#   check: what `make check` needs too (test libraries, PostgreSQL server,
#          Chromium, clang for fuzzing, Node.js packages from package-lock.json)
# As root, missing Debian packages are installed with apt-get; otherwise the
# exact apt-get line is printed and the script stops with status 1.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}
pkgs=(build-essential pkg-config libmicrohttpd-dev libjansson-dev libsodium-dev libssl-dev
      libsqlite3-dev libpq-dev zlib1g-dev libqrencode-dev libmimalloc-dev)
if [ "$mode" = check ]; then
  pkgs+=(libcmocka-dev postgresql sqlite3 chromium clang libclang-rt-14-dev curl)
  # Node.js: any nodejs package (Debian's or NodeSource's, which bundles npm).
  command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
  command -v npm >/dev/null 2>&1 || [ ! -x /usr/bin/node ] || pkgs+=(npm)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "deps: missing Debian packages. Run as root:"
    echo "  apt-get install -y ${missing[*]}"
    exit 1
  fi
fi
if [ "$mode" = check ] && [ -f package-lock.json ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "deps: installing Node.js test packages from package-lock.json"
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
