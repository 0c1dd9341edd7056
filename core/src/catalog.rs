//! Catalog rules that are neither one protocol's wire format nor storage: which concept a
//! request means, how times are shown to front-ends, when a restaurant takes orders.
//!
//! | rule | decision |
//! |------|----------|
//! | concepts | The default concept (Jupiter's `default`, a JET menu with `reference: ""`) is stored as the concept key `""` (see `migrations/0001_catalog.sql`) and served as `"default"`. A site or admin request for a restaurant that lists `concepts` must name one (`400` otherwise) unless one of them is `default`, which is then meant ([`concept_needed`], seed `004`); one without concepts may leave it out. |
//! | `lastChange` | Stored in UTC; served as RFC 3339 with milliseconds in the offset the restaurant's zone has at that instant (`2024-05-21T16:19:13.000+03:00`), as the seed does. |
//! | online | A restaurant is taking orders unless `/offline` was called; an `onlineAt` (local restaurant time, in its zone) ends the offline spell by itself. `/online` ends it at once. |

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::problem::Violation;
use crate::tz::LocalZone;

/// The concept id Jupiter uses for "no concept" (one definition, shared with the JET
/// conversion).
pub use crate::jet::to_jupiter::DEFAULT_CONCEPT;

/// The storage key of a concept: `""` for the default concept (absent, blank or
/// `"default"`), else the id trimmed.
pub fn concept_key(concept_id: Option<&str>) -> &str {
    match concept_id.map(str::trim) {
        None | Some("") | Some(DEFAULT_CONCEPT) => "",
        Some(id) => id,
    }
}

/// The concept id served for a storage key: `"default"` for `""`.
pub fn served_concept(key: &str) -> &str {
    if key.is_empty() {
        DEFAULT_CONCEPT
    } else {
        key
    }
}

/// Whether a request without `concept_id` cannot be answered for a restaurant with these
/// concept ids: it lists concepts and none is `default` (seed `004`: "if not given, ...
/// for the concept default").
pub fn concept_needed<'a>(mut concept_ids: impl Iterator<Item = &'a str>) -> bool {
    let mut any = false;
    let has_default = concept_ids.any(|id| {
        any = true;
        id.trim() == DEFAULT_CONCEPT
    });
    any && !has_default
}

/// The concept key a site or admin request means. A restaurant that works with concepts
/// (its `concepts` list is not empty) must be asked for one by name; otherwise the default
/// concept is meant.
pub fn requested_concept(
    concept_id: Option<&str>,
    restaurant_has_concepts: bool,
) -> Result<String, Violation> {
    let given = concept_id.map(str::trim).filter(|c| !c.is_empty());
    if given.is_none() && restaurant_has_concepts {
        return Err(Violation::new(
            "missing_parameter",
            Some("concept_id"),
            "is required: the restaurant works with concepts",
        ));
    }
    Ok(concept_key(given).to_owned())
}

/// A `lastChange` as front-ends see it: RFC 3339 with milliseconds, in the offset the
/// restaurant's zone has at that instant.
pub fn format_last_change(at: DateTime<Utc>, zone: &LocalZone) -> String {
    zone.to_offset(at)
        .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
        .to_string()
}

/// A local restaurant time (JET Connect's `onlineAt`, a `date_preorder`; no offset) as a
/// UTC instant, in the restaurant's zone (skipped and repeated hours as `crate::tz` says).
pub fn local_to_utc(local: NaiveDateTime, zone: &LocalZone) -> Option<DateTime<Utc>> {
    zone.to_utc(local)
}

/// Whether a restaurant takes orders at `now`: it is online, or it went offline with an
/// `onlineAt` that has come (the restaurant is back at that instant exactly).
pub fn is_online(online: bool, offline_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    online || offline_until.is_some_and(|until| until <= now)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn offset(text: &str) -> LocalZone {
        crate::domain::UtcOffset::parse(text, "o")
            .map(LocalZone::from)
            .unwrap_or_else(|v| panic!("{v:?}"))
    }

    #[test]
    fn the_default_concept_is_stored_as_empty_and_served_as_default() {
        let cases: &[(Option<&str>, &str)] = &[
            (None, ""),
            (Some(""), ""),
            (Some("  "), ""),
            (Some("default"), ""),
            (Some("7"), "7"),
            (Some(" 7 "), "7"),
        ];
        for (given, key) in cases {
            assert_eq!(concept_key(*given), *key, "{given:?}");
        }
        assert_eq!(served_concept(""), "default");
        assert_eq!(served_concept("7"), "7");
    }

    #[test]
    fn a_concept_is_needed_only_where_concepts_are_listed_and_none_is_default() {
        let cases: &[(&[&str], bool)] = &[
            (&[], false),
            (&["7"], true),
            (&["7", "8"], true),
            (&["7", "default"], false),
            (&["default"], false),
            (&[" default "], false),
        ];
        for (ids, want) in cases {
            assert_eq!(concept_needed(ids.iter().copied()), *want, "{ids:?}");
        }
    }

    #[test]
    fn a_restaurant_with_concepts_must_be_asked_for_one() {
        let cases: &[(Option<&str>, bool, Result<&str, &str>)] = &[
            (Some("7"), true, Ok("7")),
            (None, true, Err("concept_id")),
            (Some(""), true, Err("concept_id")),
            (None, false, Ok("")),
            (Some("default"), false, Ok("")),
            (Some("burger-zone"), false, Ok("burger-zone")),
        ];
        for (given, has, want) in cases {
            let got = requested_concept(*given, *has);
            match want {
                Ok(key) => assert_eq!(got.as_deref(), Ok(*key), "{given:?} {has}"),
                Err(field) => assert_eq!(
                    got.map_err(|v| v.field.unwrap_or_default()),
                    Err(field.to_string()),
                    "{given:?} {has}"
                ),
            }
        }
    }

    #[test]
    fn last_change_is_shown_with_milliseconds_in_the_restaurant_offset() {
        let cases = [
            (
                "2024-05-21T13:19:13Z",
                "+03:00",
                "2024-05-21T16:19:13.000+03:00",
            ),
            (
                "2024-05-21T13:19:13.5Z",
                "-05:30",
                "2024-05-21T07:49:13.500-05:30",
            ),
            (
                "2018-10-11T13:56:18.234284Z",
                "+00:00",
                "2018-10-11T13:56:18.234+00:00",
            ),
        ];
        for (at, off, want) in cases {
            assert_eq!(
                format_last_change(utc(at), &offset(off)),
                want,
                "{at} {off}"
            );
        }
    }

    #[test]
    fn online_at_is_local_time_and_ends_the_offline_spell_by_itself() {
        let local = NaiveDateTime::parse_from_str("2021-10-13T12:03:00", "%Y-%m-%dT%H:%M:%S")
            .unwrap_or_else(|e| panic!("{e}"));
        let until = local_to_utc(local, &offset("+01:00"));
        assert_eq!(until, Some(utc("2021-10-13T11:03:00Z")));
        let cases = [
            (true, None, "2021-10-13T11:00:00Z", true),
            (false, None, "2030-01-01T00:00:00Z", false),
            (false, until, "2021-10-13T11:02:59Z", false),
            (false, until, "2021-10-13T11:03:00Z", true),
        ];
        for (online, until, now, want) in cases {
            assert_eq!(is_online(online, until, utc(now)), want, "{online} {now}");
        }
    }
}
