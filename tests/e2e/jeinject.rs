//! Issue 18, Just Eat's Partner-API order injection at `/webhooks/just-eat/{name}`
//! (`Authorization: JE-API-KEY`): Just Eat's published examples of `orderdispatchwebhooks`
//! and `order-ready-for-preparation` (sync and async) become hub orders through
//! Orderconnect's pipeline (readable by the operator, with their lines and money, and
//! forwarded to the kitchen's Jupiter once each); the async result reaches its `callback`;
//! `send-to-pos-failed` lands in the order's history once; a bad key, a bad callback and a
//! repeat change nothing.

use std::time::Duration;

use orderbridge_e2e::{expect, repo_root, request, App, AppOptions, FakeJupiter, Reply, Sink};
use serde_json::{json, Value};

use crate::orderconnect::{setup, Kind};
use crate::PlainTest;

/// One Worker of its own: its upstream Jupiter is a fake (the kitchen's sink).
pub const PLAIN_TESTS: &[(&str, PlainTest)] = &[(
    "jeinject_published_orders_reach_the_kitchen_once_and_bad_calls_change_nothing",
    published_orders_reach_the_kitchen_once_and_bad_calls_change_nothing,
)];

const KEY: (&str, &str) = ("Authorization", "JE-API-KEY dev-orderconnect-key");
const OPERATOR: (&str, &str) = ("X-Flyt-Api-Key", "dev-operator-key");
const DISPATCH: &str = "/webhooks/just-eat/orderdispatchwebhooks";
const SYNC: &str = "/webhooks/just-eat/order-ready-for-preparation-sync";
const ASYNC: &str = "/webhooks/just-eat/order-ready-for-preparation-async";
const POS_FAILED: &str = "/webhooks/just-eat/send-to-pos-failed";

fn post(app: &App, path: &str, query: &str, headers: &[(&str, &str)], body: &Value) -> Reply {
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    let url = app.url(&format!("{path}{query}"));
    let reply = request("POST", &url, &all, Some(body.to_string().as_bytes()))
        .unwrap_or_else(|e| panic!("POST {path}: {e}"));
    crate::conform::check("POST", path, &reply);
    reply
}

