#!/usr/bin/env bash
# The reference storefront in a real browser: Debian's chromium driven by playwright-core
# (tests/browser/storefront.mjs) against a `wrangler dev` of its own with the demo data.
# Then the operator console's test (tests/browser/console.mjs) on the same instance.
# Saves screenshots of the main states to build/storefront/ (SCREENSHOTS=docs refreshes the
# committed ones the README shows, so that an ordinary run leaves the work tree clean).
# Usage: bash scripts/storefront-test.sh   (make test-storefront; after make setup)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .toolchain.env ] || { echo "storefront-test: run 'make setup' first" >&2; exit 1; }
. ./.toolchain.env
export RUSTUP_TOOLCHAIN=$WASM_TOOLCHAIN

# Debian's chromium, installed once (playwright's own browser downloads are not used:
# they need a CDN this project cannot rely on). Only this test needs it, so `make dev` and
# `make setup` do not install it.
if ! command -v chromium > /dev/null; then
  echo "storefront-test: installing chromium (apt)"
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium > /dev/null
fi
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund

. scripts/wrangler-instance.sh
rm -rf target/storefront
STATE="target/storefront/state-$$"
start_wrangler "$STATE"
SHOTS=${SCREENSHOTS:-build/storefront}
mkdir -p "$SHOTS"
node tests/browser/storefront.mjs "$BASE" "$SHOTS"
# The operator console (web/console/) against the same instance; it seeds 10,000 orders
# into this instance's local D1 for its speed bar, so it runs last.
node tests/browser/console.mjs "$BASE" "$SHOTS" "$STATE"
