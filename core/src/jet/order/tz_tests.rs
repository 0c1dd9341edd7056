//! A JET Connect order's times in the restaurant's IANA zone (issue 16): `date` and
//! `date_preorder` each in the offset in force at their own instant, also when the order
//! is placed before a change for a time after it.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::tests::{doc, edited, valid, PARTNER};
use super::translate::{translate, ChargeItems, Target};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn unix(text: &str) -> String {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc).timestamp().to_string())
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn date_and_date_preorder_are_written_in_the_offset_of_their_own_instant() {
    // (why, zone, created_at, collect_at, date, date_preorder)
    let cases = [
        (
            "London: placed in GMT, collected after the spring change in BST",
            "Europe/London",
            "2027-03-28T00:30:00Z",
            "2027-03-28T11:00:00Z",
            "2027-03-28 00:30:00",
            "2027-03-28 12:00:00",
        ),
        (
            "London: placed in the first 01:30 (BST), collected after the autumn change in GMT",
            "Europe/London",
            "2027-10-31T00:30:00Z",
            "2027-10-31T11:00:00Z",
            "2027-10-31 01:30:00",
            "2027-10-31 11:00:00",
        ),
        (
            "Moscow: +03:00 on both sides",
            "Europe/Moscow",
            "2027-03-28T00:30:00Z",
            "2027-03-28T11:00:00Z",
            "2027-03-28 03:30:00",
            "2027-03-28 14:00:00",
        ),
        (
            "Sydney: placed in AEDT, collected after the April change in AEST",
            "Australia/Sydney",
            "2027-04-03T14:00:00Z",
            "2027-04-03T17:30:00Z",
            "2027-04-04 01:00:00",
            "2027-04-04 03:30:00",
        ),
        (
            "Denver: placed in MST, collected after the March change in MDT",
            "America/Denver",
            "2027-03-14T07:00:00Z",
            "2027-03-14T18:00:00Z",
            "2027-03-14 00:00:00",
            "2027-03-14 12:00:00",
        ),
    ];
    for (why, zone, created, collect, date, preorder) in cases {
        let order = valid(&edited(
            doc(PARTNER),
            &[
                ("created_at", json!(unix(created))),
                ("collect_at", json!(unix(collect))),
            ],
        ));
        let tz = crate::tz::tests::zone(zone);
        let target = Target {
            restaurant_id: "r1",
            zone: &tz,
        };
        let t = translate(&order, target, &ChargeItems::default());
        assert_eq!(t.order.body.date.as_deref(), Some(date), "{why}");
        assert_eq!(
            t.order.body.date_preorder.as_deref(),
            Some(preorder),
            "{why}"
        );
    }
}
