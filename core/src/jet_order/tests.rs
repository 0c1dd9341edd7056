//! Table tests of the JET Connect order rules: the examples, every structural rule (a
//! passing and a failing case), every mapping rule, the outcome codes.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::outcome::{self, ErrorCode, SuccessRule};
use super::translate::{translate, ChargeItems, Target};
use super::validate::{validate_cancel, validate_order, AdjustmentKind, Fulfilment, JetOrder};
use super::wire::{parse_cancel, parse_order};
use crate::domain::{Money, UtcOffset};
use crate::order::wire::NewOrderRequest;
use crate::problem::Violation;
use crate::tz::LocalZone;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

pub(super) const PARTNER: &str =
    include_str!("../../../fixtures/jet-connect/receive-order-request-delivery-by-partner.json");
const FINAL_MERCHANT: &str = include_str!(
    "../../../fixtures/jet-connect/final-picked-order-request-delivery-by-merchant.json"
);
const FINAL_PARTNER: &str = include_str!(
    "../../../fixtures/jet-connect/final-picked-order-request-delivery-by-partner.json"
);
const CANCEL: &str =
    include_str!("../../../fixtures/jet-connect/cancel-order-notification-request.json");

pub(super) fn doc(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"))
}

fn check(value: &Value) -> Result<JetOrder, Vec<(String, String)>> {
    let order =
        parse_order(value.to_string().as_bytes()).map_err(|v| vec![(v.code, String::new())])?;
    validate_order(&order).map_err(|vs| {
        vs.into_iter()
            .map(|v| (v.field.unwrap_or_default(), v.message))
            .collect()
    })
}

pub(super) fn valid(value: &Value) -> JetOrder {
    check(value).unwrap_or_else(|e| panic!("{e:?}"))
}

fn target() -> Target<'static> {
    static ZONE: std::sync::OnceLock<LocalZone> = std::sync::OnceLock::new();
    Target {
        restaurant_id: "r1",
        zone: ZONE.get_or_init(|| {
            UtcOffset::parse("+03:00", "o")
                .map(LocalZone::from)
                .unwrap_or_else(|v| panic!("{v:?}"))
        }),
    }
}

fn minor(n: &Option<serde_json::Number>) -> i64 {
    let text = n.as_ref().map(ToString::to_string).unwrap_or_default();
    Money::parse_decimal(&text, "t")
        .unwrap_or_else(|v| panic!("{v:?}"))
        .minor()
}

fn cart_total(order: &NewOrderRequest) -> i64 {
    minor(&order.body.cart.as_ref().and_then(|c| c.total.clone()))
}

/// A merchant-delivery order with every optional part, for the mapping rules.
fn merchant() -> Value {
    let mut d = doc(FINAL_MERCHANT);
    d["id"] = json!("m-1");
    d
}

fn set(doc: &mut Value, path: &str, value: Value) {
    let mut cur = doc;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, p) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        cur = match p.parse::<usize>() {
            Ok(n) => {
                if last {
                    cur[n] = value;
                    return;
                }
                &mut cur[n]
            }
            Err(_) => {
                if last {
                    match cur.as_object_mut() {
                        Some(map) if value.is_null() => {
                            map.remove(*p);
                        }
                        Some(map) => {
                            map.insert((*p).to_owned(), value);
                        }
                        None => panic!("{path}: not an object"),
                    }
                    return;
                }
                &mut cur[*p]
            }
        };
    }
}

pub(super) fn edited(base: Value, edits: &[(&str, Value)]) -> Value {
    let mut d = base;
    for (path, value) in edits {
        set(&mut d, path, value.clone());
    }
    d
}

