//! Just Eat's Partner API webhooks (issue 18), at `/webhooks/just-eat/{name}` with the
//! seed's method. Just Eat's document defines no authentication for them; the hub takes the
//! key Just Eat already presents for Orderconnect (`Authorization: JE-API-KEY
//! <ORDERCONNECT_API_KEY>`), and errors are in Orderconnect's shape. Core decides
//! (`orderbridge_core::orderconnect::lifecycle_events`); this module finds the order, stores
//! and answers.
//!
//! * `POST /webhooks/just-eat/order-cancelled`: the Orderconnect order keyed by `OrderId`
//!   moves to 5 with "cancelled by
//!   Just Eat: <Reason>" in its history; the front-end's `status_url` and the channel hear
//!   it as for any status, in the same batch, once: a repeat finds it at 5 and changes
//!   nothing. `200 {"OrderId", "order_id", "status", "cancelled"}` (`cancelled`: whether this
//!   call cancelled it); an unknown order is `404`, a bad body `400` naming every problem.
//!   A JET Connect order is not looked up: Just Eat cancels those with JET Connect's own
//!   notification (`/webhooks/jet/orders/cancel`), which also settles the `sent-to-pos`
//!   still owed.
//! * The webhooks of core's `orderconnect::timeline_events::WEBHOOKS` (`order-accepted`, …):
//!   one event on the order's timeline, read back with the order. The order is Just Eat's
//!   `OrderId` (or `?OrderId=` on the URL) among Orderconnect orders, then JET Connect ones;
//!   `200 {"OrderId", "order_id", "event", "recorded"}` (`recorded`: false for a repeat),
//!   `404` for an unknown order, `400` naming every problem. `driver-has-delivered-order` also moves the order to 30 when its lifecycle
//!   allows it (core's `timeline_events::effect`), the front-end and the channel told once.

use orderbridge_core::order::lifecycle::{Status, Teller};
use orderbridge_core::orderconnect::lifecycle_events::{
    check_cancelled, on_cancelled, CancelEffect, OrderCancelledIn,
};
use orderbridge_core::orderconnect::timeline_events::{self, webhook};
use orderbridge_core::problem::Violation;
use serde_json::json;
use worker::{Request, Response};

use crate::auth::require_orderconnect;
use crate::channel::Channel;
use crate::channels::site::{current_status, front_end_url, record_because, record_event};
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::query::Query;
use crate::storage::{OrderRow, Storage};
use crate::{body, respond};

/// `POST /webhooks/just-eat/order-cancelled`.
pub async fn order_cancelled(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_orderconnect(&req, ctx.env)?;
    let bytes = body::read(&mut req, body::DEFAULT_LIMIT).await?;
    let raw: OrderCancelledIn = body::parse(&bytes, "order-cancelled")?;
    let note = check_cancelled(raw).map_err(|found| EdgeError::violations("bad_request", found))?;
    let storage = Storage::new(ctx.env)?;
    let row = just_eat_order(&storage, &note.order_id)
        .await?
        .ok_or_else(|| EdgeError::NotFound {
            code: "unknown_order",
            summary: format!("OrderId: order {} is not known", note.order_id),
        })?;
    if !note.documented() {
        worker::console_warn!(
            "order {}: cancelled by Just Eat with an undocumented reason {:?}, stored as given",
            row.id,
            note.reason
        );
    }
    let from = current_status(&row)?;
    let cancelled = match on_cancelled(row.delivery_method, from, front_end_url(&row, ctx).as_ref())
    {
        CancelEffect::Cancel(notify) => {
            let reason = note.history_reason();
            record_because(
                &storage,
                &row,
                Some(Status::Cancelled),
                Some(&reason),
                notify,
                Teller::Channel,
                ctx,
            )
            .await?;
            true
        }
        CancelEffect::AlreadyCancelled => false,
        CancelEffect::Delivered => {
            worker::console_warn!(
                "order {}: Just Eat's cancellation came after delivery, not applied",
                row.id
            );
            false
        }
    };
    let status = if cancelled { Status::Cancelled } else { from };
    Ok(respond::json(
        200,
        &json!({
            "OrderId": note.order_id,
            "order_id": row.id,
            "status": status.code(),
            "cancelled": cancelled,
        }),
    ))
}

