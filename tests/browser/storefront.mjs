// The reference storefront in Debian's chromium (playwright-core, no downloaded browser),
// against a running Worker: node tests/browser/storefront.mjs <base-url> <screenshot-dir>
//
// It places a delivery order with a modifier and sees it accepted, moves its status through
// the operator endpoint and sees the page follow, and sees an order below the zone's
// minimum refused with the error next to the cart. The restaurant is its own, open round
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
    check(errors.length === 0, `page errors: ${errors.join("; ")}`);
    console.log(`storefront: ok (order ${orderId} accepted, statuses 0 → 10 → 20 shown; below-minimum refused next to the cart)`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`storefront: FAILED: ${err.stack || err}`);
  process.exit(1);
});
