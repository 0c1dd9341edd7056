//! Signatures: ours on outbound calls, and Just Eat's on JET Connect calls to us.
//!
//! **Outbound, `X-Orderbridge-Signature: t=<unix seconds>,v1=<hex>`.** A front-end's
//! `status_url` and a menu `callback_url` are public endpoints: anyone can post to them. The
//! signature lets a receiver trust that a call came from the hub and was not altered.
//! `v1` is the lowercase hex HMAC-SHA256, under the deployment's secret, of
//! `"<t>.<body>"`. Signing the timestamp together with the body (as Stripe does) lets a
//! receiver refuse replays of an old, genuine call: it checks that `t` is recent. Unknown
//! keys are ignored and several `v1` values may appear, so that a secret can be rotated by
//! signing with the old and the new one for a while. A receiver verifies in five lines
//! (Python):
//!
//! ```text
//! parts = dict(p.split("=", 1) for p in header.split(","))
//! mac = hmac.new(secret, f"{parts['t']}.".encode() + raw_body, hashlib.sha256).hexdigest()
//! if not hmac.compare_digest(mac, parts["v1"]): reject()
//! if abs(time.time() - int(parts["t"])) > 300: reject()   # replayed or badly delayed
//! accept()
//! ```
//!
//! **Inbound, `X-JET-Connect-Hash`.** Just Eat signs JET Connect order injections with
//! HMAC-SHA256 over the raw body bytes, Base64-encoded (FACTS §5.1: secret `key`, body
//! `example` gives `FGwot7AqiDIthEv6TippJm35DaRpRac5NSLd/wSp9go=`). The header is documented
//! as `HMAC-SHA256 t=<ms>,signature=<base64>`; the worked example signs the body alone, so
//! `t` is not part of the MAC. Both that form and a bare Base64 value are accepted. The check
//! runs over the raw request bytes, before any JSON parsing.
//!
//! **Comparisons are constant time** (`subtle`), so response timing does not reveal how much
//! of a guessed MAC was right. **An empty secret verifies nothing**: a missing configuration
//! must not turn into "everything signed with the empty key is genuine", since anyone can
//! compute that MAC.
//!
//! **No base64 crate.** Core only ever needs to *encode* a 32-byte MAC: the received value
//! is compared with our canonical encoding, so no decoder exists to get wrong, and the
//! Worker stays one dependency smaller. A non-canonical encoding of the right MAC (missing
//! padding) is refused; JET sends canonical Base64.

use hmac::digest::{Key, KeyInit};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// The header our outbound calls carry.
pub const SIGNATURE_HEADER: &str = "X-Orderbridge-Signature";
/// The header Just Eat's JET Connect calls carry.
pub const JET_HASH_HEADER: &str = "X-JET-Connect-Hash";
/// How far a signed timestamp may be from `now` by default: five minutes, as Stripe
/// suggests, which covers clock skew and retries by proxies but not a replay a day later.
pub const DEFAULT_TOLERANCE_SECS: i64 = 300;

/// Why [`verify`] refused a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureError {
    /// No secret is configured: nothing can be verified.
    EmptySecret,
    /// The header is not `t=<digits>,v1=<64 hex digits>[,...]`.
    Malformed,
    /// No `v1` matches the body under the secret.
    Mismatch,
    /// The signature is genuine but `timestamp` is more than the tolerance away from now.
    Stale { timestamp: i64, now: i64 },
}

/// HMAC-SHA256 of `message` under `key` (RFC 2104 with SHA-256).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = keyed(key);
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// An HMAC-SHA256 instance for `key`. The key is prepared as RFC 2104 says (hashed when
/// longer than the 64-byte block, then zero-padded to it), which makes construction
/// infallible instead of going through `new_from_slice`'s `Result`.
fn keyed(key: &[u8]) -> HmacSha256 {
    let mut block = Key::<HmacSha256>::default();
    if key.len() > block.len() {
        let digest = Sha256::digest(key);
        for (slot, byte) in block.iter_mut().zip(digest.iter()) {
            *slot = *byte;
        }
    } else {
        for (slot, byte) in block.iter_mut().zip(key.iter()) {
            *slot = *byte;
        }
    }
    <HmacSha256 as KeyInit>::new(&block)
}

