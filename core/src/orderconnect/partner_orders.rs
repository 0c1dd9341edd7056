//! Just Eat's Partner-API order injection (issue 18): a second way orders reach the hub,
//! into the same pipeline as Orderconnect's `ConnectOrder`. Each wire shape is converted
//! here to a [`ConnectOrder`] (then [`check`](super::check), [`translate`](super::translate)
//! and the shared intake judge it as any Orderconnect order), keyed by Just Eat's order id,
//! so an order that arrives both ways is one hub order.
//!
//! * [`DispatchOrderIn`]: `orderdispatchwebhooks` "New Order For Restaurant" (FACTS §5.6):
//!   camelCase, money in integer minor units.
//! * [`PreparationOrderIn`]: `order-ready-for-preparation-sync|async` (FACTS §5.8): PascalCase
//!   (camelCase accepted), money in decimal major units read exactly from the number's text.
//! * [`PosFailedIn`]: `send-to-pos-failed` (FACTS §5.7): `{"OrderId"}` only.
//!
//! | rule | decision |
//! |------|----------|
//! | order id (`orderId` / `OrderId`) | required, not blank: the key (`OrderId` of the `ConnectOrder`) |
//! | restaurant (`restaurant.id` / `Restaurant.Id`) | required: a hub restaurant's `orderconnect_restaurant_id` |
//! | items | at least one; each with an id (`id` / `Reference`), a quantity 1…10000 and a price |
//! | money | minor units: a non-negative integer; decimal: exact to the penny, non-negative |
//! | a sub-item id | digits (it becomes an accessory id, which Orderconnect's ids are); else refused, naming it |
//! | service type | `delivery` → Delivery, `collection` → Collection, `dineIn` → Collection (the table in the note); any other refused |
//! | the total | `totalPrice` / `TotalPrice`, else items + charges − discounts + tips; refused when below the delivery charge |
//!
//! The money becomes a basket that reconciles as Orderconnect's does (module doc of
//! [`super`]): the lines at their totals; the tips as `DriverTipValue` when the total holds
//! them; the delivery charges (delivery orders) as `DeliveryCharge`; what the total holds
//! beyond the lines (service charges, deposits) becomes the `SubTotal` above the lines, and
//! what it holds below them a `Discount`. So the kitchen's order adds up to the total Just
//! Eat charged, to the penny. Payment lines are carried as written (`card` → `Card`,
//! `cash` → `Cash`, `credit` → `AccountCredit`, `voucher` → `Voucher`); an unpaid cash line
//! makes it a cash order.
//!
//! Everything else is checked by the pipeline (dates, the restaurant, the items on its
//! menu or in its mapping, opening hours), each refusal with its reason code.

use serde::Deserialize;
use serde_json::{Number, Value};

use super::wire::{
    BasketInfo, BasketItem, ConnectOrder, CustomerInfo, GroupedBasketItem, Note, OptionalAccessory,
    OrderInfo, OrderNotes, PaymentInfo, PaymentLine, RestaurantInfo, Restriction,
};
use crate::domain::Money;
use crate::problem::Violation;

/// Every problem found, in order.
type Violations = Vec<Violation>;

/// The largest quantity a line may have (as Orderconnect's check).
const MAX_QUANTITY: u64 = 10_000;

// ---- orderdispatchwebhooks -------------------------------------------------------------

