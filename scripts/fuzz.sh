#!/usr/bin/env bash
# `make fuzz`: runs every cargo-fuzz target in fuzz/ (or the ones named) for FUZZ_SECS
# seconds each, one after the other, one process each. Installs what it needs and skips
# what is there: the nightly toolchain (rustup) and cargo-fuzz (crates.io). Not part of
# `make setup` or `make test`: CI never needs nightly.
#
# Each target starts from its committed seeds (fuzz/seeds/<target>, written from the
# fixtures by scripts/fuzz-seeds.py) and its dictionary (fuzz/dicts/<target>.dict), and
# grows its own corpus in fuzz/corpus/<target> (git-ignored). A crash (a panic, which is
# also every broken contract assertion) is written to fuzz/artifacts/<target>/; minimise
# it with `cargo +nightly fuzz tmin -s none -a <target> <file>`. Logs and a summary line
# per target go to build/fuzz/.
#
#   FUZZ_SECS=600 bash scripts/fuzz.sh [target...]
#   FUZZ_ARGS="-jobs=1 -workers=1" adds libFuzzer flags.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.2
CARGO_BIN=${CARGO_HOME:-$HOME/.cargo}/bin
FUZZ_SECS=${FUZZ_SECS:-600}
FUZZ_ARGS=${FUZZ_ARGS:-}
# No sanitizer: core has no `unsafe`, so AddressSanitizer would only slow the search; debug
# assertions (-a) turn integer overflow into a crash instead of a silent wrap.
BUILD_FLAGS=(--sanitizer none --debug-assertions)

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz: installing the nightly toolchain (cargo-fuzz needs it)"
  rustup toolchain install nightly --profile minimal
fi
if ! "$CARGO_BIN/cargo-fuzz" --version 2>/dev/null | grep -qw "$CARGO_FUZZ_VERSION"; then
  echo "fuzz: installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install -q cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --force
fi
FUZZ=(cargo +nightly fuzz)

mkdir -p build/fuzz
"${FUZZ[@]}" build "${BUILD_FLAGS[@]}"
if [ $# -gt 0 ]; then targets=("$@"); else mapfile -t targets < <("${FUZZ[@]}" list); fi

failed=()
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  log="build/fuzz/$target.log"
  started=$(date -u +%Y-%m-%dT%H:%MZ)
  status=ok
  # shellcheck disable=SC2086  # FUZZ_ARGS is a list of flags
  "${FUZZ[@]}" run "${BUILD_FLAGS[@]}" "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
    -max_total_time="$FUZZ_SECS" -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
    -dict="fuzz/dicts/$target.dict" -artifact_prefix="fuzz/artifacts/$target/" \
    $FUZZ_ARGS >"$log" 2>&1 || status=CRASH
  stat() { awk -v k="stat::$1:" '$1 == k {print $2}' "$log" | tail -1; }
  units=$(find "fuzz/corpus/$target" -type f | wc -l)
  line=$(printf '%s %-20s %5ss %12s execs %8s exec/s corpus %5s  %s' "$started" "$target" \
    "$FUZZ_SECS" "$(stat number_of_executed_units)" "$(stat average_exec_per_sec)" "$units" "$status")
  echo "$line" | tee -a build/fuzz/summary.txt
  if [ "$status" != ok ]; then
    failed+=("$target")
    grep -m1 -A3 "panicked at\|ERROR: libFuzzer" "$log" || true
    ls -t "fuzz/artifacts/$target" | head -1 | sed "s|^|  artifact: fuzz/artifacts/$target/|"
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]} (logs in build/fuzz/)" >&2
  exit 1
fi
