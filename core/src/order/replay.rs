//! Idempotent retries: a front-end that posts the same `number` with the same content
//! again gets the same `order_id`; the same `number` with other content is a `duplicate`.
//! "Same content" is the parsed request written back out (so key order and blanks in the
//! JSON do not matter), hashed with SHA-256.

use sha2::{Digest, Sha256};

use crate::problem::Violation;

use super::wire::NewOrderRequest;

/// The content fingerprint of a request, as lowercase hex.
pub fn fingerprint(req: &NewOrderRequest) -> String {
    let canonical = serde_json::to_vec(req).unwrap_or_default();
    crate::hex::encode(&Sha256::digest(&canonical))
}

/// What to do with an order whose `number` is already stored with `stored` fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replay {
    /// The same order again: answer with the stored id.
    Same,
}

/// `Ok(Replay::Same)` for the same content, else the `duplicate` violation.
pub fn compare(stored: &str, incoming: &str, number: &str) -> Result<Replay, Violation> {
    if stored == incoming {
        Ok(Replay::Same)
    } else {
        Err(Violation::new(
            "duplicate",
            Some("number"),
            format!("order {number:?} was already placed with different content"),
        ))
    }
}
