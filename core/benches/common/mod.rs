//! The benchmark workloads: a deterministic generator of the issue-8 input files, and the
//! pipelines that are timed on them.
//!
//! This one file is shared by the criterion benchmarks (`core/benches/hot_paths.rs`), the
//! workload writer (`bench/src/bin/gen-workloads.rs`) and the wasm32 build driven under
//! Node.js (`bench/src/lib.rs`), which include it with `#[path]`: the native and the wasm
//! figures then come from the very same code on the very same bytes. A crate of its own
//! would have to be a dev-dependency of core while depending on core (a cycle).
//!
//! Files (the names `make bench WORKLOADS=<dir>` reads, see issue 8):
//! * `menu-N.json`: a JET Connect `POST /menus` body with N items;
//! * `catalog-N.json`: `{restaurants, delivery_zones, menu, stop_list}` in Jupiter form
//!   with an N-item menu; `order-N.json`: a Jupiter `new_order` body of N lines, valid
//!   against `catalog-500.json` at `meta.json`'s `now`;
//! * `zones-N.json`: a Jupiter delivery_zones document of N zones (3 to 1,000 vertices);
//!   `points-N.json`: `{"points": [[lon, lat], …], "expected": [zone id or null, …]}`,
//!   the expected id being the first zone in document order that contains the point.
//!
//! * `jet-order-N.json`: a JET Connect Receive Order of N lines; `connect-order-1.json`: an
//!   Orderconnect `ConnectOrder` for the demo restaurant (translation workloads).
//!
//! Randomness is a fixed-seed xorshift64*, so every run (and every machine) generates the
//! same bytes.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use orderbridge_core::catalog::concept_key;
use orderbridge_core::catalog_pull::offset_of;
use orderbridge_core::domain::Money;
use orderbridge_core::geo::{point_cells, stored_zone_bbox, BBox};
use orderbridge_core::geo::{Point, Polygon, ZoneIndex};
use orderbridge_core::jet::to_jupiter::{jupiter_menu, MenuIngest};
use orderbridge_core::jet::{self, wire::MenusRequest};
use orderbridge_core::jupiter::{
    self, Category, DeliveryZonesResponse, Item, MenuResponse, Modifier, ModifierGroup, Place,
    RestaurantsResponse, StopList, StopListItem, StopListResponse, Zone,
};
use orderbridge_core::order::validate::{candidates, routed_restaurant, Rules, ZoneLookup};
use orderbridge_core::order::validate::{
    validate_borrowing, ConceptState, OrderContext, RestaurantState, ValidOrder,
    DEFAULT_MAX_PREORDER_DAYS,
};
use orderbridge_core::order::wire::{self, NewOrderRequest};
use orderbridge_core::zone_memo::{
    routable, zone_key, zone_version, Limits as MemoLimits, RoutableZone, ZoneMemo,
};

/// Sizes issue 8 names.
pub const ORDER_LINES: [usize; 3] = [1, 20, 100];
pub const MENU_ITEMS: [usize; 3] = [50, 500, 5_000];
pub const ZONE_COUNTS: [usize; 3] = [1, 50, 500];
/// Items of the catalog the orders are checked against (`catalog-500.json`).
pub const CATALOG_ITEMS: usize = 500;
/// Points resolved per zones file.
pub const POINTS: usize = 1_000;
/// The validation time of the generated orders: 15:00 in Moscow, the restaurant is open.
pub const NOW: &str = "2024-04-08T12:00:00Z";
/// `lastChange` and `ingested at` stamps.
const STAMP: &str = "2024-04-08T15:00:00.000+03:00";

/// xorshift64*: small, fast, and the same sequence everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform in `0..n` (n ≥ 1; the modulo bias is irrelevant here).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const WORDS: &[&str] = &[
    "Classic", "Spicy", "Smoked", "Garden", "Double", "Crispy", "Golden", "Fresh", "Royal",
    "Sunny", "Wild", "Stone", "Baked", "Grilled", "House", "Harbour",
];
const DISHES: &[&str] = &[
    "Burger", "Wrap", "Salad", "Pizza", "Roll", "Bowl", "Soup", "Taco", "Noodles", "Curry",
];

fn name(rng: &mut Rng) -> String {
    let a = WORDS[rng.below(WORDS.len() as u64) as usize];
    let b = WORDS[rng.below(WORDS.len() as u64) as usize];
    let c = DISHES[rng.below(DISHES.len() as u64) as usize];
    format!("{a} {b} {c}")
}

// ---------------------------------------------------------------------------------------
// JET Connect menus
// ---------------------------------------------------------------------------------------

