use super::answer::{self, Body, Call, Row, Write};
use super::*;
use serde_json::{json, Value};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
fn the_table_has_seed_000s_73_endpoints_42_served_and_31_webhooks_each_once() {
    assert_eq!(ENDPOINTS.len(), 73);
    let hooks = ENDPOINTS
        .iter()
        .filter(|e| matches!(e.kind, Kind::Webhook(_)))
        .count();
    assert_eq!(hooks, 31);
    for (i, e) in ENDPOINTS.iter().enumerate() {
        let twice = ENDPOINTS
            .iter()
            .skip(i + 1)
            .any(|o| o.method == e.method && o.path == e.path);
        assert!(!twice, "{} {} twice", e.method.as_str(), e.path);
    }
}

#[test]
fn every_endpoint_resolves_to_itself_and_a_wrong_method_is_405() {
    for e in ENDPOINTS {
        // A path with every placeholder filled in.
        let path: String = e
            .path
            .split('/')
            .map(|s| if s.starts_with('{') { "x1" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        match resolve(e.method.as_str(), &path) {
            Resolved::Found {
                target: Target::Endpoint(found),
                ..
            } => assert_eq!(found, e, "{path}"),
            other => panic!("{} {path}: {other:?}", e.method.as_str()),
        }
    }
    assert!(matches!(
        resolve("GET", "/order-accepted"),
        Resolved::MethodNotAllowed(allow) if allow == vec![Method::Post]
    ));
    assert_eq!(resolve("GET", "/no-such-thing"), Resolved::NotFound);
    assert!(matches!(
        resolve("POST", "/scenarios/delivered"),
        Resolved::Found {
            target: Target::Control(Control::Scenario),
            ..
        }
    ));
}

#[test]
fn the_hub_routes_are_the_agreed_ones() {
    for e in ENDPOINTS {
        let Kind::Webhook(hook) = e.kind else {
            continue;
        };
        let name = e.path.trim_start_matches('/');
        match hook.signing {
            Signing::JetHash => assert!(hook.to.starts_with("/webhooks/jet/"), "{name}"),
            Signing::JeApiKey => {
                assert_eq!(hook.to, format!("/webhooks/just-eat/{name}"), "{name}")
            }
        }
        let example: Result<Value, _> = serde_json::from_str(hook.example);
        assert!(example.is_ok(), "{name}: example is not JSON");
    }
    // And the router sends what it does not know below /sim/jet here.
    assert!(matches!(
        crate::routes::resolve("PUT", "/sim/jet/driver-at-restaurant"),
        crate::routes::Resolution::Found {
            id: crate::routes::RouteId::SimJet,
            ..
        }
    ));
    assert_eq!(
        crate::routes::resolve("PUT", "/sim/nothing"),
        crate::routes::Resolution::NotFound
    );
}

#[test]
fn every_scenario_step_names_a_webhook_and_the_body_gets_the_ids() {
    for s in SCENARIOS {
        assert!(!s.steps.is_empty(), "{}", s.name);
        for step in s.steps {
            assert!(
                webhook(step.webhook).is_some(),
                "{}: {}",
                s.name,
                step.webhook
            );
        }
    }
    let step = Step {
        webhook: "x",
        set: &[
            ("OrderId", "{order}"),
            ("order.orderId", "{order}"),
            ("r", "{restaurant}"),
        ],
    };
    let body = step_body(
        &json!({"OrderId": "1", "order": {"orderId": "2"}}),
        &step,
        "o-9",
        "R1",
    );
    assert_eq!(
        body,
        json!({"OrderId": "o-9", "order": {"orderId": "o-9"}, "r": "R1"})
    );
    assert!(scenario("delivered").is_some());
    assert!(scenario("nope").is_none());
}

fn call<'a>(
    serve: Serve,
    params: &'a [(&'static str, String)],
    query: &'a [(String, String)],
    body: &'a str,
) -> Call<'a> {
    Call {
        serve,
        path: "/x",
        params,
        query,
        body: body.as_bytes(),
        flyt_key: true,
        authorization: true,
        now: "2026-12-05T12:00:00Z",
        fresh_id: "fresh-1",
    }
}

fn apply(state: &mut Vec<Row>, writes: &[Write]) {
    for w in writes {
        match w {
            Write::Put { kind, key, value } => {
                state.retain(|r| !(r.kind == *kind && r.key == *key));
                state.push(Row {
                    kind: (*kind).to_owned(),
                    key: key.clone(),
                    value: value.clone(),
                });
            }
            Write::Delete { kind, key } => state.retain(|r| !(r.kind == *kind && r.key == *key)),
        }
    }
}

fn json_of(body: &Body) -> Value {
    match body {
        Body::Json(v) => v.clone(),
        Body::Text(t) => Value::String(t.clone()),
        Body::Empty => Value::Null,
    }
}

