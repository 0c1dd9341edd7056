//! Structural validation of a JET Connect order: every required field present and well
//! formed, amounts whole minor units, and Just Eat's own totals adding up. What fails here
//! is answered `400 {"errorMessage"}` (Just Eat then sends the order to the restaurant's
//! tablet); what passes is a [`JetOrder`], the order in the hub's terms.

use serde_json::Number;

use super::wire::{self, CancelNotification, MoneyValue, OrderItem, ReceiveOrder};
use crate::problem::{Path, Violation, Violations};

/// How an order is fulfilled (`type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fulfilment {
    /// Just Eat's courier collects from the restaurant.
    DeliveryByPartner,
    /// The restaurant delivers.
    DeliveryByMerchant,
    /// The customer collects.
    CollectionByCustomer,
}

impl Fulfilment {
    pub const ALL: [Fulfilment; 3] = [
        Fulfilment::DeliveryByPartner,
        Fulfilment::DeliveryByMerchant,
        Fulfilment::CollectionByCustomer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Fulfilment::DeliveryByPartner => "delivery-by-delivery-partner",
            Fulfilment::DeliveryByMerchant => "delivery-by-merchant",
            Fulfilment::CollectionByCustomer => "collection-by-customer",
        }
    }
}

/// An adjustment's `name` (FACTS §5.4). All amounts are positive; `discount` is subtracted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AdjustmentKind {
    DeliveryFee,
    ServiceCharge,
    BagFee,
    DriverTip,
    Discount,
    ItemDepositGroup,
    Other,
}

impl AdjustmentKind {
    pub const ALL: [AdjustmentKind; 7] = [
        AdjustmentKind::DeliveryFee,
        AdjustmentKind::ServiceCharge,
        AdjustmentKind::BagFee,
        AdjustmentKind::DriverTip,
        AdjustmentKind::Discount,
        AdjustmentKind::ItemDepositGroup,
        AdjustmentKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AdjustmentKind::DeliveryFee => "deliveryFee",
            AdjustmentKind::ServiceCharge => "serviceCharge",
            AdjustmentKind::BagFee => "bagfee",
            AdjustmentKind::DriverTip => "driverTip",
            AdjustmentKind::Discount => "discount",
            AdjustmentKind::ItemDepositGroup => "itemDepositGroup",
            AdjustmentKind::Other => "other",
        }
    }

    pub fn parse(name: &str) -> Option<AdjustmentKind> {
        AdjustmentKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The adjustment's sign in `final`: a discount is subtracted, everything else added.
    pub fn sign(self) -> i64 {
        if self == AdjustmentKind::Discount {
            -1
        } else {
            1
        }
    }
}

/// An option chosen for a line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Choice {
    pub plu: String,
    pub name: String,
    /// Minor units.
    pub price: i64,
}

/// One line as Just Eat sent it (JET repeats identical lines instead of counting them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub plu: String,
    pub name: String,
    pub price: i64,
    pub notes: String,
    pub children: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionLines {
    pub kind: String,
    pub promotion_id: String,
    pub discount_value: i64,
    pub items: Vec<Line>,
}

/// A person as given (masked values are kept: `*****` is what the kitchen can know).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub phone: String,
    pub masking_code: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Address {
    /// `line_one, line_two, postcode city`, blanks left out.
    pub text: String,
    /// (latitude, longitude), when given.
    pub coordinates: Option<(f64, f64)>,
}

