use super::*;
use crate::domain::{HhMm, Weekday};
use crate::problem::Violation;
use serde_json::{json, Value};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// Marks a case that removes the field at the pointer instead of setting it.
const REMOVE: &str = "<remove>";

fn base_menus() -> Value {
    json!({
        "restaurants": ["11232"],
        "callback_url": "https://example.com/menu-status",
        "menus": [{
            "name": "Menu",
            "reference": "",
            "type": "DELIVERY",
            "availability": {"monday": ["10:00 - 23:00"]},
            "translations": {"es-ES": {"name": "Menú"}},
            "categories": [
                {"name": "Burgers", "description": "", "items": [{
                    "name": "Burger", "plu": "B1", "price": 1000,
                    "modifiers": [{
                        "name": "Cheese", "description": "",
                        "pick": {"pick_same_option": false, "exactly": 1},
                        "options": [
                            {"name": "Cheddar", "plu": "C1", "price": 0},
                            {"name": "Swiss", "plu": "C2", "price": 100}
                        ]
                    }],
                    "portions": [{"name": "Large", "description": "", "plu": "B1L", "price": 1200, "modifiers": []}],
                    "gallery": [{"url": "https://example.com/b.jpg"}]
                }]},
                {"name": "Drinks", "description": "", "items": [{
                    "name": "Cola", "plu": "",
                    "swap": {"name": "Size", "options": [{"name": "Small", "plu": "D1", "price": 200, "reference": ""}]}
                }]}
            ]
        }]
    })
}

/// Sets (or with [`REMOVE`], removes) the value at a JSON pointer.
fn edit(mut doc: Value, pointer: &str, value: &Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    let target = doc
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no {parent}"));
    match (target, value.as_str() == Some(REMOVE)) {
        (Value::Object(map), true) => {
            map.remove(key);
        }
        (Value::Object(map), false) => {
            map.insert(key.to_owned(), value.clone());
        }
        (Value::Array(list), false) => {
            let i: usize = key.parse().unwrap_or_else(|_| panic!("index {key}"));
            list[i] = value.clone();
        }
        _ => panic!("cannot edit {pointer}"),
    }
    doc
}

fn menus_violations(doc: &Value) -> Vec<Violation> {
    let bytes = serde_json::to_vec(doc).unwrap_or_default();
    match parse_menus(&bytes) {
        Err(v) => v,
        Ok(req) => validate_menus(&req).err().unwrap_or_default(),
    }
}

/// (rule, pointer, passing value, failing value, expected code, expected field)
type Case = (
    &'static str,
    &'static str,
    Value,
    Value,
    &'static str,
    &'static str,
);

const I0: &str = "/menus/0/categories/0/items/0";
const F0: &str = "menus[0].categories[0].items[0]";

fn at(prefix: &str, rest: &str) -> &'static str {
    Box::leak(format!("{prefix}{rest}").into_boxed_str())
}

/// The second category's items: its swap item, then `item`.
fn with_cola(item: Value) -> Value {
    let cola = base_menus()["menus"][0]["categories"][1]["items"][0].clone();
    json!([cola, item])
}

