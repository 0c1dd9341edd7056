#!/usr/bin/env bash
# schemathesis against a `wrangler dev` of its own: every operation of openapi/openapi.json,
# a bounded number of generated requests each (valid and invalid), on loopback only. Fails
# on any 5xx (`not_a_server_error`) and on any documented response whose body does not match
# its schema (`response_schema_conformance`).
#
# Like the e2e harness (tests/src/app.rs): one build, then a fresh D1 state under target/
# with the migrations and the demo data, a free port, ORDERBRIDGE_PREBUILT=1.
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

bash scripts/build-worker.sh

STATE="target/schemathesis/state-$$"
rm -rf target/schemathesis
mkdir -p "$STATE" build
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"

node scripts/demo-sql.mjs > "$STATE/demo-data.sql"
wrangler d1 migrations apply DB --local --env dev --persist-to "$STATE" > "$STATE/setup.log" 2>&1
wrangler d1 execute DB --local --env dev --persist-to "$STATE" --file "$STATE/demo-data.sql" >> "$STATE/setup.log" 2>&1

ORDERBRIDGE_PREBUILT=1 wrangler dev --env dev --ip 127.0.0.1 --port "$PORT" \
  --inspector-port "$(free_port)" --show-interactive-dev-session=false \
  --persist-to "$STATE" --var "JET_STATUS_BASE_URL:$BASE/sim/jet" \
  < /dev/null > "$STATE/wrangler.log" 2>&1 &
WRANGLER_PID=$!

# SIGINT to wrangler's own pid, as Ctrl-C would: it then stops the workerd it started.
# Never a process-group kill, which would take the calling shell with it.
stop_wrangler() {
  kill -INT "$WRANGLER_PID" 2> /dev/null || return 0
  for _ in $(seq 1 100); do
    kill -0 "$WRANGLER_PID" 2> /dev/null || return 0
    sleep 0.1
  done
  echo "schemathesis: wrangler did not stop on SIGINT; sending SIGTERM" >&2
  kill -TERM "$WRANGLER_PID" 2> /dev/null || true
}
trap stop_wrangler EXIT

for _ in $(seq 1 480); do
  if curl -fsS -o /dev/null "$BASE/health" 2> /dev/null; then break; fi
  if ! kill -0 "$WRANGLER_PID" 2> /dev/null; then
    echo "schemathesis: wrangler dev exited:" >&2; cat "$STATE/wrangler.log" >&2; exit 1
  fi
  sleep 0.25
done
curl -fsS -o /dev/null "$BASE/health" || { cat "$STATE/wrangler.log" >&2; exit 1; }

# The development keys, from the committed example (never the real secrets).
key() { sed -n "s/^$1=//p" .dev.vars.example; }

ROOT=$PWD
set +e
# Run from build/ so that schemathesis' cache (.schemathesis/: earlier failures, replayed
# first) stays out of the work tree.
mkdir -p build/schemathesis
(cd build/schemathesis && "$ROOT/$VENV/bin/schemathesis" run "$ROOT/openapi/openapi.json" \
  --url "$BASE" \
  --checks not_a_server_error,response_schema_conformance \
  --phases examples,coverage,fuzzing \
  --max-examples "${SCHEMATHESIS_EXAMPLES:-20}" \
  --seed "${SCHEMATHESIS_SEED:-20261125}" \
  --workers 2 \
  --request-timeout 30 \
  --header "X-Flyt-Api-Key: $(key OPERATOR_API_KEY)" \
  --header "X-Jup-Api-Key: $(key SITE_API_KEY)" \
  --report junit --report-dir "$ROOT/build/schemathesis-report" \
  --warnings off \
  "$@")
status=$?
set -e
if [ "$status" -ne 0 ]; then
  echo "schemathesis: failed (wrangler's log: $STATE/wrangler.log)" >&2
fi
exit "$status"
