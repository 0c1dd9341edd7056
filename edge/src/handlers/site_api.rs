//! The Jupiter site API read side, public: `GET /site-api/restaurants`, `/delivery_zones`,
//! `/menu`, `/stop_list`, in the seed's shapes.
//!
//! Every read goes through the KV read cache (`cache.rs`): a hit answers without D1. The
//! body carries a strong `ETag`; a request whose `If-None-Match` holds it gets `304`.
//! `X-Orderbridge-Cache: hit|miss` says where the body came from.

use std::collections::BTreeMap;
use std::future::Future;

use chrono::{DateTime, Utc};
use orderbridge_core::catalog::{requested_concept, served_concept};
use orderbridge_core::http_cache::{etag, not_modified};
use orderbridge_core::jet::to_jupiter::{service_for_delivery_method, service_key};
use orderbridge_core::jupiter::{
    DeletedZone, DeliveryZonesResponse, Menu, MenuResponse, Place, RestaurantsResponse,
    StopListResponse, Zone,
};
use orderbridge_core::stop_list::{
    changed_after, effective_last_change, jupiter_stop_list, next_change,
};
use worker::{Request, Response};

use crate::cache::{Entry, ReadCache, Scope};
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::query::Query;
use crate::respond;
use crate::site_docs::{entries, stored, Restaurant};
use crate::storage::{parse_instant, Storage};

/// `GET /site-api/restaurants[?restaurant_id=]`.
pub async fn restaurants(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let query = Query::of(&req)?;
    let id = query.id("restaurant_id")?;
    let served = match id.as_deref() {
        Some(id) => {
            let build = async { json_body(&restaurants_doc(ctx, Some(id)).await?) };
            cached(ctx, Scope::Restaurant(id), &["restaurants", id], build).await?
        }
        None => {
            let build = async { json_body(&restaurants_doc(ctx, None).await?) };
            cached(ctx, Scope::All, &["restaurants"], build).await?
        }
    };
    Ok(conditional(&req, served))
}

/// `GET /site-api/delivery_zones?restaurant_id=[&concept_id=]`.
pub async fn delivery_zones(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let query = Query::of(&req)?;
    let id = query.required_id("restaurant_id")?;
    let concept = query.concept();
    let concept_part = concept.as_deref().unwrap_or("");
    let build = async { json_body(&zones_doc(ctx, &id, concept.as_deref()).await?) };
    let parts = ["delivery_zones", id.as_str(), concept_part];
    let served = cached(ctx, Scope::Restaurant(&id), &parts, build).await?;
    Ok(conditional(&req, served))
}

/// `GET /site-api/menu?restaurant_id=[&concept_id=][&delivery_method=courier|pickup]`.
/// `delivery_method` is the hub's extension: a concept may have a DELIVERY and a
/// COLLECTION menu (JET Connect), and Jupiter's `/menu` has no parameter to choose; without
/// it the DELIVERY menu is served ([`service_for_delivery_method`]).
pub async fn menu(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let query = Query::of(&req)?;
    let id = query.required_id("restaurant_id")?;
    let concept = query.concept();
    let concept_part = concept.as_deref().unwrap_or("");
    let service = service_for_delivery_method(query.get("delivery_method"))
        .map(|t| service_key(Some(t)))
        .map_err(|v| EdgeError::violations("invalid_parameter", vec![v]))?;
    let build = async { json_body(&menu_doc(ctx, &id, concept.as_deref(), service).await?) };
    let parts = ["menu", id.as_str(), concept_part, service];
    let served = cached(ctx, Scope::Restaurant(&id), &parts, build).await?;
    Ok(conditional(&req, served))
}

