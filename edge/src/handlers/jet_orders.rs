//! Just Eat orders over JET Connect (issue 6). The hub is the partner JET Connect delivers
//! orders to; the kitchen's POS is Jupiter (upstream) or the hub's own order store.
//!
//! * `POST /webhooks/jet/orders` (Receive Order): `X-JET-Connect-Hash` is checked over the
//!   raw bytes before anything is parsed (`401 {"errorMessage"}`); a structurally invalid
//!   order is `400 {"errorMessage"}` naming every problem. Otherwise the order is recorded
//!   and answered `202 {"OrderId"}`, whatever becomes of it: core translates it into a
//!   Jupiter order, `intake` checks it against the catalog under the marketplace rules and
//!   stores it, and the one `sent-to-pos-success|failed` call owed to Just Eat is staged in
//!   the same batch. The same JET id again places and calls nothing and is answered by
//!   its outcome ([`replayed`]): undecided `202`, injected `200` with the same `OrderId`,
//!   failed or cancelled `400` naming it.
//! * The outcome is known at once without an upstream Jupiter (the hub's store is the POS)
//!   or when the order fails. With one, the call is staged as the deadline's `TIMEOUT`
//!   (due `JET_POS_DEADLINE_SECS` after the `202`) and rewritten, at most once and only
//!   before it is due, when Jupiter accepts the order (`outbound_queue` → [`on_injection`])
//!   or, with `JET_SUCCESS_ON=status0`, reports status 0 ([`on_status`]). An outcome that
//!   comes later is recorded on the JET order and not sent.
//! * `POST /webhooks/jet/orders/cancel`: whatever the reason code (stored as given), the
//!   calls still owed for the order are settled unsent (the waiting `TIMEOUT`, a forwarding
//!   to Jupiter not yet made) and the hub order goes to status 5 (the front-end's
//!   `status_url` is told, as for any status); answered with the payload echoed.
//! * `POST /webhooks/jet/orders/final`: the final picked version replaces the order's lines
//!   and totals, recorded as the order's amendment with the time it arrived (what it found
//!   and what it left, shown by `GET /site-api/orders/{id}`); an order the hub never
//!   received (a "final picked only" subscription) is received as a new one. Old messages
//!   cannot undo new ones (core `jet::order::replay`): versions apply in the order they
//!   arrive, a body applied before (a retry, or an older version replayed after a newer
//!   one) changes nothing and is answered `200` as before, and a cancelled order keeps its
//!   contents (`400 {"errorMessage"}` naming the cancellation). The `t` of
//!   `X-JET-Connect-Hash` is not checked against a window: it is not part of the MAC, so it
//!   proves nothing about when the body was signed.
//! * `POST /webhooks/jet/orders/driver-status`: the driver's status as an event on the
//!   order's timeline ([`driver_status`]).
//!   A placed order reconciles the backup-flow records of the same JET id (`jet_status`).
//! * `GET /admin/jet/orders/{jet_id}` (operator): the order as received and what became of it.

use chrono::{DateTime, Utc};
use orderbridge_core::domain::UtcOffset;
use orderbridge_core::jet::driver_status;
use orderbridge_core::jet::order::outcome::{
    self, delivery_id, failure_of, unknown_location, Failure,
};
use orderbridge_core::jet::order::replay::{decide_final, FinalDecision, FinalState};
use orderbridge_core::jet::order::translate::{translate, ChargeItems, Target, Translation};
use orderbridge_core::jet::order::validate::{validate_cancel, validate_order, JetOrder};
use orderbridge_core::jet::order::wire::{parse_cancel, parse_order};
use orderbridge_core::jet::to_jupiter::{menu_for_order, menu_type_of, service_key, service_of};
use orderbridge_core::order::client::Contact;
use orderbridge_core::order::lifecycle::{self, Status};
use orderbridge_core::outbound::plan::ReceiverKind;
use orderbridge_core::routes::Method;
use orderbridge_core::tz::LocalZone;
use serde_json::{json, Value};
use worker::{Env, Request, Response};

