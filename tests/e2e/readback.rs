//! Issue 17 point 5, an order read back: `GET /site-api/orders/{order_id}` answers the
//! order's lines, totals and times in the restaurant's zone beside its status history;
//! personal data (client, recipient, address, comments, payment) only with the site key
//! or the operator key; Just Eat's final picked changes with the time they arrived; in
//! upstream mode an amended order carries the note that Jupiter holds the original
//! contents, also in `GET /admin/orders/{order_id}`.
//!
//! Restaurants are in zones without summer time (Asia/Yekaterinburg, UTC+5; Asia/Dubai,
//! UTC+4), other than their `utc_offset`, so the expected offsets do not depend on the
//! date the suite runs and show that the zone, not the offset, is used.

use std::time::Duration;

use orderbridge_e2e::{expect, request, App, AppOptions, FakeJupiter, Reply};
use serde_json::{json, Value};

use crate::{AppTest, PlainTest};

pub const TESTS: &[(&str, AppTest)] = &[
    (
        "readback_a_site_order_is_read_back_publicly_without_personal_data",
        a_site_order_is_read_back_publicly_without_personal_data,
    ),
    (
        "readback_the_site_key_or_the_operator_key_sees_the_personal_data",
        the_site_key_or_the_operator_key_sees_the_personal_data,
    ),
    (
        "readback_a_jet_final_picked_change_shows_with_its_arrival_time",
        a_jet_final_picked_change_shows_with_its_arrival_time,
    ),
];

pub const PLAIN_TESTS: &[(&str, PlainTest)] = &[(
    "readback_upstream_an_amended_order_says_jupiter_holds_the_original",
    upstream_an_amended_order_says_jupiter_holds_the_original,
)];

const OPERATOR: (&str, &str) = ("X-Flyt-Api-Key", "dev-operator-key");
const SITE_KEY: (&str, &str) = ("X-Jup-Api-Key", "dev-site-key");

/// Every piece of personal data in `orders::order` plus what [`site_order`] adds.
const PERSONAL: &[&str] = &[
    "Пётр",
    "988-33-22",
    "Большая Садовая",
    "домофон",
    "Ивану",
    "Анна",
];
/// The answer's keys that carry personal data.
const PERSONAL_KEYS: &[&str] = &[
    "client",
    "recipient",
    "delivery",
    "payment",
    "comment",
    "persons",
];

fn read(app: &App, order_id: &str, headers: &[(&str, &str)]) -> Reply {
    let path = format!("/site-api/orders/{order_id}");
    let reply = request("GET", &app.url(&path), headers, None).unwrap_or_else(|e| panic!("{e}"));
    crate::conform::check("GET", &path, &reply);
    reply
}

fn read_ok(app: &App, order_id: &str, headers: &[(&str, &str)]) -> Value {
    let reply = read(app, order_id, headers);
    expect(&reply, 200, "the order read back");
    reply.json()
}

fn operator_call(app: &App, method: &str, path: &str, body: Option<&Value>) -> Reply {
    let text = body.map(Value::to_string);
    let reply = request(
        method,
        &app.url(path),
        &[OPERATOR, ("Content-Type", "application/json")],
        text.as_deref().map(str::as_bytes),
    )
    .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    crate::conform::check(method, path, &reply);
    reply
}

/// Puts restaurant `id` in IANA zone `zone` (its `utc_offset` stays as it was written).
fn put_zone(app: &App, id: &str, place: Value, zone: &str) {
    let mut place = place;
    place["timezone"] = json!(zone);
    expect(
        &operator_call(
            app,
            "PUT",
            &format!("/admin/restaurants/{id}"),
            Some(&place),
        ),
        200,
        "the restaurant's zone",
    );
}

/// A site restaurant as `orders::setup` writes it, in Asia/Yekaterinburg (UTC+5).
fn site_restaurant(app: &App, id: &str, concept: &str) {
    crate::orders::setup(app, id, concept);
    let place = json!({
        "id": id, "name": format!("Restaurant {id}"), "utc_offset": "+03:00",
        "start_time": 0, "end_time": 86400, "self_delivery": true,
        "concepts": [{"id": concept, "name": "Вкусные суши"}]
    });
    put_zone(app, id, place, "Asia/Yekaterinburg");
}

