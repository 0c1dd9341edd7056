//! The operator console's reads and actions (issue 19, CONSOLE5.md section 2), besides
//! `GET /admin/orders` (`handlers::orders`):
//!
//! * `GET /admin/restaurants`: every restaurant with its online state, pause reason,
//!   concepts and service hours (local), ordered by id;
//! * `PUT /admin/restaurants/{id}/pause {"reason", "until"}` and `DELETE …/pause`: JET
//!   Connect's `/offline` and `/online` (`jet_catalog::set_availability`: stored, relayed
//!   when the relay is on) with the reason stored or cleared; core's `console::pause`
//!   checks the reason and the local `until`;
//! * `GET /admin/attention?restaurant_id=`: failures first — dead deliveries, orders that
//!   need attention, Just Eat queries waiting, unreconciled backup-flow orders;
//! * `GET /admin/stats?window=24h|7d&restaurant_id=`: core's `console::stats` over the
//!   window's orders counted by hour and channel and its callback attempt durations.

use std::collections::BTreeMap;

use orderbridge_core::catalog::{is_online, local_to_utc};
use orderbridge_core::console;
use orderbridge_core::domain::RestaurantId;
use orderbridge_core::problem::Violation;
use serde::Deserialize;
use serde_json::{json, Value};
use worker::{Request, Response};

use super::jet_catalog::{set_availability, Availability};
use super::orders::listed_view;
use crate::auth::require_operator;
use crate::body::{self, DEFAULT_LIMIT};
use crate::clock;
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::query::Query;
use crate::respond;
use crate::site_docs::Restaurant;
use crate::storage::{millis, Storage};

/// A restaurant as the console lists it; `pause_reason` only while it is not online.
fn restaurant_view(
    restaurant: &Restaurant,
    pause_reason: Option<&str>,
    service_times: Option<Value>,
    ctx: &Ctx<'_>,
) -> Value {
    let row = &restaurant.row;
    let online = is_online(row.online, row.offline_until, ctx.now);
    let concepts: Vec<Value> = restaurant
        .place
        .concepts
        .iter()
        .flatten()
        .map(|c| json!({"id": c.id, "name": c.name}))
        .collect();
    json!({
        "id": row.id,
        "name": restaurant.place.name,
        "time_zone": restaurant.zone.name().map_or_else(|| row.utc_offset.to_string(), str::to_owned),
        "online": online,
        "offline_until": if online { None } else { row.offline_until.map(|t| restaurant.show_instant(t)) },
        "pause_reason": if online { None } else { pause_reason },
        "concepts": concepts,
        "service_hours": {
            "start_time": restaurant.place.start_time,
            "end_time": restaurant.place.end_time,
            "service_times": service_times,
        },
    })
}

/// `GET /admin/restaurants`.
pub async fn list_restaurants(req: &Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(req, ctx).await?;
    let storage = Storage::new(ctx.env)?;
    let rows = storage.restaurants().await?;
    // By restaurant id, so the list costs one lookup per restaurant, not a scan.
    let reasons: BTreeMap<String, String> = storage
        .pause_reasons()
        .await?
        .into_iter()
        .filter_map(|r| Some((r.id, r.pause_reason?)))
        .collect();
    let times: BTreeMap<String, String> = storage
        .all_service_times()
        .await?
        .into_iter()
        .map(|t| (t.restaurant_id, t.body))
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let id = row.id.clone();
        let restaurant = Restaurant::read(row)?;
        let reason = reasons.get(&id).map(String::as_str);
        let service_times = times
            .get(&id)
            .and_then(|body| serde_json::from_str(body).ok());
        out.push(restaurant_view(&restaurant, reason, service_times, ctx));
    }
    Ok(respond::json(200, &json!({ "restaurants": out })))
}

/// The restaurant of the path's `{id}`, or `404`.
async fn path_restaurant(ctx: &Ctx<'_>, storage: &Storage) -> Result<Restaurant, EdgeError> {
    let id = RestaurantId::parse(ctx.param("id")?, "id")
        .map_err(|v| EdgeError::violations("invalid_parameter", vec![v]))?;
    Restaurant::known(storage, id.as_str()).await
}

#[derive(Deserialize)]
struct PauseBody {
    reason: Option<String>,
    until: Option<String>,
}

/// `PUT /admin/restaurants/{id}/pause`.
pub async fn pause(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let body: PauseBody = body::json(&mut req, DEFAULT_LIMIT).await?;
    let storage = Storage::new(ctx.env)?;
    let restaurant = path_restaurant(ctx, &storage).await?;
    let local_now = restaurant.zone.to_local(ctx.now);
    let (reason, until) = console::pause(body.reason.as_deref(), body.until.as_deref(), local_now)
        .map_err(|v| EdgeError::violations("invalid_pause", v))?;
    let (until, relayed) = match until {
        Some(local) => {
            let utc = local_to_utc(local, &restaurant.zone).ok_or_else(|| {
                EdgeError::invalid(
                    "invalid_until",
                    "until",
                    "is not a time in the restaurant's time zone",
                )
            })?;
            let at = local.format("%Y-%m-%dT%H:%M:%S").to_string();
            (Some(utc), json!({ "onlineAt": at }))
        }
        None => (None, json!({})),
    };
    let availability = Availability::Offline {
        until,
        body: relayed.to_string(),
    };
    set_availability(
        ctx,
        &storage,
        &restaurant.row.id,
        availability,
        Some(&reason),
    )
    .await?;
    Ok(accepted())
}

