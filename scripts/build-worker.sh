#!/usr/bin/env bash
# wrangler's [build] command: builds the Worker with worker-build (tools from .toolchain.env).
# `--simulator` builds the development Worker ([env.dev.build], the e2e harness, the scripts
# that start a `wrangler dev`): with the edge's `simulator` feature, the Just Eat simulator
# under /sim. Without it (`wrangler deploy`), the simulator's code is not in the upload at all.
# The end-to-end harness builds once and then starts several `wrangler dev` instances with
# ORDERBRIDGE_PREBUILT=1, so they neither rebuild nor race on edge/build.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${ORDERBRIDGE_PREBUILT:-}" = 1 ] && [ -f edge/build/index.js ]; then
  exit 0
fi
[ -f .toolchain.env ] || { echo "build-worker: run 'make setup' first" >&2; exit 1; }
. ./.toolchain.env
features=()
if [ "${1:-}" = --simulator ]; then
  features=(-- --features simulator)
fi
cd edge
RUSTUP_TOOLCHAIN=$WASM_TOOLCHAIN worker-build --release "${features[@]}"

# The module's name sections ("function names", "data names") are about 240 KB, 62 KiB of the
# gzip upload (measured with `make bench-size`, 2026-11-25). They only name frames in a wasm
# stack trace; the hub logs the cause of every 500 itself, so production ships without them.
# The features are the ones the module uses (wasm-opt validates the module against them).
# ORDERBRIDGE_KEEP_NAMES=1 keeps them (scripts/bench-size.sh: twiggy needs them to say
# which function is which).
[ "${ORDERBRIDGE_KEEP_NAMES:-}" = 1 ] && exit 0
"$WASM_OPT_BIN" --strip-debug \
  --enable-reference-types --enable-bulk-memory --enable-mutable-globals \
  --enable-sign-ext --enable-nontrapping-float-to-int --enable-multivalue \
  -o build/index_bg.wasm build/index_bg.wasm
