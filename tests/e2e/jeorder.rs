//! Issue 18, the rest of Just Eat's order lifecycle over the Partner API
//! (`/webhooks/just-eat/{name}`, `Authorization: JE-API-KEY`): the restaurant's rejection
//! (the order cancelled with Just Eat's reason), the food ready for pickup, a failed
//! delivery, a redelivery asked for and an attempted-delivery query resolved, each from Just
//! Eat's example (`fixtures/just-eat/`), each one event on the order's timeline once; a bad
//! key changes nothing. The schemas of `order-rejected` and `order-is-ready-for-pickup`
//! have no order id, so the registered URL carries it (`?OrderId=`).

use orderbridge_e2e::repo_root;
use orderbridge_e2e::{expect, App};
use serde_json::{json, Value};

use crate::jelife::{kinds, order, published, send, KEY};
use crate::orderconnect::{accepted, fixture, setup, Kind};
use crate::AppTest;

pub const TESTS: &[(&str, AppTest)] = &[
    (
        "jeorder_a_rejection_cancels_the_order_once_with_just_eats_reason",
        a_rejection_cancels_the_order_once_with_just_eats_reason,
    ),
    (
        "jeorder_pickup_and_attempted_delivery_webhooks_are_on_the_timeline_once",
        pickup_and_attempted_delivery_webhooks_are_on_the_timeline_once,
    ),
    (
        "jeorder_a_delivery_offer_is_on_each_orders_timeline_and_an_unknown_order_changes_nothing",
        a_delivery_offer_is_on_each_orders_timeline_and_an_unknown_order_changes_nothing,
    ),
];

/// Just Eat's example `name` with no order id in the body (the schema has none).
fn without_order_id(name: &str) -> String {
    let mut doc = published(name, "unused");
    doc.as_object_mut().map(|m| m.remove("OrderId"));
    doc.to_string()
}

fn a_rejection_cancels_the_order_once_with_just_eats_reason(app: &App) {
    let r = "e2e-jeorder-rej";
    setup(app, r, Kind::Open);
    let je = "e2e-jeorder-rej-1";
    let order_id = accepted(app, &fixture("delivery-order.json", je, r));
    let body = without_order_id("order-rejected-request.json");
    let path = format!("/webhooks/just-eat/order-rejected?OrderId={je}");

    let bad_key = send(
        app,
        "POST",
        &path,
        &[("Authorization", "JE-API-KEY wrong")],
        body.as_bytes(),
    );
    expect(&bad_key, 401, "a wrong key");
    let no_order = send(
        app,
        "POST",
        "/webhooks/just-eat/order-rejected",
        &[KEY],
        body.as_bytes(),
    );
    expect(&no_order, 400, "no order named");
    assert!(no_order.body.contains("OrderId"), "{}", no_order.body);
    let before = order(app, &order_id);
    assert_eq!(before["status"], 0, "{before}");
    assert!(kinds(&before).is_empty(), "{before}");

    let reply = send(app, "POST", &path, &[KEY], body.as_bytes());
    expect(&reply, 200, "the rejection");
    assert_eq!(reply.json()["event"], "rejected", "{}", reply.body);
    assert_eq!(reply.json()["recorded"], true, "{}", reply.body);
    let after = order(app, &order_id);
    assert_eq!(after["status"], 5, "{after}");
    let history = after["history"].as_array().cloned().unwrap_or_default();
    assert_eq!(history.len(), 2, "{after}");
    assert_eq!(
        history[1]["reason"], "rejected (Just Eat: order-rejected): Kitchen overloaded",
        "{after}"
    );
    assert_eq!(kinds(&after), ["rejected"]);
    // `RejectedAt` in the restaurant's +03:00.
    assert_eq!(after["timeline"][0]["at"], "2018-03-10T17:45:28.000+03:00");

    let again = send(app, "POST", &path, &[KEY], body.as_bytes());
    expect(&again, 200, "the repeat");
    assert_eq!(again.json()["recorded"], false, "{}", again.body);
    let last = order(app, &order_id);
    assert_eq!(last["history"].as_array().map(Vec::len), Some(2), "{last}");
    assert_eq!(kinds(&last), ["rejected"]);
}

