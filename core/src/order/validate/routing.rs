//! Routing: which restaurant and zone an order goes to (its zone, its coordinates or
//! its `restaurant_id`), the cheapest route, and the marketplace's routing.

use crate::catalog::concept_key;
use crate::domain::Money;
use crate::geo::Point;
use crate::jupiter::Zone;
use crate::order::wire::{NewOrderRequest, OrderBody};
use crate::problem::Violations;
use serde_json::Value;

use super::*;

/// The restaurant `restaurant_id` names, or `unknown_restaurant` recorded: the one lookup
/// of both routings (a site order without zone or coordinates, a marketplace order outside
/// every zone).
pub(super) fn named_restaurant<'c>(
    ctx: &OrderContext<'c>,
    id: &str,
    out: &mut Violations,
) -> Option<&'c RestaurantState> {
    let found = ctx.restaurants.iter().find(|r| r.place.id == id);
    if found.is_none() {
        out.push(
            "unknown_restaurant",
            "restaurant_id",
            format!("no restaurant {id:?}"),
        );
    }
    found
}

pub(super) fn coordinate(value: &Option<Value>, field: &str, out: &mut Violations) -> Option<f64> {
    let parsed = match value {
        Some(Value::String(s)) => crate::geo::decimal(s.trim()),
        Some(Value::Number(n)) => n.as_f64(),
        _ => None,
    };
    match parsed.filter(|f| f.is_finite()) {
        Some(f) => Some(f),
        None => {
            out.push("bad_coords", field, "must be a decimal number");
            None
        }
    }
}

/// Whether a restaurant works with concepts (its place lists at least one).
/// Whether an order without `concept_id` cannot be placed at `r`: it works with concepts
/// and has none called `default`, the one seed `004` says is meant when none is given.
pub(super) fn has_concepts(r: &RestaurantState) -> bool {
    crate::catalog::concept_needed(
        r.place
            .concepts
            .as_deref()
            .unwrap_or(&[])
            .iter()
            .map(|c| c.id.as_str()),
    )
}

/// A zone an order can be routed to.
pub(super) struct Route<'a> {
    pub(super) restaurant: &'a RestaurantState,
    pub(super) zone: Option<&'a Zone>,
}

/// Among zones that contain a point, the cheapest delivery wins: lowest `delivery_price`
/// (absent = 0), then lowest `sum_min`, then restaurant id and zone id, so the choice never
/// depends on storage order. Of equal keys the first is kept.
pub(super) fn cheapest<'a>(candidates: impl Iterator<Item = Route<'a>>) -> Option<Route<'a>> {
    let rank = |r: &Route<'a>| {
        let z = r.zone;
        (
            z.and_then(|z| z.delivery_price).unwrap_or(Money::ZERO),
            z.and_then(|z| z.sum_min).unwrap_or(Money::ZERO),
            r.restaurant.place.id.as_str(),
            z.map_or("", |z| z.id.as_str()),
        )
    };
    candidates.min_by(|a, b| rank(a).cmp(&rank(b)))
}

