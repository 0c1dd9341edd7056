//! The catalog's SQL: restaurants and their JET Connect state, delivery zones, menus,
//! stop lists and menu ingestions (`migrations/0001_catalog.sql`, `0002_catalog.sql`; menus
//! per service since `0009_menu_services.sql`).
//!
//! Documents are stored in the Jupiter form the site API serves; their `lastChange`
//! values live in columns (UTC) and are written into the documents when served, in the
//! restaurant's offset.

use chrono::{DateTime, Utc};
use orderbridge_core::domain::UtcOffset;
use orderbridge_core::geo::BBox;
use orderbridge_core::zone_memo::zone_version;
use serde::Deserialize;
use worker::D1PreparedStatement;

use super::typed::{self, Typed};
use super::{Arg, Storage};
use crate::error::EdgeError;

/// A `restaurants` row.
#[derive(Debug, Clone)]
pub struct RestaurantRow {
    pub id: String,
    /// The Jupiter `places` entry, JSON.
    pub place: String,
    pub utc_offset: UtcOffset,
    /// The IANA time zone (`migrations/0008_timezone.sql`); `None`: `utc_offset` applies.
    pub timezone: Option<String>,
    pub jet_location_id: Option<String>,
    pub orderconnect_restaurant_id: Option<String>,
    /// JET Connect's `/online` (true) or `/offline` (false).
    pub online: bool,
    pub offline_until: Option<DateTime<Utc>>,
    pub updated_at: String,
}

/// A [`RestaurantRow`] as D1 gives it.
#[derive(Deserialize)]
pub(super) struct RawRestaurantRow {
    id: String,
    place: String,
    utc_offset: String,
    #[serde(default)]
    timezone: Option<String>,
    jet_location_id: Option<String>,
    orderconnect_restaurant_id: Option<String>,
    online: i64,
    offline_until: Option<String>,
    updated_at: String,
}

impl Typed for RestaurantRow {
    type Raw = RawRestaurantRow;

    fn typed(raw: RawRestaurantRow) -> Result<RestaurantRow, EdgeError> {
        Ok(RestaurantRow {
            utc_offset: typed::utc_offset(&raw.utc_offset, &raw.id)?,
            online: typed::flag(raw.online, "online", &raw.id)?,
            offline_until: typed::instant(raw.offline_until.as_deref(), "offline_until", &raw.id)?,
            id: raw.id,
            place: raw.place,
            timezone: raw.timezone,
            jet_location_id: raw.jet_location_id,
            orderconnect_restaurant_id: raw.orderconnect_restaurant_id,
            updated_at: raw.updated_at,
        })
    }
}

/// What `PUT /admin/restaurants/{id}` stores (the online state is left as it is).
pub struct RestaurantWrite<'a> {
    pub id: &'a str,
    pub place: &'a str,
    pub utc_offset: &'a str,
    /// `None` keeps the stored zone, `Some("")` clears it.
    pub timezone: Option<&'a str>,
    pub jet_location_id: Option<&'a str>,
    pub orderconnect_restaurant_id: Option<&'a str>,
    pub updated_at: &'a str,
}

/// Another restaurant already holding one of the external ids a write wants.
#[derive(Debug, Clone, Deserialize)]
pub struct ExternalIdHolder {
    pub id: String,
    pub jet_location_id: Option<String>,
    pub orderconnect_restaurant_id: Option<String>,
}

/// A `service_times` row.
#[derive(Debug, Clone, Deserialize)]
pub struct ServiceTimesRow {
    /// The JET Connect `/servicetimes` request as received (it passed validation).
    pub body: String,
}

/// A `delivery_zones` row.
#[derive(Debug, Clone)]
pub struct ZoneRow {
    pub zone_id: String,
    pub name: String,
    /// The Jupiter zone, JSON.
    pub zone: String,
    /// Served under `deleted_zones`.
    pub deleted: bool,
    pub last_change: String,
}

