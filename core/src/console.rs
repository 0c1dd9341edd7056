//! The operator console's reads (issue 19): the rules of `GET /admin/orders`' filters and
//! its keyset cursor, the "needs attention" reasons, a pause's reason, and the health
//! aggregates of `GET /admin/stats`. Pure: the edge passes the query's values and the rows.

use chrono::{DateTime, Datelike, Duration, DurationRound, NaiveDateTime, Utc};
use serde::Serialize;

use crate::domain::RestaurantId;
use crate::order::client::canonical_phone;
use crate::problem::Violation;

/// `limit` when none is given, and the most one page holds.
pub const LIST_DEFAULT: i64 = 20;
pub const LIST_MAX: i64 = 100;

/// The channels an order can come from, as stored.
pub const CHANNELS: [&str; 3] = ["site", "jet", "orderconnect"];
/// Jupiter's order statuses.
pub const STATUSES: [i64; 5] = [0, 5, 10, 20, 30];

/// A position in the newest-first list: the last order of a page, by `(created_at, rowid)`.
/// Callers see it as opaque lowercase hex of `created_at|rowid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub created_at: String,
    pub rowid: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        crate::hex::encode(format!("{}|{}", self.created_at, self.rowid).as_bytes())
    }

    /// The cursor `raw` encodes, or `None` when it is not one this module wrote.
    pub fn decode(raw: &str) -> Option<Cursor> {
        let bytes = hex_decode(raw.trim())?;
        let text = String::from_utf8(bytes).ok()?;
        let (created_at, rowid) = text.rsplit_once('|')?;
        DateTime::parse_from_rfc3339(created_at).ok()?;
        let rowid: i64 = rowid.parse().ok().filter(|n| *n > 0)?;
        if rowid.to_string() != text.rsplit_once('|')?.1 {
            return None;
        }
        Some(Cursor {
            created_at: created_at.to_owned(),
            rowid,
        })
    }
}

fn hex_decode(raw: &str) -> Option<Vec<u8>> {
    if raw.is_empty() || !raw.len().is_multiple_of(2) || raw.len() > 200 {
        return None;
    }
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    raw.as_bytes()
        .chunks(2)
        .map(|pair| match pair {
            [hi, lo] => Some(digit(*hi)? << 4 | digit(*lo)?),
            _ => None,
        })
        .collect()
}

/// What `q` searches: the order `number` and `external_id` as written, and, when `q` is a
/// phone, every stored spelling of it (`phones`, empty otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub text: String,
    pub phones: Vec<String>,
}

/// The stored phone spellings (orders keep the digits as written) whose `canonical_phone`
/// is `key`: the key itself, with the `00` international prefix, and for a Russian `7…`
/// number of 11 digits its trunk spelling `8…`.
pub fn phone_spellings(key: &str) -> Vec<String> {
    let mut out = vec![key.to_owned()];
    if key.len() <= 13 {
        out.push(format!("00{key}"));
    }
    if key.len() == 11 {
        if let Some(rest) = key.strip_prefix('7') {
            out.push(format!("8{rest}"));
        }
    }
    out
}

/// `GET /admin/orders`' parameters, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFilter {
    pub restaurant_id: Option<String>,
    pub channel: Option<&'static str>,
    pub external_id: Option<String>,
    pub status: Option<i64>,
    /// Inclusive, stored form (RFC 3339 UTC with milliseconds).
    pub from: Option<String>,
    /// Exclusive, stored form.
    pub to: Option<String>,
    pub attention: bool,
    pub q: Option<Search>,
    pub limit: i64,
    pub cursor: Option<Cursor>,
}

