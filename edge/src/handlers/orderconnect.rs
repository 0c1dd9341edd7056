//! Just Eat orders over Orderconnect (issue 7). Core decides everything
//! (`orderbridge_core::orderconnect`); this module reads, stores and answers.
//!
//! * `PUT /webhooks/orderconnect/orders` (`Authorization: JE-API-KEY <ORDERCONNECT_API_KEY>`):
//!   a `ConnectOrder`, or the array of them Just Eat's current shape sends. Each order is
//!   judged before anything is stored: its key (`OrderId`, else `Id`) accepted before is a
//!   duplicate whatever the body says now; otherwise core's checks, the restaurant whose
//!   `orderconnect_restaurant_id` is `RestaurantInfo.Id`, its item mapping, core's
//!   translation, and the shared intake under the marketplace rules. Any refusal refuses the
//!   whole body (`400`, every problem with its reason code); all duplicates are `409`; else
//!   the new orders (the `orders` rows through the intake, the receipt rows here, each with
//!   the order as Just Eat sent it) are stored in one batch before the `201`.
//! * Status changes of an Orderconnect delivery ([`on_status`], called by `channels` in the
//!   status's batch; a collection owes nothing) stage Just Eat's delivery-state calls (`ReceiverKind::JetDeliveryState`,
//!   signed with `JE-API-KEY` at send time) to `JUST_EAT_API_URL`; the outbox's per-order key
//!   sends them in order.
//! * `PUT /admin/orders/{order_id}/driver` (operator): the courier of a delivery, relayed
//!   as `driverassigned` (the hub never invents one).
//! * `PUT /admin/restaurants/{id}/orderconnect-items` (operator): replaces the restaurant's
//!   item mapping.
//! * `PUT /admin/orders/{order_id}/driver-location` (operator): a driver position relayed to
//!   Just Eat's `driverlocation` while the order is out for delivery (status 20), at most one
//!   per 10 s per order (`429` with `Retry-After` otherwise). Two positions racing within
//!   the same instant may both pass the check; the cadence is Just Eat's wish, not a limit
//!   it enforces, so that is accepted.
//! * `PUT /admin/orders/{order_id}/delivery-state/{state}` (operator or the fleet's app):
//!   `atrestauranteta` and `atrestaurant` before the food leaves (0/10), `atdeliveryaddress`
//!   while delivering (20), each Just Eat's own body relayed in the order's sequence.
//! * `PUT /admin/driver-locations`: an array of positions (`OrderId` = the hub's order id),
//!   every element checked (all refusals at once, nothing sent), relayed as one bulk
//!   `driverlocation` call; keyed to its order when it carries one order, else unordered
//!   (a position is a snapshot, the newest wins at Just Eat).

use std::collections::{BTreeMap, BTreeSet};

use orderbridge_core::catalog::concept_key;
use orderbridge_core::jupiter::{Menu, Place};
use orderbridge_core::order::validate::ValidOrder;
use orderbridge_core::order::{ConceptState, RestaurantState};
use orderbridge_core::orderconnect::answer::{
    self, BodyDecision, DriverCall, DriverTarget, Verdict,
};
use orderbridge_core::orderconnect::delivery_state::{
    self, BulkLocationIn, DeliveryState, DriverAssignedRequest, DriverLocationRequest,
    LocationDecision, StateCall, StateRequest,
};
use orderbridge_core::orderconnect::mapping::{self, MappingDocument};
use orderbridge_core::orderconnect::translate::order_zone;
use orderbridge_core::orderconnect::{
    check_received, duplicate, not_configured, reasons, translate, wire,
};
use orderbridge_core::problem::Violation;
use serde_json::json;
use worker::{Request, Response};

use crate::auth::{require_operator, require_orderconnect};
use crate::body;
use crate::channel::Channel;
use crate::channels::orderconnect::{just_eat_base, outgoing};
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::intake::{self, Source};
use crate::outbox;
use crate::respond;
use crate::site_docs::stored;
use crate::storage::{
    millis, parse_instant, OrderRow, OrderconnectRow, OrderconnectWrite, RestaurantRow, Storage,
};

