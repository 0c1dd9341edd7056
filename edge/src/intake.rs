//! Placing an order, whichever channel it came from: the site API's `POST /site-api/order`,
//! a JET Connect order (issue 6) or an Orderconnect order (issue 7). A marketplace order is
//! translated into the Jupiter `new_order` shape by core first; from there every channel
//! takes the same two steps, so the kitchen sees one kind of order:
//!
//! 1. [`check`]: the catalog the order needs is read from D1 and core validates the order
//!    under the channel's [`Rules`] at `now` (a `ValidOrder`, or every violation).
//! 2. [`stage`]: the statements that store the order and its first status, the client it
//!    names (core's `order::client::client_of`: never a Just Eat proxy number), and the calls it
//!    causes (the front-end's status 0, or upstream the forwarding to Jupiter's
//!    `POST /order`). A marketplace courier order is stored and forwarded with its route
//!    written in (`address.zone_id`, or outside every zone no coordinates, and a comment
//!    saying which: core's `marketplace_routed`). The caller adds statements of its own (a JET order's receipt row, its
//!    `sent-to-pos` call), commits them in **one** batch, then kicks the calls.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::Duration;
use orderbridge_core::catalog::concept_key;
use orderbridge_core::catalog_pull::document_url;
use orderbridge_core::geo::point_cells;
use orderbridge_core::jet::validate::{validate_service_times, ValidServiceTimes};
use orderbridge_core::jet::wire::parse_service_times;
use orderbridge_core::jupiter::{Menu, Place};
use orderbridge_core::order::client::{client_of, Contact};
use orderbridge_core::order::forward;
use orderbridge_core::order::lifecycle::{self, Notify, Status};
use orderbridge_core::order::namespace::{upstream_number, Namespace};
use orderbridge_core::order::replay::fingerprint;
use orderbridge_core::order::validate::marketplace_routed;
use orderbridge_core::order::{
    candidates, routed_restaurant, validate_borrowing, ConceptState, NewOrderRequest, OrderContext,
    RestaurantState, Rules, ValidOrder, ZoneLookup,
};
use orderbridge_core::outbound::plan::ReceiverKind;
use orderbridge_core::outbound::url_guard::OutboundUrl;
use orderbridge_core::problem::Violation;
use orderbridge_core::routes::Method;
use orderbridge_core::stop_list::stop_list_at;
use orderbridge_core::zone_memo::{zone_key, Limits, RoutableZone, ZoneMemo};
use worker::D1PreparedStatement;

use crate::channel::Channel;
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::outbox::{self, Outgoing};
use crate::random;
use crate::site_docs::{entries, stored};
use crate::storage::{millis, ConceptZoneRow, OrderWrite, RestaurantRow, Storage};

thread_local! {
    // The zones this isolate prepared, kept between orders (one per isolate: wasm32 has one
    // thread). Never borrowed across an `.await`.
    static ZONES: RefCell<ZoneMemo> = RefCell::new(ZoneMemo::new(Limits::WORKER));
}

/// Who placed an order, beyond what the order itself says.
pub struct Source<'a> {
    pub channel: Channel,
    /// The marketplace's id of the order (`orders.external_id`, unique per channel).
    pub external_id: Option<&'a str>,
    /// The front-end's `status_url`, already through the URL guard.
    pub status_url: Option<&'a OutboundUrl>,
    /// The hub's origin (`https://host`), for the callback URL an upstream Jupiter calls.
    pub origin: &'a str,
    /// Who placed the order, as the channel gives it: the client record it updates, if
    /// it names a client (core's `order::client::client_of`).
    pub contact: Contact<'a>,
}

/// What [`stage`] prepared: commit `statements` (with the caller's own) in one batch, then
/// [`outbox::kick`] the ids of `calls`.
pub struct Staged {
    pub order_id: String,
    pub statements: Vec<D1PreparedStatement>,
    pub calls: Vec<Outgoing>,
}

impl Staged {
    /// The ids to kick once the batch committed.
    pub fn call_ids(&self) -> Vec<String> {
        self.calls.iter().map(|c| c.delivery.id.clone()).collect()
    }
}

/// Reads what validating `order` needs and validates it under `rules` at `ctx.now`.
/// The outer `Err` is the hub's own failure; the inner one every violation of the order.
/// The valid order borrows the request's text (number, status URL, line ids).
pub async fn check<'o>(
    storage: &Storage,
    ctx: &Ctx<'_>,
    order: &'o NewOrderRequest,
    rules: Rules,
) -> Result<Result<ValidOrder<&'o str>, Vec<Violation>>, EdgeError> {
    check_against(storage, ctx, order, rules, None).await
}

