//! The Orderconnect-side checks of a `ConnectOrder`: what can be decided from the order
//! alone, before the catalog is read. Returns a [`CheckedOrder`] (exact money, parsed
//! dates, the lines with their parts) or **every** violation, each already carrying its
//! Orderconnect reason code and the field it concerns. The rule table is in [`super`].

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use serde_json::Number;

use crate::domain::Money;
use crate::order::client::Contact;
use crate::problem::{Path, Violation, Violations};

use super::mapping::IdKind;
use super::wire::{ConnectOrder, OptionalAccessory, RequiredAccessory};
use super::Reason;

/// Delivery by the restaurant's courier, or collection by the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceType {
    Delivery,
    Collection,
}

impl ServiceType {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceType::Delivery => "Delivery",
            ServiceType::Collection => "Collection",
        }
    }

    pub fn parse(raw: &str) -> Option<ServiceType> {
        match raw.trim() {
            "Delivery" => Some(ServiceType::Delivery),
            "Collection" => Some(ServiceType::Collection),
            _ => None,
        }
    }
}

/// One part of a basket line that becomes a Jupiter modifier: a meal part, an optional or
/// a required accessory, wherever it hangs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedPart {
    /// `MealPartId`, `OptionalAccessoryId` or `RequiredAccessoryId` written as a string.
    pub id: String,
    /// The id space the operator's mapping looks it up in.
    pub kind: IdKind,
    pub name: Option<String>,
    /// How many per unit of the line's item.
    pub count: i64,
    pub unit_price: Money,
    /// Where it is in the `ConnectOrder`, for messages.
    pub path: String,
}

/// A basket line (`GroupedBasketItems[index]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedLine {
    pub index: usize,
    /// `BasketItem.ProductId` written as a string.
    pub product_id: Option<String>,
    /// `BasketItem.MenuCardNumber`, else the group's.
    pub menu_card_number: Option<String>,
    pub name: Option<String>,
    pub quantity: i64,
    pub unit_price: Money,
    /// `GroupedBasketItem.CombinedPrice`: the whole line.
    pub combined_price: Money,
    pub parts: Vec<CheckedPart>,
}

/// A `ConnectOrder` whose own rules hold. Money is exact; times are instants.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedOrder {
    /// The order's key: `OrderId` (current shape), else `Id` (seed `001`). Every later
    /// delivery-state call names it.
    pub id: String,
    /// The field the key came from (`OrderId` or `Id`), for messages.
    pub id_field: &'static str,
    pub friendly_reference: Option<String>,
    pub restaurant_ref: String,
    pub service_type: ServiceType,
    /// `PlacedDate` (UTC without an offset in the seed).
    pub placed_at: DateTime<Utc>,
    /// `DueDateWithUtcOffset`, when given, with the offset Just Eat wrote.
    pub due: Option<DateTime<FixedOffset>>,
    pub asap: bool,
    /// The customer's notes, labelled for who they are for (`kitchen`, `courier`, `order`,
    /// and the deprecated `NoteToRestaurant` when it says something else), each once.
    pub notes: Vec<(&'static str, String)>,
    pub customer_name: String,
    /// What the kitchen and the courier may call: `DisplayPhoneNumber` (Just Eat's masked
    /// number) when given, else `PhoneNumber` (seed `001`, which has no masked number).
    pub customer_phone: String,
    /// `PhoneMaskingCode`: the code to key in when calling the masked number.
    pub masking_code: Option<String>,
    /// `PhoneNumber` as written: the customer's own number unless masked.
    pub customer_phone_number: Option<String>,
    /// `CustomerInfo.Email` as written.
    pub customer_email: Option<String>,
    /// `Restrictions` as written (`Alcohol`: the customer's ID is checked on hand-over).
    pub restrictions: Vec<String>,
    /// `RdsPickupTimeWithUtcOffset`, as Just Eat wrote it: when the courier collects.
    pub rds_pickup: Option<String>,
    /// `PickupNoticePeriod` (`hh:mm:ss`): the notice the kitchen asked for before pickup.
    pub pickup_notice: Option<String>,
    /// `RestaurantInfo.PickupNotes`: pickup instructions for the courier.
    pub pickup_notes: Option<String>,
    /// `Address`, `City` and `Postcode` joined with ", " (delivery only).
    pub address: Option<String>,
    /// (latitude, longitude) when Just Eat knows them (0/0 means unknown).
    pub coords: Option<(f64, f64)>,
    pub menu_id: Option<String>,
    pub lines: Vec<CheckedLine>,
    /// `BasketInfo.SubTotal`: the basket before any discount.
    pub subtotal: Money,
    /// `Discount` + `MultiBuyDiscount`, or `Discount` alone when it already holds the
    /// multi-buy part (whichever `Total` was computed with).
    pub discount: Money,
    pub delivery_charge: Money,
    /// `BasketInfo.Total`: the total charge to the customer for the food and delivery.
    pub total: Money,
    /// `PaymentInfo.DriverTipValue`.
    pub tip: Money,
    /// Σ `PaymentLines[].CardFee`.
    pub card_fees: Money,
    /// Σ `PaymentLines[].Value`.
    pub payment_values: Money,
    /// `PaymentInfo.Total`.
    pub paid_total: Money,
    /// `PaymentInfo.TotalComplementary`: the part Just Eat covers, not the customer.
    pub complementary: Money,
    /// What the customer pays: `BasketInfo.Total` + `DriverTipValue` + card fees −
    /// `TotalComplementary` (see the money table in [`super`]).
    pub due_total: Money,
    pub cash_on_delivery: bool,
}

