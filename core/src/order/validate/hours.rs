//! The time rules: opening hours and service times at an instant, the local time an
//! order names, and how far ahead a preorder may be.

use crate::catalog::{is_online, local_to_utc};
use crate::domain::Weekday;
use crate::jet::validate::{OpeningHours, ServiceType};
use crate::jupiter::Zone;
use crate::order::wire::OrderBody;
use crate::problem::Violations;
use chrono::{DateTime, Datelike, Duration, NaiveDateTime, Timelike, Utc};
use std::collections::BTreeMap;

use super::*;

/// Parses Jupiter's local `YYYY-MM-DD HH:MM:SS` (or without seconds).
pub fn parse_local(raw: &str) -> Option<NaiveDateTime> {
    let raw = raw.trim();
    if let Some(t) = parse_local_plain(raw) {
        return Some(t);
    }
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M"))
        .ok()
}

/// The common spelling `YYYY-MM-DD HH:MM[:SS]`, digits exactly there, read without
/// interpreting a format string (chrono's `parse_from_str` does, on every call). A valid
/// date and time so written is what chrono reads too; anything else (`None` here: other
/// widths, a leap second, an impossible date) goes to chrono, which decides.
pub(super) fn parse_local_plain(raw: &str) -> Option<NaiveDateTime> {
    let b = raw.as_bytes();
    let shape = match b.len() {
        19 => b"dddd-dd-dd dd:dd:dd".as_slice(),
        16 => b"dddd-dd-dd dd:dd".as_slice(),
        _ => return None,
    };
    let fits = b.iter().zip(shape).all(|(&c, &s)| match s {
        b'd' => c.is_ascii_digit(),
        _ => c == s,
    });
    if !fits {
        return None;
    }
    let num = |from: usize, to: usize| {
        b.get(from..to)
            .map(|d| d.iter().fold(0u32, |n, c| n * 10 + u32::from(c - b'0')))
    };
    let date =
        chrono::NaiveDate::from_ymd_opt(i32::try_from(num(0, 4)?).ok()?, num(5, 7)?, num(8, 10)?)?;
    let seconds = if b.len() == 19 { num(17, 19)? } else { 0 };
    date.and_hms_opt(num(11, 13)?, num(14, 16)?, seconds)
}

/// Whether a restaurant is open at a local second of the day, from Jupiter's `start_time`
/// and `end_time` (seconds since local midnight). No hours given → always open. An end at
/// or before the start means the restaurant closes after midnight (`end == start` is open
/// round the clock). The start is inside, the end is not.
pub fn open_at(start: Option<i64>, end: Option<i64>, second_of_day: i64) -> bool {
    let (Some(start), Some(end)) = (start, end) else {
        return true;
    };
    let t = second_of_day;
    if end > start {
        t >= start && t < end
    } else {
        t >= start || t < end
    }
}

pub(super) fn weekday(t: NaiveDateTime) -> Weekday {
    match t.weekday() {
        chrono::Weekday::Mon => Weekday::Monday,
        chrono::Weekday::Tue => Weekday::Tuesday,
        chrono::Weekday::Wed => Weekday::Wednesday,
        chrono::Weekday::Thu => Weekday::Thursday,
        chrono::Weekday::Fri => Weekday::Friday,
        chrono::Weekday::Sat => Weekday::Saturday,
        chrono::Weekday::Sun => Weekday::Sunday,
    }
}

/// End of a window in seconds after the local midnight of the day it opens. A window
/// whose closing time is before its opening time (the only kind
/// [`validate_service_times`](crate::jet::validate::validate_service_times) accepts as
/// crossing; equal times are refused there) runs past midnight into the next day. A
/// closing time of `23:59` is read as the end of the day, as that validator's advice
/// ("use `00:00`–`23:59` for a whole day") intends; an equal pair, which it refuses, is
/// treated as empty.
pub(super) fn window_secs(w: OpeningHours) -> (i64, i64) {
    if w.opens == w.closes {
        return (0, 0);
    }
    let opens = i64::from(w.opens.minutes()) * 60;
    let closes = i64::from(w.closes.minutes()) * 60;
    let closes = if closes == 23 * 3600 + 59 * 60 {
        86_400
    } else {
        closes
    };
    if w.crosses_midnight() {
        (opens, closes + 86_400)
    } else {
        (opens, closes)
    }
}

