// The operator console (web/console/) in Debian's chromium (playwright-core, no downloaded
// browser), against the running Worker the storefront test used:
//   node tests/browser/console.mjs <base-url> <screenshot-dir> <wrangler state dir>
//
// Through the UI it signs in; finds a site order seeded here whose status_url (a sink of
// this test) refuses for good (400), so its status callback is dead; makes the sink answer
// 200 and replays the dead delivery from the order's page and sees it delivered; pauses the
// test's restaurant and sees the site API refuse an order there (restaurant_offline);
// marks an item unavailable and sees it on the site API's stop list, another unavailable
// until a time two hours ahead and then available again (on the stop list, then off it);
// answers a Just Eat late-order query (seeded through the Partner-API webhook) from the
// Failures view, sees it answered by the API and a second answer refused (409) in the page;
// reads the orders view in Russian; opens the charts for 24 hours and for 7 days.
// Outside the UI: no session → 401, a cross-site POST with the session cookie → 403 and
// nothing changed. Then the speed bar: 10,000 orders written straight into the instance's
// local D1 (wrangler d1 execute), and the time from navigating to #/orders until the first
// page of rows is on screen, median of three full page loads after one warm-up, must be
// under 1,000 ms.
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { chromium } from "playwright-core";

const [base, shots, stateDir] = process.argv.slice(2);
if (!base || !shots || !stateDir) {
  console.error("usage: node tests/browser/console.mjs <base-url> <screenshot-dir> <wrangler-state-dir>");
  process.exit(2);
}
const KEY = "dev-operator-key";
const OPERATOR = { "X-Flyt-Api-Key": KEY, "Content-Type": "application/json" };
const ID = "console-e2e";
const CONCEPT = "console";
const BULK = 10000;
const fixture = (name, dir = "demo") => JSON.parse(readFileSync(new URL(`../../fixtures/${dir}/${name}.json`, import.meta.url), "utf8"));

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function operator(method, path, body) {
  const response = await fetch(base + path, { method, headers: OPERATOR, body: body && JSON.stringify(body) });
  const text = await response.text();
  check(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function eventually(what, secs, probe) {
  const deadline = Date.now() + secs * 1000;
  for (;;) {
    const found = await probe();
    if (found) return found;
    check(Date.now() < deadline, `${what}: not within ${secs} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// The front-end's status_url: refuses (400, for good) until told to take calls.
function startSink() {
  const sink = { answer: 400, received: [] };
  const server = createServer((req, res) => {
    sink.received.push({ url: req.url, answered: sink.answer });
    res.writeHead(sink.answer, { "Content-Type": "text/plain" });
    res.end(sink.answer < 300 ? "ok" : "refused");
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    sink.url = `http://127.0.0.1:${server.address().port}/status`;
    sink.close = () => server.close();
    resolve(sink);
  }));
}

// A restaurant of the test's own: always open, pickup, the demo zones and menu.
async function seedRestaurant() {
  const place = fixture("restaurant-000127");
  await operator("PUT", `/admin/restaurants/${ID}`, {
    ...place, id: ID, name: "Console test", start_time: 0, end_time: 86400, self_delivery: true,
    concepts: [{ id: CONCEPT, name: "Вкусные суши" }], jet_location_id: undefined, orderconnect_restaurant_id: undefined,
  });
  const zones = fixture("delivery_zones-000127-7");
  zones.restaurant_id = ID;
  zones.concept_id = CONCEPT;
  zones.zones = zones.zones.map((z) => ({ ...z, id: `${ID}-${z.id}` }));
  delete zones.deleted_zones;
  await operator("PUT", `/admin/delivery_zones?restaurant_id=${ID}&concept_id=${CONCEPT}`, zones);
  const menu = fixture("menu-000127-7");
  menu.restaurant_id = ID;
  menu.concept_id = CONCEPT;
  await operator("PUT", `/admin/menu?restaurant_id=${ID}&concept_id=${CONCEPT}`, menu);
  return menu.menu.items.map((i) => i.id);
}

function siteOrder(number, itemId, price, statusUrl) {
  const body = {
    number, restaurant_id: ID, concept_id: CONCEPT, date: "2024-04-08 15:00:00", delivery_method: "pickup",
    cart: { items: [{ id: itemId, name: "test", count: 1, cost: price }], delivery: 0, total: price },
    client: { name: "Пётр Тестов", phone: "+7 922 988-33-22" },
    payment: { method: "cash", sum: price },
  };
  if (statusUrl) body.status_url = statusUrl;
  return { action: "new_order", body };
}

// Just Eat's late-order query for an order of this run, as the Partner API sends it.
async function lateOrderQuery(jeOrderId) {
  const response = await fetch(`${base}/webhooks/just-eat/late-order-query`, {
    method: "POST",
    headers: { Authorization: "JE-API-KEY dev-orderconnect-key", "Content-Type": "application/json" },
    body: JSON.stringify({ ...fixture("late-order-query-request", "just-eat"), OrderId: jeOrderId }),
  });
  const body = await response.json().catch(() => ({}));
  check(response.status === 200 && body.id && body.status === "open", `late-order query: ${response.status} ${JSON.stringify(body)}`);
  return body.id;
}

async function jetQuery(id) {
  const list = await operator("GET", "/admin/jet/queries");
  return (list.queries || []).find((q) => q.id === id);
}

async function stopListIds() {
  const stop = await (await fetch(`${base}/site-api/stop_list?restaurant_id=${ID}`)).json();
  return { stop, ids: (stop.stop_lists || []).flatMap((s) => s.items.map((i) => i.id)) };
}

async function placeOrder(doc) {
  const response = await fetch(`${base}/site-api/order`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(doc) });
  return { status: response.status, body: await response.json().catch(() => ({})) };
}

