//! Validation of JET Connect catalog bodies: every broken rule is reported, with its path.
//!
//! Each field's rule is the rule of Just Eat's schema (`just-eat/openapi.yaml`,
//! `JetConnectMenusUtfConnector*`), not what seems sensible: every published `POST /menus`
//! example is accepted as published (`fixtures/jet-connect/menus-request-*.json`). The few
//! rules the schema does not state guard what cannot be honoured in the Jupiter menu; they
//! are marked *(hub)*.
//!
//! Rules (each has a passing and a failing case in the tests below):
//!
//! | where | rule |
//! |-------|------|
//! | request | `restaurants` present, non-empty, each a valid id, no duplicates; `menus` present and non-empty; `callback_url` present and an absolute `http`/`https` URL with a host |
//! | menus | *(hub)* one menu per `reference` and `type` in a request (a concept keeps one menu per type; of two, one would be lost while the callback said success) |
//! | menu | `name` present (the schema sets no minimum length, so `""` is accepted, as for every name below); `reference` present (may be `""`); `type` is `COLLECTION` or `DELIVERY`; `categories` present; translations carry `name`. `default_language` and translation tags are free strings |
//! | availability | each window matches the schema's `^[0-2][0-9]:[0-5][0-9] - [0-2][0-9]:[0-5][0-9]$` (so `"08:00 - 24:00"` and `"10:00 - 10:00"` pass); day keys are not checked. Menu hours are not carried into the Jupiter menu |
//! | category | `name`, `description` and `items` present; translations carry `name` and `description`; images as for items (the schema's `maxLength: 1` on the gallery array is no JSON Schema rule for arrays) |
//! | item | `name` present; `plu` a valid PLU *(hub: it becomes the Jupiter item id)*, blank only when `swap` has options to supply the PLUs; prices are int32 and *(hub)* not negative (Jupiter prices are not); enums (`tax_category`, `spiciness`, `dietary_restrictions`, `allergens`) take documented values; images have absolute http(s) URLs; `Range`s have `min` and `max`, any int32 (the published nutrition example sends `min: -1`); `nutritional_info`, `servings` any int32; required members of `caffeine`, `volume`, `weight`, `deposit` (amount any int32), `manufacturer`, `storage` are present |
//! | PLUs | *(hub)* an item, portion or swap-option PLU listed more than once in a menu must mean the same product: the same price and modifier groups (a "Most popular" category repeating best sellers is accepted); listings that differ are refused naming both paths. A modifier option may reuse an item's PLU, but options of one group are unique |
//! | modifier | `name`, `description` and `pick` present; `pick.pick_same_option` present; `pick` is the allOf of `exactly` and `range`, so both may be given when `exactly` lies in the range; *(hub)* `exactly` and `from` not negative, `from ≤ to`, and when the same option cannot be picked twice, `exactly` and `from` at most the number of options (otherwise no order could satisfy it); `to` above the number of options is a cap; options are items with a non-empty PLU |
//! | nesting | modifier groups nest at most [`MAX_MODIFIER_DEPTH`] deep (an item's groups are depth 1, an option's groups depth 2, …) |
//! | portions, includes, swaps, ingredients | the fields FACTS §2.7 marks required are present; portion and swap prices as for items; an include's PLU is only required (includes are not carried) |
//! | item availability | `event` is `AVAILABLE`/`UNAVAILABLE`; `itemReferences` non-empty PLUs; `restaurant` an id; `happenedAt` and `nextAvailableAt` RFC 3339; `nextAvailableAt` not before `happenedAt` |
//! | offline | `onlineAt`, when given, is a local date-time without offset |
//! | service times | `timezone` non-empty; `serviceTimes` non-empty, `serviceType` `Delivery`/`Collection` without repeats; `openingTimes` names at least one valid day; each window has `hh:mm` times whose closing time differs from the opening time (closing before opening crosses midnight) |
//!
//! The rules live along their seams: `menu` (the menus body), `availability` (item
//! availability) and `restaurant` (offline, service times); the field rules they share
//! are here, recorded into [`Violations`] at a [`Path`] written out only for a violation.
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

