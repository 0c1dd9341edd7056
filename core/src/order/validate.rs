//! The one validation function for a site order: see the rule table in [`super`].

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, Timelike, Utc};
use serde_json::{Number, Value};

use crate::catalog::{concept_key, is_online, local_to_utc};
use crate::domain::{Money, Weekday};
use crate::geo::{self, Point};
use crate::jet::validate::{OpeningHours, ServiceType, ValidServiceTimes};
use crate::jupiter::{Item, Menu, ModifierGroup, Place, Zone};
use crate::problem::Violation;
use crate::tz::LocalZone;

use super::lookup::OrderIds;
use super::wire::{CartItem, NewOrderRequest, OrderBody};

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

/// One concept of one restaurant: its live (not deleted) zones and its menu.
#[derive(Debug, Clone, Default)]
pub struct ConceptState {
    pub zones: Vec<Zone>,
    pub menu: Option<Menu>,
}

/// Everything validation reads besides the order: the restaurants the order may be routed
/// to (all of them, since coordinates route across restaurants), `now`, and the policy.
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

/// A signed decimal amount (`-4.78`) of a charge line, in minor units.
fn signed_amount(n: &Option<Number>, i: usize, out: &mut Vec<Violation>) -> Option<i64> {
    let Some(n) = n else {
        out.push(at("missing_field", At::Line(i, "cost"), "is required"));
        return None;
    };
    let text = n.to_string();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    match Money::parse_decimal(digits, "") {
        Ok(m) if negative => Some(-m.minor()),
        Ok(m) => Some(m.minor()),
        Err(mut e) => {
            e.field = Some(At::Line(i, "cost").path());
            out.push(e);
            None
        }
    }
}

/// A marketplace charge line (see [`CHARGE_LINE_PREFIX`]): its signed amount.
fn check_charge_line(item: &CartItem, i: usize, out: &mut Vec<Violation>) -> Option<i64> {
    let before = out.len();
    if count_at(&item.count, At::Line(i, "count"), out).is_some_and(|c| c != 1) {
        out.push(at(
            "bad_count",
            At::Line(i, "count"),
            "a charge line has count 1",
        ));
    }
    if item.modifiers.as_ref().is_some_and(|m| !m.is_empty()) {
        out.push(at(
            "invalid_value",
            At::Line(i, "modifiers"),
            "a charge line has no modifiers",
        ));
    }
    let amount = signed_amount(&item.cost, i, out);
    (out.len() == before).then_some(amount).flatten()
}

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

fn v(code: &str, field: &str, message: impl Into<String>) -> Violation {
    Violation::new(code, Some(field), message)
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

fn required<'a>(
    value: &'a Option<String>,
    field: &str,
    out: &mut Vec<Violation>,
) -> Option<&'a str> {
    required_at(value, At::Field(field), out)
}

/// Where a value sits in the order. The path text is built only when a violation names
/// it: a valid order (the common case) formats no paths at all (measured in BENCHMARKS.md:
/// building them eagerly was a large share of validating a 20-line order).
#[derive(Clone, Copy)]
enum At<'a> {
    Field(&'a str),
    /// `cart.items[i]`, or a field of it.
    Line(usize, &'a str),
    /// `cart.items[i].modifiers[j]`, or a field of it.
    Modifier(usize, usize, &'a str),
}

impl At<'_> {
    fn path(self) -> String {
        match self {
            At::Field(f) => f.to_owned(),
            At::Line(i, "") => format!("cart.items[{i}]"),
            At::Line(i, leaf) => format!("cart.items[{i}].{leaf}"),
            At::Modifier(i, j, "") => format!("cart.items[{i}].modifiers[{j}]"),
            At::Modifier(i, j, leaf) => format!("cart.items[{i}].modifiers[{j}].{leaf}"),
        }
    }
}

fn at(code: &str, at: At<'_>, message: impl Into<String>) -> Violation {
    Violation::new(code, Some(&at.path()), message)
}

fn required_at<'a>(
    value: &'a Option<String>,
    field: At<'_>,
    out: &mut Vec<Violation>,
) -> Option<&'a str> {
    let got = text(value);
    if got.is_none() {
        out.push(at("missing_field", field, "is required"));
    }
    got
}

fn money(n: &Number, field: &str, out: &mut Vec<Violation>) -> Option<Money> {
    money_at(n, At::Field(field), out)
}

