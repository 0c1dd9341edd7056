// `make bench-burst` (issue 22, point 5): a dinner rush against a running `wrangler dev`.
//
// Sends SITE_ORDERS site orders (each with a `status_url` on this process's sink) and
// JET_ORDERS JET Connect Receive Order calls (signed as Just Eat signs them), interleaved, at
// CONNECTIONS concurrent connections; then waits until every status callback (status 0 of
// every site order) and every JET outcome call (`sent-to-pos-success`/`-failed`, which the
// Worker sends to JET_STATUS_BASE_URL = this sink) arrived, firing the cron sweep every
// minute as Cloudflare would. Prints a JSON report and writes build/bench/burst.md.
//
// Usage: node scripts/bench-burst.mjs <worker base url> <sink port> <state dir>
import http from "node:http";
import crypto from "node:crypto";
import fs from "node:fs";

const [base, sinkPort, stateDir] = process.argv.slice(2);
const SITE_ORDERS = Number(process.env.BURST_SITE_ORDERS ?? 2000);
const JET_ORDERS = Number(process.env.BURST_JET_ORDERS ?? 500);
const CONNECTIONS = Number(process.env.BURST_CONNECTIONS ?? 16);
const WAIT_SECS = Number(process.env.BURST_WAIT_SECS ?? 900);
const OPERATOR = "dev-operator-key"; // .dev.vars.example
const JET_SECRET = "dev-jet-secret"; // .dev.vars.example
const run = `${Date.now().toString(36)}`;

const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });

// A socket the server closed while idle is reset on reuse: sent again, as a client would
// (orders are idempotent by number and JET id, so a repeat is answered, not doubled).
async function call(method, url, body, headers = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await once(method, url, body, headers);
    } catch (e) {
      if (attempt >= 3 || e.code !== "ECONNRESET") throw e;
    }
  }
}

function once(method, url, body, headers) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(body);
    const req = http.request(url, {
      method, agent, headers: {
        ...(data ? { "content-type": "application/json", "content-length": data.length } : {}),
        ...headers,
      },
    }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    req.setTimeout(60_000, () => req.destroy(new Error("timeout")));
    if (data) req.write(data);
    req.end();
  });
}

// ---- the sink: every call the Worker makes, with its arrival time.
const siteCallbacks = new Map(); // order number -> ms
const jetOutcomes = new Map(); // jet id -> { ms, outcome }
let unexpected = 0;
const sink = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const now = Date.now();
    const url = new URL(req.url, "http://sink");
    const jet = url.pathname.match(/^\/jet\/order\/([^/]+)\/(sent-to-pos-[a-z]+)$/);
    if (url.pathname === "/status" && url.searchParams.get("status") === "0") {
      const n = url.searchParams.get("n");
      if (!siteCallbacks.has(n)) siteCallbacks.set(n, now);
    } else if (jet) {
      if (!jetOutcomes.has(jet[1])) jetOutcomes.set(jet[1], { ms: now, outcome: jet[2] });
    } else {
      unexpected += 1;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  });
});
await new Promise((r) => sink.listen(Number(sinkPort), "127.0.0.1", r));

// ---- setup: a JET restaurant, always open, with the PLUs of Just Eat's example order.
const jetRestaurant = `burst-${run}`;
async function setup() {
  const place = {
    id: jetRestaurant, name: "Burst", utc_offset: "+00:00", start_time: 0, end_time: 86400,
    self_delivery: false, jet_location_id: jetRestaurant,
  };
  const menu = {
    restaurant_id: jetRestaurant,
    menu: {
      lastChange: "2024-05-21T16:19:13.000+00:00",
      categories: [{ id: "c1", name: "Burgers" }],
      items: [{
        id: "M2", categoryId: "c1", name: "Cheeseburger", price: 17,
        modifiers: [{
          id: "g1", name: "Extras", minSelectedModifiers: 0, maxSelectedModifiers: 2,
          modifiers: [{ id: "R3", name: "Extra Sauce", price: 1, minAmount: 0, maxAmount: 2 }],
        }],
      }],
    },
  };
  for (const [method, path, body] of [
    ["PUT", `/admin/restaurants/${jetRestaurant}`, place],
    ["PUT", `/admin/menu?restaurant_id=${jetRestaurant}`, menu],
  ]) {
    const r = await call(method, base + path, JSON.stringify(body), { "x-flyt-api-key": OPERATOR });
    if (r.status !== 200) throw new Error(`${method} ${path}: ${r.status} ${r.body}`);
  }
}