/// A JET Connect `POST /menus` body with `items` items in categories of 25, shaped like
/// the shared examples (`menus-request-basic|with-modifiers|pick-options.json`): every item
/// has a description, a translation, a price, a gallery image, dietary restrictions and
/// spiciness; every 3rd item has a modifier group (`pick.exactly` 1, 2–4 options), every
/// 10th has portions instead of its own price, every 25th a `pick.range` group. About
/// 400 bytes per item (5,000 items ≈ 2 MB, the size issue 8 quotes).
pub fn jet_menus(items: usize) -> Vec<u8> {
    let mut rng = Rng::new(0x6a65_742d_6d65_6e75 ^ items as u64);
    let mut categories = Vec::new();
    let mut made = 0;
    let mut cat = 0;
    while made < items {
        let mut list = Vec::new();
        for _ in 0..25.min(items - made) {
            list.push(jet_item(made, &mut rng));
            made += 1;
        }
        categories.push(json!({
            "name": format!("Category {cat}"),
            "description": "Dishes of the house.",
            "translations": {"es-ES": {"name": format!("Categoría {cat}"), "description": "De la casa."}},
            "gallery": [{"url": format!("https://img.example/c/{cat}.jpg")}],
            "items": list,
        }));
        cat += 1;
    }
    let day = json!(["08:00 - 23:00"]);
    let doc = json!({
        "restaurants": ["11232", "99234"],
        "menus": [{
            "name": "Bench Menu",
            "reference": "bench",
            "type": "DELIVERY",
            "default_language": "en-US",
            "availability": {
                "monday": day, "tuesday": day, "wednesday": day, "thursday": day,
                "friday": day, "saturday": day, "sunday": day,
            },
            "categories": categories,
        }],
        "callback_url": "https://pos.example/menu-status",
    });
    serde_json::to_vec(&doc).expect("a json! value serialises")
}

fn jet_item(i: usize, rng: &mut Rng) -> Value {
    let plu = format!("P{i:05}");
    let spiciness = ["MILD", "MEDIUM", "HOT"][i % 3];
    let diet = ["NONE", "VEGETARIAN", "VEGAN"][i % 3];
    let mut item = json!({
        "name": name(rng),
        "description": "Made to order with seasonal ingredients and our own sauce.",
        "translations": {"es-ES": {"name": "Plato", "description": "Hecho al momento."}},
        "plu": plu,
        "reference": format!("ref-{i}"),
        "gallery": [{"url": format!("https://img.example/i/{i}.jpg")}],
        "is_alcoholic": false,
        "spiciness": spiciness,
        "dietary_restrictions": [diet],
        "tax_percentage": 20,
        "weight": {"unit_name": "g", "gross_value": 250 + rng.below(300), "net_value": 200},
    });
    if i % 10 == 9 {
        item["portions"] = json!([
            {"name": "Small", "description": "", "plu": format!("{plu}-S"), "price": 900 + rng.below(500), "modifiers": []},
            {"name": "Large", "description": "", "plu": format!("{plu}-L"), "price": 1500 + rng.below(500), "modifiers": []},
        ]);
    } else {
        item["price"] = json!(500 + rng.below(2_000));
    }
    if i.is_multiple_of(3) {
        let options: Vec<Value> = (0..2 + rng.below(3))
            .map(|o| json!({"name": format!("Option {o}"), "plu": format!("{plu}-O{o}"), "price": o * 50}))
            .collect();
        item["modifiers"] = json!([{
            "name": "Sauce",
            "description": "Choose one.",
            "pick": {"exactly": 1, "pick_same_option": false},
            "options": options,
        }]);
    }
    if i % 25 == 24 {
        item["modifiers"] = json!([{
            "name": "Extras",
            "description": "Up to three.",
            "pick": {"range": {"from": 0, "to": 3}, "pick_same_option": true},
            "options": [
                {"name": "Cheese", "plu": format!("{plu}-X1"), "price": 100},
                {"name": "Bacon", "plu": format!("{plu}-X2"), "price": 150},
            ],
        }]);
    }
    item
}

/// Serde straight into the typed wire structs: the floor every ingestion pays.
pub fn menu_parse(bytes: &[u8]) -> MenusRequest<'_> {
    jet::wire::parse_menus(bytes).expect("the workload parses")
}

/// Parse, validate, choose one menu per concept and type, collect the stop list, convert
/// each menu to the Jupiter form (the borrowed view). Returns the items emitted.
pub fn menu_ingest(bytes: &[u8]) -> usize {
    let ingest = MenuIngest::from_body(bytes).expect("the workload is valid");
    ingest
        .chosen()
        .map(|menu| jupiter_menu(menu, STAMP).item_count())
        .sum()
}

/// The whole pure part of `POST /jet-connect/menus`, exactly as the Worker's handler runs
/// it for restaurants that share one UTC offset: [`MenuIngest::from_body`], then the stored
/// JSON texts ([`MenuIngest::texts_at`]); the handler only binds them to D1 statements.
/// Returns the stored bytes.
pub fn menu_ingest_stored(bytes: &[u8]) -> usize {
    let ingest = MenuIngest::from_body(bytes).expect("the workload is valid");
    let keys = ingest.keys().len() + ingest.concepts().len() + ingest.stopped().len();
    keys + ingest
        .texts_at(STAMP)
        .iter()
        .map(String::len)
        .sum::<usize>()
}

// ---------------------------------------------------------------------------------------
// Zones
// ---------------------------------------------------------------------------------------