/// A structurally valid JET Connect order.
#[derive(Debug, Clone, PartialEq)]
pub struct JetOrder {
    pub id: String,
    pub reference: String,
    pub fulfilment: Fulfilment,
    pub pos_location_id: String,
    pub timezone: String,
    pub menu_reference: String,
    pub lines: Vec<Line>,
    pub promotions: Vec<PromotionLines>,
    /// Unix seconds.
    pub created_at: i64,
    /// `deliver_at` for merchant delivery, else `collect_at` (unix seconds).
    pub due_at: Option<i64>,
    pub channel_name: String,
    pub payment_method: String,
    pub tender_type: Option<String>,
    pub items_in_cart: i64,
    pub adjustments: Vec<(AdjustmentKind, i64)>,
    pub final_total: i64,
    /// `payment.final.tax`: the tax inside `final_total`.
    pub final_tax: i64,
    pub deposit: i64,
    pub kitchen_notes: String,
    pub collection_notes: String,
    pub delivery_notes: String,
    /// The customer: `delivery`'s person, else the collector.
    pub customer: Option<Contact>,
    pub driver: Option<Contact>,
    pub address: Option<Address>,
}

/// The one code of every violation here.
const INVALID: &str = "invalid_order";

fn v(field: &str, message: impl Into<String>) -> Violation {
    Violation::new(INVALID, Some(field), message)
}

fn text<'a>(value: &'a Option<String>, field: Path<'_>, out: &mut Violations) -> &'a str {
    match value {
        Some(s) => s.as_str(),
        None => {
            out.push(INVALID, field, "is required");
            ""
        }
    }
}

fn non_blank<'a>(value: &'a Option<String>, field: Path<'_>, out: &mut Violations) -> &'a str {
    match value.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => s,
        Some(_) => {
            out.push(INVALID, field, "must not be blank");
            ""
        }
        None => {
            out.push(INVALID, field, "is required");
            ""
        }
    }
}

/// An amount in minor units: a whole number from 0 (`1950`; `1950.0` is accepted, `19.5`
/// is not: JET Connect amounts are minor units).
pub fn minor(n: &Number, field: &str) -> Result<i64, Violation> {
    whole_minor(n).map_err(|message| v(field, message))
}

/// [`minor`], saying why not without naming the field.
fn whole_minor(n: &Number) -> Result<i64, String> {
    let whole = n.as_i64().or_else(|| {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            .map(|f| f as i64)
    });
    match whole {
        Some(m) if m >= 0 => Ok(m),
        Some(_) => Err("must not be negative".to_owned()),
        None => Err(format!("must be a whole number of minor units, got {n}")),
    }
}

/// An optional amount in minor units, recorded at `field` when it is not one.
fn deposit(n: &Option<Number>, field: Path<'_>, out: &mut Violations) {
    if let Some(Err(message)) = n.as_ref().map(whole_minor) {
        out.push(INVALID, field, message);
    }
}

fn amount(n: &Option<Number>, field: Path<'_>, out: &mut Violations) -> i64 {
    match n {
        Some(n) => whole_minor(n).unwrap_or_else(|message| {
            out.push(INVALID, field, message);
            0
        }),
        None => {
            out.push(INVALID, field, "is required");
            0
        }
    }
}

fn money_value(value: &Option<MoneyValue>, field: Path<'_>, out: &mut Violations) -> i64 {
    match value {
        Some(m) => {
            amount(&m.tax, field.field("tax"), out);
            amount(&m.inc_tax, field.field("inc_tax"), out)
        }
        None => {
            out.push(INVALID, field, "is required");
            0
        }
    }
}

fn unix_seconds(value: &str, field: Path<'_>, out: &mut Violations) -> i64 {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        out.push(INVALID, field, "must be unix seconds as decimal digits");
        return 0;
    }
    value.parse().unwrap_or_else(|_| {
        out.push(INVALID, field, "is out of range");
        0
    })
}

fn optional_time(value: &Option<String>, field: Path<'_>, out: &mut Violations) -> Option<i64> {
    value.as_deref().map(|t| unix_seconds(t, field, out))
}

