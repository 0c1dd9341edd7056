#!/usr/bin/env bash
# `make bench-size`: the production upload's size as `wrangler deploy --dry-run` reports
# it (total and gzip), the wasm module's share, and what the module is made of: twiggy
# (crates.io; installed here when missing) attributes code and data to functions, which
# are summed per crate (the first path segment of the demangled name).
#
#   BENCH_OPT_LEVEL=3 scripts/bench-size.sh   # the same with another opt-level
#
# Writes build/bench/size[-<opt>].md. Offline, deterministic, about a minute per build.
set -euo pipefail
cd "$(dirname "$0")/.."
. ./.toolchain.env

suffix=""
if [ -n "${BENCH_OPT_LEVEL:-}" ]; then
  export CARGO_PROFILE_RELEASE_OPT_LEVEL="$BENCH_OPT_LEVEL"
  suffix="-o$BENCH_OPT_LEVEL"
fi
out=build/bench
dir="$out/dry-run$suffix"
mkdir -p "$out"
rm -rf "$dir"

if ! command -v twiggy > /dev/null; then
  # Why twiggy: it reads a wasm module's call graph and sizes (no runtime, no network).
  cargo install twiggy --version 0.8.0 --locked
fi

RUSTUP_TOOLCHAIN="$WASM_TOOLCHAIN" wrangler deploy --dry-run --outdir "$dir" > "$dir.log" 2>&1 || {
  cat "$dir.log"
  exit 1
}
total=$(grep -a 'Total Upload:' "$dir.log" | tail -n 1 | sed 's/.*Total Upload: //')
wasm=$(find "$dir" -name '*.wasm' | head -n 1)
wasm_bytes=$(wc -c < "$wasm")
wasm_gzip=$(gzip -9 -c "$wasm" | wc -c)

# The upload ships without the name sections (build-worker.sh strips them), so twiggy reads
# the same module built with its names kept; then the production build is restored.
ORDERBRIDGE_KEEP_NAMES=1 bash scripts/build-worker.sh > "$dir-named.log" 2>&1
cp edge/build/index_bg.wasm "$dir/named.wasm"
bash scripts/build-worker.sh >> "$dir-named.log" 2>&1
named="$dir/named.wasm"

{
  echo "opt-level: ${BENCH_OPT_LEVEL:-as in Cargo.toml}"
  echo
  echo "wrangler deploy --dry-run: Total Upload: $total"
  echo
  echo "wasm module: $wasm_bytes bytes, $wasm_gzip bytes gzip -9 (as uploaded: no name sections;"
  echo "twiggy below reads the same module with them, $(wc -c < "$named") bytes)"
  echo
  echo "by crate (twiggy; sizes before gzip; LTO inlines callees into their callers, so a"
  echo "crate's code can be counted under the function it was inlined into):"
  echo
  echo "| crate | bytes | share |"
  echo "|---|---:|---:|"
  twiggy top -n 1000000 --format csv "$named" | node -e '
    const rows = require("fs").readFileSync(0, "utf8").trim().split("\n").slice(1);
    const by = new Map();
    let all = 0;
    for (const line of rows) {
      // CSV: Name,ShallowSize,ShallowSizePercent (names may contain commas: quoted)
      const m = line.match(/^(?:"((?:[^"]|"")*)"|([^,]*)),(\d+),/);
      if (!m) continue;
      const name = (m[1] ?? m[2]).replace(/""/g, "\"");
      const size = Number(m[3]);
      all += size;
      let crate = "(other: data, tables, glue)";
      const path = name.replace(/^<+/, "").replace(/^&(mut )?/, "");
      const c = path.match(/^([A-Za-z_][A-Za-z0-9_]*)::/);
      if (c) crate = c[1];
      else if (/^data\[/.test(name)) crate = "(data segments: strings, tables)";
      else if (/^(code|elem|type|import|export|table|memory|global)/.test(name)) crate = "(wasm sections)";
      by.set(crate, (by.get(crate) ?? 0) + size);
    }
    const top = [...by].sort((a, b) => b[1] - a[1]).slice(0, 20);
    for (const [crate, size] of top) console.log(`| ${crate} | ${size} | ${(100 * size / all).toFixed(1)}% |`);
    console.log(`| total (twiggy) | ${all} | 100% |`);
  '
  echo
  echo "largest items (twiggy top -n 15):"
  echo
  echo '```'
  twiggy top -n 15 "$named"
  echo '```'
} > "$out/size$suffix.md"
cat "$out/size$suffix.md"
