//! The edge's one source of randomness (core takes random values as arguments): every id
//! and token (never the clock: an id that cannot be drawn is an error), and the jitter of
//! retry delays. The source is `crypto.getRandomValues` (getrandom's `js` feature).

use crate::error::EdgeError;

/// `<prefix>` followed by 32 lowercase hex digits (128 random bits).
pub fn id(prefix: &str) -> Result<String, EdgeError> {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes)
        .map_err(|err| EdgeError::Internal(format!("no randomness for an id: {err}")))?;
    let mut id = String::with_capacity(prefix.len() + 32);
    id.push_str(prefix);
    orderbridge_core::hex::push(&mut id, &bytes);
    Ok(id)
}

/// A client id: 128 random bits in Jupiter's GUID shape (core's `order::client::guid`).
pub fn guid() -> Result<String, EdgeError> {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes)
        .map_err(|err| EdgeError::Internal(format!("no randomness for a client id: {err}")))?;
    Ok(orderbridge_core::order::client::guid(bytes))
}

/// A number in `[0, 1)`, as core's backoff takes for its jitter. Without randomness (never
/// seen on Workers) it is 0.5: the middle of the jitter range, still a valid schedule.
pub fn unit() -> f64 {
    let mut bytes = [0u8; 8];
    match getrandom::getrandom(&mut bytes) {
        // The top 53 bits, scaled: every value is exactly representable and below 1.
        Ok(()) => (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64,
        Err(err) => {
            worker::console_error!("no randomness for jitter, using 0.5: {err}");
            0.5
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_carry_the_prefix_and_128_random_bits_in_hex() {
        let a = id("dl_").unwrap_or_default();
        let b = id("dl_").unwrap_or_default();
        assert_eq!(a.len(), 35, "{a}");
        assert!(a.starts_with("dl_"));
        assert!(a[3..]
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(a, b);
    }

    #[test]
    fn units_stay_in_zero_to_one() {
        for _ in 0..1000 {
            let u = unit();
            assert!((0.0..1.0).contains(&u), "{u}");
        }
    }
}
