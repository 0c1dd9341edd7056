//! The operator console's reads and actions (issue 19, CONSOLE5.md section 2), besides
//! `GET /admin/orders` (`handlers::orders`):
//!
//! * `GET /admin/restaurants`: every restaurant with its online state, pause reason,
//!   concepts and service hours (local), ordered by id;
//! * `PUT /admin/restaurants/{id}/pause {"reason", "until"}` and `DELETE …/pause`: JET
//!   Connect's `/offline` and `/online` (`jet_catalog::set_availability`: stored, relayed
//!   when the relay is on) with the reason stored or cleared; core's `console::pause`
//!   checks the reason and the local `until`.

use orderbridge_core::catalog::{is_online, local_to_utc};
use orderbridge_core::console;
use orderbridge_core::domain::RestaurantId;
use serde::Deserialize;
use serde_json::{json, Value};
use worker::{Request, Response};

use super::jet_catalog::{set_availability, Availability};
use crate::auth::require_operator;
use crate::body::{self, DEFAULT_LIMIT};
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::respond;
use crate::site_docs::Restaurant;
use crate::storage::Storage;

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
    require_operator(req, ctx.env)?;
    let storage = Storage::new(ctx.env)?;
    let rows = storage.restaurants().await?;
    let reasons = storage.pause_reasons().await?;
    let times = storage.all_service_times().await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let id = row.id.clone();
        let restaurant = Restaurant::read(row)?;
        let reason = reasons
            .iter()
            .find(|r| r.id == id)
            .and_then(|r| r.pause_reason.as_deref());
        let service_times = times
            .iter()
            .find(|t| t.restaurant_id == id)
            .and_then(|t| serde_json::from_str(&t.body).ok());
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
    require_operator(&req, ctx.env)?;
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
    require_operator(req, ctx.env)?;
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
