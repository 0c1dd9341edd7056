//! Restaurant status and the backup flow, received from JET Connect (issue 18;
//! `shared/reference/jet-connect/FACTS.md` §8.3): the wire types, checks (every problem at
//! once) and decisions of `your-restaurant-temp-offline-endpoint` and
//! `your-failed-order-for-backup-flow-endpoint`.
//!
//! Temporary offline (`RestaurantTempOfflineStatusChanged`):
//!
//! | rule | decision |
//! |------|----------|
//! | `restaurantId` | required, not blank (a string, or a number taken as its digits) |
//! | `lastChangedTimeStampUtc` | required, RFC 3339 (any fraction, `Z` or an offset) |
//! | `collection`, `delivery`, `dineIn` | at least one present; `isOffline` absent counts as `false` |
//! | `delivery` or `collection` offline | the restaurant takes no orders (`online` false, no `offline_until`: Just Eat gives no end time, a later notification brings it back) |
//! | neither offline | the restaurant takes orders again (`online` true) |
//! | `dineIn` | kept, never decides: the hub takes no dine-in orders |
//! | the same `lastChangedTimeStampUtc` as the last applied | nothing changes (a repeat) |
//! | an older one than the last applied | nothing changes (it arrived late) |
//!
//! Backup flow (`FailedOrder`):
//!
//! | rule | decision |
//! |------|----------|
//! | `validationError` | required, not blank: the reason the operator sees |
//! | `order` | optional; `order.orderId`, `friendlyOrderReference`, `restaurant.id` kept when present |
//! | key | `order.orderId`, else the body's digest (the edge's): the same notification twice is one record |
//!
//! Partner API `restaurant-offline-status` / `restaurant-online-status`
//! (`RestauranteventsRestaurantOfflineStatus`: `{Tenant, IsOffline, RestaurantId,
//! AllowRestaurantOverride}`), the same rules for both:
//!
//! | rule | decision |
//! |------|----------|
//! | `RestaurantId` | required, not blank (a string, or a number taken as its digits): Just Eat's restaurant id |
//! | `restaurant-offline-status` | offline (`online` false) unless `IsOffline` is `false`; no end time is sent, so `offline_until` is cleared |
//! | `restaurant-online-status` | online (`online` true, `offline_until` cleared); `IsOffline: true` sent here is refused, naming it |
//! | the same body again | the same flag again: nothing else changes |
//!
//! Partner API `menu-ingestion-complete` (`RestaurantsWebhooksMenuIngestionComplete`; no field
//! is required by the schema):
//!
//! | rule | decision |
//! |------|----------|
//! | `result` | absent, or `success` / `fail` (any case); another value is refused, naming it |
//! | `timestamp` | absent, or RFC 3339 |
//! | `fault.errors[]` | kept as `{code, description}` for the operator |
//! | key | `correlationId` + `restaurantId`, else the body's digest: the same report twice is one record |
//!
//! Partner API `order-time-updated` (`RestaurantsWebhooksOrderTimeUpdated`: Just Eat changed
//! how long a restaurant's orders take on one day for one service type; nothing about one
//! order):
//!
//! | rule | decision |
//! |------|----------|
//! | `restaurantId` | required, not blank: Just Eat's restaurant id |
//! | `serviceType` | required, `Delivery` or `Collection` (any case) |
//! | `dayOfWeek` | required, `Sunday` … `Saturday` (any case), stored lowercase |
//! | `lowerBoundMinutes`, `upperBoundMinutes` | required whole minutes, 0 to 1440, lower ≤ upper |
//! | effect | the restaurant's order time for that day and service type, replaced (the last one wins) |
//!
//! Keys are camelCase as the spec writes them (PascalCase for the Partner API's); the other
//! case is accepted too.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::problem::{Violation, Violations};

/// One service type of a temp-offline notification, as sent.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ServiceIn {
    #[serde(rename = "isOffline", alias = "IsOffline", default)]
    pub is_offline: Option<bool>,
    #[serde(
        rename = "allowRestaurantOverride",
        alias = "AllowRestaurantOverride",
        default
    )]
    pub allow_restaurant_override: Option<bool>,
    #[serde(rename = "categories", alias = "Categories", default)]
    pub categories: Option<Vec<String>>,
    #[serde(rename = "reasons", alias = "Reasons", default)]
    pub reasons: Option<Vec<String>>,
}

