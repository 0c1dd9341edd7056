//! Issue 21: an order reads a bounded number of D1 rows however large the chain. A Worker of
//! its own counts the rows each order reads (`X-Orderbridge-D1-Rows-Read`, development
//! only) at 1 restaurant and again at 1,000 restaurants with 2 zones each of the same
//! concept, at the same latitudes as the order's point but elsewhere: the same two orders
//! read the same number of rows.

use std::thread;

use orderbridge_e2e::{demo_zone, expect, request, App, AppOptions, Reply};
use serde_json::{json, Value};

use crate::PlainTest;

pub const PLAIN_TESTS: &[(&str, PlainTest)] = &[(
    "scale_rows_an_order_reads_the_same_rows_at_1_and_1000_restaurants",
    an_order_reads_the_same_rows_at_1_and_1000_restaurants,
)];

const OPERATOR: (&str, &str) = ("X-Flyt-Api-Key", "dev-operator-key");
const CONCEPT: &str = "7";
/// Restaurants added to the first one.
const MORE: usize = 999;

pub(crate) fn call(
    app: &App,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &Value,
) -> Reply {
    let text = body.to_string();
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    request(method, &app.url(path), &all, Some(text.as_bytes()))
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

/// Restaurant `id`, always open, serving `CONCEPT` in `zones`.
pub(crate) fn restaurant(app: &App, id: &str, zones: Vec<Value>) {
    let place = json!({
        "id": id, "name": format!("Restaurant {id}"), "utc_offset": "+03:00",
        "start_time": 0, "end_time": 86400, "self_delivery": true,
        "concepts": [{"id": CONCEPT, "name": "Вкусные суши"}]
    });
    let path = format!("/admin/restaurants/{id}");
    expect(
        &call(app, "PUT", &path, &[OPERATOR], &place),
        200,
        "restaurant",
    );
    let doc = json!({
        "restaurant_id": id, "concept_id": CONCEPT,
        "lastChange": "2024-05-21T16:19:13.000+03:00", "zones": zones
    });
    let path = format!("/admin/delivery_zones?restaurant_id={id}&concept_id={CONCEPT}");
    expect(&call(app, "PUT", &path, &[OPERATOR], &doc), 200, "zones");
}

/// A square zone `id` of side 0.05° at (`lon`, `lat`), priced as the demo zone.
fn square(id: &str, lon: f64, lat: f64) -> Value {
    let mut zone = demo_zone(id);
    let (lon1, lat1) = (lon + 0.05, lat + 0.05);
    zone["coordinates"] = json!([
        [lon.to_string(), lat.to_string()],
        [lon1.to_string(), lat.to_string()],
        [lon1.to_string(), lat1.to_string()],
        [lon.to_string(), lat1.to_string()],
        [lon.to_string(), lat.to_string()]
    ]);
    zone
}

/// The demo order for restaurant R0 in `CONCEPT`, delivered to `address`.
pub(crate) fn order(number: &str, address: Value) -> Value {
    json!({
        "action": "new_order",
        "body": {
            "number": number, "restaurant_id": "R0", "concept_id": CONCEPT,
            "date": "2024-04-08 15:00:00", "delivery_method": "courier",
            "cart": {
                "items": [
                    {"id": "T20231", "name": "Филадельфия Гранд", "count": 1, "cost": 500.00},
                    {"id": "555333111", "count": 1, "cost": 700,
                     "modifiers": [{"id": "6021", "count": 1, "cost": 50}]}
                ],
                "delivery": 0, "total": 1250.00
            },
            "client": {"name": "Пётр", "phone": "+7(922)988-33-22"},
            "address": address,
            "payment": {"method": "cash", "sum": 1250, "change": 5000}
        }
    })
}

pub(crate) fn menu(app: &App, id: &str) {
    let modifiers = json!([{
        "id": "5:3:0:11821", "name": "Доп. гарниры", "minSelectedModifiers": 0,
        "maxSelectedModifiers": 3,
        "modifiers": [{"id": "6021", "name": "Соевый соус", "price": 50, "minAmount": 0, "maxAmount": 3}]
    }]);
    let doc = json!({
        "restaurant_id": id, "concept_id": CONCEPT,
        "menu": {
            "lastChange": "2024-05-21T16:19:13.000+03:00",
            "categories": [{"id": "c1", "name": "Роллы"}],
            "items": [
                {"id": "T20231", "categoryId": "c1", "name": "Филадельфия Гранд", "price": 500},
                {"id": "555333111", "categoryId": "c1", "name": "Калифорния Гранд", "price": 700, "modifiers": modifiers}
            ]
        }
    });
    let path = format!("/admin/menu?restaurant_id={id}&concept_id={CONCEPT}");
    expect(&call(app, "PUT", &path, &[OPERATOR], &doc), 200, "menu");
}

/// The rows the two orders read: (by coordinates, by `zone_id`), each placed (200, routed
/// to R0's zone).
fn rows_of_two_orders(app: &App, round: &str) -> (u64, u64) {
    let by_point = json!({"name": "Москва", "coords": {"latitude": "55.80", "longitude": "37.60"}});
    let by_zone = json!({"name": "Москва", "zone_id": "R0-z"});
    let mut rows = Vec::new();
    for (kind, address) in [("coords", by_point), ("zone", by_zone)] {
        let doc = order(&format!("scale-{round}-{kind}"), address);
        let reply = call(app, "POST", "/site-api/order", &[], &doc);
        expect(&reply, 200, &format!("{round} {kind} order"));
        let read = reply
            .header("X-Orderbridge-D1-Rows-Read")
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or_else(|| panic!("no rows-read header: {:?}", reply.headers));
        eprintln!("scale_rows: {round} restaurant(s), order by {kind}: {read} D1 rows read");
        rows.push(read);
    }
    (rows[0], rows[1])
}

fn an_order_reads_the_same_rows_at_1_and_1000_restaurants() {
    let app = App::spawn(AppOptions {
        demo_data: false,
        ..AppOptions::default()
    });
    restaurant(&app, "R0", vec![demo_zone("R0-z")]);
    menu(&app, "R0");
    let small = rows_of_two_orders(&app, "1");

    // 999 more, 2 zones each, in a grid at the point's latitudes (55–60°N) but west of it
    // (1–30°E): a lookup that scanned by latitude would read them all. Four writers.
    thread::scope(|scope| {
        for lane in 0..4 {
            let app = &app;
            scope.spawn(move || {
                for i in (1..=MORE).filter(|i| i % 4 == lane) {
                    let id = format!("R{i}");
                    let lon = 1.0 + (i % 40) as f64 * 0.7;
                    let lat = 55.0 + (i / 40) as f64 * 0.2;
                    let zones = vec![
                        square(&format!("{id}-a"), lon, lat),
                        square(&format!("{id}-b"), lon + 0.1, lat + 0.1),
                    ];
                    restaurant(app, &id, zones);
                }
            });
        }
    });
    let places = request("GET", &app.url("/site-api/restaurants"), &[], None)
        .unwrap_or_else(|e| panic!("GET /site-api/restaurants: {e}"));
    expect(&places, 200, "restaurants");
    assert_eq!(
        places.json()["places"].as_array().map(Vec::len),
        Some(MORE + 1)
    );
    let large = rows_of_two_orders(&app, "1000");
    // Flat: the same queries, each an index probe. A probe reads the entries it matches
    // plus, where there is one, the next entry that ends it; with one restaurant the
    // indexes mostly have no next entry, with 1,000 they do. Measured: +2 for the order by
    // coordinates (of its 37 zone probes), +1 for the order by zone id (its one probe).
    // Reading every restaurant, as before issue 21, was +999 on each.
    assert!(
        large.0 <= small.0 + 2 && large.1 <= small.1 + 1,
        "rows read by (coords, zone_id) orders at 1,000 restaurants {large:?} vs 1 {small:?}"
    );
    // The numbers README's "Rows an order reads" states.
    assert!(large.0 <= 50 && large.1 <= 15, "{large:?}");
}
