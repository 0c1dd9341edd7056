//! The one validation function for a site order: see the rule table in [`super`].
//!
//! [`validate_borrowing`] is the entry point and checks the order's fields itself; the
//! rules it applies live beside it along their seams: `routing` (which restaurant and
//! zone), `hours` (opening hours, service times, preorders), `items` (each cart line
//! against the menu) and `money` (exact amounts, charge lines, totals).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use crate::catalog::concept_key;
use crate::domain::Money;
use crate::jet::validate::ValidServiceTimes;
use crate::jupiter::{Menu, Place};
use crate::problem::{Path, Violation, Violations};
use crate::tz::LocalZone;
use crate::zone_memo::RoutableZone;

use super::lookup::OrderIds;
use super::wire::NewOrderRequest;

mod hours;
mod items;
mod money;
mod routing;

use hours::check_time;
pub use hours::{in_service_times, open_at, parse_local, restaurant_open_at};
use items::{check_item, Scratch};
use money::{check_charge_line, money, required_money};
pub use money::{delivery_price, line_total};
pub use routing::{candidates, marketplace_routed, routed_restaurant, Candidates, ZoneLookup};
use routing::{has_concepts, route};

/// What the catalog holds for one restaurant, as validation needs it.
#[derive(Debug, Clone)]
pub struct RestaurantState {
    pub place: Place,
    /// The restaurant's time zone (its IANA zone, else its fixed `utc_offset`).
    pub time_zone: LocalZone,
    pub online: bool,
    pub offline_until: Option<DateTime<Utc>>,
    /// Storage concept key (`""` for the default concept) → what that concept holds here.
    pub concepts: BTreeMap<String, ConceptState>,
    /// Item ids (menu items and modifiers) on the restaurant's stop list.
    pub stopped: BTreeSet<String>,
    /// JET Connect weekly service times (the last valid `/servicetimes`), if any. When
    /// present they are the restaurant's opening hours instead of `start_time`/`end_time`.
    pub service_times: Option<ValidServiceTimes>,
}

/// One concept of one restaurant: its live (not deleted) zones, prepared for routing
/// (`crate::zone_memo`: the edge keeps them between orders), and its menu.
#[derive(Debug, Clone, Default)]
pub struct ConceptState {
    pub zones: Vec<Arc<RoutableZone>>,
    pub menu: Option<Menu>,
}

/// Everything validation reads besides the order: the restaurants the order may be routed
/// to (coordinates route across restaurants; the edge passes the ones [`candidates`] names,
/// which route every order as all of them would), `now`, and the policy.
#[derive(Debug, Clone)]
pub struct OrderContext<'a> {
    pub restaurants: &'a [RestaurantState],
    pub now: DateTime<Utc>,
    /// How far ahead a `date_preorder` may be (7 days unless configured otherwise).
    pub max_preorder_ahead: Duration,
    /// Which rules apply: a site's own order, or one a marketplace already took.
    pub rules: Rules,
}

