//! Just Eat orders over Orderconnect (issue 7). Core decides everything
//! (`orderbridge_core::orderconnect`); this module reads, stores and answers.
//!
//! * `PUT /webhooks/orderconnect/orders` (`Authorization: JE-API-KEY <ORDERCONNECT_API_KEY>`):
//!   a `ConnectOrder`. An `Id` accepted before is `409 duplicate` whatever the body says
//!   now. Otherwise core's checks, the restaurant whose `orderconnect_restaurant_id` is
//!   `RestaurantInfo.Id`, core's translation to a Jupiter order, and the shared intake
//!   under the marketplace rules; every problem found is answered at once with its reason
//!   code (`400`). An accepted order is stored (the `orders` row through the intake, the
//!   receipt row here, in one batch) before the `201`.
//! * Status changes of an Orderconnect order ([`on_status`], called by `channels` in the
//!   status's batch) stage Just Eat's delivery-state calls (`ReceiverKind::JetDeliveryState`,
//!   signed with `JE-API-KEY` at send time) to `JUST_EAT_API_URL`; the outbox's per-order key
//!   sends them in order.
//! * `PUT /admin/orders/{order_id}/driver-location` (operator): a driver position relayed to
//!   Just Eat's `driverlocation` while the order is out for delivery (status 20), at most one
//!   per 10 s per order (`429` with `Retry-After` otherwise). Two positions racing within
//!   the same instant may both pass the check; the cadence is Just Eat's wish, not a limit
//!   it enforces, so that is accepted.

use std::collections::{BTreeMap, BTreeSet};

use orderbridge_core::catalog::concept_key;
use orderbridge_core::jupiter::{Menu, Place, Zone};
use orderbridge_core::order::{ConceptState, RestaurantState, Status};
use orderbridge_core::orderconnect::delivery_state::{
    self, DeliveryState, DriverLocationRequest, LocationDecision, StateCall,
};
use orderbridge_core::orderconnect::translate::order_zone;
use orderbridge_core::orderconnect::{check, duplicate, not_configured, reasons, translate, wire};
use orderbridge_core::outbound::plan::ReceiverKind;
use orderbridge_core::outbound::url_guard::check_outbound_url;
use orderbridge_core::problem::Violation;
use orderbridge_core::routes::Method;
use serde_json::json;
use worker::{Request, Response};

use super::catalog::stored;
use crate::auth::{require_operator, require_orderconnect};
use crate::body;
use crate::channels::Effects;
use crate::error::EdgeError;
use crate::intake::{self, Channel, Source};
use crate::outbox::{self, Outgoing};
use crate::respond;
use crate::router::Ctx;
use crate::storage::{millis, parse_instant, OrderRow, OrderconnectWrite, RestaurantRow, Storage};

/// A `ConnectOrder` is a few kilobytes; 256 KiB leaves room for very large baskets.
pub const ORDER_LIMIT: usize = 256 * 1024;

fn duplicate_error(id: &str, order_id: &str) -> EdgeError {
    let v = duplicate(id, order_id);
    EdgeError::Conflict {
        code: "duplicate",
        summary: v.message.clone(),
        violations: vec![v],
    }
}

fn refused(violations: Vec<Violation>) -> EdgeError {
    EdgeError::violations("bad_request", violations)
}