use crate::auth::require_operator;
use crate::channel::Channel;
use crate::channels::jet::{outcome_body, outcome_url};
use crate::channels::site::{current_status, front_end_url, record, record_event};
use crate::config::{Config, JET_HARD_LIMIT_SECS};
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::intake::{self, Source};
use crate::outbox::{self, Outgoing};
use crate::storage::{millis, JetOrderRow, JetOrderWrite, OrderRow, Storage};
use crate::{body, random, respond};

/// `POST /webhooks/jet/orders`.
pub async fn receive(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let bytes = body::read(&mut req, body::DEFAULT_LIMIT).await?;
    verify(&req, &bytes, ctx.env)?;
    let order = checked(&bytes)?;
    let origin = req.url()?.origin().ascii_serialization();
    accept(&order, &bytes, &origin, ctx).await
}

/// Checks the signature over the raw bytes, before anything reads them.
fn verify(req: &Request, bytes: &[u8], env: &Env) -> Result<(), EdgeError> {
    crate::auth::require_jet_hash(req, bytes, env)
}

/// The verified body as stored: the signed bytes exactly, as text (the door refused any
/// body that is not UTF-8, so nothing is replaced; a lossy copy would no longer match its
/// signature).
fn signed_text(bytes: &[u8]) -> Result<&str, EdgeError> {
    std::str::from_utf8(bytes)
        .map_err(|err| EdgeError::Internal(format!("a verified JET body is not UTF-8: {err}")))
}

/// The order's structure: every problem at once, as one `400 {"errorMessage"}`.
fn checked(bytes: &[u8]) -> Result<JetOrder, EdgeError> {
    let wire = parse_order(bytes).map_err(|v| EdgeError::violations("invalid_order", vec![v]))?;
    validate_order(&wire).map_err(|found| EdgeError::violations("invalid_order", found))
}

fn answered(answer_id: &str) -> Response {
    respond::json(202, &json!({ "OrderId": answer_id }))
}

/// The answer to an order received again (Just Eat retries when it did not get the first
/// answer). Nothing is placed or called again; the answer says what became of the order,
/// in the spec's terms (FACTS §5.6): undecided, `202` as before (still pending); injected,
/// `200` with the same `OrderId`, since a `202` would make the order pending again at Just
/// Eat with no outcome call ever to follow (the one call was made); failed, cancelled or
/// timed out, `400` naming the recorded outcome, since `200` would report an order the
/// kitchen never got as injected, while any non-2xx sends it to the restaurant's tablet,
/// as the failure outcome did.
fn replayed(row: &JetOrderRow) -> Response {
    if let Some(at) = &row.cancelled_at {
        return respond::json(
            400,
            &json!({
                "errorMessage": format!(
                    "order {} was received before and Just Eat cancelled it at {at} ({})",
                    row.id,
                    row.cancel_reason.as_deref().unwrap_or("no reason given")
                )
            }),
        );
    }
    match row.outcome.as_deref() {
        None => answered(&row.answer_id),
        Some("success") => respond::json(200, &json!({ "OrderId": row.answer_id })),
        Some(other) => {
            let why = match (&row.error_code, &row.error_message) {
                (Some(code), Some(message)) => format!("{code}: {message}"),
                (Some(code), None) => code.clone(),
                _ => other.to_owned(),
            };
            respond::json(
                400,
                &json!({
                    "errorMessage": format!(
                        "order {} was received before and its outcome is {other} ({why})",
                        row.id
                    )
                }),
            )
        }
    }
}

/// The charge mapping and success rule; a bad setting is logged and its default used, so a
/// configuration mistake cannot turn every Just Eat order away.
fn charges(config: &Config) -> ChargeItems {
    ChargeItems::parse(&config.jet.charge_items).unwrap_or_else(|found| {
        let why: Vec<String> = found.into_iter().map(|v| v.message).collect();
        worker::console_error!("JET_CHARGE_ITEMS ignored: {}", why.join("; "));
        ChargeItems::default()
    })
}

