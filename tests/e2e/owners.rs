//! Issue 17 point 6, every failure has an owner: a delivery that dies (its receiver refused
//! it for good, or every attempt failed) is shown with its order and in the delivery log,
//! and a forwarding to the upstream Jupiter that dies sends the order to 5 with its reason,
//! tells the site (status 5) and Just Eat (`sent-to-pos-failed`, inside its window).
//!
//! The status-call and `sent-to-pos` cases run on the Worker with the short retry policy
//! (`outbound::fast_options`: four attempts within about 8 s); the forwarding case starts a
//! Worker of its own in upstream mode, pointed at a Jupiter that always answers 503, whose
//! JET Connect is its own development simulator (`GET /sim/jet/calls`).

use std::time::Duration;

use orderbridge_e2e::{expect, request, App, AppOptions, Sink};
use serde_json::{json, Value};

use crate::{AppTest, PlainTest};

pub const FAST_TESTS: &[(&str, AppTest)] = &[
    (
        "owners_a_dead_status_call_is_shown_with_the_order_and_in_the_delivery_log",
        a_dead_status_call_is_shown_with_the_order_and_in_the_delivery_log,
    ),
    (
        "owners_a_dead_sent_to_pos_call_is_shown_to_the_operator_with_the_order",
        a_dead_sent_to_pos_call_is_shown_to_the_operator_with_the_order,
    ),
];

pub const PLAIN_TESTS: &[(&str, PlainTest)] = &[(
    "owners_a_dead_forwarding_cancels_the_order_and_tells_the_site_and_just_eat",
    a_dead_forwarding_cancels_the_order_and_tells_the_site_and_just_eat,
)];

const OPERATOR: (&str, &str) = ("X-Flyt-Api-Key", "dev-operator-key");

fn get(app: &App, path: &str, headers: &[(&str, &str)]) -> Value {
    let reply =
        request("GET", &app.url(path), headers, None).unwrap_or_else(|e| panic!("GET {path}: {e}"));
    crate::conform::check("GET", path, &reply);
    expect(&reply, 200, path);
    reply.json()
}

/// Polls `check` every 250 ms for up to `secs` seconds.
fn eventually<T>(what: &str, secs: u64, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what}: not within {secs} s"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

fn failures(doc: &Value) -> Vec<Value> {
    doc["failures"]
        .as_array()
        .unwrap_or_else(|| panic!("no failures list: {doc}"))
        .clone()
}

/// (a) The front-end's `status_url` never takes status 0: after the fourth attempt the
/// call is dead; the order shows it (site and operator), and the delivery log lists it.
fn a_dead_status_call_is_shown_with_the_order_and_in_the_delivery_log(app: &App) {
    let (id, concept) = ("e2e-own-st", "e2e-own-c-st");
    crate::orders::setup(app, id, concept);
    let sink = Sink::start();
    sink.respond_with(503);
    let doc = crate::orders::order(id, concept, "e2e-own-st-1", Some(&sink.url("/st?n=1")));
    let order_id = crate::orders::placed(app, &doc);
    let public = format!("/site-api/orders/{order_id}");
    assert_eq!(
        failures(&get(app, &public, &[])),
        Vec::<Value>::new(),
        "nothing has died yet"
    );

    let shown = eventually("the dead status call on the order", 60, || {
        let found = failures(&get(app, &public, &[]));
        (!found.is_empty()).then_some(found)
    });
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0]["kind"], "status_url");
    assert_eq!(shown[0]["status"], 0);
    assert_eq!(
        shown[0]["reason"],
        "the front-end's status_url did not take status 0"
    );
    assert!(shown[0]["at"].is_string(), "{shown:?}");
    assert_eq!(
        shown[0].get("last_error"),
        None,
        "the site sees no internals"
    );
    assert_eq!(sink.received().len(), 4, "four attempts, then dead");
    assert_eq!(
        get(app, &public, &[])["status"],
        0,
        "the order itself stands"
    );

    let admin = get(app, &format!("/admin/orders/{order_id}"), &[OPERATOR]);
    let seen = failures(&admin);
    assert_eq!(seen.len(), 1, "{admin}");
    assert_eq!(seen[0]["kind"], "status_url");
    assert_eq!(seen[0]["receiver"], "site_status");
    let last = seen[0]["last_error"].as_str().unwrap_or_default();
    assert!(
        last.contains("HTTP 503") && last.contains("gave up after 4 attempts"),
        "{last}"
    );
    let delivery = seen[0]["delivery_id"].as_str().unwrap_or_default();

    let log = get(
        app,
        &format!("/admin/deliveries?order_id={order_id}&status=dead"),
        &[OPERATOR],
    );
    let dead: Vec<&str> = log["deliveries"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["id"].as_str())
        .collect();
    assert_eq!(dead, [delivery], "{log}");
    assert_eq!(log["deliveries"][0]["attempt_count"], 4);
}

