//! The JET Connect catalog write side (`X-Flyt-Api-Key`, base `/jet-connect`), in the
//! partner API's shapes: `202 {"success":true}`, or `{"success":false,"error_message"}`
//! naming every violation.
//!
//! * `POST /menus`: each menu becomes the current menu of its concept (`reference`, `""` =
//!   default) and type (`DELIVERY`/`COLLECTION`, both kept) at every listed restaurant;
//!   `out_of_stock` items go on the stop list; after the 202, one callback per restaurant
//!   goes to `callback_url`. A request stores every menu it carries or none (validation
//!   refuses two menus of one reference and type), so the callback's success is true.
//! * `POST /item-availability`: the stop list, per PLU, ignoring events older than the
//!   last one applied.
//! * `PUT /restaurants/{restaurant}/offline|online|servicetimes`: stored for order creation.
//!
//! Unknown restaurants: `403 Restaurant not registered` for menus and availability, `404`
//! for the restaurant routes (FACTS §2.8, §7).

use orderbridge_core::catalog::local_to_utc;
use orderbridge_core::catalog_callback::check_menu_callback;
use orderbridge_core::domain::{Plu, RestaurantId};
use orderbridge_core::jet::to_jupiter::{MenuIngest, MenuRefusal};
use orderbridge_core::jet::validate::{
    validate_item_availability, validate_offline, validate_service_times, AvailabilityEvent,
    ValidItemAvailability,
};
use orderbridge_core::jet::wire::{
    parse_item_availability, parse_offline, parse_service_times, MenuCallback,
};
use orderbridge_core::outbound::plan::ReceiverKind;
use orderbridge_core::outbound::url_guard::check_outbound_url;
use orderbridge_core::routes::Method;
use orderbridge_core::stop_list::apply_availability;
use serde_json::json;
use worker::{Request, Response};

use crate::auth::require_operator;
use crate::body::{self, unreadable, DEFAULT_LIMIT, MENU_LIMIT};
use crate::cache::ReadCache;
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::outbox::{self, Outgoing};
use crate::site_docs::{among, changed_records, entries, within_stored_limit, Restaurant};
use crate::storage::{millis, AvailabilityWrite, IngestionWrite, MenuWrite, Storage};
use crate::{random, relay, respond};
use orderbridge_core::outbound::url_guard::encode_component as path_segment;

fn accepted() -> Response {
    respond::json(202, &json!({"success": true}))
}

/// `403` naming every restaurant the hub does not know.
fn not_registered(unknown: &[&str]) -> EdgeError {
    EdgeError::Forbidden {
        code: "restaurant_not_registered",
        summary: format!("Restaurant not registered: {}", unknown.join(", ")),
    }
}

