//! Wire types of the Jupiter site API (seed `004`): `/restaurants`, `/delivery_zones`,
//! `/menu`, `/stop_list`.
//!
//! Field names match the API exactly (it mixes `snake_case` and `camelCase`). Optional
//! fields are `Option` and left out when absent, so a document read and written back is the
//! same JSON. Unknown fields are ignored.
//!
//! Prices (`price`, `sum_min`, `delivery_price`, `sum_for_free`) are roubles that may carry
//! decimals (`500`, `2940.00`); they are held as [`Money`] in kopecks, parsed from the JSON
//! number's text (see [`roubles`]). Other numbers that may be fractional and are only passed
//! through (`vat`, `measure`, nutrients) stay [`serde_json::Number`], so they are never
//! rounded.

use std::fmt;

use crate::domain::{ItemId, Money, RestaurantId, UtcOffset, ZoneId};
use crate::geo::Polygon;
use crate::problem::{Path, Violation, Violations};
use serde::{Deserialize, Serialize};
use serde_json::Number;

/// `GET /restaurants`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestaurantsResponse {
    pub places: Vec<Place>,
}

/// One restaurant (`places[]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Opening time, seconds after local midnight (32400 = 9:00).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<i64>,
    /// Closing time, seconds after local midnight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Whether customers can collect (самовывоз).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_delivery: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ul: Option<LegalEntity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concepts: Option<Vec<Concept>>,
    /// The hub's extension (Jupiter clients ignore unknown fields): the restaurant's IANA
    /// time zone, e.g. `Europe/London`, in which its local times (`start_time`, `lastChange`,
    /// `date_preorder`) are meant. Served from the `restaurants.timezone` column, never
    /// from the stored place. In `PUT /admin/restaurants/{id}`: absent keeps the stored
    /// zone, `""` clears it (the fixed `utc_offset` then applies); checked by the edge
    /// against the runtime's tz database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
}

/// The restaurant's legal entity (`ul`: юридическое лицо).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegalEntity {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kpp: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Concept {
    pub id: String,
    pub name: String,
}

/// The body of `PUT /admin/restaurants/{id}`: a `places[]` entry plus what the hub needs
/// to know that Jupiter does not say. Only [`Place`] is ever served to front-ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminRestaurant {
    #[serde(flatten)]
    pub place: Place,
    /// The restaurant's offset from UTC, e.g. `+03:00` (checked with `UtcOffset::parse`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset: Option<String>,
    /// The `posLocationId` Just Eat sends in JET Connect orders for this restaurant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jet_location_id: Option<String>,
    /// The restaurant id Orderconnect orders carry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orderconnect_restaurant_id: Option<String>,
}

/// `GET /delivery_zones`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryZonesResponse {
    pub restaurant_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concept_id: Option<String>,
    #[serde(rename = "lastChange")]
    pub last_change: String,
    pub zones: Vec<Zone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_zones: Option<Vec<DeletedZone>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Zone {
    pub id: String,
    pub name: String,
    /// Minimum order, roubles.
    #[serde(default, with = "roubles_opt", skip_serializing_if = "Option::is_none")]
    pub sum_min: Option<Money>,
    /// Delivery time from, minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_min: Option<i64>,
    /// Delivery time up to, minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_max: Option<i64>,
    #[serde(default, with = "roubles_opt", skip_serializing_if = "Option::is_none")]
    pub delivery_price: Option<Money>,
    /// Order total from which delivery is free, roubles.
    #[serde(default, with = "roubles_opt", skip_serializing_if = "Option::is_none")]
    pub sum_for_free: Option<Money>,
    #[serde(
        rename = "lastChange",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_change: Option<String>,
    /// Polygon vertices as `[longitude, latitude]` decimal strings; validate with
    /// `geo::Polygon::from_jupiter`.
    pub coordinates: Vec<[String; 2]>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeletedZone {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "lastChange")]
    pub last_change: String,
}

/// `GET /menu`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MenuResponse {
    pub restaurant_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concept_id: Option<String>,
    pub menu: Menu,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Menu {
    #[serde(rename = "lastChange")]
    pub last_change: String,
    pub categories: Vec<Category>,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub id: String,
    pub name: String,
    #[serde(rename = "sortOrder", default, skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<Vec<Image>>,
}

