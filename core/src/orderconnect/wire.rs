//! The wire shape of Orderconnect's `ConnectOrder` (seed `001`), PascalCase as Just Eat
//! sends it. Every field is optional here on purpose: an order that is merely incomplete
//! still parses, so [`super::check`] can name every problem at once instead of stopping at
//! the first one serde meets. Amounts stay [`serde_json::Number`] until they are read as
//! exact [`Money`](crate::domain::Money) from the number's text, the way Jupiter amounts are
//! (`order::wire`); nothing is computed through `f64`.
//!
//! Fields the seed marks "ignore" or "legacy" (`DueDate`, `InitialDueDate`, `Synonym`,
//! `IsAMiniFistPumpOrder`) are parsed so a stored order is complete, and otherwise unused.
//! Unknown fields are ignored. The current shape (FACTS §5.5, Just Eat's OpenAPI
//! `DeliveryWebhooksConnectorderYaml`) adds `OrderId`, `Restrictions`, `Order.Notes`,
//! `PickupNoticePeriod`, `DisplayPhoneNumber`, `PhoneMaskingCode`, customer coordinates and
//! `RestaurantInfo.PickupNotes`; all are read here.

use serde::{Deserialize, Serialize};
use serde_json::Number;

use crate::problem::Violation;

/// The whole order as Orderconnect `PUT`s it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConnectOrder {
    /// The global order id of the current `PUT /order-requires-delivery-acceptance`
    /// shape: the key of every later delivery-state call (absent in seed `001`'s shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// Just Eat's order id (string(32)) in seed `001`; deprecated per-country id in the
    /// current shape. The key when `OrderId` is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_order_id: Option<Number>,
    /// Customer-facing reference for receipts and the kitchen; not globally unique.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub friendly_order_reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<OrderInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restaurant_info: Option<RestaurantInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_info: Option<PaymentInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_info: Option<CustomerInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basket_info: Option<BasketInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_a_mini_fist_pump_order: Option<bool>,
    /// Restricted items in the order (`[{"Type": "Alcohol"}]`: check ID on hand-over).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restrictions: Option<Vec<Restriction>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Restriction {
    /// `Alcohol` is the only value the spec lists; any other is passed on as written.
    #[serde(default, rename = "Type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OrderInfo {
    /// Notes for the restaurant; may hold delivery instructions for the driver too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_to_restaurant: Option<String>,
    /// `Collection` or `Delivery`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<String>,
    /// When the customer placed the order: UTC **without** an offset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placed_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<String>,
    /// When the customer was told the order arrives, with its UTC offset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date_with_utc_offset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rds_pickup_time_with_utc_offset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_due_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_due_date_with_utc_offset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_asap: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_notice_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<OrderNotes>,
}

/// `Order.Notes` (FACTS §5.5): notes for the courier, the kitchen and the order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OrderNotes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courier: Option<Note>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kitchen: Option<Note>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<Note>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Note {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RestaurantInfo {
    /// Just Eat's restaurant id: a hub restaurant's `orderconnect_restaurant_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_lines: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// 0 when not provided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<Number>,
    /// 0 when not provided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_accuracy_in_meters: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_accuracy_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatch_method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PaymentInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_lines: Option<Vec<PaymentLine>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver_tip_value: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Number>,
    /// The part of the order Just Eat pays for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_complementary: Option<Number>,
    /// No UTC offset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cash_on_delivery: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PaymentLine {
    /// `Cash`, `Card`, `AccountCredit` or `Voucher`.
    #[serde(default, rename = "Type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_fee: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Number>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomerInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Comma-delimited street address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_phone_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_masking_code: Option<String>,
    /// A Windows time-zone name such as `GMT Standard Time`; not applied (no tz database).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// The key is misspelt in the seed; kept as Just Eat sends it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_restuarant_order_count: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geo_location_address_parts: Option<Vec<String>>,
    /// 0 when unknown (FACTS §5.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<Number>,
    /// 0 when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_accuracy_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_accuracy_in_meters: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BasketInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basket_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub menu_id: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discounts: Option<Vec<OfferDetails>>,
    /// The basket before any discount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_total: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_spend: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_buy_discount: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_charge: Option<Number>,
    /// What the customer is charged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grouped_basket_items: Option<Vec<GroupedBasketItem>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OfferDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifying_value: Option<Number>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupedBasketItem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basket_item: Option<BasketItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Number>,
    /// The line's total price: Quantity × the item with its parts and accessories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combined_price: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_sub_id: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub menu_card_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BasketItem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_type_id: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub menu_card_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub synonym: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combined_price: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meal_parts: Option<Vec<MealPart>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional_accessories: Option<Vec<OptionalAccessory>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_accessories: Option<Vec<RequiredAccessory>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discounts: Option<Vec<ItemDiscount>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_buy_discounts: Option<Vec<MultiDiscount>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MealPart {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meal_part_id: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub synonym: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional_accessories: Option<Vec<OptionalAccessory>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_accessories: Option<Vec<RequiredAccessory>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OptionalAccessory {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional_accessory_id: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RequiredAccessory {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_accessory_id: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A discount on one item.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ItemDiscount {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MultiDiscount {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_item_id: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_type_id: Option<Number>,
}

