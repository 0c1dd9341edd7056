//! Restaurant status and the backup flow received from JET Connect (issue 18, migration
//! 0019): `jet_temp_offline` (the last temp-offline notification applied per restaurant)
//! and `jet_backup_orders` (orders Just Eat could not inject), and the Partner API's
//! `just_eat_menu_ingestions` (menu ingestion results on Just Eat's side); and
//! `restaurant_order_times` (migration 0026: Just Eat's order times per day and service).

use serde::Deserialize;
use worker::D1PreparedStatement;

use super::{Arg, Storage};
use crate::error::EdgeError;

/// A `jet_backup_orders` row.
#[derive(Debug, Clone, Deserialize)]
pub struct BackupOrderRow {
    pub id: String,
    pub jet_order_id: Option<String>,
    pub reference: Option<String>,
    pub jet_restaurant: Option<String>,
    pub reason: String,
    pub unknown_reference: Option<String>,
    pub menu_id: Option<String>,
    pub received_at: String,
    pub reconciled_order_id: Option<String>,
    pub reconciled_at: Option<String>,
}

/// What a backup-flow notification stores.
pub struct BackupOrderWrite<'a> {
    pub id: &'a str,
    pub jet_order_id: Option<&'a str>,
    pub reference: Option<&'a str>,
    pub jet_restaurant: Option<&'a str>,
    pub reason: &'a str,
    pub unknown_reference: Option<&'a str>,
    pub menu_id: Option<&'a str>,
    pub body: &'a str,
    pub received_at: &'a str,
}

/// A `just_eat_menu_ingestions` row.
#[derive(Debug, Clone, Deserialize)]
pub struct MenuIngestionRow {
    pub id: String,
    pub correlation_id: Option<String>,
    pub jet_restaurant: Option<String>,
    pub restaurant_id: Option<String>,
    pub tenant: Option<String>,
    pub result: Option<String>,
    pub finished_at: Option<String>,
    pub errors: String,
    pub received_at: String,
}

/// What a menu-ingestion report stores.
pub struct MenuIngestionWrite<'a> {
    pub id: &'a str,
    pub correlation_id: Option<&'a str>,
    pub jet_restaurant: Option<&'a str>,
    pub restaurant_id: Option<&'a str>,
    pub tenant: Option<&'a str>,
    pub result: Option<&'a str>,
    pub finished_at: Option<&'a str>,
    pub errors: &'a str,
    pub body: &'a str,
    pub received_at: &'a str,
}

#[derive(Deserialize)]
struct IdRow {
    id: String,
}

#[derive(Deserialize)]
struct ChangedRow {
    changed_at: String,
}

impl Storage {
    /// Our restaurant for an id Just Eat sent: its JET Connect location id first, then its
    /// Just Eat (Orderconnect) restaurant id, as `prefer` orders them.
    pub async fn restaurant_by_just_eat_id(
        &self,
        just_eat_id: &str,
        prefer_location: bool,
    ) -> Result<Option<String>, EdgeError> {
        let order = if prefer_location {
            "CASE WHEN jet_location_id = ?1 THEN 0 ELSE 1 END"
        } else {
            "CASE WHEN orderconnect_restaurant_id = ?1 THEN 0 ELSE 1 END"
        };
        let row: Option<IdRow> = self
            .row(
                &format!(
                    "SELECT id FROM restaurants \
                     WHERE jet_location_id = ?1 OR orderconnect_restaurant_id = ?1 \
                     ORDER BY {order} LIMIT 1"
                ),
                &[Arg::Text(just_eat_id)],
            )
            .await?;
        Ok(row.map(|r| r.id))
    }

    /// The `lastChangedTimeStampUtc` of the last temp-offline notification applied.
    pub async fn temp_offline_changed_at(
        &self,
        restaurant_id: &str,
    ) -> Result<Option<String>, EdgeError> {
        let row: Option<ChangedRow> = self
            .row(
                "SELECT changed_at FROM jet_temp_offline WHERE restaurant_id = ?1",
                &[Arg::Text(restaurant_id)],
            )
            .await?;
        Ok(row.map(|r| r.changed_at))
    }