/// An image: categories carry `updatedAt`, items carry `hash` (SHA-1 of the file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Image {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    #[serde(rename = "updatedAt", default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    #[serde(rename = "categoryId")]
    pub category_id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(with = "roubles")]
    pub price: Money,
    /// VAT included in the price, percent; absent means 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat: Option<Number>,
    /// Weight or volume, in `measureUnit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<Number>,
    /// `г` (grams) or `мл` (millilitres).
    #[serde(
        rename = "measureUnit",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub measure_unit: Option<String>,
    #[serde(rename = "sortOrder", default, skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<i64>,
    /// Per 100 g.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nutrients: Option<Vec<Nutrients>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modifiers: Option<Vec<ModifierGroup>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<Vec<Image>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nutrients {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calories: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proteins: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fat: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carbohydrates: Option<Number>,
    /// Unused by Jupiter, always `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_deactivated: Option<bool>,
}

/// A group of modifiers on an item, with how many may be chosen in total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModifierGroup {
    pub id: String,
    pub name: String,
    #[serde(rename = "minSelectedModifiers")]
    pub min_selected_modifiers: u32,
    #[serde(rename = "maxSelectedModifiers")]
    pub max_selected_modifiers: u32,
    #[serde(rename = "sortOrder", default, skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<i64>,
    /// An extension (Jupiter clients ignore unknown fields): the group applies only when
    /// the modifier `parentModifierId` of the group `parentGroupId` on the same item is
    /// chosen, and its min/max count then. Written for a JET Connect group nested under an
    /// option (a meal deal's drink size), so that an "exactly 1" stays required without
    /// being required of customers who did not choose that option.
    #[serde(
        rename = "parentGroupId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub parent_group_id: Option<String>,
    #[serde(
        rename = "parentModifierId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub parent_modifier_id: Option<String>,
    pub modifiers: Vec<Modifier>,
}

/// One modifier (an item that can be added), with how many of it one dish may take.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Modifier {
    pub id: String,
    pub name: String,
    #[serde(with = "roubles")]
    pub price: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat: Option<Number>,
    #[serde(rename = "minAmount")]
    pub min_amount: u32,
    #[serde(rename = "maxAmount")]
    pub max_amount: u32,
    #[serde(rename = "sortOrder", default, skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    pub name: String,
}

