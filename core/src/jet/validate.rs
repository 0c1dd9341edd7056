//! Validation of JET Connect catalog bodies: every broken rule is reported, with its path.
//!
//! Rules (each has a passing and a failing case in the tests below):
//!
//! | where | rule |
//! |-------|------|
//! | request | `restaurants` present, non-empty, each a valid id, no duplicates; `menus` present and non-empty; `callback_url` present and an absolute `http`/`https` URL with a host |
//! | menu | `name` non-empty; `reference` present (may be `""`); `type` is `COLLECTION` or `DELIVERY`; `categories` present; translations carry `name` |
//! | availability | keys are `monday` … `sunday` (a missing day is closed); windows `"hh:mm - hh:mm"` with real times; the end differs from the start, except `"00:00 - 00:00"` which means closed; an end before the start crosses midnight |
//! | category | `name` non-empty; `description` present; `items` present; translations carry `name` and `description`; `gallery` has at most one image |
//! | item | `name` non-empty; `plu` a valid PLU (it may be `""` only when `swap` supplies the PLUs); prices are integers from 0 to 2³¹−1 minor units; enums (`tax_category`, `spiciness`, `dietary_restrictions`, `allergens`) take documented values; images have absolute http(s) URLs; ranges have `min ≤ max`; required members of `caffeine`, `volume`, `weight`, `deposit`, `manufacturer`, `storage` are present |
//! | PLUs | item, portion and swap-option PLUs are unique within a menu (they become Jupiter item ids); a modifier option may reuse an item's PLU, but options of one group are unique |
//! | modifier | `name` non-empty; `description` and `pick` present; `pick.pick_same_option` present; not both `exactly` and `range`; `exactly ≥ 1`; `0 ≤ from ≤ to`, `to ≥ 1`; when the same option cannot be picked twice, `exactly` and `to` are at most the number of options; options are items with a non-empty PLU |
//! | nesting | modifier groups nest at most [`MAX_MODIFIER_DEPTH`] deep (an item's groups are depth 1, an option's groups depth 2, …) |
//! | portions, includes, swaps, ingredients | the fields FACTS §2.7 marks required are present; portion and swap prices as for items |
//! | item availability | `event` is `AVAILABLE`/`UNAVAILABLE`; `itemReferences` non-empty PLUs; `restaurant` an id; `happenedAt` and `nextAvailableAt` RFC 3339; `nextAvailableAt` not before `happenedAt` |
//! | offline | `onlineAt`, when given, is a local date-time without offset |
//! | service times | `timezone` non-empty; `serviceTimes` non-empty, `serviceType` `Delivery`/`Collection` without repeats; `openingTimes` names at least one valid day; each window has `hh:mm` times whose closing time differs from the opening time (closing before opening crosses midnight) |
//!
//! Notes on choices where FACTS leaves room:
//! * Category items are nested in the JSON, not referenced by id, so there are no
//!   references to resolve.
//! * A modifier group with no options (`null` or `[]`, as in the spec's "pick options"
//!   example) is accepted whatever its pick rule: there is nothing to count against. The
//!   conversion leaves such groups out of the Jupiter menu.
//! * `nextAvailableAt` equal to `happenedAt` is accepted (the spec's own example does it):
//!   the item is available again at once. "Must lie in the future" depends on the clock and
//!   is not checked here.

use super::*;
use crate::domain::{HhMm, Money, Plu, RestaurantId, Weekday};
use crate::problem::Violation;
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use std::collections::HashMap;

/// The deepest nesting of modifier groups accepted: an item's groups are depth 1, the
/// groups of one of their options depth 2, and so on. Real menus use 2 or 3.
pub const MAX_MODIFIER_DEPTH: usize = 5;

pub const ALLERGENS: &[&str] = &[
    "CEREAL_WHEAT",
    "CEREAL_RYE",
    "CEREAL_BARLEY",
    "CEREAL_OATS",
    "CEREAL_SPELT",
    "CEREAL_KAMUT",
    "CRUSTACEANS",
    "EGGS",
    "FISH",
    "PEANUTS",
    "SOYBEANS",
    "MILK",
    "NUTS_ALMONDS",
    "NUTS_HAZELNUTS",
    "NUTS_WALNUTS",
    "NUTS_CASHEWS",
    "NUTS_PECAN",
    "NUTS_BRAZIL",
    "NUTS_PISTACHIO",
    "NUTS_MACADAMIA",
    "CELERY",
    "MUSTARD",
    "SESAME_SEEDS",
    "SULPHUR_DIOXIDE_SULPHITES",
    "LUPIN",
    "MOLLUSCS",
];
const TAX_CATEGORIES: &[&str] = &["NO_TAX", "ALCOHOL", "SUGARED_DRINK"];
const SPICINESS: &[&str] = &["UNKNOWN", "MILD", "MEDIUM", "HOT", "VERY_HOT"];
const DIETS: &[&str] = &["NONE", "VEGETARIAN", "VEGAN"];
const DEPOSIT_TYPES: &[&str] = &["single_use", "multiple_use", "not_specified"];