#[test]
fn every_receive_and_final_picked_example_is_valid_and_translates_reconciled() {
    for (name, text, fulfilment, method) in [
        (
            "receive, partner",
            PARTNER,
            Fulfilment::DeliveryByPartner,
            "pickup",
        ),
        (
            "final, merchant",
            FINAL_MERCHANT,
            Fulfilment::DeliveryByMerchant,
            "courier",
        ),
        (
            "final, partner",
            FINAL_PARTNER,
            Fulfilment::DeliveryByPartner,
            "pickup",
        ),
    ] {
        let order = check(&doc(text)).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(order.fulfilment, fulfilment, "{name}");
        let t = translate(&order, target(), &ChargeItems::default());
        assert_eq!(
            t.order.body.delivery_method.as_deref(),
            Some(method),
            "{name}"
        );
        let recorded: i64 = t.recorded.iter().map(|r| r.amount).sum();
        assert_eq!(
            cart_total(&t.order) + recorded,
            order.final_total,
            "{name}: cart total + recorded = payment.final"
        );
    }
}

#[test]
fn the_partner_example_maps_field_by_field() {
    let order = valid(&doc(PARTNER));
    let t = translate(&order, target(), &ChargeItems::default());
    let body = &t.order.body;
    assert_eq!(t.order.action.as_deref(), Some("new_order"));
    assert_eq!(
        body.number.as_deref(),
        Some("jet-38bbeb45-f520-4438-a44f-0fcdbb29e166X")
    );
    assert_eq!(body.restaurant_id.as_deref(), Some("r1"));
    assert_eq!(
        body.concept_id, None,
        "a blank menu_reference is the default concept"
    );
    // created_at 1606780145 = 2020-11-30T23:49:05Z, +03:00.
    assert_eq!(body.date.as_deref(), Some("2020-12-01 02:49:05"));
    assert_eq!(
        body.date_preorder, None,
        "collect_at 14 minutes after creation is not scheduled"
    );
    let cart = body.cart.clone().unwrap_or_default();
    assert_eq!(cart.items.len(), 1, "the promotion item has no PLU");
    let line = &cart.items[0];
    assert_eq!(line.id.as_deref(), Some("M2"));
    assert_eq!(minor(&line.cost), 1700);
    assert_eq!(line.count, Some(1.into()));
    let mods = line.modifiers.clone().unwrap_or_default();
    assert_eq!(mods.len(), 1);
    assert_eq!(mods[0].id.as_deref(), Some("R3"));
    assert_eq!(minor(&mods[0].cost), 100);
    assert_eq!(minor(&cart.delivery), 0);
    assert_eq!(minor(&cart.total), 1800);
    assert_eq!(minor(&body.payment.clone().unwrap_or_default().sum), 1800);
    assert_eq!(
        body.payment.clone().unwrap_or_default().method.as_deref(),
        Some("online")
    );
    let client = body.client.clone().unwrap_or_default();
    assert_eq!(
        client.name.as_deref(),
        Some("**************** ****************")
    );
    assert_eq!(
        client.phone.as_deref(),
        Some("55555 113 000"),
        "a masked phone is kept"
    );
    assert_eq!(
        body.address, None,
        "Just Eat's courier delivers: pickup, no address"
    );
    let comment = body.comment.clone().unwrap_or_default();
    for part in [
        "Just Eat order 22721763",
        "collect at 2020-12-01 03:03:00",
        "Driver will be wearing a blue shirt",
        "Crispy Chicken Twist",
        "driver John Smith 555-111-3344",
        "paid 21.60 in all",
    ] {
        assert!(comment.contains(part), "comment lacks {part:?}: {comment}");
    }
    let names: Vec<(&str, i64)> = t
        .recorded
        .iter()
        .map(|r| (r.name.as_str(), r.amount))
        .collect();
    assert_eq!(
        names,
        vec![
            ("promotion item without PLU: Crispy Chicken Twist", 419),
            ("promotion string (FREE_ITEM_MIN_BASKET)", -419),
            ("items_in_cart not in the item prices (tax, rounding)", 360),
        ]
    );
}

