//! Finding an order's items in a menu in one pass, without indexing the whole menu.
//!
//! A site order names a few items (1 to 100 lines) of a menu of hundreds or thousands.
//! Building a `HashMap` of the whole menu per order (SipHash over every item id, an
//! allocation per bucket array) cost more than the rest of validating 20 lines, in wasm
//! most of all; scanning the menu once per line costs lines × items string comparisons.
//! Instead, the order's own ids go into a tiny open-addressing table, and one pass over the
//! menu looks each item id up in it with a cheap key (the id's length and its first and
//! last bytes, mixed by one multiplication): most menu items are rejected by one table
//! probe, without a string comparison. The pass stops once every requested id was found.
//!
//! The answer is the scan's: for each id, the **first** menu item with that id (stored
//! menus have unique item ids; `jupiter::validate_admin_menu` and the JET menu rules refuse
//! repeats).
//!
//! The same table answers whether an id (of a line or a modifier) is on the restaurant's
//! stop list, with one probe instead of a `BTreeSet<String>` search (string comparisons,
//! `memcmp` calls in wasm) per line and modifier: the stop list is looked up in the table
//! once, or, when it is much longer than the order, each of the order's ids in it once.

use std::collections::BTreeSet;

use crate::jupiter::{Item, Menu};

/// One id of the order.
#[derive(Clone, Copy)]
pub(crate) struct Slot<'r, 'm> {
    id: &'r str,
    /// The first menu item with the id, for a line's id.
    pub(crate) item: Option<&'m Item>,
    /// Whether a line has the id (else only modifiers do).
    line: bool,
    /// Whether the id is on the stop list.
    pub(crate) stopped: bool,
}

/// The ids of an order (its lines' and modifiers'), with the menu item and the stop-list
/// state of each. An open-addressing table: `keys` (0 = empty) is what the pass over the
/// menu probes, compact so it touches little memory; `slots` holds the rest.
pub(crate) struct OrderIds<'r, 'm> {
    keys: Vec<u64>,
    slots: Vec<Slot<'r, 'm>>,
    shift: u32,
    /// The slot of each line's id, by line (`u32::MAX`: the line has none), so checking
    /// a line needs no second lookup.
    lines: Vec<u32>,
}

/// A well-mixed 64-bit key of an id, never 0. Ids of 4 to 8 bytes (PLUs, `I00042`) are
/// covered completely by their first and last 4 bytes; longer ones by their first and last
/// 8 and their length. Equal ids have equal keys; a key match is confirmed by comparing the
/// ids.
#[inline]
fn key(id: &str) -> u64 {
    let b = id.as_bytes();
    let len = b.len() as u64;
    let raw = if let (Some(head), Some(tail)) = (b.first_chunk::<8>(), b.last_chunk::<8>()) {
        u64::from_le_bytes(*head) ^ u64::from_le_bytes(*tail).rotate_left(23)
    } else if let (Some(head), Some(tail)) = (b.first_chunk::<4>(), b.last_chunk::<4>()) {
        (u64::from(u32::from_le_bytes(*head)) << 32) | u64::from(u32::from_le_bytes(*tail))
    } else {
        b.iter().fold(0u64, |k, &c| (k << 8) | u64::from(c))
    };
    (raw ^ len.rotate_right(8)).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1
}