/// `your-restaurant-temp-offline-endpoint` as sent, loose so every problem is reported.
#[derive(Debug, Default, Deserialize)]
pub struct TempOfflineIn {
    #[serde(rename = "restaurantId", alias = "RestaurantId", default)]
    pub restaurant_id: Option<Value>,
    #[serde(
        rename = "lastChangedTimeStampUtc",
        alias = "LastChangedTimeStampUtc",
        default
    )]
    pub last_changed: Option<String>,
    #[serde(rename = "collection", alias = "Collection", default)]
    pub collection: Option<ServiceIn>,
    #[serde(rename = "delivery", alias = "Delivery", default)]
    pub delivery: Option<ServiceIn>,
    #[serde(rename = "dineIn", alias = "DineIn", default)]
    pub dine_in: Option<ServiceIn>,
}

/// A checked temp-offline notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TempOffline {
    /// Just Eat's restaurant id, as sent (trimmed).
    pub restaurant: String,
    pub changed_at: DateTime<Utc>,
    /// The service types reported offline, in the order `delivery`, `collection`, `dineIn`.
    pub offline_services: Vec<&'static str>,
    /// Every reason given for an offline service type, without repeats.
    pub reasons: Vec<String>,
}

impl TempOffline {
    /// Whether the restaurant takes no orders: delivery or collection is offline.
    pub fn offline(&self) -> bool {
        self.offline_services
            .iter()
            .any(|s| *s == "delivery" || *s == "collection")
    }
}

/// An id sent as a string or a number, trimmed; blank is none.
fn id_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An RFC 3339 instant, or the violation naming `field` and the value.
pub fn instant(raw: Option<&str>, field: &str, out: &mut Violations) -> Option<DateTime<Utc>> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        out.push("bad_request", field, "is required");
        return None;
    };
    match DateTime::parse_from_rfc3339(raw) {
        Ok(t) => Some(t.with_timezone(&Utc)),
        Err(_) => {
            out.push(
                "bad_date",
                field,
                format!("must be an RFC 3339 date-time (Z or an offset), got {raw:?}"),
            );
            None
        }
    }
}

/// Every problem of a temp-offline body at once.
pub fn check_temp_offline(raw: TempOfflineIn) -> Result<TempOffline, Vec<Violation>> {
    let mut out = Violations::new();
    let restaurant = id_text(raw.restaurant_id.as_ref());
    if restaurant.is_none() {
        out.push(
            "bad_request",
            "restaurantId",
            "is required: the restaurant Just Eat set offline or online",
        );
    }
    let changed_at = instant(
        raw.last_changed.as_deref(),
        "lastChangedTimeStampUtc",
        &mut out,
    );
    let services = [
        ("delivery", raw.delivery.as_ref()),
        ("collection", raw.collection.as_ref()),
        ("dineIn", raw.dine_in.as_ref()),
    ];
    if services.iter().all(|(_, s)| s.is_none()) {
        out.push(
            "bad_request",
            "delivery",
            "collection, delivery or dineIn is required: the notification names no service type",
        );
    }
    let mut offline_services = Vec::new();
    let mut reasons: Vec<String> = Vec::new();
    for (name, service) in services {
        let Some(service) = service else { continue };
        if service.is_offline == Some(true) {
            offline_services.push(name);
            for reason in service.reasons.iter().flatten() {
                let reason = reason.trim();
                if !reason.is_empty() && !reasons.iter().any(|r| r == reason) {
                    reasons.push(reason.to_owned());
                }
            }
        }
    }
    let (Some(restaurant), Some(changed_at)) = (restaurant, changed_at) else {
        return Err(out.into_vec());
    };
    out.into_result(TempOffline {
        restaurant,
        changed_at,
        offline_services,
        reasons,
    })
}

/// What a temp-offline notification does, given the last one applied to the restaurant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TempOfflineEffect {
    /// Set the online flag to `online` (and clear `offline_until`) and remember this one.
    Apply { online: bool },
    /// The same notification again: nothing changes.
    Repeat,
    /// Older than the last applied: nothing changes.
    Stale,
}

