//! Issue 18, the hub calling Just Eat: the delivery states an own-delivery (Orderconnect)
//! order was missing (`atrestauranteta`, `atrestaurant`, `atdeliveryaddress`,
//! `driverunassigned`) and the bulk
//! `driverlocation`, reported by the operator and relayed through the outbox to a sink that
//! stands for Just Eat. Request bodies are Just Eat's published examples
//! (`fixtures/just-eat/`); what reaches the sink is checked against the spec's shape with
//! the restaurant's offset (+03:00). A precondition violation is refused with its reason
//! and sends nothing; a bad key changes nothing.

use std::time::Duration;

use orderbridge_e2e::{expect, repo_root, request, App, AppOptions, Reply, Sink};
use serde_json::{json, Value};

use crate::orderconnect::{accepted, fixture, setup, Kind};
use crate::PlainTest;

pub const PLAIN_TESTS: &[(&str, PlainTest)] = &[(
    "jecall_delivery_states_reach_just_eat_with_the_spec_bodies_and_preconditions_hold",
    delivery_states_reach_just_eat_with_the_spec_bodies_and_preconditions_hold,
)];

const OPERATOR: (&str, &str) = ("X-Flyt-Api-Key", "dev-operator-key");

fn put(app: &App, path: &str, key: (&str, &str), body: &Value) -> Reply {
    let headers = [("Content-Type", "application/json"), key];
    let text = body.to_string();
    let reply = request("PUT", &app.url(path), &headers, Some(text.as_bytes()))
        .unwrap_or_else(|e| panic!("PUT {path}: {e}"));
    crate::conform::check("PUT", path, &reply);
    reply
}

fn example(name: &str) -> Value {
    let path = repo_root().join("fixtures/just-eat").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn set_status(app: &App, order_id: &str, status: i64) {
    let path = format!("/admin/orders/{order_id}/status");
    let headers = [("Content-Type", "application/json"), OPERATOR];
    let body = json!({ "status": status }).to_string();
    let reply = request("POST", &app.url(&path), &headers, Some(body.as_bytes()))
        .unwrap_or_else(|e| panic!("status: {e}"));
    expect(&reply, 200, &format!("status {status}"));
}

fn body_of(r: &orderbridge_e2e::Received) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {}", r.body))
}

