//! A checked `ConnectOrder` as a Jupiter `new_order` for one hub restaurant (the mapping
//! table is in [`super`]), and the way back: a Jupiter violation of the translated order
//! as an Orderconnect reason with the `ConnectOrder` field it came from.

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde_json::{Number, Value};

use crate::catalog::served_concept;
use crate::domain::Money;
use crate::geo::{stored_zone_contains, Point};
use crate::jupiter::{Menu, Zone};
use crate::order::validate::{ConceptState, RestaurantState};
use crate::order::wire::{
    Address, Cart, CartItem, CartModifier, Coords, NewOrderRequest, OrderBody, Payment, Person,
};
use crate::problem::Violation;
use crate::tz::LocalZone;

use super::check::{violation, CheckedOrder, ServiceType};
use super::Reason;

/// The prefix of every order number the hub gives an Orderconnect order; the rest is
/// Just Eat's `Id`, so the number is unique across channels (`orders.number` is UNIQUE).
pub const NUMBER_PREFIX: &str = "oc-";

/// The translated order and, for each Jupiter field path it filled, the `ConnectOrder`
/// path it came from (longest prefixes first), so Jupiter's violations can be told back
/// in Orderconnect's terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    pub request: NewOrderRequest,
    /// The storage key of the concept the order was put on (`""` = default).
    pub concept_key: String,
    pub paths: Vec<(String, String)>,
}

/// Fields of the translated order that come from one `ConnectOrder` field whatever the order.
const FIXED_PATHS: &[(&str, &str)] = &[
    ("number", "Id"),
    ("restaurant_id", "RestaurantInfo.Id"),
    ("concept_id", "BasketInfo.MenuId"),
    ("date_preorder", "Order.DueDateWithUtcOffset"),
    ("date", "Order.PlacedDate"),
    ("delivery_method", "Order.ServiceType"),
    ("client.name", "CustomerInfo.Name"),
    ("client.phone", "CustomerInfo.PhoneNumber"),
    ("address.coords", "CustomerInfo.Latitude"),
    ("address.zone_id", "CustomerInfo.Address"),
    ("address", "CustomerInfo.Address"),
    ("cart.delivery", "BasketInfo.DeliveryCharge"),
    ("cart.total", "BasketInfo.Total"),
    ("cart.items", "BasketInfo.GroupedBasketItems"),
    ("cart", "BasketInfo"),
    ("payment.sum", "PaymentInfo.Total"),
    ("payment", "PaymentInfo"),
];

/// A money amount as the decimal JSON number Jupiter reads (`500`, `12.5`).
fn number(m: Money) -> Result<Number, Violation> {
    Number::from_str(&m.to_decimal_string())
        .map_err(|e| Violation::new(Reason::Other.as_str(), None, format!("amount {m}: {e}")))
}

/// A restaurant-local `YYYY-MM-DD HH:MM:SS`.
fn local(t: DateTime<Utc>, zone: &LocalZone) -> String {
    zone.to_local(t).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// The restaurant's concept an order is for: the concept whose id is `BasketInfo.MenuId`,
/// else the only concept with a menu.
fn concept<'a>(
    order: &CheckedOrder,
    restaurant: &'a RestaurantState,
) -> Result<(&'a str, &'a ConceptState, &'a Menu), Violation> {
    let with_menu: Vec<(&String, &ConceptState, &Menu)> = restaurant
        .concepts
        .iter()
        .filter_map(|(k, c)| c.menu.as_ref().map(|m| (k, c, m)))
        .collect();
    if let Some(menu_id) = &order.menu_id {
        if let Some((k, c, m)) = with_menu.iter().find(|(k, _, _)| *k == menu_id) {
            return Ok((k.as_str(), c, m));
        }
    }
    match with_menu.as_slice() {
        [(k, c, m)] => Ok((k.as_str(), c, m)),
        [] => Err(violation(
            Reason::RestaurantNotConfigured,
            "RestaurantInfo.Id",
            format!(
                "restaurant {:?} ({:?}) has no menu in the hub",
                order.restaurant_ref, restaurant.place.id
            ),
        )),
        several => Err(violation(
            Reason::RestaurantNotConfigured,
            "BasketInfo.MenuId",
            format!(
                "restaurant {:?} has {} menus (concepts {}) and MenuId {} names none of them",
                restaurant.place.id,
                several.len(),
                several
                    .iter()
                    .map(|(k, _, _)| served_concept(k))
                    .collect::<Vec<_>>()
                    .join(", "),
                order.menu_id.as_deref().unwrap_or("(none)")
            ),
        )),
    }
}

