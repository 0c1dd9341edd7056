#!/usr/bin/env bash
# `make bench-load`: an HTTP load run against `wrangler dev` on loopback, with wrk (Debian's
# package, installed here when missing): GET /site-api/menu (500 items) and POST
# /site-api/order (20 lines, routed by coordinates among 50 zones of 480 vertices) at 1,
# 16 and 64 connections, each for BENCH_LOAD_SECONDS (10) seconds. Writes
# build/bench/load.md (requests/s, p50, p99, errors) and keeps wrk's raw output next to it.
#
# wrangler dev is started here as the end-to-end harness starts it (tests/src/app.rs): the
# Worker built once, migrations and the demo catalog applied to a fresh --persist-to state
# directory, ORDERBRIDGE_PREBUILT=1 so wrangler does not rebuild. It is stopped with SIGINT
# to wrangler's own pid (never a process-group kill: that would take this shell with it).
#
# BENCH_LOAD_LOG_LEVEL (default info, wrangler's own default) is passed to wrangler's
# --log-level. At info, Miniflare's entry worker posts a log line for every request to
# wrangler's Node.js process over loopback HTTP ("[wrangler:info] GET … 200 OK"); at warn it
# does not. That is development tooling, absent on Cloudflare, and it shares the 2 cores with
# the Worker, so BENCHMARKS.md reports both. BENCH_LOAD_ENDPOINTS (default "menu order")
# chooses the endpoints.
set -euo pipefail
cd "$(dirname "$0")/.."
. ./.toolchain.env

out=build/bench
seconds="${BENCH_LOAD_SECONDS:-10}"
port="${BENCH_LOAD_PORT:-8797}"
mkdir -p "$out"

if ! command -v wrk > /dev/null; then
  echo "bench-load: installing wrk (Debian)"
  if [ "$(id -u)" = 0 ]; then apt-get install -y wrk > /dev/null || { apt-get update > /dev/null && apt-get install -y wrk > /dev/null; }
  else sudo apt-get install -y wrk > /dev/null; fi
fi

bash scripts/build-worker.sh

state="$out/load-state"
rm -rf "$state"
mkdir -p "$state"
export RUSTUP_TOOLCHAIN="$WASM_TOOLCHAIN"
wrangler d1 migrations apply DB --local --env dev --persist-to "$state" > "$state/setup.log" 2>&1
node scripts/demo-sql.mjs > "$state/demo-data.sql"
wrangler d1 execute DB --local --env dev --persist-to "$state" --file "$state/demo-data.sql" >> "$state/setup.log" 2>&1

ORDERBRIDGE_PREBUILT=1 wrangler dev --env dev --ip 127.0.0.1 --port "$port" \
  --inspector-port "$((port + 1))" --show-interactive-dev-session=false \
  --log-level "${BENCH_LOAD_LOG_LEVEL:-info}" \
  --persist-to "$state" > "$state/wrangler.log" 2>&1 &
wrangler_pid=$!
stop() {
  kill -INT "$wrangler_pid" 2> /dev/null || true
  wait "$wrangler_pid" 2> /dev/null || true
}
trap stop EXIT

base="http://127.0.0.1:$port"
for _ in $(seq 1 240); do
  curl -sf "$base/health" > /dev/null 2>&1 && break
  kill -0 "$wrangler_pid" 2> /dev/null || { cat "$state/wrangler.log"; exit 1; }
  sleep 0.5
done
curl -sf "$base/health" > /dev/null

# An order the hub accepts now: the demo order without status_url (no outbound calls to
# skew the run), pre-ordered for tomorrow 13:00 in the restaurant's time (Moscow, open
# 09:00–23:00), so it is valid whatever the time of the run. Each request gets its own
# `number` (wrk's Lua below): a repeated number would only measure the replay path.
# A catalog-sized restaurant (scripts/bench-catalog.mjs): 50 zones of 480 vertices (24,000
# in all), a 500-item menu; the order has 20 lines and is routed by its coordinates.
node scripts/bench-catalog.mjs "$base" "$state/order.json" 480
probe=$(sed 's/@NUMBER@/LOAD-PROBE/' "$state/order.json" | curl -s -o /dev/null -w '%{http_code}' \
  -X POST "$base/site-api/order" -H 'Content-Type: application/json' --data-binary @-)
[ "$probe" = 200 ] || { echo "bench-load: the order is refused ($probe)"; exit 1; }

cat > "$state/order.lua" << 'LUA'
-- A distinct order number per request: thread id and a counter.
local template
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  local f = io.open(args[1], "r")
  template = f:read("*a")
  f:close()
