//! The menus body (`POST /menus`): every menu, category, item, modifier, portion and
//! swap rule of the table in [`super`], and the validated menus the conversion reads.

use crate::domain::{HhMm, RestaurantId};
use crate::jet::wire::*;
use crate::problem::Violation;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use super::*;

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
pub(super) const TAX_CATEGORIES: &[&str] = &["NO_TAX", "ALCOHOL", "SUGARED_DRINK"];
pub(super) const SPICINESS: &[&str] = &["UNKNOWN", "MILD", "MEDIUM", "HOT", "VERY_HOT"];
pub(super) const DIETS: &[&str] = &["NONE", "VEGETARIAN", "VEGAN"];
pub(super) const DEPOSIT_TYPES: &[&str] = &["single_use", "multiple_use", "not_specified"];

/// Whether a menu is for delivery or collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuType {
    Delivery,
    Collection,
}

/// A `POST /menus` body that passed every rule. It owns the request's menus (moved, not
/// copied) and, like them, borrows the request bytes (`'a`).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidMenus<'a> {
    pub(super) restaurants: Vec<RestaurantId>,
    pub(super) callback_url: Text<'a>,
    pub(super) menus: Vec<ValidatedMenu<'a>>,
}

impl<'a> ValidMenus<'a> {
    pub fn restaurants(&self) -> &[RestaurantId] {
        &self.restaurants
    }
    pub fn callback_url(&self) -> &str {
        &self.callback_url
    }
    pub fn menus(&self) -> &[ValidatedMenu<'a>] {
        &self.menus
    }
}

/// One menu that passed every rule. The wire tree is kept as it came (read-only), so the
/// conversion can rely on what validation guaranteed: names and PLUs present, prices in
/// range, pick rules consistent. `'a` is the lifetime of the request bytes its strings
/// borrow from.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidatedMenu<'a> {
    pub(super) menu_type: MenuType,
    /// Some PLU is listed more than once (each time with the same price and modifiers).
    pub(super) repeats: bool,
    pub(super) wire: Menu<'a>,
}

/// A valid menu that owns its strings: what [`validate_menus`] gives for a request passed
/// by reference (see [`MenusInput`]).
pub type ValidMenu = ValidatedMenu<'static>;

impl<'a> ValidatedMenu<'a> {
    pub fn menu_type(&self) -> MenuType {
        self.menu_type
    }
    /// The concept this menu is for: the menu's `reference` (`""` = the default concept).
    pub fn reference(&self) -> &str {
        self.wire.reference.as_deref().unwrap_or("")
    }
    pub fn wire(&self) -> &Menu<'a> {
        &self.wire
    }
    /// Whether some PLU is listed more than once (in several categories, say), always with
    /// the same price and modifiers: the conversion then emits each Jupiter item once.
    pub fn repeats_plus(&self) -> bool {
        self.repeats
    }
}

/// What [`validate_menus`] accepts. A request passed by value is validated in place and its
/// menus are moved into the result (the ingestion path: nothing is copied). A request passed
/// by reference is validated in place too, and the menus of a valid one are copied into
/// owned strings, so the result does not borrow the reference.
pub trait MenusInput<'a> {
    fn request(&self) -> &MenusRequest<'_>;
    fn into_parts(self) -> (Option<Text<'a>>, Vec<Menu<'a>>);
}

impl<'a> MenusInput<'a> for MenusRequest<'a> {
    fn request(&self) -> &MenusRequest<'_> {
        self
    }
    fn into_parts(self) -> (Option<Text<'a>>, Vec<Menu<'a>>) {
        (self.callback_url, self.menus.unwrap_or_default())
    }
}

impl MenusInput<'static> for &MenusRequest<'_> {
    fn request(&self) -> &MenusRequest<'_> {
        self
    }
    fn into_parts(self) -> (Option<Text<'static>>, Vec<Menu<'static>>) {
        (
            self.callback_url.clone().into_static(),
            self.menus.clone().unwrap_or_default().into_static(),
        )
    }
}