/// A Jupiter delivery_zones document of `count` zones over a 0.6° × 0.5° city (Moscow's
/// coordinates). Each zone is star-shaped around its centre (strictly increasing angles,
/// positive radii), hence simple; vertex counts are uniform in 3..=1,000, the first zone
/// of every 10 has exactly 1,000. Neighbouring zones overlap a little, as real ones do.
pub fn zones_doc(count: usize) -> DeliveryZonesResponse {
    let mut rng = Rng::new(0x7a6f_6e65 ^ count as u64);
    let side = (count as f64).sqrt().ceil().max(1.0);
    let (w, h) = (0.6 / side, 0.5 / side);
    let zones = (0..count)
        .map(|k| {
            let (cx, cy) = (k as f64 % side, (k as f64 / side).floor());
            let centre = (37.3 + (cx + 0.5) * w, 55.5 + (cy + 0.5) * h);
            let n = if k.is_multiple_of(10) {
                1_000
            } else {
                3 + rng.below(998) as usize
            };
            let phase = rng.unit() * std::f64::consts::TAU;
            let coordinates = (0..n)
                .map(|j| {
                    let step = std::f64::consts::TAU / n as f64;
                    let theta = (j as f64 + 0.4 * rng.unit()) * step;
                    let r = 0.6 * (1.0 + 0.25 * (5.0 * theta + phase).sin() + 0.1 * rng.unit());
                    let lon = centre.0 + r * w * theta.cos();
                    let lat = centre.1 + r * h * theta.sin();
                    [format!("{lon:.6}"), format!("{lat:.6}")]
                })
                .collect();
            Zone {
                id: format!("Z{k:04}"),
                name: format!("Zone {k}"),
                sum_min: Some(rub(600)),
                time_min: Some(45),
                time_max: Some(75),
                delivery_price: Some(rub(125)),
                sum_for_free: Some(rub(1_200)),
                last_change: Some(STAMP.to_owned()),
                coordinates,
            }
        })
        .collect();
    DeliveryZonesResponse {
        restaurant_id: "000127".to_owned(),
        concept_id: Some("7".to_owned()),
        last_change: STAMP.to_owned(),
        zones,
        deleted_zones: None,
    }
}

/// `points-N.json`: the points to resolve and the expected zone of each.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PointsFile {
    pub points: Vec<[f64; 2]>,
    pub expected: Vec<Option<String>>,
}

/// Points uniform over the zones' bounding box (most fall in a zone, some between), with
/// the expected answers computed by the plain scan (no index).
pub fn points_for(doc: &DeliveryZonesResponse, count: usize) -> PointsFile {
    let mut rng = Rng::new(0x706f_696e ^ doc.zones.len() as u64);
    let polygons = zone_polygons(doc);
    let (mut lo, mut hi) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
    for p in polygons.iter().flat_map(|p| p.vertices()) {
        lo = (lo.0.min(p.lon), lo.1.min(p.lat));
        hi = (hi.0.max(p.lon), hi.1.max(p.lat));
    }
    let points: Vec<[f64; 2]> = (0..count)
        .map(|_| {
            [
                lo.0 + rng.unit() * (hi.0 - lo.0),
                lo.1 + rng.unit() * (hi.1 - lo.1),
            ]
        })
        .collect();
    let expected = points
        .iter()
        .map(|&[lon, lat]| {
            let p = Point { lon, lat };
            polygons
                .iter()
                .position(|z| z.contains_by_scan(p))
                .map(|i| doc.zones[i].id.clone())
        })
        .collect();
    PointsFile { points, expected }
}

/// Every zone's polygon, validated (the bench inputs must be valid).
pub fn zone_polygons(doc: &DeliveryZonesResponse) -> Vec<Polygon> {
    doc.zones
        .iter()
        .enumerate()
        .map(|(i, z)| {
            Polygon::from_jupiter(&z.coordinates, &format!("zones[{i}].coordinates"))
                .unwrap_or_else(|v| panic!("zone {i} of the workload is invalid: {v:?}"))
        })
        .collect()
}

/// Serde straight into the typed Jupiter document.
pub fn zones_parse(bytes: &[u8]) -> DeliveryZonesResponse {
    serde_json::from_slice(bytes).expect("the zones workload parses")
}

/// Loading the zones: parse, the admin document checks (every polygon validated), index.
pub fn zones_load(bytes: &[u8]) -> ZoneIndex {
    let doc = zones_parse(bytes);
    let polygons = jupiter::validate_delivery_zones(&doc).expect("the zones workload is valid");
    ZoneIndex::new(polygons)
}

/// Resolves every point with the index; the number of points whose answer differs from
/// `expected` (0 when the index agrees with the plain scan).
pub fn resolve_all(index: &ZoneIndex, doc_ids: &[String], points: &PointsFile) -> usize {
    points
        .points
        .iter()
        .zip(&points.expected)
        .filter(|(&[lon, lat], want)| {
            let got = index.first_containing(Point { lon, lat });
            got.map(|i| &doc_ids[i]) != want.as_ref()
        })
        .count()
}