/// Which rules an order is held to.
///
/// A **site** order is checked completely: the front-end computed prices, delivery and
/// totals from the hub's catalog, so any difference is a bug or tampering.
///
/// A **marketplace** order (Just Eat over JET Connect or Orderconnect) was already priced,
/// charged and promised to the customer by the marketplace; refusing it over a price the
/// hub would have computed differently helps nobody. It is checked only for what the
/// kitchen cannot honour: the restaurant (`unknown_restaurant`, `unknown_concept`), the
/// items (`unknown_item`, `unknown_modifier`, `item_stopped`), the restaurant's state
/// (`restaurant_offline`, `restaurant_closed`, `preorder_closed`), and the numbers that
/// cannot reconcile (`payment_mismatch`: `payment.sum` is not `cart.total`; a negative or
/// unreadable amount). `cart.total` is what the customer paid and is taken as sent: it
/// need not be the lines plus delivery, since discounts, charges, tips and tax outside
/// the prices are on the marketplace's bill, not on Jupiter's lines (the translation
/// reconciles them with the marketplace's own total). The marketplace already accepted
/// the delivery address, so a courier order is never refused for its zone: it goes to
/// the zone that contains its coordinates when there is one (of the named restaurant
/// first), else to the restaurant the order names, with no zone ([`ValidOrder::zone_id`]
/// says which; [`marketplace_routed`] writes it into the order for the kitchen). Item and
/// modifier prices, `cart.delivery` (the marketplace's fee, never the zone's), the zone
/// minimum, modifier
/// group limits, pickup availability and preorder lead times are taken as sent; a phone is
/// any non-blank text (marketplaces send masked numbers such as `*****`), kept as digits
/// when it has 10–15 of them and as given otherwise. Lines whose id starts with
/// [`CHARGE_LINE_PREFIX`] are the marketplace's charges and discounts, not menu items.
///
/// A **trusted site** order (issue 17) is a site order sent server to server with a valid
/// `X-Jup-Api-Key`: held to the site rules, except that it is trusted the way Jupiter
/// trusts it (seed `004`: `payment.sum` is "the total after all discounts").
/// `payment.sum` below `cart.total` is a discount ([`ValidOrder::discount`]; above the
/// total is still `payment_mismatch`, and a negative sum is refused as any negative
/// amount), and an item or modifier cost that differs from the menu is a `price_mismatch`
/// **warning** on the order ([`ValidOrder::warnings`]) instead of a refusal; so is a
/// `cart.delivery` other than the zone's (`delivery_mismatch`), which is then taken as
/// sent: `cart.total` must still be the lines plus that delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rules {
    #[default]
    Site,
    Marketplace,
    TrustedSite,
}

impl Rules {
    /// Site and trusted site: the front-end priced the order from the hub's catalog.
    pub fn is_site(self) -> bool {
        matches!(self, Rules::Site | Rules::TrustedSite)
    }
}

/// The id prefix of a marketplace **charge line**: an amount of the marketplace's bill
/// that is no menu item (a discount, a driver tip, a card fee, an amount the marketplace
/// covers), carried as a cart line so that `cart.total` and `payment.sum` are what the
/// customer paid (seed `004`: `payment.sum` is the total after all discounts and delivery).
/// Under [`Rules::Marketplace`] such a line is not looked up in the menu or the stop list,
/// has `count` 1 and no modifiers, and its `cost` may be negative (a discount); the items,
/// the charge lines and the delivery must still add up to `cart.total`, which must not be
/// negative. Under [`Rules::Site`] it is an ordinary (unknown) item.
pub const CHARGE_LINE_PREFIX: &str = "marketplace:";

/// The default of [`OrderContext::max_preorder_ahead`].
pub const DEFAULT_MAX_PREORDER_DAYS: i64 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryMethod {
    Courier,
    Pickup,
}

impl DeliveryMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryMethod::Courier => "courier",
            DeliveryMethod::Pickup => "pickup",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentMethod {
    Cash,
    Card,
    Online,
}

/// A priced cart line as validated. `S` is the text taken from the request: `String`
/// from [`validate`], `&str` borrowed from the request from [`validate_borrowing`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidLine<S = String> {
    pub id: S,
    pub count: i64,
    pub cost: Money,
    /// (modifier id, count per unit, cost)
    pub modifiers: Vec<(S, i64, Money)>,
    /// count × (cost + Σ modifier count × modifier cost)
    pub total: Money,
}

