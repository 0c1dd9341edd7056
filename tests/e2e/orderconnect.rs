//! Issue 7, Just Eat orders over Orderconnect: `PUT /webhooks/orderconnect/orders` with the
//! fixtures (`fixtures/orderconnect/`) accepted, stored and visible; every reason code with
//! its exact body; a repeated `Id` answered `409 duplicate` every time; bad keys and bad
//! input change nothing; status changes producing Just Eat's delivery-state calls at a sink,
//! in order, once each, retried when the sink fails first; the driver-location relay and
//! its rate limit.
//!
//! Each test writes restaurants of its own (`e2e-oc-…`, Orderconnect ids `e2e-oc-…`), open
//! round the clock unless the test says otherwise, with the demo menu under a concept of
//! their own (the only one, so the fixtures' `MenuId` 7 need not match). The delivery-state
//! test runs a Worker of its own whose `JUST_EAT_API_URL` is its sink.

use std::time::Duration;

use orderbridge_e2e::{
    demo_zone, expect, repo_root, request, App, AppOptions, FakeJupiter, Reply, Sink,
};
use serde_json::{json, Value};

use crate::{AppTest, PlainTest};

pub const TESTS: &[(&str, AppTest)] = &[
    (
        "orderconnect_the_fixtures_are_accepted_stored_and_visible",
        the_fixtures_are_accepted_stored_and_visible,
    ),
    (
        "orderconnect_a_repeated_id_is_a_duplicate_however_often",
        a_repeated_id_is_a_duplicate_however_often,
    ),
    (
        "orderconnect_each_reason_code_is_answered_with_its_exact_body",
        each_reason_code_is_answered_with_its_exact_body,
    ),
    (
        "orderconnect_bad_keys_and_bad_input_change_nothing",
        bad_keys_and_bad_input_change_nothing,
    ),
    (
        "orderconnect_an_array_is_handled_element_by_element_keyed_by_order_id",
        an_array_is_handled_element_by_element_keyed_by_order_id,
    ),
    (
        "orderconnect_just_eats_published_array_example_is_accepted",
        just_eats_published_array_example_is_accepted,
    ),
    (
        "orderconnect_items_map_through_the_operator_mapping_and_unmapped_ids_are_named",
        items_map_through_the_operator_mapping_and_unmapped_ids_are_named,
    ),
    (
        "orderconnect_namespace_a_site_order_numbered_like_it_does_not_block_it",
        a_site_order_numbered_like_it_does_not_block_it,
    ),
];

/// Tests that start a Worker of their own (Just Eat's base URL is their sink).
pub const PLAIN_TESTS: &[(&str, PlainTest)] = &[
    (
        "orderconnect_status_changes_reach_just_eat_in_order_once_each_and_retried",
        status_changes_reach_just_eat_in_order_once_each_and_retried,
    ),
    (
        "orderconnect_the_jupiter_order_carries_what_the_customer_pays",
        the_jupiter_order_carries_what_the_customer_pays,
    ),
];

const OPERATOR: (&str, &str) = ("X-Flyt-Api-Key", "dev-operator-key");
const ORDERCONNECT: (&str, &str) = ("Authorization", "JE-API-KEY dev-orderconnect-key");
const JUST_EAT_KEY: &str = "e2e-just-eat-key";
const PATH: &str = "/webhooks/orderconnect/orders";

fn call(app: &App, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    let reply = request(method, &app.url(path), &all, Some(body))
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    crate::conform::check(method, path, &reply);
    reply
}

fn operator(app: &App, method: &str, path: &str, body: &Value) -> Reply {
    call(app, method, path, &[OPERATOR], body.to_string().as_bytes())
}

fn put_order(app: &App, order: &Value) -> Reply {
    call(
        app,
        "PUT",
        PATH,
        &[ORDERCONNECT],
        order.to_string().as_bytes(),
    )
}

/// How a test restaurant differs from one that takes every order.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Open,
    /// Open only for one hour twelve hours from now.
    Closed,
    Offline,
    NoZones,
    /// T20231 on the stop list.
    Stopped,
}

