//! The site channel, and what every channel shares when an order's status changes: the
//! status row, the front-end's `status_url` call and what the order's channel owes
//! ([`super::on_status`]), in one batch ([`record`]); the stored row's status, delivery
//! method and front-end URL read back; a timeline event recorded with the status it moves
//! the order to ([`record_event`]).

use orderbridge_core::order::lifecycle::{Notify, Status, Teller};
use orderbridge_core::order::timeline::{dedup_key, Event};
use orderbridge_core::orderconnect::timeline_events::{effect, history_reason, StatusEffect};
use orderbridge_core::outbound::url_guard::{check_outbound_url, OutboundUrl};

use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::intake::status_call;
use crate::outbox;
use crate::storage::{millis, OrderRow, Storage};

/// Stores a new status (`Some`) with the call it causes, or only stages the call (`None`),
/// in one batch, together with what the order's channel owes for the status
/// (`super::on_status`); then kicks the calls.
pub(crate) async fn record(
    storage: &Storage,
    row: &OrderRow,
    to: Option<Status>,
    notify: Notify,
    ctx: &Ctx<'_>,
) -> Result<(), EdgeError> {
    record_because(storage, row, to, None, notify, Teller::Hub, ctx).await
}

/// [`record`] with the reason the status history shows (e.g. who cancelled it and why), and
/// who moved it (the channel is not told back what it told).
pub(crate) async fn record_because(
    storage: &Storage,
    row: &OrderRow,
    to: Option<Status>,
    reason: Option<&str>,
    notify: Notify,
    teller: Teller,
    ctx: &Ctx<'_>,
) -> Result<(), EdgeError> {
    let mut batch = match to {
        Some(to) => storage.set_order_status_because(
            &row.id,
            row.version,
            to.code(),
            reason,
            &millis(ctx.now),
        )?,
        None => Vec::new(),
    };
    let (statements, calls, kick) = pass_on(storage, row, notify, teller, ctx).await?;
    batch.extend(statements);
    if let Err(err) = storage.commit(batch).await {
        // Another change from the same status won the race.
        return match storage.order(&row.id).await? {
            Some(now) if now.version != row.version => Err(EdgeError::Conflict {
                code: "illegal_transition",
                summary: format!("the order moved to status {} meanwhile", now.status),
                violations: vec![],
            }),
            _ => Err(err),
        };
    }
    kick_all(&calls, &kick, ctx).await;
    Ok(())
}

/// The statements that pass a status on: the front-end's status call and what the order's
/// channel owes (`super::on_status`, from the order's current status); with the calls
/// to kick and the staged deliveries to kick after the commit.
pub(crate) async fn pass_on(
    storage: &Storage,
    row: &OrderRow,
    notify: Notify,
    teller: Teller,
    ctx: &Ctx<'_>,
) -> Result<
    (
        Vec<worker::D1PreparedStatement>,
        Vec<outbox::Outgoing>,
        Vec<String>,
    ),
    EdgeError,
> {
    let reported = notify.status;
    let mut batch = Vec::new();
    let mut calls: Vec<outbox::Outgoing> = status_call(&row.id, notify, ctx)?.into_iter().collect();
    for call in &calls {
        batch.extend(outbox::stage(storage, call)?);
    }
    let from = current_status(row)?;
    let effects = super::on_status(storage, row, from, reported, teller, ctx).await?;
    batch.extend(effects.statements);
    for call in effects.calls {
        batch.extend(outbox::stage(storage, &call)?);
        calls.push(call);
    }
    Ok((batch, calls, effects.kick))
}

pub(crate) async fn kick_all(calls: &[outbox::Outgoing], kick: &[String], ctx: &Ctx<'_>) {
    let mut ids: Vec<&str> = calls.iter().map(|c| c.delivery.id.as_str()).collect();
    ids.extend(kick.iter().map(String::as_str));
    outbox::kick(ctx.env, &ids).await;
}

pub(crate) fn current_status(row: &OrderRow) -> Result<Status, EdgeError> {
    Status::from_code(row.status)
        .ok_or_else(|| EdgeError::Internal(format!("stored status {}", row.status)))
}

/// Records `event` on `row`'s timeline once (keyed by `source`, the order and the `body`
/// that told it: `false` for a repeat), then moves the order as core's `timeline_events::
/// effect` says (a `delivered` event: to 30 when the lifecycle allows it, through
/// [`record_because`], so the front-end hears it once; Just Eat, who told it, is not told
/// back). The status is decided
/// from the order as it is, not from whether the event was new, so a retry after a failure
/// between the two still moves it. Returns whether the event was new and the status after.
pub(crate) async fn record_event(
    storage: &Storage,
    row: &OrderRow,
    event: &Event,
    body: &[u8],
    ctx: &Ctx<'_>,
) -> Result<(bool, Status), EdgeError> {
    let dedup = dedup_key(&event.source, &row.id, body);
    let recorded = storage.add_order_event(&row.id, event, &dedup).await?;
    let from = current_status(row)?;
    let url = front_end_url(row, ctx);
    match effect(event.kind, row.delivery_method, from, url.as_ref()) {
        StatusEffect::Move(notify) => {
            let to = notify.status;
            let reason = history_reason(event);
            record_because(
                storage,
                row,
                Some(to),
                Some(&reason),
                notify,
                Teller::Channel,
                ctx,
            )
            .await?;
            Ok((recorded, to))
        }
        StatusEffect::NotAllowed(refused) => {
            worker::console_warn!(
                "order {}: {} from {} not applied to the status: {}",
                row.id,
                event.kind.as_str(),
                event.source,
                refused.message
            );
            Ok((recorded, from))
        }
        StatusEffect::None | StatusEffect::Already => Ok((recorded, from)),
    }
}

/// The front-end's `status_url` of an order. It passed the guard when the order was
/// placed; the sender checks it again.
pub(crate) fn front_end_url(row: &OrderRow, ctx: &Ctx<'_>) -> Option<OutboundUrl> {
    row.status_url
        .as_deref()
        .and_then(|u| check_outbound_url(u, &ctx.config.url_policy()).ok())
}