#[test]
fn the_merchant_example_is_a_courier_order_with_the_address_and_the_delivery_fee() {
    let order = valid(&merchant());
    let t = translate(&order, target(), &ChargeItems::default());
    let body = &t.order.body;
    assert_eq!(body.delivery_method.as_deref(), Some("courier"));
    let address = body.address.clone().unwrap_or_default();
    assert_eq!(
        address.name.as_deref(),
        Some("1234 Spicy Street, R3B 0P4 Winnipeg")
    );
    let coords = address.coords.unwrap_or_default();
    assert_eq!(coords.latitude, Some(json!("49.898498728223224")));
    let cart = body.cart.clone().unwrap_or_default();
    assert_eq!(minor(&cart.delivery), 240);
    assert_eq!(minor(&cart.total), 740, "500 + 240 delivery");
    let comment = body.comment.clone().unwrap_or_default();
    assert!(
        comment.contains("Cheesy Pasta: please make it extra cheesy"),
        "{comment}"
    );
    assert!(comment.contains("It's the blue house"), "{comment}");
    let client = body.client.clone().unwrap_or_default();
    assert_eq!(client.name.as_deref(), Some("John Doe"));
}

#[test]
fn every_structural_rule_rejects_its_broken_variant() {
    type Case<'a> = (&'a str, Vec<(&'a str, Value)>, &'a str);
    let cases: Vec<Case> = vec![
        ("id missing", vec![("id", Value::Null)], "id"),
        ("id blank", vec![("id", json!(" "))], "id"),
        (
            "reference",
            vec![("third_party_order_reference", Value::Null)],
            "third_party_order_reference",
        ),
        ("type", vec![("type", json!("drone"))], "type"),
        ("type missing", vec![("type", Value::Null)], "type"),
        (
            "posLocationId",
            vec![("posLocationId", json!(""))],
            "posLocationId",
        ),
        ("location", vec![("location", Value::Null)], "location"),
        (
            "location.id",
            vec![("location.id", Value::Null)],
            "location.id",
        ),
        (
            "location.timezone",
            vec![("location.timezone", Value::Null)],
            "location.timezone",
        ),
        (
            "menu_reference",
            vec![("menu_reference", Value::Null)],
            "menu_reference",
        ),
        ("items", vec![("items", Value::Null)], "items"),
        (
            "no items at all",
            vec![("items", json!([])), ("promotions", json!([]))],
            "items",
        ),
        (
            "item plu",
            vec![("items.0.plu", Value::Null)],
            "items[0].plu",
        ),
        (
            "item name",
            vec![("items.0.name", Value::Null)],
            "items[0].name",
        ),
        (
            "item description",
            vec![("items.0.description", Value::Null)],
            "items[0].description",
        ),
        (
            "item notes",
            vec![("items.0.notes", Value::Null)],
            "items[0].notes",
        ),
        (
            "item price",
            vec![("items.0.price", Value::Null)],
            "items[0].price",
        ),
        (
            "item price fraction",
            vec![("items.0.price", json!(17.5))],
            "items[0].price",
        ),
        (
            "item price negative",
            vec![("items.0.price", json!(-1))],
            "items[0].price",
        ),
        (
            "child plu",
            vec![("items.0.children.0.plu", Value::Null)],
            "items[0].children[0].plu",
        ),
        (
            "child price",
            vec![("items.0.children.0.price", json!(1.5))],
            "items[0].children[0].price",
        ),
        (
            "deposit",
            vec![("items.0.children.0.unitDepositAmount", json!(-3))],
            "items[0].children[0].unitDepositAmount",
        ),
        (
            "created_at",
            vec![("created_at", json!("2020-12-01"))],
            "created_at",
        ),
        (
            "created_at missing",
            vec![("created_at", Value::Null)],
            "created_at",
        ),
        (
            "collect_at",
            vec![("collect_at", json!("soon"))],
            "collect_at",
        ),
        ("channel", vec![("channel", Value::Null)], "channel"),
        (
            "channel.name",
            vec![("channel.name", Value::Null)],
            "channel.name",
        ),
        (
            "payment_method",
            vec![("payment_method", Value::Null)],
            "payment_method",
        ),
        ("payment", vec![("payment", Value::Null)], "payment"),
        (
            "items_in_cart",
            vec![("payment.items_in_cart", Value::Null)],
            "payment.items_in_cart",
        ),
        (
            "inc_tax",
            vec![("payment.items_in_cart.inc_tax", Value::Null)],
            "payment.items_in_cart.inc_tax",
        ),
        (
            "tax",
            vec![("payment.final.tax", json!(-1))],
            "payment.final.tax",
        ),
        (
            "adjustments",
            vec![("payment.adjustments", Value::Null)],
            "payment.adjustments",
        ),
        (
            "adjustment name",
            vec![(
                "payment.adjustments",
                json!([{"name": "fee", "price": {"inc_tax": 1, "tax": 0}}]),
            )],
            "payment.adjustments[0].name",
        ),
        (
            "deposit total",
            vec![("payment.deposit", Value::Null)],
            "payment.deposit",
        ),
        (
            "promotions",
            vec![("promotions", Value::Null)],
            "promotions",
        ),
        (
            "promotion type",
            vec![("promotions.0.type", Value::Null)],
            "promotions[0].type",
        ),
        (
            "promotion discount",
            vec![("promotions.0.discountValue", json!(-1))],
            "promotions[0].discountValue",
        ),
        (
            "driver phone",
            vec![("driver.phone_number", Value::Null)],
            "driver.phone_number",
        ),
        (
            "delivery city",
            vec![("delivery.city", Value::Null)],
            "delivery.city",
        ),
        (
            "coordinates",
            vec![("delivery.coordinates", Value::Null)],
            "delivery.coordinates",
        ),
        (
            "latitude",
            vec![("delivery.coordinates.latitude", json!(91))],
            "delivery.coordinates.latitude",
        ),
        (
            "longitude",
            vec![("delivery.coordinates.longitude", json!(-181))],
            "delivery.coordinates.longitude",
        ),
        (
            "company",
            vec![("delivery.company_name", json!("x".repeat(129)))],
            "delivery.company_name",
        ),
        (
            "totals",
            vec![("payment.final.inc_tax", json!(2161))],
            "payment.final",
        ),
    ];
    for (name, edits, field) in cases {
        let got = check(&edited(doc(PARTNER), &edits))
            .err()
            .unwrap_or_default();
        assert!(
            got.iter().any(|(f, _)| f == field),
            "{name}: expected a violation at {field}, got {got:?}"
        );
    }
    // The merchant's own rules.
    for (name, edits, field) in [
        (
            "merchant without delivery",
            vec![("delivery", Value::Null)],
            "delivery",
        ),
        (
            "merchant without deliver_at",
            vec![("deliver_at", Value::Null)],
            "deliver_at",
        ),
    ] {
        let got = check(&edited(merchant(), &edits)).err().unwrap_or_default();
        assert!(got.iter().any(|(f, _)| f == field), "{name}: {got:?}");
    }
    // Their valid variants.
    for (name, edits) in [
        (
            "collection without delivery",
            vec![
                ("type", json!("collection-by-customer")),
                ("delivery", Value::Null),
                ("driver", Value::Null),
                (
                    "collector",
                    json!({"first_name": "A", "last_name": "B", "phone_number": "1"}),
                ),
            ],
        ),
        (
            "a whole float price",
            vec![("items.0.price", json!(1700.0))],
        ),
        (
            "a discount subtracted",
            vec![
                (
                    "payment.adjustments",
                    json!([{"name": "discount", "price": {"inc_tax": 160, "tax": 0}}]),
                ),
                ("payment.final.inc_tax", json!(2000)),
            ],
        ),
        ("no promotions", vec![("promotions", json!([]))]),
        ("an unknown extra field", vec![("x_future", json!(1))]),
    ] {
        if let Err(e) = check(&edited(doc(PARTNER), &edits)) {
            panic!("{name}: {e:?}");
        }
    }
}

