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
//! 2. [`validate`](super::validate) walks the tree and reports every rule that is broken,
//!    each with its JSON path (`menus[0].categories[2].items[5].plu`).
//!
//! Typed structs rather than `serde_json::Value`: a 5,000-item menu parses about twice as
//! fast this way, and the wire tree is what
//! [`ValidatedMenu`](super::validate::ValidatedMenu) wraps afterwards.
//!
//! The menu types borrow their strings from the request bytes ([`Text`], `'a`), keep the
//! optional product-fact blocks that most items lack behind a `Box`, and read translations
//! into a list ([`Translations`]): with those, parsing issue 8's 5,000-item menu in wasm
//! costs about as much as V8's `JSON.parse` of the same bytes. Validation then moves the
//! menus into its result instead of copying them, and the conversion
//! ([`crate::jet::to_jupiter::jupiter_menu`]) borrows from them in turn.

use crate::problem::Violation;
use serde::de::{DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Number;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;

/// A string of a menu body, borrowed from the request bytes unless JSON escapes forced a
/// copy. serde's own `Cow<str>` only borrows for a bare field marked `#[serde(borrow)]`, not
/// inside `Option` or `Vec`, hence this type: parsing a 5,000-item menu then allocates for
/// escaped strings only instead of once per string. Reads as a `&str` (`Deref`).
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text<'a>(pub Cow<'a, str>);

impl<'a> Text<'a> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_owned(self) -> String {
        self.0.into_owned()
    }
}

impl Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'a> From<&'a str> for Text<'a> {
    fn from(text: &'a str) -> Text<'a> {
        Text(Cow::Borrowed(text))
    }
}

impl From<String> for Text<'_> {
    fn from(text: String) -> Self {
        Text(Cow::Owned(text))
    }
}

impl PartialEq<str> for Text<'_> {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Text<'_> {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            // The same wording as `String`'s, so type errors read as before.
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                v: &'de str,
            ) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

/// Translations keyed by BCP 47 language tag, as they came (a JSON object read into a list:
/// one small allocation instead of a B-tree node per translated name). [`Self::by_tag`]
/// reads them as a map would: sorted by tag, a repeated tag's last entry winning.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Translations<'a>(pub Vec<(Text<'a>, Translation<'a>)>);

impl<'a> Translations<'a> {
    /// The translations in tag order, each tag once (its last entry), as a `BTreeMap`
    /// would hold them.
    pub fn by_tag(&self) -> Vec<(&Text<'a>, &Translation<'a>)> {
        let mut list: Vec<(&Text<'a>, &Translation<'a>)> =
            self.0.iter().map(|(tag, t)| (tag, t)).collect();
        if list.len() > 1 {
            // Stable: equal tags keep their order, so the last of a run is the last given.
            list.sort_by(|a, b| a.0.cmp(b.0));
            let mut kept: Vec<(&Text<'a>, &Translation<'a>)> = Vec::with_capacity(list.len());
            for entry in list {
                match kept.last_mut() {
                    Some(last) if last.0 == entry.0 => *last = entry,
                    _ => kept.push(entry),
                }
            }
            list = kept;
        }
        list
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Translations<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for MapVisitor<'a> {
            type Value = Translations<'a>;
            // The same wording as `BTreeMap`'s, so type errors read as before.
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut list = Vec::with_capacity(map.size_hint().unwrap_or(0).min(16));
                while let Some(entry) = map.next_entry()? {
                    list.push(entry);
                }
                Ok(Translations(list))
            }
        }
        deserializer.deserialize_map(MapVisitor(std::marker::PhantomData))
    }
}

/// `POST /menus` (FACTS §2.1).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct MenusRequest<'a> {
    #[serde(borrow)]
    pub restaurants: Option<Vec<Text<'a>>>,
    #[serde(borrow)]
    pub menus: Option<Vec<Menu<'a>>>,
    #[serde(borrow)]
    pub callback_url: Option<Text<'a>>,
}

