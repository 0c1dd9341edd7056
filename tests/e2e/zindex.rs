//! Issue 21: the zones an isolate prepared for routing (core's `zone_memo`) are kept between
//! orders, and a zone written again is seen by the very next order in the same `wrangler dev`
//! isolate. Restaurant ZA has zone A (free delivery), ZB zone B (delivery 125, never free),
//! both holding point P; Q is in A only. Orders by coordinates, 16–17 significant digits as
//! Jupiter writes them:
//!
//! 1. P routes to A (cheapest): delivery 0 is accepted; Q routes to A too.
//! 2. A is moved off P and Q: P now routes to B (delivery 0 is `delivery_mismatch`, 125 is
//!    accepted), Q is `outside_zone`; a point in the moved A routes to A.
//! 3. A is deleted: that point is `outside_zone`.

use orderbridge_e2e::{demo_zone, expect, request, App, AppOptions, Reply};
use serde_json::{json, Value};

use crate::PlainTest;

pub const PLAIN_TESTS: &[(&str, PlainTest)] = &[
    (
        "zindex_a_zone_change_is_seen_by_the_next_order",
        a_zone_change_is_seen_by_the_next_order,
    ),
    (
        "zindex_a_realistic_zones_document_of_24000_vertices_is_taken_and_routes",
        a_realistic_zones_document_is_taken_and_routes,
    ),
];

const OPERATOR: (&str, &str) = ("X-Flyt-Api-Key", "dev-operator-key");
const CONCEPT: &str = "7";
/// P: in A and in B.
const P: (&str, &str) = ("55.800000000000004", "37.600000000000001");
/// Q: in A only.
const Q: (&str, &str) = ("55.612345678901234", "37.412345678901234");
/// R: in A once it has moved.
const R: (&str, &str) = ("56.125000000000001", "38.125000000000002");

fn call(app: &App, method: &str, path: &str, body: Option<&Value>) -> Reply {
    let text = body.map(Value::to_string);
    let headers = [("Content-Type", "application/json"), OPERATOR];
    request(
        method,
        &app.url(path),
        &headers,
        text.as_deref().map(str::as_bytes),
    )
    .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

/// A square zone `id` from (`lon`, `lat`) with side `side`, priced `price` (`free`: the
/// amount from which delivery is free, 0 for never).
fn square(id: &str, lon: f64, lat: f64, side: f64, price: i64, free: i64) -> Value {
    let mut zone = demo_zone(id);
    zone["delivery_price"] = json!(price);
    zone["sum_for_free"] = json!(free);
    let (lon1, lat1) = (lon + side, lat + side);
    zone["coordinates"] = json!([
        [lon.to_string(), lat.to_string()],
        [lon1.to_string(), lat.to_string()],
        [lon1.to_string(), lat1.to_string()],
        [lon.to_string(), lat1.to_string()]
    ]);
    zone
}

fn zones(app: &App, id: &str, zones: Vec<Value>) {
    let doc = json!({
        "restaurant_id": id, "concept_id": CONCEPT,
        "lastChange": "2024-05-21T16:19:13.000+03:00", "zones": zones
    });
    let path = format!("/admin/delivery_zones?restaurant_id={id}&concept_id={CONCEPT}");
    expect(&call(app, "PUT", &path, Some(&doc)), 200, "zones");
}

/// Restaurant `id`, always open, serving `CONCEPT` with a two-item menu.
fn restaurant(app: &App, id: &str) {
    let place = json!({
        "id": id, "name": format!("Restaurant {id}"), "utc_offset": "+03:00",
        "start_time": 0, "end_time": 86400, "self_delivery": true,
        "concepts": [{"id": CONCEPT, "name": "Вкусные суши"}]
    });
    let path = format!("/admin/restaurants/{id}");
    expect(&call(app, "PUT", &path, Some(&place)), 200, "restaurant");
    let doc = json!({
        "restaurant_id": id, "concept_id": CONCEPT,
        "menu": {
            "lastChange": "2024-05-21T16:19:13.000+03:00",
            "categories": [{"id": "c1", "name": "Роллы"}],
            "items": [
                {"id": "T20231", "categoryId": "c1", "name": "Филадельфия Гранд", "price": 500},
                {"id": "555333111", "categoryId": "c1", "name": "Калифорния Гранд", "price": 700}
            ]
        }
    });
    let path = format!("/admin/menu?restaurant_id={id}&concept_id={CONCEPT}");
    expect(&call(app, "PUT", &path, Some(&doc)), 200, "menu");
}

/// An order by coordinates (no `zone_id`, no `restaurant_id`) with `delivery` charged.
fn place(app: &App, number: &str, (lat, lon): (&str, &str), delivery: i64) -> Reply {
    let total = 1200 + delivery;
    let doc = json!({
        "action": "new_order",
        "body": {
            "number": number, "concept_id": CONCEPT,
            "date": "2024-04-08 15:00:00", "delivery_method": "courier",
            "cart": {
                "items": [
                    {"id": "T20231", "count": 1, "cost": 500},
                    {"id": "555333111", "count": 1, "cost": 700}
                ],
                "delivery": delivery, "total": total
            },
            "client": {"name": "Пётр", "phone": "+7(922)988-33-22"},
            "address": {"name": "Москва", "coords": {"latitude": lat, "longitude": lon}},
            "payment": {"method": "cash", "sum": total, "change": 5000}
        }
    });
    call(app, "POST", "/site-api/order", Some(&doc))
}

fn refused(reply: &Reply, code: &str, what: &str) {
    expect(reply, 400, what);
    let body = reply.json();
    let found = body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|e| e["code"] == code);
    assert!(found, "{what}: wanted {code}: {body}");
}

