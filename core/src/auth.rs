//! Checking a presented API key against the configured one.
//!
//! Keys are compared in constant time (`subtle`), so the time an answer takes does not
//! reveal how much of a guess was right. An empty configured key never matches anything:
//! a deployment that forgot `wrangler secret put` is closed, not open.

use subtle::ConstantTimeEq;

/// True when `presented` equals `expected` and `expected` is not empty.
pub fn api_key_matches(presented: Option<&str>, expected: &str) -> bool {
    let Some(presented) = presented else {
        return false;
    };
    if expected.is_empty() {
        return false;
    }
    // ct_eq on slices of different lengths returns false without comparing contents; the
    // length of the configured key is not a secret worth hiding.
    bool::from(presented.as_bytes().ct_eq(expected.as_bytes()))
}

/// Reads `JE-API-KEY <key>` (Orderconnect's `Authorization` scheme); other schemes are `None`.
pub fn je_api_key(authorization: &str) -> Option<&str> {
    let (scheme, key) = authorization.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("JE-API-KEY")
        .then(|| key.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_key_matches_only_the_same_non_empty_key() {
        let cases: &[(Option<&str>, &str, bool)] = &[
            (Some("dev-operator-key"), "dev-operator-key", true),
            (Some("dev-operator-kez"), "dev-operator-key", false),
            (Some("dev-operator-key "), "dev-operator-key", false),
            (Some("dev-operator"), "dev-operator-key", false),
            (Some(""), "dev-operator-key", false),
            (None, "dev-operator-key", false),
            (Some(""), "", false),
            (Some("anything"), "", false),
        ];
        for (presented, expected, want) in cases {
            assert_eq!(
                api_key_matches(*presented, expected),
                *want,
                "{presented:?} vs {expected:?}"
            );
        }
    }

    #[test]
    fn the_orderconnect_scheme_is_read_and_others_are_not() {
        let cases: &[(&str, Option<&str>)] = &[
            ("JE-API-KEY abc", Some("abc")),
            ("je-api-key   abc  ", Some("abc")),
            ("Bearer abc", None),
            ("JE-API-KEYabc", None),
            ("", None),
        ];
        for (header, want) in cases {
            assert_eq!(je_api_key(header), *want, "{header:?}");
        }
    }
}
