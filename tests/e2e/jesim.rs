//! Issue 18, the Just Eat simulator (`/sim/jet`, development only): every endpoint of seed
//! 000 answers; what is sent to it is kept and read back; its answers follow the spec
//! (202/204/200, 400 in each API's error shape, 401, 404, 409, 429 on demand); the webhooks
//! it sends reach the hub signed as Just Eat signs, with the hub's answer recorded; and the
//! scenarios play whole journeys against the hub.
//!
//! The seed is read from `../shared/seeds/` (beside the repository, as the CI clone has it).
//! Ids are unique per test (`jesim-…`): the shared Worker's simulator state is shared.

use std::time::Duration;

use orderbridge_e2e::{expect, repo_root, request, App, Reply};
use serde_json::{json, Value};

use crate::{AppTest, PlainTest};

/// Run against the shared Worker (demo data; its JET Connect is this simulator).
pub const TESTS: &[(&str, AppTest)] = &[
    (
        "jesim_every_seed_000_endpoint_is_served",
        every_seed_000_endpoint_is_served,
    ),
    (
        "jesim_what_the_catalog_calls_send_is_kept_and_read_back",
        what_the_catalog_calls_send_is_kept_and_read_back,
    ),
    (
        "jesim_delivery_states_and_locations_are_kept_per_order",
        delivery_states_and_locations_are_kept_per_order,
    ),
    (
        "jesim_an_outcome_once_and_an_amendment_once",
        an_outcome_once_and_an_amendment_once,
    ),
    (
        "jesim_delivery_pools_are_managed_with_their_hours_availability_and_status",
        delivery_pools_are_managed_with_their_hours_availability_and_status,
    ),
    (
        "jesim_consumer_searches_and_fees_answer_from_the_fixed_dataset",
        consumer_searches_and_fees_answer_from_the_fixed_dataset,
    ),
    (
        "jesim_failures_on_demand_429_by_query_or_control",
        failures_on_demand_429_by_query_or_control,
    ),
    (
        "jesim_a_webhook_reaches_the_hub_signed_and_its_answer_is_recorded",
        a_webhook_reaches_the_hub_signed_and_its_answer_is_recorded,
    ),
    (
        "jesim_orders_sent_to_the_hub_are_listed_with_their_outcome",
        orders_sent_to_the_hub_are_listed_with_their_outcome,
    ),
    (
        "jesim_scenario_cancelled_puts_the_kitchens_order_at_5",
        scenario_cancelled_puts_the_kitchens_order_at_5,
    ),
    (
        "jesim_scenario_delivered_puts_every_driver_event_on_the_timeline",
        scenario_delivered_puts_every_driver_event_on_the_timeline,
    ),
    (
        "jesim_scenario_late_order_query_is_received",
        scenario_late_order_query_is_received,
    ),
    (
        "jesim_scenario_backup_flow_is_received",
        scenario_backup_flow_is_received,
    ),
    (
        "jesim_scenario_temp_offline_takes_the_restaurant_offline",
        scenario_temp_offline_takes_the_restaurant_offline,
    ),
];

/// Tests that need no Worker.
pub const PLAIN_TESTS: &[(&str, PlainTest)] = &[(
    "jesim_readme_has_a_row_for_every_seed_000_endpoint",
    readme_has_a_row_for_every_seed_000_endpoint,
)];

/// What the hub presents to JET Connect (any value: the simulator checks presence).
const FLYT: (&str, &str) = ("X-Flyt-Api-Key", "jesim-key");
/// What the hub presents to the Partner API.
const PARTNER: (&str, &str) = ("Authorization", "JE-API-KEY jesim-key");
const JSON: (&str, &str) = ("Content-Type", "application/json");
const OPERATOR: (&str, &str) = ("X-Flyt-Api-Key", "dev-operator-key");

/// Seed 000's endpoints: `(METHOD, path)`, `DEL` spelled `DELETE`.
fn seed_endpoints() -> Vec<(String, String)> {
    let dir = repo_root()
        .parent()
        .map(|p| p.join("shared/seeds"))
        .unwrap_or_default();
    let file = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("000_"))
        })
        .unwrap_or_else(|| panic!("no seed 000 in {}", dir.display()));
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
    text.lines()
        .filter_map(|line| {
            let (method, path) = line.trim().split_once(' ')?;
            let method = match method {
                "GET" | "POST" | "PUT" | "PATCH" | "DELETE" => method,
                "DEL" => "DELETE",
                _ => return None,
            };
            path.starts_with('/')
                .then(|| (method.to_owned(), path.trim().to_owned()))
        })
        .collect()
}

