//! Punycode (RFC 3492) and the host labels the URL guard takes in international form.
//!
//! The guard must agree with the URL parser `fetch` uses (WHATWG URL, whose "domain to
//! ASCII" is UTS 46). Rather than carry UTS 46's mapping tables into the Worker, it takes
//! only what it can decide exactly:
//!
//! * a label in punycode (`xn--…`) is decoded; it is refused unless it decodes, to a label
//!   that is not empty, not all ASCII, encodes back to the same text (canonical form) and
//!   holds no character UTS 46 refuses or maps (uppercase, spaces, controls, formatting,
//!   compatibility forms): `xn--`, `xn--zz` and `xn--abc` are refused, as `fetch` refuses
//!   them;
//! * a label in Unicode is taken only when each character is one that UTS 46 leaves as it
//!   is ([`plain`]: lowercase Latin-1 and Cyrillic letters, lowercase Greek, CJK ideographs,
//!   kana), and is then written in its ASCII form (`пример.рф` → `xn--e1afmkfd.xn--p1ai`),
//!   the name `fetch` connects to. Any other Unicode label must be written in punycode.

const BASE: u32 = 36;
const TMIN: u32 = 1;
const TMAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / DAMP } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - TMIN) * TMAX) / 2 {
        delta /= BASE - TMIN;
        k += BASE;
    }
    k + (BASE - TMIN + 1) * delta / (delta + SKEW)
}

fn threshold(k: u32, bias: u32) -> u32 {
    k.saturating_sub(bias).clamp(TMIN, TMAX)
}

fn digit_value(b: u8) -> Option<u32> {
    match b {
        b'a'..=b'z' => Some(u32::from(b - b'a')),
        b'A'..=b'Z' => Some(u32::from(b - b'A')),
        b'0'..=b'9' => Some(u32::from(b - b'0') + 26),
        _ => None,
    }
}

fn digit_char(d: u32) -> char {
    // d < 36 by construction.
    let d = d as u8;
    if d < 26 {
        char::from(b'a' + d)
    } else {
        char::from(b'0' + d - 26)
    }
}

