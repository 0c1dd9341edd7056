use super::*;
use crate::jet::validate::validate_menus;
use crate::jet::wire::parse_menus;
use serde_json::{json, Value};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const NOW: &str = "2024-06-10T22:02:27+03:00";

fn valid(body: &str) -> ValidMenu {
    let menus = parse_menus(body.as_bytes()).and_then(|r| validate_menus(&r));
    let menus = menus.unwrap_or_else(|v| panic!("{v:?}"));
    menus.menus()[0].clone()
}

fn menu_with_items(items: Value) -> ValidMenu {
    let body = json!({
        "restaurants": ["1"], "callback_url": "https://example.com/cb",
        "menus": [{"name": "M", "reference": "", "type": "DELIVERY", "categories": [
            {"name": "Main", "description": "", "items": items}
        ]}]
    });
    valid(&body.to_string())
}

#[test]
fn both_menu_types_of_a_reference_are_kept() {
    let body = json!({
        "restaurants": ["1"], "callback_url": "https://example.com/cb",
        "menus": [
            {"name": "D1", "reference": "", "type": "DELIVERY", "categories": []},
            {"name": "C1", "reference": "", "type": "COLLECTION", "categories": []},
            {"name": "C2", "reference": "lunch", "type": "COLLECTION", "categories": []},
            {"name": "D2", "reference": "lunch", "type": "DELIVERY", "categories": []}
        ]
    });
    let menus = parse_menus(body.to_string().as_bytes())
        .and_then(|r| validate_menus(&r))
        .unwrap_or_else(|v| panic!("{v:?}"));
    let got: Vec<(&str, MenuType, &str)> = menus_by_concept(menus.menus())
        .into_iter()
        .map(|(concept, kind, menu)| (concept, kind, menu.wire().name.as_deref().unwrap_or("")))
        .collect();
    // Before issue 16 only ("default", D1) and ("lunch", D2) were kept: the COLLECTION
    // menus were dropped while the callback reported success.
    assert_eq!(
        got,
        [
            ("default", MenuType::Delivery, "D1"),
            ("default", MenuType::Collection, "C1"),
            ("lunch", MenuType::Collection, "C2"),
            ("lunch", MenuType::Delivery, "D2"),
        ]
    );
}

#[test]
fn every_menus_example_converts_with_its_plus_prices_and_groups() {
    // (example, [(item id, price in kopecks, [(group min, max, [option ids])])])
    type Want = Vec<(&'static str, i64, Vec<(u32, u32, Vec<&'static str>)>)>;
    let cases: Vec<(&str, Want)> = vec![
        (
            include_str!("../../../../fixtures/jet-connect/menus-request-basic.json"),
            vec![("ABC1F", 1550, vec![])],
        ),
        (
            include_str!("../../../../fixtures/jet-connect/menus-request-with-modifiers.json"),
            vec![("XYZ123", 0, vec![(1, 1, vec!["2B", "A2"])])],
        ),
        (
            include_str!("../../../../fixtures/jet-connect/menus-request-pick-options.json"),
            // All three groups of the example have no options, so none is emitted.
            vec![("f37b78df-16c4-4036-96c5-ed61d439ae26", 1000, vec![])],
        ),
    ];
    for (text, want) in cases {
        let menu = menu_to_jupiter(&valid(text), NOW);
        assert_eq!(menu.last_change, NOW);
        let got: Want = menu
            .items
            .iter()
            .map(|item| {
                let groups = item
                    .modifiers
                    .iter()
                    .flatten()
                    .map(|g| {
                        let ids = g.modifiers.iter().map(|m| &*m.id.clone().leak()).collect();
                        (g.min_selected_modifiers, g.max_selected_modifiers, ids)
                    })
                    .collect();
                (&*item.id.clone().leak(), item.price.minor(), groups)
            })
            .collect();
        assert_eq!(got, want);
        for item in &menu.items {
            assert!(menu.categories.iter().any(|c| c.id == item.category_id));
        }
    }
}