/// [`check`] against the concept's menu for `service` (`DELIVERY`/`COLLECTION`, as
/// `core::jet::to_jupiter::service_key` names them): a JET Connect order's service type is
/// not its Jupiter `delivery_method` (Just Eat's courier collects, yet the order is served
/// from the DELIVERY menu). Without one, `delivery_method` decides (`pickup` → COLLECTION).
pub async fn check_against<'o>(
    storage: &Storage,
    ctx: &Ctx<'_>,
    order: &'o NewOrderRequest,
    rules: Rules,
    service: Option<&str>,
) -> Result<Result<ValidOrder<&'o str>, Vec<Violation>>, EdgeError> {
    let service = service.unwrap_or(match order.body.delivery_method.as_deref() {
        Some("pickup") => "COLLECTION",
        _ => "DELIVERY",
    });
    let restaurants = catalog(storage, order, rules, service, ctx).await?;
    let order_ctx = context(&restaurants, rules, ctx);
    Ok(validate_borrowing(order, &order_ctx))
}

fn context<'a>(
    restaurants: &'a [RestaurantState],
    rules: Rules,
    ctx: &Ctx<'_>,
) -> OrderContext<'a> {
    OrderContext {
        restaurants,
        now: ctx.now,
        max_preorder_ahead: Duration::days(ctx.config.max_preorder_days),
        rules,
    }
}

/// The statements that store a validated order with its first status, and the calls that
/// go with it: upstream, the forwarding to Jupiter (whose status 0 is its acceptance, passed
/// on to the front-end then); otherwise the front-end's status 0. The order is numbered in
/// its channel's namespace ([`Channel::namespace`]).
pub fn stage(
    storage: &Storage,
    ctx: &Ctx<'_>,
    order: &NewOrderRequest,
    valid: &ValidOrder<&str>,
    source: &Source<'_>,
) -> Result<Staged, EdgeError> {
    stage_in(
        storage,
        ctx,
        order,
        valid,
        source,
        &source.channel.namespace(),
    )
}

/// [`stage`], numbering the order in `namespace` (a site order: the site's, core's
/// `order::namespace::site_namespace`).
pub fn stage_in(
    storage: &Storage,
    ctx: &Ctx<'_>,
    order: &NewOrderRequest,
    valid: &ValidOrder<&str>,
    source: &Source<'_>,
    namespace: &Namespace,
) -> Result<Staged, EdgeError> {
    // A marketplace order carries its route for the kitchen (zone, or the named
    // restaurant outside every zone).
    let routed =
        (source.channel.rules() == Rules::Marketplace).then(|| marketplace_routed(order, valid));
    let order = routed.as_ref().unwrap_or(order);
    let id = random::id("ord_")?;
    let at = millis(ctx.now);
    let forward = match upstream_base(ctx) {
        Some(base) => {
            let number = upstream_number(namespace, valid.number, &id);
            Some(forward_call(ctx, source.origin, &base, order, number, &id)?)
        }
        None => None,
    };
    let namespace = namespace.to_string();
    let token = forward.as_ref().map(|(token, _)| token.clone());
    let request = serde_json::to_string(order)
        .map_err(|err| EdgeError::Internal(format!("serialising an order: {err}")))?;
    let client_name = order
        .body
        .client
        .as_ref()
        .and_then(|c| c.name.as_deref())
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    let mut statements = storage.place_order(&OrderWrite {
        id: &id,
        namespace: &namespace,
        number: valid.number,
        fingerprint: &fingerprint(order),
        restaurant_id: &valid.restaurant_id,
        concept_id: &valid.concept_key,
        zone_id: valid.zone_id.as_deref(),
        delivery_method: valid.delivery_method.as_str(),
        phone: &valid.phone,
        client_name: &client_name,
        total: valid.total.minor(),
        status: Status::New.code(),
        status_url: source.status_url.map(OutboundUrl::as_str),
        request: &request,
        upstream_token: token.as_deref(),
        at: &at,
        channel: source.channel.as_str(),
        external_id: source.external_id,
        discount: valid.discount.minor(),
        warnings: warnings_json(&valid.warnings)?.as_deref(),
    })?;
    // The client the order names, recorded with it (a marketplace proxy number is none).
    if let Ok(seen) = client_of(&source.contact) {
        statements.push(storage.record_client_order(&seen, &random::guid()?, &at)?);
    }
    let call = match forward {
        Some((_, forward)) => Some(forward),
        None => status_call(&id, lifecycle::notify(Status::New, source.status_url), ctx)?,
    };
    let mut calls = Vec::new();
    if let Some(call) = call {
        statements.extend(outbox::stage(storage, &call)?);
        calls.push(call);
    }
    Ok(Staged {
        order_id: id,
        statements,
        calls,
    })
}