impl CheckedOrder {
    /// Who placed the order, for the client record (`order::client::client_of`): the
    /// customer's own number only when Just Eat does not mask it.
    pub fn contact(&self) -> Contact<'_> {
        Contact::Orderconnect {
            name: Some(self.customer_name.as_str()),
            phone_number: self.customer_phone_number.as_deref(),
            masking_code: self.masking_code.as_deref(),
            email: self.customer_email.as_deref(),
        }
    }
}

pub(super) fn violation(reason: Reason, field: &str, message: impl Into<String>) -> Violation {
    Violation::new(reason.as_str(), Some(field), message)
}

/// Records a `bad_request` at `field` (a [`Path`] or a fixed name), written out only now.
fn bad(out: &mut Violations, field: impl fmt::Display, message: impl Into<String>) {
    out.push(Reason::BadRequest.as_str(), field, message);
}

fn text(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn required<'a>(
    value: &'a Option<String>,
    field: impl fmt::Display,
    out: &mut Violations,
) -> Option<&'a str> {
    let got = text(value);
    if got.is_none() {
        bad(out, field, "is required");
    }
    got
}

/// An amount in pounds read exactly from the JSON number's text (`22.05` → 2205 pence).
fn money(n: &Number, field: impl fmt::Display, out: &mut Violations) -> Option<Money> {
    match Money::from_json(n, "") {
        Ok(m) => Some(m),
        Err(e) => {
            bad(out, field, e.message);
            None
        }
    }
}

fn required_money(
    n: &Option<Number>,
    field: impl fmt::Display,
    out: &mut Violations,
) -> Option<Money> {
    match n {
        Some(n) => money(n, field, out),
        None => {
            bad(out, field, "is required");
            None
        }
    }
}

/// An optional amount: absent means 0.
fn optional_money(
    n: &Option<Number>,
    field: impl fmt::Display,
    out: &mut Violations,
) -> Option<Money> {
    match n {
        Some(n) => money(n, field, out),
        None => Some(Money::ZERO),
    }
}