/// An exact amount. A whole JSON number is read without formatting it; any other goes
/// through its text, so `15.5` and `15.50` are exact and `15.555` is refused.
fn money_at(n: &Number, field: At<'_>, out: &mut Vec<Violation>) -> Option<Money> {
    let parsed = match n.as_u64() {
        Some(whole) => i64::try_from(whole)
            .ok()
            .and_then(|w| w.checked_mul(100))
            .ok_or(())
            .and_then(|minor| Money::from_minor(minor, "").map_err(|_| ())),
        None => Err(()),
    };
    if let Ok(m) = parsed {
        return Some(m);
    }
    if let Some(m) = n.as_f64().and_then(cents_of) {
        return Some(m);
    }
    match Money::parse_decimal(&n.to_string(), "") {
        Ok(m) => Some(m),
        Err(mut e) => {
            e.field = Some(field.path());
            out.push(e);
            None
        }
    }
}

/// The amount a JSON number with a fraction (`893.5`, `30.0`) stands for, without
/// formatting it: the `Money` that `Money::parse_decimal` reads from the number's text,
/// or `None` when that text would not be an amount of at most 2 decimals (the caller then
/// takes the text path, which also words the violation).
///
/// Why it is the same: serde_json writes an `f64` as its shortest decimal text that reads
/// back as the same `f64`. If `f` is the `f64` nearest to `m / 100` for a whole `m` and an
/// ulp of `f` is well below 0.01 (here `f < 2^40`, ulp ≤ 2^-13), that text is `m / 100`
/// written with its trailing zeros trimmed: any other text at most as long has at most 2
/// decimals too, so it is `k / 100` with `k ≠ m`, at least 0.01 from `m / 100`, and cannot
/// read back as `f`. When no such `m` exists the text has more than 2 decimals (or an
/// exponent), and the text path refuses it.
fn cents_of(f: f64) -> Option<Money> {
    // Positive sign only (`-0.0` is refused by the text path, as a negative amount).
    if !(f.is_sign_positive() && f < (1u64 << 40) as f64) {
        return None;
    }
    // Ties to even is one wasm instruction (`round` is a libm call there); a tie is never
    // a whole number of cents anyway, so the check below refuses it either way.
    let m = (f * 100.0).round_ties_even();
    if m / 100.0 != f {
        return None;
    }
    // m < 2^40 × 100 < 2^47: exact as an i64; from_minor applies the amount limit.
    Money::from_minor(m as i64, "").ok()
}

fn required_money(n: &Option<Number>, field: &str, out: &mut Vec<Violation>) -> Option<Money> {
    required_money_at(n, At::Field(field), out)
}

fn required_money_at(n: &Option<Number>, field: At<'_>, out: &mut Vec<Violation>) -> Option<Money> {
    match n {
        Some(n) => money_at(n, field, out),
        None => {
            out.push(at("missing_field", field, "is required"));
            None
        }
    }
}

/// A whole number ≥ 1 (`2.0` counts as 2; `1.5`, `0` and negatives do not).
fn count_at(n: &Option<Number>, field: At<'_>, out: &mut Vec<Violation>) -> Option<i64> {
    let Some(n) = n else {
        out.push(at("missing_field", field, "is required"));
        return None;
    };
    let whole = n.as_i64().or_else(|| {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 1e9)
            .map(|f| f as i64)
    });
    match whole {
        Some(c) if (1..=10_000).contains(&c) => Some(c),
        _ => {
            out.push(at(
                "bad_count",
                field,
                format!("must be a whole number from 1 to 10000, got {n}"),
            ));
            None
        }
    }
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

/// Parses Jupiter's local `YYYY-MM-DD HH:MM:SS` (or without seconds).
pub fn parse_local(raw: &str) -> Option<NaiveDateTime> {
    let raw = raw.trim();
    if let Some(t) = parse_local_plain(raw) {
        return Some(t);
    }
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M"))
        .ok()
}

