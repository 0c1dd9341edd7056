//! The JET Connect channel: the one `sent-to-pos` outcome each order owes Just Eat.
//!
//! Just Eat gives a partner 3 minutes after the `202` to say whether the order reached the
//! POS, and the hub must say it exactly once. The outbound path alone keeps that promise:
//!
//! * **One row, decided once.** The outcome call is one outbox row whose id is derived from
//!   the JET id (core `jet::order::outcome::delivery_id`), staged in the batch that records the
//!   order; a second staging fails its whole batch (two deliveries of one order at once: the
//!   loser answers the winner's `OrderId`).
//! * **Known outcomes go at once.** Without an upstream Jupiter the hub's store is the POS:
//!   the order is placed or refused (`MENU_ERROR`, `INACTIVE`, `STORE_CLOSED`,
//!   `INCORRECT_SETUP`, …) in that batch and the row is due now.
//! * **Unknown outcomes wait, as a TIMEOUT.** Upstream, the row is staged as
//!   `sent-to-pos-failed TIMEOUT` due `JET_POS_DEADLINE_SECS` (150) after the `202`, and the
//!   queue is poked with that delay. When Jupiter accepts the forwarded order
//!   ([`on_injection`], called by the queue consumer; or, with `JET_SUCCESS_ON=status0`,
//!   reports status 0: [`on_status`]) or refuses it for good, [`decide`] rewrites the row to
//!   the real outcome, due now, in one D1 batch whose conditional statements test the same
//!   state (pending, never attempted, not yet due, order undecided). If the deadline came
//!   first, nothing is rewritten: the outcome is recorded as `late_outcome`, never sent.
//! * **Retries stay inside Just Eat's window**: the row's delivery deadline is 178 s after
//!   the `202` (Just Eat answers 400 for an order no longer pending).
//! * **A cancellation settles what is still owed** (`handlers::jet_orders`): the waiting
//!   row and a pending upstream forwarding are set `dead` ("not sent: Just Eat cancelled the
//!   order"), and an undecided outcome becomes `failed`, which closes [`decide`].
//! * **A retried Receive Order answers with its outcome**: undecided `202`, injected `200`
//!   with the same `OrderId`, failed / timed out / cancelled `400` naming it.
//!
//! Why no Durable Object per order: its alarm would be a second timer and a second store
//! beside the outbox row, which must exist anyway (retries, log). The queue's delayed
//! message is the timer; the minute sweep is the fallback if a message is lost. Final
//! picked orders and cancellations need no timer: they apply in arrival order, each in one
//! batch, and core's `jet::order::replay` makes a replayed final version change nothing.

use chrono::{DateTime, Utc};
use orderbridge_core::catalog_pull::document_url;
use orderbridge_core::domain::UtcOffset;
use orderbridge_core::jet::order::outcome::{
    self, failed_body, success_body, Failure, SuccessRule,
};
use orderbridge_core::order::lifecycle::Status;
use orderbridge_core::tz::LocalZone;
use worker::Env;

use super::Effects;
use crate::config::Config;
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::outbox;
use crate::storage::{millis, Decision, JetOrderRow, OrderRow, Storage};

pub(crate) fn success_rule(config: &Config) -> SuccessRule {
    SuccessRule::parse(&config.jet.success_on).unwrap_or_else(|v| {
        worker::console_error!("JET_SUCCESS_ON ignored: {}", v.message);
        SuccessRule::default()
    })
}

/// The outcome call's URL under `JET_STATUS_BASE_URL`.
pub(crate) fn outcome_url(
    config: &Config,
    jet_id: &str,
    success: bool,
) -> Result<orderbridge_core::outbound::url_guard::OutboundUrl, EdgeError> {
    document_url(
        &config.jet.status_base_url,
        &outcome::outcome_path(jet_id, success),
        &[],
        &config.url_policy(),
    )
    .map_err(|refusal| EdgeError::Unavailable(format!("JET_STATUS_BASE_URL is refused: {refusal}")))
}