/// `POST /jet-connect/menus`.
pub async fn post_menus(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let bytes = body::read(&mut req, MENU_LIMIT).await?;
    // Everything pure between the bytes and the statements is core's `MenuIngest` (what
    // the `menu` benchmark times); this handler reads the restaurants and binds the rows.
    let ingest = MenuIngest::from_body(&bytes).map_err(|refusal| match refusal {
        MenuRefusal::Unreadable(v) => unreadable(v),
        MenuRefusal::Invalid(v) => EdgeError::violations("invalid_menus", v),
    })?;
    let callback_url = check_outbound_url(ingest.callback_url(), &ctx.config.url_policy())
        .map_err(|refusal| {
            EdgeError::violations(
                "invalid_callback_url",
                vec![refusal.to_violation("callback_url")],
            )
        })?;

    let ids: Vec<&str> = ingest
        .restaurants()
        .iter()
        .map(RestaurantId::as_str)
        .collect();
    let storage = Storage::new(ctx.env)?;
    let (rows, unknown) = among(&storage, &ids).await?;
    if !unknown.is_empty() {
        return Err(not_registered(&unknown));
    }

    let keys = ingest.keys();
    let stopped = ingest.stopped();
    let now = millis(ctx.now);
    let mut menus = Vec::new();
    let mut availability = Vec::new();
    let mut stop_lists_changed = Vec::new();
    // The stored JSON of each chosen menu depends on the restaurant only through its
    // `lastChange` stamp (the ingestion time at the restaurant's offset), so restaurants
    // that share an offset share the text: written once per offset, not per restaurant.
    let mut stored: Vec<(String, Vec<std::rc::Rc<str>>)> = Vec::new();
    for row in rows {
        let restaurant = Restaurant::read(row)?;
        let id = restaurant.row.id.clone();
        let shown_now = restaurant.show_instant(ctx.now);
        if !stored.iter().any(|(at, _)| *at == shown_now) {
            let texts = ingest
                .texts_at(&shown_now)
                .into_iter()
                .enumerate()
                .map(|(i, text)| {
                    within_stored_limit(text, &format!("menus[{i}]")).map(std::rc::Rc::from)
                })
                .collect::<Result<Vec<_>, EdgeError>>()?;
            stored.push((shown_now.clone(), texts));
        }
        let Some((_, texts)) = stored.iter().find(|(at, _)| *at == shown_now) else {
            return Err(EdgeError::Internal(
                "a menu text just serialised is missing".into(),
            ));
        };
        for ((concept, service), text) in keys.iter().zip(texts) {
            menus.push(MenuWrite {
                restaurant_id: id.clone(),
                concept_id: (*concept).to_owned(),
                service,
                menu: text.clone(),
                last_change: now.clone(),
            });
        }
        if !stopped.is_empty() {
            let (records, changed) = stop(ctx, &storage, &id, stopped).await?;
            availability.extend(records);
            if changed {
                stop_lists_changed.push((id, now.clone()));
            }
        }
    }
    let concepts = ingest.concepts();
    let relay_token = if ctx.config.jet_relay {
        Some(random::id("tok_")?)
    } else {
        None
    };
    let ingestion = IngestionWrite {
        id: random::id("")?,
        received_at: now.clone(),
        callback_url: callback_url.as_str().to_owned(),
        restaurants: serde_json::to_string(&ids).unwrap_or_default(),
        concepts: serde_json::to_string(&concepts).unwrap_or_default(),
        relay_token: relay_token.clone(),
    };
    // One callback per restaurant (FACTS §2.9), through the outbox: staged in the batch that
    // stores the menus, so an accepted ingestion always has its callbacks, retried until
    // delivered and visible in /admin/deliveries.
    let callbacks = ids
        .iter()
        .map(|id| {
            let body = serde_json::to_string(&MenuCallback::succeeded(id))
                .map_err(|err| EdgeError::Internal(format!("menu callback body: {err}")))?;
            Outgoing::new(
                ReceiverKind::MenuCallback,
                None,
                Method::Post,
                callback_url.clone(),
                body,
                ctx.now.timestamp(),
                None,
            )
        })
        .collect::<Result<Vec<_>, EdgeError>>()?;
    let mut callbacks = callbacks;
    if let Some(token) = &relay_token {
        let origin = req.url()?.origin().ascii_serialization();
        callbacks.extend(relay::menus(ctx, &bytes, &origin, token)?);
    }
    let mut staged = Vec::new();
    for callback in &callbacks {
        staged.extend(outbox::stage(&storage, callback)?);
    }
    storage
        .put_menus(
            &menus,
            &availability,
            &stop_lists_changed,
            Some(&ingestion),
            staged,
        )
        .await?;
    ReadCache::new(ctx.env).invalidate(&ids, ctx.now).await;
    let delivery_ids: Vec<&str> = callbacks.iter().map(|c| c.delivery.id.as_str()).collect();
    outbox::kick(ctx.env, &delivery_ids).await;
    Ok(accepted())
}

/// The records that putting `plus` on a restaurant's stop list now changes, and whether
/// the stop list itself changed.
async fn stop(
    ctx: &Ctx<'_>,
    storage: &Storage,
    restaurant_id: &str,
    plus: &[String],
) -> Result<(Vec<AvailabilityWrite>, bool), EdgeError> {
    let event = ValidItemAvailability {
        event: AvailabilityEvent::Unavailable,
        plus: plus
            .iter()
            .filter_map(|p| Plu::parse(p, "plu").ok())
            .collect(),
        restaurant: RestaurantId::parse(restaurant_id, "restaurant")
            .map_err(|v| EdgeError::Internal(format!("stored restaurant id: {}", v.message)))?,
        happened_at: None,
        next_available_at: None,
    };
    apply(ctx, storage, &event).await
}

/// Applies one availability event to the stored records (core decides), returning what to
/// store.
async fn apply(
    ctx: &Ctx<'_>,
    storage: &Storage,
    event: &ValidItemAvailability,
) -> Result<(Vec<AvailabilityWrite>, bool), EdgeError> {
    let restaurant_id = event.restaurant.as_str();
    let plus: Vec<&str> = event.plus.iter().map(Plu::as_str).collect();
    let before = entries(&storage.availability_of(restaurant_id, &plus).await?);
    let applied = apply_availability(&before, event, ctx.now.fixed_offset());
    if !applied.ignored.is_empty() {
        worker::console_log!(
            "availability for {restaurant_id}: ignored older events for {}",
            applied.ignored.join(", ")
        );
    }
    let records = changed_records(restaurant_id, &before, &applied.entries);
    Ok((records, applied.stop_list_changed))
}

