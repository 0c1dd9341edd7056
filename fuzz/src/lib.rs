//! What the fuzz targets share: the demo catalog the parsers are checked against, a fixed
//! `now`, and the contracts every parser keeps (a refusal names at least one violation,
//! each with a code and a message, and renders in every protocol's error shape).
//!
//! A broken contract is a `panic!` here, which libFuzzer reports as a crash with its input.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use orderbridge_core::domain::{Money, UtcOffset};
use orderbridge_core::jupiter::{AdminRestaurant, DeliveryZonesResponse, MenuResponse};
use orderbridge_core::order::validate::{ConceptState, RestaurantState};
use orderbridge_core::order::wire::NewOrderRequest;
use orderbridge_core::problem::{render, Protocol, Violation};
use serde_json::Number;

/// 2024-04-08 12:00 UTC, 15:00 in Moscow: the demo order fixture's date.
pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_712_577_600, 0).unwrap_or_default()
}

/// The demo catalog (`fixtures/demo`): restaurant 000127, concept 7, zone 028270, item D100
/// stopped; and a copy "000200" without pickup, so that routing has a choice.
pub fn demo() -> Vec<RestaurantState> {
    let admin: AdminRestaurant =
        fixture(include_str!("../../fixtures/demo/restaurant-000127.json"));
    let zones: DeliveryZonesResponse = fixture(include_str!(
        "../../fixtures/demo/delivery_zones-000127-7.json"
    ));
    let menu: MenuResponse = fixture(include_str!("../../fixtures/demo/menu-000127-7.json"));
    let offset = UtcOffset::parse("+03:00", "utc_offset")
        .unwrap_or_else(|v| panic!("the demo offset: {v:?}"));
    let mut concepts = BTreeMap::new();
    concepts.insert(
        "7".to_owned(),
        ConceptState {
            zones: orderbridge_core::zone_memo::routable(zones.zones),
            menu: Some(menu.menu),
        },
    );
    let first = RestaurantState {
        place: admin.place,
        time_zone: offset.into(),
        online: true,
        offline_until: None,
        concepts,
        stopped: BTreeSet::from(["D100".to_owned()]),
        service_times: None,
    };
    let mut second = first.clone();
    second.place.id = "000200".to_owned();
    second.place.self_delivery = Some(false);
    second.stopped = BTreeSet::new();
    vec![first, second]
}

fn fixture<T: serde::de::DeserializeOwned>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("a demo fixture: {e}"))
}

/// A refusal's contract: at least one violation, each with a snake_case code and a
/// message, and the refusal renders (as JSON that serialises) in every protocol's shape.
pub fn refused(what: &str, violations: &[Violation]) {
    assert!(
        !violations.is_empty(),
        "{what}: refused without a violation"
    );
    for v in violations {
        assert!(
            !v.code.is_empty()
                && v.code
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{what}: violation code {:?} is not snake_case",
            v.code
        );
        assert!(
            !v.message.trim().is_empty(),
            "{what}: violation {:?} has no message",
            v.code
        );
        if let Some(field) = &v.field {
            assert!(
                !field.is_empty(),
                "{what}: violation {:?} names an empty field",
                v.code
            );
        }
    }
    for protocol in [
        Protocol::Jupiter,
        Protocol::JetConnect,
        Protocol::JetWebhook,
        Protocol::JetNotification,
        Protocol::Orderconnect,
    ] {
        let body = render(protocol, "invalid", "refused", violations);
        assert!(
            serde_json::to_string(&body).is_ok(),
            "{what}: the {protocol:?} error body does not serialise"
        );
    }
}

/// A Jupiter amount (`1250`, `15.5`, `-3.00`) in signed minor units, as the kitchen reads
/// it; `None` when it is not a decimal with at most two places.
pub fn minor(n: &Number) -> Option<i64> {
    let text = n.to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.as_str()),
    };
    Money::parse_decimal(digits, "amount")
        .ok()
        .map(|m| sign * m.minor())
}