/// A [`ZoneRow`] as D1 gives it.
#[derive(Deserialize)]
pub(super) struct RawZoneRow {
    zone_id: String,
    name: String,
    zone: String,
    deleted: i64,
    last_change: String,
}

impl Typed for ZoneRow {
    type Raw = RawZoneRow;

    fn typed(raw: RawZoneRow) -> Result<ZoneRow, EdgeError> {
        Ok(ZoneRow {
            deleted: typed::flag(raw.deleted, "deleted", &raw.zone_id)?,
            zone_id: raw.zone_id,
            name: raw.name,
            zone: raw.zone,
            last_change: raw.last_change,
        })
    }
}

/// One zone of an admin zones document, ready to store.
pub struct ZoneWrite {
    pub zone_id: String,
    pub name: String,
    pub zone: String,
    pub deleted: bool,
    pub last_change: String,
    /// The polygon's box (core's `geo::stored_zone_bbox`), `None` for a deleted zone.
    pub bbox: Option<BBox>,
    /// The grid cell holding the box (core's `geo::bbox_cell`).
    pub cell: Option<String>,
}

/// A `menus` row.
#[derive(Debug, Clone, Deserialize)]
pub struct MenuRow {
    pub menu: String,
    pub last_change: String,
}

/// A menu to store for one restaurant, concept and service.
pub struct MenuWrite {
    pub restaurant_id: String,
    pub concept_id: String,
    /// `DELIVERY` or `COLLECTION` for a JET Connect menu; `""` for a menu serving every
    /// order (`core::jet::to_jupiter::service_key`). Writing one kind removes the other.
    pub service: &'static str,
    /// Shared: the restaurants of one UTC offset store one text (up to 1.9 MB), not a copy
    /// each.
    pub menu: std::rc::Rc<str>,
    pub last_change: String,
}

/// The concept and service of a stored menu (`menus` without the document).
#[derive(Debug, Clone, Deserialize)]
pub struct MenuKeyRow {
    pub concept_id: String,
    pub service: String,
}

/// A `stop_lists` row with the restaurant's offset and zone.
#[derive(Debug, Clone)]
pub struct StopListRow {
    pub restaurant_id: String,
    pub last_change: String,
    pub utc_offset: UtcOffset,
    pub timezone: Option<String>,
}

/// A [`StopListRow`] as D1 gives it.
#[derive(Deserialize)]
pub(super) struct RawStopListRow {
    restaurant_id: String,
    last_change: String,
    utc_offset: String,
    #[serde(default)]
    timezone: Option<String>,
}

impl Typed for StopListRow {
    type Raw = RawStopListRow;

    fn typed(raw: RawStopListRow) -> Result<StopListRow, EdgeError> {
        Ok(StopListRow {
            utc_offset: typed::utc_offset(&raw.utc_offset, &raw.restaurant_id)?,
            restaurant_id: raw.restaurant_id,
            last_change: raw.last_change,
            timezone: raw.timezone,
        })
    }
}

/// A `stop_list_items` row: the last availability event applied to one PLU.
#[derive(Debug, Clone)]
pub struct AvailabilityRow {
    pub restaurant_id: String,
    pub item_id: String,
    pub until: Option<DateTime<Utc>>,
    pub happened_at: DateTime<Utc>,
    pub unavailable: bool,
}

/// An [`AvailabilityRow`] as D1 gives it.
#[derive(Deserialize)]
pub(super) struct RawAvailabilityRow {
    restaurant_id: String,
    item_id: String,
    until: Option<String>,
    happened_at: String,
    unavailable: i64,
}

impl Typed for AvailabilityRow {
    type Raw = RawAvailabilityRow;

