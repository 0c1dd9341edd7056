//! A JET Connect order as a Jupiter `new_order` (see the mapping table in the module doc
//! of [`crate::jet_order`]). Pure: the restaurant, its offset and the charge mapping are
//! arguments. What Jupiter's cart cannot carry is returned as [`Recorded`] amounts, so that
//! the cart total plus what was recorded is always Just Eat's `payment.final`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::Number;

use super::validate::{AdjustmentKind, Choice, Fulfilment, JetOrder, Line};
use crate::domain::Money;
use crate::order::wire::{
    money_number, Address, Cart, CartItem, CartModifier, Coords, NewOrderRequest, OrderBody,
    Payment, Person,
};
use crate::problem::Violation;
use crate::tz::LocalZone;

/// A due time further than this after `created_at` makes the order a scheduled one
/// (`date_preorder`); sooner, it is cooked now (JET sends a collection time with every
/// order, ASAP ones included).
pub const SCHEDULED_AFTER_MINUTES: i64 = 60;

/// Which Jupiter menu item carries each kind of adjustment, as HubRise maps charges to
/// "ref codes" (`JET_CHARGE_ITEMS`, e.g. `serviceCharge=SRV,bagfee=BAG,driverTip=TIP`).
/// `deliveryFee` is always `cart.delivery` and a `discount` can never be a line (Jupiter
/// amounts are not negative), so neither can be mapped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChargeItems(BTreeMap<AdjustmentKind, String>);

impl ChargeItems {
    /// Parses `kind=item,kind=item` (blank: no mapping); every bad entry is reported.
    pub fn parse(text: &str) -> Result<ChargeItems, Vec<Violation>> {
        let mut map = BTreeMap::new();
        let mut out = Vec::new();
        for entry in text.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let Some((kind, item)) = entry.split_once('=') else {
                out.push(Violation::new(
                    "bad_charge_items",
                    Some("JET_CHARGE_ITEMS"),
                    format!("{entry:?} is not kind=item"),
                ));
                continue;
            };
            let (kind, item) = (kind.trim(), item.trim());
            match AdjustmentKind::parse(kind) {
                Some(AdjustmentKind::DeliveryFee | AdjustmentKind::Discount) | None => {
                    out.push(Violation::new(
                        "bad_charge_items",
                        Some("JET_CHARGE_ITEMS"),
                        format!(
                            "{kind:?} cannot be mapped: use serviceCharge, bagfee, driverTip, \
                             itemDepositGroup or other"
                        ),
                    ))
                }
                Some(_) if item.is_empty() => out.push(Violation::new(
                    "bad_charge_items",
                    Some("JET_CHARGE_ITEMS"),
                    format!("{kind:?} has no item id"),
                )),
                Some(k) => {
                    map.insert(k, item.to_owned());
                }
            }
        }
        if out.is_empty() {
            Ok(ChargeItems(map))
        } else {
            Err(out)
        }
    }

    pub fn item_for(&self, kind: AdjustmentKind) -> Option<&str> {
        self.0.get(&kind).map(String::as_str)
    }
}

/// An amount of Just Eat's bill that is not on the Jupiter cart, signed (a discount is
/// negative): `cart.total + Σ recorded = payment.final`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub name: String,
    pub amount: i64,
}

/// The hub restaurant a JET order is for.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub restaurant_id: &'a str,
    pub zone: &'a LocalZone,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    pub order: NewOrderRequest,
    pub recorded: Vec<Recorded>,
}

/// The Jupiter `number` of a JET order: unique across channels and the same on every
/// delivery of the same order.
pub fn number_of(jet_id: &str) -> String {
    format!("jet-{jet_id}")
}

fn money(minor: i64) -> Number {
    Money::from_minor(minor, "amount")
        .map(money_number)
        .unwrap_or_else(|_| Number::from(0))
}

/// A Unix time as the restaurant's wall clock, in its zone at that instant.
fn local(at: i64, zone: &LocalZone) -> String {
    let t = DateTime::<Utc>::from_timestamp(at, 0).unwrap_or_default();
    zone.to_local(t).format("%Y-%m-%d %H:%M:%S").to_string()
}

