//! Just Eat orders over JET Connect (FACTS §5, §6, §8): the Receive Order and Final Picked
//! Order bodies ([`wire`]), their structural checks ([`validate`]: `400 {"errorMessage"}`
//! when they fail), the translation into a Jupiter `new_order` ([`translate`]) that core's
//! order validation then checks against the catalog under the marketplace rules, and the
//! outcome owed to Just Eat ([`outcome`]: `sent-to-pos-success|failed`, the error codes,
//! the deadline's `TIMEOUT`), and what a Final Picked Order may still change ([`replay`]:
//! versions by arrival, a body seen before changes nothing, a cancelled order keeps its
//! contents).
//!
//! ## Mapping (JET Connect → Jupiter `new_order`)
//!
//! | Jupiter | from JET Connect |
//! |---|---|
//! | `number` | `jet-` + `id` (the same on every delivery of the order: a replay finds it) |
//! | `restaurant_id` | the hub restaurant whose `jet_location_id` is `posLocationId` (none → `INCORRECT_SETUP`) |
//! | `concept_id` | the concept of the menu the order is checked against, chosen by the edge with `jet::to_jupiter::menu_for_order`: the one `menu_reference` names, else (blank or unknown) the restaurant's only concept or the only one with a menu for the order's service type (`delivery-by-*` → DELIVERY, `collection-by-customer` → COLLECTION). `translate` alone gives `menu_reference` (blank → default) |
//! | `date` | `created_at` in the restaurant's time zone (its IANA zone, summer time included; set from `location.timezone` when it had none; else its `utc_offset`); `date_preorder` and the `comment`'s time likewise, each in the offset in force at its own instant |
//! | `date_preorder` | `deliver_at` (merchant delivery) or `collect_at`, when more than [`translate::SCHEDULED_AFTER_MINUTES`] after `created_at`; sooner, the order is cooked now and the time is in `comment` |
//! | `delivery_method` | `courier` for `delivery-by-merchant`; `pickup` for `delivery-by-delivery-partner` (Just Eat's courier collects) and `collection-by-customer` |
//! | `cart.items[]` | `items[]`, then the promotions' items that have a PLU; identical lines (PLU, price, options, note) grouped into `count` (JET repeats a line instead of counting) |
//! | `….cost` | `price` in minor units → decimal (`1700` → `17`); a promotion's item carries its share of `discountValue`, taken off item by item (the item, then its options) until spent: a free item (`Free_Item`, `FREE_ITEM_MIN_BASKET`, …) is a line at 0 |
//! | `….modifiers[]` | `children[]`: `plu` → `id`, identical options grouped into `count`, `price` → `cost` |
//! | `cart.delivery` | the `deliveryFee` adjustment (0 without one); on a courier order Just Eat's fee, never the zone's |
//! | charge lines | `serviceCharge`, `bagfee`, `driverTip`, `itemDepositGroup`, `other`: a cart line with the menu item `JET_CHARGE_ITEMS` maps the kind to (e.g. `serviceCharge=SRV`), else a part of the bill |
//! | `marketplace:<kind>` lines | every part of the bill (below) as a marketplace charge line, count 1, signed (`promotion`, `promotion-item`, `discount` negative; `service-charge`, `bag-fee`, `tip`, `deposit`, `other`, `tax`), the same lines Orderconnect writes (`order::validate::CHARGE_LINE_PREFIX`): the lines and delivery add up to `cart.total` |
//! | `cart.total`, `payment.sum` | `payment.final.inc_tax`: what the customer paid, after every discount, charge and tip |
//! | the bill (`comment`, and [`translate::Recorded`]) | `Bill: lines L (with charge lines) + delivery D ± parts = paid T (payment_method; tax X; deposit Y)`. The parts, signed: a promotion's `discountValue` its items could not absorb (an order-level `Percentage_Discount`, a promotion without items); a `discount` adjustment that is no promotion's value (one equal to a promotion's `discountValue`, or to all the unmatched promotions' together, is that promotion, counted once); each unmapped charge; a promotion item without a PLU at what it still costs; and what `items_in_cart` holds beyond the line prices (tax outside the prices, rounding). `L + D + Σ parts = T`, always, to the minor unit ([`bill`]); each part is also a `marketplace:<kind>` line |
//! | cash | `payment.method` `cash` when `payment_method` is `CASH` (any case), else `online`; on cash the comment says who collects `T`: the courier (merchant delivery), Just Eat's courier (partner delivery), the counter (collection) |
//! | `client.name`, `client.phone` | `delivery`'s first and last name and `phone_number`, else the collector's; masked values (`*****`) kept as given |
//! | `address.name`, `address.coords` | merchant delivery: `delivery` (`company_name, line_one, line_two, street_number street, postcode city`, each written once: a part another contains is left out), `coordinates` |
//! | `address.zone_id` | set by the intake after validation: the zone that contains the coordinates; outside every zone, none and the coordinates taken off (the named restaurant's order), with a comment saying which |
//! | `comment` | channel and reference, the due time, `kitchen_notes`, `delivery_notes`, `collection_notes`, each line's note as `line N name: note` (Jupiter lines carry no note; N is the cart line), promotions on their lines, promotion items without a PLU, the phone masking code, the driver, the bill |
//!
//! ## Outcome codes
//!
//! | JET `errorCode` | when |
//! |---|---|
//! | `INCORRECT_SETUP` | no restaurant has the `posLocationId`; `unknown_restaurant`, `unknown_concept` (`menu_reference`: the restaurant has no menu, or several concepts could serve the order) |
//! | `INACTIVE` | `restaurant_offline` |
//! | `STORE_CLOSED` | `restaurant_closed`, `preorder_closed` |
//! | `MENU_ERROR` | `unknown_item`, `unknown_modifier`, `item_stopped`, a line without a PLU |
//! | `MALFORMED_REQUEST` | amounts or totals the hub cannot read or reconcile |
//! | `TIMEOUT` | no outcome from the POS before the deadline (150 s after the `202` unless configured) |
//! | `UNKNOWN` | the POS refused the order for a reason it did not say |
//!
//! Several violations: the first code in the order above speaks for all, and the message
//! lists every one.

pub mod bill;
pub mod outcome;
pub mod replay;
pub mod translate;
pub mod validate;
pub mod wire;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tz_tests;