/// `orderdispatchwebhooks` as sent; loose so every problem is named at once.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DispatchOrderIn {
    #[serde(default)]
    pub order_id: Option<String>,
    #[serde(default)]
    pub order_reference: Option<String>,
    #[serde(default)]
    pub total_price: Option<Number>,
    #[serde(default)]
    pub placed_date: Option<String>,
    #[serde(default)]
    pub restaurant: Option<DispatchRestaurant>,
    #[serde(default)]
    pub payment: Option<DispatchPayment>,
    #[serde(default)]
    pub customer: Option<DispatchCustomer>,
    #[serde(default)]
    pub fulfilment: Option<DispatchFulfilment>,
    #[serde(default)]
    pub items: Option<Vec<DispatchItem>>,
    #[serde(default)]
    pub price_breakdown: Option<DispatchPriceBreakdown>,
    #[serde(default)]
    pub customer_notes: Option<DispatchNotes>,
    #[serde(default)]
    pub restrictions: Option<DispatchRestrictions>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DispatchRestaurant {
    #[serde(default)]
    pub id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DispatchPayment {
    #[serde(default)]
    pub lines: Option<Vec<DispatchPaymentLine>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DispatchPaymentLine {
    #[serde(default)]
    pub value: Option<Number>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DispatchCustomer {
    #[serde(default)]
    pub full_name: Option<String>,
    #[serde(default)]
    pub phone_number: Option<DispatchPhone>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DispatchPhone {
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub masking_code: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DispatchFulfilment {
    #[serde(default)]
    pub time: Option<DispatchTime>,
    #[serde(default)]
    pub service_type: Option<String>,
    #[serde(default)]
    pub dine_in_info: Option<DispatchDineIn>,
    #[serde(default)]
    pub delivery_info: Option<DispatchDeliveryInfo>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DispatchTime {
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub asap: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DispatchDineIn {
    #[serde(default)]
    pub table_number: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DispatchDeliveryInfo {
    #[serde(default)]
    pub location: Option<DispatchLocation>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DispatchLocation {
    #[serde(default)]
    pub address: Option<DispatchAddress>,
    /// `[latitude, longitude]`.
    #[serde(default)]
    pub geolocation: Option<Vec<Number>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DispatchAddress {
    #[serde(default)]
    pub lines: Option<Vec<String>>,
    #[serde(default)]
    pub locality: Option<String>,
    #[serde(default)]
    pub postal_code: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DispatchItem {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub unit_price: Option<Number>,
    #[serde(default)]
    pub quantity: Option<Number>,
    #[serde(default)]
    pub total_price: Option<Number>,
    #[serde(default)]
    pub items: Option<Vec<DispatchItem>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DispatchPriceBreakdown {
    #[serde(default)]
    pub items: Option<Number>,
    #[serde(default)]
    pub charges: Option<Vec<DispatchAmount>>,
    #[serde(default)]
    pub discounts: Option<Vec<DispatchAmount>>,
    #[serde(default)]
    pub tips: Option<Vec<DispatchAmount>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DispatchAmount {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub amount: Option<Number>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DispatchNotes {
    #[serde(default)]
    pub order: Option<String>,
    #[serde(default)]
    pub kitchen: Option<String>,
    #[serde(default)]
    pub delivery: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DispatchRestrictions {
    #[serde(default)]
    pub contains_alcohol: Option<bool>,
}

// ---- order-ready-for-preparation ----------------------------------------------------------

/// `order-ready-for-preparation-sync|async` as sent (PascalCase; camelCase accepted).
#[derive(Debug, Default, Deserialize)]
pub struct PreparationOrderIn {
    #[serde(default, rename = "OrderId", alias = "orderId")]
    pub order_id: Option<String>,
    #[serde(default, rename = "PlacedDate", alias = "placedDate")]
    pub placed_date: Option<String>,
    #[serde(default, rename = "TotalPrice", alias = "totalPrice")]
    pub total_price: Option<Number>,
    #[serde(default, rename = "Customer", alias = "customer")]
    pub customer: Option<PrepCustomer>,
    /// A map in the schema, an array of `{Key, Value}` in the example: both read.
    #[serde(default, rename = "CustomerNotes", alias = "customerNotes")]
    pub customer_notes: Option<Value>,
    #[serde(default, rename = "Restaurant", alias = "restaurant")]
    pub restaurant: Option<PrepRestaurant>,
    #[serde(default, rename = "Payment", alias = "payment")]
    pub payment: Option<PrepPayment>,
    #[serde(default, rename = "Items", alias = "items")]
    pub items: Option<Vec<PrepItem>>,
    #[serde(default, rename = "Fulfilment", alias = "fulfilment")]
    pub fulfilment: Option<PrepFulfilment>,
    #[serde(default, rename = "PriceBreakdown", alias = "priceBreakdown")]
    pub price_breakdown: Option<PrepPriceBreakdown>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PrepCustomer {
    #[serde(default, rename = "Name", alias = "name")]
    pub name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PrepRestaurant {
    /// A string in the schema; a number is read too.
    #[serde(default, rename = "Id", alias = "id")]
    pub id: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PrepPayment {
    #[serde(default, rename = "Lines", alias = "lines")]
    pub lines: Option<Vec<PrepPaymentLine>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PrepPaymentLine {
    #[serde(default, rename = "Value", alias = "value")]
    pub value: Option<Number>,
    #[serde(default, rename = "Paid", alias = "paid")]
    pub paid: Option<bool>,
    #[serde(default, rename = "Type", alias = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PrepItem {
    #[serde(default, rename = "Name", alias = "name")]
    pub name: Option<String>,
    #[serde(default, rename = "Reference", alias = "reference")]
    pub reference: Option<Value>,
    #[serde(default, rename = "UnitPrice", alias = "unitPrice")]
    pub unit_price: Option<Number>,
    #[serde(default, rename = "TotalPrice", alias = "totalPrice")]
    pub total_price: Option<Number>,
    #[serde(default, rename = "Quantity", alias = "quantity")]
    pub quantity: Option<Number>,
    #[serde(default, rename = "Items", alias = "items")]
    pub items: Option<Vec<PrepItem>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PrepFulfilment {
    #[serde(default, rename = "Method", alias = "method")]
    pub method: Option<String>,
    #[serde(default, rename = "CustomerDueAsap", alias = "customerDueAsap")]
    pub customer_due_asap: Option<bool>,
    #[serde(default, rename = "CustomerDueDate", alias = "customerDueDate")]
    pub customer_due_date: Option<String>,
    #[serde(default, rename = "Address", alias = "address")]
    pub address: Option<PrepAddress>,
    /// A number in the example, a string in the schema: both read.
    #[serde(default, rename = "PhoneNumber", alias = "phoneNumber")]
    pub phone_number: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PrepAddress {
    #[serde(default, rename = "City", alias = "city")]
    pub city: Option<String>,
    #[serde(default, rename = "Lines", alias = "lines")]
    pub lines: Option<Vec<String>>,
    #[serde(default, rename = "PostalCode", alias = "postalCode")]
    pub postal_code: Option<String>,
    #[serde(default, rename = "Geolocation", alias = "geolocation")]
    pub geolocation: Option<PrepGeo>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PrepGeo {
    #[serde(default, rename = "Latitude", alias = "latitude")]
    pub latitude: Option<Number>,
    #[serde(default, rename = "Longitude", alias = "longitude")]
    pub longitude: Option<Number>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PrepPriceBreakdown {
    #[serde(default, rename = "Items", alias = "items")]
    pub items: Option<Number>,
    #[serde(default, rename = "Discount", alias = "discount")]
    pub discount: Option<Number>,
    #[serde(default, rename = "Tips", alias = "tips")]
    pub tips: Option<Number>,
    #[serde(default, rename = "Fees", alias = "fees")]
    pub fees: Option<PrepFees>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PrepFees {
    #[serde(default, rename = "Delivery", alias = "delivery")]
    pub delivery: Option<Number>,
    #[serde(default, rename = "ServiceCharge", alias = "serviceCharge")]
    pub service_charge: Option<Number>,
    #[serde(default, rename = "Other", alias = "other")]
    pub other: Option<Number>,
}

// ---- send-to-pos-failed --------------------------------------------------------------------

/// `send-to-pos-failed` as sent.
#[derive(Debug, Default, Deserialize)]
pub struct PosFailedIn {
    #[serde(default, rename = "OrderId", alias = "orderId")]
    pub order_id: Option<String>,
}

/// The order id of a `send-to-pos-failed`, or why there is none.
pub fn check_pos_failed(raw: &PosFailedIn) -> Result<String, Vec<Violation>> {
    match raw
        .order_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(id) => Ok(id.to_owned()),
        None => Err(vec![Violation::new(
            "bad_request",
            Some("OrderId"),
            "is required: the Just Eat order that could not reach the POS",
        )]),
    }
}

/// The history line of an order Just Eat could not send to the POS.
pub fn pos_failed_reason(order_id: &str) -> String {
    format!("Just Eat could not send order {order_id} to the POS (send-to-pos-failed)")
}

/// Whether a `send-to-pos-failed` for `order_id` is already in the order's history
/// (`reasons`: each history row's reason): a repeat records nothing.
pub fn pos_failed_recorded<'a>(
    mut reasons: impl Iterator<Item = Option<&'a str>>,
    order_id: &str,
) -> bool {
    let line = pos_failed_reason(order_id);
    reasons.any(|r| r == Some(line.as_str()))
}

/// The body POSTed to the `?callback=` URL of `order-ready-for-preparation-async`:
/// `{"status": "Success"|"Failure", "message", "data"}` (FACTS §5.9).
pub fn callback_body(success: bool, message: &str, data: Value) -> Value {
    serde_json::json!({
        "status": if success { "Success" } else { "Failure" },
        "message": message,
        "data": data,
    })
}

// ---- the conversion -------------------------------------------------------------------------

/// One order line, in minor units, before it becomes a `GroupedBasketItem`.
struct Line {
    id: String,
    name: Option<String>,
    quantity: u64,
    unit: i64,
    total: i64,
    parts: Vec<Part>,
}

struct Part {
    id: Number,
    name: Option<String>,
    quantity: u64,
    unit: i64,
}

/// The money of an order, in minor units.
struct Money4 {
    total: i64,
    tips: i64,
    delivery: i64,
}

fn text(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Minor units (`1925`) as the decimal `Number` a `ConnectOrder` carries (`19.25`).
fn decimal(minor: i64) -> Number {
    if minor % 100 == 0 {
        Number::from(minor / 100)
    } else {
        // x/100 rounds to the double nearest the decimal, whose shortest text is that
        // decimal: read back exactly by `Money::from_json`.
        Number::from_f64(minor as f64 / 100.0).unwrap_or_else(|| Number::from(0))
    }
}

/// Integer minor units (`orderdispatchwebhooks`).
fn minor(n: &Option<Number>, field: &str, out: &mut Violations) -> Option<i64> {
    let n = n.as_ref()?;
    match n.as_u64().and_then(|v| i64::try_from(v).ok()) {
        Some(v) => Some(v),
        None => {
            out.push(Violation::new(
                "bad_request",
                Some(field),
                format!("must be a non-negative whole number of minor units, got {n}"),
            ));
            None
        }
    }
}

/// A decimal amount read exactly from the number's text (`order-ready-for-preparation`).
fn exact(n: &Option<Number>, field: &str, out: &mut Violations) -> Option<i64> {
    let n = n.as_ref()?;
    match Money::parse_decimal(&n.to_string(), field) {
        Ok(m) => Some(m.minor()),
        Err(v) => {
            out.push(v);
            None
        }
    }
}

fn quantity(n: &Option<Number>, field: &str, out: &mut Violations) -> Option<u64> {
    match n.as_ref().and_then(Number::as_u64) {
        Some(q) if (1..=MAX_QUANTITY).contains(&q) => Some(q),
        _ => {
            let got = n
                .as_ref()
                .map(|n| n.to_string())
                .unwrap_or_else(|| "none".into());
            out.push(Violation::new(
                "bad_request",
                Some(field),
                format!("must be a whole number from 1 to {MAX_QUANTITY}, got {got}"),
            ));
            None
        }
    }
}

/// An id that is a string or a number, as text.
fn id_text(v: &Option<Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// A sub-item's id as an accessory id: digits only.
fn part_id(id: Option<&str>, field: &str, out: &mut Violations) -> Option<Number> {
    let parsed = id.and_then(|s| s.parse::<u64>().ok()).map(Number::from);
    if parsed.is_none() {
        out.push(Violation::new(
            "bad_request",
            Some(field),
            format!(
                "must be an id of digits (it becomes an accessory id), got {:?}",
                id.unwrap_or_default()
            ),
        ));
    }
    parsed
}

fn service_type(raw: Option<&str>, field: &str, out: &mut Violations) -> Option<&'static str> {
    match raw.map(str::to_ascii_lowercase).as_deref() {
        Some("delivery") => Some("Delivery"),
        Some("collection") | Some("dinein") => Some("Collection"),
        other => {
            out.push(Violation::new(
                "bad_request",
                Some(field),
                format!(
                    "must be delivery, collection or dineIn, got {:?}",
                    other.unwrap_or("none")
                ),
            ));
            None
        }
    }
}

fn payment_type(raw: Option<&str>) -> Option<String> {
    raw.map(|t| match t.to_ascii_lowercase().as_str() {
        "card" => "Card".to_owned(),
        "cash" => "Cash".to_owned(),
        "credit" => "AccountCredit".to_owned(),
        "voucher" => "Voucher".to_owned(),
        _ => t.to_owned(),
    })
}

fn required_text<'a>(
    v: Option<&'a str>,
    field: &str,
    why: &str,
    out: &mut Violations,
) -> Option<&'a str> {
    if v.is_none() {
        out.push(Violation::new(
            "bad_request",
            Some(field),
            format!("is required: {why}"),
        ));
    }
    v
}

/// The basket and payment of a `ConnectOrder` from lines and money (module doc).
fn basket(
    lines: Vec<Line>,
    money: &Money4,
    payments: Vec<(Option<String>, i64)>,
    cash_due: bool,
    total_field: &str,
    out: &mut Violations,
) -> Option<(BasketInfo, PaymentInfo)> {
    let lines_sum: i64 = lines.iter().map(|l| l.total).sum();
    // The tip is carried as a tip when the total holds it beside the delivery charge.
    let tip = if money.tips + money.delivery <= money.total {
        money.tips
    } else {
        0
    };
    let basket_total = money.total - tip;
    let net = basket_total - money.delivery;
    if net < 0 {
        out.push(Violation::new(
            "bad_request",
            Some(total_field),
            format!(
                "{} is less than the delivery charge {}",
                Money::from_minor(money.total.max(0), total_field)
                    .map(Money::to_decimal_string)
                    .unwrap_or_default(),
                Money::from_minor(money.delivery, total_field)
                    .map(Money::to_decimal_string)
                    .unwrap_or_default()
            ),
        ));
        return None;
    }
    let (sub_total, discount) = if net >= lines_sum {
        (net, 0)
    } else {
        (lines_sum, lines_sum - net)
    };
    let grouped = lines
        .into_iter()
        .map(|l| {
            let digits = l.id.parse::<u64>().ok().map(Number::from);
            GroupedBasketItem {
                basket_item: Some(BasketItem {
                    product_id: digits,
                    menu_card_number: Some(l.id.clone()),
                    name: l.name,
                    unit_price: Some(decimal(l.unit)),
                    combined_price: Some(decimal(l.total)),
                    optional_accessories: Some(
                        l.parts
                            .into_iter()
                            .map(|p| OptionalAccessory {
                                optional_accessory_id: Some(p.id),
                                quantity: Some(Number::from(p.quantity)),
                                unit_price: Some(decimal(p.unit)),
                                name: p.name,
                            })
                            .collect(),
                    ),
                    ..BasketItem::default()
                }),
                quantity: Some(Number::from(l.quantity)),
                combined_price: Some(decimal(l.total)),
                menu_card_number: Some(l.id),
                ..GroupedBasketItem::default()
            }
        })
        .collect();
    let paid: i64 = payments.iter().map(|(_, v)| v).sum();
    let basket = BasketInfo {
        sub_total: Some(decimal(sub_total)),
        discount: Some(decimal(discount)),
        delivery_charge: Some(decimal(money.delivery)),
        total: Some(decimal(basket_total)),
        grouped_basket_items: Some(grouped),
        ..BasketInfo::default()
    };
    let payment = PaymentInfo {
        payment_lines: Some(
            payments
                .into_iter()
                .map(|(kind, v)| PaymentLine {
                    kind,
                    card_fee: Some(Number::from(0)),
                    value: Some(decimal(v)),
                })
                .collect(),
        ),
        driver_tip_value: Some(decimal(tip)),
        total: Some(decimal(paid)),
        cash_on_delivery: Some(cash_due),
        ..PaymentInfo::default()
    };
    Some((basket, payment))
}

/// `orderdispatchwebhooks` → the `ConnectOrder` the pipeline judges, or every problem.
pub fn from_dispatch(o: &DispatchOrderIn) -> Result<ConnectOrder, Vec<Violation>> {
    let mut out = Violations::new();
    let order_id = required_text(
        text(&o.order_id),
        "orderId",
        "Just Eat's order id",
        &mut out,
    );
    let restaurant = o.restaurant.as_ref().and_then(|r| text(&r.id));
    let restaurant = required_text(
        restaurant,
        "restaurant.id",
        "Just Eat's restaurant id",
        &mut out,
    );
    let fulfilment = o.fulfilment.as_ref();
    let raw_service = fulfilment.and_then(|f| text(&f.service_type));
    let service = service_type(raw_service, "fulfilment.serviceType", &mut out);
    let is_delivery = service == Some("Delivery");
    let mut lines = Vec::new();
    let items = o.items.as_deref().unwrap_or_default();
    if items.is_empty() {
        out.push(Violation::new(
            "bad_request",
            Some("items"),
            "must list at least one item",
        ));
    }
    for (i, item) in items.iter().enumerate() {
        let at = format!("items[{i}]");
        let id = required_text(
            text(&item.id),
            &format!("{at}.id"),
            "the item's id",
            &mut out,
        );
        let q = quantity(&item.quantity, &format!("{at}.quantity"), &mut out);
        let unit = minor(&item.unit_price, &format!("{at}.unitPrice"), &mut out).unwrap_or(0);
        let mut parts = Vec::new();
        let mut parts_unit = 0;
        flatten_dispatch(
            item.items.as_deref().unwrap_or_default(),
            &format!("{at}.items"),
            &mut parts,
            &mut out,
        );
        for p in &parts {
            parts_unit += p.unit * p.quantity as i64;
        }
        let total = minor(&item.total_price, &format!("{at}.totalPrice"), &mut out);
        if let (Some(id), Some(q)) = (id, q) {
            let total = total.unwrap_or((unit + parts_unit) * q as i64);
            lines.push(Line {
                id: id.to_owned(),
                name: item.name.clone(),
                quantity: q,
                unit,
                total,
                parts,
            });
        }
    }
    let breakdown = o.price_breakdown.as_ref();
    let sum_of = |list: Option<&Vec<DispatchAmount>>,
                  only: Option<&str>,
                  field: &str,
                  out: &mut Violations|
     -> i64 {
        list.map(|l| {
            l.iter()
                .enumerate()
                .filter(|(_, a)| only.is_none_or(|k| a.kind.as_deref() == Some(k)))
                .filter_map(|(i, a)| minor(&a.amount, &format!("{field}[{i}].amount"), out))
                .sum()
        })
        .unwrap_or(0)
    };
    let charges = sum_of(
        breakdown.and_then(|b| b.charges.as_ref()),
        None,
        "priceBreakdown.charges",
        &mut out,
    );
    let delivery = sum_of(
        breakdown.and_then(|b| b.charges.as_ref()),
        Some("delivery"),
        "priceBreakdown.charges",
        &mut Violations::new(),
    );
    let discounts = sum_of(
        breakdown.and_then(|b| b.discounts.as_ref()),
        None,
        "priceBreakdown.discounts",
        &mut out,
    );
    let tips = sum_of(
        breakdown.and_then(|b| b.tips.as_ref()),
        None,
        "priceBreakdown.tips",
        &mut out,
    );
    let items_total = minor(
        &breakdown.and_then(|b| b.items.clone()),
        "priceBreakdown.items",
        &mut out,
    )
    .unwrap_or_else(|| lines.iter().map(|l| l.total).sum());
    let total = minor(&o.total_price, "totalPrice", &mut out)
        .unwrap_or(items_total + charges - discounts + tips);
    let mut payments = Vec::new();
    let mut cash_due = false;
    for (i, line) in o
        .payment
        .as_ref()
        .and_then(|p| p.lines.as_ref())
        .into_iter()
        .flatten()
        .enumerate()
    {
        let v = minor(&line.value, &format!("payment.lines[{i}].value"), &mut out).unwrap_or(0);
        // Only `cash` is still to be paid (the schema's note).
        cash_due |= line
            .kind
            .as_deref()
            .is_some_and(|k| k.eq_ignore_ascii_case("cash"));
        payments.push((payment_type(line.kind.as_deref()), v));
    }
    let money = Money4 {
        total,
        tips,
        delivery: if is_delivery { delivery } else { 0 },
    };
    let money_ok = out.is_empty();
    let priced = if money_ok {
        basket(lines, &money, payments, cash_due, "totalPrice", &mut out)
    } else {
        None
    };
    let location = fulfilment
        .and_then(|f| f.delivery_info.as_ref())
        .and_then(|d| d.location.as_ref());
    let address = location.and_then(|l| l.address.as_ref());
    let geo = location
        .and_then(|l| l.geolocation.as_deref())
        .unwrap_or_default();
    let time = fulfilment.and_then(|f| f.time.as_ref());
    let asap = time.and_then(|t| t.asap);
    let table = fulfilment
        .and_then(|f| f.dine_in_info.as_ref())
        .and_then(|d| text(&d.table_number));
    let dine_in = raw_service.is_some_and(|s| s.eq_ignore_ascii_case("dineIn"));
    let notes = o.customer_notes.as_ref();
    let note = |s: Option<&String>| {
        s.filter(|t| !t.trim().is_empty()).map(|t| Note {
            note: Some(t.clone()),
        })
    };
    let phone = o.customer.as_ref().and_then(|c| c.phone_number.as_ref());
    let (Some(order_id), Some(restaurant), Some(service), Some((basket, payment)), true) =
        (order_id, restaurant, service, priced, out.is_empty())
    else {
        return Err(out);
    };
    Ok(ConnectOrder {
        order_id: Some(order_id.to_owned()),
        friendly_order_reference: o.order_reference.clone(),
        order: Some(OrderInfo {
            service_type: Some(service.to_owned()),
            placed_date: o.placed_date.clone(),
            prompt_asap: asap.filter(|a| *a),
            due_date_with_utc_offset: if asap == Some(true) {
                None
            } else {
                time.and_then(|t| t.date.clone())
            },
            note_to_restaurant: match (dine_in, table) {
                (true, Some(t)) => Some(format!("dine in at table {t}")),
                (true, None) => Some("dine in".to_owned()),
                _ => None,
            },
            notes: notes.map(|n| OrderNotes {
                courier: note(n.delivery.as_ref()),
                kitchen: note(n.kitchen.as_ref()),
                order: note(n.order.as_ref()),
            }),
            ..OrderInfo::default()
        }),
        restaurant_info: Some(RestaurantInfo {
            id: Some(restaurant.to_owned()),
            ..RestaurantInfo::default()
        }),
        customer_info: Some(CustomerInfo {
            name: o.customer.as_ref().and_then(|c| c.full_name.clone()),
            display_phone_number: phone.and_then(|p| p.number.clone()),
            phone_masking_code: phone
                .and_then(|p| p.masking_code.clone())
                .filter(|c| !c.is_empty()),
            address: (is_delivery)
                .then(|| address.and_then(|a| a.lines.as_ref()).map(|l| l.join(", ")))
                .flatten(),
            city: is_delivery
                .then(|| address.and_then(|a| a.locality.clone()))
                .flatten(),
            postcode: is_delivery
                .then(|| address.and_then(|a| a.postal_code.clone()))
                .flatten(),
            latitude: is_delivery.then(|| geo.first().cloned()).flatten(),
            longitude: is_delivery.then(|| geo.get(1).cloned()).flatten(),
            ..CustomerInfo::default()
        }),
        basket_info: Some(basket),
        payment_info: Some(payment),
        restrictions: o
            .restrictions
            .as_ref()
            .filter(|r| r.contains_alcohol == Some(true))
            .map(|_| {
                vec![Restriction {
                    kind: Some("Alcohol".to_owned()),
                }]
            }),
        ..ConnectOrder::default()
    })
}

fn flatten_dispatch(items: &[DispatchItem], at: &str, parts: &mut Vec<Part>, out: &mut Violations) {
    for (i, sub) in items.iter().enumerate() {
        let here = format!("{at}[{i}]");
        let id = part_id(text(&sub.id), &format!("{here}.id"), out);
        let q = quantity(&sub.quantity, &format!("{here}.quantity"), out);
        let unit = minor(&sub.unit_price, &format!("{here}.unitPrice"), out).unwrap_or(0);
        if let (Some(id), Some(q)) = (id, q) {
            parts.push(Part {
                id,
                name: sub.name.clone(),
                quantity: q,
                unit,
            });
        }
        flatten_dispatch(
            sub.items.as_deref().unwrap_or_default(),
            &format!("{here}.items"),
            parts,
            out,
        );
    }
}

fn flatten_prep(items: &[PrepItem], at: &str, parts: &mut Vec<Part>, out: &mut Violations) {
    for (i, sub) in items.iter().enumerate() {
        let here = format!("{at}[{i}]");
        let raw = id_text(&sub.reference);
        let id = part_id(raw.as_deref(), &format!("{here}.Reference"), out);
        let q = quantity(&sub.quantity, &format!("{here}.Quantity"), out);
        let unit = exact(&sub.unit_price, &format!("{here}.UnitPrice"), out).unwrap_or(0);
        if let (Some(id), Some(q)) = (id, q) {
            parts.push(Part {
                id,
                name: sub.name.clone(),
                quantity: q,
                unit,
            });
        }
        flatten_prep(
            sub.items.as_deref().unwrap_or_default(),
            &format!("{here}.Items"),
            parts,
            out,
        );
    }
}

/// The customer notes, a map or the example's `[{Key, Value}]`, as one note text.
fn prep_notes(v: &Option<Value>) -> Option<String> {
    let pairs: Vec<String> = match v {
        Some(Value::Object(map)) => map
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|s| format!("{k}: {s}")))
            .collect(),
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|e| {
                let k = e.get("Key").or_else(|| e.get("key"))?.as_str()?;
                let v = e.get("Value").or_else(|| e.get("value"))?.as_str()?;
                Some(format!("{k}: {v}"))
            })
            .collect(),
        _ => Vec::new(),
    };
    (!pairs.is_empty()).then(|| pairs.join("; "))
}

/// `order-ready-for-preparation` → the `ConnectOrder` the pipeline judges, or every problem.
pub fn from_preparation(o: &PreparationOrderIn) -> Result<ConnectOrder, Vec<Violation>> {
    let mut out = Violations::new();
    let order_id = required_text(
        text(&o.order_id),
        "OrderId",
        "Just Eat's order id",
        &mut out,
    );
    let restaurant = id_text(&o.restaurant.as_ref().and_then(|r| r.id.clone()));
    let restaurant = required_text(
        restaurant.as_deref(),
        "Restaurant.Id",
        "Just Eat's restaurant id",
        &mut out,
    )
    .map(str::to_owned);
    let fulfilment = o.fulfilment.as_ref();
    let service = service_type(
        fulfilment.and_then(|f| text(&f.method)),
        "Fulfilment.Method",
        &mut out,
    );
    let is_delivery = service == Some("Delivery");
    let items = o.items.as_deref().unwrap_or_default();
    if items.is_empty() {
        out.push(Violation::new(
            "bad_request",
            Some("Items"),
            "must list at least one item",
        ));
    }
    let mut lines = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("Items[{i}]");
        let raw = id_text(&item.reference);
        let id = required_text(
            raw.as_deref(),
            &format!("{at}.Reference"),
            "the item's id",
            &mut out,
        );
        let q = quantity(&item.quantity, &format!("{at}.Quantity"), &mut out);
        let unit = exact(&item.unit_price, &format!("{at}.UnitPrice"), &mut out).unwrap_or(0);
        let mut parts = Vec::new();
        flatten_prep(
            item.items.as_deref().unwrap_or_default(),
            &format!("{at}.Items"),
            &mut parts,
            &mut out,
        );
        let parts_unit: i64 = parts.iter().map(|p| p.unit * p.quantity as i64).sum();
        let total = exact(&item.total_price, &format!("{at}.TotalPrice"), &mut out);
        if let (Some(id), Some(q)) = (id, q) {
            let total = total.unwrap_or((unit + parts_unit) * q as i64);
            lines.push(Line {
                id: id.to_owned(),
                name: item.name.clone(),
                quantity: q,
                unit,
                total,
                parts,
            });
        }
    }
    let breakdown = o.price_breakdown.as_ref();
    let fees = breakdown.and_then(|b| b.fees.as_ref());
    let amount = |n: Option<&Option<Number>>, field: &str, out: &mut Violations| {
        n.and_then(|n| exact(n, field, out)).unwrap_or(0)
    };
    let delivery = amount(
        fees.map(|f| &f.delivery),
        "PriceBreakdown.Fees.Delivery",
        &mut out,
    );
    let service_charge = amount(
        fees.map(|f| &f.service_charge),
        "PriceBreakdown.Fees.ServiceCharge",
        &mut out,
    );
    let other = amount(
        fees.map(|f| &f.other),
        "PriceBreakdown.Fees.Other",
        &mut out,
    );
    let tips = amount(breakdown.map(|b| &b.tips), "PriceBreakdown.Tips", &mut out);
    let discount = amount(
        breakdown.map(|b| &b.discount),
        "PriceBreakdown.Discount",
        &mut out,
    );
    let items_total = breakdown
        .and_then(|b| exact(&b.items, "PriceBreakdown.Items", &mut out))
        .unwrap_or_else(|| lines.iter().map(|l| l.total).sum());
    let total = exact(&o.total_price, "TotalPrice", &mut out)
        .unwrap_or(items_total + delivery + service_charge + other + tips - discount);
    let mut payments = Vec::new();
    let mut cash_due = false;
    for (i, line) in o
        .payment
        .as_ref()
        .and_then(|p| p.lines.as_ref())
        .into_iter()
        .flatten()
        .enumerate()
    {
        let v = exact(&line.value, &format!("Payment.Lines[{i}].Value"), &mut out).unwrap_or(0);
        let cash = line
            .kind
            .as_deref()
            .is_some_and(|k| k.eq_ignore_ascii_case("cash"));
        cash_due |= cash && line.paid != Some(true);
        payments.push((payment_type(line.kind.as_deref()), v));
    }
    let money = Money4 {
        total,
        tips,
        delivery: if is_delivery { delivery } else { 0 },
    };
    let priced = if out.is_empty() {
        basket(lines, &money, payments, cash_due, "TotalPrice", &mut out)
    } else {
        None
    };
    let address = fulfilment.and_then(|f| f.address.as_ref());
    let geo = address.and_then(|a| a.geolocation.as_ref());
    let asap = fulfilment.and_then(|f| f.customer_due_asap);
    let (Some(order_id), Some(restaurant), Some(service), Some((basket, payment)), true) =
        (order_id, restaurant, service, priced, out.is_empty())
    else {
        return Err(out);
    };
    Ok(ConnectOrder {
        order_id: Some(order_id.to_owned()),
        order: Some(OrderInfo {
            service_type: Some(service.to_owned()),
            placed_date: o.placed_date.clone(),
            // `CustomerDueAsap: false` with a due time not after `PlacedDate` (the example)
            // is left to the pipeline's rule: a due time already past is ASAP.
            prompt_asap: asap.filter(|a| *a),
            due_date_with_utc_offset: if asap == Some(true) {
                None
            } else {
                fulfilment.and_then(|f| f.customer_due_date.clone())
            },
            note_to_restaurant: prep_notes(&o.customer_notes),
            ..OrderInfo::default()
        }),
        restaurant_info: Some(RestaurantInfo {
            id: Some(restaurant),
            ..RestaurantInfo::default()
        }),
        customer_info: Some(CustomerInfo {
            name: o.customer.as_ref().and_then(|c| c.name.clone()),
            display_phone_number: id_text(&fulfilment.and_then(|f| f.phone_number.clone())),
            address: is_delivery
                .then(|| address.and_then(|a| a.lines.as_ref()).map(|l| l.join(", ")))
                .flatten(),
            city: is_delivery
                .then(|| address.and_then(|a| a.city.clone()))
                .flatten(),
            postcode: is_delivery
                .then(|| address.and_then(|a| a.postal_code.clone()))
                .flatten(),
            latitude: is_delivery
                .then(|| geo.and_then(|g| g.latitude.clone()))
                .flatten(),
            longitude: is_delivery
                .then(|| geo.and_then(|g| g.longitude.clone()))
                .flatten(),
            ..CustomerInfo::default()
        }),
        basket_info: Some(basket),
        payment_info: Some(payment),
        ..ConnectOrder::default()
    })
}

#[cfg(test)]
mod tests;