/// Whether a menu is for delivery or collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuType {
    Delivery,
    Collection,
}

/// A `POST /menus` body that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidMenus {
    restaurants: Vec<RestaurantId>,
    callback_url: String,
    menus: Vec<ValidMenu>,
}

impl ValidMenus {
    pub fn restaurants(&self) -> &[RestaurantId] {
        &self.restaurants
    }
    pub fn callback_url(&self) -> &str {
        &self.callback_url
    }
    pub fn menus(&self) -> &[ValidMenu] {
        &self.menus
    }
}

/// One menu that passed every rule. The wire tree is kept as it came (read-only), so the
/// conversion can rely on what validation guaranteed: names and PLUs present, prices in
/// range, pick rules consistent.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidMenu {
    menu_type: MenuType,
    wire: Menu,
}

impl ValidMenu {
    pub fn menu_type(&self) -> MenuType {
        self.menu_type
    }
    /// The concept this menu is for: the menu's `reference` (`""` = the default concept).
    pub fn reference(&self) -> &str {
        self.wire.reference.as_deref().unwrap_or("")
    }
    pub fn wire(&self) -> &Menu {
        &self.wire
    }
}

/// Collects violations as the tree is walked.
#[derive(Default)]
struct Report(Vec<Violation>);

impl Report {
    fn add(&mut self, code: &str, path: &str, message: impl Into<String>) {
        self.0.push(Violation::new(code, Some(path), message));
    }
    fn take<T>(&mut self, r: Result<T, Violation>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(v) => {
                self.0.push(v);
                None
            }
        }
    }
    fn missing(&mut self, path: &str) {
        self.add("missing", path, "missing");
    }
    /// A required string: present (it may be empty).
    fn present<'a>(&mut self, value: &'a Option<String>, path: &str) -> Option<&'a str> {
        if value.is_none() {
            self.missing(path);
        }
        value.as_deref()
    }
    /// A required string that must not be blank.
    fn non_empty(&mut self, value: &Option<String>, path: &str) {
        match value.as_deref().map(str::trim) {
            None => self.missing(path),
            Some("") => self.add("empty", path, "must not be empty"),
            Some(_) => {}
        }
    }
    fn one_of(&mut self, value: &str, allowed: &[&str], path: &str) {
        if !allowed.contains(&value) {
            self.add(
                "invalid_value",
                path,
                format!("{value:?} is not one of {}", allowed.join(", ")),
            );
        }
    }
    fn price(&mut self, price: i64, path: &str) {
        if price > i64::from(i32::MAX) {
            self.add("amount_too_large", path, "must fit in a 32-bit integer");
        } else {
            self.take(Money::from_minor(price, path));
        }
    }
    fn finish<T>(self, value: T) -> Result<T, Vec<Violation>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }
}

/// Whether `url` is an absolute `http` or `https` URL with a host and no blanks. (Which
/// hosts may be called is decided by the edge before it sends anything.)
pub fn is_absolute_http_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return false;
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..host_end];
    let host = authority.rsplit('@').next().unwrap_or("");
    !host.is_empty()
        && !host.starts_with(':')
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Validates a `POST /menus` body, reporting every violation with its JSON path.
pub fn validate_menus(req: &MenusRequest) -> Result<ValidMenus, Vec<Violation>> {
    let mut r = Report::default();
    let mut restaurants = Vec::new();
    match &req.restaurants {
        None => r.missing("restaurants"),
        Some(list) if list.is_empty() => r.add("empty", "restaurants", "must not be empty"),
        Some(list) => {
            for (i, raw) in list.iter().enumerate() {
                let path = format!("restaurants[{i}]");
                if let Some(id) = r.take(RestaurantId::parse(raw, &path)) {
                    if restaurants.contains(&id) {
                        r.add(
                            "duplicate",
                            &path,
                            format!("restaurant {id} is listed twice"),
                        );
                    } else {
                        restaurants.push(id);
                    }
                }
            }
        }
    }
    match req.callback_url.as_deref() {
        None => r.missing("callback_url"),
        Some(url) if !is_absolute_http_url(url) => r.add(
            "invalid_url",
            "callback_url",
            "must be an absolute http or https URL",
        ),
        Some(_) => {}
    }
    let mut menus = Vec::new();
    match &req.menus {
        None => r.missing("menus"),
        Some(list) if list.is_empty() => r.add("empty", "menus", "must not be empty"),
        Some(list) => {
            for (i, menu) in list.iter().enumerate() {
                if let Some(menu_type) = menu_rules(&mut r, menu, &format!("menus[{i}]")) {
                    menus.push(ValidMenu {
                        menu_type,
                        wire: menu.clone(),
                    });
                }
            }
        }
    }
    r.finish(ValidMenus {
        restaurants,
        callback_url: req.callback_url.clone().unwrap_or_default(),
        menus,
    })
}