/// Decodes the part of a label after `xn--`; `None` when it is not valid punycode.
pub fn decode(input: &str) -> Option<Vec<char>> {
    if !input.is_ascii() {
        return None;
    }
    let (basic, extended) = match input.rfind('-') {
        Some(at) => (input.get(..at)?, input.get(at + 1..)?),
        None => ("", input),
    };
    let mut out: Vec<char> = basic.chars().collect();
    let (mut n, mut i, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    let mut bytes = extended.bytes().peekable();
    while bytes.peek().is_some() {
        let old_i = i;
        let mut w = 1u32;
        let mut k = BASE;
        loop {
            let digit = digit_value(bytes.next()?)?;
            i = i.checked_add(digit.checked_mul(w)?)?;
            let t = threshold(k, bias);
            if digit < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
        }
        let len = u32::try_from(out.len()).ok()? + 1;
        bias = adapt(i - old_i, len, old_i == 0);
        n = n.checked_add(i / len)?;
        i %= len;
        if n < INITIAL_N {
            return None;
        }
        out.insert(usize::try_from(i).ok()?, char::from_u32(n)?);
        i += 1;
    }
    Some(out)
}

/// Encodes a label's characters as punycode (without `xn--`); `None` on overflow.
pub fn encode(input: &[char]) -> Option<String> {
    let mut out: String = input.iter().filter(|c| c.is_ascii()).collect();
    let basic = u32::try_from(out.len()).ok()?;
    if basic > 0 {
        out.push('-');
    }
    let total = u32::try_from(input.len()).ok()?;
    let (mut n, mut delta, mut bias, mut h) = (INITIAL_N, 0u32, INITIAL_BIAS, basic);
    while h < total {
        let m = input.iter().map(|&c| c as u32).filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(h + 1)?)?;
        n = m;
        for &c in input {
            let c = c as u32;
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = threshold(k, bias);
                    if q < t {
                        break;
                    }
                    out.push(digit_char(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit_char(q));
                bias = adapt(delta, h + 1, h == basic);
                delta = 0;
                h += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(out)
}

/// A character UTS 46 leaves as it is, so a Unicode label of them has exactly one ASCII
/// form: lowercase ASCII letters, digits and `-`, lowercase Latin-1 letters (not `ß`, which
/// transitional processing maps), lowercase Cyrillic, lowercase Greek (not final sigma),
/// CJK unified ideographs, hiragana and katakana.
pub fn plain(c: char) -> bool {
    matches!(c,
        'a'..='z' | '0'..='9' | '-'
        | '\u{E0}'..='\u{F6}' | '\u{F8}'..='\u{FF}'
        | '\u{430}'..='\u{45F}'
        | '\u{3B1}'..='\u{3C1}' | '\u{3C3}'..='\u{3C9}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}')
}

/// Why a label is refused, for the guard's message.
pub type LabelRefusal = String;

/// One label of a host in the form `fetch` sends (lowercase ASCII, international labels
/// as `xn--…`), or why it is refused.
pub fn ascii_label(label: &str) -> Result<String, LabelRefusal> {
    if label.is_ascii() {
        let lower = label.to_ascii_lowercase();
        if let Some(code) = lower.strip_prefix("xn--") {
            check_punycode(code).map_err(|why| format!("the label {lower:?} {why}"))?;
        }
        return Ok(lower);
    }
    // UTS 46 reads a label that begins `xn--` as punycode, which a non-ASCII one is not (the
    // fuzzer found `xn----caf-dpp6-0іnteex`, with a Cyrillic `і`).
    if label
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("xn--"))
    {
        return Err(format!(
            "the label {label:?} begins with xn-- but is not ASCII punycode"
        ));
    }
    if let Some(c) = label.chars().find(|&c| !plain(c)) {
        return Err(format!(
            "the label {label:?} has the character {c:?} (U+{:04X}), which the guard does not \
             take in Unicode; write the name in punycode (xn--...)",
            c as u32
        ));
    }
    let chars: Vec<char> = label.chars().collect();
    let code = encode(&chars).ok_or_else(|| format!("the label {label:?} is too long"))?;
    Ok(format!("xn--{code}"))
}

fn check_punycode(code: &str) -> Result<(), &'static str> {
    let decoded = decode(code).ok_or("is not valid punycode")?;
    if decoded.is_empty() {
        return Err("is empty punycode");
    }
    if decoded.iter().all(char::is_ascii) {
        return Err("is punycode of plain ASCII, which is not an international name");
    }
    if encode(&decoded).as_deref() != Some(code) {
        return Err("is not punycode in its canonical form");
    }
    // The same characters as a Unicode label: UTS 46 and IDNA 2008 refuse far more than a
    // short list can name (a leading combining mark, joiners, bidi rules), so anything else
    // would be a name the guard accepts and `fetch` refuses (the fuzzer found `xn--caf-dxme`,
    // two Tibetan marks before "caf").
    if !decoded.iter().all(|&c| plain(c)) {
        return Err(
            "decodes to a character the guard does not take (it takes lowercase \
                    Latin-1, Cyrillic, Greek, CJK ideographs and kana)",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn rfc_3492_and_known_names_round_trip() {
        let cases = [
            ("пример", "e1afmkfd"),
            ("рф", "p1ai"),
            ("café", "caf-dma"),
            // RFC 3492 7.1 (B) and (L): Chinese, and Russian.
            ("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"),
            (
                "почемужеонинеговорятпорусски",
                "b1abfaaepdrnnbgefbadotcwatmq2g4l",
            ),
            ("3年b組金八先生", "3b-ww4c5e180e575a65lsy2b"),
        ];
        for (text, code) in cases {
            let chars: Vec<char> = text.chars().collect();
            assert_eq!(encode(&chars).as_deref(), Some(code), "{text}");
            assert_eq!(decode(code), Some(chars), "{code}");
        }
    }

    #[test]
    fn labels_become_what_fetch_sends_or_are_refused() {
        let ok = [
            ("example", "example"),
            ("Example", "example"),
            ("пример", "xn--e1afmkfd"),
            ("рф", "xn--p1ai"),
            ("xn--e1afmkfd", "xn--e1afmkfd"),
            ("XN--P1AI", "xn--p1ai"),
            ("café", "xn--caf-dma"),
            ("xn--caf-dma", "xn--caf-dma"),
        ];
        for (label, want) in ok {
            assert_eq!(ascii_label(label).as_deref(), Ok(want), "{label}");
        }
        let refused = [
            ("xn--", "empty"),
            ("xn--zz", "not valid"),
            ("xn--abc-", "plain ASCII"),
            ("xn--a", "does not take"),
            ("xn--caf-dxme", "does not take"),
            ("xn--e1afmkfd-", "plain ASCII"),
            ("xn--ss-", "plain ASCII"),
            ("xn--99999999999", "not valid"),
            ("ПРИМЕР", "punycode"),
            ("ｅxample", "punycode"),
            ("\u{FF11}\u{FF12}\u{FF17}", "punycode"),
            ("stra\u{DF}e", "punycode"),
            ("a\u{200B}b", "punycode"),
            ("e\u{301}", "punycode"),
            ("xn--caf-d\u{456}x", "begins with xn--"),
            ("XN--\u{43F}", "begins with xn--"),
        ];
        for (label, why) in refused {
            let got = ascii_label(label);
            assert!(
                got.as_ref().is_err_and(|m| m.contains(why)),
                "{label}: {got:?}"
            );
        }
        // Uppercase inside punycode: decodes to a character fetch would map.
        let upper: Vec<char> = "Пример".chars().collect();
        let code = encode(&upper).unwrap_or_default();
        assert!(ascii_label(&format!("xn--{code}")).is_err(), "{code}");
    }
}