/// A `ConnectOrder` is a few kilobytes; 256 KiB leaves room for very large baskets.
pub const ORDER_LIMIT: usize = 256 * 1024;

fn duplicate_error(id_field: &str, id: &str, order_id: &str) -> EdgeError {
    let v = duplicate(id_field, id, order_id);
    EdgeError::Conflict {
        code: "duplicate",
        summary: v.message.clone(),
        violations: vec![v],
    }
}

fn refused(violations: Vec<Violation>) -> EdgeError {
    EdgeError::violations("bad_request", violations)
}

/// An order every check accepted, ready to stage.
struct Ready {
    checked: orderbridge_core::orderconnect::CheckedOrder,
    translation: orderbridge_core::orderconnect::Translation,
    valid: ValidOrder,
    offset: String,
    body: String,
}

/// Every check of one `ConnectOrder` (its own rules, the restaurant, the mapping, the
/// catalog); nothing is stored.
async fn judge(
    storage: &Storage,
    ctx: &Ctx<'_>,
    order: &wire::ConnectOrder,
    raw: String,
    seen: &BTreeSet<String>,
) -> Result<Verdict<Box<Ready>>, EdgeError> {
    // The same key again: the same answer, however often and whatever it carries now.
    if let Some((field, id)) = answer::key(order) {
        if let Some(row) = storage
            .order_by_external(Channel::Orderconnect.as_str(), id)
            .await?
        {
            return Ok(Verdict::Duplicate {
                field,
                id: id.to_owned(),
                order_id: row.id,
            });
        }
        if seen.contains(id) {
            return Ok(Verdict::Duplicate {
                field,
                id: id.to_owned(),
                order_id: answer::EARLIER_IN_REQUEST.to_owned(),
            });
        }
    }
    let mut violations = Vec::new();
    let checked = check_received(order, Some(ctx.now))
        .map_err(|v| violations.extend(v))
        .ok();
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
        return Ok(Verdict::Refused(violations));
    };
    let state = restaurant_state(storage, &restaurant).await?;
    let mapping = storage.orderconnect_item_mapping(&restaurant.id).await?;
    let translation = match translate(&checked, &state, &mapping) {
        Ok(t) => t,
        Err(v) => return Ok(Verdict::Refused(v)),
    };
    let rules = Channel::Orderconnect.rules();
    let valid = match intake::check(storage, ctx, &translation.request, rules).await? {
        Ok(valid) => valid.into_owned(),
        Err(found) => return Ok(Verdict::Refused(reasons(&found, &translation))),
    };
    let offset = order_zone(&checked, &state.time_zone);
    Ok(Verdict::Ready(Box::new(Ready {
        checked,
        translation,
        valid,
        offset,
        body: raw,
    })))
}

/// `PUT /webhooks/orderconnect/orders`: seed `001`'s single `ConnectOrder`, or the JSON
/// array the current `PUT /order-requires-delivery-acceptance` sends (the answer for an
/// array is in core's `orderconnect` module doc).
pub async fn put_order(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_orderconnect(&req, ctx.env)?;
    let bytes = body::read(&mut req, ORDER_LIMIT).await?;
    let parsed = wire::parse(&bytes).map_err(refused)?;
    let storage = Storage::of(ctx)?;
    let is_array = matches!(parsed, wire::Body::Many(_));
    // Each order is stored as Just Eat sent it, byte for byte (unknown fields included):
    // the body, or the array's element, split as `parse` split it.
    let raw: Vec<String> = wire::raw_elements(&bytes)
        .into_iter()
        .map(|element| String::from_utf8_lossy(element).into_owned())
        .collect();
    let origin = req.url()?.origin().ascii_serialization();
    let prepared = prepare(&storage, ctx, &parsed, raw, &origin).await?;
    let answers = finish(&storage, ctx, prepared).await?;
    if is_array {
        return Ok(respond::json(201, &json!({ "orders": answers })));
    }
    let first = answers.first();
    let field = |name: &str| first.and_then(|a| a.get(name)).cloned();
    Ok(respond::json(
        201,
        &json!({"order_id": field("order_id"), "number": field("number")}),
    ))
}

