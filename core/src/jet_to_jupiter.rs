//! Conversion of an ingested JET Connect menu into the Jupiter `/menu` shape (pure).
//!
//! Front-ends read menus in Jupiter form whatever protocol wrote them. This is how each
//! field maps (the edge copies this table into ARCHITECTURE.md):
//!
//! | Jupiter (`/menu`)                      | from JET Connect (`POST /menus`) |
//! |----------------------------------------|----------------------------------|
//! | `concept_id`                           | the menu's `reference`; `""` → [`DEFAULT_CONCEPT`]. Jupiter has one menu per concept: when a request carries several menus for one concept, the last `DELIVERY` one is served, else the last one ([`menus_by_concept`]) |
//! | `menu.lastChange`                      | the ingestion time (`now`, RFC 3339 with the restaurant's offset) |
//! | `categories[].id`                      | `jet-` + FNV-1a 64 of the category `name` in hex (16 digits); the n-th repeat of a name in one menu gets `-n` (n ≥ 2). Stable across re-ingestions while the name stays |
//! | `categories[].name`                    | `name` (default language; translations are not carried, Jupiter has none) |
//! | `categories[].sortOrder`               | position of the category in the menu |
//! | `categories[].images`                  | `gallery[]` → `{url, updatedAt: now}` |
//! | `items[].id`                           | the item's `plu` |
//! | `items[].categoryId`                   | the id of the category the item is nested in |
//! | `items[].name`, `description`          | `name`, `description` |
//! | `items[].price`                        | `price` in minor units → roubles (minor units are kopecks; [`Money`] keeps them exact); absent → 0 |
//! | `items[].vat`                          | `tax_percentage` |
//! | `items[].measure`, `measureUnit`       | `weight` in g → `г`, else `volume` in ml → `мл` (net value if given, else gross); other units are left out |
//! | `items[].sortOrder`                    | position among the Jupiter items emitted for the category |
//! | `items[].images`                       | `gallery[]` → `{url}` (no `hash`: the hub has not seen the file) |
//! | `items[].tags`                         | `dietary_restrictions` other than `NONE`, then `spiciness` other than `UNKNOWN`, as `{name: CODE}` |
//! | **portions**                           | each portion becomes **its own item**: id = portion `plu`, name = `Item (Portion)`, price and description (if non-empty) from the portion, modifier groups = the item's groups then the portion's. The parent item itself is not emitted (its PLU names the family, not something sold) |
//! | **swap**                               | like portions: each swap option becomes its own item (`Item (Option)`, its `plu` and `price`), with the item's groups |
//! | `items[].modifiers[]` (groups)         | `modifiers[]`; id = `<item id>:<n>` (n = position of the group on the Jupiter item), `name` |
//! | `minSelectedModifiers`/`maxSelectedModifiers` | `pick.exactly` N → N/N; `pick.range` → `from`/`to`; no limit → 0 / number of options (or [`UNLIMITED_PICKS`] when the same option may be picked again) |
//! | `modifiers[].modifiers[]` (options)    | `options[]`: id = option `plu`, `name`, `price`, `vat`, `sortOrder` = position |
//! | `minAmount`/`maxAmount`                | 0 / 1, or 0 / the group's max when `pick_same_option` is true |
//! | nested groups (an option's `modifiers`) | flattened onto the item after its parent group, named `Option: Group`, with `minSelectedModifiers` 0 (Jupiter cannot make a group depend on an option, so a nested group can never be required) |
//! | groups with no options                 | left out (nothing to choose) |
//! | `out_of_stock`                         | not a menu field in Jupiter: [`out_of_stock_plus`] lists the PLUs so the edge puts them on the stop list |
//! | not carried                            | `translations`, `default_language`, `availability` (menu hours), `reference`s, `includes`, `ingredients`, `allergens`, `additives`, `is_alcoholic`, `tax_category`, nutrition (Jupiter's `nutrients` are per 100 g, JET's per item), servings, caffeine, alcohol, deposit, manufacturer, storage, `gtin` |

