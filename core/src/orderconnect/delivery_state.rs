//! What Just Eat is told as an Orderconnect order moves through Jupiter's statuses
//! (FACTS §4: `PUT /orders/{orderId}/deliverystate/…`), and the driver-location relay's
//! rate limit. Pure: the edge stages the calls through the outbox, whose per-order
//! ordering key sends them in the order they happen.
//!
//! Each call tells Just Eat something that happened, at the moment it happened:
//!
//! | moment | call |
//! |---|---|
//! | the operator names the courier (`PUT /admin/orders/{order_id}/driver`, Just Eat's own `driverassigned` body; status 0, 10 or 20) | `driverassigned` with that driver |
//! | 0/10 → 20: Jupiter's "Доставляется", the courier leaves with the food | `onitsway` |
//! | 0/10/20 → 30 (delivered) | `delivered` |
//! | 0 → 10 (the kitchen starts) | none |
//! | → 5 (cancelled) | **none** |
//!
//! Only `Delivery` orders are reported: a `Collection` order has no courier, so nothing is
//! sent for it at all (no `delivered`, no `driverunassigned`).
//!
//! **No invented driver:** Jupiter's statuses carry no driver identity and Just Eat requires
//! `DriverName` or `VehicleDetails` in `driverassigned` (FACTS §4.1), so the call is made
//! only when the operator names the driver; without one Just Eat is not told of an
//! assignment (the later `onitsway` and `delivered` still are).
//!
//! **Cancellation:** the delivery-state API offers a delivery partner no cancellation call.
//! `driverunassigned` means "this driver dropped the job" (Just Eat would look for another
//! driver), so it is not sent to disguise a cancellation: the restaurant must cancel with
//! Just Eat through another channel (Just Eat's restaurant tools or its partner support).
//! It is sent only when the operator reports an unassignment (`PUT /admin/orders/{order_id}/delivery-state/driverunassigned`,
//! FACTS §4.2, before the order is delivered or cancelled).
//!
//! Every body carries `TimeStampWithUtcOffset`: the moment of the change in the order's
//! zone (`translate::order_zone`: the restaurant's IANA zone, with the offset in force at
//! that moment, else a fixed offset; FACTS §2: local time with its offset, milliseconds).
//!
//! Driver positions: Just Eat asks for one about every 10 seconds (FACTS §4.8); the hub
//! relays at most one per [`DRIVER_LOCATION_INTERVAL_SECS`] per order and answers a faster
//! one `429` with the seconds to wait.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Map, Number, Value};

use crate::order::lifecycle::{Status, Teller};
use crate::outbound::url_guard::encode_component;
use crate::problem::{Path, Violation, Violations};
use crate::tz::LocalZone;

/// The documented cadence of driver positions (FACTS §4.8: "roughly every 10 seconds").
pub const DRIVER_LOCATION_INTERVAL_SECS: i64 = 10;

/// One delivery-state endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryState {
    DriverAssigned,
    OnItsWay,
    Delivered,
    DriverUnassigned,
    DriverLocation,
    /// The driver is at the restaurant, ready to pick up (FACTS §4.3).
    AtRestaurant,
    /// An early estimate of the driver's arrival at the restaurant: what starts food
    /// preparation (FACTS §4.4, camelCase body).
    AtRestaurantEta,
    /// The driver believes they have reached the customer (FACTS §4.6); distinct from
    /// `delivered`, the gap measures the time spent finding the customer.
    AtDeliveryAddress,
}

impl DeliveryState {
    /// The last path segment: `/orders/{orderId}/deliverystate/<this>`.
    pub fn segment(self) -> &'static str {
        match self {
            DeliveryState::DriverAssigned => "driverassigned",
            DeliveryState::OnItsWay => "onitsway",
            DeliveryState::Delivered => "delivered",
            DeliveryState::DriverUnassigned => "driverunassigned",
            DeliveryState::DriverLocation => "driverlocation",
            DeliveryState::AtRestaurant => "atrestaurant",
            DeliveryState::AtRestaurantEta => "atrestauranteta",
            DeliveryState::AtDeliveryAddress => "atdeliveryaddress",
        }
    }

    /// The states an operator reports through `PUT /admin/orders/{order_id}/delivery-state/{state}`
    /// (the others have their own endpoint or follow the order's status).
    pub fn reported(segment: &str) -> Option<DeliveryState> {
        match segment {
            "atrestaurant" => Some(DeliveryState::AtRestaurant),
            "atrestauranteta" => Some(DeliveryState::AtRestaurantEta),
            "atdeliveryaddress" => Some(DeliveryState::AtDeliveryAddress),
            "driverunassigned" => Some(DeliveryState::DriverUnassigned),
            _ => None,
        }
    }
}

