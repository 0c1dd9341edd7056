//! What the customer paid Just Eat, as the Jupiter cart and a breakdown the kitchen reads
//! (FACTS §5.4, §5.5; the mapping table in [`crate::jet::order`]).
//!
//! Jupiter's `payment.sum` is the order total after every discount and the delivery
//! (seed `004`), so `cart.total` and `payment.sum` are Just Eat's `payment.final.inc_tax`.
//! What no menu item carries is a [`Part`] of the breakdown, and each part becomes a
//! marketplace charge line (`marketplace:<kind>`, a discount negative;
//! [`crate::order::wire::charge_line`]), so always
//! `Σ lines (charge lines included) + cart.delivery = payment.final.inc_tax`, to the minor
//! unit, and the comment spells the same bill out for the kitchen.
//!
//! * Promotion items (`promotions[].items`, never in the top-level `items`) are lines whose
//!   prices carry the promotion's `discountValue`, taken off item by item (the item, then
//!   its options) until it is spent: a free item is a line at 0. What a promotion's items
//!   cannot absorb (an order-level percentage, a promotion without items) is a part.
//! * A `discount` adjustment that is a promotion's `discountValue` (or all of the
//!   unmatched promotions' values together) is that promotion, counted once; any other
//!   `discount` is a part.
//! * `deliveryFee` is `cart.delivery`; `serviceCharge`, `bagfee`, `driverTip`,
//!   `itemDepositGroup` and `other` are lines when `JET_CHARGE_ITEMS` maps them, else
//!   parts.
//! * What is left is what `items_in_cart` holds beyond the line prices: tax outside the
//!   prices (North American examples price `1700` for an `items_in_cart` of `2160`, `360`
//!   of it tax), rounding. It is a part of its own, named so.

use super::translate::ChargeItems;
use super::validate::{AdjustmentKind, JetOrder, Line};

/// One part of Just Eat's bill outside the cart lines and `cart.delivery`, signed (a
/// discount is negative).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The charge line's kind (`marketplace:<kind>`, [`crate::order::wire::charge_line`]).
    pub kind: &'static str,
    pub name: String,
    pub amount: i64,
}

/// A cart line to be: the line with the prices the kitchen charges, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillLine {
    pub line: Line,
    /// The line's total as Just Eat priced it, before a promotion took its share.
    pub listed: i64,
    /// `Some(promotion label)` for a promotion's item.
    pub promotion: Option<String>,
}

/// A charge adjustment that is a cart line (`JET_CHARGE_ITEMS`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeLine {
    pub item: String,
    pub kind: AdjustmentKind,
    pub amount: i64,
}

/// The order's money as the kitchen gets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bill {
    /// The order's lines and the promotions' items with a PLU, in Just Eat's order.
    pub lines: Vec<BillLine>,
    /// Promotion items without a PLU: no cart line can carry them; named in the comment,
    /// their price (after the promotion) is a part.
    pub unlisted: Vec<BillLine>,
    pub charges: Vec<ChargeLine>,
    pub delivery: i64,
    pub parts: Vec<Part>,
    /// `payment.final.inc_tax`: `cart.total` and `payment.sum`.
    pub total: i64,
}

/// A line's total: the item and its options.
pub fn line_total(line: &Line) -> i64 {
    line.children
        .iter()
        .fold(line.price, |s, c| s.saturating_add(c.price))
}

/// Takes up to `amount` off the line, the item first, then its options in order; returns
/// what it took.
fn take_off(line: &mut Line, amount: i64) -> i64 {
    let mut left = amount.max(0);
    let cut = left.min(line.price);
    line.price -= cut;
    left -= cut;
    for c in &mut line.children {
        let cut = left.min(c.price);
        c.price -= cut;
        left -= cut;
    }
    amount.max(0) - left
}

/// The name an adjustment kind has on the bill.
pub fn label(kind: AdjustmentKind) -> &'static str {
    match kind {
        AdjustmentKind::DeliveryFee => "delivery",
        AdjustmentKind::ServiceCharge => "service charge",
        AdjustmentKind::BagFee => "bag fee",
        AdjustmentKind::DriverTip => "driver tip",
        AdjustmentKind::Discount => "discount",
        AdjustmentKind::ItemDepositGroup => "deposit",
        AdjustmentKind::Other => "other charge",
    }
}