/// Validates a `POST /menus` body, reporting every violation with its JSON path.
///
/// Pass the request by value on a hot path: its menus move into the result. Passed by
/// reference, the menus of a valid request are copied (see [`MenusInput`]).
pub fn validate_menus<'a>(input: impl MenusInput<'a>) -> Result<ValidMenus<'a>, Vec<Violation>> {
    let mut r = Violations::new();
    let mut restaurants = Vec::new();
    let mut types = Vec::new();
    let req = input.request();
    match &req.restaurants {
        None => r.missing("restaurants"),
        Some(list) if list.is_empty() => r.push("empty", "restaurants", "must not be empty"),
        Some(list) => {
            let root = Path::root("restaurants");
            for (i, raw) in list.iter().enumerate() {
                let path = root.index(i);
                if let Some(id) = r.take_at(RestaurantId::parse(raw, ""), path) {
                    if restaurants.contains(&id) {
                        r.push(
                            "duplicate",
                            path,
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
        Some(url) if !is_absolute_http_url(url) => r.push(
            "invalid_url",
            "callback_url",
            "must be an absolute http or https URL",
        ),
        Some(_) => {}
    }
    match &req.menus {
        None => r.missing("menus"),
        Some(list) if list.is_empty() => r.push("empty", "menus", "must not be empty"),
        Some(list) => {
            let root = Path::root("menus");
            for (i, menu) in list.iter().enumerate() {
                types.push(menu_rules(&mut r, menu, &root.index(i)));
            }
            // A concept keeps one menu per type: of two in one request, one would be
            // dropped while the callback reported success. Refused instead, naming both.
            for (i, (menu, (kind, _))) in list.iter().zip(&types).enumerate() {
                let Some(kind) = kind else { continue };
                let concept = crate::jet::to_jupiter::concept_for_reference(
                    menu.reference.as_deref().unwrap_or(""),
                );
                let earlier = list.iter().take(i).zip(&types).position(|(m, (k, _))| {
                    *k == Some(*kind)
                        && crate::jet::to_jupiter::concept_for_reference(
                            m.reference.as_deref().unwrap_or(""),
                        ) == concept
                });
                if let Some(j) = earlier {
                    r.push(
                        "duplicate_menu",
                        root.index(i).field("reference"),
                        format!(
                            "menus[{j}] is already the {} menu of reference {:?}; send one menu \
                             per reference and type",
                            menu.menu_type.as_deref().unwrap_or_default(),
                            menu.reference.as_deref().unwrap_or_default()
                        ),
                    );
                }
            }
        }
    }
    if !r.is_empty() {
        return Err(r.into_vec());
    }
    let (callback_url, menus) = input.into_parts();
    let menus = menus
        .into_iter()
        .zip(types)
        .filter_map(|(wire, (menu_type, repeats))| {
            menu_type.map(|menu_type| ValidatedMenu {
                menu_type,
                repeats,
                wire,
            })
        })
        .collect();
    r.into_result(ValidMenus {
        restaurants,
        callback_url: callback_url.unwrap_or_default(),
        menus,
    })
}

/// Where a PLU was claimed, relative to the item that claims it: the item's own `plu`, or
/// that of one of its portions or swap options.
#[derive(Clone, Copy)]
pub(super) enum Sub {
    Own,
    Portion(usize),
    SwapOption(usize),
}

impl fmt::Display for Sub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Sub::Own => Ok(()),
            Sub::Portion(i) => write!(f, ".portions[{i}]"),
            Sub::SwapOption(i) => write!(f, ".swap.options[{i}]"),
        }
    }
}

/// The path of a claimed PLU: `<item>.plu`, `<item>.portions[i].plu`, ….
pub(super) struct PluAt<'x, 'p>(&'x Path<'p>, Sub);

impl fmt::Display for PluAt<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}.plu", self.0, self.1)
    }
}