/// The path of the bulk driver-location call (FACTS §4.9): no order in the path, each
/// element names its own.
pub const BULK_LOCATION_PATH: &str = "/orders/deliverystate/driverlocation";

/// One `PUT` to make: the path below Just Eat's base URL and the JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct StateCall {
    pub state: DeliveryState,
    pub path: String,
    pub body: Value,
}

/// The path of a delivery-state call for an order.
pub fn path(order_id: &str, state: DeliveryState) -> String {
    format!(
        "/orders/{}/deliverystate/{}",
        encode_component(order_id),
        state.segment()
    )
}

/// A timestamp as Just Eat wants it: local time with its offset and milliseconds
/// (`2026-11-25T14:52:35.544+01:00`), in the offset the restaurant's zone has at that
/// instant (summer time included).
pub fn timestamp(at: DateTime<Utc>, zone: &LocalZone) -> String {
    zone.to_offset(at)
        .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
        .to_string()
}

/// The calls a status change owes Just Eat, in the order they must arrive. `zone` is
/// the order's (see `translate::order_zone`), `at` the moment of the change.
pub fn calls(
    order_id: &str,
    from: Status,
    to: Status,
    at: DateTime<Utc>,
    zone: &LocalZone,
) -> Vec<StateCall> {
    let stamp = timestamp(at, zone);
    let call = |state: DeliveryState, body: Value| StateCall {
        state,
        path: path(order_id, state),
        body,
    };
    match (from, to) {
        (Status::New | Status::Cooking, Status::Delivering) => vec![call(
            DeliveryState::OnItsWay,
            json!({"TimeStampWithUtcOffset": stamp}),
        )],
        (Status::New | Status::Cooking | Status::Delivering, Status::Delivered) => vec![call(
            DeliveryState::Delivered,
            json!({"TimeStampWithUtcOffset": stamp}),
        )],
        _ => Vec::new(),
    }
}

/// Whether a status change owes Just Eat its delivery states: not when Just Eat itself told
/// the hub (its `driver-has-delivered-order` moving the order to 30), for Just Eat already
/// knows and would only hear its own report back.
pub fn owed(teller: Teller) -> bool {
    teller == Teller::Hub
}

/// Whether an order of this service type is reported to Just Eat at all: only a
/// `Delivery` has a courier to report on.
pub fn reports(service_type: &str) -> bool {
    service_type == "Delivery"
}

/// Whether the operator may name a driver for an order at this status: before it is
/// delivered or cancelled.
pub fn driver_assignable(status: Status) -> bool {
    matches!(status, Status::New | Status::Cooking | Status::Delivering)
}

/// A driver as the operator names one: Just Eat's own `driverassigned` body (FACTS §4.1),
/// `TimeStampWithUtcOffset` optional (the hub stamps the time it arrived).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DriverAssignedRequest {
    #[serde(default)]
    pub driver_name: Option<String>,
    #[serde(default)]
    pub driver_id: Option<String>,
    #[serde(default)]
    pub driver_contact_number: Option<String>,
    #[serde(default)]
    pub vehicle_details: Option<VehicleIn>,
    #[serde(default)]
    pub location: Option<LocationIn>,
    #[serde(default)]
    pub eta_at_restaurant: Option<String>,
    #[serde(default)]
    pub eta_at_delivery_address: Option<String>,
    #[serde(default)]
    pub time_stamp_with_utc_offset: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VehicleIn {
    #[serde(default)]
    pub vehicle: Option<String>,
    #[serde(default)]
    pub vehicle_registration: Option<String>,
}

