//! An order read back (`GET /site-api/orders/{order_id}`): its contents, totals and times
//! in the restaurant's zone, the amendments that reached it after it was placed, and what
//! the caller may see of it. Pure: the stored order, its amendments, the restaurant's zone
//! and the caller's standing come in; the view goes out.
//!
//! ## Who sees what ([`Audience`])
//!
//! | caller | audience | sees |
//! |--------|----------|------|
//! | no key (a browser holding the unguessable order id) | public | lines, totals, times, amendments, notes, the timeline's kinds, times and ETAs |
//! | the site key (`X-Jup-Api-Key`) | trusted | the above, and `delivery` (method, zone, price, address), `payment`, `client`, `recipient`, `comment`, `persons`, the timeline's sources and details |
//! | the operator key | trusted | the same |
//!
//! Names, phones, addresses and free-text comments (which may carry them) are personal
//! data; lines, totals and times are not.
//!
//! ## Amounts
//!
//! Roubles as JSON numbers, as Jupiter writes them, computed exactly in kopecks. A line is
//! `count × (cost + Σ modifier count × modifier cost)` (the rule of
//! [`validate::line_total`](super::validate::line_total)); a marketplace charge line's
//! cost may be negative (a discount). `totals.items` is the lines' sum, `delivery` the
//! cart's delivery price, `total` the cart's total, `discount` what a trusted site took
//! off it, `due` = `total − discount`.
//!
//! ## Times
//!
//! RFC 3339 with the restaurant's offset at that instant ([`LocalZone`], summer time
//! included): `created`/`updated` from the stored UTC instants, `date`/`date_preorder`
//! from the order's restaurant-local wall times (read as [`LocalZone::to_utc`] reads
//! them); a wall time that cannot be read is shown as it was sent.
//!
//! ## Amendments
//!
//! Each change that reached the order after it was placed (today: Just Eat's Final Picked
//! Order, `jet_final_picked`), with the time it arrived and what it changed, line by line:
//! lines are matched by id in order (the n-th line with an id before against the n-th
//! after); a line only before was removed (`after: null`), only after added (`before:
//! null`), and a line whose count, cost or modifiers differ is both. An amendment the hub
//! could not apply (`applied: false`) changed nothing.
//!
//! In upstream mode (the order was forwarded to Jupiter), an applied amendment reached the
//! hub only: Jupiter's site API has no call that changes an order. The view then carries
//! the note [`UPSTREAM_HOLDS_ORIGINAL`].

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Number, Value};

use super::timeline::{entries, Entry, Event};
use super::validate::parse_local;
use super::wire::{Address, CartItem, NewOrderRequest, Person};
use crate::domain::Money;
use crate::problem::Violation;
use crate::tz::LocalZone;

/// The note on an amended order that was forwarded to an upstream Jupiter.
pub const UPSTREAM_HOLDS_ORIGINAL: &str = "upstream_holds_original";

/// What a caller may see of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Anyone with the order id: lines, totals and times, no personal data.
    Public,
    /// The site's server (site key) or the operator: everything.
    Trusted,
}

impl Audience {
    /// The redaction rule: a caller that proved the site key or the operator key is
    /// trusted; anyone else is the public. (A key presented wrongly never gets here: the
    /// edge answers it 401.)
    pub fn of(site_key: bool, operator_key: bool) -> Audience {
        if site_key || operator_key {
            Audience::Trusted
        } else {
            Audience::Public
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Trusted => "trusted",
        }
    }
}

/// The stored order, as the view needs it.
#[derive(Debug, Clone, Copy)]
pub struct Stored<'a> {
    /// The order's current contents (the Jupiter `new_order` as stored, amendments applied).
    pub request: &'a NewOrderRequest,
    /// The delivery zone the order was routed to.
    pub zone_id: Option<&'a str>,
    /// Kopecks a trusted site took off the total.
    pub discount: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The order was forwarded to an upstream Jupiter.
    pub upstream: bool,
    /// Its timeline's events, in arrival order.
    pub events: &'a [Event],
}

