#!/usr/bin/env bash
# The full form of the fault tests (issue 12), on the release build a team deploys
# (scripts/build-release.sh, skipped when current): the server killed with SIGKILL at random
# moments while writes are in flight, 20 rounds, and 64 concurrent writers for 60 s; on SQLite,
# then on a local PostgreSQL (scripts/postgres.sh; skipped with --sqlite). Each prints a row:
# rounds, acknowledged writes, writes found, lost (must be 0), errors (answers other than 200:
# refusals, 5xx, "database is locked"; must be 0), unanswered (requests cut off by the kill)
# and the integrity check's verdict. Any lost write, error or failed check fails the run.
#
#   scripts/faults.sh [--sqlite]
#
# Override with DEBRIEF_FAULT_ROUNDS, DEBRIEF_FAULT_WRITERS_SECS, DEBRIEF_FAULT_SERVER (another
# server binary) and DEBRIEF_FAULT_SEED (replays a run's kill moments, printed with its row).
# The short form (5 rounds, 10 s, the debug build) runs in scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if [ -z "${DEBRIEF_FAULT_SERVER:-}" ]; then
  scripts/build-release.sh
  export DEBRIEF_FAULT_SERVER=target/release/server
fi
export DEBRIEF_FAULT_ROUNDS=${DEBRIEF_FAULT_ROUNDS:-20}
export DEBRIEF_FAULT_WRITERS_SECS=${DEBRIEF_FAULT_WRITERS_SECS:-60}

# One test at a time: the writers' throughput is measured alone on the machine.
run() { cargo test -p app -p migration -p server --features app/ssr --test faults -- --nocapture --test-threads=1; }

say "Fault tests on SQLite ($DEBRIEF_FAULT_ROUNDS rounds, ${DEBRIEF_FAULT_WRITERS_SECS} s of writers, $DEBRIEF_FAULT_SERVER)"
unset DEBRIEF_TEST_POSTGRES
run
if [ "${1:-}" != "--sqlite" ]; then
  say "Fault tests on PostgreSQL"
  DEBRIEF_TEST_POSTGRES=$(scripts/postgres.sh)
  export DEBRIEF_TEST_POSTGRES
  run
fi