fn menu_cases() -> Vec<Case> {
    let group = |pick: Value| {
        json!({"name": "G", "description": "", "pick": pick,
        "options": [{"name": "A", "plu": "O1"}, {"name": "B", "plu": "O2"}]})
    };
    vec![
        (
            "restaurants are required",
            "/restaurants",
            json!(["1"]),
            json!(REMOVE),
            "missing",
            "restaurants",
        ),
        (
            "restaurants are not empty",
            "/restaurants",
            json!(["1", "2"]),
            json!([]),
            "empty",
            "restaurants",
        ),
        (
            "restaurant ids are not blank",
            "/restaurants/0",
            json!("99234"),
            json!(" "),
            "missing",
            "restaurants[0]",
        ),
        (
            "restaurants are not repeated",
            "/restaurants",
            json!(["1", "2"]),
            json!(["1", "1"]),
            "duplicate",
            "restaurants[1]",
        ),
        (
            "menus are required",
            "/menus",
            base_menus()["menus"].clone(),
            json!(REMOVE),
            "missing",
            "menus",
        ),
        (
            "menus are not empty",
            "/menus",
            base_menus()["menus"].clone(),
            json!([]),
            "empty",
            "menus",
        ),
        (
            "callback_url is required",
            "/callback_url",
            json!("http://localhost:8787/cb"),
            json!(REMOVE),
            "missing",
            "callback_url",
        ),
        (
            "callback_url is absolute http(s)",
            "/callback_url",
            json!("HTTPS://example.com"),
            json!("/menu-status"),
            "invalid_url",
            "callback_url",
        ),
        (
            "callback_url has a host",
            "/callback_url",
            json!("https://a.b/c?d"),
            json!("https:///path"),
            "invalid_url",
            "callback_url",
        ),
        (
            "callback_url is not another scheme",
            "/callback_url",
            json!("http://a"),
            json!("ftp://a"),
            "invalid_url",
            "callback_url",
        ),
        (
            "menu names are required (blank is allowed: the schema sets no minimum length)",
            "/menus/0/name",
            json!("  "),
            json!(REMOVE),
            "missing",
            "menus[0].name",
        ),
        (
            "menu reference is required",
            "/menus/0/reference",
            json!("burger-zone"),
            json!(REMOVE),
            "missing",
            "menus[0].reference",
        ),
        (
            "a request has one menu per reference and type",
            "/menus",
            json!([
                {"name": "D", "reference": "x", "type": "DELIVERY", "categories": []},
                {"name": "C", "reference": "x", "type": "COLLECTION", "categories": []}
            ]),
            json!([
                {"name": "D", "reference": "x", "type": "DELIVERY", "categories": []},
                {"name": "D2", "reference": "x", "type": "DELIVERY", "categories": []}
            ]),
            "duplicate_menu",
            "menus[1].reference",
        ),
        (
            "menu type is documented",
            "/menus/0/type",
            json!("COLLECTION"),
            json!("PICKUP"),
            "invalid_value",
            "menus[0].type",
        ),
        (
            "menu categories are required",
            "/menus/0/categories",
            json!([]),
            json!(REMOVE),
            "missing",
            "menus[0].categories",
        ),
        (
            "category items are required",
            "/menus/0/categories/1/items",
            json!([]),
            json!(REMOVE),
            "missing",
            "menus[0].categories[1].items",
        ),
        (
            "menu translations have a name",
            "/menus/0/translations/es-ES",
            json!({"name": "x"}),
            json!({"description": "x"}),
            "missing",
            "menus[0].translations.es-ES.name",
        ),
        (
            "availability windows are hh:mm - hh:mm",
            "/menus/0/availability/monday/0",
            json!("22:00 - 02:00"),
            json!("30:00 - 31:00"),
            "invalid_window",
            "menus[0].availability.monday[0]",
        ),
        (
            "availability windows have the documented separator",
            "/menus/0/availability/monday/0",
            json!("08:00 - 23:59"),
            json!("08:00-23:59"),
            "invalid_window",
            "menus[0].availability.monday[0]",
        ),
        (
            "category names are required",
            "/menus/0/categories/1/name",
            json!("Soft drinks"),
            json!(REMOVE),
            "missing",
            "menus[0].categories[1].name",
        ),
        (
            "category descriptions are required",
            "/menus/0/categories/1/description",
            json!(""),
            json!(REMOVE),
            "missing",
            "menus[0].categories[1].description",
        ),
        (
            "category translations have name and description",
            "/menus/0/categories/0/translations",
            json!({"es": {"name": "a", "description": ""}}),
            json!({"es": {"name": "a"}}),
            "missing",
            "menus[0].categories[0].translations.es.description",
        ),
        (
            "item names are required (blank is allowed)",
            at(I0, "/name"),
            json!(""),
            json!(REMOVE),
            "missing",
            at(F0, ".name"),
        ),
        (
            "item PLUs are required",
            at(I0, "/plu"),
            json!("B9"),
            json!(REMOVE),
            "missing",
            at(F0, ".plu"),
        ),
        (
            "item PLUs are blank only when a swap supplies them",
            at(I0, "/plu"),
            json!(" B1 "),
            json!(""),
            "missing",
            at(F0, ".plu"),
        ),
        (
            "item PLUs are at most 64 characters",
            at(I0, "/plu"),
            json!("x".repeat(64)),
            json!("x".repeat(65)),
            "too_long",
            at(F0, ".plu"),
        ),
        (
            "a PLU listed twice in a menu has the same price and modifiers",
            "/menus/0/categories/1/items/0/swap/options/0/plu",
            json!("D1"),
            json!("B1"),
            "duplicate_plu",
            "menus[0].categories[1].items[0].swap.options[0].plu",
        ),
        (
            "a portion PLU that repeats another PLU of the menu has its price and modifiers",
            at(I0, "/portions/0/plu"),
            json!("B1-large"),
            json!("B1"),
            "duplicate_plu",
            at(F0, ".portions[0].plu"),
        ),
        (
            "modifier options may reuse item PLUs but not each other's",
            at(I0, "/modifiers/0/options/0/plu"),
            json!("B1"),
            json!("C2"),
            "duplicate_plu",
            at(F0, ".modifiers[0].options[1].plu"),
        ),
        (
            "modifier options need a PLU",
            at(I0, "/modifiers/0/options/0/plu"),
            json!("C9"),
            json!(""),
            "missing",
            at(F0, ".modifiers[0].options[0].plu"),
        ),
        (
            "prices are not negative",
            at(I0, "/price"),
            json!(0),
            json!(-1),
            "negative_amount",
            at(F0, ".price"),
        ),
        (
            "prices fit in 32 bits",
            at(I0, "/price"),
            json!(2_147_483_647),
            json!(2_147_483_648_i64),
            "amount_too_large",
            at(F0, ".price"),
        ),
        (
            "option prices are not negative",
            at(I0, "/modifiers/0/options/1/price"),
            json!(5),
            json!(-5),
            "negative_amount",
            at(F0, ".modifiers[0].options[1].price"),
        ),
        (
            "portion prices are required",
            at(I0, "/portions/0/price"),
            json!(0),
            json!(REMOVE),
            "missing",
            at(F0, ".portions[0].price"),
        ),
        (
            "portion modifiers are required",
            at(I0, "/portions/0/modifiers"),
            json!([]),
            json!(REMOVE),
            "missing",
            at(F0, ".portions[0].modifiers"),
        ),
        (
            "swap option prices are required",
            "/menus/0/categories/1/items/0/swap/options/0/price",
            json!(1),
            json!(REMOVE),
            "missing",
            "menus[0].categories[1].items[0].swap.options[0].price",
        ),
        (
            "swap names are required",
            "/menus/0/categories/1/items/0/swap/name",
            json!("Size"),
            json!(REMOVE),
            "missing",
            "menus[0].categories[1].items[0].swap.name",
        ),
        (
            "a blank item PLU needs swap options to supply the PLUs",
            "/menus/0/categories/1/items/0/swap/options",
            json!([{"name": "L", "plu": "D2", "price": 1, "reference": ""}]),
            json!([]),
            "missing",
            "menus[0].categories[1].items[0].plu",
        ),
        (
            "tax categories are documented",
            at(I0, "/tax_category"),
            json!("ALCOHOL"),
            json!("BEER"),
            "invalid_value",
            at(F0, ".tax_category"),
        ),
        (
            "spiciness is documented",
            at(I0, "/spiciness"),
            json!("VERY_HOT"),
            json!("HOTTER"),
            "invalid_value",
            at(F0, ".spiciness"),
        ),
        (
            "diet flags are documented",
            at(I0, "/dietary_restrictions"),
            json!(["VEGAN"]),
            json!(["VEGAN", "KETO"]),
            "invalid_value",
            at(F0, ".dietary_restrictions[1]"),
        ),
        (
            "allergens are documented",
            at(I0, "/allergens"),
            json!(["MILK", "NUTS_PECAN"]),
            json!(["GLUTEN"]),
            "invalid_value",
            at(F0, ".allergens[0]"),
        ),
        (
            "images have absolute URLs",
            at(I0, "/gallery/0/url"),
            json!("http://img.example/b.png"),
            json!("b.png"),
            "invalid_url",
            at(F0, ".gallery[0].url"),
        ),
        (
            "includes have their required fields",
            at(I0, "/includes"),
            json!([{"name": "Fries", "description": "", "plu": "F1", "modifiers": []}]),
            json!([{"name": "Fries", "description": "", "plu": "F1"}]),
            "missing",
            at(F0, ".includes[0].modifiers"),
        ),
        (
            "ingredients have a name",
            at(I0, "/ingredients"),
            json!([{"name": "Salt"}]),
            json!([{}]),
            "missing",
            at(F0, ".ingredients[0].name"),
        ),
        (
            "servings ranges have a min and a max (any int32, as published: min -2)",
            at(I0, "/servings_range"),
            json!({"min": -2, "max": 4}),
            json!({"min": 1}),
            "missing",
            at(F0, ".servings_range.max"),
        ),
        (
            "nutrition values are 32-bit integers",
            at(I0, "/nutritional_info"),
            json!({"kcal": -1}),
            json!({"kcal": 2_147_483_648_i64}),
            "invalid_value",
            at(F0, ".nutritional_info.kcal"),
        ),
        (
            "weights have all three values",
            at(I0, "/weight"),
            json!({"unit_name": "g", "gross_value": 250, "net_value": 240}),
            json!({"unit_name": "g", "gross_value": 250}),
            "missing",
            at(F0, ".weight.net_value"),
        ),
        (
            "volumes have a unit and gross value",
            at(I0, "/volume"),
            json!({"unit_name": "ml", "gross_value": 330}),
            json!({"gross_value": 330}),
            "missing",
            at(F0, ".volume.unit_name"),
        ),
        (
            "caffeine has a value",
            at(I0, "/caffeine"),
            json!({"unit_name": "mg", "value": 32.5}),
            json!({"unit_name": "mg"}),
            "missing",
            at(F0, ".caffeine.value"),
        ),
        (
            "deposit types are documented",
            at(I0, "/deposit"),
            json!({"type": "single_use", "amount": 25, "included_in_total_price": false}),
            json!({"type": "bottle", "amount": 25, "included_in_total_price": false}),
            "invalid_value",
            at(F0, ".deposit.type"),
        ),
        (
            "manufacturers have a brand",
            at(I0, "/manufacturer"),
            json!({"name": "a", "brand": "b", "country_of_origin": "UK"}),
            json!({"name": "a", "country_of_origin": "UK"}),
            "missing",
            at(F0, ".manufacturer.brand"),
        ),
        (
            "storage has a type",
            at(I0, "/storage"),
            json!({"type": "frozen"}),
            json!({"additional_details": "x"}),
            "missing",
            at(F0, ".storage.type"),
        ),
        (
            "modifier names are required",
            at(I0, "/modifiers/0/name"),
            json!("Sauce"),
            json!(REMOVE),
            "missing",
            at(F0, ".modifiers[0].name"),
        ),
        (
            "modifier picks are required",
            at(I0, "/modifiers/0/pick"),
            json!({"pick_same_option": false}),
            json!(REMOVE),
            "missing",
            at(F0, ".modifiers[0].pick"),
        ),
        (
            "pick_same_option is required",
            at(I0, "/modifiers/0/pick"),
            json!({"pick_same_option": true}),
            json!({"exactly": 1}),
            "missing",
            at(F0, ".modifiers[0].pick.pick_same_option"),
        ),
        (
            "exactly is not negative",
            at(I0, "/modifiers/0"),
            group(json!({"pick_same_option": false, "exactly": 0})),
            group(json!({"pick_same_option": false, "exactly": -1})),
            "invalid_pick",
            at(F0, ".modifiers[0].pick.exactly"),
        ),
        (
            "exactly N different options needs N options",
            at(I0, "/modifiers/0"),
            group(json!({"pick_same_option": true, "exactly": 3})),
            group(json!({"pick_same_option": false, "exactly": 3})),
            "invalid_pick",
            at(F0, ".modifiers[0].pick.exactly"),
        ),
        (
            "a range runs from min to max",
            at(I0, "/modifiers/0"),
            group(json!({"pick_same_option": false, "range": {"from": 0, "to": 2}})),
            group(json!({"pick_same_option": false, "range": {"from": 2, "to": 1}})),
            "invalid_pick",
            at(F0, ".modifiers[0].pick"),
        ),
        (
            "a range has both ends",
            at(I0, "/modifiers/0"),
            group(json!({"pick_same_option": false, "range": {"from": 1, "to": 1}})),
            group(json!({"pick_same_option": false, "range": {"from": 1}})),
            "missing",
            at(F0, ".modifiers[0].pick.range.to"),
        ),
        (
            "a range's minimum of different options fits the options (its maximum is a cap)",
            at(I0, "/modifiers/0"),
            group(json!({"pick_same_option": false, "range": {"from": 0, "to": 3}})),
            group(json!({"pick_same_option": false, "range": {"from": 3, "to": 3}})),
            "invalid_pick",
            at(F0, ".modifiers[0].pick.range.from"),
        ),
        (
            "exactly and range agree when both are given (pick is their allOf)",
            at(I0, "/modifiers/0"),
            group(json!({"pick_same_option": false, "exactly": 1, "range": {"from": 0, "to": 1}})),
            group(json!({"pick_same_option": false, "exactly": 2, "range": {"from": 0, "to": 1}})),
            "conflicting_pick",
            at(F0, ".modifiers[0].pick"),
        ),
        (
            "a PLU repeated in another category is accepted when price and modifiers agree",
            "/menus/0/categories/1/items",
            with_cola(
                json!({"name": "Burger (popular)", "plu": "B1", "price": 1000,
                "modifiers": base_menus()["menus"][0]["categories"][0]["items"][0]["modifiers"].clone()}),
            ),
            with_cola(json!({"name": "Burger", "plu": "B1", "price": 1100,
                "modifiers": base_menus()["menus"][0]["categories"][0]["items"][0]["modifiers"].clone()})),
            "duplicate_plu",
            "menus[0].categories[1].items[1].plu",
        ),
        (
            "a repeated PLU whose modifiers differ is refused",
            "/menus/0/categories/1/items",
            with_cola(json!({"name": "Burger", "plu": "B1", "price": 1000,
                "modifiers": base_menus()["menus"][0]["categories"][0]["items"][0]["modifiers"].clone()})),
            with_cola(json!({"name": "Burger", "plu": "B1", "price": 1000})),
            "duplicate_plu",
            "menus[0].categories[1].items[1].plu",
        ),
        (
            "a group without options takes any pick",
            at(I0, "/modifiers/0"),
            json!({"name": "G", "description": "", "pick": {"pick_same_option": false, "exactly": 3}, "options": null}),
            group(json!({"pick_same_option": false, "exactly": 3})),
            "invalid_pick",
            at(F0, ".modifiers[0].pick.exactly"),
        ),
    ]
}

