#!/usr/bin/env bash
# Runs every test: domain and repository unit tests, migrations, HTTP tests against the real
# server, and browser tests in headless Chromium (installed from Debian's packages if missing),
# on SQLite and then again on a local PostgreSQL (also installed and started if missing).
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
say "HTTP and browser tests against the real server (SQLite)"
cargo test -p server
say "Migrations and HTTP and browser tests again on PostgreSQL"
pg_url=$(scripts/postgres.sh)
DEBRIEF_TEST_POSTGRES=$pg_url cargo test -p migration
DEBRIEF_TEST_POSTGRES=$pg_url cargo test -p server --test http --test browser