// ---- the two kinds of request.
const siteTemplate = JSON.parse(fs.readFileSync("fixtures/demo/order.json", "utf8"));
function siteOrder(i) {
  const o = structuredClone(siteTemplate);
  // Pre-ordered for tomorrow 13:00 Moscow time (the demo restaurant's zone), valid at any hour.
  const msk = new Date(Date.now() + 3 * 3600e3);
  const tomorrow = new Date(msk.getTime() + 24 * 3600e3).toISOString().slice(0, 10);
  o.body.date = msk.toISOString().slice(0, 19).replace("T", " ");
  o.body.date_preorder = `${tomorrow} 13:00`;
  o.body.number = `burst-${run}-${i}`;
  o.body.status_url = `http://127.0.0.1:${sinkPort}/status?n=${o.body.number}`;
  return JSON.stringify(o);
}
const jetTemplate = JSON.parse(
  fs.readFileSync("fixtures/jet-connect/receive-order-request-delivery-by-partner.json", "utf8"));
function jetOrder(i) {
  const o = structuredClone(jetTemplate);
  o.id = `burst-${run}-jet-${i}`;
  o.posLocationId = jetRestaurant;
  o.created_at = String(Math.floor(Date.now() / 1000));
  o.collect_at = String(Math.floor(Date.now() / 1000) + 1800);
  const body = JSON.stringify(o);
  const sig = crypto.createHmac("sha256", JET_SECRET).update(body).digest("base64");
  return { id: o.id, body, hash: `HMAC-SHA256 t=${Date.now()},signature=${sig}` };
}

function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

await setup();
// Interleaved: one JET order after every SITE_ORDERS/JET_ORDERS site orders.
const tasks = [];
const every = JET_ORDERS > 0 ? Math.max(1, Math.floor(SITE_ORDERS / JET_ORDERS)) : Infinity;
let s = 0, j = 0;
while (s < SITE_ORDERS || j < JET_ORDERS) {
  if (s < SITE_ORDERS) tasks.push({ kind: "site", i: s++ });
  if (j < JET_ORDERS && (s % every === 0 || s >= SITE_ORDERS)) tasks.push({ kind: "jet", i: j++ });
}

