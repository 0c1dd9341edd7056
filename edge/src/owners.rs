//! Every failure has an owner (issue 17): the edge's side of core's `outbound::owner`.
//!
//! * [`on_dead`]: called by the outbound consumer whenever a delivery becomes dead (refused
//!   for good, retries exhausted, deadline passed). Core decides what that causes; here it
//!   is carried out: a JET order still waiting is told `sent-to-pos-failed`
//!   (`jet_orders::decide`, which keeps Just Eat's window), and an order that did not reach
//!   the kitchen goes to 5 with the reason in its history, the 5 passed on like any other
//!   (the front-end's `status_url`, the channel's calls), in one batch.
//! * [`failures`] and [`history`]: how the order views show an order's dead deliveries and
//!   its statuses with their reasons.

use orderbridge_core::order::forward::parse_heard;
use orderbridge_core::order::lifecycle::{self, Status, Teller};
use orderbridge_core::outbound::owner::{self, DeadCause, OrderState};
use orderbridge_core::outbound::plan::ReceiverKind;
use serde_json::{json, Value};
use worker::Env;

use crate::channels::site::{current_status, front_end_url};
use crate::config::Config;
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::intake::status_call;
use crate::outbox::{self, Outgoing};
use crate::storage::outbox::DeliveryRow;
use crate::storage::{millis, OrderRow, StatusRow, Storage};
use crate::{channels, clock};

/// What the death of `head` (a `receiver` delivery, dead by `cause` with `last_error`)
/// causes. Best effort: the delivery is dead in the log whatever happens here; a failure
/// is logged.
pub async fn on_dead(
    env: &Env,
    config: &Config,
    storage: &Storage,
    head: &DeliveryRow,
    receiver: ReceiverKind,
    cause: DeadCause,
    last_error: &str,
) {
    let Some(order_id) = head.order_id.as_deref() else {
        return;
    };
    if let Err(err) = carry_out(env, config, storage, order_id, receiver, cause, last_error).await {
        worker::console_error!(
            "order {order_id}: what the dead delivery {} causes: {err:?}",
            head.id
        );
    }
}

fn state_of(row: &OrderRow) -> Result<OrderState, EdgeError> {
    Ok(OrderState {
        status: current_status(row)?,
        heard_from_upstream: !parse_heard(&row.upstream_heard).is_empty(),
    })
}

async fn carry_out(
    env: &Env,
    config: &Config,
    storage: &Storage,
    order_id: &str,
    receiver: ReceiverKind,
    cause: DeadCause,
    last_error: &str,
) -> Result<(), EdgeError> {
    let Some(mut row) = storage.order(order_id).await? else {
        return Ok(());
    };
    let now = clock::now();
    let decision = owner::on_dead(receiver, cause, last_error, Some(&state_of(&row)?));
    if let Some(failure) = decision.jet_outcome {
        if let Some(jet) = storage.jet_order_of(order_id).await? {
            crate::channels::jet::decide(env, config, storage, &jet, Err(failure), now).await?;
        }
    }
    let ctx = Ctx {
        env,
        config: config.clone(),
        params: Vec::new(),
        now,
        rows_read: Default::default(),
    };
    // A status call from Jupiter may land meanwhile: decided again on the new row.
    for _ in 0..4 {
        let Some(reason) =
            owner::on_dead(receiver, cause, last_error, Some(&state_of(&row)?)).cancel
        else {
            return Ok(());
        };
        match cancel(storage, &row, &reason, &ctx).await {
            Ok(()) => return Ok(()),
            Err(err) => match storage.order(order_id).await? {
                Some(fresh) if fresh.version != row.version => row = fresh,
                _ => return Err(err),
            },
        }
    }
    Err(EdgeError::Internal(format!(
        "order {order_id}: status 5 lost four races in a row"
    )))
}

/// Moves `row` to 5 with `reason` in its history and passes the 5 on (the front-end's
/// `status_url` call and what the channel owes), in one batch; then kicks the calls.
async fn cancel(
    storage: &Storage,
    row: &OrderRow,
    reason: &str,
    ctx: &Ctx<'_>,
) -> Result<(), EdgeError> {
    let from = current_status(row)?;
    let mut batch = storage.set_order_status_because(
        &row.id,
        row.version,
        Status::Cancelled.code(),
        Some(reason),
        &millis(ctx.now),
    )?;
    let notify = lifecycle::notify(Status::Cancelled, front_end_url(row, ctx).as_ref());
    let mut calls: Vec<Outgoing> = status_call(&row.id, notify, ctx)?.into_iter().collect();
    let effects =
        channels::on_status(storage, row, from, Status::Cancelled, Teller::Hub, ctx).await?;
    batch.extend(effects.statements);
    calls.extend(effects.calls);
    for call in &calls {
        batch.extend(outbox::stage(storage, call)?);
    }
    storage.commit(batch).await?;
    let mut ids: Vec<&str> = calls.iter().map(|c| c.delivery.id.as_str()).collect();
    ids.extend(effects.kick.iter().map(String::as_str));
    outbox::kick(ctx.env, &ids).await;
    worker::console_warn!("order {}: status 5, {reason}", row.id);
    Ok(())
}

/// The failures shown with order `order_id` (the outbox's order id): its dead deliveries as
/// core shows them, oldest first. The site API (`operator` false) sees the front-end's own
/// calls and the kitchen; the operator also the calls to Just Eat, with the delivery's id,
/// receiver and last error (the delivery log has every attempt).
pub async fn failures(
    storage: &Storage,
    order_id: &str,
    operator: bool,
) -> Result<Value, EdgeError> {
    let rows = storage.dead_deliveries_of(order_id).await?;
    let shown: Vec<Value> = rows
        .iter()
        .filter_map(|row| {
            let receiver = ReceiverKind::parse(&row.receiver)?;
            let shown = owner::shown(receiver, &row.url, row.last_error.as_deref())?;
            if !operator && !shown.kind.public() {
                return None;
            }
            let mut doc = json!({
                "kind": shown.kind.as_str(),
                "reason": shown.reason,
                "at": clock::rfc3339_secs(row.updated_at),
            });
            if let (Some(map), Some(status)) = (doc.as_object_mut(), shown.status) {
                map.insert("status".to_owned(), json!(status));
            }
            if let (Some(map), true) = (doc.as_object_mut(), operator) {
                map.insert("delivery_id".to_owned(), json!(row.id));
                map.insert("receiver".to_owned(), json!(row.receiver));
                map.insert("last_error".to_owned(), json!(row.last_error));
            }
            Some(doc)
        })
        .collect();
    Ok(json!(shown))
}

/// An order's status history as the views show it: `{status, at}`, with `reason` when the
/// hub set the status itself for one.
pub fn history(rows: &[StatusRow]) -> Vec<Value> {
    rows.iter()
        .map(|h| match &h.reason {
            Some(reason) => json!({"status": h.status, "at": h.at, "reason": reason}),
            None => json!({"status": h.status, "at": h.at}),
        })
        .collect()
}
