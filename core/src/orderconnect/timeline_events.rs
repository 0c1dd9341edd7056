//! Just Eat's Partner API webhooks that tell the hub what happened to an order beyond its
//! status (issue 18): each becomes one event on the order's timeline
//! ([`crate::order::timeline`]). One table, [`WEBHOOKS`], says per webhook which event it is,
//! which `Event` value it carries and which of its fields are the time it happened and the
//! ETA; [`read`] applies it to any of them, so a webhook is added by adding a row.
//!
//! | rule | decision |
//! |------|----------|
//! | the body | a JSON object (anything else is refused) |
//! | field names | matched ignoring case: the spec's PascalCase, camelCase and any mix |
//! | the order | `OrderId` in the body, else `?OrderId=` on the URL Just Eat calls (some of the spec's schemas have none, so a partner registers the URL with it); required, not blank |
//! | `Event` | absent or the row's value (case and spaces ignored); another is refused, naming it |
//! | the time it happened | the row's time fields (a `.` path reaches into objects), the first present; none: when it arrived |
//! | a time | RFC 3339, any fraction, `Z` or an offset; without an offset it is UTC (as the spec's `PlacedDate`); else refused naming the field and the value |
//! | the ETA | the row's ETA fields, the first present, read like a time |
//! | the driver's position | the row's location field (`driver-location`: `Location`): required, an object whose `Latitude` is a number in [-90, 90] and `Longitude` in [-180, 180]; else refused naming the field |
//! | the status ([`effect`]) | a `delivered` event moves the order to 30, a `rejected` one (the restaurant rejected it on Just Eat) to 5, when its lifecycle allows it (the front-end and the channel told as for any status); already there, or not allowed from where it is (a courier order still at 10, a cancelled one): nothing moves, the event is still recorded |
//! | `detail` | the whole body, for the trusted reader |
//!
//! Every problem is reported at once.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{Map, Value};

use crate::order::lifecycle::{self, Notify, Status};
use crate::order::timeline::{Event, Kind};
use crate::order::DeliveryMethod;
use crate::outbound::url_guard::OutboundUrl;
use crate::problem::{Violation, Violations};

/// How one webhook reads as a timeline event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Webhook {
    /// Its name: the seed's path without the `/`, and the last segment of the hub's route.
    pub name: &'static str,
    pub kind: Kind,
    /// The `Event` value it carries, compared ignoring case and spaces.
    pub event: Option<&'static str>,
    /// The fields that may hold when it happened, in order of preference.
    pub at: &'static [&'static str],
    /// The fields that may hold an ETA, in order of preference.
    pub eta: &'static [&'static str],
    /// The field that must hold the driver's position (`{Latitude, Longitude}`), if any.
    pub location: Option<&'static str>,
}

