// Compares builds of the wasm benchmark module (bench/src/lib.rs) with each other: every
// module is loaded into this one process and the batches of a case alternate module by
// module, so all see the same machine load (the machine is shared). For each case and
// module it prints the minimum and the median ns per iteration over the batches, and the
// ratio to the first module. Used for the profile variants in BENCHMARKS.md ("Bundle size
// (2026-12-05)"); `make bench` (run-wasm.mjs) remains the report's harness.
//
//   CASES='[["order-validate",20],["menu-ingest",5000],["zones-load",500]]' \
//     B=25 MS=30 node bench/compare-modules.mjs <workloads dir> <pkg dir> <pkg dir> ...
//
// <pkg dir>: wasm-bindgen `--target nodejs` output of orderbridge-bench (as scripts/bench.sh
// writes to build/bench/wasm). B: batches (25), MS: the target length of one batch (30).
import { createRequire } from "node:module";
import { readdirSync, readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { performance } from "node:perf_hooks";

const require = createRequire(import.meta.url);
const [dir, ...pkgs] = process.argv.slice(2);
if (!dir || pkgs.length === 0 || !process.env.CASES) {
  console.error("usage: CASES='[[case, size], …]' node bench/compare-modules.mjs <workloads> <pkg>…");
  process.exit(2);
}
const BATCHES = Number(process.env.B ?? 25);
const MS = Number(process.env.MS ?? 30);
const mods = pkgs.map((p) => require(resolve(p, "orderbridge_bench.js")));
const files = readdirSync(dir).filter((n) => n.endsWith(".json"));
for (const m of mods) {
  for (const f of files) m.load(f, readFileSync(`${dir}/${f}`));
  const problems = m.prepare();
  if (problems) throw new Error(problems);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const fmt = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(1)} µs`);
for (const [c, n] of JSON.parse(process.env.CASES)) {
  // Iterations per batch, per module: about MS milliseconds (after a warm-up call).
  const iterations = mods.map((m) => {
    m.run(c, n, 1);
    for (let k = 1; ; k *= 4) {
      const t0 = performance.now();
      m.run(c, n, k);
      const ms = performance.now() - t0;
      if (ms > MS / 4) return Math.max(1, Math.round((k * MS) / ms));
    }
  });
  const times = mods.map(() => []);
  for (let b = 0; b < BATCHES; b++) {
    mods.forEach((m, i) => {
      const t0 = performance.now();
      m.run(c, n, iterations[i]);
      times[i].push(((performance.now() - t0) * 1e6) / iterations[i]);
    });
  }
  const mins = times.map((t) => Math.min(...t));
  const meds = times.map(median);
  for (const [i, p] of pkgs.entries()) {
    const name = basename(resolve(p, ".."));
    console.log(
      `${c} ${n} | ${name} | min ${fmt(mins[i])} (${(mins[i] / mins[0]).toFixed(2)}×) | median ${fmt(meds[i])} (${(meds[i] / meds[0]).toFixed(2)}×)`,
    );
  }
}
