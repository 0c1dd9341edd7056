//! What the hub tells JET Connect about an order it answered `202`: `sent-to-pos-success`
//! or `sent-to-pos-failed` with one of JET's error codes (FACTS §6), exactly once.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};

use crate::order::lifecycle::Status;
use crate::problem::Violation;
use crate::tz::LocalZone;

/// JET Connect's `errorCode` values (FACTS §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ErrorCode {
    Unknown,
    Inactive,
    IncorrectSetup,
    InUse,
    Timeout,
    NotSupported,
    MenuError,
    MalformedRequest,
    AuthFailed,
    StoreClosed,
    TenderError,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 11] = [
        ErrorCode::Unknown,
        ErrorCode::Inactive,
        ErrorCode::IncorrectSetup,
        ErrorCode::InUse,
        ErrorCode::Timeout,
        ErrorCode::NotSupported,
        ErrorCode::MenuError,
        ErrorCode::MalformedRequest,
        ErrorCode::AuthFailed,
        ErrorCode::StoreClosed,
        ErrorCode::TenderError,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unknown => "UNKNOWN",
            ErrorCode::Inactive => "INACTIVE",
            ErrorCode::IncorrectSetup => "INCORRECT_SETUP",
            ErrorCode::InUse => "IN_USE",
            ErrorCode::Timeout => "TIMEOUT",
            ErrorCode::NotSupported => "NOT_SUPPORTED",
            ErrorCode::MenuError => "MENU_ERROR",
            ErrorCode::MalformedRequest => "MALFORMED_REQUEST",
            ErrorCode::AuthFailed => "AUTH_FAILED",
            ErrorCode::StoreClosed => "STORE_CLOSED",
            ErrorCode::TenderError => "TENDER_ERROR",
        }
    }

    pub fn parse(text: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// The JET code of one violation of the hub's order rules.
    pub fn of_violation(code: &str) -> ErrorCode {
        match code {
            "unknown_restaurant" | "unknown_concept" | "concept_required" => {
                ErrorCode::IncorrectSetup
            }
            "unknown_item" | "unknown_modifier" | "item_stopped" | "missing_field" => {
                ErrorCode::MenuError
            }
            "restaurant_offline" => ErrorCode::Inactive,
            "restaurant_closed" | "preorder_closed" => ErrorCode::StoreClosed,
            "invalid_amount" | "negative_amount" | "amount_too_large" | "bad_count"
            | "total_mismatch" | "payment_mismatch" | "bad_date" | "bad_coords" => {
                ErrorCode::MalformedRequest
            }
            _ => ErrorCode::Unknown,
        }
    }

    /// Which code speaks for several: the one that most changes what the restaurant must
    /// do first (a wrong setup before a closed store before a missing item).
    fn rank(self) -> u8 {
        match self {
            ErrorCode::IncorrectSetup => 0,
            ErrorCode::Inactive => 1,
            ErrorCode::StoreClosed => 2,
            ErrorCode::MenuError => 3,
            ErrorCode::MalformedRequest => 4,
            _ => 5,
        }
    }
}

/// A failure to report: the code and a message naming every problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub code: ErrorCode,
    pub message: String,
}

/// The failure a set of order violations amounts to (`None` for no violations). The
/// message lists every violation, in the order found.
pub fn failure_of(violations: &[Violation]) -> Option<Failure> {
    let code = violations
        .iter()
        .map(|v| ErrorCode::of_violation(&v.code))
        .min_by_key(|c| c.rank())?;
    let message = violations
        .iter()
        .map(|v| v.message.clone())
        .collect::<Vec<_>>()
        .join("; ");
    Some(Failure { code, message })
}

/// The failure when no restaurant has the order's `posLocationId`.
pub fn unknown_location(pos_location_id: &str) -> Failure {
    Failure {
        code: ErrorCode::IncorrectSetup,
        message: format!(
            "no restaurant is set up with jet_location_id {pos_location_id:?} (posLocationId)"
        ),
    }
}

/// The failure sent at the deadline when the outcome is still unknown.
pub fn timeout(deadline_secs: i64) -> Failure {
    Failure {
        code: ErrorCode::Timeout,
        message: format!(
            "the POS did not confirm the order within {deadline_secs} s of its receipt"
        ),
    }
}

/// What is owed to Just Eat the moment an order is answered `202`: the one outcome call as
/// it is staged, and what the JET order records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtReceipt {
    /// The outcome the staged call states: the real one, or the deadline's `TIMEOUT`.
    pub stated: Result<(), Failure>,
    /// The call's `happenedAt`: now, or the deadline.
    pub happened_at: DateTime<Utc>,
    /// When the call is due (Unix seconds): now, or the deadline.
    pub due_at: i64,
    /// After this instant (Unix seconds) a later outcome is recorded and not sent.
    pub deadline_at: i64,
    /// The outcome recorded now; `None` while the POS has the last word.
    pub decided: Option<Result<(), Failure>>,
    /// Seconds until the queue should look at the call again; `None`: send it now.
    pub wait_secs: Option<u32>,
}