/// The zone a delivery goes to: with coordinates, the concept's zone that contains them
/// (the lowest id when several do); without, the concept's zone with the lowest id (Just
/// Eat has already accepted the address, the hub only needs a zone for its records and the
/// kitchen's delivery time).
fn zone<'a>(
    order: &CheckedOrder,
    restaurant: &RestaurantState,
    zones: &'a [Zone],
) -> Result<&'a Zone, Violation> {
    let mut sorted: Vec<&Zone> = zones.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let Some(first) = sorted.first() else {
        return Err(violation(
            Reason::NotSupported,
            "CustomerInfo.Address",
            format!(
                "restaurant {:?} has no delivery zone: it does not deliver",
                restaurant.place.id
            ),
        ));
    };
    let Some((lat, lon)) = order.coords else {
        return Ok(first);
    };
    let point = Point { lon, lat };
    sorted
        .into_iter()
        // Stored zones were validated when written: test the point without rebuilding
        // and re-validating every polygon per order (geo::stored_zone_contains).
        .find(|z| stored_zone_contains(&z.coordinates, point))
        .ok_or_else(|| {
            violation(
                Reason::TooFar,
                "CustomerInfo.Latitude",
                format!(
                    "the customer at ({lat}, {lon}) is outside every delivery zone of restaurant {:?}",
                    restaurant.place.id
                ),
            )
        })
}

/// What the kitchen reads in `comment`: the customer's notes, Just Eat's reference, and
/// the money Jupiter's cart cannot show (discounts, tip, what to collect).
fn comment(order: &CheckedOrder) -> String {
    let mut parts = Vec::new();
    if let Some(note) = &order.note {
        parts.push(note.clone());
    }
    parts.push(match &order.friendly_reference {
        Some(r) => format!("Just Eat order {r} ({})", order.id),
        None => format!("Just Eat order {}", order.id),
    });
    if order.discount != Money::ZERO {
        parts.push(format!("Just Eat discounts -{}", order.discount));
    }
    if order.tip != Money::ZERO {
        parts.push(format!("driver tip {}", order.tip));
    }
    parts.push(if order.cash_on_delivery {
        format!("collect {} in cash", order.total)
    } else {
        format!("paid {} online", order.paid_total)
    });
    parts.join(" | ")
}

