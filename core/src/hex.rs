//! Lowercase hexadecimal text of bytes: tags, cache keys, fingerprints, ids and signatures
//! all use it. One table lookup per digit instead of a `format!` per byte (the read cache
//! hashes a key and tags a body on every request).

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Appends the lowercase hex digits of `bytes` to `out`.
pub fn push(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len() * 2);
    for b in bytes {
        for nibble in [b >> 4, b & 0x0f] {
            // A nibble is below 16: always a digit of the table.
            if let Some(&digit) = DIGITS.get(usize::from(nibble)) {
                out.push(char::from(digit));
            }
        }
    }
}

/// The lowercase hex digits of `bytes`.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push(&mut out, bytes);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn encodes_every_nibble_in_lowercase() {
        let cases: &[(&[u8], &str)] = &[
            (&[], ""),
            (&[0x00], "00"),
            (&[0x0f, 0xf0], "0ff0"),
            (
                &[0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef],
                "0123456789abcdef",
            ),
            (&[0xff], "ff"),
        ];
        for (bytes, text) in cases {
            assert_eq!(encode(bytes), *text);
            // The same as the formatting it replaced.
            let formatted: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(encode(bytes), formatted);
        }
        let mut out = String::from("x");
        push(&mut out, &[0xab]);
        assert_eq!(out, "xab", "push appends");
    }
}