fn line(item: &OrderItem, path: Path<'_>, out: &mut Violations) -> Line {
    text(&item.description, path.field("description"), out);
    let choices = path.field("children");
    let children = item
        .children
        .iter()
        .flatten()
        .enumerate()
        .map(|(j, c)| {
            let cpath = choices.index(j);
            text(&c.description, cpath.field("description"), out);
            deposit(
                &c.unit_deposit_amount,
                cpath.field("unitDepositAmount"),
                out,
            );
            Choice {
                plu: text(&c.plu, cpath.field("plu"), out).trim().to_owned(),
                name: text(&c.name, cpath.field("name"), out).to_owned(),
                price: amount(&c.price, cpath.field("price"), out),
            }
        })
        .collect();
    deposit(
        &item.unit_deposit_amount,
        path.field("unitDepositAmount"),
        out,
    );
    Line {
        plu: text(&item.plu, path.field("plu"), out).trim().to_owned(),
        name: text(&item.name, path.field("name"), out).to_owned(),
        price: amount(&item.price, path.field("price"), out),
        notes: text(&item.notes, path.field("notes"), out).to_owned(),
        children,
    }
}

fn contact(first: &Option<String>, last: &Option<String>, phone: &Option<String>) -> Contact {
    let name = [first, last]
        .iter()
        .filter_map(|p| p.as_deref().map(str::trim))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Contact {
        name,
        phone: phone.as_deref().unwrap_or_default().trim().to_owned(),
        masking_code: String::new(),
    }
}

fn person(p: &Option<wire::Person>, field: Path<'_>, out: &mut Violations) -> Option<Contact> {
    let p = p.as_ref()?;
    text(&p.first_name, field.field("first_name"), out);
    text(&p.last_name, field.field("last_name"), out);
    text(&p.phone_number, field.field("phone_number"), out);
    let mut c = contact(&p.first_name, &p.last_name, &p.phone_number);
    c.masking_code = p.phone_masking_code.clone().unwrap_or_default();
    Some(c)
}

/// The address's parts, each written once: `line_one` usually is `street_number street`
/// already, and a `line_two` may repeat the city. A part another one contains (ignoring
/// case and spacing) is left out; a part that contains an earlier one takes its place.
pub fn address_parts<const N: usize>(candidates: [String; N]) -> Vec<String> {
    fn key(s: &str) -> String {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    }
    let mut parts: Vec<String> = Vec::new();
    for part in candidates {
        let part = part.split_whitespace().collect::<Vec<_>>().join(" ");
        if part.is_empty() || parts.iter().any(|p| key(p).contains(&key(&part))) {
            continue;
        }
        match parts.iter_mut().find(|p| key(&part).contains(&key(p))) {
            Some(slot) => {
                let k = key(&part);
                *slot = part;
                parts.retain({
                    let mut seen = false;
                    move |p| {
                        let same = key(p) == k;
                        let keep = !same || !seen;
                        seen |= same;
                        keep
                    }
                });
            }
            None => parts.push(part),
        }
    }
    parts
}