/// Orders every check accepted, staged and not yet stored: the batch (a caller may add
/// statements of its own, stored with the orders or not at all), the outbox ids to kick,
/// and one answer per order (`{"OrderId", "status", "order_id", "number"}`).
pub struct Prepared {
    pub batch: Vec<worker::D1PreparedStatement>,
    pub ids: Vec<String>,
    pub answers: Vec<serde_json::Value>,
    /// `(id field, Just Eat id)` of each order to be stored, to tell a concurrent
    /// acceptance apart from a failure.
    keys: Vec<(&'static str, String)>,
}

/// The Orderconnect pipeline up to storing: each order judged (duplicate, its own rules,
/// the restaurant, its mapping, core's translation, the shared intake), then a refusal or
/// a duplicate answered as core's `decide_body` says (`400`/`409`, nothing stored), else
/// every new order staged. `raw` is each order as Just Eat sent it, in order. Other ways
/// Just Eat injects orders (`handlers::je_inject`) convert to a `ConnectOrder` and come
/// through here too.
pub async fn prepare(
    storage: &Storage,
    ctx: &Ctx<'_>,
    parsed: &wire::Body,
    raw: Vec<String>,
    origin: &str,
) -> Result<Prepared, EdgeError> {
    let is_array = matches!(parsed, wire::Body::Many(_));
    let mut verdicts = Vec::new();
    let mut raw = raw;
    raw.reverse();
    let mut seen = BTreeSet::new();
    for order in parsed.orders() {
        let verdict = judge(storage, ctx, order, raw.pop().unwrap_or_default(), &seen).await?;
        if let Some((_, id)) = answer::key(order) {
            seen.insert(id.to_owned());
        }
        verdicts.push(verdict);
    }
    // Refusals first (nothing is stored), then a body accepted before (core's rule).
    match answer::decide_body(&verdicts, is_array) {
        BodyDecision::Refuse(found) => return Err(refused(found)),
        BodyDecision::Duplicate(named) => {
            let summary = named.first().map(|d| d.message.clone()).unwrap_or_default();
            return Err(EdgeError::Conflict {
                code: "duplicate",
                summary,
                violations: named,
            });
        }
        BodyDecision::Stage => {}
    }
    let mut batch = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    let mut answers = Vec::new();
    let mut keys = Vec::new();
    for v in &verdicts {
        match v {
            Verdict::Ready(r) => {
                let staged = intake::stage(
                    storage,
                    ctx,
                    &r.translation.request,
                    &r.valid.borrowed(),
                    &Source {
                        channel: Channel::Orderconnect,
                        external_id: Some(&r.checked.id),
                        status_url: None,
                        origin,
                        contact: r.checked.contact(),
                    },
                )?;
                ids.extend(staged.call_ids());
                batch.extend(staged.statements);
                batch.push(storage.insert_orderconnect_order(&OrderconnectWrite {
                    id: &r.checked.id,
                    order_id: &staged.order_id,
                    restaurant_ref: &r.checked.restaurant_ref,
                    service_type: r.checked.service_type.as_str(),
                    utc_offset: &r.offset,
                    body: &r.body,
                    received_at: &millis(ctx.now),
                })?);
                keys.push((r.checked.id_field, r.checked.id.clone()));
                answers.push(json!({
                    "OrderId": r.checked.id,
                    "status": "accepted",
                    "order_id": staged.order_id,
                    "number": r.translation.request.body.number,
                }));
            }
            Verdict::Duplicate { id, order_id, .. } => answers.push(json!({
                "OrderId": id, "status": "duplicate", "order_id": order_id,
            })),
            Verdict::Refused(_) => {}
        }
    }
    Ok(Prepared {
        batch,
        ids,
        answers,
        keys,
    })
}

/// Stores what [`prepare`] staged in one batch and kicks the outbox; the same key
/// accepted concurrently is answered as a repeat would be (`409`).
pub async fn finish(
    storage: &Storage,
    ctx: &Ctx<'_>,
    prepared: Prepared,
) -> Result<Vec<serde_json::Value>, EdgeError> {
    if let Err(err) = storage.commit(prepared.batch).await {
        for (field, id) in &prepared.keys {
            if let Some(row) = storage
                .order_by_external(Channel::Orderconnect.as_str(), id)
                .await?
            {
                return Err(duplicate_error(field, id, &row.id));
            }
        }
        return Err(err);
    }
    let id_refs: Vec<&str> = prepared.ids.iter().map(String::as_str).collect();
    outbox::kick(ctx.env, &id_refs).await;
    Ok(prepared.answers)
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
        let mut zones = Vec::new();
        for z in rows.into_iter().filter(|z| !z.deleted) {
            zones.push(intake::routable_zone(&row.id, &key, &z.zone_id, z.zone)?);
        }
        if menu.is_some() || !zones.is_empty() {
            concepts.insert(key, ConceptState { zones, menu });
        }
    }
    intake::restaurant_state(row, place, concepts)
}