fn line_total(line: &Line) -> i64 {
    line.children
        .iter()
        .fold(line.price, |s, c| s.saturating_add(c.price))
}

/// Lines grouped into counts: identical lines (PLU, price, options) become one with a
/// count; their notes are kept for the comment.
fn grouped(lines: &[&Line]) -> Vec<(Line, i64, Vec<String>)> {
    let mut out: Vec<(Line, i64, Vec<String>)> = Vec::new();
    for line in lines {
        let mut children = line.children.clone();
        children.sort();
        let same = out
            .iter_mut()
            .find(|(l, _, _)| l.plu == line.plu && l.price == line.price && l.children == children);
        let note = line.notes.trim().to_owned();
        match same {
            Some((_, count, notes)) => {
                *count += 1;
                if !note.is_empty() {
                    notes.push(note);
                }
            }
            None => {
                let mut l = (*line).clone();
                l.children = children;
                out.push((l, 1, [note].into_iter().filter(|n| !n.is_empty()).collect()));
            }
        }
    }
    out
}

fn modifiers(children: &[Choice]) -> Vec<CartModifier> {
    let mut out: Vec<(Choice, i64)> = Vec::new();
    for c in children {
        match out.iter_mut().find(|(x, _)| x == c) {
            Some((_, n)) => *n += 1,
            None => out.push((c.clone(), 1)),
        }
    }
    out.into_iter()
        .map(|(c, n)| CartModifier {
            id: Some(c.plu),
            name: Some(c.name),
            count: Some(Number::from(n)),
            cost: Some(money(c.price)),
        })
        .collect()
}

