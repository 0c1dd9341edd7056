//! Time in the restaurant's own time zone (issue 16 point 1), end to end: the zone set by
//! the admin API, by JET Connect `/servicetimes` and by a JET Connect order's
//! `location.timezone`; unknown zones refused naming the field and the value; local times
//! around the 2027 daylight-saving changes (the Worker's clock cannot be moved, so every
//! scheduled time is in 2027 and these tests run on the Worker started with
//! `MAX_PREORDER_DAYS=800`).

use orderbridge_e2e::{expect, request, App, Reply};
use serde_json::{json, Value};

use crate::AppTest;

pub const FAST_TESTS: &[(&str, AppTest)] = &[
    (
        "tz_the_admin_api_sets_shows_keeps_and_clears_a_zone_and_refuses_an_unknown_one",
        the_admin_api_sets_shows_keeps_and_clears_a_zone_and_refuses_an_unknown_one,
    ),
    (
        "tz_servicetimes_set_the_zone_and_an_unknown_one_is_refused",
        servicetimes_set_the_zone_and_an_unknown_one_is_refused,
    ),
    (
        "tz_a_site_preorder_in_londons_skipped_hour_is_read_after_the_gap",
        a_site_preorder_in_londons_skipped_hour_is_read_after_the_gap,
    ),
    (
        "tz_online_at_in_denvers_repeated_and_skipped_hour",
        online_at_in_denvers_repeated_and_skipped_hour,
    ),
    (
        "tz_a_jet_order_gives_its_zone_and_its_dates_are_in_the_offset_of_their_instant",
        a_jet_order_gives_its_zone_and_its_dates_are_in_the_offset_of_their_instant,
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

fn admin(app: &App, id: &str) -> Value {
    let reply = call(app, "GET", &format!("/admin/restaurants/{id}"), None);
    expect(&reply, 200, "admin view");
    reply.json()
}

/// The place `/site-api/restaurants` serves for `id`, alone and in the full list.
fn served_places(app: &App, id: &str) -> (Value, Value) {
    let one = call(
        app,
        "GET",
        &format!("/site-api/restaurants?restaurant_id={id}"),
        None,
    );
    expect(&one, 200, "restaurant");
    let all = call(app, "GET", "/site-api/restaurants", None);
    expect(&all, 200, "restaurants");
    let in_all = all.json()["places"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("{id} not in {}", all.body));
    (one.json()["places"][0].clone(), in_all)
}

/// Whether a refusal names `field` and the value `value` in one error.
fn names(reply: &Reply, field: &str, value: &str) -> bool {
    let body = reply.json();
    let jupiter = body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|e| e["field"] == field && e.to_string().contains(value));
    jupiter || (reply.body.contains(field) && reply.body.contains(value))
}

fn put_place(app: &App, place: &Value) -> Reply {
    let id = place["id"].as_str().unwrap_or_default();
    call(app, "PUT", &format!("/admin/restaurants/{id}"), Some(place))
}

fn the_admin_api_sets_shows_keeps_and_clears_a_zone_and_refuses_an_unknown_one(app: &App) {
    let id = "e2e-tz-admin";
    let place =
        json!({"id": id, "name": "Zoned", "utc_offset": "+03:00", "timezone": "Europe/London"});
    let reply = put_place(app, &place);
    expect(&reply, 200, "PUT with a zone");
    assert_eq!(reply.json()["timezone"], "Europe/London", "{}", reply.body);
    assert_eq!(admin(app, id)["timezone"], "Europe/London");
    let (one, in_all) = served_places(app, id);
    assert_eq!(one["timezone"], "Europe/London", "{one}");
    assert_eq!(in_all["timezone"], "Europe/London", "{in_all}");

    // lastChange is shown in the offset the zone has at that instant: BST in July, GMT in
    // January, whatever offset the writer used.
    for (written, shown) in [
        (
            "2026-07-01T12:00:00.000+03:00",
            "2026-07-01T10:00:00.000+01:00",
        ),
        (
            "2026-01-15T12:00:00.000+00:00",
            "2026-01-15T12:00:00.000+00:00",
        ),
    ] {
        let menu = json!({"restaurant_id": id, "menu": {
            "lastChange": written,
            "categories": [{"id": "c1", "name": "Mains"}],
            "items": [{"id": "P1", "categoryId": "c1", "name": "Pie", "price": 5}]
        }});
        let path = format!("/admin/menu?restaurant_id={id}");
        expect(&call(app, "PUT", &path, Some(&menu)), 200, "menu");
        let served = call(
            app,
            "GET",
            &format!("/site-api/menu?restaurant_id={id}"),
            None,
        );
        expect(&served, 200, "menu");
        assert_eq!(served.json()["menu"]["lastChange"], shown, "{written}");
    }

    // An unknown zone is refused naming the field and the value, with every other problem,
    // and changes nothing.
    let bad = json!({"id": id, "name": "Zoned", "utc_offset": "MSK", "timezone": "Mars/Olympus"});
    let reply = put_place(app, &bad);
    expect(&reply, 400, "unknown zone");
    assert!(names(&reply, "timezone", "Mars/Olympus"), "{}", reply.body);
    assert!(names(&reply, "utc_offset", "MSK"), "{}", reply.body);
    assert_eq!(admin(app, id)["timezone"], "Europe/London");
    assert_eq!(admin(app, id)["utc_offset"], "+03:00");

    // Absent keeps the zone; the runtime's spelling is stored; "" clears it.
    let reply = put_place(
        app,
        &json!({"id": id, "name": "Renamed", "utc_offset": "+01:00"}),
    );
    expect(&reply, 200, "PUT without a zone");
    assert_eq!(reply.json()["timezone"], "Europe/London", "{}", reply.body);
    let reply = put_place(
        app,
        &json!({"id": id, "name": "Zoned", "timezone": "america/denver"}),
    );
    expect(&reply, 200, "PUT in lower case");
    assert_eq!(reply.json()["timezone"], "America/Denver", "{}", reply.body);
    let reply = put_place(app, &json!({"id": id, "name": "Zoned", "timezone": ""}));
    expect(&reply, 200, "PUT clearing the zone");
    assert_eq!(reply.json().get("timezone"), None, "{}", reply.body);
    let (one, _) = served_places(app, id);
    assert_eq!(one.get("timezone"), None, "{one}");
}

fn servicetimes_set_the_zone_and_an_unknown_one_is_refused(app: &App) {
    let id = "e2e-tz-st";
    expect(
        &put_place(
            app,
            &json!({"id": id, "name": "Times", "utc_offset": "+00:00"}),
        ),
        200,
        "restaurant",
    );
    let times = |zone: &str| {
        json!({"timezone": zone, "serviceTimes": [{"serviceType": "Collection",
            "openingTimes": {"monday": [{"openingTime": "10:00", "closingTime": "18:00"}]}}]})
    };
    let path = format!("/jet-connect/restaurants/{id}/servicetimes");
    let reply = call(app, "PUT", &path, Some(&times("Mars/Olympus")));
    expect(&reply, 400, "unknown zone");
    assert!(names(&reply, "timezone", "Mars/Olympus"), "{}", reply.body);
    let state = admin(app, id);
    assert_eq!(state.get("timezone"), None, "{state}");
    assert_eq!(
        state["service_times"],
        Value::Null,
        "nothing stored: {state}"
    );

    expect(
        &call(app, "PUT", &path, Some(&times("America/Denver"))),
        202,
        "times",
    );
    assert_eq!(admin(app, id)["timezone"], "America/Denver");
    let (one, _) = served_places(app, id);
    assert_eq!(one["timezone"], "America/Denver", "{one}");
}

fn a_site_preorder_in_londons_skipped_hour_is_read_after_the_gap(app: &App) {
    let (id, concept) = ("e2e-tz-site", "e2e-tz-c-site");
    crate::orders::setup(app, id, concept);
    // Open 02:00–23:00 London time.
    let place = json!({
        "id": id, "name": "London", "utc_offset": "+03:00", "timezone": "Europe/London",
        "start_time": 7200, "end_time": 82800, "self_delivery": true,
        "concepts": [{"id": concept, "name": "Sushi"}]
    });
    expect(&put_place(app, &place), 200, "restaurant");
    let pickup = |number: &str, at: &str| {
        let mut doc = crate::orders::order(id, concept, number, None);
        doc["body"]["delivery_method"] = json!("pickup");
        if let Some(body) = doc["body"].as_object_mut() {
            body.remove("address");
        }
        doc["body"]["date_preorder"] = json!(at);
        doc
    };
    let place_order = |doc: &Value| {
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
    };
    // 01:30 on 28 March 2027 does not exist in London: it is read as 02:30 BST, open.
    let reply = place_order(&pickup("e2e-tz-site-1", "2027-03-28 01:30"));
    expect(&reply, 200, "a pre-order in the skipped hour");
    // The night after, 01:30 GMT exists and is before opening.
    let reply = place_order(&pickup("e2e-tz-site-2", "2027-03-29 01:30"));
    expect(&reply, 400, "before opening");
    assert!(
        reply.json()["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|e| e["code"] == "preorder_closed" && e["field"] == "date_preorder"),
        "{}",
        reply.body
    );
    // Placed in GMT (now) for the evening after the change: open.
    let reply = place_order(&pickup("e2e-tz-site-3", "2027-03-28 22:30"));
    expect(&reply, 200, "after the change");
}

fn online_at_in_denvers_repeated_and_skipped_hour(app: &App) {
    let id = "e2e-tz-offline";
    let place =
        json!({"id": id, "name": "Denver", "utc_offset": "+00:00", "timezone": "America/Denver"});
    expect(&put_place(app, &place), 200, "restaurant");
    let path = format!("/jet-connect/restaurants/{id}/offline");
    for (online_at, shown) in [
        // The repeated hour: its first occurrence, still in MDT.
        ("2027-11-07T01:30:00", "2027-11-07T01:30:00.000-06:00"),
        // After it, MST.
        ("2027-11-07T02:30:00", "2027-11-07T02:30:00.000-07:00"),
        // The skipped hour: moved forward by the gap, 03:30 MDT.
        ("2027-03-14T02:30:00", "2027-03-14T03:30:00.000-06:00"),
        // Before the change, MST.
        ("2027-03-14T01:30:00", "2027-03-14T01:30:00.000-07:00"),
    ] {
        let body = json!({"onlineAt": online_at});
        expect(&call(app, "PUT", &path, Some(&body)), 202, online_at);
        let state = admin(app, id);
        assert_eq!(state["offline_until"], shown, "{online_at}");
        assert_eq!(state["online"], false, "{online_at}");
    }
}

fn a_jet_order_gives_its_zone_and_its_dates_are_in_the_offset_of_their_instant(app: &App) {
    let (id, location) = ("e2e-tz-jet", "e2e-tz-jet-loc");
    crate::jet_orders::setup(app, id, location);
    assert_eq!(admin(app, id).get("timezone"), None);
    let order = |jet_id: &str, zone: &str| {
        let mut o = crate::jet_orders::partner_order(jet_id, location);
        o["location"]["timezone"] = json!(zone);
        // Placed at 01:00 AEDT on 4 April 2027, collected at 03:30 AEST, after the change.
        o["created_at"] = json!("1806760800"); // 2027-04-03T14:00:00Z
        o["collect_at"] = json!("1806773400"); // 2027-04-03T17:30:00Z
        o
    };
    let body_of = |jet_id: &str| {
        let view = call(app, "GET", &format!("/admin/jet/orders/{jet_id}"), None);
        expect(&view, 200, "the JET order");
        view.json()["order"]["request"]["body"].clone()
    };

    let first = crate::jet_orders::post_signed(
        app,
        "/webhooks/jet/orders",
        &order("e2e-tz-jet-1", "Australia/Sydney"),
    );
    expect(&first, 202, "receive");
    let body = body_of("e2e-tz-jet-1");
    assert_eq!(body["date"], "2027-04-04 01:00:00", "{body}");
    assert_eq!(body["date_preorder"], "2027-04-04 03:30:00", "{body}");
    assert_eq!(admin(app, id)["timezone"], "Australia/Sydney");
    // Just Eat is told the outcome in the restaurant's zone too: Sydney is +11:00 in its
    // summer, +10:00 in its winter (the call is made now, whenever the suite runs).
    let calls =
        crate::jet_orders::settled_outcomes(crate::jet_orders::status_sink(), "e2e-tz-jet-1");
    assert_eq!(calls.len(), 1, "{calls:?}");
    let happened = calls[0].1["happenedAt"].as_str().unwrap_or_default();
    assert!(
        happened.ends_with("+11:00") || happened.ends_with("+10:00"),
        "happenedAt in Sydney's offset: {happened}"
    );
    let (one, _) = served_places(app, id);
    assert_eq!(one["timezone"], "Australia/Sydney", "{one}");

    // The restaurant has a zone now: a later order naming another one does not change it.
    let second = crate::jet_orders::post_signed(
        app,
        "/webhooks/jet/orders",
        &order("e2e-tz-jet-2", "Europe/London"),
    );
    expect(&second, 202, "receive");
    let body = body_of("e2e-tz-jet-2");
    assert_eq!(body["date_preorder"], "2027-04-04 03:30:00", "{body}");
    assert_eq!(admin(app, id)["timezone"], "Australia/Sydney");

    // A zone the runtime does not know is ignored (the order was paid for), not refused.
    let (id, location) = ("e2e-tz-jet-mars", "e2e-tz-jet-loc-mars");
    crate::jet_orders::setup(app, id, location);
    let mut o = crate::jet_orders::partner_order("e2e-tz-jet-3", location);
    o["location"]["timezone"] = json!("Mars/Olympus");
    expect(
        &crate::jet_orders::post_signed(app, "/webhooks/jet/orders", &o),
        202,
        "receive",
    );
    assert_eq!(admin(app, id).get("timezone"), None);
}
