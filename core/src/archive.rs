//! Archiving (issue 21): D1 holds 10 GB per database, so orders in a final state and the
//! delivery log of no order leave it after a configurable age, for an object store
//! (the edge writes one gzip NDJSON object per batch to R2), and an index row per order
//! keeps each one findable.
//!
//! | rule | an order is kept in D1 while |
//! |------|------------------------------|
//! | final | its status is not final (30 delivered, 5 cancelled; `order::lifecycle`) |
//! | age | its last change (`updated_at`) is not older than the cutoff |
//! | deliveries | one of its deliveries is still pending (the outbox owes a call) |
//! | queries | one of Just Eat's queries about it is not answered |
//!
//! A delivery-log row of no order is archived when it is no longer pending and its last
//! change is older than the cutoff. A batch holds at most [`MAX_BATCH`] orders (the run's
//! `limit`, [`DEFAULT_BATCH`] per cron tick) and [`MAX_OBJECT_BYTES`] of NDJSON.

use chrono::{DateTime, Duration, Utc};

use crate::order::lifecycle::Status;
use crate::problem::Violation;

/// `ARCHIVE_AFTER_DAYS` when it is not set.
pub const DEFAULT_AFTER_DAYS: i64 = 90;
/// The largest `ARCHIVE_AFTER_DAYS` (ten years).
pub const MAX_AFTER_DAYS: i64 = 3650;
/// Orders per batch when the run names no `limit` (the cron's batch): one a minute is
/// 144,000 orders a day, above a 1,000-restaurant chain's ~100,000.
pub const DEFAULT_BATCH: usize = 100;
/// The largest batch: the object is built in isolate memory, and D1's batch that deletes
/// the rows grows with it.
pub const MAX_BATCH: usize = 100;
/// Delivery-log rows of no order per batch.
pub const MAX_LOG_ROWS: usize = 200;
/// The most NDJSON bytes one object holds (before compression).
pub const MAX_OBJECT_BYTES: usize = 8 * 1024 * 1024;
/// Batches listed per page by `GET /admin/archive` when it names no `limit`, and at most.
pub const DEFAULT_LIST: usize = 20;
pub const MAX_LIST: usize = 100;

/// The statuses after which nothing changes an order.
pub const FINAL: [Status; 2] = [Status::Delivered, Status::Cancelled];

/// Whether `status` (Jupiter's code) is final.
pub fn is_final(code: i64) -> bool {
    FINAL.iter().any(|s| s.code() == code)
}

/// `ARCHIVE_AFTER_DAYS`: blank is the default; otherwise a whole number from 1 to
/// [`MAX_AFTER_DAYS`].
pub fn after_days(text: &str) -> Result<i64, Violation> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(DEFAULT_AFTER_DAYS);
    }
    match text.parse::<i64>() {
        Ok(days) if (1..=MAX_AFTER_DAYS).contains(&days) => Ok(days),
        _ => Err(Violation::new(
            "invalid_setting",
            Some("ARCHIVE_AFTER_DAYS"),
            format!("must be a whole number from 1 to {MAX_AFTER_DAYS}, got {text:?}"),
        )),
    }
}

/// Rows whose last change is before this instant are old enough.
pub fn cutoff(now: DateTime<Utc>, after_days: i64) -> DateTime<Utc> {
    now - Duration::days(after_days.clamp(1, MAX_AFTER_DAYS))
}

/// What the edge read about an order that is old enough to look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub status: i64,
    pub updated_at: DateTime<Utc>,
    /// Its deliveries still pending in the outbox.
    pub open_deliveries: i64,
    /// Just Eat's queries about it not yet answered.
    pub open_queries: i64,
}

/// Why an order stays in D1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    NotFinal,
    TooRecent,
    OpenDelivery,
    PendingQuery,
}