pub fn on_temp_offline(note: &TempOffline, last: Option<DateTime<Utc>>) -> TempOfflineEffect {
    match last {
        Some(last) if last == note.changed_at => TempOfflineEffect::Repeat,
        Some(last) if last > note.changed_at => TempOfflineEffect::Stale,
        _ => TempOfflineEffect::Apply {
            online: !note.offline(),
        },
    }
}

/// `your-failed-order-for-backup-flow-endpoint` as sent.
#[derive(Debug, Default, Deserialize)]
pub struct BackupFlowIn {
    #[serde(rename = "validationError", alias = "ValidationError", default)]
    pub validation_error: Option<String>,
    #[serde(rename = "unknownReference", alias = "UnknownReference", default)]
    pub unknown_reference: Option<String>,
    #[serde(rename = "menuId", alias = "MenuId", default)]
    pub menu_id: Option<Value>,
    #[serde(rename = "order", alias = "Order", default)]
    pub order: Option<Value>,
}

/// A checked backup-flow notification: what the operator's list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFlow {
    pub reason: String,
    pub jet_order_id: Option<String>,
    pub reference: Option<String>,
    pub jet_restaurant: Option<String>,
    pub unknown_reference: Option<String>,
    pub menu_id: Option<String>,
}

impl BackupFlow {
    /// The record's key: Just Eat's order id, else `body:<digest>` of the body.
    pub fn key(&self, body_digest: &str) -> String {
        match &self.jet_order_id {
            Some(id) => id.clone(),
            None => format!("body:{body_digest}"),
        }
    }
}

/// The hex SHA-256 of a body: the key of a backup-flow notification that names no order.
pub fn body_digest(bytes: &[u8]) -> String {
    crate::hex::encode(&Sha256::digest(bytes))
}

fn member<'v>(value: Option<&'v Value>, names: &[&str]) -> Option<&'v Value> {
    let object = value?.as_object()?;
    names.iter().find_map(|n| object.get(*n))
}

/// Every problem of a backup-flow body at once.
pub fn check_backup_flow(raw: BackupFlowIn) -> Result<BackupFlow, Vec<Violation>> {
    let mut out = Violations::new();
    let reason = raw
        .validation_error
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    if reason.is_none() {
        out.push(
            "bad_request",
            "validationError",
            "is required: why Just Eat could not inject the order",
        );
    }
    if let Some(order) = raw.order.as_ref() {
        if !order.is_object() && !order.is_null() {
            out.push("bad_request", "order", "must be an object");
        }
    }
    let order = raw.order.as_ref();
    let jet_order_id = id_text(member(order, &["orderId", "OrderId", "orderID"]));
    let reference = id_text(member(
        order,
        &["friendlyOrderReference", "FriendlyOrderReference"],
    ));
    let jet_restaurant = id_text(member(
        member(order, &["restaurant", "Restaurant"]),
        &["id", "Id"],
    ));
    let unknown_reference = raw
        .unknown_reference
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    let menu_id = id_text(raw.menu_id.as_ref());
    let Some(reason) = reason else {
        return Err(out.into_vec());
    };
    out.into_result(BackupFlow {
        reason,
        jet_order_id,
        reference,
        jet_restaurant,
        unknown_reference,
        menu_id,
    })
}

/// `restaurant-offline-status` / `restaurant-online-status` as sent.
#[derive(Debug, Default, Deserialize)]
pub struct RestaurantStatusIn {
    #[serde(rename = "RestaurantId", alias = "restaurantId", default)]
    pub restaurant_id: Option<Value>,
    #[serde(rename = "IsOffline", alias = "isOffline", default)]
    pub is_offline: Option<bool>,
    #[serde(rename = "Tenant", alias = "tenant", default)]
    pub tenant: Option<String>,
    #[serde(
        rename = "AllowRestaurantOverride",
        alias = "allowRestaurantOverride",
        default
    )]
    pub allow_restaurant_override: Option<bool>,
}

/// Which of the two webhooks a body came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusHook {
    Offline,
    Online,
}