/// The same answers by the plain scan over every zone (no prefilter): the baseline.
pub fn resolve_all_by_scan(polygons: &[Polygon], points: &PointsFile) -> usize {
    points
        .points
        .iter()
        .filter(|&&[lon, lat]| {
            let p = Point { lon, lat };
            polygons.iter().any(|z| z.contains_by_scan(p))
        })
        .count()
}

// ---------------------------------------------------------------------------------------
// Site orders
// ---------------------------------------------------------------------------------------

fn money(minor: i64) -> Money {
    Money::from_minor(minor, "bench").expect("bench amounts are in range")
}

/// Whole roubles.
fn rub(roubles: i64) -> Money {
    money(roubles * 100)
}

/// `catalog-N.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CatalogFile {
    pub restaurants: RestaurantsResponse,
    pub delivery_zones: DeliveryZonesResponse,
    pub menu: MenuResponse,
    pub stop_list: StopListResponse,
}

/// `meta.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MetaFile {
    /// The validation time, RFC 3339.
    pub now: String,
}

/// The demo restaurant (000127, concept 7, open 09:00–23:00 at +03:00) with an `items`-item
/// menu in 20 categories: every 4th item has a required group (exactly one of 3 sauces),
/// every 7th an optional group of extras (0–2, each up to 2 times); 5 zones; 10 items of
/// the menu's tail and one sauce are on the stop list.
pub fn catalog(items: usize) -> CatalogFile {
    let mut rng = Rng::new(0xca7a_1095 ^ items as u64);
    let place: Place = serde_json::from_value(json!({
        "id": "000127", "name": "Bench Restaurant", "address": "Moscow",
        "start_time": 32_400, "end_time": 82_800, "self_delivery": true,
        "concepts": [{"id": "7", "name": "Bench"}],
    }))
    .expect("a valid place");
    let categories: Vec<Category> = (0..20)
        .map(|c| Category {
            id: format!("cat-{c}"),
            name: format!("Category {c}"),
            sort_order: Some(c),
            images: Some(Vec::new()),
        })
        .collect();
    let menu_items = (0..items)
        .map(|i| {
            let mut groups = Vec::new();
            if i.is_multiple_of(4) {
                groups.push(ModifierGroup {
                    id: format!("I{i:05}:1"),
                    name: "Sauce".to_owned(),
                    min_selected_modifiers: 1,
                    max_selected_modifiers: 1,
                    sort_order: Some(0),
                    parent_group_id: None,
                    parent_modifier_id: None,
                    modifiers: (0..3)
                        .map(|m| modifier(&format!("S{m}"), (30 + 10 * m as i64) * 100, 1))
                        .collect(),
                });
            }
            if i.is_multiple_of(7) {
                groups.push(ModifierGroup {
                    id: format!("I{i:05}:2"),
                    name: "Extras".to_owned(),
                    min_selected_modifiers: 0,
                    max_selected_modifiers: 2,
                    sort_order: Some(1),
                    parent_group_id: None,
                    parent_modifier_id: None,
                    modifiers: (0..4)
                        .map(|m| modifier(&format!("E{m}"), (50 + 25 * m as i64) * 100, 2))
                        .collect(),
                });
            }
            Item {
                id: format!("I{i:05}"),
                category_id: format!("cat-{}", i % 20),
                name: name(&mut rng),
                description: Some("Made to order with seasonal ingredients.".to_owned()),
                // 300.00–1,200.00 in steps of 0.50, so decimals are exercised.
                price: money(rub(300).minor() + 50 * rng.below(1_800) as i64),
                vat: Some(20.into()),
                measure: Some((200 + rng.below(300)).into()),
                measure_unit: Some("г".to_owned()),
                sort_order: Some(i as i64),
                nutrients: None,
                modifiers: (!groups.is_empty()).then_some(groups),
                images: None,
                tags: None,
            }
        })
        .collect();
    let stopped: Vec<StopListItem> = (items.saturating_sub(10)..items)
        .map(|i| StopListItem {
            id: format!("I{i:05}"),
        })
        .chain([StopListItem {
            id: "S2".to_owned(),
        }])
        .collect();
    CatalogFile {
        restaurants: RestaurantsResponse {
            places: vec![place],
        },
        delivery_zones: zones_doc(5),
        menu: MenuResponse {
            restaurant_id: "000127".to_owned(),
            concept_id: Some("7".to_owned()),
            menu: jupiter::Menu {
                last_change: STAMP.to_owned(),
                categories,
                items: menu_items,
            },
        },
        stop_list: StopListResponse {
            stop_lists: vec![StopList {
                restaurant_id: "000127".to_owned(),
                last_change: STAMP.to_owned(),
                items: stopped,
            }],
        },
    }
}

fn modifier(id: &str, price: i64, max_amount: u32) -> Modifier {
    Modifier {
        id: id.to_owned(),
        name: format!("Modifier {id}"),
        price: money(price),
        vat: Some(20.into()),
        min_amount: 0,
        max_amount,
        sort_order: None,
    }
}

