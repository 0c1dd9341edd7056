//! Domain newtypes: values that passed `parse` and can be trusted from then on.
//!
//! Every type here has private fields and a `parse` that returns the [`Violation`] for the
//! JSON path it was given, so wire-level validation can collect all problems at once.
//!
//! | type           | accepts |
//! |----------------|---------|
//! | [`Money`]      | a non-negative amount in integer minor units (kopecks, pence); decimal text with at most 2 decimals |
//! | [`Plu`], [`ItemId`], [`RestaurantId`], [`ZoneId`] | non-empty after trimming, at most 64 characters; held trimmed |
//! | [`UtcOffset`]  | `±hh:mm`, e.g. `+03:00`, between `-23:59` and `+23:59` |
//! | [`HhMm`]       | `hh:mm`, `00:00` … `23:59` |
//! | [`Weekday`]    | `monday` … `sunday` (lower case, as JET Connect spells them) |

use crate::problem::Violation;
use std::fmt;

/// The largest number of whole units (roubles, pounds) a decimal amount may have: 13 digits
/// keeps every amount in minor units below 2^53, so its decimal text is exact in an `f64`.
const MAX_WHOLE_DIGITS: usize = 13;

/// A non-negative amount of money in integer minor units (kopecks for roubles, pence for
/// pounds). It is never computed through `f64`: decimal text is parsed digit by digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    /// Minor units as JET Connect sends them (`1550` = 15.50). Negative amounts are refused.
    pub fn from_minor(minor: i64, field: &str) -> Result<Money, Violation> {
        if minor < 0 {
            return Err(Violation::new(
                "negative_amount",
                Some(field),
                format!("must not be negative, got {minor}"),
            ));
        }
        if minor >= 10_i64.pow(MAX_WHOLE_DIGITS as u32 + 2) {
            return Err(Violation::new(
                "amount_too_large",
                Some(field),
                format!("{minor} is too large"),
            ));
        }
        Ok(Money(minor))
    }

    /// Parses a decimal amount of whole units, as Jupiter sends roubles: `500`, `2940.00`,
    /// `12.5`. Trailing zeros after the point are ignored (`1.500` = `1.50`); otherwise at
    /// most two decimals. Signs, exponents, blanks and anything but digits are refused.
    pub fn parse_decimal(text: &str, field: &str) -> Result<Money, Violation> {
        let bad = |code: &str, why: &str| {
            Err(Violation::new(
                code,
                Some(field),
                format!("{why}, got {text:?}"),
            ))
        };
        if text.starts_with('-') {
            return bad("negative_amount", "must not be negative");
        }
        if text.contains(['e', 'E']) {
            return bad("invalid_amount", "must be written without an exponent");
        }
        let (whole, fraction) = match text.split_once('.') {
            Some((w, f)) => (w, f.trim_end_matches('0')),
            None => (text, ""),
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) {
            return bad("invalid_amount", "must be a decimal number");
        }
        if fraction.len() > 2 {
            return bad("invalid_amount", "must have at most 2 decimals");
        }
        let whole = whole.trim_start_matches('0');
        if whole.len() > MAX_WHOLE_DIGITS {
            return bad("amount_too_large", "is too large");
        }
        let mut minor: i64 = 0;
        for b in whole.bytes().chain(fraction.bytes()) {
            minor = minor * 10 + i64::from(b - b'0');
        }
        for _ in fraction.len()..2 {
            minor *= 10;
        }
        Ok(Money(minor))
    }

    /// An exact amount from a JSON number of whole units (`500`, `893.5`, `22.05`), as
    /// Jupiter and Orderconnect write money. A whole number is read without formatting it, a
    /// fraction through [`cents_of`] (the amount its text reads, without formatting it),
    /// anything else through its text ([`Money::parse_decimal`], which words the violation):
    /// `15.5` and `15.50` are exact, `15.555` is refused. The one reading of money in JSON.
    pub fn from_json(n: &serde_json::Number, field: &str) -> Result<Money, Violation> {
        if let Some(whole) = n.as_u64() {
            let minor = i64::try_from(whole).ok().and_then(|w| w.checked_mul(100));
            if let Some(money) = minor.and_then(|m| Money::from_minor(m, field).ok()) {
                return Ok(money);
            }
        } else if let Some(money) = n.as_f64().and_then(cents_of) {
            return Ok(money);
        }
        Money::parse_decimal(&n.to_string(), field)
    }

    /// A signed amount in minor units (a marketplace discount line, `-4.78`): the sign, then
    /// the magnitude as [`Money::from_json`] reads it.
    pub fn signed_minor_from_json(n: &serde_json::Number, field: &str) -> Result<i64, Violation> {
        let text = n.to_string();
        match text.strip_prefix('-') {
            Some(magnitude) => Money::parse_decimal(magnitude, field).map(|m| -m.minor()),
            None => Money::from_json(n, field).map(Money::minor),
        }
    }

    pub fn minor(self) -> i64 {
        self.0
    }

    /// Whole units and the minor part, e.g. 294050 → (2940, 50).
    pub fn split(self) -> (i64, i64) {
        (self.0 / 100, self.0 % 100)
    }

    /// Decimal text of whole units: `2940` when there are no minor units, else `2940.50`.
    pub fn to_decimal_string(self) -> String {
        match self.split() {
            (whole, 0) => whole.to_string(),
            (whole, minor) => format!("{whole}.{minor:02}"),
        }
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    pub fn checked_mul(self, count: i64) -> Option<Money> {
        if count < 0 {
            return None;
        }
        self.0.checked_mul(count).map(Money)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_decimal_string())
    }
}

