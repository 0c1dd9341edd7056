//! Issue 19, the reads and actions the operator console needs (CONSOLE5.md section 2):
//! `GET /admin/orders` with filters, keyset pages and `attention`; pausing a restaurant with
//! a reason; `GET /admin/attention` and `GET /admin/stats`; the masked order detail.
//!
//! They run on the Worker with the short retry policy (its JET Connect status updater is
//! the shared sink of `jet_orders`), on restaurants of their own (`cr-…`): other tests' orders
//! never reach these restaurants, and the counts that span every restaurant are checked as
//! "at least".

use std::collections::HashSet;
use std::time::Duration;

use orderbridge_e2e::{expect, request, App, Reply, Sink};
use serde_json::{json, Value};

use crate::AppTest;

pub const FAST_TESTS: &[(&str, AppTest)] = &[
    (
        "console_reads_orders_filter_search_and_walk_pages",
        orders_filter_search_and_walk_pages,
    ),
    (
        "console_reads_pause_with_a_reason_refuses_orders_until_resumed",
        pause_with_a_reason_refuses_orders_until_resumed,
    ),
    (
        "console_reads_attention_lists_a_dead_delivery_until_it_is_replayed",
        attention_lists_a_dead_delivery_until_it_is_replayed,
    ),
    (
        "console_reads_stats_count_the_seeded_orders_by_channel",
        stats_count_the_seeded_orders_by_channel,
    ),
];

const OPERATOR: (&str, &str) = ("X-Flyt-Api-Key", "dev-operator-key");

fn call(app: &App, method: &str, path: &str, body: Option<&Value>) -> Reply {
    let text = body.map(Value::to_string);
    let reply = request(
        method,
        &app.url(path),
        &[OPERATOR, ("Content-Type", "application/json")],
        text.as_deref().map(str::as_bytes),
    )
    .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    crate::conform::check(method, path, &reply);
    reply
}

fn get(app: &App, path: &str) -> Value {
    let reply = call(app, "GET", path, None);
    expect(&reply, 200, path);
    reply.json()
}

