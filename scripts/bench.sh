#!/usr/bin/env bash
# The benchmark anyone can run: builds the release server and bundle (scripts/build-release.sh),
# seeds a fresh SQLite database through the app's own repositories (`server seed`: by default
# 10,000 incidents, 200,000 timeline entries, 50,000 follow-ups, 20,000 changes), starts the
# server and drives it over loopback with wrk (installed from Debian if missing), 32 connections,
# one endpoint after another in the same run: a small static file (the ceiling), the postmortem
# page, the incident list, the follow-up dashboard, the changes view, metrics, a search, a JSON
# read (a server function) and a write (adding a timeline entry, as a same-site form does).
# Also: start-up time to the first served page, RSS at rest and peak, page weights, wasm sizes,
# and how often the kept pages' counter moved while each endpoint ran.
# Prints one Markdown table and writes it, with the machine and the commit, to
# server/bench/results.md.
#
#   scripts/bench.sh                                  # the full run
#   scripts/bench.sh --incidents 500 --seconds 3      # a short one, in a couple of minutes
#
# Options: --incidents N (10000), --seconds S per endpoint (10), --connections C (32),
# --no-build (use the release build that is there), --out FILE (server/bench/results.md),
# --only NAMES (a comma-separated subset of: static,postmortem,list,dashboard,changes,metrics,
# search,postmortem-rendered,search-rendered,json,write; the others are skipped, and a partial
# run is not written to the results file unless --out says where).
# Environment: RUST_LOG for the server (warn), BENCH_SERVER_LOG=FILE to keep its log.
set -euo pipefail
cd "$(dirname "$0")/.."

incidents=10000
seconds=10
connections=32
build=1
out=server/bench/results.md
only=""
out_given=0
while [ $# -gt 0 ]; do
  case "$1" in
    --incidents) incidents=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --out) out=$2; out_given=1; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) echo "usage: scripts/bench.sh [--incidents N] [--seconds S] [--connections C] [--no-build] [--out FILE] [--only NAMES]" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

if [ "$build" = 1 ]; then scripts/build-release.sh; fi
if ! command -v wrk >/dev/null || ! command -v brotli >/dev/null || ! command -v curl >/dev/null ||
  ! command -v sqlite3 >/dev/null; then
  say "Installing wrk, brotli, curl and sqlite3 from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq wrk brotli curl sqlite3 >/dev/null
fi

server=target/release/server
port=${BENCH_PORT:-3097}
base="http://127.0.0.1:$port"
work=$(mktemp -d)
pid=""
sampler=""
cleanup() {
  if [ -n "$sampler" ]; then kill "$sampler" 2>/dev/null || true; fi
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "${BENCH_SERVER_LOG:-}" ] && [ -f "$work/server.log" ]; then cp "$work/server.log" "$BENCH_SERVER_LOG"; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The server serves a copy of the built site: a build started meanwhile replaces target/site.
cp -a "${BENCH_SITE:-target/site}" "$work/site"
export LEPTOS_SITE_ROOT="$work/site"
export DATABASE_URL="sqlite://$work/bench.db?mode=rwc"
export DEBRIEF_DATA_DIR="$work"
export DEBRIEF_ADDR="127.0.0.1:$port"
export DEBRIEF_ADMIN_PASSWORD="benchmark passphrase"
export RUST_LOG="${RUST_LOG:-warn}"

say "Seeding $incidents incidents through the app's repositories"
seeded=$("$server" seed --incidents "$incidents")
echo "$seeded" >&2
postmortem=$(sed -n 's/.*postmortem=\([0-9]*\).*/\1/p' <<<"$seeded")
draft=$(sed -n 's/.*draft=\([0-9]*\).*/\1/p' <<<"$seeded")
seed_seconds=$(sed -n 's/.* in \([0-9.]*\) s;.*/\1/p' <<<"$seeded")
db_bytes=$(du -cb "$work"/bench.db* | tail -1 | cut -f1)

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
say "Starting the server on the seeded database"
started=$(date +%s%N)
"$server" >"$work/server.log" 2>&1 &
pid=$!
until curl -sf -o /dev/null "$base/login"; do
  if ! kill -0 "$pid" 2>/dev/null; then cat "$work/server.log" >&2; exit 1; fi
  sleep 0.01
done
startup_ms=$(( ($(date +%s%N) - started) / 1000000 ))

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$pid/status"; }
hwm_kb() { awk '/^VmHWM/ { print $2 }' "/proc/$pid/status"; }

say "Logging in as the seeded author"
cookie=$(curl -s -o /dev/null -D - "$base/api/account/login" \
  -H 'Accept: text/html' -H "Referer: $base/login" -H "Origin: $base" \
  --data-urlencode 'form[email]=bench-author@example.com' \
  --data-urlencode "form[password]=$DEBRIEF_ADMIN_PASSWORD" |
  sed -n 's/^[Ss]et-[Cc]ookie: \(debrief_session=[^;]*\).*/\1/p' | head -1)