/// The MAC our header carries: HMAC-SHA256 of `"<timestamp>.<body>"`.
fn outbound_mac(secret: &[u8], timestamp: i64, body: &[u8]) -> [u8; 32] {
    let mut mac = keyed(secret);
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().into()
}

/// The value of [`SIGNATURE_HEADER`] for `body` sent at `timestamp` (unix seconds):
/// `t=<timestamp>,v1=<lowercase hex>`. The edge must not configure an empty secret
/// ([`verify`] refuses one).
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    format!(
        "t={timestamp},v1={}",
        crate::hex::encode(&outbound_mac(secret, timestamp, body))
    )
}

/// Verifies a [`SIGNATURE_HEADER`] value against the raw `body`: some `v1` must match
/// (compared in constant time), and then `t` must be within `tolerance_secs` of `now`, in
/// either direction. A genuine but old signature is `Stale`; a negative tolerance counts
/// as zero.
pub fn verify(
    secret: &[u8],
    header_value: &str,
    body: &[u8],
    now: i64,
    tolerance_secs: i64,
) -> Result<(), SignatureError> {
    if secret.is_empty() {
        return Err(SignatureError::EmptySecret);
    }
    let mut timestamp: Option<i64> = None;
    let mut candidates: Vec<[u8; 32]> = Vec::new();
    for item in header_value.split(',') {
        let (key, value) = item
            .trim()
            .split_once('=')
            .ok_or(SignatureError::Malformed)?;
        match key {
            "t" => {
                let digits_only = !value.is_empty()
                    && value.len() <= 18
                    && value.bytes().all(|b| b.is_ascii_digit());
                if timestamp.is_some() || !digits_only {
                    return Err(SignatureError::Malformed);
                }
                timestamp = Some(value.parse().map_err(|_| SignatureError::Malformed)?);
            }
            "v1" => candidates.push(from_hex_32(value).ok_or(SignatureError::Malformed)?),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if candidates.is_empty() {
        return Err(SignatureError::Malformed);
    }
    let expected = outbound_mac(secret, timestamp, body);
    // Compare against every candidate, without stopping early.
    let matched = candidates
        .iter()
        .fold(subtle::Choice::from(0), |any, c| any | c.ct_eq(&expected));
    if !bool::from(matched) {
        return Err(SignatureError::Mismatch);
    }
    let tolerance = u64::try_from(tolerance_secs).unwrap_or(0);
    if now.abs_diff(timestamp) > tolerance {
        return Err(SignatureError::Stale { timestamp, now });
    }
    Ok(())
}

/// Verifies Just Eat's [`JET_HASH_HEADER`]: Base64 of HMAC-SHA256 over the raw body bytes.
/// Accepts the documented `HMAC-SHA256 t=...,signature=<base64>` form and a bare Base64
/// value. False for an empty secret, a malformed header, or a mismatch.
pub fn verify_jet_hash(secret: &[u8], body: &[u8], header_value: &str) -> bool {
    if secret.is_empty() {
        return false;
    }
    let value = header_value.trim();
    let received = match value.strip_prefix("HMAC-SHA256 ") {
        Some(params) => {
            let signature = params.split(',').find_map(|item| {
                let (key, value) = item.trim().split_once('=')?;
                (key == "signature").then_some(value)
            });
            match signature {
                Some(signature) => signature,
                None => return false,
            }
        }
        None => value,
    };
    let expected = to_base64(&hmac_sha256(secret, body));
    bool::from(received.as_bytes().ct_eq(expected.as_bytes()))
}

/// The [`JET_HASH_HEADER`] value Just Eat would send for `body`:
/// `HMAC-SHA256 t=<unix milliseconds>,signature=<Base64>` (FACTS §5.1). Used by the
/// development simulator, which plays Just Eat.
pub fn jet_hash_header(secret: &[u8], body: &[u8], t_millis: i64) -> String {
    format!(
        "HMAC-SHA256 t={t_millis},signature={}",
        to_base64(&hmac_sha256(secret, body))
    )
}

/// Decodes exactly 64 hex digits (either case).
fn from_hex_32(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (slot, pair) in out.iter_mut().zip(text.as_bytes().chunks(2)) {
        let high = char::from(*pair.first()?).to_digit(16)?;
        let low = char::from(*pair.get(1)?).to_digit(16)?;
        *slot = u8::try_from(high * 16 + low).ok()?;
    }
    Some(out)
}

/// Standard Base64 (RFC 4648 §4) with `=` padding.
fn to_base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let index = (n >> (18 - 6 * i)) & 0x3f;
                out.push(char::from(ALPHABET[index as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const SECRET: &[u8] = b"whsec_test_secret";
    const BODY: &[u8] = br#"{"order_id":"1","status":10}"#;
    const T: i64 = 1_700_000_000;

    fn hex(text: &str) -> Vec<u8> {
        text.as_bytes()
            .chunks(2)
            .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap())
            .collect()
    }

    #[test]
    fn hmac_sha256_matches_the_rfc_4231_test_vectors() {
        let long_key = vec![0xaa; 131];
        let cases: Vec<(Vec<u8>, Vec<u8>, &str)> = vec![
            (
                vec![0x0b; 20],
                b"Hi There".to_vec(),
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            ),
            (
                b"Jefe".to_vec(),
                b"what do ya want for nothing?".to_vec(),
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ),
            (
                vec![0xaa; 20],
                vec![0xdd; 50],
                "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
            ),
            (
                hex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
                vec![0xcd; 50],
                "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
            ),
            (
                long_key.clone(),
                b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            ),
            (
                long_key,
                b"This is a test using a larger than block-size key and a larger than \
                  block-size data. The key needs to be hashed before being used by the \
                  HMAC algorithm."
                    .to_vec(),
                "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
            ),
        ];
        for (i, (key, data, want)) in cases.iter().enumerate() {
            assert_eq!(
                crate::hex::encode(&hmac_sha256(key, data)),
                *want,
                "case {}",
                i + 1
            );
        }
        // Test case 5 is truncated to 128 bits.
        let truncated = hmac_sha256(&[0x0c; 20], b"Test With Truncation");
        assert_eq!(
            crate::hex::encode(&truncated[..16]),
            "a3b6167473100ee06e0c796c2955552b"
        );
    }

    #[test]
    fn a_key_of_exactly_one_block_is_used_as_it_is() {
        // 64 bytes is the boundary between "pad" and "hash first": one byte more and the
        // key is replaced by its SHA-256 digest (RFC 2104 §2).
        let key = [0x61u8; 64];
        let key_65 = [0x61u8; 65];
        assert_ne!(hmac_sha256(&key, b"x"), hmac_sha256(&key_65, b"x"));
        assert_eq!(
            hmac_sha256(&key_65, b"x"),
            hmac_sha256(&Sha256::digest(key_65), b"x")
        );
    }

    #[test]
    fn sign_produces_the_documented_header_value() {
        // Cross-checked with:
        // printf '%s' '1700000000.{"order_id":"1","status":10}' \
        //   | openssl dgst -sha256 -hmac whsec_test_secret
        assert_eq!(
            sign(SECRET, T, BODY),
            "t=1700000000,v1=35a17baa70734981f8929a46c614e1e14b01383e45fa3983d2f39b7634782c42"
        );
        assert_eq!(
            sign(SECRET, T, b""),
            "t=1700000000,v1=316b9ab98c15bfa039d243f3196acee619cf29749a91a634e6a8154e2f7b6727"
        );
    }

    #[test]
    fn a_fresh_genuine_signature_verifies() {
        let header = sign(SECRET, T, BODY);
        let cases: &[(String, i64, &str)] = &[
            (header.clone(), T, "at the same second"),
            (header.clone(), T + 300, "at the edge of the tolerance"),
            (header.clone(), T - 300, "with the receiver's clock behind"),
            (
                format!("{header},v0=whatever"),
                T,
                "unknown keys are ignored",
            ),
            (
                format!("t={T},v1={},v1={}", "0".repeat(64), &header[16..]),
                T,
                "any of several v1 values may match (secret rotation)",
            ),
            (
                header
                    .to_uppercase()
                    .replace("T=", "t=")
                    .replace("V1=", "v1="),
                T,
                "hex in upper case",
            ),
            (header.replace(',', " , "), T, "spaces around items"),
        ];
        for (value, now, why) in cases {
            assert_eq!(
                verify(SECRET, value, BODY, *now, DEFAULT_TOLERANCE_SECS),
                Ok(()),
                "{why}: {value}"
            );
        }
    }

    #[test]
    fn a_tampered_or_foreign_or_stale_or_malformed_signature_fails() {
        let header = sign(SECRET, T, BODY);
        let v1 = &header[16..];
        type Case = (
            &'static [u8],
            String,
            &'static [u8],
            i64,
            SignatureError,
            &'static str,
        );
        let cases: &[Case] = &[
            (
                SECRET,
                header.clone(),
                br#"{"order_id":"1","status":20}"#,
                T,
                SignatureError::Mismatch,
                "tampered body",
            ),
            (
                SECRET,
                header.clone(),
                b"",
                T,
                SignatureError::Mismatch,
                "empty body",
            ),
            (
                b"another secret",
                header.clone(),
                BODY,
                T,
                SignatureError::Mismatch,
                "wrong secret",
            ),
            (
                SECRET,
                format!("t={},v1={v1}", T + 1),
                BODY,
                T,
                SignatureError::Mismatch,
                "timestamp changed",
            ),
            (
                SECRET,
                header.clone(),
                BODY,
                T + 301,
                SignatureError::Stale {
                    timestamp: T,
                    now: T + 301,
                },
                "stale",
            ),
            (
                SECRET,
                header.clone(),
                BODY,
                T - 301,
                SignatureError::Stale {
                    timestamp: T,
                    now: T - 301,
                },
                "from the future",
            ),
            (
                b"",
                header.clone(),
                BODY,
                T,
                SignatureError::EmptySecret,
                "no secret configured",
            ),
            (
                SECRET,
                String::new(),
                BODY,
                T,
                SignatureError::Malformed,
                "empty header",
            ),
            (
                SECRET,
                format!("v1={v1}"),
                BODY,
                T,
                SignatureError::Malformed,
                "no timestamp",
            ),
            (
                SECRET,
                format!("t={T}"),
                BODY,
                T,
                SignatureError::Malformed,
                "no v1",
            ),
            (
                SECRET,
                format!("t={T},t={T},v1={v1}"),
                BODY,
                T,
                SignatureError::Malformed,
                "two timestamps",
            ),
            (
                SECRET,
                format!("t=-{T},v1={v1}"),
                BODY,
                T,
                SignatureError::Malformed,
                "negative timestamp",
            ),
            (
                SECRET,
                format!("t=1e9,v1={v1}"),
                BODY,
                T,
                SignatureError::Malformed,
                "not digits",
            ),
            (
                SECRET,
                format!("t={},v1={v1}", "9".repeat(40)),
                BODY,
                T,
                SignatureError::Malformed,
                "huge timestamp",
            ),
            (
                SECRET,
                format!("t={T},v1={}", &v1[..63]),
                BODY,
                T,
                SignatureError::Malformed,
                "short v1",
            ),
            (
                SECRET,
                format!("t={T},v1={}g", &v1[..63]),
                BODY,
                T,
                SignatureError::Malformed,
                "non-hex v1",
            ),
            (
                SECRET,
                format!("t={T};v1={v1}"),
                BODY,
                T,
                SignatureError::Malformed,
                "wrong separator",
            ),
            (
                SECRET,
                format!("t={T},v1=\u{e9}{}", &v1[..62]),
                BODY,
                T,
                SignatureError::Malformed,
                "non-ASCII v1",
            ),
        ];
        for (secret, value, body, now, want, why) in cases {
            assert_eq!(
                verify(secret, value, body, *now, DEFAULT_TOLERANCE_SECS),
                Err(*want),
                "{why}: {value}"
            );
        }
        assert_eq!(
            verify(SECRET, &header, BODY, T + 1, -5),
            Err(SignatureError::Stale {
                timestamp: T,
                now: T + 1
            }),
            "a negative tolerance counts as zero"
        );
    }

    #[test]
    fn the_jet_connect_hash_matches_the_worked_example_of_the_spec() {
        type Case = (
            &'static [u8],
            &'static [u8],
            &'static str,
            bool,
            &'static str,
        );
        let cases: &[Case] = &[
            (b"key", b"example", "FGwot7AqiDIthEv6TippJm35DaRpRac5NSLd/wSp9go=", true, "bare Base64"),
            (
                b"key",
                b"example",
                "HMAC-SHA256 t=1673428038618,signature=FGwot7AqiDIthEv6TippJm35DaRpRac5NSLd/wSp9go=",
                true,
                "the documented header form",
            ),
            (b"key", b"example", " FGwot7AqiDIthEv6TippJm35DaRpRac5NSLd/wSp9go= ", true, "surrounding space"),
            (b"key", b"example ", "FGwot7AqiDIthEv6TippJm35DaRpRac5NSLd/wSp9go=", false, "tampered body"),
            (b"kex", b"example", "FGwot7AqiDIthEv6TippJm35DaRpRac5NSLd/wSp9go=", false, "wrong secret"),
            (b"", b"example", "FGwot7AqiDIthEv6TippJm35DaRpRac5NSLd/wSp9go=", false, "no secret"),
            (b"key", b"example", "FGwot7AqiDIthEv6TippJm35DaRpRac5NSLd/wSp9go", false, "padding missing"),
            (b"key", b"example", "FGwot7AqiDIthEv6TippJm35DaRpRac5NSLd/wSp9gp=", false, "one character off"),
            (b"key", b"example", "", false, "empty header"),
            (b"key", b"example", "HMAC-SHA256 t=1673428038618", false, "no signature parameter"),
            (
                b"key",
                b"example",
                "HMAC-SHA1 t=1,signature=FGwot7AqiDIthEv6TippJm35DaRpRac5NSLd/wSp9go=",
                false,
                "another algorithm",
            ),
            (b"key", b"example", "14 6c 28 b7 b0 2a", false, "not Base64"),
        ];
        for (secret, body, header, want, why) in cases {
            assert_eq!(
                verify_jet_hash(secret, body, header),
                *want,
                "{why}: {header}"
            );
        }
    }

    #[test]
    fn the_simulators_jet_header_is_the_documented_form_and_verifies() {
        let header = jet_hash_header(b"key", b"example", 1673428038618);
        assert_eq!(
            header,
            "HMAC-SHA256 t=1673428038618,signature=FGwot7AqiDIthEv6TippJm35DaRpRac5NSLd/wSp9go="
        );
        assert!(verify_jet_hash(b"key", b"example", &header));
        assert!(!verify_jet_hash(b"key", b"examplf", &header));
    }

    #[test]
    fn base64_encodes_every_padding_length_as_rfc_4648_says() {
        let cases: &[(&[u8], &str)] = &[
            (b"", ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"fooba", "Zm9vYmE="),
            (b"foobar", "Zm9vYmFy"),
            (&[0xfb, 0xff, 0xbf], "+/+/"),
        ];
        for (bytes, want) in cases {
            assert_eq!(to_base64(bytes), *want);
        }
    }

    #[test]
    fn hex_decoding_takes_exactly_64_hex_digits() {
        let cases: &[(&str, bool)] = &[
            (&"ab".repeat(32), true),
            (&"AB".repeat(32), true),
            (&"ab".repeat(31), false),
            (&"ab".repeat(33), false),
            (&format!("{}zz", "ab".repeat(31)), false),
            (&format!("{}+1", "ab".repeat(31)), false),
        ];
        for (text, ok) in cases {
            assert_eq!(from_hex_32(text).is_some(), *ok, "{text}");
        }
    }
}
