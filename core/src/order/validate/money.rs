//! Exact money of an order: amounts read from JSON numbers, counts, charge lines, a
//! line's total and the zone's delivery price.

use std::fmt;

use crate::domain::Money;
use crate::jupiter::Zone;
use crate::order::wire::CartItem;
use crate::problem::{Path, Violations};
use serde_json::Number;

/// A marketplace charge line (see [`CHARGE_LINE_PREFIX`](super::CHARGE_LINE_PREFIX)) at `line`: its signed amount
/// (`-4.78`), in minor units.
pub(super) fn check_charge_line(
    item: &CartItem,
    line: Path<'_>,
    out: &mut Violations,
) -> Option<i64> {
    let before = out.len();
    if count(&item.count, line.field("count"), out).is_some_and(|c| c != 1) {
        out.push(
            "bad_count",
            line.field("count"),
            "a charge line has count 1",
        );
    }
    if item.modifiers.as_ref().is_some_and(|m| !m.is_empty()) {
        out.push(
            "invalid_value",
            line.field("modifiers"),
            "a charge line has no modifiers",
        );
    }
    let amount = match &item.cost {
        Some(n) => out.take_at(Money::signed_minor_from_json(n, ""), line.field("cost")),
        None => {
            out.push("missing_field", line.field("cost"), "is required");
            None
        }
    };
    (out.len() == before).then_some(amount).flatten()
}

/// An exact amount ([`Money::from_json`]: a whole number is read without formatting it,
/// so `15.5` and `15.50` are exact and `15.555` is refused), its violation recorded at
/// `path`.
pub(super) fn money(n: &Number, path: impl fmt::Display, out: &mut Violations) -> Option<Money> {
    out.take_at(Money::from_json(n, ""), path)
}

/// [`money`] of a required field, or `missing_field` recorded at `path`.
pub(super) fn required_money(
    n: &Option<Number>,
    path: impl fmt::Display,
    out: &mut Violations,
) -> Option<Money> {
    match n {
        Some(n) => money(n, path, out),
        None => {
            out.push("missing_field", path, "is required");
            None
        }
    }
}

/// A whole number ≥ 1 (`2.0` counts as 2; `1.5`, `0` and negatives do not).
pub(super) fn count(
    n: &Option<Number>,
    path: impl fmt::Display,
    out: &mut Violations,
) -> Option<i64> {
    let Some(n) = n else {
        out.push("missing_field", path, "is required");
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
            out.push(
                "bad_count",
                path,
                format!("must be a whole number from 1 to 10000, got {n}"),
            );
            None
        }
    }
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