/// The common spelling `YYYY-MM-DD HH:MM[:SS]`, digits exactly there, read without
/// interpreting a format string (chrono's `parse_from_str` does, on every call). A valid
/// date and time so written is what chrono reads too; anything else (`None` here: other
/// widths, a leap second, an impossible date) goes to chrono, which decides.
fn parse_local_plain(raw: &str) -> Option<NaiveDateTime> {
    let b = raw.as_bytes();
    let shape = match b.len() {
        19 => b"dddd-dd-dd dd:dd:dd".as_slice(),
        16 => b"dddd-dd-dd dd:dd".as_slice(),
        _ => return None,
    };
    let fits = b.iter().zip(shape).all(|(&c, &s)| match s {
        b'd' => c.is_ascii_digit(),
        _ => c == s,
    });
    if !fits {
        return None;
    }
    let num = |from: usize, to: usize| {
        b.get(from..to)
            .map(|d| d.iter().fold(0u32, |n, c| n * 10 + u32::from(c - b'0')))
    };
    let date =
        chrono::NaiveDate::from_ymd_opt(i32::try_from(num(0, 4)?).ok()?, num(5, 7)?, num(8, 10)?)?;
    let seconds = if b.len() == 19 { num(17, 19)? } else { 0 };
    date.and_hms_opt(num(11, 13)?, num(14, 16)?, seconds)
}

/// The restaurant `restaurant_id` names, or `unknown_restaurant` recorded: the one lookup
/// of both routings (a site order without zone or coordinates, a marketplace order outside
/// every zone).
fn named_restaurant<'c>(
    ctx: &OrderContext<'c>,
    id: &str,
    out: &mut Vec<Violation>,
) -> Option<&'c RestaurantState> {
    let found = ctx.restaurants.iter().find(|r| r.place.id == id);
    if found.is_none() {
        out.push(v(
            "unknown_restaurant",
            "restaurant_id",
            format!("no restaurant {id:?}"),
        ));
    }
    found
}

/// Whether a restaurant is open at a local second of the day, from Jupiter's `start_time`
/// and `end_time` (seconds since local midnight). No hours given → always open. An end at
/// or before the start means the restaurant closes after midnight (`end == start` is open
/// round the clock). The start is inside, the end is not.
pub fn open_at(start: Option<i64>, end: Option<i64>, second_of_day: i64) -> bool {
    let (Some(start), Some(end)) = (start, end) else {
        return true;
    };
    let t = second_of_day;
    if end > start {
        t >= start && t < end
    } else {
        t >= start || t < end
    }
}

fn weekday(t: NaiveDateTime) -> Weekday {
    match t.weekday() {
        chrono::Weekday::Mon => Weekday::Monday,
        chrono::Weekday::Tue => Weekday::Tuesday,
        chrono::Weekday::Wed => Weekday::Wednesday,
        chrono::Weekday::Thu => Weekday::Thursday,
        chrono::Weekday::Fri => Weekday::Friday,
        chrono::Weekday::Sat => Weekday::Saturday,
        chrono::Weekday::Sun => Weekday::Sunday,
    }
}

/// End of a window in seconds after the local midnight of the day it opens. A window
/// whose closing time is before its opening time (the only kind
/// [`validate_service_times`](crate::jet::validate::validate_service_times) accepts as
/// crossing; equal times are refused there) runs past midnight into the next day. A
/// closing time of `23:59` is read as the end of the day, as that validator's advice
/// ("use `00:00`–`23:59` for a whole day") intends; an equal pair, which it refuses, is
/// treated as empty.
fn window_secs(w: OpeningHours) -> (i64, i64) {
    if w.opens == w.closes {
        return (0, 0);
    }
    let opens = i64::from(w.opens.minutes()) * 60;
    let closes = i64::from(w.closes.minutes()) * 60;
    let closes = if closes == 23 * 3600 + 59 * 60 {
        86_400
    } else {
        closes
    };
    if w.crosses_midnight() {
        (opens, closes + 86_400)
    } else {
        (opens, closes)
    }
}

/// Whether a restaurant-local date-time is inside weekly service times: day name → the
/// windows opening that day (`hh:mm`, opening inside, closing not). A window that crosses
/// midnight also covers the next day until its closing time; a day without windows (or not
/// listed) is closed, except for such a window from the day before.
pub fn in_service_times(days: &BTreeMap<Weekday, Vec<OpeningHours>>, local: NaiveDateTime) -> bool {
    let t = i64::from(local.num_seconds_from_midnight());
    let mut today = days.get(&weekday(local)).into_iter().flatten();
    let mut yesterday = days
        .get(&weekday(local - Duration::days(1)))
        .into_iter()
        .flatten();
    today.any(|w| {
        let (start, end) = window_secs(*w);
        t >= start && t < end
    }) || yesterday.any(|w| {
        let (start, end) = window_secs(*w);
        t + 86_400 >= start && t + 86_400 < end
    })
}

