//! Conversion of an ingested JET Connect menu into the Jupiter `/menu` shape (pure).
//!
//! Front-ends read menus in Jupiter form whatever protocol wrote them. This is how each
//! field maps (the edge copies this table into ARCHITECTURE.md):
//!
//! | Jupiter (`/menu`)                      | from JET Connect (`POST /menus`) |
//! |----------------------------------------|----------------------------------|
//! | `concept_id`                           | the menu's `reference`; `""` → [`DEFAULT_CONCEPT`] |
//! | which menu of a concept                | a concept keeps one menu per `type`: a `DELIVERY` and a `COLLECTION` menu of one reference are both stored ([`menus_by_concept`]; a request with two of one reference and type is refused). `GET /site-api/menu` serves the `DELIVERY` menu, and the `COLLECTION` one with `&delivery_method=pickup` ([`service_for_delivery_method`]; either falls back to the other when it is the concept's only menu, [`pick_service`]). An order is checked against the menu of its service type ([`menu_for_order`]) |
//! | `menu.lastChange`                      | the ingestion time (`now`, RFC 3339 with the restaurant's offset) |
//! | `categories[].id`                      | `jet-` + FNV-1a 64 of the category `name` in hex (16 digits); the n-th repeat of a name in one menu gets `-n` (n ≥ 2). Stable across re-ingestions while the name stays |
//! | `categories[].name`                    | `name` (default language; translations are not carried, Jupiter has none) |
//! | `categories[].sortOrder`               | position of the category in the menu |
//! | `categories[].images`                  | `gallery[]` → `{url, updatedAt: now}` |
//! | `items[].id`                           | the item's `plu`. A PLU listed in several categories (a "Most popular" category) with the same price and modifiers is **one** item, in the first category listing it (Jupiter item ids are unique and an item has one `categoryId`); listings that differ are refused by validation |
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
//! | nested groups (an option's `modifiers`) | flattened onto the item after its parent group, named `Option: Group`, **keeping their own min/max** (an "exactly 1" drink size in a meal deal is 1/1), with two extension fields Jupiter clients ignore: `parentGroupId` (the parent group's id) and `parentModifierId` (the option's PLU). The group applies only when that option is chosen: the hub's own order validation counts it then only. (Before issue 16 a nested group was served with min 0, i.e. optional.) |
//! | groups with no options                 | left out (nothing to choose) |
//! | `out_of_stock`                         | not a menu field in Jupiter: [`out_of_stock_plus`] lists the PLUs so the edge puts them on the stop list |
//! | not carried                            | `translations`, `default_language`, `availability` (menu hours), `reference`s, `includes`, `ingredients`, `allergens`, `additives`, `is_alcoholic`, `tax_category`, nutrition (Jupiter's `nutrients` are per 100 g, JET's per item), servings, caffeine, alcohol, deposit, manufacturer, storage, `gtin` |

use crate::domain::Money;
use crate::jet::order::validate::Fulfilment;
use crate::jet::validate::MenuType;
/// The conversion's input: a validated menu (borrowing the request bytes, or owned).
pub use crate::jet::validate::{ValidMenu, ValidMenus, ValidatedMenu};
use crate::jet::wire::{Image, Item, Modifier, Text, Volume, Weight};
use crate::jupiter;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use serde_json::Number;
use std::collections::{HashMap, HashSet};
use std::fmt;

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
    format!("jet-{:016x}", name_hash(name))
}

/// FNV-1a 64 of a name.
fn name_hash(name: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in name.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Converts one validated JET menu into a Jupiter menu. `now` is the `lastChange` to
/// stamp, already formatted as RFC 3339 with the restaurant's offset.
///
/// This is [`jupiter_menu`] copied into owned strings; to store the menu, serialise the
/// view instead (the same JSON, without the copies).
pub fn menu_to_jupiter(menu: &ValidatedMenu<'_>, now: &str) -> jupiter::Menu {
    jupiter_menu(menu, now).to_owned_menu()
}

/// The Jupiter form of one validated JET menu, borrowing every string it can from the
/// menu (and so from the request bytes). It serialises to exactly the JSON of
/// [`menu_to_jupiter`]'s `jupiter::Menu` (a test compares them byte for byte); ids and
/// names that Jupiter composes (`jet-…` category ids, `<item>:<n>` group ids,
/// `Item (Portion)`, `Option: Group`) are written straight into the output, and groups,
/// options, images and tags are walked from the wire tree as they are written.
#[derive(Debug, Clone)]
pub struct JupiterMenu<'v> {
    now: &'v str,
    categories: Vec<CategoryView<'v>>,
    items: Vec<ItemView<'v>>,
}

