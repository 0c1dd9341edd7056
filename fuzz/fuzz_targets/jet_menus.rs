//! `POST /jet-connect/menus`: a JET Connect menus body, parsed, validated, and each valid
//! menu converted to the Jupiter menu the site API serves.
//!
//! Contract: no panic; a refusal names its violations; a valid request has restaurants, a
//! callback URL of the shape validation promises, and menus whose Jupiter form (the stored
//! JSON, from the borrowing view) is byte for byte the owned conversion's, parses back, and
//! is a menu the admin API's own rules accept (unique category and item ids, every item
//! in a listed category, min ≤ max).
#![no_main]

use libfuzzer_sys::fuzz_target;
use orderbridge_core::jet::wire::parse_menus;
use orderbridge_core::jet::validate::{is_absolute_http_url, validate_menus};
use orderbridge_core::jet::to_jupiter::{
    jupiter_menu, menu_response, menus_by_concept, out_of_stock_plus,
};
use orderbridge_core::jupiter::{validate_admin_menu, Menu};
use orderbridge_fuzz::refused;

const NOW: &str = "2024-04-08T15:00:00+03:00";

fuzz_target!(|data: &[u8]| {
    let request = match parse_menus(data) {
        Ok(request) => request,
        Err(found) => return refused("parse", &found),
    };
    let valid = match validate_menus(request) {
        Ok(valid) => valid,
        Err(found) => return refused("validate", &found),
    };
    assert!(!valid.restaurants().is_empty(), "valid without restaurants");
    assert!(
        is_absolute_http_url(valid.callback_url()),
        "valid with callback_url {:?}",
        valid.callback_url()
    );
    assert!(!valid.menus().is_empty(), "valid without menus");
    for (concept, _, menu) in menus_by_concept(valid.menus()) {
        let stored = serde_json::to_string(&jupiter_menu(menu, NOW))
            .unwrap_or_else(|e| panic!("menu for {concept:?} does not serialise: {e}"));
        let response = menu_response("000127", menu, NOW);
        let owned = serde_json::to_string(&response.menu)
            .unwrap_or_else(|e| panic!("owned menu does not serialise: {e}"));
        assert_eq!(stored, owned, "the view and the owned menu differ");
        let back: Menu = serde_json::from_str(&stored)
            .unwrap_or_else(|e| panic!("the stored menu does not parse back: {e}\n{stored}"));
        assert_eq!(
            back, response.menu,
            "the stored menu reads back differently"
        );
        if let Err(found) = validate_admin_menu(&response) {
            panic!("a converted menu breaks Jupiter's menu rules: {found:?}\n{stored}");
        }
        for plu in out_of_stock_plus(menu) {
            assert!(!plu.is_empty(), "an empty PLU on the stop list");
        }
    }
});