/// The JET Connect service type an order uses: `Collection` for pickup, else `Delivery`.
fn service_type(method: Option<DeliveryMethod>) -> ServiceType {
    match method {
        Some(DeliveryMethod::Pickup) => ServiceType::Collection,
        _ => ServiceType::Delivery,
    }
}

/// Whether the restaurant is open at a restaurant-local date-time for an order of
/// `method`. Service times, when the restaurant has them, decide alone (a service type
/// they do not list is closed); otherwise `start_time`/`end_time` via [`open_at`].
pub fn restaurant_open_at(
    r: &RestaurantState,
    method: Option<DeliveryMethod>,
    local: NaiveDateTime,
) -> bool {
    match &r.service_times {
        Some(times) => times
            .service_times
            .get(&service_type(method))
            .is_some_and(|days| in_service_times(days, local)),
        None => open_at(r.place.start_time, r.place.end_time, second_of_day(local)),
    }
}

fn second_of_day(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp().rem_euclid(86_400)
}

fn coordinate(value: &Option<Value>, field: &str, out: &mut Vec<Violation>) -> Option<f64> {
    let parsed = match value {
        Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
        Some(Value::Number(n)) => n.as_f64(),
        _ => None,
    };
    match parsed.filter(|f| f.is_finite()) {
        Some(f) => Some(f),
        None => {
            out.push(v("bad_coords", field, "must be a decimal number"));
            None
        }
    }
}

/// Whether a restaurant works with concepts (its place lists at least one).
/// Whether an order without `concept_id` cannot be placed at `r`: it works with concepts
/// and has none called `default`, the one seed `004` says is meant when none is given.
fn has_concepts(r: &RestaurantState) -> bool {
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
struct Route<'a> {
    restaurant: &'a RestaurantState,
    zone: Option<&'a Zone>,
}

/// Among zones that contain a point, the cheapest delivery wins: lowest `delivery_price`
/// (absent = 0), then lowest `sum_min`, then restaurant id and zone id, so the choice never
/// depends on storage order. Of equal keys the first is kept.
fn cheapest<'a>(candidates: impl Iterator<Item = Route<'a>>) -> Option<Route<'a>> {
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

fn route<'a>(
    body: &OrderBody,
    ctx: &OrderContext<'a>,
    method: Option<DeliveryMethod>,
    out: &mut Vec<Violation>,
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
                .map(move |z| Route {
                    restaurant: r,
                    zone: Some(z),
                })
        })
    };
    if let Some(zone_id) = address.and_then(|a| text(&a.zone_id)) {
        let wanted = text(&body.restaurant_id);
        let mut first = None;
        // The same zone id under two restaurants: the named restaurant decides.
        for found in zones().filter(|r| r.zone.is_some_and(|z| z.id == zone_id)) {
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
            out.push(v(
                "concept_required",
                "concept_id",
                "is required: the restaurant works with concepts",
            ));
            return None;
        }
        out.push(v(
            "unknown_zone",
            "address.zone_id",
            format!(
                "no live zone {zone_id:?} for concept {:?}",
                crate::catalog::served_concept(concept)
            ),
        ));
        return None;
    }
    if let Some(coords) = address.and_then(|a| a.coords.as_ref()) {
        let lat = coordinate(&coords.latitude, "address.coords.latitude", out);
        let lon = coordinate(&coords.longitude, "address.coords.longitude", out);
        let (Some(lat), Some(lon)) = (lat, lon) else {
            return None;
        };
        let point = Point { lon, lat };
        // Stored zones were validated when written: test the point without rebuilding
        // (and re-validating) each polygon per order.
        let inside = zones().filter(|r| {
            r.zone
                .is_some_and(|z| geo::stored_zone_contains(&z.coordinates, point))
        });
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
                out.push(v(
                    "concept_required",
                    "concept_id",
                    "is required: no default-concept zone contains the point and the restaurant works with concepts",
                ));
                return None;
            }
            out.push(v(
                "outside_zone",
                "address.coords",
                format!("({lat}, {lon}) is outside every delivery zone of the concept"),
            ));
            return None;
        };
        return Some(best);
    }
    let Some(id) = text(&body.restaurant_id) else {
        out.push(v(
            "missing_field",
            "restaurant_id",
            "is required when the address has neither zone_id nor coords",
        ));
        return None;
    };
    let restaurant = named_restaurant(ctx, id, out)?;
    if method == Some(DeliveryMethod::Courier) && ctx.rules.is_site() {
        out.push(v(
            "zone_required",
            "address",
            "a courier order needs address.zone_id or address.coords",
        ));
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
fn marketplace_route<'a>(
    body: &OrderBody,
    ctx: &OrderContext<'a>,
    concept: &str,
    method: Option<DeliveryMethod>,
    out: &mut Vec<Violation>,
) -> Option<Route<'a>> {
    let named = text(&body.restaurant_id);
    let point = body
        .address
        .as_ref()
        .and_then(|a| a.coords.as_ref())
        .filter(|_| method == Some(DeliveryMethod::Courier))
        .and_then(|c| {
            let mut ignored = Vec::new();
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
                        .filter(move |z| geo::stored_zone_contains(&z.coordinates, point))
                        .map(move |z| Route {
                            restaurant: r,
                            zone: Some(z),
                        })
                })
        };
        if let Some(best) = cheapest(inside(true)).or_else(|| cheapest(inside(false))) {
            return Some(best);
        }
    }
    let Some(id) = named else {
        out.push(v(
            "missing_field",
            "restaurant_id",
            "is required for a marketplace order",
        ));
        return None;
    };
    let restaurant = named_restaurant(ctx, id, out)?;
    Some(Route {
        restaurant,
        zone: None,
    })
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