/// Builds the [`JupiterMenu`] of one validated JET menu (see [`menu_to_jupiter`] for the
/// mapping).
pub fn jupiter_menu<'v>(menu: &'v ValidatedMenu<'_>, now: &'v str) -> JupiterMenu<'v> {
    let wire_categories = menu.wire().categories.as_deref().unwrap_or(&[]);
    // Sized up front: growing a vector of thousands of items copies it several times.
    let count: usize = wire_categories
        .iter()
        .flat_map(|c| c.items.iter().flatten())
        .map(jupiter_items_of)
        .sum();
    let mut categories = Vec::with_capacity(wire_categories.len());
    let mut items = Vec::with_capacity(count);
    let mut seen: HashMap<&str, usize> = HashMap::new();
    // A PLU listed in several categories (validation made sure each listing agrees) is one
    // Jupiter item, in the first category that lists it: Jupiter item ids are unique and an
    // item has one `categoryId`. Only a menu with repeats pays for the set.
    let mut emitted: Option<HashSet<&str>> =
        menu.repeats_plus().then(|| HashSet::with_capacity(count));
    for (position, category) in wire_categories.iter().enumerate() {
        let name = category.name.as_deref().unwrap_or_default();
        let count = seen.entry(name).or_insert(0);
        *count += 1;
        let id = CategoryId {
            hash: name_hash(name),
            repeat: *count,
        };
        let first = items.len();
        for item in category.items.iter().flatten() {
            let from = items.len();
            emit_item(item, id, &mut items);
            if let Some(emitted) = emitted.as_mut() {
                // Of the items just emitted, keep those whose id is new.
                let mut k = 0;
                items.retain(|item| {
                    k += 1;
                    k <= from || emitted.insert(item.id)
                });
            }
        }
        for (sort, item) in items.iter_mut().skip(first).enumerate() {
            item.sort_order = sort as i64;
        }
        categories.push(CategoryView {
            now,
            id,
            name,
            sort_order: position as i64,
            gallery: category.gallery.as_deref().unwrap_or(&[]),
        });
    }
    JupiterMenu {
        now,
        categories,
        items,
    }
}

impl JupiterMenu<'_> {
    /// How many Jupiter items the menu has (portions and swap options count one each).
    pub fn item_count(&self) -> usize {
        self.items.len()
    }

    /// The same menu with owned strings.
    pub fn to_owned_menu(&self) -> jupiter::Menu {
        let now = self.now;
        jupiter::Menu {
            last_change: now.to_owned(),
            categories: self
                .categories
                .iter()
                .map(|c| jupiter::Category {
                    id: c.id.to_string(),
                    name: c.name.to_owned(),
                    sort_order: Some(c.sort_order),
                    images: Some(images(c.gallery, Some(now))),
                })
                .collect(),
            items: self.items.iter().map(ItemView::to_owned_item).collect(),
        }
    }
}

/// `jet-` + FNV-1a 64 of the category name, and `-n` for its n-th repeat (n ≥ 2).
#[derive(Debug, Clone, Copy)]
struct CategoryId {
    hash: u64,
    repeat: usize,
}

impl fmt::Display for CategoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "jet-{:016x}", self.hash)?;
        if self.repeat > 1 {
            write!(f, "-{}", self.repeat)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone)]
struct CategoryView<'v> {
    now: &'v str,
    id: CategoryId,
    name: &'v str,
    sort_order: i64,
    gallery: &'v [Image<'v>],
}

/// `name`, or `name (suffix)` for a portion or swap option.
#[derive(Debug, Clone, Copy)]
struct ItemName<'v> {
    name: &'v str,
    suffix: Option<&'v str>,
}

impl fmt::Display for ItemName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.suffix {
            None => f.write_str(self.name),
            Some(suffix) => write!(f, "{} ({suffix})", self.name),
        }
    }
}

#[derive(Debug, Clone)]
struct ItemView<'v> {
    id: &'v str,
    category_id: CategoryId,
    name: ItemName<'v>,
    description: Option<&'v str>,
    price: Money,
    vat: Option<&'v Number>,
    measure: Option<(&'v Number, &'static str)>,
    sort_order: i64,
    /// The item's JET groups, then (for a portion) the portion's.
    groups: &'v [Modifier<'v>],
    more_groups: &'v [Modifier<'v>],
    gallery: &'v [Image<'v>],
    /// The JET item, for its tags.
    item: &'v Item<'v>,
}

impl ItemView<'_> {
    fn to_owned_item(&self) -> jupiter::Item {
        let mut groups = Vec::new();
        let _ = self.for_each_group(&mut |g: GroupView<'_>| -> Result<(), ()> {
            groups.push(g.owned_group());
            Ok(())
        });
        jupiter::Item {
            id: self.id.to_owned(),
            category_id: self.category_id.to_string(),
            name: self.name.to_string(),
            description: self.description.map(str::to_owned),
            price: self.price,
            vat: self.vat.cloned(),
            measure: self.measure.map(|(m, _)| m.clone()),
            measure_unit: self.measure.map(|(_, unit)| unit.to_owned()),
            sort_order: Some(self.sort_order),
            nutrients: None,
            modifiers: Some(groups),
            images: Some(images(self.gallery, None)),
            tags: Some(
                tags(self.item)
                    .map(|name| jupiter::Tag {
                        name: name.to_owned(),
                    })
                    .collect(),
            ),
        }
    }

    /// The Jupiter groups of this item in order: its JET groups, each followed by the groups
    /// nested under its options (flattened, optional); groups without options are left out.
    fn for_each_group<E>(
        &self,
        f: &mut dyn FnMut(GroupView<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut position = 0;
        for group in self.groups.iter().chain(self.more_groups) {
            flatten_group(self.id, group, None, &mut position, f)?;
        }
        Ok(())
    }
}

/// The option a nested group hangs under: its name (for `Option: Group`), its id and the
/// position of its group on the Jupiter item.
#[derive(Clone, Copy)]
struct Parent<'v> {
    option_name: &'v str,
    option_id: &'v str,
    group_position: usize,
}

