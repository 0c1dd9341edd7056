//! Wire types of the JET Connect partner API calls that manage the catalog
//! (`shared/reference/jet-connect/FACTS.md` §2, §4, §7) and of the menu ingestion callback.
//!
//! Inbound bodies are parsed in two steps, so that a caller learns about every problem at
//! once:
//!
//! 1. `parse_*` turns bytes into these typed structs. Every field a caller could leave out
//!    is an `Option`, so only malformed JSON or a value of the wrong JSON type fails here
//!    (one violation, with serde_json's line and column). Unknown fields are ignored, for
//!    forward compatibility.
//! 2. [`validate`] walks the tree and reports every rule that is broken, each with its JSON
//!    path (`menus[0].categories[2].items[5].plu`).
//!
//! Typed structs rather than `serde_json::Value`: a 5,000-item menu parses about twice as
//! fast this way, and the wire tree is what [`validate::ValidMenu`] wraps afterwards.

use crate::problem::Violation;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Number;
use std::collections::BTreeMap;

pub mod validate;

/// Translations keyed by BCP 47 language tag.
pub type Translations = BTreeMap<String, Translation>;

/// `POST /menus` (FACTS §2.1).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct MenusRequest {
    pub restaurants: Option<Vec<String>>,
    pub menus: Option<Vec<Menu>>,
    pub callback_url: Option<String>,
}

/// A baseline menu (FACTS §2.2).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Menu {
    pub name: Option<String>,
    /// The POS id of the menu; the hub uses it as the Jupiter concept id (`""` = default).
    pub reference: Option<String>,
    /// `COLLECTION` or `DELIVERY`.
    #[serde(rename = "type")]
    pub menu_type: Option<String>,
    pub categories: Option<Vec<Category>>,
    pub default_language: Option<String>,
    pub translations: Option<Translations>,
    /// Day name (`monday` … `sunday`) → windows `"hh:mm - hh:mm"` (FACTS §2.3).
    pub availability: Option<BTreeMap<String, Vec<String>>>,
}

/// A translated name and, where the parent has one, description.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Translation {
    pub name: Option<String>,
    pub description: Option<String>,
}

/// FACTS §2.4. Items are nested in their category; the schema has no item references.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Category {
    pub name: Option<String>,
    pub description: Option<String>,
    pub items: Option<Vec<Item>>,
    pub translations: Option<Translations>,
    pub gallery: Option<Vec<Image>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Image {
    pub url: Option<String>,
}