    /// Applies a temp-offline notification: the online flag (no `offline_until`) and the
    /// notification, in one batch, unless one as new or newer was applied meanwhile.
    pub async fn apply_temp_offline(
        &self,
        restaurant_id: &str,
        jet_restaurant: &str,
        changed_at: &str,
        online: bool,
        body: &str,
        now: &str,
    ) -> Result<(), EdgeError> {
        let flag = self.statement(
            "UPDATE restaurants SET online = ?2, offline_until = NULL, pause_reason = NULL, \
             updated_at = ?3 WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM jet_temp_offline \
                 WHERE restaurant_id = ?1 AND changed_at >= ?4)",
            &[
                Arg::Text(restaurant_id),
                Arg::Int(i64::from(online)),
                Arg::Text(now),
                Arg::Text(changed_at),
            ],
        )?;
        let note = self.statement(
            "INSERT INTO jet_temp_offline \
                 (restaurant_id, jet_restaurant, changed_at, offline, body, received_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             ON CONFLICT (restaurant_id) DO UPDATE SET jet_restaurant = excluded.jet_restaurant, \
                 changed_at = excluded.changed_at, offline = excluded.offline, \
                 body = excluded.body, received_at = excluded.received_at \
             WHERE excluded.changed_at > jet_temp_offline.changed_at",
            &[
                Arg::Text(restaurant_id),
                Arg::Text(jet_restaurant),
                Arg::Text(changed_at),
                Arg::Int(i64::from(!online)),
                Arg::Text(body),
                Arg::Text(now),
            ],
        )?;
        self.batch(vec![flag, note]).await.map(drop)
    }

    /// Records a backup-flow notification once (the same key again changes nothing),
    /// reconciled at once if the same order was already received.
    pub async fn record_backup_order(&self, w: &BackupOrderWrite<'_>) -> Result<(), EdgeError> {
        let statement = self.statement(
            "INSERT INTO jet_backup_orders (id, jet_order_id, reference, jet_restaurant, reason, \
                 unknown_reference, menu_id, body, received_at, reconciled_order_id, reconciled_at) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, j.order_id, \
                 CASE WHEN j.order_id IS NULL THEN NULL ELSE ?9 END \
             FROM (SELECT 1) LEFT JOIN jet_orders j ON j.id = ?2 AND j.order_id IS NOT NULL \
             WHERE true ON CONFLICT (id) DO NOTHING",
            &[
                Arg::Text(w.id),
                Arg::OptText(w.jet_order_id),
                Arg::OptText(w.reference),
                Arg::OptText(w.jet_restaurant),
                Arg::Text(w.reason),
                Arg::OptText(w.unknown_reference),
                Arg::OptText(w.menu_id),
                Arg::Text(w.body),
                Arg::Text(w.received_at),
            ],
        )?;
        self.batch(vec![statement]).await.map(drop)
    }

    pub async fn backup_order(&self, id: &str) -> Result<Option<BackupOrderRow>, EdgeError> {
        self.row(
            &format!("SELECT {BACKUP_COLUMNS} FROM jet_backup_orders WHERE id = ?1"),
            &[Arg::Text(id)],
        )
        .await
    }

    /// The latest 100 backup-flow orders, newest first.
    pub async fn backup_orders(&self) -> Result<Vec<BackupOrderRow>, EdgeError> {
        self.rows(
            &format!(
                "SELECT {BACKUP_COLUMNS} FROM jet_backup_orders \
                 ORDER BY received_at DESC, id DESC LIMIT 100"
            ),
            &[],
        )
        .await
    }

    /// Marks the backup-flow records of JET order `jet_id` reconciled with hub order
    /// `order_id` (for the batch that places the order).
    pub fn reconcile_backup_orders(
        &self,
        jet_id: &str,
        order_id: &str,
        now: &str,
    ) -> Result<D1PreparedStatement, EdgeError> {
        self.statement(
            "UPDATE jet_backup_orders SET reconciled_order_id = ?2, reconciled_at = ?3 \
             WHERE jet_order_id = ?1 AND reconciled_order_id IS NULL",
            &[Arg::Text(jet_id), Arg::Text(order_id), Arg::Text(now)],
        )
    }
}

