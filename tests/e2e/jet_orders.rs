//! Issue 6, Just Eat orders over JET Connect: signed orders received, translated, placed
//! and answered `202`; the one `sent-to-pos-success|failed` call per order at a sink that
//! plays JET Connect's status updater; bad signatures, structural errors, menu errors,
//! cancellations and final picked orders; and, on a Worker of its own pointed at a failing
//! upstream Jupiter, the deadline's explicit `TIMEOUT` and a late success recorded, not sent.
//!
//! Each test writes a restaurant of its own (`e2e-jet-…`), open round the clock, whose
//! `jet_location_id` is unique, with a menu of Just Eat's example PLUs (M2 with option R3,
//! MMcc0), so the examples from Just Eat's spec are accepted as they are, given their own
//! ids. JET ids are unique per test, so the shared sink's calls are told apart by path.

use std::sync::OnceLock;
use std::time::Duration;

use hmac::{Hmac, Mac};
use orderbridge_e2e::{expect, request, App, AppOptions, Reply, Sink};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::{AppTest, PlainTest};

/// Run against the shared Worker (demo data; its JET Connect is the development simulator).
pub const TESTS: &[(&str, AppTest)] = &[(
    "jet_the_simulator_delivers_a_signed_order_and_records_the_outcome_call",
    the_simulator_delivers_a_signed_order_and_records_the_outcome_call,
)];

/// Run against the Worker with the short retry policy, whose `JET_STATUS_BASE_URL` is
/// [`status_sink`].
pub const FAST_TESTS: &[(&str, AppTest)] = &[
    (
        "jet_a_signed_order_is_placed_answered_202_and_succeeds_once",
        a_signed_order_is_placed_answered_202_and_succeeds_once,
    ),
    (
        "jet_every_example_is_accepted_and_translated",
        every_example_is_accepted_and_translated,
    ),
    (
        "jet_a_bad_or_missing_signature_is_401_and_changes_nothing",
        a_bad_or_missing_signature_is_401_and_changes_nothing,
    ),
    (
        "jet_a_body_that_is_not_what_it_claims_is_400_naming_the_field",
        a_body_that_is_not_what_it_claims_is_400_naming_the_field,
    ),
    (
        "jet_a_structurally_invalid_order_is_400_naming_every_problem",
        a_structurally_invalid_order_is_400_naming_every_problem,
    ),
    (
        "jet_what_the_kitchen_cannot_take_is_sent_to_pos_failed_with_its_code",
        what_the_kitchen_cannot_take_is_sent_to_pos_failed_with_its_code,
    ),
    (
        "jet_cancel_and_final_picked_update_the_stored_order",
        cancel_and_final_picked_update_the_stored_order,
    ),
    (
        "jet_old_final_picked_versions_cannot_undo_new_ones_nor_change_a_cancelled_order",
        old_final_picked_versions_cannot_undo_new_ones_nor_change_a_cancelled_order,
    ),
    (
        "jet_money_every_variant_charges_what_the_customer_paid",
        every_variant_charges_what_the_customer_paid,
    ),
    (
        "jet_route_a_delivery_goes_to_its_zone_or_outside_every_zone_to_the_named_restaurant",
        a_delivery_goes_to_its_zone_or_outside_every_zone_to_the_named_restaurant,
    ),
    (
        "jet_a_blank_menu_reference_is_checked_against_the_restaurants_menu",
        a_blank_menu_reference_is_checked_against_the_restaurants_menu,
    ),
    (
        "jet_each_order_type_is_checked_against_the_menu_of_its_service",
        each_order_type_is_checked_against_the_menu_of_its_service,
    ),
    (
        "jet_namespace_a_site_order_numbered_like_it_does_not_block_the_jet_order",
        a_site_order_numbered_like_it_does_not_block_the_jet_order,
    ),
];

/// Tests that start a Worker of their own (upstream Jupiter, a short deadline).
pub const PLAIN_TESTS: &[(&str, PlainTest)] = &[
    (
        "jet_upstream_down_gives_an_explicit_timeout_and_a_late_success_is_not_sent",
        upstream_down_gives_an_explicit_timeout_and_a_late_success_is_not_sent,
    ),
    (
        "jet_cancel_before_the_deadline_stops_the_timeout_and_retries_say_the_outcome",
        cancel_before_the_deadline_stops_the_timeout_and_retries_say_the_outcome,
    ),
    (
        "jet_relay_passes_accepted_catalog_writes_on_in_order_and_takes_menu_callbacks",
        relay_passes_accepted_catalog_writes_on_in_order_and_takes_menu_callbacks,
    ),
];

const OPERATOR: (&str, &str) = ("X-Flyt-Api-Key", "dev-operator-key");
/// `JET_HMAC_SECRET` in `.dev.vars.example`.
const HMAC_SECRET: &str = "dev-jet-secret";

const PARTNER: &str =
    include_str!("../../fixtures/jet-connect/receive-order-request-delivery-by-partner.json");
const FINAL_MERCHANT: &str =
    include_str!("../../fixtures/jet-connect/final-picked-order-request-delivery-by-merchant.json");
const FINAL_PARTNER: &str =
    include_str!("../../fixtures/jet-connect/final-picked-order-request-delivery-by-partner.json");
const CANCEL: &str =
    include_str!("../../fixtures/jet-connect/cancel-order-notification-request.json");

/// The sink that plays JET Connect's status updater for the shared fast Worker.
pub fn status_sink() -> &'static Sink {
    static SINK: OnceLock<Sink> = OnceLock::new();
    SINK.get_or_init(Sink::start)
}