fn delivery_states_reach_just_eat_with_the_spec_bodies_and_preconditions_hold() {
    let sink = Sink::start();
    let app = App::spawn(AppOptions {
        demo_data: false,
        vars: [
            ("JUST_EAT_API_URL", sink.url("/je").as_str()),
            ("JUST_EAT_API_KEY", "e2e-just-eat-key"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect(),
    });
    let r = "e2e-jecall";
    setup(&app, r, Kind::Open);
    let je = "e2e-jecall-1";
    let order_id = accepted(&app, &fixture("delivery-order.json", je, r));
    let state = |s: &str| format!("/admin/orders/{order_id}/delivery-state/{s}");
    let base = format!("/je/orders/{je}/deliverystate");
    let settle = || std::thread::sleep(Duration::from_secs(2));

    // Preconditions: at the address before the food left, a bad key, an unknown state, an
    // ETA not after its estimate: each refused with its reason, nothing sent.
    let early = put(
        &app,
        &state("atdeliveryaddress"),
        OPERATOR,
        &example("atdeliveryaddress-request.json"),
    );
    expect(&early, 409, "atdeliveryaddress at status 0");
    assert!(early.body.contains("not_delivering"), "{}", early.body);
    assert!(early.body.contains("status 20"), "{}", early.body);
    let bad_key = put(
        &app,
        &state("atrestaurant"),
        ("X-Flyt-Api-Key", "wrong"),
        &example("atrestaurant-request.json"),
    );
    expect(&bad_key, 401, "bad key");
    expect(
        &put(&app, &state("teleported"), OPERATOR, &json!({})),
        404,
        "unknown state",
    );
    let backwards = put(
        &app,
        &state("atrestauranteta"),
        OPERATOR,
        &json!({"bestGuess": "2020-12-25T15:00:00Z", "estimatedAt": "2020-12-25T15:30:28.753Z"}),
    );
    expect(&backwards, 400, "bestGuess before estimatedAt");
    assert!(backwards.body.contains("bestGuess"), "{}", backwards.body);
    assert!(
        backwards.body.contains("later than estimatedAt"),
        "{}",
        backwards.body
    );
    let bad_body = put(
        &app,
        &state("atrestaurant"),
        OPERATOR,
        &json!({"Location": {"Latitude": 123, "Longitude": 0}, "TimeStampWithUtcOffset": "noon"}),
    );
    expect(&bad_body, 400, "bad location and timestamp");
    assert!(
        bad_body.body.contains("Location.Latitude")
            && bad_body.body.contains("TimeStampWithUtcOffset"),
        "every violation at once: {}",
        bad_body.body
    );
    settle();
    assert!(sink.received().is_empty(), "{:#?}", sink.received());

    // The ETA at the restaurant (what starts cooking), then the driver at the restaurant.
    let eta = put(
        &app,
        &state("atrestauranteta"),
        OPERATOR,
        &example("atrestauranteta-request.json"),
    );
    expect(&eta, 202, "atrestauranteta");
    let at = put(
        &app,
        &state("atrestaurant"),
        OPERATOR,
        &example("atrestaurant-request.json"),
    );
    expect(&at, 202, "atrestaurant");
    let got = sink.wait_for(2, Duration::from_secs(20));
    let seen: Vec<String> = got
        .iter()
        .map(|r| format!("{} {}", r.method, r.url))
        .collect();
    assert_eq!(
        seen,
        vec![
            format!("PUT {base}/atrestauranteta"),
            format!("PUT {base}/atrestaurant")
        ],
        "{got:#?}"
    );
    for r in &got {
        assert_eq!(
            r.header("Authorization"),
            Some("JE-API-KEY e2e-just-eat-key")
        );
    }
    assert_eq!(
        body_of(&got[0]),
        json!({"bestGuess": "2020-12-25T18:45:28.753+03:00", "estimatedAt": "2020-12-25T18:30:28.753+03:00"})
    );
    assert_eq!(
        body_of(&got[1]),
        json!({
            "Location": {"Speed": 8.68, "Latitude": 51.51641, "Heading": 357.10382,
                         "Accuracy": 12.814, "Longitude": -0.103198},
            "EtaAtDeliveryAddress": "2018-03-10T18:45:28.753+03:00",
            "TimeStampWithUtcOffset": "2018-03-10T17:45:28.753+03:00"
        })
    );

    // The food leaves: onitsway; the restaurant is behind the driver now.
    set_status(&app, &order_id, 10);
    set_status(&app, &order_id, 20);
    let late = put(
        &app,
        &state("atrestaurant"),
        OPERATOR,
        &example("atrestaurant-request.json"),
    );
    expect(&late, 409, "atrestaurant after the food left");
    assert!(late.body.contains("not_before_pickup"), "{}", late.body);

    // The driver drops the job on the way (Just Eat looks for another).
    let dropped = put(
        &app,
        &state("driverunassigned"),
        OPERATOR,
        &example("driverunassigned-request.json"),
    );
    expect(&dropped, 202, "driverunassigned");

    // Bulk positions: Just Eat's example, its OrderId naming the hub's order.
    let mut bulk = example("driverlocation-bulk-request.json");
    bulk[0]["OrderId"] = json!(order_id);
    expect(
        &put(&app, "/admin/driver-locations", OPERATOR, &bulk),
        202,
        "bulk",
    );
    // Within 10 s the same order again, plus an order not out for delivery: both named, 409.
    let other = accepted(&app, &fixture("delivery-order.json", "e2e-jecall-2", r));
    let mut twice = bulk.clone();
    if let Some(a) = twice.as_array_mut() {
        let mut second = a[0].clone();
        second["OrderId"] = json!(other);
        a.push(second);
    }
    let refused = put(&app, "/admin/driver-locations", OPERATOR, &twice);
    expect(&refused, 409, "bulk refused");
    assert!(
        refused.body.contains("[0].OrderId") && refused.body.contains("[1].OrderId"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("not_delivering"), "{}", refused.body);

    // At the address, distinct from delivered, then delivered.
    let address = put(
        &app,
        &state("atdeliveryaddress"),
        OPERATOR,
        &example("atdeliveryaddress-request.json"),
    );
    expect(&address, 202, "atdeliveryaddress");
    set_status(&app, &order_id, 30);
    let got = sink.wait_for(7, Duration::from_secs(20));
    let seen: Vec<String> = got[2..]
        .iter()
        .map(|r| format!("{} {}", r.method, r.url))
        .collect();
    assert_eq!(
        seen,
        vec![
            format!("PUT {base}/onitsway"),
            format!("PUT {base}/driverunassigned"),
            "PUT /je/orders/deliverystate/driverlocation".to_owned(),
            format!("PUT {base}/atdeliveryaddress"),
            format!("PUT {base}/delivered"),
        ],
        "{got:#?}"
    );
    // FACTS §4.2's body, its times in the restaurant's +03:00.
    assert_eq!(
        body_of(&got[3]),
        json!({
            "DriverName": "David McDriverson", "DriverContactNumber": "+447123456789",
            "UnassignedBy": "operation", "Reason": "package_not_ready",
            "Comment": "Order was not ready",
            "Location": {"Speed": 8.68, "Latitude": 51.51641, "Heading": 357.10382,
                         "Accuracy": 12.814, "Longitude": -0.103198},
            "EtaAtRestaurant": "2020-12-25T19:30:28.753+03:00",
            "EtaAtDeliveryAddress": "2020-12-25T19:45:28.753+03:00",
            "TimeStampWithUtcOffset": "2020-12-25T18:30:28.753+03:00"
        })
    );
    assert_eq!(
        body_of(&got[4]),
        json!([{
            "OrderId": je,
            "Location": {"Speed": 8.68, "Latitude": 51.51641, "Heading": 357.10382,
                         "Accuracy": 12.814, "Longitude": -0.103198},
            "EtaAtRestaurant": "2020-12-25T19:30:28.753+03:00",
            "EtaAtDeliveryAddress": "2020-12-25T19:45:28.753+03:00",
            "TimeStampWithUtcOffset": "2020-12-25T18:45:28.753+03:00"
        }])
    );
    assert_eq!(
        body_of(&got[5]),
        json!({"TimeStampWithUtcOffset": "2018-03-10T17:45:28.753+03:00"})
    );
    // Once each; after delivery the address is refused and nothing more is sent.
    expect(
        &put(&app, &state("atdeliveryaddress"), OPERATOR, &json!({})),
        409,
        "atdeliveryaddress when delivered",
    );
    let after = put(&app, &state("driverunassigned"), OPERATOR, &json!({}));
    expect(&after, 409, "driverunassigned when delivered");
    assert!(after.body.contains("not_assignable"), "{}", after.body);
    settle();
    assert_eq!(sink.received().len(), 7, "{:#?}", sink.received());
}