pub(crate) fn outcome_body(
    at: DateTime<Utc>,
    zone: &LocalZone,
    result: &Result<(), Failure>,
) -> String {
    match result {
        Ok(()) => success_body(at, zone),
        Err(failure) => failed_body(at, zone, failure),
    }
    .to_string()
}

/// Decides a waiting order's outcome: the staged `TIMEOUT` becomes `result`, if it is not
/// due yet and nothing was decided; otherwise `result` is recorded as late and not sent.
pub async fn decide(
    env: &Env,
    config: &Config,
    storage: &Storage,
    row: &JetOrderRow,
    result: Result<(), Failure>,
    now: DateTime<Utc>,
) -> Result<(), EdgeError> {
    if row.outcome.is_some() {
        return Ok(());
    }
    let zone = match &row.restaurant_id {
        Some(id) => match storage.restaurant(id).await? {
            Some(r) => crate::zone::local_zone(r.timezone.as_deref(), r.utc_offset),
            None => LocalZone::Fixed(UtcOffset::UTC),
        },
        None => LocalZone::Fixed(UtcOffset::UTC),
    };
    let body = outcome_body(now, &zone, &result);
    let url = outcome_url(config, &row.id, result.is_ok())?;
    let (name, code, message) = outcome::recorded(&result);
    let decided = storage
        .decide_jet_outcome(&Decision {
            jet_id: &row.id,
            delivery_id: &row.delivery_id,
            outcome: name,
            error_code: code,
            error_message: message,
            url: url.as_str(),
            body: &body,
            at: &millis(now),
            now: now.timestamp(),
        })
        .await?;
    if decided {
        outbox::kick(env, &[&row.delivery_id]).await;
        return Ok(());
    }
    let late = outcome::late_note(&result, &millis(now));
    let deadline = DateTime::<Utc>::from_timestamp(row.deadline_at, 0).unwrap_or(now);
    let timeout = outcome::timeout(config.jet.deadline_secs);
    worker::console_warn!(
        "JET order {}: late outcome recorded, not sent: {late}",
        row.id
    );
    storage
        .record_late_jet_outcome(&row.id, &late, &timeout.message, &millis(deadline))
        .await
}

/// After the upstream Jupiter answered a forwarded order (`delivered`) or refused it for
/// good: the outcome of a JET order waiting for it. Called by the outbound consumer.
pub async fn on_injection(
    env: &Env,
    config: &Config,
    storage: &Storage,
    order_id: &str,
    delivered: bool,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<(), EdgeError> {
    let Some(row) = storage.jet_order_of(order_id).await? else {
        return Ok(());
    };
    // Core's rule: a refusal fails; an acceptance succeeds unless status 0 decides.
    let Some(result) = success_rule(config).on_injection(delivered, detail) else {
        return Ok(());
    };
    decide(env, config, storage, &row, result, now).await
}

/// A status of a JET order's hub order: with `JET_SUCCESS_ON=status0`, Jupiter's 0 (or a
/// later status when the 0 was lost or is late) is the success and a 5 before it the
/// failure (core's `SuccessRule::on_status`).
pub async fn on_status(
    storage: &Storage,
    row: &OrderRow,
    _from: Status,
    reported: Status,
    ctx: &Ctx<'_>,
) -> Result<Effects, EdgeError> {
    if row.upstream_token.is_none() {
        return Ok(Effects::default());
    }
    // Core's rule: under `status0`, any status saying the kitchen has it (a lost or late 0).
    let Some(result) = success_rule(&ctx.config).on_status(reported) else {
        return Ok(Effects::default());
    };
    if let Some(jet) = storage.jet_order_of(&row.id).await? {
        decide(ctx.env, &ctx.config, storage, &jet, result, ctx.now).await?;
    }
    Ok(Effects::default())
}