/// A baseline menu (FACTS §2.2).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Menu<'a> {
    #[serde(borrow)]
    pub name: Option<Text<'a>>,
    /// The POS id of the menu; the hub uses it as the Jupiter concept id (`""` = default).
    #[serde(borrow)]
    pub reference: Option<Text<'a>>,
    /// `COLLECTION` or `DELIVERY`.
    #[serde(borrow, rename = "type")]
    pub menu_type: Option<Text<'a>>,
    #[serde(borrow)]
    pub categories: Option<Vec<Category<'a>>>,
    #[serde(borrow)]
    pub default_language: Option<Text<'a>>,
    #[serde(borrow)]
    pub translations: Option<Translations<'a>>,
    /// Day name (`monday` … `sunday`) → windows `"hh:mm - hh:mm"` (FACTS §2.3).
    #[serde(borrow)]
    pub availability: Option<BTreeMap<Text<'a>, Vec<Text<'a>>>>,
}

/// A translated name and, where the parent has one, description.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Translation<'a> {
    #[serde(borrow)]
    pub name: Option<Text<'a>>,
    #[serde(borrow)]
    pub description: Option<Text<'a>>,
}

/// FACTS §2.4. Items are nested in their category; the schema has no item references.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Category<'a> {
    #[serde(borrow)]
    pub name: Option<Text<'a>>,
    #[serde(borrow)]
    pub description: Option<Text<'a>>,
    #[serde(borrow)]
    pub items: Option<Vec<Item<'a>>>,
    #[serde(borrow)]
    pub translations: Option<Translations<'a>>,
    #[serde(borrow)]
    pub gallery: Option<Vec<Image<'a>>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Image<'a> {
    #[serde(borrow)]
    pub url: Option<Text<'a>>,
}

/// FACTS §2.5: an item, and also a modifier option (so the tree is recursive).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Item<'a> {
    #[serde(borrow)]
    pub name: Option<Text<'a>>,
    /// The POS id; may be `""` when a `swap` supplies the PLUs.
    #[serde(borrow)]
    pub plu: Option<Text<'a>>,
    #[serde(borrow)]
    pub description: Option<Text<'a>>,
    /// Minor units (1550 = 15.50).
    pub price: Option<i64>,
    #[serde(borrow)]
    pub reference: Option<Text<'a>>,
    pub out_of_stock: Option<bool>,
    #[serde(borrow)]
    pub translations: Option<Translations<'a>>,
    #[serde(borrow)]
    pub modifiers: Option<Vec<Modifier<'a>>>,
    #[serde(borrow)]
    pub portions: Option<Vec<Portion<'a>>>,
    #[serde(borrow)]
    pub includes: Option<Vec<Include<'a>>>,
    #[serde(borrow)]
    pub ingredients: Option<Vec<Ingredient<'a>>>,
    /// `NO_TAX`, `ALCOHOL` or `SUGARED_DRINK`.
    #[serde(borrow)]
    pub tax_category: Option<Text<'a>>,
    #[serde(borrow)]
    pub swap: Option<Box<Swap<'a>>>,
    #[serde(borrow)]
    pub gallery: Option<Vec<Image<'a>>>,
    pub is_alcoholic: Option<bool>,
    /// `UNKNOWN`, `MILD`, `MEDIUM`, `HOT` or `VERY_HOT`.
    #[serde(borrow)]
    pub spiciness: Option<Text<'a>>,
    /// Each `NONE`, `VEGETARIAN` or `VEGAN`.
    #[serde(borrow)]
    pub dietary_restrictions: Option<Vec<Text<'a>>>,
    /// Each one of [`validate::ALLERGENS`].
    #[serde(borrow)]
    pub allergens: Option<Vec<Text<'a>>>,
    #[serde(borrow)]
    pub additives: Option<Vec<Text<'a>>>,
    pub nutritional_info: Option<NutritionalInfo>,
    pub nutritional_info_range: Option<Box<NutritionalInfoRange>>,
    pub servings: Option<i64>,
    pub servings_range: Option<Box<Range>>,
    pub tax_percentage: Option<Number>,
    #[serde(borrow)]
    pub caffeine: Option<Box<Caffeine<'a>>>,
    pub alcohol_percentage: Option<Number>,
    #[serde(borrow)]
    pub volume: Option<Box<Volume<'a>>>,
    #[serde(borrow)]
    pub weight: Option<Weight<'a>>,
    #[serde(borrow)]
    pub deposit: Option<Box<Deposit<'a>>>,
    #[serde(borrow)]
    pub manufacturer: Option<Box<Manufacturer<'a>>>,
    #[serde(borrow)]
    pub storage: Option<Box<Storage<'a>>>,
    #[serde(borrow)]
    pub gtin: Option<Text<'a>>,
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
pub struct Caffeine<'a> {
    #[serde(borrow)]
    pub unit_name: Option<Text<'a>>,
    pub value: Option<Number>,
}