const latencies = { site: [], jet: [] };
const statuses = {};
const jetReceived = new Map(); // jet id -> ms the Worker answered
const siteNumbers = [];
let next = 0;
const start = Date.now();
async function worker() {
  while (next < tasks.length) {
    const task = tasks[next++];
    const t0 = Date.now();
    let r;
    try {
      if (task.kind === "site") {
        const body = siteOrder(task.i);
        r = await call("POST", `${base}/site-api/order`, body);
        if (r.status === 200) siteNumbers.push(`burst-${run}-${task.i}`);
      } else {
        const o = jetOrder(task.i);
        r = await call("POST", `${base}/webhooks/jet/orders`, o.body, { "x-jet-connect-hash": o.hash });
        if (r.status >= 200 && r.status < 300) jetReceived.set(o.id, Date.now());
      }
    } catch (e) {
      r = { status: `error ${e.message}` };
    }
    latencies[task.kind].push(Date.now() - t0);
    const key = `${task.kind} ${r.status}`;
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
}
await Promise.all(Array.from({ length: CONNECTIONS }, worker));
const sent = Date.now();

// Wait for every callback and outcome; fire the cron sweep once a minute, as production does.
let lastSweep = Date.now();
while (Date.now() - sent < WAIT_SECS * 1000) {
  const siteDone = siteNumbers.every((n) => siteCallbacks.has(n));
  const jetDone = [...jetReceived.keys()].every((id) => jetOutcomes.has(id));
  if (siteDone && jetDone) break;
  if (Date.now() - lastSweep >= 60_000) {
    lastSweep = Date.now();
    await call("GET", `${base}/__scheduled?cron=${encodeURIComponent("* * * * *")}`).catch(() => {});
  }
  await new Promise((r) => setTimeout(r, 200));
}
const done = Date.now();

const siteArrivals = siteNumbers.map((n) => siteCallbacks.get(n)).filter((x) => x !== undefined);
const jetDelays = [...jetReceived].map(([id, at]) => jetOutcomes.has(id) ? jetOutcomes.get(id).ms - at : null)
  .filter((x) => x !== null).sort((a, b) => a - b);
const outcomes = {};
for (const { outcome } of jetOutcomes.values()) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
const sorted = (a) => [...a].sort((x, y) => x - y);
const report = {
  date: new Date().toISOString(),
  connections: CONNECTIONS,
  requests: statuses,
  intake_secs: (sent - start) / 1000,
  intake_per_sec: +(tasks.length / ((sent - start) / 1000)).toFixed(1),
  site_latency_ms: { p50: percentile(sorted(latencies.site), 50), p99: percentile(sorted(latencies.site), 99) },
  jet_latency_ms: { p50: percentile(sorted(latencies.jet), 50), p99: percentile(sorted(latencies.jet), 99) },
  status_callbacks: { expected: siteNumbers.length, arrived: siteArrivals.length,
    last_after_last_order_secs: siteArrivals.length ? (Math.max(...siteArrivals) - sent) / 1000 : null,
    per_sec_while_sending: +(siteArrivals.filter((t) => t <= sent).length / ((sent - start) / 1000)).toFixed(1) },
  jet_outcomes: { expected: jetReceived.size, arrived: jetDelays.length, kinds: outcomes,
    after_receipt_secs: { p50: percentile(jetDelays, 50) / 1000, p99: percentile(jetDelays, 99) / 1000,
      max: jetDelays.length ? jetDelays[jetDelays.length - 1] / 1000 : null },
    over_150_secs: jetDelays.filter((d) => d > 150_000).length },
  unexpected_calls: unexpected,
  waited_secs: (done - sent) / 1000,
};
const md = [
  `| run | site orders | JET orders | connections | intake s | orders/s in | site p50/p99 ms | JET p50/p99 ms | callbacks arrived | last callback after last order | JET outcomes arrived | JET outcome after receipt p50 / p99 / max | over 150 s |`,
  `|---|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---|---:|`,
  `| ${report.date} | ${SITE_ORDERS} | ${JET_ORDERS} | ${CONNECTIONS} | ${report.intake_secs} | ${report.intake_per_sec} | ${report.site_latency_ms.p50}/${report.site_latency_ms.p99} | ${report.jet_latency_ms.p50}/${report.jet_latency_ms.p99} | ${siteArrivals.length}/${siteNumbers.length} | ${report.status_callbacks.last_after_last_order_secs} s | ${jetDelays.length}/${jetReceived.size} | ${report.jet_outcomes.after_receipt_secs.p50} / ${report.jet_outcomes.after_receipt_secs.p99} / ${report.jet_outcomes.after_receipt_secs.max} s | ${report.jet_outcomes.over_150_secs} |`,
].join("\n");
fs.mkdirSync("build/bench", { recursive: true });
fs.writeFileSync("build/bench/burst.md", md + "\n");
fs.writeFileSync(`${stateDir}/burst.json`, JSON.stringify(report, null, 2));
console.log(JSON.stringify(report, null, 2));
console.log(md);
sink.close();
agent.destroy();
process.exit(0);