#[test]
fn every_violation_is_reported_at_once_and_wrong_types_are_one() {
    let got = check(&edited(
        doc(PARTNER),
        &[
            ("id", Value::Null),
            ("type", json!("x")),
            ("items.0.price", json!(-5)),
        ],
    ))
    .err()
    .unwrap_or_default();
    let fields: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, vec!["id", "type", "items[0].price"], "{got:?}");
    let wrong = parse_order(br#"{"id": 5}"#).err().map(|v| v.code);
    assert_eq!(wrong.as_deref(), Some("invalid_type"));
    let broken = parse_order(b"{").err().map(|v| v.code);
    assert_eq!(broken.as_deref(), Some("malformed_json"));
}

#[test]
fn identical_lines_and_options_are_counted_and_notes_kept() {
    let burger = json!({"name": "Cheeseburger", "description": "", "plu": "M2", "price": 1700, "notes": "",
        "children": [{"name": "Sauce", "description": "", "plu": "R3", "price": 100},
                     {"name": "Sauce", "description": "", "plu": "R3", "price": 100}]});
    let mut noted = burger.clone();
    noted["notes"] = json!("no onions");
    let plain = json!({"name": "Cheeseburger", "description": "", "plu": "M2", "price": 1700, "notes": "", "children": []});
    let d = edited(
        doc(PARTNER),
        &[
            ("items", json!([burger, noted, plain])),
            ("payment.items_in_cart.inc_tax", json!(5700)),
            ("payment.final.inc_tax", json!(5700)),
        ],
    );
    let t = translate(&valid(&d), target(), &ChargeItems::default());
    let cart = t.order.body.cart.clone().unwrap_or_default();
    assert_eq!(
        cart.items.len(),
        2,
        "two with the same options, one without"
    );
    assert_eq!(cart.items[0].count, Some(2.into()));
    let mods = cart.items[0].modifiers.clone().unwrap_or_default();
    assert_eq!(mods.len(), 1);
    assert_eq!(
        mods[0].count,
        Some(2.into()),
        "the same option twice is counted"
    );
    assert_eq!(cart.items[1].count, Some(1.into()));
    assert_eq!(cart.items[1].modifiers, None);
    // 2 × (1700 + 2 × 100) + 1700
    assert_eq!(minor(&cart.total), 5500);
    let comment = t.order.body.comment.unwrap_or_default();
    assert!(comment.contains("Cheeseburger: no onions"), "{comment}");
}