if [ -z "$cookie" ]; then echo "bench: could not log in" >&2; exit 1; fi
# One request to each page first, so the figures are not those of a cold start.
for path in / "/incidents/$postmortem" /follow-ups /changes /metrics "/search?q=concurrency"; do
  curl -s -o /dev/null --max-time 120 -H "Cookie: $cookie" "$base$path" || true
done
rest_kb=$(rss_kb)

# A Lua script per endpoint: the request, and a summary wrk prints when done.
lua() { # name method body accept [fresh]
  cat >"$work/$1.lua" <<LUA
wrk.method = "$2"
wrk.headers["Cookie"] = "$cookie"
wrk.headers["Accept"] = "$4"
wrk.headers["Accept-Encoding"] = "gzip, br"
if wrk.method == "POST" then
  wrk.body = "$3"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  -- What a same-site form sends: the cross-site check lets it through.
  wrk.headers["Origin"] = "$base"
  wrk.headers["Sec-Fetch-Site"] = "same-origin"
  wrk.headers["Sec-Fetch-Mode"] = "cors"
end
if "${5:-}" == "fresh" then
  -- Every request a new address (an extra query value the page ignores), so none is served
  -- kept: what rendering costs. Each thread numbers its own.
  local threads = 0
  function setup(thread)
    threads = threads + 1
    thread:set("thread_id", threads)
  end
  local n = 0
  request = function()
    n = n + 1
    local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
    return wrk.format(nil, wrk.path .. sep .. "fresh=" .. thread_id .. "-" .. n)
  end
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

html="text/html,application/xhtml+xml"
lua get GET "" "$html"
lua fresh GET "" "$html" fresh
lua static GET "" "image/svg+xml,*/*"
lua json POST "id=$postmortem" "application/json"
entry="incident_id=$draft&form%5Bat%5D=2026-10-30T10%3A40&form%5Bprecision%5D=minute&form%5Bkind%5D=observation&form%5Bactor%5D=on-call+engineer&form%5Bbody%5D=Saw+the+error+rate+drop+after+the+rollback.&zone=UTC"
lua write POST "$entry" "application/json"

# RSS every half second while the load runs.
(while kill -0 "$pid" 2>/dev/null; do rss_kb; sleep 0.5; done) >"$work/rss" 2>/dev/null &
sampler=$!

# Waits (up to 3 minutes) until the server has finished what an earlier endpoint left it, so
# one endpoint's unfinished requests do not count against the next: its CPU time stops growing.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
drain() {
  local before after waited=0
  before=$(cpu_ticks)
  while [ "$waited" -lt 360 ]; do
    sleep 0.5
    waited=$((waited + 1))
    after=$(cpu_ticks)
    if [ $((after - before)) -le 2 ]; then return; fi
    before=$after
  done
}

rows=()
static_rps=""
# Whether an endpoint is measured in this run (all of them unless --only names a subset).
wanted() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }

# The counter kept pages are kept for (server/src/kept_pages.rs): when it moves during a read
# endpoint, its page was rendered again for that change, with the other connections waiting.
page_counter() { sqlite3 "$work/bench.db" "SELECT value FROM read_generations WHERE name = 'pages'"; }

