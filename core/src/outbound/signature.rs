//! Signatures: ours on outbound calls, and Just Eat's on JET Connect calls to us.
//!
//! **Outbound, `X-Orderbridge-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]`.** A
//! front-end's `status_url` and a menu `callback_url` are public endpoints: anyone can call
//! them. The signature lets a receiver trust that a call came from the hub, was not altered,
//! and is *this* call, not a genuine one moved elsewhere. In the style of Stripe's webhook
//! signatures, `v1` is the lowercase hex HMAC-SHA256, under the deployment's secret, of the
//! *signed payload*:
//!
//! ```text
//! <t> "\n" <METHOD> "\n" <url> "\n" <delivery id> "\n" <raw body>
//! ```
//!
//! `t` is the header's timestamp (decimal unix seconds), `METHOD` the request method in
//! upper case, `url` the full URL requested, query included (as the hub stored it: the
//! receiver's URL with the hub's parameters appended), `delivery id` the value of
//! `X-Orderbridge-Delivery`, and the body the raw bytes (empty for a `GET`). Every field
//! but the body is one line (the method is a token, the URL guard refuses control
//! characters, delivery ids are the hub's own), so the payload reads one way only.
//! Signing the whole request matters because status calls are `GET`s with an empty body:
//! a MAC over the timestamp and body alone would be the same for every call made in a
//! second, so anyone who placed an order could lift a genuine signature onto a forged
//! "cancelled" for another site's order. Signing `t` lets a receiver refuse an old genuine
//! call (it checks that `t` is recent); signing the delivery id lets it drop a second copy.
//!
//! **Rotation: one `v1` per valid secret.** Receivers are third parties that switch
//! secrets at their own pace, so the hub signs with the current secret and, while a
//! previous one is configured, adds a second `v1` under it (as Stripe does while an old
//! endpoint secret expires). A receiver holding either secret finds a `v1` that verifies;
//! nobody has to switch at the same moment. Unknown keys are ignored. A receiver verifies
//! in a few lines (Python):
//!
//! ```text
//! t = next(v for k, v in (p.split("=", 1) for p in header.split(",")) if k == "t")
//! sigs = [v for k, v in (p.split("=", 1) for p in header.split(",")) if k == "v1"]
//! payload = f"{t}\n{method}\n{url}\n{delivery_id}\n".encode() + raw_body
//! mac = hmac.new(secret, payload, hashlib.sha256).hexdigest()
//! if not any(hmac.compare_digest(mac, s) for s in sigs): reject()
//! if abs(time.time() - int(t)) > 300: reject()   # replayed or badly delayed
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
    /// The header is not `t=<digits>,v1=<64 hex digits>[,...]`, or a one-line field of the
    /// call is empty or holds a line break.
    Malformed,
    /// No `v1` matches the call under any of the secrets.
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

/// One outbound call, as far as its signature is concerned: everything in it that a
/// receiver acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedCall<'a> {
    /// The request method, upper case (`GET`, `POST`).
    pub method: &'a str,
    /// The full URL requested, query included.
    pub url: &'a str,
    /// The value of `X-Orderbridge-Delivery`, the same on every attempt.
    pub delivery_id: &'a str,
    /// The raw body (empty for a `GET`).
    pub body: &'a [u8],
}

impl SignedCall<'_> {
    /// Whether every one-line field is one non-empty line, so the payload is unambiguous.
    fn well_formed(&self) -> bool {
        [self.method, self.url, self.delivery_id]
            .iter()
            .all(|f| !f.is_empty() && !f.contains(['\n', '\r']))
    }
}

/// The signed payload of `call` at `timestamp`:
/// `"<t>\n<METHOD>\n<url>\n<delivery id>\n<body>"` (see the module documentation).
pub fn signed_payload(timestamp: i64, call: &SignedCall<'_>) -> Vec<u8> {
    let head = format!(
        "{timestamp}\n{}\n{}\n{}\n",
        call.method, call.url, call.delivery_id
    );
    let mut payload = Vec::with_capacity(head.len() + call.body.len());
    payload.extend_from_slice(head.as_bytes());
    payload.extend_from_slice(call.body);
    payload
}