/// `POST /jet-connect/item-availability`.
pub async fn post_item_availability(
    mut req: Request,
    ctx: &Ctx<'_>,
) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let bytes = body::read(&mut req, DEFAULT_LIMIT).await?;
    let request = parse_item_availability(&bytes).map_err(unreadable)?;
    let event = validate_item_availability(&request)
        .map_err(|v| EdgeError::violations("invalid_item_availability", v))?;
    let id = event.restaurant.as_str();
    let storage = Storage::new(ctx.env)?;
    if storage.restaurant(id).await?.is_none() {
        return Err(not_registered(&[id]));
    }
    let (records, stop_list_changed) = apply(ctx, &storage, &event).await?;
    if records.is_empty() {
        return Ok(accepted());
    }
    let changed = if stop_list_changed {
        vec![(id.to_owned(), millis(ctx.now))]
    } else {
        Vec::new()
    };
    let relayed = relay::call(
        ctx,
        Method::Post,
        "item-availability",
        id,
        String::from_utf8_lossy(&bytes).into_owned(),
    )?;
    storage
        .put_availability(&records, &changed, staged(&storage, &relayed)?)
        .await?;
    ReadCache::new(ctx.env).invalidate(&[id], ctx.now).await;
    kick(ctx, &relayed).await;
    Ok(accepted())
}

/// The restaurant of a `/restaurants/{restaurant}/…` route (404 if unknown).
async fn path_restaurant(ctx: &Ctx<'_>, storage: &Storage) -> Result<Restaurant, EdgeError> {
    let id = RestaurantId::parse(ctx.param("restaurant")?, "restaurantReference")
        .map_err(|v| EdgeError::violations("invalid_parameter", vec![v]))?;
    Restaurant::known(storage, id.as_str()).await
}

/// `PUT /jet-connect/restaurants/{restaurant}/offline`: not taking orders, until
/// `onlineAt` (local restaurant time) if given, else until `/online`.
pub async fn put_offline(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let bytes = body::read(&mut req, DEFAULT_LIMIT).await?;
    let request = parse_offline(&bytes).map_err(unreadable)?;
    let online_at =
        validate_offline(&request).map_err(|v| EdgeError::violations("invalid_offline", v))?;
    let storage = Storage::new(ctx.env)?;
    let restaurant = path_restaurant(ctx, &storage).await?;
    let until = match online_at {
        Some(local) => Some(local_to_utc(local, &restaurant.zone).ok_or_else(|| {
            EdgeError::invalid(
                "invalid_datetime",
                "onlineAt",
                "is not a time in the restaurant's time zone",
            )
        })?),
        None => None,
    };
    let body = String::from_utf8_lossy(&bytes).into_owned();
    set_availability(
        ctx,
        &storage,
        &restaurant.row.id,
        Availability::Offline { until, body },
        None,
    )
    .await?;
    Ok(accepted())
}