/// FACTS §2.5: an item, and also a modifier option (so the tree is recursive).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Item {
    pub name: Option<String>,
    /// The POS id; may be `""` when a `swap` supplies the PLUs.
    pub plu: Option<String>,
    pub description: Option<String>,
    /// Minor units (1550 = 15.50).
    pub price: Option<i64>,
    pub reference: Option<String>,
    pub out_of_stock: Option<bool>,
    pub translations: Option<Translations>,
    pub modifiers: Option<Vec<Modifier>>,
    pub portions: Option<Vec<Portion>>,
    pub includes: Option<Vec<Include>>,
    pub ingredients: Option<Vec<Ingredient>>,
    /// `NO_TAX`, `ALCOHOL` or `SUGARED_DRINK`.
    pub tax_category: Option<String>,
    pub swap: Option<Swap>,
    pub gallery: Option<Vec<Image>>,
    pub is_alcoholic: Option<bool>,
    /// `UNKNOWN`, `MILD`, `MEDIUM`, `HOT` or `VERY_HOT`.
    pub spiciness: Option<String>,
    /// Each `NONE`, `VEGETARIAN` or `VEGAN`.
    pub dietary_restrictions: Option<Vec<String>>,
    /// Each one of [`validate::ALLERGENS`].
    pub allergens: Option<Vec<String>>,
    pub additives: Option<Vec<String>>,
    pub nutritional_info: Option<NutritionalInfo>,
    pub nutritional_info_range: Option<NutritionalInfoRange>,
    pub servings: Option<i64>,
    pub servings_range: Option<Range>,
    pub tax_percentage: Option<Number>,
    pub caffeine: Option<Caffeine>,
    pub alcohol_percentage: Option<Number>,
    pub volume: Option<Volume>,
    pub weight: Option<Weight>,
    pub deposit: Option<Deposit>,
    pub manufacturer: Option<Manufacturer>,
    pub storage: Option<Storage>,
    pub gtin: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct NutritionalInfo {
    pub kcal: Option<i64>,
    pub kj: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct NutritionalInfoRange {
    pub kcal_range: Option<Range>,
    pub kj_range: Option<Range>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Range {
    pub min: Option<i64>,
    pub max: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Caffeine {
    pub unit_name: Option<String>,
    pub value: Option<Number>,
}

/// A weight or a volume: JET Connect gives both the same three fields.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Measure {
    pub unit_name: Option<String>,
    pub gross_value: Option<Number>,
    pub net_value: Option<Number>,
}

pub type Volume = Measure;
pub type Weight = Measure;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Deposit {
    /// `single_use`, `multiple_use` or `not_specified`.
    #[serde(rename = "type")]
    pub deposit_type: Option<String>,
    pub amount: Option<i64>,
    pub included_in_total_price: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Manufacturer {
    pub name: Option<String>,
    pub brand: Option<String>,
    pub country_of_origin: Option<String>,
    pub additional_details: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Storage {
    #[serde(rename = "type")]
    pub storage_type: Option<String>,
    pub additional_details: Option<String>,
}

/// FACTS §2.6: an option group.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Modifier {
    pub name: Option<String>,
    pub description: Option<String>,
    pub pick: Option<Pick>,
    /// The choices; `null` and `[]` occur in the spec's own examples.
    pub options: Option<Vec<Item>>,
    pub translations: Option<Translations>,
}

/// How many options may be chosen: `exactly` N, a `range`, or neither (no limit).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Pick {
    pub pick_same_option: Option<bool>,
    pub exactly: Option<i64>,
    pub range: Option<PickRange>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct PickRange {
    pub from: Option<i64>,
    pub to: Option<i64>,
}

/// FACTS §2.7: a size variant with its own PLU, price and modifiers.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Portion {
    pub name: Option<String>,
    pub description: Option<String>,
    pub plu: Option<String>,
    pub price: Option<i64>,
    pub modifiers: Option<Vec<Modifier>>,
    pub out_of_stock: Option<bool>,
    pub reference: Option<String>,
    pub nutritional_info: Option<NutritionalInfo>,
    pub nutritional_info_range: Option<NutritionalInfoRange>,
    pub servings: Option<i64>,
    pub servings_range: Option<Range>,
    pub tax_percentage: Option<Number>,
    pub caffeine: Option<Caffeine>,
    pub alcohol_percentage: Option<Number>,
    pub volume: Option<Volume>,
    pub weight: Option<Weight>,
    pub deposit: Option<Deposit>,
    pub manufacturer: Option<Manufacturer>,
    pub storage: Option<Storage>,
    pub gtin: Option<String>,
}

/// FACTS §2.7: an item that comes with the main item.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Include {
    pub name: Option<String>,
    pub description: Option<String>,
    pub plu: Option<String>,
    pub modifiers: Option<Vec<Modifier>>,
    pub out_of_stock: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Ingredient {
    pub name: Option<String>,
    pub translations: Option<Translations>,
}

/// One item offered under several PLUs; the chosen option's PLU replaces the item's.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Swap {
    pub name: Option<String>,
    pub options: Option<Vec<SwapOption>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct SwapOption {
    pub name: Option<String>,
    pub plu: Option<String>,
    pub price: Option<i64>,
    pub reference: Option<String>,
    pub translations: Option<Translations>,
    pub out_of_stock: Option<bool>,
    pub tax_category: Option<String>,
}

/// `POST /item-availability` (FACTS §4).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ItemAvailabilityRequest {
    /// `AVAILABLE` or `UNAVAILABLE`.
    pub event: Option<String>,
    #[serde(rename = "itemReferences")]
    pub item_references: Option<Vec<String>>,
    pub restaurant: Option<String>,
    #[serde(rename = "happenedAt")]
    pub happened_at: Option<String>,
    #[serde(rename = "nextAvailableAt")]
    pub next_available_at: Option<String>,
}

/// `PUT /restaurants/{restaurantReference}/offline` (FACTS §7.1); the body is optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct OfflineRequest {
    /// Local restaurant time without an offset, e.g. `2021-10-13T12:03:00`.
    #[serde(rename = "onlineAt")]
    pub online_at: Option<String>,
}