/// An order every rule accepted, routed to one restaurant. `S` is the text taken from the
/// request (`number`, `status_url`, the lines' ids): `String` from [`validate`], `&str`
/// borrowed from the request from [`validate_borrowing`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidOrder<S = String> {
    pub number: S,
    pub restaurant_id: String,
    /// Storage concept key (`""` = default concept).
    pub concept_key: String,
    pub zone_id: Option<String>,
    pub delivery_method: DeliveryMethod,
    pub payment_method: PaymentMethod,
    pub lines: Vec<ValidLine<S>>,
    pub subtotal: Money,
    pub delivery: Money,
    pub total: Money,
    pub change: Option<Money>,
    /// `client.phone` as digits only.
    pub phone: String,
    pub preorder_at: Option<DateTime<Utc>>,
    pub status_url: Option<S>,
    /// `cart.total − payment.sum`: a trusted site's discount; zero otherwise.
    pub discount: Money,
    /// What a trusted site's order was accepted despite (`price_mismatch`); empty otherwise.
    pub warnings: Vec<Violation>,
}

impl ValidLine<&str> {
    /// The line with its own copies of the request's text.
    pub fn into_owned(self) -> ValidLine {
        ValidLine {
            id: self.id.to_owned(),
            count: self.count,
            cost: self.cost,
            modifiers: self
                .modifiers
                .into_iter()
                .map(|(id, n, cost)| (id.to_owned(), n, cost))
                .collect(),
            total: self.total,
        }
    }
}

impl ValidOrder<&str> {
    /// The order with its own copies of the request's text.
    pub fn into_owned(self) -> ValidOrder {
        ValidOrder {
            number: self.number.to_owned(),
            restaurant_id: self.restaurant_id,
            concept_key: self.concept_key,
            zone_id: self.zone_id,
            delivery_method: self.delivery_method,
            payment_method: self.payment_method,
            lines: self.lines.into_iter().map(ValidLine::into_owned).collect(),
            subtotal: self.subtotal,
            delivery: self.delivery,
            total: self.total,
            change: self.change,
            phone: self.phone,
            preorder_at: self.preorder_at,
            status_url: self.status_url.map(str::to_owned),
            discount: self.discount,
            warnings: self.warnings,
        }
    }
}

impl ValidLine {
    /// The line lending its text, as [`validate_borrowing`] would have made it.
    pub fn borrowed(&self) -> ValidLine<&str> {
        ValidLine {
            id: self.id.as_str(),
            count: self.count,
            cost: self.cost,
            modifiers: self
                .modifiers
                .iter()
                .map(|(id, n, cost)| (id.as_str(), *n, *cost))
                .collect(),
            total: self.total,
        }
    }
}

impl ValidOrder {
    /// The order lending its text: an owned order kept across other checks (an
    /// Orderconnect array's elements) staged as a borrowed one.
    pub fn borrowed(&self) -> ValidOrder<&str> {
        ValidOrder {
            number: self.number.as_str(),
            restaurant_id: self.restaurant_id.clone(),
            concept_key: self.concept_key.clone(),
            zone_id: self.zone_id.clone(),
            delivery_method: self.delivery_method,
            payment_method: self.payment_method,
            lines: self.lines.iter().map(ValidLine::borrowed).collect(),
            subtotal: self.subtotal,
            delivery: self.delivery,
            total: self.total,
            change: self.change,
            phone: self.phone.clone(),
            preorder_at: self.preorder_at,
            status_url: self.status_url.as_deref(),
            discount: self.discount,
            warnings: self.warnings.clone(),
        }
    }
}

fn text(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(trim).filter(|s| !s.is_empty())
}

/// `str::trim`, skipping its Unicode scan when both ends are visible ASCII (then no
/// character at either end is blank, and trimming changes nothing).
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// The text of a required field, or `missing_field` recorded at `path` (a field name, or
/// a [`Path`] into the cart, written out only then: a valid order formats no path).
fn required<'a>(
    value: &'a Option<String>,
    path: impl fmt::Display,
    out: &mut Violations,
) -> Option<&'a str> {
    let got = text(value);
    if got.is_none() {
        out.push("missing_field", path, "is required");
    }
    got
}

