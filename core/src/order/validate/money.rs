//! Exact money of an order: amounts read from JSON numbers, counts, charge lines, a
//! line's total and the zone's delivery price.

use crate::domain::Money;
use crate::jupiter::Zone;
use crate::order::wire::CartItem;
use crate::problem::Violation;
use serde_json::Number;

use super::*;

/// A signed decimal amount (`-4.78`) of a charge line, in minor units.
pub(super) fn signed_amount(n: &Option<Number>, i: usize, out: &mut Vec<Violation>) -> Option<i64> {
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
pub(super) fn check_charge_line(
    item: &CartItem,
    i: usize,
    out: &mut Vec<Violation>,
) -> Option<i64> {
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

pub(super) fn money(n: &Number, field: &str, out: &mut Vec<Violation>) -> Option<Money> {
    money_at(n, At::Field(field), out)
}

/// An exact amount. A whole JSON number is read without formatting it; any other goes
/// through its text, so `15.5` and `15.50` are exact and `15.555` is refused.
pub(super) fn money_at(n: &Number, field: At<'_>, out: &mut Vec<Violation>) -> Option<Money> {
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
pub(super) fn cents_of(f: f64) -> Option<Money> {
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

pub(super) fn required_money(
    n: &Option<Number>,
    field: &str,
    out: &mut Vec<Violation>,
) -> Option<Money> {
    required_money_at(n, At::Field(field), out)
}

pub(super) fn required_money_at(
    n: &Option<Number>,
    field: At<'_>,
    out: &mut Vec<Violation>,
) -> Option<Money> {
    match n {
        Some(n) => money_at(n, field, out),
        None => {
            out.push(at("missing_field", field, "is required"));
            None
        }
    }
}

/// A whole number ≥ 1 (`2.0` counts as 2; `1.5`, `0` and negatives do not).
pub(super) fn count_at(n: &Option<Number>, field: At<'_>, out: &mut Vec<Violation>) -> Option<i64> {
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