#[test]
fn the_converted_basic_example_serialises_in_jupiter_shape() {
    let text = include_str!("../../../../fixtures/jet-connect/menus-request-basic.json");
    let response = menu_response("11232", &valid(text), NOW);
    let got = serde_json::to_value(&response).unwrap_or_default();
    let category = category_id("Burgers");
    assert_eq!(
        got,
        json!({
            "restaurant_id": "11232",
            "concept_id": "burger-zone-summer-5521",
            "menu": {
                "lastChange": NOW,
                "categories": [{"id": category, "name": "Burgers", "sortOrder": 0, "images": []}],
                "items": [{
                    "id": "ABC1F", "categoryId": category, "name": "Veggie Burger",
                    "description": "A classic vegetarian hamburger with all the fixings.",
                    "price": 15.5, "sortOrder": 0, "modifiers": [],
                    "images": [{"url": "https://www.burgerzone.com/vegburger.jpg"}],
                    "tags": [{"name": "VEGETARIAN"}, {"name": "MILD"}]
                }]
            }
        })
    );
}

#[test]
fn category_ids_are_stable_per_name_and_unique_within_a_menu() {
    let body = json!({
        "restaurants": ["1"], "callback_url": "https://example.com/cb",
        "menus": [{"name": "M", "reference": "x", "type": "DELIVERY", "categories": [
            {"name": "Rolls", "description": "", "items": []},
            {"name": "Drinks", "description": "", "items": []},
            {"name": "Rolls", "description": "", "items": []}
        ]}]
    });
    let menu = menu_to_jupiter(&valid(&body.to_string()), NOW);
    let ids: Vec<&str> = menu.categories.iter().map(|c| c.id.as_str()).collect();
    let rolls = category_id("Rolls");
    assert_eq!(
        ids,
        [
            rolls.as_str(),
            &category_id("Drinks"),
            &format!("{rolls}-2")
        ]
    );
    assert_eq!(category_id("Rolls"), rolls);
    assert_ne!(category_id("Rolls"), category_id("rolls"));
    assert_eq!(rolls.len(), 4 + 16);
}

#[test]
fn pick_rules_become_selection_limits_and_amounts() {
    let two = json!([{"name": "A", "plu": "A", "price": 50}, {"name": "B", "plu": "B"}]);
    // (pick, min, max, option maxAmount)
    let cases = [
        (json!({"pick_same_option": false, "exactly": 2}), 2, 2, 1),
        (json!({"pick_same_option": true, "exactly": 3}), 3, 3, 3),
        (
            json!({"pick_same_option": false, "range": {"from": 0, "to": 1}}),
            0,
            1,
            1,
        ),
        (
            json!({"pick_same_option": true, "range": {"from": 1, "to": 4}}),
            1,
            4,
            4,
        ),
        (json!({"pick_same_option": false}), 0, 2, 1),
        (
            json!({"pick_same_option": true}),
            0,
            UNLIMITED_PICKS,
            UNLIMITED_PICKS,
        ),
    ];
    for (pick, min, max, amount) in cases {
        let menu = menu_with_items(json!([{"name": "I", "plu": "I1", "price": 100,
            "modifiers": [{"name": "G", "description": "", "pick": pick, "options": two}]}]));
        let menu = menu_to_jupiter(&menu, NOW);
        let group = &menu.items[0].modifiers.as_ref().map(|g| g[0].clone());
        let group = group
            .as_ref()
            .unwrap_or_else(|| panic!("no group for {pick}"));
        assert_eq!(group.id, "I1:0");
        assert_eq!(
            (group.min_selected_modifiers, group.max_selected_modifiers),
            (min, max),
            "{pick}"
        );
        assert!(group
            .modifiers
            .iter()
            .all(|m| m.min_amount == 0 && m.max_amount == amount));
        assert_eq!(group.modifiers[0].price.minor(), 50);
        assert_eq!(group.modifiers[1].price.minor(), 0);
    }
}

