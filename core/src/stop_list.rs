//! The stop list as a pure state decision.
//!
//! The edge stores one [`AvailabilityRecord`] per (restaurant, PLU) and, for each
//! item-availability event, calls [`apply_availability`] and stores what it returns.
//!
//! * `UNAVAILABLE` puts the PLUs on the stop list; `nextAvailableAt` becomes `until`, after
//!   which the item is available again without another event.
//! * `AVAILABLE` takes them off. The record stays (with `unavailable: false`) so that the
//!   time of the last event applied to that PLU is remembered.
//! * An event whose `happenedAt` is older than the last one applied to the same PLU is
//!   ignored for that PLU, so out-of-order delivery cannot flap an item. An event with the
//!   same time is applied (the later delivery wins). An event without `happenedAt` is
//!   taken to have happened `now`, as JET Connect does.
//!
//! [`stop_list_at`] gives the PLUs that are unavailable at a moment, dropping those whose
//! `until` has passed (an item is available again at `until` exactly).
//!
//! An item coming back at its `until` changes the stop list without any event, so the
//! stop list's `lastChange` as served is [`effective_last_change`] (the later of the stored
//! one and every `until` that has passed since), and a cached copy is good only until
//! [`next_change`]. The `date_change` filter ([`changed_after`]) compares against the
//! served `lastChange`.

use crate::jet::validate::{AvailabilityEvent, ValidItemAvailability};
use crate::jupiter;
use crate::problem::Violation;
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone};
use std::collections::BTreeMap;

/// The last availability event applied to one PLU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvailabilityRecord {
    /// Whether the event put the item on the stop list.
    pub unavailable: bool,
    /// When an unavailable item comes back by itself (`nextAvailableAt`).
    pub until: Option<DateTime<FixedOffset>>,
    /// When the applied event happened.
    pub happened_at: DateTime<FixedOffset>,
}

/// One restaurant's records, by PLU.
pub type AvailabilityEntries = BTreeMap<String, AvailabilityRecord>;

/// What applying one event decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The records after the event; store them when `changed`.
    pub entries: AvailabilityEntries,
    /// Whether any record differs from before.
    pub changed: bool,
    /// Whether the stop list as seen at `now` differs (bump `lastChange`, drop caches).
    pub stop_list_changed: bool,
    /// PLUs for which the event was older than the last applied one.
    pub ignored: Vec<String>,
}

pub fn apply_availability(
    entries: &AvailabilityEntries,
    event: &ValidItemAvailability,
    now: DateTime<FixedOffset>,
) -> Applied {
    let happened_at = event.happened_at.unwrap_or(now);
    let mut next = entries.clone();
    let mut ignored = Vec::new();
    for plu in &event.plus {
        let key = plu.as_str();
        if let Some(last) = entries.get(key) {
            if happened_at < last.happened_at {
                ignored.push(key.to_owned());
                continue;
            }
        }
        let record = match event.event {
            AvailabilityEvent::Unavailable => AvailabilityRecord {
                unavailable: true,
                until: event.next_available_at,
                happened_at,
            },
            AvailabilityEvent::Available => AvailabilityRecord {
                unavailable: false,
                until: None,
                happened_at,
            },
        };
        next.insert(key.to_owned(), record);
    }
    Applied {
        changed: &next != entries,
        stop_list_changed: stop_list_at(&next, now) != stop_list_at(entries, now),
        entries: next,
        ignored,
    }
}

/// The PLUs on the stop list at `now`, sorted.
pub fn stop_list_at(entries: &AvailabilityEntries, now: DateTime<FixedOffset>) -> Vec<String> {
    entries
        .iter()
        .filter(|(_, r)| r.unavailable && r.until.is_none_or(|until| until > now))
        .map(|(plu, _)| plu.clone())
        .collect()
}

/// The Jupiter `/stop_list` entry of one restaurant at `now`.
pub fn jupiter_stop_list(
    restaurant_id: &str,
    last_change: &str,
    entries: &AvailabilityEntries,
    now: DateTime<FixedOffset>,
) -> jupiter::StopList {
    jupiter::StopList {
        restaurant_id: restaurant_id.to_owned(),
        last_change: last_change.to_owned(),
        items: stop_list_at(entries, now)
            .into_iter()
            .map(|id| jupiter::StopListItem { id })
            .collect(),
    }
}