function d1(args) {
  const run = spawnSync("wrangler", ["d1", "execute", "DB", "--local", "--env", "dev", "--persist-to", stateDir, ...args],
    { encoding: "utf8", maxBuffer: 64 << 20 });
  check(run.status === 0, `wrangler d1 execute ${args.join(" ")}: ${run.stderr || run.stdout}`);
  return run.stdout;
}

// 10,000 orders copied from one real row (so every column of the current schema is filled
// as the hub fills it), each with its own id, number and time, one a minute back over ~7
// days, 60 % site, 25 % JET Connect, 15 % Orderconnect.
function seedBulk(templateId) {
  const run = Date.now().toString(36);
  const json = (out) => JSON.parse(out.slice(out.indexOf("[")));
  const cols = json(d1(["--json", "--command", "SELECT name FROM pragma_table_info('orders')"]))[0].results.map((r) => r.name);
  const row = json(d1(["--json", "--command", `SELECT created_at FROM orders WHERE id = '${templateId}'`]))[0].results[0];
  check(row, `template order ${templateId} not in D1`);
  const fmt = /\.\d{3}Z$/.test(row.created_at) ? "%Y-%m-%dT%H:%M:%fZ" : /Z$/.test(row.created_at) ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%dT%H:%M:%S+00:00";
  const at = `strftime('${fmt}', 'now', '-' || (n.i * 60) || ' seconds')`;
  const override = {
    id: `t.id || '-bulk-${run}-' || n.i`,
    number: `'bulk-${run}-' || n.i`,
    fingerprint: "t.fingerprint || '-' || n.i",
    external_id: "NULL",
    created_at: at,
    updated_at: at,
    channel: "CASE WHEN n.i % 20 < 12 THEN 'site' WHEN n.i % 20 < 17 THEN 'jet' ELSE 'orderconnect' END",
    status_url: "NULL",
  };
  const select = cols.map((c) => (override[c] ? `${override[c]}` : `t.${c}`)).join(", ");
  const sql = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${BULK})