/// Where each PLU that becomes a Jupiter item id was first seen in a menu.
type PluIndex = HashMap<String, String>;

fn claim_plu(r: &mut Report, index: &mut PluIndex, plu: &Plu, path: &str) {
    if let Some(first) = index.get(plu.as_str()) {
        r.add(
            "duplicate_plu",
            path,
            format!("PLU {plu} is already used at {first}"),
        );
    } else {
        index.insert(plu.as_str().to_owned(), path.to_owned());
    }
}

fn menu_rules(r: &mut Report, menu: &Menu, path: &str) -> Option<MenuType> {
    r.non_empty(&menu.name, &format!("{path}.name"));
    r.present(&menu.reference, &format!("{path}.reference"));
    let menu_type = match menu.menu_type.as_deref() {
        None => {
            r.missing(&format!("{path}.type"));
            None
        }
        Some("DELIVERY") => Some(MenuType::Delivery),
        Some("COLLECTION") => Some(MenuType::Collection),
        Some(other) => {
            r.one_of(other, &["COLLECTION", "DELIVERY"], &format!("{path}.type"));
            None
        }
    };
    if let Some(lang) = &menu.default_language {
        let ok = !lang.is_empty()
            && lang
                .split('-')
                .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()));
        if !ok {
            r.add(
                "invalid_language",
                &format!("{path}.default_language"),
                "must be a BCP 47 language tag such as en-US",
            );
        }
    }
    translations(
        r,
        &menu.translations,
        &format!("{path}.translations"),
        false,
    );
    if let Some(days) = &menu.availability {
        availability(r, days, &format!("{path}.availability"));
    }
    let mut plus = PluIndex::new();
    match &menu.categories {
        None => r.missing(&format!("{path}.categories")),
        Some(categories) => {
            for (i, category) in categories.iter().enumerate() {
                category_rules(r, category, &format!("{path}.categories[{i}]"), &mut plus);
            }
        }
    }
    menu_type
}

fn translations(r: &mut Report, map: &Option<Translations>, path: &str, with_description: bool) {
    for (lang, t) in map.iter().flatten() {
        let p = format!("{path}.{lang}");
        if lang.trim().is_empty() {
            r.add("invalid_language", &p, "language tag must not be empty");
        }
        r.present(&t.name, &format!("{p}.name"));
        if with_description {
            r.present(&t.description, &format!("{p}.description"));
        }
    }
}

/// Parses `"hh:mm - hh:mm"` into its two times.
pub fn parse_window(text: &str, path: &str) -> Result<(HhMm, HhMm), Violation> {
    let bad = || {
        Violation::new(
            "invalid_window",
            Some(path),
            format!("must look like \"10:00 - 23:30\", got {text:?}"),
        )
    };
    let (from, to) = text.split_once(" - ").ok_or_else(bad)?;
    let from = HhMm::parse(from, path).map_err(|_| bad())?;
    let to = HhMm::parse(to, path).map_err(|_| bad())?;
    if from == to && from.minutes() != 0 {
        return Err(Violation::new(
            "empty_window",
            Some(path),
            format!("{text:?} starts and ends at the same time (use \"00:00 - 00:00\" for a closed day)"),
        ));
    }
    Ok((from, to))
}

fn availability(r: &mut Report, days: &BTreeMap<String, Vec<String>>, path: &str) {
    for (day, windows) in days {
        let p = format!("{path}.{day}");
        r.take(Weekday::parse(day, &p));
        for (i, window) in windows.iter().enumerate() {
            r.take(parse_window(window, &format!("{p}[{i}]")));
        }
    }
}