/// A trusted site's warnings as stored (`[{code, field, message}]`), `None` when there are none.
fn warnings_json(warnings: &[Violation]) -> Result<Option<String>, EdgeError> {
    if warnings.is_empty() {
        return Ok(None);
    }
    let docs: Vec<serde_json::Value> = warnings
        .iter()
        .map(|w| serde_json::json!({"code": w.code, "field": w.field, "message": w.message}))
        .collect();
    serde_json::to_string(&docs)
        .map(Some)
        .map_err(|err| EdgeError::Internal(format!("serialising warnings: {err}")))
}

/// The upstream Jupiter's base URL, when both it and its key are configured.
pub fn upstream_base(ctx: &Ctx<'_>) -> Option<String> {
    Some(ctx.config.upstream(ctx.env).ok()??.base)
}

/// The token for Jupiter's status calls and the forwarding call to stage, the order sent as
/// `number` (unique across namespaces: core's `upstream_number`).
fn forward_call(
    ctx: &Ctx<'_>,
    origin: &str,
    base: &str,
    order: &NewOrderRequest,
    number: &str,
    id: &str,
) -> Result<(String, Outgoing), EdgeError> {
    let token = random::id("tok_")?;
    let callback = forward::callback_url(origin, id, &token);
    let url = document_url(base, "order", &[], &ctx.config.url_policy()).map_err(|refusal| {
        EdgeError::Unavailable(format!("JUPITER_API_URL is refused: {refusal}"))
    })?;
    let body = serde_json::to_string(&forward::forwarded(order, number, &callback))
        .map_err(|err| EdgeError::Internal(format!("serialising a forwarded order: {err}")))?;
    let call = Outgoing::new(
        ReceiverKind::JupiterInjection,
        Some(id),
        Method::Post,
        url,
        body,
        ctx.now.timestamp(),
        None,
    )?;
    Ok((token, call))
}

/// The status call a change asks for, ready to stage (none without a `status_url`).
pub fn status_call(
    order_id: &str,
    notify: Notify,
    ctx: &Ctx<'_>,
) -> Result<Option<Outgoing>, EdgeError> {
    notify
        .callback
        .map(|url| {
            Outgoing::new(
                ReceiverKind::SiteStatus,
                Some(order_id),
                Method::Get,
                url,
                String::new(),
                ctx.now.timestamp(),
                None,
            )
        })
        .transpose()
}

/// What validation reads: the candidates core names for the order (`order::candidates`:
/// the live zones of its concept with its `zone_id`, or those whose box holds its point,
/// the restaurants owning them and the restaurant it names), and for the restaurant the
/// order routes to, its menu and stop list at `now`. Never every restaurant or zone, so an
/// order reads a bounded number of rows however large the chain (README, "Rows an order
/// reads"); only a refusal that depends on every restaurant reads them all.
async fn catalog(
    storage: &Storage,
    order: &NewOrderRequest,
    rules: Rules,
    service: &str,
    ctx: &Ctx<'_>,
) -> Result<Vec<RestaurantState>, EdgeError> {
    let key = concept_key(order.body.concept_id.as_deref()).to_owned();
    let wanted = candidates(order, rules);
    let rows = match &wanted.zones {
        ZoneLookup::None => Vec::new(),
        ZoneLookup::ById(id) => storage.live_zones_with_id(&key, id).await?,
        ZoneLookup::ByPoint(point) => {
            storage
                .live_zones_near(&key, *point, &point_cells(*point))
                .await?
        }
    };
    let mut zones: BTreeMap<String, Vec<Arc<RoutableZone>>> = BTreeMap::new();
    for row in rows {
        let restaurant_id = row.restaurant_id.clone();
        if let Some(zone) = candidate_zone(storage, &key, row).await? {
            zones.entry(restaurant_id).or_default().push(zone);
        }
    }
    let mut ids: BTreeSet<&str> = zones.keys().map(String::as_str).collect();
    ids.extend(wanted.restaurant.as_deref());
    let ids: Vec<&str> = ids.into_iter().collect();
    let among = if ids.is_empty() {
        Vec::new()
    } else {
        storage.restaurants_among(&ids).await?
    };
    let mut restaurants = states(&among, &key, &zones)?;
    let probe = context(&restaurants, rules, ctx);
    let Some(routed) = routed_restaurant(order, &probe) else {
        if wanted.every_if_unrouted {
            // The refusal names the concept when any restaurant works with concepts.
            restaurants = states(&storage.restaurants().await?, &key, &zones)?;
        }
        return Ok(restaurants);
    };
    let menu: Option<Menu> = match storage.menu_for(&routed, &key, service).await? {
        Some(row) => Some(stored(&row.menu, "menu")?),
        None => None,
    };
    let (_, items) = storage.stop_lists(Some(&routed)).await?;
    let stopped: BTreeSet<String> = stop_list_at(&entries(&items), ctx.now.fixed_offset())
        .into_iter()
        .collect();
    let service_times = stored_service_times(storage, &routed).await?;
    if let Some(r) = restaurants.iter_mut().find(|r| r.place.id == routed) {
        if let Some(c) = r.concepts.get_mut(&key) {
            c.menu = menu;
        }
        r.stopped = stopped;
        r.service_times = service_times;
    }
    Ok(restaurants)
}