impl Keep {
    pub fn as_str(self) -> &'static str {
        match self {
            Keep::NotFinal => "not_final",
            Keep::TooRecent => "too_recent",
            Keep::OpenDelivery => "open_delivery",
            Keep::PendingQuery => "pending_query",
        }
    }
}

/// Whether an order may be archived at `cutoff`, or why it stays.
pub fn decide(order: &Candidate, cutoff: DateTime<Utc>) -> Result<(), Keep> {
    if !is_final(order.status) {
        return Err(Keep::NotFinal);
    }
    if order.updated_at >= cutoff {
        return Err(Keep::TooRecent);
    }
    if order.open_deliveries > 0 {
        return Err(Keep::OpenDelivery);
    }
    if order.open_queries > 0 {
        return Err(Keep::PendingQuery);
    }
    Ok(())
}

/// Whether a delivery-log row of no order may be archived: delivered or dead (never
/// pending), last changed (unix seconds) before the cutoff.
pub fn log_row(status: &str, updated_at_secs: i64, cutoff: DateTime<Utc>) -> Result<(), Keep> {
    if status == "pending" {
        return Err(Keep::OpenDelivery);
    }
    if updated_at_secs >= cutoff.timestamp() {
        return Err(Keep::TooRecent);
    }
    Ok(())
}

/// How many NDJSON lines of these lengths (newline excluded) go in one object: at most
/// [`MAX_OBJECT_BYTES`], but always the first line (one line larger than the bound is a
/// batch of its own rather than never archived).
pub fn lines_that_fit(lengths: &[usize]) -> usize {
    let mut total = 0usize;
    let mut taken = 0usize;
    for len in lengths {
        total = total.saturating_add(len.saturating_add(1));
        if taken > 0 && total > MAX_OBJECT_BYTES {
            break;
        }
        taken += 1;
    }
    taken
}

/// The object a batch is stored as: `orders/YYYY/MM/DD/<time>-<first id>-<count>.ndjson.gz`
/// (`.ndjson` when stored uncompressed). The date and time are the run's, so a listing by
/// prefix finds a day's batches in order; the first row's id makes two runs in the same
/// millisecond distinct.
pub fn object_key(now: DateTime<Utc>, first_id: &str, count: usize, gzip: bool) -> String {
    let safe: String = first_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .take(64)
        .collect();
    format!(
        "orders/{}/{}-{}-{}.ndjson{}",
        now.format("%Y/%m/%d"),
        now.format("%Y%m%dT%H%M%S%.3fZ"),
        safe,
        count,
        if gzip { ".gz" } else { "" }
    )
}

/// A page size parameter (`limit`): blank is `default`; otherwise 1 to `max`.
pub fn limit(text: Option<&str>, default: usize, max: usize) -> Result<usize, Violation> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(default);
    };
    match text.parse::<usize>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(Violation::new(
            "invalid_parameter",
            Some("limit"),
            format!("must be a whole number from 1 to {max}, got {text:?}"),
        )),
    }
}