/// A whole number from 1 to 10000 (the Jupiter count range).
fn quantity(n: &Option<Number>, field: impl fmt::Display, out: &mut Violations) -> Option<i64> {
    let Some(n) = n else {
        bad(out, field, "is required");
        return None;
    };
    match n.as_i64() {
        Some(q) if (1..=10_000).contains(&q) => Some(q),
        _ => {
            bad(
                out,
                field,
                format!("must be a whole number from 1 to 10000, got {n}"),
            );
            None
        }
    }
}

/// An id that Just Eat sends as a number, written as the string a menu id would be.
fn id_text(n: &Option<Number>) -> Option<String> {
    n.as_ref().map(Number::to_string)
}

fn sum(values: impl IntoIterator<Item = Money>) -> Option<Money> {
    values
        .into_iter()
        .try_fold(Money::ZERO, |acc, m| acc.checked_add(m))
}

/// Parses a date Just Eat wrote without an offset (`PlacedDate`), as UTC; one with an
/// offset or `Z` is accepted too. Any fraction length is accepted.
pub fn parse_utc_date(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|t| t.and_utc())
}

/// Parses a `…WithUtcOffset` date: RFC 3339 with its offset (any fraction length).
pub fn parse_offset_date(raw: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(raw.trim()).ok()
}

fn coordinate(n: &Option<Number>) -> Option<f64> {
    n.as_ref()
        .and_then(Number::as_f64)
        .filter(|f| f.is_finite())
}

fn optional_parts(
    list: &Option<Vec<OptionalAccessory>>,
    path: Path<'_>,
    out: &mut Violations,
    parts: &mut Vec<CheckedPart>,
) {
    let list_path = path.field("OptionalAccessories");
    for (k, a) in list.iter().flatten().enumerate() {
        let p = list_path.index(k);
        let id = id_text(&a.optional_accessory_id);
        if id.is_none() {
            bad(out, p.field("OptionalAccessoryId"), "is required");
        }
        let count = match &a.quantity {
            None => Some(1),
            q => quantity(q, p.field("Quantity"), out),
        };
        let price = optional_money(&a.unit_price, p.field("UnitPrice"), out);
        if let (Some(id), Some(count), Some(unit_price)) = (id, count, price) {
            parts.push(CheckedPart {
                id,
                kind: IdKind::Accessory,
                name: text(&a.name).map(str::to_owned),
                count,
                unit_price,
                path: p.to_string(),
            });
        }
    }
}

fn required_parts(
    list: &Option<Vec<RequiredAccessory>>,
    path: Path<'_>,
    out: &mut Violations,
    parts: &mut Vec<CheckedPart>,
) {
    let list_path = path.field("RequiredAccessories");
    for (k, a) in list.iter().flatten().enumerate() {
        let p = list_path.index(k);
        let id = id_text(&a.required_accessory_id);
        if id.is_none() {
            bad(out, p.field("RequiredAccessoryId"), "is required");
        }
        let price = optional_money(&a.unit_price, p.field("UnitPrice"), out);
        if let (Some(id), Some(unit_price)) = (id, price) {
            parts.push(CheckedPart {
                id,
                kind: IdKind::Accessory,
                name: text(&a.name).map(str::to_owned),
                count: 1,
                unit_price,
                path: p.to_string(),
            });
        }
    }
}

/// Checks an order's own rules (see the table in [`super`]); `PlacedDate` is required.
pub fn check(order: &ConnectOrder) -> Result<CheckedOrder, Vec<Violation>> {
    check_received(order, None)
}