/// Checks a Receive Order (or Final Picked Order) body: the [`JetOrder`], or every
/// violation, each naming its JSON path.
pub fn validate_order(order: &ReceiveOrder) -> Result<JetOrder, Vec<Violation>> {
    let mut out = Violations::new();
    let id = non_blank(&order.id, Path::root("id"), &mut out).to_owned();
    let reference = text(
        &order.third_party_order_reference,
        Path::root("third_party_order_reference"),
        &mut out,
    )
    .to_owned();
    let fulfilment = match order.kind.as_deref() {
        Some(k) => Fulfilment::ALL.into_iter().find(|f| f.as_str() == k),
        None => None,
    };
    if fulfilment.is_none() {
        out.push(
            INVALID,
            "type",
            format!(
                "must be delivery-by-delivery-partner, delivery-by-merchant or \
                 collection-by-customer, got {:?}",
                order.kind.as_deref().unwrap_or_default()
            ),
        );
    }
    let pos_location_id = non_blank(
        &order.pos_location_id,
        Path::root("posLocationId"),
        &mut out,
    )
    .to_owned();
    let timezone = match &order.location {
        Some(l) => {
            if l.id.is_none() {
                out.push(INVALID, "location.id", "is required");
            }
            text(&l.timezone, Path::root("location.timezone"), &mut out).to_owned()
        }
        None => {
            out.push(INVALID, "location", "is required");
            String::new()
        }
    };
    let menu_reference = text(
        &order.menu_reference,
        Path::root("menu_reference"),
        &mut out,
    )
    .to_owned();
    let items_path = Path::root("items");
    let lines: Vec<Line> = match &order.items {
        Some(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| line(item, items_path.index(i), &mut out))
            .collect(),
        None => {
            out.push(INVALID, "items", "is required");
            Vec::new()
        }
    };
    let created_at = unix_seconds(
        text(&order.created_at, Path::root("created_at"), &mut out),
        Path::root("created_at"),
        &mut out,
    );
    let channel_name = match &order.channel {
        Some(c) => {
            if c.id.is_none() {
                out.push(INVALID, "channel.id", "is required");
            }
            text(&c.name, Path::root("channel.name"), &mut out).to_owned()
        }
        None => {
            out.push(INVALID, "channel", "is required");
            String::new()
        }
    };
    let payment_method = text(
        &order.payment_method,
        Path::root("payment_method"),
        &mut out,
    )
    .to_owned();
    let promotions_path = Path::root("promotions");
    let promotions: Vec<PromotionLines> = match &order.promotions {
        Some(list) => list
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let path = promotions_path.index(i);
                let items_path = path.field("items");
                PromotionLines {
                    kind: text(&p.kind, path.field("type"), &mut out).to_owned(),
                    promotion_id: text(&p.promotion_id, path.field("promotionId"), &mut out)
                        .to_owned(),
                    discount_value: amount(
                        &p.discount_value,
                        path.field("discountValue"),
                        &mut out,
                    ),
                    items: match &p.items {
                        Some(items) => items
                            .iter()
                            .enumerate()
                            .map(|(j, item)| line(item, items_path.index(j), &mut out))
                            .collect(),
                        None => {
                            out.push(INVALID, items_path, "is required");
                            Vec::new()
                        }
                    },
                }
            })
            .collect(),
        None => {
            out.push(INVALID, "promotions", "is required");
            Vec::new()
        }
    };
    if order.items.is_some() && lines.is_empty() && promotions.iter().all(|p| p.items.is_empty()) {
        out.push(INVALID, "items", "the order has no items");
    }

    let mut adjustments = Vec::new();
    let final_tax = order
        .payment
        .as_ref()
        .and_then(|p| p.final_.as_ref())
        .and_then(|f| f.tax.as_ref())
        .and_then(|t| whole_minor(t).ok())
        .unwrap_or(0);
    let (items_in_cart, final_total, deposit) = match &order.payment {
        Some(p) => {
            let items_in_cart = money_value(
                &p.items_in_cart,
                Path::root("payment.items_in_cart"),
                &mut out,
            );
            match &p.adjustments {
                Some(list) => {
                    let list_path = Path::root("payment.adjustments");
                    for (i, a) in list.iter().enumerate() {
                        let path = list_path.index(i);
                        let kind = match a.name.as_deref() {
                            Some(name) => {
                                let kind = AdjustmentKind::parse(name);
                                if kind.is_none() {
                                    out.push(
                                        INVALID,
                                        path.field("name"),
                                        format!(
                                            "must be one of deliveryFee, serviceCharge, bagfee, \
                                             driverTip, discount, itemDepositGroup, other; got \
                                             {name:?}"
                                        ),
                                    );
                                }
                                kind
                            }
                            None => {
                                out.push(INVALID, path.field("name"), "is required");
                                None
                            }
                        };
                        let amount = money_value(&a.price, path.field("price"), &mut out);
                        if let Some(kind) = kind {
                            adjustments.push((kind, amount));
                        }
                    }
                }
                None => out.push(INVALID, "payment.adjustments", "is required"),
            }
            let final_total = money_value(&p.final_, Path::root("payment.final"), &mut out);
            let deposit = amount(&p.deposit, Path::root("payment.deposit"), &mut out);
            (items_in_cart, final_total, deposit)
        }
        None => {
            out.push(INVALID, "payment", "is required");
            (0, 0, 0)
        }
    };

    let collect_at = optional_time(&order.collect_at, Path::root("collect_at"), &mut out);
    let deliver_at = optional_time(&order.deliver_at, Path::root("deliver_at"), &mut out);
    let driver = person(&order.driver, Path::root("driver"), &mut out);
    let collector = person(&order.collector, Path::root("collector"), &mut out);
    let (delivery_contact, address) = match &order.delivery {
        Some(d) => {
            let delivery = Path::root("delivery");
            for (value, name) in [
                (&d.first_name, "first_name"),
                (&d.last_name, "last_name"),
                (&d.phone_number, "phone_number"),
                (&d.phone_masking_code, "phone_masking_code"),
                (&d.line_one, "line_one"),
                (&d.line_two, "line_two"),
                (&d.city, "city"),
                (&d.postcode, "postcode"),
                (&d.email, "email"),
            ] {
                text(value, delivery.field(name), &mut out);
            }
            if d.company_name
                .as_deref()
                .is_some_and(|c| c.chars().count() > 128)
            {
                out.push(
                    INVALID,
                    "delivery.company_name",
                    "must be at most 128 characters",
                );
            }
            let coordinates = match &d.coordinates {
                Some(c) => {
                    let lat = c.latitude.as_ref().and_then(Number::as_f64);
                    let lon = c.longitude.as_ref().and_then(Number::as_f64);
                    let mut ok = true;
                    match lat {
                        Some(l) if (-90.0..=90.0).contains(&l) => {}
                        _ => {
                            ok = false;
                            out.push(
                                INVALID,
                                "delivery.coordinates.latitude",
                                "must be a number from -90 to 90",
                            );
                        }
                    }
                    match lon {
                        Some(l) if (-180.0..=180.0).contains(&l) => {}
                        _ => {
                            ok = false;
                            out.push(
                                INVALID,
                                "delivery.coordinates.longitude",
                                "must be a number from -180 to 180",
                            );
                        }
                    }
                    text(
                        &c.latitude_as_string,
                        Path::root("delivery.coordinates.latitude_as_string"),
                        &mut out,
                    );
                    text(
                        &c.longitude_as_string,
                        Path::root("delivery.coordinates.longitude_as_string"),
                        &mut out,
                    );
                    match (ok, lat, lon) {
                        (true, Some(lat), Some(lon)) => Some((lat, lon)),
                        _ => None,
                    }
                }
                None => {
                    out.push(INVALID, "delivery.coordinates", "is required");
                    None
                }
            };
            let mut c = contact(&d.first_name, &d.last_name, &d.phone_number);
            c.masking_code = d.phone_masking_code.clone().unwrap_or_default();
            let street = [&d.street_number, &d.street]
                .iter()
                .filter_map(|p| p.as_deref().map(str::trim))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let place = [&d.postcode, &d.city]
                .iter()
                .filter_map(|p| p.as_deref().map(str::trim))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let parts = address_parts([
                d.company_name.clone().unwrap_or_default(),
                d.line_one.clone().unwrap_or_default(),
                d.line_two.clone().unwrap_or_default(),
                street,
                place,
            ]);
            (
                Some(c),
                Some(Address {
                    text: parts.join(", "),
                    coordinates,
                }),
            )
        }
        None => (None, None),
    };
    if fulfilment == Some(Fulfilment::DeliveryByMerchant) {
        if address.as_ref().is_none_or(|a| a.text.is_empty()) {
            out.push(
                INVALID,
                "delivery",
                "a delivery-by-merchant order needs the customer's address",
            );
        }
        if deliver_at.is_none() {
            out.push(
                INVALID,
                "deliver_at",
                "is required for delivery-by-merchant",
            );
        }
    }

    // Just Eat's own arithmetic: final = items + adjustments (a discount subtracted).
    let adjusted = adjustments
        .iter()
        .try_fold(items_in_cart, |sum, (kind, amount)| {
            sum.checked_add(kind.sign() * amount)
        });
    if out.is_empty() && adjusted != Some(final_total) {
        out.push(
            INVALID,
            "payment.final",
            format!(
                "inc_tax {final_total} is not items_in_cart {items_in_cart} plus the adjustments \
                 ({})",
                adjusted.map_or("overflow".to_owned(), |a| a.to_string())
            ),
        );
    }
    let fulfilment = fulfilment.unwrap_or(Fulfilment::CollectionByCustomer);
    out.into_result(JetOrder {
        id,
        reference,
        fulfilment,
        pos_location_id,
        timezone,
        menu_reference,
        lines,
        promotions,
        created_at,
        due_at: match fulfilment {
            Fulfilment::DeliveryByMerchant => deliver_at,
            _ => collect_at.or(deliver_at),
        },
        channel_name,
        payment_method,
        tender_type: order.tender_type.clone(),
        items_in_cart,
        adjustments,
        final_total,
        final_tax,
        deposit,
        kitchen_notes: order.kitchen_notes.clone().unwrap_or_default(),
        collection_notes: order.collection_notes.clone().unwrap_or_default(),
        delivery_notes: order.delivery_notes.clone().unwrap_or_default(),
        customer: delivery_contact
            .filter(|c| !c.name.is_empty() || !c.phone.is_empty())
            .or(collector),
        driver,
        address,
    })
}

