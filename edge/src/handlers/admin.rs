//! Operator writes in Jupiter shapes (`X-Flyt-Api-Key`), for what JET Connect has no
//! message for, and for loading Jupiter documents as they are:
//!
//! * `PUT /admin/restaurants/{id}`: a `places` entry plus `utc_offset`, `timezone` (IANA,
//!   checked with the runtime's `Intl`; absent keeps the stored zone, `""` clears it),
//!   `jet_location_id`, `orderconnect_restaurant_id`; `GET` shows it with the state JET Connect set (`online`,
//!   `offline_until`, `service_times`);
//! * `PUT /admin/delivery_zones?restaurant_id=&concept_id=`: a zones document; live zones
//!   it leaves out move to `deleted_zones`;
//! * `DELETE /admin/delivery_zones/{zone_id}?restaurant_id=&concept_id=`: the zone moves
//!   to `deleted_zones`, its `lastChange` the time of deletion;
//! * `PUT /admin/menu?restaurant_id=&concept_id=`: a `/menu` document;
//! * `PUT /admin/stop_list`: a `/stop_list` document (each listed restaurant's stop list is
//!   replaced).
//!
//! * `POST /admin/sync`: pull the catalog from the upstream Jupiter now.
//!
//! The `lastChange` values a document carries are kept. Each write answers with the
//! document as the site API now serves it.

use orderbridge_core::catalog::{concept_key, is_online, requested_concept, served_concept};
use orderbridge_core::domain::{RestaurantId, ZoneId};
use orderbridge_core::external_ids::{external_id_conflicts, ExternalIds, Holder};
use orderbridge_core::jupiter::{
    validate_admin_menu, validate_admin_restaurant, validate_delivery_zones, validate_stop_lists,
    AdminRestaurant, DeliveryZonesResponse, MenuResponse, StopListResponse,
};
use orderbridge_core::problem::Violation;
use worker::{Request, Response};

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::site_api::{menu_doc, stop_lists_doc, zones_doc};
use crate::auth::require_operator;
use crate::body::{self, DEFAULT_LIMIT, MENU_LIMIT};
use crate::cache::ReadCache;
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::query::Query;
use crate::respond;
use crate::site_docs::{
    among, menu_write, stop_list_replace, stored, to_stored, unknown_restaurant, zone_writes,
    Restaurant,
};
use crate::storage::{millis, RestaurantWrite, Storage};

/// A restaurant as the operator sees it: the admin document and the JET Connect state.
#[derive(Serialize)]
struct RestaurantView {
    #[serde(flatten)]
    restaurant: AdminRestaurant,
    /// Whether it takes orders now (`/offline`, `/online`, an `onlineAt` that has come).
    online: bool,
    /// When an offline spell ends by itself, in the restaurant's zone.
    offline_until: Option<String>,
    /// Why the console paused it (`PUT /admin/restaurants/{id}/pause`), while not online.
    pause_reason: Option<String>,
    /// The last `/servicetimes` request, as received.
    service_times: Option<serde_json::Value>,
    /// Just Eat's order times (`order-time-updated`), by service type and day.
    order_times: Vec<crate::storage::OrderTimeRow>,
}

async fn view(
    storage: &Storage,
    restaurant: Restaurant,
    ctx: &Ctx<'_>,
) -> Result<Response, EdgeError> {
    let service_times = match storage.service_times(&restaurant.row.id).await? {
        Some(row) => Some(stored::<serde_json::Value>(&row.body, "service times")?),
        None => None,
    };
    let order_times = storage.order_times(&restaurant.row.id).await?;
    let row = &restaurant.row;
    let offline_until = row.offline_until;
    let online = is_online(row.online, offline_until, ctx.now);
    let pause_reason = match online {
        true => None,
        false => storage.pause_reason_of(&row.id).await?,
    };
    let view = RestaurantView {
        order_times,
        online,
        pause_reason,
        offline_until: offline_until.map(|t| restaurant.show_instant(t)),
        service_times,
        restaurant: AdminRestaurant {
            utc_offset: Some(row.utc_offset.to_string()),
            jet_location_id: row.jet_location_id.clone(),
            orderconnect_restaurant_id: row.orderconnect_restaurant_id.clone(),
            place: restaurant.place,
        },
    };
    Ok(respond::json(200, &view))
}