    fn typed(raw: RawAvailabilityRow) -> Result<AvailabilityRow, EdgeError> {
        let row = format!("{}/{}", raw.restaurant_id, raw.item_id);
        Ok(AvailabilityRow {
            until: typed::instant(raw.until.as_deref(), "until", &row)?,
            happened_at: typed::instant(Some(&raw.happened_at), "happened_at", &row)?
                .ok_or_else(|| EdgeError::Internal(format!("happened_at of {row}")))?,
            unavailable: typed::flag(raw.unavailable, "unavailable", &row)?,
            restaurant_id: raw.restaurant_id,
            item_id: raw.item_id,
        })
    }
}

/// A changed availability record to store.
pub struct AvailabilityWrite {
    pub restaurant_id: String,
    pub item_id: String,
    pub unavailable: bool,
    pub until: Option<String>,
    pub happened_at: String,
}

/// An admin stop list replacing a restaurant's: the items are stopped with no return
/// time, as of `lastChange`.
pub struct StopListReplace {
    pub restaurant_id: String,
    pub last_change: String,
    pub happened_at: String,
    pub items: Vec<String>,
}

/// The accepted `POST /jet-connect/menus` request.
pub struct IngestionWrite {
    pub id: String,
    pub received_at: String,
    pub callback_url: String,
    pub restaurants: String,
    pub concepts: String,
    /// With `JET_RELAY=on`: the token of JET Connect's callback for the relayed menus.
    pub relay_token: Option<String>,
}

const RESTAURANT_COLUMNS: &str = "id, place, utc_offset, timezone, jet_location_id, \
     orderconnect_restaurant_id, online, offline_until, updated_at";

impl Storage {
    // ----- restaurants -------------------------------------------------------------------

    pub async fn restaurant(&self, id: &str) -> Result<Option<RestaurantRow>, EdgeError> {
        self.typed_row(
            &format!("SELECT {RESTAURANT_COLUMNS} FROM restaurants WHERE id = ?1"),
            &[Arg::Text(id)],
        )
        .await
    }

    pub async fn restaurants(&self) -> Result<Vec<RestaurantRow>, EdgeError> {
        self.typed_rows(
            &format!("SELECT {RESTAURANT_COLUMNS} FROM restaurants ORDER BY id"),
            &[],
        )
        .await
    }

    /// The rows of those of `ids` that exist.
    pub async fn restaurants_among(&self, ids: &[&str]) -> Result<Vec<RestaurantRow>, EdgeError> {
        let list = serde_json::to_string(ids)
            .map_err(|err| EdgeError::Internal(format!("restaurant id list: {err}")))?;
        self.typed_rows(
            &format!(
                "SELECT {RESTAURANT_COLUMNS} FROM restaurants \
                 WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id"
            ),
            &[Arg::Text(&list)],
        )
        .await
    }

    /// Other restaurants that already hold this JET location id or Orderconnect id.
    pub async fn external_id_holders(
        &self,
        id: &str,
        jet_location_id: Option<&str>,
        orderconnect_restaurant_id: Option<&str>,
    ) -> Result<Vec<ExternalIdHolder>, EdgeError> {
        self.rows(
            "SELECT id, jet_location_id, orderconnect_restaurant_id FROM restaurants \
             WHERE id <> ?1 AND (jet_location_id = ?2 OR orderconnect_restaurant_id = ?3)",
            &[
                Arg::Text(id),
                Arg::OptText(jet_location_id),
                Arg::OptText(orderconnect_restaurant_id),
            ],
        )
        .await
    }

    /// Creates or replaces a restaurant's place and hub fields; its online state stays.
    pub async fn put_restaurant(&self, w: &RestaurantWrite<'_>) -> Result<(), EdgeError> {
        let statement = self.statement(
            "INSERT INTO restaurants (id, place, utc_offset, jet_location_id, \
                 orderconnect_restaurant_id, online, updated_at, timezone) \
             VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, NULLIF(?7, '')) \
             ON CONFLICT(id) DO UPDATE SET place = excluded.place, \
                 utc_offset = excluded.utc_offset, jet_location_id = excluded.jet_location_id, \
                 orderconnect_restaurant_id = excluded.orderconnect_restaurant_id, \
                 updated_at = excluded.updated_at, \
                 timezone = CASE WHEN ?7 IS NULL THEN timezone ELSE NULLIF(?7, '') END",
            &[
                Arg::Text(w.id),
                Arg::Text(w.place),
                Arg::Text(w.utc_offset),
                Arg::OptText(w.jet_location_id),
                Arg::OptText(w.orderconnect_restaurant_id),
                Arg::Text(w.updated_at),
                Arg::OptText(w.timezone),
            ],
        )?;
        self.batch(vec![statement]).await.map(drop)
    }

