//! The site-API documents as stored: rows read back into core's types (restaurants with
//! their place and zone, availability records), the writes of menus, zones and stop lists,
//! the D1 size guard, and the errors every catalog route can answer with. Shared by the
//! catalog handlers (site API, admin, JET Connect), order intake and the upstream sync.

use chrono::{DateTime, Utc};
use orderbridge_core::catalog::format_last_change;
use orderbridge_core::geo::{bbox_cell, stored_zone_bbox};
use orderbridge_core::jupiter::{DeliveryZonesResponse, MenuResponse, Place, StopList};
use orderbridge_core::stop_list::{AvailabilityEntries, AvailabilityRecord};
use orderbridge_core::tz::LocalZone;
use serde::de::DeserializeOwned;

use crate::error::EdgeError;
use crate::storage::{
    micros, millis, parse_instant, AvailabilityRow, AvailabilityWrite, MenuWrite, RestaurantRow,
    StopListReplace, Storage, ZoneWrite,
};

/// D1's limit on a stored value is 2,000,000 bytes; documents stay below it with room for
/// the other columns of their row.
pub const MAX_STORED_DOCUMENT: usize = 1_900_000;

/// `404` for a restaurant the hub does not know.
pub fn unknown_restaurant(id: &str) -> EdgeError {
    EdgeError::NotFound {
        code: "restaurant_not_found",
        summary: format!("restaurant {id:?} is not known"),
    }
}

/// The stored row of restaurant `id`, or `404 restaurant_not_found`: the one "restaurant or
/// 404" of every handler (see also [`Restaurant::known`]).
pub async fn known_row(storage: &Storage, id: &str) -> Result<RestaurantRow, EdgeError> {
    storage
        .restaurant(id)
        .await?
        .ok_or_else(|| unknown_restaurant(id))
}

/// A stored JSON document read back; a document that does not read is our defect.
pub fn stored<T: DeserializeOwned>(text: &str, what: &str) -> Result<T, EdgeError> {
    serde_json::from_str(text).map_err(|err| EdgeError::Internal(format!("stored {what}: {err}")))
}

/// A document serialised for storage, refused when D1 could not hold it.
pub fn to_stored<T: serde::Serialize>(doc: &T, field: &str) -> Result<String, EdgeError> {
    let text = serde_json::to_string(doc)
        .map_err(|err| EdgeError::Internal(format!("serialising {field}: {err}")))?;
    within_stored_limit(text, field)
}

/// `text`, or `422 document_too_large` when it is over [`MAX_STORED_DOCUMENT`].
pub fn within_stored_limit(text: String, field: &str) -> Result<String, EdgeError> {
    if text.len() > MAX_STORED_DOCUMENT {
        return Err(EdgeError::invalid(
            "document_too_large",
            field,
            format!(
                "is {} bytes in Jupiter form; the hub stores at most {MAX_STORED_DOCUMENT}",
                text.len()
            ),
        ));
    }
    Ok(text)
}

/// The stored rows of the restaurants among `ids`, and the ids the hub does not know, in
/// `ids`' order: what a write naming several restaurants checks before it stores anything
/// (each caller answers the unknown ones in its protocol's way).
pub async fn among<'a>(
    storage: &Storage,
    ids: &[&'a str],
) -> Result<(Vec<RestaurantRow>, Vec<&'a str>), EdgeError> {
    let rows = storage.restaurants_among(ids).await?;
    let unknown = ids
        .iter()
        .copied()
        .filter(|id| !rows.iter().any(|r| r.id == *id))
        .collect();
    Ok((rows, unknown))
}

/// A restaurant row with its place and time zone read.
pub struct Restaurant {
    pub row: RestaurantRow,
    pub place: Place,
    /// The restaurant's IANA zone, else its fixed `utc_offset`.
    pub zone: LocalZone,
}

impl Restaurant {
    /// Restaurant `id` read, or `404 restaurant_not_found` ([`known_row`]).
    pub async fn known(storage: &Storage, id: &str) -> Result<Restaurant, EdgeError> {
        Restaurant::read(known_row(storage, id).await?)
    }

    pub fn read(row: RestaurantRow) -> Result<Restaurant, EdgeError> {
        let mut place: Place = stored(&row.place, "place")?;
        place.timezone = row.timezone.clone();
        let zone = crate::zone::local_zone(row.timezone.as_deref(), row.utc_offset);
        Ok(Restaurant { row, place, zone })
    }

    /// Whether the restaurant works with concepts (requests must then name one).
    pub fn has_concepts(&self) -> bool {
        self.place.concepts.as_ref().is_some_and(|c| !c.is_empty())
    }

