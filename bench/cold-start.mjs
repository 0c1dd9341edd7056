// Cold start (issue 21): what a fresh Worker costs before it answers, in workerd itself
// (Miniflare, as `wrangler dev` runs it): the time from loading the script to the answer
// of its first request — the module compiled and instantiated, the wasm-bindgen start
// function run, the request routed — and the first request's own latency, each against a
// Worker of a few lines of JavaScript loaded the same way (workerd's own start-up and
// the loopback hop are the same for both, so the difference is this Worker's). The request
// needs no binding: an unknown path, answered 404 by the router (none is configured).
//
//   node bench/cold-start.mjs <dir with index.js and index_bg.wasm> [runs]
//
// Prints medians over `runs` fresh instances (default 7) as JSON.
import { Miniflare, Log, LogLevel } from "miniflare";
import { join, resolve } from "node:path";

const [dirArg, runsArg] = process.argv.slice(2);
const dir = resolve(dirArg);
const runs = Number(runsArg ?? 7);

const hub = {
  modules: [
    { type: "ESModule", path: join(dir, "index.js") },
    { type: "CompiledWasm", path: join(dir, "index_bg.wasm") },
  ],
  modulesRoot: dir,
  compatibilityDate: "2025-04-01",
};
const trivial = {
  modules: [{ type: "ESModule", path: "trivial.mjs", contents: "export default { fetch() { return new Response('no route', { status: 404 }); } };" }],
  compatibilityDate: "2025-04-01",
};

async function once(options) {
  const began = performance.now();
  const mf = new Miniflare({ ...options, log: new Log(LogLevel.NONE) });
  await mf.ready;
  const ready = performance.now();
  const first = await mf.dispatchFetch("http://hub.example/cold-start-probe");
  await first.text();
  const answered = performance.now();
  if (first.status !== 404) throw new Error(`first request: ${first.status}`);
  const warm = [];
  for (let k = 0; k < 20; k++) {
    const t = performance.now();
    await (await mf.dispatchFetch("http://hub.example/cold-start-probe")).text();
    warm.push(performance.now() - t);
  }
  await mf.dispose();
  warm.sort((a, b) => a - b);
  return { ready: ready - began, first: answered - ready, warm: warm[10] };
}

const median = (xs) => +xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(2);
const results = { hub: [], trivial: [] };
for (let k = 0; k < runs; k++) {
  results.trivial.push(await once(trivial));
  results.hub.push(await once(hub));
}
const pick = (who, key) => median(results[who].map((r) => r[key]));
const out = { runs };
for (const who of ["hub", "trivial"]) {
  for (const key of ["ready", "first", "warm"]) out[`${who}_${key}_ms`] = pick(who, key);
}
out.worker_start_ms = +(out.hub_ready_ms - out.trivial_ready_ms).toFixed(2);
out.worker_first_request_ms = +(out.hub_first_ms - out.trivial_first_ms).toFixed(2);
console.log(JSON.stringify(out));
