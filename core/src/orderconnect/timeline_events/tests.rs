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

fn row(name: &str) -> &'static Webhook {
    webhook(name).unwrap_or_else(|| panic!("{name} has a row"))
}

/// A driver-status body as schema `DeliveryWebhooksDriverStatusYaml` has it.
fn driver_status(event: &str) -> serde_json::Value {
    json!({
        "OrderId": "123456",
        "Event": event,
        "TimeStamp": "2018-03-10T14:45:28.000Z",
        "DriverName": "David",
        "DriverContactNumber": "+447123456789",
        "EstimatedPickupTime": "2018-03-10T14:55:28.000Z",
        "EstimatedDeliveryTime": "2018-03-10T15:15:28.000Z"
    })
}

#[test]
fn each_driver_status_webhook_is_its_kind_at_its_timestamp_with_the_next_eta() {
    let table = [
        (
            "driver-assigned-to-delivery",
            "DriverAssigned",
            Kind::DriverAssigned,
            Some("2018-03-10T14:55:28Z"),
        ),
        (
            "driver-at-restaurant",
            "DriverAtRestaurant",
            Kind::DriverAtRestaurant,
            Some("2018-03-10T15:15:28Z"),
        ),
        (
            "driver-on-their-way-to-delivery-address",
            "OnItsWay",
            Kind::DriverOnTheWay,
            Some("2018-03-10T15:15:28Z"),
        ),
        (
            "driver-at-delivery-address",
            "AtDeliveryAddress",
            Kind::DriverAtAddress,
            None,
        ),
        (
            "driver-has-delivered-order",
            "Delivered",
            Kind::Delivered,
            None,
        ),
    ];
    for (name, event, kind, eta) in table {
        let got = read_json(row(name), &driver_status(event), None)
            .unwrap_or_else(|v| panic!("{name}: {v:?}"));
        assert_eq!(got.event.kind, kind, "{name}");
        assert_eq!(got.event.at, utc("2018-03-10T14:45:28Z"), "{name}");
        assert_eq!(got.event.eta, eta.map(utc), "{name}");
        assert_eq!(got.event.source, name);
        // Another webhook's event sent here is refused, naming it.
        let found = read_json(row(name), &driver_status("Nope"), None).expect_err(name);
        assert_eq!(fields(&found), ["Event"], "{name}");
    }
}

#[test]
fn driver_assigned_without_a_pickup_eta_takes_the_delivery_eta() {
    let mut doc = driver_status("DriverAssigned");
    doc.as_object_mut().map(|m| m.remove("EstimatedPickupTime"));
    let got = read_json(row("driver-assigned-to-delivery"), &doc, None)
        .unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(got.event.eta, Some(utc("2018-03-10T15:15:28Z")));
}

#[test]
fn driver_location_needs_a_position_in_range() {
    let hook = row("driver-location");
    let doc = json!({"OrderId": "1", "TimeStamp": "2018-03-10T14:45:28.753Z",
        "Location": {"Latitude": 51.51641, "Longitude": -0.103198}});
    let got = read_json(hook, &doc, None).unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(got.event.kind, Kind::DriverLocation);
    assert_eq!(got.event.at, utc("2018-03-10T14:45:28.753Z"));
    assert_eq!(got.event.eta, None);
    let camel = json!({"orderId": "1", "location": {"latitude": 0, "longitude": 180}});
    assert!(read_json(hook, &camel, None).is_ok());
    let found = read_json(hook, &json!({"OrderId": "1"}), None).expect_err("no location");
    assert_eq!(fields(&found), ["Location"]);
    let bad = json!({"OrderId": "1", "Location": {"Latitude": 91, "Longitude": "west"}});
    let found = read_json(hook, &bad, None).expect_err("out of range");
    assert_eq!(fields(&found), ["Location.Latitude", "Location.Longitude"]);
    assert!(
        found[1].message.contains("\"west\""),
        "{}",
        found[1].message
    );
}

