//! `POST /webhooks/jet/orders/cancel`: a Cancel Order Notification body.
//!
//! Contract: no panic; a refusal names its violations; a valid notification has a
//! non-blank, trimmed order id, and its reason is trimmed (stored as given).
#![no_main]

use libfuzzer_sys::fuzz_target;
use orderbridge_core::jet::order::validate::validate_cancel;
use orderbridge_core::jet::order::wire::parse_cancel;
use orderbridge_fuzz::refused;

fuzz_target!(|data: &[u8]| {
    let note = match parse_cancel(data) {
        Ok(note) => note,
        Err(v) => return refused("parse", &[v]),
    };
    match validate_cancel(&note) {
        Ok(c) => {
            assert!(!c.order_id.is_empty(), "a cancellation without an order id");
            assert_eq!(c.order_id.trim(), c.order_id, "order id not trimmed");
            assert_eq!(c.reason.trim(), c.reason, "reason not trimmed");
            let _ = c.documented();
        }
        Err(found) => refused("validate", &found),
    }
});
