//! `PUT /webhooks/orderconnect/orders` with the JSON array of `ConnectOrder`s that
//! `PUT /order-requires-delivery-acceptance` sends.
//!
//! Contract: no panic; a refusal names its violations, each refused element by its place
//! (`[i]`); an accepted array is not empty, the edge's split of the body into stored raw
//! elements has one per order, and each stored element parses alone to its order;
//! each order keeps [`orderbridge_fuzz::orderconnect_order`]'s contract.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orderbridge_core::orderconnect::wire::{parse, raw_elements, Body};
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
    // What the edge stores for each order: `raw_elements`, the same split `parse` reads.
    // Each stored element, read alone, is that order again (exact bytes, so a number
    // keeps its text: the harness once re-serialised through serde_json, whose float
    // reading is not round-trip exact, and the edge did the same when storing).
    let raw = raw_elements(data);
    assert_eq!(raw.len(), body.orders().len(), "raw elements and orders differ");
    if let Body::Many(list) = &body {
        assert!(!list.is_empty(), "an empty array accepted");
        for (order, element) in list.iter().zip(&raw) {
            match parse(element) {
                Ok(Body::One(back)) => assert_eq!(&*back, order, "element re-read"),
                other => panic!("an element alone reads as {other:?}"),
            }
        }
    }
    for order in body.orders() {
        orderconnect_order(order);
    }
});
