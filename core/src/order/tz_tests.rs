//! Order times in the restaurant's own time zone (issue 16): opening hours, service times
//! and `date_preorder` on both sides of the 2027 transitions of Europe/London,
//! Europe/Moscow (no DST), Australia/Sydney (southern hemisphere) and America/Denver. The
//! zones come from the real tz database (`chrono-tz`, a dev-dependency) through the same
//! discovery the edge runs on `Intl`.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::tests::{delivery, demo, good, set, utc};
use super::validate::*;
use super::wire;
use crate::jet::validate::ValidServiceTimes;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// What the validator decided: the pre-order instant (`None` for ASAP) or the codes.
type Decision = Result<Option<DateTime<Utc>>, String>;

/// (why, zone, now, date_preorder, open all day, the instant it means or the refusal)
type Case<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, bool, Decision);

/// Runs the demo pickup order against restaurant 000127 in `zone`.
fn decide(
    zone: &str,
    now: &str,
    preorder: Option<&str>,
    all_day: bool,
    service_times: Option<ValidServiceTimes>,
) -> Decision {
    let mut restaurants = demo();
    restaurants[0].time_zone = crate::tz::tests::zone(zone);
    if all_day {
        restaurants[0].place.start_time = None;
        restaurants[0].place.end_time = None;
    }
    restaurants[0].service_times = service_times;
    let mut doc: Value = good();
    set(&mut doc, "body.delivery_method", json!("pickup"));
    set(&mut doc, "body.address", Value::Null);
    if let Some(at) = preorder {
        set(&mut doc, "body.date_preorder", json!(at));
    }
    let req = wire::parse(doc.to_string().as_bytes()).map_err(|v| v.code)?;
    let ctx = OrderContext {
        restaurants: &restaurants,
        now: utc(now),
        max_preorder_ahead: Duration::days(400),
        rules: Rules::Site,
    };
    validate(&req, &ctx)
        .map(|v| v.preorder_at)
        .map_err(|vs| vs.into_iter().map(|v| v.code).collect::<Vec<_>>().join(","))
}