impl Storage {
    /// Records a menu-ingestion report once (the same key again changes nothing).
    pub async fn record_menu_ingestion(&self, w: &MenuIngestionWrite<'_>) -> Result<(), EdgeError> {
        let statement = self.statement(
            "INSERT INTO just_eat_menu_ingestions (id, correlation_id, jet_restaurant, \
                 restaurant_id, tenant, result, finished_at, errors, body, received_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO NOTHING",
            &[
                Arg::Text(w.id),
                Arg::OptText(w.correlation_id),
                Arg::OptText(w.jet_restaurant),
                Arg::OptText(w.restaurant_id),
                Arg::OptText(w.tenant),
                Arg::OptText(w.result),
                Arg::OptText(w.finished_at),
                Arg::Text(w.errors),
                Arg::Text(w.body),
                Arg::Text(w.received_at),
            ],
        )?;
        self.batch(vec![statement]).await.map(drop)
    }

    pub async fn menu_ingestion(&self, id: &str) -> Result<Option<MenuIngestionRow>, EdgeError> {
        self.row(
            &format!("SELECT {INGESTION_COLUMNS} FROM just_eat_menu_ingestions WHERE id = ?1"),
            &[Arg::Text(id)],
        )
        .await
    }

    /// The latest 100 menu-ingestion reports, newest first.
    pub async fn menu_ingestions(&self) -> Result<Vec<MenuIngestionRow>, EdgeError> {
        self.rows(
            &format!(
                "SELECT {INGESTION_COLUMNS} FROM just_eat_menu_ingestions \
                 ORDER BY received_at DESC, id DESC LIMIT 100"
            ),
            &[],
        )
        .await
    }
}

const INGESTION_COLUMNS: &str = "id, correlation_id, jet_restaurant, restaurant_id, tenant, \
    result, finished_at, errors, received_at";

const BACKUP_COLUMNS: &str = "id, jet_order_id, reference, jet_restaurant, reason, \
    unknown_reference, menu_id, received_at, reconciled_order_id, reconciled_at";

/// A `restaurant_order_times` row.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct OrderTimeRow {
    pub service_type: String,
    pub day_of_week: String,
    pub lower_minutes: i64,
    pub upper_minutes: i64,
    pub updated_at: String,
}

impl Storage {
    /// Replaces a restaurant's order time for one day and service type.
    pub async fn set_order_time(
        &self,
        restaurant_id: &str,
        t: &orderbridge_core::jet::status::OrderTime,
        at: &str,
    ) -> Result<(), EdgeError> {
        let statement = self.statement(
            "INSERT INTO restaurant_order_times (restaurant_id, service_type, day_of_week, \
                 lower_minutes, upper_minutes, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             ON CONFLICT (restaurant_id, service_type, day_of_week) DO UPDATE SET \
                 lower_minutes = excluded.lower_minutes, \
                 upper_minutes = excluded.upper_minutes, updated_at = excluded.updated_at",
            &[
                Arg::Text(restaurant_id),
                Arg::Text(t.service_type),
                Arg::Text(t.day),
                Arg::Int(t.lower_minutes),
                Arg::Int(t.upper_minutes),
                Arg::Text(at),
            ],
        )?;
        self.commit(vec![statement]).await
    }

    /// A restaurant's order times, by service type and day.
    pub async fn order_times(&self, restaurant_id: &str) -> Result<Vec<OrderTimeRow>, EdgeError> {
        self.rows(
            "SELECT service_type, day_of_week, lower_minutes, upper_minutes, updated_at \
             FROM restaurant_order_times WHERE restaurant_id = ?1 \
             ORDER BY service_type, day_of_week",
            &[Arg::Text(restaurant_id)],
        )
        .await
    }
}
