//! The issue-8 workloads compiled to wasm32 and driven from Node.js (`bench/run-wasm.mjs`),
//! so they run on V8 as the Worker does on workerd, in the same process as the
//! `JSON.parse` baseline of the same bytes.
//!
//! The driver hands every workload file to [`load`], calls [`prepare`] once, then times
//! [`run`] batches. The workloads and pipelines are `core/benches/common/mod.rs`, the very
//! code the native criterion benchmarks time. Bench code: it may panic on bad input.

use std::cell::RefCell;
use std::collections::BTreeMap;

use wasm_bindgen::prelude::*;

use orderbridge_core::geo::{Point, Polygon, ZoneIndex};

#[path = "../../core/benches/common/mod.rs"]
pub mod workloads;

use workloads::*;

/// Everything loaded and derived, per module instance (bench code: one thread, one user).
#[derive(Default)]
struct State {
    files: BTreeMap<String, Vec<u8>>,
    world: Option<OrderWorld>,
    demo: Option<orderbridge_core::order::RestaurantState>,
    zones: BTreeMap<usize, (ZoneIndex, Vec<String>, PointsFile, Vec<Polygon>)>,
    coords: Option<CoordsWorld>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// Stores one workload file under its name (`menu-500.json`, …).
#[wasm_bindgen]
pub fn load(name: &str, bytes: Vec<u8>) {
    STATE.with(|s| s.borrow_mut().files.insert(name.to_owned(), bytes));
}

/// Builds what the timed cases read but do not time (the order catalog, the zone index and
/// points), checking the indexed answers against the files' `expected`. Returns a
/// description of any mismatch, empty when all agree.
#[wasm_bindgen]
pub fn prepare() -> String {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let mut problems = String::new();
        s.demo = Some(demo_restaurant());
        if let (Some(c), Some(m)) = (
            s.files.get(&format!("catalog-{CATALOG_ITEMS}.json")),
            s.files.get("meta.json"),
        ) {
            let world = order_world(c, m);
            s.world = Some(world);
        }
        if let (Some(c), Some(m), Some(z)) = (
            s.files.get(&format!("catalog-{CATALOG_ITEMS}.json")),
            s.files.get("meta.json"),
            s.files.get(&format!("zones-{COORDS_ZONES}.json")),
        ) {
            s.coords = Some(coords_world(c, m, z));
        }
        let counts: Vec<usize> = s
            .files
            .keys()
            .filter_map(|k| {
                k.strip_prefix("zones-")?
                    .strip_suffix(".json")?
                    .parse()
                    .ok()
            })
            .collect();
        for n in counts {
            let (Some(z), Some(p)) = (
                s.files.get(&format!("zones-{n}.json")),
                s.files.get(&format!("points-{n}.json")),
            ) else {
                continue;
            };
            let doc = zones_parse(z);
            let ids: Vec<String> = doc.zones.iter().map(|z| z.id.clone()).collect();
            let index = zones_load(z);
            let points: PointsFile = serde_json::from_slice(p).expect("points parse");
            let wrong = resolve_all(&index, &ids, &points);
            if wrong > 0 {
                problems.push_str(&format!("zones-{n}: {wrong} answers differ; "));
            }
            let polygons = index.zones().to_vec();
            s.zones.insert(n, (index, ids, points, polygons));
        }
        problems
    })
}

/// Runs `case` (`order-parse`, `order-validate`, `jet-order-parse`, `jet-order-translate`,
/// `connect-order-parse`, `connect-order-translate`, `menu-parse`, `menu-ingest`,
/// `menu-stored`, `zones-parse`, `zones-load`, `zones-resolve`, `zones-scan`) on the
/// workload of size `n`, `iterations` times. Returns a checksum so nothing is optimised
/// away; for the zone lookups, the number of points resolved per iteration is the file's.
#[wasm_bindgen]
pub fn run(case: &str, n: usize, iterations: u32) -> f64 {
    if case == "order-coords" {
        // The warm Worker path mutates its world (the candidate zones of the order).
        return STATE.with(|s| {
            let mut s = s.borrow_mut();
            let s = &mut *s;
            let bytes = s
                .files
                .get(&format!("order-coords-{n}.json"))
                .unwrap_or_else(|| panic!("no order-coords-{n}.json loaded"));
            let world = s
                .coords
                .as_mut()
                .expect("prepare() builds the coordinate world");
            let mut sum = 0usize;
            for _ in 0..iterations {
                sum += coords_order_warm(bytes, world).0;
            }
            sum as f64
        });
    }
    STATE.with(|s| {
        let s = s.borrow();
        let file = |prefix: &str| {
            s.files
                .get(&format!("{prefix}-{n}.json"))
                .unwrap_or_else(|| panic!("no {prefix}-{n}.json loaded"))
        };
        let mut sum = 0usize;
        for _ in 0..iterations {
            sum += match case {
                "order-parse" => order_parse(file("order"))
                    .body
                    .cart
                    .map_or(0, |c| c.items.len()),
                "order-coords-parse" => order_parse(file("order-coords"))
                    .body
                    .cart
                    .map_or(0, |c| c.items.len()),
                "order-validate" => {
                    let world = s.world.as_ref().expect("prepare() found no catalog");
                    order_validate(file("order"), world).0
                }
                "jet-order-parse" => jet_order_parse(file("jet-order"))
                    .items
                    .map_or(0, |i| i.len()),
                "jet-order-translate" => jet_order_translate(file("jet-order")),
                "connect-order-parse" => connect_order_parse(file("connect-order"))
                    .id
                    .map_or(0, |_| 1),
                "connect-order-translate" => {
                    let demo = s
                        .demo
                        .as_ref()
                        .expect("prepare() builds the demo restaurant");
                    connect_order_translate(file("connect-order"), demo)
                }
                "menu-parse" => menu_parse(file("menu")).menus.map_or(0, |m| m.len()),
                "menu-ingest" => menu_ingest(file("menu")),
                "menu-stored" => menu_ingest_stored(file("menu")),
                "zones-parse" => zones_parse(file("zones")).zones.len(),
                "zones-load" => zones_load(file("zones")).zones().len(),
                "zones-resolve" => {
                    let (index, _, points, _) = &s.zones[&n];
                    points
                        .points
                        .iter()
                        .filter_map(|&[lon, lat]| index.first_containing(Point { lon, lat }))
                        .count()
                }
                "zones-scan" => {
                    let (_, _, points, polygons) = &s.zones[&n];
                    resolve_all_by_scan(polygons, points)
                }
                other => panic!("unknown case {other}"),
            };
        }
        sum as f64
    })
}

/// Points per iteration of `zones-resolve`/`zones-scan` for `n` zones.
#[wasm_bindgen]
pub fn points_per_iteration(n: usize) -> usize {
    STATE.with(|s| s.borrow().zones.get(&n).map_or(0, |z| z.2.points.len()))
}