/// `GET /admin/restaurants/{id}`.
pub async fn get_restaurant(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let id = RestaurantId::parse(ctx.param("id")?, "id")
        .map_err(|v| EdgeError::violations("invalid_parameter", vec![v]))?;
    let storage = Storage::new(ctx.env)?;
    let restaurant = Restaurant::known(&storage, id.as_str()).await?;
    view(&storage, restaurant, ctx).await
}

/// `PUT /admin/restaurants/{id}`.
pub async fn put_restaurant(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let id = RestaurantId::parse(ctx.param("id")?, "id")
        .map_err(|v| EdgeError::violations("invalid_parameter", vec![v]))?;
    let mut doc: AdminRestaurant = body::json(&mut req, DEFAULT_LIMIT).await?;
    // Every violation at once: core's checks, then the zone name against the runtime's
    // tz database.
    let mut violations = Vec::new();
    let offset = validate_admin_restaurant(&doc).unwrap_or_else(|v| {
        violations.extend(v);
        None
    });
    // The zone lives in its own column (servicetimes and orders set it too), not in the
    // stored place.
    let mut timezone = doc.place.timezone.take().map(|t| t.trim().to_owned());
    if let Some(raw) = timezone.as_deref().filter(|t| !t.is_empty()) {
        match crate::zone::check_name(raw, "timezone") {
            Ok(name) => timezone = Some(name),
            Err(v) => violations.push(v),
        }
    }
    if !violations.is_empty() {
        return Err(EdgeError::violations("invalid_restaurant", violations));
    }
    if doc.place.id.trim() != id.as_str() {
        return Err(mismatch("id", "the restaurant id in the path"));
    }
    doc.place.id = id.as_str().to_owned();
    let blank_to_none =
        |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    doc.jet_location_id = blank_to_none(doc.jet_location_id);
    doc.orderconnect_restaurant_id = blank_to_none(doc.orderconnect_restaurant_id);
    doc.utc_offset = Some(offset.map_or_else(|| "+00:00".to_owned(), |o| o.to_string()));

    let storage = Storage::new(ctx.env)?;
    let holders = storage
        .external_id_holders(
            id.as_str(),
            doc.jet_location_id.as_deref(),
            doc.orderconnect_restaurant_id.as_deref(),
        )
        .await?;
    let holders: Vec<Holder> = holders
        .iter()
        .map(|h| Holder {
            id: &h.id,
            ids: ExternalIds {
                jet_location_id: h.jet_location_id.as_deref(),
                orderconnect_restaurant_id: h.orderconnect_restaurant_id.as_deref(),
            },
        })
        .collect();
    let wanted = ExternalIds {
        jet_location_id: doc.jet_location_id.as_deref(),
        orderconnect_restaurant_id: doc.orderconnect_restaurant_id.as_deref(),
    };
    external_id_conflicts(id.as_str(), &wanted, &holders).map_err(|taken| EdgeError::Conflict {
        code: "taken",
        summary: format!(
            "{} external id(s) belong to another restaurant",
            taken.len()
        ),
        violations: taken,
    })?;
    let place = to_stored(&doc.place, "place")?;
    storage
        .put_restaurant(&RestaurantWrite {
            id: id.as_str(),
            place: &place,
            utc_offset: doc.utc_offset.as_deref().unwrap_or("+00:00"),
            timezone: timezone.as_deref(),
            jet_location_id: doc.jet_location_id.as_deref(),
            orderconnect_restaurant_id: doc.orderconnect_restaurant_id.as_deref(),
            updated_at: &millis(ctx.now),
        })
        .await?;
    ReadCache::new(ctx.env)
        .invalidate(&[id.as_str()], ctx.now)
        .await;
    let restaurant = Restaurant::known(&storage, id.as_str()).await?;
    view(&storage, restaurant, ctx).await
}