fn order_not_found(id: &str) -> EdgeError {
    EdgeError::NotFound {
        code: "order_not_found",
        summary: format!("order {id:?} is not known"),
    }
}

/// `PUT /admin/orders/{order_id}/driver-location`.
pub async fn put_driver_location(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let storage = Storage::new(ctx.env)?;
    let (id, position, row): (_, DriverLocationRequest, _) =
        operator_about_orderconnect(&mut req, ctx, &storage, "a driver location").await?;
    let receipt = allowed(DriverCall::Location, &id, &row, &storage).await?;
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
    let body = delivery_state::driver_location_body(&position, ctx.now, &receipt.zone)
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

/// `PUT /admin/orders/{order_id}/delivery-state/{state}`: `atrestaurant`,
/// `atrestauranteta`, `atdeliveryaddress` or `driverunassigned` (core's `delivery_state::state_body`), relayed
/// to Just Eat through the outbox under the order's key. An unknown state is `404`.
pub async fn put_delivery_state(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let storage = Storage::new(ctx.env)?;
    let segment = ctx.param("state")?.to_owned();
    let state = DeliveryState::reported(&segment).ok_or_else(|| EdgeError::NotFound {
        code: "unknown_state",
        summary: format!(
            "no delivery state {segment:?}: atrestaurant, atrestauranteta, atdeliveryaddress or driverunassigned"
        ),
    })?;
    let (id, report, row): (_, StateRequest, _) =
        operator_about_orderconnect(&mut req, ctx, &storage, "a delivery state").await?;
    let call_kind = match state {
        DeliveryState::AtDeliveryAddress => DriverCall::AtDeliveryAddress,
        DeliveryState::DriverUnassigned => DriverCall::Unassigned,
        _ => DriverCall::AtRestaurant,
    };
    let receipt = allowed(call_kind, &id, &row, &storage).await?;
    let body = delivery_state::state_body(state, &report, ctx.now, &receipt.zone)
        .map_err(|v| EdgeError::violations("invalid_delivery_state", v))?;
    let call = StateCall {
        state,
        path: delivery_state::path(&receipt.id, state),
        body,
    };
    let out = outgoing(&just_eat_base(ctx)?, &id, &call, ctx)?;
    storage.commit(outbox::stage(&storage, &out)?).await?;
    outbox::kick(ctx.env, &[&out.delivery.id]).await;
    Ok(respond::json(
        202,
        &json!({"order_id": id, "state": state.segment(), "delivery_id": out.delivery.id, "body": call.body}),
    ))
}

/// `PUT /admin/driver-locations`: positions of several orders at once, relayed as Just
/// Eat's bulk `driverlocation` (FACTS §4.9). Each element is checked as the single relay
/// checks it (order known, Orderconnect, delivering, body valid, not within 10 s of the
/// last); any refusal refuses the whole array, naming every element, and sends nothing.
pub async fn put_driver_locations(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let items: Vec<BulkLocationIn> =
        body::orderconnect_json(&mut req, body::DEFAULT_LIMIT, "driver locations").await?;
    let storage = Storage::new(ctx.env)?;
    let mut problems: Vec<Violation> = Vec::new();
    // Preconditions (unknown order, wrong channel or status, too soon) are 409; a bad
    // body anywhere makes the answer 400, every problem named either way.
    let mut malformed = false;
    if items.is_empty() {
        malformed = true;
        problems.push(Violation::new(
            "missing_field",
            Some("[]"),
            "at least one position is required",
        ));
    }
    let mut elements = Vec::new();
    let mut orders: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = format!("[{i}].OrderId");
        let Some(id) = item
            .order_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        else {
            malformed = true;
            problems.push(Violation::new(
                "missing_field",
                Some(&field),
                "is required: the hub's order id",
            ));
            continue;
        };
        if orders.iter().any(|o| o == id) {
            malformed = true;
            problems.push(Violation::new(
                "duplicate",
                Some(&field),
                format!("order {id} appears twice"),
            ));
            continue;
        }
        orders.push(id.to_owned());
        let Some(row) = storage.order(id).await? else {
            problems.push(Violation::new(
                "not_found",
                Some(&field),
                format!("no order {id}"),
            ));
            continue;
        };
        let receipt = match allowed(DriverCall::Location, id, &row, &storage).await {
            Ok(r) => r,
            Err(EdgeError::Conflict { code, summary, .. }) => {
                problems.push(Violation::new(code, Some(&field), summary));
                continue;
            }
            Err(e) => return Err(e),
        };
        let last = receipt
            .location_sent_at
            .as_deref()
            .map(parse_instant)
            .transpose()?;
        if let LocationDecision::TooSoon { retry_after_secs } =
            delivery_state::location_decision(last, ctx.now)
        {
            problems.push(Violation::new(
                "rate_limited",
                Some(&field),
                format!("the next position for order {id} in {retry_after_secs} s"),
            ));
            continue;
        }
        match delivery_state::driver_location_body(&item.position, ctx.now, &receipt.zone) {
            Ok(b) => elements.push(delivery_state::bulk_element(&receipt.id, b)),
            Err(v) => {
                malformed = true;
                problems.extend(v.into_iter().map(|x| {
                    let f = format!("[{i}].{}", x.field.clone().unwrap_or_default());
                    Violation::new(&x.code, Some(&f), x.message)
                }))
            }
        }
    }
    if malformed {
        return Err(EdgeError::violations("invalid_locations", problems));
    }
    if !problems.is_empty() {
        let summary = match EdgeError::violations("refused", problems.clone()) {
            EdgeError::BadRequest { summary, .. } => summary,
            _ => "refused".to_owned(),
        };
        return Err(EdgeError::Conflict {
            code: "locations_refused",
            summary,
            violations: problems,
        });
    }
    let base = just_eat_base(ctx)?;
    let url = orderbridge_core::outbound::url_guard::check_outbound_url(
        &format!("{base}{}", delivery_state::BULK_LOCATION_PATH),
        &ctx.config.url_policy(),
    )
    .map_err(|refusal| EdgeError::Unavailable(format!("JUST_EAT_API_URL is refused: {refusal}")))?;
    let body = serde_json::Value::Array(elements);
    let key = match orders.as_slice() {
        [one] => Some(one.as_str()),
        _ => None,
    };
    let out = outbox::Outgoing::new(
        orderbridge_core::outbound::plan::ReceiverKind::JetDeliveryState,
        key,
        orderbridge_core::routes::Method::Put,
        url,
        body.to_string(),
        ctx.now.timestamp(),
        None,
    )?;
    let mut batch = Vec::new();
    for id in &orders {
        batch.push(storage.set_location_sent(id, &millis(ctx.now))?);
    }
    batch.extend(outbox::stage(&storage, &out)?);
    storage.commit(batch).await?;
    outbox::kick(ctx.env, &[&out.delivery.id]).await;
    Ok(respond::json(
        202,
        &json!({"orders": orders, "delivery_id": out.delivery.id, "body": body}),
    ))
}