fn nonblank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The `driverassigned` body for a driver the operator named, or every violation (field
/// names as the operator wrote them). Just Eat needs `DriverName` or `VehicleDetails`.
pub fn driver_assigned_body(
    req: &DriverAssignedRequest,
    now: DateTime<Utc>,
    zone: &LocalZone,
) -> Result<Value, Vec<Violation>> {
    let mut out = Violations::new();
    let mut body = Map::new();
    let vehicle = req.vehicle_details.clone().unwrap_or_default();
    let mut v = Map::new();
    if let Some(k) = nonblank(&vehicle.vehicle) {
        v.insert("Vehicle".to_owned(), Value::String(k.to_owned()));
    }
    if let Some(r) = nonblank(&vehicle.vehicle_registration) {
        v.insert(
            "VehicleRegistration".to_owned(),
            Value::String(r.to_owned()),
        );
    }
    let name = nonblank(&req.driver_name);
    if name.is_none() && v.is_empty() {
        out.push(
            "missing_field",
            "DriverName",
            "is required (or VehicleDetails): Just Eat needs to know who the driver is",
        );
    }
    if let Some(n) = name {
        body.insert("DriverName".to_owned(), Value::String(n.to_owned()));
    }
    if !v.is_empty() {
        body.insert("VehicleDetails".to_owned(), Value::Object(v));
    }
    for (key, value) in [
        ("DriverId", nonblank(&req.driver_id)),
        ("DriverContactNumber", nonblank(&req.driver_contact_number)),
    ] {
        if let Some(x) = value {
            body.insert(key.to_owned(), Value::String(x.to_owned()));
        }
    }
    if req.location.is_some() {
        let located = driver_location_body(
            &DriverLocationRequest {
                location: req.location.clone(),
                ..Default::default()
            },
            now,
            zone,
        );
        match located {
            Ok(Value::Object(mut m)) => {
                if let Some(l) = m.remove("Location") {
                    body.insert("Location".to_owned(), l);
                }
            }
            Ok(_) => {}
            Err(v) => out.extend(v),
        }
    }
    for (key, raw) in [
        ("EtaAtRestaurant", &req.eta_at_restaurant),
        ("EtaAtDeliveryAddress", &req.eta_at_delivery_address),
    ] {
        if let Some(t) = rfc3339(raw, key, zone, &mut out) {
            body.insert(key.to_owned(), Value::String(t));
        }
    }
    let stamp = rfc3339(
        &req.time_stamp_with_utc_offset,
        "TimeStampWithUtcOffset",
        zone,
        &mut out,
    )
    .unwrap_or_else(|| timestamp(now, zone));
    body.insert("TimeStampWithUtcOffset".to_owned(), Value::String(stamp));
    out.into_result(Value::Object(body))
}

/// Whether a driver position may be relayed now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocationDecision {
    Send,
    /// Too soon after the last one: wait this many seconds.
    TooSoon {
        retry_after_secs: i64,
    },
}

/// The rate limit: one position per [`DRIVER_LOCATION_INTERVAL_SECS`] per order.
pub fn location_decision(last_sent: Option<DateTime<Utc>>, now: DateTime<Utc>) -> LocationDecision {
    match last_sent {
        Some(last) => {
            let next = last.timestamp_millis() + DRIVER_LOCATION_INTERVAL_SECS * 1000;
            let wait_ms = next - now.timestamp_millis();
            if wait_ms > 0 {
                LocationDecision::TooSoon {
                    retry_after_secs: (wait_ms + 999) / 1000,
                }
            } else {
                LocationDecision::Send
            }
        }
        None => LocationDecision::Send,
    }
}

/// A driver position as a delivery partner posts it to the hub: Just Eat's own body
/// (FACTS §4.8), `TimeStampWithUtcOffset` optional (the hub stamps the time it arrived).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DriverLocationRequest {
    #[serde(default)]
    pub location: Option<LocationIn>,
    #[serde(default)]
    pub eta_at_restaurant: Option<String>,
    #[serde(default)]
    pub eta_at_delivery_address: Option<String>,
    #[serde(default)]
    pub time_stamp_with_utc_offset: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LocationIn {
    #[serde(default)]
    pub latitude: Option<Number>,
    #[serde(default)]
    pub longitude: Option<Number>,
    #[serde(default)]
    pub speed: Option<Number>,
    #[serde(default)]
    pub heading: Option<Number>,
    #[serde(default)]
    pub accuracy: Option<Number>,
}