/// Restaurant `id` with Orderconnect id `id` too, concept `<id>-c`, the demo zone and menu.
pub(crate) fn setup(app: &App, id: &str, kind: Kind) {
    let (start, end) = if kind == Kind::Closed {
        // Moscow seconds of the day now, and a one-hour window twelve hours away.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let local = (now + 3 * 3600).rem_euclid(86_400);
        let start = (local + 12 * 3600).rem_euclid(86_400);
        (start, (start + 3600).rem_euclid(86_400))
    } else {
        (0, 86_400)
    };
    let concept = format!("{id}-c");
    let place = json!({
        "id": id, "name": format!("Restaurant {id}"), "utc_offset": "+03:00",
        "start_time": start, "end_time": end, "self_delivery": true,
        "concepts": [{"id": concept, "name": "Вкусные суши"}],
        "orderconnect_restaurant_id": id
    });
    expect(
        &operator(app, "PUT", &format!("/admin/restaurants/{id}"), &place),
        200,
        "restaurant",
    );
    if kind != Kind::NoZones {
        let zones = json!({
            "restaurant_id": id, "concept_id": concept,
            "lastChange": "2024-05-21T16:19:13.000+03:00",
            "zones": [demo_zone(&format!("{id}-z"))]
        });
        let path = format!("/admin/delivery_zones?restaurant_id={id}&concept_id={concept}");
        expect(&operator(app, "PUT", &path, &zones), 200, "zones");
    }
    let menu: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("fixtures/demo/menu-000127-7.json"))
            .unwrap_or_else(|e| panic!("demo menu: {e}")),
    )
    .unwrap_or_else(|e| panic!("demo menu: {e}"));
    let menu = json!({"restaurant_id": id, "concept_id": concept, "menu": menu["menu"]});
    let path = format!("/admin/menu?restaurant_id={id}&concept_id={concept}");
    expect(&operator(app, "PUT", &path, &menu), 200, "menu");
    if kind == Kind::Stopped {
        let stop = json!({"stop_lists": [{
            "restaurant_id": id, "lastChange": "2024-06-10T22:02:27.000+03:00",
            "items": [{"id": "T20231"}]
        }]});
        expect(
            &operator(app, "PUT", "/admin/stop_list", &stop),
            200,
            "stop list",
        );
    }
    if kind == Kind::Offline {
        let path = format!("/jet-connect/restaurants/{id}/offline");
        let reply = operator(
            app,
            "PUT",
            &path,
            &json!({"onlineAt": "2030-01-01T09:00:00"}),
        );
        assert!(reply.status < 300, "offline: {}", reply.body);
    }
}

