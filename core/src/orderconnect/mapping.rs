//! The operator's item mapping for Orderconnect: which Jupiter menu id a Just Eat
//! `ProductId`, `MenuCardNumber`, accessory id or meal-part id stands for, per hub
//! restaurant (`PUT /admin/restaurants/{id}/orderconnect-items`, stored in
//! `orderconnect_item_map`). An id without a mapping falls back to the menu id written the
//! same way (the literal match the hub always made). Pure: the edge stores and reads.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::MAX_ID_CHARS;
use crate::problem::{Path, Violation, Violations};

/// Which Just Eat id space a mapped id is in: the same number may be a product in one and
/// an accessory in another, so each is mapped on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IdKind {
    /// `BasketItem.ProductId`.
    Product,
    /// `BasketItem.MenuCardNumber` (else the group's).
    MenuCard,
    /// `OptionalAccessoryId` and `RequiredAccessoryId`.
    Accessory,
    /// `MealPartId`.
    MealPart,
}

impl IdKind {
    pub const ALL: [IdKind; 4] = [
        IdKind::Product,
        IdKind::MenuCard,
        IdKind::Accessory,
        IdKind::MealPart,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::Product => "product",
            IdKind::MenuCard => "menu_card",
            IdKind::Accessory => "accessory",
            IdKind::MealPart => "meal_part",
        }
    }

    pub fn parse(raw: &str) -> Option<IdKind> {
        IdKind::ALL.into_iter().find(|k| k.as_str() == raw.trim())
    }
}

/// A restaurant's mapping: (kind, Just Eat id) → Jupiter menu id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemMapping(BTreeMap<(IdKind, String), String>);

impl ItemMapping {
    pub fn insert(&mut self, kind: IdKind, just_eat_id: &str, item_id: &str) {
        self.0.insert(
            (kind, just_eat_id.trim().to_owned()),
            item_id.trim().to_owned(),
        );
    }

    pub fn get(&self, kind: IdKind, just_eat_id: &str) -> Option<&str> {
        self.0
            .get(&(kind, just_eat_id.to_owned()))
            .map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every entry as the admin API shows it, sorted by kind and Just Eat id.
    pub fn entries(&self) -> Vec<MappingEntry> {
        self.0
            .iter()
            .map(|((kind, je), item)| MappingEntry {
                kind: Some(kind.as_str().to_owned()),
                just_eat_id: Some(je.clone()),
                item_id: Some(item.clone()),
            })
            .collect()
    }
}

/// One entry of the admin document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MappingEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub just_eat_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
}

/// The admin document: `{"items": [{"kind", "just_eat_id", "item_id"}]}`; a `PUT`
/// replaces the restaurant's whole mapping (an empty list clears it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MappingDocument {
    #[serde(default)]
    pub items: Option<Vec<MappingEntry>>,
}

fn id_field(value: &Option<String>, field: Path<'_>, out: &mut Violations) -> Option<String> {
    match value.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            out.push("missing_field", field, "is required");
            None
        }
        Some(s) if s.chars().count() > MAX_ID_CHARS => {
            out.push(
                "invalid_value",
                field,
                format!("must be at most {MAX_ID_CHARS} characters"),
            );
            None
        }
        Some(s) => Some(s.to_owned()),
    }
}

/// Checks an admin document: every entry complete, each (kind, Just Eat id) once. Every
/// violation at once.
pub fn validate(doc: &MappingDocument) -> Result<ItemMapping, Vec<Violation>> {
    let mut out = Violations::new();
    let Some(items) = &doc.items else {
        return Err(vec![Violation::new(
            "missing_field",
            Some("items"),
            "is required (an empty list clears the mapping)",
        )]);
    };
    let mut mapping = ItemMapping::default();
    let entries = Path::root("items");
    for (i, e) in items.iter().enumerate() {
        let path = entries.index(i);
        let kind = match e.kind.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                out.push("missing_field", path.field("kind"), "is required");
                None
            }
            Some(raw) => {
                let k = IdKind::parse(raw);
                if k.is_none() {
                    out.push(
                        "invalid_value",
                        path.field("kind"),
                        format!("must be product, menu_card, accessory or meal_part, got {raw:?}"),
                    );
                }
                k
            }
        };
        let je = id_field(&e.just_eat_id, path.field("just_eat_id"), &mut out);
        let item = id_field(&e.item_id, path.field("item_id"), &mut out);
        if let (Some(kind), Some(je), Some(item)) = (kind, je, item) {
            if mapping.get(kind, &je).is_some() {
                out.push(
                    "invalid_value",
                    path.field("just_eat_id"),
                    format!("{} {je:?} is mapped twice", kind.as_str()),
                );
            } else {
                mapping.insert(kind, &je, &item);
            }
        }
    }
    out.into_result(mapping)
}
