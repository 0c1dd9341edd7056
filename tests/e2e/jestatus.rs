//! Issue 18, restaurant status and the backup flow received from JET Connect (signed with
//! `X-JET-Connect-Hash`): the temp-offline notification takes a restaurant offline and back
//! (the admin read and order placement tell the truth), in `lastChangedTimeStampUtc` order;
//! a failed order for the backup flow reaches the operator's list once and is reconciled
//! when the same order arrives. A bad signature changes nothing.

use orderbridge_e2e::{expect, repo_root, request, App, Reply};
use serde_json::{json, Value};

use crate::AppTest;

pub const TESTS: &[(&str, AppTest)] = &[
    (
        "jestatus_temp_offline_takes_the_restaurant_offline_and_back_in_order",
        temp_offline_takes_the_restaurant_offline_and_back_in_order,
    ),
    (
        "jestatus_backup_flow_reaches_the_operator_once_and_is_reconciled",
        backup_flow_reaches_the_operator_once_and_is_reconciled,
    ),
    (
        "jestatus_partner_offline_and_online_status_keep_the_flag_true",
        partner_offline_and_online_status_keep_the_flag_true,
    ),
    (
        "jestatus_menu_ingestion_complete_reaches_the_operator_once",
        menu_ingestion_complete_reaches_the_operator_once,
    ),
    (
        "jestatus_order_time_updated_is_the_restaurants_order_time_for_that_day",
        order_time_updated_is_the_restaurants_order_time_for_that_day,
    ),
];

const OPERATOR: (&str, &str) = ("X-Flyt-Api-Key", "dev-operator-key");
const TEMP_OFFLINE: &str = "/webhooks/jet/restaurants/temp-offline";
const BACKUP_FLOW: &str = "/webhooks/jet/orders/backup-flow";

fn fixture(name: &str) -> Value {
    let path = repo_root().join("fixtures/just-eat").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
}

fn post_forged(app: &App, path: &str, body: &Value) -> Reply {
    let text = body.to_string();
    let reply = request(
        "POST",
        &app.url(path),
        &[
            ("Content-Type", "application/json"),
            (
                "X-JET-Connect-Hash",
                "HMAC-SHA256 t=1673428038618,signature=bm90IHRoZSBzaWduYXR1cmU=",
            ),
        ],
        Some(text.as_bytes()),
    )
    .unwrap_or_else(|e| panic!("POST {path}: {e}"));
    crate::conform::check("POST", path, &reply);
    reply
}

