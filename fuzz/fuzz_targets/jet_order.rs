//! `POST /webhooks/jet/orders`: a JET Connect Receive Order body (after the signature).
//! The contract is [`orderbridge_fuzz::jet_order`]'s.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| orderbridge_fuzz::jet_order(data));