/// The stop list's `lastChange` at `now`: the stored one, or the latest `until` that has
/// passed since (an item came back by itself then).
pub fn effective_last_change(
    last_change: DateTime<FixedOffset>,
    entries: &AvailabilityEntries,
    now: DateTime<FixedOffset>,
) -> DateTime<FixedOffset> {
    entries
        .values()
        .filter(|r| r.unavailable)
        .filter_map(|r| r.until)
        .filter(|until| *until <= now && *until > last_change)
        .max()
        .map_or(last_change, |until| {
            until.with_timezone(&last_change.timezone())
        })
}

/// The next moment after `now` at which the stop list changes by itself (the earliest
/// `until` still ahead), if any: a copy computed at `now` is good until then.
pub fn next_change(
    entries: &AvailabilityEntries,
    now: DateTime<FixedOffset>,
) -> Option<DateTime<FixedOffset>> {
    entries
        .values()
        .filter(|r| r.unavailable)
        .filter_map(|r| r.until)
        .filter(|until| *until > now)
        .min()
}

/// The stop lists changed strictly after `date_change` (`DDMMYYYYHHMMSS`), each compared
/// in its own restaurant's local time, which its `lastChange` carries as its offset.
/// A malformed `date_change` is refused even when there is nothing to filter; a stop list
/// whose `lastChange` cannot be read is kept (a front-end re-reading it loses nothing).
pub fn changed_after(
    lists: Vec<jupiter::StopList>,
    date_change: &str,
) -> Result<Vec<jupiter::StopList>, Violation> {
    let utc = FixedOffset::east_opt(0)
        .ok_or_else(|| Violation::new("internal", Some("date_change"), "no UTC offset"))?;
    parse_date_change(date_change, utc)?;
    Ok(lists
        .into_iter()
        .filter(
            |list| match DateTime::parse_from_rfc3339(&list.last_change) {
                Ok(last) => match parse_date_change(date_change, last.timezone()) {
                    Ok(since) => last > since,
                    Err(_) => true,
                },
                Err(_) => true,
            },
        )
        .collect())
}

