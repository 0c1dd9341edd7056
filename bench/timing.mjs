// Batch timing shared by run-wasm.mjs and json-parse.mjs: calibrated batches of about
// BENCH_BATCH_MS, BENCH_BATCHES of them per case, cases alternating batch by batch so they
// see the same machine load; every figure is the median over the batches.

import { performance } from "node:perf_hooks";

export const BATCH_MS = Number(process.env.BENCH_BATCH_MS ?? 40);
export const BATCHES = Number(process.env.BENCH_BATCHES ?? 15);

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
export function timeTogether(cases, per = 1) {
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
