//! Just Eat orders over Orderconnect (seeds `001`, `002`): Just Eat `PUT`s a `ConnectOrder`,
//! the hub answers at once with `201` or a reasoned rejection, and later reports the
//! order's progress with Just Eat's delivery-state calls (FACTS §4). Pure: the catalog,
//! `now` and the mapping are arguments; the edge stores and sends.
//!
//! * [`wire`] — the `ConnectOrder` shape, loose so every problem can be reported.
//! * [`check`] — the order's own rules → a [`CheckedOrder`](check::CheckedOrder) (exact
//!   money, instants) or every violation with its reason code.
//! * [`translate`] — to a Jupiter `new_order` for one hub restaurant, and Jupiter's
//!   violations of it back into reason codes.
//! * [`delivery_state`] — the delivery-state calls owed to Just Eat (each at its own
//!   moment; none for collections or cancellations), the operator's `driverassigned`, and
//!   the driver-location relay's body and rate limit.
//! * [`mapping`] — the operator's item mapping (Just Eat ids → Jupiter menu ids).
//!
//! ## The body: one order or an array
//!
//! Seed `001` `PUT`s one `ConnectOrder` object; the current `PUT
//! /order-requires-delivery-acceptance` (FACTS §5.5) `PUT`s a JSON **array** of them. Both
//! are accepted. An order's key is `OrderId` (the current shape's global id, the one every
//! delivery-state call names), else `Id` (seed `001`); the hub order's number is `oc-` +
//! the key. An array is answered as one request:
//!
//! * every element is checked (its own rules, the restaurant, the mapping, the catalog)
//!   before anything is stored;
//! * any element refused refuses the whole array (`400`, nothing stored), with every
//!   element's violations, each field prefixed with the element's place
//!   (`[1].BasketInfo.Total`), so a corrected retry is not half a duplicate;
//! * every element accepted before (or repeated within the array) → `409 duplicate`, each
//!   named (`[0].OrderId: …`): the request was processed before;
//! * otherwise `201 {"orders": [{"OrderId", "status": "accepted"|"duplicate", "order_id",
//!   "number"}]}`: the new elements are stored in one batch, the old ones reported as
//!   duplicates (a retry of a partly delivered array completes it).
//!
//! The single object keeps its answers (`201 {"order_id", "number"}`, `409`, `400`).
//!
//! ## Reason codes
//!
//! Every problem found is answered at once as `{"errors": [{"code", "message"}]}`; the
//! message starts with the `ConnectOrder` field and says what is wrong with it. `409` for
//! `duplicate` (answered alone), `400` for every other rejection; `500` only for the hub's
//! own failures.
//!
//! | code | when |
//! |------|------|
//! | `bad_request` | not JSON of the `ConnectOrder` shape (or an array of them); a required field missing (`OrderId` or `Id`, `Order.ServiceType`, `Order.PlacedDate`, `RestaurantInfo.Id`, `CustomerInfo.Name`, `CustomerInfo.DisplayPhoneNumber` or `PhoneNumber`, `BasketInfo.GroupedBasketItems`, `BasketInfo.SubTotal`, `BasketInfo.Total`, `PaymentInfo.Total`, `PaymentInfo.PaymentLines`, a line's `BasketItem`, `Quantity`, `CombinedPrice`, `ProductId` or `MenuCardNumber`, accessory and meal-part ids); a `ServiceType` other than `Delivery`/`Collection`; a date that does not parse; `PromptAsap: false` without `DueDateWithUtcOffset`; an amount that is not exact pounds and pence or is negative; a `Quantity` outside 1…10000; the lines' `CombinedPrice` adding up to **more** than `SubTotal`; `Total` ≠ `SubTotal` − `Discount` − `MultiBuyDiscount` + `DeliveryCharge` (or − `Discount` alone, when it holds the multi-buy part); the payment lines (`Value` + `CardFee`) ≠ `PaymentInfo.Total`; `TotalComplementary` more than the whole bill; a `DeliveryCharge` on a `Collection` order; an item neither mapped nor on the restaurant's menu (the message names `ProductId` and `MenuCardNumber`); a modifier that is in none of the item's modifier groups |
//! | `restaurant_not_configured` | no hub restaurant has `RestaurantInfo.Id` as its `orderconnect_restaurant_id`; it has no menu; it has several menus and `BasketInfo.MenuId` names none |
//! | `outside_hours` | the restaurant is closed now (ASAP) or at `DueDateWithUtcOffset` (opening hours as for site orders: JET Connect service times, else `start_time`/`end_time`) |
//! | `too_busy` | the restaurant is offline (paused through JET Connect `/offline`) |
//! | `bad_address` | a `Delivery` without `CustomerInfo.Address`; coordinates that are not a position on Earth |
//! | `too_far` | a pre-order due sooner than the restaurant can make it (core's `preorder_too_soon`); never for the address: Just Eat accepted it already |
//! | `not_supported` | pickup at a restaurant that has none; never for the address |
//! | `duplicate` | an order with the same `Id` was accepted before (whatever it contains now; answered the same however often it is repeated) |
//! | `other` | an item on the stop list (sold out); anything not covered above |
//!
//! ## Money
//!
//! Orderconnect sends decimal pounds; each amount is read exactly from the JSON number's
//! text into integer pence ([`Money::parse_decimal`](crate::domain::Money::parse_decimal)),
//! never through `f64`.
//!
//! The seed: a line's `CombinedPrice` is "the total price of the basket item (including
//! discounts)", `SubTotal` "the basket total cost, excluding any discounts",
//! `BasketInfo.Total` "the total charge to the customer", `PaymentInfo.Total` "the total
//! order value" (= Σ payment `Value` + `CardFee`), `TotalComplementary` "order amount
//! covered by Just Eat". So the lines may already hold some discounts (Σ lines ≤
//! `SubTotal`), `Total` = `SubTotal` − discounts + `DeliveryCharge`, and **what the
//! customer pays** is
//!
//! `due` = `BasketInfo.Total` + `DriverTipValue` + Σ `CardFee` − `TotalComplementary`.
//!
//! The Jupiter order carries exactly that: `cart.total` = `payment.sum` = `due` (seed
//! `004`: `payment.sum` is the total after all discounts and delivery); the item lines, the
//! delivery and the **charge lines** add up to it to the penny. Charge lines are cart lines
//! whose id starts with [`CHARGE_LINE_PREFIX`](crate::order::validate::CHARGE_LINE_PREFIX)
//! (count 1, no modifiers, accepted by the marketplace rules without a menu item; a
//! discount is negative):
//!
//! | charge line | amount |
//! |---|---|
//! | `marketplace:discount` "Just Eat discounts" | (`Total` − `DeliveryCharge`) − Σ lines, when negative: the discounts not already in the lines |
//! | `marketplace:basket` "Just Eat basket total beyond the listed lines" | the same, when positive (Just Eat's published example lists 3.58 of a 42.97 basket) |
//! | `marketplace:tip` "driver tip" | `DriverTipValue` |
//! | `marketplace:card-fee` "card fee" | Σ `CardFee` |
//! | `marketplace:complementary` "covered by Just Eat" | − `TotalComplementary` |
//!
//! Refused only what cannot reconcile: lines above `SubTotal`, a `Total` that no reading
//! of the discounts gives, payment lines that do not make `PaymentInfo.Total`, Just Eat
//! covering more than the bill. Payment `Value`s that differ from `due` (Just Eat's
//! published example has 22.05 paid on a 47.97 basket) are accepted and the kitchen reads
//! both. `comment` spells the sum (`items 2100 + delivery 125 - Just Eat discounts 210 +
//! driver tip 100 + card fee 0.50 = 2115.50`) and what the courier collects on a cash order
//! (`collect … in cash`; `paid … online` otherwise).
//!
//! ## Mapping to the Jupiter order
//!
//! | Jupiter `new_order` | from the `ConnectOrder` |
//! |---|---|
//! | `number` | `"oc-"` + `OrderId`, else `Id` (unique across channels; the hub's `orders.number` is UNIQUE) |
//! | `restaurant_id` | the hub restaurant whose `orderconnect_restaurant_id` is `RestaurantInfo.Id` |
//! | `concept_id` | the concept whose id is `BasketInfo.MenuId`, else the restaurant's only concept with a menu (default concept → left out) |
//! | `date` | `Order.PlacedDate` (UTC) in the restaurant's time zone (IANA, summer time included; else its `utc_offset`), `YYYY-MM-DD HH:MM:SS`; without `PlacedDate` (the published array example has none) the moment the hub received the order |
//! | `date_preorder` | `Order.DueDateWithUtcOffset` in the restaurant's time zone when `PromptAsap` is false; absent when ASAP (`PromptAsap` absent = ASAP unless a due date after `PlacedDate` is given) |
//! | `delivery_method` | `ServiceType` `Delivery` → `courier`, `Collection` → `pickup` |
//! | `cart.items[].id` | the operator's mapping ([`mapping`]) of `ProductId`, then of `MenuCardNumber`; else the menu item whose id is `ProductId` written as a string; else the one whose id is `MenuCardNumber` (the `BasketItem`'s, else the group's) |
//! | `cart.items[].count` | `Quantity`; a `CombinedPrice` that is not `Quantity` × one price in pence becomes two lines (`Quantity` − 1 at the lower unit price, 1 carrying the remainder) |
//! | `cart.items[].modifiers[]` | the item's meal parts (`MealPartId`, count 1, cost 0) each followed by its accessories, then the item's `OptionalAccessories` (`OptionalAccessoryId`, `Quantity` per item, `UnitPrice`) and `RequiredAccessories` (`RequiredAccessoryId`, count 1, `UnitPrice`); ids through the mapping (`meal_part`, `accessory`), else as written |
//! | `cart.items[].cost` | `CombinedPrice` ÷ `Quantity` − the modifiers per unit, so the lines add up to what Just Eat charged for them; a unit price below its parts (a discount) puts the parts at 0 and the unit price on the item |
//! | charge lines | see Money |
//! | `cart.delivery` | `DeliveryCharge` |
//! | `cart.total`, `payment.sum` | `due` (see Money) |
//! | `client.name` | `CustomerInfo.Name` |
//! | `client.phone` | `CustomerInfo.DisplayPhoneNumber` (Just Eat's masked number, what drivers and the kitchen may call); `PhoneNumber` only when no masked number is given (seed `001`'s shape) |
//! | `comment` | in order: `ALCOHOL: check the customer's ID on hand-over` (`Restrictions` `Alcohol`; another type as written); the notes labelled `kitchen:`, `courier:`, `order:` (`Order.Notes`) and `note:` (`NoteToRestaurant`), each text once; `Just Eat order <FriendlyOrderReference> (<key>)`; `call <DisplayPhoneNumber> with masking code <PhoneMaskingCode>`; `courier pickup at HH:MM (+hh:mm)` (`RdsPickupTimeWithUtcOffset`, in the offset Just Eat wrote); `pickup notice hh:mm:ss` (`PickupNoticePeriod`); `pickup notes: …` (`RestaurantInfo.PickupNotes`); the money sum; `collect … in cash` / `paid … online`; the payment lines when they differ from `due` |
//! | `address.name` | `CustomerInfo.Address`, `City`, `Postcode` joined with `, ` (delivery only) |
//! | `address.coords` | `CustomerInfo.Latitude`/`Longitude` when not 0/0 |
//! | `address.zone_id` | the restaurant's zone containing the coordinates (lowest id first); without coordinates its zone with the lowest id. Outside every zone of the restaurant, or at one without zones, none: the order is not refused (Just Eat has accepted the address already) but routed as every marketplace order is (`order::validate::marketplace_routed`: another zone that contains the point, else the named restaurant, the kitchen told which) |
//! | `payment.method` | `CashOnDelivery` → `cash`, else `online` |
//! | not carried | `CustomerOrderId`, `OrderReference`, `RestaurantInfo` besides `Id` and `PickupNotes`, `CustomerInfo.Email`/`TimeZone`/`Id` and `PhoneNumber` when masked, `InitialDueDate*`, `PaidDate`, `Discounts[]` details, item `Discounts`/`MultiBuyDiscounts`, `ProductTypeId`, `Synonym`, `IsAMiniFistPumpOrder` (all kept in the stored `ConnectOrder`) |
//!
//! The Jupiter order is then checked against the catalog with the marketplace rules
//! ([`Rules::Marketplace`](crate::order::Rules): the catalog decides the restaurant, items,
//! modifiers, stop list, online state and hours; prices, the delivery fee, modifier group
//! limits, pickup and lead times and the phone are taken as Just Eat settled them), and each
//! violation is told back as a reason ([`translate::reasons`]). The zone is decided here,
//! since marketplace orders are routed by restaurant alone.

