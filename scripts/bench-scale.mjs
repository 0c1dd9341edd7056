// `make bench-scale`'s driver (issue 21): one chain size against one running `wrangler dev`
// (scripts/bench-scale.sh starts it). It loads a generated chain (scripts/bench-catalog.mjs)
// — `restaurants` restaurants of one concept, 50 zones each, one 500-item menu each,
// `orders` stored orders with a delivered outbox row each — then times what an order, a storefront and an
// operator do, sequentially (one request at a time, so the figures are the hub's, not the
// queueing of a load generator), and prints one JSON line:
//   {restaurants, orders, load_s, kinds: {<kind>: {n, p50_ms, p99_ms, rows_p50, rows_max}}}
// Rows read come from `X-Orderbridge-D1-Rows-Read` (development only; a read served from
// the cache reads none and has no header: counted as 0) and, for the sweep, from the
// line the sweep logs in development.
//
//   node scripts/bench-scale.mjs <base-url> <state-dir> <restaurants> <orders> <wrangler-log>

import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import * as catalog from "./bench-catalog.mjs";

const { CONCEPT, OPERATOR, id } = catalog;

const [base, stateDir, restaurantsArg, ordersArg, wranglerLog] = process.argv.slice(2);
const RESTAURANTS = Number(restaurantsArg);
const ORDERS = Number(ordersArg);
const SAMPLES = Number(process.env.BENCH_SCALE_SAMPLES ?? 200);

const fail = (msg) => {
  console.error(`bench-scale: ${msg}`);
  process.exit(1);
};

async function call(method, path, body, headers = {}) {
  const started = process.hrtime.bigint();
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body ? { "Content-Type": "application/json" } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const rows = Number(response.headers.get("X-Orderbridge-D1-Rows-Read") ?? 0);
  return { status: response.status, text, ms, rows };
}

async function must(method, path, body, headers, want = 200) {
  const reply = await call(method, path, body, headers);
  if (reply.status !== want) fail(`${method} ${path}: ${reply.status} ${reply.text.slice(0, 400)}`);
  return reply;
}

/// Runs `task(i)` for i in 0..n, `lanes` at a time.
async function lanes(n, width, task) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) {
      const i = next++;
      await task(i);
    }
  }));
}

let numbers = 0;
const runId = Date.now().toString(36);
const order = (i, route) => {
  const k = numbers++;
  return catalog.order(i, k, route, `scale-${runId}-${k}`);
};

function d1(args) {
  const run = spawnSync("wrangler", ["d1", "execute", "DB", "--local", "--env", "dev", "--persist-to", stateDir, ...args],
    { encoding: "utf8", maxBuffer: 64 << 20 });
  if (run.status !== 0) fail(`wrangler d1 execute ${args.join(" ")}: ${run.stderr || run.stdout}`);
  return run.stdout;
}
const d1json = (sql) => {
  const out = d1(["--json", "--command", sql]);
  return JSON.parse(out.slice(out.indexOf("[")))[0].results;
};

/// `count` copies of the template row `id` of `table`, with `override` (column → SQL over
/// `t`, the template, and `n.i`, 1..count), in statements of 100,000 rows.
function bulk(table, templateId, count, override) {
  const cols = d1json(`SELECT name, pk FROM pragma_table_info('${table}')`)
    .filter((c) => !(table === "outbox" && c.name === "seq"))
    .map((c) => c.name);
  const select = cols.map((c) => override[c] ?? `t.${c}`).join(", ");
  const file = join(stateDir, `bench-scale-${table}.sql`);
  const chunk = 100_000;
  const statements = [];
  for (let from = 0; from < count; from += chunk) {
    const to = Math.min(count, from + chunk);
    statements.push(`WITH RECURSIVE n(i) AS (SELECT ${from + 1} UNION ALL SELECT i + 1 FROM n WHERE i < ${to})
INSERT INTO ${table} (${cols.join(", ")})
SELECT ${select} FROM n, (SELECT * FROM ${table} WHERE id = '${templateId}') AS t;`);
  }
  writeFileSync(file, statements.join("\n") + "\n");
  d1(["--file", file]);
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(samples) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const rows = samples.map((s) => s.rows).sort((a, b) => a - b);
  return {
    n: samples.length, p50_ms: +percentile(ms, 50).toFixed(2), p99_ms: +percentile(ms, 99).toFixed(2),
    rows_p50: percentile(rows, 50), rows_max: rows[rows.length - 1],
  };
}

async function measure(n, request) {
  const samples = [];
  for (let k = 0; k < n; k++) samples.push(await request(k));
  return summary(samples);
}

/// The sweep, triggered as the cron does (`wrangler dev --test-scheduled`); its rows read
/// from the line it logs.
async function sweep() {
  const before = readFileSync(wranglerLog, "utf8").length;
  const reply = await must("GET", "/__scheduled?cron=*+*+*+*+*");
  for (let wait = 0; wait < 50; wait++) {
    const log = readFileSync(wranglerLog, "utf8").slice(before);
    const m = log.match(/outbound sweep: enqueued \d+ due deliveries; D1 rows read (\d+)/);
    if (m) return { ms: reply.ms, rows: Number(m[1]) };
    await new Promise((r) => setTimeout(r, 100));
  }
  fail("the sweep logged no rows-read line");
}