fn gallery(r: &mut Report, images: &Option<Vec<Image>>, path: &str) {
    for (i, image) in images.iter().flatten().enumerate() {
        let p = format!("{path}[{i}].url");
        match image.url.as_deref() {
            None => r.missing(&p),
            Some(url) if !is_absolute_http_url(url) => {
                r.add("invalid_url", &p, "must be an absolute http or https URL")
            }
            Some(_) => {}
        }
    }
}

fn category_rules(r: &mut Report, category: &Category, path: &str, plus: &mut PluIndex) {
    r.non_empty(&category.name, &format!("{path}.name"));
    r.present(&category.description, &format!("{path}.description"));
    translations(
        r,
        &category.translations,
        &format!("{path}.translations"),
        true,
    );
    if category.gallery.as_ref().is_some_and(|g| g.len() > 1) {
        r.add(
            "too_many_images",
            &format!("{path}.gallery"),
            "a category has at most one image",
        );
    }
    gallery(r, &category.gallery, &format!("{path}.gallery"));
    match &category.items {
        None => r.missing(&format!("{path}.items")),
        Some(items) => {
            for (i, item) in items.iter().enumerate() {
                item_rules(r, item, &format!("{path}.items[{i}]"), 0, Some(plus));
            }
        }
    }
}

/// An item at `depth` (0 for a category's items; an option of a depth-d group is at d).
/// `plus` is the menu's index for top-level items; options pass `None`.
fn item_rules(r: &mut Report, item: &Item, path: &str, depth: usize, plus: Option<&mut PluIndex>) {
    r.non_empty(&item.name, &format!("{path}.name"));
    let plu_path = format!("{path}.plu");
    let swap_supplies_plu = item.swap.is_some() && depth == 0;
    let mut scratch = PluIndex::new();
    let index = match plus {
        Some(index) => index,
        None => &mut scratch,
    };
    match item.plu.as_deref() {
        None => r.missing(&plu_path),
        Some(raw) if raw.trim().is_empty() && swap_supplies_plu => {}
        Some(raw) => {
            if let Some(plu) = r.take(Plu::parse(raw, &plu_path)) {
                claim_plu(r, index, &plu, &plu_path);
            }
        }
    }
    for (i, portion) in item.portions.iter().flatten().enumerate() {
        portion_rules(r, portion, &format!("{path}.portions[{i}]"), depth, index);
    }
    if let Some(swap) = &item.swap {
        swap_rules(r, swap, &format!("{path}.swap"), index);
    }
    details(r, item, path, depth);
}

/// Everything about an item except its PLU, portions and swap.
fn details(r: &mut Report, item: &Item, path: &str, depth: usize) {
    if let Some(price) = item.price {
        r.price(price, &format!("{path}.price"));
    }
    translations(
        r,
        &item.translations,
        &format!("{path}.translations"),
        false,
    );
    if let Some(tax) = &item.tax_category {
        r.one_of(tax, TAX_CATEGORIES, &format!("{path}.tax_category"));
    }
    if let Some(s) = &item.spiciness {
        r.one_of(s, SPICINESS, &format!("{path}.spiciness"));
    }
    for (i, d) in item.dietary_restrictions.iter().flatten().enumerate() {
        r.one_of(d, DIETS, &format!("{path}.dietary_restrictions[{i}]"));
    }
    for (i, a) in item.allergens.iter().flatten().enumerate() {
        r.one_of(a, ALLERGENS, &format!("{path}.allergens[{i}]"));
    }
    gallery(r, &item.gallery, &format!("{path}.gallery"));
    product_facts(
        r,
        ProductFacts {
            nutritional_info: &item.nutritional_info,
            nutritional_info_range: &item.nutritional_info_range,
            servings: item.servings,
            servings_range: &item.servings_range,
            caffeine: &item.caffeine,
            volume: &item.volume,
            weight: &item.weight,
            deposit: &item.deposit,
            manufacturer: &item.manufacturer,
            storage: &item.storage,
        },
        path,
    );
    for (i, include) in item.includes.iter().flatten().enumerate() {
        let p = format!("{path}.includes[{i}]");
        r.non_empty(&include.name, &format!("{p}.name"));
        r.present(&include.description, &format!("{p}.description"));
        if let Some(raw) = r.present(&include.plu, &format!("{p}.plu")) {
            r.take(Plu::parse(raw, &format!("{p}.plu")));
        }
        groups(r, &include.modifiers, &p, depth, true);
    }
    for (i, ingredient) in item.ingredients.iter().flatten().enumerate() {
        let p = format!("{path}.ingredients[{i}]");
        r.non_empty(&ingredient.name, &format!("{p}.name"));
        translations(
            r,
            &ingredient.translations,
            &format!("{p}.translations"),
            false,
        );
    }
    groups(r, &item.modifiers, path, depth, false);
}