    /// Sets a restaurant's IANA zone: always (`only_if_unset` false: JET Connect
    /// `/servicetimes`), or only while it has none (an order's `location.timezone`).
    pub fn set_timezone(
        &self,
        id: &str,
        timezone: &str,
        only_if_unset: bool,
    ) -> Result<D1PreparedStatement, EdgeError> {
        let sql = if only_if_unset {
            "UPDATE restaurants SET timezone = ?2 WHERE id = ?1 AND timezone IS NULL"
        } else {
            "UPDATE restaurants SET timezone = ?2 WHERE id = ?1"
        };
        self.statement(sql, &[Arg::Text(id), Arg::Text(timezone)])
    }

    /// Gives a restaurant that has no zone this one (a JET Connect order's
    /// `location.timezone`).
    pub async fn adopt_timezone(&self, id: &str, timezone: &str) -> Result<(), EdgeError> {
        self.batch(vec![self.set_timezone(id, timezone, true)?])
            .await
            .map(drop)
    }

    /// A place pulled from the upstream Jupiter: created with `utc_offset_if_new`, or its
    /// place replaced while the hub's own fields (offset, external ids, online state) stay.
    pub async fn upsert_upstream_place(
        &self,
        id: &str,
        place: &str,
        utc_offset_if_new: &str,
        updated_at: &str,
    ) -> Result<(), EdgeError> {
        let statement = self.statement(
            "INSERT INTO restaurants (id, place, utc_offset, online, updated_at) \
             VALUES (?1, ?2, ?3, 1, ?4) \
             ON CONFLICT(id) DO UPDATE SET place = excluded.place, updated_at = excluded.updated_at",
            &[
                Arg::Text(id),
                Arg::Text(place),
                Arg::Text(utc_offset_if_new),
                Arg::Text(updated_at),
            ],
        )?;
        self.batch(vec![statement]).await.map(drop)
    }

    /// JET Connect `/offline` (`online` false, with an optional automatic return) and
    /// `/online` (`online` true, no return time).
    pub async fn set_online(
        &self,
        id: &str,
        online: bool,
        offline_until: Option<&str>,
        updated_at: &str,
        also: Vec<D1PreparedStatement>,
    ) -> Result<(), EdgeError> {
        let statement = self.statement(
            "UPDATE restaurants SET online = ?2, offline_until = ?3, updated_at = ?4 WHERE id = ?1",
            &[
                Arg::Text(id),
                Arg::Int(i64::from(online)),
                Arg::OptText(offline_until),
                Arg::Text(updated_at),
            ],
        )?;
        let mut statements = vec![statement];
        statements.extend(also);
        self.batch(statements).await.map(drop)
    }

    /// JET Connect `/servicetimes`: replaces the restaurant's service times.
    pub async fn put_service_times(
        &self,
        id: &str,
        timezone: &str,
        body: &str,
        updated_at: &str,
        also: Vec<D1PreparedStatement>,
    ) -> Result<(), EdgeError> {
        let statement = self.statement(
            "INSERT INTO service_times (restaurant_id, timezone, body, updated_at) \
             VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT(restaurant_id) DO UPDATE SET timezone = excluded.timezone, \
                 body = excluded.body, updated_at = excluded.updated_at",
            &[
                Arg::Text(id),
                Arg::Text(timezone),
                Arg::Text(body),
                Arg::Text(updated_at),
            ],
        )?;
        let mut statements = vec![statement];
        statements.extend(also);
        self.batch(statements).await.map(drop)
    }