/// Translates a checked order for `restaurant`. `mapping` overrides the default item
/// lookup: a `ProductId`, `MenuCardNumber` or accessory id → the menu id to use.
pub fn translate(
    order: &CheckedOrder,
    restaurant: &RestaurantState,
    mapping: &BTreeMap<String, String>,
) -> Result<Translation, Vec<Violation>> {
    let mut out = Vec::new();
    let (concept_key, concept_state, menu) = match concept(order, restaurant) {
        Ok(found) => found,
        Err(v) => return Err(vec![v]),
    };
    let mut paths: Vec<(String, String)> = Vec::new();
    let mut items = Vec::new();
    for (n, line) in order.lines.iter().enumerate() {
        let path = format!("BasketInfo.GroupedBasketItems[{}]", line.index);
        let candidates = [line.product_id.as_deref(), line.menu_card_number.as_deref()];
        let mapped = candidates
            .iter()
            .flatten()
            .find_map(|c| mapping.get(*c).cloned());
        let found = mapped.or_else(|| {
            candidates
                .iter()
                .flatten()
                .find(|c| menu.items.iter().any(|i| i.id == **c))
                .map(|c| (*c).to_owned())
        });
        let Some(id) = found else {
            out.push(violation(
                Reason::BadRequest,
                &format!("{path}.BasketItem.ProductId"),
                format!(
                    "neither ProductId {} nor MenuCardNumber {} is an item on the menu of restaurant {:?}",
                    line.product_id.as_deref().unwrap_or("(none)"),
                    line.menu_card_number.as_deref().map_or("(none)".to_owned(), |m| format!("{m:?}")),
                    restaurant.place.id
                ),
            ));
            continue;
        };
        let per_unit = line.parts.iter().try_fold(Money::ZERO, |acc, p| {
            acc.checked_add(p.unit_price.checked_mul(p.count)?)
        });
        let combined = line.combined_price.minor();
        if combined % line.quantity != 0 {
            out.push(violation(
                Reason::BadRequest,
                &format!("{path}.CombinedPrice"),
                format!(
                    "{} is not Quantity {} times one price",
                    line.combined_price, line.quantity
                ),
            ));
            continue;
        }
        let unit = combined / line.quantity;
        let cost = per_unit
            .and_then(|p| unit.checked_sub(p.minor()))
            .filter(|c| *c >= 0);
        let Some(cost) = cost.and_then(|c| Money::from_minor(c, "cost").ok()) else {
            out.push(violation(
                Reason::BadRequest,
                &format!("{path}.CombinedPrice"),
                format!(
                    "{} for {} is less than the item's parts and accessories",
                    line.combined_price, line.quantity
                ),
            ));
            continue;
        };
        let jpath = format!("cart.items[{n}]");
        let mut modifiers = Vec::new();
        for (j, part) in line.parts.iter().enumerate() {
            paths.push((format!("{jpath}.modifiers[{j}]"), part.path.clone()));
            modifiers.push(CartModifier {
                id: Some(
                    mapping
                        .get(&part.id)
                        .cloned()
                        .unwrap_or_else(|| part.id.clone()),
                ),
                name: part.name.clone(),
                count: Some(Number::from(part.count)),
                cost: Some(match number(part.unit_price) {
                    Ok(n) => n,
                    Err(v) => return Err(vec![v]),
                }),
            });
        }
        paths.push((
            format!("{jpath}.id"),
            format!("{path}.BasketItem.ProductId"),
        ));
        paths.push((format!("{jpath}.count"), format!("{path}.Quantity")));
        paths.push((format!("{jpath}.cost"), format!("{path}.CombinedPrice")));
        paths.push((jpath, path));
        items.push(CartItem {
            id: Some(id),
            name: line.name.clone(),
            count: Some(Number::from(line.quantity)),
            cost: Some(match number(cost) {
                Ok(n) => n,
                Err(v) => return Err(vec![v]),
            }),
            modifiers: (!modifiers.is_empty()).then_some(modifiers),
        });
    }
    let address = match order.service_type {
        ServiceType::Collection => None,
        ServiceType::Delivery => match zone(order, restaurant, &concept_state.zones) {
            Ok(z) => Some(Address {
                name: order.address.clone(),
                comment: None,
                coords: order.coords.map(|(lat, lon)| Coords {
                    latitude: Some(Value::String(lat.to_string())),
                    longitude: Some(Value::String(lon.to_string())),
                }),
                zone_id: Some(z.id.clone()),
            }),
            Err(v) => {
                out.push(v);
                None
            }
        },
    };
    if !out.is_empty() {
        return Err(out);
    }
    let gross = order
        .subtotal
        .checked_add(order.delivery_charge)
        .ok_or_else(|| {
            vec![violation(
                Reason::BadRequest,
                "BasketInfo.Total",
                "is too large",
            )]
        })?;
    let gross = number(gross).map_err(|v| vec![v])?;
    let zone = &restaurant.time_zone;
    let preorder = if order.asap {
        None
    } else {
        order.due.map(|d| local(d.with_timezone(&Utc), zone))
    };
    paths.sort_by_key(|(j, _)| std::cmp::Reverse(j.len()));
    for (j, o) in FIXED_PATHS {
        paths.push(((*j).to_owned(), (*o).to_owned()));
    }
    let request = NewOrderRequest {
        action: Some("new_order".to_owned()),
        body: OrderBody {
            number: Some(format!("{NUMBER_PREFIX}{}", order.id)),
            restaurant_id: Some(restaurant.place.id.clone()),
            concept_id: (!concept_key.is_empty()).then(|| concept_key.to_owned()),
            date: Some(local(order.placed_at, zone)),
            delivery_method: Some(
                match order.service_type {
                    ServiceType::Delivery => "courier",
                    ServiceType::Collection => "pickup",
                }
                .to_owned(),
            ),
            persons: None,
            comment: Some(comment(order)),
            date_preorder: preorder,
            status_url: None,
            cart: Some(Cart {
                items,
                delivery: Some(number(order.delivery_charge).map_err(|v| vec![v])?),
                total: Some(gross.clone()),
            }),
            client: Some(Person {
                name: Some(order.customer_name.clone()),
                phone: Some(order.customer_phone.clone()),
            }),
            recipient_name: None,
            address,
            payment: Some(Payment {
                method: Some(
                    if order.cash_on_delivery {
                        "cash"
                    } else {
                        "online"
                    }
                    .to_owned(),
                ),
                sum: Some(gross),
                change: None,
            }),
        },
    };
    Ok(Translation {
        request,
        concept_key: concept_key.to_owned(),
        paths,
    })
}