fn minor_or_zero(n: &Option<Number>) -> i64 {
    n.as_ref().and_then(minor).unwrap_or(0)
}

fn count_or_one(n: &Option<Number>) -> i64 {
    n.as_ref().and_then(Number::as_i64).unwrap_or(1)
}

/// Σ count × (cost + Σ modifier count × modifier cost) over the cart's lines, plus the
/// delivery: what a translated marketplace order must add up to (its `cart.total`).
pub fn cart_sum(order: &NewOrderRequest) -> i64 {
    let Some(cart) = &order.body.cart else {
        return 0;
    };
    let lines: i64 = cart
        .items
        .iter()
        .map(|i| {
            let mods: i64 = i
                .modifiers
                .iter()
                .flatten()
                .map(|m| count_or_one(&m.count) * minor_or_zero(&m.cost))
                .sum();
            count_or_one(&i.count) * (minor_or_zero(&i.cost) + mods)
        })
        .sum();
    lines + minor_or_zero(&cart.delivery)
}

/// The contract of an order the hub writes for the kitchen (a marketplace translation):
/// it serialises, parses back with the site API's own parser to the same request, every
/// amount is a decimal with at most two places, and the lines and delivery add up to
/// `cart.total`, which is `payment.sum`.
pub fn reconciled(what: &str, order: &NewOrderRequest) {
    let text = serde_json::to_string(order)
        .unwrap_or_else(|e| panic!("{what}: the translated order does not serialise: {e}"));
    let back = orderbridge_core::order::wire::parse(text.as_bytes())
        .unwrap_or_else(|v| panic!("{what}: the translated order does not parse back: {v:?}"));
    assert_eq!(&back, order, "{what}: the translated order changes in JSON");
    let cart = order.body.cart.clone().unwrap_or_default();
    let amounts = cart
        .items
        .iter()
        .flat_map(|i| std::iter::once(&i.cost).chain(i.modifiers.iter().flatten().map(|m| &m.cost)))
        .chain([&cart.delivery, &cart.total]);
    for amount in amounts.flatten() {
        assert!(
            minor(amount).is_some(),
            "{what}: amount {amount} is not a decimal with two places"
        );
    }
    let total = minor_or_zero(&cart.total);
    assert_eq!(
        cart_sum(order),
        total,
        "{what}: lines + delivery != cart.total in {text}"
    );
    let sum = order.body.payment.as_ref().and_then(|p| p.sum.clone());
    assert_eq!(
        minor_or_zero(&sum),
        total,
        "{what}: payment.sum != cart.total in {text}"
    );
}