fn flatten_group<'v, E>(
    item_id: &'v str,
    group: &'v Modifier<'v>,
    parent: Option<Parent<'v>>,
    position: &mut usize,
    f: &mut dyn FnMut(GroupView<'_>) -> Result<(), E>,
) -> Result<(), E> {
    let own_position = *position;
    let options = group.options.as_deref().unwrap_or(&[]);
    if !options.is_empty() {
        let pick = group.pick.as_ref();
        let repeats = pick.and_then(|p| p.pick_same_option).unwrap_or(false);
        let to_u32 = |n: i64| u32::try_from(n.max(0)).unwrap_or(u32::MAX);
        let count = u32::try_from(options.len()).unwrap_or(u32::MAX);
        let (min, max) = match (
            pick.and_then(|p| p.exactly),
            pick.and_then(|p| p.range.as_ref()),
        ) {
            (Some(n), _) => (to_u32(n), to_u32(n)),
            (None, Some(range)) => (
                to_u32(range.from.unwrap_or(0)),
                to_u32(range.to.unwrap_or(0)),
            ),
            (None, None) if repeats => (0, UNLIMITED_PICKS),
            (None, None) => (0, count),
        };
        f(GroupView {
            item_id,
            position: *position,
            name: group.name.as_deref().unwrap_or_default(),
            parent,
            // A nested group keeps its own limits: they apply when its option is chosen
            // (`parentGroupId`/`parentModifierId` say which), as in JET Connect.
            min,
            max,
            max_amount: if repeats { max } else { 1 },
            options,
        })?;
        *position += 1;
    }
    for option in options {
        let parent = Parent {
            option_name: option.name.as_deref().unwrap_or(""),
            option_id: plu_of(&option.plu),
            group_position: own_position,
        };
        for nested in option.modifiers.iter().flatten() {
            flatten_group(item_id, nested, Some(parent), position, f)?;
        }
    }
    Ok(())
}

/// One Jupiter modifier group: id `<item id>:<position>`, its options as modifiers.
#[derive(Clone, Copy)]
struct GroupView<'v> {
    item_id: &'v str,
    position: usize,
    name: &'v str,
    /// For a nested group: the option it hangs under (`Option: Group`).
    parent: Option<Parent<'v>>,
    min: u32,
    max: u32,
    /// Of each option.
    max_amount: u32,
    options: &'v [Item<'v>],
}

impl GroupView<'_> {
    fn id(&self) -> GroupId<'_> {
        GroupId(self.item_id, self.position)
    }
    fn name(&self) -> GroupName<'_> {
        GroupName(self.parent.map(|p| p.option_name), self.name)
    }
    fn parent_group_id(&self) -> Option<GroupId<'_>> {
        self.parent.map(|p| GroupId(self.item_id, p.group_position))
    }
    fn owned_group(self) -> jupiter::ModifierGroup {
        jupiter::ModifierGroup {
            id: self.id().to_string(),
            name: self.name().to_string(),
            min_selected_modifiers: self.min,
            max_selected_modifiers: self.max,
            sort_order: Some(self.position as i64),
            parent_group_id: self.parent_group_id().map(|id| id.to_string()),
            parent_modifier_id: self.parent.map(|p| p.option_id.to_owned()),
            modifiers: self
                .options
                .iter()
                .enumerate()
                .map(|(i, option)| jupiter::Modifier {
                    id: plu_of(&option.plu).to_owned(),
                    name: option.name.as_deref().unwrap_or_default().to_owned(),
                    price: money(option.price),
                    vat: option.tax_percentage.clone(),
                    min_amount: 0,
                    max_amount: self.max_amount,
                    sort_order: Some(i as i64),
                })
                .collect(),
        }
    }
}

struct GroupId<'v>(&'v str, usize);

impl fmt::Display for GroupId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.0, self.1)
    }
}

struct GroupName<'v>(Option<&'v str>, &'v str);

impl fmt::Display for GroupName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(option) => write!(f, "{option}: {}", self.1),
            None => f.write_str(self.1),
        }
    }
}

// Serialisation, field for field as serde derives it for the `jupiter` types (names,
// order, and the `skip_serializing_if = "Option::is_none"` fields left out). serde_json
// writes a sequence of unknown length exactly as one of known length.

impl Serialize for JupiterMenu<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_struct("Menu", 3)?;
        m.serialize_field("lastChange", self.now)?;
        m.serialize_field("categories", &self.categories)?;
        m.serialize_field("items", &self.items)?;
        m.end()
    }
}

impl Serialize for CategoryView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_struct("Category", 4)?;
        m.serialize_field("id", &Collected(&self.id))?;
        m.serialize_field("name", self.name)?;
        m.serialize_field("sortOrder", &self.sort_order)?;
        m.serialize_field("images", &Images(self.gallery, Some(self.now)))?;
        m.end()
    }
}

impl Serialize for ItemView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let len = 8
            + usize::from(self.description.is_some())
            + usize::from(self.vat.is_some())
            + 2 * usize::from(self.measure.is_some());
        let mut m = s.serialize_struct("Item", len)?;
        m.serialize_field("id", self.id)?;
        m.serialize_field("categoryId", &Collected(&self.category_id))?;
        m.serialize_field("name", &Collected(&self.name))?;
        if let Some(description) = self.description {
            m.serialize_field("description", description)?;
        }
        m.serialize_field("price", &Roubles(self.price))?;
        if let Some(vat) = self.vat {
            m.serialize_field("vat", vat)?;
        }
        if let Some((measure, unit)) = self.measure {
            m.serialize_field("measure", measure)?;
            m.serialize_field("measureUnit", unit)?;
        }
        m.serialize_field("sortOrder", &self.sort_order)?;
        m.serialize_field("modifiers", &Groups(self))?;
        m.serialize_field("images", &Images(self.gallery, None))?;
        m.serialize_field("tags", &Tags(self.item))?;
        m.end()
    }
}