/// [`check`] for an order received at `received_at`: a `ConnectOrder` without
/// `PlacedDate` (Just Eat's published array example has none) is taken as placed then.
pub fn check_received(
    order: &ConnectOrder,
    received_at: Option<DateTime<Utc>>,
) -> Result<CheckedOrder, Vec<Violation>> {
    let mut out = Violations::new();
    let (id, id_field) = match (text(&order.order_id), text(&order.id)) {
        (Some(id), _) => (Some(id), "OrderId"),
        (None, Some(id)) => (Some(id), "Id"),
        (None, None) => {
            bad(
                &mut out,
                "OrderId",
                "is required (or Id, as seed 001 sends it)",
            );
            (None, "OrderId")
        }
    };
    if id.is_some_and(|id| id.chars().count() > 64) {
        bad(&mut out, id_field, "must be at most 64 characters");
    }
    let info = order.order.clone().unwrap_or_default();
    let service_type = match required(&info.service_type, "Order.ServiceType", &mut out) {
        Some(raw) => {
            let parsed = ServiceType::parse(raw);
            if parsed.is_none() {
                bad(
                    &mut out,
                    "Order.ServiceType",
                    format!("must be Delivery or Collection, got {raw:?}"),
                );
            }
            parsed
        }
        None => None,
    };
    let placed_text = match (text(&info.placed_date), received_at) {
        (None, Some(_)) => None,
        _ => required(&info.placed_date, "Order.PlacedDate", &mut out),
    };
    let placed_at = placed_text.and_then(|raw| {
        let t = parse_utc_date(raw);
        if t.is_none() {
            bad(
                &mut out,
                "Order.PlacedDate",
                format!("must be a date-time such as 2026-11-25T12:30:00, got {raw:?}"),
            );
        }
        t
    });
    let placed_at = match (text(&info.placed_date), received_at) {
        (None, Some(at)) => Some(at),
        _ => placed_at,
    };
    let due = match text(&info.due_date_with_utc_offset) {
        Some(raw) => {
            let t = parse_offset_date(raw);
            if t.is_none() {
                bad(
                    &mut out,
                    "Order.DueDateWithUtcOffset",
                    format!("must be an RFC 3339 date-time with its offset, got {raw:?}"),
                );
            }
            t
        }
        None => None,
    };
    // `PromptAsap` absent: a pre-order only when the due time is after the order was
    // placed (Just Eat sends a due time with ASAP orders too; one already past is ASAP).
    let asap = info.prompt_asap.unwrap_or(match (due, placed_at) {
        (Some(d), Some(p)) => d.with_timezone(&Utc) <= p,
        (d, _) => d.is_none(),
    });
    if !asap && due.is_none() && text(&info.due_date_with_utc_offset).is_none() {
        bad(
            &mut out,
            "Order.DueDateWithUtcOffset",
            "is required when PromptAsap is false",
        );
    }
    let restaurant = order.restaurant_info.clone().unwrap_or_default();
    let restaurant_ref = required(&restaurant.id, "RestaurantInfo.Id", &mut out);

    let customer = order.customer_info.clone().unwrap_or_default();
    let customer_name = required(&customer.name, "CustomerInfo.Name", &mut out);
    // Just Eat's masked number is the one drivers and the kitchen may see; the real
    // `PhoneNumber` only when no masked one is given (seed 001 has none).
    let customer_phone = match text(&customer.display_phone_number) {
        Some(p) => Some(p),
        None => required(&customer.phone_number, "CustomerInfo.PhoneNumber", &mut out),
    };
    let street = text(&customer.address);
    let address = street.map(|street| {
        [Some(street), text(&customer.city), text(&customer.postcode)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    });
    let coords = match (
        coordinate(&customer.latitude),
        coordinate(&customer.longitude),
    ) {
        // Just Eat writes 0 for an unknown coordinate.
        (Some(lat), Some(lon)) if lat == 0.0 && lon == 0.0 => None,
        (Some(lat), Some(lon)) if lat.abs() <= 90.0 && lon.abs() <= 180.0 => Some((lat, lon)),
        (None, None) => None,
        (lat, lon) => {
            out.push(
                Reason::BadAddress.as_str(),
                "CustomerInfo.Latitude",
                format!(
                    "({}, {}) is not a position on Earth",
                    lat.map_or("none".to_owned(), |f| f.to_string()),
                    lon.map_or("none".to_owned(), |f| f.to_string())
                ),
            );
            None
        }
    };
    if service_type == Some(ServiceType::Delivery) && street.is_none() {
        out.push(
            Reason::BadAddress.as_str(),
            "CustomerInfo.Address",
            "a Delivery order needs the customer's street address",
        );
    }

    let basket = order.basket_info.clone().unwrap_or_default();
    let items = basket.grouped_basket_items.clone().unwrap_or_default();
    if items.is_empty() {
        bad(
            &mut out,
            "BasketInfo.GroupedBasketItems",
            "must list at least one item",
        );
    }
    let mut lines = Vec::new();
    let mut lines_ok = true;
    let groups = Path::root("BasketInfo.GroupedBasketItems");
    for (i, group) in items.iter().enumerate() {
        let path = groups.index(i);
        let item_path = path.field("BasketItem");
        let before = out.len();
        let item = group.basket_item.clone().unwrap_or_default();
        if group.basket_item.is_none() {
            bad(&mut out, item_path, "is required");
        }
        let q = quantity(&group.quantity, path.field("Quantity"), &mut out);
        let combined = required_money(&group.combined_price, path.field("CombinedPrice"), &mut out);
        let unit = optional_money(&item.unit_price, item_path.field("UnitPrice"), &mut out);
        let product_id = id_text(&item.product_id);
        let menu_card_number = text(&item.menu_card_number)
            .or(text(&group.menu_card_number))
            .map(str::to_owned);
        if group.basket_item.is_some() && product_id.is_none() && menu_card_number.is_none() {
            bad(
                &mut out,
                item_path.field("ProductId"),
                "is required (or MenuCardNumber)",
            );
        }
        let mut parts = Vec::new();
        let meal_parts = item_path.field("MealParts");
        for (m, part) in item.meal_parts.iter().flatten().enumerate() {
            let p = meal_parts.index(m);
            match id_text(&part.meal_part_id) {
                Some(id) => parts.push(CheckedPart {
                    id,
                    kind: IdKind::MealPart,
                    name: text(&part.name).map(str::to_owned),
                    count: 1,
                    unit_price: Money::ZERO,
                    path: p.to_string(),
                }),
                None => bad(&mut out, p.field("MealPartId"), "is required"),
            }
            optional_parts(&part.optional_accessories, p, &mut out, &mut parts);
            required_parts(&part.required_accessories, p, &mut out, &mut parts);
        }
        optional_parts(&item.optional_accessories, item_path, &mut out, &mut parts);
        required_parts(&item.required_accessories, item_path, &mut out, &mut parts);
        if out.len() != before {
            lines_ok = false;
            continue;
        }
        let (Some(quantity), Some(combined_price), Some(unit_price)) = (q, combined, unit) else {
            lines_ok = false;
            continue;
        };
        lines.push(CheckedLine {
            index: i,
            product_id,
            menu_card_number,
            name: text(&item.name).map(str::to_owned),
            quantity,
            unit_price,
            combined_price,
            parts,
        });
    }
    let subtotal = required_money(&basket.sub_total, "BasketInfo.SubTotal", &mut out);
    let discount = optional_money(&basket.discount, "BasketInfo.Discount", &mut out);
    let multi_buy = optional_money(
        &basket.multi_buy_discount,
        "BasketInfo.MultiBuyDiscount",
        &mut out,
    );
    let delivery_charge = optional_money(
        &basket.delivery_charge,
        "BasketInfo.DeliveryCharge",
        &mut out,
    );
    let total = required_money(&basket.total, "BasketInfo.Total", &mut out);
    if service_type == Some(ServiceType::Collection)
        && delivery_charge.is_some_and(|d| d != Money::ZERO)
    {
        bad(
            &mut out,
            "BasketInfo.DeliveryCharge",
            "must be 0 for a Collection order",
        );
    }
    // Lines carry what Just Eat charged for them, discounts included (seed 001:
    // `CombinedPrice` "including discounts"), while `SubTotal` is the basket before any
    // discount: the lines may add up to less than `SubTotal`, never to more.
    if let (true, Some(subtotal)) = (lines_ok && !items.is_empty(), subtotal) {
        match sum(lines.iter().map(|l| l.combined_price)) {
            Some(lines_sum) if lines_sum <= subtotal => {}
            Some(lines_sum) => bad(
                &mut out,
                "BasketInfo.SubTotal",
                format!(
                    "is {subtotal} but the GroupedBasketItems' CombinedPrice add up to {lines_sum}, more than the basket before discounts"
                ),
            ),
            None => bad(
                &mut out,
                "BasketInfo.SubTotal",
                "the basket lines are too large",
            ),
        }
    }
    // `Total` = `SubTotal` − `Discount` − `MultiBuyDiscount` + `DeliveryCharge`; a
    // `Discount` that already holds the multi-buy part is read as such.
    let mut discount_sum = None;
    if let (Some(subtotal), Some(d), Some(m), Some(charge), Some(total)) =
        (subtotal, discount, multi_buy, delivery_charge, total)
    {
        let gross = subtotal.checked_add(charge).map(Money::minor);
        let both = d.checked_add(m);
        let candidates = [both, Some(d)];
        discount_sum = candidates
            .into_iter()
            .flatten()
            .find(|c| gross.and_then(|g| g.checked_sub(c.minor())) == Some(total.minor()));
        if discount_sum.is_none() {
            let expected = gross.and_then(|g| g.checked_sub(both.map_or(0, Money::minor)));
            bad(
                &mut out,
                "BasketInfo.Total",
                format!(
                    "is {total} but SubTotal {subtotal} - Discount {d} - MultiBuyDiscount {m} + DeliveryCharge {charge} = {}",
                    expected.map_or("(too large)".to_owned(), signed)
                ),
            );
        }
    }

    let payment = order.payment_info.clone().unwrap_or_default();
    let paid_total = required_money(&payment.total, "PaymentInfo.Total", &mut out);
    let tip = optional_money(
        &payment.driver_tip_value,
        "PaymentInfo.DriverTipValue",
        &mut out,
    );
    let complementary = optional_money(
        &payment.total_complementary,
        "PaymentInfo.TotalComplementary",
        &mut out,
    );
    let payment_lines = payment.payment_lines.clone().unwrap_or_default();
    if payment_lines.is_empty() {
        bad(
            &mut out,
            "PaymentInfo.PaymentLines",
            "must list at least one payment",
        );
    }
    let mut values = Some(Money::ZERO);
    let mut fees = Some(Money::ZERO);
    let lines_path = Path::root("PaymentInfo.PaymentLines");
    for (i, line) in payment_lines.iter().enumerate() {
        let p = lines_path.index(i);
        let value = required_money(&line.value, p.field("Value"), &mut out);
        let fee = optional_money(&line.card_fee, p.field("CardFee"), &mut out);
        values = values.zip(value).and_then(|(a, b)| a.checked_add(b));
        fees = fees.zip(fee).and_then(|(a, b)| a.checked_add(b));
    }
    if let (Some(values), Some(fees), Some(paid_total)) = (values, fees, paid_total) {
        match values.checked_add(fees) {
            Some(paid) if paid == paid_total => {}
            Some(paid) => bad(
                &mut out,
                "PaymentInfo.PaymentLines",
                format!("add up to {paid} (values {values} + card fees {fees}) but PaymentInfo.Total is {paid_total}"),
            ),
            None => bad(&mut out, "PaymentInfo.PaymentLines", "are too large"),
        }
    }
    // What the customer pays; Just Eat cannot cover more than the whole bill.
    let mut due_total = None;
    if let (Some(total), Some(tip), Some(fees), Some(k)) = (total, tip, fees, complementary) {
        let bill = total.checked_add(tip).and_then(|b| b.checked_add(fees));
        match bill.map(|b| b.minor() - k.minor()) {
            Some(due) if due >= 0 => due_total = Money::from_minor(due, "due").ok(),
            Some(_) => bad(
                &mut out,
                "PaymentInfo.TotalComplementary",
                format!(
                    "is {k} but the whole bill is {} (BasketInfo.Total {total} + DriverTipValue {tip} + card fees {fees})",
                    bill.unwrap_or(Money::ZERO)
                ),
            ),
            None => bad(&mut out, "BasketInfo.Total", "is too large"),
        }
    }

    if !out.is_empty() {
        return Err(out.into_vec());
    }
    let (
        Some(id),
        Some(restaurant_ref),
        Some(service_type),
        Some(placed_at),
        Some(customer_name),
        Some(customer_phone),
        Some(subtotal),
        Some(discount),
        Some(delivery_charge),
        Some(total),
        Some(tip),
        Some(card_fees),
        Some(paid_total),
        Some(payment_values),
        Some(complementary),
        Some(due_total),
    ) = (
        id,
        restaurant_ref,
        service_type,
        placed_at,
        customer_name,
        customer_phone,
        subtotal,
        discount_sum,
        delivery_charge,
        total,
        tip,
        fees,
        paid_total,
        values,
        complementary,
        due_total,
    )
    else {
        return Err(vec![violation(
            Reason::BadRequest,
            id_field,
            "the order is incomplete",
        )]);
    };
    let order_notes = info.notes.clone().unwrap_or_default();
    let labelled = [
        (
            "kitchen",
            order_notes.kitchen.as_ref().and_then(|n| text(&n.note)),
        ),
        (
            "courier",
            order_notes.courier.as_ref().and_then(|n| text(&n.note)),
        ),
        (
            "order",
            order_notes.order.as_ref().and_then(|n| text(&n.note)),
        ),
        ("note", text(&info.note_to_restaurant)),
    ];
    let mut notes: Vec<(&'static str, String)> = Vec::new();
    for (label, note) in labelled {
        if let Some(n) = note {
            if !notes.iter().any(|(_, seen)| seen == n) {
                notes.push((label, n.to_owned()));
            }
        }
    }
    let restrictions = order
        .restrictions
        .iter()
        .flatten()
        .filter_map(|r| text(&r.kind).map(str::to_owned))
        .collect();
    Ok(CheckedOrder {
        id: id.to_owned(),
        id_field,
        friendly_reference: text(&order.friendly_order_reference).map(str::to_owned),
        restaurant_ref: restaurant_ref.to_owned(),
        service_type,
        placed_at,
        due,
        asap,
        notes,
        customer_name: customer_name.to_owned(),
        customer_phone: customer_phone.to_owned(),
        masking_code: text(&customer.phone_masking_code).map(str::to_owned),
        customer_phone_number: text(&customer.phone_number).map(str::to_owned),
        customer_email: text(&customer.email).map(str::to_owned),
        restrictions,
        rds_pickup: text(&info.rds_pickup_time_with_utc_offset).map(str::to_owned),
        pickup_notice: text(&info.pickup_notice_period).map(str::to_owned),
        pickup_notes: text(&restaurant.pickup_notes).map(str::to_owned),
        address: if service_type == ServiceType::Delivery {
            address
        } else {
            None
        },
        coords,
        menu_id: id_text(&basket.menu_id),
        lines,
        subtotal,
        discount,
        delivery_charge,
        total,
        tip,
        card_fees,
        payment_values,
        paid_total,
        complementary,
        due_total,
        cash_on_delivery: payment.cash_on_delivery.unwrap_or(false),
    })
}

/// Minor units as a signed decimal (a sum that went below zero is shown as such).
fn signed(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    match abs % 100 {
        0 => format!("{sign}{}", abs / 100),
        m => format!("{sign}{}.{m:02}", abs / 100),
    }
}