/// `GET /stop_list`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopListResponse {
    pub stop_lists: Vec<StopList>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopList {
    pub restaurant_id: String,
    #[serde(rename = "lastChange")]
    pub last_change: String,
    pub items: Vec<StopListItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopListItem {
    pub id: String,
}

/// Checks a zones document written through the admin API (`PUT /admin/delivery_zones`):
/// the restaurant and zone ids, zone ids unique across `zones` and `deleted_zones`, RFC 3339
/// `lastChange` values and every polygon (see [`Polygon::from_jupiter`]). Returns the polygons in zone order, or every
/// violation with its path (`zones[1].coordinates[3][0]`).
pub fn validate_delivery_zones(
    doc: &DeliveryZonesResponse,
) -> Result<Vec<Polygon>, Vec<Violation>> {
    let mut out = Violations::new();
    out.take(RestaurantId::parse(&doc.restaurant_id, "restaurant_id"));
    rfc3339(&mut out, &doc.last_change, "lastChange");
    let mut seen: Vec<&str> = Vec::new();
    let mut polygons = Vec::new();
    let zones = Path::root("zones");
    for (i, zone) in doc.zones.iter().enumerate() {
        let path = zones.index(i);
        out.take_at(ZoneId::parse(&zone.id, ""), path.field("id"));
        if seen.contains(&zone.id.trim()) {
            out.push(
                "duplicate",
                path.field("id"),
                format!("zone {} is listed twice", zone.id),
            );
        }
        seen.push(zone.id.trim());
        if let Some(last) = &zone.last_change {
            rfc3339(&mut out, last, path.field("lastChange"));
        }
        // Told no field, the polygon's violations are relative to its `coordinates`.
        match Polygon::from_jupiter(&zone.coordinates, "") {
            Ok(p) => polygons.push(p),
            Err(v) => out.extend_at(v, path.field("coordinates")),
        }
    }
    let deleted = Path::root("deleted_zones");
    for (i, zone) in doc.deleted_zones.iter().flatten().enumerate() {
        let path = deleted.index(i);
        out.take_at(ZoneId::parse(&zone.id, ""), path.field("id"));
        if seen.contains(&zone.id.trim()) {
            out.push(
                "duplicate",
                path.field("id"),
                format!("zone {} is listed twice", zone.id),
            );
        }
        seen.push(zone.id.trim());
        rfc3339(&mut out, &zone.last_change, path.field("lastChange"));
    }
    out.into_result(polygons)
}

/// Checks a menu document written through the admin API (`PUT /admin/menu`): the
/// restaurant id, RFC 3339 dates, category and item ids present and unique, every item in
/// a listed category, modifier ids present, and min ≤ max for selections and amounts.
pub fn validate_admin_menu(doc: &MenuResponse) -> Result<(), Vec<Violation>> {
    let mut out = Violations::new();
    out.take(RestaurantId::parse(&doc.restaurant_id, "restaurant_id"));
    let menu = &doc.menu;
    rfc3339(&mut out, &menu.last_change, "menu.lastChange");
    let mut categories: Vec<&str> = Vec::new();
    let category_paths = Path::root("menu.categories");
    for (i, category) in menu.categories.iter().enumerate() {
        let path = category_paths.index(i);
        out.take_at(ItemId::parse(&category.id, ""), path.field("id"));
        if categories.contains(&category.id.as_str()) {
            duplicate(&mut out, path.field("id"), "category", &category.id);
        }
        categories.push(&category.id);
        images(&mut out, category.images.as_deref(), path);
    }
    let mut items: Vec<&str> = Vec::new();
    let item_paths = Path::root("menu.items");
    for (i, item) in menu.items.iter().enumerate() {
        let path = item_paths.index(i);
        out.take_at(ItemId::parse(&item.id, ""), path.field("id"));
        if items.contains(&item.id.as_str()) {
            duplicate(&mut out, path.field("id"), "item", &item.id);
        }
        items.push(&item.id);
        if !categories.contains(&item.category_id.as_str()) {
            out.push(
                "unknown_category",
                path.field("categoryId"),
                format!("no category has the id {:?}", item.category_id),
            );
        }
        images(&mut out, item.images.as_deref(), path);
        let groups = path.field("modifiers");
        for (g, group) in item.modifiers.iter().flatten().enumerate() {
            let gpath = groups.index(g);
            out.take_at(ItemId::parse(&group.id, ""), gpath.field("id"));
            at_most(
                &mut out,
                group.min_selected_modifiers,
                group.max_selected_modifiers,
                gpath.field("minSelectedModifiers"),
                "maxSelectedModifiers",
            );
            let modifiers = gpath.field("modifiers");
            for (m, modifier) in group.modifiers.iter().enumerate() {
                let mpath = modifiers.index(m);
                out.take_at(ItemId::parse(&modifier.id, ""), mpath.field("id"));
                at_most(
                    &mut out,
                    modifier.min_amount,
                    modifier.max_amount,
                    mpath.field("minAmount"),
                    "maxAmount",
                );
            }
        }
    }
    out.into_result(())
}

/// Checks a stop-list document written through the admin API (`PUT /admin/stop_list`):
/// restaurant ids present and not repeated, RFC 3339 `lastChange`, item ids present.
pub fn validate_stop_lists(doc: &StopListResponse) -> Result<(), Vec<Violation>> {
    let mut out = Violations::new();
    let mut restaurants: Vec<&str> = Vec::new();
    let lists = Path::root("stop_lists");
    for (i, list) in doc.stop_lists.iter().enumerate() {
        let path = lists.index(i);
        let id = path.field("restaurant_id");
        out.take_at(RestaurantId::parse(&list.restaurant_id, ""), id);
        if restaurants.contains(&list.restaurant_id.trim()) {
            duplicate(&mut out, id, "restaurant", &list.restaurant_id);
        }
        restaurants.push(list.restaurant_id.trim());
        rfc3339(&mut out, &list.last_change, path.field("lastChange"));
        let items = path.field("items");
        for (j, item) in list.items.iter().enumerate() {
            out.take_at(ItemId::parse(&item.id, ""), items.index(j).field("id"));
        }
    }
    out.into_result(())
}

fn duplicate(out: &mut Violations, field: Path<'_>, what: &str, id: &str) {
    out.push("duplicate", field, format!("{what} {id:?} is listed twice"));
}

fn at_most(out: &mut Violations, min: u32, max: u32, field: Path<'_>, max_name: &str) {
    if min > max {
        out.push(
            "invalid_range",
            field,
            format!("{min} is more than {max_name} {max}"),
        );
    }
}

fn images(out: &mut Violations, images: Option<&[Image]>, path: Path<'_>) {
    if let Some(i) = images
        .into_iter()
        .flatten()
        .position(|image| image.url.trim().is_empty())
    {
        out.push(
            "empty",
            path.field("images").index(i).field("url"),
            "must not be empty",
        );
    }
}

/// Checks the hub's own fields of an admin restaurant: the id and the `utc_offset`.
pub fn validate_admin_restaurant(
    doc: &AdminRestaurant,
) -> Result<Option<UtcOffset>, Vec<Violation>> {
    let mut out = Violations::new();
    out.take(RestaurantId::parse(&doc.place.id, "id"));
    let offset = match doc.utc_offset.as_deref() {
        None => None,
        Some(o) => out.take(UtcOffset::parse(o, "utc_offset")),
    };
    out.into_result(offset)
}

fn rfc3339(out: &mut Violations, text: &str, field: impl fmt::Display) {
    if chrono::DateTime::parse_from_rfc3339(text).is_err() {
        out.push(
            "invalid_datetime",
            field,
            format!("must be an RFC 3339 date-time with offset, got {text:?}"),
        );
    }
}

/// Serde for a Jupiter rouble amount held as [`Money`].
///
/// Reading goes through [`serde_json::Number`] and parses its text with
/// [`Money::parse_decimal`] (at most 2 decimals, no sign, no exponent). Without serde_json's
/// `arbitrary_precision` a fractional number is an `f64` by then, so `2940.00` arrives as
/// the text `2940.0` and `1e2` as `100.0`: both are read exactly, but an exponent written
/// in the input for a small number cannot be told apart and is accepted.
///
/// Writing prints whole roubles as integers (`500`), so documents round-trip. Other amounts
/// are written as the JSON number of their exact decimal text (`12.5`): the text is turned
/// into an `f64` only as the carrier serde_json prints, and amounts stay below 2^53 minor
/// units, so the shortest printing of that `f64` is the same decimal.
pub mod roubles {
    use crate::domain::Money;
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};
    use serde_json::Number;

    pub fn serialize<S: Serializer>(money: &Money, s: S) -> Result<S::Ok, S::Error> {
        match money.split() {
            (whole, 0) => s.serialize_i64(whole),
            _ => {
                let carrier: f64 = money
                    .to_decimal_string()
                    .parse()
                    .map_err(serde::ser::Error::custom)?;
                s.serialize_f64(carrier)
            }
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        let number = Number::deserialize(d)?;
        Money::parse_decimal(&number.to_string(), "amount").map_err(|v| D::Error::custom(v.message))
    }
}

/// [`roubles`] for optional amounts.
pub mod roubles_opt {
    use crate::domain::Money;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(money: &Option<Money>, s: S) -> Result<S::Ok, S::Error> {
        match money {
            Some(m) => super::roubles::serialize(m, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Money>, D::Error> {
        #[derive(Deserialize)]
        struct Wrap(#[serde(with = "super::roubles")] Money);
        Ok(Option::<Wrap>::deserialize(d)?.map(|Wrap(m)| m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::DeserializeOwned;
    use serde_json::{json, Value};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn round_trip<T: DeserializeOwned + Serialize>(name: &str, text: &str) {
        let original: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let typed: T = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let back = serde_json::to_value(&typed).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(back, original, "{name}");
    }

    #[test]
    fn every_seed_and_demo_catalog_document_round_trips_unchanged() {
        round_trip::<RestaurantsResponse>(
            "seed restaurants",
            include_str!("../../fixtures/jupiter/seed-restaurants.json"),
        );
        round_trip::<DeliveryZonesResponse>(
            "seed zones",
            include_str!("../../fixtures/jupiter/seed-delivery_zones.json"),
        );
        round_trip::<MenuResponse>(
            "seed menu",
            include_str!("../../fixtures/jupiter/seed-menu.json"),
        );
        round_trip::<StopListResponse>(
            "seed stop list",
            include_str!("../../fixtures/jupiter/seed-stop_list.json"),
        );
        round_trip::<AdminRestaurant>(
            "demo restaurant",
            include_str!("../../fixtures/demo/restaurant-000127.json"),
        );
        round_trip::<DeliveryZonesResponse>(
            "demo zones",
            include_str!("../../fixtures/demo/delivery_zones-000127-7.json"),
        );
        round_trip::<MenuResponse>(
            "demo menu",
            include_str!("../../fixtures/demo/menu-000127-7.json"),
        );
        round_trip::<StopListResponse>(
            "demo stop list",
            include_str!("../../fixtures/demo/stop_list.json"),
        );
    }

    #[test]
    fn rouble_prices_are_held_as_exact_kopecks_and_written_back() {
        let cases = [
            (json!(500), 50_000, json!(500)),
            (json!(2940.00), 294_000, json!(2940)),
            (json!(12.5), 1_250, json!(12.5)),
            (json!(0.1), 10, json!(0.1)),
            (json!(99.99), 9_999, json!(99.99)),
        ];
        for (input, kopecks, output) in cases {
            let modifier: Result<Modifier, _> = serde_json::from_value(json!({
                "id": "1", "name": "n", "price": input, "minAmount": 0, "maxAmount": 1
            }));
            let modifier = modifier.unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(modifier.price.minor(), kopecks, "{input}");
            let back = serde_json::to_value(&modifier).unwrap_or_default();
            assert_eq!(back["price"], output, "{input}");
        }
    }

    #[test]
    fn rouble_prices_with_sub_kopeck_precision_or_a_sign_are_refused() {
        for input in [json!(12.345), json!(-1), json!("500"), json!(1e300)] {
            let modifier: Result<Modifier, _> = serde_json::from_value(json!({
                "id": "1", "name": "n", "price": input, "minAmount": 0, "maxAmount": 1
            }));
            assert!(modifier.is_err(), "{input}");
        }
    }

    #[test]
    fn admin_zone_documents_are_checked_zone_by_zone() {
        let seed: DeliveryZonesResponse = serde_json::from_str(include_str!(
            "../../fixtures/jupiter/seed-delivery_zones.json"
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(validate_delivery_zones(&seed).map(|p| p.len()), Ok(1));
        let mut bad = seed.clone();
        bad.last_change = "21.05.2024".into();
        let mut second = bad.zones[0].clone();
        second.coordinates[1][0] = "x".into();
        let mut bow_tie = bad.zones[0].clone();
        bow_tie.id = "2".into();
        bow_tie.coordinates = vec![
            ["0".into(), "0".into()],
            ["1".into(), "1".into()],
            ["1".into(), "0".into()],
            ["0".into(), "1".into()],
        ];
        bad.zones.push(second);
        bad.zones.push(bow_tie);
        let got: Vec<(String, String)> = validate_delivery_zones(&bad)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|v| (v.code, v.field.unwrap_or_default()))
            .collect();
        let want = [
            ("invalid_datetime", "lastChange"),
            ("duplicate", "zones[1].id"),
            ("invalid_coordinate", "zones[1].coordinates[1][0]"),
            ("self_intersecting", "zones[2].coordinates"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(c, f)| (c.to_string(), f.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn deleted_zones_are_checked_and_may_not_repeat_a_live_zone() {
        let mut doc: DeliveryZonesResponse = serde_json::from_str(include_str!(
            "../../fixtures/jupiter/seed-delivery_zones.json"
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        let mut deleted = doc.deleted_zones.clone().unwrap_or_default();
        deleted.push(DeletedZone {
            id: "028270".into(),
            name: None,
            last_change: "yesterday".into(),
        });
        deleted.push(DeletedZone {
            id: " ".into(),
            name: None,
            last_change: "2023-04-19T20:00:00.000+03:00".into(),
        });
        doc.deleted_zones = Some(deleted);
        let got: Vec<(String, String)> = validate_delivery_zones(&doc)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|v| (v.code, v.field.unwrap_or_default()))
            .collect();
        let want: Vec<(String, String)> = [
            ("duplicate", "deleted_zones[1].id"),
            ("invalid_datetime", "deleted_zones[1].lastChange"),
            ("missing", "deleted_zones[2].id"),
        ]
        .iter()
        .map(|(c, f)| (c.to_string(), f.to_string()))
        .collect();
        assert_eq!(got, want);
    }

    fn codes(violations: Result<(), Vec<Violation>>) -> Vec<(String, String)> {
        violations
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|v| (v.code, v.field.unwrap_or_default()))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(c, f)| (c.to_string(), f.to_string()))
            .collect()
    }

    #[test]
    fn admin_menus_are_checked_with_every_violation() {
        let seed: MenuResponse =
            serde_json::from_str(include_str!("../../fixtures/jupiter/seed-menu.json"))
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(validate_admin_menu(&seed), Ok(()));
        let demo: MenuResponse =
            serde_json::from_str(include_str!("../../fixtures/demo/menu-000127-7.json"))
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(validate_admin_menu(&demo), Ok(()));
        let mut bad = seed.clone();
        bad.restaurant_id = "".into();
        bad.menu.last_change = "21.05.2024".into();
        bad.menu.categories.push(bad.menu.categories[0].clone());
        let mut second = bad.menu.items[0].clone();
        second.category_id = "nope".into();
        if let Some(groups) = second.modifiers.as_mut() {
            groups[0].min_selected_modifiers = 4;
            groups[0].modifiers[1].id = "".into();
            groups[0].modifiers[1].min_amount = 9;
        }
        second.images = Some(vec![Image {
            url: " ".into(),
            hash: None,
            updated_at: None,
        }]);
        bad.menu.items.push(second);
        assert_eq!(
            codes(validate_admin_menu(&bad)),
            pairs(&[
                ("missing", "restaurant_id"),
                ("invalid_datetime", "menu.lastChange"),
                ("duplicate", "menu.categories[1].id"),
                ("duplicate", "menu.items[1].id"),
                ("unknown_category", "menu.items[1].categoryId"),
                ("empty", "menu.items[1].images[0].url"),
                (
                    "invalid_range",
                    "menu.items[1].modifiers[0].minSelectedModifiers"
                ),
                ("missing", "menu.items[1].modifiers[0].modifiers[1].id"),
                (
                    "invalid_range",
                    "menu.items[1].modifiers[0].modifiers[1].minAmount"
                ),
            ])
        );
    }

    #[test]
    fn admin_stop_lists_are_checked_with_every_violation() {
        let seed: StopListResponse =
            serde_json::from_str(include_str!("../../fixtures/jupiter/seed-stop_list.json"))
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(validate_stop_lists(&seed), Ok(()));
        let mut bad = seed.clone();
        bad.stop_lists.push(bad.stop_lists[0].clone());
        bad.stop_lists[1].last_change = "now".into();
        bad.stop_lists[1].items.push(StopListItem { id: "".into() });
        assert_eq!(
            codes(validate_stop_lists(&bad)),
            pairs(&[
                ("duplicate", "stop_lists[1].restaurant_id"),
                ("invalid_datetime", "stop_lists[1].lastChange"),
                ("missing", "stop_lists[1].items[1].id"),
            ])
        );
    }

    #[test]
    fn admin_restaurants_carry_a_valid_utc_offset() {
        let demo: AdminRestaurant =
            serde_json::from_str(include_str!("../../fixtures/demo/restaurant-000127.json"))
                .unwrap_or_else(|e| panic!("{e}"));
        let offset = validate_admin_restaurant(&demo).map(|o| o.map(|o| o.seconds()));
        assert_eq!(offset, Ok(Some(10_800)));
        let mut bad = demo;
        bad.utc_offset = Some("MSK".into());
        bad.place.id = " ".into();
        let codes: Vec<String> = validate_admin_restaurant(&bad)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|v| v.code)
            .collect();
        assert_eq!(codes, ["missing", "invalid_utc_offset"]);
    }
}