fn doc(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `X-JET-Connect-Hash` as Just Eat sends it, computed here as a sender would.
fn signature(body: &str, secret: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key");
    mac.update(body.as_bytes());
    format!(
        "HMAC-SHA256 t=1673428038618,signature={}",
        base64(&mac.finalize().into_bytes())
    )
}

pub(crate) fn post_signed(app: &App, path: &str, body: &Value) -> Reply {
    let text = body.to_string();
    let hash = signature(&text, HMAC_SECRET);
    let reply = request(
        "POST",
        &app.url(path),
        &[
            ("Content-Type", "application/json"),
            ("X-JET-Connect-Hash", &hash),
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

/// A restaurant `id`, always open, at JET location `location`, with the PLUs of Just Eat's
/// examples on its default menu.
pub(crate) fn setup(app: &App, id: &str, location: &str) {
    let place = json!({
        "id": id, "name": format!("Restaurant {id}"), "utc_offset": "+00:00",
        "start_time": 0, "end_time": 86400, "self_delivery": false,
        "jet_location_id": location,
    });
    expect(
        &operator(
            app,
            "PUT",
            &format!("/admin/restaurants/{id}"),
            Some(&place),
        ),
        200,
        "restaurant",
    );
    let menu = json!({
        "restaurant_id": id,
        "menu": {
            "lastChange": "2024-05-21T16:19:13.000+00:00",
            "categories": [{"id": "c1", "name": "Burgers"}],
            "items": [
                {"id": "M2", "categoryId": "c1", "name": "Cheeseburger", "price": 17,
                 "modifiers": [{"id": "g1", "name": "Extras", "minSelectedModifiers": 0,
                    "maxSelectedModifiers": 2,
                    "modifiers": [{"id": "R3", "name": "Extra Sauce", "price": 1,
                                   "minAmount": 0, "maxAmount": 2}]}]},
                {"id": "MMcc0", "categoryId": "c1", "name": "Cheesy Pasta", "price": 5},
                {"id": "OUT1", "categoryId": "c1", "name": "Sold out", "price": 5}
            ]
        }
    });
    let path = format!("/admin/menu?restaurant_id={id}");
    expect(&operator(app, "PUT", &path, Some(&menu)), 200, "menu");
    let stop = json!({"stop_lists": [{
        "restaurant_id": id, "lastChange": "2024-06-10T22:02:27.000+00:00",
        "items": [{"id": "OUT1"}]
    }]});
    expect(
        &operator(app, "PUT", "/admin/stop_list", Some(&stop)),
        200,
        "stop list",
    );
}

/// A restaurant `id`, always open, at JET location `location`, whose menus JET Connect
/// pushed (`menus`, each a BaselineMenu), as a POS does: no admin menu.
fn setup_with_jet_menus(app: &App, id: &str, location: &str, menus: Value) {
    let place = json!({
        "id": id, "name": format!("Restaurant {id}"), "utc_offset": "+00:00",
        "start_time": 0, "end_time": 86400, "self_delivery": true,
        "jet_location_id": location,
    });
    expect(
        &operator(
            app,
            "PUT",
            &format!("/admin/restaurants/{id}"),
            Some(&place),
        ),
        200,
        "restaurant",
    );
    let sink = Sink::start();
    let body = json!({"restaurants": [id], "menus": menus, "callback_url": sink.url("/cb")});
    expect(
        &operator(app, "POST", "/jet-connect/menus", Some(&body)),
        202,
        "menus",
    );
}

/// A JET Connect menu of `reference` and `kind` selling `plus`, each with the example's
/// "Extras" group (option R3).
fn jet_menu(reference: &str, kind: &str, plus: &[&str]) -> Value {
    let items: Vec<Value> = plus
        .iter()
        .map(|plu| {
            json!({"name": format!("Item {plu}"), "plu": plu, "price": 1700, "modifiers": [
                {"name": "Extras", "description": "",
                 "pick": {"pick_same_option": true, "range": {"from": 0, "to": 2}},
                 "options": [{"name": "Extra Sauce", "plu": "R3", "price": 100}]}]})
        })
        .collect();
    json!({"name": format!("{reference} {kind}"), "reference": reference, "type": kind,
        "categories": [{"name": "Burgers", "description": "", "items": items}]})
}

/// Just Eat's partner-delivery example for `location`, under `id`.
pub(crate) fn partner_order(id: &str, location: &str) -> Value {
    let mut order = doc(PARTNER);
    order["id"] = json!(id);
    order["posLocationId"] = json!(location);
    order
}

fn order_id_of(reply: &Reply) -> String {
    reply.json()["OrderId"]
        .as_str()
        .unwrap_or_else(|| panic!("no OrderId: {}", reply.body))
        .to_owned()
}

/// The outcome calls the sink received for JET order `jet_id`.
fn outcomes(sink: &Sink, jet_id: &str) -> Vec<(String, Value)> {
    let prefix = format!("/order/{jet_id}/");
    sink.received()
        .into_iter()
        .filter(|r| r.url.starts_with(&prefix))
        .map(|r| {
            let body = serde_json::from_str(&r.body).unwrap_or(Value::Null);
            (r.url[prefix.len()..].to_owned(), body)
        })
        .collect()
}

/// Waits for the first outcome call of `jet_id`, then a little longer to see that no second
/// one follows; returns them all.
pub(crate) fn settled_outcomes(sink: &Sink, jet_id: &str) -> Vec<(String, Value)> {
    eventually(&format!("the outcome of {jet_id}"), || {
        let found = outcomes(sink, jet_id);
        (!found.is_empty()).then_some(())
    });
    std::thread::sleep(Duration::from_millis(1500));
    outcomes(sink, jet_id)
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

fn jet_view(app: &App, jet_id: &str) -> Reply {
    operator(app, "GET", &format!("/admin/jet/orders/{jet_id}"), None)
}

fn a_signed_order_is_placed_answered_202_and_succeeds_once(app: &App) {
    let (id, location) = ("e2e-jet-ok", "e2e-jet-loc-ok");
    setup(app, id, location);
    let order = partner_order("e2e-jet-ok-1", location);
    let first = post_signed(app, "/webhooks/jet/orders", &order);
    expect(&first, 202, "receive");
    let order_id = order_id_of(&first);
    assert!(order_id.starts_with("ord_"), "{order_id}");

    // The same order again: decided at once (no upstream), so `200` with the same id (a
    // `202` would make it pending again at Just Eat, with no outcome call to follow); still
    // one order and one outcome.
    let again = post_signed(app, "/webhooks/jet/orders", &order);
    expect(&again, 200, "receive again");
    assert_eq!(order_id_of(&again), order_id);

    let calls = settled_outcomes(status_sink(), "e2e-jet-ok-1");
    assert_eq!(calls.len(), 1, "exactly one outcome: {calls:?}");
    // And after the outcome call: the same, and no second call at the sink.
    let late = post_signed(app, "/webhooks/jet/orders", &order);
    expect(&late, 200, "receive after the outcome");
    assert_eq!(order_id_of(&late), order_id);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(outcomes(status_sink(), "e2e-jet-ok-1").len(), 1);
    assert_eq!(calls[0].0, "sent-to-pos-success");
    let happened = calls[0].1["happenedAt"].as_str().unwrap_or_default();
    assert!(
        happened.ends_with("+00:00") && happened.len() == 25,
        "{happened}"
    );
    let sent = status_sink()
        .received()
        .into_iter()
        .find(|r| r.url.starts_with("/order/e2e-jet-ok-1/"))
        .unwrap_or_else(|| panic!("the call"));
    assert_eq!(sent.method, "POST");
    assert_eq!(
        sent.header("X-Flyt-Api-Key"),
        Some(crate::outbound::JET_CONNECT_KEY)
    );

    // The kitchen sees an ordinary order, status 0, with Just Eat's lines.
    let status = request(
        "GET",
        &app.url(&format!("/site-api/orders/{order_id}")),
        &[],
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    expect(&status, 200, "the hub order");
    assert_eq!(status.json()["status"], 0);
    assert_eq!(status.json()["restaurant_id"], id);
    let view = jet_view(app, "e2e-jet-ok-1");
    expect(&view, 200, "the JET order");
    let view = view.json();
    assert_eq!(view["outcome"], "success");
    assert_eq!(view["order"]["order_id"], json!(order_id));
    let cart = &view["order"]["request"]["body"]["cart"];
    assert_eq!(cart["items"][0]["id"], "M2");
    assert_eq!(cart["items"][0]["modifiers"][0]["id"], "R3");
    assert_eq!(cart["total"], json!(21.6), "payment.final.inc_tax 2160");
    assert_eq!(
        view["order"]["request"]["body"]["number"],
        "jet-e2e-jet-ok-1"
    );
}

fn every_example_is_accepted_and_translated(app: &App) {
    let (id, location) = ("e2e-jet-ex", "e2e-jet-loc-ex");
    setup(app, id, location);
    for (n, (text, method)) in [
        (PARTNER, "pickup"),
        (FINAL_MERCHANT, "courier"),
        (FINAL_PARTNER, "pickup"),
    ]
    .into_iter()
    .enumerate()
    {
        let jet_id = format!("e2e-jet-ex-{n}");
        let mut order = doc(text);
        order["id"] = json!(jet_id);
        order["posLocationId"] = json!(location);
        // A final picked order the hub never received is the order (a "final picked
        // only" subscription).
        let path = if n == 0 {
            "/webhooks/jet/orders"
        } else {
            "/webhooks/jet/orders/final"
        };
        let reply = post_signed(app, path, &order);
        expect(&reply, 202, &jet_id);
        let calls = settled_outcomes(status_sink(), &jet_id);
        assert_eq!(
            calls.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
            ["sent-to-pos-success"],
            "{jet_id}: {calls:?}"
        );
        let view = jet_view(app, &jet_id).json();
        assert_eq!(
            view["order"]["request"]["body"]["delivery_method"], method,
            "{jet_id}"
        );
    }
}

fn a_bad_or_missing_signature_is_401_and_changes_nothing(app: &App) {
    let (id, location) = ("e2e-jet-sig", "e2e-jet-loc-sig");
    setup(app, id, location);
    let order = partner_order("e2e-jet-sig-1", location);
    let text = order.to_string();
    for (name, header) in [
        ("wrong secret", Some(signature(&text, "another-secret"))),
        (
            "another body",
            Some(signature(&format!("{text} "), HMAC_SECRET)),
        ),
        ("no header", None),
    ] {
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(h) = header.as_deref() {
            headers.push(("X-JET-Connect-Hash", h));
        }
        for path in [
            "/webhooks/jet/orders",
            "/webhooks/jet/orders/final",
            "/webhooks/jet/orders/cancel",
        ] {
            let reply = request("POST", &app.url(path), &headers, Some(text.as_bytes()))
                .unwrap_or_else(|e| panic!("{e}"));
            expect(&reply, 401, &format!("{name} at {path}"));
            let body = reply.json();
            let field = if path.ends_with("/cancel") {
                "message"
            } else {
                "errorMessage"
            };
            assert!(
                body[field].as_str().is_some_and(|m| !m.is_empty()),
                "{name} at {path}: {body}"
            );
        }
    }
    expect(&jet_view(app, "e2e-jet-sig-1"), 404, "nothing recorded");
    std::thread::sleep(Duration::from_millis(500));
    assert!(outcomes(status_sink(), "e2e-jet-sig-1").is_empty());
}

/// Issue 22 point 4: a genuinely signed order whose unknown field holds a byte that is not
/// UTF-8, or a number beyond any finite one, is refused naming the field, and nothing is
/// recorded (the hub stores only bodies it can keep byte for byte as signed).
fn a_body_that_is_not_what_it_claims_is_400_naming_the_field(app: &App) {
    for (n, raw, reason) in [(1, &b"\"\xff\""[..], "UTF-8"), (2, b"1e400", "finite")] {
        let jet_id = format!("e2e-jet-door-{n}");
        let text = partner_order(&jet_id, "e2e-jet-loc-door").to_string();
        let mut body = b"{\"zz\": ".to_vec();
        body.extend_from_slice(raw);
        body.extend_from_slice(b", ");
        body.extend_from_slice(&text.as_bytes()[1..]);
        let mut mac = Hmac::<Sha256>::new_from_slice(HMAC_SECRET.as_bytes()).expect("any key");
        mac.update(&body);
        let hash = format!(
            "HMAC-SHA256 t=1673428038618,signature={}",
            base64(&mac.finalize().into_bytes())
        );
        let path = "/webhooks/jet/orders";
        let reply = request(
            "POST",
            &app.url(path),
            &[
                ("Content-Type", "application/json"),
                ("X-JET-Connect-Hash", &hash),
            ],
            Some(&body),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        crate::conform::check("POST", path, &reply);
        expect(&reply, 400, reason);
        let message = reply.json()["errorMessage"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            message.contains("zz: ") && message.contains(reason),
            "{message}"
        );
        expect(&jet_view(app, &jet_id), 404, "nothing recorded");
    }
}

fn a_structurally_invalid_order_is_400_naming_every_problem(app: &App) {
    let mut order = partner_order("e2e-jet-bad-1", "e2e-jet-loc-bad");
    order["type"] = json!("drone");
    order["items"][0]["price"] = json!(17.5);
    order.as_object_mut().map(|o| o.remove("payment"));
    let reply = post_signed(app, "/webhooks/jet/orders", &order);
    expect(&reply, 400, "invalid order");
    let message = reply.json()["errorMessage"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    for part in ["type", "items[0].price", "payment"] {
        assert!(message.contains(part), "{part} not named: {message}");
    }
    let broken = request(
        "POST",
        &app.url("/webhooks/jet/orders"),
        &[("X-JET-Connect-Hash", &signature("{", HMAC_SECRET))],
        Some(b"{"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    expect(&broken, 400, "not JSON");
    assert!(broken.json()["errorMessage"].is_string());
    expect(&jet_view(app, "e2e-jet-bad-1"), 404, "nothing recorded");
}

fn what_the_kitchen_cannot_take_is_sent_to_pos_failed_with_its_code(app: &App) {
    let (id, location) = ("e2e-jet-fail", "e2e-jet-loc-fail");
    setup(app, id, location);
    let unknown_plu = {
        let mut o = partner_order("e2e-jet-fail-plu", location);
        o["items"][0]["plu"] = json!("NOPE");
        o
    };
    let stopped = {
        let mut o = partner_order("e2e-jet-fail-stop", location);
        o["items"][0]["plu"] = json!("OUT1");
        o["items"][0]["children"] = json!([]);
        o
    };
    let unknown_location = partner_order("e2e-jet-fail-loc", "e2e-jet-loc-nowhere");
    for (order, code, words) in [
        (unknown_plu, "MENU_ERROR", "\"NOPE\""),
        (stopped, "MENU_ERROR", "\"OUT1\" is on the stop list"),
        (unknown_location, "INCORRECT_SETUP", "e2e-jet-loc-nowhere"),
    ] {
        let jet_id = order["id"].as_str().unwrap_or_default().to_owned();
        let reply = post_signed(app, "/webhooks/jet/orders", &order);
        expect(&reply, 202, &jet_id);
        let calls = settled_outcomes(status_sink(), &jet_id);
        assert_eq!(calls.len(), 1, "{jet_id}: {calls:?}");
        assert_eq!(calls[0].0, "sent-to-pos-failed", "{jet_id}");
        assert_eq!(calls[0].1["errorCode"], code, "{jet_id}");
        let message = calls[0].1["errorMessage"].as_str().unwrap_or_default();
        assert!(message.contains(words), "{jet_id}: {message}");
        let view = jet_view(app, &jet_id).json();
        assert_eq!(view["outcome"], "failed");
        assert_eq!(view["error_code"], code);
        assert_eq!(view["order"], Value::Null, "{jet_id}: no hub order");
    }

    // Offline (JET Connect's own offline call): INACTIVE.
    expect(
        &operator(
            app,
            "PUT",
            &format!("/jet-connect/restaurants/{id}/offline"),
            None,
        ),
        202,
        "offline",
    );
    let reply = post_signed(
        app,
        "/webhooks/jet/orders",
        &partner_order("e2e-jet-fail-off", location),
    );
    expect(&reply, 202, "offline order");
    let calls = settled_outcomes(status_sink(), "e2e-jet-fail-off");
    assert_eq!(calls[0].1["errorCode"], "INACTIVE", "{calls:?}");
}

fn a_blank_menu_reference_is_checked_against_the_restaurants_menu(app: &App) {
    let (id, location) = ("e2e-jet-blankref", "e2e-jet-loc-blankref");
    // The POS pushed its menu with a reference, as the "Basic menu" example does; Just
    // Eat's order examples all send `menu_reference: ""`.
    setup_with_jet_menus(
        app,
        id,
        location,
        json!([jet_menu("burger-zone", "DELIVERY", &["M2"])]),
    );
    for (jet_id, reference) in [
        ("e2e-jet-blankref-1", ""),
        ("e2e-jet-blankref-2", "a-menu-never-ingested"),
    ] {
        let mut order = partner_order(jet_id, location);
        order["menu_reference"] = json!(reference);
        let reply = post_signed(app, "/webhooks/jet/orders", &order);
        expect(&reply, 202, jet_id);
        // Before issue 16: sent-to-pos-failed INCORRECT_SETUP (no menu for the default
        // concept).
        let calls = settled_outcomes(status_sink(), jet_id);
        assert_eq!(
            calls.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
            ["sent-to-pos-success"],
            "{jet_id}: {calls:?}"
        );
        let view = jet_view(app, jet_id).json();
        assert_eq!(
            view["order"]["request"]["body"]["concept_id"], "burger-zone",
            "{jet_id}: placed for the concept of the menu it was checked against"
        );
    }

    // A second concept: a blank reference no longer tells which menu, so the order is
    // refused as the setup error it is, naming the concepts.
    let sink = Sink::start();
    let body = json!({"restaurants": [id], "menus": [jet_menu("other", "DELIVERY", &["M2"])],
        "callback_url": sink.url("/cb")});
    expect(
        &operator(app, "POST", "/jet-connect/menus", Some(&body)),
        202,
        "a second concept",
    );
    let jet_id = "e2e-jet-blankref-3";
    let reply = post_signed(
        app,
        "/webhooks/jet/orders",
        &partner_order(jet_id, location),
    );
    expect(&reply, 202, jet_id);
    let calls = settled_outcomes(status_sink(), jet_id);
    assert_eq!(calls[0].0, "sent-to-pos-failed", "{calls:?}");
    assert_eq!(calls[0].1["errorCode"], "INCORRECT_SETUP");
    let message = calls[0].1["errorMessage"].as_str().unwrap_or_default();
    assert!(
        message.contains("burger-zone") && message.contains("other"),
        "{message}"
    );
}

fn each_order_type_is_checked_against_the_menu_of_its_service(app: &App) {
    let (id, location) = ("e2e-jet-service", "e2e-jet-loc-service");
    // One reference, two menus: COL1 is sold for collection only.
    setup_with_jet_menus(
        app,
        id,
        location,
        json!([
            jet_menu("burger-zone", "DELIVERY", &["M2"]),
            jet_menu("burger-zone", "COLLECTION", &["M2", "COL1"]),
        ]),
    );
    let order = |jet_id: &str, kind: &str| {
        let mut o = partner_order(jet_id, location);
        o["type"] = json!(kind);
        o["items"][0]["plu"] = json!("COL1");
        o
    };
    for (jet_id, kind, outcome) in [
        (
            "e2e-jet-service-partner",
            "delivery-by-delivery-partner",
            "sent-to-pos-failed",
        ),
        (
            "e2e-jet-service-collect",
            "collection-by-customer",
            "sent-to-pos-success",
        ),
    ] {
        let reply = post_signed(app, "/webhooks/jet/orders", &order(jet_id, kind));
        expect(&reply, 202, jet_id);
        let calls = settled_outcomes(status_sink(), jet_id);
        assert_eq!(calls.len(), 1, "{jet_id}: {calls:?}");
        assert_eq!(calls[0].0, outcome, "{jet_id}: {calls:?}");
        if outcome == "sent-to-pos-failed" {
            assert_eq!(calls[0].1["errorCode"], "MENU_ERROR", "{jet_id}");
            let message = calls[0].1["errorMessage"].as_str().unwrap_or_default();
            assert!(message.contains("COL1"), "{jet_id}: {message}");
        }
    }
}

fn cancel_and_final_picked_update_the_stored_order(app: &App) {
    let (id, location) = ("e2e-jet-cf", "e2e-jet-loc-cf");
    setup(app, id, location);
    let jet_id = "e2e-jet-cf-1";
    let order = partner_order(jet_id, location);
    let order_id = order_id_of(&post_signed(app, "/webhooks/jet/orders", &order));

    // Final picked: two cheeseburgers where one was ordered.
    let mut picked = order.clone();
    let burger = picked["items"][0].clone();
    picked["items"] = json!([burger.clone(), burger]);
    picked["payment"]["items_in_cart"]["inc_tax"] = json!(4320);
    picked["payment"]["final"]["inc_tax"] = json!(4320);
    let reply = post_signed(app, "/webhooks/jet/orders/final", &picked);
    expect(&reply, 200, "final picked");
    assert_eq!(order_id_of(&reply), order_id);
    let view = jet_view(app, jet_id).json();
    let cart = &view["order"]["request"]["body"]["cart"];
    assert_eq!(cart["items"][0]["count"], 2, "{cart}");
    assert_eq!(cart["total"], json!(43.2), "the final picked payment.final");
    assert!(view["final_at"].is_string());

    // Cancelled by Just Eat: the order is at 5; the payload is echoed.
    let mut cancel = doc(CANCEL);
    cancel["orderID"] = json!(jet_id);
    let reply = post_signed(app, "/webhooks/jet/orders/cancel", &cancel);
    expect(&reply, 200, "cancel");
    assert_eq!(reply.json(), cancel);
    let status = request(
        "GET",
        &app.url(&format!("/site-api/orders/{order_id}")),
        &[],
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status.json()["status"], 5);
    let view = jet_view(app, jet_id).json();
    assert_eq!(view["cancel_reason"], "custCancelledMadeMistake");
    // Again: still 200, still 5.
    expect(
        &post_signed(app, "/webhooks/jet/orders/cancel", &cancel),
        200,
        "cancel again",
    );

    // An unknown order, a bad reason: 400 {"message"}, naming the problem.
    let mut unknown = cancel.clone();
    unknown["orderID"] = json!("e2e-jet-cf-nowhere");
    let reply = post_signed(app, "/webhooks/jet/orders/cancel", &unknown);
    expect(&reply, 400, "unknown order");
    assert!(reply.json()["message"]
        .as_str()
        .is_some_and(|m| m.contains("e2e-jet-cf-nowhere")));
    // A reason the spec does not list still cancels, stored as given.
    let other = partner_order("e2e-jet-cf-2", location);
    let other_id = order_id_of(&post_signed(app, "/webhooks/jet/orders", &other));
    let mut odd = cancel;
    odd["orderID"] = json!("e2e-jet-cf-2");
    odd["reason"]["code"] = json!("courierNeverArrived");
    let reply = post_signed(app, "/webhooks/jet/orders/cancel", &odd);
    expect(&reply, 200, "an undocumented reason");
    assert_eq!(reply.json(), odd);
    let status = request(
        "GET",
        &app.url(&format!("/site-api/orders/{other_id}")),
        &[],
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status.json()["status"], 5);
    let view = jet_view(app, "e2e-jet-cf-2").json();
    assert_eq!(view["cancel_reason"], "courierNeverArrived");
    // Without an order id it cannot be applied: 400 naming the field.
    let mut blank = odd;
    blank["orderID"] = json!("");
    let reply = post_signed(app, "/webhooks/jet/orders/cancel", &blank);
    expect(&reply, 400, "no order");
    assert!(reply.json()["message"]
        .as_str()
        .is_some_and(|m| m.contains("orderID")));
}

/// The order with `burgers` cheeseburgers (21.60 each) instead of one: a final picked
/// version.
fn with_burgers(order: &Value, burgers: usize) -> Value {
    let mut picked = order.clone();
    let burger = picked["items"][0].clone();
    picked["items"] = Value::Array(vec![burger; burgers]);
    let paid = 2160 * burgers as i64;
    picked["payment"]["items_in_cart"]["inc_tax"] = json!(paid);
    picked["payment"]["final"]["inc_tax"] = json!(paid);
    picked
}

/// The stored hub order's cart: (count of the first line, total).
fn stored_cart(app: &App, jet_id: &str) -> (Value, Value) {
    let view = jet_view(app, jet_id).json();
    let cart = &view["order"]["request"]["body"]["cart"];
    (cart["items"][0]["count"].clone(), cart["total"].clone())
}

/// The recorded final version of a JET order view: (lines, `payment.final.inc_tax`).
/// (Compared by content, not as a whole: the stored body's floats may print differently.)
fn final_version(view: &Value) -> (usize, Value) {
    let items = view["final"]["items"].as_array().map_or(0, Vec::len);
    (items, view["final"]["payment"]["final"]["inc_tax"].clone())
}

/// Issue 22, point 3: a genuinely signed final picked version sent again (the same bytes,
/// the same `X-JET-Connect-Hash`) changes nothing, whether it is the version in force or
/// an older one that would revert a newer; the original order posted to the final endpoint
/// does not undo an amendment; and after a cancellation no version changes the order.
fn old_final_picked_versions_cannot_undo_new_ones_nor_change_a_cancelled_order(app: &App) {
    let (id, location) = ("e2e-jet-rp", "e2e-jet-loc-rp");
    setup(app, id, location);
    let jet_id = "e2e-jet-rp-1";
    let order = partner_order(jet_id, location);
    let order_id = order_id_of(&post_signed(app, "/webhooks/jet/orders", &order));
    let final_path = "/webhooks/jet/orders/final";

    let two = with_burgers(&order, 2);
    let three = with_burgers(&order, 3);
    let reply = post_signed(app, final_path, &two);
    expect(&reply, 200, "first final version");
    assert_eq!(stored_cart(app, jet_id), (json!(2), json!(43.2)));
    let reply = post_signed(app, final_path, &three);
    expect(&reply, 200, "second final version");
    assert_eq!(stored_cart(app, jet_id), (json!(3), json!(64.8)));
    let final_at = jet_view(app, jet_id).json()["final_at"].clone();
    assert!(final_at.is_string(), "{final_at}");

    // Replays: the older version, the original order, the version in force. Each is
    // answered as before (200, the same OrderId) and changes nothing.
    for (body, why) in [
        (&two, "the older final version after the newer one"),
        (&order, "the original order at the final endpoint"),
        (&three, "the version in force again"),
    ] {
        let reply = post_signed(app, final_path, body);
        expect(&reply, 200, why);
        assert_eq!(order_id_of(&reply), order_id, "{why}");
        assert_eq!(
            stored_cart(app, jet_id),
            (json!(3), json!(64.8)),
            "{why}: the contents stay the newest version's"
        );
        let view = jet_view(app, jet_id).json();
        assert_eq!(view["final_at"], final_at, "{why}: no new version recorded");
        assert_eq!(final_version(&view), (3, json!(6480)), "{why}");
    }

    // Cancelled by Just Eat: a final version after it is refused, in JET's error shape
    // naming the cancellation, and the contents stay.
    let mut cancel = doc(CANCEL);
    cancel["orderID"] = json!(jet_id);
    expect(
        &post_signed(app, "/webhooks/jet/orders/cancel", &cancel),
        200,
        "cancel",
    );
    for (body, why) in [
        (
            with_burgers(&order, 4),
            "a new version after the cancellation",
        ),
        (three.clone(), "the version in force after the cancellation"),
    ] {
        let reply = post_signed(app, final_path, &body);
        expect(&reply, 400, why);
        let message = reply.json()["errorMessage"]
            .as_str()
            .unwrap_or_else(|| panic!("{why}: no errorMessage: {}", reply.body))
            .to_owned();
        assert!(
            message.contains(jet_id) && message.contains("cancelled"),
            "{why}: {message}"
        );
        assert_eq!(stored_cart(app, jet_id), (json!(3), json!(64.8)), "{why}");
        assert_eq!(
            final_version(&jet_view(app, jet_id).json()),
            (3, json!(6480)),
            "{why}"
        );
    }
    let status = request(
        "GET",
        &app.url(&format!("/site-api/orders/{order_id}")),
        &[],
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status.json()["status"], 5, "still cancelled");
}

/// The cart total as minor units.
fn minor_units(v: &Value) -> i64 {
    (v.as_f64().unwrap_or_else(|| panic!("not a number: {v}")) * 100.0).round() as i64
}

fn adjustment(name: &str, amount: i64) -> Value {
    json!({"name": name, "price": {"inc_tax": amount, "tax": 0}})
}

/// Just Eat's merchant-delivery example under `jet_id` at `location`, received as a new
/// order, with `final` following from `items_in_cart` and the adjustments.
fn merchant_order(jet_id: &str, location: &str, adjustments: Value, promotions: Value) -> Value {
    let mut order = doc(FINAL_MERCHANT);
    order["id"] = json!(jet_id);
    order["posLocationId"] = json!(location);
    order["promotions"] = promotions;
    let items = order["payment"]["items_in_cart"]["inc_tax"]
        .as_i64()
        .unwrap_or_default();
    let signed: i64 = adjustments
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| {
            let n = a["price"]["inc_tax"].as_i64().unwrap_or(0);
            if a["name"] == "discount" {
                -n
            } else {
                n
            }
        })
        .sum();
    order["payment"]["adjustments"] = adjustments;
    order["payment"]["final"]["inc_tax"] = json!(items + signed);
    order
}

fn every_variant_charges_what_the_customer_paid(app: &App) {
    let (id, location) = ("e2e-jet-money", "e2e-jet-loc-money");
    setup(app, id, location);
    let promo = |kind: &str, items: Value, value: i64| json!([{"type": kind, "items": items, "promotionId": "p-1", "discountValue": value, "offerId": "o-1"}]);
    let burger = json!({"description": "", "name": "Cheeseburger", "plu": "M2", "price": 1700,
        "notes": "", "children": []});
    let pasta = json!({"description": "", "name": "Cheesy Pasta", "plu": "MMcc0", "price": 500,
        "notes": "", "children": []});
    let mut item_level = partner_order("e2e-jet-money-card", location);
    item_level["promotions"] = promo("Item_Level_Discount", json!([pasta]), 200);
    item_level["payment"]["items_in_cart"]["inc_tax"] = json!(2460);
    item_level["payment"]["final"]["inc_tax"] = json!(2460);
    let mut cash = merchant_order(
        "e2e-jet-money-cash",
        location,
        json!([
            adjustment("deliveryFee", 240),
            adjustment("serviceCharge", 99),
            adjustment("bagfee", 10),
            adjustment("driverTip", 150)
        ]),
        json!([]),
    );
    cash["payment_method"] = json!("CASH");
    // (name, order, what the customer paid, what the kitchen's bill must say)
    let cases: Vec<(&str, Value, i64, Vec<&str>)> = vec![
        (
            "the published partner example",
            partner_order("e2e-jet-money-published", location),
            2160,
            vec![
                "Crispy Chicken Twist",
                "in items_in_cart beyond the line prices (tax, rounding) 3.60",
            ],
        ),
        (
            "a FREE_ITEM promotion",
            merchant_order(
                "e2e-jet-money-free",
                location,
                json!([adjustment("deliveryFee", 240)]),
                promo("FREE_ITEM", json!([burger]), 1700),
            ),
            840,
            vec!["promotion FREE_ITEM p-1, free, listed at 17.00"],
        ),
        (
            "a percentage discount in promotions and in adjustments",
            merchant_order(
                "e2e-jet-money-both",
                location,
                json!([adjustment("deliveryFee", 240), adjustment("discount", 100)]),
                promo("Percentage_Discount", json!([]), 100),
            ),
            740,
            vec!["- promotion Percentage_Discount p-1 (also a discount adjustment: counted once) 1.00"],
        ),
        (
            "service charge, bag fee and tip, paid cash",
            cash,
            1099,
            vec![
                "+ service charge 0.99 + bag fee 0.10 + driver tip 1.50",
                "CASH: the courier collects 10.99",
            ],
        ),
        (
            "an item-level discount, paid by card",
            item_level,
            2460,
            vec!["promotion Item_Level_Discount p-1, 2.00 off 5.00"],
        ),
    ];
    for (name, order, paid, words) in cases {
        let jet_id = order["id"].as_str().unwrap_or_default().to_owned();
        let reply = post_signed(app, "/webhooks/jet/orders", &order);
        expect(&reply, 202, name);
        let calls = settled_outcomes(status_sink(), &jet_id);
        assert_eq!(calls.len(), 1, "{name}: {calls:?}");
        assert_eq!(calls[0].0, "sent-to-pos-success", "{name}: {calls:?}");
        assert_eq!(order["payment"]["final"]["inc_tax"], json!(paid), "{name}");
        let view = jet_view(app, &jet_id).json();
        let body = &view["order"]["request"]["body"];
        assert_eq!(
            minor_units(&body["cart"]["total"]),
            paid,
            "{name}: cart.total"
        );
        assert_eq!(
            minor_units(&body["payment"]["sum"]),
            paid,
            "{name}: payment.sum"
        );
        let comment = body["comment"].as_str().unwrap_or_default();
        let shown = format!("= paid {}.{:02}", paid / 100, paid % 100);
        assert!(comment.contains(&shown), "{name}: {comment}");
        for w in words {
            assert!(comment.contains(w), "{name}: {w:?} not in {comment}");
        }
        if name.contains("cash") {
            assert_eq!(body["payment"]["method"], "cash", "{name}");
        }
        if name.contains("counted once") || name.contains("both") {
            assert!(
                !comment.contains("- discount"),
                "{name}: counted twice: {comment}"
            );
        }
    }
}

fn a_delivery_goes_to_its_zone_or_outside_every_zone_to_the_named_restaurant(app: &App) {
    let (id, location) = ("e2e-jet-route", "e2e-jet-loc-route");
    setup(app, id, location);
    // A zone around Winnipeg, where the merchant example delivers, with a fee of its own.
    let zone = json!({"id": "e2e-jet-wpg", "name": "Winnipeg", "sum_min": 0, "time_min": 30,
        "time_max": 60, "delivery_price": 999, "sum_for_free": 100000,
        "lastChange": "2024-05-21T16:19:13.000+00:00",
        "coordinates": [["-97.3", "49.8"], ["-97.0", "49.8"], ["-97.0", "50.0"], ["-97.3", "50.0"], ["-97.3", "49.8"]]});
    let zones = json!({"restaurant_id": id, "lastChange": "2024-05-21T16:19:13.000+00:00",
        "zones": [zone]});
    expect(
        &operator(
            app,
            "PUT",
            &format!("/admin/delivery_zones?restaurant_id={id}"),
            Some(&zones),
        ),
        200,
        "zones",
    );
    let inside = merchant_order(
        "e2e-jet-route-in",
        location,
        json!([adjustment("deliveryFee", 240)]),
        json!([]),
    );
    let mut outside = merchant_order(
        "e2e-jet-route-out",
        location,
        json!([adjustment("deliveryFee", 240)]),
        json!([]),
    );
    outside["delivery"]["coordinates"] = json!({"latitude": 51.5072, "longitude": -0.1276,
        "latitude_as_string": "51.5072", "longitude_as_string": "-0.1276"});
    for (order, zone_id, words) in [
        (
            inside,
            json!("e2e-jet-wpg"),
            "Routed by delivery zone e2e-jet-wpg",
        ),
        (
            outside,
            Value::Null,
            "(51.5072, -0.1276) outside every delivery zone",
        ),
    ] {
        let jet_id = order["id"].as_str().unwrap_or_default().to_owned();
        expect(
            &post_signed(app, "/webhooks/jet/orders", &order),
            202,
            &jet_id,
        );
        let calls = settled_outcomes(status_sink(), &jet_id);
        assert_eq!(
            calls[0].0, "sent-to-pos-success",
            "{jet_id}: not refused: {calls:?}"
        );
        let view = jet_view(app, &jet_id).json();
        assert_eq!(view["restaurant_id"], id);
        let body = &view["order"]["request"]["body"];
        assert_eq!(body["address"]["zone_id"], zone_id, "{jet_id}: {body}");
        assert_eq!(
            body["cart"]["delivery"],
            json!(2.4),
            "{jet_id}: Just Eat's fee, not the zone's"
        );
        let comment = body["comment"].as_str().unwrap_or_default();
        assert!(comment.contains(words), "{jet_id}: {comment}");
        assert!(
            comment.contains("delivery fee 2.4 as the marketplace charged it"),
            "{jet_id}: {comment}"
        );
        if zone_id.is_null() {
            assert_eq!(
                body["address"]["coords"],
                Value::Null,
                "{jet_id}: no coordinates for Jupiter to route by"
            );
            assert_eq!(
                body["address"]["name"],
                "1234 Spicy Street, R3B 0P4 Winnipeg"
            );
        }
    }
}

fn cancel_before_the_deadline_stops_the_timeout_and_retries_say_the_outcome() {
    let jupiter = Sink::start();
    jupiter.respond_with(503);
    let status = Sink::start();
    let app = App::spawn(AppOptions {
        demo_data: false,
        vars: vec![
            ("JUPITER_API_URL".to_owned(), jupiter.url("/site-api")),
            ("JUPITER_API_KEY".to_owned(), "upstream-key".to_owned()),
            ("JET_STATUS_BASE_URL".to_owned(), status.base_url.clone()),
            ("JET_POS_DEADLINE_SECS".to_owned(), "5".to_owned()),
            ("JET_CONNECT_API_KEY".to_owned(), "jet-key".to_owned()),
            ("RETRY_FIRST_DELAY_SECS".to_owned(), "1".to_owned()),
            ("RETRY_FACTOR".to_owned(), "1".to_owned()),
            ("RETRY_MAX_DELAY_SECS".to_owned(), "1".to_owned()),
            ("RETRY_MAX_ATTEMPTS".to_owned(), "20".to_owned()),
            ("ATTEMPT_TIMEOUT_SECS".to_owned(), "2".to_owned()),
        ],
    });
    let (id, location) = ("e2e-jet-cx", "e2e-jet-loc-cx");
    setup(&app, id, location);
    let order = partner_order("e2e-jet-cx-1", location);
    let first = post_signed(&app, "/webhooks/jet/orders", &order);
    expect(&first, 202, "receive");
    let order_id = order_id_of(&first);
    // Undecided (Jupiter is down): the same order again is still pending, 202.
    let again = post_signed(&app, "/webhooks/jet/orders", &order);
    expect(&again, 202, "receive again, undecided");
    assert_eq!(order_id_of(&again), order_id);

    let mut cancel = doc(CANCEL);
    cancel["orderID"] = json!("e2e-jet-cx-1");
    expect(
        &post_signed(&app, "/webhooks/jet/orders/cancel", &cancel),
        200,
        "cancel before the deadline",
    );
    let view = jet_view(&app, "e2e-jet-cx-1").json();
    assert_eq!(view["outcome"], "failed", "settled: {view}");
    assert_eq!(
        view["error_code"],
        Value::Null,
        "no JET code was sent: {view}"
    );
    assert!(
        view["error_message"]
            .as_str()
            .is_some_and(|m| m.contains("cancelled by Just Eat")),
        "{view}"
    );
    assert!(view["cancelled_at"].is_string(), "{view}");
    std::thread::sleep(Duration::from_millis(1500));
    let offered = jupiter.received().len();

    // Past the deadline: no TIMEOUT (nor anything else) for the cancelled order, and the
    // kitchen is no longer offered it.
    std::thread::sleep(Duration::from_secs(8));
    assert!(
        outcomes(&status, "e2e-jet-cx-1").is_empty(),
        "nothing sent after the cancellation: {:?}",
        outcomes(&status, "e2e-jet-cx-1")
    );
    assert_eq!(jupiter.received().len(), offered, "the forwarding stopped");
    let view = jet_view(&app, "e2e-jet-cx-1").json();
    assert_eq!(view["late_outcome"], Value::Null, "{view}");
    // Received again after it was cancelled: not injected, so not 200; 400 names why.
    let late = post_signed(&app, "/webhooks/jet/orders", &order);
    expect(&late, 400, "receive after the cancellation");
    assert!(
        late.json()["errorMessage"]
            .as_str()
            .is_some_and(|m| m.contains("cancelled")),
        "{}",
        late.body
    );
    assert!(outcomes(&status, "e2e-jet-cx-1").is_empty());
}

fn upstream_down_gives_an_explicit_timeout_and_a_late_success_is_not_sent() {
    let jupiter = Sink::start();
    jupiter.respond_with(503);
    let status = Sink::start();
    let app = App::spawn(AppOptions {
        demo_data: false,
        vars: vec![
            ("JUPITER_API_URL".to_owned(), jupiter.url("/site-api")),
            ("JUPITER_API_KEY".to_owned(), "upstream-key".to_owned()),
            ("JET_STATUS_BASE_URL".to_owned(), status.base_url.clone()),
            ("JET_POS_DEADLINE_SECS".to_owned(), "4".to_owned()),
            ("JET_CONNECT_API_KEY".to_owned(), "jet-key".to_owned()),
            ("RETRY_FIRST_DELAY_SECS".to_owned(), "1".to_owned()),
            ("RETRY_FACTOR".to_owned(), "1".to_owned()),
            ("RETRY_MAX_DELAY_SECS".to_owned(), "1".to_owned()),
            ("RETRY_MAX_ATTEMPTS".to_owned(), "20".to_owned()),
            ("ATTEMPT_TIMEOUT_SECS".to_owned(), "2".to_owned()),
        ],
    });
    let (id, location) = ("e2e-jet-up", "e2e-jet-loc-up");
    setup(&app, id, location);
    let started = std::time::Instant::now();
    let reply = post_signed(
        &app,
        "/webhooks/jet/orders",
        &partner_order("e2e-jet-up-1", location),
    );
    expect(&reply, 202, "receive upstream");

    // Jupiter keeps failing: TIMEOUT at the deadline, explicit, long before Just Eat's 180 s.
    let calls = settled_outcomes(&status, "e2e-jet-up-1");
    let waited = started.elapsed();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].0, "sent-to-pos-failed");
    assert_eq!(calls[0].1["errorCode"], "TIMEOUT");
    assert!(
        calls[0].1["errorMessage"]
            .as_str()
            .is_some_and(|m| m.contains("4 s")),
        "{calls:?}"
    );
    assert!(
        waited >= Duration::from_secs(4) && waited < Duration::from_secs(30),
        "{waited:?}"
    );
    assert!(
        !jupiter.received().is_empty(),
        "the order was offered to Jupiter"
    );

    // Jupiter recovers: the order reaches it, the success is recorded and never sent.
    jupiter.respond_with(200);
    eventually("the late success", || {
        let view = jet_view(&app, "e2e-jet-up-1").json();
        view["late_outcome"]
            .as_str()
            .filter(|l| l.starts_with("success"))
            .map(drop)
    });
    let view = jet_view(&app, "e2e-jet-up-1").json();
    assert_eq!(view["outcome"], "failed");
    assert_eq!(view["error_code"], "TIMEOUT");
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(outcomes(&status, "e2e-jet-up-1").len(), 1);

    // With Jupiter up, an order succeeds before the deadline.
    let reply = post_signed(
        &app,
        "/webhooks/jet/orders",
        &partner_order("e2e-jet-up-2", location),
    );
    expect(&reply, 202, "receive upstream, Jupiter up");
    let calls = settled_outcomes(&status, "e2e-jet-up-2");
    assert_eq!(
        calls.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
        ["sent-to-pos-success"]
    );
    assert_eq!(jet_view(&app, "e2e-jet-up-2").json()["outcome"], "success");
}

fn the_simulator_delivers_a_signed_order_and_records_the_outcome_call(app: &App) {
    let (id, location) = ("e2e-jet-sim", "e2e-jet-loc-sim");
    setup(app, id, location);
    // The simulator's sample order is for the demo menu's T20231; put it on this one.
    let menu = json!({
        "restaurant_id": id,
        "menu": {
            "lastChange": "2024-05-21T16:19:13.000+00:00",
            "categories": [{"id": "c1", "name": "Роллы"}],
            "items": [{"id": "T20231", "categoryId": "c1", "name": "Филадельфия Гранд", "price": 500}]
        }
    });
    let path = format!("/admin/menu?restaurant_id={id}");
    expect(&operator(app, "PUT", &path, Some(&menu)), 200, "menu");
    let reply = request(
        "POST",
        &app.url("/sim/jet/orders"),
        &[("Content-Type", "application/json")],
        Some(
            json!({"posLocationId": location, "menu_reference": ""})
                .to_string()
                .as_bytes(),
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    expect(&reply, 200, "the simulator");
    let answer = reply.json();
    assert_eq!(answer["answer"]["status"], 202, "{answer}");
    let jet_id = answer["sent"]["id"].as_str().unwrap_or_default().to_owned();
    assert!(jet_id.starts_with("sim-"), "{answer}");
    let view = jet_view(app, &jet_id).json();
    assert_eq!(view["answer_id"], answer["answer"]["body"]["OrderId"]);

    // The hub called the simulated JET Connect with its key; the call is listed.
    let call = eventually("the outcome call at the simulator", || {
        let calls = request("GET", &app.url("/sim/jet/calls"), &[], None)
            .ok()?
            .json();
        calls["calls"]
            .as_array()?
            .iter()
            .find(|c| {
                c["path"]
                    .as_str()
                    .is_some_and(|p| p.starts_with(&format!("/sim/jet/order/{jet_id}/")))
            })
            .cloned()
    });
    assert_eq!(
        call["path"],
        json!(format!("/sim/jet/order/{jet_id}/sent-to-pos-success")),
        "{call}"
    );
    assert_eq!(call["api_key"], true);
    assert!(call["body"]["happenedAt"].is_string(), "{call}");
}

fn relay_passes_accepted_catalog_writes_on_in_order_and_takes_menu_callbacks() {
    let jet = Sink::start();
    let app = App::spawn(AppOptions {
        demo_data: false,
        vars: vec![
            ("JET_RELAY".to_owned(), "on".to_owned()),
            ("JET_CONNECT_API_URL".to_owned(), jet.url("/jet")),
            ("JET_CONNECT_API_KEY".to_owned(), "relay-key".to_owned()),
        ],
    });
    let id = "e2e-jet-relay";
    setup(&app, id, "e2e-jet-loc-relay");
    let pos = Sink::start();
    let mut menus = doc(include_str!(
        "../../fixtures/jet-connect/menus-request-basic.json"
    ));
    menus["restaurants"] = json!([id]);
    menus["callback_url"] = json!(pos.url("/menu-status"));
    expect(
        &operator(&app, "POST", "/jet-connect/menus", Some(&menus)),
        202,
        "menus",
    );
    let availability = json!({"event": "UNAVAILABLE", "itemReferences": ["M2"], "restaurant": id,
        "happenedAt": "2026-01-01T10:00:00+00:00"});
    expect(
        &operator(
            &app,
            "POST",
            "/jet-connect/item-availability",
            Some(&availability),
        ),
        202,
        "availability",
    );
    let offline = json!({"onlineAt": "2031-10-13T12:03:00"});
    let base = format!("/jet-connect/restaurants/{id}");
    expect(
        &operator(&app, "PUT", &format!("{base}/offline"), Some(&offline)),
        202,
        "offline",
    );
    expect(
        &operator(&app, "PUT", &format!("{base}/online"), None),
        202,
        "online",
    );
    let times = doc(include_str!(
        "../../fixtures/jet-connect/restaurant-servicetimes-request.json"
    ));
    expect(
        &operator(&app, "PUT", &format!("{base}/servicetimes"), Some(&times)),
        202,
        "service times",
    );
    // Refused by the hub, so never relayed.
    expect(
        &operator(
            &app,
            "PUT",
            &format!("{base}/servicetimes"),
            Some(&json!({"timezone": 5})),
        ),
        400,
        "bad service times",
    );

    jet.wait_for(5, Duration::from_secs(30));
    std::thread::sleep(Duration::from_millis(1500));
    let got = jet.received();
    assert_eq!(got.len(), 5, "exactly the five accepted writes: {got:?}");
    let mut calls: Vec<(String, String)> = got
        .iter()
        .map(|r| (r.method.clone(), r.url.clone()))
        .collect();
    // Per restaurant in order; menus on their own key may come anywhere.
    let menu_at = calls
        .iter()
        .position(|c| c.1 == "/jet/menus")
        .unwrap_or_else(|| panic!("no menus relay: {calls:?}"));
    calls.remove(menu_at);
    assert_eq!(
        calls,
        [
            ("POST".to_owned(), "/jet/item-availability".to_owned()),
            ("PUT".to_owned(), format!("/jet/restaurants/{id}/offline")),
            ("PUT".to_owned(), format!("/jet/restaurants/{id}/online")),
            (
                "PUT".to_owned(),
                format!("/jet/restaurants/{id}/servicetimes")
            ),
        ]
    );
    for r in &got {
        assert_eq!(r.header("X-Flyt-Api-Key"), Some("relay-key"), "{}", r.url);
    }
    let find = |path: &str| -> Value {
        let r = got
            .iter()
            .find(|r| r.url == path)
            .unwrap_or_else(|| panic!("{path}"));
        serde_json::from_str(&r.body).unwrap_or(Value::Null)
    };
    assert_eq!(find("/jet/item-availability"), availability);
    assert_eq!(find(&format!("/jet/restaurants/{id}/offline")), offline);
    assert_eq!(find(&format!("/jet/restaurants/{id}/servicetimes")), times);
    let relayed_menus = find("/jet/menus");
    assert_eq!(relayed_menus["menus"], menus["menus"]);
    let callback = relayed_menus["callback_url"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let marker = "/webhooks/jet/menu-callback?token=tok_";
    let at = callback
        .find(marker)
        .unwrap_or_else(|| panic!("the hub's callback: {callback}"));

    // JET Connect's verdict comes back to the hub and is shown to the operator.
    let verdict = json!({"restaurant": id, "ingestion_succeeded": false,
        "error": {"code": "INVALID_FORMAT", "message": "bad menu"}});
    let post = |path: &str, body: &Value| {
        request(
            "POST",
            &app.url(path),
            &[("Content-Type", "application/json")],
            Some(body.to_string().as_bytes()),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    };
    expect(&post(&callback[at..], &verdict), 200, "menu callback");
    let forged = callback[at..].replace("token=tok_", "token=tok_0");
    expect(&post(&forged, &verdict), 401, "forged token");
    let mut wrong = verdict.clone();
    wrong["error"]["code"] = json!("OOPS");
    expect(&post(&callback[at..], &wrong), 400, "bad code");
    let list = operator(&app, "GET", "/admin/jet/menu-callbacks", None);
    expect(&list, 200, "menu callbacks");
    let list = list.json();
    assert_eq!(
        list["callbacks"].as_array().map(Vec::len),
        Some(1),
        "{list}"
    );
    assert_eq!(list["callbacks"][0]["callback"], verdict);
}

/// Issue 22 point 2: a site order numbered `jet-<id>` (placed publicly, and from a browser)
/// claims nothing in JET Connect's namespace: the JET order with that id is placed,
/// answered `202` and succeeds, once; a retry answers its id.
fn a_site_order_numbered_like_it_does_not_block_the_jet_order(app: &App) {
    let (id, location, jet_id) = ("e2e-jet-ns", "e2e-jet-loc-ns", "e2e-jet-ns-1");
    setup(app, id, location);
    let (site, concept) = ("e2e-jet-ns-site", "e2e-jet-c-ns-site");
    crate::orders::setup(app, site, concept);
    let squat = crate::orders::order(site, concept, &format!("jet-{jet_id}"), None);
    let mut site_ids = Vec::new();
    for origin in [None, Some("https://squat.e2e-ns.example")] {
        let headers: Vec<(&str, &str)> = std::iter::once(("Content-Type", "application/json"))
            .chain(origin.map(|o| ("Origin", o)))
            .collect();
        let text = squat.to_string();
        let reply = request(
            "POST",
            &app.url("/site-api/order"),
            &headers,
            Some(text.as_bytes()),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        crate::conform::check("POST", "/site-api/order", &reply);
        expect(&reply, 200, "a site order numbered like the JET order");
        site_ids.push(
            reply.json()["order_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }

    let order = partner_order(jet_id, location);
    let first = post_signed(app, "/webhooks/jet/orders", &order);
    expect(&first, 202, "the JET order");
    let order_id = order_id_of(&first);
    assert!(!site_ids.contains(&order_id), "{order_id} vs {site_ids:?}");
    let calls = settled_outcomes(status_sink(), jet_id);
    assert_eq!(calls.len(), 1, "exactly one outcome: {calls:?}");
    assert_eq!(calls[0].0, "sent-to-pos-success", "{calls:?}");
    let again = post_signed(app, "/webhooks/jet/orders", &order);
    expect(&again, 200, "the JET order again");
    assert_eq!(order_id_of(&again), order_id);

    let view = jet_view(app, jet_id);
    expect(&view, 200, "the JET order");
    let view = view.json();
    assert_eq!(view["outcome"], "success", "{view}");
    assert_eq!(view["order"]["order_id"], json!(order_id), "{view}");
    assert_eq!(
        view["order"]["request"]["body"]["number"],
        format!("jet-{jet_id}")
    );
    // The site orders are untouched, each its own order with the number it chose.
    for site_id in &site_ids {
        let reply = request(
            "GET",
            &app.url(&format!("/site-api/orders/{site_id}")),
            &[],
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        expect(&reply, 200, "the site order");
        assert_eq!(reply.json()["number"], format!("jet-{jet_id}"));
        assert_eq!(reply.json()["restaurant_id"], site);
    }
}
