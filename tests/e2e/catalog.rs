//! Issue 3, the catalog: admin writes and JET Connect writes, read back through the
//! Jupiter site API; callbacks at a sink; the stop list and its filters; ETag/304 and the
//! read cache; CORS; and bad input refused with nothing stored changing.
//!
//! Tests share one Worker and run in parallel, so each writes restaurants of its own
//! (ids starting `e2e-`, or the seed's own ids where a seed document names one that the
//! demo data does not use).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use orderbridge_e2e::{expect, repo_root, request, App, AppOptions, FakeJupiter, Reply, Sink};
use serde_json::{json, Value};

use crate::{AppTest, PlainTest};

pub const TESTS: &[(&str, AppTest)] = &[
    (
        "catalog_admin_writes_of_the_seed_documents_come_back_equal",
        admin_writes_of_the_seed_documents_come_back_equal,
    ),
    (
        "catalog_deleting_a_zone_moves_it_to_deleted_zones_at_that_time",
        deleting_a_zone_moves_it_to_deleted_zones_at_that_time,
    ),
    (
        "catalog_every_jet_menu_example_is_ingested_called_back_and_served",
        every_jet_menu_example_is_ingested_called_back_and_served,
    ),
    (
        "catalog_a_new_menu_replaces_its_concept_and_stops_out_of_stock_items",
        a_new_menu_replaces_its_concept_and_stops_out_of_stock_items,
    ),
    (
        "catalog_a_reference_keeps_its_delivery_and_collection_menus",
        a_reference_keeps_its_delivery_and_collection_menus,
    ),
    (
        "catalog_a_plu_repeated_in_a_most_popular_category_is_accepted_when_it_agrees",
        a_plu_repeated_in_a_most_popular_category_is_accepted_when_it_agrees,
    ),
    (
        "catalog_a_nested_exactly_one_group_is_served_required_under_its_option",
        a_nested_exactly_one_group_is_served_required_under_its_option,
    ),
    (
        "catalog_availability_drives_the_stop_list_and_older_events_are_ignored",
        availability_drives_the_stop_list_and_older_events_are_ignored,
    ),
    (
        "catalog_next_available_at_returns_an_item_by_itself",
        next_available_at_returns_an_item_by_itself,
    ),
    (
        "catalog_date_change_keeps_stop_lists_changed_after_it_in_local_time",
        date_change_keeps_stop_lists_changed_after_it_in_local_time,
    ),
    (
        "catalog_etag_and_if_none_match_give_304_until_a_write",
        etag_and_if_none_match_give_304_until_a_write,
    ),
    (
        "catalog_a_cache_hit_reads_no_d1_and_a_write_invalidates_it",
        a_cache_hit_reads_no_d1_and_a_write_invalidates_it,
    ),
    (
        "catalog_cors_allows_only_the_configured_origins",
        cors_allows_only_the_configured_origins,
    ),
    (
        "catalog_site_api_errors_are_jupiter_errors",
        site_api_errors_are_jupiter_errors,
    ),
    (
        "catalog_offline_online_and_service_times_are_stored",
        offline_online_and_service_times_are_stored,
    ),
    (
        "catalog_bad_inputs_get_their_4xx_and_nothing_stored_changes",
        bad_inputs_get_their_4xx_and_nothing_stored_changes,
    ),
    (
        "catalog_sync_without_an_upstream_is_refused",
        sync_without_an_upstream_is_refused,
    ),
];

/// Tests that start a Worker of their own (other configuration).
/// Run against the Worker with the short retry policy (`outbound::fast_options`).
pub const FAST_TESTS: &[(&str, AppTest)] = &[(
    "catalog_a_failed_menu_callback_is_retried_through_the_outbox",
    a_failed_menu_callback_is_retried_through_the_outbox,
)];

pub const PLAIN_TESTS: &[(&str, PlainTest)] = &[
    (
        "catalog_the_upstream_sync_pulls_the_catalog_from_a_fake_jupiter",
        the_upstream_sync_pulls_the_catalog_from_a_fake_jupiter,
    ),
    (
        "catalog_the_upstream_sync_and_client_lookup_follow_no_redirect_and_take_no_oversized_answer",
        the_upstream_sync_and_client_lookup_follow_no_redirect_and_take_no_oversized_answer,
    ),
];

/// The operator key of `.dev.vars` (copied from `.dev.vars.example` by `make setup`).
const OPERATOR: (&str, &str) = ("X-Flyt-Api-Key", "dev-operator-key");

fn fixture(path: &str) -> Value {
    let file = repo_root().join("fixtures").join(path);
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file:?}: {e}"))
}

/// An operator call with a JSON body.
fn operator(app: &App, method: &str, path: &str, body: &Value) -> Reply {
    let text = body.to_string();
    let reply = request(
        method,
        &app.url(path),
        &[OPERATOR, ("Content-Type", "application/json")],
        Some(text.as_bytes()),
    )
    .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    crate::conform::check(method, path, &reply);
    reply
}

/// A public read.
fn get(app: &App, path: &str) -> Reply {
    get_with(app, path, &[])
}

fn get_with(app: &App, path: &str, headers: &[(&str, &str)]) -> Reply {
    let reply =
        request("GET", &app.url(path), headers, None).unwrap_or_else(|e| panic!("GET {path}: {e}"));
    crate::conform::check("GET", path, &reply);
    reply
}

/// Creates (or replaces) a restaurant: a minimal place, the offset, and concepts if any.
fn restaurant(app: &App, id: &str, offset: &str, concepts: &[&str]) {
    let mut place = json!({"id": id, "name": format!("Restaurant {id}"), "utc_offset": offset});
    if !concepts.is_empty() {
        place["concepts"] = concepts
            .iter()
            .map(|c| json!({"id": c, "name": format!("Concept {c}")}))
            .collect();
    }
    let reply = operator(app, "PUT", &format!("/admin/restaurants/{id}"), &place);
    expect(&reply, 200, &format!("PUT restaurant {id}"));
}

/// A small Jupiter menu document for `id` whose first item is named `name`.
fn small_menu(id: &str, concept: &str, name: &str, last_change: &str) -> Value {
    json!({
        "restaurant_id": id,
        "concept_id": concept,
        "menu": {
            "lastChange": last_change,
            "categories": [{"id": "c1", "name": "Main", "sortOrder": 0}],
            "items": [
                {"id": "i1", "categoryId": "c1", "name": name, "price": 12.5},
                {"id": "i2", "categoryId": "c1", "name": "Tea", "price": 3}
            ]
        }
    })
}

