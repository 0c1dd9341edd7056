//! Order statuses and the transitions between them. Jupiter's codes: 0 new, 10 cooking,
//! 20 delivering, 30 delivered, 5 cancelled.
//!
//! | from | to | when |
//! |------|----|------|
//! | 0 | 10 | the kitchen starts |
//! | 10 | 20 | a courier takes a courier order |
//! | 20 | 30 | a courier order is delivered |
//! | 10 | 30 | a pickup order is handed over (pickup skips 20) |
//! | 0, 10, 20 | 5 | cancelled: allowed until 30 (a pickup order is never at 20) |
//!
//! Everything else, including a status to itself, is an illegal transition (`409`). These
//! are the hub's rules as the system of record (the operator endpoint, standalone); an
//! upstream Jupiter's status calls follow [`forward::on_status`](super::forward::on_status)
//! instead, since Jupiter is then the system of record.

use crate::outbound::url_guard::OutboundUrl;
use crate::problem::Violation;

use super::validate::DeliveryMethod;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    New,
    Cooking,
    Delivering,
    Delivered,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::New,
        Status::Cooking,
        Status::Delivering,
        Status::Delivered,
        Status::Cancelled,
    ];

    pub fn code(self) -> i64 {
        match self {
            Status::New => 0,
            Status::Cooking => 10,
            Status::Delivering => 20,
            Status::Delivered => 30,
            Status::Cancelled => 5,
        }
    }

    pub fn from_code(code: i64) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn parse(code: i64, field: &str) -> Result<Status, Violation> {
        Status::from_code(code).ok_or_else(|| {
            Violation::new(
                "bad_status",
                Some(field),
                format!("must be 0, 10, 20, 30 or 5, got {code}"),
            )
        })
    }
}

/// What a status change asks the edge to do: the GET to send to the front-end's
/// `status_url` (when it gave one), with `status=N` appended to its query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notify {
    pub status: Status,
    pub callback: Option<OutboundUrl>,
}

/// Who moved an order's status: the hub (an operator, Jupiter, the kitchen) or the order's
/// own channel, reporting what happened on its side (Just Eat's courier delivered it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Teller {
    Hub,
    Channel,
}

/// The callback for `status`, if the order has a `status_url`.
pub fn notify(status: Status, status_url: Option<&OutboundUrl>) -> Notify {
    Notify {
        status,
        callback: status_url.map(|u| u.with_query_param("status", &status.code().to_string())),
    }
}

/// Whether `from → to` is allowed for an order delivered by `method`.
pub fn allowed(method: DeliveryMethod, from: Status, to: Status) -> bool {
    use Status::*;
    match (from, to) {
        (New, Cooking) => true,
        (Cooking, Delivering) | (Delivering, Delivered) | (Delivering, Cancelled) => {
            method == DeliveryMethod::Courier
        }
        (Cooking, Delivered) => method == DeliveryMethod::Pickup,
        (New | Cooking, Cancelled) => true,
        _ => false,
    }
}

/// Checks a transition and says what to notify; an illegal one is an
/// `illegal_transition` violation on `status` (the edge answers `409`).
pub fn transition(
    method: DeliveryMethod,
    from: Status,
    to: Status,
    status_url: Option<&OutboundUrl>,
) -> Result<Notify, Violation> {
    if !allowed(method, from, to) {
        return Err(Violation::new(
            "illegal_transition",
            Some("status"),
            format!(
                "a {} order cannot go from {} to {}",
                method.as_str(),
                from.code(),
                to.code()
            ),
        ));
    }
    Ok(notify(to, status_url))
}