/// Translates a valid order for the restaurant its `posLocationId` names, against the menu
/// core chooses for it ([`menu_for_order`]: `menu_reference`, else the restaurant's only
/// concept or the only one for the order's service type), or says why not. Also gives the
/// service (`DELIVERY`/`COLLECTION`/`""`) of the chosen menu.
async fn translated(
    storage: &Storage,
    order: &JetOrder,
    ctx: &Ctx<'_>,
) -> Result<Result<(String, Translation, &'static str, LocalZone), Failure>, EdgeError> {
    let Some(restaurant) = storage
        .restaurant_by_jet_location(&order.pos_location_id)
        .await?
    else {
        return Ok(Err(unknown_location(&order.pos_location_id)));
    };
    // A restaurant without a zone takes the one Just Eat's order names for its location
    // (kept from now on); a name the runtime does not know is ignored, not refused: the
    // order was paid for.
    let mut timezone = restaurant.timezone.clone();
    if timezone.is_none() {
        if let Ok(name) = crate::zone::check_name(&order.timezone, "location.timezone") {
            storage.adopt_timezone(&restaurant.id, &name).await?;
            crate::cache::ReadCache::new(ctx.env)
                .invalidate(&[&restaurant.id], ctx.now)
                .await;
            timezone = Some(name);
        }
    }
    let zone = crate::zone::local_zone(timezone.as_deref(), restaurant.utc_offset);
    let target = Target {
        restaurant_id: &restaurant.id,
        zone: &zone,
    };
    let keys = storage.menu_keys(&restaurant.id).await?;
    let stored: Vec<(&str, _)> = keys
        .iter()
        .map(|k| (k.concept_id.as_str(), service_of(&k.service)))
        .collect();
    let (concept, service) = match menu_for_order(
        &order.menu_reference,
        menu_type_of(order.fulfilment),
        &stored,
    ) {
        Ok(chosen) => chosen,
        Err(refused) => {
            return Ok(Err(failure_of(&[refused]).unwrap_or_else(|| Failure {
                code: outcome::ErrorCode::IncorrectSetup,
                message: "no menu for the order".to_owned(),
            })))
        }
    };
    let mut translation = translate(order, target, &charges(&ctx.config));
    translation.order.body.concept_id = Some(concept.to_owned()).filter(|c| !c.is_empty());
    Ok(Ok((
        restaurant.id.clone(),
        translation,
        service_key(service),
        zone,
    )))
}