/// A JET Connect menus request for these restaurants with one menu.
fn jet_menus(restaurants: &[&str], callback_url: &str, menu: Value) -> Value {
    json!({"restaurants": restaurants, "menus": [menu], "callback_url": callback_url})
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a Unix time (the tests crate carries no date library).
fn rfc3339_utc(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn stop_list_items(app: &App, id: &str) -> Vec<String> {
    let reply = get(app, &format!("/site-api/stop_list?restaurant_id={id}"));
    expect(&reply, 200, "stop list");
    reply.json()["stop_lists"]
        .as_array()
        .and_then(|lists| lists.first())
        .map(|list| {
            list["items"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .filter_map(|i| i["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn admin_writes_of_the_seed_documents_come_back_equal(app: &App) {
    // Restaurants: the seed's place under an id of this test's own (000127 is the demo's).
    let mut places = fixture("jupiter/seed-restaurants.json");
    places["places"][0]["id"] = json!("e2e-seed-127");
    let mut admin = places["places"][0].clone();
    admin["utc_offset"] = json!("+03:00");
    let put = operator(app, "PUT", "/admin/restaurants/e2e-seed-127", &admin);
    expect(&put, 200, "PUT seed restaurant");
    let got = get(app, "/site-api/restaurants?restaurant_id=e2e-seed-127");
    expect(&got, 200, "GET restaurants");
    assert_eq!(got.json(), places);

    // Menu: the seed's menu for that restaurant, concept 7.
    let mut menu = fixture("jupiter/seed-menu.json");
    menu["restaurant_id"] = json!("e2e-seed-127");
    let put = operator(
        app,
        "PUT",
        "/admin/menu?restaurant_id=e2e-seed-127&concept_id=7",
        &menu,
    );
    expect(&put, 200, "PUT seed menu");
    assert_eq!(put.json(), menu, "the admin answer is the served document");
    let got = get(
        app,
        "/site-api/menu?restaurant_id=e2e-seed-127&concept_id=7",
    );
    expect(&got, 200, "GET menu");
    assert_eq!(got.json(), menu);

    // Zones: the seed's own restaurant id (002040), which the demo data does not use.
    restaurant(app, "002040", "+03:00", &["7"]);
    let zones = fixture("jupiter/seed-delivery_zones.json");
    let put = operator(
        app,
        "PUT",
        "/admin/delivery_zones?restaurant_id=002040&concept_id=7",
        &zones,
    );
    expect(&put, 200, "PUT seed zones");
    let got = get(
        app,
        "/site-api/delivery_zones?restaurant_id=002040&concept_id=7",
    );
    expect(&got, 200, "GET zones");
    assert_eq!(got.json(), zones);

    // Stop list: the seed's own restaurant id (000017).
    restaurant(app, "000017", "+03:00", &[]);
    let stop_list = fixture("jupiter/seed-stop_list.json");
    let put = operator(app, "PUT", "/admin/stop_list", &stop_list);
    expect(&put, 200, "PUT seed stop list");
    assert_eq!(put.json(), stop_list);
    let got = get(app, "/site-api/stop_list?restaurant_id=000017");
    expect(&got, 200, "GET stop list");
    assert_eq!(got.json(), stop_list);
}

fn deleting_a_zone_moves_it_to_deleted_zones_at_that_time(app: &App) {
    let id = "e2e-zones";
    restaurant(app, id, "+00:00", &[]);
    let seed = fixture("jupiter/seed-delivery_zones.json");
    let mut second = seed["zones"][0].clone();
    second["id"] = json!("z2");
    second["name"] = json!("Zone 2");
    let doc = json!({
        "restaurant_id": id,
        "lastChange": "2024-05-21T13:19:13.000+00:00",
        "zones": [seed["zones"][0].clone(), second],
    });
    let put = operator(
        app,
        "PUT",
        &format!("/admin/delivery_zones?restaurant_id={id}"),
        &doc,
    );
    expect(&put, 200, "PUT zones");
    let body = put.json();
    assert_eq!(body["concept_id"], "default", "{body}");
    assert_eq!(body["zones"].as_array().map(Vec::len), Some(2), "{body}");
    assert_eq!(body["deleted_zones"], json!([]), "{body}");
    // The zone's lastChange was given in +03:00; the restaurant shows +00:00.
    assert_eq!(
        body["zones"][0]["lastChange"],
        "2024-05-21T13:19:13.000+00:00"
    );

    let before = unix_now();
    let path = format!("/admin/delivery_zones/z2?restaurant_id={id}");
    let deleted = request("DELETE", &app.url(&path), &[OPERATOR], None).expect("answer");
    expect(&deleted, 200, "DELETE zone");
    let got = get(app, &format!("/site-api/delivery_zones?restaurant_id={id}"));
    expect(&got, 200, "GET zones");
    let body = got.json();
    assert_eq!(body["zones"].as_array().map(Vec::len), Some(1), "{body}");
    assert_eq!(body["zones"][0]["id"], "028270");
    assert_eq!(body["deleted_zones"][0]["id"], "z2", "{body}");
    assert_eq!(body["deleted_zones"][0]["name"], "Zone 2");
    let when = body["deleted_zones"][0]["lastChange"]
        .as_str()
        .unwrap_or("");
    let shown_seconds = &when[..19];
    let window: Vec<String> = (before - 1..=unix_now() + 1)
        .map(|t| rfc3339_utc(t)[..19].to_owned())
        .collect();
    assert!(
        window.iter().any(|w| w == shown_seconds) && when.ends_with("+00:00"),
        "deleted at {when}, expected within {window:?}"
    );
    assert_eq!(
        body["lastChange"],
        json!(when),
        "the document moved with it"
    );

    let again = request("DELETE", &app.url(&path), &[OPERATOR], None).expect("answer");
    expect(&again, 404, "DELETE the same zone again");
    let unknown = format!("/admin/delivery_zones/nope?restaurant_id={id}");
    let reply = request("DELETE", &app.url(&unknown), &[OPERATOR], None).expect("answer");
    expect(&reply, 404, "DELETE an unknown zone");
    assert_eq!(reply.json()["errors"][0]["code"], "zone_not_found");
}

/// What a served Jupiter item should hold: id, price in roubles, and its groups as
/// (min, max, option ids).
type ItemWant = (&'static str, Value, Vec<(u64, u64, Vec<&'static str>)>);
/// A served item read back in the same form.
type ItemGot = (String, Value, Vec<(u64, u64, Vec<String>)>);

fn every_jet_menu_example_is_ingested_called_back_and_served(app: &App) {
    let cases: Vec<(&str, &str, &str, Vec<ItemWant>)> = vec![
        (
            "menus-request-basic.json",
            "e2e-jet-basic",
            "burger-zone-summer-5521",
            vec![("ABC1F", json!(15.5), vec![])],
        ),
        (
            "menus-request-with-modifiers.json",
            "e2e-jet-mods",
            "default",
            vec![("XYZ123", json!(0), vec![(1, 1, vec!["2B", "A2"])])],
        ),
        (
            "menus-request-pick-options.json",
            "e2e-jet-pick",
            "default",
            vec![("f37b78df-16c4-4036-96c5-ed61d439ae26", json!(10), vec![])],
        ),
        // Refused before issue 16 for its ranges (kcal min -1, servings min -2).
        (
            "menus-request-nutrition-and-servings.json",
            "e2e-jet-nutrition",
            "default",
            vec![("XYZ123", json!(0), vec![(1, 1, vec!["2B", "A2"])])],
        ),
        (
            "menus-request-portions.json",
            "e2e-jet-portions",
            "default",
            vec![
                ("2", json!(9.5), vec![]),
                ("3", json!(12.5), vec![(0, 5, vec!["Anchovies", "Bacon"])]),
            ],
        ),
        (
            "menus-request-swaps.json",
            "e2e-jet-swaps",
            "default",
            vec![
                ("ABC1", json!(15), vec![(0, 1, vec!["BBB-703"])]),
                ("ABC2", json!(17), vec![(0, 1, vec!["BBB-703"])]),
            ],
        ),
        (
            "menus-request-grocery-items.json",
            "e2e-jet-grocery",
            "burger-zone-summer-5521",
            vec![("ABC1F", json!(15.5), vec![])],
        ),
    ];
    for (file, prefix, concept, want) in cases {
        let sink = Sink::start();
        let ids = [format!("{prefix}-a"), format!("{prefix}-b")];
        for id in &ids {
            restaurant(app, id, "+01:00", &[]);
        }
        let mut body = fixture(&format!("jet-connect/{file}"));
        body["restaurants"] = json!(ids);
        body["callback_url"] = json!(sink.url("/menu-status"));
        let reply = operator(app, "POST", "/jet-connect/menus", &body);
        expect(&reply, 202, file);
        assert_eq!(reply.json(), json!({"success": true}), "{file}");

        let calls = sink.wait_for(2, Duration::from_secs(15));
        assert_eq!(calls.len(), 2, "{file}: one callback per restaurant");
        let mut called: Vec<Value> = calls
            .iter()
            .map(|c| serde_json::from_str(&c.body).unwrap_or(Value::Null))
            .collect();
        called.sort_by_key(|v| v["restaurant"].as_str().unwrap_or("").to_owned());
        let expected: Vec<Value> = ids
            .iter()
            .map(|id| json!({"restaurant": id, "ingestion_succeeded": true}))
            .collect();
        assert_eq!(called, expected, "{file}");
        for call in &calls {
            assert_eq!(call.method, "POST");
            assert_eq!(call.url, "/menu-status");
            assert!(
                call.header("x-orderbridge-signature")
                    .is_some_and(|s| s.starts_with("t=") && s.contains(",v1=")),
                "{file}: signed callback {:?}",
                call.headers
            );
        }

        for id in &ids {
            let path = format!("/site-api/menu?restaurant_id={id}&concept_id={concept}");
            let got = get(app, &path);
            expect(&got, 200, &path);
            let menu = got.json();
            assert_eq!(menu["restaurant_id"], json!(id));
            assert_eq!(menu["concept_id"], concept, "{file}");
            assert!(
                menu["menu"]["lastChange"]
                    .as_str()
                    .is_some_and(|t| t.ends_with("+01:00")),
                "{file}: lastChange in the restaurant's offset: {menu}"
            );
            let items = menu["menu"]["items"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let got_items: Vec<ItemGot> = items
                .iter()
                .map(|item| {
                    let groups = item["modifiers"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                        .iter()
                        .map(|g| {
                            (
                                g["minSelectedModifiers"].as_u64().unwrap_or(99),
                                g["maxSelectedModifiers"].as_u64().unwrap_or(99),
                                g["modifiers"]
                                    .as_array()
                                    .cloned()
                                    .unwrap_or_default()
                                    .iter()
                                    .map(|m| m["id"].as_str().unwrap_or("").to_owned())
                                    .collect(),
                            )
                        })
                        .collect();
                    (
                        item["id"].as_str().unwrap_or("").to_owned(),
                        item["price"].clone(),
                        groups,
                    )
                })
                .collect();
            let want: Vec<ItemGot> = want
                .iter()
                .map(|(id, price, groups)| {
                    (
                        id.to_string(),
                        price.clone(),
                        groups
                            .iter()
                            .map(|(min, max, opts)| {
                                (*min, *max, opts.iter().map(|o| o.to_string()).collect())
                            })
                            .collect(),
                    )
                })
                .collect();
            assert_eq!(got_items, want, "{file} at {id}");
            let category = &menu["menu"]["categories"][0];
            assert_eq!(
                category["name"], body["menus"][0]["categories"][0]["name"],
                "{file}"
            );
            assert_eq!(items[0]["categoryId"], category["id"], "{file}");
        }
    }
    // The basic example's details: tags from diet and spiciness, the gallery image.
    let got = get(
        app,
        "/site-api/menu?restaurant_id=e2e-jet-basic-a&concept_id=burger-zone-summer-5521",
    )
    .json();
    let item = &got["menu"]["items"][0];
    assert_eq!(item["name"], "Veggie Burger");
    assert_eq!(
        item["tags"],
        json!([{"name": "VEGETARIAN"}, {"name": "MILD"}])
    );
    assert_eq!(
        item["images"],
        json!([{"url": "https://www.burgerzone.com/vegburger.jpg"}])
    );
    // The modifiers example's option price: 100 minor units are 1 rouble.
    let got = get(app, "/site-api/menu?restaurant_id=e2e-jet-mods-a").json();
    assert_eq!(
        got["menu"]["items"][0]["modifiers"][0]["modifiers"][1]["price"],
        1
    );
}

fn a_new_menu_replaces_its_concept_and_stops_out_of_stock_items(app: &App) {
    let id = "e2e-jet-replace";
    restaurant(app, id, "+00:00", &["lunch"]);
    let sink = Sink::start();
    let menu = |items: Value| {
        json!({"name": "Lunch", "reference": "lunch", "type": "DELIVERY", "categories": [
            {"name": "Main", "description": "", "items": items}
        ]})
    };
    let first = jet_menus(
        &[id],
        &sink.url("/cb"),
        menu(json!([
            {"name": "Soup", "plu": "S1", "price": 450},
            {"name": "Bread", "plu": "B1", "price": 100, "out_of_stock": true}
        ])),
    );
    expect(
        &operator(app, "POST", "/jet-connect/menus", &first),
        202,
        "first menu",
    );
    let served = get(
        app,
        &format!("/site-api/menu?restaurant_id={id}&concept_id=lunch"),
    )
    .json();
    let ids: Vec<&str> = served["menu"]["items"]
        .as_array()
        .map(|items| items.iter().filter_map(|i| i["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(ids, ["S1", "B1"]);
    assert_eq!(served["menu"]["items"][0]["price"], 4.5);
    assert_eq!(stop_list_items(app, id), ["B1"], "out_of_stock is stopped");

    let second = jet_menus(
        &[id],
        &sink.url("/cb"),
        menu(json!([{"name": "Stew", "plu": "S2", "price": 900}])),
    );
    expect(
        &operator(app, "POST", "/jet-connect/menus", &second),
        202,
        "second menu",
    );
    let served = get(
        app,
        &format!("/site-api/menu?restaurant_id={id}&concept_id=lunch"),
    )
    .json();
    assert_eq!(served["menu"]["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(served["menu"]["items"][0]["id"], "S2");
    assert_eq!(sink.wait_for(2, Duration::from_secs(15)).len(), 2);
}

/// The ids of the items a `/site-api/menu` answer serves.
fn served_ids(reply: &Reply) -> Vec<String> {
    reply.json()["menu"]["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn a_reference_keeps_its_delivery_and_collection_menus(app: &App) {
    let id = "e2e-jet-both";
    restaurant(app, id, "+00:00", &["lunch"]);
    let sink = Sink::start();
    let menu = |kind: &str, plu: &str| {
        json!({"name": format!("Lunch {kind}"), "reference": "lunch", "type": kind,
        "categories": [{"name": "Main", "description": "", "items": [
            {"name": "Soup", "plu": "S1", "price": 450},
            {"name": plu, "plu": plu, "price": 300}
        ]}]})
    };
    let body = json!({
        "restaurants": [id],
        "menus": [menu("DELIVERY", "DEL1"), menu("COLLECTION", "COL1")],
        "callback_url": sink.url("/cb"),
    });
    expect(
        &operator(app, "POST", "/jet-connect/menus", &body),
        202,
        "both",
    );
    // Before issue 16 the COLLECTION menu was dropped and this callback still said success;
    // now both are stored, so the success is true.
    let calls = sink.wait_for(1, Duration::from_secs(15));
    assert_eq!(
        serde_json::from_str::<Value>(&calls[0].body).ok(),
        Some(json!({"restaurant": id, "ingestion_succeeded": true}))
    );
    let base = format!("/site-api/menu?restaurant_id={id}&concept_id=lunch");
    let delivery = get(app, &base);
    expect(&delivery, 200, "default: the DELIVERY menu");
    assert_eq!(served_ids(&delivery), ["S1", "DEL1"]);
    let courier = get(app, &format!("{base}&delivery_method=courier"));
    assert_eq!(served_ids(&courier), ["S1", "DEL1"]);
    let pickup = get(app, &format!("{base}&delivery_method=pickup"));
    expect(&pickup, 200, "pickup: the COLLECTION menu");
    assert_eq!(served_ids(&pickup), ["S1", "COL1"]);
    let bad = get(app, &format!("{base}&delivery_method=drone"));
    expect(&bad, 400, "an unknown delivery_method");
    assert!(bad.body.contains("delivery_method"), "{}", bad.body);

    // A later DELIVERY-only push replaces the DELIVERY menu and keeps the COLLECTION one.
    let body = json!({
        "restaurants": [id],
        "menus": [menu("DELIVERY", "DEL2")],
        "callback_url": sink.url("/cb"),
    });
    expect(
        &operator(app, "POST", "/jet-connect/menus", &body),
        202,
        "delivery again",
    );
    assert_eq!(served_ids(&get(app, &base)), ["S1", "DEL2"]);
    assert_eq!(
        served_ids(&get(app, &format!("{base}&delivery_method=pickup"))),
        ["S1", "COL1"]
    );

    // Two menus of one reference and type: one would be lost, so the request is refused,
    // naming both, and nothing changes.
    let body = json!({
        "restaurants": [id],
        "menus": [menu("DELIVERY", "X1"), menu("DELIVERY", "X2")],
        "callback_url": sink.url("/cb"),
    });
    let refused = operator(app, "POST", "/jet-connect/menus", &body);
    expect(&refused, 400, "two DELIVERY menus of one reference");
    let message = refused.json()["error_message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        message.contains("menus[1].reference") && message.contains("menus[0]"),
        "{message}"
    );
    assert_eq!(served_ids(&get(app, &base)), ["S1", "DEL2"]);
}

fn a_plu_repeated_in_a_most_popular_category_is_accepted_when_it_agrees(app: &App) {
    let id = "e2e-jet-popular";
    restaurant(app, id, "+00:00", &[]);
    let sink = Sink::start();
    let burger = json!({"name": "Burger", "plu": "B1", "price": 1000, "modifiers": [
        {"name": "Cheese", "description": "", "pick": {"pick_same_option": false, "exactly": 1},
         "options": [{"name": "Cheddar", "plu": "C1", "price": 0}]}]});
    let menu = |popular: Value| {
        json!({"name": "M", "reference": "", "type": "DELIVERY", "categories": [
            {"name": "Most popular", "description": "", "items": [popular]},
            {"name": "Burgers", "description": "", "items": [
                burger.clone(), {"name": "Fries", "plu": "F1", "price": 300}]}
        ]})
    };
    let body = jet_menus(&[id], &sink.url("/cb"), menu(burger.clone()));
    expect(
        &operator(app, "POST", "/jet-connect/menus", &body),
        202,
        "a repeated PLU that agrees",
    );
    let served = get(app, &format!("/site-api/menu?restaurant_id={id}"));
    expect(&served, 200, "served");
    assert_eq!(served_ids(&served), ["B1", "F1"], "one item per PLU");
    let menu_doc = served.json();
    assert_eq!(
        menu_doc["menu"]["items"][0]["categoryId"], menu_doc["menu"]["categories"][0]["id"],
        "in the first category listing it"
    );
    assert_eq!(
        menu_doc["menu"]["items"][0]["modifiers"][0]["minSelectedModifiers"],
        1
    );

    let mut dearer = burger.clone();
    dearer["price"] = json!(1100);
    let body = jet_menus(&[id], &sink.url("/cb"), menu(dearer));
    let refused = operator(app, "POST", "/jet-connect/menus", &body);
    expect(&refused, 400, "a repeated PLU with another price");
    let message = refused.json()["error_message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    for part in [
        "menus[0].categories[1].items[0].plu",
        "menus[0].categories[0].items[0].plu",
        "price",
    ] {
        assert!(message.contains(part), "{part} not named: {message}");
    }
}

fn a_nested_exactly_one_group_is_served_required_under_its_option(app: &App) {
    let id = "e2e-jet-nested";
    restaurant(app, id, "+00:00", &[]);
    let sink = Sink::start();
    let exactly_one = json!({"pick_same_option": false, "exactly": 1});
    let meal = json!({"name": "Meal deal", "plu": "MEAL", "price": 900, "modifiers": [
        {"name": "Drink", "description": "", "pick": exactly_one, "options": [
            {"name": "Cola", "plu": "COLA", "price": 0, "modifiers": [
                {"name": "Size", "description": "", "pick": exactly_one, "options": [
                    {"name": "Small", "plu": "SM", "price": 0},
                    {"name": "Large", "plu": "LG", "price": 50}]}]},
            {"name": "Water", "plu": "WATER", "price": 0}]}]});
    let body = jet_menus(
        &[id],
        &sink.url("/cb"),
        json!({"name": "M", "reference": "", "type": "DELIVERY", "categories": [
            {"name": "Deals", "description": "", "items": [meal]}]}),
    );
    expect(
        &operator(app, "POST", "/jet-connect/menus", &body),
        202,
        "a meal deal",
    );
    let served = get(app, &format!("/site-api/menu?restaurant_id={id}"));
    expect(&served, 200, "served");
    let groups = served.json()["menu"]["items"][0]["modifiers"].clone();
    // Before issue 16 the nested "Cola: Size" was served 0/1: optional.
    let summary: Vec<Value> = groups
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|g| {
            json!([
                g["id"],
                g["name"],
                g["minSelectedModifiers"],
                g["maxSelectedModifiers"],
                g["parentGroupId"],
                g["parentModifierId"]
            ])
        })
        .collect();
    assert_eq!(
        summary,
        [
            json!(["MEAL:0", "Drink", 1, 1, null, null]),
            json!(["MEAL:1", "Cola: Size", 1, 1, "MEAL:0", "COLA"]),
        ]
    );
}

fn availability_drives_the_stop_list_and_older_events_are_ignored(app: &App) {
    let id = "e2e-avail";
    restaurant(app, id, "+01:00", &[]);
    let available = fixture("jet-connect/item-availability-request-available.json");
    let plus = available["itemReferences"].clone();
    let event = |kind: &str, happened: &str| json!({"event": kind, "itemReferences": plus, "restaurant": id, "happenedAt": happened});
    let post = |body: &Value, what: &str| {
        let reply = operator(app, "POST", "/jet-connect/item-availability", body);
        expect(&reply, 202, what);
        assert_eq!(reply.json(), json!({"success": true}), "{what}");
    };
    assert_eq!(stop_list_items(app, id), Vec::<String>::new());

    post(
        &event("UNAVAILABLE", "2018-10-11T14:00:00+01:00"),
        "unavailable",
    );
    assert_eq!(
        stop_list_items(app, id),
        ["1234-3324332-23423-234", "5678-5566778-87658-576"]
    );

    // The spec's AVAILABLE example (14:56:18) takes them off.
    let mut example = available.clone();
    example["restaurant"] = json!(id);
    post(&example, "the AVAILABLE example");
    assert_eq!(stop_list_items(app, id), Vec::<String>::new());
    let after_example = get(app, &format!("/site-api/stop_list?restaurant_id={id}")).json();

    // An UNAVAILABLE that happened before the last applied event arrives late: ignored.
    post(
        &event("UNAVAILABLE", "2018-10-11T14:30:00+01:00"),
        "a late, older event",
    );
    assert_eq!(stop_list_items(app, id), Vec::<String>::new());
    assert_eq!(
        get(app, &format!("/site-api/stop_list?restaurant_id={id}")).json(),
        after_example,
        "nothing changed, lastChange included"
    );

    // The spec's UNAVAILABLE example comes back at once (nextAvailableAt = happenedAt).
    let mut example = fixture("jet-connect/item-availability-request-unavailable.json");
    example["restaurant"] = json!(id);
    post(&example, "the UNAVAILABLE example");
    assert_eq!(stop_list_items(app, id), Vec::<String>::new());

    // A newer UNAVAILABLE applies again.
    post(
        &event("UNAVAILABLE", "2018-10-11T15:00:00+01:00"),
        "a newer event",
    );
    assert_eq!(stop_list_items(app, id).len(), 2);
}

fn next_available_at_returns_an_item_by_itself(app: &App) {
    let id = "e2e-next";
    restaurant(app, id, "+00:00", &[]);
    let until = unix_now() + 4;
    let body = json!({
        "event": "UNAVAILABLE", "itemReferences": ["P1"], "restaurant": id,
        "nextAvailableAt": rfc3339_utc(until)
    });
    let reply = operator(app, "POST", "/jet-connect/item-availability", &body);
    expect(&reply, 202, "unavailable until");
    assert_eq!(stop_list_items(app, id), ["P1"]);
    // Read it twice so the second answer comes from the cache.
    let cached = get(app, &format!("/site-api/stop_list?restaurant_id={id}"));
    assert_eq!(cached.header("x-orderbridge-cache"), Some("hit"));
    while unix_now() <= until {
        std::thread::sleep(Duration::from_millis(250));
    }
    let reply = get(app, &format!("/site-api/stop_list?restaurant_id={id}"));
    let body = reply.json();
    assert_eq!(body["stop_lists"][0]["items"], json!([]), "{body}");
    let shown = format!("{}.000+00:00", &rfc3339_utc(until)[..19]);
    assert_eq!(
        body["stop_lists"][0]["lastChange"], shown,
        "lastChange moves to the moment the item came back"
    );
}

fn date_change_keeps_stop_lists_changed_after_it_in_local_time(app: &App) {
    restaurant(app, "e2e-dc-msk", "+03:00", &[]);
    restaurant(app, "e2e-dc-utc", "+00:00", &[]);
    let doc = json!({"stop_lists": [
        // 19:02:27 UTC
        {"restaurant_id": "e2e-dc-msk", "lastChange": "2024-06-10T22:02:27.000+03:00", "items": [{"id": "A"}]},
        // 20:00:00 UTC: later in UTC, earlier on its own clock
        {"restaurant_id": "e2e-dc-utc", "lastChange": "2024-06-10T20:00:00.000+00:00", "items": [{"id": "B"}]}
    ]});
    expect(
        &operator(app, "PUT", "/admin/stop_list", &doc),
        200,
        "PUT stop lists",
    );
    let mine = |query: &str| -> Vec<String> {
        let reply = get(app, &format!("/site-api/stop_list?{query}"));
        expect(&reply, 200, query);
        reply.json()["stop_lists"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter_map(|l| l["restaurant_id"].as_str().map(str::to_owned))
            .filter(|id| id.starts_with("e2e-dc-"))
            .collect()
    };
    assert_eq!(mine(""), ["e2e-dc-msk", "e2e-dc-utc"]);
    assert_eq!(
        mine("date_change=10062024190000"),
        ["e2e-dc-msk", "e2e-dc-utc"]
    );
    // 20:00 on each restaurant's own clock: exactly e2e-dc-utc's change (not after it),
    // and before e2e-dc-msk's 22:02:27; read as UTC it would be after both.
    assert_eq!(mine("date_change=10062024200000"), ["e2e-dc-msk"]);
    assert_eq!(
        mine("date_change=10062024220227"),
        Vec::<String>::new(),
        "strictly after"
    );
    assert_eq!(
        mine("restaurant_id=e2e-dc-msk&date_change=10062024220226"),
        ["e2e-dc-msk"]
    );
    assert_eq!(
        mine("restaurant_id=e2e-dc-msk&date_change=11062024000000"),
        Vec::<String>::new()
    );
    let bad = get(app, "/site-api/stop_list?date_change=2024-06-10");
    expect(&bad, 400, "malformed date_change");
    assert_eq!(bad.json()["errors"][0]["field"], "date_change");
}

fn etag_and_if_none_match_give_304_until_a_write(app: &App) {
    let id = "e2e-etag";
    restaurant(app, id, "+03:00", &[]);
    let path = format!("/admin/menu?restaurant_id={id}");
    let doc = small_menu(id, "default", "Soup", "2024-05-21T16:19:13.000+03:00");
    expect(&operator(app, "PUT", &path, &doc), 200, "PUT menu");
    let read = format!("/site-api/menu?restaurant_id={id}");
    let first = get(app, &read);
    expect(&first, 200, "first read");
    let tag = first.header("etag").unwrap_or("").to_owned();
    assert!(tag.starts_with('"') && tag.len() > 2, "ETag {tag:?}");
    let again = get(app, &read);
    assert_eq!(again.header("etag"), Some(tag.as_str()), "stable tag");

    let not_modified = get_with(app, &read, &[("If-None-Match", &tag)]);
    expect(&not_modified, 304, "If-None-Match with the tag");
    assert_eq!(not_modified.body, "");
    assert_eq!(not_modified.header("etag"), Some(tag.as_str()));
    let listed = format!("\"other\", W/{tag}");
    expect(
        &get_with(app, &read, &[("If-None-Match", &listed)]),
        304,
        "a list with the weak form",
    );
    expect(
        &get_with(app, &read, &[("If-None-Match", "\"other\"")]),
        200,
        "another tag",
    );

    let changed = small_menu(id, "default", "Borscht", "2024-05-22T10:00:00.000+03:00");
    expect(&operator(app, "PUT", &path, &changed), 200, "PUT new menu");
    let after = get_with(app, &read, &[("If-None-Match", &tag)]);
    expect(&after, 200, "the old tag after a write");
    assert_ne!(after.header("etag"), Some(tag.as_str()));
    assert_eq!(after.json()["menu"]["items"][0]["name"], "Borscht");
}

fn a_cache_hit_reads_no_d1_and_a_write_invalidates_it(app: &App) {
    let id = "e2e-cache";
    restaurant(app, id, "+00:00", &[]);
    let path = format!("/admin/menu?restaurant_id={id}");
    let doc = small_menu(id, "default", "Soup", "2024-05-21T13:19:13.000+00:00");
    expect(&operator(app, "PUT", &path, &doc), 200, "PUT menu");
    let read = format!("/site-api/menu?restaurant_id={id}");
    let first = get(app, &read);
    assert_eq!(first.header("x-orderbridge-cache"), Some("miss"));
    let second = get(app, &read);
    assert_eq!(second.header("x-orderbridge-cache"), Some("hit"));
    assert_eq!(second.body, first.body);

    // Change D1 behind the hub's back: a hit must not see it (it read no D1)…
    app.d1(&format!(
        "UPDATE menus SET menu = json_set(menu, '$.items[0].name', 'Changed in D1') \
         WHERE restaurant_id = '{id}'"
    ));
    let third = get(app, &read);
    assert_eq!(third.header("x-orderbridge-cache"), Some("hit"));
    assert_eq!(third.json()["menu"]["items"][0]["name"], "Soup");

    // …and a write through the hub invalidates the cached body at once.
    let changed = small_menu(id, "default", "Borscht", "2024-05-22T10:00:00.000+00:00");
    expect(&operator(app, "PUT", &path, &changed), 200, "PUT menu");
    let fourth = get(app, &read);
    assert_eq!(fourth.header("x-orderbridge-cache"), Some("miss"));
    assert_eq!(fourth.json()["menu"]["items"][0]["name"], "Borscht");

    // Availability writes invalidate the stop list the same way.
    let stop = format!("/site-api/stop_list?restaurant_id={id}");
    get(app, &stop);
    assert_eq!(get(app, &stop).header("x-orderbridge-cache"), Some("hit"));
    let event = json!({"event": "UNAVAILABLE", "itemReferences": ["i1"], "restaurant": id});
    expect(
        &operator(app, "POST", "/jet-connect/item-availability", &event),
        202,
        "availability",
    );
    let fresh = get(app, &stop);
    assert_eq!(fresh.header("x-orderbridge-cache"), Some("miss"));
    assert_eq!(stop_list_items(app, id), ["i1"]);
}

fn cors_allows_only_the_configured_origins(app: &App) {
    // `[env.dev]` lists http://localhost:5173 among CORS_ORIGINS.
    let allowed = "http://localhost:5173";
    for path in [
        "/site-api/restaurants",
        "/site-api/menu",
        "/site-api/delivery_zones",
        "/site-api/stop_list",
    ] {
        let preflight = request(
            "OPTIONS",
            &app.url(path),
            &[
                ("Origin", allowed),
                ("Access-Control-Request-Method", "GET"),
                ("Access-Control-Request-Headers", "if-none-match"),
            ],
            None,
        )
        .expect("answer");
        expect(&preflight, 204, path);
        assert_eq!(
            preflight.header("access-control-allow-origin"),
            Some(allowed)
        );
        assert!(preflight
            .header("access-control-allow-methods")
            .is_some_and(|m| m.contains("GET")));
        assert!(preflight
            .header("access-control-allow-headers")
            .is_some_and(|h| h.to_ascii_lowercase().contains("if-none-match")));
        assert!(preflight.header("access-control-max-age").is_some());

        let foreign = request(
            "OPTIONS",
            &app.url(path),
            &[("Origin", "https://evil.example")],
            None,
        )
        .expect("answer");
        assert_eq!(
            foreign.header("access-control-allow-origin"),
            None,
            "{path}"
        );
    }
    let read = get_with(
        app,
        "/site-api/restaurants?restaurant_id=000127",
        &[("Origin", allowed)],
    );
    expect(&read, 200, "read with Origin");
    assert_eq!(read.header("access-control-allow-origin"), Some(allowed));
    assert!(read
        .header("access-control-expose-headers")
        .is_some_and(|h| h.contains("ETag")));
    assert!(read.header("vary").is_some_and(|v| v.contains("Origin")));
    let error = get_with(app, "/site-api/menu", &[("Origin", allowed)]);
    expect(&error, 400, "an error is readable too");
    assert_eq!(error.header("access-control-allow-origin"), Some(allowed));
    let foreign = get_with(
        app,
        "/site-api/restaurants",
        &[("Origin", "https://evil.example")],
    );
    assert_eq!(foreign.header("access-control-allow-origin"), None);
    // Not the site API: no CORS.
    let admin = request(
        "OPTIONS",
        &app.url("/admin/menu"),
        &[("Origin", allowed)],
        None,
    )
    .expect("answer");
    expect(&admin, 405, "no preflight outside the site API");
}

fn site_api_errors_are_jupiter_errors(app: &App) {
    restaurant(app, "e2e-errors", "+00:00", &["7"]);
    let cases: &[(&str, u16, &str, Option<&str>)] = &[
        (
            "/site-api/menu",
            400,
            "missing_parameter",
            Some("restaurant_id"),
        ),
        (
            "/site-api/delivery_zones",
            400,
            "missing_parameter",
            Some("restaurant_id"),
        ),
        (
            "/site-api/menu?restaurant_id=e2e-errors",
            400,
            "missing_parameter",
            Some("concept_id"),
        ),
        (
            "/site-api/delivery_zones?restaurant_id=e2e-errors",
            400,
            "missing_parameter",
            Some("concept_id"),
        ),
        (
            "/site-api/menu?restaurant_id=e2e-errors&concept_id=7",
            404,
            "menu_not_found",
            None,
        ),
        (
            "/site-api/menu?restaurant_id=e2e-unknown&concept_id=7",
            404,
            "restaurant_not_found",
            None,
        ),
        (
            "/site-api/delivery_zones?restaurant_id=e2e-unknown",
            404,
            "restaurant_not_found",
            None,
        ),
        (
            "/site-api/restaurants?restaurant_id=e2e-unknown",
            404,
            "restaurant_not_found",
            None,
        ),
        (
            "/site-api/stop_list?restaurant_id=e2e-unknown",
            404,
            "restaurant_not_found",
            None,
        ),
    ];
    for (path, status, code, field) in cases {
        let reply = get(app, path);
        expect(&reply, *status, path);
        let body = reply.json();
        assert!(body["error"].is_string(), "{path}: {body}");
        assert_eq!(body["errors"][0]["code"], *code, "{path}: {body}");
        if let Some(field) = field {
            assert_eq!(body["errors"][0]["field"], *field, "{path}: {body}");
        }
    }
    // A restaurant without a stop list has none to show; one without zones, no zones.
    let reply = get(app, "/site-api/stop_list?restaurant_id=e2e-errors");
    assert_eq!(reply.json(), json!({"stop_lists": []}));
    let reply = get(
        app,
        "/site-api/delivery_zones?restaurant_id=e2e-errors&concept_id=7",
    );
    expect(&reply, 200, "zones of a restaurant without any");
    assert_eq!(reply.json()["zones"], json!([]));
}

fn offline_online_and_service_times_are_stored(app: &App) {
    let id = "e2e-state";
    restaurant(app, id, "+01:00", &[]);
    let admin = |what: &str| {
        let reply = request(
            "GET",
            &app.url(&format!("/admin/restaurants/{id}")),
            &[OPERATOR],
            None,
        )
        .expect("answer");
        expect(&reply, 200, what);
        reply.json()
    };
    let put = |path: &str, body: Option<&Value>| {
        let text = body.map(Value::to_string);
        let reply = request(
            "PUT",
            &app.url(&format!("/jet-connect/restaurants/{id}/{path}")),
            &[OPERATOR],
            text.as_deref().map(str::as_bytes),
        )
        .expect("answer");
        expect(&reply, 202, path);
        assert_eq!(reply.json(), json!({"success": true}));
    };
    assert_eq!(admin("new")["online"], true);

    put("offline", None);
    let state = admin("offline");
    assert_eq!(state["online"], false);
    assert_eq!(state["offline_until"], Value::Null);

    // The spec's example: back online at 12:03 local time (long past, so online now).
    put(
        "offline",
        Some(&fixture(
            "jet-connect/assembled-restaurant-offline-request.json",
        )),
    );
    let state = admin("offline until");
    assert_eq!(state["offline_until"], "2021-10-13T12:03:00.000+01:00");
    assert_eq!(state["online"], true, "the return time has passed");

    put("online", None);
    let state = admin("online");
    assert_eq!(state["online"], true);
    assert_eq!(state["offline_until"], Value::Null);

    let times = fixture("jet-connect/restaurant-servicetimes-request.json");
    put("servicetimes", Some(&times));
    assert_eq!(admin("service times")["service_times"], times);

    let unknown = request(
        "PUT",
        &app.url("/jet-connect/restaurants/e2e-unknown/online"),
        &[OPERATOR],
        None,
    )
    .expect("answer");
    expect(&unknown, 404, "unknown restaurant");
    assert_eq!(unknown.json()["success"], false);
}

/// A refused request: method, path, headers, body, the status and a text the error names.
type BadCase<'a> = (
    &'a str,
    String,
    &'a [(&'a str, &'a str)],
    Vec<u8>,
    u16,
    Option<&'a str>,
);

/// Everything the site API and the admin API show about a restaurant. (Not read with
/// `App::d1`: `wrangler d1 execute` locks the local database, and requests of tests running
/// at the same time would meet that lock.)
fn snapshot(app: &App, id: &str) -> Vec<(String, u16, String)> {
    let paths = [
        format!("/site-api/restaurants?restaurant_id={id}"),
        format!("/site-api/menu?restaurant_id={id}"),
        format!("/site-api/delivery_zones?restaurant_id={id}"),
        format!("/site-api/stop_list?restaurant_id={id}"),
    ];
    let mut out: Vec<(String, u16, String)> = paths
        .iter()
        .map(|p| {
            let r = get(app, p);
            (p.clone(), r.status, r.body)
        })
        .collect();
    let admin = request(
        "GET",
        &app.url(&format!("/admin/restaurants/{id}")),
        &[OPERATOR],
        None,
    )
    .expect("answer");
    out.push(("admin".into(), admin.status, admin.body));
    out
}

fn bad_inputs_get_their_4xx_and_nothing_stored_changes(app: &App) {
    let id = "e2e-bad";
    restaurant(app, id, "+03:00", &[]);
    let sink = Sink::start();
    let menu = json!({"name": "M", "reference": "", "type": "DELIVERY", "categories": [
        {"name": "Main", "description": "", "items": [{"name": "Soup", "plu": "S1", "price": 450}]}
    ]});
    let good = jet_menus(&[id], &sink.url("/cb"), menu.clone());
    expect(
        &operator(app, "POST", "/jet-connect/menus", &good),
        202,
        "good menu",
    );
    let zones = json!({"restaurant_id": id, "lastChange": "2024-05-21T16:19:13.000+03:00",
        "zones": fixture("jupiter/seed-delivery_zones.json")["zones"].clone()});
    expect(
        &operator(
            app,
            "PUT",
            &format!("/admin/delivery_zones?restaurant_id={id}"),
            &zones,
        ),
        200,
        "good zones",
    );
    let event = json!({"event": "UNAVAILABLE", "itemReferences": ["S1"], "restaurant": id});
    expect(
        &operator(app, "POST", "/jet-connect/item-availability", &event),
        202,
        "good availability",
    );
    assert_eq!(sink.wait_for(1, Duration::from_secs(15)).len(), 1);
    let before = snapshot(app, id);
    assert!(
        before.iter().take(5).all(|(_, status, _)| *status == 200),
        "{before:?}"
    );

    let two_megabytes = vec![b' '; 2 * 1024 * 1024];
    let over_menu_limit = vec![b' '; 8 * 1024 * 1024 + 1];
    let key = [OPERATOR, ("Content-Type", "application/json")];
    let no_key = [("Content-Type", "application/json")];
    let wrong_key = [
        ("X-Flyt-Api-Key", "not-the-key"),
        ("Content-Type", "application/json"),
    ];
    let bad_polygon = {
        let mut doc = zones.clone();
        doc["zones"][0]["coordinates"] = json!([["0", "0"], ["1", "1"], ["1", "0"], ["0", "1"]]);
        doc["zones"][0]["sum_min"] = json!(-5);
        doc
    };
    let bad_polygon_coords = {
        let mut doc = zones.clone();
        doc["zones"][0]["coordinates"] = json!([["0", "0"], ["1", "1"], ["1", "0"], ["0", "1"]]);
        let mut second = zones["zones"][0].clone();
        second["id"] = json!("z2");
        second["coordinates"][1][0] = json!("x");
        if let Some(list) = doc["zones"].as_array_mut() {
            list.push(second);
        }
        doc
    };
    let missing_plus = jet_menus(
        &[id],
        &sink.url("/cb"),
        json!({"name": "M", "reference": "", "type": "DELIVERY", "categories": [
            {"name": "Main", "description": "", "items": [
                {"name": "Soup", "price": 450}, {"name": "Bread"}, {"plu": "X"}
            ]}
        ]}),
    );
    let wrong_type = jet_menus(
        &[id],
        &sink.url("/cb"),
        json!({"name": "M", "reference": "", "type": "DELIVERY", "categories": [
            {"name": "Main", "description": "", "items": [{"name": "Soup", "plu": "S9", "price": "450"}]}
        ]}),
    );
    let unknown_restaurant = jet_menus(&[id, "e2e-nope"], &sink.url("/cb"), menu.clone());
    let private_callback = jet_menus(&[id], "http://10.0.0.1/cb", menu.clone());
    let mismatched_menu = small_menu("e2e-other", "default", "X", "2024-05-21T16:19:13+03:00");
    let bodies: Vec<BadCase> = vec![
        // (method, path, headers, body, status, text the error must contain)
        ("POST", "/jet-connect/menus".into(), &key, b"{".to_vec(), 400, Some("EOF")),
        ("POST", "/jet-connect/menus".into(), &key, wrong_type.to_string().into_bytes(), 400, Some("invalid type")),
        (
            "POST",
            "/jet-connect/menus".into(),
            &key,
            missing_plus.to_string().into_bytes(),
            400,
            Some("menus[0].categories[0].items[1].plu: missing"),
        ),
        ("POST", "/jet-connect/menus".into(), &key, unknown_restaurant.to_string().into_bytes(), 403, Some("e2e-nope")),
        ("POST", "/jet-connect/menus".into(), &key, private_callback.to_string().into_bytes(), 400, Some("callback_url")),
        ("POST", "/jet-connect/menus".into(), &key, over_menu_limit.clone(), 413, None),
        ("POST", "/jet-connect/menus".into(), &no_key, good.to_string().into_bytes(), 401, None),
        ("POST", "/jet-connect/menus".into(), &wrong_key, good.to_string().into_bytes(), 401, None),
        ("POST", "/jet-connect/item-availability".into(), &key, b"not json".to_vec(), 400, None),
        (
            "POST",
            "/jet-connect/item-availability".into(),
            &key,
            json!({"event": "AVAILABLE", "itemReferences": "S1", "restaurant": id}).to_string().into_bytes(),
            400,
            Some("invalid type"),
        ),
        (
            "POST",
            "/jet-connect/item-availability".into(),
            &key,
            json!({"event": "GONE", "itemReferences": [], "restaurant": id, "happenedAt": "yesterday"}).to_string().into_bytes(),
            400,
            Some("happenedAt"),
        ),
        (
            "POST",
            "/jet-connect/item-availability".into(),
            &key,
            json!({"event": "AVAILABLE", "itemReferences": ["S1"], "restaurant": "e2e-nope"}).to_string().into_bytes(),
            403,
            Some("e2e-nope"),
        ),
        ("POST", "/jet-connect/item-availability".into(), &key, two_megabytes.clone(), 413, None),
        ("POST", "/jet-connect/item-availability".into(), &no_key, event.to_string().into_bytes(), 401, None),
        ("PUT", format!("/jet-connect/restaurants/{id}/offline"), &key, b"{\"onlineAt\": \"soon\"}".to_vec(), 400, Some("onlineAt")),
        ("PUT", format!("/jet-connect/restaurants/{id}/offline"), &no_key, Vec::new(), 401, None),
        ("PUT", "/jet-connect/restaurants/e2e-nope/offline".into(), &key, Vec::new(), 404, None),
        ("PUT", format!("/jet-connect/restaurants/{id}/servicetimes"), &key, b"{\"timezone\": \"\"}".to_vec(), 400, Some("serviceTimes")),
        ("PUT", format!("/admin/restaurants/{id}"), &key, two_megabytes.clone(), 413, None),
        ("PUT", format!("/admin/restaurants/{id}"), &key, b"{\"id\": 5}".to_vec(), 400, None),
        (
            "PUT",
            format!("/admin/restaurants/{id}"),
            &key,
            json!({"id": id, "name": "X", "utc_offset": "MSK"}).to_string().into_bytes(),
            400,
            Some("utc_offset"),
        ),
        (
            "PUT",
            format!("/admin/restaurants/{id}"),
            &key,
            json!({"id": "e2e-other", "name": "X"}).to_string().into_bytes(),
            400,
            Some("id"),
        ),
        (
            "PUT",
            format!("/admin/restaurants/{id}"),
            &key,
            json!({"id": id, "name": "X", "jet_location_id": "demo-jet-000127"}).to_string().into_bytes(),
            409,
            Some("jet_location_id"),
        ),
        ("PUT", format!("/admin/restaurants/{id}"), &no_key, b"{}".to_vec(), 401, None),
        (
            "PUT",
            format!("/admin/delivery_zones?restaurant_id={id}"),
            &key,
            bad_polygon.to_string().into_bytes(),
            400,
            None,
        ),
        (
            "PUT",
            format!("/admin/delivery_zones?restaurant_id={id}"),
            &key,
            bad_polygon_coords.to_string().into_bytes(),
            400,
            Some("zones[0].coordinates"),
        ),
        ("PUT", "/admin/delivery_zones".into(), &key, zones.to_string().into_bytes(), 400, Some("restaurant_id")),
        ("DELETE", "/admin/delivery_zones/028270".into(), &key, Vec::new(), 400, Some("restaurant_id")),
        ("DELETE", format!("/admin/delivery_zones/028270?restaurant_id={id}"), &no_key, Vec::new(), 401, None),
        (
            "PUT",
            format!("/admin/menu?restaurant_id={id}"),
            &key,
            mismatched_menu.to_string().into_bytes(),
            400,
            Some("restaurant_id"),
        ),
        (
            "PUT",
            "/admin/stop_list".into(),
            &key,
            json!({"stop_lists": [{"restaurant_id": id, "lastChange": "x", "items": [{"id": ""}]}]}).to_string().into_bytes(),
            400,
            Some("lastChange"),
        ),
        (
            "PUT",
            "/admin/stop_list".into(),
            &key,
            json!({"stop_lists": [
                {"restaurant_id": id, "lastChange": "2024-01-01T00:00:00Z", "items": []},
                {"restaurant_id": "e2e-nope", "lastChange": "2024-01-01T00:00:00Z", "items": []}
            ]}).to_string().into_bytes(),
            404,
            Some("e2e-nope"),
        ),
    ];
    for (method, path, headers, body, status, contains) in &bodies {
        let reply = request(method, &app.url(path), headers, Some(body)).expect("answer");
        let what = format!("{method} {path} ({} bytes)", body.len());
        expect(&reply, *status, &what);
        let json = reply.json();
        if path.starts_with("/jet-connect") {
            assert_eq!(json["success"], false, "{what}: {json}");
            assert!(json["error_message"].is_string(), "{what}: {json}");
        } else {
            assert!(json["error"].is_string(), "{what}: {json}");
        }
        if let Some(text) = contains {
            assert!(
                reply.body.contains(text),
                "{what}: {text:?} in {}",
                reply.body
            );
        }
    }
    // Every violation is named, not only the first.
    let reply = operator(app, "POST", "/jet-connect/menus", &missing_plus);
    let message = reply.json()["error_message"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    for path in [
        "menus[0].categories[0].items[0].plu",
        "menus[0].categories[0].items[1].plu",
        "menus[0].categories[0].items[2].name",
    ] {
        assert!(message.contains(path), "{path} in {message}");
    }
    let reply = operator(
        app,
        "PUT",
        &format!("/admin/delivery_zones?restaurant_id={id}"),
        &bad_polygon_coords,
    );
    let fields: Vec<String> = reply.json()["errors"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|e| e["field"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        fields,
        ["zones[0].coordinates", "zones[1].coordinates[1][0]"],
        "{}",
        reply.body
    );

    assert_eq!(snapshot(app, id), before, "nothing stored changed");
    assert_eq!(
        sink.received().len(),
        1,
        "no callback for a refused request"
    );
}

fn sync_without_an_upstream_is_refused(app: &App) {
    let reply = request("POST", &app.url("/admin/sync"), &[OPERATOR], None).expect("answer");
    expect(&reply, 409, "no JUPITER_API_URL");
    assert_eq!(reply.json()["errors"][0]["code"], "no_upstream");
    let reply = request("POST", &app.url("/admin/sync"), &[], None).expect("answer");
    expect(&reply, 401, "no key");
}

fn the_upstream_sync_pulls_the_catalog_from_a_fake_jupiter() {
    let key = "upstream-test-key";
    let fake = FakeJupiter::start(key);
    let places = fixture("jupiter/seed-restaurants.json");
    let mut zones = fixture("jupiter/seed-delivery_zones.json");
    zones["restaurant_id"] = json!("000127");
    let menu = fixture("jupiter/seed-menu.json");
    let list = json!({"restaurant_id": "000127", "lastChange": "2024-06-10T22:02:27.000+03:00",
        "items": [{"id": "T20231"}]});
    // The seed's own stop list is for 000017, which upstream does not list: skipped.
    let seed_list = fixture("jupiter/seed-stop_list.json")["stop_lists"][0].clone();
    fake.serve("/site-api/restaurants", &places);
    fake.serve(
        "/site-api/delivery_zones?restaurant_id=000127&concept_id=7",
        &zones,
    );
    fake.serve("/site-api/menu?restaurant_id=000127&concept_id=7", &menu);
    fake.serve(
        "/site-api/stop_list",
        &json!({"stop_lists": [list.clone(), seed_list]}),
    );

    let app = App::spawn(AppOptions {
        demo_data: false,
        vars: vec![
            ("JUPITER_API_URL".to_owned(), fake.url("/site-api")),
            ("JUPITER_API_KEY".to_owned(), key.to_owned()),
        ],
    });
    assert_eq!(
        get(&app, "/site-api/restaurants").json(),
        json!({"places": []})
    );

    let reply = request("POST", &app.url("/admin/sync"), &[OPERATOR], None).expect("answer");
    expect(&reply, 200, "sync");
    let report = reply.json();
    assert_eq!(report["restaurants"], 1, "{report}");
    assert_eq!(report["zones"], 1, "{report}");
    assert_eq!(report["menus"], 1, "{report}");
    assert_eq!(report["stop_lists"], 1, "{report}");
    let skipped = report["skipped"].to_string();
    assert!(skipped.contains("000017"), "{report}");

    assert_eq!(get(&app, "/site-api/restaurants").json(), places);
    assert_eq!(
        get(
            &app,
            "/site-api/delivery_zones?restaurant_id=000127&concept_id=7"
        )
        .json(),
        zones
    );
    assert_eq!(
        get(&app, "/site-api/menu?restaurant_id=000127&concept_id=7").json(),
        menu
    );
    assert_eq!(
        get(&app, "/site-api/stop_list").json(),
        json!({"stop_lists": [list]})
    );
    let requests = fake.requests();
    assert!(
        requests.iter().all(|(_, k)| k.as_deref() == Some(key)),
        "{requests:?}"
    );
    let paths: Vec<&str> = requests.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/site-api/restaurants",
            "/site-api/delivery_zones?restaurant_id=000127&concept_id=7",
            "/site-api/menu?restaurant_id=000127&concept_id=7",
            "/site-api/stop_list"
        ]
    );

    // Upstream empties the stop list; the menu is unchanged and not written again.
    let emptied = json!({"restaurant_id": "000127", "lastChange": "2024-06-11T09:00:00.000+03:00",
        "items": []});
    fake.serve(
        "/site-api/stop_list",
        &json!({"stop_lists": [emptied.clone()]}),
    );
    let reply = request("POST", &app.url("/admin/sync"), &[OPERATOR], None).expect("answer");
    expect(&reply, 200, "second sync");
    let report = reply.json();
    assert_eq!(report["menus"], 0, "{report}");
    assert_eq!(report["menus_unchanged"], 1, "{report}");
    assert_eq!(
        get(&app, "/site-api/stop_list?restaurant_id=000127").json(),
        json!({"stop_lists": [emptied]})
    );

    // The same pull runs by itself on the sync cron; the sweep's cron does not pull.
    let stopped_again = json!({"restaurant_id": "000127",
        "lastChange": "2024-06-12T09:00:00.000+03:00", "items": [{"id": "T20231"}]});
    fake.serve(
        "/site-api/stop_list",
        &json!({"stop_lists": [stopped_again.clone()]}),
    );
    let before = fake.requests().len();
    app.trigger_cron("* * * * *");
    assert_eq!(
        fake.requests().len(),
        before,
        "the sweep's tick pulls nothing"
    );
    app.trigger_cron("*/15 * * * *");
    assert!(fake.requests().len() > before, "the sync tick pulls");
    assert_eq!(
        get(&app, "/site-api/stop_list?restaurant_id=000127").json(),
        json!({"stop_lists": [stopped_again]})
    );
}

/// Every fetch goes through edge's `http_client`: a 302 from upstream is an answer, never
/// followed (so `X-Jup-Api-Key` reaches no second URL, even one the same upstream serves),
/// an answer over the 8 MiB limit is not taken, and the log names the URL with its query
/// values masked.
fn the_upstream_sync_and_client_lookup_follow_no_redirect_and_take_no_oversized_answer() {
    let key = "upstream-test-key";
    let fake = FakeJupiter::start(key);
    let places = fixture("jupiter/seed-restaurants.json");
    let mut zones = fixture("jupiter/seed-delivery_zones.json");
    zones["restaurant_id"] = json!("000127");
    let menu = fixture("jupiter/seed-menu.json");
    // The redirect targets are served too: following one would succeed.
    fake.serve("/moved/restaurants", &places);
    fake.serve("/moved/menu", &menu);
    fake.serve("/moved/client", &json!({"phone": "79161234567"}));
    fake.redirect("/site-api/restaurants", &fake.url("/moved/restaurants"));
    let moved = |requests: &[(String, Option<String>)]| {
        requests
            .iter()
            .filter(|(path, _)| path.starts_with("/moved"))
            .count()
    };

    let app = App::spawn(AppOptions {
        demo_data: false,
        vars: vec![
            ("JUPITER_API_URL".to_owned(), fake.url("/site-api")),
            ("JUPITER_API_KEY".to_owned(), key.to_owned()),
        ],
    });

    // /restaurants redirected: the pass cannot start.
    let reply = request("POST", &app.url("/admin/sync"), &[OPERATOR], None).expect("answer");
    expect(&reply, 503, "sync of a redirected /restaurants");
    assert_eq!(
        fake.requests(),
        [("/site-api/restaurants".to_owned(), Some(key.to_owned()))],
        "one request, the redirect not followed"
    );
    let log = log_once_it_has(&app, "answered 302, redirect not followed");
    assert!(log.contains("answered 302, redirect not followed"), "{log}");

    // A redirected menu and an oversized stop list are skipped; the rest is taken.
    fake.serve("/site-api/restaurants", &places);
    fake.serve(
        "/site-api/delivery_zones?restaurant_id=000127&concept_id=7",
        &zones,
    );
    fake.redirect(
        "/site-api/menu?restaurant_id=000127&concept_id=7",
        &fake.url("/moved/menu"),
    );
    let huge = "x".repeat(8 * 1024 * 1024);
    fake.serve(
        "/site-api/stop_list",
        &json!({"stop_lists": [], "pad": huge}),
    );
    let reply = request("POST", &app.url("/admin/sync"), &[OPERATOR], None).expect("answer");
    expect(&reply, 200, "sync");
    let report = reply.json();
    assert_eq!(report["restaurants"], 1, "{report}");
    assert_eq!(report["zones"], 1, "{report}");
    assert_eq!(report["menus"], 0, "{report}");
    assert_eq!(report["stop_lists"], 0, "{report}");
    let skipped = report["skipped"].to_string();
    assert!(
        skipped.contains("menu 000127/7")
            && skipped.contains("answered 302, redirect not followed"),
        "{report}"
    );
    assert!(
        skipped.contains("restaurant_id=***&concept_id=***"),
        "query values masked: {report}"
    );
    assert!(
        skipped.contains("stop lists") && skipped.contains("larger than 8388608 bytes"),
        "{report}"
    );

    // /client redirected: the hub answers from its own record (none here) and logs the
    // failure with the phone masked.
    fake.redirect(
        "/site-api/client?phone=79161234567",
        &fake.url("/moved/client"),
    );
    let reply = request(
        "GET",
        &app.url("/site-api/client?phone=79161234567"),
        &[("X-Jup-Api-Key", "dev-site-key")],
        None,
    )
    .expect("answer");
    expect(&reply, 404, "answered locally");
    assert_eq!(reply.json()["errors"][0]["code"], "client_not_found");
    assert_eq!(
        reply.json()["error"],
        "no order and no operator named a client with this phone",
        "the hub's own record, not the redirect target's"
    );

    let requests = fake.requests();
    assert_eq!(moved(&requests), 0, "no redirect followed: {requests:?}");
    assert!(
        requests.iter().all(|(_, k)| k.as_deref() == Some(key)),
        "{requests:?}"
    );
    let masked = "/site-api/client?phone=***: answered 302, redirect not followed";
    let log = log_once_it_has(&app, masked);
    assert!(log.contains(masked), "{log}");
    assert!(!log.contains("client?phone=79161234567: "), "{log}");
}

/// The Worker's log once it contains `needle` (wrangler writes it a moment after the
/// answer), or after 10 s as it is.
fn log_once_it_has(app: &App, needle: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let log = app.log();
        if log.contains(needle) || std::time::Instant::now() > deadline {
            return log;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// The menu callback leaves through the one outbound path: a receiver that fails once gets
/// the same signed callback again, and the operator's delivery log shows both attempts.
fn a_failed_menu_callback_is_retried_through_the_outbox(app: &App) {
    let sink = Sink::start();
    sink.fail_next(1, 503);
    let id = "e2e-jet-callback-retry";
    restaurant(app, id, "+01:00", &[]);
    let mut body = fixture("jet-connect/menus-request-basic.json");
    body["restaurants"] = json!([id]);
    body["callback_url"] = json!(sink.url("/menu-status"));
    let reply = operator(app, "POST", "/jet-connect/menus", &body);
    expect(&reply, 202, "menus");

    let calls = sink.wait_for(2, Duration::from_secs(30));
    let answered: Vec<u16> = calls.iter().map(|c| c.answered).collect();
    assert_eq!(answered, [503, 200], "retried after the 503");
    assert_eq!(
        serde_json::from_str::<Value>(&calls[1].body).unwrap_or(Value::Null),
        json!({"restaurant": id, "ingestion_succeeded": true})
    );
    assert_eq!(calls[0].body, calls[1].body, "the same callback again");
    let delivery_id = calls[0].header("x-orderbridge-delivery");
    assert!(delivery_id.is_some(), "{:?}", calls[0].headers);
    assert_eq!(delivery_id, calls[1].header("x-orderbridge-delivery"));

    let log = request(
        "GET",
        &app.url("/admin/deliveries?status=delivered"),
        &[OPERATOR],
        None,
    )
    .expect("answer");
    expect(&log, 200, "delivery log");
    let log = log.json();
    let delivery = log["deliveries"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["id"].as_str() == delivery_id)
        .cloned()
        .unwrap_or_else(|| panic!("delivery {delivery_id:?} not in the log: {log}"));
    assert_eq!(delivery["receiver"], "menu_callback", "{delivery}");
    let codes: Vec<i64> = delivery["attempts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| a["status_code"].as_i64().unwrap_or(0))
        .collect();
    assert_eq!(codes, [503, 200], "{delivery}");
}
