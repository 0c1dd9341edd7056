# Sourced by scripts that need a `wrangler dev` of their own (schemathesis.sh,
# storefront-test.sh), started the way the e2e harness does it (tests/src/app.rs): one
# build, a fresh --persist-to state under target/, the migrations and the demo data, a free
# loopback port, ORDERBRIDGE_PREBUILT=1. Call from the repository root after sourcing
# .toolchain.env.
#
#   start_wrangler <state-dir> [wrangler dev options...]
#                                sets BASE and WRANGLER_PID; waits for /health. JET Connect's
#                                calls go to the Worker's own simulator unless
#                                JET_STATUS_BASE_URL names another receiver.
#   stop_wrangler                SIGINT to wrangler's own pid (as Ctrl-C), then SIGTERM
#
# Never a process-group kill: that would take the calling shell with it.

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_wrangler() {
  local state=$1
  shift
  rm -rf "$state"
  mkdir -p "$state"
  bash scripts/build-worker.sh --simulator
  local port
  port=$(free_port)
  BASE="http://127.0.0.1:$port"
  node scripts/demo-sql.mjs > "$state/demo-data.sql"
  wrangler d1 migrations apply DB --local --env dev --persist-to "$state" > "$state/setup.log" 2>&1
  wrangler d1 execute DB --local --env dev --persist-to "$state" --file "$state/demo-data.sql" \
    >> "$state/setup.log" 2>&1
  ORDERBRIDGE_PREBUILT=1 wrangler dev --env dev --ip 127.0.0.1 --port "$port" \
    --inspector-port "$(free_port)" --show-interactive-dev-session=false \
    --persist-to "$state" --var "JET_STATUS_BASE_URL:${JET_STATUS_BASE_URL:-$BASE/sim/jet}" "$@" \
    < /dev/null > "$state/wrangler.log" 2>&1 &
  WRANGLER_PID=$!
  WRANGLER_LOG="$state/wrangler.log"
  trap stop_wrangler EXIT
  for _ in $(seq 1 480); do
    if curl -fsS -o /dev/null "$BASE/health" 2> /dev/null; then return 0; fi
    if ! kill -0 "$WRANGLER_PID" 2> /dev/null; then
      echo "wrangler dev exited:" >&2; cat "$WRANGLER_LOG" >&2; return 1
    fi
    sleep 0.25
  done
  echo "wrangler dev did not become healthy in 120 s:" >&2; cat "$WRANGLER_LOG" >&2
  return 1
}

stop_wrangler() {
  [ -n "${WRANGLER_PID:-}" ] || return 0
  kill -INT "$WRANGLER_PID" 2> /dev/null || return 0
  for _ in $(seq 1 100); do
    kill -0 "$WRANGLER_PID" 2> /dev/null || return 0
    sleep 0.1
  done
  echo "wrangler did not stop on SIGINT; sending SIGTERM" >&2
  kill -TERM "$WRANGLER_PID" 2> /dev/null || true
}