/// What a PLU stands for in the Jupiter menu: the price and the modifier groups of the
/// Jupiter item it becomes (for a portion, the item's groups then the portion's). Two claims
/// of one PLU that agree on these are the same product listed twice (a "Most popular"
/// category repeating best sellers); names and descriptions may differ.
#[derive(Clone, Copy)]
pub(super) struct Definition<'w> {
    pub(super) price: i64,
    pub(super) groups: &'w [Modifier<'w>],
    pub(super) more_groups: &'w [Modifier<'w>],
}

impl Definition<'_> {
    /// Why two definitions of one PLU conflict, or `None` when they agree.
    fn conflict(&self, other: &Definition<'_>) -> Option<String> {
        if self.price != other.price {
            return Some(format!("price {} vs {}", other.price, self.price));
        }
        let same_groups = self.groups.len() + self.more_groups.len()
            == other.groups.len() + other.more_groups.len()
            && self
                .groups
                .iter()
                .chain(self.more_groups)
                .zip(other.groups.iter().chain(other.more_groups))
                .all(|(a, b)| a == b);
        (!same_groups).then(|| "different modifiers".to_owned())
    }
}

/// The PLUs of a menu that become Jupiter item ids, each with where it was first claimed
/// (category, item, which PLU of the item) and what it stands for; the path is written only
/// for a conflicting repeat.
pub(super) struct MenuPlus<'w, 'p> {
    pub(super) menu: &'p Path<'p>,
    pub(super) first: HashMap<&'w str, (usize, usize, Sub, Definition<'w>)>,
    /// Whether some PLU is listed more than once (with the same definition).
    pub(super) repeats: bool,
}