/// A candidate zone row ready for routing: this isolate's prepared zone when it was built
/// from the row's version (core's `zone_memo`), else the zone's JSON (read now, unless the
/// row predates versions and brought it) parsed, prepared and kept for the next order.
/// `None` for a zone deleted between the two reads.
async fn candidate_zone(
    storage: &Storage,
    concept_key: &str,
    row: ConceptZoneRow,
) -> Result<Option<Arc<RoutableZone>>, EdgeError> {
    let key = zone_key(&row.restaurant_id, concept_key, &row.zone_id);
    let version = row.version.as_deref().or(row.zone.as_deref());
    if let Some(zone) = version.and_then(|v| ZONES.with_borrow(|m| m.get(&key, v))) {
        return Ok(Some(zone));
    }
    let (version, text) = match row.zone {
        Some(text) => (row.version.unwrap_or_else(|| text.clone()), text),
        None => match storage
            .live_zone(&row.restaurant_id, concept_key, &row.zone_id)
            .await?
        {
            Some(ConceptZoneRow {
                version,
                zone: Some(text),
                ..
            }) => (version.unwrap_or_else(|| text.clone()), text),
            _ => return Ok(None),
        },
    };
    let zone = RoutableZone::shared(stored(&text, "zone")?);
    ZONES.with_borrow_mut(|m| m.remember(&key, version, Arc::clone(&zone)));
    Ok(Some(zone))
}

/// A stored zone row (restaurant, concept key, zone id, its JSON as stored) ready for
/// routing: this isolate's prepared zone when it was built from exactly this text (core's
/// `zone_memo`: a zone written again is never answered from its older version), else
/// parsed and prepared now, and kept for the next order.
pub fn routable_zone(
    restaurant_id: &str,
    concept_key: &str,
    zone_id: &str,
    text: String,
) -> Result<Arc<RoutableZone>, EdgeError> {
    let key = zone_key(restaurant_id, concept_key, zone_id);
    if let Some(zone) = ZONES.with_borrow(|m| m.get(&key, &text)) {
        return Ok(zone);
    }
    let zone = RoutableZone::shared(stored(&text, "zone")?);
    ZONES.with_borrow_mut(|m| m.remember(&key, text, Arc::clone(&zone)));
    Ok(zone)
}

/// Restaurant rows as validation reads them, each with its zones of the concept `key`
/// from `zones`.
fn states(
    rows: &[RestaurantRow],
    key: &str,
    zones: &BTreeMap<String, Vec<Arc<RoutableZone>>>,
) -> Result<Vec<RestaurantState>, EdgeError> {
    let mut restaurants = Vec::with_capacity(rows.len());
    for row in rows {
        let place: Place = stored(&row.place, "place")?;
        let mut concepts = BTreeMap::new();
        concepts.insert(
            key.to_owned(),
            ConceptState {
                zones: zones.get(&row.id).cloned().unwrap_or_default(),
                menu: None,
            },
        );
        restaurants.push(restaurant_state(row, place, concepts)?);
    }
    Ok(restaurants)
}

/// A stored restaurant as validation reads it: its place (parsed by the caller, who may
/// need it first), offset and online state, with the concepts given; no stop list or
/// service times yet (only the routed restaurant needs them).
pub fn restaurant_state(
    row: &RestaurantRow,
    place: Place,
    concepts: BTreeMap<String, ConceptState>,
) -> Result<RestaurantState, EdgeError> {
    let time_zone = crate::zone::local_zone(row.timezone.as_deref(), row.utc_offset);
    Ok(RestaurantState {
        place,
        time_zone,
        online: row.online,
        offline_until: row.offline_until,
        concepts,
        stopped: BTreeSet::new(),
        service_times: None,
    })
}

/// The restaurant's JET Connect service times: the stored `/servicetimes` request, read
/// back through the same core parse and validation that accepted it.
async fn stored_service_times(
    storage: &Storage,
    restaurant_id: &str,
) -> Result<Option<ValidServiceTimes>, EdgeError> {
    let Some(row) = storage.service_times(restaurant_id).await? else {
        return Ok(None);
    };
    parse_service_times(row.body.as_bytes())
        .and_then(|r| validate_service_times(&r))
        .map(Some)
        .map_err(|v| {
            let first = v.first().map(|v| v.message.as_str()).unwrap_or_default();
            EdgeError::Internal(format!("stored service times: {first}"))
        })
}