#[test]
fn adjustments_map_to_charge_items_or_are_recorded_and_totals_reconcile() {
    let adjustments = json!([
        {"name": "deliveryFee", "price": {"inc_tax": 240, "tax": 0}},
        {"name": "serviceCharge", "price": {"inc_tax": 99, "tax": 0}},
        {"name": "bagfee", "price": {"inc_tax": 10, "tax": 0}},
        {"name": "driverTip", "price": {"inc_tax": 200, "tax": 0}},
        {"name": "discount", "price": {"inc_tax": 300, "tax": 0}},
    ]);
    // 600 + 240 + 99 + 10 + 200 - 300
    let d = edited(
        merchant(),
        &[
            ("payment.adjustments", adjustments),
            ("payment.final.inc_tax", json!(849)),
        ],
    );
    let order = valid(&d);
    let charges =
        ChargeItems::parse("serviceCharge=SRV, bagfee=BAG").unwrap_or_else(|v| panic!("{v:?}"));
    let t = translate(&order, target(), &charges);
    let cart = t.order.body.cart.clone().unwrap_or_default();
    let ids: Vec<&str> = cart.items.iter().filter_map(|i| i.id.as_deref()).collect();
    assert_eq!(ids, vec!["MMcc0", "SRV", "BAG"]);
    assert_eq!(minor(&cart.delivery), 240);
    assert_eq!(minor(&cart.total), 500 + 99 + 10 + 240);
    let recorded: Vec<(&str, i64)> = t
        .recorded
        .iter()
        .map(|r| (r.name.as_str(), r.amount))
        .collect();
    assert!(recorded.contains(&("driverTip", 200)), "{recorded:?}");
    assert!(recorded.contains(&("discount", -300)), "{recorded:?}");
    let sum: i64 = t.recorded.iter().map(|r| r.amount).sum();
    assert_eq!(cart_total(&t.order) + sum, 849);
    // Unmapped, the same charges are recorded and the totals still reconcile.
    let plain = translate(&order, target(), &ChargeItems::default());
    let sum: i64 = plain.recorded.iter().map(|r| r.amount).sum();
    assert_eq!(cart_total(&plain.order), 740);
    assert_eq!(cart_total(&plain.order) + sum, 849);
}

