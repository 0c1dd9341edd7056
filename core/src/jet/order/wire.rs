//! The Receive Order body of JET Connect (FACTS §5.2–5.5), also the body of Final Picked
//! Order (§8.2), and the Cancel Order Notification (§8.1), as Just Eat sends them.
//!
//! Every field is optional here, so that [`super::validate`] can name every missing or
//! broken one at once instead of serde stopping at the first. A value of the wrong JSON
//! type still fails the parse as a whole (one violation with serde's position).

use serde::{Deserialize, Serialize};
use serde_json::Number;

use crate::problem::Violation;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReceiveOrder {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub third_party_order_reference: Option<String>,
    /// `delivery-by-delivery-partner`, `delivery-by-merchant` or `collection-by-customer`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(
        default,
        rename = "posLocationId",
        skip_serializing_if = "Option::is_none"
    )]
    pub pos_location_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub menu_reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<OrderItem>>,
    /// Unix seconds as decimal digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<SalesChannel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<Payment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promotions: Option<Vec<Promotion>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collect_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deliver_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kitchen_notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tender_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver: Option<Person>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collector: Option<Person>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extras: Option<Extras>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Location {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SalesChannel {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Number>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderItem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plu: Option<String>,
    /// Minor units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(
        default,
        rename = "unitDepositAmount",
        skip_serializing_if = "Option::is_none"
    )]
    pub unit_deposit_amount: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<OrderOption>>,
}

/// A modifier option chosen for an item (no children of its own: nested choices arrive flat).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderOption {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plu: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Number>,
    #[serde(
        default,
        rename = "unitDepositAmount",
        skip_serializing_if = "Option::is_none"
    )]
    pub unit_deposit_amount: Option<Number>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Payment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items_in_cart: Option<MoneyValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjustments: Option<Vec<Adjustment>>,
    #[serde(default, rename = "final", skip_serializing_if = "Option::is_none")]
    pub final_: Option<MoneyValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deposit: Option<Number>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MoneyValue {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inc_tax: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax: Option<Number>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Adjustment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<MoneyValue>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Promotion {
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<OrderItem>>,
    #[serde(
        default,
        rename = "promotionId",
        skip_serializing_if = "Option::is_none"
    )]
    pub promotion_id: Option<String>,
    #[serde(
        default,
        rename = "discountValue",
        skip_serializing_if = "Option::is_none"
    )]
    pub discount_value: Option<Number>,
    #[serde(default, rename = "offerId", skip_serializing_if = "Option::is_none")]
    pub offer_id: Option<String>,
}

/// A driver or a collector.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Person {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_masking_code: Option<String>,
}

/// The customer and where to deliver (values may be masked, e.g. `*****`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_masking_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_one: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_two: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<Coordinates>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Coordinates {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude_as_string: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude_as_string: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extras {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub just_eat_order_api_id: Option<String>,
}

/// Cancel Order Notification (FACTS §8.1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CancelNotification {
    #[serde(default, rename = "orderID", skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<CancelReason>,
    #[serde(
        default,
        rename = "happenedAt",
        skip_serializing_if = "Option::is_none"
    )]
    pub happened_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CancelReason {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// Parses a Receive Order or Final Picked Order body: one violation for malformed JSON or a
/// value of the wrong type.
pub fn parse_order(bytes: &[u8]) -> Result<ReceiveOrder, Violation> {
    parse(bytes)
}

/// Parses a Cancel Order Notification body.
// Cold: `#[inline]` has the caller (the edge, at opt-level "z") compile it, serde code and
// all, not core at 3 (Cargo.toml, BENCHMARKS.md "Bundle size (2026-12-05)").
#[inline]
pub fn parse_cancel(bytes: &[u8]) -> Result<CancelNotification, Violation> {
    parse(bytes)
}

fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, Violation> {
    crate::jet::wire::parse_body(bytes).map_err(|mut found| {
        found
            .pop()
            .unwrap_or_else(|| Violation::new("malformed_json", None, "the body is not JSON"))
    })
}
