//! Issue 18, Just Eat's order-lifecycle webhooks of the Partner API at
//! `/webhooks/just-eat/{name}` (`Authorization: JE-API-KEY`): Just Eat's published
//! `order-cancelled` example cancels the Orderconnect order it names (status 5, the reason in
//! the history) exactly once; a bad key, a bad body and an unknown order change nothing.

use orderbridge_e2e::{expect, repo_root, request, App, Reply};
use serde_json::{json, Value};

use crate::orderconnect::{accepted, fixture, setup, Kind};
use crate::AppTest;

pub const TESTS: &[(&str, AppTest)] = &[(
    "jelife_order_cancelled_cancels_the_order_once_and_bad_calls_change_nothing",
    order_cancelled_cancels_the_order_once_and_bad_calls_change_nothing,
)];

const KEY: (&str, &str) = ("Authorization", "JE-API-KEY dev-orderconnect-key");
const PATH: &str = "/webhooks/just-eat/order-cancelled";

fn post(app: &App, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    let reply = request("POST", &app.url(PATH), &all, Some(body))
        .unwrap_or_else(|e| panic!("POST {PATH}: {e}"));
    crate::conform::check("POST", PATH, &reply);
    reply
}

/// Just Eat's published example, naming order `id`.
fn example(id: &str) -> Value {
    let path = repo_root().join("fixtures/just-eat/order-cancelled-request.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    doc["OrderId"] = json!(id);
    doc
}

fn order(app: &App, order_id: &str) -> Value {
    let reply = request(
        "GET",
        &app.url(&format!("/admin/orders/{order_id}")),
        &[("X-Flyt-Api-Key", "dev-operator-key")],
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    expect(&reply, 200, "the order");
    reply.json()
}

fn order_cancelled_cancels_the_order_once_and_bad_calls_change_nothing(app: &App) {
    let r = "e2e-jelife";
    setup(app, r, Kind::Open);
    let je_id = "e2e-jelife-1";
    let order_id = accepted(app, &fixture("delivery-order.json", je_id, r));
    let body = example(je_id).to_string();

    // Refused calls first: each changes nothing.
    let bad_key = post(
        app,
        &[("Authorization", "JE-API-KEY wrong")],
        body.as_bytes(),
    );
    expect(&bad_key, 401, "a wrong key");
    let no_key = post(app, &[], body.as_bytes());
    expect(&no_key, 401, "no key");
    let bad = post(
        app,
        &[KEY],
        json!({"Event": "OrderAccepted", "OrderId": " "})
            .to_string()
            .as_bytes(),
    );
    expect(&bad, 400, "a bad body");
    let errors = bad.json()["errors"].clone();
    let messages: Vec<&str> = errors
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["message"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(messages.len(), 2, "every problem at once: {}", bad.body);
    assert!(
        messages.iter().any(|m| m.starts_with("OrderId")),
        "{}",
        bad.body
    );
    assert!(
        messages.iter().any(|m| m.contains("OrderAccepted")),
        "{}",
        bad.body
    );
    let unknown = post(
        app,
        &[KEY],
        example("e2e-jelife-nobody").to_string().as_bytes(),
    );
    expect(&unknown, 404, "an unknown order");
    assert!(
        unknown.body.contains("e2e-jelife-nobody"),
        "{}",
        unknown.body
    );
    let before = order(app, &order_id);
    assert_eq!(before["status"], 0, "{before}");

    // The published example cancels it, with Just Eat's reason in the history.
    let reply = post(app, &[KEY], body.as_bytes());
    expect(&reply, 200, "the cancellation");
    assert_eq!(
        reply.json(),
        json!({"OrderId": je_id, "order_id": order_id, "status": 5, "cancelled": true})
    );
    let after = order(app, &order_id);
    assert_eq!(after["status"], 5, "{after}");
    let history = after["history"].as_array().cloned().unwrap_or_default();
    assert_eq!(history.len(), 2, "{after}");
    assert_eq!(history[1]["status"], 5, "{after}");
    assert_eq!(
        history[1]["reason"], "cancelled by Just Eat: system_cancelled_other",
        "{after}"
    );

    // Again: answered the same, nothing changes.
    let again = post(app, &[KEY], body.as_bytes());
    expect(&again, 200, "the repeat");
    assert_eq!(
        again.json(),
        json!({"OrderId": je_id, "order_id": order_id, "status": 5, "cancelled": false})
    );
    let last = order(app, &order_id);
    assert_eq!(last["history"].as_array().map(Vec::len), Some(2), "{last}");
}