/// The scope an item's own, portion and swap-option PLUs are claimed in.
pub(super) enum Scope<'s, 'w, 'p> {
    /// A category's item (category and item index): unique within the menu, unless both
    /// claims define the same product.
    Menu(&'s mut MenuPlus<'w, 'p>, usize, usize),
    /// A modifier option: unique among the option's own PLUs. `record` is false when the
    /// option has no portions or swap, so its one PLU cannot repeat (and costs nothing).
    Option {
        seen: Vec<(&'w str, Sub)>,
        record: bool,
    },
}

impl<'w> Scope<'_, 'w, '_> {
    fn claim(
        &mut self,
        r: &mut Violations,
        item: &Path<'_>,
        plu: &'w str,
        sub: Sub,
        definition: Definition<'w>,
    ) {
        match self {
            Scope::Menu(plus, category, position) => match plus.first.get(plu) {
                Some(&(c, i, first, ref earlier)) => match earlier.conflict(&definition) {
                    None => plus.repeats = true,
                    Some(why) => r.push(
                        "duplicate_plu",
                        PluAt(item, sub),
                        format!(
                            "PLU {plu} is also defined at {}.categories[{c}].items[{i}]{first}.plu \
                             and the two differ ({why}); a PLU listed twice must have the same \
                             price and modifiers",
                            plus.menu
                        ),
                    ),
                },
                None => {
                    plus.first
                        .insert(plu, (*category, *position, sub, definition));
                }
            },
            Scope::Option { seen, record } => match seen.iter().find(|(seen, _)| *seen == plu) {
                Some(&(_, first)) => r.push(
                    "duplicate_plu",
                    PluAt(item, sub),
                    format!("PLU {plu} is already used at {}", PluAt(item, first)),
                ),
                None if *record => seen.push((plu, sub)),
                None => {}
            },
        }
    }
}

/// The menu's type (when valid) and whether some PLU is listed more than once.
pub(super) fn menu_rules(
    r: &mut Violations,
    menu: &Menu<'_>,
    path: &Path<'_>,
) -> (Option<MenuType>, bool) {
    r.present(&menu.name, path.field("name"));
    r.present(&menu.reference, path.field("reference"));
    let menu_type = match menu.menu_type.as_deref() {
        None => {
            r.missing(path.field("type"));
            None
        }
        Some("DELIVERY") => Some(MenuType::Delivery),
        Some("COLLECTION") => Some(MenuType::Collection),
        Some(other) => {
            r.one_of(other, &["COLLECTION", "DELIVERY"], path.field("type"));
            None
        }
    };
    translations(r, &menu.translations, &path.field("translations"), false);
    if let Some(days) = &menu.availability {
        availability(r, days, path.field("availability"));
    }
    // Sized up front for the PLUs a valid menu claims: rehashing thousands of entries as
    // the map grows would cost more than the count.
    let claims: usize = menu
        .categories
        .iter()
        .flatten()
        .flat_map(|c| c.items.iter().flatten())
        .map(|item| {
            1 + item.portions.as_ref().map_or(0, Vec::len)
                + item
                    .swap
                    .as_ref()
                    .and_then(|s| s.options.as_ref())
                    .map_or(0, Vec::len)
        })
        .sum();
    let mut plus = MenuPlus {
        menu: path,
        first: HashMap::with_capacity(claims),
        repeats: false,
    };
    match &menu.categories {
        None => r.missing(path.field("categories")),
        Some(categories) => {
            let list = path.field("categories");
            for (i, category) in categories.iter().enumerate() {
                category_rules(r, category, &list.index(i), i, &mut plus);
            }
        }
    }
    (menu_type, plus.repeats)
}

pub(super) fn translations(
    r: &mut Violations,
    map: &Option<Translations<'_>>,
    path: &Path<'_>,
    with_description: bool,
) {
    let Some(map) = map else { return };
    // One translation (the usual case) needs no sorting, so no list of references.
    let sorted;
    let entries: &[(&Text<'_>, &Translation<'_>)] = match map.0.as_slice() {
        [] => &[],
        [(lang, t)] => &[(lang, t)],
        _ => {
            sorted = map.by_tag();
            &sorted
        }
    };
    for &(lang, t) in entries {
        let p = path.field(lang);
        r.present(&t.name, p.field("name"));
        if with_description {
            r.present(&t.description, p.field("description"));
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

/// Whether `text` matches the spec's `^[0-2][0-9]:[0-5][0-9] - [0-2][0-9]:[0-5][0-9]$`.
pub(super) fn is_working_hours(text: &str) -> bool {
    let b = text.as_bytes();
    let time = |t: &[u8]| {
        matches!(t, [h, d, b':', m, n]
            if (b'0'..=b'2').contains(h) && d.is_ascii_digit()
                && (b'0'..=b'5').contains(m) && n.is_ascii_digit())
    };
    let &[h1, h2, c1, m1, m2, b' ', b'-', b' ', h3, h4, c2, m3, m4] = b else {
        return false;
    };
    time(&[h1, h2, c1, m1, m2]) && time(&[h3, h4, c2, m3, m4])
}

/// Menu hours: the spec's pattern, nothing more. They are not carried into the Jupiter
/// menu, so a window such as `"08:00 - 24:00"` or a day key the hub does not use is
/// accepted as published.
pub(super) fn availability(
    r: &mut Violations,
    days: &BTreeMap<Text<'_>, Vec<Text<'_>>>,
    path: Path<'_>,
) {
    for (day, windows) in days {
        for (i, window) in windows.iter().enumerate() {
            if !is_working_hours(window) {
                r.push(
                    "invalid_window",
                    path.field(day).index(i),
                    format!(
                        "must look like \"10:00 - 23:30\" (hh:mm - hh:mm), got {:?}",
                        window.as_str()
                    ),
                );
            }
        }
    }
}

pub(super) fn gallery(r: &mut Violations, images: &Option<Vec<Image<'_>>>, path: &Path<'_>) {
    for (i, image) in images.iter().flatten().enumerate() {
        let at = path.index(i);
        let p = at.field("url");
        match image.url.as_deref() {
            None => r.missing(p),
            Some(url) if !is_absolute_http_url(url) => {
                r.push("invalid_url", p, "must be an absolute http or https URL")
            }
            Some(_) => {}
        }
    }
}

pub(super) fn category_rules<'w>(
    r: &mut Violations,
    category: &'w Category<'_>,
    path: &Path<'_>,
    position: usize,
    plus: &mut MenuPlus<'w, '_>,
) {
    r.present(&category.name, path.field("name"));
    r.present(&category.description, path.field("description"));
    translations(r, &category.translations, &path.field("translations"), true);
    gallery(r, &category.gallery, &path.field("gallery"));
    match &category.items {
        None => r.missing(path.field("items")),
        Some(items) => {
            let list = path.field("items");
            for (i, item) in items.iter().enumerate() {
                item_rules(r, item, &list.index(i), 0, Scope::Menu(plus, position, i));
            }
        }
    }
}

/// An item at `depth` (0 for a category's items; an option of a depth-d group is at d).
/// `scope` is where its PLUs must be unique: the menu for top-level items, the option
/// itself for options.
pub(super) fn item_rules<'w>(
    r: &mut Violations,
    item: &'w Item<'_>,
    path: &Path<'_>,
    depth: usize,
    mut scope: Scope<'_, 'w, '_>,
) {
    r.present(&item.name, path.field("name"));
    let item_groups: &'w [Modifier<'_>] = item.modifiers.as_deref().unwrap_or(&[]);
    // A blank PLU is the swap's to supply: only with at least one swap option is there a
    // Jupiter item to sell.
    let swap_supplies_plu = depth == 0
        && item
            .swap
            .as_ref()
            .is_some_and(|s| s.options.as_ref().is_some_and(|o| !o.is_empty()));
    match item.plu.as_deref() {
        None => r.missing(path.field("plu")),
        Some(raw) if raw.trim().is_empty() && swap_supplies_plu => {}
        Some(raw) => {
            if let Some(plu) = r.plu(raw, path.field("plu")) {
                let definition = Definition {
                    price: item.price.unwrap_or(0),
                    groups: item_groups,
                    more_groups: &[],
                };
                scope.claim(r, path, plu, Sub::Own, definition);
            }
        }
    }
    for (i, portion) in item.portions.iter().flatten().enumerate() {
        portion_rules(r, portion, item_groups, path, i, depth, &mut scope);
    }
    if let Some(swap) = &item.swap {
        swap_rules(r, swap, item_groups, path, &mut scope);
    }
    details(r, item, path, depth);
}

/// Everything about an item except its PLU, portions and swap.
pub(super) fn details(r: &mut Violations, item: &Item<'_>, path: &Path<'_>, depth: usize) {
    if let Some(price) = item.price {
        r.price(price, path.field("price"));
    }
    translations(r, &item.translations, &path.field("translations"), false);
    if let Some(tax) = &item.tax_category {
        r.one_of(tax, TAX_CATEGORIES, path.field("tax_category"));
    }
    if let Some(s) = &item.spiciness {
        r.one_of(s, SPICINESS, path.field("spiciness"));
    }
    let list = path.field("dietary_restrictions");
    for (i, d) in item.dietary_restrictions.iter().flatten().enumerate() {
        r.one_of(d, DIETS, list.index(i));
    }
    let list = path.field("allergens");
    for (i, a) in item.allergens.iter().flatten().enumerate() {
        r.one_of(a, ALLERGENS, list.index(i));
    }
    gallery(r, &item.gallery, &path.field("gallery"));
    product_facts(
        r,
        ProductFacts {
            nutritional_info: item.nutritional_info.as_ref(),
            nutritional_info_range: item.nutritional_info_range.as_deref(),
            servings: item.servings,
            servings_range: item.servings_range.as_deref(),
            caffeine: item.caffeine.as_deref(),
            volume: item.volume.as_deref(),
            weight: item.weight.as_ref(),
            deposit: item.deposit.as_deref(),
            manufacturer: item.manufacturer.as_deref(),
            storage: item.storage.as_deref(),
        },
        path,
    );
    let list = path.field("includes");
    for (i, include) in item.includes.iter().flatten().enumerate() {
        let p = list.index(i);
        r.present(&include.name, p.field("name"));
        r.present(&include.description, p.field("description"));
        // Includes are not carried into the Jupiter menu: their PLU is only required.
        r.present(&include.plu, p.field("plu"));
        groups(r, &include.modifiers, &p, depth, true);
    }
    let list = path.field("ingredients");
    for (i, ingredient) in item.ingredients.iter().flatten().enumerate() {
        let p = list.index(i);
        r.present(&ingredient.name, p.field("name"));
        translations(r, &ingredient.translations, &p.field("translations"), false);
    }
    groups(r, &item.modifiers, path, depth, false);
}

/// The modifier groups of something at `depth`; `required` when the array itself is.
pub(super) fn groups(
    r: &mut Violations,
    groups: &Option<Vec<Modifier<'_>>>,
    path: &Path<'_>,
    depth: usize,
    required: bool,
) {
    let p = path.field("modifiers");
    match groups {
        None if required => r.missing(p),
        None => {}
        Some(list) if !list.is_empty() && depth + 1 > MAX_MODIFIER_DEPTH => r.push(
            "too_deep",
            p,
            format!("modifier groups nest at most {MAX_MODIFIER_DEPTH} deep"),
        ),
        Some(list) => {
            for (i, group) in list.iter().enumerate() {
                modifier_rules(r, group, &p.index(i), depth + 1);
            }
        }
    }
}

/// Groups up to this many options look for a repeated PLU by scanning the earlier
/// options; larger ones use a hash map.
pub(super) const SCAN_OPTIONS: usize = 16;

pub(super) fn modifier_rules(
    r: &mut Violations,
    group: &Modifier<'_>,
    path: &Path<'_>,
    depth: usize,
) {
    r.present(&group.name, path.field("name"));
    r.present(&group.description, path.field("description"));
    translations(r, &group.translations, &path.field("translations"), true);
    let options = group.options.as_deref().unwrap_or(&[]);
    let list = path.field("options");
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, option) in options.iter().enumerate() {
        let p = list.index(i);
        let record =
            option.portions.as_ref().is_some_and(|v| !v.is_empty()) || option.swap.is_some();
        item_rules(
            r,
            option,
            &p,
            depth,
            Scope::Option {
                seen: Vec::new(),
                record,
            },
        );
        // item_rules reported a bad PLU already; here only repeats within the group.
        if let Some(plu) = option.plu.as_deref().and_then(plu_text) {
            let first = if options.len() <= SCAN_OPTIONS {
                options
                    .iter()
                    .take(i)
                    .position(|o| o.plu.as_deref().and_then(plu_text) == Some(plu))
            } else {
                match seen.get(plu) {
                    Some(&j) => Some(j),
                    None => {
                        seen.insert(plu, i);
                        None
                    }
                }
            };
            if let Some(j) = first {
                r.push(
                    "duplicate_plu",
                    p.field("plu"),
                    format!("PLU {plu} is already used at {list}[{j}].plu"),
                );
            }
        }
    }
    let p = path.field("pick");
    let Some(pick) = &group.pick else {
        r.missing(p);
        return;
    };
    if pick.pick_same_option.is_none() {
        r.missing(p.field("pick_same_option"));
    }
    let repeats = pick.pick_same_option.unwrap_or(false);
    let count = options.len() as i64;
    let limit_applies = !repeats && count > 0;
    match (pick.exactly, &pick.range) {
        // `pick` is the merge (allOf) of both parts; both given can be honoured only when
        // they agree.
        (Some(n), Some(range))
            if range.from.is_some_and(|from| n < from) || range.to.is_some_and(|to| n > to) =>
        {
            r.push(
                "conflicting_pick",
                p,
                format!(
                    "exactly {n} lies outside range {}..{}",
                    range.from.unwrap_or(0),
                    range.to.unwrap_or(0)
                ),
            )
        }
        (Some(n), _) => {
            if n < 0 {
                r.push("invalid_pick", p.field("exactly"), "must not be negative");
            } else if limit_applies && n > count {
                r.push(
                    "invalid_pick",
                    p.field("exactly"),
                    format!("asks for {n} different options but the group has {count}"),
                );
            }
        }
        (None, Some(range)) => {
            let (from_p, to_p) = (p.field("range.from"), p.field("range.to"));
            if range.from.is_none() {
                r.missing(from_p);
            }
            if range.to.is_none() {
                r.missing(to_p);
            }
            if let (Some(from), Some(to)) = (range.from, range.to) {
                if from < 0 {
                    r.push("invalid_pick", from_p, "must not be negative");
                } else if from > to {
                    r.push(
                        "invalid_pick",
                        p,
                        format!("range from {from} is above to {to}"),
                    );
                } else if limit_applies && from > count {
                    r.push(
                        "invalid_pick",
                        from_p,
                        format!(
                            "asks for at least {from} different options but the group has {count}"
                        ),
                    );
                }
            }
        }
        (None, None) => {}
    }
}