/// A `Display` value written as a JSON string without an intermediate `String`.
struct Collected<'x, T: fmt::Display>(&'x T);

impl<T: fmt::Display> Serialize for Collected<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self.0)
    }
}

/// An amount exactly as [`jupiter::roubles`] writes it, without its decimal text: that
/// parses `"12.34"` into the nearest `f64`, which is what dividing the exact integer 1234
/// by 100 gives (IEEE division is correctly rounded, and both operands are exact below
/// 2⁵³). A test checks the two agree.
struct Roubles(Money);

impl Serialize for Roubles {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let minor = self.0.minor();
        match self.0.split() {
            (whole, 0) => s.serialize_i64(whole),
            _ if (0..1_i64 << 53).contains(&minor) => s.serialize_f64(minor as f64 / 100.0),
            _ => jupiter::roubles::serialize(&self.0, s),
        }
    }
}

struct Groups<'x, 'v>(&'x ItemView<'v>);

impl Serialize for Groups<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        self.0
            .for_each_group(&mut |group: GroupView<'_>| seq.serialize_element(&group))?;
        seq.end()
    }
}

impl Serialize for GroupView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m =
            s.serialize_struct("ModifierGroup", 6 + 2 * usize::from(self.parent.is_some()))?;
        m.serialize_field("id", &Collected(&self.id()))?;
        m.serialize_field("name", &Collected(&self.name()))?;
        m.serialize_field("minSelectedModifiers", &self.min)?;
        m.serialize_field("maxSelectedModifiers", &self.max)?;
        m.serialize_field("sortOrder", &(self.position as i64))?;
        if let (Some(group), Some(parent)) = (self.parent_group_id(), self.parent) {
            m.serialize_field("parentGroupId", &Collected(&group))?;
            m.serialize_field("parentModifierId", parent.option_id)?;
        }
        m.serialize_field("modifiers", &Options(self))?;
        m.end()
    }
}

struct Options<'x, 'v>(&'x GroupView<'v>);

impl Serialize for Options<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.options.len()))?;
        for (i, option) in self.0.options.iter().enumerate() {
            seq.serialize_element(&OptionView {
                option,
                max_amount: self.0.max_amount,
                sort_order: i as i64,
            })?;
        }
        seq.end()
    }
}

struct OptionView<'x, 'v> {
    option: &'x Item<'v>,
    max_amount: u32,
    sort_order: i64,
}

impl Serialize for OptionView<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let vat = self.option.tax_percentage.as_ref();
        let mut m = s.serialize_struct("Modifier", 6 + usize::from(vat.is_some()))?;
        m.serialize_field("id", plu_of(&self.option.plu))?;
        m.serialize_field("name", self.option.name.as_deref().unwrap_or_default())?;
        m.serialize_field("price", &Roubles(money(self.option.price)))?;
        if let Some(vat) = vat {
            m.serialize_field("vat", vat)?;
        }
        m.serialize_field("minAmount", &0u32)?;
        m.serialize_field("maxAmount", &self.max_amount)?;
        m.serialize_field("sortOrder", &self.sort_order)?;
        m.end()
    }
}

/// Gallery entries with a URL as Jupiter images; `updatedAt` for categories only.
struct Images<'x, 'v>(&'x [Image<'v>], Option<&'x str>);

impl Serialize for Images<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for url in self.0.iter().filter_map(|image| image.url.as_deref()) {
            seq.serialize_element(&ImageOut(url, self.1))?;
        }
        seq.end()
    }
}

struct ImageOut<'x>(&'x str, Option<&'x str>);

impl Serialize for ImageOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_struct("Image", 1 + usize::from(self.1.is_some()))?;
        m.serialize_field("url", self.0)?;
        if let Some(updated_at) = self.1 {
            m.serialize_field("updatedAt", updated_at)?;
        }
        m.end()
    }
}

struct Tags<'x, 'v>(&'x Item<'v>);

impl Serialize for Tags<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for name in tags(self.0) {
            seq.serialize_element(&TagOut(name))?;
        }
        seq.end()
    }
}

struct TagOut<'x>(&'x str);

impl Serialize for TagOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_struct("Tag", 1)?;
        m.serialize_field("name", self.0)?;
        m.end()
    }
}

// The stored text, written by hand: the same bytes as serde_json writes for the
// `Serialize` impls above (tests compare them on every fixture and on generated menus with
// every escape), without serde's per-value machinery (`collect_str` through `fmt`, one
// `Write` call per token). On the 5,000-item menu it is most of what the request costs.

impl JupiterMenu<'_> {
    /// The menu as the JSON text the hub stores: byte for byte `serde_json::to_string` of
    /// this view.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(self.items.len() * 512 + 256);
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        out.push_str("{\"lastChange\":");
        json_str(out, self.now);
        out.push_str(",\"categories\":[");
        for (i, c) in self.categories.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"id\":\"");
            category_id_into(out, c.id);
            out.push_str("\",\"name\":");
            json_str(out, c.name);
            out.push_str(",\"sortOrder\":");
            json_int(out, c.sort_order);
            out.push_str(",\"images\":");
            images_into(out, c.gallery, Some(c.now));
            out.push('}');
        }
        out.push_str("],\"items\":[");
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push_str("]}");
    }
}

