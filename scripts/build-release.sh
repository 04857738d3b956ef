#!/usr/bin/env bash
# Builds Debrief as a team deploys it: the release server (target/release/server) and the
# release wasm bundle, optimised by wasm-opt, with hashed file names and brotli/gzip copies
# (target/site). Installs what is missing first (scripts/install.sh, then wasm-opt from the npm
# package binaryen@132 into ./.tools, git-ignored), skipping whatever is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

scripts/install.sh

# Release builds run wasm-opt from PATH. Debian's binaryen (108) makes a bundle that fails in
# the browser; the npm package at 132 works. It goes in a folder of its own, first on PATH for
# this build only.
BINARYEN_VERSION=132
tools="$PWD/.tools"
if ! "$tools/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  if ! command -v npm >/dev/null; then
    say "Installing Node.js and npm from Debian's packages (for wasm-opt)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq nodejs npm >/dev/null
  fi
  say "Installing wasm-opt (npm binaryen@$BINARYEN_VERSION) into .tools"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
fi

# The release in target/ is current when its server binary is newer than every source file and
# the site holds the hashed, compressed bundle that binary names (a debug `cargo leptos build`
# replaces the site). Rebuilding would otherwise run wasm-bindgen and wasm-opt again (minutes).
release_is_current() {
  [ -x target/release/server ] && [ -f target/release/hash.txt ] || return 1
  local js
  js=$(sed -n 's/^js: *//p' target/release/hash.txt)
  [ -n "$js" ] && [ -f "target/site/pkg/debrief.$js.js.br" ] || return 1
  [ -z "$(find app server migrations style public Cargo.toml Cargo.lock -type f \
    -newer target/release/server -not -path 'server/bench/*' -print -quit)" ]
}
if [ "${1:-}" != "--force" ] && release_is_current; then
  say "The release build is up to date (scripts/build-release.sh --force rebuilds it)"
  exit 0
fi

say "Building the release server and wasm bundle (about 20 minutes the first time on 2 cores)"
# LEPTOS_HASH_FILES: the bundle, its JS and the CSS are named after their content (hash.txt
# beside the binary lists the names), so browsers may keep them for a year. --precompress
# writes .br and .gz copies of every file of the site, served as they are.
PATH="$tools/node_modules/.bin:$PATH" LEPTOS_HASH_FILES=true \
  cargo leptos build --release --precompress

# cargo-leptos' gzip copies are larger than gzip -9's (1.66 MB against about 1.35 MB for the
# bundle): write them again, and the brotli copies at the largest window when brotli is there.
for file in target/site/pkg/*; do
  case "$file" in *.gz | *.br) continue ;; esac
  gzip -9 -n -c "$file" >"$file.gz"
  if command -v brotli >/dev/null; then brotli -f -q 11 --lgwin=24 -o "$file.br" "$file"; fi
done