pub(super) fn portion_rules<'w>(
    r: &mut Violations,
    portion: &'w Portion<'_>,
    item_groups: &'w [Modifier<'_>],
    item: &Path<'_>,
    position: usize,
    depth: usize,
    scope: &mut Scope<'_, 'w, '_>,
) {
    let list = item.field("portions");
    let path = list.index(position);
    r.present(&portion.name, path.field("name"));
    r.present(&portion.description, path.field("description"));
    if let Some(raw) = r.present(&portion.plu, path.field("plu")) {
        if let Some(plu) = r.plu(raw, path.field("plu")) {
            let definition = Definition {
                price: portion.price.unwrap_or(0),
                groups: item_groups,
                more_groups: portion.modifiers.as_deref().unwrap_or(&[]),
            };
            scope.claim(r, item, plu, Sub::Portion(position), definition);
        }
    }
    match portion.price {
        None => r.missing(path.field("price")),
        Some(price) => r.price(price, path.field("price")),
    }
    groups(r, &portion.modifiers, &path, depth, true);
    product_facts(
        r,
        ProductFacts {
            nutritional_info: portion.nutritional_info.as_ref(),
            nutritional_info_range: portion.nutritional_info_range.as_deref(),
            servings: portion.servings,
            servings_range: portion.servings_range.as_deref(),
            caffeine: portion.caffeine.as_deref(),
            volume: portion.volume.as_deref(),
            weight: portion.weight.as_ref(),
            deposit: portion.deposit.as_deref(),
            manufacturer: portion.manufacturer.as_deref(),
            storage: portion.storage.as_deref(),
        },
        &path,
    );
}

