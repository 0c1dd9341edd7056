//! Input is what it claims to be: the one check every JSON body the hub accepts passes at
//! the door (issue 22, point 4), before any handler parses it, and the field path of a
//! serde error.
//!
//! serde_json checks only what it reads: a string in a field the hub ignores is skipped
//! without its UTF-8 being checked, and a number there is skipped without being read, so
//! `{"zz": "\xff"}` or `{"zz": 1e400}` would pass. [`check`] walks the whole body once,
//! without building a `serde_json::Value`, and refuses
//!
//! * a string (value or key) that is not UTF-8 (`invalid_utf8`),
//! * a `\u` escape that is a lone surrogate, so no character (`invalid_utf8`),
//! * a number whose value is not a finite `f64` (`1e400`, a 400-digit integer):
//!   `non_finite_number`,
//!
//! each violation naming the field path (`cart.items[2].name`, `[1].id` in an array body)
//! and the reason. A body that is not JSON at all is left to the parser, whose message
//! says where (nothing is refused here that the parser would refuse anyway).
//!
//! [`locate`] turns a serde_json data error (a string where a number belongs) into the
//! path of the field it concerns, by walking the body to the error's position: the error
//! path costs a second walk, the accepted path nothing.

use crate::problem::Violation;

/// serde_json's own nesting limit: a deeper body is refused by the parser.
const MAX_DEPTH: usize = 128;
/// At most this many violations are listed (a body full of bad bytes says enough by then).
const MAX_FOUND: usize = 20;
/// An integer part of at most this many digits, without exponent, is a finite `f64`
/// (`f64::MAX` ≈ 1.8e308 has 309).
const FINITE_DIGITS: usize = 308;

/// Every string and number of `bytes` checked: `Ok` for a body that is not JSON (the parser
/// says why), or every violation found.
pub fn check(bytes: &[u8]) -> Result<(), Vec<Violation>> {
    let mut walk = Walk::new(bytes, None);
    // A syntax error stops the walk; the parser reports it.
    let _ = walk.document();
    if walk.found.is_empty() {
        Ok(())
    } else {
        Err(walk.found)
    }
}

/// serde_json's error for a body that is not UTF-8 (JSON is UTF-8, RFC 8259: such a body
/// never parses), with the line and column of the first bad byte where serde_json reads it.
///
/// The typed parsers read a UTF-8 body as `&str` and send any other body here instead of
/// to a second, `&[u8]` instantiation of the same typed parser: that copy was most of the
/// order's and the menu's parse code twice over in the Worker (`make bench-size`). The
/// code reading a [`serde_json::Value`] from bytes is in the module anyway.
pub fn not_utf8_error(bytes: &[u8]) -> serde_json::Error {
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Err(err) => err,
        // Not reached for a body that is not UTF-8; said plainly if it ever were.
        Ok(_) => serde::de::Error::custom("the body is not UTF-8"),
    }
}

/// The field path (`cart.items[0].cost`) of the value a serde_json error at `line`,
/// `column` (as [`serde_json::Error`] reports them) concerns, if any: the innermost value
/// or key that ends at that position. `None` for the document itself or no position.
pub fn locate(bytes: &[u8], line: usize, column: usize) -> Option<String> {
    let offset = offset_of(bytes, line, column)?;
    // serde_json reports the position just after the token it could not take (a string
    // where a number belongs), or at it (a map where a sequence belongs): the deeper of the
    // two is the field.
    let at = |target: usize| {
        let mut walk = Walk::new(bytes, Some(target));
        let _ = walk.document();
        walk.hit
    };
    let before = offset.checked_sub(1).and_then(at);
    let after = at(offset);
    let deeper = match (before, after) {
        (Some(b), Some(a)) => Some(if a.0 > b.0 { a } else { b }),
        (b, a) => b.or(a),
    };
    deeper.map(|(_, path)| path).filter(|p| !p.is_empty())
}

