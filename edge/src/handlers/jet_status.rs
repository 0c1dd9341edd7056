//! Restaurant status and the backup flow, received from JET Connect (issue 18). Both are
//! signed like every JET Connect webhook (`X-JET-Connect-Hash` over the raw body, checked
//! before anything is parsed; `401 {"message"}`), and errors are in the `{"message"}` shape
//! the spec asks of partner endpoints. Core decides (`orderbridge_core::jet::status`).
//!
//! * `POST /webhooks/jet/restaurants/temp-offline` (`your-restaurant-temp-offline-endpoint`):
//!   the restaurant whose JET Connect location id (else Just Eat restaurant id) is
//!   `restaurantId` stops taking orders when delivery or collection is offline and takes
//!   them again when neither is (`online`, `offline_until` cleared: Just Eat gives no end
//!   time), so order placement refuses with `restaurant_offline` and the admin read shows
//!   it. Applied in `lastChangedTimeStampUtc` order: the same or an older one changes
//!   nothing. `200 {"restaurantId", "restaurant_id", "offline", "offline_services",
//!   "reasons"}`; an unknown restaurant is `404`.
//! * `POST /webhooks/jet/orders/backup-flow` (`your-failed-order-for-backup-flow-endpoint`):
//!   the order Just Eat could not inject is recorded once, with its reason, for the operator
//!   (`GET /admin/jet/backup-flow`, newest first); it is reconciled when the same order
//!   arrives through `/webhooks/jet/orders` (or had already). `200` with the record.
//! * `PUT /webhooks/just-eat/restaurant-offline-status` and `…/restaurant-online-status`
//!   (Partner API, `Authorization: JE-API-KEY`, Orderconnect's error shape): the restaurant
//!   whose Just Eat restaurant id (`orderconnect_restaurant_id`, else its JET Connect location
//!   id) is `RestaurantId` goes offline or back online as Just Eat says (`offline_until`
//!   cleared: Just Eat sends no end time). `200 {"RestaurantId", "restaurant_id", "online"}`;
//!   an unknown restaurant is `404`.
//! * `POST /webhooks/just-eat/menu-ingestion-complete` (Partner API, same key): Just Eat's
//!   result of a menu ingestion run is recorded once, with its errors and our restaurant when
//!   `restaurantId` is known, for the operator (`GET /admin/just-eat/menu-ingestions`, newest
//!   first); answered `200` with the record.

use orderbridge_core::jet::status::{
    body_digest, check_backup_flow, check_menu_ingestion, check_order_time,
    check_restaurant_status, check_temp_offline, on_temp_offline, BackupFlowIn, MenuIngestionIn,
    OrderTimeIn, RestaurantStatusIn, StatusHook, TempOfflineEffect, TempOfflineIn,
};
use serde_json::{json, Value};
use worker::{Request, Response};

use crate::auth::{require_jet_hash, require_operator, require_orderconnect};
use crate::cache::ReadCache;
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::storage::{
    millis, parse_instant, BackupOrderRow, BackupOrderWrite, MenuIngestionRow, MenuIngestionWrite,
    Storage,
};
use crate::{body, respond};

/// The signed body as text (the door refused any body that is not UTF-8).
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `POST /webhooks/jet/restaurants/temp-offline`.
pub async fn temp_offline(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let bytes = body::read(&mut req, body::DEFAULT_LIMIT).await?;
    require_jet_hash(&req, &bytes, ctx.env)?;
    let raw: TempOfflineIn = body::parse(&bytes, "temp-offline")?;
    let note =
        check_temp_offline(raw).map_err(|found| EdgeError::violations("bad_request", found))?;
    let storage = Storage::new(ctx.env)?;
    let restaurant = storage
        .restaurant_by_just_eat_id(&note.restaurant, true)
        .await?
        .ok_or_else(|| EdgeError::NotFound {
            code: "unknown_restaurant",
            summary: format!(
                "restaurantId: restaurant {} is not a known JET Connect location or Just Eat restaurant",
                note.restaurant
            ),
        })?;
    let last = match storage.temp_offline_changed_at(&restaurant).await? {
        Some(text) => Some(parse_instant(&text)?),
        None => None,
    };
    match on_temp_offline(&note, last) {
        TempOfflineEffect::Apply { online } => {
            let changed_at = note
                .changed_at
                .to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
            storage
                .apply_temp_offline(
                    &restaurant,
                    &note.restaurant,
                    &changed_at,
                    online,
                    &text(&bytes),
                    &millis(ctx.now),
                )
                .await?;
            ReadCache::new(ctx.env)
                .invalidate(&[&restaurant], ctx.now)
                .await;
        }
        TempOfflineEffect::Repeat => {}
        TempOfflineEffect::Stale => worker::console_warn!(
            "restaurant {restaurant}: a temp-offline notification of {} came after a newer one, not applied",
            note.changed_at
        ),
    }
    Ok(respond::json(
        200,
        &json!({
            "restaurantId": note.restaurant,
            "restaurant_id": restaurant,
            "offline": note.offline(),
            "offline_services": note.offline_services,
            "reasons": note.reasons,
        }),
    ))
}