#[test]
fn the_base_menu_used_by_the_rule_table_is_valid() {
    assert_eq!(menus_violations(&base_menus()), vec![]);
}

#[test]
fn each_menu_rule_accepts_its_passing_case_and_reports_its_failing_case_with_its_path() {
    for (rule, pointer, pass, fail, code, field) in menu_cases() {
        let passing = edit(base_menus(), pointer, &pass);
        assert_eq!(menus_violations(&passing), vec![], "{rule}: passing case");
        let failing = menus_violations(&edit(base_menus(), pointer, &fail));
        let found = failing
            .iter()
            .any(|v| v.code == code && v.field.as_deref() == Some(field));
        assert!(found, "{rule}: expected {code} at {field}, got {failing:?}");
    }
}

fn nested(levels: usize) -> Value {
    // An option that carries one group, `levels` groups deep.
    let mut option = json!({"name": "leaf", "plu": "L"});
    for level in (0..levels).rev() {
        option = json!({"name": format!("o{level}"), "plu": format!("P{level}"), "modifiers": [{
            "name": format!("g{level}"), "description": "",
            "pick": {"pick_same_option": false}, "options": [option]
        }]});
    }
    option["modifiers"].clone()
}

#[test]
fn modifier_groups_nest_at_most_five_deep() {
    let ok = edit(
        base_menus(),
        at(I0, "/modifiers"),
        &nested(MAX_MODIFIER_DEPTH),
    );
    assert_eq!(menus_violations(&ok), vec![]);
    let deep = edit(
        base_menus(),
        at(I0, "/modifiers"),
        &nested(MAX_MODIFIER_DEPTH + 1),
    );
    let got = menus_violations(&deep);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].code, "too_deep");
    let want = format!(
        "{F0}{}",
        ".modifiers[0].options[0]".repeat(MAX_MODIFIER_DEPTH)
    ) + ".modifiers";
    assert_eq!(got[0].field.as_deref(), Some(want.as_str()));
}

