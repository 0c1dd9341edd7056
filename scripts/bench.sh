#!/usr/bin/env bash
# `make bench`: the issue-8 hot paths, natively (criterion) and as wasm32 under Node.js
# (with the JSON.parse baseline of the same bytes), merged into build/bench/report.md.
#
#   scripts/bench.sh [WORKLOADS dir]
#
# Without a directory the generated workloads are written to build/bench/workloads first;
# with one, its files (names as in issue 8) are measured instead. Run from the repository
# root after `make setup` (the Makefile does both). Bounded: a few minutes on 2 cores.
set -euo pipefail
. ./.toolchain.env

out=build/bench
mkdir -p "$out"
workloads="${1:-}"
if [[ -z "$workloads" ]]; then
  workloads="$out/workloads"
  cargo run --quiet --release -p orderbridge-bench --bin gen-workloads "$workloads"
fi
workloads="$(cd "$workloads" && pwd)"

echo "== load: $(uptime)" | tee "$out/load.txt"

# Native: criterion, on the same files. --noplot: no gnuplot/plotters needed.
rm -rf target/criterion
ORDERBRIDGE_WORKLOADS="$workloads" cargo bench -p orderbridge-core --bench hot_paths -- \
  --noplot --warm-up-time 1 --measurement-time "${BENCH_SECONDS:-3}" 2>&1 | tee "$out/native.log"

# wasm32: the release profile the Worker ships with, bindings for Node.js.
RUSTUP_TOOLCHAIN="$WASM_TOOLCHAIN" cargo build --quiet --target wasm32-unknown-unknown --release -p orderbridge-bench
"$WASM_BINDGEN_BIN" --target nodejs --out-dir "$out/wasm" target/wasm32-unknown-unknown/release/orderbridge_bench.wasm
node bench/run-wasm.mjs "$out/wasm" "$workloads" "$out/wasm.json" | tee "$out/wasm.md"

echo "== load: $(uptime)" | tee -a "$out/load.txt"
node bench/report.mjs target/criterion "$out/wasm.json" | tee "$out/report.md"
echo "report: $out/report.md"
