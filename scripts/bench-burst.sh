#!/usr/bin/env bash
# `make bench-burst` (issue 22, point 5): a dinner rush against `wrangler dev` on loopback.
# 2,000 site orders and 500 JET Connect orders at 16 connections (BURST_SITE_ORDERS,
# BURST_JET_ORDERS, BURST_CONNECTIONS), then how long until every status callback and every
# JET outcome call arrived at a local sink (scripts/bench-burst.mjs). Writes
# build/bench/burst.md and the JSON report beside the state.
#
# wrangler dev is started as bench-load starts it (fresh state, demo catalog, the Worker
# built once, --log-level warn so Miniflare's per-request log does not share the cores),
# with JET_STATUS_BASE_URL pointed at the sink.
set -euo pipefail
cd "$(dirname "$0")/.."
. ./.toolchain.env

out=build/bench
port="${BENCH_BURST_PORT:-8807}"
sink_port="${BENCH_BURST_SINK_PORT:-8809}"
mkdir -p "$out"

bash scripts/build-worker.sh

state="$out/burst-state"
rm -rf "$state"
mkdir -p "$state"
export RUSTUP_TOOLCHAIN="$WASM_TOOLCHAIN"
wrangler d1 migrations apply DB --local --env dev --persist-to "$state" > "$state/setup.log" 2>&1
node scripts/demo-sql.mjs > "$state/demo-data.sql"
wrangler d1 execute DB --local --env dev --persist-to "$state" --file "$state/demo-data.sql" >> "$state/setup.log" 2>&1

ORDERBRIDGE_PREBUILT=1 wrangler dev --env dev --ip 127.0.0.1 --port "$port" \
  --inspector-port "$((port + 1))" --show-interactive-dev-session=false \
  --log-level "${BENCH_BURST_LOG_LEVEL:-warn}" --test-scheduled \
  --var "JET_STATUS_BASE_URL:http://127.0.0.1:$sink_port/jet" \
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

echo "== load before: $(uptime)"
node scripts/bench-burst.mjs "$base" "$sink_port" "$state"
echo "== load after: $(uptime)"