#[test]
fn every_violation_is_reported_at_once_with_its_path() {
    let mut doc = base_menus();
    doc = edit(doc, "/callback_url", &json!(REMOVE));
    doc = edit(doc, "/menus/0/type", &json!("PICKUP"));
    doc = edit(doc, at(I0, "/price"), &json!(-5));
    doc = edit(
        doc,
        "/menus/0/categories/1/items/0/swap/options/0/plu",
        &json!("B1"),
    );
    doc = edit(
        doc,
        "/menus/0/availability/monday/0",
        &json!("9:00 - 10:00"),
    );
    let fields: Vec<String> = menus_violations(&doc)
        .into_iter()
        .map(|v| format!("{}: {}", v.field.unwrap_or_default(), v.code))
        .collect();
    assert_eq!(
        fields,
        vec![
            "callback_url: missing",
            "menus[0].type: invalid_value",
            "menus[0].availability.monday[0]: invalid_window",
            "menus[0].categories[0].items[0].price: negative_amount",
            "menus[0].categories[1].items[0].swap.options[0].plu: duplicate_plu",
        ]
    );
}

#[test]
fn every_menus_example_of_the_spec_is_valid() {
    assert_eq!(crate::jet::wire::PUBLISHED_MENU_EXAMPLES.len(), 7);
    for (name, text) in crate::jet::wire::PUBLISHED_MENU_EXAMPLES {
        let valid = parse_menus(text.as_bytes()).and_then(|req| validate_menus(&req));
        let valid = valid.unwrap_or_else(|v| panic!("{name}: {v:?}"));
        assert!(!valid.restaurants().is_empty(), "{name}");
        assert_eq!(valid.callback_url(), "https://example.com/menu-status");
        assert_eq!(valid.menus().len(), 1);
        assert_eq!(valid.menus()[0].menu_type(), MenuType::Delivery);
    }
}

