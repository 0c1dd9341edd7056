//! Issue 18, Just Eat's queries waiting for the restaurant's answer: the Partner-API
//! webhooks `late-order-query`, `late-order-compensation-query` and
//! `order-eligible-for-restaurant-compensation` at `/webhooks/just-eat/{name}`
//! (`Authorization: JE-API-KEY`), Just Eat's published examples as bodies. Each creates one
//! item (a repeat finds it), linked to the hub's Orderconnect or JET Connect order when known; the operator
//! lists it (`GET /admin/jet/queries`, open first) and answers it once in the spec's answer
//! shape (`POST /admin/jet/queries/{id}/answer`). A bad key or body changes nothing.

use std::time::Duration;

use orderbridge_e2e::{expect, repo_root, request, App, AppOptions, Reply, Sink};
use serde_json::{json, Value};

use crate::jet_orders::{partner_order, post_signed};
use crate::orderconnect::{accepted, fixture, setup, Kind};
use crate::{AppTest, PlainTest};

pub const TESTS: &[(&str, AppTest)] = &[
    (
        "jequery_late_order_query_is_listed_answered_once_and_bad_calls_change_nothing",
        late_order_query_is_listed_answered_once_and_bad_calls_change_nothing,
    ),
    (
        "jequery_compensation_query_takes_an_offered_amount_and_eligibility_is_recorded",
        compensation_query_takes_an_offered_amount_and_eligibility_is_recorded,
    ),
    (
        "jequery_a_query_about_a_jet_connect_order_is_linked_to_it",
        a_query_about_a_jet_connect_order_is_linked_to_it,
    ),
];

pub const PLAIN_TESTS: &[(&str, PlainTest)] = &[(
    "jequery_amendment_reaches_jet_connect_once_with_the_specs_body",
    amendment_reaches_jet_connect_once_with_the_specs_body,
)];

const KEY: (&str, &str) = ("Authorization", "JE-API-KEY dev-orderconnect-key");
const OPERATOR: (&str, &str) = ("X-Flyt-Api-Key", "dev-operator-key");

