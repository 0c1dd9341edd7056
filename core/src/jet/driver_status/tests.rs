//! The rules, from JET Connect's published example ("Driver status notification success").

use chrono::{DateTime, Utc};
use serde_json::json;

use super::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn now() -> DateTime<Utc> {
    utc("2026-12-05T12:00:00Z")
}

fn example() -> serde_json::Value {
    json!({
        "orderID": "38bbeb45-f520-4438-a44f-0fcdbb29e166",
        "driverStatus": {"code": "driverAtRestaurant"},
        "happenedAt": "2022-08-15T10:12:56.371917Z"
    })
}

fn read_json(doc: &serde_json::Value) -> Result<DriverStatus, Vec<Violation>> {
    read(doc.to_string().as_bytes(), now())
}

fn fields(found: &[Violation]) -> Vec<&str> {
    found.iter().filter_map(|v| v.field.as_deref()).collect()
}

#[test]
fn the_published_example_is_a_driver_at_restaurant_event_when_it_happened() {
    let got = read_json(&example()).unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(got.order_id, "38bbeb45-f520-4438-a44f-0fcdbb29e166");
    assert_eq!(got.code, "driverAtRestaurant");
    assert_eq!(got.event.kind, Kind::DriverAtRestaurant);
    assert_eq!(got.event.at, utc("2022-08-15T10:12:56.371917Z"));
    assert_eq!(got.event.received_at, now());
    assert_eq!(got.event.eta, None);
    assert_eq!(got.event.source, SOURCE);
    assert_eq!(got.event.detail, example());
}

#[test]
fn every_code_maps_to_its_kind_ignoring_case_and_an_unknown_one_does_not() {
    let table = [
        ("driverArrivingAtRestaurant", Kind::DriverAssigned),
        ("driverAtRestaurant", Kind::DriverAtRestaurant),
        ("onItsWay", Kind::DriverOnTheWay),
        ("delivered", Kind::Delivered),
        ("ONITSWAY", Kind::DriverOnTheWay),
    ];
    for (code, kind) in table {
        assert_eq!(kind_of(code), Some(kind), "{code}");
        let mut doc = example();
        doc["driverStatus"]["code"] = json!(code);
        let got = read_json(&doc).unwrap_or_else(|v| panic!("{code}: {v:?}"));
        assert_eq!(got.event.kind, kind, "{code}");
    }
    assert_eq!(kind_of("driverVanished"), None);
    assert_eq!(kind_of(""), None);
}

#[test]
fn an_unknown_code_is_refused_naming_it_and_the_known_ones() {
    let mut doc = example();
    doc["driverStatus"]["code"] = json!("driverVanished");
    let found = read_json(&doc).expect_err("refused");
    assert_eq!(fields(&found), ["driverStatus.code"]);
    assert!(
        found[0].message.contains("\"driverVanished\""),
        "{}",
        found[0].message
    );
    assert!(
        found[0].message.contains("onItsWay"),
        "{}",
        found[0].message
    );
}

#[test]
fn camel_case_variants_offsets_and_no_time_are_read() {
    let doc = json!({"OrderId": 42, "DriverStatus": {"Code": "onItsWay"},
        "HappenedAt": "2022-08-15T11:12:56+01:00"});
    let got = read_json(&doc).unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(got.order_id, "42");
    assert_eq!(got.event.at, utc("2022-08-15T10:12:56Z"));
    let doc = json!({"orderID": "x", "driverStatus": {"code": "delivered"}});
    let got = read_json(&doc).unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(got.event.at, now(), "no time: when it arrived");
}

#[test]
fn every_problem_is_named_at_once() {
    let doc = json!({"orderID": " ", "driverStatus": {"code": "lost"}, "happenedAt": "later"});
    let found = read_json(&doc).expect_err("refused");
    assert_eq!(
        fields(&found),
        ["orderID", "driverStatus.code", "happenedAt"]
    );
    let found = read_json(&json!({"driverStatus": "onItsWay"})).expect_err("refused");
    assert_eq!(fields(&found), ["orderID", "driverStatus"]);
    let found = read_json(&json!({"orderID": "1", "driverStatus": {}})).expect_err("refused");
    assert_eq!(fields(&found), ["driverStatus.code"]);
}

#[test]
fn a_body_that_is_not_an_object_is_refused() {
    for body in [&b"[1]"[..], b"\"x\"", b"{", b""] {
        let found = read(body, now()).expect_err("refused");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].field, None);
    }
}
