//! Issue 21: old orders leave D1 for the archive (R2, gzip NDJSON) and can still be found.
//! A Worker of its own (the run archives every old order of its D1): orders placed, moved
//! to a final state and aged in local D1 (`App::d1`, as `tests/browser/console.mjs` does:
//! the Worker's clock cannot move), then `POST /admin/archive/run`.

use orderbridge_e2e::{demo_zone, expect, request, App, AppOptions, Reply};
use serde_json::{json, Value};

use crate::scale_rows::{call, menu, order, restaurant};
use crate::PlainTest;

pub const PLAIN_TESTS: &[(&str, PlainTest)] = &[(
    "archive_old_final_orders_leave_d1_and_are_still_found",
    old_final_orders_leave_d1_and_are_still_found,
)];

const OPERATOR: (&str, &str) = ("X-Flyt-Api-Key", "dev-operator-key");
/// Older than any `ARCHIVE_AFTER_DAYS` (at most ten years).
const LONG_AGO: &str = "2015-01-01T00:00:00.000Z";
const LONG_AGO_SECS: i64 = 1_420_070_400;

fn operator(app: &App, method: &str, path: &str) -> Reply {
    call(app, method, path, &[OPERATOR], &json!({}))
}

fn place(app: &App, number: &str) -> String {
    let address = json!({"name": "Москва", "zone_id": "R0-z"});
    let reply = call(app, "POST", "/site-api/order", &[], &order(number, address));
    expect(&reply, 200, number);
    reply.json()["order_id"]
        .as_str()
        .unwrap_or_else(|| panic!("no order_id: {}", reply.body))
        .to_owned()
}

fn walk(app: &App, id: &str, statuses: &[i64]) {
    for status in statuses {
        let path = format!("/admin/orders/{id}/status");
        let reply = call(
            app,
            "POST",
            &path,
            &[OPERATOR],
            &json!({ "status": status }),
        );
        expect(&reply, 200, &format!("{id} to {status}"));
    }
}