/// The path of a serde_json error's field in `bytes`, for data errors only (a syntax
/// error's position is where the text stops being JSON, not a field).
pub fn locate_error(bytes: &[u8], err: &serde_json::Error) -> Option<String> {
    match err.classify() {
        serde_json::error::Category::Data => locate(bytes, err.line(), err.column()),
        _ => None,
    }
}

/// The byte spans of the elements of a top-level JSON array (empty for anything else).
pub fn array_elements(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut walk = Walk::new(bytes, None);
    walk.spans = Some(Vec::new());
    let _ = walk.document();
    walk.spans.unwrap_or_default()
}

fn offset_of(bytes: &[u8], line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let mut start = 0;
    for _ in 1..line {
        start += bytes.get(start..)?.iter().position(|&b| b == b'\n')? + 1;
    }
    let offset = start + column;
    (offset <= bytes.len()).then_some(offset)
}

/// One step of a field path.
#[derive(Clone, Copy)]
enum Seg {
    /// A key, as the byte span of its text (escapes and all) in the body.
    Key(usize, usize),
    Index(usize),
}

/// The walk stopped: the body is not JSON (or nests deeper than the parser allows).
struct Stop;

struct Walk<'a> {
    b: &'a [u8],
    i: usize,
    path: Vec<Seg>,
    found: Vec<Violation>,
    target: Option<usize>,
    /// The depth and path of the innermost value or key at `target`.
    hit: Option<(usize, String)>,
    /// Collecting the spans of a top-level array's elements.
    spans: Option<Vec<(usize, usize)>>,
}

