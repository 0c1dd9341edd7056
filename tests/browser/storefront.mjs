// The reference storefront in Debian's chromium (playwright-core, no downloaded browser),
// against a running Worker: node tests/browser/storefront.mjs <base-url> <screenshot-dir>
//
// It places a delivery order with a modifier and sees it accepted, moves its status through
// the operator endpoint and sees the page follow, and sees an order below the zone's
// minimum refused with the error next to the cart. Then the driver's journey: the
// storefront only places site orders, and Just Eat's driver webhooks only name Just Eat's
// orders (Orderconnect, JET Connect), so no click reaches one; the test receives an
// Orderconnect order, sends it Just Eat's driver webhooks (the examples of
// fixtures/just-eat/), points the page's status view at it and sees the events listed. The restaurant is its own, open round
// the clock (so no other test's writes reach it), with the demo zone, menu and
// stop list, so the test does not depend on the time of day.
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [base, shots] = process.argv.slice(2);
if (!base || !shots) {
  console.error("usage: node tests/browser/storefront.mjs <base-url> <screenshot-dir>");
  process.exit(2);
}
const OPERATOR = { "X-Flyt-Api-Key": "dev-operator-key", "Content-Type": "application/json" };
const ID = "web-e2e";
const CONCEPT = "web";
const fixture = (name) => JSON.parse(readFileSync(new URL(`../../fixtures/demo/${name}.json`, import.meta.url), "utf8"));

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function operator(method, path, body) {
  const response = await fetch(base + path, { method, headers: OPERATOR, body: body && JSON.stringify(body) });
  const text = await response.text();
  check(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const OC = "web-e2e-oc";
const JE_KEY = { Authorization: "JE-API-KEY dev-orderconnect-key", "Content-Type": "application/json" };
const justEat = (name) => JSON.parse(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), "utf8"));

async function call(method, path, headers, body, want) {
  const response = await fetch(base + path, { method, headers, body: JSON.stringify(body) });
  const text = await response.text();
  check(response.status === want, `${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// An Orderconnect restaurant like the storefront's, and Just Eat's example delivery order at
// it, told the driver's journey; returns the hub's order id.
async function orderWithDriverEvents() {
  const place = fixture("restaurant-000127");
  await operator("PUT", `/admin/restaurants/${OC}`, {
    ...place, id: OC, name: "Orderconnect (тест)", start_time: 0, end_time: 86400,
    concepts: [{ id: CONCEPT, name: "Вкусные суши" }], jet_location_id: undefined, orderconnect_restaurant_id: OC,
  });
  const zones = fixture("delivery_zones-000127-7");
  zones.restaurant_id = OC;
  zones.concept_id = CONCEPT;
  zones.zones = zones.zones.map((z) => ({ ...z, id: `${OC}-${z.id}` }));
  delete zones.deleted_zones;
  await operator("PUT", `/admin/delivery_zones?restaurant_id=${OC}&concept_id=${CONCEPT}`, zones);
  const menu = fixture("menu-000127-7");
  menu.restaurant_id = OC;
  menu.concept_id = CONCEPT;
  await operator("PUT", `/admin/menu?restaurant_id=${OC}&concept_id=${CONCEPT}`, menu);
  const je = `${OC}-${Date.now()}`;
  const order = justEat("orderconnect/delivery-order.json");
  order.Id = je;
  order.RestaurantInfo.Id = OC;
  const placed = await call("PUT", "/webhooks/orderconnect/orders", JE_KEY, order, 201);
  const journey = ["driver-assigned-to-delivery", "driver-location", "driver-at-restaurant",
    "driver-on-their-way-to-delivery-address"];
  for (const name of journey) {
    const body = { ...justEat(`just-eat/${name}-request.json`), OrderId: je };
    await call("PUT", `/webhooks/just-eat/${name}`, JE_KEY, body, 200);
  }
  // A later position: the page shows the driver's latest one only.
  const later = { ...justEat("just-eat/driver-location-request.json"), OrderId: je, TimeStamp: "2018-03-10T14:58:00Z" };
  await call("PUT", "/webhooks/just-eat/driver-location", JE_KEY, later, 200);
  return placed.order_id;
}

async function seed() {
  const place = fixture("restaurant-000127");
  await operator("PUT", `/admin/restaurants/${ID}`, {
    ...place, id: ID, name: "Витрина (тест)", start_time: 0, end_time: 86400,
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
  const stop = fixture("stop_list");
  stop.stop_lists = stop.stop_lists.map((s) => ({ ...s, restaurant_id: ID }));
  await operator("PUT", "/admin/stop_list", stop);
}

async function addItem(page, itemId, modifierIds = []) {
  await page.click(`.item[data-item="${itemId}"] button`);
  const dialog = page.locator("#modifiers-dialog");
  if (await dialog.isVisible()) {
    for (const mod of modifierIds) await page.click(`#modifier-groups button[data-modifier="${mod}"]`);
    await page.click("#modifiers-add");
  }
}

// Roubles are printed the Russian way ("1 200 ₽", with a no-break space): compare without spaces.
const text = async (page, selector) => (await page.locator(selector).innerText()).trim();