/// A courier order of `lines` distinct items that every rule accepts at [`NOW`]: prices
/// as on the menu, a sauce for items that need one, extras where offered, delivery and
/// totals computed as the hub does. Routed by `zone_id` (the first zone).
pub fn order(cat: &CatalogFile, lines: usize) -> Vec<u8> {
    let mut rng = Rng::new(0x0de2 ^ lines as u64);
    let stopped: BTreeSet<&str> = cat.stop_list.stop_lists[0]
        .items
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    let usable: Vec<&Item> = cat
        .menu
        .menu
        .items
        .iter()
        .filter(|i| !stopped.contains(i.id.as_str()))
        .collect();
    let mut subtotal = Money::ZERO;
    let mut cart = Vec::new();
    for l in 0..lines {
        // Spread the lines over the whole menu, so lookups are not all at its head.
        let item = usable[(l * 7919 + rng.below(7) as usize) % usable.len()];
        let count = 1 + rng.below(3) as i64;
        let mut unit = item.price;
        let mut mods = Vec::new();
        for g in item.modifiers.iter().flatten() {
            let take = if g.min_selected_modifiers > 0 {
                1
            } else {
                rng.below(3) as usize
            };
            for m in g
                .modifiers
                .iter()
                .filter(|m| !stopped.contains(m.id.as_str()))
                .take(take)
            {
                unit = unit.checked_add(m.price).expect("small sums");
                mods.push(json!({"id": m.id, "name": m.name, "count": 1, "cost": m.price.to_decimal_string().parse::<f64>().unwrap_or(0.0)}));
            }
        }
        subtotal = subtotal
            .checked_add(unit.checked_mul(count).expect("small sums"))
            .expect("small sums");
        let mut line =
            json!({"id": item.id, "name": item.name, "count": count, "cost": decimal(item.price)});
        if !mods.is_empty() {
            line["modifiers"] = Value::Array(mods);
        }
        cart.push(line);
    }
    let zone = &cat.delivery_zones.zones[0];
    let delivery = match zone.sum_for_free {
        Some(free) if subtotal >= free => Money::ZERO,
        _ => zone.delivery_price.unwrap_or(Money::ZERO),
    };
    let total = subtotal.checked_add(delivery).expect("small sums");
    let doc = json!({
        "action": "new_order",
        "body": {
            "number": format!("BENCH-{lines}"),
            "restaurant_id": "000127",
            "concept_id": "7",
            "date": "2024-04-08 15:00:00",
            "delivery_method": "courier",
            "persons": 2,
            "comment": "Ring twice",
            "status_url": "https://shop.example/status?order=1",
            "cart": {"items": cart, "delivery": decimal(delivery), "total": decimal(total)},
            "client": {"name": "Пётр", "phone": "+7(922)988-33-22"},
            "address": {"name": "Москва, Большая Садовая, 10", "zone_id": zone.id},
            "payment": {"method": "cash", "sum": decimal(total), "change": decimal(total.checked_add(rub(1_000)).expect("small"))},
        }
    });
    serde_json::to_vec(&doc).expect("a json! value serialises")
}

/// Money as a JSON number with its decimals (`1250.5`), as front-ends send it.
fn decimal(m: Money) -> Value {
    serde_json::from_str(&m.to_decimal_string()).expect("a decimal string is a JSON number")
}

/// The catalog as validation reads it (what the edge loads from D1 for the routed
/// restaurant), and `now`.
pub struct OrderWorld {
    pub restaurants: Vec<RestaurantState>,
    pub now: DateTime<Utc>,
}

/// Builds the validation context from `catalog-N.json` and `meta.json`: each place a
/// restaurant in the offset of the menu's `lastChange`, online, with the document's zones,
/// menu and stop list under the named concept.
pub fn order_world(catalog_bytes: &[u8], meta_bytes: &[u8]) -> OrderWorld {
    let cat: CatalogFile = serde_json::from_slice(catalog_bytes).expect("catalog parses");
    let meta: MetaFile = serde_json::from_slice(meta_bytes).expect("meta parses");
    let now = DateTime::parse_from_rfc3339(&meta.now)
        .expect("meta.now is RFC 3339")
        .with_timezone(&Utc);
    let offset = offset_of(&cat.menu.menu.last_change).expect("menu lastChange has an offset");
    let concept = concept_key(cat.menu.concept_id.as_deref()).to_owned();
    let restaurants = cat
        .restaurants
        .places
        .iter()
        .map(|place| {
            let mut concepts = BTreeMap::new();
            if place.id == cat.menu.restaurant_id {
                concepts.insert(
                    concept.clone(),
                    ConceptState {
                        zones: routable(cat.delivery_zones.zones.clone()),
                        menu: Some(cat.menu.menu.clone()),
                    },
                );
            }
            RestaurantState {
                place: place.clone(),
                time_zone: offset.into(),
                online: true,
                offline_until: None,
                concepts,
                stopped: cat
                    .stop_list
                    .stop_lists
                    .iter()
                    .filter(|s| s.restaurant_id == place.id)
                    .flat_map(|s| s.items.iter().map(|i| i.id.clone()))
                    .collect(),
                service_times: None,
            }
        })
        .collect();
    OrderWorld { restaurants, now }
}