    /// Whether a site read must name a concept: the restaurant works with concepts and none
    /// is `default` (core's `catalog::concept_needed`; seed `004`).
    pub fn needs_concept(&self) -> bool {
        orderbridge_core::catalog::concept_needed(
            self.place.concepts.iter().flatten().map(|c| c.id.as_str()),
        )
    }

    /// A stored UTC instant as this restaurant's front-ends see it.
    pub fn show(&self, stored_at: &str) -> Result<String, EdgeError> {
        Ok(format_last_change(parse_instant(stored_at)?, &self.zone))
    }

    pub fn show_instant(&self, at: DateTime<Utc>) -> String {
        format_last_change(at, &self.zone)
    }
}

/// A validated RFC 3339 value of a document as a UTC instant.
pub fn instant(text: &str) -> Result<DateTime<Utc>, EdgeError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| EdgeError::invalid("invalid_datetime", "lastChange", "must be RFC 3339"))
}

/// A validated zones document as rows to store, and the document's `lastChange`. A zone
/// without its own `lastChange` takes the document's.
pub fn zone_writes(doc: &DeliveryZonesResponse) -> Result<(Vec<ZoneWrite>, String), EdgeError> {
    let mut writes = Vec::new();
    for zone in &doc.zones {
        let at = zone.last_change.as_deref().unwrap_or(&doc.last_change);
        // The box an order's point is looked up by (migration 0029).
        let bbox = stored_zone_bbox(&zone.coordinates);
        writes.push(ZoneWrite {
            zone_id: zone.id.trim().to_owned(),
            name: zone.name.clone(),
            zone: to_stored(zone, "zones")?,
            deleted: false,
            last_change: millis(instant(at)?),
            bbox,
            cell: bbox.as_ref().map(bbox_cell),
        });
    }
    for zone in doc.deleted_zones.iter().flatten() {
        writes.push(ZoneWrite {
            zone_id: zone.id.trim().to_owned(),
            name: zone.name.clone().unwrap_or_default(),
            zone: to_stored(zone, "deleted_zones")?,
            deleted: true,
            last_change: millis(instant(&zone.last_change)?),
            bbox: None,
            cell: None,
        });
    }
    Ok((writes, millis(instant(&doc.last_change)?)))
}

/// A validated menu document as the row to store for a restaurant's concept key.
pub fn menu_write(id: &str, concept_key: &str, doc: &MenuResponse) -> Result<MenuWrite, EdgeError> {
    Ok(MenuWrite {
        restaurant_id: id.to_owned(),
        concept_id: concept_key.to_owned(),
        // The admin API's and an upstream Jupiter's menus serve every order.
        service: "",
        menu: to_stored(&doc.menu, "menu")?.into(),
        last_change: millis(instant(&doc.menu.last_change)?),
    })
}

/// A validated stop list as the replacement of a restaurant's: its items stopped with no
/// return time, as of its `lastChange`.
pub fn stop_list_replace(list: &StopList) -> Result<StopListReplace, EdgeError> {
    let at = instant(&list.last_change)?;
    let mut items: Vec<String> = list.items.iter().map(|i| i.id.trim().to_owned()).collect();
    items.sort();
    items.dedup();
    Ok(StopListReplace {
        restaurant_id: list.restaurant_id.trim().to_owned(),
        last_change: millis(at),
        happened_at: micros(at),
        items,
    })
}

/// Stored availability rows as core's records, by PLU.
pub fn entries(rows: &[AvailabilityRow]) -> AvailabilityEntries {
    rows.iter()
        .map(|row| {
            let record = AvailabilityRecord {
                unavailable: row.unavailable,
                until: row.until.map(|t| t.fixed_offset()),
                happened_at: row.happened_at.fixed_offset(),
            };
            (row.item_id.clone(), record)
        })
        .collect()
}

/// The records `after` holds that differ from `before`, ready to store.
pub fn changed_records(
    restaurant_id: &str,
    before: &AvailabilityEntries,
    after: &AvailabilityEntries,
) -> Vec<AvailabilityWrite> {
    after
        .iter()
        .filter(|(plu, record)| before.get(*plu) != Some(*record))
        .map(|(plu, record)| AvailabilityWrite {
            restaurant_id: restaurant_id.to_owned(),
            item_id: plu.clone(),
            unavailable: record.unavailable,
            until: record.until.map(|t| micros(t.with_timezone(&Utc))),
            happened_at: micros(record.happened_at.with_timezone(&Utc)),
        })
        .collect()
}