impl ItemView<'_> {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"id\":");
        json_str(out, self.id);
        out.push_str(",\"categoryId\":\"");
        category_id_into(out, self.category_id);
        out.push_str("\",\"name\":\"");
        json_str_body(out, self.name.name);
        if let Some(suffix) = self.name.suffix {
            out.push_str(" (");
            json_str_body(out, suffix);
            out.push(')');
        }
        out.push('"');
        if let Some(description) = self.description {
            out.push_str(",\"description\":");
            json_str(out, description);
        }
        out.push_str(",\"price\":");
        roubles_into(out, self.price);
        if let Some(vat) = self.vat {
            out.push_str(",\"vat\":");
            number_into(out, vat);
        }
        if let Some((measure, unit)) = self.measure {
            out.push_str(",\"measure\":");
            number_into(out, measure);
            out.push_str(",\"measureUnit\":");
            json_str(out, unit);
        }
        out.push_str(",\"sortOrder\":");
        json_int(out, self.sort_order);
        out.push_str(",\"modifiers\":[");
        let mut first = true;
        let _ = self.for_each_group(&mut |group: GroupView<'_>| -> Result<(), ()> {
            if !first {
                out.push(',');
            }
            first = false;
            group.write_json(out);
            Ok(())
        });
        out.push_str("],\"images\":");
        images_into(out, self.gallery, None);
        out.push_str(",\"tags\":[");
        for (i, name) in tags(self.item).enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"name\":");
            json_str(out, name);
            out.push('}');
        }
        out.push_str("]}");
    }
}

impl GroupView<'_> {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"id\":\"");
        json_str_body(out, self.item_id);
        out.push(':');
        json_int(out, self.position as i64);
        out.push_str("\",\"name\":\"");
        if let Some(parent) = self.parent {
            json_str_body(out, parent.option_name);
            out.push_str(": ");
        }
        json_str_body(out, self.name);
        out.push_str("\",\"minSelectedModifiers\":");
        json_int(out, i64::from(self.min));
        out.push_str(",\"maxSelectedModifiers\":");
        json_int(out, i64::from(self.max));
        out.push_str(",\"sortOrder\":");
        json_int(out, self.position as i64);
        if let Some(parent) = self.parent {
            out.push_str(",\"parentGroupId\":\"");
            json_str_body(out, self.item_id);
            out.push(':');
            json_int(out, parent.group_position as i64);
            out.push_str("\",\"parentModifierId\":");
            json_str(out, parent.option_id);
        }
        out.push_str(",\"modifiers\":[");
        for (i, option) in self.options.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"id\":");
            json_str(out, plu_of(&option.plu));
            out.push_str(",\"name\":");
            json_str(out, option.name.as_deref().unwrap_or_default());
            out.push_str(",\"price\":");
            roubles_into(out, money(option.price));
            if let Some(vat) = option.tax_percentage.as_ref() {
                out.push_str(",\"vat\":");
                number_into(out, vat);
            }
            out.push_str(",\"minAmount\":0,\"maxAmount\":");
            json_int(out, i64::from(self.max_amount));
            out.push_str(",\"sortOrder\":");
            json_int(out, i as i64);
            out.push('}');
        }
        out.push_str("]}");
    }
}

/// `[{"url":…}]`, with `"updatedAt"` for a category's images.
fn images_into(out: &mut String, gallery: &[Image<'_>], updated_at: Option<&str>) {
    out.push('[');
    let mut first = true;
    for url in gallery.iter().filter_map(|image| image.url.as_deref()) {
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str("{\"url\":");
        json_str(out, url);
        if let Some(at) = updated_at {
            out.push_str(",\"updatedAt\":");
            json_str(out, at);
        }
        out.push('}');
    }
    out.push(']');
}

/// `jet-` + 16 hex digits, `-n` for a repeat (the [`CategoryId`] `Display`).
fn category_id_into(out: &mut String, id: CategoryId) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("jet-");
    for shift in (0..16).rev() {
        let digit = (id.hash >> (shift * 4)) & 0xf;
        out.push(char::from(HEX.get(digit as usize).copied().unwrap_or(b'0')));
    }
    if id.repeat > 1 {
        out.push('-');
        json_int(out, id.repeat as i64);
    }
}

fn json_int(out: &mut String, n: i64) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// As serde_json writes a `Number`: integers as such, floats by zmij (always finite).
fn number_into(out: &mut String, n: &Number) {
    if let Some(u) = n.as_u64() {
        out.push_str(itoa::Buffer::new().format(u));
    } else if let Some(i) = n.as_i64() {
        out.push_str(itoa::Buffer::new().format(i));
    } else if let Some(f) = n.as_f64() {
        float_into(out, f);
    }
}

/// As serde_json writes an `f64`: `null` when not finite, else zmij's shortest form.
fn float_into(out: &mut String, f: f64) {
    if f.is_finite() {
        out.push_str(zmij::Buffer::new().format_finite(f));
    } else {
        out.push_str("null");
    }
}