/// Normalises a phone written in any usual way (`+7(922)988-33-22`) to its digits; 10 to
/// 15 digits, and nothing but digits, blanks, `+`, `(`, `)`, `-` and `.` around them.
pub fn normalize_phone(raw: &str) -> Option<String> {
    // Bytes, not chars: every allowed character is ASCII, and no byte of a non-ASCII
    // character is.
    if !raw
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b' ' | b'+' | b'(' | b')' | b'-' | b'.'))
    {
        return None;
    }
    let count = raw.bytes().filter(u8::is_ascii_digit).count();
    if !(10..=15).contains(&count) {
        return None;
    }
    let mut digits = String::with_capacity(count);
    digits.extend(raw.chars().filter(char::is_ascii_digit));
    Some(digits)
}

/// Validates a parsed order against the catalog at `ctx.now`: the [`ValidOrder`], or every
/// violation found.
pub fn validate(
    req: &NewOrderRequest,
    ctx: &OrderContext<'_>,
) -> Result<ValidOrder, Vec<Violation>> {
    validate_borrowing(req, ctx).map(ValidOrder::into_owned)
}

/// [`validate`], the result borrowing the request's text instead of copying it: what the
/// Worker calls, since it keeps the request for as long as the result (a `String` per
/// line and modifier was a large share of validating an order in wasm; BENCHMARKS.md).
pub fn validate_borrowing<'r>(
    req: &'r NewOrderRequest,
    ctx: &OrderContext<'_>,
) -> Result<ValidOrder<&'r str>, Vec<Violation>> {
    let mut out = Violations::new();
    let body = &req.body;
    if req.action.as_deref() != Some("new_order") {
        out.push("bad_action", "action", "must be \"new_order\"");
    }
    let number = required(&body.number, "number", &mut out);
    let date = required(&body.date, "date", &mut out);
    if let Some(d) = date {
        if parse_local(d).is_none() {
            out.push(
                "bad_date",
                "date",
                "must be restaurant-local \"YYYY-MM-DD HH:MM:SS\"",
            );
        }
    }
    let method = match required(&body.delivery_method, "delivery_method", &mut out) {
        Some("courier") => Some(DeliveryMethod::Courier),
        Some("pickup") => Some(DeliveryMethod::Pickup),
        Some(other) => {
            out.push(
                "invalid_value",
                "delivery_method",
                format!("must be courier or pickup, got {other:?}"),
            );
            None
        }
        None => None,
    };
    let no_person = super::wire::Person::default();
    let client = body.client.as_ref().unwrap_or(&no_person);
    required(&client.name, "client.name", &mut out);
    let site = ctx.rules.is_site();
    let phone = required(&client.phone, "client.phone", &mut out).and_then(|p| {
        let n = normalize_phone(p);
        if n.is_none() && !site {
            return Some(p.to_owned());
        }
        if n.is_none() {
            out.push("bad_phone", "client.phone", "must have 10 to 15 digits");
        }
        n
    });
    if let Some(p) = body.recipient_name.as_ref().and_then(|r| text(&r.phone)) {
        if site && normalize_phone(p).is_none() {
            out.push(
                "bad_phone",
                "recipient_name.phone",
                "must have 10 to 15 digits",
            );
        }
    }
    let no_payment = super::wire::Payment::default();
    let payment = body.payment.as_ref().unwrap_or(&no_payment);
    let payment_method = match required(&payment.method, "payment.method", &mut out) {
        Some("cash") => Some(PaymentMethod::Cash),
        Some("card") => Some(PaymentMethod::Card),
        Some("online") => Some(PaymentMethod::Online),
        Some(other) => {
            out.push(
                "invalid_value",
                "payment.method",
                format!("must be cash, card or online, got {other:?}"),
            );
            None
        }
        None => None,
    };
    let pay_sum = required_money(&payment.sum, "payment.sum", &mut out);
    let change = payment
        .change
        .as_ref()
        .and_then(|c| money(c, "payment.change", &mut out));
    static NO_CART: super::wire::Cart = super::wire::Cart {
        items: Vec::new(),
        delivery: None,
        total: None,
    };
    let cart = body.cart.as_ref().unwrap_or(&NO_CART);
    if cart.items.is_empty() {
        out.push("missing_field", "cart.items", "must list at least one item");
    }
    let total = required_money(&cart.total, "cart.total", &mut out);
    let sent_delivery = cart
        .delivery
        .as_ref()
        .and_then(|d| money(d, "cart.delivery", &mut out));
    if method == Some(DeliveryMethod::Courier)
        && body.address.as_ref().and_then(|a| text(&a.name)).is_none()
    {
        out.push(
            "missing_field",
            "address.name",
            "a courier order needs an address",
        );
    }

    let routed = route(body, ctx, method, &mut out);
    // The storage key of the concept asked for. `catalog::requested_concept` gives this
    // same key (or refuses a restaurant with concepts when none is named, below); it is
    // not called here only because it allocates the key.
    let concept = concept_key(text(&body.concept_id));
    let mut menu: Option<&Menu> = None;
    let empty = BTreeSet::new();
    let mut stopped = &empty;
    if let Some(r) = &routed {
        let restaurant = r.restaurant;
        stopped = &restaurant.stopped;
        if text(&body.concept_id).is_none() && has_concepts(restaurant) {
            out.push(
                "concept_required",
                "concept_id",
                "is required: the restaurant works with concepts",
            );
        }
        match restaurant
            .concepts
            .get(concept)
            .and_then(|c| c.menu.as_ref())
        {
            Some(m) => menu = Some(m),
            None => out.push(
                "unknown_concept",
                "concept_id",
                format!(
                    "restaurant {:?} has no menu for this concept",
                    restaurant.place.id
                ),
            ),
        }
        if site
            && method == Some(DeliveryMethod::Pickup)
            && restaurant.place.self_delivery != Some(true)
        {
            out.push(
                "pickup_unavailable",
                "delivery_method",
                "the restaurant does not offer pickup",
            );
        }
    }

    // The lines' items, found in one pass over the menu, and the stop list of every id
    // (see `lookup`: a scan per line, or a HashMap of the whole menu per order, were most
    // of validating 20 lines).
    let ids = OrderIds::new(
        cart.items.iter().map(|l| text(&l.id)),
        cart.items
            .iter()
            .flat_map(|l| l.modifiers.iter().flatten())
            .filter_map(|m| text(&m.id)),
        menu,
        stopped,
    );
    let mut lines = Vec::with_capacity(cart.items.len());
    let mut warnings = Vec::new();
    let mut lines_ok = true;
    let mut scratch = Scratch::default();
    let mut charges: i64 = 0;
    let items = Path::root("cart.items");
    for (i, item) in cart.items.iter().enumerate() {
        if !site && text(&item.id).is_some_and(|id| id.starts_with(CHARGE_LINE_PREFIX)) {
            match check_charge_line(item, items.index(i), &mut out) {
                Some(amount) => charges = charges.saturating_add(amount),
                None => lines_ok = false,
            }
            continue;
        }
        match check_item(
            item,
            i,
            menu,
            &ids,
            stopped,
            ctx.rules,
            &mut scratch,
            &mut out,
            &mut warnings,
        ) {
            Some(line) => lines.push(line),
            None => lines_ok = false,
        }
    }
    let subtotal = if lines_ok && menu.is_some() {
        let mut sum = Some(Money::ZERO);
        for l in &lines {
            sum = sum.and_then(|s| s.checked_add(l.total));
        }
        if sum.is_none() {
            out.push("amount_too_large", "cart", "the order total is too large");
        }
        // Marketplace charge lines (discounts negative): the cart after them must not be
        // below zero.
        match sum.map(|s| s.minor().saturating_add(charges)) {
            Some(net) if net < 0 => {
                out.push(
                    "total_mismatch",
                    "cart.items",
                    format!("the items and charge lines add up to a negative amount ({net} minor units)"),
                );
                None
            }
            Some(net) => Money::from_minor(net, "cart").ok(),
            None => None,
        }
    } else {
        None
    };

    let zone = routed.as_ref().and_then(|r| r.zone);
    let mut delivery = Money::ZERO;
    if let Some(subtotal) = subtotal {
        if !site {
            delivery = sent_delivery.unwrap_or(Money::ZERO);
        } else if method == Some(DeliveryMethod::Courier) {
            if let Some(zone) = zone {
                delivery = delivery_price(zone, subtotal);
                if let Some(min) = zone.sum_min {
                    if subtotal < min {
                        out.push(
                            "below_minimum",
                            "cart.items",
                            format!("the zone's minimum order is {min}, the items make {subtotal}"),
                        );
                    }
                }
            }
        }
        if sent_delivery.unwrap_or(Money::ZERO) != delivery {
            let found = Violation::new(
                "delivery_mismatch",
                Some("cart.delivery"),
                format!("expected {delivery}"),
            );
            if ctx.rules == Rules::TrustedSite {
                // Jupiter takes a trusted site's delivery price as sent (the seed's own
                // order charges 100 in a zone free from 1200); the total must add up.
                warnings.push(found);
                delivery = sent_delivery.unwrap_or(Money::ZERO);
            } else {
                out.add(found);
            }
        }
        // A marketplace's total is what its customer paid: its translation carries every
        // discount, charge, tip and tax as a charge line, so the lines and the delivery
        // still add up to it, on every channel.
        let expected = subtotal.checked_add(delivery);
        if let (Some(expected), Some(total)) = (expected, total) {
            if total != expected {
                out.push(
                    "total_mismatch",
                    "cart.total",
                    format!("expected {expected} ({subtotal} + {delivery} delivery)"),
                );
            }
        }
    }
    let mut discount = Money::ZERO;
    if let (Some(total), Some(sum)) = (total, pay_sum) {
        // A trusted site's sum below the total is its discount (seed 004: "the total
        // after all discounts"); a sum is never negative (parse_decimal refuses it).
        if ctx.rules == Rules::TrustedSite && sum < total {
            discount = total.checked_sub(sum).unwrap_or(Money::ZERO);
        } else if sum != total {
            out.push(
                "payment_mismatch",
                "payment.sum",
                format!("expected {total}, the cart total"),
            );
        }
    }
    if let (Some(change), Some(sum)) = (change, pay_sum) {
        if payment_method == Some(PaymentMethod::Cash) && change < sum {
            out.push(
                "change_too_small",
                "payment.change",
                format!("must be at least the sum {sum}"),
            );
        }
    }

    let preorder_at = routed
        .as_ref()
        .and_then(|r| check_time(body, r.restaurant, zone, method, ctx, &mut out));

    if !out.is_empty() {
        return Err(out.into_vec());
    }
    let (
        Some(number),
        Some(r),
        Some(method),
        Some(payment_method),
        Some(phone),
        Some(subtotal),
        Some(total),
    ) = (
        number,
        routed,
        method,
        payment_method,
        phone,
        subtotal,
        total,
    )
    else {
        return Err(vec![Violation::new(
            "invalid_order",
            None,
            "the order is incomplete",
        )]);
    };
    Ok(ValidOrder {
        number,
        restaurant_id: r.restaurant.place.id.clone(),
        concept_key: concept.to_owned(),
        zone_id: r.zone.map(|z| z.id.clone()),
        delivery_method: method,
        payment_method,
        lines,
        subtotal,
        delivery,
        total,
        change,
        phone,
        preorder_at: preorder_at.flatten(),
        status_url: text(&body.status_url),
        discount,
        warnings,
    })
}