/// Per-order scratch space of [`check_item`], reused from line to line so that lines
/// with modifiers allocate nothing but their output.
#[derive(Default)]
struct Scratch<'r, 'm> {
    /// Modifier group id → modifiers of it selected on the line (in first-seen order).
    selected: Vec<(&'m str, u32)>,
    /// Modifier id → count per unit taken on the line (in first-seen order).
    amounts: Vec<(&'r str, i64)>,
}

/// The entry of `key` in a small table kept in first-seen order (a new one starts at 0).
fn tally<'t, 'k, T: Default>(table: &'t mut Vec<(&'k str, T)>, key: &'k str) -> &'t mut T {
    let i = match table.iter().position(|(k, _)| *k == key) {
        Some(i) => i,
        None => {
            table.push((key, T::default()));
            table.len() - 1
        }
    };
    &mut table[i].1
}

#[allow(clippy::too_many_arguments)]
fn check_item<'r, 'm>(
    item: &'r CartItem,
    i: usize,
    menu: Option<&Menu>,
    ids: &OrderIds<'_, 'm>,
    stopped: &BTreeSet<String>,
    rules: Rules,
    scratch: &mut Scratch<'r, 'm>,
    out: &mut Vec<Violation>,
    warnings: &mut Vec<Violation>,
) -> Option<ValidLine<&'r str>> {
    let site = rules.is_site();
    // A trusted site's prices are its own: a difference is noted, not refused.
    let mut mismatch = |found: Violation, out: &mut Vec<Violation>| {
        if rules == Rules::TrustedSite {
            warnings.push(found);
        } else {
            out.push(found);
        }
    };
    let before = out.len();
    let id = required_at(&item.id, At::Line(i, "id"), out);
    let n = count_at(&item.count, At::Line(i, "count"), out);
    let cost = required_money_at(&item.cost, At::Line(i, "cost"), out);
    let slot = id.and_then(|id| ids.line(i, id));
    let entry: Option<&'m Item> = match (id, menu) {
        (Some(id), Some(_)) => {
            let found = slot.and_then(|s| s.item);
            if found.is_none() {
                out.push(at(
                    "unknown_item",
                    At::Line(i, "id"),
                    format!("{id:?} is not on the menu"),
                ));
            }
            found
        }
        _ => None,
    };
    if let Some(id) = id {
        if slot.map_or_else(|| stopped.contains(id), |s| s.stopped) {
            out.push(at(
                "item_stopped",
                At::Line(i, "id"),
                format!("{id:?} is on the stop list"),
            ));
        }
    }
    if let (Some(entry), Some(cost)) = (entry, cost) {
        if site && entry.price != cost {
            mismatch(
                at(
                    "price_mismatch",
                    At::Line(i, "cost"),
                    format!("expected {}, got {cost}", entry.price),
                ),
                out,
            );
        }
    }
    let mut modifiers = Vec::new();
    let groups: &'m [ModifierGroup] = entry.and_then(|e| e.modifiers.as_deref()).unwrap_or(&[]);
    scratch.selected.clear();
    scratch.amounts.clear();
    for (j, m) in item.modifiers.iter().flatten().enumerate() {
        let mid = required_at(&m.id, At::Modifier(i, j, "id"), out);
        let mcount = count_at(&m.count, At::Modifier(i, j, "count"), out);
        let mcost = required_money_at(&m.cost, At::Modifier(i, j, "cost"), out);
        let (Some(mid), Some(mcount), Some(mcost)) = (mid, mcount, mcost) else {
            continue;
        };
        if ids.stopped(mid, stopped) {
            out.push(at(
                "item_stopped",
                At::Modifier(i, j, "id"),
                format!("{mid:?} is on the stop list"),
            ));
        }
        modifiers.push((mid, mcount, mcost));
        if entry.is_none() {
            continue;
        }
        let found = groups
            .iter()
            .find_map(|g| g.modifiers.iter().find(|x| x.id == mid).map(|x| (g, x)));
        let Some((group, known)) = found else {
            out.push(at(
                "unknown_modifier",
                At::Modifier(i, j, "id"),
                format!("{mid:?} is in none of the item's modifier groups"),
            ));
            continue;
        };
        if !site {
            continue;
        }
        if known.price != mcost {
            mismatch(
                at(
                    "price_mismatch",
                    At::Modifier(i, j, "cost"),
                    format!("expected {}, got {mcost}", known.price),
                ),
                out,
            );
        }
        let total = tally(&mut scratch.amounts, mid);
        if *total == 0 {
            *tally(&mut scratch.selected, group.id.as_str()) += 1;
        }
        *total += mcount;
        let amount = *total;
        if amount < i64::from(known.min_amount) || amount > i64::from(known.max_amount) {
            out.push(at(
                "modifier_amount",
                At::Modifier(i, j, "count"),
                format!(
                    "{mid:?} may be taken {} to {} times per item, got {amount}",
                    known.min_amount, known.max_amount
                ),
            ));
        }
    }
    if entry.is_some() && site {
        for g in groups {
            // A group nested under an option (`parentModifierId`) counts only when that
            // option is chosen.
            if let Some(parent) = g.parent_modifier_id.as_deref() {
                if !scratch.amounts.iter().any(|(k, n)| *k == parent && *n > 0) {
                    continue;
                }
            }
            let n = scratch
                .selected
                .iter()
                .find(|(k, _)| *k == g.id)
                .map_or(0, |(_, n)| *n);
            if n < g.min_selected_modifiers || n > g.max_selected_modifiers {
                out.push(at(
                    "modifier_group",
                    At::Line(i, "modifiers"),
                    format!(
                        "group {:?} needs {} to {} modifiers selected, got {n}",
                        g.id, g.min_selected_modifiers, g.max_selected_modifiers
                    ),
                ));
            }
        }
    }
    // A price other than the menu's still leaves a line with a total (at the prices sent),
    // so the order's delivery and totals are checked too and every difference is named.
    let priced_only = out[before..].iter().all(|v| v.code == "price_mismatch");
    if !priced_only {
        return None;
    }
    let (id, n, cost) = (id?, n?, cost?);
    let line_total = line_total(n, cost, &modifiers);
    let Some(total) = line_total else {
        out.push(at(
            "amount_too_large",
            At::Line(i, ""),
            "the line total is too large",
        ));
        return None;
    };
    Some(ValidLine {
        id,
        count: n,
        cost,
        modifiers,
        total,
    })
}

