// Merges the native criterion medians (target/criterion/<group>/<case>/<size>/new/
// estimates.json) with the wasm run's medians (bench/run-wasm.mjs's JSON) into one
// Markdown table: native, wasm, wasm/native, and each as a multiple of JSON.parse of the
// same bytes (measured in the wasm run's process) and of serde's typed parse.
//
//   node bench/report.mjs <criterion dir> <wasm results json>

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [criterionDir, wasmFile] = process.argv.slice(2);
const wasm = JSON.parse(readFileSync(wasmFile, "utf8"));

/// criterion's median, ns (its ids: group/function/size; `+` is kept in directory names).
function native({ workload, case: kase, size, points }) {
  const name = kase.replace(" (per point)", "");
  const file = join(criterionDir, workload, name, String(size), "new", "estimates.json");
  if (!existsSync(file)) return null;
  const ns = JSON.parse(readFileSync(file, "utf8")).median.point_estimate;
  // Zone lookups are timed over a whole points file per iteration.
  return kase.endsWith("(per point)") ? ns / points : ns;
}

const fmt = (ns) =>
  ns == null ? "" : ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`;
const x = (v) => (v == null || !isFinite(v) ? "" : `${v.toFixed(2)}×`);

console.log(`wasm: Node.js ${wasm.node}, median of ${wasm.batches} batches; native: criterion median`);
console.log("");
console.log("| workload | size | bytes | case | native | wasm | wasm/native | wasm ÷ JSON.parse | wasm ÷ wasm parse |");
console.log("|---|---:|---:|---|---:|---:|---:|---:|---:|");
for (const r of wasm.results) {
  const parse = wasm.results.find((p) => p.workload === r.workload && p.size === r.size && p.case === "parse");
  const n = r.case.startsWith("JSON.parse") ? null : native(r);
  const perParse = parse && r.json_parse_ns != null && !r.case.startsWith("JSON.parse") ? r.ns / parse.ns : null;
  console.log(
    `| ${r.workload} | ${r.size} | ${r.bytes ?? ""} | ${r.case} | ${fmt(n)} | ${fmt(r.ns)} | ${n ? x(r.ns / n) : ""} | ${x(r.ratio_to_json_parse)} | ${x(perParse)} |`,
  );
}