#[test]
fn values_the_spec_allows_are_accepted_though_they_look_odd() {
    // Each was refused before issue 16 by a rule the spec does not have.
    let cases: &[(&str, &str, Value)] = &[
        (
            "negative range ends, as published",
            at(I0, "/nutritional_info_range"),
            json!({"kcal_range": {"min": -1, "max": 2}, "kj_range": {"min": 4, "max": 2}}),
        ),
        ("negative servings", at(I0, "/servings"), json!(-1)),
        (
            "a closing time of 24:00",
            "/menus/0/availability/monday/0",
            json!("08:00 - 24:00"),
        ),
        (
            "equal opening and closing times",
            "/menus/0/availability/monday/0",
            json!("10:00 - 10:00"),
        ),
        (
            "a day key the hub does not use",
            "/menus/0/availability",
            json!({"holiday": ["10:00 - 12:00"]}),
        ),
        (
            "a default language of any shape",
            "/menus/0/default_language",
            json!("en US"),
        ),
        (
            "two category images",
            "/menus/0/categories/0/gallery",
            json!([{"url": "https://x.y/1.jpg"}, {"url": "https://x.y/2.jpg"}]),
        ),
        (
            "an empty category name",
            "/menus/0/categories/0/name",
            json!(""),
        ),
        (
            "an empty modifier name",
            at(I0, "/modifiers/0/name"),
            json!(""),
        ),
        (
            "exactly 0",
            at(I0, "/modifiers/0/pick"),
            json!({"pick_same_option": false, "exactly": 0}),
        ),
        (
            "a range up to more than the options",
            at(I0, "/modifiers/0/pick"),
            json!({"pick_same_option": false, "range": {"from": 1, "to": 9}}),
        ),
        (
            "a negative deposit amount",
            at(I0, "/deposit"),
            json!({"type": "not_specified", "amount": -5, "included_in_total_price": false}),
        ),
        (
            "an include with a blank PLU",
            at(I0, "/includes"),
            json!([{"name": "Fries", "description": "", "plu": "", "modifiers": []}]),
        ),
    ];
    for (what, pointer, value) in cases {
        let doc = edit(base_menus(), pointer, value);
        assert_eq!(menus_violations(&doc), vec![], "{what}");
    }
}