/// The modifier groups of something at `depth`; `required` when the array itself is.
fn groups(
    r: &mut Report,
    groups: &Option<Vec<Modifier>>,
    path: &str,
    depth: usize,
    required: bool,
) {
    let p = format!("{path}.modifiers");
    match groups {
        None if required => r.missing(&p),
        None => {}
        Some(list) if !list.is_empty() && depth + 1 > MAX_MODIFIER_DEPTH => r.add(
            "too_deep",
            &p,
            format!("modifier groups nest at most {MAX_MODIFIER_DEPTH} deep"),
        ),
        Some(list) => {
            for (i, group) in list.iter().enumerate() {
                modifier_rules(r, group, &format!("{p}[{i}]"), depth + 1);
            }
        }
    }
}

fn modifier_rules(r: &mut Report, group: &Modifier, path: &str, depth: usize) {
    r.non_empty(&group.name, &format!("{path}.name"));
    r.present(&group.description, &format!("{path}.description"));
    translations(
        r,
        &group.translations,
        &format!("{path}.translations"),
        true,
    );
    let options = group.options.as_deref().unwrap_or(&[]);
    let mut seen = PluIndex::new();
    for (i, option) in options.iter().enumerate() {
        let p = format!("{path}.options[{i}]");
        item_rules(r, option, &p, depth, None);
        // item_rules reported a bad PLU already; here only repeats within the group.
        if let Some(Ok(plu)) = option.plu.as_deref().map(|raw| Plu::parse(raw, &p)) {
            claim_plu(r, &mut seen, &plu, &format!("{p}.plu"));
        }
    }
    let p = format!("{path}.pick");
    let Some(pick) = &group.pick else {
        r.missing(&p);
        return;
    };
    if pick.pick_same_option.is_none() {
        r.missing(&format!("{p}.pick_same_option"));
    }
    let repeats = pick.pick_same_option.unwrap_or(false);
    let count = options.len() as i64;
    let limit_applies = !repeats && count > 0;
    match (pick.exactly, &pick.range) {
        (Some(_), Some(_)) => r.add(
            "ambiguous_pick",
            &p,
            "give either exactly or range, not both",
        ),
        (Some(n), None) => {
            if n < 1 {
                r.add(
                    "invalid_pick",
                    &format!("{p}.exactly"),
                    "must be at least 1",
                );
            } else if limit_applies && n > count {
                r.add(
                    "invalid_pick",
                    &format!("{p}.exactly"),
                    format!("asks for {n} different options but the group has {count}"),
                );
            }
        }
        (None, Some(range)) => {
            let (from_p, to_p) = (format!("{p}.range.from"), format!("{p}.range.to"));
            if range.from.is_none() {
                r.missing(&from_p);
            }
            if range.to.is_none() {
                r.missing(&to_p);
            }
            if let (Some(from), Some(to)) = (range.from, range.to) {
                if from < 0 {
                    r.add("invalid_pick", &from_p, "must not be negative");
                } else if to < 1 {
                    r.add("invalid_pick", &to_p, "must be at least 1");
                } else if from > to {
                    r.add(
                        "invalid_pick",
                        &p,
                        format!("range from {from} is above to {to}"),
                    );
                } else if limit_applies && to > count {
                    r.add(
                        "invalid_pick",
                        &to_p,
                        format!("allows {to} different options but the group has {count}"),
                    );
                }
            }
        }
        (None, None) => {}
    }
}

