//! Just Eat's Partner-API order injection (issue 18), at `/webhooks/just-eat/{name}` with
//! `Authorization: JE-API-KEY <ORDERCONNECT_API_KEY>`: a second way orders reach the hub,
//! into Orderconnect's pipeline. Core converts each shape to a `ConnectOrder`
//! (`orderbridge_core::orderconnect::partner_orders`); `handlers::orderconnect`'s
//! [`prepare`]/[`finish`] judge, store and forward it exactly as an Orderconnect order
//! (channel `orderconnect`, keyed by Just Eat's order id, so an order that arrives by two
//! of these ways is one hub order). A repeat answers as the first time and stores nothing.
//!
//! * `POST /webhooks/just-eat/orderdispatchwebhooks` and
//!   `POST /webhooks/just-eat/order-ready-for-preparation-sync`: `200 {"OrderId",
//!   "order_id"}`; a refusal `400` (`409` never: a repeat is `200`), every problem named.
//! * `POST /webhooks/just-eat/order-ready-for-preparation-async?callback=<url>`: the URL
//!   passes the outbound guard (`400` otherwise); a body that does not convert is `400`
//!   with no callback; else `202` at once, and `{"status": "Success"|"Failure", "message",
//!   "data"}` is POSTed to the URL through the outbox (staged with the order, so a stored
//!   order always has its callback; a refusal by the pipeline is a `Failure` naming why).
//! * `POST /webhooks/just-eat/send-to-pos-failed`: `{"OrderId"}` of an order the hub has
//!   (`404` otherwise): its history gets "Just Eat could not send order … to the POS" at its
//!   current status, once. `200 {"OrderId", "order_id", "status", "recorded"}`.

use orderbridge_core::orderconnect::partner_orders::{
    self, DispatchOrderIn, PosFailedIn, PreparationOrderIn,
};
use orderbridge_core::orderconnect::{wire, ConnectOrder};
use orderbridge_core::outbound::plan::ReceiverKind;
use orderbridge_core::outbound::url_guard::{check_outbound_url, OutboundUrl};
use orderbridge_core::problem::Violation;
use orderbridge_core::routes::Method;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use worker::{Request, Response};

use super::orderconnect::{finish, prepare, ORDER_LIMIT};
use crate::auth::require_orderconnect;
use crate::channel::Channel;
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::outbox::{self, Outgoing};
use crate::query::Query;
use crate::storage::{millis, OrderRow, Storage};
use crate::{body, respond};

/// The body as `T`, or a `400` naming what is wrong; with its text as sent.
async fn read<T: DeserializeOwned>(
    req: &mut Request,
    what: &str,
) -> Result<(T, String), EdgeError> {
    let bytes = body::read(req, ORDER_LIMIT).await?;
    let parsed = serde_json::from_slice(&bytes).map_err(|e| {
        EdgeError::violations(
            "bad_request",
            vec![Violation::new(
                "bad_request",
                None,
                format!("not {what} body: {e}"),
            )],
        )
    })?;
    Ok((parsed, String::from_utf8_lossy(&bytes).into_owned()))
}

fn converted(found: Vec<Violation>) -> EdgeError {
    EdgeError::violations("bad_request", found)
}

/// `POST /webhooks/just-eat/orderdispatchwebhooks`.
pub async fn order_dispatch(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_orderconnect(&req, ctx.env)?;
    let (raw, text): (DispatchOrderIn, _) = read(&mut req, "an orderdispatchwebhooks").await?;
    let order = partner_orders::from_dispatch(&raw).map_err(converted)?;
    let origin = req.url()?.origin().ascii_serialization();
    let (answer, _) = inject(ctx, order, text, &origin, None).await?;
    Ok(respond::json(200, &answer))
}

/// `POST /webhooks/just-eat/order-ready-for-preparation-sync`.
pub async fn ready_sync(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_orderconnect(&req, ctx.env)?;
    let (raw, text): (PreparationOrderIn, _) =
        read(&mut req, "an order-ready-for-preparation").await?;
    let order = partner_orders::from_preparation(&raw).map_err(converted)?;
    let origin = req.url()?.origin().ascii_serialization();
    let (answer, _) = inject(ctx, order, text, &origin, None).await?;
    Ok(respond::json(200, &answer))
}

/// `POST /webhooks/just-eat/order-ready-for-preparation-async?callback=`.
pub async fn ready_async(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_orderconnect(&req, ctx.env)?;
    let query = Query::of(&req)?;
    let callback = query.required("callback")?;
    let callback = check_outbound_url(callback, &ctx.config.url_policy()).map_err(|refusal| {
        EdgeError::violations(
            "invalid_callback_url",
            vec![refusal.to_violation("callback")],
        )
    })?;
    let (raw, text): (PreparationOrderIn, _) =
        read(&mut req, "an order-ready-for-preparation").await?;
    let order = partner_orders::from_preparation(&raw).map_err(converted)?;
    let key = order.order_id.clone().unwrap_or_default();
    let origin = req.url()?.origin().ascii_serialization();
    match inject(ctx, order, text, &origin, Some(&callback)).await {
        Ok((answer, _)) => Ok(respond::json(202, &answer)),
        // Refused after the first validation: accepted for processing, the failure told
        // through the callback (nothing else is stored).
        Err(EdgeError::BadRequest {
            summary,
            violations,
            ..
        }) => {
            let errors: Vec<Value> = violations
                .iter()
                .map(|v| json!({"code": v.code, "field": v.field, "message": v.message}))
                .collect();
            let data = json!({"OrderId": key, "errors": errors});
            let out = callback_delivery(ctx, &callback, None, false, &summary, data)?;
            let storage = Storage::new(ctx.env)?;
            storage.commit(outbox::stage(&storage, &out)?).await?;
            outbox::kick(ctx.env, &[&out.delivery.id]).await;
            Ok(respond::json(
                202,
                &json!({"OrderId": key, "order_id": null}),
            ))
        }
        Err(e) => Err(e),
    }
}