measure() { # name label script path
  local name=$1
  if ! wanted "$name"; then return; fi
  shift
  drain
  say "wrk: $1 ($3)"
  local line counter_before
  counter_before=$(page_counter)
  # A request that has not finished when the run ends counts as a timeout, not as nothing.
  line=$(wrk -t2 -c"$connections" -d"${seconds}s" --timeout "${seconds}s" -s "$work/$2.lua" "$base$3" | grep '^BENCH' || true)
  if [ -z "$line" ]; then rows+=("| $1 \`$3\` | failed | |"); return; fi
  read -r _ requests rps p50 p99 errors timeouts <<<"$line"
  if [ "$name" = static ]; then static_rps=$rps; fi
  local ratio="static file not measured"
  if [ -n "$static_rps" ]; then
    ratio=$(awk -v a="$rps" -v b="$static_rps" 'BEGIN { printf "%.3f× static", (b > 0 ? a / b : 0) }')
  fi
  local moved=$(( $(page_counter) - counter_before ))
  rows+=("| $1 \`$3\` | **$(printf "%'.0f" "$rps") req/s** (${ratio}) | p50 ${p50} ms, p99 ${p99} ms; $requests requests, $errors errors ($timeouts timeouts); page counter moved $moved times |")
}

measure static "static file (the ceiling)" static /favicon.svg
measure postmortem "postmortem page (20 entries)" get "/incidents/$postmortem"
measure list "incident list" get /
measure dashboard "follow-up dashboard" get /follow-ups
measure changes "changes view" get /changes
measure metrics "metrics" get /metrics
measure search "search \"concurrency\"" get "/search?q=concurrency"
# The pages above are kept while nothing they show changes (server/src/kept_pages.rs), so a
# page read again is not rendered again; these two are rendered for every request.
measure postmortem-rendered "postmortem page, rendered each time" fresh "/incidents/$postmortem"
measure search-rendered "search \"concurrency\", rendered each time" fresh "/search?q=concurrency"
measure json "JSON read (server function get_postmortem)" json /api/incidents/postmortem
measure write "write: add a timeline entry (to one draft)" write /api/timeline/add

kill "$sampler" 2>/dev/null || true
sampler=""
peak_sampled_kb=$(sort -n "$work/rss" | tail -1)
after_kb=$(rss_kb)
hwm=$(hwm_kb)

say "Page weights and bundle sizes"
weight() { # path -> "raw B raw, gzip B gzip" (pages are gzipped on the fly, never brotli)
  local raw gz
  raw=$(curl -s -o /dev/null -w '%{size_download}' --max-time 120 -H "Cookie: $cookie" -H 'Accept-Encoding: identity' "$base$1")
  gz=$(curl -s -o /dev/null -w '%{size_download}' --max-time 120 -H "Cookie: $cookie" -H 'Accept-Encoding: gzip, br' "$base$1")
  printf "%'d B raw, %'d B gzip" "$raw" "$gz"
}
weights=()
for page in "postmortem page|/incidents/$postmortem" "incident list|/" "follow-up dashboard|/follow-ups" \
  "changes view|/changes" "metrics|/metrics" "search|/search?q=concurrency"; do
  weights+=("| weight: ${page%%|*} \`${page#*|}\` | $(weight "${page#*|}") | as sent by the server (pages are gzipped on the fly) |")
done
wasm=$(ls "$work"/site/pkg/*.wasm | head -1)
size() { if [ -f "$1" ]; then stat -c %s "$1"; else echo 0; fi; }
wasm_raw=$(size "$wasm")
wasm_gz=$(size "$wasm.gz")
wasm_br=$(size "$wasm.br")
if [ "$wasm_br" = 0 ]; then wasm_br=$(brotli -c -q 11 "$wasm" | wc -c); fi
if [ "$wasm_gz" = 0 ]; then wasm_gz=$(gzip -c -9 "$wasm" | wc -c); fi
js=$(ls "$work"/site/pkg/*.js | head -1)
css=$(ls "$work"/site/pkg/*.css | head -1)

mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git diff --quiet HEAD -- app server migrations Cargo.toml Cargo.lock 2>/dev/null; then commit="$commit (with uncommitted changes)"; fi
cores=$(nproc)
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)

report() {
  echo "# Benchmark results"
  echo
  echo "Measured by \`scripts/bench.sh --incidents $incidents --seconds $seconds --connections $connections\` on $(date -u '+%Y-%m-%d %H:%M UTC'),"
  echo "commit $commit, $cores cores ($cpu), release build, SQLite, loopback."
  echo "wrk (2 threads, $connections connections, ${seconds} s per endpoint) shares the cores with the server:"
  echo "compare endpoints within one run, by their ratio to the static file. Load average before the run"
  echo "(other work on the machine): $load_before."
  echo
  echo "| what | result | details |"
  echo "|---|---|---|"
  echo "| dataset | $seeded | seeded through the repositories in ${seed_seconds} s; database $(mb $((db_bytes / 1024))) |"
  echo "| start-up to the first served page | **${startup_ms} ms** | on the seeded database |"
  for row in "${rows[@]}"; do echo "$row"; done
  echo "| RSS at rest | **$(mb "$rest_kb")** | after start-up, log-in and one request to each page |"
  echo "| RSS peak | **$(mb "$peak_sampled_kb")** sampled under load; $(mb "$hwm") high-water mark | $(mb "$after_kb") after the run |"
  for row in "${weights[@]}"; do echo "$row"; done
  echo "| wasm bundle | **$(printf "%'d" "$wasm_raw") B raw, $(printf "%'d" "$wasm_gz") B gzip, $(printf "%'d" "$wasm_br") B brotli** | \`$(basename "$wasm")\`; JS $(printf "%'d" "$(size "$js")") B, CSS $(printf "%'d" "$(size "$css")") B raw |"
}

if [ -n "$only" ] && [ "$out_given" = 0 ]; then
  report
else
  mkdir -p "$(dirname "$out")"
  report | tee "$out"
  say "Written to $out"
fi