/// Serde straight into the (loose) typed order wire struct.
pub fn order_parse(bytes: &[u8]) -> NewOrderRequest {
    wire::parse(bytes).expect("the order workload parses")
}

/// What `POST /site-api/order` computes: parse, then the one validation function, as the
/// Worker calls it (`validate_borrowing`: the valid order borrows the request's text).
/// Returns the number of lines and the total in minor units; the request and the valid
/// order are dropped here, inside the timed call, as before.
pub fn order_validate(bytes: &[u8], world: &OrderWorld) -> (usize, i64) {
    let req = order_parse(bytes);
    let ctx = OrderContext {
        restaurants: &world.restaurants,
        now: world.now,
        max_preorder_ahead: Duration::days(DEFAULT_MAX_PREORDER_DAYS),
        rules: orderbridge_core::order::Rules::Site,
    };
    let valid: ValidOrder<&str> = validate_borrowing(&req, &ctx)
        .unwrap_or_else(|v| panic!("the order workload is invalid: {v:?}"));
    (valid.lines.len(), valid.total.minor())
}

/// A 20-line order routed by **coordinates** instead of `zone_id`, against the catalog
/// with `zones` zones (all priced alike, so the totals hold whichever zone wins): the
/// catalog and meta bytes, and the order. Validation then tests the point against every
/// zone; not an issue-8 file, generated only.
pub fn order_by_coords(zones: usize) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let mut cat = catalog(CATALOG_ITEMS);
    cat.delivery_zones = zones_doc(zones);
    let points = points_for(&cat.delivery_zones, 100);
    let [lon, lat] = points
        .points
        .iter()
        .zip(&points.expected)
        .find(|(_, z)| z.is_some())
        .map(|(p, _)| *p)
        .expect("some point falls in a zone");
    let mut order: Value = serde_json::from_slice(&self::order(&cat, 20)).expect("order parses");
    order["body"]["address"] = json!({
        "name": "Москва, Большая Садовая, 10",
        "coords": {"latitude": format!("{lat:.6}"), "longitude": format!("{lon:.6}")},
    });
    let meta = MetaFile {
        now: NOW.to_owned(),
    };
    (
        serde_json::to_vec(&cat).expect("serialises"),
        serde_json::to_vec(&meta).expect("serialises"),
        serde_json::to_vec(&order).expect("serialises"),
    )
}

// ---------------------------------------------------------------------------------------
// A site order routed by coordinates, as the Worker runs it (issue 21)
// ---------------------------------------------------------------------------------------

/// Zones of the coordinate-routed order's catalog: `zones-50.json` (27,000 vertices).
pub const COORDS_ZONES: usize = 50;
/// Lines of the coordinate-routed order (`order-coords-20.json`).
pub const COORDS_LINES: usize = 20;

/// `order-coords-20.json`: the 20-line order of `order-20.json` routed by `address.coords`
/// alone (no `zone_id`), at a point inside a zone of `zones_doc(COORDS_ZONES)`, its
/// coordinates written with 17 significant digits as Jupiter writes them (seed 004:
/// `"37.514442634443014"`). The zones are priced as the catalog's, so the totals hold.
pub fn coords_order(cat: &CatalogFile) -> Vec<u8> {
    let zones = zones_doc(COORDS_ZONES);
    let points = points_for(&zones, 100);
    let mut chosen = points
        .points
        .iter()
        .zip(&points.expected)
        .filter(|(_, z)| z.is_some())
        .map(|(p, _)| *p);
    let [lon, lat] = chosen.nth(3).expect("points fall in zones");
    let mut order: Value = serde_json::from_slice(&self::order(cat, COORDS_LINES)).expect("order");
    order["body"]["address"] = json!({
        "name": "Москва, Большая Садовая, 10",
        "coords": {"latitude": format!("{lat:.15}"), "longitude": format!("{lon:.15}")},
    });
    serde_json::to_vec(&order).expect("serialises")
}

/// What the Worker holds warm for a coordinate-routed order: the zone memo (core's
/// `zone_memo`) with every zone of the catalog prepared, the zone rows as D1 answers the
/// candidate read (restaurant, zone id, version, and the box the SQL filters by), and the
/// restaurant with its menu and stop list (the edge reads those per order; not timed here).
pub struct CoordsWorld {
    pub restaurants: Vec<RestaurantState>,
    pub now: DateTime<Utc>,
    concept: String,
    rows: Vec<(String, String, String, BBox)>,
    memo: ZoneMemo,
}

