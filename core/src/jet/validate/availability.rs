//! Item availability (`PUT …/items/availability`): the event, the items it names, and
//! when they are available again.

use crate::domain::{Plu, RestaurantId};
use crate::problem::Violation;
use chrono::{DateTime, FixedOffset};

use super::*;

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

pub(super) fn rfc3339(
    r: &mut Violations,
    value: &Option<String>,
    path: &str,
) -> Option<DateTime<FixedOffset>> {
    let text = value.as_deref()?;
    match DateTime::parse_from_rfc3339(text) {
        Ok(t) => Some(t),
        Err(_) => {
            r.push(
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
    let mut r = Violations::new();
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
        Some(list) if list.is_empty() => r.push("empty", "itemReferences", "must not be empty"),
        Some(list) => {
            let root = Path::root("itemReferences");
            for (i, raw) in list.iter().enumerate() {
                if let Some(plu) = r.take_at(Plu::parse(raw, ""), root.index(i)) {
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
            r.push(
                "invalid_datetime",
                "nextAvailableAt",
                "must not be before happenedAt",
            );
        }
    }
    match (event, restaurant) {
        (Some(event), Some(restaurant)) if r.is_empty() => Ok(ValidItemAvailability {
            event,
            plus,
            restaurant,
            happened_at,
            next_available_at,
        }),
        _ => Err(r.into_vec()),
    }
}