fn availability_violations(doc: &Value) -> Vec<Violation> {
    let bytes = serde_json::to_vec(doc).unwrap_or_default();
    match parse_item_availability(&bytes) {
        Err(v) => v,
        Ok(req) => validate_item_availability(&req).err().unwrap_or_default(),
    }
}

#[test]
fn each_item_availability_rule_has_a_passing_and_a_failing_case() {
    let base = || {
        json!({"event": "UNAVAILABLE", "itemReferences": ["B1", "C1"], "restaurant": "11232",
               "happenedAt": "2024-06-10T22:02:27+03:00", "nextAvailableAt": "2024-06-11T09:00:00+03:00"})
    };
    let cases: Vec<Case> = vec![
        (
            "event is required",
            "/event",
            json!("AVAILABLE"),
            json!(REMOVE),
            "missing",
            "event",
        ),
        (
            "event is documented",
            "/event",
            json!("AVAILABLE"),
            json!("SOLD_OUT"),
            "invalid_value",
            "event",
        ),
        (
            "item references are required",
            "/itemReferences",
            json!(["X"]),
            json!(REMOVE),
            "missing",
            "itemReferences",
        ),
        (
            "item references are not empty",
            "/itemReferences",
            json!(["X"]),
            json!([]),
            "empty",
            "itemReferences",
        ),
        (
            "item references are PLUs",
            "/itemReferences/1",
            json!("C2"),
            json!(""),
            "missing",
            "itemReferences[1]",
        ),
        (
            "restaurant is required",
            "/restaurant",
            json!("1"),
            json!(REMOVE),
            "missing",
            "restaurant",
        ),
        (
            "happenedAt is RFC 3339",
            "/happenedAt",
            json!("2024-06-10T19:02:27Z"),
            json!("2024-06-10 22:02"),
            "invalid_datetime",
            "happenedAt",
        ),
        (
            "happenedAt is optional",
            "/happenedAt",
            json!(REMOVE),
            json!("yesterday"),
            "invalid_datetime",
            "happenedAt",
        ),
        (
            "nextAvailableAt is RFC 3339",
            "/nextAvailableAt",
            json!("2024-06-10T22:02:27.5+03:00"),
            json!("2024-06-11"),
            "invalid_datetime",
            "nextAvailableAt",
        ),
        (
            "nextAvailableAt is not before happenedAt",
            "/nextAvailableAt",
            json!("2024-06-10T19:02:27Z"),
            json!("2024-06-10T19:02:26Z"),
            "invalid_datetime",
            "nextAvailableAt",
        ),
    ];
    assert_eq!(availability_violations(&base()), vec![]);
    for (rule, pointer, pass, fail, code, field) in cases {
        assert_eq!(
            availability_violations(&edit(base(), pointer, &pass)),
            vec![],
            "{rule}"
        );
        let failing = availability_violations(&edit(base(), pointer, &fail));
        let found = failing
            .iter()
            .any(|v| v.code == code && v.field.as_deref() == Some(field));
        assert!(found, "{rule}: expected {code} at {field}, got {failing:?}");
    }
}