/// One case per rule: the endpoint, its captures, query and body, and the status wanted.
type Case = (
    &'static str,
    Serve,
    &'static [(&'static str, &'static str)],
    &'static [(&'static str, &'static str)],
    &'static str,
    u16,
);

const CASES: &[Case] = &[
    (
        "menus ok",
        Serve::Menus,
        &[],
        &[],
        r#"{"restaurants":["1"],"menus":[{"name":"M"}],"callback_url":"https://x"}"#,
        202,
    ),
    (
        "menus without menus",
        Serve::Menus,
        &[],
        &[],
        r#"{"restaurants":["1"]}"#,
        400,
    ),
    (
        "availability ok",
        Serve::ItemAvailability,
        &[],
        &[],
        r#"{"event":"UNAVAILABLE","itemReferences":["A"],"restaurant":"1"}"#,
        202,
    ),
    (
        "availability bad event",
        Serve::ItemAvailability,
        &[],
        &[],
        r#"{"event":"GONE","itemReferences":["A"],"restaurant":"1"}"#,
        400,
    ),
    (
        "offline ok",
        Serve::RestaurantOffline,
        &[("restaurantReference", "R1")],
        &[],
        r#"{"onlineAt":"2021-10-13T12:03:00"}"#,
        202,
    ),
    (
        "offline with an offset",
        Serve::RestaurantOffline,
        &[("restaurantReference", "R1")],
        &[],
        r#"{"onlineAt":"2021-10-13T12:03:00Z"}"#,
        400,
    ),
    (
        "servicetimes ok",
        Serve::RestaurantServiceTimes,
        &[("restaurantReference", "R1")],
        &[],
        r#"{"timezone":"Europe/London","serviceTimes":[{"serviceType":"Delivery","openingTimes":{}}]}"#,
        202,
    ),
    (
        "servicetimes bad type",
        Serve::RestaurantServiceTimes,
        &[("restaurantReference", "R1")],
        &[],
        r#"{"timezone":"Europe/London","serviceTimes":[{"serviceType":"Dine","openingTimes":{}}]}"#,
        400,
    ),
    (
        "success ok",
        Serve::SentToPos { success: true },
        &[("id", "o1")],
        &[],
        r#"{"happenedAt":"2020-01-31T11:06:11+00:00"}"#,
        204,
    ),
    (
        "failed without a code",
        Serve::SentToPos { success: false },
        &[("id", "o1")],
        &[],
        r#"{"happenedAt":"2020-01-31T11:06:11+00:00"}"#,
        400,
    ),
    (
        "driverassigned ok",
        Serve::DeliveryState("driverassigned"),
        &[("orderId", "o1")],
        &[],
        r#"{"DriverName":"D"}"#,
        200,
    ),
    (
        "driverassigned without driver",
        Serve::DeliveryState("driverassigned"),
        &[("orderId", "o1")],
        &[],
        r#"{}"#,
        400,
    ),
    (
        "driverlocation without location",
        Serve::DeliveryState("driverlocation"),
        &[("orderId", "o1")],
        &[],
        r#"{}"#,
        400,
    ),
    (
        "eta ok",
        Serve::DeliveryState("atrestauranteta"),
        &[("orderId", "o1")],
        &[],
        r#"{"bestGuess":"2020-12-25T15:50:00Z","estimatedAt":"2020-12-25T15:45:00+00:00"}"#,
        200,
    ),
    (
        "eta before estimate",
        Serve::DeliveryState("atrestauranteta"),
        &[("orderId", "o1")],
        &[],
        r#"{"bestGuess":"2020-12-25T15:40:00Z","estimatedAt":"2020-12-25T15:45:00Z"}"#,
        400,
    ),
    (
        "bulk ok",
        Serve::BulkDriverLocation,
        &[],
        &[],
        r#"[{"OrderId":"o1","Location":{"Latitude":1,"Longitude":2}}]"#,
        200,
    ),
    (
        "bulk not an array",
        Serve::BulkDriverLocation,
        &[],
        &[],
        r#"{}"#,
        400,
    ),
    (
        "pool create ok",
        Serve::PoolCreate,
        &[],
        &[],
        r#"{"name":"West","restaurants":[1]}"#,
        201,
    ),
    (
        "pool create without name",
        Serve::PoolCreate,
        &[],
        &[],
        r#"{"restaurants":[1]}"#,
        400,
    ),
    (
        "unknown pool",
        Serve::Pool,
        &[("deliveryPoolId", "nope")],
        &[],
        "",
        404,
    ),
    (
        "fees ok",
        Serve::DeliveryFees,
        &[("tenant", "uk")],
        &[
            ("restaurantIds", "100001"),
            ("deliveryTime", "2019-09-05T12:43:48.431Z"),
        ],
        "",
        200,
    ),
    (
        "fees without ids",
        Serve::DeliveryFees,
        &[("tenant", "uk")],
        &[],
        "",
        400,
    ),
    (
        "discovery ok",
        Serve::DiscoveryByLatLong,
        &[("tenant", "uk")],
        &[("latitude", "51.5"), ("longitude", "-0.1")],
        "",
        200,
    ),
    (
        "discovery without a point",
        Serve::DiscoveryByLatLong,
        &[("tenant", "uk")],
        &[],
        "",
        400,
    ),
    ("not JSON", Serve::Menus, &[], &[], "{", 400),
    (
        "fail on demand",
        Serve::Menus,
        &[],
        &[("fail", "429")],
        "",
        429,
    ),
];