#[test]
fn charge_items_parse_and_refuse_what_cannot_be_a_line() {
    let ok = ChargeItems::parse(" serviceCharge = SRV ,driverTip=TIP,")
        .unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(ok.item_for(AdjustmentKind::ServiceCharge), Some("SRV"));
    assert_eq!(ok.item_for(AdjustmentKind::DriverTip), Some("TIP"));
    assert_eq!(ok.item_for(AdjustmentKind::BagFee), None);
    assert_eq!(
        ChargeItems::parse("").map(|c| c.item_for(AdjustmentKind::Other).is_none()),
        Ok(true)
    );
    for bad in [
        "discount=D",
        "deliveryFee=X",
        "tip=T",
        "serviceCharge",
        "bagfee= ",
    ] {
        assert!(ChargeItems::parse(bad).is_err(), "{bad}");
    }
    let all = ChargeItems::parse("discount=D,nope")
        .err()
        .unwrap_or_default();
    assert_eq!(all.len(), 2, "every bad entry at once");
}

#[test]
fn fulfilment_payment_and_schedule_rules() {
    // Cash is cash, anything else online.
    for (method, expected) in [
        ("CASH", "cash"),
        ("cash", "cash"),
        ("CARD", "online"),
        ("Flyt", "online"),
    ] {
        let t = translate(
            &valid(&edited(doc(PARTNER), &[("payment_method", json!(method))])),
            target(),
            &ChargeItems::default(),
        );
        assert_eq!(
            t.order.body.payment.unwrap_or_default().method.as_deref(),
            Some(expected),
            "{method}"
        );
    }
    // Collection by customer: pickup, the collector is the client.
    let collection = edited(
        doc(PARTNER),
        &[
            ("type", json!("collection-by-customer")),
            ("delivery", Value::Null),
            ("driver", Value::Null),
            (
                "collector",
                json!({"first_name": "Ann", "last_name": "Lee", "phone_number": "+44 20 7946 0000", "phone_masking_code": "123"}),
            ),
        ],
    );
    let t = translate(&valid(&collection), target(), &ChargeItems::default());
    assert_eq!(t.order.body.delivery_method.as_deref(), Some("pickup"));
    let client = t.order.body.client.unwrap_or_default();
    assert_eq!(client.name.as_deref(), Some("Ann Lee"));
    // A due time more than an hour after creation is a preorder; sooner it is not.
    for (collect_at, preorder) in [
        ("1606783746", Some("2020-12-01 03:49:06")),
        ("1606783745", None),
    ] {
        let t = translate(
            &valid(&edited(doc(PARTNER), &[("collect_at", json!(collect_at))])),
            target(),
            &ChargeItems::default(),
        );
        assert_eq!(
            t.order.body.date_preorder.as_deref(),
            preorder,
            "{collect_at}"
        );
    }
    // A menu_reference names the concept.
    let t = translate(
        &valid(&edited(doc(PARTNER), &[("menu_reference", json!("7"))])),
        target(),
        &ChargeItems::default(),
    );
    assert_eq!(t.order.body.concept_id.as_deref(), Some("7"));
}