/// `POST /webhooks/jet/orders/backup-flow`.
pub async fn backup_flow(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let bytes = body::read(&mut req, body::DEFAULT_LIMIT).await?;
    require_jet_hash(&req, &bytes, ctx.env)?;
    let raw: BackupFlowIn = body::parse(&bytes, "failed-order")?;
    let note =
        check_backup_flow(raw).map_err(|found| EdgeError::violations("bad_request", found))?;
    let id = note.key(&body_digest(&bytes));
    let storage = Storage::new(ctx.env)?;
    let body = text(&bytes);
    storage
        .record_backup_order(&BackupOrderWrite {
            id: &id,
            jet_order_id: note.jet_order_id.as_deref(),
            reference: note.reference.as_deref(),
            jet_restaurant: note.jet_restaurant.as_deref(),
            reason: &note.reason,
            unknown_reference: note.unknown_reference.as_deref(),
            menu_id: note.menu_id.as_deref(),
            body: &body,
            received_at: &millis(ctx.now),
        })
        .await?;
    let row = storage
        .backup_order(&id)
        .await?
        .ok_or_else(|| EdgeError::Internal(format!("backup-flow order {id} was not stored")))?;
    Ok(respond::json(200, &shown(row)))
}

/// `GET /admin/jet/backup-flow` (operator): the latest 100, newest first.
pub async fn backup_flow_list(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let rows = Storage::new(ctx.env)?.backup_orders().await?;
    let list: Vec<Value> = rows.into_iter().map(shown).collect();
    Ok(respond::json(200, &json!({ "orders": list })))
}

fn shown(row: BackupOrderRow) -> Value {
    json!({
        "id": row.id,
        "orderId": row.jet_order_id,
        "friendlyOrderReference": row.reference,
        "restaurant": row.jet_restaurant,
        "reason": row.reason,
        "unknownReference": row.unknown_reference,
        "menuId": row.menu_id,
        "received_at": row.received_at,
        "reconciled": row.reconciled_order_id.is_some(),
        "reconciled_order_id": row.reconciled_order_id,
        "reconciled_at": row.reconciled_at,
    })
}

/// `PUT /webhooks/just-eat/restaurant-offline-status`.
pub async fn restaurant_offline_status(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    restaurant_status(req, ctx, StatusHook::Offline).await
}

/// `PUT /webhooks/just-eat/restaurant-online-status`.
pub async fn restaurant_online_status(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    restaurant_status(req, ctx, StatusHook::Online).await
}

async fn restaurant_status(
    mut req: Request,
    ctx: &Ctx<'_>,
    hook: StatusHook,
) -> Result<Response, EdgeError> {
    require_orderconnect(&req, ctx.env)?;
    let bytes = body::read(&mut req, body::DEFAULT_LIMIT).await?;
    let raw: RestaurantStatusIn = body::parse(&bytes, "restaurant status")?;
    let status = check_restaurant_status(raw, hook)
        .map_err(|found| EdgeError::violations("bad_request", found))?;
    let storage = Storage::new(ctx.env)?;
    let restaurant = storage
        .restaurant_by_just_eat_id(&status.restaurant, false)
        .await?
        .ok_or_else(|| EdgeError::NotFound {
            code: "unknown_restaurant",
            summary: format!(
                "RestaurantId: restaurant {} is not a known Just Eat restaurant",
                status.restaurant
            ),
        })?;
    // Just Eat's own change: an operator's pause reason no longer describes the state.
    let reason = storage.pause_reason(&restaurant, None)?;
    storage
        .set_online(
            &restaurant,
            status.online,
            None,
            &millis(ctx.now),
            vec![reason],
        )
        .await?;
    ReadCache::new(ctx.env)
        .invalidate(&[&restaurant], ctx.now)
        .await;
    Ok(respond::json(
        200,
        &json!({
            "RestaurantId": status.restaurant,
            "restaurant_id": restaurant,
            "online": status.online,
        }),
    ))
}