#[test]
fn a_delivered_event_moves_the_status_only_where_the_lifecycle_allows() {
    use crate::order::lifecycle::Status;
    use crate::order::DeliveryMethod::{Courier, Pickup};
    match effect(Kind::Delivered, Courier, Status::Delivering, None) {
        StatusEffect::Move(notify) => assert_eq!(notify.status, Status::Delivered),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        effect(Kind::Delivered, Pickup, Status::Cooking, None),
        StatusEffect::Move(_)
    ));
    assert_eq!(
        effect(Kind::Delivered, Courier, Status::Delivered, None),
        StatusEffect::Already
    );
    for from in [Status::New, Status::Cooking, Status::Cancelled] {
        assert!(
            matches!(
                effect(Kind::Delivered, Courier, from, None),
                StatusEffect::NotAllowed(_)
            ),
            "{from:?}"
        );
    }
    let delivered = read_json(
        row("driver-has-delivered-order"),
        &driver_status("Delivered"),
        None,
    )
    .unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(
        history_reason(&delivered.event),
        "delivered (Just Eat: driver-has-delivered-order)"
    );
    for kind in Kind::ALL
        .into_iter()
        .filter(|k| ![Kind::Delivered, Kind::Rejected].contains(k))
    {
        assert_eq!(
            effect(kind, Courier, Status::Delivering, None),
            StatusEffect::None
        );
    }
}

#[test]
fn a_rejection_cancels_the_order_where_the_lifecycle_allows_with_its_reason() {
    use crate::order::lifecycle::Status;
    use crate::order::DeliveryMethod::{Courier, Pickup};
    for (method, from) in [
        (Courier, Status::New),
        (Courier, Status::Cooking),
        (Courier, Status::Delivering),
        (Pickup, Status::New),
    ] {
        match effect(Kind::Rejected, method, from, None) {
            StatusEffect::Move(notify) => assert_eq!(notify.status, Status::Cancelled),
            other => panic!("{method:?} {from:?}: {other:?}"),
        }
    }
    assert_eq!(
        effect(Kind::Rejected, Courier, Status::Cancelled, None),
        StatusEffect::Already
    );
    assert!(matches!(
        effect(Kind::Rejected, Courier, Status::Delivered, None),
        StatusEffect::NotAllowed(_)
    ));
    // The published example (FACTS §5.2) has no order id: the URL names it.
    let doc = json!({"Event": "OrderRejected", "RejectedAt": "2018-03-10T14:45:28.000Z",
        "RejectedReason": "Kitchen overloaded", "RejectedBy": "123456"});
    let got =
        read_json(row("order-rejected"), &doc, Some("je-1")).unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(got.order_id, "je-1");
    assert_eq!(got.event.at, utc("2018-03-10T14:45:28Z"));
    assert_eq!(
        history_reason(&got.event),
        "rejected (Just Eat: order-rejected): Kitchen overloaded"
    );
    let found = read_json(row("order-rejected"), &doc, None).expect_err("no order");
    assert_eq!(fields(&found), ["OrderId"]);
}

#[test]
fn ready_for_pickup_takes_its_spaced_event_and_its_timestamp() {
    let hook = row("order-is-ready-for-pickup");
    let doc = json!({"Event": "Ready for pickup", "Timestamp": "2018-03-10T14:50:28.000Z"});
    let got = read_json(hook, &doc, Some("je-2")).unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(got.event.kind, Kind::ReadyForPickup);
    assert_eq!(got.event.at, utc("2018-03-10T14:50:28Z"));
    let squashed = json!({"event": "ReadyForPickup", "OrderId": "x"});
    assert!(read_json(hook, &squashed, None).is_ok());
    let found = read_json(hook, &json!({"Event": "Ready", "Timestamp": 5}), Some("x"))
        .expect_err("refused");
    assert_eq!(fields(&found), ["Event", "Timestamp"]);
}