fn portion_rules(r: &mut Report, portion: &Portion, path: &str, depth: usize, plus: &mut PluIndex) {
    r.non_empty(&portion.name, &format!("{path}.name"));
    r.present(&portion.description, &format!("{path}.description"));
    let plu_path = format!("{path}.plu");
    if let Some(raw) = r.present(&portion.plu, &plu_path) {
        if let Some(plu) = r.take(Plu::parse(raw, &plu_path)) {
            claim_plu(r, plus, &plu, &plu_path);
        }
    }
    match portion.price {
        None => r.missing(&format!("{path}.price")),
        Some(price) => r.price(price, &format!("{path}.price")),
    }
    groups(r, &portion.modifiers, path, depth, true);
    product_facts(
        r,
        ProductFacts {
            nutritional_info: &portion.nutritional_info,
            nutritional_info_range: &portion.nutritional_info_range,
            servings: portion.servings,
            servings_range: &portion.servings_range,
            caffeine: &portion.caffeine,
            volume: &portion.volume,
            weight: &portion.weight,
            deposit: &portion.deposit,
            manufacturer: &portion.manufacturer,
            storage: &portion.storage,
        },
        path,
    );
}

fn swap_rules(r: &mut Report, swap: &Swap, path: &str, plus: &mut PluIndex) {
    r.non_empty(&swap.name, &format!("{path}.name"));
    match &swap.options {
        None => r.missing(&format!("{path}.options")),
        Some(options) if options.is_empty() => {
            r.add("empty", &format!("{path}.options"), "must not be empty")
        }
        Some(options) => {
            for (i, option) in options.iter().enumerate() {
                let p = format!("{path}.options[{i}]");
                r.non_empty(&option.name, &format!("{p}.name"));
                r.present(&option.reference, &format!("{p}.reference"));
                let plu_path = format!("{p}.plu");
                if let Some(raw) = r.present(&option.plu, &plu_path) {
                    if let Some(plu) = r.take(Plu::parse(raw, &plu_path)) {
                        claim_plu(r, plus, &plu, &plu_path);
                    }
                }
                match option.price {
                    None => r.missing(&format!("{p}.price")),
                    Some(price) => r.price(price, &format!("{p}.price")),
                }
                if let Some(tax) = &option.tax_category {
                    r.one_of(tax, TAX_CATEGORIES, &format!("{p}.tax_category"));
                }
                translations(r, &option.translations, &format!("{p}.translations"), false);
            }
        }
    }
}

/// The nutrition, servings and grocery fields that items and portions share.
struct ProductFacts<'a> {
    nutritional_info: &'a Option<NutritionalInfo>,
    nutritional_info_range: &'a Option<NutritionalInfoRange>,
    servings: Option<i64>,
    servings_range: &'a Option<Range>,
    caffeine: &'a Option<Caffeine>,
    volume: &'a Option<Volume>,
    weight: &'a Option<Weight>,
    deposit: &'a Option<Deposit>,
    manufacturer: &'a Option<Manufacturer>,
    storage: &'a Option<Storage>,
}

fn product_facts(r: &mut Report, f: ProductFacts<'_>, path: &str) {
    let non_negative = |r: &mut Report, v: Option<i64>, p: String| {
        if v.is_some_and(|v| v < 0) {
            r.add("negative", &p, "must not be negative");
        }
    };
    let range = |r: &mut Report, range: &Option<Range>, p: String| {
        if let Some(range) = range {
            if range.min.is_none() {
                r.missing(&format!("{p}.min"));
            }
            if range.max.is_none() {
                r.missing(&format!("{p}.max"));
            }
            if let (Some(min), Some(max)) = (range.min, range.max) {
                if min < 0 || min > max {
                    r.add(
                        "invalid_range",
                        &p,
                        format!("needs 0 ≤ min ≤ max, got {min}..{max}"),
                    );
                }
            }
        }
    };
    if let Some(n) = f.nutritional_info {
        non_negative(r, n.kcal, format!("{path}.nutritional_info.kcal"));
        non_negative(r, n.kj, format!("{path}.nutritional_info.kj"));
    }
    if let Some(n) = f.nutritional_info_range {
        range(
            r,
            &n.kcal_range,
            format!("{path}.nutritional_info_range.kcal_range"),
        );
        range(
            r,
            &n.kj_range,
            format!("{path}.nutritional_info_range.kj_range"),
        );
    }
    non_negative(r, f.servings, format!("{path}.servings"));
    range(r, f.servings_range, format!("{path}.servings_range"));
    if let Some(c) = f.caffeine {
        r.non_empty(&c.unit_name, &format!("{path}.caffeine.unit_name"));
        if c.value.is_none() {
            r.missing(&format!("{path}.caffeine.value"));
        }
    }
    if let Some(v) = f.volume {
        r.non_empty(&v.unit_name, &format!("{path}.volume.unit_name"));
        if v.gross_value.is_none() {
            r.missing(&format!("{path}.volume.gross_value"));
        }
    }
    if let Some(w) = f.weight {
        r.non_empty(&w.unit_name, &format!("{path}.weight.unit_name"));
        if w.gross_value.is_none() {
            r.missing(&format!("{path}.weight.gross_value"));
        }
        if w.net_value.is_none() {
            r.missing(&format!("{path}.weight.net_value"));
        }
    }
    if let Some(d) = f.deposit {
        let p = format!("{path}.deposit");
        match d.deposit_type.as_deref() {
            None => r.missing(&format!("{p}.type")),
            Some(t) => r.one_of(t, DEPOSIT_TYPES, &format!("{p}.type")),
        }
        match d.amount {
            None => r.missing(&format!("{p}.amount")),
            Some(a) => r.price(a, &format!("{p}.amount")),
        }
        if d.included_in_total_price.is_none() {
            r.missing(&format!("{p}.included_in_total_price"));
        }
    }
    if let Some(m) = f.manufacturer {
        let p = format!("{path}.manufacturer");
        r.non_empty(&m.name, &format!("{p}.name"));
        r.non_empty(&m.brand, &format!("{p}.brand"));
        r.non_empty(&m.country_of_origin, &format!("{p}.country_of_origin"));
    }
    if let Some(s) = f.storage {
        r.non_empty(&s.storage_type, &format!("{path}.storage.type"));
    }
}