/// Records a valid order, places it when the kitchen can take it, stages the outcome owed
/// to Just Eat, and answers `202`.
async fn accept(
    order: &JetOrder,
    bytes: &[u8],
    origin: &str,
    ctx: &Ctx<'_>,
) -> Result<Response, EdgeError> {
    let storage = Storage::of(ctx)?;
    if let Some(row) = storage.jet_order(&order.id).await? {
        return Ok(replayed(&row));
    }
    let mut batch = Vec::new();
    let mut calls = Vec::new();
    let mut restaurant_id = None;
    let mut placed_id = None;
    // Just Eat is told the times in the restaurant's zone; no restaurant, UTC.
    let mut zone = LocalZone::Fixed(UtcOffset::UTC);
    let result: Result<(), Failure> = match translated(&storage, order, ctx).await? {
        Err(failure) => Err(failure),
        Ok((restaurant, translation, service, its_zone)) => {
            restaurant_id = Some(restaurant);
            zone = its_zone;
            let rules = Channel::Jet.rules();
            match intake::check_against(&storage, ctx, &translation.order, rules, Some(service))
                .await?
            {
                Err(found) => Err(failure_of(&found).unwrap_or_else(|| Failure {
                    code: outcome::ErrorCode::Unknown,
                    message: "the order was refused".to_owned(),
                })),
                Ok(valid) => {
                    let source = Source {
                        channel: Channel::Jet,
                        external_id: Some(&order.id),
                        status_url: None,
                        origin,
                        contact: Contact::JetConnect,
                    };
                    let staged = intake::stage(&storage, ctx, &translation.order, &valid, &source)?;
                    placed_id = Some(staged.order_id.clone());
                    batch.extend(staged.statements);
                    calls.extend(staged.calls);
                    Ok(())
                }
            }
        }
    };
    let answer_id = match &placed_id {
        Some(id) => id.clone(),
        None => random::id("ord_")?,
    };
    // Upstream, the POS has the last word: the outcome waits for it, until the deadline.
    let owed = outcome::at_receipt(
        result.clone(),
        intake::upstream_base(ctx).is_some(),
        ctx.now,
        ctx.config.jet.deadline_secs,
    );
    let now = ctx.now.timestamp();
    let call = Outgoing::new(
        ReceiverKind::JetSentToPos,
        Some(&answer_id),
        Method::Post,
        outcome_url(&ctx.config, &order.id, owed.stated.is_ok())?,
        outcome_body(owed.happened_at, &zone, &owed.stated),
        now,
        Some(now + JET_HARD_LIMIT_SECS),
    )?
    .with_id(delivery_id(&order.id), owed.due_at);
    let text = signed_text(bytes)?;
    let received_at = millis(ctx.now);
    batch.push(storage.record_jet_order(&JetOrderWrite {
        id: &order.id,
        answer_id: &answer_id,
        body: text,
        restaurant_id: restaurant_id.as_deref(),
        order_id: placed_id.as_deref(),
        delivery_id: &call.delivery.id,
        received_at: &received_at,
        deadline_at: owed.deadline_at,
        outcome: owed.decided.as_ref().map(outcome::recorded),
    })?);
    // The same order sent to the backup flow before is reconciled with the order it became.
    if let Some(placed) = &placed_id {
        batch.push(storage.reconcile_backup_orders(&order.id, placed, &received_at)?);
    }
    batch.extend(outbox::stage(&storage, &call)?);
    if let Err(err) = storage.commit(batch).await {
        // The same order delivered twice at once: the first one's answer.
        return match storage.jet_order(&order.id).await? {
            Some(row) => Ok(replayed(&row)),
            None => Err(err),
        };
    }
    let mut now_ids: Vec<&str> = calls.iter().map(|c| c.delivery.id.as_str()).collect();
    match owed.wait_secs {
        Some(delay) => outbox::kick_later(ctx.env, &call.delivery.id, delay).await,
        None => now_ids.push(&call.delivery.id),
    }
    outbox::kick(ctx.env, &now_ids).await;
    if let Err(failure) = &result {
        worker::console_warn!(
            "JET order {}: {} {}",
            order.id,
            failure.code.as_str(),
            failure.message
        );
    }
    Ok(answered(&answer_id))
}

/// `POST /webhooks/jet/orders/cancel`.
pub async fn cancel(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let bytes = body::read(&mut req, body::DEFAULT_LIMIT).await?;
    verify(&req, &bytes, ctx.env)?;
    let note = parse_cancel(&bytes)
        .map_err(|v| vec![v])
        .and_then(|n| validate_cancel(&n))
        .map_err(|found| EdgeError::violations("invalid_cancellation", found))?;
    let storage = Storage::new(ctx.env)?;
    let Some(jet) = storage.jet_order(&note.order_id).await? else {
        return Err(EdgeError::invalid(
            "unknown_order",
            "orderID",
            format!("order {} is not known", note.order_id),
        ));
    };
    if !note.documented() {
        worker::console_warn!(
            "JET order {}: cancelled with an undocumented reason {:?}, stored as given",
            jet.id,
            note.reason
        );
    }
    storage
        .commit(storage.cancel_jet_order(
            &jet,
            &note.reason,
            &millis(note.happened_at),
            ctx.now.timestamp(),
        )?)
        .await?;
    if let Some(order_id) = &jet.order_id {
        if let Some(row) = storage.order(order_id).await? {
            cancel_order(&storage, &row, ctx).await?;
        }
    }
    let echo: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Ok(respond::json(200, &echo))
}