/// Every Partner API webhook that becomes a timeline event.
pub const WEBHOOKS: &[Webhook] = &[
    Webhook {
        // FACTS §5.1, schema `OrderAcceptanceOrderAcceptedYaml`: `AcceptedFor` is the time the
        // restaurant accepted the order for.
        name: "order-accepted",
        kind: Kind::Accepted,
        event: Some("OrderAccepted"),
        at: &[],
        eta: &["AcceptedFor"],
        location: None,
    },
    // The five driver-status webhooks share schema `DeliveryWebhooksDriverStatusYaml`:
    // `{OrderId, Event, TimeStamp, DriverName, DriverContactNumber, EstimatedPickupTime,
    // EstimatedDeliveryTime}`, `Event` one of `DriverAssigned`, `DriverAtRestaurant`,
    // `OnItsWay`, `AtDeliveryAddress`, `Delivered`. The ETA is the next one the customer
    // waits for: the pickup while the driver heads to the restaurant, then the delivery.
    Webhook {
        name: "driver-assigned-to-delivery",
        kind: Kind::DriverAssigned,
        event: Some("DriverAssigned"),
        at: &["TimeStamp"],
        eta: &["EstimatedPickupTime", "EstimatedDeliveryTime"],
        location: None,
    },
    Webhook {
        name: "driver-at-restaurant",
        kind: Kind::DriverAtRestaurant,
        event: Some("DriverAtRestaurant"),
        at: &["TimeStamp"],
        eta: &["EstimatedDeliveryTime"],
        location: None,
    },
    Webhook {
        name: "driver-on-their-way-to-delivery-address",
        kind: Kind::DriverOnTheWay,
        event: Some("OnItsWay"),
        at: &["TimeStamp"],
        eta: &["EstimatedDeliveryTime"],
        location: None,
    },
    Webhook {
        name: "driver-at-delivery-address",
        kind: Kind::DriverAtAddress,
        event: Some("AtDeliveryAddress"),
        at: &["TimeStamp"],
        eta: &[],
        location: None,
    },
    Webhook {
        name: "driver-has-delivered-order",
        kind: Kind::Delivered,
        event: Some("Delivered"),
        at: &["TimeStamp"],
        eta: &[],
        location: None,
    },
    Webhook {
        // Schema `DeliveryWebhooksDriverLocationYaml`: `{OrderId, TimeStamp, Location}`,
        // `Location` being `OrdersApiV2LocationV2Yaml` (`Latitude`, `Longitude` required).
        name: "driver-location",
        kind: Kind::DriverLocation,
        event: None,
        at: &["TimeStamp"],
        eta: &[],
        location: Some("Location"),
    },
    Webhook {
        // FACTS §5.2, schema `OrderAcceptanceOrderRejectedYaml`: `{Event, RejectedAt,
        // RejectedReason, RejectedBy}`, no order id (so the URL carries it). The order is
        // cancelled ([`effect`]).
        name: "order-rejected",
        kind: Kind::Rejected,
        event: Some("OrderRejected"),
        at: &["RejectedAt"],
        eta: &[],
        location: None,
    },
    Webhook {
        // FACTS §5.4, schema `DeliveryWebhooksReadyForPickupYaml`: `{Event: "Ready for
        // pickup", Timestamp}`, no order id either.
        name: "order-is-ready-for-pickup",
        kind: Kind::ReadyForPickup,
        event: Some("Ready for pickup"),
        at: &["Timestamp"],
        eta: &[],
        location: None,
    },
    // The attempted-delivery webhooks (tag "Attempted Delivery Webhooks"): `{OrderId,
    // RestaurantId, Tenant, …}` with no time of their own.
    Webhook {
        // `AttemptedDeliveryAttemptedDeliveryCreatedYaml`: `Reason`.
        name: "delivery-failed",
        kind: Kind::DeliveryFailed,
        event: None,
        at: &[],
        eta: &[],
        location: None,
    },
    Webhook {
        // `Update`, `Notes`: what the customer asked.
        name: "redelivery-requested",
        kind: Kind::RedeliveryRequested,
        event: None,
        at: &[],
        eta: &[],
        location: None,
    },
    Webhook {
        // `AttemptedDeliveryAttemptedDeliveryResolvedYaml`: `Resolution.Type`
        // (`redeliver_order`, …) and, for a redelivery, its new due date.
        name: "attempted-delivery-query-resolved",
        kind: Kind::AttemptedDeliveryResolved,
        event: None,
        at: &[],
        eta: &["Resolution.Redelivery.NewDueDate"],
        location: None,
    },
];

/// `order-requires-delivery-acceptance` (FACTS §5.5, schema `DeliveryWebhooksConnectorderListYaml`):
/// a JSON **array** of Just Eat orders offered for delivery, each read like a row of
/// [`WEBHOOKS`] by [`read_list`] (answered `201`, its own route). The ETA is when the driver
/// must be at the restaurant (`Order.RdsPickupTimeWithUtcOffset`), else the time promised
/// to the customer (`Order.DueDateWithUtcOffset`).
pub const DELIVERY_ACCEPTANCE: Webhook = Webhook {
    name: "order-requires-delivery-acceptance",
    kind: Kind::RequiresDeliveryAcceptance,
    event: None,
    at: &[],
    eta: &[
        "Order.RdsPickupTimeWithUtcOffset",
        "Order.DueDateWithUtcOffset",
    ],
    location: None,
};

