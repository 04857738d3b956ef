#!/usr/bin/env bash
# Several instances, by simulation: seeds a fresh Postgres database through the app's own
# repositories (`server seed`), then drives Debrief with a mixed load — 90 % page reads (the
# postmortem page, the incident list, the dashboard, the changes view, a search), 10 % writes
# (adding a timeline entry) — for a fixed time, first through one instance and then through two
# instances on the same database, and prints throughput and p99 for each in the benchmark's
# table format (written to server/bench/instances.md).
#
#   scripts/bench-instances.sh                               # 1,000 incidents, 20 s per run
#   scripts/bench-instances.sh --incidents 200 --seconds 5   # a short one
#
# Options: --incidents N (1000), --seconds S per run (20), --connections C (32), --no-build (use
# the release build that is there), --out FILE (server/bench/instances.md).
# The Postgres server is the one `scripts/postgres.sh` starts (installed if missing), or the one
# DEBRIEF_BENCH_POSTGRES names (postgres://user:password@host:port); the benchmark's database
# on it is `debrief_bench_instances`, dropped and made again on each run.
#
# wrk runs two threads, each with half the connections; with two instances each thread sends
# to one of them (a round robin by connection, as a load balancer would), and the latencies are
# one histogram. Everything shares one machine's cores: the figures show what a second
# instance costs and that nothing fails, not how far more machines would scale.
set -euo pipefail
cd "$(dirname "$0")/.."

incidents=1000
seconds=20
connections=32
build=1
out=server/bench/instances.md
while [ $# -gt 0 ]; do
  case "$1" in
    --incidents) incidents=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: scripts/bench-instances.sh [--incidents N] [--seconds S] [--connections C] [--no-build] [--out FILE]" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

if [ "$build" = 1 ]; then scripts/build-release.sh; fi
if ! command -v wrk >/dev/null || ! command -v curl >/dev/null || ! command -v psql >/dev/null; then
  say "Installing wrk, curl and the Postgres client from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq wrk curl postgresql-client >/dev/null
fi
pg_server=${DEBRIEF_BENCH_POSTGRES:-$(scripts/postgres.sh)}
pg_server=${pg_server%/}
database=debrief_bench_instances
psql -q "$pg_server/postgres" -c "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database" >/dev/null

server=target/release/server
ports=(3181 3182)
work=$(mktemp -d)
pids=()
stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  pids=()
}
cleanup() { stop_all; rm -rf "$work"; }
trap cleanup EXIT

cp -a "${BENCH_SITE:-target/site}" "$work/site"
export LEPTOS_SITE_ROOT="$work/site"
export DATABASE_URL="$pg_server/$database"
export DEBRIEF_DATA_DIR="$work"
export DEBRIEF_ADMIN_PASSWORD="benchmark passphrase"
export RUST_LOG=warn

say "Seeding $incidents incidents into Postgres through the app's repositories"
seeded=$("$server" seed --incidents "$incidents")
echo "$seeded" >&2
postmortem=$(sed -n 's/.*postmortem=\([0-9]*\).*/\1/p' <<<"$seeded")
draft=$(sed -n 's/.*draft=\([0-9]*\).*/\1/p' <<<"$seeded")

start() { # instances -> starts that many servers on the ports, waits until each answers
  local i
  for ((i = 0; i < $1; i++)); do
    DEBRIEF_ADDR="127.0.0.1:${ports[$i]}" "$server" >"$work/server-$i.log" 2>&1 &
    pids+=($!)
  done
  for ((i = 0; i < $1; i++)); do
    until curl -sf -o /dev/null "http://127.0.0.1:${ports[$i]}/login"; do
      if ! kill -0 "${pids[$i]}" 2>/dev/null; then cat "$work/server-$i.log" >&2; exit 1; fi
      sleep 0.05
    done
  done
}

login() { # port -> session cookie of the seeded author
  curl -s -o /dev/null -D - "http://127.0.0.1:$1/api/account/login" \
    -H 'Accept: text/html' -H "Referer: http://127.0.0.1:$1/login" -H "Origin: http://127.0.0.1:$1" \
    --data-urlencode 'form[email]=bench-author@example.com' \
    --data-urlencode "form[password]=$DEBRIEF_ADMIN_PASSWORD" |
    sed -n 's/^[Ss]et-[Cc]ookie: \(debrief_session=[^;]*\).*/\1/p' | head -1
}