use crate::domain::Money;
use crate::jet::validate::MenuType;
/// The conversion's input: a validated menu (borrowing the request bytes, or owned).
pub use crate::jet::validate::{ValidMenu, ValidatedMenu};
use crate::jet::{Item, Modifier, Text, Volume, Weight};
use crate::jupiter;
use std::collections::HashMap;

/// The Jupiter concept of a menu whose JET `reference` is empty.
pub const DEFAULT_CONCEPT: &str = "default";

/// `maxSelectedModifiers` for a group with no pick limit whose options may repeat.
pub const UNLIMITED_PICKS: u32 = 99;

/// The Jupiter concept id for a JET menu reference.
pub fn concept_for_reference(reference: &str) -> &str {
    if reference.trim().is_empty() {
        DEFAULT_CONCEPT
    } else {
        reference
    }
}

/// A category id derived from its name: `jet-` + FNV-1a 64-bit hash in hex.
pub fn category_id(name: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in name.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("jet-{hash:016x}")
}

/// Converts one validated JET menu into a Jupiter menu. `now` is the `lastChange` to
/// stamp, already formatted as RFC 3339 with the restaurant's offset.
pub fn menu_to_jupiter(menu: &ValidatedMenu<'_>, now: &str) -> jupiter::Menu {
    let mut categories = Vec::new();
    let mut items = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (position, category) in menu.wire().categories.iter().flatten().enumerate() {
        let name = category.name.as_deref().unwrap_or_default().to_owned();
        let count = seen.entry(name.clone()).or_insert(0);
        *count += 1;
        let id = match *count {
            1 => category_id(&name),
            n => format!("{}-{n}", category_id(&name)),
        };
        let images = images(&category.gallery, Some(now));
        let first = items.len();
        for item in category.items.iter().flatten() {
            emit_item(item, &id, &mut items);
        }
        for (sort, item) in items[first..].iter_mut().enumerate() {
            item.sort_order = Some(sort as i64);
        }
        categories.push(jupiter::Category {
            id,
            name,
            sort_order: Some(position as i64),
            images: Some(images),
        });
    }
    jupiter::Menu {
        last_change: now.to_owned(),
        categories,
        items,
    }
}