/// Why Just Eat cancelled an order: the six codes the spec documents (FACTS §8.1). Any other
/// code is still a cancellation (Just Eat adds codes before documents catch up): it is
/// stored as given, see [`Cancellation::documented`].
pub const CANCEL_REASONS: [&str; 6] = [
    "deletedRejectedByRestaurant",
    "deletedNoAnswerFromRestaurant",
    "restCancelledOutOfStock",
    "custCancelledMadeMistake",
    "custCancelledOther",
    "unknown",
];

/// A valid Cancel Order Notification: the JET order id, the reason code as given (blank
/// when Just Eat sent none), when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancellation {
    pub order_id: String,
    pub reason: String,
    pub happened_at: chrono::DateTime<chrono::Utc>,
}

impl Cancellation {
    /// Whether the reason is one of the six documented codes (for the log: an
    /// undocumented one cancels all the same).
    pub fn documented(&self) -> bool {
        CANCEL_REASONS.contains(&self.reason.as_str())
    }
}

/// Checks a Cancel Order Notification: every violation at once. Only what makes the
/// cancellation impossible to apply is refused (no order id, no time); the reason is
/// stored as given, whatever it is, since the order is cancelled either way.
pub fn validate_cancel(n: &CancelNotification) -> Result<Cancellation, Vec<Violation>> {
    let mut out = Violations::new();
    let order_id = non_blank(&n.order_id, Path::root("orderID"), &mut out).to_owned();
    let reason = n
        .reason
        .as_ref()
        .and_then(|r| r.code.as_deref())
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    let happened_at = match n.happened_at.as_deref() {
        Some(t) => match chrono::DateTime::parse_from_rfc3339(t) {
            Ok(t) => Some(t.with_timezone(&chrono::Utc)),
            Err(_) => {
                out.push(INVALID, "happenedAt", "must be an RFC 3339 date-time");
                None
            }
        },
        None => {
            out.push(INVALID, "happenedAt", "is required");
            None
        }
    };
    match happened_at {
        Some(happened_at) => out.into_result(Cancellation {
            order_id,
            reason,
            happened_at,
        }),
        None => Err(out.into_vec()),
    }
}