#[test]
fn each_rule_answers_as_the_spec_says() {
    for (name, serve, params, query, body, status) in CASES {
        let params: Vec<(&'static str, String)> =
            params.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        let query: Vec<(String, String)> = query
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let outcome = answer::answer(&call(*serve, &params, &query, body), &[]);
        assert_eq!(outcome.status, *status, "{name}: {:?}", outcome.body);
        if *status >= 400 {
            assert!(
                outcome.writes.is_empty(),
                "{name}: a refusal writes nothing"
            );
        }
    }
}

#[test]
fn errors_are_in_each_familys_shape_and_name_every_problem() {
    let o = answer::answer(&call(Serve::ItemAvailability, &[], &[], "{}"), &[]);
    let body = json_of(&o.body);
    assert_eq!(body["success"], false);
    let message = body["error_message"].as_str().unwrap_or_default();
    for f in ["event", "itemReferences", "restaurant"] {
        assert!(message.contains(f), "{message}");
    }
    let params = [("orderId", "o1".to_owned())];
    let o = answer::answer(
        &call(Serve::DeliveryState("driverlocation"), &params, &[], "{}"),
        &[],
    );
    assert_eq!(
        json_of(&o.body),
        json!({"location": ["location must not be null"]})
    );
    let o = answer::answer(
        &call(Serve::Menus, &[], &[("fail".into(), "429".into())], ""),
        &[],
    );
    assert_eq!(
        json_of(&o.body)["fault"]["errors"][0]["description"],
        "Couldn't complete request"
    );
}

#[test]
fn a_missing_key_is_401_and_changes_nothing() {
    let mut c = call(
        Serve::Menus,
        &[],
        &[],
        r#"{"restaurants":["1"],"menus":[{"name":"M"}]}"#,
    );
    c.flyt_key = false;
    let o = answer::answer(&c, &[]);
    assert_eq!((o.status, o.writes.len()), (401, 0));
    let params = [("orderId", "o1".to_owned())];
    let mut c = call(Serve::DeliveryState("delivered"), &params, &[], "{}");
    c.authorization = false;
    assert_eq!(answer::answer(&c, &[]).status, 401);
    // The consumer endpoints are public.
    let params = [
        ("tenant", "uk".to_owned()),
        ("postcode", "EC4M7RF".to_owned()),
    ];
    let mut c = call(Serve::DiscoveryByPostcode, &params, &[], "");
    c.authorization = false;
    let o = answer::answer(&c, &[]);
    assert_eq!(o.status, 200);
    assert_eq!(json_of(&o.body)["restaurants"][0]["id"], "100001");
}

#[test]
fn state_is_kept_and_read_back() {
    let mut state = Vec::new();
    let run = |state: &mut Vec<Row>, serve, params: &[(&'static str, String)], body: &str| {
        let o = answer::answer(&call(serve, params, &[], body), state);
        apply(state, &o.writes);
        o
    };
    // A pool: created, read, restaurants added, a clash with another pool, deleted.
    let o = run(
        &mut state,
        Serve::PoolCreate,
        &[],
        r#"{"name":"West","restaurants":[1,2]}"#,
    );
    assert_eq!(o.status, 201);
    let pool = [("deliveryPoolId", "fresh-1".to_owned())];
    let o = run(&mut state, Serve::Pool, &pool, "");
    assert_eq!(
        json_of(&o.body),
        json!({"name": "West", "restaurants": [1, 2]})
    );
    let o = run(
        &mut state,
        Serve::PoolAvailabilitySet,
        &pool,
        r#"{"bestGuess":"00:35:00"}"#,
    );
    assert_eq!(o.status, 202);
    let o = run(&mut state, Serve::PoolAvailabilityGet, &pool, "");
    assert_eq!(json_of(&o.body), json!({"bestGuess": "00:35:00"}));
    state.push(Row {
        kind: answer::POOL.into(),
        key: "other".into(),
        value: json!({"name": "East", "restaurants": [9]}),
    });
    let o = run(
        &mut state,
        Serve::PoolRestaurantsAdd,
        &pool,
        r#"{"restaurants":[9]}"#,
    );
    assert_eq!(o.status, 409);
    let o = run(&mut state, Serve::PoolOfflineAdd, &pool, "{}");
    assert_eq!(o.status, 202);
    let o = run(&mut state, Serve::PoolStatus, &pool, "");
    assert_eq!(json_of(&o.body)["status"], "Offline");
    let o = run(&mut state, Serve::Pools, &[], "");
    assert_eq!(json_of(&o.body)["fresh-1"]["name"], "West");
    assert_eq!(run(&mut state, Serve::PoolDelete, &pool, "").status, 200);
    assert_eq!(run(&mut state, Serve::Pool, &pool, "").status, 404);

    // An order the simulator sent: its outcome once (a second is 400), its report, one
    // amendment (a second is 409), its delivery states.
    state.push(Row {
        kind: answer::ORDER.into(),
        key: "o1".into(),
        value: json!({"sent": {"posLocationId": "L1", "third_party_order_reference": "77"},
                      "sent_at": "2026-12-05T11:59:00Z"}),
    });
    let brand = [("brand_slug", "b".to_owned())];
    let o = run(&mut state, Serve::BrandOrders, &brand, "");
    assert_eq!(json_of(&o.body)[0]["status"], "pending");
    let id = [("id", "o1".to_owned())];
    let happened = r#"{"happenedAt":"2020-01-31T11:06:11+00:00"}"#;
    assert_eq!(
        run(
            &mut state,
            Serve::SentToPos { success: true },
            &id,
            happened
        )
        .status,
        204
    );
    assert_eq!(
        run(
            &mut state,
            Serve::SentToPos { success: true },
            &id,
            happened
        )
        .status,
        400
    );
    let location = [("locationID", "L1".to_owned())];
    let o = run(&mut state, Serve::LocationOrders, &location, "");
    assert_eq!(json_of(&o.body)[0]["status"], "success");
    assert_eq!(json_of(&o.body)[0]["sendToPosStatus"], "");
    let by_ref = [("brand_slug", "b".to_owned()), ("orderID", "77".to_owned())];
    assert_eq!(run(&mut state, Serve::BrandOrder, &by_ref, "").status, 200);
    let unknown = [("brand_slug", "b".to_owned()), ("orderID", "zz".to_owned())];
    assert_eq!(run(&mut state, Serve::BrandOrder, &unknown, "").status, 404);
    let amend = [("brandSlug", "b".to_owned()), ("orderId", "o1".to_owned())];
    let items = r#"{"items":[{"reason":"missing","plu":"P1","missingQuantity":1}]}"#;
    assert_eq!(run(&mut state, Serve::AmendPost, &amend, items).status, 202);
    assert_eq!(run(&mut state, Serve::AmendPost, &amend, items).status, 409);
    let o = run(&mut state, Serve::AmendGet, &amend, "");
    assert_eq!(json_of(&o.body)["amended"], true);
    let nobody = [("brandSlug", "b".to_owned()), ("orderId", "zz".to_owned())];
    assert_eq!(
        run(&mut state, Serve::AmendPost, &nobody, items).status,
        404
    );
    let order = [("orderId", "o1".to_owned())];
    run(&mut state, Serve::DeliveryState("onitsway"), &order, "{}");
    run(
        &mut state,
        Serve::BulkDriverLocation,
        &[],
        r#"[{"OrderId":"o1","Location":{"Latitude":1,"Longitude":2}}]"#,
    );
    let delivery = state
        .iter()
        .find(|r| r.kind == answer::DELIVERY && r.key == "o1")
        .map(|r| r.value.clone())
        .unwrap_or_default();
    assert_eq!(delivery["state"], "onitsway");
    assert_eq!(delivery["location"], json!({"Latitude": 1, "Longitude": 2}));
    assert_eq!(delivery["events"].as_array().map(Vec::len), Some(2));
}

#[test]
fn the_fail_control_fails_that_many_calls_then_stops() {
    let mut state = Vec::new();
    let write = answer::fail_control(&json!({"status": 503, "count": 2}));
    assert!(write.is_ok());
    apply(&mut state, &write.into_iter().collect::<Vec<_>>());
    let body = r#"{"restaurants":["1"],"menus":[{"name":"M"}]}"#;
    for expected in [503, 503, 202] {
        let o = answer::answer(&call(Serve::Menus, &[], &[], body), &state);
        assert_eq!(o.status, expected);
        apply(&mut state, &o.writes);
    }
    assert!(answer::fail_control(&json!({"status": 200})).is_err());
    // Limited to a path: other calls are not touched.
    let write = answer::fail_control(&json!({"count": 1, "path": "/delivery"}));
    apply(&mut state, &write.into_iter().collect::<Vec<_>>());
    assert_eq!(
        answer::answer(&call(Serve::Menus, &[], &[], body), &state).status,
        202
    );
}