/// Translates a valid JET order for `target`. Lines with a blank PLU (JET's free promotion
/// items may have none) are not sent to the kitchen as lines; they are named in the comment
/// and their price is recorded.
pub fn translate(order: &JetOrder, target: Target<'_>, charges: &ChargeItems) -> Translation {
    let mut recorded = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut sellable: Vec<&Line> = Vec::new();
    for line in &order.lines {
        sellable.push(line);
    }
    for p in &order.promotions {
        for line in &p.items {
            if line.plu.is_empty() {
                notes.push(format!("Promotion {}: {} (no PLU)", p.kind, line.name));
                recorded.push(Recorded {
                    name: format!("promotion item without PLU: {}", line.name),
                    amount: line_total(line),
                });
            } else {
                sellable.push(line);
            }
        }
        if p.discount_value > 0 {
            recorded.push(Recorded {
                name: format!("promotion {} ({})", p.promotion_id, p.kind),
                amount: -p.discount_value,
            });
        }
    }
    let mut items = Vec::new();
    let mut lines_sum: i64 = 0;
    for (line, count, line_notes) in grouped(&sellable) {
        lines_sum = lines_sum.saturating_add(line_total(&line).saturating_mul(count));
        for n in line_notes {
            notes.push(format!("{}: {n}", line.name));
        }
        let mods = modifiers(&line.children);
        items.push(CartItem {
            id: Some(line.plu.clone()),
            name: Some(line.name.clone()),
            count: Some(Number::from(count)),
            cost: Some(money(line.price)),
            modifiers: (!mods.is_empty()).then_some(mods),
        });
    }
    // The items as Just Eat priced them against the lines as the kitchen gets them (tax
    // outside the item prices, a priced promotion item): the difference is recorded.
    let recorded_items: i64 = recorded.iter().map(|r| r.amount).sum();
    let items_difference = order.items_in_cart - lines_sum - recorded_items;
    if items_difference != 0 {
        recorded.push(Recorded {
            name: "items_in_cart not in the item prices (tax, rounding)".to_owned(),
            amount: items_difference,
        });
    }
    let mut delivery: i64 = 0;
    for (kind, amount) in &order.adjustments {
        match (kind, charges.item_for(*kind)) {
            (AdjustmentKind::DeliveryFee, _) => delivery = delivery.saturating_add(*amount),
            (_, Some(item)) => {
                lines_sum = lines_sum.saturating_add(*amount);
                items.push(CartItem {
                    id: Some(item.to_owned()),
                    name: Some(kind.as_str().to_owned()),
                    count: Some(Number::from(1)),
                    cost: Some(money(*amount)),
                    modifiers: None,
                });
            }
            (kind, None) => recorded.push(Recorded {
                name: kind.as_str().to_owned(),
                amount: kind.sign() * amount,
            }),
        }
    }
    let total = lines_sum.saturating_add(delivery);

    let courier = order.fulfilment == Fulfilment::DeliveryByMerchant;
    let customer = order.customer.clone().unwrap_or_default();
    let scheduled = order
        .due_at
        .filter(|due| *due > order.created_at + SCHEDULED_AFTER_MINUTES * 60);
    let mut comment = vec![format!(
        "{} order {} ({})",
        order.channel_name,
        order.reference,
        order.fulfilment.as_str()
    )];
    if let Some(due) = order.due_at {
        let what = if courier { "deliver at" } else { "collect at" };
        comment.push(format!("{what} {}", local(due, target.zone)));
    }
    for n in [
        &order.kitchen_notes,
        &order.delivery_notes,
        &order.collection_notes,
    ] {
        if !n.trim().is_empty() {
            comment.push(n.trim().to_owned());
        }
    }
    comment.extend(notes);
    if !customer.masking_code.trim().is_empty() {
        comment.push(format!(
            "customer phone masking code {}",
            customer.masking_code.trim()
        ));
    }
    if let Some(driver) = &order.driver {
        comment.push(format!("driver {} {}", driver.name, driver.phone));
    }
    if !recorded.is_empty() {
        let parts: Vec<String> = recorded
            .iter()
            .map(|r| {
                let sign = if r.amount < 0 { "-" } else { "+" };
                let m = Money::from_minor(r.amount.abs(), "amount").unwrap_or(Money::ZERO);
                format!("{} {sign}{m}", r.name)
            })
            .collect();
        let paid = Money::from_minor(order.final_total, "final").unwrap_or(Money::ZERO);
        comment.push(format!(
            "paid {paid} in all; not on the bill: {}",
            parts.join(", ")
        ));
    }
    let cash = order.payment_method.trim().eq_ignore_ascii_case("cash");
    let address = order.address.clone().unwrap_or_default();
    let body = OrderBody {
        number: Some(number_of(&order.id)),
        restaurant_id: Some(target.restaurant_id.to_owned()),
        concept_id: Some(order.menu_reference.trim().to_owned()).filter(|c| !c.is_empty()),
        date: Some(local(order.created_at, target.zone)),
        delivery_method: Some(if courier { "courier" } else { "pickup" }.to_owned()),
        persons: None,
        comment: Some(comment.join(". ")),
        date_preorder: scheduled.map(|due| local(due, target.zone)),
        status_url: None,
        cart: Some(Cart {
            items,
            delivery: Some(money(delivery)),
            total: Some(money(total)),
        }),
        client: Some(Person {
            name: Some(if customer.name.is_empty() {
                format!("{} customer", order.channel_name)
            } else {
                customer.name.clone()
            }),
            phone: Some(if customer.phone.is_empty() {
                "not given".to_owned()
            } else {
                customer.phone.clone()
            }),
        }),
        recipient_name: None,
        address: courier.then(|| Address {
            name: Some(address.text.clone()),
            comment: None,
            coords: address.coordinates.map(|(lat, lon)| Coords {
                latitude: Some(serde_json::Value::String(lat.to_string())),
                longitude: Some(serde_json::Value::String(lon.to_string())),
            }),
            zone_id: None,
        }),
        payment: Some(Payment {
            method: Some(if cash { "cash" } else { "online" }.to_owned()),
            sum: Some(money(total)),
            change: None,
        }),
    };
    Translation {
        order: NewOrderRequest {
            action: Some("new_order".to_owned()),
            body,
        },
        recorded,
    }
}
