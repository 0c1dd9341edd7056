//! The table's rules, from Just Eat's published `order-accepted` example (FACTS §5.1).

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

fn accepted() -> &'static Webhook {
    webhook("order-accepted").unwrap_or_else(|| panic!("order-accepted has a row"))
}

/// The spec's example (`examples/order-accepted-request.json`).
fn example() -> serde_json::Value {
    json!({"AcceptedFor": "2018-03-10T14:45:28.000Z", "OrderId": "123456", "Event": "OrderAccepted"})
}

fn fields(found: &[Violation]) -> Vec<&str> {
    found.iter().filter_map(|v| v.field.as_deref()).collect()
}

fn read_json(
    hook: &Webhook,
    doc: &serde_json::Value,
    query: Option<&str>,
) -> Result<Noted, Vec<Violation>> {
    read(hook, doc.to_string().as_bytes(), query, now())
}

#[test]
fn every_row_is_named_once_and_found_by_its_name() {
    for (i, w) in WEBHOOKS.iter().enumerate() {
        assert_eq!(webhook(w.name), Some(w));
        assert!(
            WEBHOOKS.iter().skip(i + 1).all(|o| o.name != w.name),
            "{}",
            w.name
        );
    }
    assert_eq!(
        webhook("order-cancelled"),
        None,
        "a cancellation is a status, not a row"
    );
}

#[test]
fn the_published_example_is_an_accepted_event_with_its_eta() {
    let got = read_json(accepted(), &example(), None).unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(got.order_id, "123456");
    assert_eq!(got.event.kind, Kind::Accepted);
    assert_eq!(got.event.at, now(), "no time field: when it arrived");
    assert_eq!(got.event.eta, Some(utc("2018-03-10T14:45:28Z")));
    assert_eq!(got.event.source, "order-accepted");
    assert_eq!(got.event.detail, example());
}

#[test]
fn camel_case_any_fraction_offsets_and_no_offset_are_read() {
    for (text, want) in [
        ("2018-03-10T14:45:28Z", "2018-03-10T14:45:28Z"),
        (
            "2018-03-10T15:45:28.5444292+01:00",
            "2018-03-10T14:45:28.5444292Z",
        ),
        ("2018-03-10T14:45:28.123", "2018-03-10T14:45:28.123Z"),
    ] {
        let doc = json!({"acceptedFor": text, "orderId": "9", "event": "orderaccepted"});
        let got = read_json(accepted(), &doc, None).unwrap_or_else(|v| panic!("{text}: {v:?}"));
        assert_eq!(got.event.eta, Some(utc(want)), "{text}");
        assert_eq!(got.order_id, "9");
    }
}

#[test]
fn the_order_may_come_on_the_url_and_the_body_wins() {
    let mut doc = example();
    doc.as_object_mut().map(|m| m.remove("OrderId"));
    let got = read_json(accepted(), &doc, Some("777")).unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(got.order_id, "777");
    let got = read_json(accepted(), &example(), Some("777")).unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(got.order_id, "123456");
}

#[test]
fn every_problem_is_named_at_once() {
    let doc = json!({"OrderId": " ", "Event": "OrderRejected", "AcceptedFor": "tomorrow"});
    let found = read_json(accepted(), &doc, None).expect_err("refused");
    assert_eq!(fields(&found), ["OrderId", "Event", "AcceptedFor"]);
    assert!(
        found[2].message.contains("\"tomorrow\""),
        "{}",
        found[2].message
    );
    let found = read_json(accepted(), &json!({"OrderId": ["x"]}), None).expect_err("refused");
    assert_eq!(fields(&found), ["OrderId"]);
    assert!(found[0].message.contains("not an order id"));
}

#[test]
fn a_body_that_is_not_an_object_is_refused() {
    for body in [&b"[1]"[..], b"\"x\"", b"{", b""] {
        let found = read(accepted(), body, Some("1"), now()).expect_err("refused");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].field, None);
    }
}