pub(super) fn route<'a>(
    body: &OrderBody,
    ctx: &OrderContext<'a>,
    method: Option<DeliveryMethod>,
    out: &mut Violations,
) -> Option<Route<'a>> {
    let concept = concept_key(text(&body.concept_id));
    if ctx.rules == Rules::Marketplace {
        return marketplace_route(body, ctx, concept, method, out);
    }
    let address = body.address.as_ref();
    // Every live zone of the concept, with its restaurant, in storage order.
    let zones = || {
        ctx.restaurants.iter().flat_map(move |r| {
            r.concepts
                .get(concept)
                .into_iter()
                .flat_map(|c| c.zones.iter())
                .map(move |z| (r, &**z))
        })
    };
    let route_of = |(restaurant, z): (&'a RestaurantState, &'a RoutableZone)| Route {
        restaurant,
        zone: Some(&z.zone),
    };
    if let Some(zone_id) = address.and_then(|a| text(&a.zone_id)) {
        let wanted = text(&body.restaurant_id);
        let mut first = None;
        // The same zone id under two restaurants: the named restaurant decides.
        for found in zones().filter(|(_, z)| z.zone.id == zone_id).map(route_of) {
            if Some(found.restaurant.place.id.as_str()) == wanted {
                return Some(found);
            }
            first = first.or(Some(found));
        }
        if first.is_some() {
            return first;
        }
        // Without a concept the zone was looked up in the default concept; a named
        // restaurant that works with concepts needs one before any zone can match.
        let named_has_concepts = ctx
            .restaurants
            .iter()
            .find(|r| Some(r.place.id.as_str()) == wanted)
            .is_some_and(has_concepts);
        if text(&body.concept_id).is_none() && named_has_concepts {
            out.push(
                "concept_required",
                "concept_id",
                "is required: the restaurant works with concepts",
            );
            return None;
        }
        out.push(
            "unknown_zone",
            "address.zone_id",
            format!(
                "no live zone {zone_id:?} for concept {:?}",
                crate::catalog::served_concept(concept)
            ),
        );
        return None;
    }
    if let Some(coords) = address.and_then(|a| a.coords.as_ref()) {
        let lat = coordinate(&coords.latitude, "address.coords.latitude", out);
        let lon = coordinate(&coords.longitude, "address.coords.longitude", out);
        let (Some(lat), Some(lon)) = (lat, lon) else {
            return None;
        };
        let point = Point { lon, lat };
        // Each zone's polygon was prepared once (`zone_memo`): the banded test.
        let inside = zones().filter(|(_, z)| z.contains(point)).map(route_of);
        let Some(best) = cheapest(inside) else {
            // Without a concept the point was tested against default-concept zones only;
            // where the restaurant (named, else any) works with concepts, the concept is
            // what is missing, not the zone.
            let needs_concept = match text(&body.restaurant_id) {
                Some(id) => ctx
                    .restaurants
                    .iter()
                    .any(|r| r.place.id == id && has_concepts(r)),
                None => ctx.restaurants.iter().any(has_concepts),
            };
            if text(&body.concept_id).is_none() && needs_concept {
                out.push(
                    "concept_required",
                    "concept_id",
                    "is required: no default-concept zone contains the point and the restaurant works with concepts",
                );
                return None;
            }
            out.push(
                "outside_zone",
                "address.coords",
                format!("({lat}, {lon}) is outside every delivery zone of the concept"),
            );
            return None;
        };
        return Some(best);
    }
    let Some(id) = text(&body.restaurant_id) else {
        out.push(
            "missing_field",
            "restaurant_id",
            "is required when the address has neither zone_id nor coords",
        );
        return None;
    };
    let restaurant = named_restaurant(ctx, id, out)?;
    if method == Some(DeliveryMethod::Courier) && ctx.rules.is_site() {
        out.push(
            "zone_required",
            "address",
            "a courier order needs address.zone_id or address.coords",
        );
    }
    Some(Route {
        restaurant,
        zone: None,
    })
}

/// A marketplace order's route: the restaurant it names, unless a courier order's
/// coordinates lie in a live zone of the concept (the named restaurant's zones first, then
/// the cheapest as for a site order); never refused for its address, which the
/// marketplace already accepted.
pub(super) fn marketplace_route<'a>(
    body: &OrderBody,
    ctx: &OrderContext<'a>,
    concept: &str,
    method: Option<DeliveryMethod>,
    out: &mut Violations,
) -> Option<Route<'a>> {
    let named = text(&body.restaurant_id);
    let point = body
        .address
        .as_ref()
        .and_then(|a| a.coords.as_ref())
        .filter(|_| method == Some(DeliveryMethod::Courier))
        .and_then(|c| {
            let mut ignored = Violations::new();
            let lat = coordinate(&c.latitude, "address.coords.latitude", &mut ignored)?;
            let lon = coordinate(&c.longitude, "address.coords.longitude", &mut ignored)?;
            Some(Point { lon, lat })
        });
    if let Some(point) = point {
        let inside = |own: bool| {
            ctx.restaurants
                .iter()
                .filter(move |r| (Some(r.place.id.as_str()) == named) == own)
                .flat_map(move |r| {
                    r.concepts
                        .get(concept)
                        .into_iter()
                        .flat_map(|c| c.zones.iter())
                        .filter(move |z| z.contains(point))
                        .map(move |z| Route {
                            restaurant: r,
                            zone: Some(&z.zone),
                        })
                })
        };
        if let Some(best) = cheapest(inside(true)).or_else(|| cheapest(inside(false))) {
            return Some(best);
        }
    }
    let Some(id) = named else {
        out.push(
            "missing_field",
            "restaurant_id",
            "is required for a marketplace order",
        );
        return None;
    };
    let restaurant = named_restaurant(ctx, id, out)?;
    Some(Route {
        restaurant,
        zone: None,
    })
}

/// Which zones an order can be routed among, as [`route`] will look for them: the
/// edge reads only these (and their restaurants), never every zone of the concept.
#[derive(Debug, Clone, PartialEq)]
pub enum ZoneLookup {
    /// No zone can route the order (it names a restaurant, or its coordinates do not read).
    None,
    /// The live zones of the concept with this id (a site order's `address.zone_id`).
    ById(String),
    /// The live zones of the concept whose stored box holds this point (or that have none).
    ByPoint(Point),
}

