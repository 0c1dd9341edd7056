//! Issue 18, reconciliation with Just Eat's order reports: `POST /admin/jet/reconciliation`
//! reads `GET /brands/{JET_BRAND_SLUG}/orders` and `GET /locations/{jet_location_id}/orders`
//! (a sink standing for JET Connect's reporting connector) and `GET` shows the latest run:
//! a clean day reports nothing, a missing order and a disagreeing state are each found.

use orderbridge_e2e::{expect, repo_root, request, App, AppOptions, Reply, Sink};
use serde_json::{json, Value};

use crate::jet_orders::{partner_order, post_signed, setup};
use crate::PlainTest;

pub const PLAIN_TESTS: &[(&str, PlainTest)] = &[(
    "jecall_reconciliation_finds_a_missing_order_and_a_disagreeing_state",
    reconciliation_finds_a_missing_order_and_a_disagreeing_state,
)];

const OPERATOR: (&str, &str) = ("X-Flyt-Api-Key", "dev-operator-key");
const PATH: &str = "/admin/jet/reconciliation";

fn call(app: &App, method: &str, key: (&str, &str)) -> Reply {
    let reply = request(method, &app.url(PATH), &[key], None)
        .unwrap_or_else(|e| panic!("{method} {PATH}: {e}"));
    crate::conform::check(method, PATH, &reply);
    reply
}

fn listed(id: &str, status: &str) -> Value {
    let text =
        std::fs::read_to_string(repo_root().join("fixtures/just-eat/brand-orders-response.json"))
            .unwrap_or_else(|e| panic!("{e}"));
    let mut list: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    list[0]["orderDetails"]["orderID"] = json!(id);
    list[0]["orderDetails"]["status"] = json!(status);
    list[0].clone()
}

fn kinds(reply: &Reply) -> Vec<(String, String)> {
    reply.json()["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap_or_default().to_owned(),
                f["order_id"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn reconciliation_finds_a_missing_order_and_a_disagreeing_state() {
    let sink = Sink::start();
    let app = App::spawn(AppOptions {
        demo_data: false,
        vars: [
            ("JET_STATUS_BASE_URL", sink.url("/status").as_str()),
            ("JET_REPORTING_URL", sink.url("/rep").as_str()),
            ("JET_BRAND_SLUG", "e2e-brand"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect(),
    });
    // Before any run: nothing; a bad key is 401 and runs nothing.
    let none = call(&app, "GET", OPERATOR);
    expect(&none, 200, "no run yet");
    assert_eq!(none.json()["run"], Value::Null, "{}", none.body);
    expect(
        &call(&app, "POST", ("X-Flyt-Api-Key", "wrong")),
        401,
        "bad key",
    );
    expect(
        &call(&app, "GET", ("X-Flyt-Api-Key", "wrong")),
        401,
        "bad key",
    );
    assert!(sink.received().is_empty(), "{:#?}", sink.received());

    let (restaurant, location) = ("e2e-rc", "e2e-rc-loc");
    setup(&app, restaurant, location);
    let placed = post_signed(
        &app,
        "/webhooks/jet/orders",
        &partner_order("e2e-rc-1", location),
    );
    expect(&placed, 202, "order");

    // A clean day: Just Eat lists the order as a success, on both lists.
    let brand = "/rep/brands/e2e-brand/orders";
    let at_location = format!("/rep/locations/{location}/orders");
    sink.answer_get(brand, &json!([listed("e2e-rc-1", "success")]).to_string());
    sink.answer_get(
        &at_location,
        &json!({"orders": [listed("e2e-rc-1", "success")]}).to_string(),
    );
    let clean = call(&app, "POST", OPERATOR);
    expect(&clean, 200, "clean run");
    assert_eq!(kinds(&clean), vec![], "{}", clean.body);
    let run = &clean.json()["run"];
    assert_eq!(run["checked"], 2, "{run}");
    assert_eq!(run["error"], Value::Null, "{run}");
    let reads: Vec<_> = sink
        .received()
        .into_iter()
        .filter(|r| r.method == "GET")
        .collect();
    assert_eq!(reads.len(), 2, "{reads:#?}");
    for r in &reads {
        assert_eq!(
            r.header("X-Flyt-Api-Key"),
            Some("dev-jet-connect-key"),
            "{r:?}"
        );
        for q in ["from=", "to=", "status=all", "page=1"] {
            assert!(r.url.contains(q), "{q} in {}", r.url);
        }
    }
    assert!(reads.iter().any(|r| r.url.starts_with(brand)), "{reads:#?}");

    // Just Eat now says the order failed (the hub reported success), and lists an order the
    // hub never received.
    sink.answer_get(
        brand,
        &json!([
            listed("e2e-rc-1", "failure"),
            listed("e2e-rc-lost", "success")
        ])
        .to_string(),
    );
    let found = call(&app, "POST", OPERATOR);
    expect(&found, 200, "run");
    let want = vec![
        ("disagrees".to_owned(), "e2e-rc-1".to_owned()),
        ("missing".to_owned(), "e2e-rc-lost".to_owned()),
    ];
    assert_eq!(kinds(&found), want, "{}", found.body);
    let latest = call(&app, "GET", OPERATOR);
    expect(&latest, 200, "latest");
    assert_eq!(kinds(&latest), want, "{}", latest.body);
    let f = &latest.json()["findings"];
    assert_eq!(f[0]["ours"], "success", "{f}");
    assert_eq!(f[0]["theirs"], "failure", "{f}");
    assert_eq!(f[1]["reference"], "1806363209", "{f}");
    assert!(
        f[1]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("never received"),
        "{f}"
    );
    assert_ne!(latest.json()["run"]["id"], clean.json()["run"]["id"]);
}
