//! A checked `ConnectOrder` as a Jupiter `new_order` for one hub restaurant (the mapping
//! table is in [`super`]), and the way back: a Jupiter violation of the translated order
//! as an Orderconnect reason with the `ConnectOrder` field it came from.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde_json::{Number, Value};

use crate::catalog::served_concept;
use crate::domain::Money;
use crate::geo::Point;
use crate::jupiter::{Menu, Zone};
use crate::order::validate::{ConceptState, RestaurantState};
use crate::order::wire::{
    charge_line, Address, Cart, CartItem, CartModifier, Coords, NewOrderRequest, OrderBody,
    Payment, Person,
};
use crate::problem::Violation;
use crate::tz::LocalZone;
use crate::zone_memo::RoutableZone;
use std::sync::Arc;

use super::check::{parse_offset_date, violation, CheckedOrder, ServiceType};
use super::mapping::{IdKind, ItemMapping};
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
/// kitchen's delivery time). `None`: no zone of the restaurant has the point (or it has
/// none), and the shared marketplace routing decides.
fn zone<'a>(order: &CheckedOrder, zones: &'a [Arc<RoutableZone>]) -> Option<&'a Zone> {
    let mut sorted: Vec<&RoutableZone> = zones.iter().map(|z| &**z).collect();
    sorted.sort_by(|a, b| a.zone.id.cmp(&b.zone.id));
    let Some((lat, lon)) = order.coords else {
        return sorted.first().map(|z| &z.zone);
    };
    let point = Point { lon, lat };
    // Each zone's polygon was prepared once (`zone_memo`).
    sorted
        .into_iter()
        .find(|z| z.contains(point))
        .map(|z| &z.zone)
}

/// A part's Jupiter id: the operator's mapping, else the Just Eat id as written.
fn mapped(mapping: &ItemMapping, kind: IdKind, id: &str) -> String {
    mapping
        .get(kind, id)
        .map_or_else(|| id.to_owned(), str::to_owned)
}

/// Minor units as a signed decimal amount (`-4.78`).
fn signed(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    match abs % 100 {
        0 => format!("{sign}{}", abs / 100),
        m => format!("{sign}{}.{m:02}", abs / 100),
    }
}

/// The money lines that are no menu item, in the order the kitchen reads them: what turns
/// the item lines and the delivery into what the customer pays (the money table in
/// [`super`]). Zero amounts are left out.
pub fn charges(order: &CheckedOrder) -> Vec<(&'static str, &'static str, i64)> {
    let lines: i64 = order.lines.iter().map(|l| l.combined_price.minor()).sum();
    let basket = order.total.minor() - order.delivery_charge.minor();
    let adjustment = basket - lines;
    let mut out = Vec::new();
    if adjustment < 0 {
        out.push(("discount", "Just Eat discounts", adjustment));
    } else if adjustment > 0 {
        out.push((
            "basket",
            "Just Eat basket total beyond the listed lines",
            adjustment,
        ));
    }
    for (kind, name, amount) in [
        ("tip", "driver tip", order.tip.minor()),
        ("card-fee", "card fee", order.card_fees.minor()),
        (
            "complementary",
            "covered by Just Eat",
            -order.complementary.minor(),
        ),
    ] {
        if amount != 0 {
            out.push((kind, name, amount));
        }
    }
    out
}

/// What the kitchen reads in `comment`: the customer's notes, the restrictions, Just Eat's
/// reference, how to call the customer, the courier's pickup, and the money (what the
/// courier collects on a cash order).
fn comment(order: &CheckedOrder) -> String {
    let mut parts = Vec::new();
    for restriction in &order.restrictions {
        parts.push(if restriction.eq_ignore_ascii_case("alcohol") {
            "ALCOHOL: check the customer's ID on hand-over".to_owned()
        } else {
            format!("restricted items: {restriction}")
        });
    }
    for (label, note) in &order.notes {
        parts.push(format!("{label}: {note}"));
    }
    parts.push(match &order.friendly_reference {
        Some(r) => format!("Just Eat order {r} ({})", order.id),
        None => format!("Just Eat order {}", order.id),
    });
    if let Some(code) = &order.masking_code {
        parts.push(format!(
            "call {} with masking code {code}",
            order.customer_phone
        ));
    }
    if let Some(at) = &order.rds_pickup {
        // Shown in the offset Just Eat wrote it in (no zone arithmetic here).
        parts.push(match parse_offset_date(at) {
            Some(t) => format!("courier pickup at {}", t.format("%H:%M (%:z)")),
            None => format!("courier pickup at {at}"),
        });
    }
    if let Some(notice) = &order.pickup_notice {
        parts.push(format!("pickup notice {notice}"));
    }
    if let Some(notes) = &order.pickup_notes {
        parts.push(format!("pickup notes: {notes}"));
    }
    let mut money = format!(
        "items {} + delivery {}",
        signed(order.lines.iter().map(|l| l.combined_price.minor()).sum()),
        order.delivery_charge
    );
    for (_, name, amount) in charges(order) {
        let sign = if amount < 0 { '-' } else { '+' };
        money.push_str(&format!(" {sign} {name} {}", signed(amount.abs())));
    }
    money.push_str(&format!(" = {}", order.due_total));
    parts.push(money);
    parts.push(if order.cash_on_delivery {
        format!("collect {} in cash", order.due_total)
    } else {
        format!("paid {} online", order.due_total)
    });
    let paid = order.paid_total;
    if paid != order.due_total {
        parts.push(format!(
            "Just Eat's payment lines say {paid} (values {} + card fees {})",
            order.payment_values, order.card_fees
        ));
    }
    parts.join(" | ")
}

