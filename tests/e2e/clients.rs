//! Issue 17 point 4 and the site key: clients are a record the hub keeps — made by site
//! orders (name, e-mail) and unmasked Orderconnect orders, never by Just Eat's proxy or
//! support numbers — answered by `GET /site-api/client` with `null` for what the hub does not
//! know, and edited by the operator (`/admin/clients/{phone}`); `X-Jup-Api-Key` is checked
//! on every site-API route when sent, and a refusal is never cached.
//!
//! Ids start `e2e-cl-`; every test uses phones of its own (`+7 900 555 1x xx`), since other
//! suites' orders share the Worker (and the fixtures' phones).

use orderbridge_e2e::{expect, request, App, Reply};
use serde_json::{json, Value};

use crate::{jet_orders, orderconnect, orders, AppTest};

pub const TESTS: &[(&str, AppTest)] = &[
    (
        "clients_a_site_order_makes_a_client_and_the_operators_edits_are_what_the_site_reads",
        a_site_order_makes_a_client_and_the_operators_edits_are_what_the_site_reads,
    ),
    (
        "clients_just_eat_proxy_and_masked_numbers_make_no_client",
        just_eat_proxy_and_masked_numbers_make_no_client,
    ),
    (
        "clients_a_wrong_site_key_is_401_on_every_site_route_and_never_cached",
        a_wrong_site_key_is_401_on_every_site_route_and_never_cached,
    ),
];

const OPERATOR: (&str, &str) = ("X-Flyt-Api-Key", "dev-operator-key");
const SITE_KEY: (&str, &str) = ("X-Jup-Api-Key", "dev-site-key");
const WRONG_KEY: (&str, &str) = ("X-Jup-Api-Key", "not-the-site-key");

fn call(
    app: &App,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
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
    crate::conform::check(method, path, &reply);
    reply
}

fn site_client(app: &App, phone: &str) -> Reply {
    call(
        app,
        "GET",
        &format!("/site-api/client?phone={phone}"),
        &[SITE_KEY],
        None,
    )
}

fn admin_put(app: &App, phone: &str, edit: &Value) -> Reply {
    call(
        app,
        "PUT",
        &format!("/admin/clients/{phone}"),
        &[OPERATOR],
        Some(edit),
    )
}

