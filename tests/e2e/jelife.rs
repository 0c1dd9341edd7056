//! Issue 18, Just Eat's order-lifecycle webhooks of the Partner API at
//! `/webhooks/just-eat/{name}` (`Authorization: JE-API-KEY`): Just Eat's published
//! `order-cancelled` example cancels the Orderconnect order it names (status 5, the reason in
//! the history) exactly once; a bad key, a bad body and an unknown order change nothing.

use orderbridge_e2e::{expect, repo_root, request, App, Reply};
use serde_json::{json, Value};

use crate::orderconnect::{accepted, fixture, setup, Kind};
use crate::AppTest;

pub const TESTS: &[(&str, AppTest)] = &[
    (
        "jelife_order_cancelled_cancels_the_order_once_and_bad_calls_change_nothing",
        order_cancelled_cancels_the_order_once_and_bad_calls_change_nothing,
    ),
    (
        "jelife_order_accepted_is_on_the_timeline_once_and_bad_calls_change_nothing",
        order_accepted_is_on_the_timeline_once_and_bad_calls_change_nothing,
    ),
];

pub(crate) const KEY: (&str, &str) = ("Authorization", "JE-API-KEY dev-orderconnect-key");
const PATH: &str = "/webhooks/just-eat/order-cancelled";

fn post(app: &App, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    post_to(app, PATH, headers, body)
}

/// A webhook `POST` to `path` (which may carry a query), checked against the OpenAPI document.
pub(crate) fn post_to(app: &App, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    send(app, "POST", path, headers, body)
}

/// A webhook call to `path` (which may carry a query), checked against the OpenAPI document.
pub(crate) fn send(
    app: &App,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    let reply = request(method, &app.url(path), &all, Some(body))
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    crate::conform::check(method, path.split('?').next().unwrap_or(path), &reply);
    reply
}

/// Just Eat's published example `name` (in `fixtures/just-eat/`), naming order `id`.
pub(crate) fn published(name: &str, id: &str) -> Value {
    let path = repo_root().join("fixtures/just-eat").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    doc["OrderId"] = json!(id);
    doc
}

/// Just Eat's published example, naming order `id`.
fn example(id: &str) -> Value {
    let path = repo_root().join("fixtures/just-eat/order-cancelled-request.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    doc["OrderId"] = json!(id);
    doc
}

pub(crate) fn order(app: &App, order_id: &str) -> Value {
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

/// The public read of an order (no key): the site API's `GET /site-api/orders/{order_id}`.
pub(crate) fn public_order(app: &App, order_id: &str) -> Value {
    let reply = request(
        "GET",
        &app.url(&format!("/site-api/orders/{order_id}")),
        &[],
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    expect(&reply, 200, "the public order");
    reply.json()
}

/// An order read's `timeline` events.
pub(crate) fn timeline(doc: &Value) -> Vec<Value> {
    doc["timeline"].as_array().cloned().unwrap_or_default()
}

/// The kinds of an order read's `timeline`, in its order.
pub(crate) fn kinds(doc: &Value) -> Vec<String> {
    timeline(doc)
        .iter()
        .filter_map(|e| e["kind"].as_str().map(str::to_owned))
        .collect()
}

fn order_accepted_is_on_the_timeline_once_and_bad_calls_change_nothing(app: &App) {
    const ACCEPTED: &str = "/webhooks/just-eat/order-accepted";
    let r = "e2e-jelife-acc";
    setup(app, r, Kind::Open);
    let je_id = "e2e-jelife-acc-1";
    let order_id = accepted(app, &fixture("delivery-order.json", je_id, r));
    let body = published("order-accepted-request.json", je_id).to_string();

    // Refused calls change nothing.
    let bad_key = post_to(
        app,
        ACCEPTED,
        &[("Authorization", "JE-API-KEY wrong")],
        body.as_bytes(),
    );
    expect(&bad_key, 401, "a wrong key");
    expect(&post_to(app, ACCEPTED, &[], body.as_bytes()), 401, "no key");
    let bad = post_to(
        app,
        ACCEPTED,
        &[KEY],
        json!({"Event": "OrderRejected", "AcceptedFor": "soon"})
            .to_string()
            .as_bytes(),
    );
    expect(&bad, 400, "a bad body");
    let messages: Vec<String> = bad.json()["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["message"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(messages.len(), 3, "every problem at once: {}", bad.body);
    for word in ["OrderId", "OrderRejected", "AcceptedFor"] {
        assert!(
            messages.iter().any(|m| m.contains(word)),
            "{word}: {}",
            bad.body
        );
    }
    let unknown = post_to(
        app,
        ACCEPTED,
        &[KEY],
        published("order-accepted-request.json", "e2e-jelife-acc-nobody")
            .to_string()
            .as_bytes(),
    );
    expect(&unknown, 404, "an unknown order");
    assert!(
        timeline(&order(app, &order_id)).is_empty(),
        "nothing recorded yet"
    );

    // The published example: one `accepted` event, its ETA in the restaurant's +03:00.
    let reply = post_to(app, ACCEPTED, &[KEY], body.as_bytes());
    expect(&reply, 200, "the acceptance");
    assert_eq!(
        reply.json(),
        json!({"OrderId": je_id, "order_id": order_id, "event": "accepted", "recorded": true})
    );
    let admin = order(app, &order_id);
    assert_eq!(admin["status"], 0, "the status is the kitchen's: {admin}");
    let events = timeline(&admin);
    assert_eq!(events.len(), 1, "{admin}");
    assert_eq!(events[0]["kind"], "accepted");
    assert_eq!(events[0]["eta"], "2018-03-10T17:45:28.000+03:00");
    assert_eq!(events[0]["source"], "order-accepted");
    assert_eq!(
        events[0]["detail"]["AcceptedFor"],
        "2018-03-10T14:45:28.000Z"
    );
    let public = timeline(&public_order(app, &order_id));
    assert_eq!(public.len(), 1);
    assert_eq!(public[0]["kind"], "accepted");
    assert!(
        public[0].get("detail").is_none(),
        "no details for the public: {public:?}"
    );

    // A repeat records nothing; the order may also be named on the URL.
    let again = post_to(app, ACCEPTED, &[KEY], body.as_bytes());
    expect(&again, 200, "the repeat");
    assert_eq!(again.json()["recorded"], false);
    let mut no_id = published("order-accepted-request.json", je_id);
    no_id.as_object_mut().map(|m| m.remove("OrderId"));
    no_id["AcceptedFor"] = json!("2018-03-10T15:00:00+00:00");
    let by_url = post_to(
        app,
        &format!("{ACCEPTED}?OrderId={je_id}"),
        &[KEY],
        no_id.to_string().as_bytes(),
    );
    expect(&by_url, 200, "the order named on the URL");
    assert_eq!(by_url.json()["recorded"], true);
    let events = timeline(&order(app, &order_id));
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[1]["eta"], "2018-03-10T18:00:00.000+03:00");
}