/// `GET /site-api/stop_list[?restaurant_id=][&date_change=DDMMYYYYHHMMSS]`. The cache
/// holds the unfiltered document; `date_change` filters it per request.
pub async fn stop_list(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let query = Query::of(&req)?;
    let id = query.id("restaurant_id")?;
    let date_change = query.get("date_change");
    if let Some(text) = date_change {
        changed_after(Vec::new(), text)
            .map_err(|v| EdgeError::violations("invalid_parameter", vec![v]))?;
    }
    let served = match id.as_deref() {
        Some(id) => {
            let build = async {
                let (doc, fresh_until) = stop_lists_doc(ctx, Some(id)).await?;
                Ok(Built::until(json_body(&doc)?.body, fresh_until))
            };
            cached(ctx, Scope::Restaurant(id), &["stop_list", id], build).await?
        }
        None => {
            let build = async {
                let (doc, fresh_until) = stop_lists_doc(ctx, None).await?;
                Ok(Built::until(json_body(&doc)?.body, fresh_until))
            };
            cached(ctx, Scope::All, &["stop_list"], build).await?
        }
    };
    let Some(since) = date_change else {
        return Ok(conditional(&req, served));
    };
    let doc: StopListResponse = stored(&served.entry.body, "stop list")?;
    let stop_lists = changed_after(doc.stop_lists, since)
        .map_err(|v| EdgeError::violations("invalid_parameter", vec![v]))?;
    let body = json_body(&StopListResponse { stop_lists })?.body;
    let filtered = Served {
        entry: Entry {
            etag: etag(body.as_bytes()),
            body,
        },
        cache: served.cache,
    };
    Ok(conditional(&req, filtered))
}

/// A body built on a miss, and until when it stays true by itself.
pub struct Built {
    body: String,
    fresh_until: Option<DateTime<Utc>>,
}

impl Built {
    fn until(body: String, fresh_until: Option<DateTime<Utc>>) -> Built {
        Built { body, fresh_until }
    }
}

/// A body to answer with, and whether the cache had it.
struct Served {
    entry: Entry,
    cache: &'static str,
}

fn json_body<T: serde::Serialize>(doc: &T) -> Result<Built, EdgeError> {
    serde_json::to_string(doc)
        .map(|body| Built {
            body,
            fresh_until: None,
        })
        .map_err(|err| EdgeError::Internal(format!("serialising a site API body: {err}")))
}

/// The cached body for `parts`, or the one `build` makes (then cached). `build` is only
/// awaited on a miss; errors are never cached.
async fn cached(
    ctx: &Ctx<'_>,
    scope: Scope<'_>,
    parts: &[&str],
    build: impl Future<Output = Result<Built, EdgeError>>,
) -> Result<Served, EdgeError> {
    let cache = ReadCache::new(ctx.env);
    let lookup = cache.lookup(scope, parts, ctx.now).await;
    if let Some(entry) = lookup.hit.clone() {
        return Ok(Served {
            entry,
            cache: "hit",
        });
    }
    let built = build.await?;
    let entry = Entry {
        etag: etag(built.body.as_bytes()),
        body: built.body,
    };
    cache.store(&lookup, &entry, built.fresh_until).await;
    Ok(Served {
        entry,
        cache: "miss",
    })
}

/// `200` with the body and its tag, or `304` when the client holds that tag already.
fn conditional(req: &Request, served: Served) -> Response {
    let if_none_match = req.headers().get("If-None-Match").ok().flatten();
    let headers = [
        ("ETag", served.entry.etag.as_str()),
        ("Cache-Control", "no-cache"),
        ("X-Orderbridge-Cache", served.cache),
    ];
    if not_modified(if_none_match.as_deref(), &served.entry.etag) {
        let mut response = respond::bare(304);
        respond::set_headers(&mut response, &headers);
        return response;
    }
    respond::json_text(200, served.entry.body, &headers)
}

/// The `/restaurants` document: one restaurant (404 if unknown) or all.
pub async fn restaurants_doc(
    ctx: &Ctx<'_>,
    id: Option<&str>,
) -> Result<RestaurantsResponse, EdgeError> {
    let storage = Storage::new(ctx.env)?;
    let places: Vec<Place> = match id {
        Some(id) => vec![Restaurant::known(&storage, id).await?.place],
        None => storage
            .restaurants()
            .await?
            .into_iter()
            .map(|row| {
                stored::<Place>(&row.place, "place").map(|place| Place {
                    timezone: row.timezone,
                    ..place
                })
            })
            .collect::<Result<_, _>>()?,
    };
    Ok(RestaurantsResponse { places })
}