/// An instant as orders store it (`created_at`): RFC 3339 UTC with milliseconds.
pub fn stored_instant(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn bad(field: &str, raw: &str, why: &str) -> Violation {
    Violation::new("invalid_parameter", Some(field), format!("{raw:?} {why}"))
}

fn instant(field: &str, raw: &str, out: &mut Vec<Violation>) -> Option<String> {
    match DateTime::parse_from_rfc3339(raw.trim()) {
        Ok(at) => Some(stored_instant(at.with_timezone(&Utc))),
        Err(_) => {
            out.push(bad(
                field,
                raw,
                "is not an RFC 3339 time (2026-12-05T18:00:00Z)",
            ));
            None
        }
    }
}

/// Checks `GET /admin/orders`' parameters (`get` gives a parameter's value, absent or blank
/// as `None`): the filter, or every bad parameter at once.
pub fn order_filter<'a>(
    get: impl Fn(&str) -> Option<&'a str>,
) -> Result<OrderFilter, Vec<Violation>> {
    let mut out = Vec::new();
    let restaurant_id = get("restaurant_id").and_then(|raw| {
        RestaurantId::parse(raw, "restaurant_id")
            .map(|id| id.as_str().to_owned())
            .map_err(|v| out.push(v))
            .ok()
    });
    let channel = get("channel").and_then(|raw| {
        let found = CHANNELS.into_iter().find(|c| *c == raw.trim());
        if found.is_none() {
            out.push(bad("channel", raw, "is not one of site, jet, orderconnect"));
        }
        found
    });
    let status = get("status").and_then(|raw| {
        let found = raw
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| STATUSES.contains(n));
        if found.is_none() {
            out.push(bad("status", raw, "is not one of 0, 5, 10, 20, 30"));
        }
        found
    });
    let from = get("from").and_then(|raw| instant("from", raw, &mut out));
    let to = get("to").and_then(|raw| instant("to", raw, &mut out));
    if let (Some(f), Some(t)) = (&from, &to) {
        if f >= t {
            out.push(Violation::new(
                "invalid_parameter",
                Some("to"),
                format!("{t:?} is not after from {f:?}"),
            ));
        }
    }
    let attention = match get("attention").map(str::trim) {
        None | Some("false") => false,
        Some("true") => true,
        Some(raw) => {
            out.push(bad("attention", raw, "is not true or false"));
            false
        }
    };
    let q = get("q").map(|raw| {
        let text = raw.trim().to_owned();
        let phones = canonical_phone(&text)
            .map(|key| phone_spellings(&key))
            .unwrap_or_default();
        Search { text, phones }
    });
    if q.as_ref().is_some_and(|s| s.text.chars().count() > 100) {
        out.push(bad("q", "…", "is longer than 100 characters"));
    }
    let limit = match get("limit") {
        None => LIST_DEFAULT,
        Some(raw) => match raw.trim().parse::<i64>() {
            Ok(n) if (1..=LIST_MAX).contains(&n) => n,
            _ => {
                out.push(bad(
                    "limit",
                    raw,
                    &format!("is not a whole number from 1 to {LIST_MAX}"),
                ));
                LIST_DEFAULT
            }
        },
    };
    let cursor = get("cursor").and_then(|raw| {
        let found = Cursor::decode(raw);
        if found.is_none() {
            out.push(bad(
                "cursor",
                raw,
                "is not a cursor this API gave (next_cursor of a previous page)",
            ));
        }
        found
    });
    let external_id = get("external_id").map(|s| s.trim().to_owned());
    if !out.is_empty() {
        return Err(out);
    }
    Ok(OrderFilter {
        restaurant_id,
        channel,
        external_id,
        status,
        from,
        to,
        attention,
        q,
        limit,
        cursor,
    })
}

/// Why an order needs the operator, from what one query found about it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AttentionFacts {
    /// An outbound delivery of the order is dead.
    pub dead_delivery: bool,
    /// Upstream mode, Jupiter never took the order, and the hub is no longer trying.
    pub not_in_kitchen: bool,
    /// A JET order whose `sent-to-pos` outcome was failure.
    pub sent_to_pos_failed: bool,
}

/// The `attention` reasons of an order, in a fixed order (empty when none).
pub fn attention(facts: AttentionFacts) -> Vec<&'static str> {
    [
        (facts.dead_delivery, "dead_delivery"),
        (facts.not_in_kitchen, "not_in_kitchen"),
        (facts.sent_to_pos_failed, "sent_to_pos_failed"),
    ]
    .into_iter()
    .filter_map(|(yes, reason)| yes.then_some(reason))
    .collect()
}

/// A page of `limit` from `fetched` rows read with `limit + 1`: how many to show, and
/// whether there is a next page (whose cursor is the last shown row's).
pub fn page(fetched: usize, limit: i64) -> (usize, bool) {
    let limit = usize::try_from(limit).unwrap_or(0);
    (fetched.min(limit), fetched > limit)
}

/// A local `YYYY-MM-DDTHH:MM[:SS[.f]]`.
fn local_time(raw: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M"))
        .ok()
}

/// The most characters a pause's reason has.
pub const REASON_MAX: usize = 200;