/// A location field: its name, the value, its range and whether it is required.
type LocationField<'a> = (&'a str, &'a Option<Number>, (f64, f64), bool);

fn ranged(
    n: &Option<Number>,
    field: Path<'_>,
    range: (f64, f64),
    required: bool,
    out: &mut Violations,
) -> Option<Number> {
    let Some(n) = n else {
        if required {
            out.push("missing_field", field, "is required");
        }
        return None;
    };
    match n.as_f64() {
        Some(f) if f.is_finite() && f >= range.0 && f <= range.1 => Some(n.clone()),
        _ => {
            out.push(
                "invalid_value",
                field,
                format!("must be a number from {} to {}, got {n}", range.0, range.1),
            );
            None
        }
    }
}

fn rfc3339(
    raw: &Option<String>,
    field: &str,
    zone: &LocalZone,
    out: &mut Violations,
) -> Option<String> {
    let raw = raw.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    match DateTime::parse_from_rfc3339(raw) {
        Ok(t) => Some(timestamp(t.with_timezone(&Utc), zone)),
        Err(_) => {
            out.push(
                "bad_date",
                field,
                format!("must be an RFC 3339 date-time with an offset, got {raw:?}"),
            );
            None
        }
    }
}

/// The `driverlocation` body for a posted position, or every violation (field names as
/// the partner wrote them). Times are rewritten in the order's zone.
pub fn driver_location_body(
    req: &DriverLocationRequest,
    now: DateTime<Utc>,
    zone: &LocalZone,
) -> Result<Value, Vec<Violation>> {
    let mut out = Violations::new();
    let location = req.location.clone().unwrap_or_default();
    if req.location.is_none() {
        out.push("missing_field", "Location", "is required");
    }
    let loc = match req.location.is_some() {
        true => location_map(&location, &mut out),
        false => Map::new(),
    };
    let mut body = Map::new();
    body.insert("Location".to_owned(), Value::Object(loc));
    if let Some(t) = rfc3339(&req.eta_at_restaurant, "EtaAtRestaurant", zone, &mut out) {
        body.insert("EtaAtRestaurant".to_owned(), Value::String(t));
    }
    if let Some(t) = rfc3339(
        &req.eta_at_delivery_address,
        "EtaAtDeliveryAddress",
        zone,
        &mut out,
    ) {
        body.insert("EtaAtDeliveryAddress".to_owned(), Value::String(t));
    }
    let stamp = rfc3339(
        &req.time_stamp_with_utc_offset,
        "TimeStampWithUtcOffset",
        zone,
        &mut out,
    )
    .unwrap_or_else(|| timestamp(now, zone));
    body.insert("TimeStampWithUtcOffset".to_owned(), Value::String(stamp));
    out.into_result(Value::Object(body))
}

/// A `Location` (FACTS §3.1) checked field by field: latitude and longitude required and in
/// range, the rest optional and in range.
fn location_map(location: &LocationIn, out: &mut Violations) -> Map<String, Value> {
    let mut loc = Map::new();
    let fields: [LocationField<'_>; 5] = [
        ("Latitude", &location.latitude, (-90.0, 90.0), true),
        ("Longitude", &location.longitude, (-180.0, 180.0), true),
        ("Speed", &location.speed, (0.0, 1000.0), false),
        ("Heading", &location.heading, (0.0, 360.0), false),
        ("Accuracy", &location.accuracy, (0.0, 100_000.0), false),
    ];
    let location_path = Path::root("Location");
    for (name, value, range, required) in fields {
        if let Some(n) = ranged(value, location_path.field(name), range, required, out) {
            loc.insert(name.to_owned(), Value::Number(n));
        }
    }
    loc
}

