#!/usr/bin/env bash
# `make bench-scale` (issue 21): does the hub stay flat as the chain grows? For each chain
# size — the small case (BENCH_SCALE_SMALL, default 10 restaurants and 10,000 orders) and a
# national chain (BENCH_SCALE_LARGE, default 1,000 restaurants and 1,000,000 orders), 50
# zones and one 500-item menu per restaurant — a fresh `wrangler dev` (the dev env: local D1,
# KV, Queues; rows read are reported in development only) is loaded and measured by
# scripts/bench-scale.mjs; then build/bench/scale.md compares them: p50/p99 and D1 rows read
# per request, and the large case's ratio to the small one (the goal: ≤ 1.5×).
#
#   make bench-scale
#   BENCH_SCALE_LARGE="100 100000" make bench-scale     # a smaller "large" case
#   BENCH_SCALE_SAMPLES=100 make bench-scale            # requests per kind (default 200)
#
# About 25 minutes on a 2-core machine with the defaults, most of it loading the large case.
# Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
. ./.toolchain.env
. scripts/wrangler-instance.sh

out=build/bench
mkdir -p "$out"
read -r small_r small_o <<< "${BENCH_SCALE_SMALL:-10 10000}"
read -r large_r large_o <<< "${BENCH_SCALE_LARGE:-1000 1000000}"

bash scripts/build-worker.sh --simulator
export ORDERBRIDGE_PREBUILT=1
results=()
for case in "$small_r $small_o" "$large_r $large_o"; do
  read -r restaurants orders <<< "$case"
  state="target/bench-scale/$restaurants"
  echo "bench-scale: $restaurants restaurants, $orders orders ($(date -u +%H:%M:%S) UTC)" >&2
  start_wrangler "$state" --test-scheduled
  results+=("$(node scripts/bench-scale.mjs "$BASE" "$state" "$restaurants" "$orders" "$WRANGLER_LOG")")
  stop_wrangler
  WRANGLER_PID=""
  du -sh "$state" >&2
done

printf '%s\n' "${results[@]}" > "$out/scale.json"
node - "$out/scale.json" > "$out/scale.md" <<'JS'
const [small, large] = require("fs").readFileSync(process.argv[2], "utf8").trim().split("\n").map(JSON.parse);
const head = (c) => `${c.restaurants} restaurants, ${c.zones} zones, ${c.orders} orders, ${c.outbox} outbox rows (loaded in ${c.load_s.toFixed(0)} s)`;
console.log(`# make bench-scale, ${new Date().toISOString().slice(0, 16)} UTC\n`);
console.log(`small: ${head(small)}  \nlarge: ${head(large)}\n`);
console.log("| request | n small, large | p50 ms small → large | p99 ms small → large | rows read p50 (max) small → large | p50 ratio | rows ratio |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
for (const [kind, s] of Object.entries(small.kinds)) {
  const l = large.kinds[kind];
  const ratio = (a, b) => (b === 0 ? (a === 0 ? "1.00" : "∞") : (a / b).toFixed(2));
  console.log(`| ${kind} | ${s.n}, ${l.n} | ${s.p50_ms} → ${l.p50_ms} | ${s.p99_ms} → ${l.p99_ms} | ${s.rows_p50} (${s.rows_max}) → ${l.rows_p50} (${l.rows_max}) | ${ratio(l.p50_ms, s.p50_ms)}× | ${ratio(l.rows_p50, s.rows_p50)}× |`);
}
JS
cat "$out/scale.md"