/// A pause (`PUT /admin/restaurants/{id}/pause`) checked: the reason trimmed (1 to 200
/// characters) and `until`, a local time (`YYYY-MM-DDTHH:MM[:SS]`) after `local_now`.
pub fn pause(
    reason: Option<&str>,
    until: Option<&str>,
    local_now: NaiveDateTime,
) -> Result<(String, Option<NaiveDateTime>), Vec<Violation>> {
    let mut out = Vec::new();
    let reason = reason.map(str::trim).unwrap_or("");
    let count = reason.chars().count();
    if count == 0 {
        out.push(Violation::new(
            "missing_field",
            Some("reason"),
            "is required",
        ));
    } else if count > REASON_MAX {
        out.push(Violation::new(
            "invalid_reason",
            Some("reason"),
            format!("has {count} characters; at most {REASON_MAX}"),
        ));
    } else if reason.chars().any(char::is_control) {
        out.push(Violation::new(
            "invalid_reason",
            Some("reason"),
            "has a control character",
        ));
    }
    let until = until.and_then(|raw| match local_time(raw.trim()) {
        Some(at) if at > local_now && at.year() <= 9999 => Some(at),
        Some(at) if at > local_now => {
            out.push(Violation::new(
                "invalid_until",
                Some("until"),
                format!("{raw:?} is after the year 9999 ({})", at.year()),
            ));
            None
        }
        Some(_) => {
            out.push(Violation::new(
                "invalid_until",
                Some("until"),
                format!("{raw:?} is not in the future (the restaurant's time is {local_now})"),
            ));
            None
        }
        None => {
            out.push(Violation::new(
                "invalid_until",
                Some("until"),
                format!("{raw:?} is not a local time YYYY-MM-DDTHH:MM[:SS]"),
            ));
            None
        }
    });
    if out.is_empty() {
        Ok((reason.to_owned(), until))
    } else {
        Err(out)
    }
}

/// `GET /admin/stats`' window: the last 24 hours by hour, or the last 7 days by day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    Day,
    Week,
}