fn call(app: &App, method: &str, path: &str, body: Option<&Value>) -> Reply {
    call_with(app, method, path, &[FLYT, PARTNER, JSON], body)
}

fn call_with(
    app: &App,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> Reply {
    let text = body.map(Value::to_string);
    request(
        method,
        &app.url(&format!("/sim/jet{path}")),
        headers,
        text.as_deref().map(str::as_bytes),
    )
    .unwrap_or_else(|e| panic!("{method} /sim/jet{path}: {e}"))
}

fn state(app: &App) -> Value {
    let reply = call(app, "GET", "/state", None);
    expect(&reply, 200, "state");
    reply.json()["state"].clone()
}

fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    for _ in 0..150 {
        if let Some(found) = check() {
            return found;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("{what}: not within 30 s")
}

fn every_seed_000_endpoint_is_served(app: &App) {
    let endpoints = seed_endpoints();
    assert_eq!(endpoints.len(), 73, "seed 000 lists 73 endpoints");
    // A pool to address: an unknown one is the spec's 404, which is served all the same.
    let pool = call(
        app,
        "POST",
        "/delivery/pools",
        Some(&json!({"name": "Jesim any"})),
    );
    expect(&pool, 201, "a pool");
    let pool_id = pool.json()["id"].as_str().unwrap_or_default().to_owned();
    let mut missing = Vec::new();
    for (method, path) in &endpoints {
        let filled: String = path
            .split('/')
            .map(|s| match s {
                "{deliveryPoolId}" => pool_id.as_str(),
                s if s.starts_with('{') => "jesim-any",
                s => s,
            })
            .collect::<Vec<_>>()
            .join("/");
        let body = (method != "GET").then(|| json!({}));
        let reply = call(app, method, &filled, body.as_ref());
        // Not served: the router's 404 (`no route for …`) or 405; and never a 5xx.
        let unrouted = reply.status == 404 && reply.body.contains("no route for");
        if unrouted || reply.status == 405 || reply.status >= 500 {
            missing.push(format!("{method} {path}: {} {}", reply.status, reply.body));
        }
    }
    assert!(missing.is_empty(), "not served: {missing:#?}");
}

fn readme_has_a_row_for_every_seed_000_endpoint() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    let rows: Vec<&str> = readme.lines().filter(|l| l.starts_with("| `")).collect();
    let missing: Vec<String> = seed_endpoints()
        .into_iter()
        .map(|(m, p)| format!("| `{m} {p}` |"))
        .filter(|row| !rows.iter().any(|l| l.starts_with(row.as_str())))
        .collect();
    assert!(missing.is_empty(), "README rows missing: {missing:#?}");
}

fn what_the_catalog_calls_send_is_kept_and_read_back(app: &App) {
    let r = "jesim-r1";
    let menus = json!({"restaurants": [r], "callback_url": "https://pos.example/cb",
        "menus": [{"name": "Jesim menu", "reference": "jm", "type": "DELIVERY", "categories": []}]});
    let reply = call(app, "POST", "/menus", Some(&menus));
    expect(&reply, 202, "menus");
    assert_eq!(reply.json(), json!({"success": true}));
    let mut availability: Value = serde_json::from_str(include_str!(
        "../../fixtures/jet-connect/item-availability-request-unavailable.json"
    ))
    .expect("fixture");
    availability["restaurant"] = json!(r);
    expect(
        &call(app, "POST", "/item-availability", Some(&availability)),
        202,
        "availability",
    );
    let offline = json!({"onlineAt": "2030-01-01T09:00:00"});
    let path = format!("/restaurants/{r}/offline");
    expect(&call(app, "PUT", &path, Some(&offline)), 202, "offline");
    let times: Value = serde_json::from_str(include_str!(
        "../../fixtures/jet-connect/restaurant-servicetimes-request.json"
    ))
    .expect("fixture");
    let path = format!("/restaurants/{r}/servicetimes");
    expect(&call(app, "PUT", &path, Some(&times)), 202, "service times");

    let kept = state(app);
    assert_eq!(kept["menus"][r]["menus"], menus["menus"]);
    let item = availability["itemReferences"][0]
        .as_str()
        .unwrap_or_default();
    assert_eq!(
        kept["availability"][format!("{r}/{item}")]["event"],
        "UNAVAILABLE"
    );
    assert_eq!(kept["restaurant"][r]["online"], false);
    assert_eq!(kept["restaurant"][r]["onlineAt"], "2030-01-01T09:00:00");
    assert_eq!(kept["restaurant"][r]["serviceTimes"], times["serviceTimes"]);

    let path = format!("/restaurants/{r}/online");
    expect(&call(app, "PUT", &path, None), 202, "online");
    assert_eq!(state(app)["restaurant"][r]["online"], true);

    // A bad body: 400 in JET Connect's shape naming every problem, nothing kept.
    let reply = call(
        app,
        "POST",
        "/item-availability",
        Some(&json!({"event": "GONE"})),
    );
    expect(&reply, 400, "bad availability");
    assert_eq!(reply.json()["success"], false);
    let message = reply.json()["error_message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    for field in ["event", "itemReferences", "restaurant"] {
        assert!(message.contains(field), "{message}");
    }
    // No key: 401, nothing kept.
    let offline = format!("/restaurants/{r}/offline");
    let reply = call_with(app, "PUT", &offline, &[JSON], None);
    expect(&reply, 401, "no key");
    assert_eq!(state(app)["restaurant"][r]["online"], true);
    // The calls are listed as before.
    let calls = request("GET", &app.url("/sim/jet/calls"), &[], None).expect("calls");
    assert!(calls.json()["calls"].as_array().is_some_and(|c| c
        .iter()
        .any(|c| c["path"] == format!("/sim/jet/restaurants/{r}/servicetimes"))));
}

fn delivery_states_and_locations_are_kept_per_order(app: &App) {
    let o = "jesim-o1";
    let location = json!({"Latitude": 51.4484, "Longitude": -0.1504});
    let steps = [
        (
            "atrestauranteta",
            json!({"bestGuess": "2026-12-05T12:20:00.000Z", "estimatedAt": "2026-12-05T12:00:00+00:00"}),
        ),
        (
            "driverassigned",
            json!({"DriverName": "David McDriverson", "VehicleDetails": {"Vehicle": "Motorbike"}, "Location": location}),
        ),
        (
            "atrestaurant",
            json!({"Location": location, "TimeStampWithUtcOffset": "2026-12-05T12:21:00+00:00"}),
        ),
        (
            "onitsway",
            json!({"EstimatedArrivalTime": "2026-12-05T12:40:00+00:00"}),
        ),
        (
            "atdeliveryaddress",
            json!({"TimeStampWithUtcOffset": "2026-12-05T12:39:00+00:00"}),
        ),
        (
            "delivered",
            json!({"TimeStampWithUtcOffset": "2026-12-05T12:41:00+00:00"}),
        ),
    ];
    for (name, body) in &steps {
        let reply = call(
            app,
            "PUT",
            &format!("/orders/{o}/deliverystate/{name}"),
            Some(body),
        );
        expect(&reply, 200, name);
    }
    let moved = json!({"Latitude": 51.45, "Longitude": -0.15});
    let bulk = json!([{"OrderId": o, "Location": moved, "TimeStampWithUtcOffset": "2026-12-05T12:41:10+00:00"}]);
    expect(
        &call(
            app,
            "PUT",
            "/orders/deliverystate/driverlocation",
            Some(&bulk),
        ),
        200,
        "bulk",
    );

    let kept = &state(app)["delivery"][o];
    assert_eq!(kept["state"], "delivered", "{kept}");
    assert_eq!(kept["location"], moved);
    let events: Vec<&str> = kept["events"]
        .as_array()
        .map(|e| e.iter().filter_map(|e| e["state"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        events,
        [
            "atrestauranteta",
            "driverassigned",
            "atrestaurant",
            "onitsway",
            "atdeliveryaddress",
            "delivered",
            "driverlocation"
        ]
    );

    // The spec's 400s, in the Partner API's shape; nothing kept.
    let path = format!("/orders/{o}/deliverystate/driverlocation");
    let reply = call(app, "PUT", &path, Some(&json!({})));
    expect(&reply, 400, "no location");
    assert_eq!(
        reply.json(),
        json!({"location": ["location must not be null"]})
    );
    let path = format!("/orders/{o}/deliverystate/atrestauranteta");
    let late = json!({"bestGuess": "2026-12-05T11:00:00Z", "estimatedAt": "2026-12-05T12:00:00Z"});
    let reply = call(app, "PUT", &path, Some(&late));
    expect(&reply, 400, "eta before the estimate");
    assert_eq!(
        reply.json(),
        json!({"bestGuess": ["bestGuess must be later than estimatedAt"]})
    );
    let path = format!("/orders/{o}/deliverystate/driverassigned");
    let reply = call_with(
        app,
        "PUT",
        &path,
        &[JSON],
        Some(&json!({"DriverName": "X"})),
    );
    expect(&reply, 401, "no key");
    assert_eq!(
        state(app)["delivery"][o]["events"].as_array().map(Vec::len),
        Some(7)
    );
}

fn an_outcome_once_and_an_amendment_once(app: &App) {
    let o = "jesim-o2";
    let success = json!({"happenedAt": "2020-01-31T11:06:11+00:00"});
    let path = format!("/order/{o}/sent-to-pos-success");
    expect(&call(app, "POST", &path, Some(&success)), 204, "outcome");
    let reply = call(app, "POST", &path, Some(&success));
    expect(&reply, 400, "a second outcome");
    assert!(reply.json()["message"]
        .as_str()
        .is_some_and(|m| m.contains(o)));
    let failed = "/order/jesim-o3/sent-to-pos-failed";
    let reply = call(
        app,
        "POST",
        failed,
        Some(&json!({"happenedAt": "2020-01-31T11:06:11+00:00", "errorCode": "NOPE"})),
    );
    expect(&reply, 400, "bad failed body");
    let message = reply.json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        message.contains("errorCode") && message.contains("errorMessage"),
        "{message}"
    );

    let amend = format!("/orders/brand-x/{o}/amend");
    let items = json!({"items": [{"reason": "missing", "plu": "M2", "missingQuantity": 1}]});
    let reply = call(app, "GET", &amend, None);
    expect(&reply, 200, "not yet amended");
    assert_eq!(reply.json()["amended"], false);
    expect(&call(app, "POST", &amend, Some(&items)), 202, "amend");
    let reply = call(app, "POST", &amend, Some(&items));
    expect(&reply, 409, "amend again");
    let reply = call(app, "GET", &amend, None);
    assert_eq!(reply.json()["items"], items["items"]);
    let reply = call(
        app,
        "POST",
        "/orders/brand-x/jesim-nowhere/amend",
        Some(&items),
    );
    expect(&reply, 404, "unknown order");
    let reply = call(
        app,
        "POST",
        &format!("/orders/brand-x/{o}/amend"),
        Some(&json!({"items": []})),
    );
    expect(&reply, 400, "no items");
}

fn delivery_pools_are_managed_with_their_hours_availability_and_status(app: &App) {
    let reply = call(
        app,
        "POST",
        "/delivery/pools",
        Some(&json!({"name": "Jesim West", "restaurants": [7001, 7002]})),
    );
    expect(&reply, 201, "create");
    let id = reply.json()["id"].as_str().unwrap_or_default().to_owned();
    let pool = format!("/delivery/pools/{id}");
    let reply = call(app, "GET", &pool, None);
    expect(&reply, 200, "get");
    assert_eq!(
        reply.json(),
        json!({"name": "Jesim West", "restaurants": [7001, 7002]})
    );
    let listed = call(app, "GET", "/delivery/pools", None).json();
    assert_eq!(listed[&id]["name"], "Jesim West");

    let hours = json!({"monday": {"poolTimes": [{"startTime": "11:00", "endTime": "23:00"}], "closed": false}});
    expect(
        &call(app, "PUT", &format!("{pool}/hours"), Some(&hours)),
        200,
        "hours",
    );
    assert_eq!(state(app)["pool"][&id]["hours"], hours);
    let eta = json!({"bestGuess": "00:35:00"});
    expect(
        &call(
            app,
            "PUT",
            &format!("{pool}/availability/relative"),
            Some(&eta),
        ),
        202,
        "availability",
    );
    assert_eq!(
        call(app, "GET", &format!("{pool}/availability/relative"), None).json(),
        eta
    );
    let reply = call(
        app,
        "PUT",
        &format!("{pool}/availability/relative"),
        Some(&json!({"bestGuess": "35 min"})),
    );
    expect(&reply, 400, "bad duration");
    expect(
        &call(
            app,
            "POST",
            &format!("{pool}/change-risk"),
            Some(&json!({"riskLevel": 1})),
        ),
        202,
        "risk",
    );
    let risky = call(
        app,
        "POST",
        &format!("{pool}/change-risk"),
        Some(&json!({"riskLevel": 12})),
    );
    expect(&risky, 400, "risk out of range");

    expect(
        &call(
            app,
            "POST",
            &format!("{pool}/offline-events"),
            Some(&json!({})),
        ),
        202,
        "offline",
    );
    assert_eq!(
        call(app, "GET", &format!("{pool}/status"), None).json()["status"],
        "Offline"
    );
    expect(
        &call(
            app,
            "DELETE",
            &format!("{pool}/offline-events?reason=manual"),
            None,
        ),
        204,
        "online",
    );
    assert_eq!(
        call(app, "GET", &format!("{pool}/status"), None).json()["status"],
        "Online"
    );

    let reply = call(app, "PATCH", &pool, Some(&json!({"name": "Jesim North"})));
    expect(&reply, 202, "modify");
    assert_eq!(
        reply.json(),
        json!({"name": "Jesim North", "restaurants": [7001, 7002]})
    );
    let reply = call(app, "PATCH", &pool, Some(&json!({"name": ""})));
    expect(&reply, 400, "empty name");
    assert_eq!(
        reply.json(),
        json!({"name": ["'Name' should not be empty"]})
    );
    expect(
        &call(
            app,
            "PUT",
            &format!("{pool}/restaurants"),
            Some(&json!({"restaurants": [7003]})),
        ),
        200,
        "add",
    );
    expect(
        &call(
            app,
            "DELETE",
            &format!("{pool}/restaurants"),
            Some(&json!({"restaurants": [7001]})),
        ),
        200,
        "remove",
    );
    assert_eq!(
        call(app, "GET", &pool, None).json()["restaurants"],
        json!([7002, 7003])
    );

    // A restaurant already in a pool cannot join another: 409 as the spec words it.
    let reply = call(
        app,
        "POST",
        "/delivery/pools",
        Some(&json!({"name": "Jesim East", "restaurants": [7003]})),
    );
    expect(&reply, 409, "taken");
    assert!(
        reply.body.contains("7003") && reply.body.contains(&id),
        "{}",
        reply.body
    );

    expect(&call(app, "DELETE", &pool, None), 200, "delete");
    expect(&call(app, "GET", &pool, None), 404, "gone");
    expect(
        &call(app, "GET", "/delivery/pools/jesim-none/status", None),
        404,
        "unknown",
    );
}

fn consumer_searches_and_fees_answer_from_the_fixed_dataset(app: &App) {
    // Public: no key.
    let get = |path: &str| call_with(app, "GET", path, &[], None);
    let reply = get("/discovery/uk/restaurants/enriched?latitude=51.5164&longitude=-0.1035");
    expect(&reply, 200, "by lat/long");
    let ids: Vec<Value> = reply.json()["restaurants"]
        .as_array()
        .map(|r| r.iter().map(|r| r["id"].clone()).collect())
        .unwrap_or_default();
    assert_eq!(ids, [json!("100001"), json!("100002")]);
    let reply = get("/discovery/uk/restaurants/enriched/bypostcode/bs14dj");
    assert_eq!(reply.json()["restaurants"][0]["id"], "100003");
    let reply = get("/restaurants/bypostcode/EC4M7RF");
    assert_eq!(reply.json()["Restaurants"][0]["Id"], "100001");
    let reply = get("/restaurants/bylatlong?latitude=51.4545&longitude=-2.5879");
    assert_eq!(reply.json()["Restaurants"][0]["Id"], "100003");
    let reply =
        get("/delivery-fees/uk?restaurantIds=100001,100003&deliveryTime=2019-09-05T12:43:48.431Z");
    expect(&reply, 200, "fees");
    assert_eq!(
        reply.json()["restaurants"][0]["bands"][0],
        json!({"minimumAmount": 1000, "fee": 250})
    );
    assert_eq!(
        reply.json()["restaurants"].as_array().map(Vec::len),
        Some(2)
    );
    let reply = get("/delivery-fees/uk");
    expect(&reply, 400, "fees without ids");
    assert_eq!(
        reply.json()["errors"].as_array().map(Vec::len),
        Some(2),
        "{}",
        reply.body
    );
}

fn failures_on_demand_429_by_query_or_control(app: &App) {
    let reply = call(app, "GET", "/delivery/pools?fail=429", None);
    expect(&reply, 429, "by query");
    assert_eq!(
        reply.json()["fault"]["errors"][0]["description"],
        "Couldn't complete request"
    );
    // The control: the next two calls under /restaurants/jesim-429 fail, then not; other
    // paths are not touched.
    let control = json!({"status": 429, "count": 2, "path": "/restaurants/jesim-429"});
    let reply = request(
        "PUT",
        &app.url("/sim/jet/control/fail"),
        &[JSON],
        Some(control.to_string().as_bytes()),
    )
    .expect("control");
    expect(&reply, 200, "control");
    expect(&call(app, "GET", "/delivery/pools", None), 200, "elsewhere");
    let path = "/restaurants/jesim-429/online";
    expect(&call(app, "PUT", path, None), 429, "first");
    expect(&call(app, "PUT", path, None), 429, "second");
    expect(&call(app, "PUT", path, None), 202, "third");
    let bad = request(
        "PUT",
        &app.url("/sim/jet/control/fail"),
        &[JSON],
        Some(b"{\"status\": 200}"),
    )
    .expect("control");
    expect(&bad, 400, "a status that is no failure");
}

fn a_webhook_reaches_the_hub_signed_and_its_answer_is_recorded(app: &App) {
    // JET Connect's cancel notification, signed: the hub reads it (an unknown order is its
    // 400 naming the id, not a 401).
    let cancel = json!({"orderID": "jesim-unknown-1", "reason": {"code": "custCancelledOther"},
                        "happenedAt": "2022-08-15T10:12:56.371917Z"});
    let reply = call(
        app,
        "POST",
        "/your-cancel-order-notification-endpoint",
        Some(&cancel),
    );
    expect(&reply, 200, "sent");
    let sent = reply.json();
    assert_eq!(sent["to"], "/webhooks/jet/orders/cancel");
    assert_eq!(sent["sent"], cancel);
    assert_eq!(sent["answer"]["status"], 400, "{sent}");
    assert!(sent["answer"]["body"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("jesim-unknown-1")));
    // A bad signature, or none: the hub refuses.
    for auth in ["bad", "none"] {
        let path = format!("/your-cancel-order-notification-endpoint?auth={auth}");
        let reply = call(app, "POST", &path, Some(&cancel));
        assert_eq!(
            reply.json()["answer"]["status"],
            401,
            "{auth}: {}",
            reply.body
        );
    }
    // No body: the spec's example is sent, to the agreed Partner API route.
    let reply = call_with(app, "PUT", "/driver-at-restaurant", &[], None);
    expect(&reply, 200, "example");
    let sent = reply.json();
    assert_eq!(sent["to"], "/webhooks/just-eat/driver-at-restaurant");
    let example: Value = serde_json::from_str(include_str!(
        "../../fixtures/just-eat/driver-at-restaurant-request.json"
    ))
    .expect("fixture");
    assert_eq!(sent["sent"], example);
    // Both are listed with the hub's answers.
    let calls = request("GET", &app.url("/sim/jet/calls"), &[], None)
        .expect("calls")
        .json();
    let listed = calls["sent"].as_array().cloned().unwrap_or_default();
    assert!(listed.iter().any(
        |s| s["webhook"] == "your-cancel-order-notification-endpoint"
            && s["answer"]["status"] == 401
    ));
    assert!(listed
        .iter()
        .any(|s| s["webhook"] == "driver-at-restaurant" && s["method"] == "PUT"));
}

/// A restaurant `id` at JET location `location` selling the simulator's sample item.
fn jet_restaurant(app: &App, id: &str, location: &str) {
    crate::jet_orders::setup(app, id, location);
    let menu = json!({
        "restaurant_id": id,
        "menu": {
            "lastChange": "2024-05-21T16:19:13.000+00:00",
            "categories": [{"id": "c1", "name": "Роллы"}],
            "items": [{"id": "T20231", "categoryId": "c1", "name": "Филадельфия Гранд", "price": 500}]
        }
    });
    let reply = request(
        "PUT",
        &app.url(&format!("/admin/menu?restaurant_id={id}")),
        &[OPERATOR, JSON],
        Some(menu.to_string().as_bytes()),
    )
    .expect("menu");
    expect(&reply, 200, "menu");
}

fn orders_sent_to_the_hub_are_listed_with_their_outcome(app: &App) {
    let location = "jesim-loc-list";
    jet_restaurant(app, "jesim-list", location);
    let order = json!({"posLocationId": location, "menu_reference": ""});
    let reply = request(
        "POST",
        &app.url("/sim/jet/orders"),
        &[JSON],
        Some(order.to_string().as_bytes()),
    )
    .expect("order");
    expect(&reply, 200, "sent");
    assert_eq!(reply.json()["answer"]["status"], 202, "{}", reply.body);
    let jet_id = reply.json()["sent"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    // Listed for the location, then with its outcome once the hub has sent it.
    let listed = eventually("the success in the report", || {
        let reply = call(
            app,
            "GET",
            &format!("/locations/{location}/orders?status=success"),
            None,
        );
        let orders = reply.json().as_array().cloned().unwrap_or_default();
        orders.into_iter().find(|o| o["orderID"] == jet_id.as_str())
    });
    // As the spec's examples: a bare array; a success's `sendToPosStatus` is empty.
    assert_eq!(listed["status"], "success");
    assert_eq!(listed["sendToPosStatus"], "");
    let brand = call(
        app,
        "GET",
        &format!("/brands/any-brand/orders?locations={location}"),
        None,
    );
    assert!(
        brand.json().as_array().is_some_and(|o| o.len() == 1),
        "{}",
        brand.body
    );
    let one = call(
        app,
        "GET",
        &format!("/brands/any-brand/orders/{jet_id}"),
        None,
    );
    expect(&one, 200, "one order");
    assert_eq!(one.json()["orderDetails"]["location"]["id"], location);
    expect(
        &call(app, "GET", "/brands/any-brand/orders/jesim-nowhere", None),
        404,
        "unknown",
    );
    let none = call(
        app,
        "GET",
        &format!("/locations/{location}/orders?status=failure"),
        None,
    );
    assert_eq!(none.json(), json!([]));
    expect(
        &call_with(app, "GET", "/brands/any-brand/orders", &[], None),
        401,
        "no key",
    );
}

fn scenario(app: &App, name: &str, body: &Value) -> Value {
    let reply = request(
        "POST",
        &app.url(&format!("/sim/jet/scenarios/{name}")),
        &[JSON],
        Some(body.to_string().as_bytes()),
    )
    .unwrap_or_else(|e| panic!("scenario {name}: {e}"));
    expect(&reply, 200, name);
    reply.json()
}

/// Every step the hub answered with a 2xx.
fn all_accepted(played: &Value) {
    for step in played["steps"].as_array().into_iter().flatten() {
        let status = step["answer"]["status"].as_u64().unwrap_or_default();
        assert!((200..300).contains(&status), "{}: {step}", step["webhook"]);
    }
}

fn scenario_cancelled_puts_the_kitchens_order_at_5(app: &App) {
    let location = "jesim-loc-cancel";
    jet_restaurant(app, "jesim-cancel", location);
    let played = scenario(app, "cancelled", &json!({"restaurant": location}));
    all_accepted(&played);
    let order_id = played["steps"][0]["answer"]["body"]["OrderId"]
        .as_str()
        .unwrap_or_default();
    let status = request(
        "GET",
        &app.url(&format!("/site-api/orders/{order_id}")),
        &[],
        None,
    )
    .expect("status");
    assert_eq!(status.json()["status"], 5, "{}", status.body);
    let jet = request(
        "GET",
        &app.url(&format!(
            "/admin/jet/orders/{}",
            played["order"].as_str().unwrap_or_default()
        )),
        &[OPERATOR],
        None,
    )
    .expect("jet view");
    assert_eq!(jet.json()["cancel_reason"], "custCancelledMadeMistake");
    let sent = request("GET", &app.url("/sim/jet/calls"), &[], None)
        .expect("calls")
        .json();
    let steps = sent["sent"]
        .as_array()
        .map(|s| s.iter().filter(|s| s["scenario"] == "cancelled").count())
        .unwrap_or_default();
    assert!(steps >= 2, "{sent}");
    let unknown =
        request("POST", &app.url("/sim/jet/scenarios/nope"), &[JSON], None).expect("nope");
    expect(&unknown, 404, "unknown scenario");
}

/// Restaurant `id` with Orderconnect id `id`, the demo menu and zone.
fn orderconnect_restaurant(app: &App, id: &str) {
    crate::orderconnect::setup(app, id, crate::orderconnect::Kind::Open);
}

/// The hub's Partner API routes (`/webhooks/just-eat/order-accepted`, `driver-*`): every
/// driver event lands on the order's timeline, in order.
fn scenario_delivered_puts_every_driver_event_on_the_timeline(app: &App) {
    let r = "jesim-oc-delivered";
    orderconnect_restaurant(app, r);
    let played = scenario(app, "delivered", &json!({"restaurant": r}));
    all_accepted(&played);
    let order_id = played["steps"][0]["answer"]["body"]["order_id"]
        .as_str()
        .unwrap_or_default();
    let view = request(
        "GET",
        &app.url(&format!("/admin/orders/{order_id}")),
        &[OPERATOR],
        None,
    )
    .expect("order")
    .json();
    let kinds: Vec<&str> = view["timeline"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["kind"].as_str()).collect())
        .unwrap_or_default();
    let journey = [
        "driver_assigned",
        "driver_at_restaurant",
        "driver_on_the_way",
        "driver_at_address",
        "delivered",
    ];
    let mut rest = kinds.iter();
    for kind in journey {
        assert!(rest.any(|k| *k == kind), "{kind} in order: {kinds:?}");
    }
    assert!(kinds.contains(&"accepted"), "{kinds:?}");
    // The kitchen never moved the order, so the lifecycle keeps it at 0 (a delivered from 0
    // is recorded, not applied: `timeline_events::effect`; `jedriver_` covers the move from
    // 20).
    assert_eq!(view["status"], 0, "{view}");
}

/// The hub's `late-order-query` route: the query waits in the operator's list, linked to
/// the order the scenario placed.
fn scenario_late_order_query_is_received(app: &App) {
    let r = "jesim-oc-late";
    orderconnect_restaurant(app, r);
    let played = scenario(app, "late-order-query", &json!({"restaurant": r}));
    all_accepted(&played);
    let order_id = played["steps"][0]["answer"]["body"]["order_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let listed = admin_get(app, "/admin/jet/queries");
    let found = listed["queries"]
        .as_array()
        .map(|q| q.iter().any(|x| x["order_id"] == order_id.as_str()))
        .unwrap_or(false);
    assert!(found, "order {order_id} not among the queries: {listed}");
}

/// The hub's backup-flow route: the failed order is in the operator's list.
fn scenario_backup_flow_is_received(app: &App) {
    let location = "jesim-loc-backup";
    jet_restaurant(app, "jesim-backup", location);
    let played = scenario(app, "backup-flow", &json!({"restaurant": location}));
    all_accepted(&played);
    let sent = played["steps"][0]["sent"]["order"]["orderId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let listed = admin_get(app, "/admin/jet/backup-flow");
    let found = listed["orders"]
        .as_array()
        .map(|o| o.iter().any(|x| x["orderId"] == sent.as_str()))
        .unwrap_or(false);
    assert!(found, "{sent} not in the backup-flow list: {listed}");
}

fn admin_get(app: &App, path: &str) -> Value {
    let reply = request("GET", &app.url(path), &[OPERATOR], None).expect(path);
    assert_eq!(reply.status, 200, "{path}: {}", reply.body);
    reply.json()
}

/// Needs the hub's temp-offline route: the restaurant is offline as Just Eat said.
fn scenario_temp_offline_takes_the_restaurant_offline(app: &App) {
    let (id, location) = ("jesim-offline", "jesim-loc-offline");
    jet_restaurant(app, id, location);
    all_accepted(&scenario(
        app,
        "temp-offline",
        &json!({"restaurant": location}),
    ));
    let reply = request(
        "GET",
        &app.url(&format!("/admin/restaurants/{id}")),
        &[OPERATOR],
        None,
    )
    .expect("restaurant");
    assert_eq!(reply.json()["online"], false, "{}", reply.body);
}
