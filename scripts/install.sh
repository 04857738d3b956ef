#!/usr/bin/env bash
# Installs what building and testing Debrief needs, skipping whatever is already there:
# the wasm target, cargo-leptos, the wasm-bindgen CLI at the version Cargo.lock pins and,
# with --browser, Debian's Chromium and ChromeDriver for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

LEPTOS_VERSION=0.3.10

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$LEPTOS_VERSION"; then
  say "Installing cargo-leptos $LEPTOS_VERSION (about 10 minutes, once)"
  # Fat LTO makes this link take twice as long and changes nothing for a build tool.
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install cargo-leptos --locked --version "$LEPTOS_VERSION" --features no_downloads
fi

bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if [ -z "$bindgen_version" ]; then
  echo "error: could not read the wasm-bindgen version from Cargo.lock" >&2
  exit 1
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q "$bindgen_version"; then
  say "Installing wasm-bindgen-cli $bindgen_version (about 5 minutes, once)"
  # Not --locked: its own lockfile pins a yanked crate.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --force
fi

if [ "${1:-}" = "--browser" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "Installing Chromium and ChromeDriver from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi
