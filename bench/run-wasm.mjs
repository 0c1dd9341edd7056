// Times the issue-8 workloads compiled to wasm32 (bench/src/lib.rs) under Node.js, the V8
// engine workerd also uses, against the JSON.parse baseline of the same bytes. The baseline
// is timed first, in a process of its own (bench/json-parse.mjs): sharing this process with
// the wasm heap and every workload's garbage slowed JSON.parse and flattered the ratios.
// Every figure is the median over the batches (bench/timing.mjs).
//
//   node bench/run-wasm.mjs <wasm-bindgen nodejs output dir> <workloads dir> [out.json]
//
// Prints a table and writes the medians (ns per iteration; per point for zone lookups).

import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BATCHES, BATCH_MS, timeTogether } from "./timing.mjs";

const [pkgDir, workDir, outFile] = process.argv.slice(2);
if (!pkgDir || !workDir) {
  console.error("usage: node bench/run-wasm.mjs <pkg dir> <workloads dir> [out.json]");
  process.exit(2);
}
// Before any wasm exists in this process: the baseline's own process.
const here = dirname(fileURLToPath(import.meta.url));
const baseline = JSON.parse(
  execFileSync(process.execPath, [join(here, "json-parse.mjs"), workDir], { encoding: "utf8", maxBuffer: 1 << 20 }),
);
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

let sink = 0;
const rust = (c, size) => (n) => {
  sink += wasm.run(c, size, n);
};

const results = [];
/// The cases of one file, each against the file's JSON.parse time from the baseline process.
function record(workload, size, file, timed) {
  const bytes = files[file].length;
  const base = baseline[file];
  for (const [name, ns] of Object.entries(timed)) {
    results.push({ workload, size, bytes, case: name, ns, json_parse_ns: base, ratio_to_json_parse: ns / base });
  }
  results.push({ workload, size, bytes, case: "JSON.parse (own process)", ns: base, json_parse_ns: base, ratio_to_json_parse: 1 });
}

for (const n of sizes("order")) {
  record("order", n, `order-${n}.json`, timeTogether({
    parse: rust("order-parse", n),
    "parse+validate": rust("order-validate", n),
  }));
}
// Issue 21: a site order routed by coordinates among 50 zones, as the Worker runs it warm.
for (const n of sizes("order-coords")) {
  record("order-coords", n, `order-coords-${n}.json`, timeTogether({
    parse: rust("order-coords-parse", n),
    "parse+route+validate": rust("order-coords", n),
  }));
}
for (const [workload, prefix] of [["jet-order", "jet-order"], ["connect-order", "connect-order"]]) {
  for (const n of sizes(prefix)) {
    record(workload, n, `${prefix}-${n}.json`, timeTogether({
      parse: rust(`${prefix}-parse`, n),
      "parse+check+translate": rust(`${prefix}-translate`, n),
    }));
  }
}
for (const n of sizes("menu")) {
  record("menu", n, `menu-${n}.json`, timeTogether({
    parse: rust("menu-parse", n),
    "parse+validate+convert": rust("menu-ingest", n),
    "whole-request": rust("menu-stored", n), // MenuIngest, as the Worker: parse … stored texts
  }));
}
for (const n of sizes("zones")) {
  record("zones", n, `zones-${n}.json`, timeTogether({
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