/// The contract of a JET Connect order body (Receive Order and Final Picked Order share
/// the parser): no panic; a refusal names its violations; a valid order translates, for
/// the default charge mapping and a configured one, into a Jupiter order that is
/// [`reconciled`] (its lines and delivery add up to what the customer paid, which is
/// JET's `payment.final`), whose failure (if the kitchen's rules refuse it) maps to an
/// outcome, and whose total the edge reads back as it stores it.
pub fn jet_order(data: &[u8]) {
    use orderbridge_core::jet::order::outcome::failure_of;
    use orderbridge_core::jet::order::translate::{translate, ChargeItems, Target};
    use orderbridge_core::jet::order::validate::validate_order;
    use orderbridge_core::jet::order::wire::parse_order;
    use orderbridge_core::jet::to_jupiter::{menu_for_order, menu_type_of};
    use orderbridge_core::order::validate::{validate, OrderContext, Rules};
    use orderbridge_core::tz::LocalZone;

    let wire = match parse_order(data) {
        Ok(wire) => wire,
        Err(v) => return refused("parse", &[v]),
    };
    let order = match validate_order(&wire) {
        Ok(order) => order,
        Err(found) => return refused("validate", &found),
    };
    assert!(!order.id.trim().is_empty(), "a valid order without an id");
    let stored = [("7", None), ("", None)];
    let concept = match menu_for_order(
        &order.menu_reference,
        menu_type_of(order.fulfilment),
        &stored,
    ) {
        Ok((concept, _)) => concept,
        Err(v) => return refused("menu_for_order", &[v]),
    };
    let zone: LocalZone = UtcOffset::parse("+03:00", "utc_offset")
        .unwrap_or_else(|v| panic!("offset: {v:?}"))
        .into();
    let target = Target {
        restaurant_id: "000127",
        zone: &zone,
    };
    let mapped = ChargeItems::parse("serviceCharge=SC,bagfee=BAG,driverTip=TIP,other=OTHER")
        .unwrap_or_else(|v| panic!("charge items: {v:?}"));
    let restaurants = demo();
    for charges in [ChargeItems::default(), mapped] {
        let mut translation = translate(&order, target, &charges);
        translation.order.body.concept_id = Some(concept.to_owned()).filter(|c| !c.is_empty());
        reconciled("jet translation", &translation.order);
        let total = translation
            .order
            .body
            .cart
            .as_ref()
            .and_then(|c| c.total.as_ref())
            .and_then(|t| Money::parse_decimal(&t.to_string(), "cart.total").ok())
            .map(Money::minor);
        assert_eq!(
            total,
            Some(order.final_total),
            "the stored total is not payment.final"
        );
        let ctx = OrderContext {
            restaurants: &restaurants,
            now: now(),
            max_preorder_ahead: chrono::Duration::days(7),
            rules: Rules::Marketplace,
        };
        match validate(&translation.order, &ctx) {
            Ok(valid) => assert_eq!(valid.total.minor(), order.final_total, "validated total"),
            Err(found) => {
                refused("marketplace rules", &found);
                let _ = failure_of(&found);
            }
        }
    }
}

/// The contract of one Orderconnect `ConnectOrder` (an object body, or an array's
/// element): no panic; a refusal names its violations (and maps to Orderconnect's reasons);
/// a checked order translates against the demo restaurant into a Jupiter order that is
/// [`reconciled`], and the marketplace rules either accept it at `cart.total` or refuse it
/// with violations that map back to the `ConnectOrder`'s fields.
pub fn orderconnect_order(order: &orderbridge_core::orderconnect::wire::ConnectOrder) {
    use orderbridge_core::order::validate::{validate, OrderContext, Rules};
    use orderbridge_core::orderconnect::check::check_received;
    use orderbridge_core::orderconnect::mapping::ItemMapping;
    use orderbridge_core::orderconnect::rejection_status;
    use orderbridge_core::orderconnect::translate::{order_zone, reasons, translate};

    let checked = match check_received(order, Some(now())) {
        Ok(checked) => checked,
        Err(found) => {
            refused("check", &found);
            let status = rejection_status(&found);
            assert!((400..500).contains(&status), "rejection status {status}");
            return;
        }
    };
    assert!(
        !checked.id.is_empty() && checked.id.chars().count() <= 64,
        "checked order id {:?}",
        checked.id
    );
    let restaurants = demo();
    let restaurant = &restaurants[0];
    let _ = order_zone(&checked, &restaurant.time_zone);
    let translation = match translate(&checked, restaurant, &ItemMapping::default()) {
        Ok(t) => t,
        Err(found) => return refused("translate", &found),
    };
    reconciled("orderconnect translation", &translation.request);
    let ctx = OrderContext {
        restaurants: &restaurants,
        now: now(),
        max_preorder_ahead: chrono::Duration::days(7),
        rules: Rules::Marketplace,
    };
    match validate(&translation.request, &ctx) {
        Ok(valid) => {
            let total = translation
                .request
                .body
                .cart
                .as_ref()
                .and_then(|c| c.total.as_ref())
                .and_then(minor);
            assert_eq!(Some(valid.total.minor()), total, "validated total");
        }
        Err(found) => {
            refused("marketplace rules", &found);
            refused("reasons", &reasons(&found, &translation));
        }
    }
}
