//! When to try a failed delivery again, and when to stop.
//!
//! The schedule is exponential (issue 4, after Deliverect: first retry after 10 s, doubling,
//! capped) so a receiver that is down is not hammered, and jittered so that the many
//! deliveries that failed together (a front-end restarting) do not all come back in the
//! same second.
//!
//! **Jitter: "equal jitter".** For the retry after attempt `n` the nominal delay is
//! `min(first_delay * factor^(n-1), max_delay)`; the actual delay is drawn from
//! `[ceil(nominal / 2), nominal]` by the caller's `jitter_unit` in `[0, 1)`. It keeps at least
//! half of the backoff (so a retry never comes almost immediately, as "full jitter" allows),
//! it never exceeds the cap, and it is deterministic for a given `jitter_unit`, which keeps
//! core free of randomness: the edge draws the number, tests pass fixed ones. With the
//! defaults the first retry comes 5 to 10 s after the first attempt, the second 10 to 20 s
//! after that, and so on up to an hour.
//!
//! **`Retry-After` wins over the schedule when it asks for longer**, never shorter: the
//! receiver knows its own state. It is capped by `max_delay` so that a receiver cannot park
//! a delivery for days with one header; the delivery then comes back at the cap (and gives
//! up by attempts or deadline as usual).
//!
//! **Deadlines.** Some protocols have a window (`sent-to-pos-*` must reach Just Eat within
//! 3 minutes). The caller passes the last moment an attempt may *start*; when the next
//! attempt would start later, we give up now, so the caller can mark the delivery dead and
//! take the protocol's failure path at once, instead of sending a late message.
//!
//! Attempts are counted from 1: `attempt_number` is the number of the attempt that just
//! failed. With `max_attempts = 20`, the twentieth failure gives up.

/// How a delivery is retried. Times in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The nominal delay before the first retry.
    pub first_delay_secs: u32,
    /// Each following nominal delay is this many times the previous one.
    pub factor: u32,
    /// No delay (scheduled or asked for by `Retry-After`) is longer than this.
    pub max_delay_secs: u32,
    /// Attempts in total, the first one included. After that many failures we give up.
    pub max_attempts: u32,
    /// How long one attempt may take before the edge abandons it as a timeout.
    pub attempt_timeout_secs: u32,
}

impl Default for RetryPolicy {
    /// 10 s, doubling, capped at one hour, 20 attempts, 10 s per attempt. With equal jitter
    /// the 20 attempts span roughly 10 to 16 hours, long enough to ride out an evening's
    /// outage of a front-end, short enough that a dead letter is seen the next day.
    fn default() -> RetryPolicy {
        RetryPolicy {
            first_delay_secs: 10,
            factor: 2,
            max_delay_secs: 3600,
            max_attempts: 20,
            attempt_timeout_secs: 10,
        }
    }
}

/// What to do after a failed attempt that [`super::classify`] said to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextAttempt {
    /// Attempt again at this unix time (seconds).
    RetryAt(i64),
    /// Stop: mark the delivery dead and take the protocol's failure path.
    GiveUp(GiveUpReason),
}

/// Why [`next_attempt`] gave up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GiveUpReason {
    /// `max_attempts` attempts have been made.
    AttemptsExhausted { attempts: u32 },
    /// The next attempt would start at `next_at`, after the delivery's `deadline`.
    DeadlineWouldPass { next_at: i64, deadline: i64 },
}

impl GiveUpReason {
    /// A sentence for the delivery log.
    pub fn message(&self) -> String {
        match self {
            GiveUpReason::AttemptsExhausted { attempts } => {
                format!("gave up after {attempts} attempts")
            }
            GiveUpReason::DeadlineWouldPass { next_at, deadline } => format!(
                "gave up: the next attempt (at {next_at}) would be after the deadline ({deadline})"
            ),
        }
    }
}

/// The nominal (un-jittered) delay before the retry that follows attempt `attempt_number`:
/// `first_delay * factor^(attempt_number - 1)`, capped by `max_delay`. Never overflows.
pub fn nominal_delay_secs(policy: &RetryPolicy, attempt_number: u32) -> u64 {
    let cap = u64::from(policy.max_delay_secs);
    let mut delay = u64::from(policy.first_delay_secs).min(cap);
    for _ in 1..attempt_number {
        if delay >= cap {
            break;
        }
        delay = delay.saturating_mul(u64::from(policy.factor)).min(cap);
    }
    delay
}