#[test]
fn pre_orders_and_opening_hours_are_read_in_the_restaurants_zone_across_each_transition() {
    let ok = |t: &str| Ok(Some(utc(t)));
    let cases: Vec<Case> = vec![
        ("London: placed in GMT for a time after the spring change is read in BST",
         "Europe/London", "2027-03-27T20:00:00Z", Some("2027-03-28 10:00"), false, ok("2027-03-28T09:00:00Z")),
        ("London: 08:30 UTC after the spring change is 09:30 BST, open",
         "Europe/London", "2027-03-28T08:30:00Z", None, false, Ok(None)),
        ("London: 08:30 UTC after the autumn change is 08:30 GMT, closed",
         "Europe/London", "2027-10-31T08:30:00Z", None, false, Err("restaurant_closed".into())),
        ("London: placed in BST for a time after the autumn change is read in GMT",
         "Europe/London", "2027-10-30T20:00:00Z", Some("2027-10-31 10:00"), false, ok("2027-10-31T10:00:00Z")),
        ("London: a pre-order in the skipped hour is moved forward by the gap (02:30 BST)",
         "Europe/London", "2027-03-27T20:00:00Z", Some("2027-03-28 01:30"), true, ok("2027-03-28T01:30:00Z")),
        ("London: a pre-order in the repeated hour is its first occurrence (BST)",
         "Europe/London", "2027-10-30T20:00:00Z", Some("2027-10-31 01:30"), true, ok("2027-10-31T00:30:00Z")),
        ("London: the repeated hour's first occurrence is already past during the second",
         "Europe/London", "2027-10-31T01:15:00Z", Some("2027-10-31 01:30"), true, Err("preorder_in_past".into())),
        ("Moscow: no change in March, +03:00 all year",
         "Europe/Moscow", "2027-03-27T20:00:00Z", Some("2027-03-28 10:00"), false, ok("2027-03-28T07:00:00Z")),
        ("Moscow: no repeated hour in October",
         "Europe/Moscow", "2027-10-30T20:00:00Z", Some("2027-10-31 01:30"), true, ok("2027-10-30T22:30:00Z")),
        ("Moscow: 05:30 UTC is 08:30 local, before opening",
         "Europe/Moscow", "2027-10-31T05:30:00Z", None, false, Err("restaurant_closed".into())),
        ("Sydney: placed in AEDT for a time after the April change is read in AEST",
         "Australia/Sydney", "2027-04-03T10:00:00Z", Some("2027-04-04 12:00"), false, ok("2027-04-04T02:00:00Z")),
        ("Sydney: a pre-order in October's skipped hour is read in AEST (03:30 AEDT)",
         "Australia/Sydney", "2027-10-02T10:00:00Z", Some("2027-10-03 02:30"), true, ok("2027-10-02T16:30:00Z")),
        ("Sydney: a pre-order in April's repeated hour is its first occurrence (AEDT)",
         "Australia/Sydney", "2027-04-03T10:00:00Z", Some("2027-04-04 02:30"), true, ok("2027-04-03T15:30:00Z")),
        ("Sydney: 08:30 local after the April change is before opening",
         "Australia/Sydney", "2027-04-03T10:00:00Z", Some("2027-04-04 08:30"), false, Err("preorder_closed".into())),
        ("Denver: placed in MST for a time after the March change is read in MDT",
         "America/Denver", "2027-03-13T20:00:00Z", Some("2027-03-14 12:00"), false, ok("2027-03-14T18:00:00Z")),
        ("Denver: a pre-order in the skipped hour is read in MST (03:30 MDT)",
         "America/Denver", "2027-03-13T20:00:00Z", Some("2027-03-14 02:30"), true, ok("2027-03-14T09:30:00Z")),
        ("Denver: a pre-order in November's repeated hour is its first occurrence (MDT)",
         "America/Denver", "2027-11-06T20:00:00Z", Some("2027-11-07 01:30"), true, ok("2027-11-07T07:30:00Z")),
        ("Denver: 22:30 local on the night after the November change is open; 05:30 UTC is 22:30 MST",
         "America/Denver", "2027-11-08T05:30:00Z", None, false, Ok(None)),
        ("Denver: the same 05:30 UTC a week before the change is 23:30 MDT, closed",
         "America/Denver", "2027-11-01T05:30:00Z", None, false, Err("restaurant_closed".into())),
    ];
    for (why, zone, now, preorder, all_day, want) in cases {
        assert_eq!(decide(zone, now, preorder, all_day, None), want, "{why}");
    }
}

#[test]
fn jet_service_times_are_read_in_the_restaurants_zone() {
    // Pickup reads the Collection times; `delivery` builds Delivery ones, so use both.
    let both = |a: &str, b: &str| {
        let d = delivery(json!({"monday": [[a, b]]}));
        let mut t = d.clone();
        if let Some(times) = d.service_times.values().next().cloned() {
            t.service_times
                .insert(crate::jet::validate::ServiceType::Collection, times);
        }
        t
    };
    let cases = [
        (
            "10:30 BST on the Monday after the change is inside 10:00–18:00",
            "2027-03-29T09:30:00Z",
            Ok(None),
        ),
        (
            "09:30 GMT on the Monday a week before is outside",
            "2027-03-22T09:30:00Z",
            Err("restaurant_closed".to_owned()),
        ),
        ("17:30 BST is inside", "2027-03-29T16:30:00Z", Ok(None)),
        (
            "18:30 BST (17:30 UTC) is outside",
            "2027-03-29T17:30:00Z",
            Err("restaurant_closed".to_owned()),
        ),
    ];
    for (why, now, want) in cases {
        assert_eq!(
            decide(
                "Europe/London",
                now,
                None,
                false,
                Some(both("10:00", "18:00"))
            ),
            want,
            "{why}"
        );
    }
}