entry="incident_id=$draft&form%5Bat%5D=2026-10-30T10%3A40&form%5Bprecision%5D=minute&form%5Bkind%5D=observation&form%5Bactor%5D=on-call+engineer&form%5Bbody%5D=Saw+the+error+rate+drop+after+the+rollback.&zone=UTC"

mixed_lua() { # cookie second-port -> the wrk script: 9 reads in 10 requests, thread 2 to the second port
  cat <<LUA
local reads = { "/incidents/$postmortem", "/", "/follow-ups", "/changes", "/search?q=concurrency" }
local counter = 0
local threads = {}
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  thread:set("port", "${ports[0]}")
  if counter == 2 then
    thread.addr = wrk.lookup("127.0.0.1", "$2")[1]
    thread:set("port", "$2")
  end
  table.insert(threads, thread)
end
local n = 0
function init(args)
  math.randomseed(id * 7919)
end
function request()
  n = n + 1
  local headers = { ["Host"] = "127.0.0.1:" .. port, ["Cookie"] = "$1", ["Accept-Encoding"] = "gzip" }
  if math.random(10) == 1 then
    headers["Accept"] = "application/json"
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    -- What a same-site form sends: the cross-site check lets it through.
    headers["Origin"] = "http://127.0.0.1:" .. port
    headers["Sec-Fetch-Site"] = "same-origin"
    headers["Sec-Fetch-Mode"] = "cors"
    return wrk.format("POST", "/api/timeline/add", headers, "$entry")
  end
  headers["Accept"] = "text/html,application/xhtml+xml"
  return wrk.format("GET", reads[math.random(#reads)], headers, nil)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %.1f %.2f %.2f %d %d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout, e.timeout))
end
LUA
}

rows=()
run() { # instances label
  start "$1"
  local cookie second=${ports[0]}
  cookie=$(login "${ports[0]}")
  if [ -z "$cookie" ]; then echo "bench-instances: could not log in" >&2; exit 1; fi
  if [ "$1" = 2 ]; then second=${ports[1]}; fi
  mixed_lua "$cookie" "$second" >"$work/mixed.lua"
  # A short warm-up, so the figures are not those of a cold start.
  wrk -t2 -c8 -d2s -s "$work/mixed.lua" "http://127.0.0.1:${ports[0]}/" >/dev/null
  local entries_before entries_after
  entries_before=$(psql -qtA "$DATABASE_URL" -c "SELECT count(*) FROM timeline_entries")
  say "wrk: $2, 90 % reads and 10 % writes, ${seconds} s"
  local line
  line=$(wrk -t2 -c"$connections" -d"${seconds}s" --timeout "${seconds}s" -s "$work/mixed.lua" \
    "http://127.0.0.1:${ports[0]}/" | grep '^BENCH' || true)
  entries_after=$(psql -qtA "$DATABASE_URL" -c "SELECT count(*) FROM timeline_entries")
  stop_all
  if [ -z "$line" ]; then rows+=("| $2 | failed | |"); return; fi
  read -r _ requests rps p50 p99 errors timeouts <<<"$line"
  rows+=("| $2 | **$(printf "%'.0f" "$rps") req/s** | p50 ${p50} ms, p99 ${p99} ms; $requests requests, $errors errors ($timeouts timeouts); $((entries_after - entries_before)) timeline entries written |")
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
run 1 "one instance"
run 2 "two instances, one database"

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
report() {
  echo "# Several instances: a simulation"
  echo
  echo "Measured by \`scripts/bench-instances.sh --incidents $incidents --seconds $seconds --connections $connections\` on $(date -u '+%Y-%m-%d %H:%M UTC'),"
  echo "commit $commit, $(nproc) cores, release build, Postgres on the same machine, loopback."
  echo "wrk (2 threads, $connections connections, ${seconds} s per run): 90 % page reads (the postmortem page, the"
  echo "incident list, the dashboard, the changes view, a search, in turn at random), 10 % writes"
  echo "(adding a timeline entry to one draft). With two instances each wrk thread sends to one of"
  echo "them. The load generator, the instances and Postgres share the cores: the table shows what a"
  echo "second instance costs and that nothing fails, not the scaling of more machines."
  echo "Load average before the run: $load_before."
  echo
  echo "| what | result | details |"
  echo "|---|---|---|"
  echo "| dataset | $seeded | Postgres |"
  for row in "${rows[@]}"; do echo "$row"; done
}
mkdir -p "$(dirname "$out")"
report | tee "$out"
say "Written to $out"