/// The fast paths above against the general code they stand in for.
#[cfg(test)]
mod fast_paths {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::money::money;
    use crate::order::tests::Gen;
    use chrono::NaiveDateTime;
    use serde_json::Number;

    /// What `money` (now [`Money::from_json`]) did for every number before the fast path:
    /// the text path.
    fn by_text(n: &Number) -> Result<Money, String> {
        Money::parse_decimal(&n.to_string(), "").map_err(|e| e.message)
    }

    #[test]
    fn fractional_amounts_read_as_their_text_reads() {
        let mut g = Gen(0x9E37_79B9_7F4A_7C15);
        let mut texts: Vec<String> = [
            "0.0",
            "0.01",
            "0.1",
            "0.10",
            "893.5",
            "30.0",
            "15.555",
            "0.005",
            "1e-7",
            "1e3",
            "1.5e2",
            "1e16",
            "1e20",
            "-0.0",
            "-1.5",
            "99999999999.99",
            "1099511627775.99",
            "1099511627776.5",
            "9999999999999.99",
            "10000000000000.5",
            "4503599627370495.5",
            "0.29",
            "0.57",
            "1.005",
            "2940.50",
            "123456789.12",
        ]
        .map(str::to_owned)
        .to_vec();
        for _ in 0..20_000 {
            let cents = g.next() % 10_000_000_000_000;
            texts.push(format!("{}.{:02}", cents / 100, cents % 100));
            let small = g.next() % 100_000;
            texts.push(format!("{}.{:03}", small / 1000, small % 1000));
            texts.push(format!("{}", f64::from_bits(g.next() >> 2)));
            texts.push(format!("{}", (g.next() % 1_000_000) as f64 / 7.0));
        }
        for t in &texts {
            let Ok(n) = serde_json::from_str::<Number>(t) else {
                continue;
            };
            let mut out = Violations::new();
            let got = money(&n, "x", &mut out);
            match by_text(&n) {
                Ok(m) => assert_eq!(got, Some(m), "{t}"),
                Err(message) => {
                    assert_eq!(got, None, "{t}");
                    assert_eq!(
                        out.as_slice().first().map(|v| v.message.clone()),
                        Some(message),
                        "{t}"
                    );
                }
            }
        }
    }