/// `PUT /admin/delivery_zones?restaurant_id=&concept_id=`.
pub async fn put_delivery_zones(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let ConceptWrite {
        id,
        key,
        doc,
        storage,
    } = concept_document::<DeliveryZonesResponse>(&mut req, ctx).await?;
    let (writes, set_last_change) = zone_writes(&doc)?;
    storage
        .put_zones(&id, &key, &writes, &set_last_change, &millis(ctx.now))
        .await?;
    ReadCache::new(ctx.env).invalidate(&[&id], ctx.now).await;
    Ok(respond::json(
        200,
        &zones_doc(ctx, &id, Some(served_concept(&key))).await?,
    ))
}

/// `DELETE /admin/delivery_zones/{zone_id}?restaurant_id=&concept_id=`.
pub async fn delete_delivery_zone(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let zone_id = ZoneId::parse(ctx.param("zone_id")?, "zone_id")
        .map_err(|v| EdgeError::violations("invalid_parameter", vec![v]))?;
    let query = Query::of(&req)?;
    let id = query.required_id("restaurant_id")?;
    let concept = query.concept();
    let storage = Storage::new(ctx.env)?;
    let restaurant = Restaurant::known(&storage, &id).await?;
    let key = requested_concept(concept.as_deref(), restaurant.has_concepts())
        .map_err(|v| EdgeError::violations("missing_parameter", vec![v]))?;
    let found = storage
        .delete_zone(&id, &key, zone_id.as_str(), &millis(ctx.now))
        .await?;
    if !found {
        return Err(EdgeError::NotFound {
            code: "zone_not_found",
            summary: format!("restaurant {id:?} has no live zone {:?}", zone_id.as_str()),
        });
    }
    ReadCache::new(ctx.env).invalidate(&[&id], ctx.now).await;
    Ok(respond::json(
        200,
        &zones_doc(ctx, &id, Some(served_concept(&key))).await?,
    ))
}

/// `PUT /admin/menu?restaurant_id=&concept_id=`.
pub async fn put_menu(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let ConceptWrite {
        id,
        key,
        doc,
        storage,
    } = concept_document::<MenuResponse>(&mut req, ctx).await?;
    let write = menu_write(&id, &key, &doc)?;
    storage
        .put_menus(&[write], &[], &[], None, Vec::new())
        .await?;
    ReadCache::new(ctx.env).invalidate(&[&id], ctx.now).await;
    Ok(respond::json(
        200,
        &menu_doc(ctx, &id, Some(served_concept(&key)), "DELIVERY").await?,
    ))
}

/// `PUT /admin/stop_list`.
pub async fn put_stop_list(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let doc: StopListResponse = body::json(&mut req, DEFAULT_LIMIT).await?;
    validate_stop_lists(&doc).map_err(|v| EdgeError::violations("invalid_stop_list", v))?;
    let ids: Vec<&str> = doc
        .stop_lists
        .iter()
        .map(|l| l.restaurant_id.trim())
        .collect();
    let storage = Storage::new(ctx.env)?;
    if let Some(unknown) = among(&storage, &ids).await?.1.first() {
        return Err(unknown_restaurant(unknown));
    }
    let lists = doc
        .stop_lists
        .iter()
        .map(stop_list_replace)
        .collect::<Result<Vec<_>, _>>()?;
    storage.replace_stop_lists(&lists).await?;
    ReadCache::new(ctx.env).invalidate(&ids, ctx.now).await;
    let (mut served, _) = stop_lists_doc(ctx, None).await?;
    served
        .stop_lists
        .retain(|l| ids.contains(&l.restaurant_id.as_str()));
    Ok(respond::json(200, &served))
}

/// `POST /admin/sync`: one pass of the upstream sync now (`sync.rs`); `409` without an
/// upstream, `503` when its `/restaurants` cannot be read.
pub async fn post_sync(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let report = crate::sync::pull(ctx.env, &ctx.config, ctx.now).await?;
    Ok(respond::json(200, &report))
}