fn a_zone_change_is_seen_by_the_next_order() {
    let app = App::spawn(AppOptions {
        demo_data: false,
        ..AppOptions::default()
    });
    restaurant(&app, "ZA");
    restaurant(&app, "ZB");
    zones(&app, "ZA", vec![square("A", 37.4, 55.6, 0.3, 0, 0)]);
    zones(&app, "ZB", vec![square("B", 37.5, 55.7, 0.2, 125, 0)]);

    // 1. Twice each, so the second order is answered from the prepared zones.
    for round in ["1", "2"] {
        expect(&place(&app, &format!("zi-p-{round}"), P, 0), 200, "P in A");
        expect(&place(&app, &format!("zi-q-{round}"), Q, 0), 200, "Q in A");
    }
    refused(
        &place(&app, "zi-p-125", P, 125),
        "delivery_mismatch",
        "P in A, not B",
    );

    // 2. A moves north-east, off P and Q, onto R.
    zones(&app, "ZA", vec![square("A", 38.0, 56.0, 0.3, 0, 0)]);
    for round in ["1", "2"] {
        refused(
            &place(&app, &format!("zi-moved-p0-{round}"), P, 0),
            "delivery_mismatch",
            "P now in B only",
        );
        expect(
            &place(&app, &format!("zi-moved-p125-{round}"), P, 125),
            200,
            "P routed to B",
        );
        refused(
            &place(&app, &format!("zi-moved-q-{round}"), Q, 0),
            "outside_zone",
            "Q outside every zone",
        );
        expect(
            &place(&app, &format!("zi-moved-r-{round}"), R, 0),
            200,
            "R in the moved A",
        );
    }

    // 3. A deleted.
    let path = format!("/admin/delivery_zones/A?restaurant_id=ZA&concept_id={CONCEPT}");
    expect(&call(&app, "DELETE", &path, None), 200, "delete A");
    refused(
        &place(&app, "zi-deleted-r", R, 0),
        "outside_zone",
        "R after A was deleted",
    );
    expect(&place(&app, "zi-deleted-p", P, 125), 200, "P still in B");
}

/// Zone `j` of a 10 × 5 grid of 0.02° cells from (40°E, 50°N): a regular 480-gon inside its
/// cell, coordinates with 17 significant digits.
fn polygon(j: usize) -> Value {
    let (lon, lat) = cell_center(j);
    let ring: Vec<Value> = (0..=480)
        .map(|k| {
            let a = std::f64::consts::TAU * (k % 480) as f64 / 480.0;
            json!([
                format!("{:.15}", lon + 0.009 * a.cos()),
                format!("{:.15}", lat + 0.009 * a.sin())
            ])
        })
        .collect();
    let mut zone = demo_zone(&format!("C{j}"));
    zone["coordinates"] = Value::Array(ring);
    zone
}

fn cell_center(j: usize) -> (f64, f64) {
    (
        40.01 + (j % 10) as f64 * 0.02,
        50.01 + (j / 10) as f64 * 0.02,
    )
}

/// Issue 21's realistic catalog: 50 zones, 24,050 vertices, a ~1.1 MB zones document (above
/// the 256 KiB default body limit). It is taken, read back whole, and routes an order by
/// coordinates to the right zone; a point between the zones is outside every zone.
fn a_realistic_zones_document_is_taken_and_routes() {
    let app = App::spawn(AppOptions {
        demo_data: false,
        ..AppOptions::default()
    });
    restaurant(&app, "ZC");
    let doc = (0..50).map(polygon).collect::<Vec<_>>();
    let size = Value::Array(doc.clone()).to_string().len();
    assert!(size > 1_000_000, "the document is {size} bytes");
    zones(&app, "ZC", doc);
    let read = call(
        &app,
        "GET",
        &format!("/site-api/delivery_zones?restaurant_id=ZC&concept_id={CONCEPT}"),
        None,
    );
    expect(&read, 200, "zones read back");
    let listed = read.json()["zones"].as_array().cloned().unwrap_or_default();
    assert_eq!(listed.len(), 50);
    assert!(listed
        .iter()
        .all(|z| z["coordinates"].as_array().map(Vec::len) == Some(481)));
    let (lon, lat) = cell_center(37);
    let inside = (format!("{lat:.15}"), format!("{lon:.15}"));
    let placed = place(&app, "zi-big-in", (&inside.0, &inside.1), 0);
    expect(&placed, 200, "an order in zone C37");
    let corner = (
        format!("{:.15}", lat + 0.0099),
        format!("{:.15}", lon + 0.0099),
    );
    refused(
        &place(&app, "zi-big-out", (&corner.0, &corner.1), 0),
        "outside_zone",
        "between the zones",
    );
}
