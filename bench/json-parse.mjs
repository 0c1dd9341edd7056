// The JSON.parse baseline of the workloads, in a process of its own (issue 21): run from
// run-wasm.mjs before any wasm is instantiated, so V8's heap holds no wasm memory and no
// other workload's garbage when JSON.parse is timed. Same batching and medians as the
// wasm cases (bench/timing.mjs).
//
//   node bench/json-parse.mjs <workloads dir>   → JSON {file name: median ns per parse}

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { timeTogether } from "./timing.mjs";

const [workDir] = process.argv.slice(2);
let sink = 0;
const out = {};
for (const name of readdirSync(workDir).filter((n) => n.endsWith(".json")).sort()) {
  if (name.startsWith("points-")) continue;
  const text = readFileSync(join(workDir, name)).toString("utf8");
  const { parse } = timeTogether({
    parse: (n) => {
      for (let i = 0; i < n; i++) sink += JSON.parse(text) ? 1 : 0;
    },
  });
  out[name] = parse;
}
process.stdout.write(JSON.stringify(out));
if (sink === 0.5) process.stderr.write(""); // keeps `sink` observable