fn listed(app: &App) -> Vec<String> {
    let reply = operator(app, "GET", "/admin/orders?restaurant_id=R0&limit=100");
    expect(&reply, 200, "order list");
    reply.json()["orders"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|o| o["order_id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn count(app: &App, sql: &str) -> i64 {
    app.d1(sql)[0]["n"].as_i64().unwrap_or(-1)
}

fn ids(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn old_final_orders_leave_d1_and_are_still_found() {
    let app = App::spawn(AppOptions {
        demo_data: false,
        ..AppOptions::default()
    });
    restaurant(&app, "R0", vec![demo_zone("R0-z")]);
    menu(&app, "R0");
    let delivered = place(&app, "arch-delivered");
    walk(&app, &delivered, &[10, 20, 30]);
    let cancelled = place(&app, "arch-cancelled");
    walk(&app, &cancelled, &[5]);
    let open = place(&app, "arch-open");
    walk(&app, &open, &[10]);
    let owed = place(&app, "arch-owed");
    walk(&app, &owed, &[10, 20, 30]);
    let fresh = place(&app, "arch-fresh");
    walk(&app, &fresh, &[5]);

    // Aged: every order but `fresh`; `owed` still owes a call (a pending delivery); one
    // settled delivery-log row of no order, as old, with its attempt.
    let aged = [&delivered, &cancelled, &open, &owed]
        .map(|id| format!("'{id}'"))
        .join(",");
    app.d1(&format!(
        "UPDATE orders SET created_at = '{LONG_AGO}', updated_at = '{LONG_AGO}' WHERE id IN ({aged})"
    ));
    app.d1(&format!(
        "INSERT INTO outbox (id, receiver, order_id, order_key, method, url, body, created_at, \
             status, next_attempt_at, updated_at) VALUES \
         ('dl_archive_owed', 'site_status', '{owed}', 'site_status:{owed}', 'GET', \
             'https://example.com/s', '', {LONG_AGO_SECS}, 'pending', {LONG_AGO_SECS}, {LONG_AGO_SECS}), \
         ('dl_archive_log', 'jet_catalog', NULL, NULL, 'POST', 'https://example.com/c', '{{}}', \
             {LONG_AGO_SECS}, 'delivered', NULL, {LONG_AGO_SECS})"
    ));
    app.d1(&format!(
        "INSERT INTO outbox_attempts (delivery_id, number, started_at, latency_ms, status_code, \
             verdict) VALUES ('dl_archive_log', 1, {}, 12, 200, 'delivered')",
        LONG_AGO_SECS * 1000
    ));
    assert_eq!(listed(&app).len(), 5);

    // Bad parameters are refused by name, and nothing moves.
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=many", "limit"),
        ("limt=5", "limt"),
    ] {
        let reply = operator(&app, "POST", &format!("/admin/archive/run?{query}"));
        expect(&reply, 400, query);
        assert!(reply.body.contains(field), "{query}: {}", reply.body);
    }
    assert_eq!(listed(&app).len(), 5);
    let reply = request("POST", &app.url("/admin/archive/run"), &[], None).expect("answer");
    expect(&reply, 401, "no key");

    // The run: the two old final orders and the log row go; the open order, the one that
    // owes a call and the recent one stay.
    let reply = operator(&app, "POST", "/admin/archive/run");
    expect(&reply, 200, "archive run");
    let run = reply.json();
    let mut want = vec![delivered.clone(), cancelled.clone()];
    want.sort();
    assert_eq!(ids(&run["orders"]), want, "{run}");
    assert_eq!(run["deliveries"], 1, "{run}");
    assert_eq!(run["encoding"], "gzip", "{run}");
    let key = run["object_key"].as_str().expect("object_key").to_owned();
    assert!(
        key.starts_with("orders/") && key.ends_with(".ndjson.gz"),
        "{key}"
    );
    let kept: Vec<(String, String)> = run["kept"]
        .as_array()
        .expect("kept")
        .iter()
        .map(|k| {
            (
                k["order_id"].as_str().unwrap_or_default().to_owned(),
                k["reason"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    // (The open order is no candidate at all: the read asks for final statuses only.)
    assert_eq!(
        kept,
        vec![(owed.clone(), "open_delivery".to_owned())],
        "{run}"
    );
    let stored = run["stored_bytes"].as_i64().unwrap_or(0);
    assert!(
        stored > 0 && stored < run["bytes"].as_i64().unwrap_or(0),
        "{run}"
    );

    // Gone from D1: the list, and every row that hung off them.
    let mut left = listed(&app);
    left.sort();
    let mut stay = vec![open.clone(), owed.clone(), fresh.clone()];
    stay.sort();
    assert_eq!(left, stay);
    let gone = format!("'{delivered}','{cancelled}'");
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) AS n FROM orders WHERE id IN ({gone})")
        ),
        0
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) AS n FROM order_statuses WHERE order_id IN ({gone})")
        ),
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM outbox_attempts WHERE delivery_id = 'dl_archive_log'"
        ),
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM outbox WHERE id = 'dl_archive_log'"
        ),
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM outbox WHERE id = 'dl_archive_owed'"
        ),
        1
    );

    // Still found: by id, with its number, lines and history, marked archived.
    let reply = operator(&app, "GET", &format!("/admin/orders/{delivered}"));
    expect(&reply, 200, "archived order");
    let doc = reply.json();
    assert_eq!(doc["archived"], true, "{doc}");
    assert_eq!(doc["order_id"], delivered.as_str());
    assert_eq!(doc["number"], "arch-delivered");
    assert_eq!(doc["status"], 30);
    assert_eq!(doc["archive"]["object_key"], key.as_str());
    assert_eq!(
        doc["order"]["body"]["cart"]["items"]
            .as_array()
            .map(Vec::len),
        Some(2),
        "{doc}"
    );
    let history: Vec<i64> = doc["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|h| h["status"].as_i64())
        .collect();
    assert_eq!(history, vec![0, 10, 20, 30], "{doc}");
    let reply = operator(&app, "GET", &format!("/admin/orders/{cancelled}"));
    expect(&reply, 200, "archived cancelled order");
    assert_eq!(reply.json()["status"], 5);
    // By number, as the console searches.
    let reply = operator(&app, "GET", "/admin/orders?q=arch-cancelled");
    expect(&reply, 200, "search");
    let found = reply.json();
    assert_eq!(found["orders"].as_array().map(Vec::len), Some(0), "{found}");
    assert_eq!(
        found["archived"][0]["order_id"],
        cancelled.as_str(),
        "{found}"
    );
    assert_eq!(found["archived"][0]["object_key"], key.as_str(), "{found}");
    // A live order reads as before; an unknown one is still a 404.
    let reply = operator(&app, "GET", &format!("/admin/orders/{open}"));
    expect(&reply, 200, "live order");
    assert!(reply.json().get("archived").is_none());
    expect(
        &operator(&app, "GET", "/admin/orders/ord_nope"),
        404,
        "unknown order",
    );

    // Twice: nothing more.
    let reply = operator(&app, "POST", "/admin/archive/run?limit=100");
    expect(&reply, 200, "second run");
    let again = reply.json();
    assert_eq!(again["object_key"], Value::Null, "{again}");
    assert_eq!(ids(&again["orders"]), Vec::<String>::new(), "{again}");
    assert_eq!(listed(&app).len(), 3);

    // The batches.
    let reply = operator(&app, "GET", "/admin/archive");
    expect(&reply, 200, "batches");
    let batches = reply.json();
    assert_eq!(batches["after_days"], 90, "{batches}");
    assert_eq!(
        batches["batches"].as_array().map(Vec::len),
        Some(1),
        "{batches}"
    );
    assert_eq!(batches["batches"][0]["object_key"], key.as_str());
    assert_eq!(batches["batches"][0]["orders"], 2);
    assert_eq!(batches["batches"][0]["deliveries"], 1);
    expect(
        &operator(&app, "GET", "/admin/archive?limit=101"),
        400,
        "list limit",
    );
}