/// The jittered delay (see the module doc): in `[ceil(nominal / 2), nominal]`, chosen by
/// `jitter_unit`. A `jitter_unit` outside `[0, 1)` or NaN is clamped into it.
pub fn jittered_delay_secs(nominal: u64, jitter_unit: f64) -> u64 {
    let unit = if jitter_unit.is_nan() {
        0.0
    } else {
        jitter_unit.clamp(0.0, 1.0)
    };
    let low = nominal - nominal / 2;
    let span = nominal - low;
    // `span + 1` choices, 0..=span; a float-to-int cast saturates, and `min` keeps a unit
    // of exactly 1.0 inside the range.
    let extra = ((span as f64 + 1.0) * unit) as u64;
    low + extra.min(span)
}

/// Decides when the attempt after `attempt_number` (which just failed and was classified
/// `Retry`) happens, or that we give up.
///
/// * `jitter_unit`: a random number in `[0, 1)` drawn by the caller.
/// * `retry_after_secs`: the receiver's `Retry-After`, already turned into a delay (see
///   [`parse_retry_after`]).
/// * `deadline`: the last unix time at which an attempt may start, if the protocol has one.
pub fn next_attempt(
    policy: &RetryPolicy,
    attempt_number: u32,
    jitter_unit: f64,
    retry_after_secs: Option<u64>,
    deadline: Option<i64>,
    now: i64,
) -> NextAttempt {
    if attempt_number >= policy.max_attempts {
        return NextAttempt::GiveUp(GiveUpReason::AttemptsExhausted {
            attempts: attempt_number,
        });
    }
    let scheduled = jittered_delay_secs(nominal_delay_secs(policy, attempt_number), jitter_unit);
    let asked = retry_after_secs
        .unwrap_or(0)
        .min(u64::from(policy.max_delay_secs));
    let delay = scheduled.max(asked);
    // The delay is at most u32::MAX, so it always fits in i64; saturate on `now` anyway.
    let next_at = now.saturating_add(i64::try_from(delay).unwrap_or(i64::MAX));
    match deadline {
        Some(deadline) if next_at > deadline => {
            NextAttempt::GiveUp(GiveUpReason::DeadlineWouldPass { next_at, deadline })
        }
        _ => NextAttempt::RetryAt(next_at),
    }
}

/// Turns a `Retry-After` header value into a delay in seconds from `now`.
///
/// Accepts both forms of RFC 9110 §10.2.3: delta-seconds (`120`) and an HTTP-date in the
/// preferred IMF-fixdate form (`Sun, 06 Nov 1994 08:49:37 GMT`). A date in the past is a
/// delay of 0. Anything else (the obsolete RFC 850 and asctime date forms included) is
/// `None`: the header is then ignored and the schedule applies, which is the safe reading
/// of a header we do not understand.
pub fn parse_retry_after(value: &str, now: i64) -> Option<u64> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits to fit is still "a very long time": saturate, the policy caps it.
        return Some(value.parse::<u64>().unwrap_or(u64::MAX));
    }
    let at = parse_imf_fixdate(value)?;
    Some(u64::try_from(at.saturating_sub(now)).unwrap_or(0))
}