fn is_guid(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    groups.iter().map(|g| g.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && groups.iter().all(|g| {
            g.bytes()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        })
}

fn codes(reply: &Reply) -> Vec<(String, String)> {
    reply.json()["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["code"].as_str().unwrap_or_default().to_owned(),
                e["field"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn a_site_order_makes_a_client_and_the_operators_edits_are_what_the_site_reads(app: &App) {
    let (id, concept) = ("e2e-cl-site", "e2e-cl-c-site");
    orders::setup(app, id, concept);
    let mut doc = orders::order(id, concept, "e2e-cl-site-1", None);
    doc["body"]["client"] =
        json!({"name": "Анна Клиентова", "phone": "8 (900) 555-10-01", "email": "anna@example.ru"});
    let placed = call(app, "POST", "/site-api/order", &[], Some(&doc));
    expect(&placed, 200, "order");

    // The client the order named, keyed by its international digits; what the hub does
    // not know is null, not a made-up value.
    let reply = site_client(app, "79005551001");
    expect(&reply, 200, "client");
    let client = reply.json();
    assert_eq!(client["name"], "Анна Клиентова", "{client}");
    assert_eq!(client["email"], "anna@example.ru", "{client}");
    assert_eq!(client["phone"], "79005551001", "{client}");
    for unknown in [
        "birthday",
        "gender",
        "discounts_active",
        "blacklist",
        "block_sms",
    ] {
        assert_eq!(client[unknown], Value::Null, "{unknown}: {client}");
    }
    let id_of_client = client["id"].as_str().unwrap_or_default().to_owned();
    assert!(is_guid(&id_of_client), "{id_of_client}");
    // The same client however the phone is written.
    let eight = site_client(app, "89005551001");
    expect(&eight, 200, "client as 8…");
    assert_eq!(eight.json(), client);

    // The operator sets what the hub could not know, and renames the client.
    let edit = json!({"name": "Анна К.", "birthday": "1990-02-10", "gender": "Женский",
        "discounts_active": false, "blacklist": true, "block_sms": true});
    let put = admin_put(app, "89005551001", &edit);
    expect(&put, 200, "edit");
    let edited = put.json();
    assert_eq!(edited["id"], id_of_client.as_str(), "{edited}");
    assert_eq!(edited["orders"], 1, "{edited}");
    assert_eq!(edited["set_by_operator"], json!(["name"]), "{edited}");
    let read = site_client(app, "79005551001").json();
    assert_eq!(
        read,
        json!({"id": id_of_client, "name": "Анна К.", "phone": "79005551001",
            "email": "anna@example.ru", "birthday": "1990-02-10", "gender": "Женский",
            "discounts_active": false, "blacklist": true, "block_sms": true})
    );

    // A later order brings a new e-mail; the operator's name stays.
    let mut again = orders::order(id, concept, "e2e-cl-site-2", None);
    again["body"]["client"] =
        json!({"name": "Аня", "phone": "+7 900 555 10 01", "email": "anya@example.ru"});
    expect(
        &call(app, "POST", "/site-api/order", &[], Some(&again)),
        200,
        "second order",
    );
    let read = site_client(app, "79005551001").json();
    assert_eq!(read["name"], "Анна К.", "{read}");
    assert_eq!(read["email"], "anya@example.ru", "{read}");
    assert_eq!(read["blacklist"], true, "{read}");
    let admin = call(app, "GET", "/admin/clients/79005551001", &[OPERATOR], None);
    expect(&admin, 200, "admin read");
    assert_eq!(admin.json()["orders"], 2, "{}", admin.body);
    // Cleared, a flag is unknown again.
    let cleared = admin_put(app, "79005551001", &json!({"blacklist": null}));
    expect(&cleared, 200, "clear");
    assert_eq!(
        site_client(app, "79005551001").json()["blacklist"],
        Value::Null
    );

    // Every violation of an edit at once; nothing changes.
    let bad = admin_put(
        app,
        "79005551001",
        &json!({"name": "", "gender": "male", "birthday": "2990-01-01", "blacklist": "yes", "vip": true}),
    );
    expect(&bad, 400, "bad edit");
    let mut found = codes(&bad);
    found.sort();
    assert_eq!(
        found,
        [
            ("bad_date", "birthday"),
            ("bad_gender", "gender"),
            ("bad_name", "name"),
            ("bad_type", "blacklist"),
            ("unknown_field", "vip"),
        ]
        .map(|(c, f)| (c.to_owned(), f.to_owned()))
    );
    assert_eq!(site_client(app, "79005551001").json()["name"], "Анна К.");
    // The operator key guards the admin routes; the phone must be a phone.
    let no_key = call(
        app,
        "PUT",
        "/admin/clients/79005551001",
        &[],
        Some(&json!({})),
    );
    expect(&no_key, 401, "no operator key");
    expect(
        &call(app, "GET", "/admin/clients/79005551001", &[SITE_KEY], None),
        401,
        "site key is not the operator's",
    );
    expect(&admin_put(app, "12", &json!({})), 400, "bad phone");

    // A client the operator keeps before any order: 201, then the site reads it.
    expect(
        &site_client(app, "79005551002"),
        404,
        "unknown before the operator",
    );
    let created = admin_put(
        app,
        "+79005551002",
        &json!({"name": "Новый", "discounts_active": true}),
    );
    expect(&created, 201, "new client");
    let new = site_client(app, "79005551002").json();
    assert_eq!(new["name"], "Новый", "{new}");
    assert_eq!(new["discounts_active"], true, "{new}");
    assert_eq!(new["email"], Value::Null, "{new}");
    assert_ne!(new["id"], json!(id_of_client));
    expect(
        &call(app, "GET", "/admin/clients/79005551003", &[OPERATOR], None),
        404,
        "unknown client",
    );
}

fn just_eat_proxy_and_masked_numbers_make_no_client(app: &App) {
    // JET Connect: the delivery's phone is Just Eat's (support or proxy), never a client,
    // even when it looks like a real number.
    let (jet_restaurant, location) = ("e2e-cl-jet", "e2e-cl-jet-loc");
    jet_orders::setup(app, jet_restaurant, location);
    let mut order = jet_orders::partner_order("e2e-cl-jet-1", location);
    order["delivery"]["phone_number"] = json!("+7 900 555 11 01");
    order["delivery"]["first_name"] = json!("Jane");
    order["delivery"]["email"] = json!("jane@example.com");
    let reply = jet_orders::post_signed(app, "/webhooks/jet/orders", &order);
    expect(&reply, 202, "JET order");
    assert!(
        reply.json()["OrderId"]
            .as_str()
            .is_some_and(|id| id.starts_with("ord_")),
        "placed: {}",
        reply.body
    );
    expect(&site_client(app, "79005551101"), 404, "JET number");

    // Orderconnect: masked (a masking code) is no client; the customer's own number is.
    let restaurant = "e2e-cl-oc";
    orderconnect::setup(app, restaurant, orderconnect::Kind::Open);
    let mut masked = orderconnect::fixture("delivery-order.json", "e2e-cl-oc-1", restaurant);
    masked["CustomerInfo"]["PhoneNumber"] = json!("+7 900 555 11 02");
    masked["CustomerInfo"]["DisplayPhoneNumber"] = json!("+44 20 3000 0000");
    masked["CustomerInfo"]["PhoneMaskingCode"] = json!("555666");
    orderconnect::accepted(app, &masked);
    expect(&site_client(app, "79005551102"), 404, "masked number");
    expect(&site_client(app, "442030000000"), 404, "Just Eat's proxy");

    let mut own = orderconnect::fixture("delivery-order.json", "e2e-cl-oc-2", restaurant);
    own["CustomerInfo"]["PhoneNumber"] = json!("+7 900 555 11 03");
    own["CustomerInfo"]["Email"] = json!("petr@example.ru");
    orderconnect::accepted(app, &own);
    let reply = site_client(app, "79005551103");
    expect(&reply, 200, "the customer's own number");
    let client = reply.json();
    assert_eq!(client["name"], "Пётр Сидоров", "{client}");
    assert_eq!(client["email"], "petr@example.ru", "{client}");
    assert_eq!(client["blacklist"], Value::Null, "{client}");
}

fn a_wrong_site_key_is_401_on_every_site_route_and_never_cached(app: &App) {
    let (id, concept) = ("e2e-cl-key", "e2e-cl-c-key");
    orders::setup(app, id, concept);
    let doc = orders::order(id, concept, "e2e-cl-key-1", None);
    let placed = call(app, "POST", "/site-api/order", &[], Some(&doc));
    expect(&placed, 200, "order");
    let order_id = placed.json()["order_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let q = format!("restaurant_id={id}&concept_id={concept}");
    let reads = [
        "/site-api/restaurants".to_owned(),
        format!("/site-api/restaurants?restaurant_id={id}"),
        format!("/site-api/delivery_zones?{q}"),
        format!("/site-api/menu?{q}"),
        "/site-api/stop_list".to_owned(),
        format!("/site-api/stop_list?restaurant_id={id}"),
        format!("/site-api/orders/{order_id}"),
    ];
    for path in &reads {
        // Public first, so the read cache holds the body.
        let public = call(app, "GET", path, &[], None);
        expect(&public, 200, &format!("{path} without a key"));
        let public_again = call(app, "GET", path, &[], None);
        expect(&public_again, 200, &format!("{path} without a key, again"));
        // A wrong key is refused even though the body is cached, also when the caller
        // holds its tag; the refusal is never kept by a cache.
        let mut headers = vec![WRONG_KEY];
        let tag = public_again.header("ETag").map(str::to_owned);
        if let Some(tag) = tag.as_deref() {
            headers.push(("If-None-Match", tag));
        }
        let wrong = call(app, "GET", path, &headers, None);
        expect(&wrong, 401, &format!("{path} with a wrong key"));
        assert_eq!(
            wrong.json()["errors"][0]["code"],
            "unauthorized",
            "{path}: {}",
            wrong.body
        );
        assert_eq!(wrong.header("Cache-Control"), Some("no-store"), "{path}");
        assert!(wrong.header("ETag").is_none(), "{path}");
        assert!(!wrong.body.contains("not-the-site-key"), "{path}");
        let right = call(app, "GET", path, &[SITE_KEY], None);
        expect(&right, 200, &format!("{path} with the site key"));
        if path.starts_with("/site-api/orders/") {
            // The order read back: the key adds the personal data (issue 17 point 5).
            assert_eq!(public_again.json()["audience"], "public", "{path}");
            assert_eq!(right.json()["audience"], "trusted", "{path}");
            assert_eq!(
                right.json()["lines"],
                public_again.json()["lines"],
                "{path}"
            );
        } else {
            assert_eq!(right.body, public_again.body, "{path}");
        }
        let after = call(app, "GET", path, &[], None);
        expect(&after, 200, &format!("{path} without a key, after"));
    }
    // The order and the client take the key the same way.
    let mut other = orders::order(id, concept, "e2e-cl-key-2", None);
    other["body"]["client"] = json!({"name": "Ключ", "phone": "+7 900 555 12 01"});
    expect(
        &call(app, "POST", "/site-api/order", &[WRONG_KEY], Some(&other)),
        401,
        "order with a wrong key",
    );
    expect(
        &call(
            app,
            "GET",
            "/site-api/client?phone=79005551201",
            &[WRONG_KEY],
            None,
        ),
        401,
        "client with a wrong key",
    );
    expect(
        &call(
            app,
            "GET",
            "/site-api/client?phone=79005551201",
            &[SITE_KEY],
            None,
        ),
        404,
        "the refused order made no client",
    );
}