/// `PUT /admin/orders/{order_id}/driver`: the operator names the courier of an
/// Orderconnect delivery (Just Eat's own `driverassigned` body); relayed as
/// `driverassigned` at that moment (core's `delivery_state` module doc).
pub async fn put_driver(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let storage = Storage::new(ctx.env)?;
    let (id, driver, row): (_, DriverAssignedRequest, _) =
        operator_about_orderconnect(&mut req, ctx, &storage, "a driver").await?;
    let receipt = allowed(DriverCall::Assigned, &id, &row, &storage).await?;
    let body = delivery_state::driver_assigned_body(&driver, ctx.now, &receipt.zone)
        .map_err(|v| EdgeError::violations("invalid_driver", v))?;
    let call = StateCall {
        state: DeliveryState::DriverAssigned,
        path: delivery_state::path(&receipt.id, DeliveryState::DriverAssigned),
        body,
    };
    let out = outgoing(&just_eat_base(ctx)?, &id, &call, ctx)?;
    storage.commit(outbox::stage(&storage, &out)?).await?;
    outbox::kick(ctx.env, &[&out.delivery.id]).await;
    Ok(respond::json(
        202,
        &json!({"order_id": id, "delivery_id": out.delivery.id, "body": call.body}),
    ))
}

/// `PUT /admin/restaurants/{id}/orderconnect-items`: replaces the restaurant's Orderconnect
/// item mapping (`{"items": [{"kind", "just_eat_id", "item_id"}]}`; core's
/// `orderconnect::mapping`) and answers it as stored.
pub async fn put_item_mapping(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let id = ctx.param("id")?.to_owned();
    let doc: MappingDocument =
        body::orderconnect_json(&mut req, body::DEFAULT_LIMIT, "an item mapping").await?;
    let mapping =
        mapping::validate(&doc).map_err(|v| EdgeError::violations("invalid_mapping", v))?;
    let storage = Storage::new(ctx.env)?;
    crate::site_docs::known_row(&storage, &id).await?;
    let batch = storage.replace_orderconnect_item_mapping(&id, &mapping, &millis(ctx.now))?;
    storage.commit(batch).await?;
    Ok(respond::json(
        200,
        &json!({"restaurant_id": id, "items": mapping.entries()}),
    ))
}