/// (c) Just Eat refuses the `sent-to-pos-success` call for good (400): the operator sees it
/// with the JET order and the hub order; the site API does not show calls to Just Eat.
fn a_dead_sent_to_pos_call_is_shown_to_the_operator_with_the_order(app: &App) {
    let (id, location) = ("e2e-own-jet", "e2e-own-loc-jet");
    crate::jet_orders::setup(app, id, location);
    let jet_id = "e2e-own-jet-1";
    let sink = crate::jet_orders::status_sink();
    sink.respond_to(&format!("/order/{jet_id}/"), 400);
    let reply = crate::jet_orders::post_signed(
        app,
        "/webhooks/jet/orders",
        &crate::jet_orders::partner_order(jet_id, location),
    );
    expect(&reply, 202, "receive");
    let order_id = reply.json()["OrderId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let view_path = format!("/admin/jet/orders/{jet_id}");
    let seen = eventually("the dead sent-to-pos call", 30, || {
        let found = failures(&get(app, &view_path, &[OPERATOR]));
        (!found.is_empty()).then_some(found)
    });
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0]["kind"], "just_eat");
    assert_eq!(seen[0]["receiver"], "jet_sent_to_pos");
    assert_eq!(
        seen[0]["reason"],
        "Just Eat did not take sent-to-pos-success"
    );
    assert!(
        seen[0]["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("HTTP 400")),
        "{seen:?}"
    );
    let calls: Vec<String> = sink
        .received()
        .into_iter()
        .filter(|r| r.url.starts_with(&format!("/order/{jet_id}/")))
        .map(|r| r.url)
        .collect();
    assert_eq!(
        calls,
        [format!("/order/{jet_id}/sent-to-pos-success")],
        "a 400 is final: one attempt"
    );

    let admin = get(app, &format!("/admin/orders/{order_id}"), &[OPERATOR]);
    let on_order = failures(&admin);
    assert_eq!(on_order.len(), 1, "{admin}");
    assert_eq!(on_order[0]["kind"], "just_eat");
    assert_eq!(on_order[0]["delivery_id"], seen[0]["delivery_id"]);
    let public = get(app, &format!("/site-api/orders/{order_id}"), &[]);
    assert_eq!(failures(&public), Vec::<Value>::new(), "operator only");
}

