//! Just Eat's order-lifecycle webhooks of the Partner API (issue 18), received at
//! `/webhooks/just-eat/{name}`: so far `order-cancelled` (FACTS §5.3, schema
//! `OrderAcceptanceOrderCancelledYaml`): `{"Event": "OrderCancelled", "OrderId", "Reason"}`.
//!
//! | rule | decision |
//! |------|----------|
//! | `OrderId` | required, not blank: the Just Eat order id the hub keyed the order by |
//! | `Event` | absent or `OrderCancelled` (any case); another event sent here is refused, naming it |
//! | `Reason` | optional; one of [`CANCEL_REASONS`] or any other text (kept as given, the edge logs it) |
//! | the order at 0, 10 or 20 | cancelled: status 5 with the reason in its history, the front-end and the channel told as for any status |
//! | the order at 5 | nothing changes (a repeated webhook): answered the same |
//! | the order at 30 | nothing changes (delivered stays delivered); answered `200` with the status, the edge logs it |
//!
//! Keys are PascalCase as the spec writes them; camelCase is accepted too.

use serde::Deserialize;

use crate::order::lifecycle::{self, Notify, Status};
use crate::order::DeliveryMethod;
use crate::outbound::url_guard::OutboundUrl;
use crate::problem::{Violation, Violations};

/// The `Reason` values the spec enumerates.
pub const CANCEL_REASONS: [&str; 15] = [
    "cust_cancelled_changed_mind",
    "cust_cancelled_delivery_too_long",
    "cust_cancelled_made_mistake",
    "cust_cancelled_other",
    "delivery_partner_cancelled",
    "rest_cancelled_customer_absent",
    "rest_cancelled_customer_requested",
    "rest_cancelled_declined",
    "rest_cancelled_drivers_unavailable",
    "rest_cancelled_fake_order",
    "rest_cancelled_other",
    "rest_cancelled_out_of_stock",
    "rest_cancelled_too_busy",
    "system_cancelled_other",
    "system_cancelled_test_order",
];

/// `order-cancelled` as sent, loose so every problem is reported.
#[derive(Debug, Default, Deserialize)]
pub struct OrderCancelledIn {
    #[serde(rename = "Event", alias = "event", default)]
    pub event: Option<String>,
    #[serde(rename = "OrderId", alias = "orderId", default)]
    pub order_id: Option<String>,
    #[serde(rename = "Reason", alias = "reason", default)]
    pub reason: Option<String>,
}

/// A checked `order-cancelled`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderCancelled {
    pub order_id: String,
    pub reason: Option<String>,
}

impl OrderCancelled {
    /// Whether the reason is one the spec lists (an absent one counts as listed).
    pub fn documented(&self) -> bool {
        self.reason
            .as_deref()
            .is_none_or(|r| CANCEL_REASONS.contains(&r))
    }

    /// The reason the order's status history shows.
    pub fn history_reason(&self) -> String {
        match &self.reason {
            Some(reason) => format!("cancelled by Just Eat: {reason}"),
            None => "cancelled by Just Eat".to_owned(),
        }
    }
}

/// Every problem of the body at once.
pub fn check_cancelled(raw: OrderCancelledIn) -> Result<OrderCancelled, Vec<Violation>> {
    let mut out = Violations::new();
    let order_id = raw
        .order_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    if order_id.is_none() {
        out.push("bad_request", "OrderId", "is required");
    }
    if let Some(event) = raw.event.as_deref() {
        if !event.trim().eq_ignore_ascii_case("OrderCancelled") {
            out.push(
                "bad_request",
                "Event",
                format!("{event:?} is not OrderCancelled: this endpoint takes cancellations"),
            );
        }
    }
    let reason = raw
        .reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    let Some(order_id) = order_id else {
        return Err(out.into_vec());
    };
    out.into_result(OrderCancelled { order_id, reason })
}

/// What a cancellation from Just Eat does to an order at `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelEffect {
    /// Move to 5 and notify as the lifecycle says.
    Cancel(Notify),
    /// Already cancelled: nothing changes (a repeated webhook).
    AlreadyCancelled,
    /// Delivered: nothing changes.
    Delivered,
}

pub fn on_cancelled(
    method: DeliveryMethod,
    from: Status,
    status_url: Option<&OutboundUrl>,
) -> CancelEffect {
    match from {
        Status::Cancelled => CancelEffect::AlreadyCancelled,
        Status::Delivered => CancelEffect::Delivered,
        _ => match lifecycle::transition(method, from, Status::Cancelled, status_url) {
            Ok(notify) => CancelEffect::Cancel(notify),
            Err(_) => CancelEffect::Delivered,
        },
    }
}

#[cfg(test)]
mod tests;