/// The `/delivery_zones` document of a restaurant's concept: live zones in the order they
/// were first written, `deleted_zones`, and `lastChange` (the document's, else the latest
/// zone change, else when the restaurant was written).
pub async fn zones_doc(
    ctx: &Ctx<'_>,
    id: &str,
    concept: Option<&str>,
) -> Result<DeliveryZonesResponse, EdgeError> {
    let storage = Storage::of(ctx)?;
    let restaurant = Restaurant::known(&storage, id).await?;
    let key = requested_concept(concept, restaurant.needs_concept())
        .map_err(|v| EdgeError::violations("missing_parameter", vec![v]))?;
    let (rows, set_last_change) = storage.zones(id, &key).await?;
    let mut zones = Vec::new();
    let mut deleted = Vec::new();
    let mut latest: Option<DateTime<Utc>> = None;
    for row in &rows {
        let at = parse_instant(&row.last_change)?;
        latest = latest.max(Some(at));
        let shown = restaurant.show_instant(at);
        if !row.deleted {
            let mut zone: Zone = stored(&row.zone, "zone")?;
            zone.last_change = Some(shown);
            zones.push(zone);
        } else {
            deleted.push(DeletedZone {
                id: row.zone_id.clone(),
                name: Some(row.name.clone()).filter(|n| !n.is_empty()),
                last_change: shown,
            });
        }
    }
    let last_change = match (set_last_change, latest) {
        (Some(stored_at), _) => restaurant.show(&stored_at)?,
        (None, Some(at)) => restaurant.show_instant(at),
        (None, None) => restaurant.show(&restaurant.row.updated_at)?,
    };
    Ok(DeliveryZonesResponse {
        restaurant_id: restaurant.row.id.clone(),
        concept_id: Some(served_concept(&key).to_owned()),
        last_change,
        zones,
        deleted_zones: Some(deleted),
    })
}

/// The `/menu` document of a restaurant's concept (404 when it has none).
pub async fn menu_doc(
    ctx: &Ctx<'_>,
    id: &str,
    concept: Option<&str>,
    service: &str,
) -> Result<MenuResponse, EdgeError> {
    let storage = Storage::of(ctx)?;
    let restaurant = Restaurant::known(&storage, id).await?;
    let key = requested_concept(concept, restaurant.needs_concept())
        .map_err(|v| EdgeError::violations("missing_parameter", vec![v]))?;
    let row = storage
        .menu_for(id, &key, service)
        .await?
        .ok_or_else(|| EdgeError::NotFound {
            code: "menu_not_found",
            summary: format!(
                "restaurant {id:?} has no menu for concept {:?}",
                served_concept(&key)
            ),
        })?;
    let mut menu: Menu = stored(&row.menu, "menu")?;
    menu.last_change = restaurant.show(&row.last_change)?;
    Ok(MenuResponse {
        restaurant_id: restaurant.row.id.clone(),
        concept_id: Some(served_concept(&key).to_owned()),
        menu,
    })
}

/// The `/stop_list` document (unfiltered): one restaurant's stop list (none if it never
/// had one; 404 if the restaurant is unknown) or every restaurant's, and the next moment it
/// changes by itself (an item's `nextAvailableAt`).
pub async fn stop_lists_doc(
    ctx: &Ctx<'_>,
    id: Option<&str>,
) -> Result<(StopListResponse, Option<DateTime<Utc>>), EdgeError> {
    let storage = Storage::new(ctx.env)?;
    if let Some(id) = id {
        Restaurant::known(&storage, id).await?;
    }
    let (lists, items) = storage.stop_lists(id).await?;
    let mut by_restaurant: BTreeMap<&str, Vec<_>> = BTreeMap::new();
    for item in &items {
        by_restaurant
            .entry(item.restaurant_id.as_str())
            .or_default()
            .push(item.clone());
    }
    let now = ctx.now.fixed_offset();
    let mut stop_lists = Vec::new();
    let mut fresh_until: Option<DateTime<Utc>> = None;
    for list in &lists {
        let zone = crate::zone::local_zone(list.timezone.as_deref(), list.utc_offset);
        let rows = by_restaurant
            .get(list.restaurant_id.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let entries = entries(rows);
        let stored_last = parse_instant(&list.last_change)?.fixed_offset();
        let last = effective_last_change(stored_last, &entries, now);
        let shown = orderbridge_core::catalog::format_last_change(last.with_timezone(&Utc), &zone);
        stop_lists.push(jupiter_stop_list(
            &list.restaurant_id,
            &shown,
            &entries,
            now,
        ));
        if let Some(next) = next_change(&entries, now) {
            let next = next.with_timezone(&Utc);
            fresh_until = Some(fresh_until.map_or(next, |f| f.min(next)));
        }
    }
    Ok((StopListResponse { stop_lists }, fresh_until))
}
