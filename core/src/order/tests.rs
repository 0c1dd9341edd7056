//! Table-driven tests of every order rule (a valid and an invalid case each), the
//! lifecycle, and property tests for money arithmetic and point-in-polygon.
//!
//! The property tests use a small deterministic generator (xorshift64*) instead of
//! `proptest`: core's tests also run on wasm32 under Node.js, where a fixed seed keeps
//! every run reproducible and no new dependency has to build for that target.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::lifecycle::{self, Status};
use super::replay;
use super::validate::*;
use super::wire;
use crate::domain::{Money, UtcOffset};
use crate::geo::{Point, Polygon};
use crate::jet::validate::ValidServiceTimes;
use crate::jupiter::{AdminRestaurant, DeliveryZonesResponse, MenuResponse, Zone};
use crate::outbound::url_guard::{check_outbound_url, UrlPolicy};
use crate::zone_memo::routable;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

pub(super) fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn rub(n: i64) -> Money {
    Money::from_minor(n * 100, "t").unwrap_or_else(|v| panic!("{v:?}"))
}

/// The demo catalog (restaurant 000127, concept 7, zone 028270, D100 stopped), plus a
/// second restaurant "000200" whose zone "Z2" overlaps the demo zone's west part and is
/// cheaper, and which has no pickup.
pub(super) fn demo() -> Vec<RestaurantState> {
    let admin: AdminRestaurant = serde_json::from_str(include_str!(
        "../../../fixtures/demo/restaurant-000127.json"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let zones: DeliveryZonesResponse = serde_json::from_str(include_str!(
        "../../../fixtures/demo/delivery_zones-000127-7.json"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let menu: MenuResponse =
        serde_json::from_str(include_str!("../../../fixtures/demo/menu-000127-7.json"))
            .unwrap_or_else(|e| panic!("{e}"));
    let offset = UtcOffset::parse("+03:00", "o").unwrap_or_else(|v| panic!("{v:?}"));
    let mut concepts = BTreeMap::new();
    concepts.insert(
        "7".to_owned(),
        ConceptState {
            zones: routable(zones.zones.clone()),
            menu: Some(menu.menu.clone()),
        },
    );
    // The demo fixture is open round the clock (so `make dev` works at any hour); these
    // tests keep the seed's own hours, 09:00–23:00, to test the hours rules.
    let mut place = admin.place.clone();
    place.start_time = Some(9 * 3600);
    place.end_time = Some(23 * 3600);
    let demo = RestaurantState {
        place,
        time_zone: offset.into(),
        online: true,
        offline_until: None,
        concepts,
        stopped: BTreeSet::from(["D100".to_owned()]),
        service_times: None,
    };
    let mut second = demo.clone();
    second.place.id = "000200".to_owned();
    second.place.self_delivery = Some(false);
    second.stopped = BTreeSet::new();
    let mut z2: Zone = zones.zones[0].clone();
    z2.id = "Z2".to_owned();
    z2.delivery_price = Some(rub(50));
    z2.coordinates = square(37.50, 55.75, 37.60, 55.85);
    if let Some(c) = second.concepts.get_mut("7") {
        c.zones = routable(vec![z2]);
    }
    vec![demo, second]
}

fn square(lon0: f64, lat0: f64, lon1: f64, lat1: f64) -> Vec<[String; 2]> {
    [(lon0, lat0), (lon1, lat0), (lon1, lat1), (lon0, lat1)]
        .iter()
        .map(|(a, b)| [a.to_string(), b.to_string()])
        .collect()
}

/// 2024-04-08 15:00 in Moscow: the demo restaurant (09:00–23:00) is open.
const NOW: &str = "2024-04-08T12:00:00Z";

fn ctx(restaurants: &[RestaurantState]) -> OrderContext<'_> {
    OrderContext {
        restaurants,
        now: utc(NOW),
        max_preorder_ahead: Duration::days(DEFAULT_MAX_PREORDER_DAYS),
        rules: Rules::Site,
    }
}

/// A correct courier order against the demo catalog: 500 + (700 + 50) = 1250 ≥ 1200, so
/// delivery is free.
pub(super) fn good() -> Value {
    json!({
        "action": "new_order",
        "body": {
            "number": "W-1",
            "restaurant_id": "000127",
            "concept_id": "7",
            "date": "2024-04-08 15:00:00",
            "delivery_method": "courier",
            "status_url": "https://shop.example/status?order=W-1",
            "cart": {
                "items": [
                    {"id": "T20231", "name": "Филадельфия Гранд", "count": 1, "cost": 500.00},
                    {"id": "555333111", "count": 1, "cost": 700,
                     "modifiers": [{"id": "6021", "count": 1, "cost": 50}]}
                ],
                "delivery": 0,
                "total": 1250.00
            },
            "client": {"name": "Пётр", "phone": "+7(922)988-33-22"},
            "address": {"name": "Москва, Большая Садовая, 10", "zone_id": "028270"},
            "payment": {"method": "cash", "sum": 1250, "change": 5000}
        }
    })
}

pub(super) fn set(doc: &mut Value, path: &str, value: Value) {
    let mut cur = doc;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, p) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let key: Value = p
            .parse::<usize>()
            .map(Value::from)
            .unwrap_or(Value::from(*p));
        let next = match (cur, key) {
            (Value::Object(m), Value::String(k)) => {
                if last {
                    if value.is_null() {
                        m.remove(&k);
                    } else {
                        m.insert(k, value.clone());
                    }
                    return;
                }
                m.entry(k).or_insert(json!({}))
            }
            (Value::Array(a), Value::Number(n)) => {
                let i = n.as_u64().unwrap_or(0) as usize;
                if last {
                    a[i] = value.clone();
                    return;
                }
                &mut a[i]
            }
            (other, key) => panic!("cannot step {key} into {other}"),
        };
        cur = next;
    }
}

fn run(doc: &Value, restaurants: &[RestaurantState]) -> Result<ValidOrder, Vec<(String, String)>> {
    let req = wire::parse(doc.to_string().as_bytes()).map_err(|v| vec![(v.code, String::new())])?;
    validate(&req, &ctx(restaurants)).map_err(|vs| {
        vs.into_iter()
            .map(|v| (v.code, v.field.unwrap_or_default()))
            .collect()
    })
}

fn run_marketplace(
    doc: &Value,
    restaurants: &[RestaurantState],
) -> Result<ValidOrder, Vec<(String, String)>> {
    let req = wire::parse(doc.to_string().as_bytes()).map_err(|v| vec![(v.code, String::new())])?;
    let ctx = OrderContext {
        rules: Rules::Marketplace,
        ..ctx(restaurants)
    };
    validate(&req, &ctx).map_err(|vs| {
        vs.into_iter()
            .map(|v| (v.code, v.field.unwrap_or_default()))
            .collect()
    })
}

fn apply(edits: &[(&str, Value)]) -> Value {
    let mut doc = good();
    for (path, value) in edits {
        set(&mut doc, path, value.clone());
    }
    doc
}

#[test]
fn the_demo_order_is_valid_and_priced_exactly() {
    let got = run(&good(), &demo()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(got.restaurant_id, "000127");
    assert_eq!(got.zone_id.as_deref(), Some("028270"));
    assert_eq!(got.subtotal, rub(1250));
    assert_eq!(got.delivery, Money::ZERO);
    assert_eq!(got.total, rub(1250));
    assert_eq!(got.phone, "79229883322");
    assert_eq!(got.lines[1].total, rub(750));
}

/// Each row: a name, edits that keep the order valid, and what the order then is.
#[test]
fn valid_variants_of_every_rule() {
    let cases: Vec<(&str, Vec<(&str, Value)>)> = vec![
        (
            "two decimals",
            vec![("body.payment.change", json!(5000.50))],
        ),
        (
            "whole-number float count",
            vec![("body.cart.items.0.count", json!(1.0))],
        ),
        (
            "phone with blanks",
            vec![("body.client.phone", json!("8 922 988 33 22"))],
        ),
        (
            "recipient phone",
            vec![(
                "body.recipient_name",
                json!({"name": "Иван", "phone": "+7 987 654-32-10"}),
            )],
        ),
        (
            "card without change",
            vec![("body.payment", json!({"method": "card", "sum": 1250}))],
        ),
        (
            "online",
            vec![("body.payment", json!({"method": "online", "sum": 1250}))],
        ),
        (
            "below free: delivery charged",
            vec![
                (
                    "body.cart.items",
                    json!([{"id": "T20231", "count": 2, "cost": 500}]),
                ),
                ("body.cart.delivery", json!(125)),
                ("body.cart.total", json!(1125)),
                ("body.payment.sum", json!(1125)),
            ],
        ),
        (
            "modifiers count per unit",
            vec![
                (
                    "body.cart.items",
                    json!([{"id": "555333111", "count": 3, "cost": 700,
              "modifiers": [{"id": "6021", "count": 2, "cost": 50}, {"id": "6042", "count": 1, "cost": 50}]}]),
                ),
                ("body.cart.total", json!(2550)),
                ("body.payment.sum", json!(2550)),
            ],
        ),
        (
            "pickup at a self_delivery restaurant",
            vec![
                ("body.delivery_method", json!("pickup")),
                ("body.address", Value::Null),
            ],
        ),
        (
            "coords inside the zone",
            vec![(
                "body.address",
                json!({"name": "x", "coords": {"latitude": "55.80", "longitude": "37.70"}}),
            )],
        ),
        (
            "coords as numbers",
            vec![(
                "body.address",
                json!({"name": "x", "coords": {"latitude": 55.80, "longitude": 37.70}}),
            )],
        ),
        (
            "preorder tomorrow",
            vec![("body.date_preorder", json!("2024-04-09 12:00"))],
        ),
        (
            "preorder with seconds",
            vec![("body.date_preorder", json!("2024-04-09 12:00:00"))],
        ),
        (
            "preorder exactly time_min ahead",
            vec![("body.date_preorder", json!("2024-04-08 16:15"))],
        ),
        (
            "preorder 7 days ahead",
            vec![("body.date_preorder", json!("2024-04-15 15:00"))],
        ),
    ];
    for (name, edits) in cases {
        if let Err(e) = run(&apply(&edits), &demo()) {
            panic!("{name}: {e:?}");
        }
    }
}

/// Each row: a name, edits that break one rule, and the (code, field) expected.
#[test]
fn every_rule_rejects_its_broken_variant() {
    type Case = (
        &'static str,
        Vec<(&'static str, Value)>,
        &'static str,
        &'static str,
    );
    let cases: Vec<Case> = vec![
        (
            "action",
            vec![("action", json!("cancel"))],
            "bad_action",
            "action",
        ),
        (
            "number",
            vec![("body.number", Value::Null)],
            "missing_field",
            "number",
        ),
        (
            "date missing",
            vec![("body.date", json!(" "))],
            "missing_field",
            "date",
        ),
        (
            "date format",
            vec![("body.date", json!("08.04.2024"))],
            "bad_date",
            "date",
        ),
        (
            "method",
            vec![("body.delivery_method", json!("drone"))],
            "invalid_value",
            "delivery_method",
        ),
        (
            "no items",
            vec![("body.cart.items", json!([]))],
            "missing_field",
            "cart.items",
        ),
        (
            "no total",
            vec![("body.cart.total", Value::Null)],
            "missing_field",
            "cart.total",
        ),
        (
            "client name",
            vec![("body.client.name", Value::Null)],
            "missing_field",
            "client.name",
        ),
        (
            "payment method",
            vec![("body.payment.method", json!("barter"))],
            "invalid_value",
            "payment.method",
        ),
        (
            "payment sum",
            vec![("body.payment.sum", Value::Null)],
            "missing_field",
            "payment.sum",
        ),
        (
            "three decimals",
            vec![("body.payment.change", json!(5000.505))],
            "invalid_amount",
            "payment.change",
        ),
        (
            "negative",
            vec![("body.cart.items.0.cost", json!(-500))],
            "negative_amount",
            "cart.items[0].cost",
        ),
        (
            "count zero",
            vec![("body.cart.items.0.count", json!(0))],
            "bad_count",
            "cart.items[0].count",
        ),
        (
            "count fraction",
            vec![("body.cart.items.0.count", json!(1.5))],
            "bad_count",
            "cart.items[0].count",
        ),
        (
            "phone short",
            vec![("body.client.phone", json!("12-34"))],
            "bad_phone",
            "client.phone",
        ),
        (
            "phone letters",
            vec![("body.client.phone", json!("+7 922 CALL ME"))],
            "bad_phone",
            "client.phone",
        ),
        (
            "phone long",
            vec![("body.client.phone", json!("1234567890123456"))],
            "bad_phone",
            "client.phone",
        ),
        (
            "recipient phone",
            vec![("body.recipient_name", json!({"phone": "x"}))],
            "bad_phone",
            "recipient_name.phone",
        ),
        (
            "unknown zone",
            vec![("body.address.zone_id", json!("999"))],
            "unknown_zone",
            "address.zone_id",
        ),
        (
            "outside",
            vec![(
                "body.address",
                json!({"name": "x", "coords": {"latitude": "59.9", "longitude": "30.3"}}),
            )],
            "outside_zone",
            "address.coords",
        ),
        (
            "bad coords",
            vec![(
                "body.address",
                json!({"name": "x", "coords": {"latitude": "north", "longitude": "37.7"}}),
            )],
            "bad_coords",
            "address.coords.latitude",
        ),
        (
            "courier without zone",
            vec![("body.address", json!({"name": "x"}))],
            "zone_required",
            "address",
        ),
        (
            "courier without address",
            vec![("body.address", json!({"zone_id": "028270"}))],
            "missing_field",
            "address.name",
        ),
        (
            "unknown restaurant",
            vec![
                ("body.delivery_method", json!("pickup")),
                ("body.address", Value::Null),
                ("body.restaurant_id", json!("nope")),
            ],
            "unknown_restaurant",
            "restaurant_id",
        ),
        (
            "no route",
            vec![
                ("body.delivery_method", json!("pickup")),
                ("body.address", Value::Null),
                ("body.restaurant_id", Value::Null),
            ],
            "missing_field",
            "restaurant_id",
        ),
        (
            "concept required",
            vec![
                ("body.concept_id", Value::Null),
                ("body.delivery_method", json!("pickup")),
                ("body.address", Value::Null),
            ],
            "concept_required",
            "concept_id",
        ),
        (
            "zone without concept at a restaurant with concepts",
            vec![("body.concept_id", Value::Null)],
            "concept_required",
            "concept_id",
        ),
        (
            "unknown concept",
            vec![
                ("body.concept_id", json!("8")),
                ("body.delivery_method", json!("pickup")),
                ("body.address", Value::Null),
            ],
            "unknown_concept",
            "concept_id",
        ),
        (
            "pickup unavailable",
            vec![
                ("body.delivery_method", json!("pickup")),
                ("body.address", Value::Null),
                ("body.restaurant_id", json!("000200")),
            ],
            "pickup_unavailable",
            "delivery_method",
        ),
        (
            "unknown item",
            vec![("body.cart.items.0.id", json!("NOPE"))],
            "unknown_item",
            "cart.items[0].id",
        ),
        (
            "stopped item",
            vec![(
                "body.cart.items.0",
                json!({"id": "D100", "count": 1, "cost": 150}),
            )],
            "item_stopped",
            "cart.items[0].id",
        ),
        (
            "price",
            vec![("body.cart.items.0.cost", json!(450))],
            "price_mismatch",
            "cart.items[0].cost",
        ),
        (
            "modifier price (the seed's 30)",
            vec![("body.cart.items.1.modifiers.0.cost", json!(30))],
            "price_mismatch",
            "cart.items[1].modifiers[0].cost",
        ),
        (
            "modifier unknown",
            vec![("body.cart.items.1.modifiers.0.id", json!("9999"))],
            "unknown_modifier",
            "cart.items[1].modifiers[0].id",
        ),
        (
            "modifier amount",
            vec![("body.cart.items.1.modifiers.0.count", json!(4))],
            "modifier_amount",
            "cart.items[1].modifiers[0].count",
        ),
        (
            "below minimum",
            vec![
                (
                    "body.cart.items",
                    json!([{"id": "T20231", "count": 1, "cost": 500}]),
                ),
                ("body.cart.delivery", json!(125)),
                ("body.cart.total", json!(625)),
                ("body.payment.sum", json!(625)),
            ],
            "below_minimum",
            "cart.items",
        ),
        (
            "delivery charged when free",
            vec![
                ("body.cart.delivery", json!(125)),
                ("body.cart.total", json!(1375)),
                ("body.payment.sum", json!(1375)),
            ],
            "delivery_mismatch",
            "cart.delivery",
        ),
        (
            "total",
            vec![("body.cart.total", json!(1200))],
            "total_mismatch",
            "cart.total",
        ),
        (
            "payment sum",
            vec![("body.payment.sum", json!(1200))],
            "payment_mismatch",
            "payment.sum",
        ),
        (
            "change",
            vec![("body.payment.change", json!(1000))],
            "change_too_small",
            "payment.change",
        ),
        (
            "preorder past",
            vec![("body.date_preorder", json!("2024-04-08 14:00"))],
            "preorder_in_past",
            "date_preorder",
        ),
        (
            "preorder soon",
            vec![("body.date_preorder", json!("2024-04-08 16:00"))],
            "preorder_too_soon",
            "date_preorder",
        ),
        (
            "preorder far",
            vec![("body.date_preorder", json!("2024-04-16 12:00"))],
            "preorder_too_far",
            "date_preorder",
        ),
        (
            "preorder closed",
            vec![("body.date_preorder", json!("2024-04-09 23:30"))],
            "preorder_closed",
            "date_preorder",
        ),
        (
            "preorder format",
            vec![("body.date_preorder", json!("tomorrow"))],
            "bad_date",
            "date_preorder",
        ),
    ];
    for (name, edits, code, field) in cases {
        match run(&apply(&edits), &demo()) {
            Ok(_) => panic!("{name}: accepted"),
            Err(got) => assert!(
                got.contains(&(code.to_owned(), field.to_owned())),
                "{name}: wanted ({code}, {field}), got {got:?}"
            ),
        }
    }
}

#[test]
fn price_mismatch_names_the_expected_price() {
    let doc = apply(&[("body.cart.items.0.cost", json!(450))]);
    let req = wire::parse(doc.to_string().as_bytes()).unwrap_or_else(|v| panic!("{v:?}"));
    let errs = validate(&req, &ctx(&demo())).err().unwrap_or_default();
    assert!(
        errs.iter()
            .any(|v| v.code == "price_mismatch" && v.message.contains("expected 500")),
        "{errs:?}"
    );
}

#[test]
fn every_violation_is_reported_at_once() {
    let doc = apply(&[
        ("body.client.phone", json!("1")),
        ("body.cart.items.0.cost", json!(1)),
        ("body.cart.items.1.id", json!("NOPE")),
        ("body.payment.method", json!("gold")),
    ]);
    let got = run(&doc, &demo()).err().unwrap_or_default();
    let codes: BTreeSet<&str> = got.iter().map(|(c, _)| c.as_str()).collect();
    for want in [
        "bad_phone",
        "price_mismatch",
        "unknown_item",
        "invalid_value",
    ] {
        assert!(codes.contains(want), "{want} missing from {got:?}");
    }
}

#[test]
fn a_modifier_group_with_a_minimum_is_required_even_when_absent() {
    let mut cat = demo();
    if let Some(menu) = cat[0].concepts.get_mut("7").and_then(|c| c.menu.as_mut()) {
        for item in &mut menu.items {
            for g in item.modifiers.iter_mut().flatten() {
                g.min_selected_modifiers = 1;
                g.max_selected_modifiers = 1;
            }
        }
    }
    let got = run(&good(), &cat).err().unwrap_or_default();
    assert!(
        got.contains(&("modifier_group".into(), "cart.items[0].modifiers".into())),
        "{got:?}"
    );
    let two = apply(&[(
        "body.cart.items.1.modifiers",
        json!([{"id": "6021", "count": 1, "cost": 50}, {"id": "6042", "count": 1, "cost": 50}]),
    )]);
    let got = run(&two, &cat).err().unwrap_or_default();
    assert!(
        got.contains(&("modifier_group".into(), "cart.items[1].modifiers".into())),
        "{got:?}"
    );
}

#[test]
fn a_required_group_nested_under_a_modifier_counts_only_when_that_modifier_is_chosen() {
    let nested_under = |parent: &str| {
        let mut cat = demo();
        if let Some(menu) = cat[0].concepts.get_mut("7").and_then(|c| c.menu.as_mut()) {
            for item in &mut menu.items {
                for g in item.modifiers.iter_mut().flatten() {
                    g.min_selected_modifiers = 1;
                    g.max_selected_modifiers = 1;
                    g.parent_modifier_id = Some(parent.to_owned());
                }
            }
        }
        cat
    };
    // Not chosen: the groups are not asked for (line 0 has no modifiers).
    assert_eq!(run(&good(), &nested_under("9999")).err(), None);
    // Chosen: they count, as any group does.
    let two = apply(&[(
        "body.cart.items.1.modifiers",
        json!([{"id": "6021", "count": 1, "cost": 50}, {"id": "6042", "count": 1, "cost": 50}]),
    )]);
    let got = run(&two, &nested_under("6021")).err().unwrap_or_default();
    assert!(
        got.contains(&("modifier_group".into(), "cart.items[1].modifiers".into())),
        "{got:?}"
    );
}

#[test]
fn a_stopped_modifier_is_refused() {
    let mut cat = demo();
    cat[0].stopped.insert("6021".into());
    let got = run(&good(), &cat).err().unwrap_or_default();
    assert!(
        got.contains(&(
            "item_stopped".into(),
            "cart.items[1].modifiers[0].id".into()
        )),
        "{got:?}"
    );
}

#[test]
fn the_restaurant_must_be_online_and_open_unless_preordered() {
    let mut off = demo();
    off[0].online = false;
    let got = run(&good(), &off).err().unwrap_or_default();
    assert!(
        got.contains(&("restaurant_offline".into(), "restaurant_id".into())),
        "{got:?}"
    );
    // Back online at an onlineAt that has passed.
    off[0].offline_until = Some(utc("2024-04-08T11:00:00Z"));
    assert!(run(&good(), &off).is_ok());
    // Offline until tomorrow: a preorder for after that is fine.
    off[0].offline_until = Some(utc("2024-04-09T06:00:00Z"));
    assert!(run(
        &apply(&[("body.date_preorder", json!("2024-04-09 12:00"))]),
        &off
    )
    .is_ok());
    let mut closed = demo();
    closed[0].place.start_time = Some(16 * 3600);
    let got = run(&good(), &closed).err().unwrap_or_default();
    assert!(
        got.contains(&("restaurant_closed".into(), "date".into())),
        "{got:?}"
    );
    assert!(run(
        &apply(&[("body.date_preorder", json!("2024-04-08 17:00"))]),
        &closed
    )
    .is_ok());
}

#[test]
fn opening_hours_cross_midnight_when_the_end_is_at_or_before_the_start() {
    let h = |x: i64| x * 3600;
    let cases = [
        (Some(h(9)), Some(h(23)), h(9), true),
        (Some(h(9)), Some(h(23)), h(23), false),
        (Some(h(9)), Some(h(23)), h(8), false),
        (Some(h(18)), Some(h(2)), h(1), true),
        (Some(h(18)), Some(h(2)), h(19), true),
        (Some(h(18)), Some(h(2)), h(3), false),
        (Some(h(18)), Some(h(2)), h(2), false),
        (Some(0), Some(86_400), h(23) + 3599, true),
        (Some(h(5)), Some(h(5)), h(4), true),
        (None, None, h(3), true),
    ];
    for (start, end, t, want) in cases {
        assert_eq!(open_at(start, end, t), want, "{start:?}-{end:?} at {t}");
    }
}

/// Valid service times from a `/servicetimes` body, as the edge reads them back.
fn times(doc: Value) -> ValidServiceTimes {
    crate::jet::wire::parse_service_times(doc.to_string().as_bytes())
        .and_then(|r| crate::jet::validate::validate_service_times(&r))
        .unwrap_or_else(|e| panic!("{doc}: {e:?}"))
}

/// Delivery service times with the given days (`{"monday": [["10:00", "18:00"]]}`).
pub(super) fn delivery(days: Value) -> ValidServiceTimes {
    times(service_doc(&[("Delivery", days)]))
}

fn service_doc(kinds: &[(&str, Value)]) -> Value {
    let list: Vec<Value> = kinds
        .iter()
        .map(|(kind, days)| {
            let days: serde_json::Map<String, Value> = days
                .as_object()
                .into_iter()
                .flatten()
                .map(|(day, windows)| {
                    let windows: Vec<Value> = windows
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|w| json!({"openingTime": w[0], "closingTime": w[1]}))
                        .collect();
                    (day.clone(), Value::from(windows))
                })
                .collect();
            json!({"serviceType": kind, "openingTimes": days})
        })
        .collect();
    json!({"timezone": "Europe/Moscow", "serviceTimes": list})
}

fn local(text: &str) -> chrono::NaiveDateTime {
    parse_local(text).unwrap_or_else(|| panic!("{text}"))
}

/// Each row: a name, the days, a restaurant-local date-time, and whether it is inside.
/// 2024-04-08 is a Monday.
#[test]
fn service_times_windows_decide_inside_and_outside() {
    let cases = [
        (
            "inside a window",
            json!({"monday": [["10:00", "18:00"]]}),
            "2024-04-08 15:00",
            true,
        ),
        (
            "opening minute is inside",
            json!({"monday": [["10:00", "18:00"]]}),
            "2024-04-08 10:00",
            true,
        ),
        (
            "before the window",
            json!({"monday": [["10:00", "18:00"]]}),
            "2024-04-08 09:59:59",
            false,
        ),
        (
            "closing minute is outside",
            json!({"monday": [["10:00", "18:00"]]}),
            "2024-04-08 18:00",
            false,
        ),
        (
            "second window",
            json!({"monday": [["10:00", "12:00"], ["20:00", "23:00"]]}),
            "2024-04-08 21:00",
            true,
        ),
        (
            "between windows",
            json!({"monday": [["10:00", "12:00"], ["20:00", "23:00"]]}),
            "2024-04-08 15:00",
            false,
        ),
        (
            "across midnight, evening",
            json!({"friday": [["20:00", "02:00"]]}),
            "2024-04-12 23:30",
            true,
        ),
        (
            "across midnight, next morning",
            json!({"friday": [["20:00", "02:00"]]}),
            "2024-04-13 01:59",
            true,
        ),
        (
            "across midnight, after closing",
            json!({"friday": [["20:00", "02:00"]]}),
            "2024-04-13 02:00",
            false,
        ),
        (
            "across midnight, not the day before",
            json!({"friday": [["20:00", "02:00"]]}),
            "2024-04-12 01:00",
            false,
        ),
        (
            "sunday's window runs into monday",
            json!({"sunday": [["22:00", "03:00"]]}),
            "2024-04-08 02:00",
            true,
        ),
        (
            "a day not listed is closed",
            json!({"tuesday": [["10:00", "18:00"]]}),
            "2024-04-08 15:00",
            false,
        ),
        (
            "a day with no window is closed",
            json!({"monday": [], "tuesday": [["10:00", "18:00"]]}),
            "2024-04-08 15:00",
            false,
        ),
        (
            "00:00-23:59 is the whole day",
            json!({"monday": [["00:00", "23:59"]]}),
            "2024-04-08 23:59:59",
            true,
        ),
        (
            "00:00-23:59 ends at midnight",
            json!({"monday": [["00:00", "23:59"]]}),
            "2024-04-09 00:00",
            false,
        ),
    ];
    for (name, days, at, want) in cases {
        let valid = delivery(days);
        let days = &valid.service_times[&crate::jet::validate::ServiceType::Delivery];
        assert_eq!(in_service_times(days, local(at)), want, "{name}");
    }
}

/// Each row: a name, the service times (or none), `start_time` (hours), edits to the
/// order, and the violation expected (none = accepted). Now is Monday 15:00 Moscow; the
/// demo restaurant's own hours are 09:00–23:00.
#[test]
fn service_times_are_the_opening_hours_when_present() {
    let mon = |a: &str, b: &str| delivery(json!({"monday": [[a, b]]}));
    let tue = |a: &str, b: &str| delivery(json!({"tuesday": [[a, b]]}));
    let preorder = |at: &str| vec![("body.date_preorder", json!(at))];
    let pickup = vec![
        ("body.delivery_method", json!("pickup")),
        ("body.address", Value::Null),
    ];
    type Case = (
        &'static str,
        Option<ValidServiceTimes>,
        Option<i64>,
        Vec<(&'static str, Value)>,
        Option<(&'static str, &'static str)>,
    );
    let cases: Vec<Case> = vec![
        (
            "open now inside a window",
            Some(mon("10:00", "18:00")),
            None,
            vec![],
            None,
        ),
        (
            "closed now outside every window",
            Some(mon("16:00", "18:00")),
            None,
            vec![],
            Some(("restaurant_closed", "date")),
        ),
        (
            "open now in sunday's window across midnight",
            Some(delivery(json!({"sunday": [["20:00", "16:00"]]}))),
            None,
            vec![],
            None,
        ),
        (
            "closed after sunday's window across midnight",
            Some(delivery(json!({"sunday": [["20:00", "14:00"]]}))),
            None,
            vec![],
            Some(("restaurant_closed", "date")),
        ),
        (
            "closed on a day without a window",
            Some(tue("00:00", "23:59")),
            None,
            vec![],
            Some(("restaurant_closed", "date")),
        ),
        (
            "preorder inside a window",
            Some(tue("10:00", "18:00")),
            None,
            preorder("2024-04-09 12:00"),
            None,
        ),
        (
            "preorder outside every window",
            Some(tue("10:00", "18:00")),
            None,
            preorder("2024-04-09 19:00"),
            Some(("preorder_closed", "date_preorder")),
        ),
        (
            "preorder on a day without a window",
            Some(tue("10:00", "18:00")),
            None,
            preorder("2024-04-10 12:00"),
            Some(("preorder_closed", "date_preorder")),
        ),
        (
            "service times open over start_time closed",
            Some(mon("10:00", "18:00")),
            Some(16),
            vec![],
            None,
        ),
        (
            "service times closed over start_time open",
            Some(mon("16:00", "18:00")),
            Some(9),
            vec![],
            Some(("restaurant_closed", "date")),
        ),
        (
            "without service times start_time decides (closed)",
            None,
            Some(16),
            vec![],
            Some(("restaurant_closed", "date")),
        ),
        (
            "without service times start_time decides (open)",
            None,
            Some(9),
            vec![],
            None,
        ),
        (
            "pickup reads Collection",
            Some(times(service_doc(&[
                ("Delivery", json!({"tuesday": [["10:00", "18:00"]]})),
                ("Collection", json!({"monday": [["10:00", "18:00"]]})),
            ]))),
            None,
            pickup.clone(),
            None,
        ),
        (
            "pickup without Collection times is closed",
            Some(mon("10:00", "18:00")),
            None,
            pickup.clone(),
            Some(("restaurant_closed", "date")),
        ),
    ];
    for (name, service_times, start_hour, edits, want) in cases {
        let mut restaurants = demo();
        restaurants[0].service_times = service_times;
        if let Some(h) = start_hour {
            restaurants[0].place.start_time = Some(h * 3600);
        }
        let got = run(&apply(&edits), &restaurants);
        match want {
            None => assert!(got.is_ok(), "{name}: {got:?}"),
            Some((code, field)) => {
                let errors = got.err().unwrap_or_default();
                assert!(
                    errors.contains(&(code.into(), field.into())),
                    "{name}: {errors:?}"
                );
            }
        }
    }
}

/// `concept_required` only where a concept would have found the zone: a restaurant
/// without concepts routes a zone of the default concept, and an unknown zone there is
/// still `unknown_zone`.
#[test]
fn a_zone_without_concept_needs_a_concept_only_at_a_restaurant_with_concepts() {
    let mut plain = demo();
    plain[0].place.concepts = None;
    if let Some(c) = plain[0].concepts.remove("7") {
        plain[0].concepts.insert(String::new(), c);
    }
    let no_concept = apply(&[("body.concept_id", Value::Null)]);
    assert!(
        run(&no_concept, &plain).is_ok(),
        "{:?}",
        run(&no_concept, &plain)
    );
    let mut unknown = no_concept.clone();
    set(&mut unknown, "body.address.zone_id", json!("999"));
    assert_eq!(
        run(&unknown, &plain).err().unwrap_or_default(),
        vec![("unknown_zone".to_owned(), "address.zone_id".to_owned())]
    );
    assert_eq!(
        run(&no_concept, &demo()).err().unwrap_or_default(),
        vec![("concept_required".to_owned(), "concept_id".to_owned())]
    );
}

#[test]
fn coords_route_across_restaurants_and_the_cheapest_delivery_wins() {
    // (37.55, 55.80) is in both the demo zone (125) and Z2 of 000200 (50): Z2 wins.
    let both = apply(&[
        (
            "body.address",
            json!({"name": "x", "coords": {"latitude": "55.80", "longitude": "37.55"}}),
        ),
        ("body.restaurant_id", json!("000127")),
    ]);
    let got = run(&both, &demo()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        (got.restaurant_id.as_str(), got.zone_id.as_deref()),
        ("000200", Some("Z2"))
    );
    // (37.70, 55.80) is only in the demo zone.
    let one = apply(&[(
        "body.address",
        json!({"name": "x", "coords": {"latitude": "55.80", "longitude": "37.70"}}),
    )]);
    let got = run(&one, &demo()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(got.restaurant_id, "000127");
    // A point exactly on Z2's border is inside it.
    let edge = apply(&[(
        "body.address",
        json!({"name": "x", "coords": {"latitude": "55.85", "longitude": "37.55"}}),
    )]);
    let got = run(&edge, &demo()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(got.zone_id.as_deref(), Some("Z2"));
    // zone_id wins over coords.
    let zone = apply(&[(
        "body.address",
        json!({"name": "x", "zone_id": "028270", "coords": {"latitude": "55.80", "longitude": "37.55"}}),
    )]);
    assert_eq!(
        run(&zone, &demo()).map(|o| o.restaurant_id).ok().as_deref(),
        Some("000127")
    );
}

#[test]
fn the_seed_example_is_inconsistent_with_the_seed_catalog() {
    // The seed order prices 6021 at 30 (the menu says 50) and sends delivery 100 for a
    // 2840 subtotal (the zone says free from 1200): both are caught.
    let seed: Value =
        serde_json::from_str(include_str!("../../../fixtures/jupiter/seed-order.json"))
            .unwrap_or_else(|e| panic!("{e}"));
    let got = run(&seed, &demo()).err().unwrap_or_default();
    // Every difference at once (issue 17): the line is totalled at the price sent.
    for (code, field) in [
        ("price_mismatch", "cart.items[1].modifiers[0].cost"),
        ("delivery_mismatch", "cart.delivery"),
        ("total_mismatch", "cart.total"),
    ] {
        assert!(got.contains(&(code.into(), field.into())), "{code} {got:?}");
    }
    let mut fixed = seed.clone();
    set(&mut fixed, "body.cart.items.1.modifiers.0.cost", json!(50));
    set(&mut fixed, "body.date_preorder", Value::Null);
    let got = run(&fixed, &demo()).err().unwrap_or_default();
    assert_eq!(
        got,
        vec![
            ("delivery_mismatch".into(), "cart.delivery".into()),
            ("total_mismatch".into(), "cart.total".into())
        ]
    );
}

#[test]
fn invalid_json_is_one_violation() {
    assert_eq!(
        wire::parse(b"[1]").map_err(|v| v.code),
        Err("invalid_json".to_owned())
    );
    assert_eq!(
        wire::parse(br#"{"body": {"cart": "x"}}"#).map_err(|v| v.code),
        Err("invalid_json".to_owned())
    );
}

#[test]
fn a_value_of_the_wrong_type_names_its_field() {
    let cases: [(&[u8], Option<&str>); 4] = [
        (
            br#"{"action": "new_order", "body": {"cart": {"items": [{"id": "1", "count": 1, "cost": "NaN"}]}}}"#,
            Some("body.cart.items[0].cost"),
        ),
        (br#"{"body": {"cart": "x"}}"#, Some("body.cart")),
        (br#"{"body": {"number": 7}}"#, Some("body.number")),
        // Not JSON: no field to name.
        (br#"{"body": "#, None),
    ];
    for (body, want) in cases {
        let got = wire::parse(body).err().map(|v| v.field);
        assert_eq!(
            got,
            Some(want.map(str::to_owned)),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
    // A body of the right shape parses (the passing case).
    assert!(wire::parse(good().to_string().as_bytes()).is_ok());
}

#[test]
fn replay_is_the_same_content_regardless_of_key_order() {
    let a = wire::parse(good().to_string().as_bytes()).unwrap_or_else(|v| panic!("{v:?}"));
    let text = r#"{"body": {"number": "W-1"}, "action": "new_order"}"#;
    let b = wire::parse(text.as_bytes()).unwrap_or_else(|v| panic!("{v:?}"));
    let b2 = wire::parse(br#"{"action":"new_order","body":{"number":"W-1"}}"#)
        .unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(replay::fingerprint(&b), replay::fingerprint(&b2));
    assert_ne!(replay::fingerprint(&a), replay::fingerprint(&b));
    let (fa, fb) = (replay::fingerprint(&a), replay::fingerprint(&b));
    assert_eq!(replay::compare(&fa, &fa, "W-1"), Ok(replay::Replay::Same));
    assert_eq!(
        replay::compare(&fa, &fb, "W-1").map_err(|v| v.code),
        Err("duplicate".to_owned())
    );
}

#[test]
fn lifecycle_allows_exactly_the_documented_transitions() {
    use DeliveryMethod::*;
    use Status::*;
    let allowed = [
        (Courier, New, Cooking),
        (Courier, Cooking, Delivering),
        (Courier, Delivering, Delivered),
        (Pickup, New, Cooking),
        (Pickup, Cooking, Delivered),
        (Courier, New, Cancelled),
        (Courier, Cooking, Cancelled),
        (Courier, Delivering, Cancelled),
        (Pickup, New, Cancelled),
        (Pickup, Cooking, Cancelled),
    ];
    for method in [Courier, Pickup] {
        for from in Status::ALL {
            for to in Status::ALL {
                let want = allowed.contains(&(method, from, to));
                let got = lifecycle::transition(method, from, to, None);
                assert_eq!(got.is_ok(), want, "{method:?} {from:?} → {to:?}");
                if let Err(v) = got {
                    assert_eq!(v.code, "illegal_transition");
                }
            }
        }
    }
    assert_eq!(
        Status::parse(7, "status").map_err(|v| v.code),
        Err("bad_status".to_owned())
    );
    assert_eq!(Status::from_code(20), Some(Delivering));
}

#[test]
fn a_status_change_notifies_the_status_url_with_status_appended() {
    let url = check_outbound_url(
        "https://you-url.example/s?order_id=9400001",
        &UrlPolicy::default(),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let n = lifecycle::transition(
        DeliveryMethod::Courier,
        Status::New,
        Status::Cooking,
        Some(&url),
    )
    .unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(
        n.callback.as_ref().map(|u| u.as_str()),
        Some("https://you-url.example/s?order_id=9400001&status=10")
    );
    assert_eq!(lifecycle::notify(Status::New, None).callback, None);
}

/// xorshift64*: a fixed-seed generator for the property tests (also `validate`'s).
pub(super) struct Gen(pub(super) u64);

impl Gen {
    pub(super) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> i64 {
        (self.next() % n) as i64
    }
}

#[test]
fn property_money_arithmetic_is_exact() {
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    for _ in 0..2000 {
        let m = Money::from_minor(g.below(1_000_000_000), "m").unwrap_or_else(|v| panic!("{v:?}"));
        // Decimal text round-trips exactly.
        assert_eq!(Money::parse_decimal(&m.to_decimal_string(), "m"), Ok(m));
        // A line is count × (cost + Σ count × cost), whatever the modifiers' order.
        let count = g.below(20) + 1;
        let cost = Money::from_minor(g.below(1_000_000), "c").unwrap_or_else(|v| panic!("{v:?}"));
        let mods: Vec<(String, i64, Money)> = (0..g.below(4))
            .map(|i| {
                (
                    format!("m{i}"),
                    g.below(3) + 1,
                    Money::from_minor(g.below(10_000), "x").unwrap_or_default(),
                )
            })
            .collect();
        let want = count * (cost.minor() + mods.iter().map(|(_, n, c)| n * c.minor()).sum::<i64>());
        assert_eq!(line_total(count, cost, &mods).map(Money::minor), Some(want));
        let mut rev = mods.clone();
        rev.reverse();
        assert_eq!(
            line_total(count, cost, &rev),
            line_total(count, cost, &mods)
        );
        // Delivery is free exactly from sum_for_free on.
        let mut zone: Zone =
            serde_json::from_value(json!({"id": "z", "name": "z", "coordinates": []}))
                .unwrap_or_else(|e| panic!("{e}"));
        zone.delivery_price = Some(cost);
        zone.sum_for_free = Some(m);
        let sub = Money::from_minor(g.below(1_000_000_000), "s").unwrap_or_default();
        let price = delivery_price(&zone, sub);
        let free = m > Money::ZERO && sub >= m;
        assert_eq!(price, if free { Money::ZERO } else { cost });
    }
    // A third decimal that is not zero is refused; trailing zeros are not.
    for (text, ok) in [
        ("1.005", false),
        ("1.500", true),
        ("-1", false),
        ("1e2", false),
    ] {
        assert_eq!(Money::parse_decimal(text, "m").is_ok(), ok, "{text}");
    }
}

fn poly(points: &[(f64, f64)]) -> Polygon {
    let pts: Vec<Point> = points
        .iter()
        .map(|&(lon, lat)| Point { lon, lat })
        .collect();
    Polygon::parse(&pts, "p").unwrap_or_else(|v| panic!("{v:?}"))
}

#[test]
fn property_point_in_polygon() {
    let mut g = Gen(42);
    for _ in 0..300 {
        // Axis-aligned rectangles with integer corners: inside iff within the box, and
        // every vertex and every edge midpoint (exact in f64) is on the boundary → inside.
        let (x0, y0) = (g.below(100) as f64 - 50.0, g.below(80) as f64 - 40.0);
        let (w, h) = (
            (g.below(20) + 1) as f64 * 2.0,
            (g.below(20) + 1) as f64 * 2.0,
        );
        let r = poly(&[(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)]);
        for v in r.vertices().windows(2) {
            assert!(r.contains(v[0]));
            let mid = Point {
                lon: (v[0].lon + v[1].lon) / 2.0,
                lat: (v[0].lat + v[1].lat) / 2.0,
            };
            assert!(r.contains(mid), "{mid:?}");
        }
        for _ in 0..20 {
            let p = Point {
                lon: x0 - 5.0 + g.below(1000) as f64 * (w + 10.0) / 1000.0,
                lat: y0 - 5.0 + g.below(1000) as f64 * (h + 10.0) / 1000.0,
            };
            let want = p.lon >= x0 && p.lon <= x0 + w && p.lat >= y0 && p.lat <= y0 + h;
            assert_eq!(r.contains(p), want, "{p:?} in {x0},{y0} {w}x{h}");
        }
    }
    // Concave: a U shape; the notch is outside (no holes, just a concavity).
    let u = poly(&[
        (0.0, 0.0),
        (3.0, 0.0),
        (3.0, 3.0),
        (2.0, 3.0),
        (2.0, 1.0),
        (1.0, 1.0),
        (1.0, 3.0),
        (0.0, 3.0),
    ]);
    assert!(!u.contains(Point { lon: 1.5, lat: 2.0 }));
    assert!(u.contains(Point { lon: 0.5, lat: 2.0 }));
    assert!(u.contains(Point { lon: 2.5, lat: 2.5 }));
    assert!(
        u.contains(Point { lon: 1.5, lat: 1.0 }),
        "the notch's floor is a border"
    );
    // Many vertices: a 720-gon of radius 1; points well inside the inscribed circle are
    // inside, points outside the circumscribed one are outside.
    let n = 720;
    let ring: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let a = i as f64 * std::f64::consts::TAU / n as f64;
            (a.cos(), a.sin())
        })
        .collect();
    let circle = poly(&ring);
    for _ in 0..500 {
        let a = g.below(10_000) as f64 / 10_000.0 * std::f64::consts::TAU;
        let inner = g.below(999) as f64 / 1000.0 * 0.999;
        assert!(circle.contains(Point {
            lon: inner * a.cos(),
            lat: inner * a.sin()
        }));
        let outer = 1.0001 + g.below(1000) as f64 / 100.0;
        assert!(!circle.contains(Point {
            lon: outer * a.cos(),
            lat: outer * a.sin()
        }));
    }
}

#[test]
fn the_demo_order_fixture_is_valid_against_the_demo_catalog() {
    // fixtures/demo/order.json is the seed's order made consistent with the demo catalog:
    // 500 + 3 × (700 + 50 + 50) = 2900, at or above 1200 so delivery is free.
    let doc: Value = serde_json::from_str(include_str!("../../../fixtures/demo/order.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    let got = run(&doc, &demo()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        (got.subtotal, got.delivery, got.total),
        (rub(2900), Money::ZERO, rub(2900))
    );
}

/// A marketplace order: what a site order would be refused for but a marketplace already
/// settled with its customer is taken as sent; what the kitchen cannot honour is not.
#[test]
fn marketplace_rules_take_prices_and_fees_as_sent_but_not_what_the_kitchen_cannot_do() {
    // Taken as sent: each edit is refused under the site rules and accepted here.
    type Case<'a> = (&'a str, Vec<(&'a str, Value)>, &'a str);
    let accepted: Vec<Case> = vec![
        (
            "an item price from the marketplace's menu",
            vec![
                ("body.cart.items.0.cost", json!(450)),
                ("body.cart.total", json!(1200)),
                ("body.payment.sum", json!(1200)),
            ],
            "price_mismatch",
        ),
        (
            "the marketplace's delivery fee",
            vec![
                ("body.cart.delivery", json!(99)),
                ("body.cart.total", json!(1349)),
                ("body.payment.sum", json!(1349)),
            ],
            "delivery_mismatch",
        ),
        (
            "a masked phone",
            vec![("body.client.phone", json!("*****"))],
            "bad_phone",
        ),
        (
            "a courier order routed by restaurant alone",
            vec![("body.address.zone_id", Value::Null)],
            "zone_required",
        ),
        (
            "an address outside every zone",
            vec![
                ("body.address.zone_id", Value::Null),
                (
                    "body.address.coords",
                    json!({"latitude": "10.0", "longitude": "10.0"}),
                ),
            ],
            "outside_zone",
        ),
        (
            "below the zone minimum",
            vec![
                (
                    "body.cart.items",
                    json!([{"id": "T20231", "count": 1, "cost": 500}]),
                ),
                ("body.cart.total", json!(500)),
                ("body.payment.sum", json!(500)),
            ],
            "below_minimum",
        ),
        (
            "a modifier group's limits",
            vec![
                (
                    "body.cart.items.1.modifiers",
                    json!([{"id": "6021", "count": 4, "cost": 50}]),
                ),
                ("body.cart.total", json!(1400)),
                ("body.payment.sum", json!(1400)),
            ],
            "modifier_amount",
        ),
        (
            "a preorder sooner than the zone's delivery time",
            vec![("body.date_preorder", json!("2024-04-08 15:10:00"))],
            "preorder_too_soon",
        ),
    ];
    for (name, edits, site_code) in accepted {
        let doc = apply(&edits);
        let site = run(&doc, &demo()).err().unwrap_or_default();
        assert!(
            site.iter().any(|(c, _)| c == site_code),
            "{name}: the site rules give {site_code}, got {site:?}"
        );
        if let Err(e) = run_marketplace(&doc, &demo()) {
            panic!("{name}: the marketplace rules refuse it: {e:?}");
        }
    }
    let masked = run_marketplace(&apply(&[("body.client.phone", json!("*****"))]), &demo())
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(masked.phone, "*****", "a masked phone is kept as given");
    let fee = run_marketplace(
        &apply(&[
            ("body.cart.delivery", json!(99)),
            ("body.cart.total", json!(1349)),
            ("body.payment.sum", json!(1349)),
        ]),
        &demo(),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!((fee.delivery, fee.total), (rub(99), rub(1349)));
}

#[test]
fn a_marketplace_total_is_what_the_customer_paid_and_only_a_payment_that_is_not_it_is_refused() {
    // Passing: a total below the menu lines (a discount) and above them (charges, tax),
    // carried by a charge line so the cart still adds up, with the payment equal to it.
    for (name, charge, total) in [("discounted", -250, 1000), ("charged", 150, 1400)] {
        let mut doc = apply(&[
            ("body.cart.total", json!(total)),
            ("body.payment.sum", json!(total)),
        ]);
        if let Some(items) = doc["body"]["cart"]["items"].as_array_mut() {
            items.push(
                json!({"id": "marketplace:adjust", "name": name, "count": 1, "cost": charge}),
            );
        }
        let got = run_marketplace(&doc, &demo()).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(got.total, rub(total), "{name}");
        assert_eq!(
            got.subtotal,
            rub(total),
            "{name}: the lines after the charge line"
        );
        // The site rules know no charge lines: an unknown item.
        let site = run(&doc, &demo()).err().unwrap_or_default();
        assert!(
            site.iter().any(|(c, _)| c == "unknown_item"),
            "{name}: {site:?}"
        );
    }
    // Failing: a total that the lines and delivery do not make, even for a marketplace.
    let got = run_marketplace(
        &apply(&[
            ("body.cart.total", json!(1000)),
            ("body.payment.sum", json!(1000)),
        ]),
        &demo(),
    )
    .err()
    .unwrap_or_default();
    assert_eq!(
        got,
        vec![("total_mismatch".to_owned(), "cart.total".to_owned())]
    );
    // Failing: a payment that is not the total, named.
    let got = run_marketplace(&apply(&[("body.payment.sum", json!(1249))]), &demo())
        .err()
        .unwrap_or_default();
    assert_eq!(
        got,
        vec![("payment_mismatch".to_owned(), "payment.sum".to_owned())]
    );
}

#[test]
fn a_marketplace_courier_order_goes_to_the_zone_of_its_point_or_else_to_the_named_restaurant() {
    let at = |lat: &str, lon: &str| {
        apply(&[
            ("body.address.zone_id", Value::Null),
            (
                "body.address.coords",
                json!({"latitude": lat, "longitude": lon}),
            ),
            ("body.cart.delivery", json!(99)),
            ("body.cart.total", json!(1349)),
            ("body.payment.sum", json!(1349)),
        ])
    };
    // Inside zone 028270: routed by it, the marketplace's fee kept.
    let inside = at("55.80", "37.70");
    let valid = run_marketplace(&inside, &demo()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(valid.zone_id.as_deref(), Some("028270"));
    assert_eq!(
        valid.delivery,
        rub(99),
        "the marketplace's fee, not the zone's 125"
    );
    let req = wire::parse(inside.to_string().as_bytes()).unwrap_or_else(|v| panic!("{v:?}"));
    let restaurants = demo();
    let ctx = OrderContext {
        rules: Rules::Marketplace,
        ..ctx(&restaurants)
    };
    let borrowed = validate_borrowing(&req, &ctx).unwrap_or_else(|e| panic!("{e:?}"));
    // An owned order kept across other checks lends exactly what was validated.
    let owned = borrowed.clone().into_owned();
    assert_eq!(owned.borrowed(), borrowed);
    assert_eq!(owned.borrowed().into_owned(), owned);
    let routed = marketplace_routed(&req, &borrowed);
    let address = routed.body.address.clone().unwrap_or_default();
    assert_eq!(address.zone_id.as_deref(), Some("028270"));
    let comment = routed.body.comment.clone().unwrap_or_default();
    assert!(comment.contains("delivery zone 028270"), "{comment}");
    assert!(comment.contains("delivery fee 99"), "{comment}");

    // Outside every zone (Saint Petersburg): not refused; the named restaurant, no zone,
    // and the coordinates off the address so Jupiter does not route by them.
    let outside = at("59.9", "30.3");
    let valid = run_marketplace(&outside, &demo()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(valid.zone_id, None);
    assert_eq!(valid.restaurant_id, "000127");
    let site = run(&outside, &demo()).err().unwrap_or_default();
    assert!(site.iter().any(|(c, _)| c == "outside_zone"), "{site:?}");
    let req = wire::parse(outside.to_string().as_bytes()).unwrap_or_else(|v| panic!("{v:?}"));
    let borrowed = validate_borrowing(&req, &ctx).unwrap_or_else(|e| panic!("{e:?}"));
    let routed = marketplace_routed(&req, &borrowed);
    let address = routed.body.address.clone().unwrap_or_default();
    assert_eq!((address.zone_id, address.coords), (None, None));
    let comment = routed.body.comment.clone().unwrap_or_default();
    assert!(
        comment.contains("(59.9, 30.3) outside every delivery zone")
            && comment.contains("restaurant 000127"),
        "{comment}"
    );

    // Failing: a restaurant the hub does not have is still refused, named.
    let mut nowhere = outside;
    set(&mut nowhere, "body.restaurant_id", json!("nope"));
    let got = run_marketplace(&nowhere, &demo()).err().unwrap_or_default();
    assert!(
        got.contains(&("unknown_restaurant".to_owned(), "restaurant_id".to_owned())),
        "{got:?}"
    );

    // Still refused: each edit breaks one rule the marketplace cannot settle for the kitchen.
    let mut offline = demo();
    offline[0].online = false;
    let mut closed = demo();
    closed[0].place.start_time = Some(0);
    closed[0].place.end_time = Some(3600);
    let refused: Vec<(&str, Value, Vec<RestaurantState>, &str, &str)> = vec![
        (
            "unknown restaurant",
            apply(&[("body.restaurant_id", json!("nope"))]),
            demo(),
            "unknown_restaurant",
            "restaurant_id",
        ),
        (
            "unknown item",
            apply(&[("body.cart.items.0.id", json!("NOPE"))]),
            demo(),
            "unknown_item",
            "cart.items[0].id",
        ),
        (
            "unknown modifier",
            apply(&[("body.cart.items.1.modifiers.0.id", json!("NOPE"))]),
            demo(),
            "unknown_modifier",
            "cart.items[1].modifiers[0].id",
        ),
        (
            "stopped item",
            apply(&[("body.cart.items.0.id", json!("D100"))]),
            demo(),
            "item_stopped",
            "cart.items[0].id",
        ),
        (
            "offline",
            good(),
            offline,
            "restaurant_offline",
            "restaurant_id",
        ),
        ("closed", good(), closed, "restaurant_closed", "date"),
        (
            "a payment that is not the total",
            apply(&[("body.payment.sum", json!(1))]),
            demo(),
            "payment_mismatch",
            "payment.sum",
        ),
    ];
    for (name, doc, restaurants, code, field) in refused {
        let got = run_marketplace(&doc, &restaurants)
            .err()
            .unwrap_or_default();
        assert!(
            got.contains(&(code.to_owned(), field.to_owned())),
            "{name}: expected {code} at {field}, got {got:?}"
        );
    }
}

/// Seed `004`: `sum_for_free` is the order sum from which delivery is free; Jupiter writes 0
/// for zones that have no free tier ("Стоимость доставки 249 руб."), which charge their
/// price on every order.
#[test]
fn a_zero_free_delivery_threshold_means_the_zone_always_charges() {
    let zone = |price: i64, free: Option<i64>| -> Zone {
        let mut z: Zone =
            serde_json::from_value(json!({"id": "z", "name": "z", "coordinates": []}))
                .unwrap_or_else(|e| panic!("{e}"));
        z.delivery_price = Some(rub(price));
        z.sum_for_free = free.map(rub);
        z
    };
    // (zone price, sum_for_free, subtotal) → delivery charged
    let cases = [
        (249, Some(0), 100, 249),
        (249, Some(0), 5000, 249),
        (249, None, 5000, 249),
        (125, Some(1200), 1199, 125),
        (125, Some(1200), 1200, 0),
        (0, Some(0), 100, 0),
    ];
    for (price, free, sub, want) in cases {
        assert_eq!(
            delivery_price(&zone(price, free), rub(sub)),
            rub(want),
            "price {price}, sum_for_free {free:?}, subtotal {sub}"
        );
    }
}

fn run_trusted(
    doc: &Value,
    restaurants: &[RestaurantState],
) -> Result<ValidOrder, Vec<(String, String)>> {
    let req = wire::parse(doc.to_string().as_bytes()).map_err(|v| vec![(v.code, String::new())])?;
    let ctx = OrderContext {
        rules: Rules::TrustedSite,
        ..ctx(restaurants)
    };
    validate(&req, &ctx).map_err(|vs| {
        vs.into_iter()
            .map(|v| (v.code, v.field.unwrap_or_default()))
            .collect()
    })
}

/// Issue 17 point 2: a trusted site's (X-Jup-Api-Key) sum below the total is a discount,
/// its prices and delivery are warnings; a browser's are refusals. Each row: edits,
/// what a browser gets, and the trusted outcome (discount in roubles and warning fields,
/// or the refusals).
#[test]
fn a_trusted_site_gets_discounts_and_price_warnings_where_a_browser_is_refused() {
    type Outcome = Result<(i64, Vec<&'static str>), Vec<(&'static str, &'static str)>>;
    type Case = (
        &'static str,
        Vec<(&'static str, Value)>,
        Vec<(&'static str, &'static str)>,
        Outcome,
    );
    let cases: Vec<Case> = vec![
        ("an exact order", vec![], vec![], Ok((0, vec![]))),
        (
            "a sum below the total is a discount",
            vec![("body.payment.sum", json!(1000))],
            vec![("payment_mismatch", "payment.sum")],
            Ok((250, vec![])),
        ),
        (
            "a sum of zero is a full discount",
            vec![
                ("body.payment.sum", json!(0)),
                ("body.payment.change", Value::Null),
            ],
            vec![("payment_mismatch", "payment.sum")],
            Ok((1250, vec![])),
        ),
        (
            "a sum above the total is refused for both",
            vec![("body.payment.sum", json!(1300))],
            vec![("payment_mismatch", "payment.sum")],
            Err(vec![("payment_mismatch", "payment.sum")]),
        ),
        (
            "a negative sum is refused for both",
            vec![("body.payment.sum", json!(-1))],
            vec![("negative_amount", "payment.sum")],
            Err(vec![("negative_amount", "payment.sum")]),
        ),
        (
            "an item cost other than the menu's is a warning",
            vec![
                ("body.cart.items.0.cost", json!(450)),
                ("body.cart.total", json!(1200)),
                ("body.payment.sum", json!(1200)),
            ],
            vec![("price_mismatch", "cart.items[0].cost")],
            Ok((0, vec!["cart.items[0].cost"])),
        ),
        (
            "a modifier cost other than the menu's is a warning",
            vec![
                ("body.cart.items.1.modifiers.0.cost", json!(30)),
                ("body.cart.total", json!(1230)),
                ("body.payment.sum", json!(1230)),
            ],
            vec![("price_mismatch", "cart.items[1].modifiers[0].cost")],
            Ok((0, vec!["cart.items[1].modifiers[0].cost"])),
        ),
        (
            "a delivery other than the zone's is a warning, taken as sent",
            vec![
                ("body.cart.delivery", json!(100)),
                ("body.cart.total", json!(1350)),
                ("body.payment.sum", json!(1350)),
            ],
            vec![
                ("delivery_mismatch", "cart.delivery"),
                ("total_mismatch", "cart.total"),
            ],
            Ok((0, vec!["cart.delivery"])),
        ),
        (
            "a total that does not add up is refused for both",
            vec![
                ("body.cart.total", json!(1300)),
                ("body.payment.sum", json!(1300)),
            ],
            vec![("total_mismatch", "cart.total")],
            Err(vec![("total_mismatch", "cart.total")]),
        ),
        (
            "an unknown item is refused for both",
            vec![("body.cart.items.0.id", json!("NOPE"))],
            vec![("unknown_item", "cart.items[0].id")],
            Err(vec![("unknown_item", "cart.items[0].id")]),
        ),
    ];
    let owned = |v: Vec<(&str, &str)>| -> Vec<(String, String)> {
        v.into_iter()
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
            .collect()
    };
    for (name, edits, browser, trusted) in cases {
        let doc = apply(&edits);
        match run(&doc, &demo()) {
            Ok(_) => assert!(browser.is_empty(), "{name}: a browser was accepted"),
            Err(got) => assert_eq!(got, owned(browser), "{name}: browser"),
        }
        let got = run_trusted(&doc, &demo()).map(|o| {
            let fields: Vec<String> = o.warnings.iter().filter_map(|w| w.field.clone()).collect();
            (o.discount, fields)
        });
        let want = trusted
            .map(|(d, f)| (rub(d), f.into_iter().map(str::to_owned).collect::<Vec<_>>()))
            .map_err(owned);
        assert_eq!(got, want, "{name}: trusted");
    }
}

/// Issue 17 point 3: an order routed by coordinates without `concept_id` is told the
/// concept is missing where that is why no zone matched, and `outside_zone` otherwise; a
/// restaurant whose concepts include `default` takes an order without one.
#[test]
fn coords_without_a_concept_are_concept_required_where_concepts_matter() {
    let by_coords = apply(&[
        ("body.concept_id", Value::Null),
        ("body.address.zone_id", Value::Null),
        (
            "body.address.coords",
            json!({"latitude": "55.80", "longitude": "37.55"}),
        ),
    ]);
    let err = |doc: &Value, r: &[RestaurantState]| run(doc, r).err().unwrap_or_default();
    let one = |code: &str, field: &str| vec![(code.to_owned(), field.to_owned())];
    // The demo restaurant works with concept 7 only.
    assert_eq!(
        err(&by_coords, &demo()),
        one("concept_required", "concept_id")
    );
    let mut named = by_coords.clone();
    set(&mut named, "body.restaurant_id", json!("000127"));
    assert_eq!(err(&named, &demo()), one("concept_required", "concept_id"));
    // Without concepts anywhere, a point in no zone is outside_zone.
    let mut plain = demo();
    for r in &mut plain {
        r.place.concepts = None;
    }
    assert_eq!(
        err(&by_coords, &plain),
        one("outside_zone", "address.coords")
    );
    // With its concept named, a point far away is outside_zone too.
    let mut far = by_coords.clone();
    set(&mut far, "body.concept_id", json!("7"));
    set(
        &mut far,
        "body.address.coords",
        json!({"latitude": "10", "longitude": "10"}),
    );
    assert_eq!(err(&far, &demo()), one("outside_zone", "address.coords"));
    // A restaurant that lists a `default` concept takes an order without concept_id there.
    let mut with_default = demo();
    if let Some(c) = with_default[0].concepts.remove("7") {
        with_default[0].concepts.insert(String::new(), c);
    }
    for r in &mut with_default {
        if let Some(concepts) = r.place.concepts.as_mut() {
            concepts.push(crate::jupiter::Concept {
                id: "default".to_owned(),
                name: "Default".to_owned(),
            });
        }
    }
    let no_concept = apply(&[("body.concept_id", Value::Null)]);
    assert!(
        run(&no_concept, &with_default).is_ok(),
        "{:?}",
        run(&no_concept, &with_default)
    );
    assert_eq!(
        err(&no_concept, &demo()),
        one("concept_required", "concept_id")
    );
}

/// The catalog order intake reads for `doc` under `rules` (issue 21): only `candidates`'
/// zones, filtered as storage filters them (same id; or the stored box holds the point and
/// the zone's cell is one of the point's), their restaurants and the named one; every
/// restaurant (with those zones only) when routing then fails and the refusal needs them.
fn candidate_catalog(
    doc: &Value,
    rules: Rules,
    all: &[RestaurantState],
) -> Result<Vec<RestaurantState>, String> {
    use crate::geo::{bbox_cell, point_cells};
    use crate::zone_memo::RoutableZone;
    let req = wire::parse(doc.to_string().as_bytes()).map_err(|v| v.code)?;
    let wanted = candidates(&req, rules);
    let key = crate::catalog::concept_key(req.body.concept_id.as_deref());
    let keep = |z: &RoutableZone| match &wanted.zones {
        ZoneLookup::None => false,
        ZoneLookup::ById(id) => &z.zone.id == id,
        ZoneLookup::ByPoint(p) => match z.bbox() {
            None => true,
            Some(b) => {
                point_cells(*p).contains(&bbox_cell(&b))
                    && b.min_lat <= p.lat
                    && p.lat <= b.max_lat
                    && b.min_lon <= p.lon
                    && p.lon <= b.max_lon
            }
        },
    };
    let mut filtered: Vec<RestaurantState> = all.to_vec();
    for r in &mut filtered {
        for (k, c) in r.concepts.iter_mut() {
            c.zones.retain(|z| k == key && keep(z));
        }
    }
    let chosen: Vec<RestaurantState> = filtered
        .iter()
        .filter(|r| {
            wanted.restaurant.as_deref() == Some(r.place.id.as_str())
                || r.concepts.get(key).is_some_and(|c| !c.zones.is_empty())
        })
        .cloned()
        .collect();
    let probe = OrderContext {
        rules,
        ..ctx(&chosen)
    };
    if routed_restaurant(&req, &probe).is_none() && wanted.every_if_unrouted {
        return Ok(filtered);
    }
    Ok(chosen)
}

fn outcome(doc: &Value, rules: Rules, restaurants: &[RestaurantState]) -> String {
    let Ok(req) = wire::parse(doc.to_string().as_bytes()) else {
        return "unparsable".to_owned();
    };
    let ctx = OrderContext {
        rules,
        ..ctx(restaurants)
    };
    format!("{:?}", validate(&req, &ctx))
}

/// Reading only the candidates routes every order as reading the whole catalog does:
/// same restaurant, zone, total or the same violations, for zone ids, points inside one,
/// two or no zones, on a border, without concept or restaurant, bad coordinates, and the
/// marketplace's rules.
#[test]
fn reading_only_the_candidates_routes_as_reading_everything() {
    let mut plain = demo();
    plain[0].place.concepts = None;
    if let Some(c) = plain[0].concepts.remove("7") {
        plain[0].concepts.insert(String::new(), c);
    }
    let coords =
        |lat: &str, lon: &str| json!({"name": "x", "coords": {"latitude": lat, "longitude": lon}});
    let orders = vec![
        good(),
        apply(&[("body.address.zone_id", json!("Z2"))]),
        apply(&[("body.address.zone_id", json!("999"))]),
        apply(&[("body.concept_id", Value::Null)]),
        apply(&[("body.address", coords("55.80", "37.55"))]),
        apply(&[("body.address", coords("55.80", "37.70"))]),
        apply(&[("body.address", coords("55.85", "37.55"))]),
        apply(&[("body.address", coords("10.0", "10.0"))]),
        apply(&[("body.address", coords("x", "37.55"))]),
        apply(&[
            ("body.address", coords("55.80", "37.55")),
            ("body.restaurant_id", Value::Null),
        ]),
        apply(&[
            ("body.address", coords("10.0", "10.0")),
            ("body.restaurant_id", Value::Null),
            ("body.concept_id", Value::Null),
        ]),
        apply(&[
            ("body.address", coords("10.0", "10.0")),
            ("body.concept_id", Value::Null),
        ]),
        apply(&[("body.address", json!({"name": "x"}))]),
        apply(&[
            ("body.address", json!({"name": "x"})),
            ("body.restaurant_id", json!("nope")),
        ]),
        apply(&[
            ("body.delivery_method", json!("pickup")),
            ("body.address", Value::Null),
        ]),
    ];
    for catalog in [demo(), plain] {
        for rules in [Rules::Site, Rules::TrustedSite, Rules::Marketplace] {
            for (i, doc) in orders.iter().enumerate() {
                let read = candidate_catalog(doc, rules, &catalog)
                    .unwrap_or_else(|e| panic!("order {i}: {e}"));
                assert_eq!(
                    outcome(doc, rules, &read),
                    outcome(doc, rules, &catalog),
                    "order {i} under {rules:?}"
                );
            }
        }
    }
}

#[test]
fn candidates_name_the_zones_and_restaurant_an_order_can_route_to() {
    let coords =
        |lat: &str, lon: &str| json!({"name": "x", "coords": {"latitude": lat, "longitude": lon}});
    let point = |lat: f64, lon: f64| ZoneLookup::ByPoint(Point { lon, lat });
    type Case<'a> = (&'a str, Value, Rules, ZoneLookup, Option<&'a str>, bool);
    let cases: Vec<Case> = vec![
        (
            "a zone id",
            good(),
            Rules::Site,
            ZoneLookup::ById("028270".into()),
            Some("000127"),
            false,
        ),
        (
            "a zone id under marketplace rules is not looked up",
            good(),
            Rules::Marketplace,
            ZoneLookup::None,
            Some("000127"),
            false,
        ),
        (
            "coordinates",
            apply(&[("body.address", coords("55.80", "37.55"))]),
            Rules::Site,
            point(55.80, 37.55),
            Some("000127"),
            false,
        ),
        (
            "coordinates alone: a refusal may need every restaurant",
            apply(&[
                ("body.address", coords("55.80", "37.55")),
                ("body.restaurant_id", Value::Null),
                ("body.concept_id", Value::Null),
            ]),
            Rules::Site,
            point(55.80, 37.55),
            None,
            true,
        ),
        (
            "coordinates that do not read: no zone",
            apply(&[("body.address", coords("north", "37.55"))]),
            Rules::Site,
            ZoneLookup::None,
            Some("000127"),
            false,
        ),
        (
            "no zone nor coordinates",
            apply(&[("body.address", json!({"name": "x"}))]),
            Rules::Site,
            ZoneLookup::None,
            Some("000127"),
            false,
        ),
    ];
    for (name, doc, rules, zones, restaurant, every) in cases {
        let req = wire::parse(doc.to_string().as_bytes()).unwrap_or_else(|v| panic!("{v:?}"));
        assert_eq!(
            candidates(&req, rules),
            Candidates {
                zones,
                restaurant: restaurant.map(str::to_owned),
                every_if_unrouted: every,
            },
            "{name}"
        );
    }
}