/// The fields a 400 names, in order.
fn refused_fields(app: &App, path: &str) -> Vec<String> {
    let reply = call(app, "GET", path, None);
    expect(&reply, 400, path);
    reply.json()["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str().map(str::to_owned))
        .collect()
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

fn ids(doc: &Value) -> Vec<String> {
    doc["orders"]
        .as_array()
        .unwrap_or_else(|| panic!("no orders: {doc}"))
        .iter()
        .map(|o| o["order_id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn set(list: &[String]) -> HashSet<String> {
    list.iter().cloned().collect()
}

/// A site order of `restaurant` numbered `number` from `phone`, with `status_url` if given.
fn site_order(
    app: &App,
    restaurant: &str,
    number: &str,
    phone: &str,
    status_url: Option<&str>,
) -> String {
    let concept = format!("{restaurant}-c");
    let mut doc = crate::orders::order(restaurant, &concept, number, status_url);
    doc["body"]["client"]["phone"] = json!(phone);
    crate::orders::placed(app, &doc)
}

/// Restaurant `a` with five site orders, restaurant `b` with a JET order and a site order
/// whose `status_url` refuses every call (a dead delivery): the orders' ids.
struct Seeded {
    a: Vec<String>,
    b_jet: String,
    b_dead: String,
}

fn seed(app: &App, a: &str, b: &str, tag: &str) -> Seeded {
    crate::orders::setup(app, a, &format!("{a}-c"));
    crate::orders::setup(app, b, &format!("{b}-c"));
    let a_ids: Vec<String> = (1..=5)
        .map(|n| {
            site_order(
                app,
                a,
                &format!("{tag}-a-{n}"),
                &format!("+7 900 555-{tag}-0{n}"),
                None,
            )
        })
        .collect();
    let location = format!("{b}-loc");
    crate::jet_orders::setup(app, &format!("{b}-jet"), &location);
    let jet_id = format!("{tag}-jet-1");
    let reply = crate::jet_orders::post_signed(
        app,
        "/webhooks/jet/orders",
        &crate::jet_orders::partner_order(&jet_id, &location),
    );
    expect(&reply, 202, "jet order");
    let b_jet = reply.json()["OrderId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let sink = Sink::start();
    sink.respond_with(400);
    let b_dead = site_order(
        app,
        b,
        &format!("{tag}-b-dead"),
        "+7 900 555-00-00",
        Some(&sink.url("/st")),
    );
    Seeded {
        a: a_ids,
        b_jet,
        b_dead,
    }
}

fn orders_filter_search_and_walk_pages(app: &App) {
    let (a, b) = ("cr-list-a", "cr-list-b");
    let s = seed(app, a, b, "11");
    let b_jet_restaurant = format!("{b}-jet");

    // One restaurant: its five orders, newest first, each with no attention.
    let all_a = get(app, &format!("/admin/orders?restaurant_id={a}"));
    let listed = ids(&all_a);
    let newest_first: Vec<String> = s.a.iter().rev().cloned().collect();
    assert_eq!(listed, newest_first, "{all_a}");
    assert_eq!(all_a["next_cursor"], Value::Null);
    for o in all_a["orders"].as_array().into_iter().flatten() {
        assert_eq!(o["attention"], json!([]), "{o}");
        assert_eq!(o["restaurant_id"], a);
    }

    // Three pages of two, two and one: no duplicate, no gap, the last without a cursor.
    let mut walked: Vec<String> = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/admin/orders?restaurant_id={a}&limit=2&cursor={c}"),
            None => format!("/admin/orders?restaurant_id={a}&limit=2"),
        };
        let page = get(app, &path);
        pages += 1;
        walked.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
        assert!(pages < 5, "too many pages: {walked:?}");
    }
    assert_eq!(pages, 3);
    assert_eq!(walked, newest_first, "every order once, in order");

    // Channel within a restaurant.
    let jet = get(
        app,
        &format!("/admin/orders?restaurant_id={b_jet_restaurant}&channel=jet"),
    );
    assert_eq!(ids(&jet), vec![s.b_jet.clone()], "{jet}");
    let site = get(
        app,
        &format!("/admin/orders?restaurant_id={b_jet_restaurant}&channel=site"),
    );
    assert!(ids(&site).is_empty(), "{site}");

    // Status: one order moved to 10.
    let moved = &s.a[1];
    let reply = call(
        app,
        "POST",
        &format!("/admin/orders/{moved}/status"),
        Some(&json!({"status": 10})),
    );
    expect(&reply, 200, "status 10");
    assert_eq!(
        ids(&get(
            app,
            &format!("/admin/orders?restaurant_id={a}&status=10")
        )),
        vec![moved.clone()]
    );
    assert_eq!(
        set(&ids(&get(
            app,
            &format!("/admin/orders?restaurant_id={a}&status=0")
        ))),
        set(&s.a).into_iter().filter(|id| id != moved).collect()
    );
    assert!(ids(&get(
        app,
        &format!("/admin/orders?restaurant_id={a}&status=30")
    ))
    .is_empty());

    // Time range: from inclusive, to exclusive, on created_at.
    let created: Vec<String> = all_a["orders"]
        .as_array()
        .into_iter()
        .flatten()
        .rev()
        .map(|o| o["created_at"].as_str().unwrap_or_default().to_owned())
        .collect();
    let (from, to) = (&created[1], &created[3]);
    let ranged = ids(&get(
        app,
        &format!("/admin/orders?restaurant_id={a}&from={from}&to={to}"),
    ));
    let expected: Vec<String> =
        s.a.iter()
            .zip(&created)
            .filter(|(_, at)| at.as_str() >= from.as_str() && at.as_str() < to.as_str())
            .map(|(id, _)| id.clone())
            .rev()
            .collect();
    assert!(!expected.is_empty());
    assert_eq!(ranged, expected);
    assert!(ids(&get(
        app,
        &format!("/admin/orders?restaurant_id={a}&to={}", created[0])
    ))
    .is_empty());

    // Search: the number, the Just Eat id, the phone in another spelling.
    assert_eq!(
        ids(&get(app, "/admin/orders?q=11-a-3")),
        vec![s.a[2].clone()]
    );
    assert_eq!(
        ids(&get(app, "/admin/orders?q=11-jet-1")),
        vec![s.b_jet.clone()]
    );
    assert_eq!(
        ids(&get(app, "/admin/orders?q=8(900)5551104")),
        vec![s.a[3].clone()]
    );
    assert_eq!(
        ids(&get(app, "/admin/orders?q=%2B79005551104")),
        vec![s.a[3].clone()]
    );
    assert!(ids(&get(app, "/admin/orders?q=11-a-none")).is_empty());
    // The existing filters as they were.
    assert_eq!(
        ids(&get(
            app,
            "/admin/orders?channel=jet&external_id=11-jet-1&limit=5"
        )),
        vec![s.b_jet.clone()]
    );

    // Needs attention: the dead status call of b's order, and only there.
    let flagged = eventually("the dead delivery flagged", 30, || {
        let doc = get(
            app,
            &format!("/admin/orders?restaurant_id={b}&attention=true"),
        );
        (!ids(&doc).is_empty()).then_some(doc)
    });
    assert_eq!(ids(&flagged), vec![s.b_dead.clone()]);
    assert_eq!(flagged["orders"][0]["attention"], json!(["dead_delivery"]));
    assert!(ids(&get(
        app,
        &format!("/admin/orders?restaurant_id={a}&attention=true")
    ))
    .is_empty());
    let plain = get(
        app,
        &format!("/admin/orders?restaurant_id={b}&attention=false"),
    );
    assert_eq!(ids(&plain), vec![s.b_dead.clone()]);
    assert_eq!(plain["orders"][0]["attention"], json!(["dead_delivery"]));

    // Each bad parameter is named; all at once in one 400.
    for (query, field) in [
        ("channel=fax", "channel"),
        ("status=7", "status"),
        ("from=yesterday", "from"),
        ("to=2026-13-01T00:00:00Z", "to"),
        ("attention=yes", "attention"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("cursor=zz", "cursor"),
        ("cursor=3230323", "cursor"),
    ] {
        assert_eq!(
            refused_fields(app, &format!("/admin/orders?{query}")),
            [field],
            "{query}"
        );
    }
    assert_eq!(
        refused_fields(
            app,
            "/admin/orders?channel=fax&status=1&limit=1000&cursor=nope"
        ),
        ["channel", "status", "limit", "cursor"]
    );
}

/// The `(code, field)` pairs of a refusal.
fn errors_of(reply: &Reply) -> Vec<(String, String)> {
    reply.json()["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["code"].as_str().unwrap_or_default().to_owned(),
                e["field"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn listed_restaurant(app: &App, id: &str) -> Value {
    let doc = get(app, "/admin/restaurants");
    let all = doc["restaurants"].as_array().cloned().unwrap_or_default();
    let ids: Vec<&str> = all.iter().filter_map(|r| r["id"].as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "ordered by id");
    all.iter()
        .find(|r| r["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("{id} not listed: {doc}"))
}

fn pause_with_a_reason_refuses_orders_until_resumed(app: &App) {
    let id = "cr-pause";
    let concept = "cr-pause-c";
    crate::orders::setup(app, id, concept);
    let pause = format!("/admin/restaurants/{id}/pause");
    let state = |what: &str| {
        let doc = get(app, &format!("/admin/restaurants/{id}"));
        (
            doc["online"].clone(),
            doc["pause_reason"].clone(),
            doc["offline_until"].clone(),
            what.to_owned(),
        )
    };
    let order = |n: &str| {
        let doc = crate::orders::order(id, concept, &format!("cr-pause-{n}"), None);
        call(app, "POST", "/site-api/order", Some(&doc))
    };

    let listed = listed_restaurant(app, id);
    assert_eq!(listed["online"], true, "{listed}");
    assert_eq!(listed["pause_reason"], Value::Null);
    assert_eq!(listed["offline_until"], Value::Null);
    assert_eq!(listed["time_zone"], "+03:00");
    assert_eq!(
        listed["concepts"],
        json!([{"id": concept, "name": "Вкусные суши"}])
    );
    assert_eq!(listed["service_hours"]["start_time"], 0);
    assert_eq!(listed["service_hours"]["end_time"], 86400);

    // Bad reasons and times: 400 naming each, and nothing changes.
    for (body, expected) in [
        (json!({"reason": "   "}), vec![("missing_field", "reason")]),
        (json!({}), vec![("missing_field", "reason")]),
        (
            json!({"reason": "x".repeat(201)}),
            vec![("invalid_reason", "reason")],
        ),
        (
            json!({"reason": "ok", "until": "2020-01-01T00:00"}),
            vec![("invalid_until", "until")],
        ),
        (
            json!({"reason": "", "until": "tomorrow"}),
            vec![("missing_field", "reason"), ("invalid_until", "until")],
        ),
    ] {
        let reply = call(app, "PUT", &pause, Some(&body));
        expect(&reply, 400, &body.to_string());
        let expected: Vec<(String, String)> = expected
            .into_iter()
            .map(|(c, f)| (c.to_owned(), f.to_owned()))
            .collect();
        assert_eq!(errors_of(&reply), expected, "{body}");
    }
    let reply = call(app, "PUT", &pause, Some(&json!({"reason": 5})));
    expect(&reply, 400, "a reason that is not text");
    assert_eq!(state("after refusals").0, true);
    assert_eq!(state("after refusals").1, Value::Null);
    expect(&order("1"), 200, "an order while open");
    let reply = call(
        app,
        "PUT",
        "/admin/restaurants/cr-nope/pause",
        Some(&json!({"reason": "x"})),
    );
    expect(&reply, 404, "unknown restaurant");

    // Paused: the reason shows, the site API refuses orders as it does for /offline.
    let reply = call(
        app,
        "PUT",
        &pause,
        Some(&json!({"reason": "  Kitchen flooded "})),
    );
    expect(&reply, 202, "pause");
    let (online, reason, until, _) = state("paused");
    assert_eq!(
        (online, reason, until),
        (json!(false), json!("Kitchen flooded"), Value::Null)
    );
    let listed = listed_restaurant(app, id);
    assert_eq!(listed["online"], false);
    assert_eq!(listed["pause_reason"], "Kitchen flooded");
    let refused = order("2");
    expect(&refused, 400, "an order while paused");
    assert!(
        errors_of(&refused)
            .contains(&("restaurant_offline".to_owned(), "restaurant_id".to_owned())),
        "{}",
        refused.body
    );

    // Paused until a local time: shown in the restaurant's zone.
    let reply = call(
        app,
        "PUT",
        &pause,
        Some(&json!({"reason": "Back after the holidays", "until": "2099-01-02T12:30"})),
    );
    expect(&reply, 202, "pause until");
    let (online, reason, until, _) = state("paused until");
    assert_eq!(online, false);
    assert_eq!(reason, "Back after the holidays");
    assert_eq!(until, "2099-01-02T12:30:00.000+03:00");
    assert_eq!(
        listed_restaurant(app, id)["offline_until"],
        "2099-01-02T12:30:00.000+03:00"
    );

    // Resumed: online, no reason, orders taken.
    let reply = call(app, "DELETE", &pause, None);
    expect(&reply, 202, "resume");
    let (online, reason, until, _) = state("resumed");
    assert_eq!(
        (online, reason, until),
        (json!(true), Value::Null, Value::Null)
    );
    assert_eq!(listed_restaurant(app, id)["pause_reason"], Value::Null);
    expect(&order("3"), 200, "an order after resuming");
    let reply = call(app, "DELETE", "/admin/restaurants/cr-nope/pause", None);
    expect(&reply, 404, "unknown restaurant");
}

fn dead_ids(doc: &Value) -> Vec<String> {
    doc["dead_deliveries"]
        .as_array()
        .unwrap_or_else(|| panic!("no dead_deliveries: {doc}"))
        .iter()
        .map(|d| d["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn attention_lists_a_dead_delivery_until_it_is_replayed(app: &App) {
    let id = "cr-att";
    crate::orders::setup(app, id, &format!("{id}-c"));
    let sink = Sink::start();
    sink.respond_with(400);
    let order_id = site_order(
        app,
        id,
        "cr-att-1",
        "+7 900 555-77-21",
        Some(&sink.url("/st")),
    );
    let path = format!("/admin/attention?restaurant_id={id}");

    let doc = eventually("the dead delivery listed", 30, || {
        let doc = get(app, &path);
        (!dead_ids(&doc).is_empty()).then_some(doc)
    });
    let dead = &doc["dead_deliveries"][0];
    assert_eq!(dead["order_id"], order_id.as_str(), "{doc}");
    assert_eq!(dead["receiver"], "site_status");
    assert_eq!(dead["attempts"], 1);
    assert!(
        dead["last_error"]
            .as_str()
            .unwrap_or_default()
            .contains("400"),
        "{dead}"
    );
    assert!(
        dead["url"]
            .as_str()
            .unwrap_or_default()
            .contains("/st?status=0"),
        "{dead}"
    );
    let delivery = dead["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        ids(&json!({"orders": doc["orders"]})),
        vec![order_id.clone()]
    );
    assert_eq!(doc["orders"][0]["attention"], json!(["dead_delivery"]));
    assert!(
        doc["queries_waiting"].is_array() && doc["backup_flow"].is_array(),
        "{doc}"
    );
    // Unfiltered, it is there too, among whatever else has failed.
    assert!(dead_ids(&get(app, "/admin/attention")).contains(&delivery));
    assert_eq!(
        refused_fields(
            app,
            &format!("/admin/attention?restaurant_id={}", "r".repeat(65))
        ),
        ["restaurant_id"]
    );

    // The delivery log shows each attempt's code and latency.
    let log = get(app, &format!("/admin/deliveries?order_id={order_id}"));
    let attempt = &log["deliveries"][0]["attempts"][0];
    assert_eq!(attempt["status_code"], 400, "{log}");
    assert!(attempt["latency_ms"].is_u64(), "{log}");

    // The order's detail, masked on request; as stored otherwise.
    let full = get(app, &format!("/admin/orders/{order_id}"));
    assert_eq!(full["order"]["body"]["client"]["phone"], "+7 900 555-77-21");
    let masked = get(app, &format!("/admin/orders/{order_id}?personal=masked"));
    let body = &masked["order"]["body"];
    assert_eq!(body["client"]["phone"], "*********21", "{masked}");
    assert_eq!(body["client"]["name"], "***");
    assert_eq!(body["address"]["name"], "***");
    assert_eq!(body["address"]["zone_id"], format!("{id}-z"));
    assert_eq!(masked["order_id"], order_id.as_str());
    assert_eq!(
        refused_fields(app, &format!("/admin/orders/{order_id}?personal=all")),
        ["personal"]
    );

    // Replayed to a receiver that now takes it: gone from the list.
    sink.respond_with(200);
    let reply = call(
        app,
        "POST",
        &format!("/admin/deliveries/{delivery}/replay"),
        None,
    );
    expect(&reply, 202, "replay");
    eventually("the replayed delivery gone from attention", 30, || {
        let doc = get(app, &path);
        (dead_ids(&doc).is_empty() && ids(&json!({"orders": doc["orders"]})).is_empty())
            .then_some(())
    });
    assert!(!dead_ids(&get(app, "/admin/attention")).contains(&delivery));
    let listed = get(app, &format!("/admin/orders?restaurant_id={id}"));
    assert_eq!(listed["orders"][0]["attention"], json!([]), "{listed}");
}

/// The sum over the buckets of `channel` (or of `failed`).
fn bucket_sum(doc: &Value, pick: impl Fn(&Value) -> i64) -> i64 {
    doc["buckets"]
        .as_array()
        .into_iter()
        .flatten()
        .map(pick)
        .sum()
}

fn stats_count_the_seeded_orders_by_channel(app: &App) {
    let id = "cr-stats";
    crate::orders::setup(app, id, &format!("{id}-c"));
    site_order(app, id, "cr-stats-1", "+7 900 555-88-01", None);
    site_order(app, id, "cr-stats-2", "+7 900 555-88-02", None);
    let sink = Sink::start();
    sink.respond_with(400);
    site_order(
        app,
        id,
        "cr-stats-3",
        "+7 900 555-88-03",
        Some(&sink.url("/st")),
    );
    let location = "cr-stats-loc";
    crate::jet_orders::setup(app, "cr-stats-jet", location);
    let reply = crate::jet_orders::post_signed(
        app,
        "/webhooks/jet/orders",
        &crate::jet_orders::partner_order("cr-stats-jet-1", location),
    );
    expect(&reply, 202, "jet order");

    let doc = eventually("the failed order counted", 30, || {
        let doc = get(app, &format!("/admin/stats?restaurant_id={id}"));
        (doc["totals"]["failed"] == 1).then_some(doc)
    });
    assert_eq!(doc["window"], "24h");
    assert_eq!(doc["bucket"], "hour");
    assert_eq!(doc["buckets"].as_array().map(Vec::len), Some(24));
    assert_eq!(
        bucket_sum(&doc, |b| b["orders"]["site"].as_i64().unwrap_or(0)),
        3,
        "{doc}"
    );
    assert_eq!(
        bucket_sum(&doc, |b| b["orders"]["jet"].as_i64().unwrap_or(0)),
        0
    );
    assert_eq!(bucket_sum(&doc, |b| b["failed"].as_i64().unwrap_or(0)), 1);
    assert_eq!(doc["totals"]["orders"], 3);
    assert_eq!(doc["totals"]["failed_share"], 0.3333);
    assert!(
        doc["callback_latency_ms"]["samples"].as_u64().unwrap_or(0) >= 1,
        "{doc}"
    );
    assert!(doc["callback_latency_ms"]["p50"].is_u64(), "{doc}");
    assert!(doc["callback_latency_ms"]["p95"].is_u64(), "{doc}");

    let jet = get(app, "/admin/stats?restaurant_id=cr-stats-jet&window=24h");
    assert_eq!(
        bucket_sum(&jet, |b| b["orders"]["jet"].as_i64().unwrap_or(0)),
        1,
        "{jet}"
    );
    assert_eq!(jet["totals"]["orders"], 1);

    // Every restaurant: at least these; by day over a week.
    let all = get(app, "/admin/stats");
    assert!(all["totals"]["orders"].as_i64().unwrap_or(0) >= 4, "{all}");
    let week = get(app, &format!("/admin/stats?window=7d&restaurant_id={id}"));
    assert_eq!(week["bucket"], "day");
    assert_eq!(week["buckets"].as_array().map(Vec::len), Some(7));
    assert_eq!(week["totals"]["orders"], 3);
    assert_eq!(
        refused_fields(
            app,
            &format!("/admin/stats?window=1y&restaurant_id={}", "r".repeat(65))
        ),
        ["window", "restaurant_id"]
    );
}
