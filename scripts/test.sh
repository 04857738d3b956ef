#!/usr/bin/env bash
# Runs every test: domain and repository unit tests, migrations, HTTP tests against the real
# server, and browser tests in headless Chromium (installed from Debian's packages if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh --browser

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

say "Building the site (server and hydration bundle) for the browser tests"
cargo leptos build

say "Formatting"
cargo fmt --all -- --check

say "Domain, repository and server-function unit tests"
cargo test -p app --features ssr
say "Migrations up, down and up again"
cargo test -p migration
say "HTTP and browser tests against the real server"
cargo test -p server