/// The value of [`SIGNATURE_HEADER`] for `call` sent at `timestamp` (unix seconds):
/// `t=<timestamp>,v1=<hex>` with one `v1` per non-empty secret, in the order given (the
/// current secret first, then the previous one during a rotation). Refused when no secret
/// is usable (`EmptySecret`: anyone can compute a MAC under the empty key) or a one-line
/// field of the call is empty or holds a line break (`Malformed`).
pub fn sign(
    secrets: &[&[u8]],
    timestamp: i64,
    call: &SignedCall<'_>,
) -> Result<String, SignatureError> {
    if !call.well_formed() {
        return Err(SignatureError::Malformed);
    }
    let payload = signed_payload(timestamp, call);
    let mut header = format!("t={timestamp}");
    let mut signed = false;
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        header.push_str(",v1=");
        header.push_str(&crate::hex::encode(&hmac_sha256(secret, &payload)));
        signed = true;
    }
    if signed {
        Ok(header)
    } else {
        Err(SignatureError::EmptySecret)
    }
}

/// Verifies a [`SIGNATURE_HEADER`] value against the `call` received, as a receiver does:
/// some `v1` must match the MAC of the signed payload under some non-empty secret
/// (compared in constant time; several secrets during a rotation), and then `t` must be
/// within `tolerance_secs` of `now`, in either direction. A genuine but old signature is
/// `Stale`; a negative tolerance counts as zero. A signature taken from another call (other
/// method, URL or query, delivery id or body) is a `Mismatch`.
pub fn verify(
    secrets: &[&[u8]],
    header_value: &str,
    call: &SignedCall<'_>,
    now: i64,
    tolerance_secs: i64,
) -> Result<(), SignatureError> {
    let usable: Vec<&[u8]> = secrets.iter().copied().filter(|s| !s.is_empty()).collect();
    if usable.is_empty() {
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
    if candidates.is_empty() || !call.well_formed() {
        return Err(SignatureError::Malformed);
    }
    let payload = signed_payload(timestamp, call);
    // Compare every expected MAC with every candidate, without stopping early.
    let matched = usable.iter().fold(subtle::Choice::from(0), |any, secret| {
        let expected = hmac_sha256(secret, &payload);
        candidates
            .iter()
            .fold(any, |any, c| any | c.ct_eq(&expected))
    });
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
                // Six bits: always a letter of the alphabet.
                if let Some(&letter) = ALPHABET.get(index as usize) {
                    out.push(char::from(letter));
                }
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

    const OLD: &[u8] = b"whsec_old_secret";
    const STATUS_URL: &str = "https://site.example/status?order_id=1&status=10";
    /// A status call: a `GET` with an empty body, the case a MAC over the body alone
    /// could not tell apart from any other.
    const CALL: SignedCall<'static> = SignedCall {
        method: "GET",
        url: STATUS_URL,
        delivery_id: "dl_1",
        body: b"",
    };

    #[test]
    fn sign_produces_the_documented_header_value() {
        // Cross-checked with:
        // printf '1700000000\nGET\nhttps://site.example/status?order_id=1&status=10\ndl_1\n' \
        //   | openssl dgst -sha256 -hmac whsec_test_secret   (and -hmac whsec_old_secret)
        assert_eq!(
            sign(&[SECRET], T, &CALL),
            Ok(
                "t=1700000000,v1=4e8a0a5881bb47a9b6297c6a8ffd0d315089798cfc8e8ddefb9ebd8e3d1048b1"
                    .to_owned()
            )
        );
        // printf '1700000000\nPOST\nhttps://site.example/menu-cb\ndl_2\n{"order_id":"1","status":10}' \
        //   | openssl dgst -sha256 -hmac whsec_test_secret
        let post = SignedCall {
            method: "POST",
            url: "https://site.example/menu-cb",
            delivery_id: "dl_2",
            body: BODY,
        };
        assert_eq!(
            sign(&[SECRET], T, &post),
            Ok(
                "t=1700000000,v1=7e6d1a0910757d1a0b1cca78800fc32e6f15c2345d33564c3303f734f5a744d8"
                    .to_owned()
            )
        );
        // During a rotation: one v1 per secret, the current one first; an empty one is
        // skipped, never signed with.
        let rotating =
            "t=1700000000,v1=4e8a0a5881bb47a9b6297c6a8ffd0d315089798cfc8e8ddefb9ebd8e3d1048b1,\
             v1=a7e29d038794b216d3e27eb114069f04b2b4124a2d12bc5276e56e405771b70d";
        assert_eq!(sign(&[SECRET, OLD], T, &CALL), Ok(rotating.to_owned()));
        assert_eq!(sign(&[SECRET, b"", OLD], T, &CALL), Ok(rotating.to_owned()));
        assert_eq!(
            signed_payload(T, &post),
            b"1700000000\nPOST\nhttps://site.example/menu-cb\ndl_2\n{\"order_id\":\"1\",\"status\":10}"
                .to_vec()
        );
    }

    #[test]
    fn nothing_is_signed_without_a_secret_or_with_an_ambiguous_field() {
        let cases: &[(&[&[u8]], SignedCall<'static>, SignatureError, &str)] = &[
            (&[], CALL, SignatureError::EmptySecret, "no secret"),
            (
                &[b""],
                CALL,
                SignatureError::EmptySecret,
                "only an empty secret",
            ),
            (
                &[SECRET],
                SignedCall {
                    url: "https://a.example/\nx",
                    ..CALL
                },
                SignatureError::Malformed,
                "a line break in the URL",
            ),
            (
                &[SECRET],
                SignedCall {
                    delivery_id: "dl_1\r",
                    ..CALL
                },
                SignatureError::Malformed,
                "a carriage return in the delivery id",
            ),
            (
                &[SECRET],
                SignedCall { method: "", ..CALL },
                SignatureError::Malformed,
                "no method",
            ),
        ];
        for (secrets, call, want, why) in cases {
            assert_eq!(sign(secrets, T, call), Err(*want), "{why}");
        }
    }

    #[test]
    fn a_fresh_genuine_signature_verifies() {
        let header = sign(&[SECRET], T, &CALL).unwrap();
        let rotating = sign(&[SECRET, OLD], T, &CALL).unwrap();
        let v1 = &header[16..];
        type Case<'a> = (&'a [&'a [u8]], String, i64, &'a str);
        let cases: &[Case] = &[
            (&[SECRET], header.clone(), T, "at the same second"),
            (
                &[SECRET],
                header.clone(),
                T + 300,
                "at the edge of the tolerance",
            ),
            (
                &[SECRET],
                header.clone(),
                T - 300,
                "with the receiver's clock behind",
            ),
            (
                &[SECRET],
                format!("{header},v0=whatever"),
                T,
                "unknown keys are ignored",
            ),
            (
                &[SECRET],
                format!("t={T},v1={},v1={v1}", "0".repeat(64)),
                T,
                "any of several v1 values may match",
            ),
            (
                &[SECRET],
                rotating.clone(),
                T,
                "rotation: a receiver with the new secret",
            ),
            (
                &[OLD],
                rotating.clone(),
                T,
                "rotation: a receiver still on the old secret",
            ),
            (
                &[b"whsec_next", SECRET],
                header.clone(),
                T,
                "a receiver accepting two secrets while it rotates",
            ),
            (
                &[SECRET],
                header
                    .to_uppercase()
                    .replace("T=", "t=")
                    .replace("V1=", "v1="),
                T,
                "hex in upper case",
            ),
            (
                &[SECRET],
                header.replace(',', " , "),
                T,
                "spaces around items",
            ),
        ];
        for (secrets, value, now, why) in cases {
            assert_eq!(
                verify(secrets, value, &CALL, *now, DEFAULT_TOLERANCE_SECS),
                Ok(()),
                "{why}: {value}"
            );
        }
    }

    #[test]
    fn a_signature_taken_from_one_call_fails_on_another() {
        // The attack of issue 22: a genuine signature from one's own order's status call,
        // attached to a forged call for another order, another status, another site.
        let header = sign(&[SECRET], T, &CALL).unwrap();
        let cases: &[(SignedCall<'static>, &str)] = &[
            (
                SignedCall {
                    url: "https://site.example/status?order_id=2&status=10",
                    ..CALL
                },
                "another order in the query",
            ),
            (
                SignedCall {
                    url: "https://site.example/status?order_id=1&status=40",
                    ..CALL
                },
                "another status in the query",
            ),
            (
                SignedCall {
                    url: "https://site.example/status",
                    ..CALL
                },
                "the query dropped",
            ),
            (
                SignedCall {
                    url: "https://other-site.example/status?order_id=1&status=10",
                    ..CALL
                },
                "another site",
            ),
            (
                SignedCall {
                    method: "POST",
                    ..CALL
                },
                "another method",
            ),
            (
                SignedCall {
                    delivery_id: "dl_2",
                    ..CALL
                },
                "another delivery",
            ),
            (SignedCall { body: BODY, ..CALL }, "a body added"),
        ];
        for (call, why) in cases {
            assert_eq!(
                verify(&[SECRET], &header, call, T, DEFAULT_TOLERANCE_SECS),
                Err(SignatureError::Mismatch),
                "{why}"
            );
        }
        // And the body is bound too.
        let post = SignedCall {
            method: "POST",
            body: BODY,
            ..CALL
        };
        let signed = sign(&[SECRET], T, &post).unwrap();
        let tampered = SignedCall {
            body: br#"{"order_id":"1","status":20}"#,
            ..post
        };
        assert_eq!(
            verify(&[SECRET], &signed, &tampered, T, DEFAULT_TOLERANCE_SECS),
            Err(SignatureError::Mismatch),
            "tampered body"
        );
        // An old genuine call, replayed as it was, is stale.
        assert_eq!(
            verify(&[SECRET], &header, &CALL, T + 301, DEFAULT_TOLERANCE_SECS),
            Err(SignatureError::Stale {
                timestamp: T,
                now: T + 301
            }),
            "replayed after the tolerance"
        );
    }

    #[test]
    fn a_tampered_or_foreign_or_stale_or_malformed_signature_fails() {
        let header = sign(&[SECRET], T, &CALL).unwrap();
        let v1 = &header[16..];
        let rotating = sign(&[SECRET, OLD], T, &CALL).unwrap();
        type Case<'a> = (&'a [&'a [u8]], String, i64, SignatureError, &'a str);
        let cases: &[Case] = &[
            (
                &[b"another secret"],
                header.clone(),
                T,
                SignatureError::Mismatch,
                "wrong secret",
            ),
            (
                &[b"whsec_third"],
                rotating.clone(),
                T,
                SignatureError::Mismatch,
                "neither secret of a rotation",
            ),
            (
                &[SECRET],
                format!("t={},v1={v1}", T + 1),
                T,
                SignatureError::Mismatch,
                "timestamp changed",
            ),
            (
                &[SECRET],
                header.clone(),
                T + 301,
                SignatureError::Stale {
                    timestamp: T,
                    now: T + 301,
                },
                "stale",
            ),
            (
                &[SECRET],
                header.clone(),
                T - 301,
                SignatureError::Stale {
                    timestamp: T,
                    now: T - 301,
                },
                "from the future",
            ),
            (
                &[b""],
                header.clone(),
                T,
                SignatureError::EmptySecret,
                "no secret configured",
            ),
            (
                &[],
                header.clone(),
                T,
                SignatureError::EmptySecret,
                "no secret at all",
            ),
            (
                &[SECRET],
                String::new(),
                T,
                SignatureError::Malformed,
                "empty header",
            ),
            (
                &[SECRET],
                format!("v1={v1}"),
                T,
                SignatureError::Malformed,
                "no timestamp",
            ),
            (
                &[SECRET],
                format!("t={T}"),
                T,
                SignatureError::Malformed,
                "no v1",
            ),
            (
                &[SECRET],
                format!("t={T},t={T},v1={v1}"),
                T,
                SignatureError::Malformed,
                "two timestamps",
            ),
            (
                &[SECRET],
                format!("t=-{T},v1={v1}"),
                T,
                SignatureError::Malformed,
                "negative timestamp",
            ),
            (
                &[SECRET],
                format!("t=1e9,v1={v1}"),
                T,
                SignatureError::Malformed,
                "not digits",
            ),
            (
                &[SECRET],
                format!("t={},v1={v1}", "9".repeat(40)),
                T,
                SignatureError::Malformed,
                "huge timestamp",
            ),
            (
                &[SECRET],
                format!("t={T},v1={}", &v1[..63]),
                T,
                SignatureError::Malformed,
                "short v1",
            ),
            (
                &[SECRET],
                format!("t={T},v1={}g", &v1[..63]),
                T,
                SignatureError::Malformed,
                "non-hex v1",
            ),
            (
                &[SECRET],
                format!("t={T};v1={v1}"),
                T,
                SignatureError::Malformed,
                "wrong separator",
            ),
            (
                &[SECRET],
                format!("t={T},v1=\u{e9}{}", &v1[..62]),
                T,
                SignatureError::Malformed,
                "non-ASCII v1",
            ),
        ];
        for (secrets, value, now, want, why) in cases {
            assert_eq!(
                verify(secrets, value, &CALL, *now, DEFAULT_TOLERANCE_SECS),
                Err(*want),
                "{why}: {value}"
            );
        }
        assert_eq!(
            verify(&[SECRET], &header, &CALL, T + 1, -5),
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
