#!/usr/bin/env bash
# `make bench-burst` (issue 22, point 5): a dinner rush against `wrangler dev` on loopback.
# 2,000 site orders and 500 JET Connect orders at 16 connections (BURST_SITE_ORDERS,
# BURST_JET_ORDERS, BURST_CONNECTIONS), then how long until every status callback and every
# JET outcome call arrived at a local sink (scripts/bench-burst.mjs). Writes
# build/bench/burst.md and the JSON report beside the state.
#
# wrangler dev is started as the e2e harness starts it (scripts/wrangler-instance.sh), with
# JET_STATUS_BASE_URL pointed at the sink, --log-level warn (BENCH_BURST_LOG_LEVEL) so
# Miniflare's per-request log does not share the cores, and --test-scheduled so the
# generator can fire the minute sweep.
set -euo pipefail
cd "$(dirname "$0")/.."
. ./.toolchain.env
export RUSTUP_TOOLCHAIN="$WASM_TOOLCHAIN"
. scripts/wrangler-instance.sh

mkdir -p build/bench
state=build/bench/burst-state
sink_port=$(free_port)
JET_STATUS_BASE_URL="http://127.0.0.1:$sink_port/jet" start_wrangler "$state" \
  --log-level "${BENCH_BURST_LOG_LEVEL:-warn}" --test-scheduled

echo "== load before: $(uptime)"
node scripts/bench-burst.mjs "$BASE" "$sink_port" "$state"
echo "== load after: $(uptime)"