impl<'r, 'm> OrderIds<'r, 'm> {
    /// The table of `lines`' ids (one entry per line, `None` for a line without one) and
    /// `modifiers`' ids (repeats allowed): each line id's first item in `menu` (one pass
    /// over its items), and every id's stop-list state.
    pub(crate) fn new(
        lines: impl ExactSizeIterator<Item = Option<&'r str>> + Clone,
        modifiers: impl Iterator<Item = &'r str> + Clone,
        menu: Option<&'m Menu>,
        stopped: &BTreeSet<String>,
    ) -> Self {
        let ids = lines.len() + modifiers.clone().count();
        // At most a quarter full, so an absent key nearly always meets an empty slot at
        // once (most menu items are not in the order).
        let size = (ids * 4).next_power_of_two().max(4);
        let mut table = OrderIds {
            keys: vec![0; size],
            slots: vec![
                Slot {
                    id: "",
                    item: None,
                    line: false,
                    stopped: false,
                };
                size
            ],
            shift: 64 - size.trailing_zeros(),
            lines: Vec::with_capacity(lines.len()),
        };
        let mut missing = 0usize;
        let mut distinct = 0usize;
        let line_ids = lines.map(|id| (id, true));
        let modifier_ids = modifiers.map(|id| (Some(id), false));
        for (id, line) in line_ids.chain(modifier_ids) {
            let Some(id) = id else {
                table.lines.push(u32::MAX);
                continue;
            };
            let k = key(id);
            let at = table.find(k, id);
            if line {
                table.lines.push(at.unwrap_or_else(|free| free) as u32);
            }
            match at {
                Ok(i) => {
                    if let Some(slot) = table.slots.get_mut(i) {
                        if line && !slot.line {
                            slot.line = true;
                            missing += 1;
                        }
                    }
                }
                Err(free) => {
                    if let (Some(key), Some(slot)) =
                        (table.keys.get_mut(free), table.slots.get_mut(free))
                    {
                        *key = k;
                        *slot = Slot {
                            id,
                            item: None,
                            line,
                            stopped: false,
                        };
                        distinct += 1;
                        missing += usize::from(line);
                    }
                }
            }
        }
        // One bit per line id's top 6 key bits: most menu items are passed over on a
        // register test, without touching the table.
        let mut bits = 0u64;
        for (k, slot) in table.keys.iter().zip(&table.slots) {
            if *k != 0 && slot.line {
                bits |= 1 << (k >> 58);
            }
        }
        for item in menu.map_or(&[][..], |m| &m.items) {
            if missing == 0 {
                break;
            }
            let k = key(&item.id);
            if bits & (1 << (k >> 58)) == 0 {
                continue;
            }
            if let Ok(i) = table.find(k, &item.id) {
                if let Some(slot) = table.slots.get_mut(i) {
                    if slot.line && slot.item.is_none() {
                        slot.item = Some(item);
                        missing -= 1;
                    }
                }
            }
        }
        if stopped.len() <= distinct * 4 {
            for s in stopped {
                if let Ok(i) = table.find(key(s), s) {
                    if let Some(slot) = table.slots.get_mut(i) {
                        slot.stopped = true;
                    }
                }
            }
        } else {
            for (k, slot) in table.keys.iter().zip(&mut table.slots) {
                if *k != 0 {
                    slot.stopped = stopped.contains(slot.id);
                }
            }
        }
        table
    }

    /// The slot of an id: `Ok` where it is, or `Err` with the empty slot where it would go.
    #[inline]
    fn find(&self, key: u64, id: &str) -> Result<usize, usize> {
        let mask = self.keys.len() - 1;
        // `shift` < 64 (at least 4 slots); the home slot is within the table.
        let mut i = (key >> self.shift) as usize;
        // The table is never full, so the probe ends at an empty slot.
        loop {
            match self.keys.get(i) {
                Some(&k) if k == key => {
                    if self.slots.get(i).is_some_and(|s| s.id == id) {
                        return Ok(i);
                    }
                }
                Some(0) | None => return Err(i),
                Some(_) => {}
            }
            i = (i + 1) & mask;
        }
    }

    fn slot(&self, id: &str) -> Option<&Slot<'r, 'm>> {
        let i = self.find(key(id), id).ok()?;
        self.slots.get(i)
    }

    /// The slot of line `i`, whose id is `id` (the very text given to [`OrderIds::new`]:
    /// then no lookup is needed; any other text is looked up).
    pub(crate) fn line(&self, i: usize, id: &str) -> Option<&Slot<'r, 'm>> {
        let recorded = self.lines.get(i).and_then(|&s| self.slots.get(s as usize));
        match recorded {
            Some(s) if std::ptr::eq(s.id, id) => Some(s),
            _ => self.slot(id),
        }
    }

