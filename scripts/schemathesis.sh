#!/usr/bin/env bash
# schemathesis against a `wrangler dev` of its own: every operation of web/openapi.json,
# a bounded number of generated requests each (valid and invalid), on loopback only. Fails
# on any 5xx (`not_a_server_error`) and on any documented response whose body does not match
# its schema (`response_schema_conformance`).
#
# The Worker is started like the e2e harness does it (scripts/wrangler-instance.sh).
# Usage: bash scripts/schemathesis.sh [schemathesis run options, e.g. --include-path /health]
# (make test-schemathesis runs it without; after make setup).
# SCHEMATHESIS_EXAMPLES (default 20) and SCHEMATHESIS_SEED (default fixed, so that a failure
# reproduces) tune the run.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .toolchain.env ] || { echo "schemathesis: run 'make setup' first" >&2; exit 1; }
. ./.toolchain.env
export RUSTUP_TOOLCHAIN=$WASM_TOOLCHAIN

# Pinned: a new schemathesis generates other requests and may change its checks' rules;
# upgrading is a deliberate change that is then seen to pass.
VERSION=4.32.5
VENV=build/schemathesis-venv
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$VERSION"; then
  echo "schemathesis: installing $VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION"
fi

. scripts/wrangler-instance.sh
rm -rf target/schemathesis
start_wrangler "target/schemathesis/state-$$"

# The development keys, from the committed example (never the real secrets).
key() { sed -n "s/^$1=//p" .dev.vars.example; }

ROOT=$PWD
set +e
# One worker: with two, hypothesis describes strategies by calling ast.parse from two threads
# at once, which CPython 3.11.7 (the machine's python3) does not survive ("SystemError: AST
# constructor recursion depth mismatch", a Runtime Error that failed a CI run); the run is
# ~20 s either way.
# Run from build/ so that schemathesis' cache (.schemathesis/: earlier failures, replayed
# first) stays out of the work tree.
mkdir -p build/schemathesis
(cd build/schemathesis && "$ROOT/$VENV/bin/schemathesis" run "$ROOT/web/openapi.json" \
  --url "$BASE" \
  --checks not_a_server_error,response_schema_conformance \
  --phases examples,coverage,fuzzing \
  --max-examples "${SCHEMATHESIS_EXAMPLES:-20}" \
  --seed "${SCHEMATHESIS_SEED:-20261125}" \
  --workers 1 \
  --request-timeout 30 \
  --header "X-Flyt-Api-Key: $(key OPERATOR_API_KEY)" \
  --header "X-Jup-Api-Key: $(key SITE_API_KEY)" \
  --report junit --report-dir "$ROOT/build/schemathesis-report" \
  --warnings off \
  "$@")
status=$?
set -e
if [ "$status" -ne 0 ]; then
  echo "schemathesis: failed (wrangler's log: $WRANGLER_LOG)" >&2
fi
exit "$status"
