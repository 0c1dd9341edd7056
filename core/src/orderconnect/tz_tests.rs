//! An Orderconnect order's times in the restaurant's IANA zone (issue 16): `date` from
//! `PlacedDate` (UTC) and `date_preorder` from `DueDateWithUtcOffset`, each in the offset
//! in force at its instant; the zone its delivery states are stamped in.

use serde_json::json;

use super::check::check;
use super::tests::{demo, edited, set, translated, COLLECTION};
use super::translate::order_zone;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
fn placed_and_due_dates_are_written_in_the_restaurants_zone_across_a_change() {
    // (why, zone, PlacedDate (UTC), DueDateWithUtcOffset, date, date_preorder)
    let cases = [
        (
            "London: placed in GMT for a collection after the spring change",
            "Europe/London",
            "2027-03-27T22:30:00.000",
            "2027-03-28T12:00:00.0000000+01:00",
            "2027-03-27 22:30:00",
            "2027-03-28 12:00:00",
        ),
        (
            "London: Just Eat's offset is converted, not copied: 11:00Z is 12:00 BST",
            "Europe/London",
            "2027-03-27T22:30:00.000",
            "2027-03-28T11:00:00Z",
            "2027-03-27 22:30:00",
            "2027-03-28 12:00:00",
        ),
        (
            "Sydney: placed in AEDT, due after the April change in AEST",
            "Australia/Sydney",
            "2027-04-03T08:00:00.000",
            "2027-04-04T12:00:00+10:00",
            "2027-04-03 19:00:00",
            "2027-04-04 12:00:00",
        ),
        (
            "Denver: placed in MST, due after the March change in MDT",
            "America/Denver",
            "2027-03-13T20:00:00.000",
            "2027-03-14T12:00:00-06:00",
            "2027-03-13 13:00:00",
            "2027-03-14 12:00:00",
        ),
        (
            "Moscow: +03:00 all year",
            "Europe/Moscow",
            "2027-10-30T20:00:00.000",
            "2027-10-31T12:00:00+03:00",
            "2027-10-30 23:00:00",
            "2027-10-31 12:00:00",
        ),
    ];
    for (why, zone, placed, due, date, preorder) in cases {
        let order = edited(COLLECTION, |v| {
            set(v, "/Order/PlacedDate", json!(placed));
            set(v, "/Order/DueDateWithUtcOffset", json!(due));
            set(v, "/Order/PromptAsap", json!(false));
        });
        let mut r = demo();
        r.time_zone = crate::tz::tests::zone(zone);
        let t = translated(&order, &r);
        assert_eq!(t.request.body.date.as_deref(), Some(date), "{why}");
        assert_eq!(
            t.request.body.date_preorder.as_deref(),
            Some(preorder),
            "{why}"
        );
        let checked = check(&order).unwrap_or_else(|v| panic!("{v:?}"));
        assert_eq!(order_zone(&checked, &r.time_zone), zone, "{why}");
    }
}

#[test]
fn without_a_zone_delivery_states_keep_just_eats_offset_else_the_restaurants() {
    let order = edited(COLLECTION, |v| {
        set(
            v,
            "/Order/DueDateWithUtcOffset",
            json!("2026-11-25T19:30:00+01:00"),
        );
    });
    let checked = check(&order).unwrap_or_else(|v| panic!("{v:?}"));
    let r = demo();
    assert_eq!(order_zone(&checked, &r.time_zone), "+01:00");
    let asap = edited(COLLECTION, |v| {
        set(v, "/Order/DueDateWithUtcOffset", json!(null));
        set(v, "/Order/PromptAsap", json!(true));
    });
    let checked = check(&asap).unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(order_zone(&checked, &r.time_zone), "+03:00");
}