    /// The first menu item with this id, if a line asked for it.
    #[cfg(test)]
    fn item(&self, id: &str) -> Option<&'m Item> {
        self.slot(id).and_then(|s| s.item)
    }

    /// Whether the id is on the stop list (`stopped` decides for an id the order does
    /// not have).
    pub(crate) fn stopped(&self, id: &str, stopped: &BTreeSet<String>) -> bool {
        match self.slot(id) {
            Some(s) => s.stopped,
            None => stopped.contains(id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn menu(ids: &[&str]) -> Menu {
        let items: Vec<_> = ids
            .iter()
            .enumerate()
            .map(|(n, id)| json!({"id": id, "categoryId": "c", "name": format!("item {n}"), "price": n}))
            .collect();
        serde_json::from_value(json!({"lastChange": "x", "categories": [], "items": items}))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The reference: the first item with the id, by a scan.
    fn scan<'m>(menu: &'m Menu, id: &str) -> Option<&'m Item> {
        menu.items.iter().find(|i| i.id == id)
    }

    fn ptr(item: Option<&Item>) -> Option<*const Item> {
        item.map(|i| i as *const Item)
    }

    #[test]
    fn finds_exactly_what_a_scan_and_the_stop_list_find() {
        let mut ids: Vec<String> = vec![
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abcde",
            "abcdefgh",
            "abcdefghi",
            "Борщ",
            "I00001",
            "I00010",
            "I00100",
            "x-very-long-plu-0001",
            "x-very-long-plu-0002",
            "0001",
            "1000",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        ids.extend((0..300).map(|n| format!("I{n:05}")));
        ids.extend((0..50).map(|n| format!("plu-{n}-{}", "z".repeat(n % 13))));
        // A repeat: the first one is the answer.
        ids.push("abcd".to_owned());
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let m = menu(&refs);
        let lines: Vec<String> = ids
            .iter()
            .step_by(7)
            .cloned()
            .chain(["absent", "I00000 ", "i00001", "abcdefgh\0", "", "abcd"].map(str::to_owned))
            .collect();
        // Modifier ids: some also lines' ids, some menu items no line names.
        let modifiers: Vec<String> = ["abcd", "I00002", "S0", "absent", "I00014"]
            .map(str::to_owned)
            .to_vec();
        let short: BTreeSet<String> = ["I00000", "abcd", "S0", "nowhere", "I00002"]
            .map(str::to_owned)
            .into();
        let long: BTreeSet<String> = ids.iter().step_by(3).cloned().collect();
        for stopped in [&short, &long, &BTreeSet::new()] {
            for menu in [Some(&m), None] {
                let table = OrderIds::new(
                    lines.iter().map(|l| Some(l.as_str())),
                    modifiers.iter().map(String::as_str),
                    menu,
                    stopped,
                );
                for (i, id) in lines.iter().enumerate() {
                    let want = menu.and_then(|m| scan(m, id));
                    assert_eq!(ptr(table.item(id)), ptr(want), "{id:?}");
                    let line = table.line(i, id);
                    assert_eq!(ptr(line.and_then(|s| s.item)), ptr(want), "{id:?}");
                    assert_eq!(
                        line.map(|s| s.stopped),
                        Some(stopped.contains(id)),
                        "{id:?}"
                    );
                    // Another text of the same id is looked up, with the same answer.
                    let copy = id.clone();
                    assert_eq!(ptr(table.line(i, &copy).and_then(|s| s.item)), ptr(want));
                    assert_eq!(
                        ptr(table.line(i + 1, &copy).and_then(|s| s.item)),
                        ptr(want)
                    );
                }
                for id in lines.iter().chain(&modifiers).chain(&ids) {
                    assert_eq!(table.stopped(id, stopped), stopped.contains(id), "{id:?}");
                }
                // Only lines' ids are looked up in the menu.
                assert!(table.item("I00002").is_none());
                assert!(table.item("I00001").is_none());
            }
        }
    }

    #[test]
    fn sizes_from_one_id_to_many() {
        let ids: Vec<String> = (0..500).map(|n| format!("I{n:05}")).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let m = menu(&refs);
        let none = BTreeSet::new();
        for n in [0, 1, 2, 3, 5, 20, 100, 600] {
            let asked: Vec<String> = (0..n).map(|k| format!("I{:05}", (k * 37) % 700)).collect();
            let table = OrderIds::new(
                asked.iter().map(|a| Some(a.as_str())),
                std::iter::empty(),
                Some(&m),
                &none,
            );
            for id in &asked {
                assert_eq!(
                    table.item(id).map(|i| &i.id),
                    scan(&m, id).map(|i| &i.id),
                    "{id}"
                );
            }
        }
    }
}