/// A weight or a volume: JET Connect gives both the same three fields.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Measure<'a> {
    #[serde(borrow)]
    pub unit_name: Option<Text<'a>>,
    pub gross_value: Option<Number>,
    pub net_value: Option<Number>,
}

pub type Volume<'a> = Measure<'a>;
pub type Weight<'a> = Measure<'a>;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Deposit<'a> {
    /// `single_use`, `multiple_use` or `not_specified`.
    #[serde(borrow, rename = "type")]
    pub deposit_type: Option<Text<'a>>,
    pub amount: Option<i64>,
    pub included_in_total_price: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Manufacturer<'a> {
    #[serde(borrow)]
    pub name: Option<Text<'a>>,
    #[serde(borrow)]
    pub brand: Option<Text<'a>>,
    #[serde(borrow)]
    pub country_of_origin: Option<Text<'a>>,
    #[serde(borrow)]
    pub additional_details: Option<Text<'a>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Storage<'a> {
    #[serde(borrow, rename = "type")]
    pub storage_type: Option<Text<'a>>,
    #[serde(borrow)]
    pub additional_details: Option<Text<'a>>,
}

/// FACTS §2.6: an option group.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Modifier<'a> {
    #[serde(borrow)]
    pub name: Option<Text<'a>>,
    #[serde(borrow)]
    pub description: Option<Text<'a>>,
    pub pick: Option<Pick>,
    /// The choices; `null` and `[]` occur in the spec's own examples.
    #[serde(borrow)]
    pub options: Option<Vec<Item<'a>>>,
    #[serde(borrow)]
    pub translations: Option<Translations<'a>>,
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
pub struct Portion<'a> {
    #[serde(borrow)]
    pub name: Option<Text<'a>>,
    #[serde(borrow)]
    pub description: Option<Text<'a>>,
    #[serde(borrow)]
    pub plu: Option<Text<'a>>,
    pub price: Option<i64>,
    #[serde(borrow)]
    pub modifiers: Option<Vec<Modifier<'a>>>,
    pub out_of_stock: Option<bool>,
    #[serde(borrow)]
    pub reference: Option<Text<'a>>,
    pub nutritional_info: Option<NutritionalInfo>,
    pub nutritional_info_range: Option<Box<NutritionalInfoRange>>,
    pub servings: Option<i64>,
    pub servings_range: Option<Box<Range>>,
    pub tax_percentage: Option<Number>,
    #[serde(borrow)]
    pub caffeine: Option<Box<Caffeine<'a>>>,
    pub alcohol_percentage: Option<Number>,
    #[serde(borrow)]
    pub volume: Option<Box<Volume<'a>>>,
    #[serde(borrow)]
    pub weight: Option<Weight<'a>>,
    #[serde(borrow)]
    pub deposit: Option<Box<Deposit<'a>>>,
    #[serde(borrow)]
    pub manufacturer: Option<Box<Manufacturer<'a>>>,
    #[serde(borrow)]
    pub storage: Option<Box<Storage<'a>>>,
    #[serde(borrow)]
    pub gtin: Option<Text<'a>>,
}

/// FACTS §2.7: an item that comes with the main item.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Include<'a> {
    #[serde(borrow)]
    pub name: Option<Text<'a>>,
    #[serde(borrow)]
    pub description: Option<Text<'a>>,
    #[serde(borrow)]
    pub plu: Option<Text<'a>>,
    #[serde(borrow)]
    pub modifiers: Option<Vec<Modifier<'a>>>,
    pub out_of_stock: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Ingredient<'a> {
    #[serde(borrow)]
    pub name: Option<Text<'a>>,
    #[serde(borrow)]
    pub translations: Option<Translations<'a>>,
}