#[test]
fn attempted_delivery_webhooks_are_events_and_a_redelivery_s_due_date_is_the_eta() {
    let failed = json!({"Reason": "Customer did not answer the door",
        "OrderId": "wiej234idf09i29jijgf4", "RestaurantId": 110230, "Tenant": "uk"});
    let got = read_json(row("delivery-failed"), &failed, None).unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(
        (got.event.kind, got.event.at, got.event.eta),
        (Kind::DeliveryFailed, now(), None)
    );
    let again = json!({"Tenant": "uk", "Update": "Please redeliver",
        "OrderId": "wiej234idf09i29jijgf4", "Notes": "Please press 123 on the door"});
    let got =
        read_json(row("redelivery-requested"), &again, None).unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(got.event.kind, Kind::RedeliveryRequested);
    let resolved = json!({"Tenant": "uk", "OrderId": "wiej234idf09i29jijgf4",
        "Resolution": {"Type": "redeliver_order", "Redelivery": {"Status": "repreparing",
            "CustomerTimeZone": "Europe/London", "NewDueDate": "2018-03-10T14:45:28.000Z"}}});
    let hook = row("attempted-delivery-query-resolved");
    let got = read_json(hook, &resolved, None).unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(got.event.eta, Some(utc("2018-03-10T14:45:28Z")));
    let mut no_redelivery = resolved.clone();
    no_redelivery["Resolution"] = json!({"Type": "refund"});
    let got = read_json(hook, &no_redelivery, None).unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(got.event.eta, None);
    let mut bad = resolved;
    bad["Resolution"]["Redelivery"]["NewDueDate"] = json!("tomorrow");
    let found = read_json(hook, &bad, None).expect_err("refused");
    assert_eq!(fields(&found), ["Resolution.Redelivery.NewDueDate"]);
}

#[test]
fn every_row_is_routed_to_the_timeline_handler_and_every_such_route_has_a_row() {
    use crate::routes::{RouteId, ROUTES};
    for w in WEBHOOKS {
        let path = format!("/webhooks/just-eat/{}", w.name);
        assert!(
            ROUTES
                .iter()
                .any(|r| r.pattern == path && r.id == RouteId::JustEatTimelineEvent),
            "{path} is not routed"
        );
    }
    for r in ROUTES
        .iter()
        .filter(|r| r.id == RouteId::JustEatTimelineEvent)
    {
        let name = r.pattern.rsplit('/').next().unwrap_or_default();
        assert!(webhook(name).is_some(), "{} has no row", r.pattern);
    }
}

#[test]
fn a_delivery_acceptance_is_an_array_each_element_an_event_with_the_pickup_eta() {
    // Included at build time: the tests also run on wasm32, which has no file system.
    let text = include_str!(
        "../../../../fixtures/just-eat/order-requires-delivery-acceptance-request.json"
    );
    let example: serde_json::Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("the fixture: {e}"));
    let got = read_list(&DELIVERY_ACCEPTANCE, example.to_string().as_bytes(), now())
        .unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0.order_id, "ijdhpy7bdusgtc28bapspa");
    assert_eq!(got[0].0.event.kind, Kind::RequiresDeliveryAcceptance);
    assert_eq!(got[0].0.event.at, now());
    // No `RdsPickupTimeWithUtcOffset` in the example: the due date.
    assert_eq!(
        got[0].0.event.eta,
        Some(utc("2015-05-26T13:52:35.5444292Z"))
    );
    let two = json!([
        {"OrderId": "a", "Order": {"RdsPickupTimeWithUtcOffset": "2026-12-05T18:40:00+03:00",
                                   "DueDateWithUtcOffset": "2026-12-05T19:00:00+03:00"}},
        {"OrderId": "b"}
    ]);
    let got = read_list(&DELIVERY_ACCEPTANCE, two.to_string().as_bytes(), now())
        .unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(got[0].0.event.eta, Some(utc("2026-12-05T15:40:00Z")));
    assert_eq!(got[1].0.order_id, "b");
    assert_ne!(got[0].1, got[1].1, "each element its own key");
}

#[test]
fn a_delivery_acceptance_names_every_bad_element_and_refuses_what_is_no_list() {
    let bad = json!([{"OrderId": "a"}, {"Order": {"DueDateWithUtcOffset": "soon"}}, 7]);
    let found =
        read_list(&DELIVERY_ACCEPTANCE, bad.to_string().as_bytes(), now()).expect_err("refused");
    assert_eq!(
        fields(&found),
        ["[1].OrderId", "[1].Order.DueDateWithUtcOffset", "[2]"]
    );
    for body in [&b"[]"[..], b"{\"OrderId\": \"a\"}", b"nope"] {
        let found = read_list(&DELIVERY_ACCEPTANCE, body, now()).expect_err("refused");
        assert_eq!(found.len(), 1, "{found:?}");
    }
}
