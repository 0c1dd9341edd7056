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
//! * [`delivery_state`] — the delivery-state calls a status change owes Just Eat, and the
//!   driver-location relay's body and rate limit.
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
//! | `bad_request` | not JSON of the `ConnectOrder` shape; a required field missing (`Id`, `Order.ServiceType`, `Order.PlacedDate`, `RestaurantInfo.Id`, `CustomerInfo.Name`, `CustomerInfo.PhoneNumber`, `BasketInfo.GroupedBasketItems`, `BasketInfo.SubTotal`, `BasketInfo.Total`, `PaymentInfo.Total`, `PaymentInfo.PaymentLines`, a line's `BasketItem`, `Quantity`, `CombinedPrice`, `ProductId` or `MenuCardNumber`, accessory and meal-part ids); a `ServiceType` other than `Delivery`/`Collection`; a date that does not parse; `PromptAsap: false` without `DueDateWithUtcOffset`; an amount that is not exact pounds and pence or is negative; a `Quantity` outside 1…10000; the lines' `CombinedPrice` not adding up to `SubTotal`; `Total` ≠ `SubTotal` − `Discount` − `MultiBuyDiscount` + `DeliveryCharge`; the payment lines (`Value` + `CardFee`) ≠ `PaymentInfo.Total`; the payment lines' `Value` ≠ `BasketInfo.Total` + `DriverTipValue`; a `DeliveryCharge` on a `Collection` order; a line's `CombinedPrice` not `Quantity` × one price, or below its parts; an item that is not on the restaurant's menu; a modifier that is in none of the item's modifier groups |
//! | `restaurant_not_configured` | no hub restaurant has `RestaurantInfo.Id` as its `orderconnect_restaurant_id`; it has no menu; it has several menus and `BasketInfo.MenuId` names none |
//! | `outside_hours` | the restaurant is closed now (ASAP) or at `DueDateWithUtcOffset` (opening hours as for site orders: JET Connect service times, else `start_time`/`end_time`) |
//! | `too_busy` | the restaurant is offline (paused through JET Connect `/offline`) |
//! | `bad_address` | a `Delivery` without `CustomerInfo.Address`; coordinates that are not a position on Earth |
//! | `too_far` | a `Delivery` whose coordinates are outside every delivery zone of the restaurant |
//! | `not_supported` | a `Delivery` to a restaurant (concept) without delivery zones |
//! | `duplicate` | an order with the same `Id` was accepted before (whatever it contains now; answered the same however often it is repeated) |
//! | `other` | an item on the stop list (sold out); anything not covered above |
//!
//! ## Money
//!
//! Orderconnect sends decimal pounds; each amount is read exactly from the JSON number's
//! text into integer pence ([`Money::parse_decimal`](crate::domain::Money::parse_decimal),
//! as Jupiter roubles are), never through `f64`.
//!
//! ## Mapping to the Jupiter order
//!
//! | Jupiter `new_order` | from the `ConnectOrder` |
//! |---|---|
//! | `number` | `"oc-"` + `Id` (unique across channels; the hub's `orders.number` is UNIQUE) |
//! | `restaurant_id` | the hub restaurant whose `orderconnect_restaurant_id` is `RestaurantInfo.Id` |
//! | `concept_id` | the concept whose id is `BasketInfo.MenuId`, else the restaurant's only concept with a menu (default concept → left out) |
//! | `date` | `Order.PlacedDate` (UTC) in the restaurant's time zone (IANA, summer time included; else its `utc_offset`), `YYYY-MM-DD HH:MM:SS` |
//! | `date_preorder` | `Order.DueDateWithUtcOffset` in the restaurant's time zone when `PromptAsap` is false; absent when ASAP (`PromptAsap` absent = ASAP unless a due date is given) |
//! | `delivery_method` | `ServiceType` `Delivery` → `courier`, `Collection` → `pickup` |
//! | `cart.items[].id` | an explicit mapping of `ProductId` or `MenuCardNumber` if given; else the menu item whose id is `ProductId` written as a string; else the one whose id is `MenuCardNumber` (the `BasketItem`'s, else the group's) |
//! | `cart.items[].count` | `Quantity` |
//! | `cart.items[].modifiers[]` | the item's meal parts (`MealPartId`, count 1, cost 0) each followed by its accessories, then the item's `OptionalAccessories` (`OptionalAccessoryId`, `Quantity` per item, `UnitPrice`) and `RequiredAccessories` (`RequiredAccessoryId`, count 1, `UnitPrice`); ids through the mapping when given |
//! | `cart.items[].cost` | the line's `CombinedPrice` ÷ `Quantity` − the modifiers per unit: the line is priced as Just Eat charged it, so the lines add up to `SubTotal` exactly |
//! | `cart.delivery` | `DeliveryCharge` |
//! | `cart.total`, `payment.sum` | `SubTotal` + `DeliveryCharge`: Jupiter's total is always items + delivery, and its amounts cannot be negative |
//! | discounts | `Discount` + `MultiBuyDiscount` are **not** in the cart; they are written into `comment` (`Just Eat discounts -4.78`) with what the customer pays (`collect 43.19 in cash` / `paid 43.19 online`), and the whole `ConnectOrder` is stored beside the order |
//! | `DriverTipValue` | `comment` (`driver tip 1.50`) |
//! | `comment` | `NoteToRestaurant` and `Notes` (kitchen, courier, order; duplicates once), then `Just Eat order <FriendlyOrderReference> (<Id>)`, discounts, tip, payment |
//! | `client` | `CustomerInfo.Name`, `CustomerInfo.PhoneNumber` |
//! | `address.name` | `CustomerInfo.Address`, `City`, `Postcode` joined with `, ` (delivery only) |
//! | `address.coords` | `CustomerInfo.Latitude`/`Longitude` when not 0/0 |
//! | `address.zone_id` | the restaurant's zone containing the coordinates (lowest id first); without coordinates its zone with the lowest id (Just Eat has accepted the address already) |
//! | `payment.method` | `CashOnDelivery` → `cash`, else `online` |
//! | not carried | `CustomerOrderId`, `OrderReference`, `RestaurantInfo` besides its `Id`, `CustomerInfo.Email`/`TimeZone`/`Id`, `RdsPickupTimeWithUtcOffset`, `InitialDueDate*`, `PaidDate`, `TotalComplementary`, `Discounts[]` details, item `Discounts`/`MultiBuyDiscounts`, `ProductTypeId`, `Synonym`, `IsAMiniFistPumpOrder` (all kept in the stored `ConnectOrder`) |
//!
//! The Jupiter order is then checked against the catalog with the marketplace rules
//! ([`Rules::Marketplace`](crate::order::Rules): the catalog decides the restaurant, items,
//! modifiers, stop list, online state and hours; prices, the delivery fee, modifier group
//! limits, pickup and lead times and the phone are taken as Just Eat settled them), and each
//! violation is told back as a reason ([`translate::reasons`]). The zone is decided here,
//! since marketplace orders are routed by restaurant alone.

pub mod check;
pub mod delivery_state;
pub mod translate;
pub mod wire;

pub use check::{check, CheckedOrder, ServiceType};
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

/// The answer to an `Id` that was accepted before.
pub fn duplicate(id: &str, order_id: &str) -> problem::Violation {
    problem::Violation::new(
        Reason::Duplicate.as_str(),
        Some("Id"),
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