/// `PUT /restaurants/{restaurantReference}/servicetimes` (FACTS §7.3).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ServiceTimesRequest {
    /// IANA zone name, e.g. `Europe/London`.
    pub timezone: Option<String>,
    #[serde(rename = "serviceTimes")]
    pub service_times: Option<Vec<ServiceTime>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ServiceTime {
    /// `Delivery` or `Collection`.
    #[serde(rename = "serviceType")]
    pub service_type: Option<String>,
    /// Day name → opening windows; a missing day is closed.
    #[serde(rename = "openingTimes")]
    pub opening_times: Option<BTreeMap<String, Vec<OpeningWindow>>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct OpeningWindow {
    #[serde(rename = "openingTime")]
    pub opening_time: Option<String>,
    #[serde(rename = "closingTime")]
    pub closing_time: Option<String>,
}

/// The per-restaurant result POSTed to a menu request's `callback_url` (FACTS §2.9).
/// `ingestion_succeeded` is the source of truth, even if `error` is present.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MenuCallback {
    pub restaurant: String,
    pub ingestion_succeeded: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<CallbackError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbackError {
    /// `ERROR_UNKNOWN`, `CONNECTION_FAILED`, `INVALID_FORMAT` or `INVALID_CONFIGURATION`.
    pub code: String,
    pub message: String,
}

impl MenuCallback {
    pub fn succeeded(restaurant: &str) -> MenuCallback {
        MenuCallback {
            restaurant: restaurant.to_owned(),
            ingestion_succeeded: true,
            error: None,
        }
    }

    /// A failure; `code` should be one of the four codes of [`CallbackError::code`].
    pub fn failed(restaurant: &str, code: &str, message: &str) -> MenuCallback {
        MenuCallback {
            restaurant: restaurant.to_owned(),
            ingestion_succeeded: false,
            error: Some(CallbackError {
                code: code.to_owned(),
                message: message.to_owned(),
            }),
        }
    }
}

/// Parses a `POST /menus` body. Malformed JSON or a wrong JSON type gives one violation
/// whose message carries serde_json's line and column; everything else is left to
/// [`validate::validate_menus`].
pub fn parse_menus(bytes: &[u8]) -> Result<MenusRequest, Vec<Violation>> {
    parse_body(bytes)
}

pub fn parse_item_availability(bytes: &[u8]) -> Result<ItemAvailabilityRequest, Vec<Violation>> {
    parse_body(bytes)
}

pub fn parse_service_times(bytes: &[u8]) -> Result<ServiceTimesRequest, Vec<Violation>> {
    parse_body(bytes)
}

/// The offline body is optional: an empty (or blank) body means "offline until `/online`".
pub fn parse_offline(bytes: &[u8]) -> Result<OfflineRequest, Vec<Violation>> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(OfflineRequest::default());
    }
    parse_body(bytes)
}