/// Reads a JSON array of `hook` bodies: one [`Noted`] per element, with its bytes (the
/// element's own dedup key), or every problem of every element, each field prefixed with
/// the element (`[1].OrderId`). An empty array is refused.
pub fn read_list(
    hook: &Webhook,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<Vec<(Noted, Vec<u8>)>, Vec<Violation>> {
    let mut out = Violations::new();
    let items = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(items)) => items,
        Ok(_) => {
            out.add(Violation::new(
                "bad_request",
                None,
                format!("a {} body is a JSON array of orders", hook.name),
            ));
            return Err(out.into_vec());
        }
        Err(err) => {
            out.add(Violation::new(
                "bad_request",
                None,
                format!("not JSON: {err}"),
            ));
            return Err(out.into_vec());
        }
    };
    if items.is_empty() {
        out.push("bad_request", "[]", "at least one order is required");
    }
    let mut read_all = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        // The element's own bytes key its event, so each is recorded once.
        let bytes = item.to_string().into_bytes();
        match read_doc(hook, item, None, now) {
            Ok(noted) => read_all.push((noted, bytes)),
            Err(found) => out.extend_at(
                found.into_iter().map(|mut v| {
                    v.field = Some(v.field.map_or_else(String::new, |f| format!(".{f}")));
                    v
                }),
                format!("[{i}]"),
            ),
        }
    }
    out.into_result(read_all)
}

/// The row of the webhook called `name`.
pub fn webhook(name: &str) -> Option<&'static Webhook> {
    WEBHOOKS.iter().find(|w| w.name == name)
}

/// A webhook read: the Just Eat order it names and the event it adds.
#[derive(Debug, Clone, PartialEq)]
pub struct Noted {
    pub order_id: String,
    pub event: Event,
}

/// Reads `body` as `hook`, received at `now`; `query_order_id` is `?OrderId=` of the URL.
pub fn read(
    hook: &Webhook,
    body: &[u8],
    query_order_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Noted, Vec<Violation>> {
    let doc: Value = serde_json::from_slice(body).map_err(|err| {
        vec![Violation::new(
            "bad_request",
            None,
            format!("not JSON: {err}"),
        )]
    })?;
    read_doc(hook, doc, query_order_id, now)
}

/// [`read`] of a body already parsed (an element of [`read_list`]'s array).
fn read_doc(
    hook: &Webhook,
    doc: Value,
    query_order_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Noted, Vec<Violation>> {
    let mut out = Violations::new();
    let Value::Object(fields) = &doc else {
        out.add(Violation::new(
            "bad_request",
            None,
            format!("a {} body is a JSON object", hook.name),
        ));
        return Err(out.into_vec());
    };
    let from_query = || {
        query_order_id
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let mut refused_id = false;
    let order_id = match field(fields, "OrderId") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Null) | None => from_query(),
        Some(Value::String(_)) => from_query(),
        Some(other) => {
            out.push(
                "bad_request",
                "OrderId",
                format!("{other} is not an order id"),
            );
            refused_id = true;
            None
        }
    };
    if order_id.is_none() && !refused_id {
        out.push(
            "bad_request",
            "OrderId",
            "is required: in the body or as ?OrderId= on the URL",
        );
    }
    if let (Some(want), Some(got)) = (hook.event, field(fields, "Event")) {
        let same = got
            .as_str()
            .is_some_and(|g| squash(g).eq_ignore_ascii_case(&squash(want)));
        if !same {
            out.push(
                "bad_request",
                "Event",
                format!("{got} is not {want}: this endpoint takes {}", hook.name),
            );
        }
    }
    let at = first_time(&mut out, fields, hook.at);
    let eta = first_time(&mut out, fields, hook.eta);
    if let Some(name) = hook.location {
        check_location(&mut out, fields, name);
    }
    let Some(order_id) = order_id else {
        return Err(out.into_vec());
    };
    out.into_result(Noted {
        order_id,
        event: Event {
            kind: hook.kind,
            at: at.unwrap_or(now),
            received_at: now,
            source: hook.name.to_owned(),
            eta,
            detail: doc,
        },
    })
}

/// What an event does to the order's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusEffect {
    /// The event says nothing about the status.
    None,
    /// Move to `notify.status` and notify as the lifecycle says.
    Move(Notify),
    /// The order is already there (a repeated webhook): nothing moves.
    Already,
    /// The lifecycle does not allow it from where the order is: nothing moves (the event is
    /// still on the timeline).
    NotAllowed(Violation),
}

