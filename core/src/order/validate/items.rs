//! The cart rules: each line against the menu (the item, its modifiers and their
//! limits, the stop list) and its price.

use super::money::{count, line_total, required_money};
use crate::jupiter::{Item, Menu, ModifierGroup};
use crate::order::lookup::OrderIds;
use crate::order::wire::CartItem;
use crate::problem::{Path, Violation, Violations};
use std::collections::BTreeSet;

use super::*;

/// Per-order scratch space of [`check_item`], reused from line to line so that lines
/// with modifiers allocate nothing but their output.
#[derive(Default)]
pub(super) struct Scratch<'r, 'm> {
    /// Modifier group id → modifiers of it selected on the line (in first-seen order).
    pub(super) selected: Vec<(&'m str, u32)>,
    /// Modifier id → count per unit taken on the line (in first-seen order).
    pub(super) amounts: Vec<(&'r str, i64)>,
}

/// Adds `n` to the entry of `key` in a small table kept in first-seen order (a new one
/// starts at 0): the entry before and after.
pub(super) fn tally<'k, T>(table: &mut Vec<(&'k str, T)>, key: &'k str, n: T) -> (T, T)
where
    T: Copy + Default + std::ops::Add<Output = T>,
{
    match table.iter_mut().find(|(k, _)| *k == key) {
        Some((_, entry)) => {
            let before = *entry;
            *entry = before + n;
            (before, *entry)
        }
        None => {
            let after = T::default() + n;
            table.push((key, after));
            (T::default(), after)
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn check_item<'r, 'm>(
    item: &'r CartItem,
    i: usize,
    menu: Option<&Menu>,
    ids: &OrderIds<'_, 'm>,
    stopped: &BTreeSet<String>,
    rules: Rules,
    scratch: &mut Scratch<'r, 'm>,
    out: &mut Violations,
    warnings: &mut Vec<Violation>,
) -> Option<ValidLine<&'r str>> {
    let site = rules.is_site();
    // A trusted site's prices are its own: a difference is noted, not refused.
    let mut mismatch = |found: Violation, out: &mut Violations| {
        if rules == Rules::TrustedSite {
            warnings.push(found);
        } else {
            out.add(found);
        }
    };
    let items = Path::root("cart.items");
    let line = items.index(i);
    let before = out.len();
    let id = required(&item.id, line.field("id"), out);
    let n = count(&item.count, line.field("count"), out);
    let cost = required_money(&item.cost, line.field("cost"), out);
    let slot = id.and_then(|id| ids.line(i, id));
    let entry: Option<&'m Item> = match (id, menu) {
        (Some(id), Some(_)) => {
            let found = slot.and_then(|s| s.item);
            if found.is_none() {
                out.push(
                    "unknown_item",
                    line.field("id"),
                    format!("{id:?} is not on the menu"),
                );
            }
            found
        }
        _ => None,
    };
    if let Some(id) = id {
        if slot.map_or_else(|| stopped.contains(id), |s| s.stopped) {
            out.push(
                "item_stopped",
                line.field("id"),
                format!("{id:?} is on the stop list"),
            );
        }
    }
    if let (Some(entry), Some(cost)) = (entry, cost) {
        if site && entry.price != cost {
            mismatch(
                Violation::new(
                    "price_mismatch",
                    Some(&line.field("cost").to_string()),
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
    let chosen = line.field("modifiers");
    for (j, m) in item.modifiers.iter().flatten().enumerate() {
        let at = chosen.index(j);
        let mid = required(&m.id, at.field("id"), out);
        let mcount = count(&m.count, at.field("count"), out);
        let mcost = required_money(&m.cost, at.field("cost"), out);
        let (Some(mid), Some(mcount), Some(mcost)) = (mid, mcount, mcost) else {
            continue;
        };
        if ids.stopped(mid, stopped) {
            out.push(
                "item_stopped",
                at.field("id"),
                format!("{mid:?} is on the stop list"),
            );
        }
        modifiers.push((mid, mcount, mcost));
        if entry.is_none() {
            continue;
        }
        let found = groups
            .iter()
            .find_map(|g| g.modifiers.iter().find(|x| x.id == mid).map(|x| (g, x)));
        let Some((group, known)) = found else {
            out.push(
                "unknown_modifier",
                at.field("id"),
                format!("{mid:?} is in none of the item's modifier groups"),
            );
            continue;
        };
        if !site {
            continue;
        }
        if known.price != mcost {
            mismatch(
                Violation::new(
                    "price_mismatch",
                    Some(&at.field("cost").to_string()),
                    format!("expected {}, got {mcost}", known.price),
                ),
                out,
            );
        }
        let (taken, amount) = tally(&mut scratch.amounts, mid, mcount);
        if taken == 0 {
            tally(&mut scratch.selected, group.id.as_str(), 1);
        }
        if amount < i64::from(known.min_amount) || amount > i64::from(known.max_amount) {
            out.push(
                "modifier_amount",
                at.field("count"),
                format!(
                    "{mid:?} may be taken {} to {} times per item, got {amount}",
                    known.min_amount, known.max_amount
                ),
            );
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
                out.push(
                    "modifier_group",
                    chosen,
                    format!(
                        "group {:?} needs {} to {} modifiers selected, got {n}",
                        g.id, g.min_selected_modifiers, g.max_selected_modifiers
                    ),
                );
            }
        }
    }
    // A price other than the menu's still leaves a line with a total (at the prices sent),
    // so the order's delivery and totals are checked too and every difference is named.
    let priced_only = out
        .as_slice()
        .iter()
        .skip(before)
        .all(|v| v.code == "price_mismatch");
    if !priced_only {
        return None;
    }
    let (id, n, cost) = (id?, n?, cost?);
    let line_total = line_total(n, cost, &modifiers);
    let Some(total) = line_total else {
        out.push("amount_too_large", line, "the line total is too large");
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