INSERT INTO orders (${cols.join(", ")})
SELECT ${select} FROM n, (SELECT * FROM orders WHERE id = '${templateId}') AS t;\n`;
  const file = join(stateDir, "console-bulk.sql");
  writeFileSync(file, sql);
  d1(["--file", file]);
  const count = json(d1(["--json", "--command", "SELECT COUNT(*) AS n FROM orders"]))[0].results[0].n;
  check(count >= BULK, `only ${count} orders after seeding`);
  return count;
}

async function main() {
  const began = Date.now();
  const sink = await startSink();
  const items = await seedRestaurant();
  const [firstItem, secondItem, thirdItem] = items;
  check(thirdItem, `the test menu has ${items.length} items (3 needed)`);
  const stamp = Date.now();
  // The failed order: its status callback (status 0) is refused for good, so it dies.
  const number = `console-${stamp}`;
  const placed = await placeOrder(siteOrder(number, firstItem, 500, sink.url));
  check(placed.status === 200 && placed.body.order_id, `site order: ${placed.status} ${JSON.stringify(placed.body)}`);
  const orderId = placed.body.order_id;
  const deadDelivery = await eventually("the dead status callback", 30, async () => {
    const log = await operator("GET", `/admin/deliveries?order_id=${encodeURIComponent(orderId)}&status=dead`);
    return (log.deliveries || [])[0];
  });

  // A Just Eat late-order query waiting for the restaurant's answer.
  const jeOrderId = `console-je-${stamp}`;
  const queryId = await lateOrderQuery(jeOrderId);

  const profile = mkdtempSync(join(tmpdir(), "console-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1100, height: 900 },
    locale: "en-GB",
  });
  const timings = [];
  try {
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (err) => errors.push(err.message));

    // Sign in.
    await page.goto(`${base}/console/`);
    await page.waitForSelector("#signin:not([hidden]) #key");
    check(await page.locator("#key").getAttribute("type") === "password", "the key field is not a password field");
    check(!(await page.locator("#nav").isVisible()), "the sections are shown before sign-in");
    await page.screenshot({ path: join(shots, "console-signin.png") });
    await page.fill("#key", "wrong-key");
    await page.click("#signin-form button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#signin-status").textContent.includes("401"));
    await page.fill("#key", KEY);
    await page.click("#signin-form button[type=submit]");
    await page.waitForSelector("#orders-table");
    await page.waitForSelector("#orders-body tr");
    check(await page.locator("#key").inputValue() === "", "the key stayed in the field");
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    check(!stored.includes(KEY) && !/[0-9a-f]{64}/.test(stored), `the key or a token in web storage: ${stored}`);
    const cookies = await context.cookies(base);
    const session = cookies.find((c) => c.name === "ob_session");
    check(session && session.httpOnly && session.sameSite === "Strict", `session cookie: ${JSON.stringify(cookies)}`);
    await page.screenshot({ path: join(shots, "console-orders.png") });

    // A reload keeps the session (the CSRF token comes back from GET /admin/session).
    await page.reload();
    await page.waitForSelector("#orders-body tr");

    // Russian and back: every visible string switches, and the lang attribute with it.
    await page.selectOption("#lang", "ru");
    await page.waitForFunction(() => document.documentElement.lang === "ru");
    check((await page.locator('#nav a[data-route="orders"]').innerText()).includes("Заказы"), "nav not in Russian");
    check((await page.locator('#nav a[data-route="attention"]').innerText()).includes("Сбои"), "nav not in Russian");
    await page.waitForSelector("#orders-body tr");
    const head = await page.locator("#orders-table thead th").allInnerTexts();
    check(head.includes("Получен") && head.includes("Номер") && head.includes("Статус") && !head.includes("Received"), `table head not in Russian: ${head.join(" | ")}`);
    check(await page.locator("#view h2").innerText() === "Заказы", `heading not in Russian: ${await page.locator("#view h2").innerText()}`);
    check((await page.locator("#filters button[type=submit]").innerText()) !== "Apply", "the filter button is not in Russian");
    await page.selectOption("#lang", "en");
    await page.waitForFunction(() => document.documentElement.lang === "en");
    await page.waitForFunction(() => [...document.querySelectorAll("#orders-table thead th")].some((th) => th.textContent === "Received"));

    // Failures first: the dead delivery is listed with its replay button.
    await page.click('#nav a[data-route="attention"]');
    await page.waitForSelector(`#dead-list li[data-delivery="${deadDelivery.id}"] button.replay`);
    // ... and the Just Eat query with its answer form, named by Just Eat's order id.
    const card = `#queries-list li[data-query="${queryId}"]`;
    await page.waitForSelector(`${card} form.answer`);
    check((await page.locator(card).innerText()).includes(jeOrderId), `the query does not name Just Eat's order ${jeOrderId}: ${await page.locator(card).innerText()}`);
    await page.screenshot({ path: join(shots, "console-failures.png"), fullPage: true });
    // A second tab on the same list (another operator, say), left stale.
    const stale = await context.newPage();
    stale.on("pageerror", (err) => errors.push(err.message));
    await stale.goto(`${base}/console/#/attention`);
    await stale.waitForSelector(`${card} form.answer`);
    // Answer it: on its way, 15 minutes more.
    await page.selectOption(`#lo-${CSS_escape(queryId)}`, "OnItsWay");
    await page.fill(`#lm-${CSS_escape(queryId)}`, "15");
    await page.click(`${card} form.answer button[type=submit]`);
    await page.waitForSelector(`#answer-${CSS_escape(queryId)}.good`);
    check(await page.locator(`${card} form.answer button[type=submit]`).isDisabled(), "the answer button stayed enabled");
    const answered = await jetQuery(queryId);
    check(answered && answered.status === "answered" && answered.answered_at && answered.OrderId === jeOrderId
      && answered.answer.lateOrderStatus === "OnItsWay" && answered.answer.additionalDeliveryTimeToAddMinutes === 15,
      `the answered query: ${JSON.stringify(answered)}`);
    // A second answer is refused, by the API and in the stale tab, and changes nothing.
    const again = await fetch(`${base}/admin/jet/queries/${encodeURIComponent(queryId)}/answer`,
      { method: "POST", headers: OPERATOR, body: JSON.stringify({ lateOrderStatus: "Delivered" }) });
    check(again.status === 409, `a second answer: ${again.status} ${await again.text()}`);
    await stale.selectOption(`#lo-${CSS_escape(queryId)}`, "Delivered");
    await stale.click(`${card} form.answer button[type=submit]`);
    await stale.waitForSelector(`#answer-${CSS_escape(queryId)}.bad`);
    const refusal = await stale.locator(`#answer-${CSS_escape(queryId)}`).innerText();
    check(refusal.includes("409"), `the stale tab's refusal: ${refusal}`);
    await stale.close();
    check(JSON.stringify((await jetQuery(queryId)).answer) === JSON.stringify(answered.answer), "a refused answer changed the recorded one");
    // Answered, it leaves the list.
    await page.reload();
    await page.waitForSelector("#queries-list");
    check(await page.locator(card).count() === 0, "the answered query is still listed as waiting");

    // Find the order by its number, open it: masked personal data, the money reconciled.
    await page.click('#nav a[data-route="orders"]');
    await page.waitForSelector("#f-q");
    await page.fill("#f-q", number);
    await page.click('#filters button[type="submit"]');
    await page.waitForFunction((id) => {
      const rows = document.querySelectorAll("#orders-body tr");
      return rows.length === 1 && rows[0].dataset.order === id;
    }, orderId);
    check(await page.locator(`tr[data-order="${orderId}"] .badge`).count() > 0, "the order is not marked as needing attention");
    await page.click(`tr[data-order="${orderId}"] a`);
    await page.waitForSelector(`#deliveries article[data-delivery="${deadDelivery.id}"][data-status="dead"] button.replay`);
    const masked = await page.locator("#view").innerText();
    check(!masked.includes("Пётр Тестов") && !masked.includes("988-33-22"), "personal data shown unmasked");
    check(await page.locator("#reconciled").getAttribute("data-ok") === "true", `money: ${await page.locator("#reconciled").innerText()}`);
    await page.click("#toggle-personal");
    await page.waitForFunction(() => document.querySelector("#view").innerText.includes("Пётр Тестов"));
    await page.click("#toggle-personal");
    await page.waitForSelector(`#deliveries article[data-delivery="${deadDelivery.id}"]`);
    await page.screenshot({ path: join(shots, "console-order.png"), fullPage: true });

    // The sink takes calls now; replay from the page and see it delivered.
    sink.answer = 200;
    await page.click(`#deliveries article[data-delivery="${deadDelivery.id}"] button.replay`);
    await page.waitForSelector(`#replay-${CSS_escape(deadDelivery.id)}.good`);
    await page.waitForSelector('#deliveries article[data-status="delivered"]', { timeout: 30000 });
    check(sink.received.some((r) => r.answered === 200), "the sink never took the replay");

    // Outside the page: no session → 401; the session cookie from another site → 403,
    // and the refused pause changed nothing.
    const noSession = await fetch(`${base}/admin/orders`);
    check(noSession.status === 401, `no session: ${noSession.status}`);
    const cookie = `ob_session=${session.value}`;
    const evil = await fetch(`${base}/jet-connect/item-availability`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: "https://evil.example", "Content-Type": "application/json" },
      body: JSON.stringify({ event: "UNAVAILABLE", itemReferences: [secondItem], restaurant: ID, happenedAt: new Date().toISOString() }),
    });
    check(evil.status === 403, `cross-site item-availability: ${evil.status} ${await evil.text()}`);
    const untouched = await (await fetch(`${base}/site-api/stop_list?restaurant_id=${ID}`)).json();
    check(!(untouched.stop_lists || []).some((s) => s.items.some((i) => i.id === secondItem)), `the refused call changed the stop list: ${JSON.stringify(untouched)}`);
    const forged = await fetch(`${base}/admin/orders`, { headers: { Cookie: cookie.replace(/.$/, (c) => (c === "0" ? "1" : "0")) } });
    check(forged.status === 401, `forged cookie: ${forged.status}`);

    // Pause the restaurant from its page; the site API refuses orders there.
    await page.goto(`${base}/console/#/restaurants/${ID}`);
    await page.waitForSelector("#pause-form");
    await page.waitForSelector(".zones-block svg.zones polygon");
    await page.fill("#pause-reason", "Kitchen flooded");
    await page.click("#pause");
    await page.waitForSelector("#pause-result.good");
    await page.waitForSelector('#restaurant-state [data-online="false"]');
    const refused = await placeOrder(siteOrder(`console-${stamp}-paused`, firstItem, 500));
    const codes = (refused.body.errors || []).map((e) => e.code);
    check(refused.status === 400 && codes.includes("restaurant_offline"), `order at a paused restaurant: ${refused.status} ${JSON.stringify(refused.body)}`);

    // An item unavailable now: on the site API's stop list at once.
    await page.click(`.item[data-item="${secondItem}"] button.unavailable`);
    await page.waitForSelector(`#avail-${CSS_escape(secondItem)}.good`);
    const stop = await (await fetch(`${base}/site-api/stop_list?restaurant_id=${ID}`)).json();
    const stopped = (stop.stop_lists || []).flatMap((s) => s.items.map((i) => i.id));
    check(stopped.includes(secondItem), `stop list: ${JSON.stringify(stop)}`);

    // Another item unavailable until two hours from now: on the stop list; then available
    // again: off it.
    const until = await page.evaluate(() => {
      const d = new Date(Date.now() + 2 * 3600 * 1000);
      return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
    });
    const third = `.item[data-item="${thirdItem}"]`;
    await page.fill(`#until-${CSS_escape(thirdItem)}`, until);
    await page.click(`${third} button.until`);
    await page.waitForSelector(`#avail-${CSS_escape(thirdItem)}.good`);
    check((await page.locator(`${third} .state`).innerText()).startsWith("Unavailable until"), `item state: ${await page.locator(`${third} .state`).innerText()}`);
    const timed = await stopListIds();
    check(timed.ids.includes(thirdItem) && timed.ids.includes(secondItem), `stop list with ${thirdItem} until ${until}: ${JSON.stringify(timed.stop)}`);
    await page.click(`${third} button.available`);
    await page.waitForFunction((sel) => document.querySelector(`${sel} .state`).textContent === "Available", third);
    check(await page.locator(third).getAttribute("data-stopped") === "false", "the item is still marked stopped");
    const back = await stopListIds();
    check(!back.ids.includes(thirdItem) && back.ids.includes(secondItem), `stop list after ${thirdItem} available again: ${JSON.stringify(back.stop)}`);
    await page.locator(".zones-block").first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, "console-restaurant.png"), fullPage: true });

    // Resume: the site API takes orders there again.
    await page.click("#resume");
    await page.waitForSelector('#restaurant-state [data-online="true"]');

    // The speed bar: 10,000 orders more in D1, then full page loads of #/orders.
    const total = seedBulk(orderId);
    await page.goto(`${base}/console/#/health`);
    await page.waitForSelector("#chart-orders svg");
    for (let run = 0; run < 4; run++) {
      await page.goto("about:blank");
      const started = Date.now();
      await page.goto(`${base}/console/#/orders`);
      await page.waitForSelector("#orders-body tr");
      const ms = Date.now() - started;
      if (run > 0) timings.push(ms); // run 0 warms the isolate and the browser cache
    }
    const rows = await page.locator("#orders-body tr").count();
    check(rows > 0 && rows <= 100, `first page has ${rows} rows`);
    await page.click("#more");
    await page.waitForFunction((n) => document.querySelectorAll("#orders-body tr").length > n, rows);

    // The charts, with the bulk orders in them.
    await page.goto(`${base}/console/#/health`);
    await page.waitForSelector('#chart-orders svg[role="img"] rect.bar');
    const label = await page.locator("#chart-orders svg").getAttribute("aria-label");
    check(/\d/.test(label), `chart label without figures: ${label}`);
    await page.waitForSelector('#chart-failed svg[role="img"]');
    await page.waitForSelector('#chart-latency svg[role="img"]');
    await page.screenshot({ path: join(shots, "console-health.png"), fullPage: true });
    // The last 7 days: seven daily buckets, their bars adding up to the new totals.
    const dayTotals = await page.locator("#totals").innerText();
    const dayOrders = Number(dayTotals.match(/\d+/)[0]);
    await page.selectOption("#window", "7d");
    await page.waitForSelector('#chart-orders svg[data-buckets="7"]');
    const weekTotals = await page.locator("#totals").innerText();
    const weekOrders = Number(weekTotals.match(/\d+/)[0]);
    check(weekTotals !== dayTotals && weekOrders > dayOrders && weekOrders > BULK * 0.8, `totals: 24 h "${dayTotals}", 7 days "${weekTotals}"`);
    const week = page.locator("#chart-orders svg");
    const weekLabel = await week.getAttribute("aria-label");
    check(weekLabel.includes("per day") && weekLabel.includes(`. ${weekOrders}:`), `7-day chart label: ${weekLabel}`);
    const days = await week.locator("text.x").allTextContents();
    check(days.length === 7 && new Set(days).size === 7, `7-day chart x labels: ${days.join(", ")}`);
    const figures = await week.locator("rect.bar title").allTextContents();
    const barSum = figures.reduce((s, f) => s + Number(f.match(/(\d+)$/)[1]), 0);
    const barDays = new Set(figures.map((f) => f.slice(0, f.indexOf(":"))));
    check(barSum === weekOrders && barDays.size >= 6 && [...barDays].every((d) => days.includes(d)), `7-day bars: ${figures.join("; ")} (totals ${weekOrders})`);
    await page.waitForSelector('#chart-failed svg[role="img"]');

    // Phone width.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/console/#/orders`);
    await page.waitForSelector("#orders-body tr");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 1, `the orders view is ${overflow}px wider than a phone`);
    await page.screenshot({ path: join(shots, "console-phone.png") });

    // Sign out: the session is gone for the server too.
    await page.click("#signout");
    await page.waitForSelector("#signin:not([hidden])");
    const ended = await fetch(`${base}/admin/orders`, { headers: { Cookie: cookie } });
    check(ended.status === 401, `a signed-out cookie: ${ended.status}`);

    check(errors.length === 0, `page errors: ${errors.join("; ")}`);
    const sorted = [...timings].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    console.log(`console: #/orders with ${total} orders in D1: first page rendered in ${timings.join(", ")} ms (median ${median} ms; navigation to rows on screen, after one warm-up load)`);
    check(median <= 1000, `the first page of orders took ${median} ms (> 1000 ms)`);
    console.log(`console: ok (signed in; order ${orderId}'s dead status callback replayed and delivered; ${ID} paused and the site API refused an order; ${secondItem} on the stop list; ${thirdItem} unavailable until ${until} on it, then available again and off it; Just Eat query ${queryId} answered from the Failures view, a second answer 409 in the page; the orders view in Russian; charts for 24 h and 7 days (${weekOrders} orders in 7 daily buckets); no session 401, forged cookie 401, cross-site 403; ${Math.round((Date.now() - began) / 1000)} s)`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    sink.close();
  }
}

// Item ids are used in element ids; the ones here are plain, but escape as CSS.escape would.
function CSS_escape(s) {
  return String(s).replace(/[^a-zA-Z0-9_-]/g, (c) => `\\${c}`);
}

main().catch((err) => {
  console.error(`console: FAILED: ${err.stack || err}`);
  process.exit(1);
});