/// Parses `Sun, 06 Nov 1994 08:49:37 GMT` into unix seconds. Strict: fixed widths, `GMT`,
/// English day and month names, a real calendar date and time.
fn parse_imf_fixdate(value: &str) -> Option<i64> {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    // "Sun, 06 Nov 1994 08:49:37 GMT" is exactly 29 ASCII bytes.
    if value.len() != 29 || !value.is_ascii() {
        return None;
    }
    let field = |from: usize, to: usize| value.get(from..to);
    let number = |from: usize, to: usize| -> Option<u32> {
        let text = field(from, to)?;
        if !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse().ok()
    };
    let day_name = field(0, 3)?;
    if !DAYS.contains(&day_name)
        || field(3, 5)? != ", "
        || field(7, 8)? != " "
        || field(11, 12)? != " "
        || field(16, 17)? != " "
        || field(19, 20)? != ":"
        || field(22, 23)? != ":"
        || field(25, 29)? != " GMT"
    {
        return None;
    }
    let day = number(5, 7)?;
    let month_name = field(8, 11)?;
    let month = MONTHS.iter().position(|m| *m == month_name)?;
    let year = number(12, 16)?;
    let (hour, minute, second) = (number(17, 19)?, number(20, 22)?, number(23, 25)?);
    let month = u32::try_from(month).ok()? + 1;
    let date = chrono::NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let time = date.and_hms_opt(hour, minute, second)?;
    use chrono::Datelike;
    if DAYS.get(time.weekday().num_days_from_monday() as usize) != Some(&day_name) {
        // A wrong day name means the date was not produced by a correct formatter.
        return None;
    }
    Some(time.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const NOW: i64 = 1_700_000_000;

    #[test]
    fn the_default_policy_is_ten_seconds_doubling_to_an_hour_over_twenty_attempts() {
        let p = RetryPolicy::default();
        assert_eq!(
            (
                p.first_delay_secs,
                p.factor,
                p.max_delay_secs,
                p.max_attempts,
                p.attempt_timeout_secs
            ),
            (10, 2, 3600, 20, 10)
        );
    }

    #[test]
    fn the_nominal_schedule_doubles_from_ten_seconds_and_stops_at_the_cap() {
        let p = RetryPolicy::default();
        let schedule: Vec<u64> = (1..=12).map(|n| nominal_delay_secs(&p, n)).collect();
        assert_eq!(
            schedule,
            [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600, 3600]
        );
        assert_eq!(nominal_delay_secs(&p, u32::MAX), 3600);
        assert_eq!(
            nominal_delay_secs(&p, 0),
            10,
            "attempt 0 reads as the first"
        );
    }

    #[test]
    fn huge_factors_and_caps_saturate_instead_of_overflowing() {
        let p = RetryPolicy {
            first_delay_secs: u32::MAX,
            factor: u32::MAX,
            max_delay_secs: u32::MAX,
            max_attempts: u32::MAX,
            attempt_timeout_secs: 10,
        };
        assert_eq!(nominal_delay_secs(&p, 50), u64::from(u32::MAX));
        assert_eq!(
            next_attempt(&p, 50, 0.999, Some(u64::MAX), None, i64::MAX),
            NextAttempt::RetryAt(i64::MAX)
        );
    }

    #[test]
    fn equal_jitter_stays_between_half_and_all_of_the_nominal_delay() {
        let cases: &[(u64, f64, u64)] = &[
            (10, 0.0, 5),
            (10, 0.5, 8),
            (10, 0.999_999, 10),
            (11, 0.0, 6),
            (11, 0.999_999, 11),
            (1, 0.0, 1),
            (0, 0.7, 0),
            (3600, 0.0, 1800),
            (3600, 0.999_999, 3600),
            (10, 1.0, 10),
            (10, 7.5, 10),
            (10, -3.0, 5),
            (10, f64::NAN, 5),
            (10, f64::INFINITY, 10),
        ];
        for (nominal, unit, want) in cases {
            assert_eq!(
                jittered_delay_secs(*nominal, *unit),
                *want,
                "{nominal} {unit}"
            );
        }
        for i in 0..1000 {
            let unit = f64::from(i) / 1000.0;
            let d = jittered_delay_secs(20, unit);
            assert!((10..=20).contains(&d), "{unit} gave {d}");
        }
    }

    #[test]
    fn a_failed_attempt_is_retried_after_the_jittered_delay() {
        let p = RetryPolicy::default();
        let cases: &[(u32, f64, i64)] = &[
            (1, 0.0, NOW + 5),
            (1, 0.999, NOW + 10),
            (2, 0.0, NOW + 10),
            (3, 0.999, NOW + 40),
            (9, 0.0, NOW + 1280),
            (10, 0.0, NOW + 1800),
            (19, 0.999_999, NOW + 3600),
            (19, 0.0, NOW + 1800),
        ];
        for (attempt, unit, want) in cases {
            assert_eq!(
                next_attempt(&p, *attempt, *unit, None, None, NOW),
                NextAttempt::RetryAt(*want),
                "attempt {attempt}"
            );
        }
    }

    #[test]
    fn the_last_allowed_attempt_gives_up_and_the_one_before_does_not() {
        let p = RetryPolicy {
            max_attempts: 4,
            ..RetryPolicy::default()
        };
        assert!(matches!(
            next_attempt(&p, 3, 0.5, None, None, NOW),
            NextAttempt::RetryAt(_)
        ));
        for attempt in [4, 5, u32::MAX] {
            assert_eq!(
                next_attempt(&p, attempt, 0.5, None, None, NOW),
                NextAttempt::GiveUp(GiveUpReason::AttemptsExhausted { attempts: attempt })
            );
        }
    }

    #[test]
    fn retry_after_is_never_undercut_but_is_capped_by_the_maximum_delay() {
        let p = RetryPolicy::default();
        let cases: &[(Option<u64>, i64, &str)] = &[
            (
                Some(120),
                NOW + 120,
                "longer than the schedule: wait as asked",
            ),
            (
                Some(2),
                NOW + 5,
                "shorter than the schedule: the schedule wins",
            ),
            (Some(0), NOW + 5, "zero: the schedule wins"),
            (Some(86_400), NOW + 3600, "a day: capped at max_delay"),
            (Some(u64::MAX), NOW + 3600, "absurd: capped at max_delay"),
            (None, NOW + 5, "absent: the schedule"),
        ];
        for (retry_after, want, why) in cases {
            assert_eq!(
                next_attempt(&p, 1, 0.0, *retry_after, None, NOW),
                NextAttempt::RetryAt(*want),
                "{why}"
            );
        }
    }

    #[test]
    fn an_attempt_that_would_start_after_the_deadline_gives_up_now() {
        let p = RetryPolicy::default();
        let cases: &[(Option<i64>, Option<u64>, NextAttempt)] = &[
            (Some(NOW + 180), None, NextAttempt::RetryAt(NOW + 10)),
            (Some(NOW + 10), None, NextAttempt::RetryAt(NOW + 10)),
            (
                Some(NOW + 9),
                None,
                NextAttempt::GiveUp(GiveUpReason::DeadlineWouldPass {
                    next_at: NOW + 10,
                    deadline: NOW + 9,
                }),
            ),
            (
                Some(NOW + 180),
                Some(600),
                NextAttempt::GiveUp(GiveUpReason::DeadlineWouldPass {
                    next_at: NOW + 600,
                    deadline: NOW + 180,
                }),
            ),
            (
                Some(NOW - 1),
                None,
                NextAttempt::GiveUp(GiveUpReason::DeadlineWouldPass {
                    next_at: NOW + 10,
                    deadline: NOW - 1,
                }),
            ),
        ];
        for (deadline, retry_after, want) in cases {
            assert_eq!(
                next_attempt(&p, 1, 0.999, *retry_after, *deadline, NOW),
                *want,
                "{deadline:?} {retry_after:?}"
            );
        }
    }

    #[test]
    fn a_sent_to_pos_window_of_three_minutes_allows_a_handful_of_attempts() {
        // Worst case (jitter always at the top): attempts start at 0, 10, 30, 70, 150; the
        // next would start at 310 > 180, so the fifth failure gives up.
        let p = RetryPolicy::default();
        let start = NOW;
        let deadline = Some(start + 180);
        let mut now = start;
        let mut starts = vec![0];
        for attempt in 1.. {
            match next_attempt(&p, attempt, 0.999_999, None, deadline, now) {
                NextAttempt::RetryAt(at) => {
                    now = at;
                    starts.push(at - start);
                }
                NextAttempt::GiveUp(reason) => {
                    assert!(matches!(reason, GiveUpReason::DeadlineWouldPass { .. }));
                    break;
                }
            }
        }
        assert_eq!(starts, [0, 10, 30, 70, 150]);
    }

    #[test]
    fn give_up_reasons_read_as_sentences() {
        assert_eq!(
            GiveUpReason::AttemptsExhausted { attempts: 20 }.message(),
            "gave up after 20 attempts"
        );
        assert!(GiveUpReason::DeadlineWouldPass {
            next_at: 5,
            deadline: 4
        }
        .message()
        .contains("after the deadline (4)"));
    }

    #[test]
    fn retry_after_accepts_delta_seconds_and_imf_fixdates() {
        // 1994-11-06T08:49:37Z is 784111777.
        let then = 784_111_777;
        let cases: &[(&str, i64, Option<u64>)] = &[
            ("120", NOW, Some(120)),
            ("  120 ", NOW, Some(120)),
            ("0", NOW, Some(0)),
            ("99999999999999999999999", NOW, Some(u64::MAX)),
            ("Sun, 06 Nov 1994 08:49:37 GMT", then - 30, Some(30)),
            ("Sun, 06 Nov 1994 08:49:37 GMT", then, Some(0)),
            ("Sun, 06 Nov 1994 08:49:37 GMT", then + 30, Some(0)),
            ("Tue, 14 Nov 2023 22:13:20 GMT", NOW, Some(0)),
            ("Tue, 14 Nov 2023 22:15:20 GMT", NOW, Some(120)),
            ("Thu, 29 Feb 2024 00:00:00 GMT", 1_709_164_800 - 1, Some(1)),
        ];
        for (value, now, want) in cases {
            assert_eq!(parse_retry_after(value, *now), *want, "{value:?}");
        }
    }

    #[test]
    fn retry_after_refuses_anything_else() {
        for value in [
            "",
            "   ",
            "-5",
            "+5",
            "1.5",
            "12 s",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 08:49:37 +0000",
            "Mon, 06 Nov 1994 08:49:37 GMT",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 nov 1994 08:49:37 GMT",
            "Sun, 31 Nov 1994 08:49:37 GMT",
            "Fri, 29 Feb 2023 00:00:00 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:49:60 GMT",
            "Sun, 06 Nov 1994 08:4x:37 GMT",
            "Sun,  06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMTx",
            "Sun, 06 Nov 1994 08:49:3é GMT",
        ] {
            assert_eq!(parse_retry_after(value, NOW), None, "{value:?}");
        }
    }
}