/// A checked restaurant status: the restaurant and whether it takes orders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestaurantStatus {
    /// Just Eat's restaurant id, as sent (trimmed).
    pub restaurant: String,
    pub online: bool,
    pub tenant: Option<String>,
    pub allow_restaurant_override: Option<bool>,
}

/// Every problem of a restaurant-status body at once, and the flag it sets.
pub fn check_restaurant_status(
    raw: RestaurantStatusIn,
    hook: StatusHook,
) -> Result<RestaurantStatus, Vec<Violation>> {
    let mut out = Violations::new();
    let restaurant = id_text(raw.restaurant_id.as_ref());
    if restaurant.is_none() {
        out.push(
            "bad_request",
            "RestaurantId",
            "is required: the Just Eat restaurant whose status changed",
        );
    }
    let online = match (hook, raw.is_offline) {
        (StatusHook::Offline, offline) => !offline.unwrap_or(true),
        (StatusHook::Online, Some(true)) => {
            out.push(
                "bad_request",
                "IsOffline",
                "is true, but restaurant-online-status says the restaurant is back online",
            );
            false
        }
        (StatusHook::Online, _) => true,
    };
    let tenant = raw
        .tenant
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    let Some(restaurant) = restaurant else {
        return Err(out.into_vec());
    };
    out.into_result(RestaurantStatus {
        restaurant,
        online,
        tenant,
        allow_restaurant_override: raw.allow_restaurant_override,
    })
}

/// One error of a failed menu ingestion.
#[derive(Debug, Default, Clone, Deserialize, PartialEq, Eq, serde::Serialize)]
pub struct IngestionError {
    #[serde(alias = "Code", default)]
    pub code: Option<String>,
    #[serde(alias = "Description", default)]
    pub description: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct IngestionFaultIn {
    #[serde(alias = "Id", default)]
    pub id: Option<String>,
    #[serde(alias = "Errors", default)]
    pub errors: Option<Vec<IngestionError>>,
}

/// `menu-ingestion-complete` as sent.
#[derive(Debug, Default, Deserialize)]
pub struct MenuIngestionIn {
    #[serde(alias = "Tenant", default)]
    pub tenant: Option<String>,
    #[serde(alias = "Result", default)]
    pub result: Option<String>,
    #[serde(rename = "correlationId", alias = "CorrelationId", default)]
    pub correlation_id: Option<String>,
    #[serde(rename = "restaurantId", alias = "RestaurantId", default)]
    pub restaurant_id: Option<Value>,
    #[serde(alias = "Timestamp", default)]
    pub timestamp: Option<String>,
    #[serde(alias = "Fault", default)]
    pub fault: Option<IngestionFaultIn>,
}

/// A checked menu-ingestion report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuIngestion {
    pub tenant: Option<String>,
    /// `success` or `fail` (lowercase), when sent.
    pub result: Option<String>,
    pub correlation_id: Option<String>,
    pub restaurant: Option<String>,
    pub finished_at: Option<DateTime<Utc>>,
    pub errors: Vec<IngestionError>,
}

impl MenuIngestion {
    /// The record's key: `correlationId` and `restaurantId`, else `body:<digest>`.
    pub fn key(&self, body_digest: &str) -> String {
        match (&self.correlation_id, &self.restaurant) {
            (None, None) => format!("body:{body_digest}"),
            (c, r) => format!(
                "{}:{}",
                c.as_deref().unwrap_or_default(),
                r.as_deref().unwrap_or_default()
            ),
        }
    }
}

/// Every problem of a menu-ingestion report at once.
pub fn check_menu_ingestion(raw: MenuIngestionIn) -> Result<MenuIngestion, Vec<Violation>> {
    let mut out = Violations::new();
    let result = raw
        .result
        .map(|r| r.trim().to_ascii_lowercase())
        .filter(|r| !r.is_empty());
    if let Some(r) = result.as_deref() {
        if r != "success" && r != "fail" {
            out.push(
                "bad_request",
                "result",
                format!("{r:?} is neither success nor fail"),
            );
        }
    }
    let finished_at = match raw.timestamp.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => instant(Some(t), "timestamp", &mut out),
        _ => None,
    };
    let errors = raw.fault.and_then(|f| f.errors).unwrap_or_default();
    let clean = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    out.into_result(MenuIngestion {
        tenant: clean(raw.tenant),
        result,
        correlation_id: clean(raw.correlation_id),
        restaurant: id_text(raw.restaurant_id.as_ref()),
        finished_at,
        errors,
    })
}

