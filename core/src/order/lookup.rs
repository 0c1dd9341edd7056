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

use crate::jupiter::{Item, Menu};

/// The menu items of a set of ids, found in one pass over a menu. An open-addressing
/// table: `keys` (0 = empty slot) is probed first, compact so the pass over the menu
/// touches little memory; `slots` holds the id and item of each used key.
pub(crate) struct MenuLookup<'a> {
    keys: Vec<u64>,
    slots: Vec<(&'a str, Option<&'a Item>)>,
    shift: u32,
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

impl<'a> MenuLookup<'a> {
    /// Finds `ids` (repeats allowed) in `menu` with one pass over its items.
    pub(crate) fn new(menu: &'a Menu, ids: impl Iterator<Item = &'a str> + Clone) -> Self {
        let wanted = ids.clone().count();
        // At most a quarter full, so an absent key nearly always meets an empty slot at
        // once (most menu items are not in the order).
        let size = (wanted * 4).next_power_of_two().max(4);
        let mut lookup = MenuLookup {
            keys: vec![0; size],
            slots: vec![("", None); size],
            shift: 64 - size.trailing_zeros(),
        };
        let mut missing = 0usize;
        for id in ids {
            if let Err(free) = lookup.find(key(id), id) {
                if let (Some(k), Some(slot)) =
                    (lookup.keys.get_mut(free), lookup.slots.get_mut(free))
                {
                    *k = key(id);
                    *slot = (id, None);
                    missing += 1;
                }
            }
        }
        for item in &menu.items {
            if missing == 0 {
                break;
            }
            if let Ok(i) = lookup.find(key(&item.id), &item.id) {
                if let Some(slot @ (_, None)) = lookup.slots.get_mut(i) {
                    slot.1 = Some(item);
                    missing -= 1;
                }
            }
        }
        lookup
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
                    if self.slots.get(i).is_some_and(|s| s.0 == id) {
                        return Ok(i);
                    }
                }
                Some(0) | None => return Err(i),
                Some(_) => {}
            }
            i = (i + 1) & mask;
        }
    }

    /// The first menu item with this id, if it was one of the ids asked for.
    pub(crate) fn get(&self, id: &str) -> Option<&'a Item> {
        let i = self.find(key(id), id).ok()?;
        self.slots.get(i).and_then(|s| s.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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

    #[test]
    fn finds_exactly_what_a_scan_finds() {
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
        let asked: Vec<String> = ids
            .iter()
            .step_by(7)
            .cloned()
            .chain(["absent", "I00000 ", "i00001", "abcdefgh\0", "", "abcd"].map(str::to_owned))
            .collect();
        let lookup = MenuLookup::new(&m, asked.iter().map(String::as_str));
        for id in &asked {
            let got = lookup.get(id).map(|i| i as *const Item);
            let want = scan(&m, id).map(|i| i as *const Item);
            assert_eq!(got, want, "{id:?}");
        }
        // Ids not asked for are not answered.
        assert!(lookup.get("I00001").is_none());
    }

    #[test]
    fn sizes_from_one_id_to_many() {
        let ids: Vec<String> = (0..500).map(|n| format!("I{n:05}")).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let m = menu(&refs);
        for n in [0, 1, 2, 3, 5, 20, 100, 600] {
            let asked: Vec<String> = (0..n).map(|k| format!("I{:05}", (k * 37) % 700)).collect();
            let lookup = MenuLookup::new(&m, asked.iter().map(String::as_str));
            for id in &asked {
                assert_eq!(
                    lookup.get(id).map(|i| &i.id),
                    scan(&m, id).map(|i| &i.id),
                    "{id}"
                );
            }
        }
    }
}
