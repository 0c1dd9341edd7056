//! The ground every issue builds on: health, 404, 405, error shapes per protocol, no panic
//! on odd input, and the demo catalog in local D1.

use orderbridge_e2e::{request, App};

use crate::AppTest;

pub const TESTS: &[(&str, AppTest)] = &[
    (
        "health_answers_ok_with_the_version",
        health_answers_ok_with_the_version,
    ),
    (
        "an_unknown_path_is_404_with_a_json_body",
        an_unknown_path_is_404_with_a_json_body,
    ),
    (
        "a_wrong_method_is_405_with_an_allow_header",
        a_wrong_method_is_405_with_an_allow_header,
    ),
    (
        "the_storefront_is_served_at_the_root_and_the_api_still_reaches_the_worker",
        the_storefront_is_served_at_the_root_and_the_api_still_reaches_the_worker,
    ),
    (
        "errors_come_in_the_shape_of_the_protocol_called",
        errors_come_in_the_shape_of_the_protocol_called,
    ),
    (
        "odd_requests_get_answers_and_the_worker_stays_up",
        odd_requests_get_answers_and_the_worker_stays_up,
    ),
    (
        "the_demo_catalog_is_in_local_d1",
        the_demo_catalog_is_in_local_d1,
    ),
];

fn health_answers_ok_with_the_version(app: &App) {
    let reply = request("GET", &app.url("/health"), &[], None).expect("answer");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply
        .header("content-type")
        .is_some_and(|v| v.starts_with("application/json")));
    assert_eq!(
        reply.json(),
        serde_json::json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")})
    );
}

fn an_unknown_path_is_404_with_a_json_body(app: &App) {
    // `/` is the storefront (static assets, see the test below), no longer a 404.
    for path in [
        "/nope",
        "/health/extra",
        "/site-api/nothing-here",
        "/web/index.html",
    ] {
        let reply = request("GET", &app.url(path), &[], None).expect("answer");
        assert_eq!(reply.status, 404, "{path}: {}", reply.body);
        let body = reply.json();
        assert_eq!(body["errors"][0]["code"], "not_found", "{path}: {body}");
        assert!(
            body["error"].as_str().is_some_and(|e| e.contains(path)),
            "{path}: {body}"
        );
    }
}

fn the_storefront_is_served_at_the_root_and_the_api_still_reaches_the_worker(app: &App) {
    let page = request("GET", &app.url("/"), &[], None).expect("answer");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page
        .header("content-type")
        .is_some_and(|t| t.starts_with("text/html")));
    assert!(page.body.contains("/app.js"), "{}", page.body);
    for asset in ["/app.js", "/style.css"] {
        let reply = request("GET", &app.url(asset), &[], None).expect("answer");
        assert_eq!(reply.status, 200, "{asset}");
    }
    // The Worker still answers its routes, and paths that are no file.
    let health = request("GET", &app.url("/health"), &[], None).expect("answer");
    assert_eq!(health.json()["status"], "ok");
    let missing = request("GET", &app.url("/app.js.map"), &[], None).expect("answer");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["errors"][0]["code"], "not_found");
}

fn a_wrong_method_is_405_with_an_allow_header(app: &App) {
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let reply = request(method, &app.url("/health"), &[], Some(b"{}")).expect("answer");
        assert_eq!(reply.status, 405, "{method}: {}", reply.body);
        assert_eq!(reply.header("allow"), Some("GET"), "{method}");
        assert_eq!(reply.json()["errors"][0]["code"], "method_not_allowed");
    }
}

fn errors_come_in_the_shape_of_the_protocol_called(app: &App) {
    let jet = request("GET", &app.url("/jet-connect/unknown"), &[], None).expect("answer");
    assert_eq!(jet.status, 404);
    let body = jet.json();
    assert_eq!(body["success"], false, "{body}");
    assert!(body["error_message"].is_string(), "{body}");

    let hook =
        request("POST", &app.url("/webhooks/jet/unknown"), &[], Some(b"{}")).expect("answer");
    assert_eq!(hook.status, 404);
    assert!(hook.json()["errorMessage"].is_string(), "{}", hook.body);

    let oc = request(
        "PUT",
        &app.url("/webhooks/orderconnect/unknown"),
        &[],
        Some(b"{}"),
    )
    .expect("answer");
    assert_eq!(oc.status, 404);
    let body = oc.json();
    assert_eq!(body["errors"][0]["code"], "other", "{body}");
    assert!(body["errors"][0]["message"].is_string(), "{body}");
}

fn odd_requests_get_answers_and_the_worker_stays_up(app: &App) {
    let two_megabytes = vec![b'{'; 2 * 1024 * 1024];
    let long_path = format!("/{}", "a".repeat(8000));
    let cases: Vec<(&str, String, Option<&[u8]>, u16)> = vec![
        ("GET", "/%00%ff%fe".to_owned(), None, 404),
        ("GET", "/Здоровье".to_owned(), None, 404),
        ("GET", "/health?x=%zz&&=".to_owned(), None, 200),
        ("GET", "//health".to_owned(), None, 404),
        ("GET", long_path, None, 404),
        ("POST", "/health".to_owned(), Some(&two_megabytes[..]), 405),
        ("OPTIONS", "/health".to_owned(), None, 405),
        ("HEAD", "/nope".to_owned(), None, 404),
    ];
    for (method, path, body, want) in cases {
        let reply = request(
            method,
            &app.url(&path),
            &[("Content-Type", "application/json")],
            body,
        )
        .unwrap_or_else(|e| panic!("{method} {}: no answer: {e}", &path[..path.len().min(40)]));
        assert_eq!(
            reply.status,
            want,
            "{method} {}",
            &path[..path.len().min(40)]
        );
    }
    let health = request("GET", &app.url("/health"), &[], None).expect("answer");
    assert_eq!(health.status, 200, "the Worker survived: {}", health.body);
}

fn the_demo_catalog_is_in_local_d1(app: &App) {
    let rows = app.d1(
        // Scoped to the demo restaurant: other suites add restaurants of their own.
        "SELECT r.id, r.utc_offset, r.jet_location_id, \
         (SELECT COUNT(*) FROM delivery_zones WHERE restaurant_id = r.id AND deleted = 0) AS zones, \
         (SELECT COUNT(*) FROM delivery_zones WHERE restaurant_id = r.id AND deleted = 1) AS deleted_zones, \
         (SELECT json_extract(zone, '$.sum_min') FROM delivery_zones WHERE restaurant_id = r.id AND zone_id = '028270') AS sum_min, \
         (SELECT json_array_length(json_extract(zone, '$.coordinates')) FROM delivery_zones WHERE restaurant_id = r.id AND zone_id = '028270') AS vertices, \
         (SELECT json_extract(menu, '$.items[0].id') || ',' || json_extract(menu, '$.items[1].id') FROM menus WHERE restaurant_id = r.id AND concept_id = '7') AS items, \
         (SELECT json_extract(menu, '$.items[0].modifiers[0].modifiers[1].id') FROM menus WHERE restaurant_id = r.id) AS modifier, \
         (SELECT json_extract(place, '$.concepts[0].name') FROM restaurants WHERE id = r.id) AS concept \
         FROM restaurants r WHERE r.id = '000127'",
    );
    assert_eq!(
        rows,
        vec![serde_json::json!({
            "id": "000127", "utc_offset": "+03:00", "jet_location_id": "demo-jet-000127",
            "zones": 1, "deleted_zones": 1, "sum_min": 600, "vertices": 5,
            "items": "T20231,555333111", "modifier": "6042", "concept": "Вкусные суши"
        })]
    );
}