/// `order-time-updated` as sent.
#[derive(Debug, Default, Deserialize)]
pub struct OrderTimeIn {
    #[serde(rename = "restaurantId", alias = "RestaurantId", default)]
    pub restaurant_id: Option<Value>,
    #[serde(rename = "serviceType", alias = "ServiceType", default)]
    pub service_type: Option<String>,
    #[serde(rename = "dayOfWeek", alias = "DayOfWeek", default)]
    pub day_of_week: Option<String>,
    #[serde(rename = "lowerBoundMinutes", alias = "LowerBoundMinutes", default)]
    pub lower: Option<Value>,
    #[serde(rename = "upperBoundMinutes", alias = "UpperBoundMinutes", default)]
    pub upper: Option<Value>,
}

/// A restaurant's order time for one day and service type, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderTime {
    /// Just Eat's restaurant id.
    pub restaurant: String,
    /// `Delivery` or `Collection`.
    pub service_type: &'static str,
    /// `monday` … `sunday`.
    pub day: &'static str,
    pub lower_minutes: i64,
    pub upper_minutes: i64,
}

const SERVICE_TYPES: [&str; 2] = ["Delivery", "Collection"];
const DAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Every problem of an `order-time-updated` body at once.
pub fn check_order_time(raw: OrderTimeIn) -> Result<OrderTime, Vec<Violation>> {
    let mut out = Violations::new();
    let restaurant = id_text(raw.restaurant_id.as_ref());
    if restaurant.is_none() {
        out.push(
            "bad_request",
            "restaurantId",
            "is required: the Just Eat restaurant",
        );
    }
    let one_of =
        |out: &mut Violations, raw: Option<&str>, field: &str, allowed: &[&'static str]| {
            let got = raw.map(str::trim).filter(|s| !s.is_empty());
            let found =
                got.and_then(|g| allowed.iter().find(|a| a.eq_ignore_ascii_case(g)).copied());
            if found.is_none() {
                let shown = got.map_or_else(|| "nothing".to_owned(), |g| format!("{g:?}"));
                out.push(
                    "bad_request",
                    field,
                    format!("must be one of {}, got {shown}", allowed.join(", ")),
                );
            }
            found
        };
    let service_type = one_of(
        &mut out,
        raw.service_type.as_deref(),
        "serviceType",
        &SERVICE_TYPES,
    );
    let day = one_of(&mut out, raw.day_of_week.as_deref(), "dayOfWeek", &DAYS);
    let minutes = |out: &mut Violations, value: Option<&Value>, field: &str| {
        let got = value
            .and_then(Value::as_i64)
            .filter(|m| (0..=1440).contains(m));
        if got.is_none() {
            let shown = value.map_or_else(|| "nothing".to_owned(), Value::to_string);
            out.push(
                "bad_request",
                field,
                format!("must be whole minutes from 0 to 1440, got {shown}"),
            );
        }
        got
    };
    let lower = minutes(&mut out, raw.lower.as_ref(), "lowerBoundMinutes");
    let upper = minutes(&mut out, raw.upper.as_ref(), "upperBoundMinutes");
    if let (Some(l), Some(u)) = (lower, upper) {
        if l > u {
            out.push(
                "bad_request",
                "lowerBoundMinutes",
                format!("{l} is more than upperBoundMinutes {u}"),
            );
        }
    }
    match (restaurant, service_type, day, lower, upper) {
        (
            Some(restaurant),
            Some(service_type),
            Some(day),
            Some(lower_minutes),
            Some(upper_minutes),
        ) => out.into_result(OrderTime {
            restaurant,
            service_type,
            day,
            lower_minutes,
            upper_minutes,
        }),
        _ => Err(out.into_vec()),
    }
}

#[cfg(test)]
mod tests;