/// Longest identifier we accept (PLUs, restaurant and zone ids).
pub const MAX_ID_CHARS: usize = 64;

fn parse_id(raw: &str, field: &str, what: &str) -> Result<String, Violation> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(Violation::new(
            "missing",
            Some(field),
            format!("{what} must not be empty"),
        ));
    }
    if trimmed.chars().count() > MAX_ID_CHARS {
        return Err(Violation::new(
            "too_long",
            Some(field),
            format!("{what} must be at most {MAX_ID_CHARS} characters"),
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(Violation::new(
            "invalid_id",
            Some(field),
            format!("{what} must not contain control characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Trims the text; refuses empty, longer than 64 characters or control characters.
            pub fn parse(raw: &str, field: &str) -> Result<$name, Violation> {
                parse_id(raw, field, $what).map($name)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(
    /// A POS item id (price look-up): the join key between menu, availability and orders.
    Plu,
    "PLU"
);
id_type!(
    /// A Jupiter item id (`items[].id`, `modifiers[].id`, stop-list ids).
    ItemId,
    "item id"
);
id_type!(
    /// A restaurant id: Jupiter `places[].id`, or the POS-side id JET Connect uses.
    RestaurantId,
    "restaurant id"
);
id_type!(
    /// A delivery zone id (Jupiter `zones[].id`, passed in orders as `zone_id`).
    ZoneId,
    "zone id"
);

impl From<Plu> for ItemId {
    /// Menus ingested from JET Connect use the PLU as the Jupiter item id.
    fn from(plu: Plu) -> ItemId {
        ItemId(plu.0)
    }
}

/// A fixed offset from UTC, written `+03:00` or `-05:30`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UtcOffset {
    seconds: i32,
}

impl UtcOffset {
    pub fn parse(raw: &str, field: &str) -> Result<UtcOffset, Violation> {
        let bad = || {
            Err(Violation::new(
                "invalid_utc_offset",
                Some(field),
                format!("must look like +03:00, got {raw:?}"),
            ))
        };
        let &[sign, h1, h2, b':', m1, m2] = raw.as_bytes() else {
            return bad();
        };
        let sign = match sign {
            b'+' => 1,
            b'-' => -1,
            _ => return bad(),
        };
        let (Some(h), Some(m)) = (two_digits(&[h1, h2]), two_digits(&[m1, m2])) else {
            return bad();
        };
        if h > 23 || m > 59 {
            return bad();
        }
        Ok(UtcOffset {
            seconds: sign * (h * 3600 + m * 60),
        })
    }

    pub fn seconds(self) -> i32 {
        self.seconds
    }

    /// UTC itself.
    pub const UTC: UtcOffset = UtcOffset { seconds: 0 };

    /// An offset of whole seconds east of UTC, within `±23:59:59` (what a time zone's
    /// rules hand over).
    pub fn from_seconds(seconds: i32) -> Option<UtcOffset> {
        (seconds.abs() < 24 * 3600).then_some(UtcOffset { seconds })
    }

    /// The same offset as chrono sees it, for formatting `lastChange` values.
    pub fn to_fixed_offset(self) -> Option<chrono::FixedOffset> {
        chrono::FixedOffset::east_opt(self.seconds)
    }
}

impl fmt::Display for UtcOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.seconds < 0 { '-' } else { '+' };
        let abs = self.seconds.abs();
        write!(f, "{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60)
    }
}

fn two_digits(b: &[u8]) -> Option<i32> {
    match b {
        [t, u] if t.is_ascii_digit() && u.is_ascii_digit() => {
            Some(i32::from(t - b'0') * 10 + i32::from(u - b'0'))
        }
        _ => None,
    }
}

/// A time of day, `hh:mm` from `00:00` to `23:59`, held as minutes after midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HhMm(u16);

impl HhMm {
    pub fn parse(raw: &str, field: &str) -> Result<HhMm, Violation> {
        let parsed = match *raw.as_bytes() {
            [h1, h2, b':', m1, m2] => two_digits(&[h1, h2]).zip(two_digits(&[m1, m2])),
            _ => None,
        };
        match parsed {
            Some((h, m)) if h <= 23 && m <= 59 => Ok(HhMm((h * 60 + m) as u16)),
            _ => Err(Violation::new(
                "invalid_time",
                Some(field),
                format!("must be a time hh:mm between 00:00 and 23:59, got {raw:?}"),
            )),
        }
    }

    pub fn minutes(self) -> u16 {
        self.0
    }
}

impl fmt::Display for HhMm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// A day of the week as JET Connect names it in `availability` and `openingTimes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    pub fn parse(raw: &str, field: &str) -> Result<Weekday, Violation> {
        Weekday::ALL
            .into_iter()
            .find(|d| d.as_str() == raw)
            .ok_or_else(|| {
                Violation::new(
                    "invalid_day",
                    Some(field),
                    format!("{raw:?} is not a day name (monday … sunday)"),
                )
            })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Weekday::Monday => "monday",
            Weekday::Tuesday => "tuesday",
            Weekday::Wednesday => "wednesday",
            Weekday::Thursday => "thursday",
            Weekday::Friday => "friday",
            Weekday::Saturday => "saturday",
            Weekday::Sunday => "sunday",
        }
    }
}

/// The amount a JSON number with a fraction (`893.5`, `30.0`) stands for, without
/// formatting it: the `Money` that `Money::parse_decimal` reads from the number's text,
/// or `None` when that text would not be an amount of at most 2 decimals (the caller then
/// takes the text path, which also words the violation).
///
/// Why it is the same: serde_json writes an `f64` as its shortest decimal text that reads
/// back as the same `f64`. If `f` is the `f64` nearest to `m / 100` for a whole `m` and an
/// ulp of `f` is well below 0.01 (here `f < 2^40`, ulp ≤ 2^-13), that text is `m / 100`
/// written with its trailing zeros trimmed: any other text at most as long has at most 2
/// decimals too, so it is `k / 100` with `k ≠ m`, at least 0.01 from `m / 100`, and cannot
/// read back as `f`. When no such `m` exists the text has more than 2 decimals (or an
/// exponent), and the text path refuses it.
fn cents_of(f: f64) -> Option<Money> {
    // Positive sign only (`-0.0` is refused by the text path, as a negative amount).
    if !(f.is_sign_positive() && f < (1u64 << 40) as f64) {
        return None;
    }
    // Ties to even is one wasm instruction (`round` is a libm call there); a tie is never
    // a whole number of cents anyway, so the check below refuses it either way.
    let m = (f * 100.0).round_ties_even();
    if m / 100.0 != f {
        return None;
    }
    // m < 2^40 × 100 < 2^47: exact as an i64; from_minor applies the amount limit.
    Money::from_minor(m as i64, "").ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn decimal_amounts_become_exact_minor_units() {
        let cases = [
            ("500", 50_000),
            ("2940.00", 294_000),
            ("2940.0", 294_000),
            ("12.5", 1_250),
            ("12.05", 1_205),
            ("0.01", 1),
            ("0", 0),
            ("1.500", 150),
            ("007", 700),
            ("9999999999999.99", 999_999_999_999_999),
        ];
        for (text, minor) in cases {
            assert_eq!(
                Money::parse_decimal(text, "price").map(Money::minor),
                Ok(minor),
                "{text}"
            );
        }
    }

    #[test]
    fn malformed_or_negative_or_too_precise_amounts_are_refused() {
        let cases = [
            ("-1", "negative_amount"),
            ("1e2", "invalid_amount"),
            ("1E2", "invalid_amount"),
            ("12.345", "invalid_amount"),
            ("", "invalid_amount"),
            (".5", "invalid_amount"),
            ("+1", "invalid_amount"),
            ("1 000", "invalid_amount"),
            ("NaN", "invalid_amount"),
            ("10000000000000", "amount_too_large"),
        ];
        for (text, code) in cases {
            let got = Money::parse_decimal(text, "menu.items[0].price");
            assert_eq!(got.map_err(|v| v.code), Err(code.to_owned()), "{text}");
        }
    }

    #[test]
    fn json_numbers_are_read_as_their_text_reads_signed_where_asked() {
        let num = |t: &str| {
            serde_json::from_str::<serde_json::Number>(t).unwrap_or_else(|e| panic!("{t}: {e}"))
        };
        // (number, unsigned reading, signed reading)
        type Reading = Result<i64, &'static str>;
        let cases: [(&str, Reading, Reading); 11] = [
            ("500", Ok(50_000), Ok(50_000)),
            ("893.5", Ok(89_350), Ok(89_350)),
            ("22.05", Ok(2_205), Ok(2_205)),
            ("30.0", Ok(3_000), Ok(3_000)),
            ("0", Ok(0), Ok(0)),
            ("-4.78", Err("negative_amount"), Ok(-478)),
            ("-0.0", Err("negative_amount"), Ok(0)),
            ("15.555", Err("invalid_amount"), Err("invalid_amount")),
            // serde_json reads an exponent as an f64, written back as `1000.0`.
            ("1e3", Ok(100_000), Ok(100_000)),
            ("1e-7", Err("invalid_amount"), Err("invalid_amount")),
            (
                "10000000000000",
                Err("amount_too_large"),
                Err("amount_too_large"),
            ),
        ];
        for (text, unsigned, signed) in cases {
            let n = num(text);
            let code = |v: Violation| {
                assert_eq!(v.field.as_deref(), Some("cart.total"), "{text}");
                v.code
            };
            assert_eq!(
                Money::from_json(&n, "cart.total")
                    .map(Money::minor)
                    .map_err(code),
                unsigned.map_err(str::to_owned),
                "{text}"
            );
            assert_eq!(
                Money::signed_minor_from_json(&n, "cart.total").map_err(code),
                signed.map_err(str::to_owned),
                "{text} signed"
            );
        }
    }

    #[test]
    fn amounts_print_as_whole_units_when_there_are_no_minor_units() {
        let cases = [
            (50_000, "500"),
            (294_050, "2940.50"),
            (1_205, "12.05"),
            (1, "0.01"),
        ];
        for (minor, text) in cases {
            let money = Money::from_minor(minor, "x").map(|m| m.to_decimal_string());
            assert_eq!(money.as_deref(), Ok(text));
        }
        assert!(Money::from_minor(-1, "x").is_err());
    }

    #[test]
    fn ids_are_trimmed_non_empty_and_at_most_64_characters() {
        let long = "x".repeat(65);
        let max = "я".repeat(64);
        let cases: [(&str, Result<&str, &str>); 6] = [
            ("ABC1F", Ok("ABC1F")),
            ("  2B ", Ok("2B")),
            (&max, Ok(&max)),
            ("", Err("missing")),
            ("   ", Err("missing")),
            (&long, Err("too_long")),
        ];
        for (raw, want) in cases {
            let got = Plu::parse(raw, "plu");
            match want {
                Ok(s) => assert_eq!(got.as_ref().map(Plu::as_str), Ok(s)),
                Err(code) => assert_eq!(got.map_err(|v| v.code), Err(code.to_owned())),
            }
        }
        assert_eq!(
            RestaurantId::parse("a\u{0}b", "id").map_err(|v| v.code),
            Err("invalid_id".to_owned())
        );
        assert!(ZoneId::parse("028270", "id").is_ok());
    }

    #[test]
    fn utc_offsets_parse_and_print_back() {
        for text in ["+03:00", "-05:30", "+00:00", "+23:59"] {
            let offset = UtcOffset::parse(text, "utc_offset");
            assert_eq!(offset.map(|o| o.to_string()).as_deref(), Ok(text));
        }
        assert_eq!(
            UtcOffset::parse("+03:00", "f").map(|o| o.seconds()),
            Ok(10_800)
        );
        for text in ["03:00", "+3:00", "+24:00", "+03:60", "+0300", "", "+03:00 "] {
            assert!(UtcOffset::parse(text, "utc_offset").is_err(), "{text}");
        }
    }

    #[test]
    fn times_of_day_and_day_names_are_checked() {
        assert_eq!(HhMm::parse("23:59", "t").map(HhMm::minutes), Ok(1439));
        assert_eq!(HhMm::parse("00:00", "t").map(HhMm::minutes), Ok(0));
        for bad in ["24:00", "29:00", "12:60", "1:00", "12:0", "ab:cd", ""] {
            assert!(HhMm::parse(bad, "t").is_err(), "{bad}");
        }
        assert_eq!(Weekday::parse("sunday", "d"), Ok(Weekday::Sunday));
        for bad in ["Sunday", "sun", ""] {
            assert!(Weekday::parse(bad, "d").is_err(), "{bad}");
        }
    }
}