/// Builds the [`CoordsWorld`] from `catalog-500.json`, `meta.json` and `zones-50.json`.
pub fn coords_world(catalog_bytes: &[u8], meta_bytes: &[u8], zones_bytes: &[u8]) -> CoordsWorld {
    let world = order_world(catalog_bytes, meta_bytes);
    let cat: CatalogFile = serde_json::from_slice(catalog_bytes).expect("catalog parses");
    let doc: DeliveryZonesResponse = serde_json::from_slice(zones_bytes).expect("zones parse");
    let concept = concept_key(cat.menu.concept_id.as_deref()).to_owned();
    let restaurant = cat.menu.restaurant_id.clone();
    let mut memo = ZoneMemo::new(MemoLimits::WORKER);
    let mut rows = Vec::new();
    for zone in &doc.zones {
        let text = serde_json::to_string(zone).expect("serialises");
        let version = zone_version(&text);
        let bbox = stored_zone_bbox(&zone.coordinates).expect("a box");
        let key = zone_key(&restaurant, &concept, &zone.id);
        let prepared = RoutableZone::shared(serde_json::from_str(&text).expect("zone"));
        memo.remember(&key, version.clone(), prepared);
        rows.push((restaurant.clone(), zone.id.clone(), version, bbox));
    }
    CoordsWorld {
        restaurants: world.restaurants,
        now: world.now,
        concept,
        rows,
        memo,
    }
}

/// The core calls order intake makes for a site order by coordinates when the isolate is
/// warm (`edge/src/intake.rs`): parse; `candidates`; the grid cells of the point (the
/// candidate query's parameters); for each row D1 answers (the zones whose box holds the
/// point), the memo's prepared zone for its version; `routed_restaurant`; then the one
/// validation function. Returns the lines and the total.
pub fn coords_order_warm(bytes: &[u8], world: &mut CoordsWorld) -> (usize, i64) {
    let req = order_parse(bytes);
    let wanted = candidates(&req, Rules::Site);
    let ZoneLookup::ByPoint(p) = wanted.zones else {
        panic!("the order is routed by coordinates");
    };
    let cells = point_cells(p);
    std::hint::black_box(&cells);
    let mut zones = Vec::new();
    for (restaurant, zone_id, version, b) in &world.rows {
        // D1's filter (the stored box holds the point), then the memo.
        if b.min_lat <= p.lat && p.lat <= b.max_lat && b.min_lon <= p.lon && p.lon <= b.max_lon {
            let key = zone_key(restaurant, &world.concept, zone_id);
            zones.push(world.memo.get(&key, version).expect("a warm memo"));
        }
    }
    for r in &mut world.restaurants {
        if let Some(c) = r.concepts.get_mut(&world.concept) {
            c.zones = std::mem::take(&mut zones);
        }
    }
    let ctx = OrderContext {
        restaurants: &world.restaurants,
        now: world.now,
        max_preorder_ahead: Duration::days(DEFAULT_MAX_PREORDER_DAYS),
        rules: Rules::Site,
    };
    let routed = routed_restaurant(&req, &ctx).expect("the order routes");
    std::hint::black_box(&routed);
    let valid: ValidOrder<&str> = validate_borrowing(&req, &ctx)
        .unwrap_or_else(|v| panic!("the coordinate order is invalid: {v:?}"));
    (valid.lines.len(), valid.total.minor())
}

// ---------------------------------------------------------------------------------------
// Order translation (JET Connect and Orderconnect orders → Jupiter orders)
// ---------------------------------------------------------------------------------------
//
// Order translation: a JET Connect order and an Orderconnect order into Jupiter orders.
// JET orders of N distinct lines are generated from Just Eat's partner-delivery example;
// the Orderconnect order is the committed delivery fixture, translated for the demo
// restaurant (its menu and zone, from `fixtures/demo/`).

/// Lines of the generated JET Connect orders (`jet-order-N.json`).
pub const JET_ORDER_LINES: [usize; 3] = [1, 20, 100];

/// A JET Connect Receive Order of `lines` distinct lines (every 2nd with one option),
/// shaped like Just Eat's example, with totals that add up.
pub fn jet_order(lines: usize) -> Vec<u8> {
    let mut order: Value = serde_json::from_str(include_str!(
        "../../../fixtures/jet-connect/receive-order-request-delivery-by-partner.json"
    ))
    .expect("the JET example parses");
    let mut items = Vec::new();
    let mut sum = 0i64;
    for i in 0..lines {
        let price = 500 + 10 * i as i64;
        let children = if i % 2 == 0 {
            sum += 100;
            json!([{"name": "Extra Sauce", "description": "", "plu": format!("O{i}"), "price": 100}])
        } else {
            json!([])
        };
        sum += price;
        items.push(json!({"name": format!("Item {i}"), "description": "", "plu": format!("P{i}"),
            "price": price, "notes": if i % 5 == 0 { "no onions" } else { "" }, "children": children}));
    }
    order["items"] = Value::Array(items);
    order["payment"] = json!({"items_in_cart": {"inc_tax": sum, "tax": 0}, "adjustments": [],
        "final": {"inc_tax": sum, "tax": 0}, "deposit": 0});
    order["promotions"] = json!([]);
    serde_json::to_vec(&order).expect("serialises")
}

/// Serde straight into the JET Connect order wire struct.
pub fn jet_order_parse(bytes: &[u8]) -> orderbridge_core::jet::order::wire::ReceiveOrder {
    orderbridge_core::jet::order::wire::parse_order(bytes).expect("the JET order parses")
}