    pub async fn service_times(&self, id: &str) -> Result<Option<ServiceTimesRow>, EdgeError> {
        self.row(
            "SELECT body FROM service_times WHERE restaurant_id = ?1",
            &[Arg::Text(id)],
        )
        .await
    }

    // ----- delivery zones ----------------------------------------------------------------

    /// Every zone (live and deleted) of a restaurant's concept, in the order they were
    /// first written, and the zones document's own `lastChange` if one was set.
    pub async fn zones(
        &self,
        restaurant_id: &str,
        concept_id: &str,
    ) -> Result<(Vec<ZoneRow>, Option<String>), EdgeError> {
        let args = [Arg::Text(restaurant_id), Arg::Text(concept_id)];
        let zones = self
            .typed_rows(
                "SELECT zone_id, name, zone, deleted, last_change FROM delivery_zones \
                 WHERE restaurant_id = ?1 AND concept_id = ?2 ORDER BY rowid",
                &args,
            )
            .await?;
        #[derive(Deserialize)]
        struct Set {
            last_change: String,
        }
        let set: Option<Set> = self
            .row(
                "SELECT last_change FROM zone_sets WHERE restaurant_id = ?1 AND concept_id = ?2",
                &args,
            )
            .await?;
        Ok((zones, set.map(|s| s.last_change)))
    }

    /// Writes an admin zones document: each zone is created or replaced (live or deleted),
    /// live zones the document leaves out move to the deleted ones at `now`, and the
    /// document's `lastChange` is kept. One batch.
    pub async fn put_zones(
        &self,
        restaurant_id: &str,
        concept_id: &str,
        zones: &[ZoneWrite],
        set_last_change: &str,
        now: &str,
    ) -> Result<(), EdgeError> {
        let listed: Vec<&str> = zones.iter().map(|z| z.zone_id.as_str()).collect();
        let listed = serde_json::to_string(&listed)
            .map_err(|err| EdgeError::Internal(format!("zone id list: {err}")))?;
        let mut statements = vec![self.statement(
            "UPDATE delivery_zones SET deleted = 1, last_change = ?3 \
             WHERE restaurant_id = ?1 AND concept_id = ?2 AND deleted = 0 \
               AND zone_id NOT IN (SELECT value FROM json_each(?4))",
            &[
                Arg::Text(restaurant_id),
                Arg::Text(concept_id),
                Arg::Text(now),
                Arg::Text(&listed),
            ],
        )?];
        for zone in zones {
            statements.push(self.statement(
                "INSERT INTO delivery_zones \
                     (restaurant_id, concept_id, zone_id, name, zone, deleted, last_change, \
                      min_lat, max_lat, min_lon, max_lon, cell, version) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) \
                 ON CONFLICT(restaurant_id, concept_id, zone_id) DO UPDATE SET \
                     name = excluded.name, zone = excluded.zone, deleted = excluded.deleted, \
                     last_change = excluded.last_change, min_lat = excluded.min_lat, \
                     max_lat = excluded.max_lat, min_lon = excluded.min_lon, \
                     max_lon = excluded.max_lon, cell = excluded.cell, \
                     version = excluded.version",
                &[
                    Arg::Text(restaurant_id),
                    Arg::Text(concept_id),
                    Arg::Text(&zone.zone_id),
                    Arg::Text(&zone.name),
                    Arg::Text(&zone.zone),
                    Arg::Int(i64::from(zone.deleted)),
                    Arg::Text(&zone.last_change),
                    Arg::OptReal(zone.bbox.map(|b| b.min_lat)),
                    Arg::OptReal(zone.bbox.map(|b| b.max_lat)),
                    Arg::OptReal(zone.bbox.map(|b| b.min_lon)),
                    Arg::OptReal(zone.bbox.map(|b| b.max_lon)),
                    Arg::OptText(zone.cell.as_deref()),
                    // What an order's candidate read compares (migration 0031).
                    Arg::Text(&zone_version(&zone.zone)),
                ],
            )?);
        }
        statements.push(self.zone_set_statement(restaurant_id, concept_id, set_last_change)?);
        self.batch(statements).await.map(drop)
    }