fn call(
    app: &App,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Reply {
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    let reply = request(method, &app.url(path), &all, body)
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    crate::conform::check(method, path, &reply);
    reply
}

fn hook(app: &App, name: &str, headers: &[(&str, &str)], body: &Value) -> Reply {
    let text = body.to_string();
    call(
        app,
        "POST",
        &format!("/webhooks/just-eat/{name}"),
        headers,
        Some(text.as_bytes()),
    )
}

/// Just Eat's published example `file`, naming order `id`.
fn example(file: &str, id: &str) -> Value {
    let path = repo_root().join("fixtures/just-eat").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
    doc["OrderId"] = json!(id);
    doc
}

fn listed(app: &App) -> Vec<Value> {
    let reply = call(app, "GET", "/admin/jet/queries", &[OPERATOR], None);
    expect(&reply, 200, "the queries");
    reply.json()["queries"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn item_of(app: &App, je_id: &str, kind: &str) -> Option<Value> {
    listed(app)
        .into_iter()
        .find(|q| q["OrderId"] == je_id && q["kind"] == kind)
}

fn answer(app: &App, id: &str, body: &Value) -> Reply {
    let text = body.to_string();
    call(
        app,
        "POST",
        &format!("/admin/jet/queries/{id}/answer"),
        &[OPERATOR],
        Some(text.as_bytes()),
    )
}

/// Just Eat's order id may name a JET Connect order as well as an Orderconnect one: the
/// query is linked to the hub's order either way.
fn a_query_about_a_jet_connect_order_is_linked_to_it(app: &App) {
    let (r, location) = ("e2e-jequery-jet", "e2e-jequery-loc");
    crate::jet_orders::setup(app, r, location);
    let jet_id = format!("e2e-jequery-jet-{}", unique());
    let placed = post_signed(
        app,
        "/webhooks/jet/orders",
        &partner_order(&jet_id, location),
    );
    expect(&placed, 202, "the JET order");
    let order_id = placed.json()["OrderId"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", placed.body))
        .to_owned();
    let body = example("late-order-query-request.json", &jet_id);
    let got = hook(app, "late-order-query", &[KEY], &body);
    expect(&got, 200, "the late-order query");
    assert_eq!(got.json()["order_id"], order_id.as_str(), "{}", got.body);
    let item = item_of(app, &jet_id, "late_order").unwrap_or_default();
    assert_eq!(item["order_id"], order_id.as_str(), "{item}");
}

/// A run-unique suffix: the local D1 may outlive a run.
fn unique() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

fn late_order_query_is_listed_answered_once_and_bad_calls_change_nothing(app: &App) {
    let r = "e2e-jequery";
    setup(app, r, Kind::Open);
    let je_id = format!("e2e-jequery-late-{}", unique());
    let order_id = accepted(app, &fixture("delivery-order.json", &je_id, r));
    let body = example("late-order-query-request.json", &je_id);

    // Refused calls first: each records nothing.
    let bad_key = hook(
        app,
        "late-order-query",
        &[("Authorization", "JE-API-KEY wrong")],
        &body,
    );
    expect(&bad_key, 401, "a wrong key");
    let no_key = hook(app, "late-order-query", &[], &body);
    expect(&no_key, 401, "no key");
    let bad = hook(
        app,
        "late-order-query",
        &[KEY],
        &json!({"OrderId": " ", "RestaurantId": [1]}),
    );
    expect(&bad, 400, "a bad body");
    assert!(
        bad.body.contains("OrderId") && bad.body.contains("RestaurantId"),
        "every problem: {}",
        bad.body
    );
    assert_eq!(item_of(app, &je_id, "late_order"), None, "nothing recorded");

    // The published example: one open item, linked to the hub's order.
    let first = hook(app, "late-order-query", &[KEY], &body);
    expect(&first, 200, "the late-order query");
    let got = first.json();
    assert_eq!(got["kind"], "late_order", "{got}");
    assert_eq!(got["OrderId"], je_id.as_str(), "{got}");
    assert_eq!(got["order_id"], order_id.as_str(), "{got}");
    assert_eq!(got["status"], "open", "{got}");
    let id = got["id"].as_str().unwrap_or_default().to_owned();
    let again = hook(app, "late-order-query", &[KEY], &body);
    expect(&again, 200, "the repeat");
    assert_eq!(again.json(), got, "a repeat answers the same");
    let all = listed(app);
    assert_eq!(
        all.iter()
            .filter(|q| q["OrderId"] == je_id.as_str())
            .count(),
        1,
        "once"
    );
    let item = item_of(app, &je_id, "late_order").unwrap_or_else(|| panic!("not listed"));
    assert_eq!(item["id"], id.as_str());
    assert_eq!(item["status"], "open");
    assert_eq!(item["tenant"], "uk");
    assert_eq!(item["restaurant_id"], "110230");
    assert_eq!(item["deadline"], Value::Null, "the spec gives no deadline");
    // Open items come before answered ones.
    let first_answered = all.iter().position(|q| q["status"] == "answered");
    let last_open = all.iter().rposition(|q| q["status"] == "open");
    if let (Some(a), Some(o)) = (first_answered, last_open) {
        assert!(o < a, "open first: {all:?}");
    }

    // A bad answer names every problem and records nothing.
    let wrong = answer(
        app,
        &id,
        &json!({"lateOrderStatus": "Lost", "additionalDeliveryTimeToAddMinutes": -5}),
    );
    expect(&wrong, 400, "a bad answer");
    assert!(
        wrong.body.contains("lateOrderStatus")
            && wrong.body.contains("additionalDeliveryTimeToAddMinutes"),
        "{}",
        wrong.body
    );
    let no_operator = call(
        app,
        "POST",
        &format!("/admin/jet/queries/{id}/answer"),
        &[],
        Some(br#"{"lateOrderStatus": "OnItsWay"}"#),
    );
    expect(&no_operator, 401, "no operator key");
    let still = item_of(app, &je_id, "late_order").unwrap_or_default();
    assert_eq!(still["status"], "open", "{still}");

    // The answer, in the spec's shape, recorded once.
    let ok = answer(
        app,
        &id,
        &json!({"lateOrderStatus": "OnItsWay", "additionalDeliveryTimeToAddMinutes": 10}),
    );
    expect(&ok, 200, "the answer");
    let done = ok.json();
    assert_eq!(done["status"], "answered", "{done}");
    assert_eq!(
        done["answer"],
        json!({"lateOrderStatus": "OnItsWay", "additionalDeliveryTimeToAddMinutes": 10})
    );
    assert_eq!(done["sent"], false, "no Just Eat endpoint takes it: {done}");
    let twice = answer(app, &id, &json!({"lateOrderStatus": "Delivered"}));
    expect(&twice, 409, "a second answer");
    assert!(twice.body.contains("answered"), "{}", twice.body);
    let after = item_of(app, &je_id, "late_order").unwrap_or_default();
    assert_eq!(after["answer"], done["answer"], "the first answer stands");
    let unknown = answer(app, "q-nobody", &json!({"lateOrderStatus": "OnItsWay"}));
    expect(&unknown, 404, "an unknown query");
    // The webhook again after the answer: the same item, now answered.
    let late = hook(app, "late-order-query", &[KEY], &body);
    expect(&late, 200, "a repeat after the answer");
    assert_eq!(late.json()["id"], id.as_str());
    assert_eq!(late.json()["status"], "answered");
}

fn compensation_query_takes_an_offered_amount_and_eligibility_is_recorded(app: &App) {
    // An order the hub does not have: recorded, unlinked.
    let je_id = format!("e2e-jequery-comp-{}", unique());
    let body = example("late-order-compensation-query-request.json", &je_id);
    let bad_key = hook(
        app,
        "late-order-compensation-query",
        &[("Authorization", "JE-API-KEY wrong")],
        &body,
    );
    expect(&bad_key, 401, "a wrong key");
    let bad = hook(
        app,
        "late-order-compensation-query",
        &[KEY],
        &json!({"CompensationOptions": [{"Amount": -1}]}),
    );
    expect(&bad, 400, "a bad body");
    assert!(
        bad.body.contains("OrderId") && bad.body.contains("CompensationOptions[0].Amount"),
        "{}",
        bad.body
    );
    assert_eq!(item_of(app, &je_id, "late_order_compensation"), None);

    let got = hook(app, "late-order-compensation-query", &[KEY], &body);
    expect(&got, 200, "the compensation query");
    assert_eq!(got.json()["order_id"], Value::Null, "{}", got.body);
    let id = got.json()["id"].as_str().unwrap_or_default().to_owned();
    let item = item_of(app, &je_id, "late_order_compensation").unwrap_or_default();
    assert_eq!(
        item["compensation_options"],
        json!([
            {"amount": 200, "recommended": false},
            {"amount": 300, "recommended": true},
            {"amount": 400, "recommended": false}
        ])
    );
    let wrong = answer(
        app,
        &id,
        &json!({"isAccepted": true, "acceptedAmount": 250}),
    );
    expect(&wrong, 400, "an amount not offered");
    assert!(wrong.body.contains("acceptedAmount"), "{}", wrong.body);
    let ok = answer(
        app,
        &id,
        &json!({"isAccepted": true, "acceptedAmount": 300}),
    );
    expect(&ok, 200, "the resolution");
    assert_eq!(
        ok.json()["answer"],
        json!({"isAccepted": true, "acceptedAmount": 300, "orderId": je_id})
    );
    let twice = answer(
        app,
        &id,
        &json!({"isAccepted": false, "rejectedReasonCode": "NoReason"}),
    );
    expect(&twice, 409, "a second answer");

    // Eligibility for compensation: the same ids, recorded as its own kind.
    let eligible = hook(
        app,
        "order-eligible-for-restaurant-compensation",
        &[KEY],
        &example("late-order-query-request.json", &je_id),
    );
    expect(&eligible, 200, "eligibility");
    assert_eq!(eligible.json()["kind"], "compensation_eligibility");
    let eid = eligible.json()["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_ne!(eid, id, "a kind of its own");
    let noted = answer(
        app,
        &eid,
        &json!({"note": "claimed through Just Eat's portal"}),
    );
    expect(&noted, 200, "the note");
    assert_eq!(
        noted.json()["answer"]["note"],
        "claimed through Just Eat's portal"
    );
}

/// Order amendment: the operator marks a JET Connect order's item out of stock; JET
/// Connect's `POST /orders/{brandSlug}/{orderId}/amend` (a sink) receives the spec's body
/// once, with `X-Flyt-Api-Key`; every bad line is named at once, a second amendment is 409.
fn amendment_reaches_jet_connect_once_with_the_specs_body() {
    let sink = Sink::start();
    let app = App::spawn(AppOptions {
        demo_data: false,
        vars: [
            ("JET_STATUS_BASE_URL", sink.url("/status").as_str()),
            ("JET_ORDERING_URL", sink.url("/ord").as_str()),
            ("JET_BRAND_SLUG", "je-uk-example"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect(),
    });
    let (restaurant, location) = ("e2e-am", "e2e-am-loc");
    crate::jet_orders::setup(&app, restaurant, location);
    let jet_id = "e2e-am-1";
    let placed = post_signed(
        &app,
        "/webhooks/jet/orders",
        &partner_order(jet_id, location),
    );
    expect(&placed, 202, "order");
    let order_id = placed.json()["OrderId"]
        .as_str()
        .unwrap_or_else(|| panic!("no OrderId: {}", placed.body))
        .to_owned();
    let path = format!("/admin/orders/{order_id}/amendment");
    let amend = |key: (&str, &str), body: &Value| {
        let text = body.to_string();
        call(&app, "POST", &path, &[key], Some(text.as_bytes()))
    };
    let amends = || -> Vec<_> {
        sink.received()
            .into_iter()
            .filter(|r| r.url.starts_with("/ord/") && r.method == "POST")
            .collect()
    };

    // Refused: no key, bad lines (all named), nothing asked of JET Connect.
    expect(
        &amend(
            ("X-Flyt-Api-Key", "wrong"),
            &json!({"items": [{"plu": "M2", "missingQuantity": 1}]}),
        ),
        401,
        "bad key",
    );
    let bad = amend(
        OPERATOR,
        &json!({"items": [{"plu": "X9", "missingQuantity": 1}, {"plu": "M2", "missingQuantity": 2}]}),
    );
    expect(&bad, 400, "bad lines");
    assert!(
        bad.body.contains("items[0].plu") && bad.body.contains("items[1].missingQuantity"),
        "{}",
        bad.body
    );
    let none = call(&app, "GET", &path, &[OPERATOR], None);
    expect(&none, 404, "no amendment yet");

    // The amendment: 202, read back, and JET Connect's amend receives the spec's body.
    let ok = amend(
        OPERATOR,
        &json!({"items": [{"plu": "M2", "missingQuantity": 1}]}),
    );
    expect(&ok, 202, "the amendment");
    let want = json!({"items": [{"reason": "missing", "plu": "M2", "missingQuantity": 1}]});
    assert_eq!(ok.json()["body"], want, "{}", ok.body);
    assert_eq!(ok.json()["jet_order_id"], jet_id);
    let read = call(&app, "GET", &path, &[OPERATOR], None);
    expect(&read, 200, "read back");
    assert_eq!(read.json(), ok.json());
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while amends().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let got = amends();
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0].method, "POST");
    assert_eq!(
        got[0].url,
        format!("/ord/orders/je-uk-example/{jet_id}/amend")
    );
    assert_eq!(got[0].header("X-Flyt-Api-Key"), Some("dev-jet-connect-key"));
    let sent: Value = serde_json::from_str(&got[0].body).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sent, want);

    // JET Connect's progress of it, read on demand.
    let amend_path = format!("/ord/orders/je-uk-example/{jet_id}/amend");
    sink.answer_get(
        &amend_path,
        &json!({"orderId": jet_id, "state": "accepted"}).to_string(),
    );
    let progress = call(
        &app,
        "GET",
        &format!("{path}?progress=true"),
        &[OPERATOR],
        None,
    );
    expect(&progress, 200, "the progress");
    assert_eq!(
        progress.json()["progress"],
        json!({"state": "accepted"}),
        "{}",
        progress.body
    );
    let asked: Vec<_> = sink
        .received()
        .into_iter()
        .filter(|r| r.method == "GET" && r.url == amend_path)
        .collect();
    assert_eq!(asked.len(), 1, "{asked:#?}");
    assert_eq!(
        asked[0].header("X-Flyt-Api-Key"),
        Some("dev-jet-connect-key")
    );

    // Once per order: a second is 409 and asks nothing more.
    let twice = amend(
        OPERATOR,
        &json!({"items": [{"plu": "M2", "missingQuantity": 1}]}),
    );
    expect(&twice, 409, "a second amendment");
    assert!(twice.body.contains("once"), "{}", twice.body);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(amends().len(), 1, "{:#?}", amends());
}