#[test]
fn both_item_availability_examples_are_valid() {
    for text in [
        include_str!("../../../../fixtures/jet-connect/item-availability-request-available.json"),
        include_str!("../../../../fixtures/jet-connect/item-availability-request-unavailable.json"),
    ] {
        let valid =
            parse_item_availability(text.as_bytes()).and_then(|r| validate_item_availability(&r));
        assert!(valid.is_ok(), "{valid:?}");
    }
}

fn service_violations(doc: &Value) -> Vec<Violation> {
    let bytes = serde_json::to_vec(doc).unwrap_or_default();
    match parse_service_times(&bytes) {
        Err(v) => v,
        Ok(req) => validate_service_times(&req).err().unwrap_or_default(),
    }
}

#[test]
fn each_service_times_rule_has_a_passing_and_a_failing_case() {
    let base = || {
        json!({"timezone": "Europe/Moscow", "serviceTimes": [
            {"serviceType": "Delivery", "openingTimes": {"monday": [{"openingTime": "10:00", "closingTime": "18:00"}]}}
        ]})
    };
    let w = "/serviceTimes/0/openingTimes/monday/0";
    let f = "serviceTimes[0].openingTimes.monday[0]";
    let cases: Vec<Case> = vec![
        (
            "timezone is required",
            "/timezone",
            json!("Europe/London"),
            json!(REMOVE),
            "missing",
            "timezone",
        ),
        (
            "timezone is a zone name",
            "/timezone",
            json!("UTC"),
            json!("Moscow time"),
            "invalid_timezone",
            "timezone",
        ),
        (
            "service times are not empty",
            "/serviceTimes",
            json!([{"serviceType": "Collection", "openingTimes": {"friday": []}}]),
            json!([]),
            "empty",
            "serviceTimes",
        ),
        (
            "service types are documented",
            "/serviceTimes/0/serviceType",
            json!("Collection"),
            json!("Pickup"),
            "invalid_value",
            "serviceTimes[0].serviceType",
        ),
        (
            "service types appear once",
            "/serviceTimes/1",
            json!({"serviceType": "Collection", "openingTimes": {"monday": []}}),
            json!({"serviceType": "Delivery", "openingTimes": {"monday": []}}),
            "duplicate",
            "serviceTimes[1].serviceType",
        ),
        (
            "opening times name at least one day",
            "/serviceTimes/0/openingTimes",
            json!({"sunday": []}),
            json!({}),
            "empty",
            "serviceTimes[0].openingTimes",
        ),
        (
            "opening days are day names",
            "/serviceTimes/0/openingTimes",
            json!({"saturday": []}),
            json!({"Saturday": []}),
            "invalid_day",
            "serviceTimes[0].openingTimes.Saturday",
        ),
        (
            "opening times are hh:mm",
            w,
            json!({"openingTime": "00:00", "closingTime": "23:59"}),
            json!({"openingTime": "10:00", "closingTime": "24:00"}),
            "invalid_time",
            "serviceTimes[0].openingTimes.monday[0].closingTime",
        ),
        (
            "closing times are required",
            w,
            json!({"openingTime": "09:00", "closingTime": "10:00"}),
            json!({"openingTime": "09:00"}),
            "missing",
            "serviceTimes[0].openingTimes.monday[0].closingTime",
        ),
        (
            "windows may cross midnight but not be empty",
            w,
            json!({"openingTime": "20:00", "closingTime": "02:00"}),
            json!({"openingTime": "20:00", "closingTime": "20:00"}),
            "empty_window",
            f,
        ),
    ];
    assert_eq!(service_violations(&base()), vec![]);
    for (rule, pointer, pass, fail, code, field) in cases {
        let prepared = if pointer == "/serviceTimes/1" {
            // Appending needs a slot to set.
            let mut doc = base();
            if let Some(list) = doc["serviceTimes"].as_array_mut() {
                list.push(Value::Null);
            }
            doc
        } else {
            base()
        };
        assert_eq!(
            service_violations(&edit(prepared.clone(), pointer, &pass)),
            vec![],
            "{rule}"
        );
        let failing = service_violations(&edit(prepared, pointer, &fail));
        let found = failing
            .iter()
            .any(|v| v.code == code && v.field.as_deref() == Some(field));
        assert!(found, "{rule}: expected {code} at {field}, got {failing:?}");
    }
}