fn pickup_and_attempted_delivery_webhooks_are_on_the_timeline_once(app: &App) {
    let r = "e2e-jeorder-pick";
    setup(app, r, Kind::Open);
    let je = "e2e-jeorder-pick-1";
    let order_id = accepted(app, &fixture("delivery-order.json", je, r));

    let ready = without_order_id("order-is-ready-for-pickup-request.json");
    let ready_path = format!("/webhooks/just-eat/order-is-ready-for-pickup?OrderId={je}");
    expect(
        &send(
            app,
            "PUT",
            &ready_path,
            &[("Authorization", "JE-API-KEY wrong")],
            ready.as_bytes(),
        ),
        401,
        "a wrong key",
    );
    assert!(kinds(&order(app, &order_id)).is_empty());
    expect(
        &send(app, "PUT", &ready_path, &[KEY], ready.as_bytes()),
        200,
        "ready",
    );

    for (name, fixture_name) in [
        ("delivery-failed", "delivery-failed-request.json"),
        ("redelivery-requested", "redelivery-requested-request.json"),
        (
            "attempted-delivery-query-resolved",
            "attempted-delivery-query-resolved-request.json",
        ),
    ] {
        let body = published(fixture_name, je).to_string();
        let path = format!("/webhooks/just-eat/{name}");
        let reply = send(app, "PUT", &path, &[KEY], body.as_bytes());
        expect(&reply, 200, name);
        assert_eq!(reply.json()["recorded"], true, "{name}: {}", reply.body);
        let again = send(app, "PUT", &path, &[KEY], body.as_bytes());
        assert_eq!(again.json()["recorded"], false, "{name}: {}", again.body);
    }

    let view = order(app, &order_id);
    let mut got = kinds(&view);
    got.sort();
    assert_eq!(
        got,
        [
            "attempted_delivery_resolved",
            "delivery_failed",
            "ready_for_pickup",
            "redelivery_requested"
        ],
        "{view}"
    );
    assert_eq!(
        view["status"], 0,
        "these leave the status to the kitchen: {view}"
    );
    let resolved = view["timeline"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|e| e["kind"] == "attempted_delivery_resolved")
                .cloned()
        })
        .unwrap_or_default();
    // The redelivery's new due date, in the restaurant's +03:00.
    assert_eq!(
        resolved["eta"], "2018-03-10T17:45:28.000+03:00",
        "{resolved}"
    );
    let ready = view["timeline"]
        .as_array()
        .and_then(|a| a.iter().find(|e| e["kind"] == "ready_for_pickup").cloned())
        .unwrap_or_default();
    assert_eq!(ready["at"], "2018-03-10T17:50:28.000+03:00", "{ready}");
}

fn a_delivery_offer_is_on_each_orders_timeline_and_an_unknown_order_changes_nothing(app: &App) {
    const PATH: &str = "/webhooks/just-eat/order-requires-delivery-acceptance";
    let r = "e2e-jeorder-offer";
    setup(app, r, Kind::Open);
    let je = "e2e-jeorder-offer-1";
    let order_id = accepted(app, &fixture("delivery-order.json", je, r));
    let text = std::fs::read_to_string(
        repo_root().join("fixtures/just-eat/order-requires-delivery-acceptance-request.json"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut offer: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    offer[0]["OrderId"] = json!(je);

    // One unknown order refuses the whole array with the spec's code, nothing recorded.
    let mut mixed = offer.clone();
    if let Some(a) = mixed.as_array_mut() {
        let mut other = a[0].clone();
        other["OrderId"] = json!("e2e-jeorder-offer-nobody");
        a.push(other);
    }
    let refused = send(app, "PUT", PATH, &[KEY], mixed.to_string().as_bytes());
    expect(&refused, 400, "an unknown order");
    assert!(
        refused.body.contains("restaurant_not_configured")
            && refused.body.contains("e2e-jeorder-offer-nobody"),
        "{}",
        refused.body
    );
    let wrong = send(
        app,
        "PUT",
        PATH,
        &[("Authorization", "JE-API-KEY wrong")],
        offer.to_string().as_bytes(),
    );
    expect(&wrong, 401, "a wrong key");
    assert!(kinds(&order(app, &order_id)).is_empty());

    let reply = send(app, "PUT", PATH, &[KEY], offer.to_string().as_bytes());
    expect(&reply, 201, "the offer");
    assert_eq!(
        reply.json(),
        json!({"orders": [{"OrderId": je, "order_id": order_id, "recorded": true}]})
    );
    let again = send(app, "PUT", PATH, &[KEY], offer.to_string().as_bytes());
    expect(&again, 201, "the repeat");
    assert_eq!(
        again.json()["orders"][0]["recorded"],
        false,
        "{}",
        again.body
    );
    let view = order(app, &order_id);
    assert_eq!(kinds(&view), ["requires_delivery_acceptance"], "{view}");
    // `DueDateWithUtcOffset` 14:52:35.544 at +01:00, in the restaurant's +03:00.
    assert_eq!(
        view["timeline"][0]["eta"], "2015-05-26T16:52:35.544+03:00",
        "{view}"
    );
}