    /// Moves a live zone to the deleted ones at `now`. `Ok(false)` when no live zone has
    /// that id.
    pub async fn delete_zone(
        &self,
        restaurant_id: &str,
        concept_id: &str,
        zone_id: &str,
        now: &str,
    ) -> Result<bool, EdgeError> {
        let live: Option<serde_json::Value> = self
            .row(
                "SELECT zone_id FROM delivery_zones WHERE restaurant_id = ?1 \
                 AND concept_id = ?2 AND zone_id = ?3 AND deleted = 0",
                &[
                    Arg::Text(restaurant_id),
                    Arg::Text(concept_id),
                    Arg::Text(zone_id),
                ],
            )
            .await?;
        if live.is_none() {
            return Ok(false);
        }
        let statements = vec![
            self.statement(
                "UPDATE delivery_zones SET deleted = 1, last_change = ?4 \
                 WHERE restaurant_id = ?1 AND concept_id = ?2 AND zone_id = ?3 AND deleted = 0",
                &[
                    Arg::Text(restaurant_id),
                    Arg::Text(concept_id),
                    Arg::Text(zone_id),
                    Arg::Text(now),
                ],
            )?,
            self.zone_set_statement(restaurant_id, concept_id, now)?,
        ];
        let changes = self.batch(statements).await?;
        Ok(changes.first().copied().unwrap_or(0) > 0)
    }

    fn zone_set_statement(
        &self,
        restaurant_id: &str,
        concept_id: &str,
        last_change: &str,
    ) -> Result<worker::D1PreparedStatement, EdgeError> {
        self.statement(
            "INSERT INTO zone_sets (restaurant_id, concept_id, last_change) VALUES (?1, ?2, ?3) \
             ON CONFLICT(restaurant_id, concept_id) DO UPDATE SET last_change = excluded.last_change",
            &[
                Arg::Text(restaurant_id),
                Arg::Text(concept_id),
                Arg::Text(last_change),
            ],
        )
    }

    // ----- menus -------------------------------------------------------------------------

    /// The menu the site API serves for a concept: its DELIVERY menu, else the one for
    /// every service, else its COLLECTION menu.
    pub async fn menu(
        &self,
        restaurant_id: &str,
        concept_id: &str,
    ) -> Result<Option<MenuRow>, EdgeError> {
        self.menu_for(restaurant_id, concept_id, "DELIVERY").await
    }

    /// A concept's menu for one service (`DELIVERY` or `COLLECTION`): that service's menu,
    /// else the one for every service, else the concept's other menu
    /// (`core::jet::to_jupiter::pick_service`, in SQL).
    pub async fn menu_for(
        &self,
        restaurant_id: &str,
        concept_id: &str,
        service: &str,
    ) -> Result<Option<MenuRow>, EdgeError> {
        self.row(
            "SELECT menu, last_change FROM menus WHERE restaurant_id = ?1 AND concept_id = ?2 \
             ORDER BY CASE service WHEN ?3 THEN 0 WHEN '' THEN 1 ELSE 2 END LIMIT 1",
            &[
                Arg::Text(restaurant_id),
                Arg::Text(concept_id),
                Arg::Text(service),
            ],
        )
        .await
    }

    /// Which menus a restaurant has: concept and service of each.
    pub async fn menu_keys(&self, restaurant_id: &str) -> Result<Vec<MenuKeyRow>, EdgeError> {
        self.rows(
            "SELECT concept_id, service FROM menus WHERE restaurant_id = ?1 \
             ORDER BY concept_id, service",
            &[Arg::Text(restaurant_id)],
        )
        .await
    }