/// What both driver endpoints start with: the operator's key, the body read as `T` (`what`
/// names it in the 400), and the order, which must exist (404).
async fn operator_about_orderconnect<T: serde::de::DeserializeOwned>(
    req: &mut Request,
    ctx: &Ctx<'_>,
    storage: &Storage,
    what: &str,
) -> Result<(String, T, OrderRow), EdgeError> {
    require_operator(req, ctx).await?;
    let id = ctx.param("order_id")?.to_owned();
    let parsed: T = body::orderconnect_json(req, body::DEFAULT_LIMIT, what).await?;
    let row = storage
        .order(&id)
        .await?
        .ok_or_else(|| order_not_found(&id))?;
    Ok((id, parsed, row))
}

/// Core's preconditions of a driver call (`409` naming why), then the order's Orderconnect
/// receipt, which every order from Orderconnect has.
async fn allowed(
    call: DriverCall,
    id: &str,
    row: &OrderRow,
    storage: &Storage,
) -> Result<OrderconnectRow, EdgeError> {
    let from_orderconnect = row.channel == Channel::Orderconnect;
    let receipt = match from_orderconnect {
        true => storage.orderconnect_order(id).await?,
        false => None,
    };
    let target = DriverTarget {
        id,
        from_orderconnect,
        status: row.status,
        service_type: receipt.as_ref().map(|r| r.service_type.as_str()),
    };
    answer::driver_call_allowed(call, &target).map_err(|refusal| EdgeError::Conflict {
        code: refusal.code,
        summary: refusal.message,
        violations: vec![],
    })?;
    receipt
        .ok_or_else(|| EdgeError::Internal(format!("Orderconnect order {id} has no receipt row")))
}