/// What the operator (or the fleet's app) reports for `atrestaurant`, `atrestauranteta`,
/// `atdeliveryaddress` or `driverunassigned`: Just Eat's own body for that state. `atrestauranteta`'s keys are
/// camelCase in the spec (`bestGuess`, `estimatedAt`); PascalCase is accepted too.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StateRequest {
    #[serde(default)]
    pub driver_id: Option<String>,
    #[serde(default)]
    pub location: Option<LocationIn>,
    #[serde(default)]
    pub eta_at_delivery_address: Option<String>,
    #[serde(default)]
    pub time_stamp_with_utc_offset: Option<String>,
    #[serde(default, rename = "bestGuess", alias = "BestGuess")]
    pub best_guess: Option<String>,
    #[serde(default, rename = "estimatedAt", alias = "EstimatedAt")]
    pub estimated_at: Option<String>,
    /// `driverunassigned` (FACTS §4.2): who the driver was, who unassigned them and why.
    #[serde(default)]
    pub driver_name: Option<String>,
    #[serde(default)]
    pub driver_contact_number: Option<String>,
    #[serde(default)]
    pub unassigned_by: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub eta_at_restaurant: Option<String>,
    /// The spec's schema spells the key `Location:` (a typo, FACTS §4.2); read as `Location`.
    #[serde(default, rename = "Location:")]
    pub location_colon: Option<LocationIn>,
}

/// The body of a reported state (FACTS §4.2, §4.3, §4.4, §4.6), or every violation. Times are
/// rewritten in the order's zone with its offset; a missing timestamp is `now`.
/// `atrestauranteta` needs `bestGuess`, later than `estimatedAt` (Just Eat's own 400).
pub fn state_body(
    state: DeliveryState,
    req: &StateRequest,
    now: DateTime<Utc>,
    zone: &LocalZone,
) -> Result<Value, Vec<Violation>> {
    let mut out = Violations::new();
    let mut body = Map::new();
    if state == DeliveryState::AtRestaurantEta {
        let guess_raw = req
            .best_guess
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if guess_raw.is_none() {
            out.push(
                "missing_field",
                "bestGuess",
                "is required: the estimated arrival at the restaurant starts the cooking",
            );
        }
        let guess = instant(&req.best_guess, "bestGuess", &mut out);
        let at = instant(&req.estimated_at, "estimatedAt", &mut out);
        let estimated = at.unwrap_or(now);
        if let Some(g) = guess {
            if g <= estimated {
                out.push(
                    "invalid_value",
                    "bestGuess",
                    format!(
                        "must be later than estimatedAt ({}), got {}",
                        timestamp(estimated, zone),
                        timestamp(g, zone)
                    ),
                );
            }
            body.insert("bestGuess".to_owned(), Value::String(timestamp(g, zone)));
        }
        body.insert(
            "estimatedAt".to_owned(),
            Value::String(timestamp(estimated, zone)),
        );
        return out.into_result(Value::Object(body));
    }
    if state == DeliveryState::AtDeliveryAddress {
        if let Some(d) = nonblank(&req.driver_id) {
            body.insert("DriverId".to_owned(), Value::String(d.to_owned()));
        }
    }
    if state == DeliveryState::DriverUnassigned {
        for (name, value) in [
            ("DriverName", &req.driver_name),
            ("DriverContactNumber", &req.driver_contact_number),
            ("UnassignedBy", &req.unassigned_by),
            ("Reason", &req.reason),
            ("Comment", &req.comment),
        ] {
            if let Some(v) = nonblank(value) {
                body.insert(name.to_owned(), Value::String(v.to_owned()));
            }
        }
        if let Some(t) = rfc3339(&req.eta_at_restaurant, "EtaAtRestaurant", zone, &mut out) {
            body.insert("EtaAtRestaurant".to_owned(), Value::String(t));
        }
    }
    if let Some(l) = req.location.as_ref().or(req.location_colon.as_ref()) {
        body.insert(
            "Location".to_owned(),
            Value::Object(location_map(l, &mut out)),
        );
    }
    if matches!(
        state,
        DeliveryState::AtRestaurant | DeliveryState::DriverUnassigned
    ) {
        if let Some(t) = rfc3339(
            &req.eta_at_delivery_address,
            "EtaAtDeliveryAddress",
            zone,
            &mut out,
        ) {
            body.insert("EtaAtDeliveryAddress".to_owned(), Value::String(t));
        }
    }
    let stamp = rfc3339(
        &req.time_stamp_with_utc_offset,
        "TimeStampWithUtcOffset",
        zone,
        &mut out,
    )
    .unwrap_or_else(|| timestamp(now, zone));
    body.insert("TimeStampWithUtcOffset".to_owned(), Value::String(stamp));
    out.into_result(Value::Object(body))
}