#[test]
fn order_violations_map_to_jet_error_codes() {
    let cases = [
        ("unknown_restaurant", ErrorCode::IncorrectSetup),
        ("unknown_concept", ErrorCode::IncorrectSetup),
        ("unknown_item", ErrorCode::MenuError),
        ("unknown_modifier", ErrorCode::MenuError),
        ("item_stopped", ErrorCode::MenuError),
        ("missing_field", ErrorCode::MenuError),
        ("restaurant_offline", ErrorCode::Inactive),
        ("restaurant_closed", ErrorCode::StoreClosed),
        ("preorder_closed", ErrorCode::StoreClosed),
        ("total_mismatch", ErrorCode::MalformedRequest),
        ("something_new", ErrorCode::Unknown),
    ];
    for (code, expected) in cases {
        assert_eq!(ErrorCode::of_violation(code), expected, "{code}");
    }
    let found = vec![
        Violation::new(
            "unknown_item",
            Some("cart.items[0].id"),
            "\"X\" is not on the menu",
        ),
        Violation::new(
            "restaurant_closed",
            Some("date"),
            "the restaurant is closed now",
        ),
    ];
    let failure = outcome::failure_of(&found).unwrap_or_else(|| panic!("a failure"));
    assert_eq!(
        failure.code,
        ErrorCode::StoreClosed,
        "a closed store speaks first"
    );
    assert_eq!(
        failure.message,
        "\"X\" is not on the menu; the restaurant is closed now"
    );
    assert_eq!(outcome::failure_of(&[]), None);
    for code in ErrorCode::ALL {
        assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
    }
}

#[test]
fn outcome_bodies_and_paths_have_jets_shapes() {
    let at: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-11-25T10:00:00.250Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        outcome::success_body(at),
        json!({"happenedAt": "2026-11-25T10:00:00+00:00"})
    );
    let timeout = outcome::timeout(150);
    let failed = outcome::failed_body(at, &timeout);
    assert_eq!(failed["errorCode"], json!("TIMEOUT"));
    assert!(failed["errorMessage"]
        .as_str()
        .is_some_and(|m| m.contains("150 s")));
    let blank = outcome::failed_body(
        at,
        &outcome::Failure {
            code: ErrorCode::Unknown,
            message: " ".into(),
        },
    );
    assert!(blank["errorMessage"]
        .as_str()
        .is_some_and(|m| !m.trim().is_empty()));
    assert_eq!(
        outcome::outcome_path("ab-1", true),
        "order/ab-1/sent-to-pos-success"
    );
    assert_eq!(
        outcome::outcome_path("a/b?c", false),
        "order/a%2Fb%3Fc/sent-to-pos-failed"
    );
    assert_eq!(
        outcome::unknown_location("X9").code,
        ErrorCode::IncorrectSetup
    );
    assert_eq!(SuccessRule::parse(""), Ok(SuccessRule::Accepted));
    assert_eq!(SuccessRule::parse("status0"), Ok(SuccessRule::Status0));
    assert!(SuccessRule::parse("whenever").is_err());
}

#[test]
fn cancel_notifications_are_checked() {
    let ok = parse_cancel(CANCEL.as_bytes())
        .map_err(|v| vec![v])
        .and_then(|n| validate_cancel(&n))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(ok.order_id, "38bbeb45-f520-4438-a44f-0fcdbb29e166");
    assert_eq!(ok.reason, "custCancelledMadeMistake");
    for (name, body, fields) in [
        (
            "empty",
            json!({}),
            vec!["orderID", "reason.code", "happenedAt"],
        ),
        (
            "bad reason",
            json!({"orderID": "x", "reason": {"code": "bored"}, "happenedAt": "2022-08-15T10:12:56Z"}),
            vec!["reason.code"],
        ),
        (
            "bad time",
            json!({"orderID": "x", "reason": {"code": "unknown"}, "happenedAt": "yesterday"}),
            vec!["happenedAt"],
        ),
    ] {
        let got = parse_cancel(body.to_string().as_bytes())
            .map_err(|v| vec![v])
            .and_then(|n| validate_cancel(&n))
            .err()
            .unwrap_or_default();
        let got: Vec<String> = got.into_iter().filter_map(|v| v.field).collect();
        assert_eq!(got, fields, "{name}");
    }
}
