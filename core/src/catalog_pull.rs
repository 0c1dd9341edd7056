//! Pulling the catalog from an upstream Jupiter site API (`JUPITER_API_URL`): which
//! documents to ask for, at which URLs, and what to take from them.
//!
//! The pull reads `/restaurants`, then per restaurant and concept `/delivery_zones` and
//! `/menu`, then `/stop_list` (all restaurants at once). The documents are stored as the
//! admin endpoints store them (same validation, `lastChange` kept), so the hub serves what
//! upstream serves.
//!
//! | decision | rule |
//! |----------|------|
//! | concepts | every id of the place's `concepts`; a place without concepts has the default concept only |
//! | a new restaurant's offset | Jupiter sends no offset field: the offset of its first `lastChange` (zones, else menu), else `+00:00`. An existing restaurant keeps its offset and its hub fields |
//! | URLs | `<JUPITER_API_URL>/<document>?<params>`, parameters percent-encoded by the URL guard; every URL passes the outbound guard of the deployment |

use chrono::DateTime;

use crate::domain::UtcOffset;
use crate::jupiter::Place;
use crate::outbound::url_guard::{check_outbound_url, OutboundUrl, UrlPolicy, UrlRefusal};

/// The URL of one upstream document: `base` + `/` + `document`, with `params`.
pub fn document_url(
    base: &str,
    document: &str,
    params: &[(&str, &str)],
    policy: &UrlPolicy,
) -> Result<OutboundUrl, UrlRefusal> {
    let base = base.trim().trim_end_matches('/');
    let mut url = check_outbound_url(&format!("{base}/{document}"), policy)?;
    for (name, value) in params {
        url = url.with_query_param(name, value);
    }
    Ok(url)
}

/// The concept ids to pull for a place: its concepts, or `"default"` when it has none.
pub fn concepts_to_pull(place: &Place) -> Vec<String> {
    let ids: Vec<String> = place
        .concepts
        .iter()
        .flatten()
        .map(|c| c.id.trim().to_owned())
        .filter(|id| !id.is_empty())
        .collect();
    if ids.is_empty() {
        vec![crate::catalog::DEFAULT_CONCEPT.to_owned()]
    } else {
        ids
    }
}

/// The offset an RFC 3339 `lastChange` is written in (`+03:00` for
/// `2024-05-21T16:19:13.000+03:00`), if it reads.
pub fn offset_of(last_change: &str) -> Option<UtcOffset> {
    let at = DateTime::parse_from_rfc3339(last_change).ok()?;
    let seconds = at.offset().local_minus_utc();
    let sign = if seconds < 0 { '-' } else { '+' };
    let abs = seconds.abs();
    let text = format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60);
    UtcOffset::parse(&text, "lastChange").ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jupiter::RestaurantsResponse;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// (base, document, parameters, the URL wanted).
    type UrlCase = (
        &'static str,
        &'static str,
        &'static [(&'static str, &'static str)],
        &'static str,
    );

    #[test]
    fn document_urls_append_the_document_and_encode_parameters() {
        let cases: &[UrlCase] = &[
            (
                "https://jupiter.report/site-api",
                "restaurants",
                &[],
                "https://jupiter.report/site-api/restaurants",
            ),
            (
                "https://jupiter.report/site-api/",
                "menu",
                &[("restaurant_id", "000127"), ("concept_id", "7")],
                "https://jupiter.report/site-api/menu?restaurant_id=000127&concept_id=7",
            ),
            (
                "https://jupiter.report",
                "menu",
                &[("restaurant_id", "a&b=c d")],
                "https://jupiter.report/menu?restaurant_id=a%26b%3Dc%20d",
            ),
        ];
        for (base, document, params, want) in cases {
            let got = document_url(base, document, params, &UrlPolicy::PRODUCTION)
                .map(|u| u.as_str().to_owned());
            assert_eq!(got.as_deref(), Ok(*want), "{base} {document}");
        }
        assert!(document_url(
            "http://127.0.0.1:9000/site-api",
            "menu",
            &[],
            &UrlPolicy::PRODUCTION
        )
        .is_err());
        assert!(document_url(
            "http://127.0.0.1:9000/site-api",
            "menu",
            &[],
            &UrlPolicy::DEVELOPMENT
        )
        .is_ok());
    }

    #[test]
    fn a_place_is_pulled_per_concept_or_for_the_default_one() {
        let seed: RestaurantsResponse =
            serde_json::from_str(include_str!("../../fixtures/jupiter/seed-restaurants.json"))
                .unwrap_or_else(|e| panic!("{e}"));
        let mut place = seed.places[0].clone();
        assert_eq!(concepts_to_pull(&place), ["7"]);
        place.concepts = Some(vec![]);
        assert_eq!(concepts_to_pull(&place), ["default"]);
        place.concepts = None;
        assert_eq!(concepts_to_pull(&place), ["default"]);
    }

    #[test]
    fn the_offset_of_a_last_change_is_read() {
        let cases = [
            ("2024-05-21T16:19:13.000+03:00", Some("+03:00")),
            ("2024-05-21T16:19:13Z", Some("+00:00")),
            ("2024-05-21T16:19:13-05:30", Some("-05:30")),
            ("21.05.2024", None),
        ];
        for (text, want) in cases {
            assert_eq!(
                offset_of(text).map(|o| o.to_string()).as_deref(),
                want,
                "{text}"
            );
        }
    }
}