impl<'a> Walk<'a> {
    fn new(b: &'a [u8], target: Option<usize>) -> Walk<'a> {
        Walk {
            b,
            i: 0,
            path: Vec::new(),
            found: Vec::new(),
            target,
            hit: None,
            spans: None,
        }
    }

    fn document(&mut self) -> Result<(), Stop> {
        self.value(0)
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    fn peek(&self) -> Result<u8, Stop> {
        self.b.get(self.i).copied().ok_or(Stop)
    }

    fn value(&mut self, depth: usize) -> Result<(), Stop> {
        self.ws();
        let start = self.i;
        match self.peek()? {
            b'{' => self.object(depth + 1)?,
            b'[' => self.array(depth + 1)?,
            b'"' => {
                let (s, e) = self.string()?;
                self.text(s, e, false);
            }
            b'-' | b'0'..=b'9' => self.number()?,
            b't' => self.literal(b"true")?,
            b'f' => self.literal(b"false")?,
            b'n' => self.literal(b"null")?,
            _ => return Err(Stop),
        }
        self.mark(start);
        Ok(())
    }

    /// Records the current path when the target position lies in `start..self.i` (the
    /// innermost value first, since children finish before their parents).
    fn mark(&mut self, start: usize) {
        if let Some(t) = self.target {
            if self.hit.is_none() && start <= t && t < self.i {
                self.hit = Some((self.path.len(), self.path_text()));
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), Stop> {
        if self.b.get(self.i..self.i + word.len()) == Some(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err(Stop)
        }
    }

    fn object(&mut self, depth: usize) -> Result<(), Stop> {
        if depth > MAX_DEPTH {
            return Err(Stop);
        }
        self.i += 1;
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.ws();
            if self.peek()? != b'"' {
                return Err(Stop);
            }
            let key_start = self.i;
            let (s, e) = self.string()?;
            self.path.push(Seg::Key(s, e));
            self.text(s, e, true);
            self.mark(key_start);
            self.ws();
            if self.peek()? != b':' {
                return Err(Stop);
            }
            self.i += 1;
            let member = self.value(depth);
            self.path.pop();
            member?;
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(Stop),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), Stop> {
        if depth > MAX_DEPTH {
            return Err(Stop);
        }
        self.i += 1;
        self.ws();
        if self.peek()? == b']' {
            self.i += 1;
            return Ok(());
        }
        let mut index = 0;
        loop {
            self.path.push(Seg::Index(index));
            self.ws();
            let start = self.i;
            let element = self.value(depth);
            self.path.pop();
            element?;
            if depth == 1 {
                let end = self.i;
                if let Some(spans) = self.spans.as_mut() {
                    spans.push((start, end));
                }
            }
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(Stop),
            }
            index += 1;
        }
    }

    /// Reads a string at its opening quote; returns the span of its text. A lone surrogate
    /// escape is recorded as found; a bad escape or a control character stops the walk.
    fn string(&mut self) -> Result<(usize, usize), Stop> {
        self.i += 1;
        let start = self.i;
        loop {
            // Plain ASCII text is the common case: skip it in one tight loop.
            while let Some(&c) = self.b.get(self.i) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            match self.peek()? {
                b'"' => {
                    let end = self.i;
                    self.i += 1;
                    return Ok((start, end));
                }
                b'\\' => self.escape()?,
                _ => return Err(Stop),
            }
        }
    }

    fn escape(&mut self) -> Result<(), Stop> {
        self.i += 1;
        match self.peek()? {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {
                self.i += 1;
                Ok(())
            }
            b'u' => {
                self.i += 1;
                let unit = self.hex4()?;
                let lone = match unit {
                    0xD800..=0xDBFF => {
                        if self.b.get(self.i..self.i + 2) == Some(b"\\u") {
                            let back = self.i;
                            self.i += 2;
                            let low = self.hex4()?;
                            if (0xDC00..=0xDFFF).contains(&low) {
                                false
                            } else {
                                // Let the next escape be read as its own.
                                self.i = back;
                                true
                            }
                        } else {
                            true
                        }
                    }
                    0xDC00..=0xDFFF => true,
                    _ => false,
                };
                if lone {
                    let at = self.i;
                    self.violation(
                        "invalid_utf8",
                        format!(
                            "the escape \\u{unit:04X} at byte {} is a lone surrogate, not a character",
                            at - 6
                        ),
                    );
                }
                Ok(())
            }
            _ => Err(Stop),
        }
    }

    fn hex4(&mut self) -> Result<u32, Stop> {
        let digits = self.b.get(self.i..self.i + 4).ok_or(Stop)?;
        let mut unit = 0u32;
        for &d in digits {
            let v = (d as char).to_digit(16).ok_or(Stop)?;
            unit = unit * 16 + v;
        }
        self.i += 4;
        Ok(unit)
    }

    /// Checks a string's text (`s..e`) is UTF-8; `key` when it is an object's key.
    fn text(&mut self, s: usize, e: usize, key: bool) {
        let raw = self.b.get(s..e).unwrap_or_default();
        if raw.is_ascii() {
            return;
        }
        if let Err(err) = std::str::from_utf8(raw) {
            let at = s + err.valid_up_to();
            let what = if key { "key" } else { "string" };
            let message = format!(
                "the {what} is not valid UTF-8 (byte 0x{:02X} at byte {at} of the body)",
                self.b.get(at).copied().unwrap_or_default()
            );
            self.violation("invalid_utf8", message);
        }
    }

    fn number(&mut self) -> Result<(), Stop> {
        let start = self.i;
        if self.b.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        let int_start = self.i;
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => self.digits(),
            _ => return Err(Stop),
        }
        let int_digits = self.i - int_start;
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if !self.peek()?.is_ascii_digit() {
                return Err(Stop);
            }
            self.digits();
        }
        let mut exponent = false;
        if let Some(b'e' | b'E') = self.b.get(self.i) {
            exponent = true;
            self.i += 1;
            if let Some(b'+' | b'-') = self.b.get(self.i) {
                self.i += 1;
            }
            if !self.peek()?.is_ascii_digit() {
                return Err(Stop);
            }
            self.digits();
        }
        if exponent || int_digits > FINITE_DIGITS {
            let text = self
                .b
                .get(start..self.i)
                .and_then(|t| std::str::from_utf8(t).ok())
                .unwrap_or("0");
            let finite = text.parse::<f64>().map(f64::is_finite).unwrap_or(false);
            if !finite {
                let shown: String = text.chars().take(24).collect();
                let more = if text.len() > 24 { "…" } else { "" };
                self.violation(
                    "non_finite_number",
                    format!("the number {shown}{more} is beyond the range of a finite number (at most about 1.8e308)"),
                );
            }
        }
        Ok(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    fn violation(&mut self, code: &str, message: String) {
        if self.found.len() < MAX_FOUND {
            let field = self.path_text();
            let field = (!field.is_empty()).then_some(field);
            self.found
                .push(Violation::new(code, field.as_deref(), message));
        }
    }

    /// The current path as text: keys joined by `.`, indexes as `[i]`.
    fn path_text(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match *seg {
                Seg::Key(s, e) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(&String::from_utf8_lossy(
                        self.b.get(s..e).unwrap_or_default(),
                    ));
                }
                Seg::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    type Found = Vec<(String, Option<String>)>;

    fn fields(body: &[u8]) -> Found {
        match check(body) {
            Ok(()) => vec![],
            Err(found) => found.into_iter().map(|v| (v.code, v.field)).collect(),
        }
    }

    #[test]
    fn every_string_and_number_is_checked_wherever_it_is() {
        let s = |c: &str, f: Option<&str>| (c.to_owned(), f.map(str::to_owned));
        let cases: Vec<(&[u8], Found)> = vec![
            // Passing: what a real body holds, however unusual.
            (
                br#"{"a": "b", "n": [1, -2.5, 1e300, 0.1e-400, 12345678901234567890123]}"#,
                vec![],
            ),
            (
                "{\"name\": \"пример ✓ 😀\", \"k\": \"\\ud83d\\ude00\"}".as_bytes(),
                vec![],
            ),
            (br#"[{"id": 1}, {"id": "x"}]"#, vec![]),
            (b"", vec![]),
            // Not JSON: left to the parser.
            (b"{\"a\": ", vec![]),
            (b"nonsense", vec![]),
            // Failing: anywhere in the body.
            (b"{\"zz\": \"\xff\"}", vec![s("invalid_utf8", Some("zz"))]),
            (
                b"{\"a\": {\"b\": [1, \"ok\", \"x\xc3\"]}}",
                vec![s("invalid_utf8", Some("a.b[2]"))],
            ),
            (
                b"{\"k\xff\": 1}",
                vec![s("invalid_utf8", Some("k\u{fffd}"))],
            ),
            (
                br#"{"zz": 1e400}"#,
                vec![s("non_finite_number", Some("zz"))],
            ),
            (
                br#"{"zz": -1E+309}"#,
                vec![s("non_finite_number", Some("zz"))],
            ),
            (
                br#"[{"ok": 1}, {"cost": 2e999}]"#,
                vec![s("non_finite_number", Some("[1].cost"))],
            ),
            (br#"{"s": "\ud800"}"#, vec![s("invalid_utf8", Some("s"))]),
            (
                br#"{"s": "\udc00\u0041"}"#,
                vec![s("invalid_utf8", Some("s"))],
            ),
            (
                br#"{"s": "\ud800\u0041"}"#,
                vec![s("invalid_utf8", Some("s"))],
            ),
            (
                b"{\"a\": \"\xfe\", \"b\": 1e999}",
                vec![
                    s("invalid_utf8", Some("a")),
                    s("non_finite_number", Some("b")),
                ],
            ),
            (b"\"\xff\"", vec![s("invalid_utf8", None)]),
        ];
        for (body, want) in cases {
            assert_eq!(fields(body), want, "{}", String::from_utf8_lossy(body));
        }
        // A 400-digit integer is as infinite as 1e400.
        let long = format!("{{\"n\": 1{}}}", "0".repeat(400));
        assert_eq!(
            fields(long.as_bytes()),
            vec![s("non_finite_number", Some("n"))]
        );
        let fine = format!("{{\"n\": 1{}}}", "0".repeat(300));
        assert_eq!(fields(fine.as_bytes()), vec![]);
    }

    #[test]
    fn a_violation_says_the_reason() {
        let found = check(b"{\"zz\": \"a\xff\"}").err().unwrap_or_default();
        assert!(found[0].message.contains("not valid UTF-8"), "{found:?}");
        assert!(found[0].message.contains("0xFF"), "{found:?}");
        let found = check(br#"{"zz": 1e400}"#).err().unwrap_or_default();
        assert!(found[0].message.contains("1e400"), "{found:?}");
    }

    #[test]
    fn what_the_parser_accepts_passes_the_door() {
        // Everything serde_json reads into a Value fully passes the check as well.
        for body in [
            &br#"{"a": [true, false, null, {"b": "\"\\\/\b\f\n\r\t\u00e9"}], "c": -0}"#[..],
            br#"  [ ]  "#,
            br#"{}"#,
        ] {
            assert!(serde_json::from_slice::<serde_json::Value>(body).is_ok());
            assert_eq!(check(body), Ok(()));
        }
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        cost: Option<serde_json::Number>,
        count: Option<u32>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Doc {
        cart: Option<Vec<Item>>,
        name: Option<String>,
        #[serde(rename = "type")]
        kind: Option<Kind>,
    }

    #[derive(Debug, serde::Deserialize)]
    enum Kind {
        A,
    }

    #[test]
    fn a_type_error_is_located_at_its_field() {
        let cases: [(&str, Option<&str>); 7] = [
            (r#"{"cart": [{"cost": "NaN"}]}"#, Some("cart[0].cost")),
            (
                "{\n  \"name\": \"x\",\n  \"cart\": [\n    {\"cost\": 1},\n    {\"count\": -1}\n  ]\n}",
                Some("cart[1].count"),
            ),
            (r#"{"name": 5}"#, Some("name")),
            (r#"{"type": "B"}"#, Some("type")),
            (r#"{"cart": {"cost": 1}}"#, Some("cart")),
            // A struct read from an array: its first field is the first element.
            (r#"[1]"#, Some("[0]")),
            (r#"{"cart": [{"cost": 1}, 7]}"#, Some("cart[1]")),
        ];
        for (body, want) in cases {
            let err = serde_json::from_str::<Doc>(body).err();
            let got = err.as_ref().and_then(|e| locate_error(body.as_bytes(), e));
            assert_eq!(got.as_deref(), want, "{body}: {err:?}");
        }
        // A syntax error is not a field's.
        let err = serde_json::from_str::<Doc>(r#"{"name": "x",}"#).err();
        assert_eq!(
            err.and_then(|e| locate_error(br#"{"name": "x",}"#, &e)),
            None
        );
    }

    #[test]
    fn the_elements_of_an_array_body_are_found() {
        let body = br#" [ {"a": 1} , 2,"x" ] "#;
        let spans = array_elements(body);
        let texts: Vec<&[u8]> = spans.iter().map(|&(s, e)| &body[s..e]).collect();
        assert_eq!(texts, vec![&br#"{"a": 1}"#[..], b"2", b"\"x\""]);
        assert!(array_elements(br#"{"a": [1]}"#).is_empty());
    }

    #[test]
    fn a_body_that_is_not_utf8_gets_serde_jsons_error_for_the_bad_byte() {
        // The typed parsers (order, JET menus) send such a body here instead of to a
        // second, byte-reading copy of themselves.
        let err = not_utf8_error(b"{\"name\": \"caf\xe9\"}");
        assert!(err.to_string().contains("line 1"), "{err}");
        assert!(!err.is_data(), "{err}");
        let order = crate::order::wire::parse(b"{\"name\": \"caf\xe9\"}");
        assert_eq!(order.map_err(|v| v.code), Err("invalid_json".to_owned()));
        let menu = crate::jet::wire::parse_menus(b"{\"menus\": [\"\xff\"]}");
        let codes: Vec<String> = menu
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|v| v.code)
            .collect();
        assert_eq!(codes, vec!["malformed_json".to_owned()]);
        // A body that is UTF-8 but not JSON is still refused by the typed parser itself.
        assert!(crate::order::wire::parse(b"{").is_err());
    }
}
