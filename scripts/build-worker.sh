#!/usr/bin/env bash
# wrangler's [build] command: builds the Worker with worker-build (tools from .toolchain.env).
# The end-to-end harness builds once and then starts several `wrangler dev` instances with
# ORDERBRIDGE_PREBUILT=1, so they neither rebuild nor race on edge/build.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${ORDERBRIDGE_PREBUILT:-}" = 1 ] && [ -f edge/build/index.js ]; then
  exit 0
fi
[ -f .toolchain.env ] || { echo "build-worker: run 'make setup' first" >&2; exit 1; }
. ./.toolchain.env
cd edge
RUSTUP_TOOLCHAIN=$WASM_TOOLCHAIN worker-build --release