/// [`Roubles`]' `Serialize`, written straight.
fn roubles_into(out: &mut String, money: Money) {
    let minor = money.minor();
    match money.split() {
        (whole, 0) => json_int(out, whole),
        _ if (0..1_i64 << 53).contains(&minor) => float_into(out, minor as f64 / 100.0),
        _ => {
            let carrier: Option<f64> = money.to_decimal_string().parse().ok();
            float_into(out, carrier.unwrap_or(f64::NAN));
        }
    }
}

/// A JSON string literal, quoted.
fn json_str(out: &mut String, text: &str) {
    out.push('"');
    json_str_body(out, text);
    out.push('"');
}

/// A string's JSON escape, unquoted, as serde_json writes it: `"` `\` and control
/// characters escaped (`\b \t \n \f \r` short, the rest `\u00XX`), everything else as is.
fn json_str_body(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        // `i` is on a char boundary: every escaped byte is ASCII.
        out.push_str(text.get(start..i).unwrap_or_default());
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(
                    HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'),
                ));
                out.push(char::from(
                    HEX.get(usize::from(b & 0xf)).copied().unwrap_or(b'0'),
                ));
            }
        }
        start = i + 1;
    }
    out.push_str(text.get(start..).unwrap_or_default());
}

/// What `POST /jet-connect/menus` computes between the body's bytes and the D1 statements
/// (pure; the edge binds the results and the benchmark times exactly this): the body parsed
/// and validated ([`MenuIngest::from_body`]), the menus it stores one per concept and type,
/// the PLUs it puts on the stop list, and per UTC offset of the listed restaurants the
/// stored JSON text of each menu ([`MenuIngest::texts_at`]).
#[derive(Debug)]
pub struct MenuIngest<'a> {
    valid: ValidMenus<'a>,
    /// Indices into `valid.menus()` of the menus stored, by [`menus_by_concept`].
    chosen: Vec<usize>,
    stopped: Vec<String>,
}

/// Why a `POST /menus` body is refused.
#[derive(Debug)]
pub enum MenuRefusal {
    /// Not JSON of the request's shape.
    Unreadable(Vec<crate::problem::Violation>),
    /// Read, but it breaks rules.
    Invalid(Vec<crate::problem::Violation>),
}

impl<'a> MenuIngest<'a> {
    /// Parses and validates the body, chooses the menus it stores and collects the PLUs
    /// marked `out_of_stock` (sorted, once each).
    pub fn from_body(bytes: &'a [u8]) -> Result<MenuIngest<'a>, MenuRefusal> {
        let request = crate::jet::wire::parse_menus(bytes).map_err(MenuRefusal::Unreadable)?;
        let valid = crate::jet::validate::validate_menus(request).map_err(MenuRefusal::Invalid)?;
        let chosen: Vec<usize> = menus_by_concept(valid.menus())
            .iter()
            .filter_map(|(_, _, menu)| valid.menus().iter().position(|m| std::ptr::eq(m, *menu)))
            .collect();
        let mut stopped: Vec<String> = chosen
            .iter()
            .filter_map(|&i| valid.menus().get(i))
            .flat_map(out_of_stock_plus)
            .collect();
        stopped.sort();
        stopped.dedup();
        Ok(MenuIngest {
            valid,
            chosen,
            stopped,
        })
    }

    pub fn restaurants(&self) -> &[crate::domain::RestaurantId] {
        self.valid.restaurants()
    }

    pub fn callback_url(&self) -> &str {
        self.valid.callback_url()
    }

    /// The PLUs to put on every listed restaurant's stop list.
    pub fn stopped(&self) -> &[String] {
        &self.stopped
    }

    /// The menus stored, one per concept and type, in [`Self::keys`]' order.
    pub fn chosen(&self) -> impl Iterator<Item = &ValidatedMenu<'a>> + '_ {
        self.chosen
            .iter()
            .filter_map(|&i| self.valid.menus().get(i))
    }

    /// The stored `(concept key, service key)` of each menu stored, in [`Self::texts_at`]'s
    /// order.
    pub fn keys(&self) -> Vec<(&str, &'static str)> {
        self.chosen()
            .map(|menu| {
                (
                    crate::catalog::concept_key(Some(concept_for_reference(menu.reference()))),
                    service_key(Some(menu.menu_type())),
                )
            })
            .collect()
    }

    /// The concept keys the request writes, once each, in order.
    pub fn concepts(&self) -> Vec<&str> {
        let mut concepts: Vec<&str> = Vec::new();
        for (concept, _) in self.keys() {
            if !concepts.contains(&concept) {
                concepts.push(concept);
            }
        }
        concepts
    }

    /// The stored JSON text of each menu stored, stamped `lastChange` = `stamp` (the
    /// ingestion time at one UTC offset): restaurants sharing an offset share the texts.
    pub fn texts_at(&self, stamp: &str) -> Vec<String> {
        self.chosen()
            .map(|menu| jupiter_menu(menu, stamp).to_json())
            .collect()
    }
}

/// The menus one request stores, in the order they first appear: one per concept and menu
/// type (validation refuses a second one; were it not, the last would win). A concept may so carry a `DELIVERY` and a `COLLECTION`
/// menu; both are kept (stored per service, see [`service_key`]).
pub fn menus_by_concept<'m, 'a>(
    menus: &'m [ValidatedMenu<'a>],
) -> Vec<(&'m str, MenuType, &'m ValidatedMenu<'a>)> {
    let mut chosen: Vec<(&str, MenuType, &ValidatedMenu<'a>)> = Vec::new();
    for menu in menus {
        let concept = concept_for_reference(menu.reference());
        let kind = menu.menu_type();
        match chosen
            .iter_mut()
            .find(|(c, t, _)| *c == concept && *t == kind)
        {
            None => chosen.push((concept, kind, menu)),
            Some(slot) => slot.2 = menu,
        }
    }
    chosen
}

/// How a menu's service is stored (`menus.service`): `DELIVERY` or `COLLECTION` for a JET
/// Connect menu, `""` for a menu that serves every order (the admin API's, an upstream
/// Jupiter's).
pub fn service_key(service: Option<MenuType>) -> &'static str {
    match service {
        Some(MenuType::Delivery) => "DELIVERY",
        Some(MenuType::Collection) => "COLLECTION",
        None => "",
    }
}

