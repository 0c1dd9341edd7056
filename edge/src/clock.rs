//! The Worker's clock (`Date.now()`): the only place the edge reads the time. Core takes
//! `now` as an argument; the edge reads it here and passes it on.

use chrono::{DateTime, Utc};

/// Now, to the millisecond.
pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(now_millis()).unwrap_or_default()
}

/// Now in unix milliseconds.
pub fn now_millis() -> i64 {
    i64::try_from(worker::Date::now().as_millis()).unwrap_or_default()
}

/// Unix seconds as RFC 3339 in UTC (`2026-11-25T10:00:00Z`), for the operator's log.
pub fn rfc3339_secs(secs: i64) -> Option<String> {
    DateTime::from_timestamp(secs, 0).map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// Unix milliseconds as RFC 3339 in UTC with milliseconds.
pub fn rfc3339_millis(millis: i64) -> Option<String> {
    DateTime::from_timestamp_millis(millis)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}