fn operator(app: &App, method: &str, path: &str, body: Option<&Value>) -> Reply {
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

/// The restaurant as the operator reads it: `(online, offline_until)`.
fn online(app: &App, id: &str) -> (Value, Value) {
    let reply = operator(app, "GET", &format!("/admin/restaurants/{id}"), None);
    expect(&reply, 200, "the restaurant");
    let doc = reply.json();
    (doc["online"].clone(), doc["offline_until"].clone())
}

fn place_order(app: &App, id: &str, concept: &str, number: &str) -> Reply {
    let doc = crate::orders::order(id, concept, number, None);
    let text = doc.to_string();
    let reply = request(
        "POST",
        &app.url("/site-api/order"),
        &[("Content-Type", "application/json")],
        Some(text.as_bytes()),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    crate::conform::check("POST", "/site-api/order", &reply);
    reply
}

/// A notification of `at` for `location` with delivery and collection `offline`.
fn note(location: &str, at: &str, offline: bool) -> Value {
    let mut doc = fixture("restaurant-temp-offline-request.json");
    doc["restaurantId"] = json!(location);
    doc["lastChangedTimeStampUtc"] = json!(at);
    for service in ["collection", "delivery", "dineIn"] {
        doc[service]["isOffline"] = json!(offline);
    }
    doc
}

/// A site restaurant (`crate::orders::setup`) that Just Eat also knows, by `ids` (e.g.
/// `{"jet_location_id": …}`).
fn setup_known(app: &App, id: &str, concept: &str, ids: Value) {
    crate::orders::setup(app, id, concept);
    let mut place = json!({
        "id": id, "name": format!("Restaurant {id}"), "utc_offset": "+03:00",
        "start_time": 0, "end_time": 86400, "self_delivery": true,
        "concepts": [{"id": concept, "name": "Вкусные суши"}],
    });
    if let (Some(place), Some(ids)) = (place.as_object_mut(), ids.as_object()) {
        place.extend(ids.clone());
    }
    expect(
        &operator(
            app,
            "PUT",
            &format!("/admin/restaurants/{id}"),
            Some(&place),
        ),
        200,
        "the restaurant with Just Eat's ids",
    );
}

fn temp_offline_takes_the_restaurant_offline_and_back_in_order(app: &App) {
    let (id, concept, location) = ("e2e-jestatus-r", "e2e-jestatus-c", "e2e-jestatus-loc");
    setup_known(app, id, concept, json!({"jet_location_id": location}));
    assert_eq!(online(app, id), (json!(true), Value::Null));

    // Just Eat's published shape, naming the restaurant by its JET Connect location.
    let mut example = fixture("restaurant-temp-offline-request.json");
    example["restaurantId"] = json!(location);

    // A bad signature, or none, changes nothing.
    let forged = post_forged(app, TEMP_OFFLINE, &example);
    expect(&forged, 401, "a forged signature");
    assert!(forged.json()["message"].is_string(), "{}", forged.body);
    let unsigned = request(
        "POST",
        &app.url(TEMP_OFFLINE),
        &[("Content-Type", "application/json")],
        Some(example.to_string().as_bytes()),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    expect(&unsigned, 401, "no signature");
    assert_eq!(online(app, id), (json!(true), Value::Null));
    // An unknown restaurant and a bad body change nothing either.
    let mut unknown = example.clone();
    unknown["restaurantId"] = json!("e2e-jestatus-nowhere");
    let reply = crate::jet_orders::post_signed(app, TEMP_OFFLINE, &unknown);
    expect(&reply, 404, "an unknown restaurant");
    assert!(
        reply.body.contains("e2e-jestatus-nowhere"),
        "{}",
        reply.body
    );
    let bad = json!({"restaurantId": location, "lastChangedTimeStampUtc": "soon"});
    let reply = crate::jet_orders::post_signed(app, TEMP_OFFLINE, &bad);
    expect(&reply, 400, "a bad body");
    let message = reply.json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        message.contains("lastChangedTimeStampUtc") && message.contains("soon"),
        "{message}"
    );
    assert!(message.contains("service type"), "{message}");
    assert_eq!(online(app, id), (json!(true), Value::Null));

    // The example: every service type offline. The restaurant is offline with no end time.
    let reply = crate::jet_orders::post_signed(app, TEMP_OFFLINE, &example);
    expect(&reply, 200, "the temp-offline notification");
    let answer = json!({
        "restaurantId": location, "restaurant_id": id, "offline": true,
        "offline_services": ["delivery", "collection", "dineIn"], "reasons": ["string"],
    });
    assert_eq!(reply.json(), answer);
    assert_eq!(online(app, id), (json!(false), Value::Null));
    let refused = place_order(app, id, concept, "e2e-jestatus-1");
    assert!(
        refused.status >= 400 && refused.body.contains("restaurant_offline"),
        "an offline restaurant takes no order: {} {}",
        refused.status,
        refused.body
    );
    // The same notification again: answered the same, nothing changes.
    let again = crate::jet_orders::post_signed(app, TEMP_OFFLINE, &example);
    expect(&again, 200, "the repeat");
    assert_eq!(again.json(), answer);
    assert_eq!(online(app, id), (json!(false), Value::Null));

    // An older "back online" arriving late changes nothing.
    let late = crate::jet_orders::post_signed(
        app,
        TEMP_OFFLINE,
        &note(location, "2019-08-24T14:15:21.999+00:00", false),
    );
    expect(&late, 200, "a late notification");
    assert_eq!(late.json()["offline"], false, "{}", late.body);
    assert_eq!(online(app, id), (json!(false), Value::Null));

    // A newer one with every service online brings it back: orders are taken again.
    let back = crate::jet_orders::post_signed(
        app,
        TEMP_OFFLINE,
        &note(location, "2019-08-24T16:15:22.5+02:00", false),
    );
    expect(&back, 200, "back online");
    assert_eq!(
        back.json(),
        json!({"restaurantId": location, "restaurant_id": id, "offline": false,
               "offline_services": [], "reasons": []})
    );
    assert_eq!(online(app, id), (json!(true), Value::Null));
    let placed = place_order(app, id, concept, "e2e-jestatus-2");
    expect(&placed, 200, "an order once the restaurant is back");
}

fn backup_list(app: &App) -> Vec<Value> {
    let reply = operator(app, "GET", "/admin/jet/backup-flow", None);
    expect(&reply, 200, "the backup-flow list");
    reply.json()["orders"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn backup_entry(app: &App, id: &str) -> Option<Value> {
    backup_list(app).into_iter().find(|o| o["id"] == id)
}

fn backup_flow_reaches_the_operator_once_and_is_reconciled(app: &App) {
    let (id, location, jet_id) = ("e2e-jestatus-b", "e2e-jestatus-loc-b", "e2e-jestatus-b-1");
    crate::jet_orders::setup(app, id, location);
    let mut example = fixture("failed-order-for-backup-flow-request.json");
    example["order"]["orderId"] = json!(jet_id);
    let reason = example["validationError"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    // A forged signature records nothing; neither does a body without a reason.
    expect(
        &post_forged(app, BACKUP_FLOW, &example),
        401,
        "a forged signature",
    );
    let mut reasonless = example.clone();
    reasonless["validationError"] = json!(" ");
    let reply = crate::jet_orders::post_signed(app, BACKUP_FLOW, &reasonless);
    expect(&reply, 400, "no reason");
    assert!(reply.body.contains("validationError"), "{}", reply.body);
    assert_eq!(backup_entry(app, jet_id), None);

    // Just Eat's published example: recorded with its reason, not reconciled.
    let reply = crate::jet_orders::post_signed(app, BACKUP_FLOW, &example);
    expect(&reply, 200, "the failed order");
    let first = reply.json();
    assert_eq!(first["id"], jet_id, "{first}");
    assert_eq!(first["orderId"], jet_id, "{first}");
    assert_eq!(first["friendlyOrderReference"], "1806363209", "{first}");
    assert_eq!(first["restaurant"], "55303", "{first}");
    assert_eq!(first["reason"], reason.as_str(), "{first}");
    assert_eq!(
        first["unknownReference"], "6440352f-cb04-4d48-b3ed-d945f010c627",
        "{first}"
    );
    assert_eq!(first["reconciled"], false, "{first}");
    let listed = backup_entry(app, jet_id).unwrap_or_else(|| panic!("not listed"));
    assert_eq!(listed, first);
    // Again: one record, answered the same.
    let again = crate::jet_orders::post_signed(app, BACKUP_FLOW, &example);
    expect(&again, 200, "the repeat");
    assert_eq!(again.json(), first);
    let count = backup_list(app)
        .iter()
        .filter(|o| o["id"] == jet_id)
        .count();
    assert_eq!(count, 1);

    // The same order arrives through the normal webhook: the record names the hub order.
    let order = crate::jet_orders::partner_order(jet_id, location);
    let placed = crate::jet_orders::post_signed(app, "/webhooks/jet/orders", &order);
    expect(&placed, 202, "the JET order");
    let order_id = placed.json()["OrderId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let after = backup_entry(app, jet_id).unwrap_or_else(|| panic!("not listed"));
    assert_eq!(after["reconciled"], true, "{after}");
    assert_eq!(after["reconciled_order_id"], order_id.as_str(), "{after}");
    assert!(after["reconciled_at"].is_string(), "{after}");
    assert_eq!(after["reason"], reason.as_str(), "{after}");
    let list = backup_list(app);
    assert!(
        list.windows(2)
            .all(|w| w[0]["received_at"].as_str() >= w[1]["received_at"].as_str()),
        "newest first: {list:?}"
    );

    // A failed order whose order had already been placed is reconciled at once.
    let earlier = "e2e-jestatus-b-2";
    let placed = crate::jet_orders::post_signed(
        app,
        "/webhooks/jet/orders",
        &crate::jet_orders::partner_order(earlier, location),
    );
    expect(&placed, 202, "the second JET order");
    let earlier_order = placed.json()["OrderId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let mut late = example.clone();
    late["order"]["orderId"] = json!(earlier);
    let reply = crate::jet_orders::post_signed(app, BACKUP_FLOW, &late);
    expect(&reply, 200, "a report of a placed order");
    assert_eq!(reply.json()["reconciled"], true, "{}", reply.body);
    assert_eq!(reply.json()["reconciled_order_id"], earlier_order.as_str());
}

fn put_status(app: &App, name: &str, key: Option<&str>, body: &Value) -> Reply {
    let path = format!("/webhooks/just-eat/{name}");
    let auth = key.map(|k| format!("JE-API-KEY {k}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(auth) = auth.as_deref() {
        headers.push(("Authorization", auth));
    }
    let text = body.to_string();
    let reply = request("PUT", &app.url(&path), &headers, Some(text.as_bytes()))
        .unwrap_or_else(|e| panic!("PUT {path}: {e}"));
    crate::conform::check("PUT", &path, &reply);
    reply
}

fn partner_offline_and_online_status_keep_the_flag_true(app: &App) {
    let (id, concept, je_id) = ("e2e-jestatus-p", "e2e-jestatus-pc", "e2e-jestatus-je-1");
    setup_known(
        app,
        id,
        concept,
        json!({"orderconnect_restaurant_id": je_id}),
    );
    let mut offline = fixture("restaurant-offline-status-request.json");
    offline["RestaurantId"] = json!(je_id);
    let mut online_doc = offline.clone();
    online_doc["IsOffline"] = json!(false);

    // A wrong key, or none, changes nothing.
    let dev = Some("dev-orderconnect-key");
    expect(
        &put_status(app, "restaurant-offline-status", Some("wrong"), &offline),
        401,
        "a wrong key",
    );
    expect(
        &put_status(app, "restaurant-offline-status", None, &offline),
        401,
        "no key",
    );
    assert_eq!(online(app, id), (json!(true), Value::Null));
    let mut unknown = offline.clone();
    unknown["RestaurantId"] = json!("e2e-jestatus-je-nobody");
    let reply = put_status(app, "restaurant-offline-status", dev, &unknown);
    expect(&reply, 404, "an unknown restaurant");
    assert!(
        reply.body.contains("e2e-jestatus-je-nobody"),
        "{}",
        reply.body
    );

    // Just Eat's published example takes it offline: the admin read and the site say so.
    let reply = put_status(app, "restaurant-offline-status", dev, &offline);
    expect(&reply, 200, "offline status");
    let answer = json!({"RestaurantId": je_id, "restaurant_id": id, "online": false});
    assert_eq!(reply.json(), answer);
    assert_eq!(online(app, id), (json!(false), Value::Null));
    let refused = place_order(app, id, concept, "e2e-jestatus-p-1");
    assert!(
        refused.status >= 400 && refused.body.contains("restaurant_offline"),
        "{} {}",
        refused.status,
        refused.body
    );
    let again = put_status(app, "restaurant-offline-status", dev, &offline);
    expect(&again, 200, "the repeat");
    assert_eq!(again.json(), answer);

    // Online status: a wrong key changes nothing, a contradiction is refused, then back.
    expect(
        &put_status(app, "restaurant-online-status", Some("wrong"), &online_doc),
        401,
        "a wrong key",
    );
    let reply = put_status(app, "restaurant-online-status", dev, &offline);
    expect(&reply, 400, "IsOffline true sent as online");
    assert!(reply.body.contains("IsOffline"), "{}", reply.body);
    assert_eq!(online(app, id), (json!(false), Value::Null));
    let reply = put_status(app, "restaurant-online-status", dev, &online_doc);
    expect(&reply, 200, "online status");
    assert_eq!(
        reply.json(),
        json!({"RestaurantId": je_id, "restaurant_id": id, "online": true})
    );
    assert_eq!(online(app, id), (json!(true), Value::Null));
    expect(
        &place_order(app, id, concept, "e2e-jestatus-p-2"),
        200,
        "an order once back online",
    );

    // An operator's pause reason describes the operator's pause only: once Just Eat changes
    // the state itself, the reason is gone.
    let path = format!("/admin/restaurants/{id}/pause");
    let body = json!({"reason": "Kitchen flooded", "until": null}).to_string();
    let operator = [
        ("X-Flyt-Api-Key", "dev-operator-key"),
        ("Content-Type", "application/json"),
    ];
    let paused = request("PUT", &app.url(&path), &operator, Some(body.as_bytes()))
        .unwrap_or_else(|e| panic!("PUT {path}: {e}"));
    expect(&paused, 202, "the operator's pause");
    let reason = || {
        let path = format!("/admin/restaurants/{id}");
        let reply = request("GET", &app.url(&path), &operator, None)
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        expect(&reply, 200, "the restaurant");
        reply.json()["pause_reason"].clone()
    };
    assert_eq!(reason(), json!("Kitchen flooded"));
    let reply = put_status(app, "restaurant-offline-status", dev, &offline);
    expect(&reply, 200, "Just Eat's offline status");
    assert_eq!(reason(), Value::Null);
    assert_eq!(online(app, id).0, json!(false));
}

fn post_ingestion(app: &App, key: Option<&str>, body: &Value) -> Reply {
    let path = "/webhooks/just-eat/menu-ingestion-complete";
    let auth = key.map(|k| format!("JE-API-KEY {k}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(auth) = auth.as_deref() {
        headers.push(("Authorization", auth));
    }
    let text = body.to_string();
    let reply = request("POST", &app.url(path), &headers, Some(text.as_bytes()))
        .unwrap_or_else(|e| panic!("POST {path}: {e}"));
    crate::conform::check("POST", path, &reply);
    reply
}

fn ingestions(app: &App, id: &str) -> Vec<Value> {
    let reply = operator(app, "GET", "/admin/just-eat/menu-ingestions", None);
    expect(&reply, 200, "the menu ingestions");
    reply.json()["ingestions"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| i["id"] == id)
        .collect()
}

fn menu_ingestion_complete_reaches_the_operator_once(app: &App) {
    let (id, concept, je_id) = ("e2e-jestatus-m", "e2e-jestatus-mc", "e2e-jestatus-je-m");
    setup_known(
        app,
        id,
        concept,
        json!({"orderconnect_restaurant_id": je_id}),
    );
    let correlation = "e2e-jestatus-corr-1";
    let mut example = fixture("menu-ingestion-complete-request.json");
    example["restaurantId"] = json!(je_id);
    example["correlationId"] = json!(correlation);
    let key = format!("{correlation}:{je_id}");
    let dev = Some("dev-orderconnect-key");

    // A wrong key, or a result that is neither success nor fail, records nothing.
    expect(
        &post_ingestion(app, Some("wrong"), &example),
        401,
        "a wrong key",
    );
    let mut odd = example.clone();
    odd["result"] = json!("maybe");
    odd["timestamp"] = json!("later");
    let reply = post_ingestion(app, dev, &odd);
    expect(&reply, 400, "a bad report");
    assert!(
        reply.body.contains("maybe") && reply.body.contains("timestamp"),
        "{}",
        reply.body
    );
    assert!(ingestions(app, &key).is_empty());

    // Just Eat's published example: the failure and its errors, at our restaurant.
    let reply = post_ingestion(app, dev, &example);
    expect(&reply, 200, "the report");
    let record = reply.json();
    assert_eq!(record["id"], key.as_str(), "{record}");
    assert_eq!(record["result"], "fail", "{record}");
    assert_eq!(record["restaurant_id"], id, "{record}");
    assert_eq!(record["restaurantId"], je_id, "{record}");
    assert_eq!(record["tenant"], "uk", "{record}");
    assert_eq!(
        record["finished_at"], "2020-01-01T00:00:00.000Z",
        "{record}"
    );
    assert_eq!(record["errors"], example["fault"]["errors"], "{record}");
    assert_eq!(ingestions(app, &key), vec![record.clone()]);
    // Again: one record, answered the same.
    let again = post_ingestion(app, dev, &example);
    expect(&again, 200, "the repeat");
    assert_eq!(again.json(), record);
    assert_eq!(ingestions(app, &key).len(), 1);
}

fn order_times(app: &App, id: &str) -> Vec<Value> {
    let reply = operator(app, "GET", &format!("/admin/restaurants/{id}"), None);
    expect(&reply, 200, "the restaurant");
    reply.json()["order_times"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn post_order_time(app: &App, key: &str, body: &Value) -> Reply {
    let path = "/webhooks/just-eat/order-time-updated";
    let auth = format!("JE-API-KEY {key}");
    let text = body.to_string();
    let reply = request(
        "POST",
        &app.url(path),
        &[
            ("Content-Type", "application/json"),
            ("Authorization", &auth),
        ],
        Some(text.as_bytes()),
    )
    .unwrap_or_else(|e| panic!("POST {path}: {e}"));
    crate::conform::check("POST", path, &reply);
    reply
}

fn order_time_updated_is_the_restaurants_order_time_for_that_day(app: &App) {
    let (id, concept, je_id) = ("e2e-jestatus-t", "e2e-jestatus-tc", "e2e-jestatus-je-t");
    setup_known(
        app,
        id,
        concept,
        json!({"orderconnect_restaurant_id": je_id}),
    );
    let mut example = fixture("order-time-updated-request.json");
    example["restaurantId"] = json!(je_id);

    expect(&post_order_time(app, "wrong", &example), 401, "a wrong key");
    let mut bad = example.clone();
    bad["serviceType"] = json!("DineIn");
    bad["lowerBoundMinutes"] = json!(60);
    let refused = post_order_time(app, "dev-orderconnect-key", &bad);
    expect(&refused, 400, "a bad body");
    assert!(
        refused.body.contains("serviceType") && refused.body.contains("lowerBoundMinutes"),
        "every problem: {}",
        refused.body
    );
    let mut unknown = example.clone();
    unknown["restaurantId"] = json!("e2e-jestatus-nobody");
    expect(
        &post_order_time(app, "dev-orderconnect-key", &unknown),
        404,
        "unknown",
    );
    assert!(order_times(app, id).is_empty(), "nothing stored yet");

    let reply = post_order_time(app, "dev-orderconnect-key", &example);
    expect(&reply, 200, "the published example");
    assert_eq!(reply.json()["restaurant_id"], id, "{}", reply.body);
    let times = order_times(app, id);
    assert_eq!(times.len(), 1, "{times:?}");
    assert_eq!(
        (
            &times[0]["service_type"],
            &times[0]["day_of_week"],
            &times[0]["lower_minutes"],
            &times[0]["upper_minutes"]
        ),
        (&json!("Delivery"), &json!("monday"), &json!(35), &json!(50))
    );
    // The same day and service again replaces it; another day is its own entry.
    let mut later = example.clone();
    later["lowerBoundMinutes"] = json!(40);
    later["upperBoundMinutes"] = json!(70);
    expect(
        &post_order_time(app, "dev-orderconnect-key", &later),
        200,
        "a change",
    );
    let mut tuesday = example;
    tuesday["dayOfWeek"] = json!("tuesday");
    expect(
        &post_order_time(app, "dev-orderconnect-key", &tuesday),
        200,
        "another day",
    );
    let times = order_times(app, id);
    assert_eq!(times.len(), 2, "{times:?}");
    assert_eq!(
        (&times[0]["lower_minutes"], &times[0]["upper_minutes"]),
        (&json!(40), &json!(70))
    );
    assert_eq!(times[1]["day_of_week"], "tuesday");
}
