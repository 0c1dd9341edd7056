//! JET Connect's Driver Status Notification (`your-driver-status-notification-endpoint`,
//! schema `JetConnectOrderingUniversalConnectorDriverStatusUpdateYaml`), received signed at
//! `/webhooks/jet/orders/driver-status`: `{orderID, driverStatus: {code}, happenedAt}`. It
//! becomes one event on the JET Connect order's timeline ([`crate::order::timeline`]).
//!
//! | rule | decision |
//! |------|----------|
//! | the body | a JSON object; keys matched ignoring case (`orderID`, `orderId`, …) |
//! | `orderID` | required, not blank: the JET Connect order id |
//! | `driverStatus.code` | required; one of [`CODES`] (case ignored), mapped to its [`Kind`] |
//! | an unknown code | refused (`400`) naming the value and the known ones: the timeline has no kind for it, and JET Connect takes a `400` as "received but not handled in this form" and does not retry it, so the refusal is logged at both ends instead of an event that would say something false |
//! | `happenedAt` | when it happened: RFC 3339 (any fraction, `Z` or an offset, none is UTC); absent: when it arrived; another value is refused naming it |
//! | `detail` | the whole body, for the trusted reader |
//!
//! Every problem is reported at once.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::order::timeline::{Event, Kind};
use crate::orderconnect::timeline_events::time;
use crate::problem::{Violation, Violations};

/// The source the timeline names.
pub const SOURCE: &str = "your-driver-status-notification-endpoint";

/// JET Connect's driver status codes and the timeline event each is. The spec enumerates
/// the first three; `delivered` is accepted too, as integrations in the field receive it.
/// `driverArrivingAtRestaurant` is a driver on the way to collect: assigned to the order.
pub const CODES: [(&str, Kind); 4] = [
    ("driverArrivingAtRestaurant", Kind::DriverAssigned),
    ("driverAtRestaurant", Kind::DriverAtRestaurant),
    ("onItsWay", Kind::DriverOnTheWay),
    ("delivered", Kind::Delivered),
];

/// The kind a driver status code stands for (case ignored).
pub fn kind_of(code: &str) -> Option<Kind> {
    CODES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code.trim()))
        .map(|(_, k)| *k)
}

/// A notification read: the JET Connect order it names and the event it adds.
#[derive(Debug, Clone, PartialEq)]
pub struct DriverStatus {
    pub order_id: String,
    pub code: String,
    pub event: Event,
}

/// Reads `body`, received at `now`.
pub fn read(body: &[u8], now: DateTime<Utc>) -> Result<DriverStatus, Vec<Violation>> {
    let mut out = Violations::new();
    let doc: Value = match serde_json::from_slice(body) {
        Ok(doc) => doc,
        Err(err) => {
            out.add(Violation::new(
                "invalid_driver_status",
                None,
                format!("not JSON: {err}"),
            ));
            return Err(out.into_vec());
        }
    };
    let Value::Object(fields) = &doc else {
        out.add(Violation::new(
            "invalid_driver_status",
            None,
            "a driver status notification is a JSON object",
        ));
        return Err(out.into_vec());
    };
    let order_id = match field(fields, "orderID") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Some(Value::Number(n)) => Some(n.to_string()),
        other => {
            let shown = other.map_or_else(|| "nothing".to_owned(), Value::to_string);
            out.push(
                "invalid_driver_status",
                "orderID",
                format!("{shown} is not an order id: it is required"),
            );
            None
        }
    };
    let code = match field(fields, "driverStatus") {
        Some(Value::Object(status)) => match field(status, "code") {
            Some(Value::String(code)) => Some(code.trim().to_owned()),
            other => {
                let shown = other.map_or_else(|| "nothing".to_owned(), Value::to_string);
                out.push(
                    "invalid_driver_status",
                    "driverStatus.code",
                    format!("{shown} is not a status code: it is required"),
                );
                None
            }
        },
        other => {
            let shown = other.map_or_else(|| "nothing".to_owned(), Value::to_string);
            out.push(
                "invalid_driver_status",
                "driverStatus",
                format!("{shown} is not an object with a code: it is required"),
            );
            None
        }
    };
    let kind = code.as_deref().and_then(|c| {
        let kind = kind_of(c);
        if kind.is_none() {
            let known: Vec<&str> = CODES.iter().map(|(c, _)| *c).collect();
            out.push(
                "invalid_driver_status",
                "driverStatus.code",
                format!(
                    "{c:?} is not a driver status the hub knows (one of {})",
                    known.join(", ")
                ),
            );
        }
        kind
    });
    let at = match field(fields, "happenedAt") {
        None | Some(Value::Null) => None,
        Some(value) => {
            let parsed = value.as_str().and_then(time);
            if parsed.is_none() {
                out.push(
                    "invalid_driver_status",
                    "happenedAt",
                    format!(
                        "{value} is not a date-time (RFC 3339, e.g. 2022-08-15T10:12:56.371917Z)"
                    ),
                );
            }
            parsed
        }
    };
    let (Some(order_id), Some(code), Some(kind)) = (order_id, code, kind) else {
        return Err(out.into_vec());
    };
    out.into_result(DriverStatus {
        order_id,
        code,
        event: Event {
            kind,
            at: at.unwrap_or(now),
            received_at: now,
            source: SOURCE.to_owned(),
            eta: None,
            detail: doc.clone(),
        },
    })
}

/// `name` in `fields`, ignoring case.
fn field<'a>(fields: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    fields
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests;
