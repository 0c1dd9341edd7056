//! JET Connect's smaller catalog bodies: the first byte picks one, the rest is its body.
//!
//! * 0 `PUT /jet-connect/restaurants/{id}/items/availability` (item availability),
//! * 1 `PUT /jet-connect/restaurants/{id}/servicetimes`,
//! * 2 `PUT /jet-connect/restaurants/{id}/offline` (an empty body is allowed).
//!
//! Contract: no panic; a refusal names its violations; valid availability names at least
//! one PLU; valid service times have no window that opens when it closes, and the opening
//! test answers at every quarter hour of the week (what an order's `date` meets).
#![no_main]

use chrono::{Duration, NaiveDate};
use libfuzzer_sys::fuzz_target;
use orderbridge_core::jet::validate::{
    validate_item_availability, validate_offline, validate_service_times,
};
use orderbridge_core::jet::wire::{parse_item_availability, parse_offline, parse_service_times};
use orderbridge_core::order::validate::in_service_times;
use orderbridge_fuzz::refused;

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    match which % 3 {
        0 => {
            let req = match parse_item_availability(body) {
                Ok(req) => req,
                Err(found) => return refused("availability", &found),
            };
            match validate_item_availability(&req) {
                Ok(valid) => assert!(!valid.plus.is_empty(), "availability without PLUs"),
                Err(found) => refused("availability", &found),
            }
        }
        1 => {
            let req = match parse_service_times(body) {
                Ok(req) => req,
                Err(found) => return refused("servicetimes", &found),
            };
            let valid = match validate_service_times(&req) {
                Ok(valid) => valid,
                Err(found) => return refused("servicetimes", &found),
            };
            assert!(!valid.timezone.is_empty(), "service times without a zone");
            let monday = NaiveDate::from_ymd_opt(2024, 4, 8)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .unwrap_or_default();
            for days in valid.service_times.values() {
                for w in days.values().flatten() {
                    assert_ne!(w.opens, w.closes, "a window that opens when it closes");
                }
                for q in 0..7 * 24 * 4 {
                    let _ = in_service_times(days, monday + Duration::minutes(15 * q));
                }
            }
        }
        _ => {
            let req = match parse_offline(body) {
                Ok(req) => req,
                Err(found) => return refused("offline", &found),
            };
            if let Err(found) = validate_offline(&req) {
                refused("offline", &found);
            }
        }
    }
});