async function main() {
  const began = Date.now();
  await lanes(RESTAURANTS, 4, (i) => catalog.seedRestaurant(base, i));
  // The template: one real order (and its status delivery), then copies of both.
  // Its `status_url` gives it a delivery to copy (the copies are delivered ones).
  const first = order(0, "coords");
  first.body.status_url = "https://status.example.com/orderbridge";
  const placed = await must("POST", "/site-api/order", first);
  const template = d1json(`SELECT id FROM orders ORDER BY created_at DESC LIMIT 1`)[0]?.id;
  if (!template) fail(`no template order (${placed.text})`);
  const run = Date.now().toString(36);
  const at = (minutes) => `strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (${minutes}) || ' minutes')`;
  bulk("orders", template, ORDERS - 1, {
    id: `'ord_bulk${run}_' || n.i`,
    number: `'bulk-${run}-' || n.i`,
    fingerprint: `t.fingerprint || '-' || n.i`,
    external_id: "NULL",
    restaurant_id: `'S' || printf('%04d', n.i % ${RESTAURANTS})`,
    phone: `'+7922' || printf('%07d', n.i % 1000000)`,
    // Spread over 180 days, newest first; all delivered (30).
    created_at: at(`(n.i * 259200 / ${ORDERS})`),
    updated_at: at(`(n.i * 259200 / ${ORDERS})`),
    status: "30",
    status_url: "NULL",
  });
  const delivery = d1json(`SELECT id FROM outbox ORDER BY seq DESC LIMIT 1`)[0]?.id;
  if (delivery) {
    bulk("outbox", delivery, ORDERS - 1, {
      id: `'dl_bulk${run}_' || n.i`,
      order_id: `'ord_bulk${run}_' || n.i`,
      order_key: `t.receiver || ':ord_bulk${run}_' || n.i`,
      status: "'delivered'",
      next_attempt_at: "NULL",
      lease_until: "NULL",
    });
  }
  const counted = d1json("SELECT (SELECT COUNT(*) FROM orders) AS orders, (SELECT COUNT(*) FROM outbox) AS outbox, (SELECT COUNT(*) FROM delivery_zones) AS zones")[0];
  const loadS = (Date.now() - began) / 1000;

  // The loading left the client's keep-alive sockets idle long enough for the server to
  // close them; the first request after it may find one closed (undici: "other side
  // closed"), so a health check that may fail goes first.
  for (let k = 0; k < 3; k++) {
    try {
      await must("GET", "/health");
      break;
    } catch {}
  }
  // Warm-up: the isolate's first requests (compile, caches) are not what is measured.
  for (let k = 0; k < 5; k++) await must("POST", "/site-api/order", order(k % RESTAURANTS, "coords"));

  const pick = (k) => (k * 7919) % RESTAURANTS;
  const kinds = {};
  const placeBy = (route) => async (k) => {
    const r = await call("POST", "/site-api/order", order(pick(k), route));
    if (r.status !== 200) fail(`order by ${route}: ${r.status} ${r.text.slice(0, 400)}`);
    return r;
  };
  kinds.order_by_coords = await measure(SAMPLES, placeBy("coords"));
  kinds.order_by_zone_id = await measure(SAMPLES, placeBy("zone_id"));
  // Menu and zones, first read of a restaurant (a cache miss: D1) and then again (a hit).
  const firsts = Math.min(SAMPLES, RESTAURANTS);
  const get = (path) => async () => {
    const r = await call("GET", path);
    if (r.status !== 200) fail(`GET ${path}: ${r.status} ${r.text.slice(0, 300)}`);
    return r;
  };
  kinds.menu_first_read = await measure(firsts, (k) => get(`/site-api/menu?restaurant_id=${id(k)}&concept_id=${CONCEPT}`)());
  kinds.menu_cached = await measure(SAMPLES, (k) => get(`/site-api/menu?restaurant_id=${id(k % firsts)}&concept_id=${CONCEPT}`)());
  kinds.zones_first_read = await measure(firsts, (k) => get(`/site-api/delivery_zones?restaurant_id=${id(k)}&concept_id=${CONCEPT}`)());
  kinds.zones_cached = await measure(SAMPLES, (k) => get(`/site-api/delivery_zones?restaurant_id=${id(k % firsts)}&concept_id=${CONCEPT}`)());
  const list = (query) => async (k) => {
    const r = await call("GET", `/admin/orders?${query(k)}`, undefined, OPERATOR);
    if (r.status !== 200) fail(`GET /admin/orders?${query(k)}: ${r.status} ${r.text.slice(0, 300)}`);
    return r;
  };
  const listSamples = Math.min(SAMPLES, 50);
  kinds.console_list_first_page = await measure(listSamples, list(() => "limit=50"));
  kinds.console_list_by_restaurant = await measure(listSamples, list((k) => `limit=50&restaurant_id=${id(pick(k))}`));
  kinds.console_search_by_number = await measure(listSamples, list((k) => `limit=50&q=bulk-${run}-${1 + ((k * 104729) % (ORDERS - 1))}`));
  kinds.console_attention = await measure(listSamples, list(() => "limit=50&attention=true"));
  kinds.outbox_sweep = await measure(20, () => sweep());

  console.log(JSON.stringify({ restaurants: RESTAURANTS, orders: counted.orders, outbox: counted.outbox, zones: counted.zones, load_s: loadS, kinds }));
}

main().catch((err) => fail(`${err.stack ?? err}${err.cause ? ` (cause: ${err.cause.stack ?? err.cause})` : ""}`));
