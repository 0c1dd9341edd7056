//! Just Eat orders over JET Connect (FACTS §5, §6, §8): the Receive Order and Final Picked
//! Order bodies ([`wire`]), their structural checks ([`validate`]: `400 {"errorMessage"}`
//! when they fail), the translation into a Jupiter `new_order` ([`translate`]) that core's
//! order validation then checks against the catalog under the marketplace rules, and the
//! outcome owed to Just Eat ([`outcome`]: `sent-to-pos-success|failed`, the error codes,
//! the deadline's `TIMEOUT`).
//!
//! ## Mapping (JET Connect → Jupiter `new_order`)
//!
//! | Jupiter | from JET Connect |
//! |---|---|
//! | `number` | `jet-` + `id` (the same on every delivery of the order: a replay finds it) |
//! | `restaurant_id` | the hub restaurant whose `jet_location_id` is `posLocationId` (none → `INCORRECT_SETUP`) |
//! | `concept_id` | `menu_reference` (blank → the default concept), as menus are stored by their `reference` |
//! | `date` | `created_at` in the restaurant's time zone (its IANA zone, summer time included; set from `location.timezone` when it had none; else its `utc_offset`); `date_preorder` and the `comment`'s time likewise, each in the offset in force at its own instant |
//! | `date_preorder` | `deliver_at` (merchant delivery) or `collect_at`, when more than [`translate::SCHEDULED_AFTER_MINUTES`] after `created_at`; sooner, the order is cooked now and the time is in `comment` |
//! | `delivery_method` | `courier` for `delivery-by-merchant`; `pickup` for `delivery-by-delivery-partner` (Just Eat's courier collects) and `collection-by-customer` |
//! | `cart.items[]` | `items[]` and the promotion items that have a PLU; identical lines (PLU, price, options) grouped into `count` (JET repeats a line instead of counting) |
//! | `….cost` | `price` in minor units → decimal (`1700` → `17`) |
//! | `….modifiers[]` | `children[]`: `plu` → `id`, identical options grouped into `count`, `price` → `cost` |
//! | `cart.delivery` | the `deliveryFee` adjustment (0 without one) |
//! | other adjustments | a cart line with the menu item `JET_CHARGE_ITEMS` maps the kind to (e.g. `serviceCharge=SRV`), else **recorded** |
//! | `cart.total`, `payment.sum` | Σ lines + delivery. What the cart cannot carry is recorded: `cart.total + Σ recorded = payment.final.inc_tax`, always (discounts, unmapped charges, promotion items without a PLU, and the part of `items_in_cart` outside the item prices, such as tax) |
//! | `payment.method` | `cash` when `payment_method` is `CASH` (any case), else `online` |
//! | `client.name`, `client.phone` | `delivery`'s first and last name and `phone_number`, else the collector's; masked values (`*****`) kept as given |
//! | `address.name`, `address.coords` | merchant delivery: `delivery` (`company_name, line_one, line_two, street_number street, postcode city`), `coordinates` |
//! | `comment` | channel and reference, the due time, `kitchen_notes`, `delivery_notes`, `collection_notes`, each line's `notes`, the phone masking code, the driver, the recorded amounts |
//!
//! ## Outcome codes
//!
//! | JET `errorCode` | when |
//! |---|---|
//! | `INCORRECT_SETUP` | no restaurant has the `posLocationId`; `unknown_restaurant`, `unknown_concept` (`menu_reference`) |
//! | `INACTIVE` | `restaurant_offline` |
//! | `STORE_CLOSED` | `restaurant_closed`, `preorder_closed` |
//! | `MENU_ERROR` | `unknown_item`, `unknown_modifier`, `item_stopped`, a line without a PLU |
//! | `MALFORMED_REQUEST` | amounts or totals the hub cannot read or reconcile |
//! | `TIMEOUT` | no outcome from the POS before the deadline (150 s after the `202` unless configured) |
//! | `UNKNOWN` | the POS refused the order for a reason it did not say |
//!
//! Several violations: the first code in the order above speaks for all, and the message
//! lists every one.

pub mod outcome;
pub mod translate;
pub mod validate;
pub mod wire;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tz_tests;