#[test]
fn the_service_times_example_is_valid_and_keeps_every_window() {
    let text =
        include_str!("../../../../fixtures/jet-connect/restaurant-servicetimes-request.json");
    let valid = parse_service_times(text.as_bytes()).and_then(|r| validate_service_times(&r));
    let valid = valid.unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(valid.timezone, "Europe/London");
    let delivery = &valid.service_times[&ServiceType::Delivery];
    assert_eq!(delivery.len(), 7);
    assert_eq!(delivery[&Weekday::Monday].len(), 2);
    assert_eq!(valid.service_times[&ServiceType::Collection].len(), 1);
    let late = OpeningHours {
        opens: HhMm::parse("20:00", "t").unwrap_or_else(|v| panic!("{v:?}")),
        closes: HhMm::parse("02:00", "t").unwrap_or_else(|v| panic!("{v:?}")),
    };
    assert!(late.crosses_midnight());
}

#[test]
fn offline_until_is_a_local_time_without_offset() {
    let cases: &[(&str, bool)] = &[
        ("2021-10-13T12:03:00", true),
        ("2021-10-13T12:03:00.250", true),
        ("2021-10-13T12:03:00+01:00", false),
        ("2021-10-13T12:03:00Z", false),
        ("13.10.2021 12:03", false),
        ("2021-02-30T12:03:00", false),
    ];
    for (text, ok) in cases {
        let req = OfflineRequest {
            online_at: Some(text.to_string()),
        };
        let got = validate_offline(&req);
        assert_eq!(got.is_ok(), *ok, "{text}: {got:?}");
        if !ok {
            let field = got
                .err()
                .and_then(|v| v.first().and_then(|v| v.field.clone()));
            assert_eq!(field.as_deref(), Some("onlineAt"));
        }
    }
    assert_eq!(validate_offline(&OfflineRequest::default()), Ok(None));
}
