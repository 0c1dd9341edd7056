//! Site orders: Jupiter's `new_order` ("Создать заказ") as a front-end posts it to
//! `POST /site-api/order`, the validation that decides whether a kitchen can honour it,
//! and the status lifecycle. Pure: the catalog, `now` and the policy are arguments.
//!
//! * [`wire`] — the request shape, loose enough that every violation can be reported.
//! * [`validate`] — [`validate::validate`] returns a [`ValidOrder`] or **every** violation
//!   ([`validate::validate_borrowing`], which the Worker calls, the same with the request's
//!   text borrowed instead of copied).
//! * [`lifecycle`] — statuses 0/10/20/30/5, allowed transitions, what to notify.
//! * [`client`] — the `/client` answer from what the hub knows.
//! * [`replay`] — the content fingerprint behind idempotent retries and `duplicate`.
//! * [`namespace`] — whose `number` it is: the namespace a number is unique in.
//! * [`forward`] — forwarding to an upstream Jupiter and its status calls.
//! * [`view`] — an order read back: contents, totals, local times, amendments, redaction.
//! * [`timeline`] — what Just Eat told the hub about the order beyond its status (driver, acceptance, due time).
//!
//! ## Routing
//!
//! `address.zone_id` when given (a live zone of the requested concept, looked up across all
//! restaurants; if two restaurants share the id, the one named in `restaurant_id` wins),
//! else `address.coords` resolved by point-in-polygon over the concept's live zones of
//! **all** restaurants (a point on a border is inside), else `restaurant_id`. Where zones
//! overlap, the **cheapest delivery wins**: lowest `delivery_price`, then lowest `sum_min`,
//! then the lowest restaurant id and zone id, so the result never depends on storage order.
//!
//! ## Money
//!
//! Exact, in integer kopecks ([`Money`](crate::domain::Money)): more than 2 decimals,
//! negatives and exponents are refused. A line is count × (cost + Σ modifier count ×
//! modifier cost) — modifiers count per unit, as the seed's arithmetic shows. Courier
//! delivery is 0 at or above the zone's `sum_for_free` (0: no free tier), else
//! `delivery_price`; pickup delivery is 0. `cart.total` = subtotal + delivery; `payment.sum` = total. A line whose
//! cost differs from the menu (`price_mismatch`) is still totalled at the prices sent, so the
//! delivery and totals are checked as well and every difference is named at once.
//!
//! ## Time
//!
//! `date` and `date_preorder` are restaurant-local: in the restaurant's IANA time zone,
//! summer time included, else its fixed `utc_offset` (`RestaurantState::time_zone`, see
//! [`crate::tz`]). A `date_preorder` in a skipped hour is read as the same length of time
//! after the gap's start (02:30 on London's spring-forward night is 03:30 BST); one in a
//! repeated hour is its first occurrence.
//! Opening hours, for "open now" (`restaurant_closed`) and for `date_preorder`
//! (`preorder_closed`) alike, come from one source, in this order of precedence:
//!
//! 1. **JET Connect weekly service times**, when the restaurant has them (the last valid
//!    `PUT /jet-connect/restaurants/{ref}/servicetimes`). They alone decide, and
//!    `start_time`/`end_time` are then ignored. A courier order reads the `Delivery`
//!    times, a pickup order the `Collection` times; a service type they do not list is
//!    closed. Per day, windows `hh:mm`–`hh:mm`, the opening inside, the closing not; a day
//!    not listed or with no window is closed ([`validate::in_service_times`]). A window
//!    whose closing time is before its opening time runs past midnight into the next day,
//!    the rule [`validate_service_times`](crate::jet::validate::validate_service_times)
//!    accepts (it refuses equal times), and a closing `23:59` runs to midnight, since that
//!    validator advises `00:00`–`23:59` for a whole day. The request's IANA `timezone`
//!    becomes the restaurant's zone, in which the windows are read.
//! 2. Otherwise Jupiter's `start_time`/`end_time` (seconds after local midnight; none →
//!    always open; an end at or before the start closes after midnight; start inside, end
//!    not).
//!
//! `date` must be a valid local date-time; it is when the front-end took the order and is
//! not compared with `now` (a browser's clock is not trusted either way): "open now" is
//! decided by `now`.
//!
//! ## Violation codes
//!
//! | code | field | rule |
//! |------|-------|------|
//! | `invalid_json` | — | the body is not a JSON object of the `new_order` shape |
//! | `bad_action` | `action` | `action` must be `new_order` |
//! | `missing_field` | the field | a required field is absent or blank (`number`, `date`, `delivery_method`, `cart.items`, `cart.total`, `client.name`, `client.phone`, `payment.method`, `payment.sum`, item `id`/`count`/`cost`, `address.name` for courier, `restaurant_id` without zone or coords) |
//! | `invalid_value` | `delivery_method`, `payment.method` | not one of `courier`/`pickup`, `cash`/`card`/`online` |
//! | `invalid_amount`, `negative_amount`, `amount_too_large` | the amount | from [`Money::parse_decimal`](crate::domain::Money::parse_decimal); also an overflowing total |
//! | `bad_count` | `….count` | a count is not a whole number from 1 to 10000 |
//! | `bad_date` | `date`, `date_preorder` | not `YYYY-MM-DD HH:MM[:SS]` |
//! | `bad_phone` | `client.phone`, `recipient_name.phone` | not 10–15 digits after dropping `+ ( ) - .` and blanks, or other characters |
//! | `bad_coords` | `address.coords.latitude`/`longitude` | not a decimal number |
//! | `unknown_zone` | `address.zone_id` | no live zone with that id for the concept (a concept was given, or the restaurant works without concepts) |
//! | `outside_zone` | `address.coords` | the point is in none of the concept's live zones |
//! | `zone_required` | `address` | a courier order routed by `restaurant_id` alone |
//! | `unknown_restaurant` | `restaurant_id` | no such restaurant |
//! | `concept_required` | `concept_id` | the restaurant works with concepts, none of them `default`, and none was named (also instead of `unknown_zone` when a `zone_id` is given without `concept_id` and the named `restaurant_id` works with concepts, and instead of `outside_zone` when `coords` without `concept_id` are in no default-concept zone and the named restaurant, else any, works with concepts) |
//! | `unknown_concept` | `concept_id` | the restaurant has no menu for the concept |
//! | `pickup_unavailable` | `delivery_method` | pickup at a restaurant without `self_delivery` |
//! | `unknown_item` | `cart.items[i].id` | not on the concept's menu |
//! | `item_stopped` | `cart.items[i].id`, `….modifiers[j].id` | on the restaurant's stop list |
//! | `price_mismatch` | `….cost` | not the menu price (the message names the expected one); a trusted site's ([`Rules::TrustedSite`]) is a warning on the order instead |
//! | `unknown_modifier` | `….modifiers[j].id` | in none of the item's modifier groups |
//! | `modifier_amount` | `….modifiers[j].count` | outside the modifier's `minAmount`…`maxAmount` (per item unit) |
//! | `modifier_group` | `cart.items[i].modifiers` | a group's selected modifiers outside `minSelectedModifiers`…`maxSelectedModifiers` (a group with a minimum is required even when absent, unless it hangs under a modifier, `parentModifierId`, that is not chosen) |
//! | `below_minimum` | `cart.items` | subtotal below the zone's `sum_min` |
//! | `delivery_mismatch` | `cart.delivery` | not the delivery price the zone gives; a trusted site's is a warning, and its delivery is taken as sent |
//! | `total_mismatch` | `cart.total` | not subtotal + delivery |
//! | `payment_mismatch` | `payment.sum` | not `cart.total`; for a trusted site only above it (below it is the order's `discount`) |
//! | `change_too_small` | `payment.change` | cash change below the sum |
//! | `restaurant_offline` | `restaurant_id` | the restaurant is offline now (or at the preorder time) |
//! | `restaurant_closed` | `date` | outside opening hours (service times, else `start_time`/`end_time`) now, without `date_preorder` |
//! | `preorder_in_past` | `date_preorder` | not in the future |
//! | `preorder_too_soon` | `date_preorder` | a courier preorder earlier than now + the zone's `time_min` |
//! | `preorder_too_far` | `date_preorder` | more than the configured days ahead (7 by default) |
//! | `preorder_closed` | `date_preorder` | outside opening hours (service times, else `start_time`/`end_time`) |
//! | `duplicate` | `number` | the same `number` was placed in the same namespace ([`namespace`]) with different content (`409`) |
//! | `bad_origin` | `Origin` | the `Origin` header is not `scheme://host[:port]` ([`namespace`]) |
//! | `bad_status` | `status` | not 0, 10, 20, 30 or 5 |
//! | `illegal_transition` | `status` | not allowed by [`lifecycle`] (`409`) |

pub mod client;
pub mod forward;
pub mod lifecycle;
mod lookup;
pub mod namespace;
pub mod replay;
pub mod timeline;
pub mod validate;
pub mod view;
pub mod wire;

pub use lifecycle::{Notify, Status};
pub use validate::{
    candidates, routed_restaurant, validate, validate_borrowing, Candidates, ConceptState,
    DeliveryMethod, OrderContext, PaymentMethod, RestaurantState, Rules, ValidLine, ValidOrder,
    ZoneLookup,
};
pub use wire::NewOrderRequest;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tz_tests;
