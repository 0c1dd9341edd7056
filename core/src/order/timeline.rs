//! An order's timeline (issue 18): what Just Eat told the hub about an order beyond its
//! status — the driver's journey (assigned, at the restaurant, on the way, at the address,
//! delivered, location), the restaurant's acceptance, a moved due time, a failed delivery —
//! in the order the events happened, shown with the order read back (`timeline`) and in the
//! storefront's status view. Statuses keep their own history; an event that also moves the
//! status is recorded in both.
//!
//! | rule | decision |
//! |------|----------|
//! | an event's `kind` | one of [`Kind`]; stored and answered as its snake_case name |
//! | when it happened (`at`) | the time the webhook gives, else when it arrived |
//! | the same webhook body for the same order twice | one event ([`dedup_key`]: the webhook's name, the order and a SHA-256 of the body) |
//! | order | by `at`, then by arrival |
//! | times answered | RFC 3339 in the restaurant's zone, as every time of the order view |
//! | who sees `detail` | trusted callers only (it may name the driver or carry a phone); the public sees the kind, the times and the ETA |

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::view::instant;
use crate::hex;
use crate::tz::LocalZone;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A driver was assigned to deliver the order.
    DriverAssigned,
    /// The driver arrived at the restaurant.
    DriverAtRestaurant,
    /// The driver left the restaurant with the order.
    DriverOnTheWay,
    /// The driver arrived at the delivery address.
    DriverAtAddress,
    /// The driver handed the order over.
    Delivered,
    /// The driver's position (and ETA).
    DriverLocation,
    /// A driver was unassigned from the order.
    DriverUnassigned,
    /// The restaurant accepted the order on Just Eat.
    Accepted,
    /// The restaurant rejected the order on Just Eat.
    Rejected,
    /// The order's due time moved.
    TimeUpdated,
    /// The food is ready for the driver to collect.
    ReadyForPickup,
    /// The delivery failed.
    DeliveryFailed,
    /// The customer asked for the order to be delivered again.
    RedeliveryRequested,
    /// A query about an attempted delivery was resolved.
    AttemptedDeliveryResolved,
    /// The order needs a courier to accept its delivery.
    RequiresDeliveryAcceptance,
}

impl Kind {
    pub const ALL: [Kind; 15] = [
        Kind::DriverAssigned,
        Kind::DriverAtRestaurant,
        Kind::DriverOnTheWay,
        Kind::DriverAtAddress,
        Kind::Delivered,
        Kind::DriverLocation,
        Kind::DriverUnassigned,
        Kind::Accepted,
        Kind::Rejected,
        Kind::TimeUpdated,
        Kind::ReadyForPickup,
        Kind::DeliveryFailed,
        Kind::RedeliveryRequested,
        Kind::AttemptedDeliveryResolved,
        Kind::RequiresDeliveryAcceptance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::DriverAssigned => "driver_assigned",
            Kind::DriverAtRestaurant => "driver_at_restaurant",
            Kind::DriverOnTheWay => "driver_on_the_way",
            Kind::DriverAtAddress => "driver_at_address",
            Kind::Delivered => "delivered",
            Kind::DriverLocation => "driver_location",
            Kind::DriverUnassigned => "driver_unassigned",
            Kind::Accepted => "accepted",
            Kind::Rejected => "rejected",
            Kind::TimeUpdated => "time_updated",
            Kind::ReadyForPickup => "ready_for_pickup",
            Kind::DeliveryFailed => "delivery_failed",
            Kind::RedeliveryRequested => "redelivery_requested",
            Kind::AttemptedDeliveryResolved => "attempted_delivery_resolved",
            Kind::RequiresDeliveryAcceptance => "requires_delivery_acceptance",
        }
    }

    /// The kind a stored name stands for.
    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// An event as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub kind: Kind,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// When the hub heard it.
    pub received_at: DateTime<Utc>,
    /// The webhook that told the hub (`driver-at-restaurant`, `your-driver-status-notification-endpoint`, …).
    pub source: String,
    /// The ETA the event gives (at the restaurant or at the customer), if any.
    pub eta: Option<DateTime<Utc>>,
    /// What else the event said, as a JSON object (driver, location, reason, …).
    pub detail: Value,
}