/// Parses the `/stop_list?date_change=` filter, `DDMMYYYYHHMMSS` in the restaurant's local
/// time (`offset`). Stop lists changed strictly after it are returned.
pub fn parse_date_change(
    text: &str,
    offset: FixedOffset,
) -> Result<DateTime<FixedOffset>, Violation> {
    let bad = || {
        Violation::new(
            "invalid_date_change",
            Some("date_change"),
            format!("must be DDMMYYYYHHMMSS, got {text:?}"),
        )
    };
    if text.len() != 14 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let local = NaiveDateTime::parse_from_str(text, "%d%m%Y%H%M%S").map_err(|_| bad())?;
    offset.from_local_datetime(&local).single().ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Plu, RestaurantId};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn t(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn event(
        kind: AvailabilityEvent,
        plus: &[&str],
        happened: Option<&str>,
        next: Option<&str>,
    ) -> ValidItemAvailability {
        ValidItemAvailability {
            event: kind,
            plus: plus
                .iter()
                .map(|p| Plu::parse(p, "p").unwrap_or_else(|v| panic!("{v:?}")))
                .collect(),
            restaurant: RestaurantId::parse("1", "r").unwrap_or_else(|v| panic!("{v:?}")),
            happened_at: happened.map(t),
            next_available_at: next.map(t),
        }
    }

    fn record(unavailable: bool, until: Option<&str>, happened: &str) -> AvailabilityRecord {
        AvailabilityRecord {
            unavailable,
            until: until.map(t),
            happened_at: t(happened),
        }
    }

    const NOW: &str = "2024-06-10T12:00:00+03:00";
    const EARLIER: &str = "2024-06-10T10:00:00+03:00";
    const LATER: &str = "2024-06-10T11:00:00+03:00";
    const TOMORROW: &str = "2024-06-11T09:00:00+03:00";

    #[test]
    fn events_change_the_stop_list_unless_they_are_older_than_the_last_applied() {
        use AvailabilityEvent::{Available, Unavailable};
        struct Case {
            name: &'static str,
            before: Vec<(&'static str, AvailabilityRecord)>,
            event: ValidItemAvailability,
            stop_list: Vec<&'static str>,
            changed: bool,
            stop_list_changed: bool,
            ignored: Vec<&'static str>,
        }
        let cases = vec![
            Case {
                name: "unavailable puts items on the stop list",
                before: vec![],
                event: event(Unavailable, &["A", "B"], Some(EARLIER), None),
                stop_list: vec!["A", "B"],
                changed: true,
                stop_list_changed: true,
                ignored: vec![],
            },
            Case {
                name: "available takes an item off",
                before: vec![("A", record(true, None, EARLIER))],
                event: event(Available, &["A"], Some(LATER), None),
                stop_list: vec![],
                changed: true,
                stop_list_changed: true,
                ignored: vec![],
            },
            Case {
                name: "an older available event is ignored",
                before: vec![("A", record(true, None, LATER))],
                event: event(Available, &["A"], Some(EARLIER), None),
                stop_list: vec!["A"],
                changed: false,
                stop_list_changed: false,
                ignored: vec!["A"],
            },
            Case {
                name: "an older unavailable event after an available one is ignored",
                before: vec![("A", record(false, None, LATER))],
                event: event(Unavailable, &["A", "B"], Some(EARLIER), None),
                stop_list: vec!["B"],
                changed: true,
                stop_list_changed: true,
                ignored: vec!["A"],
            },
            Case {
                name: "an event at the same time is applied",
                before: vec![("A", record(true, None, LATER))],
                event: event(Available, &["A"], Some(LATER), None),
                stop_list: vec![],
                changed: true,
                stop_list_changed: true,
                ignored: vec![],
            },
            Case {
                name: "a repeated event changes nothing",
                before: vec![("A", record(true, None, LATER))],
                event: event(Unavailable, &["A"], Some(LATER), None),
                stop_list: vec!["A"],
                changed: false,
                stop_list_changed: false,
                ignored: vec![],
            },
            Case {
                name: "nextAvailableAt sets until",
                before: vec![],
                event: event(Unavailable, &["A"], Some(EARLIER), Some(TOMORROW)),
                stop_list: vec!["A"],
                changed: true,
                stop_list_changed: true,
                ignored: vec![],
            },
            Case {
                name: "an until already past leaves the item available",
                before: vec![],
                event: event(Unavailable, &["A"], Some(EARLIER), Some(LATER)),
                stop_list: vec![],
                changed: true,
                stop_list_changed: false,
                ignored: vec![],
            },
            Case {
                name: "an event without happenedAt happened now",
                before: vec![("A", record(true, None, LATER))],
                event: event(Available, &["A"], None, None),
                stop_list: vec![],
                changed: true,
                stop_list_changed: true,
                ignored: vec![],
            },
            Case {
                name: "available for an item never stopped only records the time",
                before: vec![],
                event: event(Available, &["A"], Some(EARLIER), None),
                stop_list: vec![],
                changed: true,
                stop_list_changed: false,
                ignored: vec![],
            },
        ];
        for case in cases {
            let before: AvailabilityEntries = case
                .before
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect();
            let applied = apply_availability(&before, &case.event, t(NOW));
            let name = case.name;
            assert_eq!(
                stop_list_at(&applied.entries, t(NOW)),
                case.stop_list,
                "{name}"
            );
            assert_eq!(applied.changed, case.changed, "{name}");
            assert_eq!(applied.stop_list_changed, case.stop_list_changed, "{name}");
            assert_eq!(applied.ignored, case.ignored, "{name}");
        }
    }

    #[test]
    fn next_available_at_is_kept_as_until() {
        let applied = apply_availability(
            &AvailabilityEntries::new(),
            &event(
                AvailabilityEvent::Unavailable,
                &["A"],
                Some(EARLIER),
                Some(TOMORROW),
            ),
            t(NOW),
        );
        assert_eq!(
            applied.entries.get("A"),
            Some(&record(true, Some(TOMORROW), EARLIER))
        );
    }

    #[test]
    fn the_stop_list_drops_items_whose_until_has_passed() {
        let entries: AvailabilityEntries = [
            ("forever", record(true, None, EARLIER)),
            ("until-tomorrow", record(true, Some(TOMORROW), EARLIER)),
            ("until-now", record(true, Some(NOW), EARLIER)),
            ("until-earlier", record(true, Some(LATER), EARLIER)),
            ("available", record(false, None, EARLIER)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let cases = [
            (
                EARLIER,
                vec!["forever", "until-earlier", "until-now", "until-tomorrow"],
            ),
            (NOW, vec!["forever", "until-tomorrow"]),
            ("2024-06-12T00:00:00+03:00", vec!["forever"]),
        ];
        for (now, want) in cases {
            assert_eq!(stop_list_at(&entries, t(now)), want, "{now}");
        }
        let jupiter = jupiter_stop_list("000127", NOW, &entries, t(NOW));
        let ids: Vec<&str> = jupiter.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["forever", "until-tomorrow"]);
    }

    #[test]
    fn an_item_coming_back_by_itself_moves_last_change_and_bounds_caching() {
        let entries: AvailabilityEntries = [
            ("forever", record(true, None, EARLIER)),
            ("until-later", record(true, Some(LATER), EARLIER)),
            ("until-tomorrow", record(true, Some(TOMORROW), EARLIER)),
            ("available", record(false, None, EARLIER)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let cases = [
            // (stored lastChange, now, served lastChange, next change)
            (EARLIER, EARLIER, EARLIER, Some(LATER)),
            (EARLIER, NOW, LATER, Some(TOMORROW)),
            (NOW, NOW, NOW, Some(TOMORROW)),
            (EARLIER, "2024-06-12T00:00:00+03:00", TOMORROW, None),
        ];
        for (stored, now, served, next) in cases {
            assert_eq!(
                effective_last_change(t(stored), &entries, t(now)),
                t(served),
                "{stored} at {now}"
            );
            assert_eq!(next_change(&entries, t(now)), next.map(t), "{now}");
        }
        let utc_stored = t("2024-06-10T07:00:00+00:00");
        let served = effective_last_change(utc_stored, &entries, t(NOW));
        assert_eq!(served.to_rfc3339(), "2024-06-10T08:00:00+00:00");
    }

    #[test]
    fn date_change_keeps_lists_changed_strictly_after_it_in_their_own_offset() {
        let list = |id: &str, last: &str| jupiter::StopList {
            restaurant_id: id.to_owned(),
            last_change: last.to_owned(),
            items: vec![],
        };
        let lists = vec![
            list("msk", "2024-06-10T22:02:27.000+03:00"),
            list("utc", "2024-06-10T22:02:27.000+00:00"),
        ];
        let cases: &[(&str, &[&str])] = &[
            ("10062024220226", &["msk", "utc"]),
            ("10062024220227", &[]),
            ("01012000000000", &["msk", "utc"]),
            ("11062024000000", &[]),
        ];
        for (since, want) in cases {
            let got: Vec<String> = changed_after(lists.clone(), since)
                .unwrap_or_else(|v| panic!("{v:?}"))
                .into_iter()
                .map(|l| l.restaurant_id)
                .collect();
            assert_eq!(got, *want, "{since}");
        }
        for bad in ["", "2024", "32062024000000"] {
            assert_eq!(
                changed_after(vec![], bad).map_err(|v| v.code),
                Err("invalid_date_change".to_owned()),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_date_change_filter_is_local_ddmmyyyyhhmmss() {
        let msk = FixedOffset::east_opt(3 * 3600).unwrap_or_else(|| panic!("offset"));
        let cases: &[(&str, Option<&str>)] = &[
            ("10062024220227", Some("2024-06-10T22:02:27+03:00")),
            ("01012000000000", Some("2000-01-01T00:00:00+03:00")),
            ("31022024000000", None),
            ("1006202422022", None),
            ("1006202422022x", None),
            ("2024-06-10", None),
        ];
        for (text, want) in cases {
            let got = parse_date_change(text, msk).ok();
            assert_eq!(got, want.map(t), "{text}");
        }
    }
}