/// A fixture for restaurant `restaurant` with Just Eat id `id`.
pub(crate) fn fixture(name: &str, id: &str, restaurant: &str) -> Value {
    let text = std::fs::read_to_string(repo_root().join("fixtures/orderconnect").join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    doc["Id"] = json!(id);
    doc["RestaurantInfo"]["Id"] = json!(restaurant);
    doc
}

pub(crate) fn accepted(app: &App, order: &Value) -> String {
    let reply = put_order(app, order);
    expect(&reply, 201, "order");
    reply.json()["order_id"]
        .as_str()
        .unwrap_or_else(|| panic!("no order_id: {}", reply.body))
        .to_owned()
}

fn errors(messages: &[(&str, &str)]) -> Value {
    json!({"errors": messages.iter().map(|(c, m)| json!({"code": c, "message": m})).collect::<Vec<_>>()})
}

fn the_fixtures_are_accepted_stored_and_visible(app: &App) {
    let r = "e2e-oc-accept";
    setup(app, r, Kind::Open);
    for (name, id) in [
        ("delivery-order.json", "e2e-oc-accept-delivery"),
        ("collection-order.json", "e2e-oc-accept-collection"),
    ] {
        let order_id = accepted(app, &fixture(name, id, r));
        let reply = request(
            "GET",
            &app.url(&format!("/site-api/orders/{order_id}")),
            &[],
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        expect(&reply, 200, "stored order");
        let doc = reply.json();
        assert_eq!(doc["number"], format!("oc-{id}"), "{doc}");
        assert_eq!(doc["restaurant_id"], r, "{doc}");
        assert_eq!(doc["status"], 0, "{doc}");
        assert_eq!(doc["history"].as_array().map(Vec::len), Some(1), "{doc}");
    }
    // As committed, the collection fixture is for the demo restaurant (Orderconnect id
    // 127127, menu 7) and is taken at any time of day (a preorder for 19:30 Moscow time).
    let text =
        std::fs::read_to_string(repo_root().join("fixtures/orderconnect/collection-order.json"))
            .unwrap_or_else(|e| panic!("{e}"));
    let demo: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let reply = put_order(app, &demo);
    expect(&reply, 201, "the demo collection order");
    assert_eq!(
        reply.json()["number"],
        "oc-oc81e2b4c6d8f0a2c4e6a8b0c2d4e6f8",
        "{}",
        reply.body
    );
}

fn a_repeated_id_is_a_duplicate_however_often(app: &App) {
    let r = "e2e-oc-dup";
    setup(app, r, Kind::Open);
    let order = fixture("delivery-order.json", "e2e-oc-dup-1", r);
    let order_id = accepted(app, &order);
    let want = errors(&[(
        "duplicate",
        &format!("Id: order \"e2e-oc-dup-1\" was accepted before (hub order {order_id})"),
    )]);
    let mut changed = order.clone();
    changed["RestaurantInfo"]["Id"] = json!("e2e-oc-nobody");
    for (what, body) in [
        ("again", &order),
        ("once more", &order),
        ("changed", &changed),
    ] {
        let reply = put_order(app, body);
        expect(&reply, 409, what);
        assert_eq!(reply.json(), want, "{what}");
    }
}

fn each_reason_code_is_answered_with_its_exact_body(app: &App) {
    let open = "e2e-oc-why-open";
    setup(app, open, Kind::Open);
    for (r, kind) in [
        ("e2e-oc-why-closed", Kind::Closed),
        ("e2e-oc-why-offline", Kind::Offline),
        ("e2e-oc-why-nozones", Kind::NoZones),
        ("e2e-oc-why-stopped", Kind::Stopped),
    ] {
        setup(app, r, kind);
    }
    let delivery = |id: &str, r: &str| fixture("delivery-order.json", id, r);
    let mut totals = delivery("e2e-oc-why-1", open);
    totals["BasketInfo"]["SubTotal"] = json!(2099.99);
    let mut no_address = delivery("e2e-oc-why-5", open);
    no_address["CustomerInfo"]["Address"] = json!("");
    let mut london = delivery("e2e-oc-why-6", open);
    london["CustomerInfo"]["Latitude"] = json!(51.5);
    london["CustomerInfo"]["Longitude"] = json!(-0.12);
    let cases: Vec<(&str, Value, Value)> = vec![
        (
            "bad_request",
            totals,
            errors(&[
                ("bad_request", "BasketInfo.SubTotal: is 2099.99 but the GroupedBasketItems' CombinedPrice add up to 2100, more than the basket before discounts"),
                ("bad_request", "BasketInfo.Total: is 2015 but SubTotal 2099.99 - Discount 210 - MultiBuyDiscount 0 + DeliveryCharge 125 = 2014.99"),
            ]),
        ),
        (
            "restaurant_not_configured",
            delivery("e2e-oc-why-2", "e2e-oc-nobody"),
            errors(&[("restaurant_not_configured", "RestaurantInfo.Id: no restaurant in the hub is configured for Orderconnect restaurant \"e2e-oc-nobody\"")]),
        ),
        (
            "outside_hours",
            delivery("e2e-oc-why-3", "e2e-oc-why-closed"),
            errors(&[("outside_hours", "Order.PlacedDate: the restaurant is closed now")]),
        ),
        (
            "too_busy",
            delivery("e2e-oc-why-4", "e2e-oc-why-offline"),
            errors(&[("too_busy", "RestaurantInfo.Id: the restaurant is paused (offline) and takes no orders now")]),
        ),
        (
            "bad_address",
            no_address,
            errors(&[("bad_address", "CustomerInfo.Address: a Delivery order needs the customer's street address")]),
        ),
        (
            "other",
            delivery("e2e-oc-why-8", "e2e-oc-why-stopped"),
            errors(&[("other", "BasketInfo.GroupedBasketItems[1].BasketItem.ProductId: \"T20231\" is on the stop list (sold out)")]),
        ),
    ];
    for (code, order, want) in cases {
        let reply = put_order(app, &order);
        expect(&reply, 400, code);
        assert_eq!(reply.json(), want, "{code}");
    }
    // Just Eat accepted the address already (issue 16): a customer outside every zone, or a
    // restaurant without zones, is not `too_far`/`not_supported` but the named restaurant's
    // order, the kitchen told so.
    for (what, order) in [
        ("outside every zone", london),
        ("no zones", delivery("e2e-oc-why-7", "e2e-oc-why-nozones")),
    ] {
        expect(&put_order(app, &order), 201, what);
    }
    // `duplicate` (409) has a test of its own.
}

fn bad_keys_and_bad_input_change_nothing(app: &App) {
    let r = "e2e-oc-auth";
    setup(app, r, Kind::Open);
    let order = fixture("collection-order.json", "e2e-oc-auth-1", r);
    let body = order.to_string();
    let unauthorized = errors(&[("other", "missing or invalid Authorization: JE-API-KEY")]);
    for (what, headers) in [
        ("no key", vec![]),
        (
            "wrong key",
            vec![("Authorization", "JE-API-KEY dev-orderconnect-kez")],
        ),
        (
            "other scheme",
            vec![("Authorization", "Bearer dev-orderconnect-key")],
        ),
        ("operator key", vec![OPERATOR]),
    ] {
        let reply = call(app, "PUT", PATH, &headers, body.as_bytes());
        expect(&reply, 401, what);
        assert_eq!(reply.json(), unauthorized, "{what}");
    }
    let not_json = call(app, "PUT", PATH, &[ORDERCONNECT], b"{\"Id\": ");
    expect(&not_json, 400, "not json");
    let doc = not_json.json();
    assert_eq!(doc["errors"][0]["code"], "bad_request", "{doc}");
    assert!(
        doc["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("the body is not a ConnectOrder")),
        "{doc}"
    );
    let mut broken = order.clone();
    broken["PaymentInfo"]["Total"] = json!(599.99);
    expect(&put_order(app, &broken), 400, "broken");
    // None of that stored anything: the order is new when it finally comes right.
    accepted(app, &order);
}

fn status_changes_reach_just_eat_in_order_once_each_and_retried() {
    let sink = Sink::start();
    let app = App::spawn(AppOptions {
        demo_data: false,
        vars: [
            ("JUST_EAT_API_URL", sink.url("/je").as_str()),
            ("JUST_EAT_API_KEY", JUST_EAT_KEY),
            ("RETRY_FIRST_DELAY_SECS", "1"),
            ("RETRY_FACTOR", "2"),
            ("RETRY_MAX_DELAY_SECS", "4"),
            ("RETRY_MAX_ATTEMPTS", "5"),
            ("ATTEMPT_TIMEOUT_SECS", "2"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect(),
    });
    let r = "e2e-oc-states";
    setup(&app, r, Kind::Open);
    let je = "e2e-oc-states-1";
    let order_id = accepted(&app, &fixture("delivery-order.json", je, r));
    let set_status = |status: i64| {
        let path = format!("/admin/orders/{order_id}/status");
        expect(
            &operator(&app, "POST", &path, &json!({ "status": status })),
            200,
            &format!("status {status}"),
        );
    };
    let paths = |received: &[orderbridge_e2e::Received]| -> Vec<(String, u16)> {
        received
            .iter()
            .map(|r| (format!("{} {}", r.method, r.url), r.answered))
            .collect()
    };
    let base = format!("/je/orders/{je}/deliverystate");

    // A location before a driver is on the way is refused and sends nothing.
    let location = json!({"Location": {"Latitude": 55.7601, "Longitude": 37.6101, "Speed": 8.5}});
    let path = format!("/admin/orders/{order_id}/driver-location");
    expect(
        &operator(&app, "PUT", &path, &location),
        409,
        "location at 0",
    );

    set_status(10);
    // The operator names the courier: driverassigned, with that driver, at that moment.
    let driver_path = format!("/admin/orders/{order_id}/driver");
    let nameless = operator(
        &app,
        "PUT",
        &driver_path,
        &json!({"DriverContactNumber": "+44"}),
    );
    expect(&nameless, 400, "a driver without a name or vehicle");
    sink.fail_next(1, 503);
    let driver = json!({"DriverName": "David", "VehicleDetails": {"Vehicle": "Motorbike"}});
    expect(&operator(&app, "PUT", &driver_path, &driver), 202, "driver");
    let got = sink.wait_for(2, Duration::from_secs(20));
    assert_eq!(
        paths(&got),
        vec![
            (format!("PUT {base}/driverassigned"), 503),
            (format!("PUT {base}/driverassigned"), 200),
        ],
        "{got:#?}"
    );
    assert_eq!(
        got[0].header("X-Orderbridge-Delivery"),
        got[1].header("X-Orderbridge-Delivery"),
        "a retry is the same delivery"
    );
    let assigned: Value = serde_json::from_str(&got[1].body).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(assigned["DriverName"], "David", "{assigned}");
    assert_eq!(
        assigned["VehicleDetails"]["Vehicle"], "Motorbike",
        "{assigned}"
    );
    let stamp = assigned["TimeStampWithUtcOffset"]
        .as_str()
        .unwrap_or_default();
    assert!(stamp.ends_with("+03:00") && stamp.len() == 29, "{stamp}");
    // Status 20 is the courier leaving with the food: onitsway, and no second driverassigned.
    set_status(20);
    let got = sink.wait_for(3, Duration::from_secs(20));
    assert_eq!(
        paths(&got[2..]),
        vec![(format!("PUT {base}/onitsway"), 200)],
        "{got:#?}"
    );
    for r in &got {
        assert_eq!(
            r.header("Authorization"),
            Some("JE-API-KEY e2e-just-eat-key")
        );
    }
    let on_its_way: Value = serde_json::from_str(&got[2].body).unwrap_or_else(|e| panic!("{e}"));
    assert!(on_its_way.get("DriverName").is_none(), "{on_its_way}");

    // The driver's position is relayed once; a second one within 10 s is refused.
    let first = operator(&app, "PUT", &path, &location);
    expect(&first, 202, "location");
    let again = operator(&app, "PUT", &path, &location);
    expect(&again, 429, "location again");
    let wait: i64 = again
        .header("Retry-After")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    assert!((1..=10).contains(&wait), "Retry-After {wait}");
    let got = sink.wait_for(4, Duration::from_secs(10));
    assert_eq!(
        paths(&got[3..]),
        vec![(format!("PUT {base}/driverlocation"), 200)],
        "{got:#?}"
    );
    let relayed: Value = serde_json::from_str(&got[3].body).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(relayed["Location"]["Latitude"], 55.7601, "{relayed}");

    set_status(30);
    let got = sink.wait_for(5, Duration::from_secs(10));
    assert_eq!(
        paths(&got[4..]),
        vec![(format!("PUT {base}/delivered"), 200)],
        "{got:#?}"
    );
    // A driver cannot be named once it is delivered.
    expect(
        &operator(&app, "PUT", &driver_path, &driver),
        409,
        "driver when delivered",
    );
    // Once each: nothing else arrives.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(sink.received().len(), 5, "{:#?}", sink.received());

    // A collection order has no courier: neither delivered nor driverunassigned, nothing
    // at all, whether it is collected or cancelled; it cannot be given a driver.
    for (je, last) in [("e2e-oc-states-2", 30), ("e2e-oc-states-3", 5)] {
        let order_id = accepted(&app, &fixture("collection-order.json", je, r));
        let driver_path = format!("/admin/orders/{order_id}/driver");
        expect(
            &operator(&app, "PUT", &driver_path, &driver),
            409,
            "driver of a collection",
        );
        for status in [10, last] {
            let path = format!("/admin/orders/{order_id}/status");
            expect(
                &operator(&app, "POST", &path, &json!({ "status": status })),
                200,
                &format!("status {status}"),
            );
        }
    }
    // A cancelled delivery is not disguised as an unassignment: nothing is sent.
    let je = "e2e-oc-states-4";
    let order_id = accepted(&app, &fixture("delivery-order.json", je, r));
    for status in [10, 5] {
        let path = format!("/admin/orders/{order_id}/status");
        expect(
            &operator(&app, "POST", &path, &json!({ "status": status })),
            200,
            &format!("status {status}"),
        );
    }
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(sink.received().len(), 5, "{:#?}", sink.received());
    let path = format!("/admin/orders/{order_id}/driver-location");
    expect(
        &operator(&app, "PUT", &path, &location),
        409,
        "location when cancelled",
    );
}

/// The current `PUT /order-requires-delivery-acceptance` shape: an array of ConnectOrder,
/// each keyed by `OrderId`; seed 001's object keeps working.
fn an_array_is_handled_element_by_element_keyed_by_order_id(app: &App) {
    let r = "e2e-oc-array";
    setup(app, r, Kind::Open);
    let element = |order_id: &str, id: &str, name: &str| {
        let mut o = fixture(name, id, r);
        o["OrderId"] = json!(order_id);
        o
    };
    let a = element("e2e-oc-array-a", "348322088", "delivery-order.json");
    let b = element("e2e-oc-array-b", "348322089", "collection-order.json");
    // One element refused refuses the array, naming the element; nothing is stored.
    let mut bad = b.clone();
    bad["BasketInfo"]["Total"] = json!(1);
    let reply = put_order(app, &json!([a, bad]));
    expect(&reply, 400, "one element refused");
    let doc = reply.json();
    let messages: Vec<&str> = doc["errors"]
        .as_array()
        .map(|e| e.iter().filter_map(|x| x["message"].as_str()).collect())
        .unwrap_or_default();
    assert!(messages.iter().all(|m| m.starts_with("[1].")), "{doc}");
    // Both accepted, each its own hub order, numbered by OrderId.
    let reply = put_order(app, &json!([a, b]));
    expect(&reply, 201, "array");
    let doc = reply.json();
    let orders = doc["orders"].as_array().cloned().unwrap_or_default();
    assert_eq!(orders.len(), 2, "{doc}");
    for (o, key) in orders.iter().zip(["e2e-oc-array-a", "e2e-oc-array-b"]) {
        assert_eq!(o["OrderId"], key, "{doc}");
        assert_eq!(o["status"], "accepted", "{doc}");
        assert_eq!(o["number"], format!("oc-{key}"), "{doc}");
    }
    // The same array again: every element a duplicate, named by OrderId.
    let reply = put_order(app, &json!([a, b]));
    expect(&reply, 409, "array again");
    assert_eq!(
        reply.json()["errors"][0]["code"],
        "duplicate",
        "{}",
        reply.body
    );
    assert!(
        reply.json()["errors"][0]["message"].as_str().is_some_and(
            |m| m.starts_with("[0].OrderId: order \"e2e-oc-array-a\" was accepted before")
        ),
        "{}",
        reply.body
    );
    // A new element beside an old one: the new one is stored, the old one reported.
    let c = element("e2e-oc-array-c", "348322090", "delivery-order.json");
    let reply = put_order(app, &json!([a, c]));
    expect(&reply, 201, "old and new");
    let doc = reply.json();
    assert_eq!(doc["orders"][0]["status"], "duplicate", "{doc}");
    assert_eq!(doc["orders"][1]["status"], "accepted", "{doc}");
}

fn items_map_through_the_operator_mapping_and_unmapped_ids_are_named(app: &App) {
    let r = "e2e-oc-map";
    setup(app, r, Kind::Open);
    // Just Eat's ids only: ProductId 777001 (no menu item), MenuCardNumber "JE-1".
    let mut order = fixture("delivery-order.json", "e2e-oc-map-1", r);
    order["BasketInfo"]["GroupedBasketItems"][0]["BasketItem"]["ProductId"] = json!(777001);
    order["BasketInfo"]["GroupedBasketItems"][0]["BasketItem"]["MenuCardNumber"] = json!("JE-1");
    order["BasketInfo"]["GroupedBasketItems"][0]["MenuCardNumber"] = json!("JE-1");
    let reply = put_order(app, &order);
    expect(&reply, 400, "unmapped");
    assert_eq!(
        reply.json(),
        errors(&[("bad_request", &format!("BasketInfo.GroupedBasketItems[0].BasketItem.ProductId: neither ProductId 777001 nor MenuCardNumber \"JE-1\" is mapped or an item on the menu of restaurant \"{r}\""))]),
    );
    let mapping = json!({"items": [
        {"kind": "product", "just_eat_id": "777001", "item_id": "555333111"}
    ]});
    let path = format!("/admin/restaurants/{r}/orderconnect-items");
    let bad = operator(
        app,
        "PUT",
        &path,
        &json!({"items": [{"kind": "dish", "just_eat_id": "1", "item_id": ""}]}),
    );
    expect(&bad, 400, "bad mapping");
    let stored = operator(app, "PUT", &path, &mapping);
    expect(&stored, 200, "mapping");
    assert_eq!(stored.json()["items"], mapping["items"], "{}", stored.body);
    accepted(app, &order);
}

/// Just Eat's published `PUT /order-requires-delivery-acceptance` body (FACTS §5.5), as
/// published but for `RestaurantInfo.Id`: its ids mapped by the operator onto the demo menu,
/// a zone round its London customer. It has no `PlacedDate`, lines that add up to less than
/// `SubTotal` and payment values that differ from its `Total`; it is accepted.
fn just_eats_published_array_example_is_accepted(app: &App) {
    let r = "e2e-oc-published";
    setup(app, r, Kind::NoZones);
    let concept = format!("{r}-c");
    let london = json!({
        "restaurant_id": r, "concept_id": concept,
        "lastChange": "2024-05-21T16:19:13.000+03:00",
        "zones": [{
            "id": format!("{r}-z"), "name": "London", "sum_min": 0, "time_min": 30,
            "time_max": 45, "delivery_price": 5, "sum_for_free": 0,
            "coordinates": [["-0.2", "51.45"], ["-0.2", "51.55"], ["0.0", "51.55"],
                            ["0.0", "51.45"], ["-0.2", "51.45"]]
        }]
    });
    let path = format!("/admin/delivery_zones?restaurant_id={r}&concept_id={concept}");
    expect(&operator(app, "PUT", &path, &london), 200, "zones");
    let mapping = json!({"items": [
        {"kind": "product", "just_eat_id": "45858074", "item_id": "555333111"},
        {"kind": "accessory", "just_eat_id": "56168", "item_id": "6021"},
        {"kind": "accessory", "just_eat_id": "225025", "item_id": "6042"},
        {"kind": "meal_part", "just_eat_id": "45822750", "item_id": "6042"}
    ]});
    let path = format!("/admin/restaurants/{r}/orderconnect-items");
    expect(&operator(app, "PUT", &path, &mapping), 200, "mapping");
    let text = std::fs::read_to_string(
        repo_root().join("fixtures/orderconnect/just-eat-array-example.json"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut body: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    body[0]["RestaurantInfo"]["Id"] = json!(r);
    let reply = put_order(app, &body);
    expect(&reply, 201, "the published example");
    let doc = reply.json();
    assert_eq!(
        doc["orders"][0]["OrderId"], "ijdhpy7bdusgtc28bapspa",
        "{doc}"
    );
    assert_eq!(doc["orders"][0]["status"], "accepted", "{doc}");
    assert_eq!(
        doc["orders"][0]["number"], "oc-ijdhpy7bdusgtc28bapspa",
        "{doc}"
    );
    // Sent again: processed before, named by its OrderId.
    let again = put_order(app, &body);
    expect(&again, 409, "the published example again");
}

/// The Jupiter order as the kitchen receives it (forwarded to a fake Jupiter):
/// `cart.total` and `payment.sum` are what the customer pays, the lines, the charge lines
/// and the delivery add up to it, and a cash order says what the courier collects.
fn the_jupiter_order_carries_what_the_customer_pays() {
    let key = "oc-upstream-key";
    let fake = FakeJupiter::start(key);
    fake.serve("/site-api/order", &json!({"order_id": "S1"}));
    let app = App::spawn(AppOptions {
        demo_data: false,
        vars: vec![
            ("JUPITER_API_URL".to_owned(), fake.url("/site-api")),
            ("JUPITER_API_KEY".to_owned(), key.to_owned()),
        ],
    });
    let r = "e2e-oc-money";
    setup(&app, r, Kind::Open);
    // Card: 2100 of items - 210 discount + 125 delivery + 100 tip + 0.50 card fee.
    let card = fixture("delivery-order.json", "e2e-oc-money-card", r);
    // Cash: the same basket, Just Eat covering 15, the courier collecting the rest.
    let mut cash = fixture("delivery-order.json", "e2e-oc-money-cash", r);
    cash["PaymentInfo"]["CashOnDelivery"] = json!(true);
    cash["PaymentInfo"]["TotalComplementary"] = json!(15.00);
    cash["PaymentInfo"]["PaymentLines"] = json!([{"Type": "Cash", "CardFee": 0, "Value": 2100.00}]);
    cash["PaymentInfo"]["Total"] = json!(2100.00);
    let cases = [
        (&card, "2115.5", "paid 2115.50 online"),
        (&cash, "2100", "collect 2100 in cash"),
    ];
    for (order, _, _) in &cases {
        accepted(&app, order);
    }
    let posted = {
        let mut found = Vec::new();
        for _ in 0..150 {
            found = fake.posted();
            if found.len() >= 2 {
                break;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        found
    };
    assert_eq!(posted.len(), 2, "{posted:?}");
    for (order, due, collect) in cases {
        let number = format!("oc-{}", order["Id"].as_str().unwrap_or_default());
        let body = posted
            .iter()
            .filter_map(|(_, b)| serde_json::from_str::<Value>(b).ok())
            .find(|b| b["body"]["number"] == number.as_str())
            .unwrap_or_else(|| panic!("{number} not forwarded: {posted:?}"));
        let cart = &body["body"]["cart"];
        assert_eq!(cart["total"].to_string(), due, "{body}");
        assert_eq!(body["body"]["payment"]["sum"].to_string(), due, "{body}");
        // Lines (count × (cost + modifiers)), charge lines and delivery, in pence.
        let pence = |v: &Value| (v.as_f64().unwrap_or(0.0) * 100.0).round() as i64;
        let mut sum = pence(&cart["delivery"]);
        for line in cart["items"].as_array().cloned().unwrap_or_default() {
            let mods: i64 = line["modifiers"]
                .as_array()
                .map(|m| {
                    m.iter()
                        .map(|x| pence(&x["cost"]) * x["count"].as_i64().unwrap_or(0))
                        .sum()
                })
                .unwrap_or(0);
            sum += line["count"].as_i64().unwrap_or(0) * (pence(&line["cost"]) + mods);
        }
        assert_eq!(sum, pence(&cart["total"]), "{body}");
        let comment = body["body"]["comment"].as_str().unwrap_or_default();
        assert!(comment.contains(collect), "{comment}");
        assert!(comment.contains("Just Eat discounts 210"), "{comment}");
    }
}

/// Issue 22 point 2: a site order numbered `oc-<Id>` claims nothing in Orderconnect's
/// namespace: the Orderconnect order with that `Id` is accepted (`201`) as its own order.
fn a_site_order_numbered_like_it_does_not_block_it(app: &App) {
    let (r, oc_id) = ("e2e-oc-ns", "e2e-oc-ns-1");
    setup(app, r, Kind::Open);
    let (site, concept) = ("e2e-oc-ns-site", "e2e-oc-c-ns-site");
    crate::orders::setup(app, site, concept);
    let number = format!("oc-{oc_id}");
    let squat = crate::orders::order(site, concept, &number, None);
    let reply = call(
        app,
        "POST",
        "/site-api/order",
        &[],
        squat.to_string().as_bytes(),
    );
    expect(
        &reply,
        200,
        "a site order numbered like the Orderconnect order",
    );
    let site_id = reply.json()["order_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let reply = put_order(app, &fixture("delivery-order.json", oc_id, r));
    expect(&reply, 201, "the Orderconnect order");
    assert_eq!(reply.json()["number"], number.as_str(), "{}", reply.body);
    let order_id = reply.json()["order_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        order_id.starts_with("ord_") && order_id != site_id,
        "{order_id}"
    );
    for (id, restaurant) in [(&order_id, r), (&site_id, site)] {
        let read = request(
            "GET",
            &app.url(&format!("/site-api/orders/{id}")),
            &[],
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        expect(&read, 200, "stored order");
        assert_eq!(read.json()["number"], number.as_str(), "{}", read.body);
        assert_eq!(read.json()["restaurant_id"], restaurant, "{}", read.body);
    }
    // Orderconnect's own rule stands: its repeated Id is a duplicate.
    let again = put_order(app, &fixture("delivery-order.json", oc_id, r));
    expect(&again, 409, "the same Id again");
}