pub(super) fn swap_rules<'w>(
    r: &mut Violations,
    swap: &'w Swap<'_>,
    item_groups: &'w [Modifier<'_>],
    item: &Path<'_>,
    scope: &mut Scope<'_, 'w, '_>,
) {
    let path = item.field("swap");
    r.present(&swap.name, path.field("name"));
    match &swap.options {
        None => r.missing(path.field("options")),
        Some(options) => {
            let list = path.field("options");
            for (i, option) in options.iter().enumerate() {
                let p = list.index(i);
                r.present(&option.name, p.field("name"));
                r.present(&option.reference, p.field("reference"));
                if let Some(raw) = r.present(&option.plu, p.field("plu")) {
                    if let Some(plu) = r.plu(raw, p.field("plu")) {
                        let definition = Definition {
                            price: option.price.unwrap_or(0),
                            groups: item_groups,
                            more_groups: &[],
                        };
                        scope.claim(r, item, plu, Sub::SwapOption(i), definition);
                    }
                }
                match option.price {
                    None => r.missing(p.field("price")),
                    Some(price) => r.price(price, p.field("price")),
                }
                if let Some(tax) = &option.tax_category {
                    r.one_of(tax, TAX_CATEGORIES, p.field("tax_category"));
                }
                translations(r, &option.translations, &p.field("translations"), false);
            }
        }
    }
}