/// `POST /webhooks/just-eat/order-time-updated`: Just Eat's order time of a restaurant for
/// one day and service type (core's `check_order_time`), replacing the last one; shown as
/// the restaurant's `order_times`. `200 {"restaurantId", "restaurant_id", "serviceType",
/// "dayOfWeek", "lowerBoundMinutes", "upperBoundMinutes"}`; an unknown restaurant is `404`.
pub async fn order_time_updated(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_orderconnect(&req, ctx.env)?;
    let bytes = body::read(&mut req, body::DEFAULT_LIMIT).await?;
    let raw: OrderTimeIn = body::parse(&bytes, "order-time-updated")?;
    let time =
        check_order_time(raw).map_err(|found| EdgeError::violations("bad_request", found))?;
    let storage = Storage::new(ctx.env)?;
    let restaurant = storage
        .restaurant_by_just_eat_id(&time.restaurant, false)
        .await?
        .ok_or_else(|| EdgeError::NotFound {
            code: "unknown_restaurant",
            summary: format!(
                "restaurantId: restaurant {} is not a known Just Eat restaurant",
                time.restaurant
            ),
        })?;
    storage
        .set_order_time(&restaurant, &time, &millis(ctx.now))
        .await?;
    Ok(respond::json(
        200,
        &json!({
            "restaurantId": time.restaurant,
            "restaurant_id": restaurant,
            "serviceType": time.service_type,
            "dayOfWeek": time.day,
            "lowerBoundMinutes": time.lower_minutes,
            "upperBoundMinutes": time.upper_minutes,
        }),
    ))
}

/// `POST /webhooks/just-eat/menu-ingestion-complete`.
pub async fn menu_ingestion_complete(
    mut req: Request,
    ctx: &Ctx<'_>,
) -> Result<Response, EdgeError> {
    require_orderconnect(&req, ctx.env)?;
    let bytes = body::read(&mut req, body::DEFAULT_LIMIT).await?;
    let raw: MenuIngestionIn = body::parse(&bytes, "menu-ingestion-complete")?;
    let report =
        check_menu_ingestion(raw).map_err(|found| EdgeError::violations("bad_request", found))?;
    let id = report.key(&body_digest(&bytes));
    let storage = Storage::new(ctx.env)?;
    let restaurant = match &report.restaurant {
        Some(je) => storage.restaurant_by_just_eat_id(je, false).await?,
        None => None,
    };
    let errors = serde_json::to_string(&report.errors)
        .map_err(|e| EdgeError::Internal(format!("menu ingestion errors: {e}")))?;
    let finished_at = report.finished_at.map(millis);
    storage
        .record_menu_ingestion(&MenuIngestionWrite {
            id: &id,
            correlation_id: report.correlation_id.as_deref(),
            jet_restaurant: report.restaurant.as_deref(),
            restaurant_id: restaurant.as_deref(),
            tenant: report.tenant.as_deref(),
            result: report.result.as_deref(),
            finished_at: finished_at.as_deref(),
            errors: &errors,
            body: &text(&bytes),
            received_at: &millis(ctx.now),
        })
        .await?;
    if report.result.as_deref() == Some("fail") {
        worker::console_warn!(
            "Just Eat could not ingest the menu of restaurant {:?} ({} errors)",
            report.restaurant,
            report.errors.len()
        );
    }
    let row = storage
        .menu_ingestion(&id)
        .await?
        .ok_or_else(|| EdgeError::Internal(format!("menu ingestion {id} was not stored")))?;
    Ok(respond::json(200, &ingestion_shown(row)))
}

/// `GET /admin/just-eat/menu-ingestions` (operator): the latest 100, newest first.
pub async fn menu_ingestions(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let rows = Storage::new(ctx.env)?.menu_ingestions().await?;
    let list: Vec<Value> = rows.into_iter().map(ingestion_shown).collect();
    Ok(respond::json(200, &json!({ "ingestions": list })))
}

fn ingestion_shown(row: MenuIngestionRow) -> Value {
    json!({
        "id": row.id,
        "correlationId": row.correlation_id,
        "restaurantId": row.jet_restaurant,
        "restaurant_id": row.restaurant_id,
        "tenant": row.tenant,
        "result": row.result,
        "finished_at": row.finished_at,
        "errors": serde_json::from_str::<Value>(&row.errors).unwrap_or(Value::Null),
        "received_at": row.received_at,
    })
}
