// Prints the SQL that loads the demo catalog (fixtures/demo/) into D1.
// The fixtures are the one source of the demo data; this only turns them into rows.
// Idempotent: INSERT OR REPLACE, so `make dev` may load it on every start.
// Usage: node scripts/demo-sql.mjs > build/demo-data.sql
import { readFileSync } from "node:fs";

const demo = (name) => JSON.parse(readFileSync(new URL(`../fixtures/demo/${name}.json`, import.meta.url), "utf8"));
const sql = (value) => (value === null || value === undefined ? "NULL" : `'${String(value).replaceAll("'", "''")}'`);
const utc = (rfc3339) => new Date(rfc3339).toISOString();
const rows = [];

const restaurant = demo("restaurant-000127");
const { utc_offset, jet_location_id, orderconnect_restaurant_id, ...place } = restaurant;
const loadedAt = "2024-05-21T13:19:13.000Z";
rows.push(
  `INSERT OR REPLACE INTO restaurants (id, place, utc_offset, jet_location_id, orderconnect_restaurant_id, online, updated_at) VALUES (${sql(place.id)}, ${sql(JSON.stringify(place))}, ${sql(utc_offset)}, ${sql(jet_location_id)}, ${sql(orderconnect_restaurant_id)}, 1, ${sql(loadedAt)});`,
);

const zones = demo("delivery_zones-000127-7");
for (const zone of zones.zones) {
  rows.push(
    `INSERT OR REPLACE INTO delivery_zones (restaurant_id, concept_id, zone_id, name, zone, deleted, last_change) VALUES (${sql(zones.restaurant_id)}, ${sql(zones.concept_id)}, ${sql(zone.id)}, ${sql(zone.name)}, ${sql(JSON.stringify(zone))}, 0, ${sql(utc(zone.lastChange))});`,
  );
}
for (const zone of zones.deleted_zones) {
  rows.push(
    `INSERT OR REPLACE INTO delivery_zones (restaurant_id, concept_id, zone_id, name, zone, deleted, last_change) VALUES (${sql(zones.restaurant_id)}, ${sql(zones.concept_id)}, ${sql(zone.id)}, ${sql(zone.name)}, ${sql(JSON.stringify(zone))}, 1, ${sql(utc(zone.lastChange))});`,
  );
}

const menu = demo("menu-000127-7");
rows.push(
  `INSERT OR REPLACE INTO menus (restaurant_id, concept_id, menu, last_change) VALUES (${sql(menu.restaurant_id)}, ${sql(menu.concept_id)}, ${sql(JSON.stringify(menu.menu))}, ${sql(utc(menu.menu.lastChange))});`,
);

for (const list of demo("stop_list").stop_lists) {
  rows.push(`DELETE FROM stop_list_items WHERE restaurant_id = ${sql(list.restaurant_id)};`);
  for (const item of list.items) {
    rows.push(
      `INSERT INTO stop_list_items (restaurant_id, item_id, until, happened_at) VALUES (${sql(list.restaurant_id)}, ${sql(item.id)}, NULL, ${sql(utc(list.lastChange))});`,
    );
  }
  rows.push(`INSERT OR REPLACE INTO stop_lists (restaurant_id, last_change) VALUES (${sql(list.restaurant_id)}, ${sql(utc(list.lastChange))});`);
}

process.stdout.write(rows.join("\n") + "\n");