/// The async callback's delivery, on the hub's order when there is one (so a dead one shows
/// with the order).
fn callback_delivery(
    ctx: &Ctx<'_>,
    url: &OutboundUrl,
    order_id: Option<&str>,
    success: bool,
    message: &str,
    data: Value,
) -> Result<Outgoing, EdgeError> {
    let body = partner_orders::callback_body(success, message, data).to_string();
    Outgoing::new(
        ReceiverKind::PartnerOrderCallback,
        order_id,
        Method::Post,
        url.clone(),
        body,
        ctx.now.timestamp(),
        None,
    )
}

/// The answer of an order Just Eat sent before.
fn same_answer(key: &str, order_id: &str) -> Value {
    json!({"OrderId": key, "order_id": order_id})
}

/// One converted order through Orderconnect's pipeline; with `callback`, the `Success`
/// callback is stored in the same batch. A repeat (before or concurrently) answers as the
/// first time; `bool` says whether this call stored it.
async fn inject(
    ctx: &Ctx<'_>,
    order: ConnectOrder,
    raw: String,
    origin: &str,
    callback: Option<&OutboundUrl>,
) -> Result<(Value, bool), EdgeError> {
    let key = order.order_id.clone().unwrap_or_default();
    let storage = Storage::new(ctx.env)?;
    if let Some(row) = known(&storage, &key).await? {
        return Ok((same_answer(&key, &row.id), false));
    }
    let body = wire::Body::One(Box::new(order));
    let mut prepared = match prepare(&storage, ctx, &body, vec![raw], origin).await {
        Ok(p) => p,
        Err(EdgeError::Conflict { .. }) => {
            if let Some(row) = known(&storage, &key).await? {
                return Ok((same_answer(&key, &row.id), false));
            }
            return Err(EdgeError::Internal(format!(
                "order {key}: a duplicate not found"
            )));
        }
        Err(e) => return Err(e),
    };
    let order_id = prepared
        .answers
        .first()
        .and_then(|a| a.get("order_id"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if let Some(url) = callback {
        let data = json!({"OrderId": key, "order_id": order_id});
        let message = format!("Order {key} received by the hub as {order_id}");
        let out = callback_delivery(ctx, url, Some(&order_id), true, &message, data)?;
        prepared.batch.extend(outbox::stage(&storage, &out)?);
        prepared.ids.push(out.delivery.id.clone());
    }
    match finish(&storage, ctx, prepared).await {
        Ok(_) => Ok((same_answer(&key, &order_id), true)),
        Err(EdgeError::Conflict { .. }) => match known(&storage, &key).await? {
            Some(row) => Ok((same_answer(&key, &row.id), false)),
            None => Err(EdgeError::Internal(format!(
                "order {key}: a duplicate not found"
            ))),
        },
        Err(e) => Err(e),
    }
}

/// The hub order of Just Eat's order `key`, if it has one.
async fn known(storage: &Storage, key: &str) -> Result<Option<OrderRow>, EdgeError> {
    storage
        .order_by_external(Channel::Orderconnect.as_str(), key)
        .await
}

/// `POST /webhooks/just-eat/send-to-pos-failed`.
pub async fn send_to_pos_failed(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_orderconnect(&req, ctx.env)?;
    let (raw, _): (PosFailedIn, _) = read(&mut req, "a send-to-pos-failed").await?;
    let key = partner_orders::check_pos_failed(&raw).map_err(converted)?;
    let storage = Storage::new(ctx.env)?;
    let row = known(&storage, &key)
        .await?
        .ok_or_else(|| EdgeError::NotFound {
            code: "unknown_order",
            summary: format!("OrderId: order {key} is not known"),
        })?;
    let history = storage.order_statuses(&row.id).await?;
    let recorded =
        !partner_orders::pos_failed_recorded(history.iter().map(|h| h.reason.as_deref()), &key);
    if recorded {
        let reason = partner_orders::pos_failed_reason(&key);
        let batch = storage.set_order_status_because(
            &row.id,
            row.version,
            row.status,
            Some(&reason),
            &millis(ctx.now),
        )?;
        storage.commit(batch).await?;
        worker::console_warn!("order {}: {reason}", row.id);
    }
    Ok(respond::json(
        200,
        &json!({"OrderId": key, "order_id": row.id, "status": row.status, "recorded": recorded}),
    ))
}