/// The nutrition, servings and grocery fields that items and portions share.
pub(super) struct ProductFacts<'f, 'w> {
    pub(super) nutritional_info: Option<&'f NutritionalInfo>,
    pub(super) nutritional_info_range: Option<&'f NutritionalInfoRange>,
    pub(super) servings: Option<i64>,
    pub(super) servings_range: Option<&'f Range>,
    pub(super) caffeine: Option<&'f Caffeine<'w>>,
    pub(super) volume: Option<&'f Volume<'w>>,
    pub(super) weight: Option<&'f Weight<'w>>,
    pub(super) deposit: Option<&'f Deposit<'w>>,
    pub(super) manufacturer: Option<&'f Manufacturer<'w>>,
    pub(super) storage: Option<&'f Storage<'w>>,
}

/// An `int32` field: in range (the spec sets no other bound).
pub(super) fn int32(r: &mut Violations, v: Option<i64>, p: Path<'_>) {
    if v.is_some_and(|v| i32::try_from(v).is_err()) {
        r.push("invalid_value", p, "must be a 32-bit integer");
    }
}

pub(super) fn range_rules(r: &mut Violations, range: Option<&Range>, p: Path<'_>) {
    if let Some(range) = range {
        if range.min.is_none() {
            r.missing(p.field("min"));
        }
        if range.max.is_none() {
            r.missing(p.field("max"));
        }
        // Range is `{min: int32, max: int32}` and nothing more: the published nutrition
        // example sends `min: -1`. Not carried into the Jupiter menu.
        int32(r, range.min, p.field("min"));
        int32(r, range.max, p.field("max"));
    }
}