/// One Jupiter line (or two) for a basket line priced `combined` for `quantity`: the unit
/// price is `combined / quantity`; when that is not a whole number of pence the remainder
/// goes on a second line of one, so the lines add up to `combined` exactly. The parts are
/// priced as Just Eat listed them when the unit price holds them, else at 0 (the line's
/// price, discounts included, is what Just Eat charged; the parts come free with it).
fn priced_units(combined: i64, quantity: i64, parts_per_unit: i64) -> Vec<(i64, i64, bool)> {
    let unit = combined / quantity;
    let rest = combined % quantity;
    let priced = |u: i64| {
        if parts_per_unit <= u {
            (u - parts_per_unit, true)
        } else {
            (u, false)
        }
    };
    let mut out = Vec::new();
    if rest == 0 {
        let (cost, parts) = priced(unit);
        out.push((quantity, cost, parts));
    } else {
        if quantity > 1 {
            let (cost, parts) = priced(unit);
            out.push((quantity - 1, cost, parts));
        }
        let (cost, parts) = priced(unit + rest);
        out.push((1, cost, parts));
    }
    out
}

/// Translates a checked order for `restaurant`. `mapping` overrides the default item
/// lookup: a `ProductId`, `MenuCardNumber` or accessory id → the menu id to use.
pub fn translate(
    order: &CheckedOrder,
    restaurant: &RestaurantState,
    mapping: &ItemMapping,
) -> Result<Translation, Vec<Violation>> {
    let mut out = Vec::new();
    let (concept_key, concept_state, menu) = match concept(order, restaurant) {
        Ok(found) => found,
        Err(v) => return Err(vec![v]),
    };
    let mut paths: Vec<(String, String)> = Vec::new();
    let mut items = Vec::new();
    for line in &order.lines {
        let path = format!("BasketInfo.GroupedBasketItems[{}]", line.index);
        // The operator's mapping first (ProductId, then MenuCardNumber), then the menu id
        // written the same way (ProductId, then MenuCardNumber).
        let candidates = [
            (IdKind::Product, line.product_id.as_deref()),
            (IdKind::MenuCard, line.menu_card_number.as_deref()),
        ];
        let found = candidates
            .iter()
            .find_map(|(k, c)| c.and_then(|c| mapping.get(*k, c)).map(str::to_owned))
            .or_else(|| {
                candidates
                    .iter()
                    .filter_map(|(_, c)| *c)
                    .find(|c| menu.items.iter().any(|i| i.id == *c))
                    .map(str::to_owned)
            });
        let Some(id) = found else {
            out.push(violation(
                Reason::BadRequest,
                &format!("{path}.BasketItem.ProductId"),
                format!(
                    "neither ProductId {} nor MenuCardNumber {} is mapped or an item on the menu of restaurant {:?}",
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
        let Some(per_unit) = per_unit else {
            out.push(violation(
                Reason::BadRequest,
                &format!("{path}.BasketItem"),
                "the parts' prices are too large",
            ));
            continue;
        };
        for (count, cost, parts_priced) in
            priced_units(line.combined_price.minor(), line.quantity, per_unit.minor())
        {
            let n = items.len();
            let jpath = format!("cart.items[{n}]");
            let mut modifiers = Vec::new();
            for (j, part) in line.parts.iter().enumerate() {
                paths.push((format!("{jpath}.modifiers[{j}]"), part.path.clone()));
                let price = if parts_priced {
                    part.unit_price
                } else {
                    Money::ZERO
                };
                modifiers.push(CartModifier {
                    id: Some(mapped(mapping, part.kind, &part.id)),
                    name: part.name.clone(),
                    count: Some(Number::from(part.count)),
                    cost: Some(number(price).map_err(|v| vec![v])?),
                });
            }
            paths.push((
                format!("{jpath}.id"),
                format!("{path}.BasketItem.ProductId"),
            ));
            paths.push((format!("{jpath}.count"), format!("{path}.Quantity")));
            paths.push((format!("{jpath}.cost"), format!("{path}.CombinedPrice")));
            paths.push((jpath, path.clone()));
            let cost = Money::from_minor(cost, "cost").map_err(|v| vec![v])?;
            items.push(CartItem {
                id: Some(id.clone()),
                name: line.name.clone(),
                count: Some(Number::from(count)),
                cost: Some(number(cost).map_err(|v| vec![v])?),
                modifiers: (!modifiers.is_empty()).then_some(modifiers),
            });
        }
    }
    for (kind, name, amount) in charges(order) {
        let jpath = format!("cart.items[{}]", items.len());
        paths.push((
            jpath,
            match kind {
                "tip" => "PaymentInfo.DriverTipValue",
                "card-fee" => "PaymentInfo.PaymentLines",
                "complementary" => "PaymentInfo.TotalComplementary",
                _ => "BasketInfo.Total",
            }
            .to_owned(),
        ));
        items.push(charge_line(kind, name, amount));
    }
    let address = match order.service_type {
        ServiceType::Collection => None,
        // Just Eat accepted the address already: outside every zone of the restaurant (or
        // with none), the order is not refused but left to the shared marketplace routing
        // (`order::validate::marketplace_routed`): another restaurant's zone that contains
        // the point, else the restaurant Just Eat named, the kitchen told which.
        ServiceType::Delivery => Some(Address {
            name: order.address.clone(),
            comment: None,
            coords: order.coords.map(|(lat, lon)| Coords {
                latitude: Some(Value::String(lat.to_string())),
                longitude: Some(Value::String(lon.to_string())),
            }),
            zone_id: zone(order, &concept_state.zones).map(|z| z.id.clone()),
        }),
    };
    if !out.is_empty() {
        return Err(out);
    }
    // What the customer pays: the item lines, the charge lines and the delivery add up
    // to it (the money table in `super`).
    let gross = number(order.due_total).map_err(|v| vec![v])?;
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
                email: None,
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