/// What `POST /webhooks/jet/orders` computes before the catalog check: parse, the
/// structural checks, the translation. Returns the Jupiter cart's line count.
pub fn jet_order_translate(bytes: &[u8]) -> usize {
    use orderbridge_core::jet::order::translate::{translate, ChargeItems, Target};
    let order = orderbridge_core::jet::order::validate::validate_order(&jet_order_parse(bytes))
        .expect("the JET order is valid");
    let zone = orderbridge_core::tz::LocalZone::from(
        orderbridge_core::domain::UtcOffset::parse("+03:00", "o").expect("offset"),
    );
    let target = Target {
        restaurant_id: "000127",
        zone: &zone,
    };
    translate(&order, target, &ChargeItems::default())
        .order
        .body
        .cart
        .map_or(0, |c| c.items.len())
}

/// The committed Orderconnect delivery order (`connect-order-1.json`).
pub fn connect_order() -> Vec<u8> {
    include_bytes!("../../../fixtures/orderconnect/delivery-order.json").to_vec()
}

/// The demo restaurant as the Orderconnect translation reads it.
pub fn demo_restaurant() -> RestaurantState {
    let place: orderbridge_core::jupiter::AdminRestaurant = serde_json::from_str(include_str!(
        "../../../fixtures/demo/restaurant-000127.json"
    ))
    .expect("demo restaurant");
    let zones: orderbridge_core::jupiter::DeliveryZonesResponse = serde_json::from_str(
        include_str!("../../../fixtures/demo/delivery_zones-000127-7.json"),
    )
    .expect("demo zones");
    let menu: orderbridge_core::jupiter::MenuResponse =
        serde_json::from_str(include_str!("../../../fixtures/demo/menu-000127-7.json"))
            .expect("demo menu");
    let mut concepts = BTreeMap::new();
    concepts.insert(
        "7".to_owned(),
        ConceptState {
            zones: routable(zones.zones),
            menu: Some(menu.menu),
        },
    );
    RestaurantState {
        place: place.place,
        time_zone: orderbridge_core::domain::UtcOffset::parse("+03:00", "o")
            .expect("offset")
            .into(),
        online: true,
        offline_until: None,
        concepts,
        stopped: BTreeSet::new(),
        service_times: None,
    }
}

/// Serde straight into the `ConnectOrder` wire struct.
pub fn connect_order_parse(bytes: &[u8]) -> orderbridge_core::orderconnect::ConnectOrder {
    match orderbridge_core::orderconnect::parse(bytes).expect("the ConnectOrder parses") {
        orderbridge_core::orderconnect::wire::Body::One(order) => *order,
        orderbridge_core::orderconnect::wire::Body::Many(mut list) => list.remove(0),
    }
}

/// What `PUT /webhooks/orderconnect/orders` computes before the catalog check: parse, the
/// order's own checks, the translation for the demo restaurant. Returns the line count.
pub fn connect_order_translate(bytes: &[u8], restaurant: &RestaurantState) -> usize {
    let checked = orderbridge_core::orderconnect::check(&connect_order_parse(bytes))
        .expect("the ConnectOrder passes its checks");
    orderbridge_core::orderconnect::translate(
        &checked,
        restaurant,
        &orderbridge_core::orderconnect::mapping::ItemMapping::default(),
    )
    .expect("the ConnectOrder translates")
    .request
    .body
    .cart
    .map_or(0, |c| c.items.len())
}

// ---------------------------------------------------------------------------------------
// The file set
// ---------------------------------------------------------------------------------------

/// Every generated workload file, by the name `make bench WORKLOADS=<dir>` reads.
pub fn all_files() -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for n in MENU_ITEMS {
        files.push((format!("menu-{n}.json"), jet_menus(n)));
    }
    for n in JET_ORDER_LINES {
        files.push((format!("jet-order-{n}.json"), jet_order(n)));
    }
    files.push(("connect-order-1.json".to_owned(), connect_order()));
    let cat = catalog(CATALOG_ITEMS);
    for n in ORDER_LINES {
        files.push((format!("order-{n}.json"), order(&cat, n)));
    }
    files.push((
        format!("catalog-{CATALOG_ITEMS}.json"),
        serde_json::to_vec(&cat).expect("serialises"),
    ));
    files.push((
        "meta.json".to_owned(),
        serde_json::to_vec(&MetaFile {
            now: NOW.to_owned(),
        })
        .expect("serialises"),
    ));
    files.push((
        format!("order-coords-{COORDS_LINES}.json"),
        coords_order(&cat),
    ));
    for n in ZONE_COUNTS {
        let doc = zones_doc(n);
        let points = points_for(&doc, POINTS);
        files.push((
            format!("zones-{n}.json"),
            serde_json::to_vec(&doc).expect("serialises"),
        ));
        files.push((
            format!("points-{n}.json"),
            serde_json::to_vec(&points).expect("serialises"),
        ));
    }
    files
}