/// The menu each concept gets from one request, in the order concepts first appear.
/// Jupiter serves one menu per concept, for delivery and pickup alike, so when several
/// menus name the same concept the last `DELIVERY` menu wins, else the last one.
pub fn menus_by_concept<'m, 'a>(
    menus: &'m [ValidatedMenu<'a>],
) -> Vec<(&'m str, &'m ValidatedMenu<'a>)> {
    let mut chosen: Vec<(&str, &ValidatedMenu<'a>)> = Vec::new();
    for menu in menus {
        let concept = concept_for_reference(menu.reference());
        match chosen.iter_mut().find(|(c, _)| *c == concept) {
            None => chosen.push((concept, menu)),
            Some(slot) => {
                let kept_is_delivery = slot.1.menu_type() == MenuType::Delivery;
                if menu.menu_type() == MenuType::Delivery || !kept_is_delivery {
                    slot.1 = menu;
                }
            }
        }
    }
    chosen
}

/// [`menu_to_jupiter`] wrapped as the `/menu` response of one restaurant.
pub fn menu_response(
    restaurant_id: &str,
    menu: &ValidatedMenu<'_>,
    now: &str,
) -> jupiter::MenuResponse {
    jupiter::MenuResponse {
        restaurant_id: restaurant_id.to_owned(),
        concept_id: Some(concept_for_reference(menu.reference()).to_owned()),
        menu: menu_to_jupiter(menu, now),
    }
}

/// The PLUs a menu marks `out_of_stock` (items, portions, swap options, modifier options),
/// for the edge to put on the stop list when the menu is ingested.
pub fn out_of_stock_plus(menu: &ValidatedMenu<'_>) -> Vec<String> {
    fn walk_item(item: &Item<'_>, out: &mut Vec<String>) {
        if item.out_of_stock == Some(true) {
            out.extend(item.plu.iter().map(|p| p.trim().to_owned()));
        }
        for portion in item.portions.iter().flatten() {
            if portion.out_of_stock == Some(true) {
                out.extend(portion.plu.iter().map(|p| p.trim().to_owned()));
            }
            walk_groups(portion.modifiers.as_deref(), out);
        }
        for option in item.swap.iter().flat_map(|s| s.options.iter().flatten()) {
            if option.out_of_stock == Some(true) {
                out.extend(option.plu.iter().map(|p| p.trim().to_owned()));
            }
        }
        walk_groups(item.modifiers.as_deref(), out);
    }
    fn walk_groups(groups: Option<&[Modifier<'_>]>, out: &mut Vec<String>) {
        for group in groups.into_iter().flatten() {
            for option in group.options.iter().flatten() {
                walk_item(option, out);
            }
        }
    }
    let mut out = Vec::new();
    for category in menu.wire().categories.iter().flatten() {
        for item in category.items.iter().flatten() {
            walk_item(item, &mut out);
        }
    }
    out.retain(|p| !p.is_empty());
    out.sort();
    out.dedup();
    out
}

fn money(minor: Option<i64>) -> Money {
    // Validation guaranteed 0 ≤ minor ≤ i32::MAX; an absent price is 0.
    Money::from_minor(minor.unwrap_or(0), "price").unwrap_or_default()
}

fn non_empty<'t>(text: &'t Option<Text<'_>>) -> Option<&'t str> {
    text.as_deref().filter(|t| !t.trim().is_empty())
}

fn emit_item(item: &Item<'_>, category_id: &str, out: &mut Vec<jupiter::Item>) {
    let name = item.name.as_deref().unwrap_or_default();
    let base = jupiter::Item {
        id: item.plu.as_deref().unwrap_or("").trim().to_owned(),
        category_id: category_id.to_owned(),
        name: name.to_owned(),
        description: item.description.as_deref().map(str::to_owned),
        price: money(item.price),
        vat: item.tax_percentage.clone(),
        measure: None,
        measure_unit: None,
        sort_order: None,
        nutrients: None,
        modifiers: None,
        images: Some(images(&item.gallery, None)),
        tags: Some(tags(item)),
    };
    let with_measure = |mut j: jupiter::Item, weight: Option<&Weight>, volume: Option<&Volume>| {
        if let Some((measure, unit)) = measure(weight, volume) {
            j.measure = Some(measure);
            j.measure_unit = Some(unit.to_owned());
        }
        j
    };
    let item_groups = item.modifiers.as_deref().unwrap_or(&[]);
    let portions = item.portions.as_deref().unwrap_or(&[]);
    let swaps = item
        .swap
        .as_ref()
        .and_then(|s| s.options.as_deref())
        .unwrap_or(&[]);
    if !portions.is_empty() {
        for portion in portions {
            let mut j = base.clone();
            j.id = portion.plu.as_deref().unwrap_or("").trim().to_owned();
            j.name = format!("{name} ({})", portion.name.as_deref().unwrap_or(""));
            j.price = money(portion.price);
            if let Some(d) = non_empty(&portion.description) {
                j.description = Some(d.to_owned());
            }
            if portion.tax_percentage.is_some() {
                j.vat = portion.tax_percentage.clone();
            }
            let mut j = match measure(portion.weight.as_ref(), portion.volume.as_deref()) {
                Some(_) => with_measure(j, portion.weight.as_ref(), portion.volume.as_deref()),
                None => with_measure(j, item.weight.as_ref(), item.volume.as_deref()),
            };
            let groups: Vec<&Modifier> = item_groups
                .iter()
                .chain(portion.modifiers.iter().flatten())
                .collect();
            j.modifiers = Some(modifier_groups(&j.id, &groups));
            out.push(j);
        }
    } else if !swaps.is_empty() {
        for option in swaps {
            let mut j = with_measure(base.clone(), item.weight.as_ref(), item.volume.as_deref());
            j.id = option.plu.as_deref().unwrap_or("").trim().to_owned();
            j.name = format!("{name} ({})", option.name.as_deref().unwrap_or(""));
            j.price = money(option.price);
            let groups: Vec<&Modifier> = item_groups.iter().collect();
            j.modifiers = Some(modifier_groups(&j.id, &groups));
            out.push(j);
        }
    } else {
        let mut j = with_measure(base, item.weight.as_ref(), item.volume.as_deref());
        let groups: Vec<&Modifier> = item_groups.iter().collect();
        j.modifiers = Some(modifier_groups(&j.id, &groups));
        out.push(j);
    }
}

fn tags(item: &Item<'_>) -> Vec<jupiter::Tag> {
    let diets = item
        .dietary_restrictions
        .iter()
        .flatten()
        .filter(|d| d.as_str() != "NONE");
    let spice = item.spiciness.iter().filter(|s| s.as_str() != "UNKNOWN");
    diets
        .chain(spice)
        .map(|name| jupiter::Tag {
            name: name.as_str().to_owned(),
        })
        .collect()
}

fn measure(
    weight: Option<&Weight<'_>>,
    volume: Option<&Volume<'_>>,
) -> Option<(serde_json::Number, &'static str)> {
    let unit_is = |unit: &Option<Text<'_>>, names: &[&str]| {
        unit.as_deref()
            .is_some_and(|u| names.contains(&u.trim().to_lowercase().as_str()))
    };
    if let Some(w) = weight {
        if unit_is(&w.unit_name, &["g", "gram", "grams", "г"]) {
            if let Some(v) = w.net_value.clone().or_else(|| w.gross_value.clone()) {
                return Some((v, "г"));
            }
        }
    }
    if let Some(v) = volume {
        if unit_is(
            &v.unit_name,
            &[
                "ml",
                "millilitre",
                "millilitres",
                "milliliter",
                "milliliters",
                "мл",
            ],
        ) {
            if let Some(n) = v.net_value.clone().or_else(|| v.gross_value.clone()) {
                return Some((n, "мл"));
            }
        }
    }
    None
}

/// The Jupiter groups of one Jupiter item: its JET groups in order, each followed by the
/// groups nested under its options (flattened, optional).
fn modifier_groups(item_id: &str, groups: &[&Modifier<'_>]) -> Vec<jupiter::ModifierGroup> {
    let mut out = Vec::new();
    for group in groups {
        flatten_group(item_id, group, None, &mut out);
    }
    out
}

fn flatten_group(
    item_id: &str,
    group: &Modifier<'_>,
    parent_option: Option<&str>,
    out: &mut Vec<jupiter::ModifierGroup>,
) {
    let options = group.options.as_deref().unwrap_or(&[]);
    if !options.is_empty() {
        let pick = group.pick.clone().unwrap_or_default();
        let repeats = pick.pick_same_option.unwrap_or(false);
        let to_u32 = |n: i64| u32::try_from(n.max(0)).unwrap_or(u32::MAX);
        let count = u32::try_from(options.len()).unwrap_or(u32::MAX);
        let (min, max) = match (pick.exactly, &pick.range) {
            (Some(n), _) => (to_u32(n), to_u32(n)),
            (None, Some(range)) => (
                to_u32(range.from.unwrap_or(0)),
                to_u32(range.to.unwrap_or(0)),
            ),
            (None, None) if repeats => (0, UNLIMITED_PICKS),
            (None, None) => (0, count),
        };
        let group_name = group.name.as_deref().unwrap_or_default();
        let name = match parent_option {
            Some(option) => format!("{option}: {group_name}"),
            None => group_name.to_owned(),
        };
        let modifiers = options
            .iter()
            .enumerate()
            .map(|(i, option)| jupiter::Modifier {
                id: option.plu.as_deref().unwrap_or("").trim().to_owned(),
                name: option.name.as_deref().unwrap_or_default().to_owned(),
                price: money(option.price),
                vat: option.tax_percentage.clone(),
                min_amount: 0,
                max_amount: if repeats { max } else { 1 },
                sort_order: Some(i as i64),
            })
            .collect();
        let position = out.len();
        out.push(jupiter::ModifierGroup {
            id: format!("{item_id}:{position}"),
            name,
            min_selected_modifiers: if parent_option.is_some() { 0 } else { min },
            max_selected_modifiers: max,
            sort_order: Some(position as i64),
            modifiers,
        });
    }
    for option in options {
        let option_name = option.name.as_deref().unwrap_or("");
        for nested in option.modifiers.iter().flatten() {
            flatten_group(item_id, nested, Some(option_name), out);
        }
    }
}

/// JET gallery entries with a URL as Jupiter images. Jupiter category images carry
/// `updatedAt`, item images do not (they would carry a content hash, which JET does not send).
fn images(
    gallery: &Option<Vec<crate::jet::Image<'_>>>,
    updated_at: Option<&str>,
) -> Vec<jupiter::Image> {
    gallery
        .iter()
        .flatten()
        .filter_map(|image| image.url.as_deref())
        .map(|url| jupiter::Image {
            url: url.to_owned(),
            hash: None,
            updated_at: updated_at.map(str::to_owned),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jet::parse_menus;
    use crate::jet::validate::validate_menus;
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
    fn one_menu_per_concept_and_delivery_wins_over_collection() {
        let body = json!({
            "restaurants": ["1"], "callback_url": "https://example.com/cb",
            "menus": [
                {"name": "D1", "reference": "", "type": "DELIVERY", "categories": []},
                {"name": "C1", "reference": "", "type": "COLLECTION", "categories": []},
                {"name": "C2", "reference": "lunch", "type": "COLLECTION", "categories": []},
                {"name": "C3", "reference": "lunch", "type": "COLLECTION", "categories": []},
                {"name": "D2", "reference": "lunch", "type": "DELIVERY", "categories": []},
                {"name": "C4", "reference": "lunch", "type": "COLLECTION", "categories": []}
            ]
        });
        let menus = parse_menus(body.to_string().as_bytes())
            .and_then(|r| validate_menus(&r))
            .unwrap_or_else(|v| panic!("{v:?}"));
        let got: Vec<(&str, &str)> = menus_by_concept(menus.menus())
            .into_iter()
            .map(|(concept, menu)| (concept, menu.wire().name.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(got, [("default", "D1"), ("lunch", "D2")]);
    }

    #[test]
    fn every_menus_example_converts_with_its_plus_prices_and_groups() {
        // (example, [(item id, price in kopecks, [(group min, max, [option ids])])])
        type Want = Vec<(&'static str, i64, Vec<(u32, u32, Vec<&'static str>)>)>;
        let cases: Vec<(&str, Want)> = vec![
            (
                include_str!("../../fixtures/jet-connect/menus-request-basic.json"),
                vec![("ABC1F", 1550, vec![])],
            ),
            (
                include_str!("../../fixtures/jet-connect/menus-request-with-modifiers.json"),
                vec![("XYZ123", 0, vec![(1, 1, vec!["2B", "A2"])])],
            ),
            (
                include_str!("../../fixtures/jet-connect/menus-request-pick-options.json"),
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
        let text = include_str!("../../fixtures/jet-connect/menus-request-basic.json");
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
    fn nested_groups_are_flattened_after_their_parent_and_never_required() {
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
        let groups: Vec<(String, String, u32, u32)> = menu.items[0]
            .modifiers
            .iter()
            .flatten()
            .map(|g| {
                (
                    g.id.clone(),
                    g.name.clone(),
                    g.min_selected_modifiers,
                    g.max_selected_modifiers,
                )
            })
            .collect();
        let want = [
            ("B:0", "Side", 1, 1),
            ("B:1", "Fries: Dip", 0, 1),
            ("B:2", "Drink", 0, 1),
        ];
        let want: Vec<(String, String, u32, u32)> = want
            .iter()
            .map(|(id, name, min, max)| (id.to_string(), name.to_string(), *min, *max))
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
    fn an_empty_menu_reference_is_the_default_concept() {
        assert_eq!(concept_for_reference(""), DEFAULT_CONCEPT);
        assert_eq!(concept_for_reference("7"), "7");
    }
}