/// The charge-line kind of an adjustment that no menu item carries.
pub fn slug(kind: AdjustmentKind) -> &'static str {
    match kind {
        AdjustmentKind::DeliveryFee => "delivery",
        AdjustmentKind::ServiceCharge => "service-charge",
        AdjustmentKind::BagFee => "bag-fee",
        AdjustmentKind::DriverTip => "tip",
        AdjustmentKind::Discount => "discount",
        AdjustmentKind::ItemDepositGroup => "deposit",
        AdjustmentKind::Other => "other",
    }
}

/// Just Eat's bill of a valid order.
pub fn bill(order: &JetOrder, charges: &ChargeItems) -> Bill {
    let mut lines: Vec<BillLine> = order
        .lines
        .iter()
        .map(|l| BillLine {
            line: l.clone(),
            listed: line_total(l),
            promotion: None,
        })
        .collect();
    let mut unlisted = Vec::new();
    let mut parts = Vec::new();

    // Which `discount` adjustments are promotions: one promotion's value each, or all the
    // promotions left together (one adjustment for the order's promotions).
    let mut discounts: Vec<Option<i64>> = order
        .adjustments
        .iter()
        .filter(|(k, _)| *k == AdjustmentKind::Discount)
        .map(|(_, a)| Some(*a))
        .collect();
    let mut matched = vec![false; order.promotions.len()];
    for (p, matched) in order.promotions.iter().zip(matched.iter_mut()) {
        if p.discount_value <= 0 {
            continue;
        }
        if let Some(slot) = discounts.iter_mut().find(|d| **d == Some(p.discount_value)) {
            *slot = None;
            *matched = true;
        }
    }
    let rest: i64 = order
        .promotions
        .iter()
        .zip(&matched)
        .filter(|(p, m)| !**m && p.discount_value > 0)
        .map(|(p, _)| p.discount_value)
        .sum();
    if rest > 0 {
        if let Some(slot) = discounts.iter_mut().find(|d| **d == Some(rest)) {
            *slot = None;
            for (p, m) in order.promotions.iter().zip(matched.iter_mut()) {
                if p.discount_value > 0 {
                    *m = true;
                }
            }
        }
    }

    for (p, also_adjusted) in order.promotions.iter().zip(&matched) {
        let name = format!("promotion {} {}", p.kind, p.promotion_id);
        let mut left = p.discount_value;
        for item in &p.items {
            let mut line = item.clone();
            let listed = line_total(&line);
            left -= take_off(&mut line, left);
            let bill_line = BillLine {
                line,
                listed,
                promotion: Some(name.clone()),
            };
            if item.plu.is_empty() {
                unlisted.push(bill_line);
            } else {
                lines.push(bill_line);
            }
        }
        if left > 0 {
            let also = if *also_adjusted {
                " (also a discount adjustment: counted once)"
            } else {
                ""
            };
            parts.push(Part {
                kind: "promotion",
                name: format!("{name}{also}"),
                amount: -left,
            });
        }
    }
    for l in &unlisted {
        let owed = line_total(&l.line);
        if owed > 0 {
            parts.push(Part {
                kind: "promotion-item",
                name: format!("{} (no PLU)", l.line.name),
                amount: owed,
            });
        }
    }
    for a in discounts.into_iter().flatten() {
        parts.push(Part {
            kind: slug(AdjustmentKind::Discount),
            name: label(AdjustmentKind::Discount).to_owned(),
            amount: -a,
        });
    }

    let mut delivery: i64 = 0;
    let mut charge_lines = Vec::new();
    for (kind, amount) in &order.adjustments {
        match (kind, charges.item_for(*kind)) {
            (AdjustmentKind::DeliveryFee, _) => delivery = delivery.saturating_add(*amount),
            (AdjustmentKind::Discount, _) => {}
            (_, Some(item)) => charge_lines.push(ChargeLine {
                item: item.to_owned(),
                kind: *kind,
                amount: *amount,
            }),
            (kind, None) => parts.push(Part {
                kind: slug(*kind),
                name: label(*kind).to_owned(),
                amount: *amount,
            }),
        }
    }

    let on_cart = lines
        .iter()
        .map(|l| line_total(&l.line))
        .chain(charge_lines.iter().map(|c| c.amount))
        .chain(parts.iter().map(|p| p.amount))
        .fold(delivery, i64::saturating_add);
    let rest = order.final_total.saturating_sub(on_cart);
    if rest != 0 {
        parts.push(Part {
            kind: "tax",
            name: "in items_in_cart beyond the line prices (tax, rounding)".to_owned(),
            amount: rest,
        });
    }
    Bill {
        lines,
        unlisted,
        charges: charge_lines,
        delivery,
        parts,
        total: order.final_total,
    }
}