/// `AVAILABLE` or `UNAVAILABLE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AvailabilityEvent {
    Available,
    Unavailable,
}

/// An item-availability body that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidItemAvailability {
    pub event: AvailabilityEvent,
    pub plus: Vec<Plu>,
    pub restaurant: RestaurantId,
    /// When the change happened; the edge uses "now" when it is absent, as JET Connect does.
    pub happened_at: Option<DateTime<FixedOffset>>,
    /// With `UNAVAILABLE`: when the items come back by themselves. Ignored with `AVAILABLE`.
    pub next_available_at: Option<DateTime<FixedOffset>>,
}

fn rfc3339(r: &mut Report, value: &Option<String>, path: &str) -> Option<DateTime<FixedOffset>> {
    let text = value.as_deref()?;
    match DateTime::parse_from_rfc3339(text) {
        Ok(t) => Some(t),
        Err(_) => {
            r.add(
                "invalid_datetime",
                path,
                format!("must be an RFC 3339 date-time with offset, got {text:?}"),
            );
            None
        }
    }
}

pub fn validate_item_availability(
    req: &ItemAvailabilityRequest,
) -> Result<ValidItemAvailability, Vec<Violation>> {
    let mut r = Report::default();
    let event = match req.event.as_deref() {
        None => {
            r.missing("event");
            None
        }
        Some("AVAILABLE") => Some(AvailabilityEvent::Available),
        Some("UNAVAILABLE") => Some(AvailabilityEvent::Unavailable),
        Some(other) => {
            r.one_of(other, &["AVAILABLE", "UNAVAILABLE"], "event");
            None
        }
    };
    let mut plus = Vec::new();
    match &req.item_references {
        None => r.missing("itemReferences"),
        Some(list) if list.is_empty() => r.add("empty", "itemReferences", "must not be empty"),
        Some(list) => {
            for (i, raw) in list.iter().enumerate() {
                if let Some(plu) = r.take(Plu::parse(raw, &format!("itemReferences[{i}]"))) {
                    plus.push(plu);
                }
            }
        }
    }
    let restaurant = match req.restaurant.as_deref() {
        None => {
            r.missing("restaurant");
            None
        }
        Some(raw) => r.take(RestaurantId::parse(raw, "restaurant")),
    };
    let happened_at = rfc3339(&mut r, &req.happened_at, "happenedAt");
    let next_available_at = rfc3339(&mut r, &req.next_available_at, "nextAvailableAt");
    if let (Some(h), Some(n)) = (happened_at, next_available_at) {
        if n < h {
            r.add(
                "invalid_datetime",
                "nextAvailableAt",
                "must not be before happenedAt",
            );
        }
    }
    match (event, restaurant) {
        (Some(event), Some(restaurant)) if r.0.is_empty() => Ok(ValidItemAvailability {
            event,
            plus,
            restaurant,
            happened_at,
            next_available_at,
        }),
        _ => Err(r.0),
    }
}