    /// Stores menus (admin: one; JET Connect: one per restaurant and concept), the stop-list
    /// changes they bring (`out_of_stock`) and, for JET Connect, the ingestion record, as
    /// one batch: the request is acknowledged only when all of it is stored.
    pub async fn put_menus(
        &self,
        menus: &[MenuWrite],
        availability: &[AvailabilityWrite],
        stop_lists_changed: &[(String, String)],
        ingestion: Option<&IngestionWrite>,
        staged_deliveries: Vec<worker::D1PreparedStatement>,
    ) -> Result<(), EdgeError> {
        let mut statements = Vec::new();
        for menu in menus {
            // A concept has one menu for every service or menus per service, never both: a
            // menu for every service replaces the typed ones, a typed one the untyped.
            let other_kind = if menu.service.is_empty() {
                "DELETE FROM menus WHERE restaurant_id = ?1 AND concept_id = ?2 AND service <> ''"
            } else {
                "DELETE FROM menus WHERE restaurant_id = ?1 AND concept_id = ?2 AND service = ''"
            };
            statements.push(self.statement(
                other_kind,
                &[Arg::Text(&menu.restaurant_id), Arg::Text(&menu.concept_id)],
            )?);
            statements.push(self.statement(
                "INSERT INTO menus (restaurant_id, concept_id, service, menu, last_change) \
                 VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT(restaurant_id, concept_id, service) DO UPDATE SET \
                     menu = excluded.menu, last_change = excluded.last_change",
                &[
                    Arg::Text(&menu.restaurant_id),
                    Arg::Text(&menu.concept_id),
                    Arg::Text(menu.service),
                    Arg::Text(&menu.menu),
                    Arg::Text(&menu.last_change),
                ],
            )?);
        }
        statements.extend(self.availability_statements(availability, stop_lists_changed)?);
        if let Some(i) = ingestion {
            statements.push(self.statement(
                "INSERT INTO menu_ingestions (id, received_at, callback_url, restaurants, concepts, \
                     relay_token) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                &[
                    Arg::Text(&i.id),
                    Arg::Text(&i.received_at),
                    Arg::Text(&i.callback_url),
                    Arg::Text(&i.restaurants),
                    Arg::Text(&i.concepts),
                    Arg::OptText(i.relay_token.as_deref()),
                ],
            )?);
        }
        // The ingestion's callbacks (outbox rows) commit with the menus they report on.
        statements.extend(staged_deliveries);
        self.batch(statements).await.map(drop)
    }

    // ----- stop lists --------------------------------------------------------------------

    /// The stop lists (with their restaurants' offsets) and the stopped items: of one
    /// restaurant, or of all.
    pub async fn stop_lists(
        &self,
        restaurant_id: Option<&str>,
    ) -> Result<(Vec<StopListRow>, Vec<AvailabilityRow>), EdgeError> {
        let items_sql = "SELECT restaurant_id, item_id, until, happened_at, unavailable \
                         FROM stop_list_items WHERE unavailable = 1";
        let lists_sql = "SELECT s.restaurant_id, s.last_change, r.utc_offset, r.timezone \
                         FROM stop_lists s JOIN restaurants r ON r.id = s.restaurant_id";
        match restaurant_id {
            Some(id) => {
                let args = [Arg::Text(id)];
                let lists = self
                    .typed_rows(&format!("{lists_sql} WHERE s.restaurant_id = ?1"), &args)
                    .await?;
                let items = self
                    .typed_rows(
                        &format!("{items_sql} AND restaurant_id = ?1 ORDER BY item_id"),
                        &args,
                    )
                    .await?;
                Ok((lists, items))
            }
            None => {
                let lists = self
                    .typed_rows(&format!("{lists_sql} ORDER BY s.restaurant_id"), &[])
                    .await?;
                let items = self
                    .typed_rows(&format!("{items_sql} ORDER BY restaurant_id, item_id"), &[])
                    .await?;
                Ok((lists, items))
            }
        }
    }

    /// The availability records of some PLUs of one restaurant (stopped or not).
    pub async fn availability_of(
        &self,
        restaurant_id: &str,
        plus: &[&str],
    ) -> Result<Vec<AvailabilityRow>, EdgeError> {
        let list = serde_json::to_string(plus)
            .map_err(|err| EdgeError::Internal(format!("PLU list: {err}")))?;
        self.typed_rows(
            "SELECT restaurant_id, item_id, until, happened_at, unavailable FROM stop_list_items \
             WHERE restaurant_id = ?1 AND item_id IN (SELECT value FROM json_each(?2))",
            &[Arg::Text(restaurant_id), Arg::Text(&list)],
        )
        .await
    }

    /// Stores changed availability records and moves the `lastChange` of the stop lists
    /// that changed, as one batch.
    pub async fn put_availability(
        &self,
        records: &[AvailabilityWrite],
        stop_lists_changed: &[(String, String)],
        also: Vec<D1PreparedStatement>,
    ) -> Result<(), EdgeError> {
        let mut statements = self.availability_statements(records, stop_lists_changed)?;
        statements.extend(also);
        self.batch(statements).await.map(drop)
    }

    /// Replaces restaurants' stop lists with admin documents, as one batch.
    pub async fn replace_stop_lists(&self, lists: &[StopListReplace]) -> Result<(), EdgeError> {
        let mut statements = Vec::new();
        for list in lists {
            let restaurant_id = list.restaurant_id.as_str();
            statements.push(self.statement(
                "DELETE FROM stop_list_items WHERE restaurant_id = ?1",
                &[Arg::Text(restaurant_id)],
            )?);
            for item in &list.items {
                statements.push(self.statement(
                    "INSERT OR REPLACE INTO stop_list_items \
                         (restaurant_id, item_id, until, happened_at, unavailable) \
                     VALUES (?1, ?2, NULL, ?3, 1)",
                    &[
                        Arg::Text(restaurant_id),
                        Arg::Text(item),
                        Arg::Text(&list.happened_at),
                    ],
                )?);
            }
            statements.push(self.stop_list_statement(restaurant_id, &list.last_change)?);
        }
        self.batch(statements).await.map(drop)
    }

    /// Upserts availability records. The `WHERE` keeps a record whose stored event is
    /// newer, so two requests racing for the same PLU cannot let the older event win.
    fn availability_statements(
        &self,
        records: &[AvailabilityWrite],
        stop_lists_changed: &[(String, String)],
    ) -> Result<Vec<worker::D1PreparedStatement>, EdgeError> {
        let mut statements = Vec::new();
        for r in records {
            statements.push(self.statement(
                "INSERT INTO stop_list_items \
                     (restaurant_id, item_id, until, happened_at, unavailable) \
                 VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT(restaurant_id, item_id) DO UPDATE SET until = excluded.until, \
                     happened_at = excluded.happened_at, unavailable = excluded.unavailable \
                 WHERE excluded.happened_at >= stop_list_items.happened_at",
                &[
                    Arg::Text(&r.restaurant_id),
                    Arg::Text(&r.item_id),
                    Arg::OptText(r.until.as_deref()),
                    Arg::Text(&r.happened_at),
                    Arg::Int(i64::from(r.unavailable)),
                ],
            )?);
        }
        for (restaurant_id, last_change) in stop_lists_changed {
            statements.push(self.stop_list_statement(restaurant_id, last_change)?);
        }
        Ok(statements)
    }

    fn stop_list_statement(
        &self,
        restaurant_id: &str,
        last_change: &str,
    ) -> Result<worker::D1PreparedStatement, EdgeError> {
        self.statement(
            "INSERT INTO stop_lists (restaurant_id, last_change) VALUES (?1, ?2) \
             ON CONFLICT(restaurant_id) DO UPDATE SET last_change = excluded.last_change",
            &[Arg::Text(restaurant_id), Arg::Text(last_change)],
        )
    }
}
