#!/usr/bin/env bash
# Runs every test: domain and repository unit tests, migrations, HTTP tests against the real
# server, and browser tests in headless Chromium (installed from Debian's packages if missing),
# on SQLite and then again on a local PostgreSQL (also installed and started if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh --browser

# A fresh CI clone gains nothing from incremental compilation, and it doubles target/.
if [[ -n "${CI:-}" ]]; then export CARGO_INCREMENTAL=0; fi

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

say "Building the site (server and hydration bundle) for the browser tests"
cargo leptos build

say "Formatting"
cargo fmt --all -- --check

# One cargo invocation for every crate's tests: built separately, `-p migration` would resolve
# its dependencies' features on its own and compile the world a second time.
crates=(-p app -p migration -p server --features app/ssr)

say "Lints: clippy with warnings as errors, for the server build with its tests and for the browser build"
cargo clippy "${crates[@]}" --all-targets -- -D warnings
cargo clippy -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate \
  --target-dir target/front -- -D warnings

say "Domain, repository, migration, HTTP and browser tests (SQLite)"
cargo test "${crates[@]}"
say "Every test again on PostgreSQL (each test makes its own database on the server)"
pg_url=$(scripts/postgres.sh)
started=$SECONDS
DEBRIEF_TEST_POSTGRES=$pg_url cargo test "${crates[@]}"
say "The PostgreSQL leg took $((SECONDS - started)) s"