/// `POST /webhooks/jet/orders/driver-status` (Driver Status Notification): signed like the
/// other JET Connect webhooks (`401`, nothing recorded, on a bad or missing hash); core's
/// `jet::driver_status` reads it (`400 {"message"}`, the ordering connector's error shape,
/// naming every problem, an unknown code among them; an unknown order too). The hub order of the JET order `orderID` gets the event on its
/// timeline once (the same body again records nothing); a `delivered` code also moves it to
/// 30 where its lifecycle allows. Answered `200` with the payload echoed, as the spec asks.
pub async fn driver_status(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let bytes = body::read(&mut req, body::DEFAULT_LIMIT).await?;
    verify(&req, &bytes, ctx.env)?;
    let noted = driver_status::read(&bytes, ctx.now)
        .map_err(|found| EdgeError::violations("invalid_driver_status", found))?;
    let storage = Storage::new(ctx.env)?;
    let Some(row) = storage
        .order_by_external(Channel::Jet.as_str(), &noted.order_id)
        .await?
    else {
        return Err(EdgeError::invalid(
            "unknown_order",
            "orderID",
            format!("order {} is not known", noted.order_id),
        ));
    };
    record_event(&storage, &row, &noted.event, &bytes, ctx).await?;
    let echo: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Ok(respond::json(200, &echo))
}

/// Moves a hub order to 5 if its lifecycle still allows it (a delivered order cannot be
/// cancelled, a cancelled one already is); the front-end is told as for any status.
async fn cancel_order(storage: &Storage, row: &OrderRow, ctx: &Ctx<'_>) -> Result<(), EdgeError> {
    let from = current_status(row)?;
    match lifecycle::transition(
        row.delivery_method,
        from,
        Status::Cancelled,
        front_end_url(row, ctx).as_ref(),
    ) {
        Ok(notify) => record(storage, row, Some(Status::Cancelled), notify, ctx).await,
        Err(v) => {
            worker::console_warn!("JET cancellation of {} not applied: {}", row.id, v.message);
            Ok(())
        }
    }
}

/// `POST /webhooks/jet/orders/final`.
pub async fn final_picked(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let bytes = body::read(&mut req, body::DEFAULT_LIMIT).await?;
    verify(&req, &bytes, ctx.env)?;
    let order = checked(&bytes)?;
    let storage = Storage::new(ctx.env)?;
    let Some(jet) = storage.jet_order(&order.id).await? else {
        // Only final picked orders are subscribed to: this is the order.
        let origin = req.url()?.origin().ascii_serialization();
        return accept(&order, &bytes, &origin, ctx).await;
    };
    let digest = match final_decision(&storage, &jet, &bytes).await? {
        FinalDecision::Apply { digest } => digest,
        FinalDecision::Seen { latest } => {
            if !latest {
                worker::console_warn!(
                    "JET order {}: an older final picked version arrived again, not applied",
                    jet.id
                );
            }
            return Ok(respond::json(200, &json!({ "OrderId": jet.answer_id })));
        }
        FinalDecision::Cancelled { message } => {
            return Ok(respond::json(400, &json!({ "errorMessage": message })));
        }
    };
    let replaced = match (&jet.order_id, translated(&storage, &order, ctx).await?) {
        (Some(_), Ok((_, translation, _, _))) => {
            let request = serde_json::to_string(&translation.order)
                .map_err(|err| EdgeError::Internal(format!("serialising an order: {err}")))?;
            Some((request, translation.total))
        }
        (Some(order_id), Err(failure)) => {
            worker::console_warn!(
                "JET order {}: final picked version not applied to {order_id}: {}",
                jet.id,
                failure.message
            );
            None
        }
        _ => None,
    };
    let text = signed_text(&bytes)?;
    storage
        .finalize_jet_order(
            &jet.id,
            text,
            &digest,
            jet.order_id.as_deref(),
            replaced
                .as_ref()
                .map(|(request, total)| (request.as_str(), *total)),
            &millis(ctx.now),
        )
        .await?;
    Ok(respond::json(200, &json!({ "OrderId": jet.answer_id })))
}