/// A change that reached the order after it was placed.
#[derive(Debug, Clone, Copy)]
pub struct Amendment<'a> {
    /// Where it came from: `jet_final_picked`.
    pub source: &'a str,
    pub received_at: DateTime<Utc>,
    /// The contents it found.
    pub before: &'a NewOrderRequest,
    /// The contents it left; `None` when it could not be applied.
    pub after: Option<&'a NewOrderRequest>,
}

/// The order as a caller sees it; personal data only for [`Audience::Trusted`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderView {
    pub audience: &'static str,
    pub lines: Vec<Line>,
    pub totals: Totals,
    pub times: Times,
    pub amendments: Vec<AmendmentView>,
    pub notes: Vec<Note>,
    /// What Just Eat told the hub about the order beyond its status ([`timeline`](super::timeline)).
    pub timeline: Vec<Entry>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub personal: Option<Personal>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub id: Option<String>,
    pub name: Option<String>,
    pub count: i64,
    pub cost: Number,
    pub modifiers: Vec<Modifier>,
    /// `count × (cost + Σ modifier count × modifier cost)`.
    pub total: Number,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Modifier {
    pub id: Option<String>,
    pub name: Option<String>,
    pub count: i64,
    pub cost: Number,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Totals {
    pub items: Number,
    pub delivery: Number,
    pub total: Number,
    pub discount: Number,
    pub due: Number,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Times {
    /// The restaurant's IANA zone; `null` when it has only a fixed offset.
    pub timezone: Option<String>,
    pub created: String,
    pub updated: String,
    pub date: Option<String>,
    pub date_preorder: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AmendmentView {
    pub source: String,
    pub received_at: String,
    pub applied: bool,
    pub changes: Vec<LineChange>,
    pub total_before: Number,
    pub total_after: Option<Number>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineChange {
    pub before: Option<Line>,
    pub after: Option<Line>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    pub code: &'static str,
    pub message: String,
}

/// What only a trusted caller sees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Personal {
    pub delivery: Delivery,
    pub payment: Option<PaymentView>,
    pub client: Option<PersonView>,
    pub recipient: Option<PersonView>,
    pub comment: Option<String>,
    pub persons: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    pub method: Option<String>,
    pub zone_id: Option<String>,
    pub price: Number,
    pub address: Option<AddressView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AddressView {
    pub name: Option<String>,
    pub comment: Option<String>,
    pub latitude: Option<Value>,
    pub longitude: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PaymentView {
    pub method: Option<String>,
    pub sum: Option<Number>,
    pub change: Option<Number>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonView {
    pub name: Option<String>,
    pub phone: Option<String>,
}

/// The view of a stored order for `audience`, times in `zone`. An amount or count that
/// cannot be read (the stored order passed validation, so this is the store's fault) is
/// the violation naming it.
pub fn view(
    order: &Stored<'_>,
    amendments: &[Amendment<'_>],
    zone: &LocalZone,
    audience: Audience,
) -> Result<OrderView, Violation> {
    let body = &order.request.body;
    let lines = lines_of(order.request)?;
    let items = lines_sum(&lines)?;
    let cart = body.cart.as_ref();
    let delivery = match cart.and_then(|c| c.delivery.as_ref()) {
        Some(n) => minor_of(n, "cart.delivery")?,
        None => 0,
    };
    let total = match cart.and_then(|c| c.total.as_ref()) {
        Some(n) => minor_of(n, "cart.total")?,
        None => items
            .checked_add(delivery)
            .ok_or_else(|| overflow("cart.total"))?,
    };
    let due = total
        .checked_sub(order.discount)
        .ok_or_else(|| overflow("discount"))?;
    let mut changes = Vec::with_capacity(amendments.len());
    for a in amendments {
        changes.push(amendment_view(a, zone)?);
    }
    let notes = if order.upstream && amendments.iter().any(|a| a.after.is_some()) {
        vec![Note {
            code: UPSTREAM_HOLDS_ORIGINAL,
            message: "Jupiter holds this order's original contents: the amendments listed \
                      here reached the hub only, since Jupiter's site API has no call that \
                      changes an order"
                .to_owned(),
        }]
    } else {
        Vec::new()
    };
    let personal = match audience {
        Audience::Public => None,
        Audience::Trusted => Some(personal(order, delivery)?),
    };
    Ok(OrderView {
        audience: audience.as_str(),
        lines,
        totals: Totals {
            items: amount(items),
            delivery: amount(delivery),
            total: amount(total),
            discount: amount(order.discount),
            due: amount(due),
        },
        times: Times {
            timezone: zone.name().map(str::to_owned),
            created: instant(zone, order.created_at),
            updated: instant(zone, order.updated_at),
            date: body.date.as_deref().map(|d| wall(zone, d)),
            date_preorder: body
                .date_preorder
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(|d| wall(zone, d)),
        },
        amendments: changes,
        notes,
        timeline: entries(order.events, zone, audience == Audience::Trusted),
        personal,
    })
}

fn personal(order: &Stored<'_>, delivery: i64) -> Result<Personal, Violation> {
    let body = &order.request.body;
    let person = |p: &Option<Person>| {
        p.as_ref().map(|p| PersonView {
            name: p.name.clone(),
            phone: p.phone.clone(),
        })
    };
    let payment = match &body.payment {
        None => None,
        Some(p) => Some(PaymentView {
            method: p.method.clone(),
            sum: optional_amount(&p.sum, "payment.sum")?,
            change: optional_amount(&p.change, "payment.change")?,
        }),
    };
    let persons = match &body.persons {
        None => None,
        Some(n) => Some(whole(n, "persons")?),
    };
    Ok(Personal {
        delivery: Delivery {
            method: body.delivery_method.clone(),
            zone_id: order
                .zone_id
                .map(str::to_owned)
                .or_else(|| body.address.as_ref().and_then(|a| a.zone_id.clone())),
            price: amount(delivery),
            address: body.address.as_ref().map(address),
        },
        payment,
        client: person(&body.client),
        recipient: person(&body.recipient_name),
        comment: body.comment.clone(),
        persons,
    })
}

fn address(a: &Address) -> AddressView {
    AddressView {
        name: a.name.clone(),
        comment: a.comment.clone(),
        latitude: a.coords.as_ref().and_then(|c| c.latitude.clone()),
        longitude: a.coords.as_ref().and_then(|c| c.longitude.clone()),
    }
}

fn amendment_view(a: &Amendment<'_>, zone: &LocalZone) -> Result<AmendmentView, Violation> {
    let before = lines_of(a.before)?;
    let total_before = cart_total(a.before, &before)?;
    let (changes, total_after) = match a.after {
        Some(after_req) => {
            let after = lines_of(after_req)?;
            let total = cart_total(after_req, &after)?;
            (diff(&before, &after), Some(amount(total)))
        }
        None => (Vec::new(), None),
    };
    Ok(AmendmentView {
        source: a.source.to_owned(),
        received_at: instant(zone, a.received_at),
        applied: a.after.is_some(),
        changes,
        total_before: amount(total_before),
        total_after,
    })
}

/// The cart's total, or the lines' sum plus delivery when it has none.
fn cart_total(req: &NewOrderRequest, lines: &[Line]) -> Result<i64, Violation> {
    let cart = req.body.cart.as_ref();
    if let Some(n) = cart.and_then(|c| c.total.as_ref()) {
        return minor_of(n, "cart.total");
    }
    let delivery = match cart.and_then(|c| c.delivery.as_ref()) {
        Some(n) => minor_of(n, "cart.delivery")?,
        None => 0,
    };
    lines_sum(lines)?
        .checked_add(delivery)
        .ok_or_else(|| overflow("cart.total"))
}

/// What changed between two versions of the lines (see the module's "Amendments").
pub fn diff(before: &[Line], after: &[Line]) -> Vec<LineChange> {
    let mut taken = vec![false; after.len()];
    let mut changes = Vec::new();
    for old in before {
        let found = after
            .iter()
            .zip(taken.iter_mut())
            .find(|(new, taken)| !**taken && new.id == old.id);
        match found {
            Some((new, taken)) => {
                *taken = true;
                if new != old {
                    changes.push(LineChange {
                        before: Some(old.clone()),
                        after: Some(new.clone()),
                    });
                }
            }
            None => changes.push(LineChange {
                before: Some(old.clone()),
                after: None,
            }),
        }
    }
    for (new, _) in after.iter().zip(&taken).filter(|(_, t)| !**t) {
        changes.push(LineChange {
            before: None,
            after: Some(new.clone()),
        });
    }
    changes
}

fn lines_of(req: &NewOrderRequest) -> Result<Vec<Line>, Violation> {
    let items: &[CartItem] = req.body.cart.as_ref().map_or(&[], |c| &c.items);
    let mut lines = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let field = |leaf: &str| format!("cart.items[{i}].{leaf}");
        let count = whole_or_one(&item.count, &field("count"))?;
        let cost = required_minor(&item.cost, &field("cost"))?;
        let mut unit = cost;
        let mut modifiers = Vec::new();
        for (j, m) in item.modifiers.iter().flatten().enumerate() {
            let at = |leaf: &str| format!("cart.items[{i}].modifiers[{j}].{leaf}");
            let mcount = whole_or_one(&m.count, &at("count"))?;
            let mcost = required_minor(&m.cost, &at("cost"))?;
            unit = mcost
                .checked_mul(mcount)
                .and_then(|c| unit.checked_add(c))
                .ok_or_else(|| overflow(&field("modifiers")))?;
            modifiers.push(Modifier {
                id: m.id.clone(),
                name: m.name.clone(),
                count: mcount,
                cost: amount(mcost),
            });
        }
        let total = unit
            .checked_mul(count)
            .ok_or_else(|| overflow(&field("count")))?;
        lines.push(Line {
            id: item.id.clone(),
            name: item.name.clone(),
            count,
            cost: amount(cost),
            modifiers,
            total: amount(total),
        });
    }
    Ok(lines)
}

fn lines_sum(lines: &[Line]) -> Result<i64, Violation> {
    let mut sum: i64 = 0;
    for (i, line) in lines.iter().enumerate() {
        let field = format!("cart.items[{i}]");
        let minor = minor_of(&line.total, &field)?;
        sum = sum.checked_add(minor).ok_or_else(|| overflow(&field))?;
    }
    Ok(sum)
}

fn overflow(field: &str) -> Violation {
    Violation::new("amount_too_large", Some(field), "the amount overflows")
}

/// A stored amount in kopecks, sign allowed (a marketplace discount line is negative).
pub fn minor_of(n: &Number, field: &str) -> Result<i64, Violation> {
    Money::signed_minor_from_json(n, field)
}

fn required_minor(n: &Option<Number>, field: &str) -> Result<i64, Violation> {
    match n {
        Some(n) => minor_of(n, field),
        None => Err(Violation::new("missing_field", Some(field), "is required")),
    }
}

fn optional_amount(n: &Option<Number>, field: &str) -> Result<Option<Number>, Violation> {
    n.as_ref()
        .map(|n| minor_of(n, field).map(amount))
        .transpose()
}

/// A whole number (`2.0` is 2).
fn whole(n: &Number, field: &str) -> Result<i64, Violation> {
    n.as_i64()
        .or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 1e9)
                .map(|f| f as i64)
        })
        .ok_or_else(|| {
            Violation::new(
                "bad_count",
                Some(field),
                format!("must be a whole number, got {n}"),
            )
        })
}

/// A modifier's or line's count; a missing one is 1, as the kitchen reads it.
fn whole_or_one(n: &Option<Number>, field: &str) -> Result<i64, Violation> {
    n.as_ref().map_or(Ok(1), |n| whole(n, field))
}

/// Kopecks as a JSON number of roubles (`1250`, `43.2`, `-1.5`).
pub fn amount(minor: i64) -> Number {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let text = match abs % 100 {
        0 => format!("{sign}{}", abs / 100),
        m => format!("{sign}{}.{m:02}", abs / 100),
    };
    serde_json::from_str(&text).unwrap_or_else(|_| Number::from(0))
}

/// A UTC instant with the restaurant's offset then, to the millisecond.
pub fn instant(zone: &LocalZone, at: DateTime<Utc>) -> String {
    zone.to_offset(at)
        .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
        .to_string()
}

/// A restaurant-local wall time with its offset; as sent when it cannot be read.
pub fn wall(zone: &LocalZone, raw: &str) -> String {
    match parse_local(raw).and_then(|local| zone.to_utc(local)) {
        Some(at) => zone
            .to_offset(at)
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        None => raw.trim().to_owned(),
    }
}

#[cfg(test)]
mod tests;
