// Times the issue-8 workloads compiled to wasm32 (bench/src/lib.rs) under Node.js, the V8
// engine workerd also uses, together with the JSON.parse baseline of the same bytes in the
// same process. Batches of each case and of its JSON.parse baseline alternate, so both see
// the same machine load; every figure is the median over the batches.
//
//   node bench/run-wasm.mjs <wasm-bindgen nodejs output dir> <workloads dir> [out.json]
//
// Prints a table and writes the medians (ns per iteration; per point for zone lookups).

import { createRequire } from "node:module";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";

const [pkgDir, workDir, outFile] = process.argv.slice(2);
if (!pkgDir || !workDir) {
  console.error("usage: node bench/run-wasm.mjs <pkg dir> <workloads dir> [out.json]");
  process.exit(2);
}
const require = createRequire(import.meta.url);
const wasm = require(resolve(pkgDir, "orderbridge_bench.js"));

const files = {};
for (const name of readdirSync(workDir).filter((n) => n.endsWith(".json")).sort()) {
  files[name] = readFileSync(join(workDir, name));
  wasm.load(name, files[name]);
}
const problems = wasm.prepare();
if (problems) {
  console.error(`zone answers differ from the points files: ${problems}`);
  process.exit(1);
}
const sizes = (prefix) =>
  Object.keys(files)
    .map((n) => n.match(new RegExp(`^${prefix}-(\\d+)\\.json$`)))
    .filter(Boolean)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);

// Time budget per batch and batches per case: enough for stable medians, bounded runs.
const BATCH_MS = Number(process.env.BENCH_BATCH_MS ?? 40);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 15);

/// Iterations so that one batch takes about BATCH_MS (after a warm-up call).
function calibrate(fn) {
  fn(1);
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    fn(n);
    const ms = performance.now() - t0;
    if (ms >= BATCH_MS / 4 || n >= 1 << 24) return Math.max(1, Math.round((n * BATCH_MS) / Math.max(ms, 0.001)));
    n *= 4;
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/// Times several named functions (fn(iterations)) in alternating batches; returns
/// name → median ns per iteration (divided by `per`).
function timeTogether(cases, per = 1) {
  const plan = Object.entries(cases).map(([name, fn]) => ({ name, fn, n: calibrate(fn), ns: [] }));
  for (let b = 0; b < BATCHES; b++) {
    for (const c of plan) {
      const t0 = performance.now();
      c.fn(c.n);
      c.ns.push(((performance.now() - t0) * 1e6) / c.n / per);
    }
  }
  return Object.fromEntries(plan.map((c) => [c.name, median(c.ns)]));
}

let sink = 0;
const jsonParse = (text) => (n) => {
  for (let i = 0; i < n; i++) sink += JSON.parse(text) ? 1 : 0;
};
const rust = (c, size) => (n) => {
  sink += wasm.run(c, size, n);
};

const results = [];
function record(workload, size, bytes, timed, baseline = "JSON.parse") {
  for (const [name, ns] of Object.entries(timed)) {
    if (name === baseline) continue;
    results.push({ workload, size, bytes, case: name, ns, json_parse_ns: timed[baseline], ratio_to_json_parse: ns / timed[baseline] });
  }
  results.push({ workload, size, bytes, case: baseline, ns: timed[baseline], json_parse_ns: timed[baseline], ratio_to_json_parse: 1 });
}

for (const n of sizes("order")) {
  const bytes = files[`order-${n}.json`];
  const text = bytes.toString("utf8");
  record("order", n, bytes.length, timeTogether({
    "JSON.parse": jsonParse(text),
    parse: rust("order-parse", n),
    "parse+validate": rust("order-validate", n),
  }));
}
for (const n of sizes("menu")) {
  const bytes = files[`menu-${n}.json`];
  const text = bytes.toString("utf8");
  record("menu", n, bytes.length, timeTogether({
    "JSON.parse": jsonParse(text),
    parse: rust("menu-parse", n),
    "parse+validate+convert": rust("menu-ingest", n),
    "parse+validate+convert+serialise": rust("menu-stored", n),
  }));
}
for (const n of sizes("zones")) {
  const bytes = files[`zones-${n}.json`];
  const text = bytes.toString("utf8");
  record("zones", n, bytes.length, timeTogether({
    "JSON.parse": jsonParse(text),
    parse: rust("zones-parse", n),
    "parse+validate+index": rust("zones-load", n),
  }));
  const per = wasm.points_per_iteration(n);
  if (per > 0) {
    const lookups = timeTogether({ "resolve-indexed": rust("zones-resolve", n), "resolve-scan": rust("zones-scan", n) }, per);
    for (const [name, ns] of Object.entries(lookups)) {
      results.push({ workload: "zones", size: n, bytes: null, case: `${name} (per point)`, points: per, ns, json_parse_ns: null, ratio_to_json_parse: null });
    }
  }
}

const fmt = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
console.log(`wasm32 under Node.js ${process.version}: median of ${BATCHES} batches of ~${BATCH_MS} ms`);
console.log("| workload | size | bytes | case | wasm | × JSON.parse |");
console.log("|---|---:|---:|---|---:|---:|");
for (const r of results) {
  const ratio = r.ratio_to_json_parse == null ? "" : r.ratio_to_json_parse.toFixed(2);
  console.log(`| ${r.workload} | ${r.size} | ${r.bytes ?? ""} | ${r.case} | ${fmt(r.ns)} | ${ratio} |`);
}
if (outFile) writeFileSync(outFile, JSON.stringify({ node: process.version, batches: BATCHES, batch_ms: BATCH_MS, results }, null, 1));
if (sink === 0.5) console.log(""); // keeps `sink` observable
