//! Issue 18, the driver's journey: Just Eat's six Partner API driver webhooks (`PUT
//! /webhooks/just-eat/driver-*`, `Authorization: JE-API-KEY`) and JET Connect's signed
//! Driver Status Notification (`POST /webhooks/jet/orders/driver-status`) become events on
//! the order's timeline, read back by the operator (with the driver's details) and by the
//! public (without); `driver-has-delivered-order` also moves the order to 30 where its
//! lifecycle allows. Every body is Just Eat's example from `fixtures/just-eat/`; a bad key or
//! signature, a bad body and an unknown order change nothing, and a repeat records nothing.

use std::time::Duration;

use orderbridge_e2e::{expect, request, App, AppOptions, Reply, Sink};
use serde_json::{json, Value};

use crate::jelife::{kinds, order, public_order, published, send, timeline, KEY};
use crate::jet_orders::{partner_order, post_signed};
use crate::orderconnect::{accepted, fixture, setup, Kind};
use crate::{AppTest, PlainTest};

pub const TESTS: &[(&str, AppTest)] = &[
    (
        "jedriver_at_restaurant_is_on_the_timeline_once_and_bad_calls_change_nothing",
        at_restaurant_is_on_the_timeline_once_and_bad_calls_change_nothing,
    ),
    (
        "jedriver_the_whole_journey_is_read_back_in_order_and_delivered_moves_the_order_to_30",
        the_whole_journey_is_read_back_in_order_and_delivered_moves_the_order_to_30,
    ),
    (
        "jedriver_jet_connect_driver_status_is_on_the_timeline_once_and_bad_calls_change_nothing",
        jet_connect_driver_status_is_on_the_timeline_once_and_bad_calls_change_nothing,
    ),
];

/// Tests on a Worker of their own, whose Just Eat is a sink.
pub const PLAIN_TESTS: &[(&str, PlainTest)] = &[(
    "jedriver_delivered_by_just_eat_is_not_told_back_but_the_operators_is",
    delivered_by_just_eat_is_not_told_back_but_the_operators_is,
)];

const OPERATOR: (&str, &str) = ("X-Flyt-Api-Key", "dev-operator-key");

fn put(app: &App, name: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    send(
        app,
        "PUT",
        &format!("/webhooks/just-eat/{name}"),
        headers,
        body.as_bytes(),
    )
}

fn example(name: &str, je_id: &str) -> String {
    published(&format!("{name}-request.json"), je_id).to_string()
}

fn set_status(app: &App, order_id: &str, status: i64) {
    let path = format!("/admin/orders/{order_id}/status");
    let reply = request(
        "POST",
        &app.url(&path),
        &[OPERATOR, ("Content-Type", "application/json")],
        Some(json!({ "status": status }).to_string().as_bytes()),
    )
    .unwrap_or_else(|e| panic!("{path}: {e}"));
    expect(&reply, 200, &format!("status {status}"));
}