use super::wire::*;
use crate::domain::{Money, Plu, MAX_ID_CHARS};
use crate::problem::{Path, Violations};
use std::fmt;
use std::ops::Deref;

mod availability;
mod menu;
mod restaurant;

pub use availability::{validate_item_availability, AvailabilityEvent, ValidItemAvailability};
pub use menu::{
    parse_window, validate_menus, MenuType, MenusInput, ValidMenu, ValidMenus, ValidatedMenu,
    ALLERGENS, MAX_MODIFIER_DEPTH,
};
pub use restaurant::{
    validate_offline, validate_service_times, OpeningHours, ServiceType, ValidServiceTimes,
};

/// The rules every part of a catalog body shares, recorded into the one collector
/// ([`Violations`]) at a [`Path`] written out only when a rule is broken.
trait Rules {
    fn missing(&mut self, path: impl fmt::Display);
    /// A required string: present (it may be empty).
    fn present<'v, T: Deref<Target = str>>(
        &mut self,
        value: &'v Option<T>,
        path: impl fmt::Display,
    ) -> Option<&'v str>;
    fn one_of(&mut self, value: &str, allowed: &[&str], path: impl fmt::Display);
    fn price(&mut self, price: i64, path: impl fmt::Display);
    /// A PLU that must be valid: its trimmed text, or `None` after reporting why not. A
    /// valid PLU costs no allocation ([`Plu::parse`] runs only to word the violation).
    fn plu<'v>(&mut self, raw: &'v str, path: impl fmt::Display) -> Option<&'v str>;
}

impl Rules for Violations {
    fn missing(&mut self, path: impl fmt::Display) {
        self.push("missing", path, "missing");
    }
    fn present<'v, T: Deref<Target = str>>(
        &mut self,
        value: &'v Option<T>,
        path: impl fmt::Display,
    ) -> Option<&'v str> {
        if value.is_none() {
            self.missing(path);
        }
        value.as_deref()
    }
    fn one_of(&mut self, value: &str, allowed: &[&str], path: impl fmt::Display) {
        if !allowed.contains(&value) {
            self.push(
                "invalid_value",
                path,
                format!("{value:?} is not one of {}", allowed.join(", ")),
            );
        }
    }
    fn price(&mut self, price: i64, path: impl fmt::Display) {
        if price > i64::from(i32::MAX) {
            self.push("amount_too_large", path, "must fit in a 32-bit integer");
        } else {
            self.take_at(Money::from_minor(price, ""), path);
        }
    }
    fn plu<'v>(&mut self, raw: &'v str, path: impl fmt::Display) -> Option<&'v str> {
        match plu_text(raw) {
            Some(plu) => Some(plu),
            None => self.take_at(Plu::parse(raw, ""), path).map(|_| raw.trim()),
        }
    }
}

/// The trimmed PLU when [`Plu::parse`] would accept `raw` (the same rules, without the
/// copy), else `None`.
fn plu_text(raw: &str) -> Option<&str> {
    let trimmed = raw.trim();
    let ok = !trimmed.is_empty()
        && (trimmed.len() <= MAX_ID_CHARS || trimmed.chars().count() <= MAX_ID_CHARS)
        && !trimmed.chars().any(char::is_control);
    ok.then_some(trimmed)
}

/// Whether `url` is an absolute `http` or `https` URL with a host and no blanks. (Which
/// hosts may be called is decided by the edge before it sends anything.)
pub fn is_absolute_http_url(url: &str) -> bool {
    // The scheme, case-insensitively, without lower-casing a copy.
    let has_prefix = |prefix: &str| {
        url.as_bytes()
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    let rest = if has_prefix("https://") {
        url.get(8..)
    } else if has_prefix("http://") {
        url.get(7..)
    } else {
        None
    };
    let Some(rest) = rest else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = authority.rsplit('@').next().unwrap_or("");
    !host.is_empty()
        && !host.starts_with(':')
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests;