/// (b) Upstream, Jupiter never takes the forwarding (503, three attempts): the site order
/// goes to 5 with the reason in its history, its front-end gets status 5 (and nothing else,
/// since upstream the hub sends no 0 of its own); the JET order likewise, and Just Eat is
/// told `sent-to-pos-failed` `INACTIVE` once, long before the deadline's `TIMEOUT`.
fn a_dead_forwarding_cancels_the_order_and_tells_the_site_and_just_eat() {
    let jupiter = Sink::start();
    jupiter.respond_with(503);
    let var = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    let app = App::spawn(AppOptions {
        demo_data: false,
        vars: vec![
            var("JUPITER_API_URL", &jupiter.url("/site-api")),
            var("JUPITER_API_KEY", "upstream-key"),
            var("RETRY_FIRST_DELAY_SECS", "1"),
            var("RETRY_FACTOR", "1"),
            var("RETRY_MAX_DELAY_SECS", "1"),
            var("RETRY_MAX_ATTEMPTS", "3"),
            var("ATTEMPT_TIMEOUT_SECS", "2"),
        ],
    });

    // A site order.
    let (id, concept) = ("e2e-own-up", "e2e-own-c-up");
    crate::orders::setup(&app, id, concept);
    let front_end = Sink::start();
    let doc = crate::orders::order(
        id,
        concept,
        "e2e-own-up-1",
        Some(&front_end.url("/st?n=up")),
    );
    let order_id = crate::orders::placed(&app, &doc);
    let public = format!("/site-api/orders/{order_id}");
    let placed = get(&app, &public, &[]);
    assert_eq!(placed["status"], 0);
    assert_eq!(failures(&placed), Vec::<Value>::new());

    let cancelled = eventually("the order at 5", 40, || {
        let doc = get(&app, &public, &[]);
        (doc["status"] == 5).then_some(doc)
    });
    let reason = "the order did not reach the kitchen: the upstream Jupiter could not be reached";
    let history = cancelled["history"].as_array().cloned().unwrap_or_default();
    assert_eq!(history.len(), 2, "{cancelled}");
    assert_eq!(history[0]["status"], 0);
    assert_eq!(history[0].get("reason"), None);
    assert_eq!(history[1]["status"], 5);
    assert_eq!(history[1]["reason"], reason);
    let shown = failures(&cancelled);
    assert_eq!(shown.len(), 1, "{cancelled}");
    assert_eq!(shown[0]["kind"], "kitchen");
    let offered = jupiter
        .received()
        .iter()
        .filter(|r| r.url == "/site-api/order")
        .count();
    assert_eq!(offered, 3, "three attempts, then dead");
    front_end.wait_for(1, Duration::from_secs(20));
    std::thread::sleep(Duration::from_millis(1500));
    let urls: Vec<String> = front_end.received().into_iter().map(|c| c.url).collect();
    assert_eq!(urls, ["/st?n=up&status=5"], "the site is told 5, once");
    let admin = get(&app, &format!("/admin/orders/{order_id}"), &[OPERATOR]);
    assert_eq!(admin["history"][1]["reason"], reason, "{admin}");
    assert_eq!(failures(&admin)[0]["receiver"], "jupiter_injection");

    // A JET Connect order: Just Eat hears sent-to-pos-failed at once, not the TIMEOUT.
    let (jet_restaurant, location) = ("e2e-own-up-jet", "e2e-own-loc-up-jet");
    crate::jet_orders::setup(&app, jet_restaurant, location);
    let jet_id = "e2e-own-up-jet-1";
    let started = std::time::Instant::now();
    let reply = crate::jet_orders::post_signed(
        &app,
        "/webhooks/jet/orders",
        &crate::jet_orders::partner_order(jet_id, location),
    );
    expect(&reply, 202, "receive upstream");
    let jet_order = reply.json()["OrderId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let prefix = format!("/sim/jet/order/{jet_id}/");
    let sim_calls = || -> Vec<Value> {
        get(&app, "/sim/jet/calls", &[])["calls"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["path"].as_str().is_some_and(|p| p.starts_with(&prefix)))
            .cloned()
            .collect()
    };
    eventually("Just Eat told", 60, || {
        (!sim_calls().is_empty()).then_some(())
    });
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "inside Just Eat's window, before the deadline's TIMEOUT (150 s)"
    );
    std::thread::sleep(Duration::from_millis(1500));
    let told = sim_calls();
    assert_eq!(told.len(), 1, "exactly once: {told:?}");
    assert_eq!(
        told[0]["path"],
        json!(format!("{prefix}sent-to-pos-failed")),
        "{told:?}"
    );
    assert_eq!(told[0]["body"]["errorCode"], "INACTIVE", "{told:?}");
    assert!(
        told[0]["body"]["errorMessage"]
            .as_str()
            .is_some_and(|m| m.contains("could not be reached")),
        "{told:?}"
    );
    let view = get(&app, &format!("/admin/jet/orders/{jet_id}"), &[OPERATOR]);
    assert_eq!(view["outcome"], "failed", "{view}");
    assert_eq!(view["error_code"], "INACTIVE", "{view}");
    let order = eventually("the JET order at 5", 20, || {
        let doc = get(&app, &format!("/admin/orders/{jet_order}"), &[OPERATOR]);
        (doc["status"] == 5).then_some(doc)
    });
    assert_eq!(order["history"][1]["reason"], reason, "{order}");
    assert_eq!(failures(&order)[0]["kind"], "kitchen", "{order}");
}
