//! The zone rules against the real tz database (`chrono-tz`, a dev-dependency only): the
//! rules are discovered with a tzdb probe exactly as the edge discovers them with `Intl`.

use chrono::{DateTime, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use super::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const DAY: i64 = 86_400;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn local(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn tzdb_offset(tz: Tz, at: i64) -> Option<i32> {
    let t = DateTime::from_timestamp(at, 0)?;
    Some(
        tz.offset_from_utc_datetime(&t.naive_utc())
            .fix()
            .local_minus_utc(),
    )
}

/// The zone for 2027 (from 2 days before new year to 400 days later), as the edge builds it.
pub(crate) fn zone(name: &str) -> LocalZone {
    let tz: Tz = name.parse().unwrap_or_else(|e| panic!("{name}: {e}"));
    let start = utc("2026-12-30T00:00:00Z").timestamp();
    let rules = ZoneRules::discover(name, start, start + 400 * DAY, DAY, |t| tzdb_offset(tz, t))
        .unwrap_or_else(|| panic!("{name}: no rules"));
    LocalZone::from(rules)
}

#[test]
fn discovered_changes_are_the_tz_database_transitions_to_the_second() {
    let cases: &[(&str, &[(&str, i32)])] = &[
        (
            "Europe/London",
            &[("2027-03-28T01:00:00Z", 3600), ("2027-10-31T01:00:00Z", 0)],
        ),
        ("Europe/Moscow", &[]),
        (
            "Australia/Sydney",
            &[
                ("2027-04-03T16:00:00Z", 36_000),
                ("2027-10-02T16:00:00Z", 39_600),
            ],
        ),
        (
            "America/Denver",
            &[
                ("2027-03-14T09:00:00Z", -6 * 3600),
                ("2027-11-07T08:00:00Z", -7 * 3600),
            ],
        ),
    ];
    for (name, expected) in cases {
        let LocalZone::Iana(rules) = zone(name) else {
            panic!("{name}: not an IANA zone");
        };
        let found: Vec<(i64, i32)> = rules.changes().iter().skip(1).copied().collect();
        let want: Vec<(i64, i32)> = expected
            .iter()
            .map(|(at, o)| (utc(at).timestamp(), *o))
            .collect();
        assert_eq!(found, want, "{name}");
    }
}

#[test]
fn weekly_sampling_over_three_years_back_and_a_year_ahead_finds_every_change() {
    // The edge's window: sampled every 7 days from 3 years before "now" to 400 days after.
    let now = utc("2026-12-04T20:00:00Z").timestamp();
    let (start, end) = (now - 3 * 365 * DAY, now + 400 * DAY);
    for name in [
        "Europe/London",
        "Europe/Moscow",
        "Australia/Sydney",
        "America/Denver",
        "Africa/Casablanca",
        "America/Santiago",
        "Pacific/Auckland",
        "Asia/Tehran",
    ] {
        let tz: Tz = name.parse().unwrap_or_else(|e| panic!("{e}"));
        let rules = ZoneRules::discover(name, start, end, 7 * DAY, |t| tzdb_offset(tz, t))
            .unwrap_or_else(|| panic!("{name}"));
        let mut t = start;
        while t < end {
            assert_eq!(
                Some(rules.offset_at(t)),
                tzdb_offset(tz, t),
                "{name} at {t}"
            );
            t += 1800;
        }
    }
}

#[test]
fn offsets_agree_with_the_tz_database_every_quarter_hour_of_the_window() {
    for name in [
        "Europe/London",
        "Europe/Moscow",
        "Australia/Sydney",
        "America/Denver",
        "Australia/Lord_Howe",
        "Asia/Kolkata",
    ] {
        let tz: Tz = name.parse().unwrap_or_else(|e| panic!("{e}"));
        let LocalZone::Iana(rules) = zone(name) else {
            panic!("{name}");
        };
        let start = rules.starts();
        let mut t = start;
        while t < start + 400 * DAY {
            assert_eq!(
                Some(rules.offset_at(t)),
                tzdb_offset(tz, t),
                "{name} at {t}"
            );
            t += 900;
        }
    }
}

#[test]
fn local_times_agree_with_the_tz_database_except_where_it_has_no_single_answer() {
    for name in [
        "Europe/London",
        "Australia/Sydney",
        "America/Denver",
        "Australia/Lord_Howe",
    ] {
        let tz: Tz = name.parse().unwrap_or_else(|e| panic!("{e}"));
        let z = zone(name);
        let mut wall = local("2027-01-01 00:00");
        while wall < local("2027-12-31 00:00") {
            let ours = z.to_utc(wall).map(|t| t.timestamp());
            match tz.from_local_datetime(&wall) {
                chrono::LocalResult::Single(t) => {
                    assert_eq!(ours, Some(t.timestamp()), "{name} {wall}")
                }
                // The repeated hour: the first occurrence.
                chrono::LocalResult::Ambiguous(a, b) => {
                    assert_eq!(
                        ours,
                        Some(a.timestamp().min(b.timestamp())),
                        "{name} {wall}"
                    )
                }
                // The skipped hour: moved forward by the gap, so it shows a later wall time
                // that tzdb does know.
                chrono::LocalResult::None => {
                    let t = ours
                        .and_then(|s| DateTime::from_timestamp(s, 0))
                        .unwrap_or_else(|| panic!("{wall}"));
                    let shown = z.to_local(t);
                    assert!(shown > wall, "{name} {wall} shown as {shown}");
                    assert!(matches!(
                        tz.from_local_datetime(&shown),
                        chrono::LocalResult::Single(_)
                    ));
                }
            }
            wall += chrono::Duration::minutes(15);
        }
    }
}

#[test]
fn wall_times_around_each_transition_of_2027_resolve_by_the_documented_rules() {
    // (zone, restaurant wall time, the UTC instant it means, why)
    let cases = [
        (
            "Europe/London",
            "2027-03-28 00:30",
            "2027-03-28T00:30:00Z",
            "before the change: GMT",
        ),
        (
            "Europe/London",
            "2027-03-28 01:30",
            "2027-03-28T01:30:00Z",
            "skipped hour: read in GMT, i.e. 02:30 BST",
        ),
        (
            "Europe/London",
            "2027-03-28 02:30",
            "2027-03-28T01:30:00Z",
            "after the change: BST",
        ),
        (
            "Europe/London",
            "2027-10-31 01:30",
            "2027-10-31T00:30:00Z",
            "repeated hour: the first (BST)",
        ),
        (
            "Europe/London",
            "2027-10-31 02:30",
            "2027-10-31T02:30:00Z",
            "after going back: GMT",
        ),
        (
            "Europe/Moscow",
            "2027-03-28 02:30",
            "2027-03-27T23:30:00Z",
            "no DST: +03 all year",
        ),
        (
            "Europe/Moscow",
            "2027-10-31 01:30",
            "2027-10-30T22:30:00Z",
            "no DST: no repeated hour",
        ),
        (
            "Australia/Sydney",
            "2027-04-04 02:30",
            "2027-04-03T15:30:00Z",
            "repeated hour: the first (AEDT)",
        ),
        (
            "Australia/Sydney",
            "2027-04-04 03:30",
            "2027-04-03T17:30:00Z",
            "after going back: AEST",
        ),
        (
            "Australia/Sydney",
            "2027-10-03 02:30",
            "2027-10-02T16:30:00Z",
            "skipped hour: read in AEST",
        ),
        (
            "Australia/Sydney",
            "2027-10-03 03:30",
            "2027-10-02T16:30:00Z",
            "after the change: AEDT",
        ),
        (
            "America/Denver",
            "2027-03-14 01:30",
            "2027-03-14T08:30:00Z",
            "before the change: MST",
        ),
        (
            "America/Denver",
            "2027-03-14 02:30",
            "2027-03-14T09:30:00Z",
            "skipped hour: read in MST",
        ),
        (
            "America/Denver",
            "2027-03-14 03:30",
            "2027-03-14T09:30:00Z",
            "after the change: MDT",
        ),
        (
            "America/Denver",
            "2027-11-07 01:30",
            "2027-11-07T07:30:00Z",
            "repeated hour: the first (MDT)",
        ),
        (
            "America/Denver",
            "2027-11-07 02:30",
            "2027-11-07T09:30:00Z",
            "after going back: MST",
        ),
    ];
    for (name, wall, want, why) in cases {
        assert_eq!(
            zone(name).to_utc(local(wall)),
            Some(utc(want)),
            "{name} {wall}: {why}"
        );
    }
}

#[test]
fn instants_show_the_offset_in_force_on_their_side_of_each_transition() {
    let cases = [
        (
            "Europe/London",
            "2027-03-28T00:59:00Z",
            "2027-03-28T00:59:00+00:00",
        ),
        (
            "Europe/London",
            "2027-03-28T01:00:00Z",
            "2027-03-28T02:00:00+01:00",
        ),
        (
            "Europe/London",
            "2027-10-31T00:59:00Z",
            "2027-10-31T01:59:00+01:00",
        ),
        (
            "Europe/London",
            "2027-10-31T01:00:00Z",
            "2027-10-31T01:00:00+00:00",
        ),
        (
            "Europe/Moscow",
            "2027-07-01T12:00:00Z",
            "2027-07-01T15:00:00+03:00",
        ),
        (
            "Australia/Sydney",
            "2027-04-03T15:59:00Z",
            "2027-04-04T02:59:00+11:00",
        ),
        (
            "Australia/Sydney",
            "2027-04-03T16:00:00Z",
            "2027-04-04T02:00:00+10:00",
        ),
        (
            "America/Denver",
            "2027-03-14T08:59:00Z",
            "2027-03-14T01:59:00-07:00",
        ),
        (
            "America/Denver",
            "2027-03-14T09:00:00Z",
            "2027-03-14T03:00:00-06:00",
        ),
    ];
    for (name, at, want) in cases {
        assert_eq!(
            zone(name).to_offset(utc(at)).to_rfc3339(),
            want,
            "{name} {at}"
        );
    }
}

#[test]
fn a_fixed_offset_zone_has_no_transitions_and_no_name() {
    let fixed =
        LocalZone::from(UtcOffset::parse("+03:00", "o").unwrap_or_else(|v| panic!("{v:?}")));
    assert_eq!(fixed.name(), None);
    assert_eq!(
        fixed.to_utc(local("2027-03-28 01:30")),
        Some(utc("2027-03-27T22:30:00Z"))
    );
    assert_eq!(
        fixed.to_offset(utc("2027-10-31T01:00:00Z")).to_rfc3339(),
        "2027-10-31T04:00:00+03:00"
    );
    assert_eq!(zone("Europe/Moscow").name(), Some("Europe/Moscow"));
}

#[test]
fn rules_refuse_no_offsets_and_offsets_of_a_day_or_more() {
    assert!(ZoneRules::new("X/Y", vec![]).is_none());
    assert!(ZoneRules::new("X/Y", vec![(0, 86_400)]).is_none());
    assert!(ZoneRules::new("X/Y", vec![(0, 3600)]).is_some());
    assert!(ZoneRules::discover("X/Y", 0, DAY, 3600, |_| None).is_none());
}

#[test]
fn zone_names_are_checked_for_shape_before_the_runtime_is_asked() {
    for good in [
        "Europe/London",
        "America/Argentina/Buenos_Aires",
        "UTC",
        "Etc/GMT+3",
        "America/Port-au-Prince",
    ] {
        assert!(plausible_name(good), "{good}");
    }
    for bad in [
        "",
        " Europe/London",
        "../etc/passwd",
        "Europe/London\n",
        "+03:00",
        &"A".repeat(65),
    ] {
        assert!(!plausible_name(bad), "{bad:?}");
    }
    let v = unknown_zone("timezone", "Mars/Olympus");
    assert_eq!(
        (v.code.as_str(), v.field.as_deref()),
        ("invalid_timezone", Some("timezone"))
    );
    assert!(v.message.contains("Mars/Olympus"));
}
