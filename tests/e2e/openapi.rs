//! Issue 9, the OpenAPI document: `GET /openapi.json` serves the file, and every route
//! family (health, site API, admin, JET Connect, Just Eat's webhooks and Orderconnect,
//! the upstream callback) answers its successes and its errors exactly as the document describes
//! ([`crate::conform`]). The other suites' request helpers check their answers the same
//! way; this suite makes sure each family is covered on both paths at least once.
//!
//! Ids start `e2e-oa-`, so the suite shares the Worker with the others.

use orderbridge_e2e::{repo_root, request, App, Reply};
use serde_json::{json, Value};

use crate::conform::{check, validate};
use crate::{jet_orders, orders, AppTest, PlainTest};

pub const TESTS: &[(&str, AppTest)] = &[
    (
        "openapi_the_document_is_served_as_written",
        the_document_is_served_as_written,
    ),
    ("openapi_site_api_answers_conform", site_api_answers_conform),
    ("openapi_admin_answers_conform", admin_answers_conform),
    (
        "openapi_jet_connect_answers_conform",
        jet_connect_answers_conform,
    ),
    ("openapi_webhook_answers_conform", webhook_answers_conform),
];

/// The checker itself, without a Worker: it must be able to fail.
pub const PLAIN_TESTS: &[(&str, PlainTest)] = &[(
    "openapi_the_checker_refuses_wrong_bodies_and_undocumented_statuses",
    the_checker_refuses_wrong_bodies_and_undocumented_statuses,
)];

const OPERATOR: (&str, &str) = ("X-Flyt-Api-Key", "dev-operator-key");
const SITE_KEY: (&str, &str) = ("X-Jup-Api-Key", "dev-site-key");

/// Sends one request, asserts its status and checks the answer against the document.
fn exchange(
    app: &App,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
    status: u16,
) -> Reply {
    let text = body.map(Value::to_string);
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    let reply = request(
        method,
        &app.url(path),
        &all,
        text.as_deref().map(str::as_bytes),
    )
    .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    assert_eq!(reply.status, status, "{method} {path}: {}", reply.body);
    check(method, path, &reply);
    reply
}