pub mod answer;
pub mod check;
pub mod delivery_state;
pub mod lifecycle_events;
pub mod mapping;
pub mod partner_orders;
pub mod queries;
pub mod timeline_events;
pub mod translate;
pub mod wire;

pub use check::{check, check_received, CheckedOrder, ServiceType};
pub use translate::{reasons, translate, Translation};
pub use wire::{parse, ConnectOrder};

/// Orderconnect's reason codes (seed `001`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    OutsideHours,
    TooBusy,
    TooFar,
    NotSupported,
    BadAddress,
    BadRequest,
    RestaurantNotConfigured,
    Duplicate,
    Other,
}

impl Reason {
    pub const ALL: [Reason; 9] = [
        Reason::OutsideHours,
        Reason::TooBusy,
        Reason::TooFar,
        Reason::NotSupported,
        Reason::BadAddress,
        Reason::BadRequest,
        Reason::RestaurantNotConfigured,
        Reason::Duplicate,
        Reason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::OutsideHours => "outside_hours",
            Reason::TooBusy => "too_busy",
            Reason::TooFar => "too_far",
            Reason::NotSupported => "not_supported",
            Reason::BadAddress => "bad_address",
            Reason::BadRequest => "bad_request",
            Reason::RestaurantNotConfigured => "restaurant_not_configured",
            Reason::Duplicate => "duplicate",
            Reason::Other => "other",
        }
    }
}

/// The HTTP status of a rejection: `409` when it is a duplicate, else `400`.
pub fn rejection_status(violations: &[problem::Violation]) -> u16 {
    if violations
        .iter()
        .any(|v| v.code == Reason::Duplicate.as_str())
    {
        409
    } else {
        400
    }
}

/// The answer to an order whose key (`id_field`: `OrderId`, else `Id`) was accepted before.
pub fn duplicate(id_field: &str, id: &str, order_id: &str) -> problem::Violation {
    problem::Violation::new(
        Reason::Duplicate.as_str(),
        Some(id_field),
        format!("order {id:?} was accepted before (hub order {order_id})"),
    )
}

/// The answer when no hub restaurant is configured for `RestaurantInfo.Id`.
pub fn not_configured(restaurant_ref: &str) -> problem::Violation {
    problem::Violation::new(
        Reason::RestaurantNotConfigured.as_str(),
        Some("RestaurantInfo.Id"),
        format!(
            "no restaurant in the hub is configured for Orderconnect restaurant {restaurant_ref:?}"
        ),
    )
}

use crate::problem;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tz_tests;