/// The Orderconnect reason for a Jupiter violation code of the translated order.
pub fn reason_for(code: &str) -> Reason {
    match code {
        "unknown_restaurant" | "concept_required" | "unknown_concept" => {
            Reason::RestaurantNotConfigured
        }
        "restaurant_closed" | "preorder_closed" | "preorder_too_far" => Reason::OutsideHours,
        "restaurant_offline" => Reason::TooBusy,
        "outside_zone" | "preorder_too_soon" => Reason::TooFar,
        "unknown_zone" | "pickup_unavailable" => Reason::NotSupported,
        "zone_required" => Reason::BadAddress,
        "item_stopped" => Reason::Other,
        "duplicate" => Reason::Duplicate,
        "invalid_json" | "bad_action" | "missing_field" | "invalid_value" | "invalid_amount"
        | "negative_amount" | "amount_too_large" | "bad_count" | "bad_date" | "bad_phone"
        | "bad_coords" | "unknown_item" | "unknown_modifier" | "modifier_amount"
        | "modifier_group" | "price_mismatch" | "below_minimum" | "delivery_mismatch"
        | "total_mismatch" | "payment_mismatch" | "change_too_small" | "preorder_in_past" => {
            Reason::BadRequest
        }
        _ => Reason::Other,
    }
}

/// The `ConnectOrder` path a Jupiter field path came from (the longest known prefix wins).
pub fn connect_path(field: &str, paths: &[(String, String)]) -> String {
    for (jupiter, connect) in paths {
        if field == jupiter {
            return connect.clone();
        }
        if let Some(rest) = field.strip_prefix(jupiter.as_str()) {
            if rest.starts_with('.') || rest.starts_with('[') {
                return connect.clone();
            }
        }
    }
    field.to_owned()
}

/// Jupiter's violations of a translated order, told in Orderconnect's terms: the reason
/// code, the `ConnectOrder` field, and Jupiter's message naming the specific problem.
pub fn reasons(violations: &[Violation], translation: &Translation) -> Vec<Violation> {
    violations
        .iter()
        .map(|v| {
            let reason = reason_for(&v.code);
            let message = match v.code.as_str() {
                "restaurant_closed" => "the restaurant is closed now".to_owned(),
                "restaurant_offline" => {
                    "the restaurant is paused (offline) and takes no orders now".to_owned()
                }
                "item_stopped" => format!("{} (sold out)", v.message),
                _ => v.message.clone(),
            };
            Violation {
                code: reason.as_str().to_owned(),
                field: v
                    .field
                    .as_deref()
                    .map(|f| connect_path(f, &translation.paths)),
                message,
            }
        })
        .collect()
}

/// The zone Just Eat's timestamps for this order are written in, as stored with the order
/// (`edge` reads it back with `LocalZone` rules): the restaurant's IANA zone when it has
/// one (summer time included, also for an order whose life crosses a change); else the
/// offset of its `DueDateWithUtcOffset` (the restaurant's local time as Just Eat knows
/// it); else the hub restaurant's fixed offset.
pub fn order_zone(order: &CheckedOrder, restaurant: &LocalZone) -> String {
    match (restaurant, order.due) {
        (LocalZone::Iana(rules), _) => rules.name().to_owned(),
        (LocalZone::Fixed(_), Some(d)) => d.offset().to_string(),
        (LocalZone::Fixed(offset), None) => offset.to_string(),
    }
}