/// The inverse of [`service_key`] (`None` for `""` and anything else).
pub fn service_of(key: &str) -> Option<MenuType> {
    match key {
        "DELIVERY" => Some(MenuType::Delivery),
        "COLLECTION" => Some(MenuType::Collection),
        _ => None,
    }
}

/// The menu the site API serves (`GET /site-api/menu`'s optional `delivery_method`, in
/// the vocabulary of Jupiter's own orders): `courier` or absent → the DELIVERY menu,
/// `pickup` → the COLLECTION menu (each falling back as [`pick_service`] says). Jupiter's
/// `/menu` has no service parameter, so a client that does not know this one gets the
/// DELIVERY menu, the one most Just Eat orders are placed from.
pub fn service_for_delivery_method(
    value: Option<&str>,
) -> Result<MenuType, crate::problem::Violation> {
    match value.map(str::trim) {
        None | Some("") | Some("courier") => Ok(MenuType::Delivery),
        Some("pickup") => Ok(MenuType::Collection),
        Some(other) => Err(crate::problem::Violation::new(
            "invalid_value",
            Some("delivery_method"),
            format!("{other:?} is not one of courier, pickup"),
        )),
    }
}

/// The menu type a JET Connect order is served from: Just Eat's courier and the
/// restaurant's own both deliver (`DELIVERY`), the customer collects (`COLLECTION`).
pub fn menu_type_of(fulfilment: Fulfilment) -> MenuType {
    match fulfilment {
        Fulfilment::DeliveryByPartner | Fulfilment::DeliveryByMerchant => MenuType::Delivery,
        Fulfilment::CollectionByCustomer => MenuType::Collection,
    }
}

/// Of a concept's stored menus (`(service, …)` with `None` serving every order), the one
/// an order of `service` is checked against and the site API serves for it: the menu of
/// that service, else the one for every service, else the concept's only other menu.
pub fn pick_service(
    service: MenuType,
    stored: impl IntoIterator<Item = Option<MenuType>>,
) -> Option<Option<MenuType>> {
    stored.into_iter().min_by_key(|s| match s {
        Some(t) if *t == service => 0,
        None => 1,
        Some(_) => 2,
    })
}