fn the_document_is_served_as_written(app: &App) {
    let reply = exchange(app, "GET", "/openapi.json", &[], None, 200);
    let file = std::fs::read_to_string(repo_root().join("web/openapi.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reply.body, file);
    assert_eq!(reply.header("Access-Control-Allow-Origin"), Some("*"));
    assert!(reply
        .header("Content-Type")
        .is_some_and(|t| t.starts_with("application/json")));
    exchange(app, "GET", "/health", &[], None, 200);
}

fn site_api_answers_conform(app: &App) {
    let (id, concept) = ("e2e-oa-site", "e2e-oa-c");
    orders::setup(app, id, concept);
    let q = format!("restaurant_id={id}&concept_id={concept}");
    exchange(app, "GET", "/site-api/restaurants", &[], None, 200);
    let one = format!("/site-api/restaurants?restaurant_id={id}");
    let reply = exchange(app, "GET", &one, &[], None, 200);
    let etag = reply.header("ETag").unwrap_or_default().to_owned();
    exchange(app, "GET", &one, &[("If-None-Match", &etag)], None, 304);
    exchange(
        app,
        "GET",
        &format!("/site-api/delivery_zones?{q}"),
        &[],
        None,
        200,
    );
    exchange(app, "GET", "/site-api/delivery_zones", &[], None, 400);
    exchange(
        app,
        "GET",
        "/site-api/delivery_zones?restaurant_id=e2e-oa-nowhere",
        &[],
        None,
        404,
    );
    exchange(app, "GET", &format!("/site-api/menu?{q}"), &[], None, 200);
    exchange(
        app,
        "GET",
        &format!("/site-api/menu?restaurant_id={id}"),
        &[],
        None,
        400,
    );
    exchange(
        app,
        "GET",
        &format!("/site-api/stop_list?restaurant_id={id}"),
        &[],
        None,
        200,
    );
    exchange(
        app,
        "OPTIONS",
        "/site-api/menu",
        &[("Origin", "http://localhost:5173")],
        None,
        204,
    );

    // An order: accepted, then read back; a broken one lists its violations.
    let doc = orders::order(id, concept, "e2e-oa-1", None);
    let placed = exchange(app, "POST", "/site-api/order", &[], Some(&doc), 200);
    let order_id = placed.json()["order_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    exchange(
        app,
        "GET",
        &format!("/site-api/orders/{order_id}"),
        &[],
        None,
        200,
    );
    exchange(app, "GET", "/site-api/orders/e2e-oa-none", &[], None, 404);
    let mut small = orders::order(id, concept, "e2e-oa-2", None);
    small["body"]["cart"]["items"] = json!([{"id": "T20231", "count": 1, "cost": 500}]);
    small["body"]["cart"]["total"] = json!(500);
    small["body"]["payment"]["sum"] = json!(500);
    let refused = exchange(app, "POST", "/site-api/order", &[], Some(&small), 400);
    assert!(refused.body.contains("cart"), "{}", refused.body);
    let mut other = doc.clone();
    other["body"]["comment"] = json!("not the same order");
    exchange(app, "POST", "/site-api/order", &[], Some(&other), 409);

    // The client: the site key is required; the phone must be a phone.
    exchange(
        app,
        "GET",
        "/site-api/client?phone=79229883322",
        &[],
        None,
        401,
    );
    exchange(
        app,
        "GET",
        "/site-api/client?phone=79229883322",
        &[SITE_KEY],
        None,
        200,
    );
    exchange(
        app,
        "GET",
        "/site-api/client?phone=12",
        &[SITE_KEY],
        None,
        400,
    );
    exchange(
        app,
        "GET",
        "/site-api/client?phone=70000000001",
        &[SITE_KEY],
        None,
        404,
    );
}

fn admin_answers_conform(app: &App) {
    let (id, concept) = ("e2e-oa-admin", "e2e-oa-c");
    orders::setup(app, id, concept);
    exchange(
        app,
        "GET",
        &format!("/admin/restaurants/{id}"),
        &[OPERATOR],
        None,
        200,
    );
    exchange(
        app,
        "GET",
        &format!("/admin/restaurants/{id}"),
        &[],
        None,
        401,
    );
    exchange(
        app,
        "GET",
        "/admin/restaurants/e2e-oa-nowhere",
        &[OPERATOR],
        None,
        404,
    );
    let bad = json!({"id": id});
    exchange(
        app,
        "PUT",
        &format!("/admin/restaurants/{id}"),
        &[OPERATOR],
        Some(&bad),
        400,
    );
    let zones =
        format!("/admin/delivery_zones/e2e-oa-nozone?restaurant_id={id}&concept_id={concept}");
    exchange(app, "DELETE", &zones, &[OPERATOR], None, 404);
    let zone = format!("/admin/delivery_zones/{id}-z?restaurant_id={id}&concept_id={concept}");
    exchange(app, "DELETE", &zone, &[OPERATOR], None, 200);
    let menu = format!("/admin/menu?restaurant_id={id}&concept_id={concept}");
    exchange(
        app,
        "PUT",
        &menu,
        &[OPERATOR],
        Some(&json!({"menu": 1})),
        400,
    );
    exchange(
        app,
        "PUT",
        "/admin/stop_list",
        &[OPERATOR],
        Some(&json!({})),
        400,
    );
    exchange(app, "POST", "/admin/sync", &[], None, 401);

    // An order moved through the lifecycle, and a move it does not allow.
    orders::setup(app, "e2e-oa-life", concept);
    let doc = orders::order("e2e-oa-life", concept, "e2e-oa-3", None);
    let placed = exchange(app, "POST", "/site-api/order", &[], Some(&doc), 200);
    let order_id = placed.json()["order_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let path = format!("/admin/orders/{order_id}/status");
    exchange(
        app,
        "POST",
        &path,
        &[OPERATOR],
        Some(&json!({"status": 10})),
        200,
    );
    exchange(
        app,
        "POST",
        &path,
        &[OPERATOR],
        Some(&json!({"status": 0})),
        409,
    );
    exchange(
        app,
        "POST",
        &path,
        &[OPERATOR],
        Some(&json!({"status": 7})),
        400,
    );
    exchange(
        app,
        "POST",
        "/admin/orders/e2e-oa-none/status",
        &[OPERATOR],
        Some(&json!({"status": 10})),
        404,
    );
    exchange(
        app,
        "GET",
        &format!("/admin/deliveries?order_id={order_id}"),
        &[OPERATOR],
        None,
        200,
    );
    exchange(
        app,
        "GET",
        "/admin/deliveries?status=sideways",
        &[OPERATOR],
        None,
        400,
    );
    exchange(
        app,
        "POST",
        "/admin/deliveries/e2e-oa-none/replay",
        &[OPERATOR],
        None,
        404,
    );
    exchange(
        app,
        "GET",
        "/admin/jet/orders/e2e-oa-none",
        &[OPERATOR],
        None,
        404,
    );
    exchange(
        app,
        "GET",
        "/admin/jet/menu-callbacks",
        &[OPERATOR],
        None,
        200,
    );

    // The upstream Jupiter's callback: this order was not forwarded, so it has no token,
    // and no token is right (an order's existence is not told without one).
    let callback = format!("/callbacks/jupiter/orders/{order_id}?token=x&status=20");
    exchange(app, "GET", &callback, &[], None, 401);
}

fn jet_connect_answers_conform(app: &App) {
    let (id, location) = ("e2e-oa-jet", "e2e-oa-jet-loc");
    jet_orders::setup(app, id, location);
    let base = format!("/jet-connect/restaurants/{id}");
    let offline = json!({"reason": "closed by e2e"});
    exchange(
        app,
        "PUT",
        &format!("{base}/offline"),
        &[OPERATOR],
        Some(&offline),
        202,
    );
    exchange(
        app,
        "PUT",
        &format!("{base}/online"),
        &[OPERATOR],
        None,
        202,
    );
    exchange(app, "PUT", &format!("{base}/online"), &[], None, 401);
    exchange(
        app,
        "PUT",
        "/jet-connect/restaurants/e2e-oa-nowhere/online",
        &[OPERATOR],
        None,
        404,
    );
    exchange(
        app,
        "PUT",
        &format!("{base}/servicetimes"),
        &[OPERATOR],
        Some(&json!([])),
        400,
    );
    let availability = json!({
        "event": "UNAVAILABLE", "itemReferences": ["OUT1"], "restaurant": id,
        "happenedAt": "2030-01-01T00:00:00Z"
    });
    exchange(
        app,
        "POST",
        "/jet-connect/item-availability",
        &[OPERATOR],
        Some(&availability),
        202,
    );
    exchange(
        app,
        "POST",
        "/jet-connect/menus",
        &[OPERATOR],
        Some(&json!({"menus": 5})),
        400,
    );
}

fn webhook_answers_conform(app: &App) {
    let (id, location) = ("e2e-oa-hook", "e2e-oa-hook-loc");
    jet_orders::setup(app, id, location);
    let order = jet_orders::partner_order("e2e-oa-hook-1", location);
    let reply = jet_orders::post_signed(app, "/webhooks/jet/orders", &order);
    assert_eq!(reply.status, 202, "{}", reply.body);
    check("POST", "/webhooks/jet/orders", &reply);
    exchange(
        app,
        "POST",
        "/webhooks/jet/orders",
        &[("X-JET-Connect-Hash", "nope")],
        Some(&order),
        401,
    );
    let broken = jet_orders::post_signed(app, "/webhooks/jet/orders", &json!({"id": 5}));
    assert_eq!(broken.status, 400, "{}", broken.body);
    check("POST", "/webhooks/jet/orders", &broken);
    let cancel = json!({
        "orderID": "e2e-oa-hook-unknown", "reason": {"code": "custCancelledMadeMistake"},
        "happenedAt": "2030-01-01T00:00:00Z"
    });
    let unknown = jet_orders::post_signed(app, "/webhooks/jet/orders/cancel", &cancel);
    assert_eq!(unknown.status, 400, "{}", unknown.body);
    assert!(unknown.json().get("message").is_some(), "{}", unknown.body);
    check("POST", "/webhooks/jet/orders/cancel", &unknown);
    let final_broken = jet_orders::post_signed(app, "/webhooks/jet/orders/final", &json!([]));
    assert_eq!(final_broken.status, 400, "{}", final_broken.body);
    check("POST", "/webhooks/jet/orders/final", &final_broken);
    let callback = json!({"restaurant": location, "ingestion_succeeded": true});
    exchange(
        app,
        "POST",
        "/webhooks/jet/menu-callback?token=nope",
        &[],
        Some(&callback),
        401,
    );

    // Orderconnect: the key, then the body; a driver position for an order the hub lacks.
    let connect = json!({"Id": "e2e-oa-oc-1"});
    exchange(
        app,
        "PUT",
        "/webhooks/orderconnect/orders",
        &[],
        Some(&connect),
        401,
    );
    let key = ("Authorization", "JE-API-KEY dev-orderconnect-key");
    exchange(
        app,
        "PUT",
        "/webhooks/orderconnect/orders",
        &[key],
        Some(&connect),
        400,
    );
    let position = json!({"Location": {"Latitude": 55.75, "Longitude": 37.62}});
    let path = "/admin/orders/e2e-oa-none/driver-location";
    exchange(app, "PUT", path, &[OPERATOR], Some(&position), 404);
    exchange(app, "PUT", path, &[], Some(&position), 401);
}

fn the_checker_refuses_wrong_bodies_and_undocumented_statuses() {
    let pattern = "/site-api/orders/{order_id}";
    // The smallest answer the document allows (issue 17 point 5 added the contents, issue
    // 18 the timeline).
    let good = r#"{"order_id": "o", "restaurant_id": "r", "status": 10, "history": [],
        "audience": "public", "lines": [], "amendments": [], "notes": [], "timeline": [],
        "totals": {"items": 0, "delivery": 0, "total": 0, "discount": 0, "due": 0},
        "times": {"timezone": null, "created": "2026-12-05T01:00:00.000+03:00",
                  "updated": "2026-12-05T01:00:00.000+03:00", "date": null, "date_preorder": null}}"#;
    assert_eq!(validate("GET", pattern, 200, good), Ok(()));
    assert!(validate("GET", pattern, 200, r#"{"order_id": 1}"#).is_err());
    assert!(validate("GET", pattern, 200, "not json").is_err());
    assert!(validate("GET", pattern, 418, good).is_err());
    assert!(validate("DELETE", pattern, 200, good).is_err());
    let jupiter =
        r#"{"error": "x", "errors": [{"code": "not_found", "field": null, "message": "x"}]}"#;
    assert_eq!(validate("GET", pattern, 404, jupiter), Ok(()));
    // An error in another protocol's shape is a mismatch.
    assert!(validate("GET", pattern, 404, r#"{"errorMessage": "x"}"#).is_err());
    assert!(validate("POST", "/jet-connect/menus", 400, jupiter).is_err());
}