/// count × (cost + Σ modifier count × modifier cost); modifiers count per unit, as the
/// seed's example (500×1 + 3×(700+30+50) + 100 = 2940) shows. `None` on overflow.
pub fn line_total<S>(count: i64, cost: Money, modifiers: &[(S, i64, Money)]) -> Option<Money> {
    let mut unit = cost;
    for (_, n, c) in modifiers {
        unit = unit.checked_add(c.checked_mul(*n)?)?;
    }
    unit.checked_mul(count)
}

/// The delivery price of a courier order in a zone: free at or above `sum_for_free`, else
/// `delivery_price` (absent = 0). A `sum_for_free` of 0 (or absent) means the zone has no
/// free-delivery threshold, not "free from 0": Jupiter writes 0 for zones named "Стоимость
/// доставки 249 руб." that charge their price on every order.
pub fn delivery_price(zone: &Zone, subtotal: Money) -> Money {
    match zone.sum_for_free {
        Some(free) if free > Money::ZERO && subtotal >= free => Money::ZERO,
        _ => zone.delivery_price.unwrap_or(Money::ZERO),
    }
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
    let mut out = Vec::new();
    let body = &req.body;
    if req.action.as_deref() != Some("new_order") {
        out.push(v("bad_action", "action", "must be \"new_order\""));
    }
    let number = required(&body.number, "number", &mut out);
    let date = required(&body.date, "date", &mut out);
    if let Some(d) = date {
        if parse_local(d).is_none() {
            out.push(v(
                "bad_date",
                "date",
                "must be restaurant-local \"YYYY-MM-DD HH:MM:SS\"",
            ));
        }
    }
    let method = match required(&body.delivery_method, "delivery_method", &mut out) {
        Some("courier") => Some(DeliveryMethod::Courier),
        Some("pickup") => Some(DeliveryMethod::Pickup),
        Some(other) => {
            out.push(v(
                "invalid_value",
                "delivery_method",
                format!("must be courier or pickup, got {other:?}"),
            ));
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
            out.push(v("bad_phone", "client.phone", "must have 10 to 15 digits"));
        }
        n
    });
    if let Some(p) = body.recipient_name.as_ref().and_then(|r| text(&r.phone)) {
        if site && normalize_phone(p).is_none() {
            out.push(v(
                "bad_phone",
                "recipient_name.phone",
                "must have 10 to 15 digits",
            ));
        }
    }
    let no_payment = super::wire::Payment::default();
    let payment = body.payment.as_ref().unwrap_or(&no_payment);
    let payment_method = match required(&payment.method, "payment.method", &mut out) {
        Some("cash") => Some(PaymentMethod::Cash),
        Some("card") => Some(PaymentMethod::Card),
        Some("online") => Some(PaymentMethod::Online),
        Some(other) => {
            out.push(v(
                "invalid_value",
                "payment.method",
                format!("must be cash, card or online, got {other:?}"),
            ));
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
        out.push(v(
            "missing_field",
            "cart.items",
            "must list at least one item",
        ));
    }
    let total = required_money(&cart.total, "cart.total", &mut out);
    let sent_delivery = cart
        .delivery
        .as_ref()
        .and_then(|d| money(d, "cart.delivery", &mut out));
    if method == Some(DeliveryMethod::Courier)
        && body.address.as_ref().and_then(|a| text(&a.name)).is_none()
    {
        out.push(v(
            "missing_field",
            "address.name",
            "a courier order needs an address",
        ));
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
            out.push(v(
                "concept_required",
                "concept_id",
                "is required: the restaurant works with concepts",
            ));
        }
        match restaurant
            .concepts
            .get(concept)
            .and_then(|c| c.menu.as_ref())
        {
            Some(m) => menu = Some(m),
            None => out.push(v(
                "unknown_concept",
                "concept_id",
                format!(
                    "restaurant {:?} has no menu for this concept",
                    restaurant.place.id
                ),
            )),
        }
        if site
            && method == Some(DeliveryMethod::Pickup)
            && restaurant.place.self_delivery != Some(true)
        {
            out.push(v(
                "pickup_unavailable",
                "delivery_method",
                "the restaurant does not offer pickup",
            ));
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
    for (i, item) in cart.items.iter().enumerate() {
        if !site && text(&item.id).is_some_and(|id| id.starts_with(CHARGE_LINE_PREFIX)) {
            match check_charge_line(item, i, &mut out) {
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
            out.push(v(
                "amount_too_large",
                "cart",
                "the order total is too large",
            ));
        }
        // Marketplace charge lines (discounts negative): the cart after them must not be
        // below zero.
        match sum.map(|s| s.minor().saturating_add(charges)) {
            Some(net) if net < 0 => {
                out.push(v(
                    "total_mismatch",
                    "cart.items",
                    format!("the items and charge lines add up to a negative amount ({net} minor units)"),
                ));
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
                        out.push(v(
                            "below_minimum",
                            "cart.items",
                            format!("the zone's minimum order is {min}, the items make {subtotal}"),
                        ));
                    }
                }
            }
        }
        if sent_delivery.unwrap_or(Money::ZERO) != delivery {
            let found = v(
                "delivery_mismatch",
                "cart.delivery",
                format!("expected {delivery}"),
            );
            if ctx.rules == Rules::TrustedSite {
                // Jupiter takes a trusted site's delivery price as sent (the seed's own
                // order charges 100 in a zone free from 1200); the total must add up.
                warnings.push(found);
                delivery = sent_delivery.unwrap_or(Money::ZERO);
            } else {
                out.push(found);
            }
        }
        // A marketplace's total is what its customer paid: its translation carries every
        // discount, charge, tip and tax as a charge line, so the lines and the delivery
        // still add up to it, on every channel.
        let expected = subtotal.checked_add(delivery);
        if let (Some(expected), Some(total)) = (expected, total) {
            if total != expected {
                out.push(v(
                    "total_mismatch",
                    "cart.total",
                    format!("expected {expected} ({subtotal} + {delivery} delivery)"),
                ));
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
            out.push(v(
                "payment_mismatch",
                "payment.sum",
                format!("expected {total}, the cart total"),
            ));
        }
    }
    if let (Some(change), Some(sum)) = (change, pay_sum) {
        if payment_method == Some(PaymentMethod::Cash) && change < sum {
            out.push(v(
                "change_too_small",
                "payment.change",
                format!("must be at least the sum {sum}"),
            ));
        }
    }

    let preorder_at = routed
        .as_ref()
        .and_then(|r| check_time(body, r.restaurant, zone, method, ctx, &mut out));

    if !out.is_empty() {
        return Err(out);
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

/// The time rules. Returns `Some(preorder instant or None)` when the rules pass.
fn check_time(
    body: &OrderBody,
    r: &RestaurantState,
    zone: Option<&Zone>,
    method: Option<DeliveryMethod>,
    ctx: &OrderContext<'_>,
    out: &mut Vec<Violation>,
) -> Option<Option<DateTime<Utc>>> {
    let tz = &r.time_zone;
    let local = |t: DateTime<Utc>| tz.to_local(t);
    let Some(raw) = text(&body.date_preorder) else {
        if !is_online(r.online, r.offline_until, ctx.now) {
            out.push(v(
                "restaurant_offline",
                "restaurant_id",
                "the restaurant is not taking orders now",
            ));
            return None;
        }
        if !restaurant_open_at(r, method, local(ctx.now)) {
            // A site can ask its customer for a later time; a marketplace order has its own.
            let advice = match ctx.rules {
                Rules::Site | Rules::TrustedSite => "; give date_preorder",
                Rules::Marketplace => "",
            };
            out.push(v(
                "restaurant_closed",
                "date",
                format!("the restaurant is closed now{advice}"),
            ));
            return None;
        }
        return Some(None);
    };
    let Some(at) = parse_local(raw).and_then(|l| local_to_utc(l, tz)) else {
        out.push(v(
            "bad_date",
            "date_preorder",
            "must be restaurant-local \"YYYY-MM-DD HH:MM\"",
        ));
        return None;
    };
    let before = out.len();
    if ctx.rules == Rules::Marketplace {
        // The marketplace promised the time; only whether the kitchen works then matters.
    } else if at <= ctx.now {
        out.push(v(
            "preorder_in_past",
            "date_preorder",
            "must be in the future",
        ));
    } else if method == Some(DeliveryMethod::Courier) {
        let lead = zone.and_then(|z| z.time_min).unwrap_or(0);
        if at < ctx.now + Duration::minutes(lead) {
            out.push(v(
                "preorder_too_soon",
                "date_preorder",
                format!("must be at least {lead} minutes from now, the zone's delivery time"),
            ));
        }
    }
    if ctx.rules.is_site() && at > ctx.now + ctx.max_preorder_ahead {
        out.push(v(
            "preorder_too_far",
            "date_preorder",
            format!(
                "must be at most {} days ahead",
                ctx.max_preorder_ahead.num_days()
            ),
        ));
    }
    if !restaurant_open_at(r, method, local(at)) {
        out.push(v(
            "preorder_closed",
            "date_preorder",
            "the restaurant is closed at that time",
        ));
    }
    if !is_online(r.online, r.offline_until, at) {
        out.push(v(
            "restaurant_offline",
            "restaurant_id",
            "the restaurant is not taking orders at that time",
        ));
    }
    (out.len() == before).then_some(Some(at))
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
    let mut ignored = Vec::new();
    route(&req.body, ctx, method, &mut ignored).map(|r| r.restaurant.place.id.clone())
}

/// The fast paths above against the general code they stand in for.
#[cfg(test)]
mod fast_paths {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use crate::order::tests::Gen;

    /// What `money_at` did for every number before the fast path: the text path.
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
            let mut out = Vec::new();
            let got = money_at(&n, At::Field("x"), &mut out);
            match by_text(&n) {
                Ok(m) => assert_eq!(got, Some(m), "{t}"),
                Err(message) => {
                    assert_eq!(got, None, "{t}");
                    assert_eq!(out.first().map(|v| v.message.clone()), Some(message), "{t}");
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
