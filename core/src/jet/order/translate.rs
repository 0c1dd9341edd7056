//! A JET Connect order as a Jupiter `new_order` (see the mapping table in the module doc
//! of [`crate::jet::order`]). Pure: the restaurant, its offset and the charge mapping are
//! arguments. The money is [`super::bill`]'s: `cart.total` and `payment.sum` are what the
//! customer paid (`payment.final.inc_tax`); what no menu item carries is a returned
//! [`Recorded`] part, written as a marketplace charge line and in the comment's bill, so
//! that `Σ lines (charge lines included) + cart.delivery = cart.total = payment.final`,
//! always.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::Number;

use super::bill::{bill, label, line_total, BillLine};
use super::validate::{AdjustmentKind, Choice, Fulfilment, JetOrder};
use crate::domain::Money;
use crate::order::wire::{
    charge_line, money_number, Address, Cart, CartItem, CartModifier, Coords, NewOrderRequest,
    OrderBody, Payment, Person,
};
use crate::problem::Violation;
use crate::tz::LocalZone;

/// A due time further than this after `created_at` makes the order a scheduled one
/// (`date_preorder`); sooner, it is cooked now (JET sends a collection time with every
/// order, ASAP ones included).
pub const SCHEDULED_AFTER_MINUTES: i64 = 60;

/// Which Jupiter menu item carries each kind of adjustment, as HubRise maps charges to
/// "ref codes" (`JET_CHARGE_ITEMS`, e.g. `serviceCharge=SRV,bagfee=BAG,driverTip=TIP`).
/// `deliveryFee` is always `cart.delivery` and a `discount` is always a negative charge
/// line (`marketplace:discount`), so neither can be mapped; an unmapped charge is a charge
/// line of its own kind (`marketplace:service-charge`, …).
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

/// A part of Just Eat's bill that is not on the Jupiter cart's lines or delivery, signed
/// (a discount is negative): `Σ lines + cart.delivery + Σ recorded = payment.final`.
pub type Recorded = super::bill::Part;

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
    /// What the customer paid in minor units: the order's `cart.total` and `payment.sum`.
    pub total: i64,
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

/// Lines grouped into counts: identical lines (PLU, price, options, note) become one with
/// a count. Lines with different notes stay apart, so that each note names its own line.
fn grouped(lines: &[BillLine]) -> Vec<(BillLine, i64)> {
    let mut out: Vec<(BillLine, i64)> = Vec::new();
    for l in lines {
        let mut l = l.clone();
        l.line.children.sort();
        l.line.notes = l.line.notes.trim().to_owned();
        match out.iter_mut().find(|(x, _)| *x == l) {
            Some((_, count)) => *count += 1,
            None => out.push((l, 1)),
        }
    }
    out
}

/// An amount for the kitchen: minor units as a decimal with two places (`-300` → `-3.00`),
/// as on a receipt.
pub fn show(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let a = minor.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
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

/// Translates a valid JET order for `target`. Promotion items with a blank PLU (JET's free
/// items may have none) cannot be lines: they are named in the comment and what they cost
/// after the promotion is a recorded part.
pub fn translate(order: &JetOrder, target: Target<'_>, charges: &ChargeItems) -> Translation {
    let money_of = bill(order, charges);
    let mut notes: Vec<String> = Vec::new();
    let mut items = Vec::new();
    for (n, (l, count)) in grouped(&money_of.lines).into_iter().enumerate() {
        let line = &l.line;
        let what = if count > 1 {
            format!("line {} {} x{count}", n + 1, line.name)
        } else {
            format!("line {} {}", n + 1, line.name)
        };
        if !line.notes.is_empty() {
            notes.push(format!("{what}: {}", line.notes));
        }
        if let Some(promotion) = &l.promotion {
            let now = line_total(line);
            let was = if now == 0 {
                format!("free, listed at {}", show(l.listed))
            } else {
                format!("{} off {}", show(l.listed - now), show(l.listed))
            };
            notes.push(format!("{what}: {promotion}, {was}"));
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
    for l in &money_of.unlisted {
        let promotion = l.promotion.clone().unwrap_or_default();
        let note = if l.line.notes.trim().is_empty() {
            String::new()
        } else {
            format!(", note: {}", l.line.notes.trim())
        };
        notes.push(format!(
            "not on the cart (no PLU): {} ({promotion}, {} of {}{note})",
            l.line.name,
            show(line_total(&l.line)),
            show(l.listed)
        ));
    }
    for c in &money_of.charges {
        items.push(CartItem {
            id: Some(c.item.clone()),
            name: Some(c.kind.as_str().to_owned()),
            count: Some(Number::from(1)),
            cost: Some(money(c.amount)),
            modifiers: None,
        });
    }
    // What no menu line carries is a charge line of its own (a discount negative), so the
    // cart's lines and delivery add up to what the customer paid.
    for p in &money_of.parts {
        items.push(charge_line(p.kind, &p.name, p.amount));
    }
    let recorded = money_of.parts.clone();
    let delivery = money_of.delivery;
    let total = money_of.total;
    let lines_sum: i64 = money_of
        .lines
        .iter()
        .map(|l| line_total(&l.line))
        .chain(money_of.charges.iter().map(|c| c.amount))
        .sum();

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
    let cash = order.payment_method.trim().eq_ignore_ascii_case("cash");
    comment.push(bill_text(
        order,
        lines_sum,
        delivery,
        &recorded,
        &money_of.charges,
        cash,
    ));
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
            email: None,
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
        total,
    }
}

/// The bill as the kitchen reads it, one sentence: every amount with its name, added up to
/// what the customer paid, then who collects it on a cash order.
fn bill_text(
    order: &JetOrder,
    lines: i64,
    delivery: i64,
    parts: &[Recorded],
    charges: &[super::bill::ChargeLine],
    cash: bool,
) -> String {
    let mut text = format!("Bill: lines {}", show(lines));
    if !charges.is_empty() {
        let named: Vec<String> = charges
            .iter()
            .map(|c| format!("{} {} as item {}", label(c.kind), show(c.amount), c.item))
            .collect();
        text.push_str(&format!(" (with {})", named.join(", ")));
    }
    if delivery != 0 {
        text.push_str(&format!(" + delivery {}", show(delivery)));
    }
    for p in parts {
        let sign = if p.amount < 0 { '-' } else { '+' };
        text.push_str(&format!(" {sign} {} {}", p.name, show(p.amount.abs())));
    }
    text.push_str(&format!(
        " = paid {} ({}",
        show(order.final_total),
        order.payment_method.trim()
    ));
    if order.final_tax != 0 {
        text.push_str(&format!("; tax {}", show(order.final_tax)));
    }
    if order.deposit != 0 {
        text.push_str(&format!("; deposit {}", show(order.deposit)));
    }
    text.push(')');
    if cash {
        let who = match order.fulfilment {
            Fulfilment::DeliveryByMerchant => "the courier collects",
            Fulfilment::DeliveryByPartner => "Just Eat's courier collects",
            Fulfilment::CollectionByCustomer => "collect at the counter",
        };
        text.push_str(&format!(". CASH: {who} {}", show(order.final_total)));
    }
    text
}