/// The status an event of `kind` moves an order to: `delivered` to 30; `rejected` (the
/// restaurant rejected it on Just Eat, so no one will eat it) to 5.
pub fn status_of(kind: Kind) -> Option<Status> {
    match kind {
        Kind::Delivered => Some(Status::Delivered),
        Kind::Rejected => Some(Status::Cancelled),
        _ => None,
    }
}

/// What the status history says of a move an event caused, e.g. `delivered (Just Eat:
/// driver-has-delivered-order)`.
/// A rejection adds its `RejectedReason`: `rejected (Just Eat: order-rejected): Kitchen
/// overloaded`.
pub fn history_reason(event: &Event) -> String {
    let base = format!("{} (Just Eat: {})", event.kind.as_str(), event.source);
    let why = match &event.detail {
        Value::Object(fields) => field(fields, "RejectedReason")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|r| !r.is_empty()),
        _ => None,
    };
    match why {
        Some(why) => format!("{base}: {why}"),
        None => base,
    }
}

/// What an event of `kind` does to an order delivered by `method`, at `from`.
pub fn effect(
    kind: Kind,
    method: DeliveryMethod,
    from: Status,
    status_url: Option<&OutboundUrl>,
) -> StatusEffect {
    let Some(to) = status_of(kind) else {
        return StatusEffect::None;
    };
    if from == to {
        return StatusEffect::Already;
    }
    match lifecycle::transition(method, from, to, status_url) {
        Ok(notify) => StatusEffect::Move(notify),
        Err(refused) => StatusEffect::NotAllowed(refused),
    }
}

/// The driver's position in `fields[name]`: required, `Latitude` and `Longitude` numbers in
/// range.
fn check_location(out: &mut Violations, fields: &Map<String, Value>, name: &str) {
    let Some(Value::Object(place)) = field(fields, name) else {
        out.push(
            "bad_request",
            name,
            "is required: an object with Latitude and Longitude",
        );
        return;
    };
    for (part, limit) in [("Latitude", 90.0), ("Longitude", 180.0)] {
        let value = field(place, part);
        let ok = value
            .and_then(Value::as_f64)
            .is_some_and(|v| (-limit..=limit).contains(&v));
        if !ok {
            let shown = value.map_or_else(|| "nothing".to_owned(), Value::to_string);
            out.push(
                "bad_request",
                format!("{name}.{part}"),
                format!("{shown} is not a number in [-{limit}, {limit}]"),
            );
        }
    }
}

/// `name` in `fields`, ignoring case.
fn field<'a>(fields: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    fields
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The first of `names` present and not null, read as a time.
/// `path` in `fields`: names joined by `.` (`Resolution.Redelivery.NewDueDate`), each
/// matched ignoring case.
fn nested<'a>(fields: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut names = path.split('.');
    let mut value = field(fields, names.next()?)?;
    for name in names {
        value = match value {
            Value::Object(inner) => field(inner, name)?,
            _ => return None,
        };
    }
    Some(value)
}

fn first_time(
    out: &mut Violations,
    fields: &Map<String, Value>,
    names: &[&str],
) -> Option<DateTime<Utc>> {
    let (name, value) = names
        .iter()
        .find_map(|n| nested(fields, n).filter(|v| !v.is_null()).map(|v| (*n, v)))?;
    let parsed = value.as_str().and_then(time);
    if parsed.is_none() {
        out.push(
            "bad_request",
            name,
            format!("{value} is not a date-time (RFC 3339, e.g. 2018-03-10T14:45:28.000Z)"),
        );
    }
    parsed
}

/// RFC 3339 with any fraction; without an offset, UTC.
pub fn time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|t| t.and_utc())
        })
}

#[cfg(test)]
mod tests;