/// Whether a restaurant-local date-time is inside weekly service times: day name → the
/// windows opening that day (`hh:mm`, opening inside, closing not). A window that crosses
/// midnight also covers the next day until its closing time; a day without windows (or not
/// listed) is closed, except for such a window from the day before.
pub fn in_service_times(days: &BTreeMap<Weekday, Vec<OpeningHours>>, local: NaiveDateTime) -> bool {
    let t = i64::from(local.num_seconds_from_midnight());
    let mut today = days.get(&weekday(local)).into_iter().flatten();
    let mut yesterday = days
        .get(&weekday(local - Duration::days(1)))
        .into_iter()
        .flatten();
    today.any(|w| {
        let (start, end) = window_secs(*w);
        t >= start && t < end
    }) || yesterday.any(|w| {
        let (start, end) = window_secs(*w);
        t + 86_400 >= start && t + 86_400 < end
    })
}

/// The JET Connect service type an order uses: `Collection` for pickup, else `Delivery`.
pub(super) fn service_type(method: Option<DeliveryMethod>) -> ServiceType {
    match method {
        Some(DeliveryMethod::Pickup) => ServiceType::Collection,
        _ => ServiceType::Delivery,
    }
}

/// Whether the restaurant is open at a restaurant-local date-time for an order of
/// `method`. Service times, when the restaurant has them, decide alone (a service type
/// they do not list is closed); otherwise `start_time`/`end_time` via [`open_at`].
pub fn restaurant_open_at(
    r: &RestaurantState,
    method: Option<DeliveryMethod>,
    local: NaiveDateTime,
) -> bool {
    match &r.service_times {
        Some(times) => times
            .service_times
            .get(&service_type(method))
            .is_some_and(|days| in_service_times(days, local)),
        None => open_at(r.place.start_time, r.place.end_time, second_of_day(local)),
    }
}

pub(super) fn second_of_day(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp().rem_euclid(86_400)
}

/// The time rules. Returns `Some(preorder instant or None)` when the rules pass.
pub(super) fn check_time(
    body: &OrderBody,
    r: &RestaurantState,
    zone: Option<&Zone>,
    method: Option<DeliveryMethod>,
    ctx: &OrderContext<'_>,
    out: &mut Violations,
) -> Option<Option<DateTime<Utc>>> {
    let tz = &r.time_zone;
    let local = |t: DateTime<Utc>| tz.to_local(t);
    let Some(raw) = text(&body.date_preorder) else {
        if !is_online(r.online, r.offline_until, ctx.now) {
            out.push(
                "restaurant_offline",
                "restaurant_id",
                "the restaurant is not taking orders now",
            );
            return None;
        }
        if !restaurant_open_at(r, method, local(ctx.now)) {
            // A site can ask its customer for a later time; a marketplace order has its own.
            let advice = match ctx.rules {
                Rules::Site | Rules::TrustedSite => "; give date_preorder",
                Rules::Marketplace => "",
            };
            out.push(
                "restaurant_closed",
                "date",
                format!("the restaurant is closed now{advice}"),
            );
            return None;
        }
        return Some(None);
    };
    let Some(at) = parse_local(raw).and_then(|l| local_to_utc(l, tz)) else {
        out.push(
            "bad_date",
            "date_preorder",
            "must be restaurant-local \"YYYY-MM-DD HH:MM\"",
        );
        return None;
    };
    let before = out.len();
    if ctx.rules == Rules::Marketplace {
        // The marketplace promised the time; only whether the kitchen works then matters.
    } else if at <= ctx.now {
        out.push("preorder_in_past", "date_preorder", "must be in the future");
    } else if method == Some(DeliveryMethod::Courier) {
        let lead = zone.and_then(|z| z.time_min).unwrap_or(0);
        if at < ctx.now + Duration::minutes(lead) {
            out.push(
                "preorder_too_soon",
                "date_preorder",
                format!("must be at least {lead} minutes from now, the zone's delivery time"),
            );
        }
    }
    if ctx.rules.is_site() && at > ctx.now + ctx.max_preorder_ahead {
        out.push(
            "preorder_too_far",
            "date_preorder",
            format!(
                "must be at most {} days ahead",
                ctx.max_preorder_ahead.num_days()
            ),
        );
    }
    if !restaurant_open_at(r, method, local(at)) {
        out.push(
            "preorder_closed",
            "date_preorder",
            "the restaurant is closed at that time",
        );
    }
    if !is_online(r.online, r.offline_until, at) {
        out.push(
            "restaurant_offline",
            "restaurant_id",
            "the restaurant is not taking orders at that time",
        );
    }
    (out.len() == before).then_some(Some(at))
}
