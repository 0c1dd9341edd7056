// The generated chain that `make bench-scale` and `make bench-load` put in front of the hub
// (issue 21): restaurants of concept 7 on a grid, each with 50 delivery zones and one
// 500-item menu, and 20-line site orders routed by coordinates (as a storefront sends
// them: `address.coords`, no `zone_id`) or by `zone_id`. Coordinates are written as
// Jupiter writes them, with 16–17 significant digits.
//
// As a command, seeds restaurant S0000 with zones of `vertices` vertices each (default 480:
// 50 zones, 24,000 vertices, the realistic catalog of issue 21) and writes a coordinate-
// routed order template whose number is `@NUMBER@`:
//   node scripts/bench-catalog.mjs <base-url> <order-template-out> [vertices]

import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

export const CONCEPT = "7";
export const ZONES = 50; // per restaurant: a 10 × 5 grid of cells
const CELL = 0.02; // degrees
export const ITEMS = 500;
export const OPERATOR = { "X-Flyt-Api-Key": "dev-operator-key" };

export const id = (i) => `S${String(i).padStart(4, "0")}`;
// Restaurants on a 40-wide grid 0.25° apart (their 0.2° × 0.1° zone blocks never overlap),
// 30–40°E, 45–51.25°N: clear of the demo restaurant's Moscow zones (55.75°N), which an
// order routed by coordinates would otherwise find first.
const origin = (i) => [30 + (i % 40) * 0.25, 45 + Math.floor(i / 40) * 0.25];
// 16–17 significant digits.
export const coord = (x) => (x + 1e-13 * ((x * 7919) % 1)).toPrecision(17).replace(/0+$/, "");

/// Zone `j` of restaurant `i`: a regular `vertices`-gon inside its grid cell.
export function zone(i, j, vertices = 8) {
  const [lon0, lat0] = origin(i);
  const lon = lon0 + (j % 10) * CELL;
  const lat = lat0 + Math.floor(j / 10) * CELL;
  const ring = [];
  for (let k = 0; k < vertices; k++) {
    const a = ((2 * Math.PI) / vertices) * k;
    ring.push([coord(lon + CELL / 2 + 0.45 * CELL * Math.cos(a)), coord(lat + CELL / 2 + 0.45 * CELL * Math.sin(a))]);
  }
  ring.push(ring[0]);
  return {
    id: `${id(i)}-z${j}`, name: `Зона ${j}`, sum_min: 600, time_min: 45, time_max: 75,
    delivery_price: 125, sum_for_free: 1200, coordinates: ring,
  };
}

export function zoneCenter(i, j) {
  const [lon0, lat0] = origin(i);
  return [lon0 + (j % 10) * CELL + CELL / 2, lat0 + Math.floor(j / 10) * CELL + CELL / 2];
}

export const MENU = (() => {
  const categories = Array.from({ length: 20 }, (_, c) => ({ id: `c${c}`, name: `Категория ${c}`, sortOrder: c }));
  const sauces = {
    id: "g-sauce", name: "Соус", minSelectedModifiers: 0, maxSelectedModifiers: 3, sortOrder: 0,
    modifiers: [
      { id: "m1", name: "Соевый соус (30 г)", price: 50, vat: 0, minAmount: 0, maxAmount: 3, sortOrder: 0 },
      { id: "m2", name: "Имбирь (30 г)", price: 50, vat: 0, minAmount: 0, maxAmount: 3, sortOrder: 1 },
    ],
  };
  const items = Array.from({ length: ITEMS }, (_, k) => ({
    id: `I${k}`, categoryId: `c${k % 20}`, name: `Блюдо ${k}`,
    description: "Рис, нори, сыр сливочный, огурец, лосось. Подается с соевым соусом.",
    price: 300 + (k % 50) * 10, vat: 0, measure: 240, measureUnit: "г", sortOrder: k,
    ...(k % 4 === 0 ? { modifiers: [sauces] } : {}),
  }));
  return { lastChange: "2024-05-21T16:19:13.000+03:00", categories, items };
})();

/// An hour from now on the restaurants' wall clock (+03:00), as Jupiter writes a date.
function localSoon() {
  return new Date(Date.now() + 4 * 3600e3).toISOString().slice(0, 19).replace("T", " ");
}

/// The `k`-th 20-line order for restaurant `i`, routed by "coords" or "zone_id".
export function order(i, k, route, number) {
  const j = (k * 7) % ZONES;
  const [lon, lat] = zoneCenter(i, j);
  const address = route === "coords"
    ? { name: "Москва", coords: { latitude: coord(lat), longitude: coord(lon) } }
    : { name: "Москва", zone_id: `${id(i)}-z${j}` };
  const items = Array.from({ length: 20 }, (_, l) => {
    const item = MENU.items[(k * 13 + l * 17) % ITEMS];
    return { id: item.id, name: item.name, count: 1, cost: item.price };
  });
  const total = items.reduce((s, it) => s + it.cost, 0);
  return {
    action: "new_order",
    body: {
      number, restaurant_id: id(i), concept_id: CONCEPT,
      date: localSoon(), delivery_method: "courier",
      cart: { items, delivery: 0, total },
      client: { name: "Пётр", phone: `+7 922 ${String(1000000 + k).slice(-7)}` },
      address, payment: { method: "cash", sum: total },
    },
  };
}

async function put(base, path, body) {
  const response = await fetch(`${base}${path}`, {
    method: "PUT", headers: { "Content-Type": "application/json", ...OPERATOR }, body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`PUT ${path}: ${response.status} ${(await response.text()).slice(0, 400)}`);
}

/// Restaurant `i`: always open, its zones and its menu.
export async function seedRestaurant(base, i, vertices = 8) {
  const rid = id(i);
  await put(base, `/admin/restaurants/${rid}`, {
    id: rid, name: `Ресторан ${rid}`, utc_offset: "+03:00", start_time: 0, end_time: 86400,
    self_delivery: true, concepts: [{ id: CONCEPT, name: "Вкусные суши" }],
  });
  const zones = Array.from({ length: ZONES }, (_, j) => zone(i, j, vertices));
  await put(base, `/admin/delivery_zones?restaurant_id=${rid}&concept_id=${CONCEPT}`,
    { restaurant_id: rid, concept_id: CONCEPT, lastChange: "2024-05-21T16:19:13.000+03:00", zones });
  await put(base, `/admin/menu?restaurant_id=${rid}&concept_id=${CONCEPT}`, { restaurant_id: rid, concept_id: CONCEPT, menu: MENU });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [base, out, vertices] = process.argv.slice(2);
  await seedRestaurant(base, 0, Number(vertices ?? 480));
  writeFileSync(out, JSON.stringify(order(0, 1, "coords", "@NUMBER@")));
}
