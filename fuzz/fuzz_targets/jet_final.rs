//! `POST /webhooks/jet/orders/final`: a Final Picked Order body. It is the Receive Order
//! schema, read by the same parser, so the contract is [`orderbridge_fuzz::jet_order`]'s;
//! this target keeps a corpus of its own that starts from final picked orders
//! (substitutions, removed lines, the delivery-by-merchant shape).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| orderbridge_fuzz::jet_order(data));
