//! `PUT /webhooks/orderconnect/orders` with the JSON array of `ConnectOrder`s that
//! `PUT /order-requires-delivery-acceptance` sends.
//!
//! Contract: no panic; a refusal names its violations, each refused element by its place
//! (`[i]`); an accepted array is not empty, the edge's split of the body into stored raw
//! elements has one per order, and each element, re-serialised, parses alone to itself;
//! each order keeps [`orderbridge_fuzz::orderconnect_order`]'s contract.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orderbridge_core::orderconnect::wire::{parse, Body};
use orderbridge_fuzz::{orderconnect_order, refused};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let body = match parse(data) {
        Ok(body) => body,
        Err(found) => {
            refused("parse", &found);
            if let Ok(Value::Array(items)) = serde_json::from_slice::<Value>(data) {
                for v in &found {
                    let field = v.field.as_deref().unwrap_or("");
                    let place = field
                        .strip_prefix('[')
                        .and_then(|f| f.split(']').next())
                        .and_then(|n| n.parse::<usize>().ok());
                    assert!(
                        items.is_empty() || place.is_some_and(|i| i < items.len()),
                        "an array element's refusal names no element: {v:?}"
                    );
                }
            }
            return;
        }
    };
    // What the edge stores for each order: the array's elements, else the whole body. The
    // edge splits only bodies that passed the door (`input::check`: UTF-8, finite numbers);
    // `parse` alone also reads a string that is not UTF-8, which `Value` refuses, so the
    // split is compared only where the edge makes it (the first crash this target found).
    if orderbridge_core::input::check(data).is_ok() {
        let raw = match serde_json::from_slice::<Value>(data) {
            Ok(Value::Array(items)) => items.len(),
            _ => 1,
        };
        assert_eq!(raw, body.orders().len(), "raw elements and orders differ");
    }
    if let Body::Many(list) = &body {
        assert!(!list.is_empty(), "an empty array accepted");
        for order in list {
            let alone = serde_json::to_vec(order).unwrap_or_else(|e| panic!("serialise: {e}"));
            match parse(&alone) {
                Ok(Body::One(back)) => assert_eq!(&*back, order, "element re-read"),
                other => panic!("an element alone reads as {other:?}"),
            }
        }
    }
    for order in body.orders() {
        orderconnect_order(order);
    }
});