/// What order intake reads to route an order: the zones of [`ZoneLookup`], their
/// restaurants, the restaurant the order names; and, only for an order that then cannot be
/// routed, every restaurant when its refusal depends on them all (`every_if_unrouted`: a
/// site order by coordinates without `concept_id` nor `restaurant_id` outside every
/// default-concept zone is told `concept_required` when any restaurant works with
/// concepts). Reading these gives [`route`] the same answer as reading everything: a zone
/// it could choose is among them (same id, or its box holds the point), and every other
/// restaurant it consults is named.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidates {
    pub zones: ZoneLookup,
    pub restaurant: Option<String>,
    pub every_if_unrouted: bool,
}

/// [`Candidates`] of an order under `rules`.
pub fn candidates(req: &NewOrderRequest, rules: Rules) -> Candidates {
    let body = &req.body;
    let restaurant = text(&body.restaurant_id).map(str::to_owned);
    let address = body.address.as_ref();
    let point = || {
        let coords = address.and_then(|a| a.coords.as_ref())?;
        let mut ignored = Violations::new();
        let lat = coordinate(&coords.latitude, "address.coords.latitude", &mut ignored)?;
        let lon = coordinate(&coords.longitude, "address.coords.longitude", &mut ignored)?;
        Some(Point { lon, lat })
    };
    // A marketplace order is routed by its coordinates (a courier order's) or by the
    // restaurant it names; reading the point's zones for any method is a superset.
    let zone_id = if rules == Rules::Marketplace {
        None
    } else {
        address.and_then(|a| text(&a.zone_id))
    };
    let zones = match zone_id {
        Some(id) => ZoneLookup::ById(id.to_owned()),
        None => point().map_or(ZoneLookup::None, ZoneLookup::ByPoint),
    };
    let every_if_unrouted = rules != Rules::Marketplace
        && matches!(zones, ZoneLookup::ByPoint(_))
        && restaurant.is_none()
        && text(&body.concept_id).is_none();
    Candidates {
        zones,
        restaurant,
        every_if_unrouted,
    }
}

/// A validated marketplace order as it is stored and passed on: the route written into it
/// so the kitchen sees it. Routed by a zone, `address.zone_id` names it (Jupiter routes by
/// a zone before anything else); outside every zone, the coordinates are taken off the
/// address (Jupiter would route by them and ignore `restaurant_id`) and kept in the
/// comment. Either way the comment says which, and that the delivery fee is the
/// marketplace's. A pickup order is returned as it is.
pub fn marketplace_routed(req: &NewOrderRequest, valid: &ValidOrder<&str>) -> NewOrderRequest {
    let mut out = req.clone();
    if valid.delivery_method != DeliveryMethod::Courier {
        return out;
    }
    let body = &mut out.body;
    let fee = body
        .cart
        .as_ref()
        .and_then(|c| c.delivery.as_ref())
        .map_or_else(|| "0".to_owned(), ToString::to_string);
    let note = match (&valid.zone_id, body.address.as_mut()) {
        (Some(zone), address) => {
            if let Some(a) = address {
                a.zone_id = Some(zone.clone());
            }
            format!(
                "Routed by delivery zone {zone} (the address's coordinates) to restaurant {}; \
                 delivery fee {fee} as the marketplace charged it",
                valid.restaurant_id
            )
        }
        (None, address) => {
            let coords = address
                .and_then(|a| {
                    a.zone_id = None;
                    a.coords.take()
                })
                .map(|c| {
                    let part = |v: &Option<Value>| match v {
                        Some(Value::String(s)) => s.clone(),
                        Some(other) => other.to_string(),
                        None => String::new(),
                    };
                    format!(" ({}, {})", part(&c.latitude), part(&c.longitude))
                })
                .unwrap_or_default();
            format!(
                "Address{coords} outside every delivery zone: sent to restaurant {} as the \
                 marketplace named it; delivery fee {fee} as the marketplace charged it",
                valid.restaurant_id
            )
        }
    };
    body.comment = Some(match body.comment.as_deref().map(str::trim) {
        Some(c) if !c.is_empty() => format!("{c}. {note}"),
        _ => note,
    });
    out
}

/// The restaurant an order is routed to (zone, coords or `restaurant_id`, as
/// [`validate`] routes it), so the edge loads only that restaurant's menu. `None` when the
/// order cannot be routed; [`validate`] then says why.
pub fn routed_restaurant(req: &NewOrderRequest, ctx: &OrderContext<'_>) -> Option<String> {
    let method = match text(&req.body.delivery_method) {
        Some("courier") => Some(DeliveryMethod::Courier),
        Some("pickup") => Some(DeliveryMethod::Pickup),
        _ => None,
    };
    let mut ignored = Violations::new();
    route(&req.body, ctx, method, &mut ignored).map(|r| r.restaurant.place.id.clone())
}