/// The outcome owed at receipt. Without an upstream POS (`pos_decides` false) the hub's
/// store is the POS and `result` is final: the call states it and is due now. Upstream, an
/// order the hub accepted waits for the POS: the call is staged as the deadline's `TIMEOUT`,
/// due `deadline_secs` after `now`, and rewritten if the POS answers in time ([`decide`]).
/// An order the hub refused is final either way.
pub fn at_receipt(
    result: Result<(), Failure>,
    pos_decides: bool,
    now: DateTime<Utc>,
    deadline_secs: i64,
) -> AtReceipt {
    let deadline_at = now.timestamp().saturating_add(deadline_secs);
    if pos_decides && result.is_ok() {
        let happened_at = now
            .checked_add_signed(chrono::TimeDelta::seconds(deadline_secs))
            .unwrap_or(now);
        return AtReceipt {
            stated: Err(timeout(deadline_secs)),
            happened_at,
            due_at: deadline_at,
            deadline_at,
            decided: None,
            wait_secs: Some(u32::try_from(deadline_secs.max(0)).unwrap_or(u32::MAX)),
        };
    }
    AtReceipt {
        stated: result.clone(),
        happened_at: now,
        due_at: now.timestamp(),
        deadline_at,
        decided: Some(result),
        wait_secs: None,
    }
}

/// What a JET order's row records of an outcome: `success` or `failed`, with JET's code and
/// the message of a failure.
pub fn recorded(
    result: &Result<(), Failure>,
) -> (&'static str, Option<&'static str>, Option<&str>) {
    match result {
        Ok(()) => ("success", None, None),
        Err(f) => ("failed", Some(f.code.as_str()), Some(f.message.as_str())),
    }
}

/// What an outcome that comes after the deadline (or after another outcome) leaves on the
/// order: a note of it, never a second call. `at` is the instant as the store writes it.
pub fn late_note(result: &Result<(), Failure>, at: &str) -> String {
    match result {
        Ok(()) => format!("success at {at}"),
        Err(f) => format!("{} at {at}: {}", f.code.as_str(), f.message),
    }
}

/// When an injected order counts as sent to the POS (`JET_SUCCESS_ON`), as HubRise lets
/// a restaurant choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SuccessRule {
    /// The POS (the upstream Jupiter, or the hub's own store) accepted the order.
    #[default]
    Accepted,
    /// Only when the POS reports status 0 (new) for it.
    Status0,
}

impl SuccessRule {
    pub fn parse(text: &str) -> Result<SuccessRule, Violation> {
        match text.trim() {
            "" | "accepted" => Ok(SuccessRule::Accepted),
            "status0" => Ok(SuccessRule::Status0),
            other => Err(Violation::new(
                "bad_success_rule",
                Some("JET_SUCCESS_ON"),
                format!("must be accepted or status0, got {other:?}"),
            )),
        }
    }
}

impl SuccessRule {
    /// What the upstream POS's answer to the forwarded order decides for a JET order still
    /// waiting for its outcome: a refusal for good is the failure (`detail` says why);
    /// an acceptance is the success under `Accepted`, and decides nothing under `Status0`
    /// (the POS's status 0 will).
    pub fn on_injection(self, delivered: bool, detail: &str) -> Option<Result<(), Failure>> {
        if !delivered {
            return Some(Err(Failure {
                code: ErrorCode::Unknown,
                message: format!("the POS refused the order: {detail}"),
            }));
        }
        match self {
            SuccessRule::Accepted => Some(Ok(())),
            SuccessRule::Status0 => None,
        }
    }

    /// What a status the POS reports decides for a JET order still waiting for its outcome.
    /// Under `Accepted` nothing (the acceptance decided it). Under `Status0` any status that
    /// says the kitchen has the order is the success: `0`, or a later `10`/`20`/`30` when the
    /// `0` was lost or comes late (Jupiter does not retry, and a late `0` is not passed on);
    /// a `5` before any of them is the failure.
    pub fn on_status(self, reported: Status) -> Option<Result<(), Failure>> {
        match self {
            SuccessRule::Accepted => None,
            SuccessRule::Status0 => Some(match reported {
                Status::New | Status::Cooking | Status::Delivering | Status::Delivered => Ok(()),
                Status::Cancelled => Err(Failure {
                    code: ErrorCode::Unknown,
                    message: "the POS cancelled the order before accepting it".to_owned(),
                }),
            }),
        }
    }
}

/// `happenedAt`: the instant, written in the offset the restaurant's zone has at it (an
/// ISO 8601 date-time with its offset, FACTS §6), as every time the hub tells Just Eat.
fn happened(at: DateTime<Utc>, zone: &LocalZone) -> String {
    zone.to_offset(at)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// The body of `POST /order/{id}/sent-to-pos-success`.
pub fn success_body(at: DateTime<Utc>, zone: &LocalZone) -> Value {
    json!({ "happenedAt": happened(at, zone) })
}

/// The body of `POST /order/{id}/sent-to-pos-failed` (a message is never empty).
pub fn failed_body(at: DateTime<Utc>, zone: &LocalZone, failure: &Failure) -> Value {
    let message = if failure.message.trim().is_empty() {
        "the order could not be sent to the POS".to_owned()
    } else {
        failure.message.clone()
    };
    json!({
        "happenedAt": happened(at, zone),
        "errorCode": failure.code.as_str(),
        "errorMessage": message,
    })
}

/// The path of the outcome call under `JET_STATUS_BASE_URL`.
pub fn outcome_path(jet_id: &str, success: bool) -> String {
    let which = if success {
        "sent-to-pos-success"
    } else {
        "sent-to-pos-failed"
    };
    format!(
        "order/{}/{which}",
        crate::outbound::url_guard::encode_component(jet_id)
    )
}

/// The outbox id of an order's one `sent-to-pos` call, derived from the JET id: the outbox
/// holds ids once, so a second outcome staged for the same order fails its whole batch
/// instead of sending twice.
pub fn delivery_id(jet_id: &str) -> String {
    let hash = crate::http_cache::cache_key(&["sent-to-pos", jet_id]);
    format!("dl_stp_{}", &hash[..32])
}