/// `PUT /jet-connect/restaurants/{restaurant}/online` (no body).
pub async fn put_online(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
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

/// What [`set_availability`] makes of a restaurant.
pub(super) enum Availability {
    /// Not taking orders until `until` (else until put online); `body` is JET Connect's
    /// `/offline` request as relayed.
    Offline {
        until: Option<chrono::DateTime<chrono::Utc>>,
        body: String,
    },
    Online,
}

/// Takes restaurant `id` offline or online: stored (with the console's pause reason, or
/// none) and relayed to JET Connect when the relay is on, in one batch, then sent. The one
/// way `/offline`, `/online` and the console's pause change a restaurant's state.
pub(super) async fn set_availability(
    ctx: &Ctx<'_>,
    storage: &Storage,
    id: &str,
    availability: Availability,
    reason: Option<&str>,
) -> Result<(), EdgeError> {
    let (online, until, path, body) = match availability {
        Availability::Offline { until, body } => (false, until, "offline", body),
        Availability::Online => (true, None, "online", String::new()),
    };
    let relayed = relay::call(
        ctx,
        Method::Put,
        &format!("restaurants/{}/{path}", path_segment(id)),
        id,
        body,
    )?;
    let mut also = vec![storage.pause_reason(id, reason)?];
    also.extend(staged(storage, &relayed)?);
    storage
        .set_online(
            id,
            online,
            until.map(millis).as_deref(),
            &millis(ctx.now),
            also,
        )
        .await?;
    kick(ctx, &relayed).await;
    Ok(())
}

/// `PUT /jet-connect/restaurants/{restaurant}/servicetimes`: replaces the opening hours,
/// and the restaurant's time zone becomes the request's `timezone` (checked with the
/// runtime's `Intl`; an unknown zone refuses the request).
pub async fn put_service_times(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let bytes = body::read(&mut req, DEFAULT_LIMIT).await?;
    let request = parse_service_times(&bytes).map_err(unreadable)?;
    let mut valid = validate_service_times(&request)
        .map_err(|v| EdgeError::violations("invalid_service_times", v))?;
    valid.timezone = crate::zone::check_name(&valid.timezone, "timezone")
        .map_err(|v| EdgeError::violations("invalid_service_times", vec![v]))?;
    let storage = Storage::new(ctx.env)?;
    let restaurant = path_restaurant(ctx, &storage).await?;
    let body = String::from_utf8_lossy(&bytes);
    let id = &restaurant.row.id;
    let relayed = relay::call(
        ctx,
        Method::Put,
        &format!("restaurants/{}/servicetimes", path_segment(id)),
        id,
        body.clone().into_owned(),
    )?;
    storage
        .put_service_times(
            id,
            &valid.timezone,
            &body,
            &millis(ctx.now),
            [
                vec![storage.set_timezone(id, &valid.timezone, false)?],
                staged(&storage, &relayed)?,
            ]
            .concat(),
        )
        .await?;
    // The zone shows in `/restaurants` and in every `lastChange`.
    ReadCache::new(ctx.env).invalidate(&[id], ctx.now).await;
    kick(ctx, &relayed).await;
    Ok(accepted())
}

/// The statements that stage a relay, if there is one.
fn staged(
    storage: &Storage,
    relayed: &Option<Outgoing>,
) -> Result<Vec<worker::D1PreparedStatement>, EdgeError> {
    match relayed {
        Some(call) => outbox::stage(storage, call),
        None => Ok(Vec::new()),
    }
}

/// Sends a committed relay now.
async fn kick(ctx: &Ctx<'_>, relayed: &Option<Outgoing>) {
    if let Some(call) = relayed {
        outbox::kick(ctx.env, &[&call.delivery.id]).await;
    }
}

/// `POST /webhooks/jet/menu-callback?token=`: JET Connect's verdict on a menu the hub
/// relayed (FACTS §2.9), one call per restaurant. The token names the ingestion; the body
/// is checked and recorded as received, and answered `200`. The hub's own callback to the
/// POS already said whether the hub stored the menu; JET Connect's verdict is shown at
/// `GET /admin/jet/menu-callbacks`.
pub async fn menu_callback(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let query = crate::query::Query::of(&req)?;
    let token = query.get("token").unwrap_or_default().to_owned();
    let bytes = body::read(&mut req, DEFAULT_LIMIT).await?;
    let storage = Storage::new(ctx.env)?;
    let Some(ingestion) = storage.ingestion_of_relay_token(&token).await? else {
        return Err(EdgeError::Unauthorized(
            "missing or unknown token: not a menu the hub relayed".to_owned(),
        ));
    };
    let callback: orderbridge_core::jet::wire::MenuCallback =
        orderbridge_core::jet::wire::parse_body(&bytes).map_err(unreadable)?;
    check_menu_callback(&callback)
        .map_err(|v| EdgeError::violations("invalid_callback", vec![v]))?;
    storage
        .record_menu_callback(
            &ingestion,
            &String::from_utf8_lossy(&bytes),
            &millis(ctx.now),
        )
        .await?;
    if !callback.ingestion_succeeded {
        worker::console_warn!(
            "JET Connect refused the relayed menu of {} (ingestion {ingestion}): {:?}",
            callback.restaurant,
            callback.error
        );
    }
    Ok(respond::json(200, &json!({})))
}

/// `GET /admin/jet/menu-callbacks`: the latest 100, oldest first.
pub async fn menu_callbacks(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let rows = Storage::new(ctx.env)?.menu_callbacks().await?;
    let list: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|r| {
            json!({
                "ingestion_id": r.ingestion_id,
                "received_at": r.received_at,
                "callback": serde_json::from_str::<serde_json::Value>(&r.body)
                    .unwrap_or(serde_json::Value::Null),
            })
        })
        .collect();
    Ok(respond::json(200, &json!({ "callbacks": list })))
}