/// An event as a caller sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub kind: &'static str,
    pub at: String,
    pub received_at: String,
    pub eta: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<Value>,
}

/// The timeline of `events` for a caller who may (`trusted`) or may not see the details,
/// times in `zone`, in the order the events happened.
pub fn entries(events: &[Event], zone: &LocalZone, trusted: bool) -> Vec<Entry> {
    let mut sorted: Vec<(usize, &Event)> = events.iter().enumerate().collect();
    sorted.sort_by(|(i, a), (j, b)| a.at.cmp(&b.at).then(i.cmp(j)));
    sorted
        .into_iter()
        .map(|(_, e)| Entry {
            kind: e.kind.as_str(),
            at: instant(zone, e.at),
            received_at: instant(zone, e.received_at),
            eta: e.eta.map(|t| instant(zone, t)),
            source: trusted.then(|| e.source.clone()),
            detail: trusted.then(|| e.detail.clone()),
        })
        .collect()
}

/// The key that makes a webhook idempotent on the timeline: the same body for the same order
/// from the same webhook is one event.
pub fn dedup_key(source: &str, order_id: &str, body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("{source}:{order_id}:{}", hex::encode(&digest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::UtcOffset;
    use serde_json::json;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn london_summer() -> LocalZone {
        LocalZone::Fixed(UtcOffset::parse("+01:00", "utc_offset").unwrap_or(UtcOffset::UTC))
    }

    fn event(kind: Kind, at: &str) -> Event {
        Event {
            kind,
            at: utc(at),
            received_at: utc("2026-06-01T12:00:00Z"),
            source: "driver-at-restaurant".into(),
            eta: Some(utc("2026-06-01T12:20:00Z")),
            detail: json!({"DriverName": "Ann", "DriverContactNumber": "07123456789"}),
        }
    }

    #[test]
    fn every_kind_round_trips_through_its_name_and_unknown_names_do_not() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(Kind::parse("driver-at-restaurant"), None);
        assert_eq!(Kind::parse(""), None);
    }

    #[test]
    fn events_are_ordered_by_when_they_happened_then_by_arrival() {
        let events = [
            event(Kind::Delivered, "2026-06-01T12:40:00Z"),
            event(Kind::DriverAssigned, "2026-06-01T12:05:00Z"),
            event(Kind::DriverLocation, "2026-06-01T12:05:00Z"),
        ];
        let got: Vec<&str> = entries(&events, &london_summer(), true)
            .iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(got, ["driver_assigned", "driver_location", "delivered"]);
    }

    #[test]
    fn times_are_in_the_restaurants_zone() {
        let got = entries(
            &[event(Kind::DriverAtRestaurant, "2026-06-01T12:05:00Z")],
            &london_summer(),
            false,
        );
        assert_eq!(got[0].at, "2026-06-01T13:05:00.000+01:00");
        assert_eq!(got[0].eta.as_deref(), Some("2026-06-01T13:20:00.000+01:00"));
        assert_eq!(got[0].received_at, "2026-06-01T13:00:00.000+01:00");
    }

    #[test]
    fn only_a_trusted_caller_sees_the_source_and_the_details() {
        let events = [event(Kind::DriverAssigned, "2026-06-01T12:05:00Z")];
        let public = serde_json::to_value(entries(&events, &london_summer(), false))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!public.to_string().contains("07123456789"));
        assert!(public[0].get("detail").is_none());
        let trusted = serde_json::to_value(entries(&events, &london_summer(), true))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(trusted[0]["detail"]["DriverContactNumber"], "07123456789");
        assert_eq!(trusted[0]["source"], "driver-at-restaurant");
    }

    #[test]
    fn the_same_body_for_the_same_order_is_one_event_and_any_difference_is_another() {
        let a = dedup_key("driver-location", "o1", br#"{"Lat":1}"#);
        assert_eq!(a, dedup_key("driver-location", "o1", br#"{"Lat":1}"#));
        assert_ne!(a, dedup_key("driver-location", "o1", br#"{"Lat":2}"#));
        assert_ne!(a, dedup_key("driver-location", "o2", br#"{"Lat":1}"#));
        assert_ne!(a, dedup_key("driver-at-restaurant", "o1", br#"{"Lat":1}"#));
    }
}