/// A request body: seed `001`'s single `ConnectOrder`, or the JSON array of them that the
/// current `PUT /order-requires-delivery-acceptance` sends.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    One(Box<ConnectOrder>),
    Many(Vec<ConnectOrder>),
}

impl Body {
    pub fn orders(&self) -> &[ConnectOrder] {
        match self {
            Body::One(o) => std::slice::from_ref(o.as_ref()),
            Body::Many(list) => list,
        }
    }
}

/// What is stored for each order of a body, byte for byte as Just Eat sent it: the
/// array's elements (the same split [`parse`] reads its orders from, so the two always
/// agree), else the whole body. Never re-serialised: a number keeps its text (a
/// `serde_json::Value` round trip writes `7770…0890`, 37 digits, as `7.769999999999999e36`).
pub fn raw_elements(bytes: &[u8]) -> Vec<&[u8]> {
    array_elements(bytes).unwrap_or_else(|| vec![bytes])
}

/// The elements of an array body, `None` when the body is not an array.
fn array_elements(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'[') {
        return None;
    }
    let spans = crate::input::array_elements(bytes);
    Some(
        spans
            .into_iter()
            .filter_map(|(start, end)| bytes.get(start..end))
            .collect(),
    )
}

/// Parses a request body (an object or an array of objects). Only JSON that is not of the
/// `ConnectOrder` shape at all (a string where an object or number belongs) is refused
/// here, every such element at once, each naming its place (`[1]`) and serde's position;
/// everything else is left to [`super::check`].
// Cold: `#[inline]` has the caller (the edge, at opt-level "z") compile it, serde code and
// all, not core at 3 (Cargo.toml, BENCHMARKS.md "Bundle size (2026-12-05)").
#[inline]
pub fn parse(bytes: &[u8]) -> Result<Body, Vec<Violation>> {
    let not = |at: Option<String>, e: &dyn std::fmt::Display| {
        Violation::new(
            "bad_request",
            at.as_deref(),
            format!("the body is not a ConnectOrder: {e}"),
        )
    };
    // One ConnectOrder read from its own bytes, so that a value of the wrong type names
    // its field (`[1].BasketInfo.SubTotal`); `prefix` is its place in an array body. Each
    // order is read from the body's bytes (never through a `serde_json::Value`): one
    // deserializer for ConnectOrder in the Worker, not two.
    let one = |text: &[u8], prefix: &str| {
        // serde reads a struct from a sequence too (`[[]]` would be an order with every
        // field missing); a ConnectOrder is an object and nothing else.
        if text.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            let at = (!prefix.is_empty()).then(|| prefix.to_owned());
            return Err(not(at, &"a ConnectOrder is a JSON object"));
        }
        serde_json::from_slice::<ConnectOrder>(text).map_err(|e| {
            let at = match crate::input::locate_error(text, &e) {
                Some(p) if p.starts_with('[') || prefix.is_empty() => format!("{prefix}{p}"),
                Some(p) => format!("{prefix}.{p}"),
                None => prefix.to_owned(),
            };
            not((!at.is_empty()).then_some(at), &e)
        })
    };
    // The body is JSON at all (serde's message says where it is not).
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes).map_err(|e| vec![not(None, &e)])?;
    let Some(elements) = array_elements(bytes) else {
        return one(bytes, "")
            .map(|o| Body::One(Box::new(o)))
            .map_err(|v| vec![v]);
    };
    if elements.is_empty() {
        return Err(vec![Violation::new(
            "bad_request",
            None,
            "the body is an empty array: no ConnectOrder to handle",
        )]);
    }
    let mut orders = Vec::with_capacity(elements.len());
    let mut out = Vec::new();
    for (i, element) in elements.into_iter().enumerate() {
        match one(element, &format!("[{i}]")) {
            Ok(o) => orders.push(o),
            Err(v) => out.push(v),
        }
    }
    if out.is_empty() {
        Ok(Body::Many(orders))
    } else {
        Err(out)
    }
}