fn instant(raw: &Option<String>, field: &str, out: &mut Violations) -> Option<DateTime<Utc>> {
    let raw = raw.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    match DateTime::parse_from_rfc3339(raw) {
        Ok(t) => Some(t.with_timezone(&Utc)),
        Err(_) => {
            out.push(
                "bad_date",
                field,
                format!("must be an RFC 3339 date-time with an offset, got {raw:?}"),
            );
            None
        }
    }
}

/// One element of the bulk driver-location report: `OrderId` (the hub's order id) and Just
/// Eat's `driverlocation` body.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BulkLocationIn {
    #[serde(default)]
    pub order_id: Option<String>,
    #[serde(flatten)]
    pub position: DriverLocationRequest,
}

/// One element of Just Eat's bulk body (FACTS §4.9): its `driverlocation` body with the
/// Just Eat `OrderId` first.
pub fn bulk_element(just_eat_order_id: &str, body: Value) -> Value {
    let mut m = Map::new();
    m.insert(
        "OrderId".to_owned(),
        Value::String(just_eat_order_id.to_owned()),
    );
    if let Value::Object(rest) = body {
        m.extend(rest);
    }
    Value::Object(m)
}

#[cfg(test)]
mod state_tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn zone() -> LocalZone {
        LocalZone::Fixed(
            crate::domain::UtcOffset::parse("+01:00", "utc_offset")
                .unwrap_or_else(|v| panic!("{v:?}")),
        )
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-05T12:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn req(v: Value) -> StateRequest {
        serde_json::from_value(v).unwrap_or_default()
    }

    #[test]
    fn reported_states_are_the_four_without_an_endpoint_of_their_own() {
        for (seg, want) in [
            ("atrestaurant", Some(DeliveryState::AtRestaurant)),
            ("atrestauranteta", Some(DeliveryState::AtRestaurantEta)),
            ("atdeliveryaddress", Some(DeliveryState::AtDeliveryAddress)),
            ("driverunassigned", Some(DeliveryState::DriverUnassigned)),
            ("delivered", None),
            ("onitsway", None),
            ("x", None),
        ] {
            assert_eq!(DeliveryState::reported(seg), want, "{seg}");
            if let Some(s) = want {
                assert_eq!(s.segment(), seg);
            }
        }
    }