#[test]
fn portions_and_swap_options_become_items_of_their_own() {
    let menu = menu_with_items(json!([
        {"name": "Cola", "plu": "", "description": "Fizzy",
         "swap": {"name": "Size", "options": [
            {"name": "Small", "plu": "C-S", "price": 150, "reference": ""},
            {"name": "Large", "plu": "C-L", "price": 250, "reference": ""}]}},
        {"name": "Pizza", "plu": "P", "description": "Round", "price": 0,
         "weight": {"unit_name": "g", "gross_value": 500, "net_value": 450},
         "modifiers": [{"name": "Crust", "description": "", "pick": {"pick_same_option": false, "exactly": 1},
                        "options": [{"name": "Thin", "plu": "T"}, {"name": "Thick", "plu": "K"}]}],
         "portions": [
            {"name": "30 cm", "description": "", "plu": "P30", "price": 90000, "modifiers": []},
            {"name": "40 cm", "description": "Big", "plu": "P40", "price": 120050,
             "volume": {"unit_name": "ml", "gross_value": 1}, "modifiers": [
                {"name": "Extra", "description": "", "pick": {"pick_same_option": true},
                 "options": [{"name": "Cheese", "plu": "X", "price": 5000}]}]}]}
    ]));
    let menu = menu_to_jupiter(&menu, NOW);
    /// (id, name, kopecks, description, number of groups, sortOrder)
    type Row<'a> = (&'a str, &'a str, i64, Option<&'a str>, usize, Option<i64>);
    let got: Vec<Row> = menu
        .items
        .iter()
        .map(|i| {
            (
                i.id.as_str(),
                i.name.as_str(),
                i.price.minor(),
                i.description.as_deref(),
                i.modifiers.as_ref().map_or(0, Vec::len),
                i.sort_order,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("C-S", "Cola (Small)", 150, Some("Fizzy"), 0, Some(0)),
            ("C-L", "Cola (Large)", 250, Some("Fizzy"), 0, Some(1)),
            ("P30", "Pizza (30 cm)", 90000, Some("Round"), 1, Some(2)),
            ("P40", "Pizza (40 cm)", 120050, Some("Big"), 2, Some(3)),
        ]
    );
    let p30 = &menu.items[2];
    assert_eq!(p30.measure, Some(serde_json::Number::from(450)));
    assert_eq!(p30.measure_unit.as_deref(), Some("г"));
    assert_eq!(menu.items[3].measure_unit.as_deref(), Some("мл"));
    let price = serde_json::to_value(&menu.items[3]).unwrap_or_default()["price"].clone();
    assert_eq!(price, json!(1200.5));
}