/// Validates an offline body: the local time the restaurant comes back online, if given.
pub fn validate_offline(req: &OfflineRequest) -> Result<Option<NaiveDateTime>, Vec<Violation>> {
    let Some(text) = req.online_at.as_deref() else {
        return Ok(None);
    };
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .map(Some)
        .map_err(|_| {
            vec![Violation::new(
                "invalid_datetime",
                Some("onlineAt"),
                format!("must be a local date-time without offset such as 2021-10-13T12:03:00, got {text:?}"),
            )]
        })
}

/// `Delivery` or `Collection`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ServiceType {
    Delivery,
    Collection,
}

/// One opening window. `closes < opens` means it runs past midnight into the next day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpeningHours {
    pub opens: HhMm,
    pub closes: HhMm,
}

impl OpeningHours {
    pub fn crosses_midnight(self) -> bool {
        self.closes < self.opens
    }
}

/// Service times that passed every rule: per service type, per day, the windows.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidServiceTimes {
    pub timezone: String,
    pub service_times: BTreeMap<ServiceType, BTreeMap<Weekday, Vec<OpeningHours>>>,
}

/// Validates a servicetimes body. A window whose closing time is before its opening time
/// crosses midnight (`20:00`–`02:00`); equal times are refused as ambiguous (write
/// `00:00`–`23:59` for a whole day). The timezone is checked for shape only (non-empty, no
/// blanks): core carries no time-zone database.
pub fn validate_service_times(
    req: &ServiceTimesRequest,
) -> Result<ValidServiceTimes, Vec<Violation>> {
    let mut r = Report::default();
    match req.timezone.as_deref() {
        None => r.missing("timezone"),
        Some(tz) if tz.is_empty() || tz.chars().any(char::is_whitespace) => r.add(
            "invalid_timezone",
            "timezone",
            "must be an IANA zone name such as Europe/London",
        ),
        Some(_) => {}
    }
    let mut out = BTreeMap::new();
    match &req.service_times {
        None => r.missing("serviceTimes"),
        Some(list) if list.is_empty() => r.add("empty", "serviceTimes", "must not be empty"),
        Some(list) => {
            for (i, st) in list.iter().enumerate() {
                let path = format!("serviceTimes[{i}]");
                let kind = match st.service_type.as_deref() {
                    None => {
                        r.missing(&format!("{path}.serviceType"));
                        None
                    }
                    Some("Delivery") => Some(ServiceType::Delivery),
                    Some("Collection") => Some(ServiceType::Collection),
                    Some(other) => {
                        r.one_of(
                            other,
                            &["Delivery", "Collection"],
                            &format!("{path}.serviceType"),
                        );
                        None
                    }
                };
                let days =
                    opening_times(&mut r, &st.opening_times, &format!("{path}.openingTimes"));
                if let Some(kind) = kind {
                    if out.insert(kind, days).is_some() {
                        r.add(
                            "duplicate",
                            &format!("{path}.serviceType"),
                            "each service type may appear once",
                        );
                    }
                }
            }
        }
    }
    r.finish(ValidServiceTimes {
        timezone: req.timezone.clone().unwrap_or_default(),
        service_times: out,
    })
}

fn opening_times(
    r: &mut Report,
    days: &Option<BTreeMap<String, Vec<OpeningWindow>>>,
    path: &str,
) -> BTreeMap<Weekday, Vec<OpeningHours>> {
    let mut out = BTreeMap::new();
    let Some(days) = days else {
        r.missing(path);
        return out;
    };
    if days.is_empty() {
        r.add("empty", path, "give at least one day");
    }
    for (day, windows) in days {
        let p = format!("{path}.{day}");
        let weekday = r.take(Weekday::parse(day, &p));
        let mut hours = Vec::new();
        for (i, w) in windows.iter().enumerate() {
            let wp = format!("{p}[{i}]");
            let opens = r
                .present(&w.opening_time, &format!("{wp}.openingTime"))
                .and_then(|t| r.take(HhMm::parse(t, &format!("{wp}.openingTime"))));
            let closes = r
                .present(&w.closing_time, &format!("{wp}.closingTime"))
                .and_then(|t| r.take(HhMm::parse(t, &format!("{wp}.closingTime"))));
            if let (Some(opens), Some(closes)) = (opens, closes) {
                if opens == closes {
                    r.add(
                        "empty_window",
                        &wp,
                        "closingTime must differ from openingTime (use 00:00–23:59 for a whole day)",
                    );
                } else {
                    hours.push(OpeningHours { opens, closes });
                }
            }
        }
        if let Some(weekday) = weekday {
            out.insert(weekday, hours);
        }
    }
    out
}

#[cfg(test)]
mod tests;