/// `DELETE /admin/restaurants/{id}/pause`.
pub async fn resume(req: &Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(req, ctx).await?;
    let storage = Storage::new(ctx.env)?;
    let restaurant = path_restaurant(ctx, &storage).await?;
    set_availability(
        ctx,
        &storage,
        &restaurant.row.id,
        Availability::Online,
        None,
    )
    .await?;
    Ok(accepted())
}

fn accepted() -> Response {
    respond::json(202, &json!({"success": true}))
}

/// The optional `restaurant_id` filter of the attention and stats reads.
fn restaurant_filter(query: &Query, out: &mut Vec<Violation>) -> Option<String> {
    let raw = query.get("restaurant_id")?;
    RestaurantId::parse(raw, "restaurant_id")
        .map(|id| id.as_str().to_owned())
        .map_err(|v| out.push(v))
        .ok()
}

/// `GET /admin/attention`.
pub async fn attention(req: &Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(req, ctx).await?;
    let query = Query::of(req)?;
    let mut violations = Vec::new();
    let restaurant = restaurant_filter(&query, &mut violations);
    if !violations.is_empty() {
        return Err(EdgeError::violations("invalid_parameter", violations));
    }
    let storage = Storage::new(ctx.env)?;
    let dead: Vec<Value> = storage
        .dead_deliveries(restaurant.as_deref())
        .await?
        .into_iter()
        .map(|d| {
            json!({
                "id": d.id,
                "order_id": d.order_id,
                "receiver": d.receiver,
                "url": d.url,
                "attempts": d.attempts,
                "last_error": d.last_error,
                "updated_at": clock::rfc3339_secs(d.updated_at),
            })
        })
        .collect();
    let filter = console::OrderFilter {
        restaurant_id: restaurant.clone(),
        channel: None,
        external_id: None,
        status: None,
        from: None,
        to: None,
        attention: true,
        q: None,
        limit: console::LIST_MAX,
        cursor: None,
    };
    let rows = storage.order_page(&filter).await?;
    let (shown, _) = console::page(rows.len(), filter.limit);
    let orders: Vec<Value> = rows.iter().take(shown).map(listed_view).collect();
    let waiting: Vec<Value> = storage
        .waiting_queries(restaurant.as_deref())
        .await?
        .into_iter()
        .map(|q| json!({"id": q.id, "kind": q.kind, "order_id": q.order_id, "received_at": q.received_at}))
        .collect();
    let location = match &restaurant {
        Some(id) => match storage.restaurant(id).await? {
            Some(row) => Some(row.jet_location_id),
            None => Some(None),
        },
        None => None,
    };
    let backup: Vec<Value> = storage
        .backup_orders()
        .await?
        .into_iter()
        .filter(|b| b.reconciled_order_id.is_none())
        .filter(|b| match &location {
            None => true,
            Some(location) => location.is_some() && b.jet_restaurant == *location,
        })
        .map(|b| {
            json!({
                "id": b.id,
                "orderId": b.jet_order_id,
                "friendlyOrderReference": b.reference,
                "restaurant": b.jet_restaurant,
                "reason": b.reason,
                "received_at": b.received_at,
            })
        })
        .collect();
    Ok(respond::json(
        200,
        &json!({
            "dead_deliveries": dead,
            "orders": orders,
            "queries_waiting": waiting,
            "backup_flow": backup,
        }),
    ))
}

/// `GET /admin/stats`.
pub async fn stats(req: &Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(req, ctx).await?;
    let query = Query::of(req)?;
    let mut violations = Vec::new();
    let window = console::Window::parse(query.get("window")).unwrap_or_else(|v| {
        violations.push(v);
        console::Window::Day
    });
    let restaurant = restaurant_filter(&query, &mut violations);
    if !violations.is_empty() {
        return Err(EdgeError::violations("invalid_parameter", violations));
    }
    let (from, to) = window.bounds(ctx.now);
    let storage = Storage::new(ctx.env)?;
    let counts: Vec<console::HourCount> = storage
        .hour_counts(&millis(from), &millis(to), restaurant.as_deref())
        .await?
        .into_iter()
        .map(|r| console::HourCount {
            hour: r.hour,
            channel: r.channel,
            failed: r.failed != 0,
            count: r.count,
        })
        .collect();
    let latencies = storage
        .latencies(
            from.timestamp_millis(),
            to.timestamp_millis(),
            &console::LATENCY_RECEIVERS,
            restaurant.as_deref(),
        )
        .await?;
    let stats = console::stats(window, ctx.now, &counts, &latencies);
    Ok(respond::json(200, &stats))
}