end
function request()
  counter = counter + 1
  local body = template:gsub("@NUMBER@", "LOAD-" .. tid .. "-" .. counter .. "-" .. os.time())
  return wrk.format("POST", "/site-api/order", {["Content-Type"] = "application/json"}, body)
end
LUA

# Who spends the CPU: wrangler dev runs two workerd processes, its proxy (listening on
# $port) and the runtime that runs the Worker, under a Node.js process (cli.js). Their CPU
# time (utime + stime from /proc, in clock ticks) is read around every wrk run and reported
# per request, so the Worker's own share is measured, not guessed.
proxy_pid=$(pgrep -f -- "--socket-addr=entry=127.0.0.1:$port " | head -n1)
cli_pid=$(ps -o ppid= -p "$proxy_pid" | tr -d ' ')
runtime_pid=$(pgrep -P "$cli_pid" workerd | grep -vx "$proxy_pid" | head -n1)
hz=$(getconf CLK_TCK)
ticks() { # pid -> utime + stime
  awk '{print $14 + $15}' "/proc/$1/stat" 2> /dev/null || echo 0
}
snapshot() { echo "$(ticks "$runtime_pid") $(ticks "$proxy_pid") $(ticks "$cli_pid")"; }
per_request() { # before after requests -> "runtime µs | proxy µs | node µs"
  local -a b a
  read -r -a b <<< "$1"
  read -r -a a <<< "$2"
  awk -v r="$3" -v hz="$hz" -v b0="${b[0]}" -v b1="${b[1]}" -v b2="${b[2]}" \
    -v a0="${a[0]}" -v a1="${a[1]}" -v a2="${a[2]}" 'BEGIN {
      f = 1e6 / hz / (r > 0 ? r : 1)
      printf "%.0f | %.0f | %.0f", (a0 - b0) * f, (a1 - b1) * f, (a2 - b2) * f }'
}

menu="/site-api/menu?restaurant_id=S0000&concept_id=7"
curl -sf "$base$menu" > /dev/null # the first read fills the cache

{
  echo "| endpoint | connections | requests/s | p50 | p99 | requests | non-2xx / errors | CPU µs/request: Worker runtime | wrangler proxy | wrangler Node.js |"
  echo "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|"
} > "$out/load.md"
: > "$out/load-wrk.txt"
row() { # endpoint connections raw-output cpu-before cpu-after
  local rps p50 p99 total errs
  rps=$(awk '/^Requests\/sec/ {print $2}' <<< "$3")
  p50=$(awk '$1 == "50%" {print $2}' <<< "$3")
  p99=$(awk '$1 == "99%" {print $2}' <<< "$3")
  total=$(awk '/requests in/ {print $1}' <<< "$3")
  errs=$( (grep -E 'Non-2xx|Socket errors' <<< "$3" || echo none) | tr -s ' ' | paste -sd ';')
  echo "| $1 | $2 | $rps | $p50 | $p99 | $total | $errs | $(per_request "$4" "$5" "$total") |" >> "$out/load.md"
}
endpoints=" ${BENCH_LOAD_ENDPOINTS:-menu order} "
# One wrk run at $c connections ($t threads), its raw output kept and its row written with
# the CPU each wrangler process spent meanwhile. Arguments: the row's label, then wrk's own.
measure() {
  local label=$1 before after r
  shift
  before=$(snapshot)
  r=$(wrk -t"$t" -c"$c" -d"${seconds}s" --timeout 10s --latency "$@")
  after=$(snapshot)
  printf '\n== %s, %s connections\n%s\n' "$label" "$c" "$r" >> "$out/load-wrk.txt"
  row "$label" "$c" "$r" "$before" "$after"
}
echo "== wrangler --log-level ${BENCH_LOAD_LOG_LEVEL:-info}; load before: $(uptime)" | tee -a "$out/load-wrk.txt"
for c in 1 16 64; do
  t=${BENCH_LOAD_THREADS:-$((c < 2 ? 1 : 2))}
  if [[ "$endpoints" == *" floor "* ]]; then
    for path in / /site-api/none; do
      measure "GET $path" "$base$path"
    done
  fi
  if [[ "$endpoints" == *" menu "* ]]; then
    measure "GET /site-api/menu" "$base$menu"
  fi
  if [[ "$endpoints" == *" order "* ]]; then
    measure "POST /site-api/order" -s "$state/order.lua" "$base" -- "$state/order.json"
  fi
done
echo "== load after: $(uptime)" | tee -a "$out/load-wrk.txt"
cat "$out/load.md"