    /// chrono's reading, which `parse_local` gave before its fast path.
    fn by_chrono(raw: &str) -> Option<NaiveDateTime> {
        let raw = raw.trim();
        NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M"))
            .ok()
    }

    #[test]
    fn local_times_read_as_chrono_reads_them() {
        let mut g = Gen(0x0123_4567_89ab_cdef);
        let mut texts: Vec<String> = [
            "2024-04-08 15:00:00",
            "2024-04-08 15:00",
            " 2024-04-08 15:00 ",
            "2024-02-29 00:00",
            "2023-02-29 00:00",
            "2024-04-08 24:00",
            "2024-04-08 23:59:60",
            "2024-04-08 23:60",
            "2024-13-01 10:00",
            "2024-00-10 10:00",
            "2024-04-00 10:00",
            "0000-01-01 00:00:00",
            "9999-12-31 23:59:59",
            "2024-4-8 15:00",
            "2024-04-08T15:00:00",
            "2024-04-08 15:00:0",
            "2024-04-08 15:00:00.5",
            "+2024-04-08 15:00",
            "2024-04-08  15:00",
            "",
            "2024-04-08 1５:00",
        ]
        .map(str::to_owned)
        .to_vec();
        for _ in 0..20_000 {
            let r = g.next();
            let field = |shift: u32, m: u64| (r >> shift) % m;
            texts.push(format!(
                "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                field(0, 10_000),
                field(14, 14),
                field(18, 33),
                field(24, 26),
                field(30, 62),
                field(36, 62)
            ));
            texts.push(format!(
                "{:04}-{:02}-{:02} {:02}:{:02}",
                1970 + field(42, 100),
                field(14, 14),
                field(18, 33),
                field(24, 26),
                field(30, 62)
            ));
        }
        for t in &texts {
            assert_eq!(parse_local(t), by_chrono(t), "{t:?}");
        }
    }
}