/// `PUT /webhooks/orderconnect/orders`.
pub async fn put_order(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_orderconnect(&req, ctx.env)?;
    let bytes = body::read(&mut req, ORDER_LIMIT).await?;
    let order = wire::parse(&bytes).map_err(|v| refused(vec![v]))?;
    let storage = Storage::new(ctx.env)?;
    // The same Id again: the same answer, however often and whatever it carries now.
    let id = order.id.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(id) = id {
        if let Some(row) = storage
            .order_by_external(Channel::Orderconnect.as_str(), id)
            .await?
        {
            return Err(duplicate_error(id, &row.id));
        }
    }
    let mut violations = Vec::new();
    let checked = check(&order).map_err(|v| violations.extend(v)).ok();
    let restaurant_ref = order
        .restaurant_info
        .as_ref()
        .and_then(|r| r.id.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let restaurant = match restaurant_ref {
        Some(r) => {
            let row = storage.restaurant_by_orderconnect_id(r).await?;
            if row.is_none() {
                violations.push(not_configured(r));
            }
            row
        }
        None => None,
    };
    let (Some(checked), Some(restaurant), true) = (checked, restaurant, violations.is_empty())
    else {
        return Err(refused(violations));
    };
    let state = restaurant_state(&storage, &restaurant).await?;
    let translation = translate(&checked, &state, &BTreeMap::new()).map_err(refused)?;
    let rules = Channel::Orderconnect.rules();
    let valid = match intake::check(&storage, ctx, &translation.request, rules).await? {
        Ok(valid) => valid,
        Err(found) => return Err(refused(reasons(&found, &translation))),
    };
    let origin = req.url()?.origin().ascii_serialization();
    let staged = intake::stage(
        &storage,
        ctx,
        &translation.request,
        &valid,
        &Source {
            channel: Channel::Orderconnect,
            external_id: Some(&checked.id),
            status_url: None,
            origin: &origin,
        },
    )?;
    let body = String::from_utf8_lossy(&bytes);
    let offset = order_zone(&checked, &state.time_zone);
    let ids = staged.call_ids();
    let mut batch = staged.statements;
    batch.push(storage.insert_orderconnect_order(&OrderconnectWrite {
        id: &checked.id,
        order_id: &staged.order_id,
        restaurant_ref: &checked.restaurant_ref,
        service_type: checked.service_type.as_str(),
        utc_offset: &offset,
        body: &body,
        received_at: &millis(ctx.now),
    })?);
    if let Err(err) = storage.commit(batch).await {
        // The same Id accepted concurrently: answer as a repeat would.
        return match storage
            .order_by_external(Channel::Orderconnect.as_str(), &checked.id)
            .await?
        {
            Some(row) => Err(duplicate_error(&checked.id, &row.id)),
            None => Err(err),
        };
    }
    outbox::kick(ctx.env, &ids).await;
    Ok(respond::json(
        201,
        &json!({"order_id": staged.order_id, "number": translation.request.body.number}),
    ))
}

/// The restaurant as the translation reads it: every concept it lists (and the default
/// one) with its menu and live zones.
async fn restaurant_state(
    storage: &Storage,
    row: &RestaurantRow,
) -> Result<RestaurantState, EdgeError> {
    let place: Place = stored(&row.place, "place")?;
    let mut keys: BTreeSet<String> = BTreeSet::new();
    keys.insert(String::new());
    for c in place.concepts.iter().flatten() {
        keys.insert(concept_key(Some(&c.id)).to_owned());
    }
    let mut concepts = BTreeMap::new();
    for key in keys {
        let menu: Option<Menu> = match storage.menu(&row.id, &key).await? {
            Some(m) => Some(stored(&m.menu, "menu")?),
            None => None,
        };
        let (rows, _) = storage.zones(&row.id, &key).await?;
        let mut zones: Vec<Zone> = Vec::new();
        for z in rows.iter().filter(|z| z.deleted == 0) {
            zones.push(stored(&z.zone, "zone")?);
        }
        if menu.is_some() || !zones.is_empty() {
            concepts.insert(key, ConceptState { zones, menu });
        }
    }
    intake::restaurant_state(row, place, concepts)
}

/// Just Eat's base URL; without it no delivery state can be staged, which is a deployment
/// fault (503), not a reason to drop the calls.
fn just_eat_base(ctx: &Ctx<'_>) -> Result<String, EdgeError> {
    ctx.config
        .just_eat_api_url
        .clone()
        .ok_or_else(|| EdgeError::Unavailable("JUST_EAT_API_URL is not set".to_owned()))
}

/// One delivery-state call, ready to stage.
fn outgoing(
    base: &str,
    order_id: &str,
    call: &StateCall,
    ctx: &Ctx<'_>,
) -> Result<Outgoing, EdgeError> {
    let url = check_outbound_url(&format!("{base}{}", call.path), &ctx.config.url_policy())
        .map_err(|refusal| {
            EdgeError::Unavailable(format!("JUST_EAT_API_URL is refused: {refusal}"))
        })?;
    Outgoing::new(
        ReceiverKind::JetDeliveryState,
        Some(order_id),
        Method::Put,
        url,
        call.body.to_string(),
        ctx.now.timestamp(),
        None,
    )
}

/// What an Orderconnect order owes Just Eat for its status going from `from` to
/// `reported` (`channels::on_status`). A status passed on without a change owes nothing.
pub async fn on_status(
    storage: &Storage,
    row: &OrderRow,
    from: Status,
    reported: Status,
    ctx: &Ctx<'_>,
) -> Result<Effects, EdgeError> {
    if from == reported {
        return Ok(Effects::default());
    }
    let Some(receipt) = storage.orderconnect_order(&row.id).await? else {
        return Err(EdgeError::Internal(format!(
            "Orderconnect order {} has no receipt row",
            row.id
        )));
    };
    let calls = delivery_state::calls(
        &receipt.id,
        from,
        reported,
        ctx.now,
        &crate::zone::stored(&receipt.utc_offset),
    );
    if calls.is_empty() {
        return Ok(Effects::default());
    }
    let base = just_eat_base(ctx)?;
    let mut effects = Effects::default();
    for call in &calls {
        effects.calls.push(outgoing(&base, &row.id, call, ctx)?);
    }
    Ok(effects)
}

fn order_not_found(id: &str) -> EdgeError {
    EdgeError::NotFound {
        code: "order_not_found",
        summary: format!("order {id:?} is not known"),
    }
}

/// `PUT /admin/orders/{order_id}/driver-location`.
pub async fn put_driver_location(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx.env)?;
    let id = ctx.param("order_id")?.to_owned();
    let bytes = body::read(&mut req, body::DEFAULT_LIMIT).await?;
    let position: DriverLocationRequest = serde_json::from_slice(&bytes).map_err(|e| {
        EdgeError::violations(
            "invalid_request",
            vec![Violation::new(
                "invalid_json",
                None,
                format!("not a driver location: {e}"),
            )],
        )
    })?;
    let storage = Storage::new(ctx.env)?;
    let row = storage
        .order(&id)
        .await?
        .ok_or_else(|| order_not_found(&id))?;
    if Channel::parse(&row.channel) != Some(Channel::Orderconnect) {
        return Err(EdgeError::Conflict {
            code: "not_orderconnect",
            summary: format!(
                "order {id} did not come from Orderconnect: Just Eat has no driver to follow"
            ),
            violations: vec![],
        });
    }
    if row.status != Status::Delivering.code() {
        return Err(EdgeError::Conflict {
            code: "not_delivering",
            summary: format!(
                "order {id} is at status {}; driver positions are relayed at status 20 (delivering)",
                row.status
            ),
            violations: vec![],
        });
    }
    let receipt = storage.orderconnect_order(&id).await?.ok_or_else(|| {
        EdgeError::Internal(format!("Orderconnect order {id} has no receipt row"))
    })?;
    let last = receipt
        .location_sent_at
        .as_deref()
        .map(parse_instant)
        .transpose()?;
    if let LocationDecision::TooSoon { retry_after_secs } =
        delivery_state::location_decision(last, ctx.now)
    {
        return Err(EdgeError::RateLimited {
            code: "rate_limited",
            summary: format!(
                "Just Eat takes a driver position every {} s; the next one for order {id} in {retry_after_secs} s",
                delivery_state::DRIVER_LOCATION_INTERVAL_SECS
            ),
            retry_after_secs,
        });
    }
    let body = delivery_state::driver_location_body(
        &position,
        ctx.now,
        &crate::zone::stored(&receipt.utc_offset),
    )
    .map_err(|v| EdgeError::violations("invalid_location", v))?;
    let call = StateCall {
        state: DeliveryState::DriverLocation,
        path: delivery_state::path(&receipt.id, DeliveryState::DriverLocation),
        body,
    };
    let out = outgoing(&just_eat_base(ctx)?, &id, &call, ctx)?;
    let mut batch = vec![storage.set_location_sent(&id, &millis(ctx.now))?];
    batch.extend(outbox::stage(&storage, &out)?);
    storage.commit(batch).await?;
    outbox::kick(ctx.env, &[&out.delivery.id]).await;
    Ok(respond::json(
        202,
        &json!({"order_id": id, "delivery_id": out.delivery.id, "body": call.body}),
    ))
}