pub(super) fn product_facts(r: &mut Violations, f: ProductFacts<'_, '_>, path: &Path<'_>) {
    if let Some(n) = f.nutritional_info {
        int32(r, n.kcal, path.field("nutritional_info.kcal"));
        int32(r, n.kj, path.field("nutritional_info.kj"));
    }
    if let Some(n) = f.nutritional_info_range {
        range_rules(
            r,
            n.kcal_range.as_ref(),
            path.field("nutritional_info_range.kcal_range"),
        );
        range_rules(
            r,
            n.kj_range.as_ref(),
            path.field("nutritional_info_range.kj_range"),
        );
    }
    int32(r, f.servings, path.field("servings"));
    range_rules(r, f.servings_range, path.field("servings_range"));
    if let Some(c) = f.caffeine {
        r.present(&c.unit_name, path.field("caffeine.unit_name"));
        if c.value.is_none() {
            r.missing(path.field("caffeine.value"));
        }
    }
    if let Some(v) = f.volume {
        r.present(&v.unit_name, path.field("volume.unit_name"));
        if v.gross_value.is_none() {
            r.missing(path.field("volume.gross_value"));
        }
    }
    if let Some(w) = f.weight {
        r.present(&w.unit_name, path.field("weight.unit_name"));
        if w.gross_value.is_none() {
            r.missing(path.field("weight.gross_value"));
        }
        if w.net_value.is_none() {
            r.missing(path.field("weight.net_value"));
        }
    }
    if let Some(d) = f.deposit {
        let p = path.field("deposit");
        match d.deposit_type.as_deref() {
            None => r.missing(p.field("type")),
            Some(t) => r.one_of(t, DEPOSIT_TYPES, p.field("type")),
        }
        match d.amount {
            None => r.missing(p.field("amount")),
            // Not carried into the Jupiter menu: an int32, as the spec types it.
            Some(a) => int32(r, Some(a), p.field("amount")),
        }
        if d.included_in_total_price.is_none() {
            r.missing(p.field("included_in_total_price"));
        }
    }
    if let Some(m) = f.manufacturer {
        let p = path.field("manufacturer");
        r.present(&m.name, p.field("name"));
        r.present(&m.brand, p.field("brand"));
        r.present(&m.country_of_origin, p.field("country_of_origin"));
    }
    if let Some(s) = f.storage {
        r.present(&s.storage_type, path.field("storage.type"));
    }
}
