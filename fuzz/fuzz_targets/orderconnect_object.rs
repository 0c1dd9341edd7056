//! `PUT /webhooks/orderconnect/orders` with seed `001`'s single `ConnectOrder` object.
//!
//! Contract: no panic; a refusal names its violations; an object that parses reads the
//! same as the one element of an array (`[body]`), and the edge's split of the body into
//! stored raw elements gives exactly one; each order keeps
//! [`orderbridge_fuzz::orderconnect_order`]'s contract.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orderbridge_core::orderconnect::wire::{parse, Body};
use orderbridge_fuzz::{orderconnect_order, refused};

fuzz_target!(|data: &[u8]| {
    let body = match parse(data) {
        Ok(body) => body,
        Err(found) => return refused("parse", &found),
    };
    match &body {
        Body::One(order) => {
            let mut wrapped = b"[".to_vec();
            wrapped.extend_from_slice(data);
            wrapped.push(b']');
            match parse(&wrapped) {
                Ok(Body::Many(list)) => assert_eq!(list, vec![(**order).clone()], "[body]"),
                other => panic!("[body] of a valid object reads as {other:?}"),
            }
        }
        Body::Many(list) => assert!(!list.is_empty(), "an empty array accepted"),
    }
    for order in body.orders() {
        orderconnect_order(order);
    }
});