fn messages(reply: &Reply) -> Vec<String> {
    reply.json()["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["message"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn at_restaurant_is_on_the_timeline_once_and_bad_calls_change_nothing(app: &App) {
    const NAME: &str = "driver-at-restaurant";
    let r = "e2e-jedriver-ar";
    setup(app, r, Kind::Open);
    let je_id = "e2e-jedriver-ar-1";
    let order_id = accepted(app, &fixture("delivery-order.json", je_id, r));
    let body = example(NAME, je_id);

    // Refused calls change nothing.
    let wrong = put(app, NAME, &[("Authorization", "JE-API-KEY wrong")], &body);
    expect(&wrong, 401, "a wrong key");
    expect(&put(app, NAME, &[], &body), 401, "no key");
    let bad = json!({"OrderId": je_id, "Event": "Delivered", "TimeStamp": "noon",
        "EstimatedDeliveryTime": 7});
    let bad = put(app, NAME, &[KEY], &bad.to_string());
    expect(&bad, 400, "a bad body");
    let found = messages(&bad);
    assert_eq!(found.len(), 3, "every problem at once: {}", bad.body);
    for word in ["Delivered", "TimeStamp", "EstimatedDeliveryTime"] {
        assert!(
            found.iter().any(|m| m.contains(word)),
            "{word}: {}",
            bad.body
        );
    }
    let unknown = put(app, NAME, &[KEY], &example(NAME, "e2e-jedriver-nobody"));
    expect(&unknown, 404, "an unknown order");
    assert!(
        unknown.body.contains("e2e-jedriver-nobody"),
        "{}",
        unknown.body
    );
    assert!(
        timeline(&order(app, &order_id)).is_empty(),
        "nothing recorded yet"
    );

    // The example: one event at its TimeStamp, the delivery ETA, both in +03:00.
    let reply = put(app, NAME, &[KEY], &body);
    expect(&reply, 200, "driver at restaurant");
    let answer = json!({"OrderId": je_id, "order_id": order_id,
        "event": "driver_at_restaurant", "recorded": true});
    assert_eq!(reply.json(), answer);
    let admin = order(app, &order_id);
    assert_eq!(admin["status"], 0, "the status is the kitchen's: {admin}");
    let events = timeline(&admin);
    assert_eq!(events.len(), 1, "{admin}");
    assert_eq!(events[0]["kind"], "driver_at_restaurant");
    assert_eq!(events[0]["at"], "2018-03-10T17:45:28.000+03:00");
    assert_eq!(events[0]["eta"], "2018-03-10T18:15:28.000+03:00");
    assert_eq!(events[0]["source"], NAME);
    assert_eq!(events[0]["detail"]["DriverName"], "David");

    // The public sees the event, not the driver's number.
    let public = public_order(app, &order_id);
    let events = timeline(&public);
    assert_eq!(events.len(), 1, "{public}");
    assert_eq!(events[0]["kind"], "driver_at_restaurant");
    assert_eq!(events[0]["eta"], "2018-03-10T18:15:28.000+03:00");
    assert!(events[0].get("detail").is_none(), "{public}");
    assert!(!public.to_string().contains("+447123456789"), "{public}");

    // The console's masked read (`personal=masked`) shows the event as the public does.
    let reply = request(
        "GET",
        &app.url(&format!("/admin/orders/{order_id}?personal=masked")),
        &[OPERATOR],
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    expect(&reply, 200, "the masked order");
    let masked = reply.json();
    let events = timeline(&masked);
    assert_eq!(events.len(), 1, "{masked}");
    assert!(events[0].get("detail").is_none(), "{masked}");
    assert!(!masked.to_string().contains("+447123456789"), "{masked}");
    assert!(!masked.to_string().contains("David"), "{masked}");

    // Again: answered the same but for `recorded`, nothing added.
    let again = put(app, NAME, &[KEY], &body);
    expect(&again, 200, "the repeat");
    let mut repeat = answer;
    repeat["recorded"] = json!(false);
    assert_eq!(again.json(), repeat);
    assert_eq!(timeline(&order(app, &order_id)).len(), 1);
}

fn the_whole_journey_is_read_back_in_order_and_delivered_moves_the_order_to_30(app: &App) {
    let r = "e2e-jedriver-j";
    setup(app, r, Kind::Open);
    let je_id = "e2e-jedriver-j-1";
    let order_id = accepted(app, &fixture("delivery-order.json", je_id, r));
    set_status(app, &order_id, 10);
    set_status(app, &order_id, 20);

    // The examples share one TimeStamp but the location's; they are read back in the
    // order they happened, then arrived.
    let journey = [
        ("driver-assigned-to-delivery", "driver_assigned"),
        ("driver-location", "driver_location"),
        ("driver-at-restaurant", "driver_at_restaurant"),
        (
            "driver-on-their-way-to-delivery-address",
            "driver_on_the_way",
        ),
        ("driver-at-delivery-address", "driver_at_address"),
        ("driver-has-delivered-order", "delivered"),
    ];
    for (name, kind) in journey {
        let reply = put(app, name, &[KEY], &example(name, je_id));
        expect(&reply, 200, name);
        assert_eq!(reply.json()["event"], kind, "{name}");
        assert_eq!(reply.json()["recorded"], true, "{name}");
    }
    let admin = order(app, &order_id);
    assert_eq!(
        kinds(&admin),
        [
            "driver_assigned",
            "driver_at_restaurant",
            "driver_on_the_way",
            "driver_at_address",
            "delivered",
            "driver_location",
        ],
        "{admin}"
    );
    let events = timeline(&admin);
    assert_eq!(
        events[0]["eta"], "2018-03-10T17:55:28.000+03:00",
        "the pickup ETA"
    );
    assert_eq!(
        events[2]["eta"], "2018-03-10T18:15:28.000+03:00",
        "the delivery ETA"
    );
    assert_eq!(events[4]["eta"], Value::Null, "{admin}");
    assert_eq!(events[5]["at"], "2018-03-10T17:50:28.753+03:00");
    assert_eq!(events[5]["detail"]["Location"]["Latitude"], 51.51641);

    // Delivered moved the order to 30, once, with the reason in its history.
    assert_eq!(admin["status"], 30, "{admin}");
    let history = admin["history"].as_array().cloned().unwrap_or_default();
    assert_eq!(history.len(), 4, "{admin}");
    assert_eq!(history[3]["status"], 30);
    assert!(
        history[3]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("driver-has-delivered-order")),
        "{admin}"
    );
    let again = put(
        app,
        "driver-has-delivered-order",
        &[KEY],
        &example("driver-has-delivered-order", je_id),
    );
    expect(&again, 200, "delivered again");
    assert_eq!(again.json()["recorded"], false);
    let last = order(app, &order_id);
    assert_eq!(last["history"].as_array().map(Vec::len), Some(4), "{last}");
    assert_eq!(timeline(&last).len(), 6);
    assert_eq!(public_order(app, &order_id)["status"], 30);

    // An order the kitchen has not sent out: the event is recorded, the status stays.
    let early = "e2e-jedriver-j-2";
    let early_id = accepted(app, &fixture("delivery-order.json", early, r));
    let reply = put(
        app,
        "driver-has-delivered-order",
        &[KEY],
        &example("driver-has-delivered-order", early),
    );
    expect(&reply, 200, "delivered at 0");
    let view = order(app, &early_id);
    assert_eq!(view["status"], 0, "{view}");
    assert_eq!(kinds(&view), ["delivered"]);

    // driver-location without a position is refused, naming it.
    let bare = json!({"OrderId": je_id, "TimeStamp": "2018-03-10T14:50:28Z"}).to_string();
    let reply = put(app, "driver-location", &[KEY], &bare);
    expect(&reply, 400, "no location");
    assert!(
        messages(&reply).iter().any(|m| m.contains("Location")),
        "{}",
        reply.body
    );
}

fn post_hashed(app: &App, hash: Option<&str>, body: &str) -> Reply {
    const PATH: &str = "/webhooks/jet/orders/driver-status";
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(hash) = hash {
        headers.push(("X-JET-Connect-Hash", hash));
    }
    let reply = request("POST", &app.url(PATH), &headers, Some(body.as_bytes()))
        .unwrap_or_else(|e| panic!("{PATH}: {e}"));
    crate::conform::check("POST", PATH, &reply);
    reply
}

fn jet_connect_driver_status_is_on_the_timeline_once_and_bad_calls_change_nothing(app: &App) {
    const PATH: &str = "/webhooks/jet/orders/driver-status";
    let (r, location) = ("e2e-jedriver-jet", "e2e-jedriver-loc");
    crate::jet_orders::setup(app, r, location);
    let jet_id = "e2e-jedriver-jet-1";
    let placed = post_signed(
        app,
        "/webhooks/jet/orders",
        &partner_order(jet_id, location),
    );
    expect(&placed, 202, "the JET order");
    let order_id = placed.json()["OrderId"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", placed.body))
        .to_owned();
    let mut note = published("jet-driver-status-request.json", "unused");
    note.as_object_mut().map(|m| m.remove("OrderId"));
    note["orderID"] = json!(jet_id);

    // A bad or missing signature: 401, nothing recorded.
    let forged =
        "HMAC-SHA256 t=1673428038618,signature=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    expect(
        &post_hashed(app, Some(forged), &note.to_string()),
        401,
        "a bad signature",
    );
    expect(
        &post_hashed(app, None, &note.to_string()),
        401,
        "no signature",
    );
    // An unknown code is refused naming it; an unknown order names the order.
    let mut odd = note.clone();
    odd["driverStatus"]["code"] = json!("driverVanished");
    let reply = post_signed(app, PATH, &odd);
    expect(&reply, 400, "an unknown code");
    assert!(reply.body.contains("driverVanished"), "{}", reply.body);
    let mut nobody = note.clone();
    nobody["orderID"] = json!("e2e-jedriver-jet-nobody");
    let reply = post_signed(app, PATH, &nobody);
    expect(&reply, 400, "an unknown order");
    assert!(
        reply.body.contains("e2e-jedriver-jet-nobody"),
        "{}",
        reply.body
    );
    assert!(
        timeline(&order(app, &order_id)).is_empty(),
        "nothing recorded yet"
    );

    // The published example: echoed, one event when it happened (the restaurant is +00:00).
    let reply = post_signed(app, PATH, &note);
    expect(&reply, 200, "the driver status");
    assert_eq!(reply.json(), note);
    let admin = order(app, &order_id);
    let events = timeline(&admin);
    assert_eq!(events.len(), 1, "{admin}");
    assert_eq!(events[0]["kind"], "driver_at_restaurant");
    assert_eq!(events[0]["at"], "2022-08-15T10:12:56.371+00:00");
    assert_eq!(
        events[0]["source"],
        "your-driver-status-notification-endpoint"
    );
    assert_eq!(
        kinds(&public_order(app, &order_id)),
        ["driver_at_restaurant"]
    );

    // Again: echoed, nothing added; the next code is another event.
    let again = post_signed(app, PATH, &note);
    expect(&again, 200, "the repeat");
    assert_eq!(again.json(), note);
    let mut on_way = note.clone();
    on_way["driverStatus"]["code"] = json!("onItsWay");
    on_way["happenedAt"] = json!("2022-08-15T10:20:00Z");
    expect(&post_signed(app, PATH, &on_way), 200, "on its way");
    assert_eq!(
        kinds(&order(app, &order_id)),
        ["driver_at_restaurant", "driver_on_the_way"]
    );
}

/// The Orderconnect channel owes Just Eat its delivery states for what the hub decides
/// (`onitsway` at 20, `delivered` at 30 set by the operator or Jupiter). A
/// `driver-has-delivered-order` is Just Eat telling the hub: it moves the order to 30 and
/// Just Eat is not told back its own report; the same status set by the operator on another
/// order is sent, once. (Orderconnect orders carry no `status_url`, so no front-end call is
/// owed.)
fn delivered_by_just_eat_is_not_told_back_but_the_operators_is() {
    let sink = Sink::start();
    let app = App::spawn(AppOptions {
        demo_data: false,
        vars: [
            ("JUST_EAT_API_URL", sink.url("/je").as_str()),
            ("JUST_EAT_API_KEY", "e2e-just-eat-key"),
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
    let r = "e2e-jedriver-sink";
    setup(&app, r, Kind::Open);
    let count = |sink: &Sink, path: &str| {
        sink.received()
            .into_iter()
            .filter(|r| r.method == "PUT" && r.url == path)
            .count()
    };
    let wait_for = |sink: &Sink, path: &str| {
        for _ in 0..50 {
            if count(sink, path) > 0 {
                break;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    };

    let je = "e2e-jedriver-sink-1";
    let order_id = accepted(&app, &fixture("delivery-order.json", je, r));
    let delivered_path = format!("/je/orders/{je}/deliverystate/delivered");
    set_status(&app, &order_id, 10);
    set_status(&app, &order_id, 20);
    // The operator's 20 is the hub's news: Just Eat hears `onitsway` (the sink listens).
    let on_its_way = format!("/je/orders/{je}/deliverystate/onitsway");
    wait_for(&sink, &on_its_way);
    assert_eq!(count(&sink, &on_its_way), 1, "{:#?}", sink.received());
    for name in [
        "driver-assigned-to-delivery",
        "driver-at-restaurant",
        "driver-on-their-way-to-delivery-address",
        "driver-at-delivery-address",
    ] {
        expect(&put(&app, name, &[KEY], &example(name, je)), 200, name);
    }
    // A wrong key on the delivered webhook moves nothing.
    let body = example("driver-has-delivered-order", je);
    let wrong = put(
        &app,
        "driver-has-delivered-order",
        &[("Authorization", "JE-API-KEY wrong")],
        &body,
    );
    expect(&wrong, 401, "a wrong key");
    assert_eq!(order(&app, &order_id)["status"], 20);

    let reply = put(&app, "driver-has-delivered-order", &[KEY], &body);
    expect(&reply, 200, "delivered");
    assert_eq!(order(&app, &order_id)["status"], 30);
    let again = put(&app, "driver-has-delivered-order", &[KEY], &body);
    expect(&again, 200, "delivered again");
    assert_eq!(order(&app, &order_id)["status"], 30);

    // Another order that the operator marks delivered: that `delivered` is owed and sent.
    let je2 = "e2e-jedriver-sink-2";
    let second = accepted(&app, &fixture("delivery-order.json", je2, r));
    for status in [10, 20, 30] {
        set_status(&app, &second, status);
    }
    let second_path = format!("/je/orders/{je2}/deliverystate/delivered");
    wait_for(&sink, &second_path);
    assert_eq!(count(&sink, &second_path), 1, "{:#?}", sink.received());
    // By now the first order's echo would have arrived too (same queue, sent earlier).
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        count(&sink, &delivered_path),
        0,
        "Just Eat's own report is not told back: {:#?}",
        sink.received()
    );
}