/// The parameters `POST /admin/archive/run` and `GET /admin/archive` know; any other one
/// is refused by name (a misspelt `limit` must not run a default batch).
pub fn unknown_parameters<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<Violation> {
    names
        .into_iter()
        .filter(|n| *n != "limit")
        .map(|n| Violation::new("unknown_parameter", Some(n), "is not a parameter here"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .unwrap()
    }

    fn old(status: i64) -> Candidate {
        Candidate {
            status,
            updated_at: at("2026-01-01T00:00:00Z"),
            open_deliveries: 0,
            open_queries: 0,
        }
    }

    #[test]
    fn only_final_old_and_settled_orders_are_archived() {
        let cut = at("2026-06-01T00:00:00Z");
        let cases: [(&str, Candidate, Result<(), Keep>); 9] = [
            ("delivered", old(30), Ok(())),
            ("cancelled", old(5), Ok(())),
            ("new", old(0), Err(Keep::NotFinal)),
            ("cooking", old(10), Err(Keep::NotFinal)),
            ("delivering", old(20), Err(Keep::NotFinal)),
            (
                "changed after the cutoff",
                Candidate {
                    updated_at: at("2026-06-01T00:00:00.001Z"),
                    ..old(30)
                },
                Err(Keep::TooRecent),
            ),
            (
                "changed at the cutoff",
                Candidate {
                    updated_at: cut,
                    ..old(30)
                },
                Err(Keep::TooRecent),
            ),
            (
                "a pending delivery",
                Candidate {
                    open_deliveries: 1,
                    ..old(30)
                },
                Err(Keep::OpenDelivery),
            ),
            (
                "an open Just Eat query",
                Candidate {
                    open_queries: 2,
                    ..old(5)
                },
                Err(Keep::PendingQuery),
            ),
        ];
        for (name, candidate, want) in cases {
            assert_eq!(decide(&candidate, cut), want, "{name}");
        }
    }

    #[test]
    fn a_log_row_goes_once_settled_and_old() {
        let cut = at("2026-06-01T00:00:00Z");
        let before = cut.timestamp() - 1;
        assert_eq!(log_row("delivered", before, cut), Ok(()));
        assert_eq!(log_row("dead", before, cut), Ok(()));
        assert_eq!(log_row("pending", before, cut), Err(Keep::OpenDelivery));
        assert_eq!(
            log_row("delivered", cut.timestamp(), cut),
            Err(Keep::TooRecent)
        );
    }

    #[test]
    fn the_age_setting_is_whole_days_within_bounds() {
        for (text, want) in [
            ("", Some(90)),
            (" 30 ", Some(30)),
            ("1", Some(1)),
            ("3650", Some(3650)),
        ] {
            assert_eq!(after_days(text).ok(), want, "{text:?}");
        }
        for text in ["0", "-1", "3651", "ninety", "1.5"] {
            let err = after_days(text).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("ARCHIVE_AFTER_DAYS"), "{text:?}");
        }
        assert_eq!(
            cutoff(at("2026-12-05T00:00:00Z"), 90),
            at("2026-09-06T00:00:00Z")
        );
    }

    #[test]
    fn a_batch_is_bounded_by_count_and_bytes() {
        assert_eq!(limit(None, 25, 100).unwrap(), 25);
        const { assert!(DEFAULT_BATCH <= MAX_BATCH) };
        assert_eq!(limit(Some("100"), 25, 100).unwrap(), 100);
        assert_eq!(limit(Some(" 1 "), 25, 100).unwrap(), 1);
        for bad in ["0", "101", "-1", "many"] {
            let err = limit(Some(bad), 25, 100).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("limit"), "{bad}");
        }
        assert_eq!(lines_that_fit(&[10, 20, 30]), 3);
        assert_eq!(lines_that_fit(&[]), 0);
        let half = MAX_OBJECT_BYTES / 2;
        assert_eq!(lines_that_fit(&[half, half, 1]), 1);
        assert_eq!(lines_that_fit(&[MAX_OBJECT_BYTES * 2, 1]), 1);
        assert!(unknown_parameters(["limit"]).is_empty());
        let bad = unknown_parameters(["limit", "limt"]);
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].field.as_deref(), Some("limt"));
    }

    #[test]
    fn objects_are_named_by_day_time_and_first_row() {
        let now = at("2026-12-05T22:05:01.250Z");
        assert_eq!(
            object_key(now, "ord_0a1b", 3, true),
            "orders/2026/12/05/20261205T220501.250Z-ord_0a1b-3.ndjson.gz"
        );
        assert_eq!(
            object_key(now, "../x y", 1, false),
            "orders/2026/12/05/20261205T220501.250Z-xy-1.ndjson"
        );
        assert_ne!(
            object_key(now, "ord_a", 1, true),
            object_key(now, "ord_b", 1, true)
        );
    }
}