/// A Jupiter document for one restaurant and concept (`/delivery_zones`, `/menu`), written
/// through the admin API.
trait ConceptDocument: DeserializeOwned {
    /// The body limit for this document.
    const LIMIT: usize;
    /// The error code when the document breaks its rules.
    const INVALID: &'static str;
    fn validate(&self) -> Result<(), Vec<Violation>>;
    fn restaurant_id(&self) -> &str;
    fn concept_id(&self) -> Option<&str>;
}

impl ConceptDocument for DeliveryZonesResponse {
    /// A realistic chain's zones are as large as its menus: 50 zones of ~480 vertices, as
    /// Jupiter writes coordinates, are ~1.1 MB (`make bench-load` uploads one); each zone
    /// is stored in a row of its own, so the document's size is no row's.
    const LIMIT: usize = MENU_LIMIT;
    const INVALID: &'static str = "invalid_zones";
    fn validate(&self) -> Result<(), Vec<Violation>> {
        validate_delivery_zones(self).map(drop)
    }
    fn restaurant_id(&self) -> &str {
        &self.restaurant_id
    }
    fn concept_id(&self) -> Option<&str> {
        self.concept_id.as_deref()
    }
}

impl ConceptDocument for MenuResponse {
    const LIMIT: usize = MENU_LIMIT;
    const INVALID: &'static str = "invalid_menu";
    fn validate(&self) -> Result<(), Vec<Violation>> {
        validate_admin_menu(self)
    }
    fn restaurant_id(&self) -> &str {
        &self.restaurant_id
    }
    fn concept_id(&self) -> Option<&str> {
        self.concept_id.as_deref()
    }
}

/// A concept document that passed every check, with where it goes.
struct ConceptWrite<T> {
    id: String,
    /// The stored concept key.
    key: String,
    doc: T,
    storage: Storage,
}

/// What every concept document write starts with, in this order: the operator key,
/// `restaurant_id` from the query, the body read within its limit, parsed and validated, the
/// document naming the same restaurant (and no other concept) as the query, the
/// restaurant known and the concept resolved against its concepts.
async fn concept_document<T: ConceptDocument>(
    req: &mut Request,
    ctx: &Ctx<'_>,
) -> Result<ConceptWrite<T>, EdgeError> {
    require_operator(req, ctx).await?;
    let query = Query::of(req)?;
    let id = query.required_id("restaurant_id")?;
    let doc: T = body::json(req, T::LIMIT).await?;
    doc.validate()
        .map_err(|v| EdgeError::violations(T::INVALID, v))?;
    if doc.restaurant_id().trim() != id {
        return Err(mismatch("restaurant_id", "the restaurant_id parameter"));
    }
    let concept = one_concept(query.concept(), doc.concept_id())?;

    let storage = Storage::new(ctx.env)?;
    let restaurant = Restaurant::known(&storage, &id).await?;
    let key = requested_concept(concept.as_deref(), restaurant.has_concepts())
        .map_err(|v| EdgeError::violations("missing_parameter", vec![v]))?;
    Ok(ConceptWrite {
        id,
        key,
        doc,
        storage,
    })
}

/// The concept a document is for: the `concept_id` parameter or the document's own, which
/// must agree when both are given.
fn one_concept(param: Option<String>, doc: Option<&str>) -> Result<Option<String>, EdgeError> {
    let doc = doc.map(str::trim).filter(|c| !c.is_empty());
    match (param, doc) {
        (Some(p), Some(d)) if concept_key(Some(&p)) != concept_key(Some(d)) => {
            Err(mismatch("concept_id", "the concept_id parameter"))
        }
        (Some(p), _) => Ok(Some(p)),
        (None, d) => Ok(d.map(str::to_owned)),
    }
}

fn mismatch(field: &str, other: &str) -> EdgeError {
    EdgeError::invalid("mismatch", field, format!("must equal {other}"))
}