/// `POST|PUT /webhooks/just-eat/{name}` for a `name` in core's timeline table: the event
/// on the order's timeline, once.
pub async fn timeline_event(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_orderconnect(&req, ctx.env)?;
    let path = req.path();
    let name = path.rsplit('/').next().unwrap_or_default();
    let hook = webhook(name).ok_or_else(|| {
        EdgeError::Internal(format!(
            "{path} is routed as a timeline webhook but has no row"
        ))
    })?;
    let query = Query::of(&req)?;
    let bytes = body::read(&mut req, body::DEFAULT_LIMIT).await?;
    let noted = timeline_events::read(hook, &bytes, query.get("OrderId"), ctx.now)
        .map_err(|found| EdgeError::violations("bad_request", found))?;
    let storage = Storage::new(ctx.env)?;
    let row = any_just_eat_order(&storage, &noted.order_id)
        .await?
        .ok_or_else(|| EdgeError::NotFound {
            code: "unknown_order",
            summary: format!("OrderId: order {} is not known", noted.order_id),
        })?;
    let (recorded, _status) = record_event(&storage, &row, &noted.event, &bytes, ctx).await?;
    Ok(respond::json(
        200,
        &json!({
            "OrderId": noted.order_id,
            "order_id": row.id,
            "event": noted.event.kind.as_str(),
            "recorded": recorded,
        }),
    ))
}

/// `PUT /webhooks/just-eat/order-requires-delivery-acceptance`: an array of Just Eat
/// orders offered for delivery (core's `timeline_events::DELIVERY_ACCEPTANCE`), each a
/// `requires_delivery_acceptance` event on its order, once. Every order must be known: one
/// that is not is the spec's `restaurant_not_configured` and nothing is recorded.
/// `201 {"orders": [{"OrderId", "order_id", "recorded"}]}`.
pub async fn delivery_acceptance(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_orderconnect(&req, ctx.env)?;
    let bytes = body::read(&mut req, body::DEFAULT_LIMIT).await?;
    let offered =
        timeline_events::read_list(&timeline_events::DELIVERY_ACCEPTANCE, &bytes, ctx.now)
            .map_err(|found| EdgeError::violations("bad_request", found))?;
    let storage = Storage::new(ctx.env)?;
    let mut rows = Vec::with_capacity(offered.len());
    let mut unknown = Vec::new();
    for (i, (noted, _)) in offered.iter().enumerate() {
        match any_just_eat_order(&storage, &noted.order_id).await? {
            Some(row) => rows.push(row),
            None => unknown.push(Violation::new(
                "restaurant_not_configured",
                Some(&format!("[{i}].OrderId")),
                format!("order {} is not known to the hub", noted.order_id),
            )),
        }
    }
    if !unknown.is_empty() {
        return Err(EdgeError::violations("restaurant_not_configured", unknown));
    }
    let mut answers = Vec::with_capacity(rows.len());
    for ((noted, element), row) in offered.iter().zip(&rows) {
        let (recorded, _) = record_event(&storage, row, &noted.event, element, ctx).await?;
        answers.push(json!({"OrderId": noted.order_id, "order_id": row.id, "recorded": recorded}));
    }
    Ok(respond::json(201, &json!({ "orders": answers })))
}

/// The hub order Just Eat keys by `id`: an Orderconnect order's, else a JET Connect one's.
async fn any_just_eat_order(storage: &Storage, id: &str) -> Result<Option<OrderRow>, EdgeError> {
    match just_eat_order(storage, id).await? {
        Some(row) => Ok(Some(row)),
        None => storage.order_by_external(Channel::Jet.as_str(), id).await,
    }
}

/// The hub order of the Orderconnect order Just Eat keys by `id`.
async fn just_eat_order(storage: &Storage, id: &str) -> Result<Option<OrderRow>, EdgeError> {
    storage
        .order_by_external(Channel::Orderconnect.as_str(), id)
        .await
}