fn example(name: &str) -> Value {
    let text = std::fs::read_to_string(repo_root().join("fixtures/just-eat").join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn get(app: &App, path: &str) -> Value {
    let reply = request("GET", &app.url(path), &[OPERATOR], None).unwrap_or_else(|e| panic!("{e}"));
    expect(&reply, 200, path);
    reply.json()
}

/// The hub orders stored for Just Eat's order `id`.
fn stored(app: &App, id: &str) -> Vec<Value> {
    get(
        app,
        &format!("/admin/orders?channel=orderconnect&external_id={id}"),
    )["orders"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn pence(v: &Value) -> i64 {
    (v.as_f64().unwrap_or(f64::NAN) * 100.0).round() as i64
}

/// The restaurant `r` (Just Eat id `r`), its items mapped from Just Eat's ids.
fn restaurant(app: &App, r: &str, mapping: Value) {
    setup(app, r, Kind::Open);
    let path = format!("/admin/restaurants/{r}/orderconnect-items");
    let reply = request(
        "PUT",
        &app.url(&path),
        &[OPERATOR, ("Content-Type", "application/json")],
        Some(mapping.to_string().as_bytes()),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    expect(&reply, 200, "mapping");
}

/// A line: item id, count, modifiers (id, count).
type LineShape = (String, i64, Vec<(String, i64)>);

/// Lines of the stored Jupiter order (the operator's read) as `(id, count, [(modifier id, count)])`, charge lines left out.
fn lines(view: &Value) -> Vec<LineShape> {
    view["order"]["body"]["cart"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|l| !l["id"].as_str().unwrap_or("").starts_with("marketplace:"))
        .map(|l| {
            let mods = l["modifiers"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|m| {
                    (
                        m["id"].as_str().unwrap_or("").to_owned(),
                        m["count"].as_i64().unwrap_or(0),
                    )
                })
                .collect();
            (
                l["id"].as_str().unwrap_or("").to_owned(),
                l["count"].as_i64().unwrap_or(0),
                mods,
            )
        })
        .collect()
}

fn published_orders_reach_the_kitchen_once_and_bad_calls_change_nothing() {
    let key = "jeinject-upstream-key";
    let kitchen = FakeJupiter::start(key);
    kitchen.serve("/site-api/order", &json!({"order_id": "S1"}));
    let callbacks = Sink::start();
    let app = App::spawn(AppOptions {
        demo_data: false,
        vars: vec![
            ("JUPITER_API_URL".to_owned(), kitchen.url("/site-api")),
            ("JUPITER_API_KEY".to_owned(), key.to_owned()),
        ],
    });
    let dispatch = example("orderdispatchwebhooks-request.json");
    let ready = example("order-ready-for-preparation-request.json");
    let dispatch_restaurant = dispatch["restaurant"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    restaurant(
        &app,
        &dispatch_restaurant,
        json!({"items": [
            {"kind": "product", "just_eat_id": "30471", "item_id": "555333111"},
            {"kind": "accessory", "just_eat_id": "7234", "item_id": "6021"},
            {"kind": "accessory", "just_eat_id": "7395", "item_id": "6042"}
        ]}),
    );
    restaurant(
        &app,
        "99999",
        json!({"items": [
            {"kind": "product", "just_eat_id": "1234", "item_id": "555333111"},
            {"kind": "product", "just_eat_id": "4321", "item_id": "D100"},
            {"kind": "accessory", "just_eat_id": "9876", "item_id": "6021"},
            {"kind": "accessory", "just_eat_id": "6789", "item_id": "6042"}
        ]}),
    );

    // A bad or missing key, on every route: 401, nothing stored, nothing sent.
    let mut async_body = ready.clone();
    async_body["OrderId"] = json!("XYZ123456-async");
    let cb = format!("?callback={}", callbacks.url("/ready"));
    for (path, query, body) in [
        (DISPATCH, "", &dispatch),
        (SYNC, "", &ready),
        (ASYNC, cb.as_str(), &async_body),
        (POS_FAILED, "", &json!({"OrderId": "XYZ123456"})),
    ] {
        let wrong = post(
            &app,
            path,
            query,
            &[("Authorization", "JE-API-KEY wrong")],
            body,
        );
        expect(&wrong, 401, &format!("{path} with a wrong key"));
        let none = post(&app, path, query, &[], body);
        expect(&none, 401, &format!("{path} without a key"));
    }
    for id in ["1234A", "XYZ123456", "XYZ123456-async"] {
        assert!(stored(&app, id).is_empty(), "{id} stored after a bad key");
    }
    // An order the hub does not have cannot have failed to reach its POS.
    let unknown = post(
        &app,
        POS_FAILED,
        "",
        &[KEY],
        &json!({"OrderId": "XYZ123456"}),
    );
    expect(&unknown, 404, "send-to-pos-failed of an unknown order");

    // orderdispatchwebhooks: Just Eat's published example, money in pence.
    let first = post(&app, DISPATCH, "", &[KEY], &dispatch);
    expect(&first, 200, "orderdispatchwebhooks");
    let order_id = first.json()["order_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        first.json(),
        json!({"OrderId": "1234A", "order_id": order_id})
    );
    let again = post(&app, DISPATCH, "", &[KEY], &dispatch);
    expect(&again, 200, "orderdispatchwebhooks again");
    assert_eq!(again.json(), first.json(), "a repeat answers the same");
    assert_eq!(stored(&app, "1234A").len(), 1, "one hub order");
    let view = get(&app, &format!("/admin/orders/{order_id}"));
    assert_eq!(
        lines(&view),
        vec![(
            "555333111".to_owned(),
            1,
            vec![("6021".to_owned(), 1), ("6042".to_owned(), 4)]
        )],
        "{view}"
    );
    // totalPrice 120 pence is what the customer pays (the example's lines hold 9.65).
    assert_eq!(
        pence(&view["order"]["body"]["payment"]["sum"]),
        120,
        "{view}"
    );

    // order-ready-for-preparation-sync: decimal money, read exactly.
    let sync = post(&app, SYNC, "", &[KEY], &ready);
    expect(&sync, 200, "order-ready-for-preparation-sync");
    let ready_id = sync.json()["order_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        sync.json(),
        json!({"OrderId": "XYZ123456", "order_id": ready_id})
    );
    let again = post(&app, SYNC, "", &[KEY], &ready);
    assert_eq!(again.json(), sync.json(), "a repeat answers the same");
    assert_eq!(stored(&app, "XYZ123456").len(), 1, "one hub order");
    let view = get(&app, &format!("/admin/orders/{ready_id}"));
    assert_eq!(
        lines(&view),
        vec![
            (
                "555333111".to_owned(),
                2,
                vec![("6021".to_owned(), 1), ("6042".to_owned(), 2)]
            ),
            ("D100".to_owned(), 1, vec![]),
        ],
        "{view}"
    );
    assert_eq!(
        pence(&view["order"]["body"]["cart"]["total"]),
        1925,
        "{view}"
    );
    assert_eq!(
        pence(&view["order"]["body"]["cart"]["delivery"]),
        100,
        "{view}"
    );

    // order-ready-for-preparation-async: 202, then the result at the callback.
    let bad_cb = post(
        &app,
        ASYNC,
        "?callback=ftp://example.com/x",
        &[KEY],
        &async_body,
    );
    expect(&bad_cb, 400, "a callback the guard refuses");
    assert!(stored(&app, "XYZ123456-async").is_empty());
    let accepted = post(&app, ASYNC, &cb, &[KEY], &async_body);
    expect(&accepted, 202, "order-ready-for-preparation-async");
    let async_id = accepted.json()["order_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(!async_id.is_empty(), "{}", accepted.body);
    let mut refused = async_body.clone();
    refused["OrderId"] = json!("XYZ123456-refused");
    refused["Restaurant"]["Id"] = json!("no-such-restaurant");
    let later = post(&app, ASYNC, &cb, &[KEY], &refused);
    expect(&later, 202, "a refused order, told at the callback");
    assert_eq!(
        later.json(),
        json!({"OrderId": "XYZ123456-refused", "order_id": null})
    );
    let got = callbacks.wait_for(2, Duration::from_secs(20));
    assert_eq!(got.len(), 2, "{got:#?}");
    let bodies: Vec<Value> = got
        .iter()
        .map(|r| serde_json::from_str(&r.body).unwrap_or(Value::Null))
        .collect();
    let success = bodies
        .iter()
        .find(|b| b["status"] == "Success")
        .unwrap_or_else(|| panic!("no Success: {bodies:?}"));
    assert_eq!(success["data"]["order_id"], async_id.as_str(), "{success}");
    assert!(success["message"].is_string(), "{success}");
    // The operator sees the callback with the order, named for what it is.
    let log = request(
        "GET",
        &app.url(&format!("/admin/deliveries?order_id={async_id}")),
        &[OPERATOR],
        None,
    )
    .unwrap_or_else(|e| panic!("the delivery log: {e}"));
    expect(&log, 200, "the order's delivery log");
    let receivers: Vec<Value> = log.json()["deliveries"]
        .as_array()
        .map(|ds| ds.iter().map(|d| d["receiver"].clone()).collect())
        .unwrap_or_default();
    assert!(
        receivers.contains(&json!("partner_order_callback")),
        "{}",
        log.body
    );
    let failure = bodies
        .iter()
        .find(|b| b["status"] == "Failure")
        .unwrap_or_else(|| panic!("no Failure: {bodies:?}"));
    assert!(
        failure["message"]
            .as_str()
            .unwrap_or("")
            .contains("no-such-restaurant"),
        "{failure}"
    );
    assert!(stored(&app, "XYZ123456-refused").is_empty());
    let repeat = post(&app, ASYNC, &cb, &[KEY], &async_body);
    expect(&repeat, 202, "the async repeat");
    assert_eq!(repeat.json(), accepted.json());

    // The kitchen's Jupiter got each stored order once.
    for _ in 0..150 {
        if kitchen.posted().len() >= 3 {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    // A moment more: a second forward of any order would show now.
    std::thread::sleep(Duration::from_secs(1));
    let posted = kitchen.posted();
    let numbers: Vec<String> = posted
        .iter()
        .filter_map(|(_, b)| serde_json::from_str::<Value>(b).ok())
        .map(|b| b["body"]["number"].as_str().unwrap_or("").to_owned())
        .collect();
    let mut sorted = numbers.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        vec!["oc-1234A", "oc-XYZ123456", "oc-XYZ123456-async"],
        "{posted:?}"
    );
    let kitchen_order = posted
        .iter()
        .filter_map(|(_, b)| serde_json::from_str::<Value>(b).ok())
        .find(|b| b["body"]["number"] == "oc-XYZ123456")
        .unwrap_or_default();
    assert_eq!(
        pence(&kitchen_order["body"]["payment"]["sum"]),
        1925,
        "{kitchen_order}"
    );
    assert_eq!(
        callbacks.received().len(),
        2,
        "no second callback for a repeat"
    );

    // send-to-pos-failed: in the order's history once, for the operator to see.
    let failed = post(
        &app,
        POS_FAILED,
        "",
        &[KEY],
        &json!({"OrderId": "XYZ123456"}),
    );
    expect(&failed, 200, "send-to-pos-failed");
    assert_eq!(
        failed.json(),
        json!({"OrderId": "XYZ123456", "order_id": ready_id, "status": 0, "recorded": true})
    );
    let view = get(&app, &format!("/admin/orders/{ready_id}"));
    let history = view["history"].as_array().cloned().unwrap_or_default();
    assert!(
        history.iter().any(|h| h["reason"]
            .as_str()
            .is_some_and(|r| r.contains("could not send order XYZ123456 to the POS"))),
        "{view}"
    );
    let again = post(
        &app,
        POS_FAILED,
        "",
        &[KEY],
        &json!({"OrderId": "XYZ123456"}),
    );
    expect(&again, 200, "send-to-pos-failed again");
    assert_eq!(again.json()["recorded"], false, "{}", again.body);
    let after = get(&app, &format!("/admin/orders/{ready_id}"));
    assert_eq!(
        after["history"].as_array().map(Vec::len),
        Some(history.len()),
        "{after}"
    );
}
