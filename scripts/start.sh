#!/usr/bin/env bash
# Installs what is missing, builds Debrief as a team deploys it (the release server and wasm
# bundle: scripts/build-release.sh) and serves it at http://127.0.0.1:3000 on an embedded SQLite
# database in ./data (created, with its schema, on first start). Ctrl-C stops it.
# For development, with rebuilds on every save: `cargo leptos watch` (see the README).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-release.sh
exec target/release/server
