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
mod tests;