/// Core's decision on a final picked `body` for `jet`, given what is stored of it.
async fn final_decision(
    storage: &Storage,
    jet: &JetOrderRow,
    body: &[u8],
) -> Result<FinalDecision, EdgeError> {
    let order_cancelled = match &jet.order_id {
        Some(order_id) => match storage.order(order_id).await? {
            Some(row) => current_status(&row)? == Status::Cancelled,
            None => false,
        },
        None => false,
    };
    let state = FinalState {
        initial_body: jet.body.as_bytes(),
        applied: &jet.final_digests,
        cancelled_at: jet.cancelled_at.as_deref(),
        order_cancelled,
    };
    Ok(decide_final(&jet.id, body, &state))
}

/// `GET /admin/jet/orders/{jet_id}`.
pub async fn admin_get(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let id = ctx.param("jet_id")?;
    let storage = Storage::new(ctx.env)?;
    let row = storage
        .jet_order(id)
        .await?
        .ok_or_else(|| EdgeError::NotFound {
            code: "jet_order_not_found",
            summary: format!("JET order {id:?} is not known"),
        })?;
    let order = match &row.order_id {
        Some(order_id) => {
            let status = storage.order(order_id).await?.map(|o| o.status);
            let request: Option<Value> = storage
                .order_request(order_id)
                .await?
                .and_then(|r| serde_json::from_str(&r).ok());
            json!({"order_id": order_id, "status": status, "request": request})
        }
        None => Value::Null,
    };
    let deadline = DateTime::<Utc>::from_timestamp(row.deadline_at, 0).map(millis);
    Ok(respond::json(
        200,
        &json!({
            "id": row.id,
            "answer_id": row.answer_id,
            "restaurant_id": row.restaurant_id,
            "received_at": row.received_at,
            "deadline_at": deadline,
            "outcome": row.outcome,
            "error_code": row.error_code,
            "error_message": row.error_message,
            "decided_at": row.decided_at,
            "late_outcome": row.late_outcome,
            "cancelled_at": row.cancelled_at,
            "cancel_reason": row.cancel_reason,
            "final_at": row.final_at,
            "received": serde_json::from_str::<Value>(&row.body).unwrap_or(Value::Null),
            "final": row.final_body.as_deref().and_then(|b| serde_json::from_str::<Value>(b).ok()),
            "sent_to_pos_delivery": row.delivery_id,
            "failures": crate::owners::failures(&storage, &row.answer_id, true).await?,
            "order": order,
        }),
    ))
}

/// `GET /admin/jet/reconciliation`: the latest run of the reconciliation with Just Eat's
/// order reports (`jet_reconcile`), its time and each finding; `run: null` before the first.
pub async fn reconciliation(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let storage = Storage::new(ctx.env)?;
    let Some(run) = storage.latest_reconciliation().await? else {
        return Ok(respond::json(200, &json!({"run": null, "findings": []})));
    };
    let findings = storage.reconciliation_findings(&run.id).await?;
    let sources: Value = serde_json::from_str(&run.sources).unwrap_or(Value::Null);
    Ok(respond::json(
        200,
        &json!({
            "run": {"id": run.id, "ran_at": run.ran_at, "from": run.from_at, "to": run.to_at,
                    "sources": sources, "checked": run.checked, "error": run.error},
            "findings": findings.iter().map(|f| json!({
                "kind": f.kind, "order_id": f.order_id, "reference": f.reference,
                "location": f.location, "ours": f.ours, "theirs": f.theirs, "message": f.message
            })).collect::<Vec<_>>()
        }),
    ))
}

/// `POST /admin/jet/reconciliation`: runs the reconciliation now and answers the run as
/// `GET` does.
pub async fn reconcile_now(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    crate::jet_reconcile::run(ctx.env, ctx.now).await?;
    reconciliation(req, ctx).await
}