impl Window {
    /// `window` as given (`None`: the default, 24h).
    pub fn parse(raw: Option<&str>) -> Result<Window, Violation> {
        match raw.map(str::trim) {
            None | Some("24h") => Ok(Window::Day),
            Some("7d") => Ok(Window::Week),
            Some(other) => Err(bad("window", other, "is not 24h or 7d")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Window::Day => "24h",
            Window::Week => "7d",
        }
    }

    fn bucket(self) -> (&'static str, Duration, i32) {
        match self {
            Window::Day => ("hour", Duration::hours(1), 24),
            Window::Week => ("day", Duration::days(1), 7),
        }
    }

    /// `[from, to)`: whole UTC buckets, the last one the bucket `now` is in.
    pub fn bounds(self, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        let (_, size, count) = self.bucket();
        let current = now.duration_trunc(size).unwrap_or(now);
        let to = current + size;
        (to - size * count, to)
    }
}

/// The receivers whose attempt durations are the callback latency: status callbacks
/// (`status_url`) and the channels' calls to Just Eat (outcomes, delivery states, the
/// Partner API's async order result).
pub const LATENCY_RECEIVERS: [&str; 4] = [
    "site_status",
    "jet_sent_to_pos",
    "jet_delivery_state",
    "partner_order_callback",
];

/// Orders of one channel created in one UTC hour (`YYYY-MM-DDTHH`, as stored), failed or
/// not: the rows `GET /admin/stats` aggregates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HourCount {
    pub hour: String,
    pub channel: String,
    pub failed: bool,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub window: &'static str,
    pub bucket: &'static str,
    pub from: String,
    pub to: String,
    pub buckets: Vec<Bucket>,
    pub totals: Totals,
    pub callback_latency_ms: Latency,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChannelCounts {
    pub site: i64,
    pub jet: i64,
    pub orderconnect: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bucket {
    pub start: String,
    pub orders: ChannelCounts,
    pub failed: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Totals {
    pub orders: i64,
    pub failed: i64,
    /// `failed / orders` rounded half up to 4 decimals; 0 without orders.
    pub failed_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Latency {
    pub p50: Option<i64>,
    pub p95: Option<i64>,
    pub samples: usize,
}

/// The `p`-th percentile (0 < p ≤ 100) of `sorted` (ascending) by the nearest-rank method:
/// the value at rank `ceil(p / 100 × n)` (1-based); `None` when empty.
pub fn nearest_rank(sorted: &[i64], p: u32) -> Option<i64> {
    let n = sorted.len();
    let p = usize::try_from(p.clamp(1, 100)).unwrap_or(100);
    let rank = (p * n).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

fn share(failed: i64, orders: i64) -> f64 {
    if orders <= 0 {
        return 0.0;
    }
    let e4 = (failed * 10_000 * 2 + orders) / (orders * 2);
    e4 as f64 / 10_000.0
}

/// The health aggregates of `window` ending at `now`: every bucket (zeros included), oldest
/// first; hours outside the window and unknown channels are not counted.
pub fn stats(window: Window, now: DateTime<Utc>, counts: &[HourCount], latencies: &[i64]) -> Stats {
    let (name, size, count) = window.bucket();
    let (from, to) = window.bounds(now);
    let mut buckets: Vec<Bucket> = (0..count)
        .map(|i| Bucket {
            start: (from + size * i).format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            orders: ChannelCounts::default(),
            failed: 0,
        })
        .collect();
    let (mut total, mut failed) = (0, 0);
    for row in counts {
        let Ok(hour) = NaiveDateTime::parse_from_str(&format!("{}:00", row.hour), "%Y-%m-%dT%H:%M")
        else {
            continue;
        };
        let at = hour.and_utc();
        if at < from || at >= to {
            continue;
        }
        let index = (at - from).num_seconds() / size.num_seconds();
        let Some(bucket) = usize::try_from(index).ok().and_then(|i| buckets.get_mut(i)) else {
            continue;
        };
        let slot = match row.channel.as_str() {
            "site" => &mut bucket.orders.site,
            "jet" => &mut bucket.orders.jet,
            "orderconnect" => &mut bucket.orders.orderconnect,
            _ => continue,
        };
        *slot += row.count;
        total += row.count;
        if row.failed {
            bucket.failed += row.count;
            failed += row.count;
        }
    }
    let mut sorted = latencies.to_vec();
    sorted.sort_unstable();
    Stats {
        window: window.as_str(),
        bucket: name,
        from: from.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        to: to.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        buckets,
        totals: Totals {
            orders: total,
            failed,
            failed_share: share(failed, total),
        },
        callback_latency_ms: Latency {
            p50: nearest_rank(&sorted, 50),
            p95: nearest_rank(&sorted, 95),
            samples: sorted.len(),
        },
    }
}

/// `GET /admin/orders/{id}?personal=`: absent (the order as stored) or `masked`.
pub fn personal_masked(raw: Option<&str>) -> Result<bool, Violation> {
    match raw.map(str::trim) {
        None => Ok(false),
        Some("masked") => Ok(true),
        Some(other) => Err(bad("personal", other, "is not masked")),
    }
}

/// Whom an order's timeline, amendments and notes are shown as on the operator's read:
/// masked (`personal=masked`), as the public sees them (no driver's name or number).
pub fn extras_audience(masked: bool) -> crate::order::view::Audience {
    use crate::order::view::Audience;
    if masked {
        Audience::Public
    } else {
        Audience::Trusted
    }
}

/// A phone with every digit but the last two as `*` (other characters dropped).
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let keep = digits.len().saturating_sub(2);
    digits
        .iter()
        .enumerate()
        .map(|(i, d)| if i < keep { '*' } else { *d })
        .collect()
}

/// What stands for a masked name or address line.
pub const MASK: &str = "***";

/// A Jupiter `new_order` (as stored, JSON) with its personal data masked: the client's and
/// the recipient's phone (last two digits kept), name and e-mail, and the address lines and
/// coordinates (the zone stays: it is the restaurant's, not the client's).
pub fn mask_order(order: &mut serde_json::Value) {
    let Some(body) = order.get_mut("body") else {
        return;
    };
    for person in ["client", "recipient_name"] {
        if let Some(map) = body
            .get_mut(person)
            .and_then(serde_json::Value::as_object_mut)
        {
            for (key, value) in map.iter_mut() {
                let Some(text) = value.as_str() else { continue };
                *value = serde_json::Value::String(match key.as_str() {
                    "phone" => mask_phone(text),
                    _ => MASK.to_owned(),
                });
            }
        }
    }
    if let Some(map) = body
        .get_mut("address")
        .and_then(serde_json::Value::as_object_mut)
    {
        map.remove("coords");
        for (key, value) in map.iter_mut() {
            if key != "zone_id" && value.is_string() {
                *value = serde_json::Value::String(MASK.to_owned());
            }
        }
    }
}

#[cfg(test)]
mod tests;
