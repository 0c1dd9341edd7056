//! Conditional reads: the `ETag` of a response body and the `If-None-Match` check
//! (RFC 9110 §8.8.3, §13.1.2), and the keys the edge's read cache stores bodies under.
//!
//! The tag is a strong validator derived from the body alone (the first 128 bits of its
//! SHA-256, in hex), so two bodies with the same bytes have the same tag whatever wrote
//! them, and a front-end's `304` survives writes that did not change what it reads.
//! `If-None-Match` uses the weak comparison the RFC prescribes for it: `W/"x"` matches
//! `"x"`, and `*` matches any current representation.

use sha2::{Digest, Sha256};

/// The `ETag` header value of a body: `"<32 hex digits>"` (quotes included).
pub fn etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let mut out = String::with_capacity(34);
    out.push('"');
    crate::hex::push(&mut out, digest.get(..16).unwrap_or_default());
    out.push('"');
    out
}

/// A fixed-length cache key for a request: the hex SHA-256 of its parts (route name and
/// parameters, separated so that `("ab", "c")` and `("a", "bc")` differ). Parameters may be
/// long or hold any character; the key never does.
pub fn cache_key(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    crate::hex::encode(&hasher.finalize())
}

/// Whether a request with this `If-None-Match` header already holds the representation
/// tagged `etag` (answer `304 Not Modified`). A malformed header matches nothing.
pub fn not_modified(if_none_match: Option<&str>, etag: &str) -> bool {
    let Some(header) = if_none_match else {
        return false;
    };
    let ours = opaque(etag);
    header.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || (!candidate.is_empty() && ours.is_some() && opaque(candidate) == ours)
    })
}

/// The quoted part of an entity tag, without a weak prefix; `None` when it is not quoted.
fn opaque(tag: &str) -> Option<&str> {
    let tag = tag.strip_prefix("W/").unwrap_or(tag);
    tag.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .filter(|t| !t.contains('"'))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_tag_depends_on_the_bytes_only() {
        let a = etag(b"{\"places\":[]}");
        assert_eq!(a, etag(b"{\"places\":[]}"));
        assert_ne!(a, etag(b"{\"places\":[1]}"));
        assert_eq!(a.len(), 34);
        assert!(a.starts_with('"') && a.ends_with('"'));
        // SHA-256("") starts e3b0c442 98fc1c14 9afbf4c8 996fb924.
        assert_eq!(etag(b""), "\"e3b0c44298fc1c149afbf4c8996fb924\"");
    }

    #[test]
    fn cache_keys_are_fixed_length_and_keep_parts_apart() {
        let a = cache_key(&["menu", "000127", "7"]);
        assert_eq!(a.len(), 64);
        assert_eq!(a, cache_key(&["menu", "000127", "7"]));
        assert_ne!(a, cache_key(&["menu", "0001277", ""]));
        assert_ne!(cache_key(&["ab", "c"]), cache_key(&["a", "bc"]));
        assert_eq!(cache_key(&["x".repeat(10_000).as_str()]).len(), 64);
    }

    #[test]
    fn if_none_match_uses_the_weak_comparison_and_lists() {
        let tag = "\"abc\"";
        let cases: &[(Option<&str>, bool)] = &[
            (None, false),
            (Some("\"abc\""), true),
            (Some("W/\"abc\""), true),
            (Some("\"x\", \"abc\""), true),
            (Some("*"), true),
            (Some("\"abd\""), false),
            (Some("abc"), false),
            (Some(""), false),
            (Some("\"\"abc\"\""), false),
        ];
        for (header, want) in cases {
            assert_eq!(not_modified(*header, tag), *want, "{header:?}");
        }
    }
}