/// One item offered under several PLUs; the chosen option's PLU replaces the item's.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Swap<'a> {
    #[serde(borrow)]
    pub name: Option<Text<'a>>,
    #[serde(borrow)]
    pub options: Option<Vec<SwapOption<'a>>>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct SwapOption<'a> {
    #[serde(borrow)]
    pub name: Option<Text<'a>>,
    #[serde(borrow)]
    pub plu: Option<Text<'a>>,
    pub price: Option<i64>,
    #[serde(borrow)]
    pub reference: Option<Text<'a>>,
    #[serde(borrow)]
    pub translations: Option<Translations<'a>>,
    pub out_of_stock: Option<bool>,
    #[serde(borrow)]
    pub tax_category: Option<Text<'a>>,
}

/// Copies a borrowed menu tree into one that owns its strings (`'static`), for a holder
/// that must outlive the request bytes. The ingestion path does not need it.
pub trait IntoStatic {
    type Static: 'static;
    fn into_static(self) -> Self::Static;
}

impl IntoStatic for Text<'_> {
    type Static = Text<'static>;
    fn into_static(self) -> Text<'static> {
        Text(Cow::Owned(self.0.into_owned()))
    }
}

impl<T: IntoStatic> IntoStatic for Option<T> {
    type Static = Option<T::Static>;
    fn into_static(self) -> Self::Static {
        self.map(IntoStatic::into_static)
    }
}

impl<T: IntoStatic> IntoStatic for Box<T> {
    type Static = Box<T::Static>;
    fn into_static(self) -> Self::Static {
        Box::new((*self).into_static())
    }
}

impl IntoStatic for Translations<'_> {
    type Static = Translations<'static>;
    fn into_static(self) -> Translations<'static> {
        Translations(
            self.0
                .into_iter()
                .map(|(tag, t)| (tag.into_static(), t.into_static()))
                .collect(),
        )
    }
}

impl<T: IntoStatic> IntoStatic for Vec<T> {
    type Static = Vec<T::Static>;
    fn into_static(self) -> Self::Static {
        self.into_iter().map(IntoStatic::into_static).collect()
    }
}

impl<K: IntoStatic, V: IntoStatic> IntoStatic for BTreeMap<K, V>
where
    K::Static: Ord,
{
    type Static = BTreeMap<K::Static, V::Static>;
    fn into_static(self) -> Self::Static {
        self.into_iter()
            .map(|(k, v)| (k.into_static(), v.into_static()))
            .collect()
    }
}

macro_rules! static_as_is {
    ($($t:ty),*) => {$(
        impl IntoStatic for $t {
            type Static = $t;
            fn into_static(self) -> $t {
                self
            }
        }
    )*};
}
static_as_is!(
    i64,
    bool,
    Number,
    NutritionalInfo,
    NutritionalInfoRange,
    Range,
    Pick,
    PickRange
);

macro_rules! static_fields {
    ($($name:ident { $($field:ident),* }),* $(,)?) => {$(
        impl IntoStatic for $name<'_> {
            type Static = $name<'static>;
            fn into_static(self) -> $name<'static> {
                $name { $($field: self.$field.into_static()),* }
            }
        }
    )*};
}
static_fields!(
    MenusRequest {
        restaurants,
        menus,
        callback_url
    },
    Menu {
        name,
        reference,
        menu_type,
        categories,
        default_language,
        translations,
        availability
    },
    Translation { name, description },
    Category {
        name,
        description,
        items,
        translations,
        gallery
    },
    Image { url },
    Item {
        name,
        plu,
        description,
        price,
        reference,
        out_of_stock,
        translations,
        modifiers,
        portions,
        includes,
        ingredients,
        tax_category,
        swap,
        gallery,
        is_alcoholic,
        spiciness,
        dietary_restrictions,
        allergens,
        additives,
        nutritional_info,
        nutritional_info_range,
        servings,
        servings_range,
        tax_percentage,
        caffeine,
        alcohol_percentage,
        volume,
        weight,
        deposit,
        manufacturer,
        storage,
        gtin
    },
    Caffeine { unit_name, value },
    Measure {
        unit_name,
        gross_value,
        net_value
    },
    Deposit {
        deposit_type,
        amount,
        included_in_total_price
    },
    Manufacturer {
        name,
        brand,
        country_of_origin,
        additional_details
    },
    Storage {
        storage_type,
        additional_details
    },
    Modifier {
        name,
        description,
        pick,
        options,
        translations
    },
    Portion {
        name,
        description,
        plu,
        price,
        modifiers,
        out_of_stock,
        reference,
        nutritional_info,
        nutritional_info_range,
        servings,
        servings_range,
        tax_percentage,
        caffeine,
        alcohol_percentage,
        volume,
        weight,
        deposit,
        manufacturer,
        storage,
        gtin
    },
    Include {
        name,
        description,
        plu,
        modifiers,
        out_of_stock
    },
    Ingredient { name, translations },
    Swap { name, options },
    SwapOption {
        name,
        plu,
        price,
        reference,
        translations,
        out_of_stock,
        tax_category
    },
);

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
/// Strings are borrowed from `bytes` (see [`Text`]).
///
/// The body is checked to be UTF-8 once, as a whole, and then read as text, instead of
/// serde_json checking each string as it goes (measurably cheaper on a large menu). A
/// body that is not UTF-8 cannot parse: its error is serde_json's for the bad byte
/// ([`crate::input::not_utf8_error`]; no second, `&[u8]` copy of the menu parser).
pub fn parse_menus(bytes: &[u8]) -> Result<MenusRequest<'_>, Vec<Violation>> {
    match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text).map_err(|e| parse_violation(bytes, e)),
        Err(_) => Err(parse_violation(bytes, crate::input::not_utf8_error(bytes))),
    }
}