/// The stored menu a JET Connect order is checked against, from the restaurant's menus
/// (`(concept key, service)`; concept `""` is the default):
///
/// 1. the concept `menu_reference` names, when the restaurant has a menu for it (a blank
///    reference names the default concept);
/// 2. otherwise (blank, as in every published order example, or naming no ingested menu)
///    the restaurant's only concept, or the only concept with a menu for the order's
///    service type;
///
/// and of that concept, the menu for the order's service ([`pick_service`]). Refused with
/// `unknown_concept` (`INCORRECT_SETUP`), naming the reference and the concepts, when the
/// restaurant has no menu or several concepts could serve the order.
pub fn menu_for_order<'k>(
    menu_reference: &str,
    service: MenuType,
    stored: &[(&'k str, Option<MenuType>)],
) -> Result<(&'k str, Option<MenuType>), crate::problem::Violation> {
    let reference = crate::catalog::concept_key(Some(menu_reference));
    let mut concepts: Vec<&'k str> = stored.iter().map(|(c, _)| *c).collect();
    concepts.sort_unstable();
    concepts.dedup();
    let serves = |concept: &str| {
        stored
            .iter()
            .any(|(c, s)| *c == concept && s.is_none_or(|t| t == service))
    };
    let chosen = match concepts.iter().find(|c| **c == reference) {
        Some(c) => Some(*c),
        None if concepts.len() == 1 => concepts.first().copied(),
        None => {
            let serving: Vec<&'k str> = concepts.iter().copied().filter(|c| serves(c)).collect();
            match serving.as_slice() {
                [only] => Some(*only),
                _ => None,
            }
        }
    };
    let Some(concept) = chosen else {
        let listed = concepts
            .iter()
            .map(|c| format!("{:?}", crate::catalog::served_concept(c)))
            .collect::<Vec<_>>()
            .join(", ");
        let message = if concepts.is_empty() {
            format!(
                "menu_reference {menu_reference:?}: the restaurant has no menu in the hub \
                 (push one with POST /menus)"
            )
        } else {
            format!(
                "menu_reference {menu_reference:?} names no menu of the restaurant and \
                 {} of its menus ({listed}) could serve a {} order",
                if concepts.iter().any(|c| serves(c)) {
                    "several"
                } else {
                    "none"
                },
                service_key(Some(service)).to_lowercase()
            )
        };
        return Err(crate::problem::Violation::new(
            "unknown_concept",
            Some("menu_reference"),
            message,
        ));
    };
    let variant = pick_service(
        service,
        stored
            .iter()
            .filter(|(c, _)| *c == concept)
            .map(|(_, s)| *s),
    )
    .flatten();
    Ok((concept, variant))
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

/// A PLU as a Jupiter id: trimmed (validation guaranteed it is present where it matters).
fn plu_of<'t>(plu: &'t Option<Text<'_>>) -> &'t str {
    plu.as_deref().unwrap_or("").trim()
}

fn non_empty<'t>(text: &'t Option<Text<'_>>) -> Option<&'t str> {
    text.as_deref().filter(|t| !t.trim().is_empty())
}

/// How many Jupiter items a JET item becomes: one per portion, else one per swap
/// option, else one.
fn jupiter_items_of(item: &Item<'_>) -> usize {
    let portions = item.portions.as_ref().map_or(0, Vec::len);
    let swaps = item
        .swap
        .as_ref()
        .and_then(|s| s.options.as_ref())
        .map_or(0, Vec::len);
    if portions > 0 {
        portions
    } else if swaps > 0 {
        swaps
    } else {
        1
    }
}

fn emit_item<'v>(item: &'v Item<'v>, category_id: CategoryId, out: &mut Vec<ItemView<'v>>) {
    let name = item.name.as_deref().unwrap_or_default();
    let item_measure = measure(item.weight.as_ref(), item.volume.as_deref());
    let base = ItemView {
        id: plu_of(&item.plu),
        category_id,
        name: ItemName { name, suffix: None },
        description: item.description.as_deref(),
        price: money(item.price),
        vat: item.tax_percentage.as_ref(),
        measure: item_measure,
        sort_order: 0,
        groups: item.modifiers.as_deref().unwrap_or(&[]),
        more_groups: &[],
        gallery: item.gallery.as_deref().unwrap_or(&[]),
        item,
    };
    let portions = item.portions.as_deref().unwrap_or(&[]);
    let swaps = item
        .swap
        .as_ref()
        .and_then(|s| s.options.as_deref())
        .unwrap_or(&[]);
    if !portions.is_empty() {
        for portion in portions {
            out.push(ItemView {
                id: plu_of(&portion.plu),
                name: ItemName {
                    name,
                    suffix: Some(portion.name.as_deref().unwrap_or("")),
                },
                price: money(portion.price),
                description: non_empty(&portion.description).or(base.description),
                vat: portion.tax_percentage.as_ref().or(base.vat),
                measure: measure(portion.weight.as_ref(), portion.volume.as_deref())
                    .or(item_measure),
                more_groups: portion.modifiers.as_deref().unwrap_or(&[]),
                ..base.clone()
            });
        }
    } else if !swaps.is_empty() {
        for option in swaps {
            out.push(ItemView {
                id: plu_of(&option.plu),
                name: ItemName {
                    name,
                    suffix: Some(option.name.as_deref().unwrap_or("")),
                },
                price: money(option.price),
                ..base.clone()
            });
        }
    } else {
        out.push(base);
    }
}

/// `dietary_restrictions` other than `NONE`, then `spiciness` other than `UNKNOWN`.
fn tags<'t>(item: &'t Item<'_>) -> impl Iterator<Item = &'t str> {
    let diets = item
        .dietary_restrictions
        .iter()
        .flatten()
        .map(Text::as_str)
        .filter(|d| *d != "NONE");
    let spice = item
        .spiciness
        .iter()
        .map(Text::as_str)
        .filter(|s| *s != "UNKNOWN");
    diets.chain(spice)
}

fn measure<'m>(
    weight: Option<&'m Weight<'_>>,
    volume: Option<&'m Volume<'_>>,
) -> Option<(&'m Number, &'static str)> {
    // Lower-cased without a copy (none of the names has a final sigma, the one letter
    // whose lower case depends on its neighbours).
    // An ASCII unit (the usual `g`, `ml`) is compared without decoding characters: its
    // lower case is its ASCII lower case, and it cannot equal a Cyrillic name.
    let unit_is = |unit: &Option<Text<'_>>, names: &[&str]| {
        unit.as_deref().is_some_and(|u| {
            let u = u.trim();
            if u.is_ascii() {
                return names.iter().any(|name| u.eq_ignore_ascii_case(name));
            }
            names
                .iter()
                .any(|name| u.chars().flat_map(char::to_lowercase).eq(name.chars()))
        })
    };
    if let Some(w) = weight {
        if unit_is(&w.unit_name, &["g", "gram", "grams", "г"]) {
            if let Some(v) = w.net_value.as_ref().or(w.gross_value.as_ref()) {
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
            if let Some(n) = v.net_value.as_ref().or(v.gross_value.as_ref()) {
                return Some((n, "мл"));
            }
        }
    }
    None
}

/// JET gallery entries with a URL as Jupiter images. Jupiter category images carry
/// `updatedAt`, item images do not (they would carry a content hash, which JET does not send).
fn images(gallery: &[Image<'_>], updated_at: Option<&str>) -> Vec<jupiter::Image> {
    gallery
        .iter()
        .filter_map(|image| image.url.as_deref())
        .map(|url| jupiter::Image {
            url: url.to_owned(),
            hash: None,
            updated_at: updated_at.map(str::to_owned),
        })
        .collect()
}

#[cfg(test)]
mod tests;
