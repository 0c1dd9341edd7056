//! Random identifiers (ingestion ids, cache version tokens).

use chrono::{DateTime, Utc};

/// 64 random bits in hex. If the runtime has no randomness (it always has on Workers), the
/// request time stands in, which still differs between requests; that is logged.
pub fn random_hex(now: DateTime<Utc>) -> String {
    let mut bytes = [0u8; 8];
    if getrandom::getrandom(&mut bytes).is_err() {
        worker::console_error!("no randomness: using the clock for an id");
        bytes = now.timestamp_micros().to_be_bytes();
    }
    orderbridge_core::hex::encode(&bytes)
}
