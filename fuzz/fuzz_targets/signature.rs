//! The signature and key headers core reads: JET Connect's `X-JET-Connect-Hash`, the
//! hub's own `X-Orderbridge-Signature` (what a receiver verifies), Orderconnect's
//! `Authorization: JE-API-KEY <key>` and the API-key comparison behind every key header.
//!
//! The input is `[secret length][secret][header length][header][body]`.
//!
//! Contract: no panic on any header; under a non-empty secret, the genuine JET hash (both
//! documented forms, computed with RustCrypto's HMAC and an independent Base64 encoder)
//! verifies and nothing verifies for another body or another secret; a fuzzed JET header
//! that verifies carries the genuine value; the hub's own signature verifies within the
//! tolerance, is stale outside it, fails for another body or another URL, and a fuzzed header that
//! verifies carries the genuine MAC; an empty secret verifies nothing; a key read from
//! `JE-API-KEY` is trimmed and matches itself exactly when it is not empty.
#![no_main]

use base64::Engine;
use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;
use orderbridge_core::auth::{api_key_matches, je_api_key};
use orderbridge_core::outbound::signature::{
    hmac_sha256, jet_hash_header, sign, verify, verify_jet_hash, SignatureError, SignedCall,
};
use sha2::Sha256;

fn take<'a>(data: &mut &'a [u8]) -> &'a [u8] {
    let Some((&n, rest)) = data.split_first() else {
        return &[];
    };
    let n = usize::from(n).min(rest.len());
    let (head, tail) = rest.split_at(n);
    *data = tail;
    head
}

fn reference_mac(secret: &[u8], body: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret)
        .unwrap_or_else(|e| panic!("HMAC takes any key: {e}"));
    mac.update(body);
    mac.finalize().into_bytes().into()
}

const NOW: i64 = 1_712_577_600;

fuzz_target!(|data: &[u8]| {
    let mut rest = data;
    let secret = take(&mut rest);
    let header = String::from_utf8_lossy(take(&mut rest)).into_owned();
    let body = rest;

    // Just Eat's hash.
    let fuzzed_ok = verify_jet_hash(secret, body, &header);
    if secret.is_empty() {
        assert!(!fuzzed_ok, "an empty secret verified a JET hash");
    } else {
        let mac = reference_mac(secret, body);
        assert_eq!(
            hmac_sha256(secret, body),
            mac,
            "HMAC differs from RustCrypto's"
        );
        let b64 = base64::engine::general_purpose::STANDARD.encode(mac);
        assert!(
            verify_jet_hash(secret, body, &b64),
            "the bare Base64 hash is refused"
        );
        let documented = format!("HMAC-SHA256 t=1712577600000,signature={b64}");
        assert!(
            verify_jet_hash(secret, body, &documented),
            "the documented form is refused"
        );
        assert_eq!(jet_hash_header(secret, body, 1_712_577_600_000), documented);
        let mut other = body.to_vec();
        other.push(b'x');
        assert!(
            !verify_jet_hash(secret, &other, &b64),
            "another body verifies"
        );
        let mut other_secret = secret.to_vec();
        other_secret.push(b'x');
        assert!(
            !verify_jet_hash(&other_secret, body, &b64),
            "another secret verifies"
        );
        if fuzzed_ok {
            assert!(
                header.contains(&b64),
                "{header:?} verified without the hash"
            );
        }
    }

    // The hub's own signature, as a receiver checks it: the fuzzed body in a fixed call.
    let call = SignedCall {
        method: "POST",
        url: "https://site.example/cb?order_id=1&status=10",
        delivery_id: "dl_fuzz",
        body,
    };
    let fuzzed = verify(&[secret], &header, &call, NOW, 300);
    if secret.is_empty() {
        assert_eq!(fuzzed, Err(SignatureError::EmptySecret));
        return;
    }
    let genuine = sign(&[secret], NOW - 60, &call)
        .unwrap_or_else(|e| panic!("a well-formed call is signed: {e:?}"));
    assert_eq!(
        verify(&[secret], &genuine, &call, NOW, 300),
        Ok(()),
        "{genuine}"
    );
    assert_eq!(
        verify(&[secret], &genuine, &call, NOW + 3600, 300),
        Err(SignatureError::Stale {
            timestamp: NOW - 60,
            now: NOW + 3600
        })
    );
    let mut other = body.to_vec();
    other.push(b'x');
    let other_body = SignedCall {
        body: &other,
        ..call
    };
    assert_eq!(
        verify(&[secret], &genuine, &other_body, NOW, 300),
        Err(SignatureError::Mismatch)
    );
    let other_url = SignedCall {
        url: "https://site.example/cb?order_id=2&status=10",
        ..call
    };
    assert_eq!(
        verify(&[secret], &genuine, &other_url, NOW, 300),
        Err(SignatureError::Mismatch)
    );
    if fuzzed.is_ok() {
        let t = header
            .split(',')
            .filter_map(|item| item.trim().strip_prefix("t="))
            .next()
            .and_then(|t| t.parse::<i64>().ok())
            .unwrap_or_else(|| panic!("{header:?} verified without a t"));
        let mac = sign(&[secret], t, &call)
            .unwrap_or_else(|e| panic!("a well-formed call is signed: {e:?}"));
        let hex = mac.rsplit("v1=").next().unwrap_or_default();
        assert!(
            header.to_ascii_lowercase().contains(hex),
            "{header:?} verified without the MAC"
        );
    }

    // Orderconnect's key header and the key comparison.
    if let Some(key) = je_api_key(&header) {
        assert_eq!(key, key.trim(), "the key is not trimmed");
        assert!(header.contains(key));
        assert_eq!(api_key_matches(Some(key), key), !key.is_empty());
        let mut longer = key.to_owned();
        longer.push('x');
        assert!(!api_key_matches(Some(&longer), key), "a longer key matches");
    }
});