    #[test]
    fn each_state_body_passes_and_fails() {
        use DeliveryState::*;
        // (state, request, Ok(expected body) or Err(fields named))
        type Case = (DeliveryState, Value, Result<Value, Vec<&'static str>>);
        let cases: Vec<Case> = vec![
            (
                AtRestaurant,
                json!({"Location": {"Latitude": 51.5, "Longitude": -0.1},
                       "EtaAtDeliveryAddress": "2026-12-05T12:30:00.753Z"}),
                Ok(json!({"Location": {"Latitude": 51.5, "Longitude": -0.1},
                          "EtaAtDeliveryAddress": "2026-12-05T13:30:00.753+01:00",
                          "TimeStampWithUtcOffset": "2026-12-05T13:00:00.000+01:00"})),
            ),
            (
                AtRestaurant,
                json!({"Location": {"Latitude": 91, "Longitude": 0}, "EtaAtDeliveryAddress": "soon"}),
                Err(vec!["Location.Latitude", "EtaAtDeliveryAddress"]),
            ),
            (
                AtRestaurantEta,
                json!({"bestGuess": "2026-12-05T12:20:00+00:00", "estimatedAt": "2026-12-05T12:01:00.5Z"}),
                Ok(json!({"bestGuess": "2026-12-05T13:20:00.000+01:00",
                          "estimatedAt": "2026-12-05T13:01:00.500+01:00"})),
            ),
            (
                AtRestaurantEta,
                json!({"BestGuess": "2026-12-05T12:20:00Z"}),
                Ok(json!({"bestGuess": "2026-12-05T13:20:00.000+01:00",
                          "estimatedAt": "2026-12-05T13:00:00.000+01:00"})),
            ),
            (AtRestaurantEta, json!({}), Err(vec!["bestGuess"])),
            (
                AtRestaurantEta,
                json!({"bestGuess": "2026-12-05T11:59:00Z"}),
                Err(vec!["bestGuess"]),
            ),
            (
                AtDeliveryAddress,
                json!({"DriverId": "D1", "TimeStampWithUtcOffset": "2026-12-05T12:40:00.1234567+00:00"}),
                Ok(
                    json!({"DriverId": "D1", "TimeStampWithUtcOffset": "2026-12-05T13:40:00.123+01:00"}),
                ),
            ),
            (
                AtDeliveryAddress,
                json!({"TimeStampWithUtcOffset": "yesterday", "Location": {}}),
                Err(vec![
                    "Location.Latitude",
                    "Location.Longitude",
                    "TimeStampWithUtcOffset",
                ]),
            ),
            (
                // FACTS §4.2's example, its `Location:` key as the schema spells it.
                DriverUnassigned,
                json!({"DriverName": "David McDriverson", "DriverContactNumber": "+447123456789",
                       "UnassignedBy": "operation", "Reason": "package_not_ready",
                       "Comment": "Order was not ready", "DriverId": "ignored",
                       "Location:": {"Latitude": 51.51641, "Longitude": -0.103198},
                       "EtaAtRestaurant": "2026-12-05T12:30:28.753Z",
                       "EtaAtDeliveryAddress": "2026-12-05T12:45:28.753Z",
                       "TimeStampWithUtcOffset": "2026-12-05T12:15:28.753Z"}),
                Ok(
                    json!({"DriverName": "David McDriverson", "DriverContactNumber": "+447123456789",
                          "UnassignedBy": "operation", "Reason": "package_not_ready",
                          "Comment": "Order was not ready",
                          "Location": {"Latitude": 51.51641, "Longitude": -0.103198},
                          "EtaAtRestaurant": "2026-12-05T13:30:28.753+01:00",
                          "EtaAtDeliveryAddress": "2026-12-05T13:45:28.753+01:00",
                          "TimeStampWithUtcOffset": "2026-12-05T13:15:28.753+01:00"}),
                ),
            ),
            (
                DriverUnassigned,
                json!({"Reason": "  "}),
                Ok(json!({"TimeStampWithUtcOffset": "2026-12-05T13:00:00.000+01:00"})),
            ),
            (
                DriverUnassigned,
                json!({"EtaAtRestaurant": "later", "EtaAtDeliveryAddress": "never"}),
                Err(vec!["EtaAtRestaurant", "EtaAtDeliveryAddress"]),
            ),
        ];
        for (state, request, want) in cases {
            let got = state_body(state, &req(request.clone()), now(), &zone());
            match (got, want) {
                (Ok(body), Ok(w)) => assert_eq!(body, w, "{state:?} {request}"),
                (Err(v), Err(fields)) => {
                    let named: Vec<String> = v
                        .iter()
                        .map(|x| x.field.clone().unwrap_or_default())
                        .collect();
                    assert_eq!(named, fields, "{state:?} {request}");
                }
                (got, want) => panic!("{state:?} {request}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn a_bulk_element_names_just_eats_order_first() {
        let e = bulk_element("JE1", json!({"Location": {"Latitude": 1}}));
        assert_eq!(e, json!({"OrderId": "JE1", "Location": {"Latitude": 1}}));
        let parsed: Vec<BulkLocationIn> = serde_json::from_value(json!([
            {"OrderId": "o1", "Location": {"Latitude": 1, "Longitude": 2}}
        ]))
        .unwrap_or_default();
        assert_eq!(
            parsed.first().and_then(|p| p.order_id.clone()).as_deref(),
            Some("o1")
        );
        assert!(parsed
            .first()
            .is_some_and(|p| p.position.location.is_some()));
    }
}