// Cold: `#[inline]` has the caller (the edge, at opt-level "z") compile it, serde code and
// all, not core at 3 (Cargo.toml, BENCHMARKS.md "Bundle size (2026-12-05)").
#[inline]
pub fn parse_item_availability(bytes: &[u8]) -> Result<ItemAvailabilityRequest, Vec<Violation>> {
    parse_body(bytes)
}

// Cold: `#[inline]` has the caller (the edge, at opt-level "z") compile it, serde code and
// all, not core at 3 (Cargo.toml, BENCHMARKS.md "Bundle size (2026-12-05)").
#[inline]
pub fn parse_service_times(bytes: &[u8]) -> Result<ServiceTimesRequest, Vec<Violation>> {
    parse_body(bytes)
}

/// The offline body is optional: an empty (or blank) body means "offline until `/online`".
// Cold: `#[inline]` has the caller (the edge, at opt-level "z") compile it, serde code and
// all, not core at 3 (Cargo.toml, BENCHMARKS.md "Bundle size (2026-12-05)").
#[inline]
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
    parse_borrowed(bytes)
}

/// [`parse_body`] for types that borrow from the bytes.
pub fn parse_borrowed<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, Vec<Violation>> {
    serde_json::from_slice(bytes).map_err(|e| parse_violation(bytes, e))
}

/// A serde_json error as a violation; a wrong type names its field's path in `bytes`.
fn parse_violation(bytes: &[u8], e: serde_json::Error) -> Vec<Violation> {
    let code = match e.classify() {
        serde_json::error::Category::Data => "invalid_type",
        _ => "malformed_json",
    };
    let field = crate::input::locate_error(bytes, &e);
    vec![Violation::new(code, field.as_deref(), e.to_string())]
}