async function main() {
  await seed();
  const profile = mkdtempSync(join(tmpdir(), "storefront-chromium-"));
  // A fresh profile each run (playwright passes it as --user-data-dir); a phone-width screen.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    locale: "ru-RU",
    // A browser far from the restaurant: the page must still show the restaurant's times.
    timezoneId: "Pacific/Honolulu",
  });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (err) => errors.push(err.message));
    await page.goto(`${base}/?restaurant_id=${ID}&concept_id=${CONCEPT}`);
    await page.waitForSelector(".item[data-item='T20231']");
    check((await text(page, "#restaurant-name")).includes("Вкусные суши"), "restaurant name");

    // The stop-listed drink is shown, unavailable.
    const drink = page.locator(".item[data-item='D100']");
    check(await drink.evaluate((n) => n.classList.contains("unavailable")), "D100 is not shown unavailable");
    check(await drink.locator("button").isDisabled(), "D100 can be added");

    // A point inside the zone: its terms appear at once.
    const zone = page.locator("#zones-svg polygon").first();
    const box = await zone.boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector("#zone-minimum");
    check((await text(page, "#zone-minimum")).includes("600"), "zone minimum");
    check((await text(page, "#zone-delivery")).includes("125"), "zone delivery price");
    check((await text(page, "#zone-free")).replace(/\s/g, "").includes("1200₽"), "free threshold");
    check((await text(page, "#zone-time")).includes("75"), "delivery time");

    await page.fill("#client-name", "Пётр");
    await page.fill("#client-phone", "+7 922 988-33-22");
    await page.fill("#address-name", "Москва, Большая Садовая, 10");

    // Below the minimum: 500 ₽ of rolls. The hub refuses; the error sits by the cart.
    await addItem(page, "T20231");
    await page.screenshot({ path: join(shots, "storefront-menu.png"), fullPage: true });
    await page.click("#submit");
    const below = page.locator('[data-error-for="cart.items"] [data-code="below_minimum"]');
    await below.waitFor({ timeout: 10000 });
    await below.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, "storefront-below-minimum.png") });

    // Replace it with a roll and a modifier: 700 + 50 = 750 ₽, delivery 125 ₽, total 875 ₽.
    await page.click('.cart-line[data-line="0"] button[aria-label="Меньше"]');
    await addItem(page, "555333111", ["6021"]);
    check((await text(page, "#subtotal")).replace(/\s/g, "") === "750₽", `subtotal ${await text(page, "#subtotal")}`);
    check((await text(page, "#delivery-price")).replace(/\s/g, "") === "125₽", "delivery 125");
    check((await text(page, "#total")).replace(/\s/g, "") === "875₽", "total 875");
    await page.click("#submit");
    await page.waitForSelector("#status-section:not([hidden])", { timeout: 10000 });
    const orderId = await text(page, "#order-number");
    await page.waitForSelector('#timeline[data-current="0"]');

    // The operator moves the order; the page follows by polling.
    for (const status of [10, 20]) {
      await operator("POST", `/admin/orders/${encodeURIComponent(orderId)}/status`, { status });
      await page.waitForSelector(`#timeline[data-current="${status}"] li.current[data-status="${status}"]`, { timeout: 15000 });
    }
    await page.screenshot({ path: join(shots, "storefront-status.png"), fullPage: true });
    check((await page.locator("#events li").count()) === 0, "a site order has no driver events");

    // The driver's journey of a Just Eat order, in the page's own status view (it polls the
    // public read): in the order it happened, one driver position, no driver's number.
    const ocOrder = await orderWithDriverEvents();
    await page.click("#new-order");
    await page.evaluate((id) => { state.orderId = id; showStatus(); }, ocOrder);
    await page.waitForSelector('#events[data-count="4"]', { timeout: 15000 });
    const kinds = await page.locator("#events li").evaluateAll((lis) => lis.map((li) => li.dataset.kind));
    const want = ["driver_assigned", "driver_at_restaurant", "driver_on_the_way", "driver_location"];
    check(JSON.stringify(kinds) === JSON.stringify(want), `events ${JSON.stringify(kinds)}`);
    check(await page.locator("#events-title").isVisible(), "the events' title is hidden");
    check((await text(page, '#events li[data-kind="driver_at_restaurant"]')).includes("Курьер в ресторане"), "at restaurant named");
    check((await text(page, '#events li[data-kind="driver_assigned"]')).includes("ожидается к"), "the pickup ETA shown");
    check(!(await page.content()).includes("447123456789"), "the driver's number reached the page");
    // Times are the restaurant's wall clock as the hub answers them, not the browser's zone.
    const publicView = await (await fetch(`${base}/site-api/orders/${ocOrder}`)).json();
    const atRestaurant = publicView.timeline.find((e) => e.kind === "driver_at_restaurant").at;
    const wall = /T(\d{2}:\d{2})/.exec(atRestaurant)[1];
    check((await text(page, '#events li[data-kind="driver_at_restaurant"]')).includes(wall),
      `the event shows ${wall}, the restaurant's time of ${atRestaurant}`);
    await page.screenshot({ path: join(shots, "storefront-driver.png"), fullPage: true });
    check(errors.length === 0, `page errors: ${errors.join("; ")}`);
    console.log(`storefront: ok (order ${orderId} accepted, statuses 0 → 10 → 20 shown; below-minimum refused next to the cart; a Just Eat order's driver events listed)`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`storefront: FAILED: ${err.stack || err}`);
  process.exit(1);
});
