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
        (
            b"key",
            b"example",
            "FGwot7AqiDIthEv6TippJm35DaRpRac5NSLd/wSp9go=",
            true,
            "bare Base64",
        ),
        (
            b"key",
            b"example",
            "HMAC-SHA256 t=1673428038618,signature=FGwot7AqiDIthEv6TippJm35DaRpRac5NSLd/wSp9go=",
            true,
            "the documented header form",
        ),
        (
            b"key",
            b"example",
            " FGwot7AqiDIthEv6TippJm35DaRpRac5NSLd/wSp9go= ",
            true,
            "surrounding space",
        ),
        (
            b"key",
            b"example ",
            "FGwot7AqiDIthEv6TippJm35DaRpRac5NSLd/wSp9go=",
            false,
            "tampered body",
        ),
        (
            b"kex",
            b"example",
            "FGwot7AqiDIthEv6TippJm35DaRpRac5NSLd/wSp9go=",
            false,
            "wrong secret",
        ),
        (
            b"",
            b"example",
            "FGwot7AqiDIthEv6TippJm35DaRpRac5NSLd/wSp9go=",
            false,
            "no secret",
        ),
        (
            b"key",
            b"example",
            "FGwot7AqiDIthEv6TippJm35DaRpRac5NSLd/wSp9go",
            false,
            "padding missing",
        ),
        (
            b"key",
            b"example",
            "FGwot7AqiDIthEv6TippJm35DaRpRac5NSLd/wSp9gp=",
            false,
            "one character off",
        ),
        (b"key", b"example", "", false, "empty header"),
        (
            b"key",
            b"example",
            "HMAC-SHA256 t=1673428038618",
            false,
            "no signature parameter",
        ),
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