#[test]
fn nested_groups_are_flattened_after_their_parent_and_keep_their_limits() {
    let menu = menu_with_items(
        json!([{"name": "Burger", "plu": "B", "price": 1000, "modifiers": [
            {"name": "Side", "description": "", "pick": {"pick_same_option": false, "exactly": 1}, "options": [
                {"name": "Fries", "plu": "F", "modifiers": [
                    {"name": "Dip", "description": "", "pick": {"pick_same_option": false, "exactly": 1},
                     "options": [{"name": "Ketchup", "plu": "K"}, {"name": "Mayo", "plu": "M"}]}]},
                {"name": "Salad", "plu": "S"}]},
            {"name": "Drink", "description": "", "pick": {"pick_same_option": false, "range": {"from": 0, "to": 1}},
             "options": [{"name": "Cola", "plu": "C", "price": 100}]}
        ]}]),
    );
    let menu = menu_to_jupiter(&menu, NOW);
    type Row = (String, String, u32, u32, Option<String>, Option<String>);
    let groups: Vec<Row> = menu.items[0]
        .modifiers
        .iter()
        .flatten()
        .map(|g| {
            (
                g.id.clone(),
                g.name.clone(),
                g.min_selected_modifiers,
                g.max_selected_modifiers,
                g.parent_group_id.clone(),
                g.parent_modifier_id.clone(),
            )
        })
        .collect();
    // The nested "exactly 1" stays 1/1 (before issue 16 it was served 0/1, optional),
    // and says which option it belongs to.
    let want = [
        ("B:0", "Side", 1, 1, None, None),
        ("B:1", "Fries: Dip", 1, 1, Some("B:0"), Some("F")),
        ("B:2", "Drink", 0, 1, None, None),
    ];
    let want: Vec<Row> = want
        .iter()
        .map(|(id, name, min, max, g, m)| {
            (
                id.to_string(),
                name.to_string(),
                *min,
                *max,
                g.map(str::to_owned),
                m.map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(groups, want);
}

#[test]
fn out_of_stock_flags_are_listed_for_the_stop_list() {
    let menu = menu_with_items(json!([
        {"name": "A", "plu": "A1", "out_of_stock": true},
        {"name": "B", "plu": "B1", "out_of_stock": false, "modifiers": [
            {"name": "G", "description": "", "pick": {"pick_same_option": false},
             "options": [{"name": "O", "plu": "O1", "out_of_stock": true}]}]},
        {"name": "C", "plu": "", "swap": {"name": "S", "options": [
            {"name": "S1", "plu": "S1", "price": 1, "reference": "", "out_of_stock": true}]}}
    ]));
    assert_eq!(out_of_stock_plus(&menu), ["A1", "O1", "S1"]);
}

#[test]
fn the_borrowed_view_serialises_exactly_as_the_owned_menu() {
    let odd = json!([
        {"name": "Tea \"Earl\" \\ Grey\u{1}", "plu": " T1 ", "description": "",
         "price": 1, "tax_percentage": 12.5, "dietary_restrictions": ["NONE", "VEGAN"],
         "spiciness": "UNKNOWN", "gallery": [{"url": "https://x/é.jpg"}],
         "volume": {"unit_name": " ML ", "gross_value": 300}},
        {"name": "Soup", "plu": "", "weight": {"unit_name": "Grams", "gross_value": 1, "net_value": 0.5},
         "swap": {"name": "S", "options": [{"name": "Cup", "plu": "S1", "price": 250, "reference": ""}]},
         "modifiers": [{"name": "Bread", "description": "", "pick": {"pick_same_option": true},
            "options": [{"name": "Rye", "plu": "R", "price": 5, "tax_percentage": 10, "modifiers": [
                {"name": "Butter", "description": "", "pick": {"pick_same_option": false, "range": {"from": 0, "to": 1}},
                 "options": [{"name": "Yes", "plu": "BY"}]}]}]},
            {"name": "Empty", "description": "", "pick": {"pick_same_option": false}, "options": []}]},
        {"name": "Pie", "plu": "P", "description": "Baked", "portions": [
            {"name": "Slice", "description": " ", "plu": "P1", "price": 199, "modifiers": [],
             "weight": {"unit_name": "kg", "gross_value": 1, "net_value": 1}},
            {"name": "Whole", "description": "All of it", "plu": "P2", "price": 1500, "tax_percentage": 0,
             "volume": {"unit_name": "мл", "gross_value": 9}, "modifiers": [
                {"name": "Box", "description": "", "pick": {"pick_same_option": false, "exactly": 1},
                 "options": [{"name": "Yes", "plu": "BX"}, {"name": "No", "plu": "NB"}]}]}]}
    ]);
    let menus = [
        valid(include_str!(
            "../../../../fixtures/jet-connect/menus-request-basic.json"
        )),
        valid(include_str!(
            "../../../../fixtures/jet-connect/menus-request-with-modifiers.json"
        )),
        valid(include_str!(
            "../../../../fixtures/jet-connect/menus-request-pick-options.json"
        )),
        menu_with_items(odd),
        menu_with_items(json!([])),
    ];
    for menu in &menus {
        let view = serde_json::to_string(&jupiter_menu(menu, NOW)).unwrap_or_default();
        let owned = serde_json::to_string(&menu_to_jupiter(menu, NOW)).unwrap_or_default();
        assert!(!owned.is_empty());
        assert_eq!(view, owned);
        assert_eq!(
            jupiter_menu(menu, NOW).item_count(),
            menu_to_jupiter(menu, NOW).items.len()
        );
    }
}

#[test]
fn amounts_are_written_as_the_roubles_serialiser_writes_them() {
    #[derive(serde::Serialize)]
    struct Owned(#[serde(with = "jupiter::roubles")] Money);
    let mut minor: i64 = 0;
    let mut step: i64 = 1;
    while minor <= i64::from(i32::MAX) {
        let money = Money::from_minor(minor, "t").unwrap_or_default();
        let fast = serde_json::to_string(&Roubles(money)).unwrap_or_default();
        let slow = serde_json::to_string(&Owned(money)).unwrap_or_default();
        assert_eq!(fast, slow, "{minor}");
        minor += step;
        if minor > 300_000 {
            step = 7_919;
        }
    }
}

#[test]
fn an_empty_menu_reference_is_the_default_concept() {
    assert_eq!(concept_for_reference(""), DEFAULT_CONCEPT);
    assert_eq!(concept_for_reference("7"), "7");
}

#[test]
fn a_plu_listed_in_two_categories_is_one_item_in_the_first() {
    let body = json!({
        "restaurants": ["1"], "callback_url": "https://example.com/cb",
        "menus": [{"name": "M", "reference": "", "type": "DELIVERY", "categories": [
            {"name": "Most popular", "description": "", "items": [
                {"name": "Burger", "plu": "B", "price": 1000}]},
            {"name": "Burgers", "description": "", "items": [
                {"name": "Burger", "plu": "B", "price": 1000},
                {"name": "Cheeseburger", "plu": "CB", "price": 1200}]}
        ]}]
    });
    let menus = parse_menus(body.to_string().as_bytes())
        .and_then(|r| validate_menus(&r))
        .unwrap_or_else(|v| panic!("{v:?}"));
    let menu = menu_to_jupiter(&menus.menus()[0], NOW);
    let items: Vec<(&str, &str)> = menu
        .items
        .iter()
        .map(|i| (i.id.as_str(), i.category_id.as_str()))
        .collect();
    let popular = category_id("Most popular");
    let burgers = category_id("Burgers");
    assert_eq!(items, [("B", popular.as_str()), ("CB", burgers.as_str())]);
    let view = serde_json::to_string(&jupiter_menu(&menus.menus()[0], NOW)).ok();
    assert_eq!(view, serde_json::to_string(&menu).ok());
}

#[test]
fn an_order_is_checked_against_the_menu_of_its_reference_or_its_service() {
    use MenuType::{Collection as C, Delivery as D};
    type Stored = Vec<(&'static str, Option<MenuType>)>;
    type Chosen = Option<(&'static str, Option<MenuType>)>;
    // (case, menu_reference, order's service, stored menus, chosen (concept, service))
    let cases: Vec<(&str, &str, MenuType, Stored, Chosen)> = vec![
        (
            "a reference that names a menu",
            "lunch",
            D,
            vec![("lunch", Some(D)), ("dinner", Some(D))],
            Some(("lunch", Some(D))),
        ),
        (
            "a blank reference at a restaurant whose one menu has a reference",
            "",
            D,
            vec![("burger-zone", Some(D))],
            Some(("burger-zone", Some(D))),
        ),
        (
            "a reference naming no menu: the only concept",
            "gone",
            C,
            vec![("burger-zone", Some(D))],
            Some(("burger-zone", Some(D))),
        ),
        (
            "a blank reference names the default concept when it has a menu",
            "",
            D,
            vec![("", None), ("lunch", Some(D))],
            Some(("", None)),
        ),
        (
            "several concepts: the only one for the order's service",
            "",
            C,
            vec![("lunch", Some(D)), ("pickup", Some(C))],
            Some(("pickup", Some(C))),
        ),
        (
            "a concept's delivery and collection menus, delivery order",
            "",
            D,
            vec![("m", Some(C)), ("m", Some(D))],
            Some(("m", Some(D))),
        ),
        (
            "a concept's delivery and collection menus, collection order",
            "",
            C,
            vec![("m", Some(C)), ("m", Some(D))],
            Some(("m", Some(C))),
        ),
        (
            "a concept with only a collection menu serves a delivery order",
            "m",
            D,
            vec![("m", Some(C))],
            Some(("m", Some(C))),
        ),
        (
            "an admin menu serves every service",
            "x",
            C,
            vec![("x", None)],
            Some(("x", None)),
        ),
        ("no menu at all is refused", "", D, vec![], None),
        (
            "several concepts for the service are refused",
            "",
            D,
            vec![("a", Some(D)), ("b", Some(D))],
            None,
        ),
        (
            "several concepts none for the service are refused",
            "",
            C,
            vec![("a", Some(D)), ("b", Some(D))],
            None,
        ),
    ];
    for (case, reference, service, stored, want) in cases {
        let got = menu_for_order(reference, service, &stored);
        match want {
            Some(want) => assert_eq!(got.ok(), Some(want), "{case}"),
            None => {
                let v = got.err().unwrap_or_else(|| panic!("{case}: accepted"));
                assert_eq!(v.code, "unknown_concept", "{case}");
                assert_eq!(v.field.as_deref(), Some("menu_reference"), "{case}");
                assert!(
                    v.message.contains(&format!("{reference:?}")),
                    "{case}: {}",
                    v.message
                );
            }
        }
    }
}

#[test]
fn the_site_api_serves_the_delivery_menu_unless_asked_for_pickup() {
    assert_eq!(
        service_for_delivery_method(None).ok(),
        Some(MenuType::Delivery)
    );
    assert_eq!(
        service_for_delivery_method(Some("courier")).ok(),
        Some(MenuType::Delivery)
    );
    assert_eq!(
        service_for_delivery_method(Some("pickup")).ok(),
        Some(MenuType::Collection)
    );
    let refused = service_for_delivery_method(Some("drone")).err();
    assert_eq!(
        refused.map(|v| v.message),
        Some("\"drone\" is not one of courier, pickup".to_owned())
    );
}

#[test]
fn each_order_type_reads_its_menu_type() {
    assert_eq!(
        menu_type_of(Fulfilment::DeliveryByMerchant),
        MenuType::Delivery
    );
    assert_eq!(
        menu_type_of(Fulfilment::DeliveryByPartner),
        MenuType::Delivery
    );
    assert_eq!(
        menu_type_of(Fulfilment::CollectionByCustomer),
        MenuType::Collection
    );
    for s in [None, Some(MenuType::Delivery), Some(MenuType::Collection)] {
        assert_eq!(service_of(service_key(s)), s);
    }
}

#[test]
fn every_published_menu_example_becomes_a_valid_jupiter_menu() {
    for (name, text) in crate::jet::wire::PUBLISHED_MENU_EXAMPLES {
        let menus = parse_menus(text.as_bytes())
            .and_then(|r| validate_menus(&r))
            .unwrap_or_else(|v| panic!("{name}: {v:?}"));
        for menu in menus.menus() {
            let doc = menu_response("11232", menu, NOW);
            assert_eq!(crate::jupiter::validate_admin_menu(&doc), Ok(()), "{name}");
            assert!(!doc.menu.items.is_empty(), "{name}: no items");
            let view = serde_json::to_string(&jupiter_menu(menu, NOW)).ok();
            assert_eq!(view, serde_json::to_string(&doc.menu).ok(), "{name}");
        }
    }
}

/// Every string field of a generated menu carries `text`, prices and numbers vary.
fn menu_carrying(text: &str, seed: i64) -> Value {
    let items: Vec<Value> = (0..6)
        .map(|i| {
            // PLUs may not carry control characters: the rest of the text, then.
            let plu = format!("{}-{seed}-{i}", text.replace(char::is_control, ""));
            let vat = [json!(20), json!(12.5), json!(0.1), json!(7)][(i % 4) as usize].clone();
            json!({
                "name": format!("{text}{i}"), "plu": plu, "description": text,
                "price": (seed * 7_919 + i * 13) % 2_147_483_647,
                "tax_percentage": vat,
                "gallery": [{"url": format!("https://img.example/{}", i)}],
                "dietary_restrictions": ["NONE", "VEGAN"], "spiciness": "HOT",
                "weight": {"unit_name": "g", "gross_value": 250.25, "net_value": i},
                "portions": if i % 3 == 1 { json!([
                    {"name": text, "description": "", "plu": format!("{plu}P1"), "price": seed % 100, "modifiers": []},
                    {"name": "B", "description": text, "plu": format!("{plu}P2"), "price": 1, "tax_percentage": 5.5,
                     "volume": {"unit_name": "ml", "gross_value": 0.33}, "modifiers": []}]) } else { json!([]) },
                "modifiers": [{"name": text, "description": "", "pick": {"pick_same_option": i % 2 == 0},
                    "options": [{"name": text, "plu": format!("{plu}O"), "price": seed % 1000, "tax_percentage": 3.25,
                        "modifiers": [{"name": text, "description": "", "pick": {"pick_same_option": false, "exactly": 1},
                            "options": [{"name": "N", "plu": format!("{plu}N"), "price": 99}]}]}]}]
            })
        })
        .collect();
    json!({
        "restaurants": ["1"], "callback_url": "https://example.com/cb",
        "menus": [{"name": "M", "reference": "", "type": "DELIVERY", "categories": [
            {"name": text, "description": "", "gallery": [{"url": "https://img.example/c"}], "items": items},
            {"name": text, "description": "", "items": []}
        ]}]
    })
}

#[test]
fn the_stored_text_is_serde_jsons_byte_for_byte() {
    // Every escape serde_json writes (each control character, quote, backslash), what it
    // leaves alone (DEL, non-ASCII, `/`), and the empty string.
    let mut texts: Vec<String> = (0u8..0x20)
        .map(|b| format!("a{}b", char::from(b)))
        .collect();
    texts.extend(
        [
            "",
            "\"",
            "\\",
            "/",
            "\u{7f}",
            "é",
            "мл",
            "😀\u{0}\n",
            "a\"b\\c\td\re\u{8}\u{c}",
        ]
        .map(str::to_owned),
    );
    let mut checked = 0;
    for (seed, text) in texts.iter().enumerate() {
        let body = menu_carrying(text, seed as i64 * 104_729).to_string();
        let menus = parse_menus(body.as_bytes()).and_then(|r| validate_menus(&r));
        let Ok(menus) = menus else { continue };
        for menu in menus.menus() {
            let view = jupiter_menu(menu, NOW);
            let serde = serde_json::to_string(&view).unwrap_or_default();
            assert!(!serde.is_empty());
            assert_eq!(view.to_json(), serde, "{text:?}");
            let owned = serde_json::to_string(&menu_to_jupiter(menu, NOW)).unwrap_or_default();
            let back: Value = serde_json::from_str(&view.to_json()).unwrap_or_default();
            assert_eq!(
                back,
                serde_json::from_str::<Value>(&owned).unwrap_or_default()
            );
            checked += 1;
        }
    }
    assert_eq!(checked, texts.len());
    for (name, text) in crate::jet::wire::PUBLISHED_MENU_EXAMPLES {
        let menus = parse_menus(text.as_bytes())
            .and_then(|r| validate_menus(&r))
            .unwrap_or_else(|v| panic!("{name}: {v:?}"));
        for menu in menus.menus() {
            let view = jupiter_menu(menu, NOW);
            assert_eq!(
                Some(view.to_json()),
                serde_json::to_string(&view).ok(),
                "{name}"
            );
        }
    }
}

#[test]
fn a_string_is_escaped_as_serde_json_escapes_it() {
    let mut all: String = (0u32..0x800).filter_map(char::from_u32).collect();
    all.push_str("😀\u{10ffff}");
    for text in [all.as_str(), "", "plain", "\"", "end\\"] {
        let mut out = String::new();
        json_str(&mut out, text);
        assert_eq!(Some(out), serde_json::to_string(text).ok());
    }
    // A failing case: the same text unescaped is not what serde_json writes.
    assert_ne!(
        Some(format!("\"{}\"", "a\"b")),
        serde_json::to_string("a\"b").ok()
    );
}

#[test]
fn amounts_are_written_as_the_serialiser_writes_them() {
    let mut minor: i64 = -1_000;
    let mut step: i64 = 1;
    while minor <= i64::from(i32::MAX) * 3 {
        let money = Money::from_minor(minor, "t").unwrap_or_default();
        let mut out = String::new();
        roubles_into(&mut out, money);
        assert_eq!(
            Some(out),
            serde_json::to_string(&Roubles(money)).ok(),
            "{minor}"
        );
        minor += step;
        if minor > 300_000 {
            step = 7_919_017;
        }
    }
    for n in [
        json!(0),
        json!(-3),
        json!(12.5),
        json!(1e-7),
        json!(1.5e300),
        json!(u64::MAX),
    ] {
        let Value::Number(n) = n else { continue };
        let mut out = String::new();
        number_into(&mut out, &n);
        assert_eq!(Some(out), serde_json::to_string(&n).ok());
    }
}

#[test]
fn a_menu_request_is_read_once_and_stored_per_offset() {
    let body = json!({
        "restaurants": ["1", "2"], "callback_url": "https://example.com/cb",
        "menus": [
            {"name": "D", "reference": "", "type": "DELIVERY", "categories": [
                {"name": "Main", "description": "", "items": [
                    {"name": "A", "plu": "A1", "price": 100, "out_of_stock": true},
                    {"name": "B", "plu": "B1", "price": 150}]}]},
            {"name": "C", "reference": "lunch", "type": "COLLECTION", "categories": [
                {"name": "Main", "description": "", "items": [
                    {"name": "A", "plu": "A1", "price": 100, "out_of_stock": true}]}]}
        ]
    })
    .to_string();
    let ingest = MenuIngest::from_body(body.as_bytes()).unwrap_or_else(|r| panic!("{r:?}"));
    assert_eq!(ingest.keys(), [("", "DELIVERY"), ("lunch", "COLLECTION")]);
    assert_eq!(ingest.concepts(), ["", "lunch"]);
    assert_eq!(ingest.stopped(), ["A1"]);
    assert_eq!(ingest.callback_url(), "https://example.com/cb");
    assert_eq!(ingest.restaurants().len(), 2);
    let texts = ingest.texts_at(NOW);
    assert_eq!(texts.len(), 2);
    let parsed = parse_menus(body.as_bytes()).and_then(|r| validate_menus(&r));
    let menus = parsed.unwrap_or_else(|v| panic!("{v:?}"));
    for (text, menu) in texts.iter().zip(menus.menus()) {
        assert_eq!(
            serde_json::from_str::<Value>(text).ok(),
            serde_json::to_value(menu_to_jupiter(menu, NOW)).ok()
        );
    }
    // Failing cases: a body that is not JSON, and one that breaks a rule.
    assert!(matches!(
        MenuIngest::from_body(b"{"),
        Err(MenuRefusal::Unreadable(_))
    ));
    let no_restaurants =
        json!({"restaurants": [], "callback_url": "https://e.com/cb", "menus": []});
    assert!(matches!(
        MenuIngest::from_body(no_restaurants.to_string().as_bytes()),
        Err(MenuRefusal::Invalid(_))
    ));
}

#[test]
fn units_are_read_whatever_their_case_and_script() {
    let n = Number::from(5);
    let weight = |unit: &str| Weight {
        unit_name: Some(Text::from(unit.to_owned())),
        gross_value: Some(n.clone()),
        net_value: None,
    };
    let volume = |unit: &str| Volume {
        unit_name: Some(Text::from(unit.to_owned())),
        gross_value: Some(n.clone()),
        net_value: None,
    };
    for (unit, want) in [
        ("g", Some("г")),
        (" GRAMS ", Some("г")),
        ("Г", Some("г")),
        ("kg", None),
        ("gr", None),
    ] {
        assert_eq!(
            measure(Some(&weight(unit)), None).map(|(_, u)| u),
            want,
            "{unit}"
        );
    }
    for (unit, want) in [
        ("ml", Some("мл")),
        ("Milliliters", Some("мл")),
        ("МЛ", Some("мл")),
        ("l", None),
        ("mł", None),
    ] {
        assert_eq!(
            measure(None, Some(&volume(unit))).map(|(_, u)| u),
            want,
            "{unit}"
        );
    }
}