/// Parses a JSON body into `T`, turning a serde_json error into one [`Violation`]:
/// `malformed_json` for syntax errors and truncated bodies, `invalid_type` for a value of
/// the wrong type or shape (a string where a number belongs, an object that is an array).
pub fn parse_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Vec<Violation>> {
    serde_json::from_slice(bytes).map_err(|e| {
        let code = match e.classify() {
            serde_json::error::Category::Data => "invalid_type",
            _ => "malformed_json",
        };
        vec![Violation::new(code, None, e.to_string())]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn every_jet_connect_catalog_example_parses() {
        let menus = [
            include_str!("../../fixtures/jet-connect/menus-request-basic.json"),
            include_str!("../../fixtures/jet-connect/menus-request-pick-options.json"),
            include_str!("../../fixtures/jet-connect/menus-request-with-modifiers.json"),
        ];
        for text in menus {
            assert!(parse_menus(text.as_bytes()).is_ok(), "{text}");
        }
        for text in [
            include_str!("../../fixtures/jet-connect/item-availability-request-available.json"),
            include_str!("../../fixtures/jet-connect/item-availability-request-unavailable.json"),
        ] {
            assert!(parse_item_availability(text.as_bytes()).is_ok(), "{text}");
        }
        let times = include_str!("../../fixtures/jet-connect/restaurant-servicetimes-request.json");
        assert!(parse_service_times(times.as_bytes()).is_ok());
        let offline =
            include_str!("../../fixtures/jet-connect/assembled-restaurant-offline-request.json");
        assert_eq!(
            parse_offline(offline.as_bytes()).map(|o| o.online_at),
            Ok(Some("2021-10-13T12:03:00".to_owned()))
        );
    }

    #[test]
    fn malformed_bodies_and_wrong_types_are_one_violation_with_a_position() {
        let cases: &[(&str, &str)] = &[
            ("{", "malformed_json"),
            ("", "malformed_json"),
            ("{\"menus\": [}", "malformed_json"),
            ("[]", "invalid_type"),
            ("{\"restaurants\": \"11232\"}", "invalid_type"),
            (
                "{\"menus\": [{\"categories\": [{\"items\": [{\"price\": \"15\"}]}]}]}",
                "invalid_type",
            ),
            (
                "{\"menus\": [{\"categories\": [{\"items\": [{\"price\": 15.5}]}]}]}",
                "invalid_type",
            ),
        ];
        for (body, code) in cases {
            let got = parse_menus(body.as_bytes()).err().unwrap_or_default();
            assert_eq!(got.len(), 1, "{body}");
            assert_eq!(got[0].code, *code, "{body}");
            assert!(
                got[0].message.contains("line 1 column"),
                "{}",
                got[0].message
            );
        }
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let body = br#"{"restaurants": ["1"], "future": {"x": 1},
            "menus": [{"name": "m", "reference": "", "type": "DELIVERY", "categories": [], "new": true}],
            "callback_url": "https://example.com/cb"}"#;
        assert!(parse_menus(body).is_ok());
    }

    #[test]
    fn an_empty_offline_body_means_offline_until_further_notice() {
        for body in [&b""[..], b"  \n", b"{}"] {
            assert_eq!(parse_offline(body), Ok(OfflineRequest::default()));
        }
    }

    #[test]
    fn the_callback_example_reads_and_our_callbacks_write_the_documented_shape() {
        let example = include_str!("../../fixtures/jet-connect/menus-callback-request.json");
        let parsed: Result<MenuCallback, _> = serde_json::from_str(example);
        assert_eq!(parsed.map(|c| c.ingestion_succeeded).ok(), Some(true));
        assert_eq!(
            serde_json::to_value(MenuCallback::succeeded("11232")).ok(),
            Some(serde_json::json!({"restaurant": "11232", "ingestion_succeeded": true}))
        );
        assert_eq!(
            serde_json::to_value(MenuCallback::failed("1", "INVALID_FORMAT", "bad")).ok(),
            Some(
                serde_json::json!({"restaurant": "1", "ingestion_succeeded": false,
                "error": {"code": "INVALID_FORMAT", "message": "bad"}})
            )
        );
    }
}