/// `orders::order` with a recipient, comments and a preorder-free local `date`.
fn site_order(id: &str, concept: &str, number: &str) -> Value {
    let mut doc = crate::orders::order(id, concept, number, None);
    doc["body"]["comment"] = json!("позвонить Ивану");
    doc["body"]["recipient_name"] = json!({"name": "Анна", "phone": "89991112233"});
    doc["body"]["address"]["comment"] = json!("домофон 12");
    doc["body"]["persons"] = json!(2);
    doc
}

fn placed(app: &App, doc: &Value) -> String {
    let path = "/site-api/order";
    let text = doc.to_string();
    let reply = request(
        "POST",
        &app.url(path),
        &[("Content-Type", "application/json")],
        Some(text.as_bytes()),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    crate::conform::check("POST", path, &reply);
    expect(&reply, 200, "order");
    reply.json()["order_id"]
        .as_str()
        .unwrap_or_else(|| panic!("no order_id: {}", reply.body))
        .to_owned()
}

/// Milliseconds since the epoch of an RFC 3339 time (`…Z` or `…±hh:mm`), and its offset
/// as written; by hand, as the suite has no date library.
fn instant(text: &str) -> (i64, String) {
    let num = |s: &str| -> i64 { s.parse().unwrap_or_else(|e| panic!("{text}: {e}")) };
    let (date, rest) = text.split_at(10);
    let (y, m, d) = (num(&date[0..4]), num(&date[5..7]), num(&date[8..10]));
    let clock = &rest[1..9];
    let (h, mi, s) = (num(&clock[0..2]), num(&clock[3..5]), num(&clock[6..8]));
    let mut tail = &rest[9..];
    let mut ms = 0;
    if let Some(frac) = tail.strip_prefix('.') {
        ms = num(&frac[0..3]);
        tail = &frac[3..];
    }
    let offset = if tail == "Z" {
        0
    } else {
        let sign = if tail.starts_with('-') { -1 } else { 1 };
        sign * (num(&tail[1..3]) * 60 + num(&tail[4..6]))
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + h * 3600 + mi * 60 + s - offset * 60;
    (secs * 1000 + ms, tail.to_owned())
}

/// Asserts that `local` is the instant `utc` written with `offset`.
fn same_instant_in(local: &Value, utc: &Value, offset: &str) {
    let (local, utc) = (
        local
            .as_str()
            .unwrap_or_else(|| panic!("{local} is no time")),
        utc.as_str().unwrap_or_else(|| panic!("{utc} is no time")),
    );
    let (at, written) = instant(local);
    assert_eq!(written, offset, "{local} is not in {offset}");
    assert_eq!(at, instant(utc).0, "{local} is not {utc}");
}

fn personal_absent(doc: &Value, what: &str) {
    let text = doc.to_string();
    for needle in PERSONAL {
        assert!(!text.contains(needle), "{what}: {needle:?} in {text}");
    }
    for key in PERSONAL_KEYS {
        assert!(doc.get(key).is_none(), "{what}: {key} in {text}");
    }
}

fn a_site_order_is_read_back_publicly_without_personal_data(app: &App) {
    let (id, concept) = ("e2e-rb-site", "e2e-rb-c-site");
    site_restaurant(app, id, concept);
    let order_id = placed(app, &site_order(id, concept, "e2e-rb-site-1"));
    let doc = read_ok(app, &order_id, &[]);

    // The existing fields are as they were.
    assert_eq!(doc["order_id"], order_id);
    assert_eq!(doc["status"], 0);
    assert_eq!(doc["history"][0]["status"], 0, "{doc}");
    assert_eq!(doc["discount"], json!(0));

    assert_eq!(doc["audience"], "public");
    assert_eq!(
        doc["lines"],
        json!([
            {"id": "T20231", "name": "Филадельфия Гранд", "count": 1, "cost": 500,
             "modifiers": [], "total": 500},
            {"id": "555333111", "name": null, "count": 1, "cost": 700,
             "modifiers": [{"id": "6021", "name": null, "count": 1, "cost": 50}], "total": 750}
        ]),
        "{doc}"
    );
    assert_eq!(
        doc["totals"],
        json!({"items": 1250, "delivery": 0, "total": 1250, "discount": 0, "due": 1250})
    );
    // Times in the restaurant's zone (UTC+5), not its utc_offset (+03:00) nor UTC.
    let times = &doc["times"];
    assert_eq!(times["timezone"], "Asia/Yekaterinburg", "{doc}");
    same_instant_in(&times["created"], &doc["created_at"], "+05:00");
    same_instant_in(&times["updated"], &doc["updated_at"], "+05:00");
    assert_eq!(times["date"], "2024-04-08T15:00:00+05:00", "{doc}");
    assert_eq!(times["date_preorder"], Value::Null);
    assert_eq!(doc["amendments"], json!([]));
    assert_eq!(doc["notes"], json!([]));
    personal_absent(&doc, "public");
}

fn the_site_key_or_the_operator_key_sees_the_personal_data(app: &App) {
    let (id, concept) = ("e2e-rb-key", "e2e-rb-c-key");
    site_restaurant(app, id, concept);
    let order_id = placed(app, &site_order(id, concept, "e2e-rb-key-1"));
    for (who, key) in [("site key", SITE_KEY), ("operator key", OPERATOR)] {
        let doc = read_ok(app, &order_id, &[key]);
        assert_eq!(doc["audience"], "trusted", "{who}");
        assert_eq!(
            doc["client"],
            json!({"name": "Пётр", "phone": "+7(922)988-33-22"}),
            "{who}"
        );
        assert_eq!(
            doc["recipient"],
            json!({"name": "Анна", "phone": "89991112233"}),
            "{who}"
        );
        assert_eq!(
            doc["delivery"],
            json!({"method": "courier", "zone_id": format!("{id}-z"), "price": 0,
                   "address": {"name": "Москва, Большая Садовая, 10", "comment": "домофон 12",
                               "latitude": null, "longitude": null}}),
            "{who}"
        );
        assert_eq!(
            doc["payment"],
            json!({"method": "cash", "sum": 1250, "change": 5000}),
            "{who}"
        );
        assert_eq!(doc["comment"], "позвонить Ивану", "{who}");
        assert_eq!(doc["persons"], 2, "{who}");
        assert_eq!(doc["totals"]["total"], json!(1250), "{who}");
    }
    // A key presented wrongly is refused, not read as the public.
    for (who, key) in [
        ("wrong site key", ("X-Jup-Api-Key", "not-the-key")),
        ("wrong operator key", ("X-Flyt-Api-Key", "not-the-key")),
    ] {
        let reply = read(app, &order_id, &[key]);
        expect(&reply, 401, who);
        personal_absent(&reply.json(), who);
    }
}

/// A JET restaurant as `jet_orders::setup` writes it, in Asia/Dubai (UTC+4).
fn jet_restaurant(app: &App, id: &str, location: &str) {
    crate::jet_orders::setup(app, id, location);
    let place = json!({
        "id": id, "name": format!("Restaurant {id}"), "utc_offset": "+00:00",
        "start_time": 0, "end_time": 86400, "self_delivery": false,
        "jet_location_id": location,
    });
    put_zone(app, id, place, "Asia/Dubai");
}

/// Sends Just Eat's order `jet_id`, then its final picked version with two cheeseburgers
/// where one was ordered; returns the hub order id and the final picked arrival (UTC).
fn jet_order_picked_again(app: &App, jet_id: &str, location: &str) -> (String, Value) {
    let order = crate::jet_orders::partner_order(jet_id, location);
    let reply = crate::jet_orders::post_signed(app, "/webhooks/jet/orders", &order);
    expect(&reply, 202, "JET order");
    let order_id = reply.json()["OrderId"]
        .as_str()
        .unwrap_or_else(|| panic!("no OrderId: {}", reply.body))
        .to_owned();
    let mut picked = order.clone();
    let burger = picked["items"][0].clone();
    picked["items"] = json!([burger.clone(), burger]);
    picked["payment"]["items_in_cart"]["inc_tax"] = json!(4320);
    picked["payment"]["final"]["inc_tax"] = json!(4320);
    let reply = crate::jet_orders::post_signed(app, "/webhooks/jet/orders/final", &picked);
    expect(&reply, 200, "final picked");
    let jet = operator_call(app, "GET", &format!("/admin/jet/orders/{jet_id}"), None);
    expect(&jet, 200, "the JET order");
    (order_id, jet.json()["final_at"].clone())
}

/// The one amendment of a read-back order: the final picked change, at `final_at` in
/// `offset`, one cheeseburger become two (and the tax line with it), 21.60 become 43.20.
fn assert_final_picked(doc: &Value, final_at: &Value, offset: &str) {
    let amendments = doc["amendments"]
        .as_array()
        .unwrap_or_else(|| panic!("no amendments: {doc}"));
    assert_eq!(amendments.len(), 1, "{doc}");
    let change = &amendments[0];
    assert_eq!(change["source"], "jet_final_picked");
    assert_eq!(change["applied"], true);
    same_instant_in(&change["received_at"], final_at, offset);
    assert_eq!(change["total_before"], json!(21.6), "{change}");
    assert_eq!(change["total_after"], json!(43.2), "{change}");
    let lines = change["changes"]
        .as_array()
        .unwrap_or_else(|| panic!("no changes: {change}"));
    // The cheeseburger's count, and the charge line carrying the tax the totals include.
    assert_eq!(lines.len(), 2, "{change}");
    assert_eq!(lines[0]["before"]["id"], "M2", "{change}");
    assert_eq!(lines[0]["after"]["id"], "M2", "{change}");
    assert_eq!(lines[0]["before"]["count"], 1, "{change}");
    assert_eq!(lines[0]["after"]["count"], 2, "{change}");
    assert_eq!(lines[1]["before"]["id"], "marketplace:tax", "{change}");
    assert_eq!(lines[1]["before"]["total"], json!(3.6), "{change}");
    assert_eq!(lines[1]["after"]["total"], json!(7.2), "{change}");
    // The contents are the final picked ones.
    assert_eq!(doc["lines"][0]["count"], 2, "{doc}");
    assert_eq!(doc["totals"]["total"], json!(43.2), "{doc}");
}

fn a_jet_final_picked_change_shows_with_its_arrival_time(app: &App) {
    let (id, location) = ("e2e-rb-jet", "e2e-rb-loc-jet");
    jet_restaurant(app, id, location);
    let (order_id, final_at) = jet_order_picked_again(app, "e2e-rb-jet-1", location);
    let doc = read_ok(app, &order_id, &[]);
    assert_final_picked(&doc, &final_at, "+04:00");
    assert_eq!(doc["times"]["timezone"], "Asia/Dubai");
    same_instant_in(&doc["times"]["created"], &doc["created_at"], "+04:00");
    // Standalone, the hub's order is the kitchen's: no note.
    assert_eq!(doc["notes"], json!([]), "{doc}");
    let admin = operator_call(app, "GET", &format!("/admin/orders/{order_id}"), None);
    expect(&admin, 200, "the operator's read");
    assert_eq!(admin.json()["amendments"], doc["amendments"]);
    assert_eq!(admin.json()["notes"], json!([]));
}

fn upstream_an_amended_order_says_jupiter_holds_the_original() {
    let key = "upstream-readback-key";
    let fake = FakeJupiter::start(key);
    fake.serve("/site-api/order", &json!({"order_id": "S9400002"}));
    let app = App::spawn(AppOptions {
        demo_data: false,
        vars: vec![
            ("JUPITER_API_URL".to_owned(), fake.url("/site-api")),
            ("JUPITER_API_KEY".to_owned(), key.to_owned()),
        ],
    });
    let (id, location) = ("e2e-rb-up", "e2e-rb-loc-up");
    jet_restaurant(&app, id, location);
    let (order_id, final_at) = jet_order_picked_again(&app, "e2e-rb-up-1", location);
    // The order went to Jupiter as first received.
    for _ in 0..150 {
        if !fake.posted().is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let forwarded: Vec<String> = fake.posted().into_iter().map(|(_, body)| body).collect();
    assert_eq!(forwarded.len(), 1, "{forwarded:?}");

    let note = |doc: &Value| {
        let notes = doc["notes"]
            .as_array()
            .unwrap_or_else(|| panic!("no notes: {doc}"));
        assert_eq!(notes.len(), 1, "{doc}");
        assert_eq!(notes[0]["code"], "upstream_holds_original", "{doc}");
        assert!(
            notes[0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("Jupiter")),
            "{doc}"
        );
    };
    let public = read_ok(&app, &order_id, &[]);
    assert_final_picked(&public, &final_at, "+04:00");
    note(&public);
    let admin = operator_call(&app, "GET", &format!("/admin/orders/{order_id}"), None);
    expect(&admin, 200, "the operator's read");
    note(&admin.json());
    assert_eq!(admin.json()["amendments"], public["amendments"]);

    // A site order nobody amended carries no note, upstream too.
    let (site, concept) = ("e2e-rb-up-site", "e2e-rb-c-up-site");
    site_restaurant(&app, site, concept);
    let plain = placed(&app, &site_order(site, concept, "e2e-rb-up-site-1"));
    let doc = read_ok(&app, &plain, &[]);
    assert_eq!(doc["notes"], json!([]), "{doc}");
    assert_eq!(doc["amendments"], json!([]), "{doc}");
}