/// Every `POST /menus` request example of Just Eat's published OpenAPI document, named as
/// the document names them (`fixtures/jet-connect/menus-request-*.json`, copied as published).
#[cfg(test)]
pub(crate) const PUBLISHED_MENU_EXAMPLES: &[(&str, &str)] = &[
    (
        "Basic menu",
        include_str!("../../../fixtures/jet-connect/menus-request-basic.json"),
    ),
    (
        "Menu with modifiers",
        include_str!("../../../fixtures/jet-connect/menus-request-with-modifiers.json"),
    ),
    (
        "Menu with nutrition and servings",
        include_str!("../../../fixtures/jet-connect/menus-request-nutrition-and-servings.json"),
    ),
    (
        "Menu with pick options",
        include_str!("../../../fixtures/jet-connect/menus-request-pick-options.json"),
    ),
    (
        "Menu with portions",
        include_str!("../../../fixtures/jet-connect/menus-request-portions.json"),
    ),
    (
        "Menu with swaps",
        include_str!("../../../fixtures/jet-connect/menus-request-swaps.json"),
    ),
    (
        "Menu with grocery items",
        include_str!("../../../fixtures/jet-connect/menus-request-grocery-items.json"),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn every_jet_connect_catalog_example_parses() {
        for (_, text) in PUBLISHED_MENU_EXAMPLES {
            assert!(parse_menus(text.as_bytes()).is_ok(), "{text}");
        }
        for text in [
            include_str!("../../../fixtures/jet-connect/item-availability-request-available.json"),
            include_str!(
                "../../../fixtures/jet-connect/item-availability-request-unavailable.json"
            ),
        ] {
            assert!(parse_item_availability(text.as_bytes()).is_ok(), "{text}");
        }
        let times =
            include_str!("../../../fixtures/jet-connect/restaurant-servicetimes-request.json");
        assert!(parse_service_times(times.as_bytes()).is_ok());
        let offline =
            include_str!("../../../fixtures/jet-connect/assembled-restaurant-offline-request.json");
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
    fn translations_read_like_a_map_sorted_with_the_last_repeat_winning() {
        let body = r#"{"b": {"name": "B1"}, "a": {"description": "x"}, "b": {"name": "B2"},
            "": {"name": "blank"}, "a\u0301": {}}"#;
        let list: Translations<'_> = serde_json::from_str(body).unwrap_or_default();
        let map: BTreeMap<String, (Option<String>, Option<String>)> = list
            .by_tag()
            .into_iter()
            .map(|(tag, t)| {
                let text = |v: &Option<Text<'_>>| v.as_deref().map(str::to_owned);
                (
                    tag.as_str().to_owned(),
                    (text(&t.name), text(&t.description)),
                )
            })
            .collect();
        let want: BTreeMap<String, (Option<String>, Option<String>)> =
            serde_json::from_str::<BTreeMap<String, serde_json::Value>>(body)
                .unwrap_or_default()
                .into_iter()
                .map(|(tag, v)| {
                    let text = |k: &str| v.get(k).and_then(|s| s.as_str()).map(str::to_owned);
                    (tag, (text("name"), text("description")))
                })
                .collect();
        assert_eq!(map, want);
        let tags: Vec<&str> = list.by_tag().iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(tags, ["", "a", "a\u{301}", "b"]);
        let wrong = serde_json::from_str::<Translations<'_>>("[]")
            .err()
            .map(|e| e.to_string());
        let map_wrong = serde_json::from_str::<BTreeMap<String, Translation<'_>>>("[]")
            .err()
            .map(|e| e.to_string());
        assert_eq!(wrong, map_wrong);
    }

    #[test]
    fn escaped_strings_are_copied_and_plain_ones_borrowed() {
        let body = br#"{"restaurants": ["1", "a\"b"]}"#;
        let req = parse_menus(body).unwrap_or_default();
        let list = req.restaurants.unwrap_or_default();
        assert!(matches!(list[0].0, Cow::Borrowed("1")));
        assert!(matches!(&list[1].0, Cow::Owned(s) if s == "a\"b"));
        let wrong = parse_menus(br#"{"callback_url": 5}"#)
            .err()
            .unwrap_or_default();
        assert!(wrong[0].message.contains("expected a string"), "{wrong:?}");
    }

    #[test]
    fn a_body_that_is_not_utf8_fails_as_serde_json_reports_it() {
        for body in [&b"{\"callback_url\": \"\xff\"}"[..], b"{\xff}", b"\xfe"] {
            let got = parse_menus(body).err().unwrap_or_default();
            let want = serde_json::from_slice::<MenusRequest<'_>>(body)
                .err()
                .map(|e| parse_violation(body, e))
                .unwrap_or_default();
            assert_eq!(got, want);
            assert_eq!(got.len(), 1);
        }
    }

    #[test]
    fn a_value_of_the_wrong_type_names_its_field() {
        let cases: [(&[u8], Option<&str>); 4] = [
            (br#"{"callback_url": 5}"#, Some("callback_url")),
            (br#"{"restaurants": ["1", 2]}"#, Some("restaurants[1]")),
            (
                br#"{"menus": [{"name": "m", "categories": "x"}]}"#,
                Some("menus[0].categories"),
            ),
            (br#"{"menus": "#, None),
        ];
        for (body, want) in cases {
            let got = parse_menus(body).err().unwrap_or_default();
            assert_eq!(got.len(), 1, "{got:?}");
            assert_eq!(
                got[0].field.as_deref(),
                want,
                "{}",
                String::from_utf8_lossy(body)
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
        let example = include_str!("../../../fixtures/jet-connect/menus-callback-request.json");
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
