//! Table tests of every Orderconnect rule (a passing and a failing case each, every reason
//! code), the translation of the fixtures, and the delivery-state decisions.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::check::{check, ServiceType};
use super::delivery_state::{self, DeliveryState, LocationDecision};
use super::mapping::{IdKind, ItemMapping};
use super::translate::{connect_path, reason_for, reasons, translate, Translation};
use super::{duplicate, not_configured, rejection_status, wire, Reason};
use crate::domain::UtcOffset;
use crate::jupiter::{AdminRestaurant, DeliveryZonesResponse, MenuResponse};
use crate::order::lifecycle::Status;
use crate::order::validate::{validate, ConceptState, OrderContext, RestaurantState, Rules};
use crate::problem::{render, Protocol, Violation};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const DELIVERY: &str = include_str!("../../../fixtures/orderconnect/delivery-order.json");
pub(super) const COLLECTION: &str =
    include_str!("../../../fixtures/orderconnect/collection-order.json");

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn doc(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"))
}

/// A fixture with `edit` applied to its JSON.
pub(super) fn edited(text: &str, edit: impl FnOnce(&mut Value)) -> wire::ConnectOrder {
    let mut v = doc(text);
    edit(&mut v);
    parse_one(v.to_string().as_bytes()).unwrap_or_else(|e| panic!("{e:?}"))
}

/// The single `ConnectOrder` of a body (seed 001's shape).
fn parse_one(bytes: &[u8]) -> Result<wire::ConnectOrder, Vec<Violation>> {
    match wire::parse(bytes)? {
        wire::Body::One(o) => Ok(*o),
        wire::Body::Many(list) => Err(vec![Violation::new(
            "test",
            None,
            format!("an array of {}", list.len()),
        )]),
    }
}

pub(super) fn set(v: &mut Value, pointer: &str, value: Value) {
    *v.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer}")) = value;
}

/// The demo restaurant 000127 with its concept 7 menu and zone 028270.
pub(super) fn demo() -> RestaurantState {
    let admin: AdminRestaurant = serde_json::from_str(include_str!(
        "../../../fixtures/demo/restaurant-000127.json"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let zones: DeliveryZonesResponse = serde_json::from_str(include_str!(
        "../../../fixtures/demo/delivery_zones-000127-7.json"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let menu: MenuResponse =
        serde_json::from_str(include_str!("../../../fixtures/demo/menu-000127-7.json"))
            .unwrap_or_else(|e| panic!("{e}"));
    let mut concepts = BTreeMap::new();
    concepts.insert(
        "7".to_owned(),
        ConceptState {
            zones: crate::zone_memo::routable(zones.zones),
            menu: Some(menu.menu),
        },
    );
    // The fixture is open round the clock; these tests keep the seed's 09:00–23:00.
    let mut place = admin.place;
    place.start_time = Some(9 * 3600);
    place.end_time = Some(23 * 3600);
    RestaurantState {
        place,
        time_zone: UtcOffset::parse("+03:00", "o")
            .unwrap_or_else(|v| panic!("{v:?}"))
            .into(),
        online: true,
        offline_until: None,
        concepts,
        stopped: BTreeSet::new(),
        service_times: None,
    }
}

pub(super) fn translated(order: &wire::ConnectOrder, r: &RestaurantState) -> Translation {
    let checked = check(order).unwrap_or_else(|v| panic!("{v:?}"));
    translate(&checked, r, &ItemMapping::default()).unwrap_or_else(|v| panic!("{v:?}"))
}

/// Violations as (code, field) pairs.
type Found = Vec<(String, Option<String>)>;

fn codes(vs: &[Violation]) -> Found {
    vs.iter()
        .map(|v| (v.code.clone(), v.field.clone()))
        .collect()
}

fn one(code: &str, field: &str) -> Found {
    vec![(code.to_owned(), Some(field.to_owned()))]
}

fn fixed(text: &str) -> crate::tz::LocalZone {
    UtcOffset::parse(text, "o")
        .map(crate::tz::LocalZone::from)
        .unwrap_or_else(|v| panic!("{v:?}"))
}

#[test]
fn both_fixtures_pass_every_orderconnect_rule() {
    for text in [DELIVERY, COLLECTION] {
        let order = parse_one(text.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
        check(&order).unwrap_or_else(|v| panic!("{v:?}"));
    }
}

#[test]
fn money_is_read_exactly_in_pence() {
    let order = parse_one(DELIVERY.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
    let c = check(&order).unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(c.subtotal.minor(), 210_000);
    assert_eq!(c.discount.minor(), 21_000);
    assert_eq!(c.delivery_charge.minor(), 12_500);
    assert_eq!(c.total.minor(), 201_500);
    assert_eq!(c.tip.minor(), 10_000);
    assert_eq!(c.card_fees.minor(), 50);
    assert_eq!(c.paid_total.minor(), 211_550);
    assert_eq!(c.service_type, ServiceType::Delivery);
    assert_eq!(c.lines[0].parts.len(), 2);
    assert_eq!(c.coords, Some((55.76721, 37.59339)));
}

#[test]
fn a_body_that_is_not_a_connect_order_is_one_bad_request() {
    for body in [
        "\"an order\"",
        "{\"Id\": 5}",
        "not json",
        "{\"BasketInfo\": {\"SubTotal\": \"x\"}}",
    ] {
        let errs = parse_one(body.as_bytes())
            .err()
            .unwrap_or_else(|| panic!("{body}"));
        assert_eq!(errs.len(), 1, "{body}");
        let err = &errs[0];
        assert_eq!(err.code, "bad_request", "{body}");
        assert!(
            err.message.starts_with("the body is not a ConnectOrder"),
            "{body}"
        );
    }
}

#[test]
fn a_value_of_the_wrong_type_names_its_field() {
    let mut one = doc(DELIVERY);
    set(&mut one, "/BasketInfo/SubTotal", json!("NaN"));
    let cases: Vec<(String, Vec<Option<&str>>)> = vec![
        (one.to_string(), vec![Some("BasketInfo.SubTotal")]),
        (
            format!("[{}, {}, {}]", doc(DELIVERY), one, one),
            vec![
                Some("[1].BasketInfo.SubTotal"),
                Some("[2].BasketInfo.SubTotal"),
            ],
        ),
        ("{\"Id\": 5}".to_owned(), vec![Some("Id")]),
        ("not json".to_owned(), vec![None]),
    ];
    for (body, want) in cases {
        let got: Vec<Option<String>> = wire::parse(body.as_bytes())
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|v| v.field)
            .collect();
        let want: Vec<Option<String>> = want.into_iter().map(|w| w.map(str::to_owned)).collect();
        assert_eq!(got, want, "{body}");
    }
    // The fixture itself parses (the passing case).
    assert!(wire::parse(DELIVERY.as_bytes()).is_ok());
}

/// Each rule: a change that breaks it, the violation expected.
#[test]
fn each_orderconnect_rule_refuses_its_case_with_the_field_and_reason() {
    type Edit = fn(&mut Value);
    let cases: Vec<(&str, Edit, Found)> = vec![
        ("Id missing (seed 001 has no OrderId)", |v| set(v, "/Id", json!(null)), one("bad_request", "OrderId")),
        ("Id too long", |v| set(v, "/Id", json!("x".repeat(65))), one("bad_request", "Id")),
        ("ServiceType unknown", |v| set(v, "/Order/ServiceType", json!("Drone")), one("bad_request", "Order.ServiceType")),
        ("PlacedDate garbled", |v| set(v, "/Order/PlacedDate", json!("yesterday")), one("bad_request", "Order.PlacedDate")),
        ("due date garbled", |v| set(v, "/Order/DueDateWithUtcOffset", json!("14:00")), one("bad_request", "Order.DueDateWithUtcOffset")),
        ("not ASAP without a due date", |v| {
            set(v, "/Order/PromptAsap", json!(false));
            set(v, "/Order/DueDateWithUtcOffset", json!(null));
        }, one("bad_request", "Order.DueDateWithUtcOffset")),
        ("RestaurantInfo.Id missing", |v| set(v, "/RestaurantInfo/Id", json!(" ")), one("bad_request", "RestaurantInfo.Id")),
        ("customer name missing", |v| set(v, "/CustomerInfo/Name", json!("")), one("bad_request", "CustomerInfo.Name")),
        ("customer phone missing", |v| set(v, "/CustomerInfo/PhoneNumber", json!(null)), one("bad_request", "CustomerInfo.PhoneNumber")),
        ("delivery without address", |v| set(v, "/CustomerInfo/Address", json!("")), one("bad_address", "CustomerInfo.Address")),
        ("coordinates off Earth", |v| set(v, "/CustomerInfo/Latitude", json!(155.2)), one("bad_address", "CustomerInfo.Latitude")),
        ("no basket lines", |v| set(v, "/BasketInfo/GroupedBasketItems", json!([])), vec![
            ("bad_request".into(), Some("BasketInfo.GroupedBasketItems".into())),
        ]),
        ("quantity zero", |v| set(v, "/BasketInfo/GroupedBasketItems/0/Quantity", json!(0)), one("bad_request", "BasketInfo.GroupedBasketItems[0].Quantity")),
        ("no product id nor card number", |v| {
            set(v, "/BasketInfo/GroupedBasketItems/1/BasketItem/ProductId", json!(null));
            set(v, "/BasketInfo/GroupedBasketItems/1/BasketItem/MenuCardNumber", json!(null));
            set(v, "/BasketInfo/GroupedBasketItems/1/MenuCardNumber", json!(null));
        }, one("bad_request", "BasketInfo.GroupedBasketItems[1].BasketItem.ProductId")),
        ("accessory without id", |v| set(v, "/BasketInfo/GroupedBasketItems/0/BasketItem/OptionalAccessories/0/OptionalAccessoryId", json!(null)),
            one("bad_request", "BasketInfo.GroupedBasketItems[0].BasketItem.OptionalAccessories[0].OptionalAccessoryId")),
        ("three decimals", |v| set(v, "/BasketInfo/DeliveryCharge", json!(125.001)), one("bad_request", "BasketInfo.DeliveryCharge")),
        ("negative amount", |v| set(v, "/PaymentInfo/DriverTipValue", json!(-1)), one("bad_request", "PaymentInfo.DriverTipValue")),
        ("lines add up to more than SubTotal", |v| set(v, "/BasketInfo/SubTotal", json!(2000.00)), vec![
            ("bad_request".into(), Some("BasketInfo.SubTotal".into())),
            ("bad_request".into(), Some("BasketInfo.Total".into())),
        ]),
        ("Total is not subtotal - discounts + delivery", |v| set(v, "/BasketInfo/Discount", json!(200.00)), one("bad_request", "BasketInfo.Total")),
        ("payment lines do not make PaymentInfo.Total", |v| set(v, "/PaymentInfo/Total", json!(2115.00)), one("bad_request", "PaymentInfo.PaymentLines")),
        ("Just Eat covers more than the whole bill", |v| set(v, "/PaymentInfo/TotalComplementary", json!(2215.51)), one("bad_request", "PaymentInfo.TotalComplementary")),
        ("neither OrderId nor Id", |v| {
            set(v, "/Id", json!(null));
            v["OrderId"] = json!(" ");
        }, one("bad_request", "OrderId")),
        ("OrderId too long", |v| v["OrderId"] = json!("x".repeat(65)), one("bad_request", "OrderId")),
        ("neither DisplayPhoneNumber nor PhoneNumber", |v| {
            set(v, "/CustomerInfo/PhoneNumber", json!(null));
            v["CustomerInfo"]["DisplayPhoneNumber"] = json!("");
        }, one("bad_request", "CustomerInfo.PhoneNumber")),
        ("no payment lines", |v| set(v, "/PaymentInfo/PaymentLines", json!([])), vec![
            ("bad_request".into(), Some("PaymentInfo.PaymentLines".into())),
            ("bad_request".into(), Some("PaymentInfo.PaymentLines".into())),
        ]),
    ];
    for (name, edit, want) in cases {
        let order = edited(DELIVERY, edit);
        let got = check(&order)
            .err()
            .unwrap_or_else(|| panic!("{name}: accepted"));
        assert_eq!(codes(&got), want, "{name}: {got:?}");
    }
}

#[test]
fn a_delivery_charge_on_a_collection_is_refused() {
    let order = edited(COLLECTION, |v| {
        set(v, "/BasketInfo/DeliveryCharge", json!(10))
    });
    let got = check(&order).err().unwrap_or_else(|| panic!("accepted"));
    assert!(
        codes(&got).contains(&(
            "bad_request".into(),
            Some("BasketInfo.DeliveryCharge".into())
        )),
        "{got:?}"
    );
}

#[test]
fn every_violation_is_reported_at_once_with_a_specific_message() {
    let order = edited(DELIVERY, |v| {
        set(v, "/Id", json!(null));
        v["OrderId"] = json!(null);
        set(v, "/CustomerInfo/Address", json!(null));
        set(v, "/BasketInfo/SubTotal", json!(2099.99));
        set(v, "/PaymentInfo/Total", json!(1));
    });
    let got = check(&order).err().unwrap_or_else(|| panic!("accepted"));
    let fields: Vec<_> = got.iter().filter_map(|v| v.field.clone()).collect();
    for f in [
        "OrderId",
        "CustomerInfo.Address",
        "BasketInfo.SubTotal",
        "BasketInfo.Total",
        "PaymentInfo.PaymentLines",
    ] {
        assert!(fields.contains(&f.to_owned()), "{f} missing from {got:?}");
    }
    let sub = got
        .iter()
        .find(|v| v.field.as_deref() == Some("BasketInfo.SubTotal"))
        .unwrap_or_else(|| panic!());
    assert_eq!(
        sub.message,
        "is 2099.99 but the GroupedBasketItems' CombinedPrice add up to 2100, more than the basket before discounts"
    );
    let body = render(Protocol::Orderconnect, "bad_request", "refused", &got);
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(got.len()));
    assert_eq!(
        body["errors"][0],
        json!({"code": "bad_request", "message": "OrderId: is required (or Id, as seed 001 sends it)"})
    );
}

#[test]
fn the_delivery_fixture_becomes_the_jupiter_order() {
    let t = translated(
        &parse_one(DELIVERY.as_bytes()).unwrap_or_else(|e| panic!("{e:?}")),
        &demo(),
    );
    let got = serde_json::to_value(&t.request).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        got,
        json!({
            "action": "new_order",
            "body": {
                "number": "oc-oc7d1f3a9b2e4c5d6e8f90a1b2c3d4e5",
                "restaurant_id": "000127",
                "concept_id": "7",
                "date": "2026-11-25 13:15:02",
                "delivery_method": "courier",
                "comment": "note: Please ring the top bell | Just Eat order 348322088 (oc7d1f3a9b2e4c5d6e8f90a1b2c3d4e5) | courier pickup at 13:40 (+03:00) | items 2100 + delivery 125 - Just Eat discounts 210 + driver tip 100 + card fee 0.50 = 2115.50 | paid 2115.50 online",
                "cart": {
                    "items": [
                        {"id": "555333111", "name": "Калифорния Гранд", "count": 2, "cost": 700,
                         "modifiers": [
                            {"id": "6021", "name": "Соевый соус (30 г)", "count": 1, "cost": 50},
                            {"id": "6042", "name": "Имбирь (30 г)", "count": 1, "cost": 50}
                         ]},
                        {"id": "T20231", "name": "Филадельфия Гранд", "count": 1, "cost": 500},
                        {"id": "marketplace:discount", "name": "Just Eat discounts", "count": 1, "cost": -210},
                        {"id": "marketplace:tip", "name": "driver tip", "count": 1, "cost": 100},
                        {"id": "marketplace:card-fee", "name": "card fee", "count": 1, "cost": 0.5}
                    ],
                    "delivery": 125,
                    "total": 2115.5
                },
                "client": {"name": "Пётр Сидоров", "phone": "+79229883322"},
                "address": {
                    "name": "ул. Большая Садовая, д. 10, кв. 50, Москва, 123001",
                    "coords": {"latitude": "55.76721", "longitude": "37.59339"},
                    "zone_id": "028270"
                },
                "payment": {"method": "online", "sum": 2115.5}
            }
        })
    );
    assert_eq!(t.concept_key, "7");
}

#[test]
fn the_collection_fixture_is_a_cash_pickup_preorder_in_restaurant_time() {
    let t = translated(
        &parse_one(COLLECTION.as_bytes()).unwrap_or_else(|e| panic!("{e:?}")),
        &demo(),
    );
    let b = &t.request.body;
    assert_eq!(b.delivery_method.as_deref(), Some("pickup"));
    assert_eq!(b.date_preorder.as_deref(), Some("2026-11-25 19:30:00"));
    assert_eq!(b.date.as_deref(), Some("2026-11-25 12:02:11"));
    assert_eq!(b.address, None);
    let pay = b.payment.clone().unwrap_or_default();
    assert_eq!(pay.method.as_deref(), Some("cash"));
    assert_eq!(pay.sum.map(|n| n.to_string()).as_deref(), Some("600"));
    assert!(
        b.comment
            .as_deref()
            .is_some_and(|c| c.ends_with("collect 600 in cash")),
        "{:?}",
        b.comment
    );
    // A due date in another offset is the same instant in the restaurant's time.
    let order = edited(COLLECTION, |v| {
        set(
            v,
            "/Order/DueDateWithUtcOffset",
            json!("2026-11-25T16:30:00+00:00"),
        )
    });
    let t = translated(&order, &demo());
    assert_eq!(
        t.request.body.date_preorder.as_deref(),
        Some("2026-11-25 19:30:00")
    );
    // ASAP: no preorder time even with a due date.
    let order = edited(COLLECTION, |v| set(v, "/Order/PromptAsap", json!(true)));
    assert_eq!(translated(&order, &demo()).request.body.date_preorder, None);
}

fn ctx<'a>(restaurants: &'a [RestaurantState], now: &str, rules: Rules) -> OrderContext<'a> {
    OrderContext {
        restaurants,
        now: utc(now),
        max_preorder_ahead: Duration::days(7),
        rules,
    }
}

#[test]
fn the_translated_collection_passes_every_site_rule() {
    let r = vec![demo()];
    let t = translated(
        &parse_one(COLLECTION.as_bytes()).unwrap_or_else(|e| panic!("{e:?}")),
        &r[0],
    );
    for rules in [Rules::Site, Rules::Marketplace] {
        let valid = validate(&t.request, &ctx(&r, "2026-11-25T09:03:00Z", rules))
            .unwrap_or_else(|v| panic!("{rules:?}: {v:?}"));
        assert_eq!(valid.total.minor(), 60_000);
    }
    let valid = validate(&t.request, &ctx(&r, "2026-11-25T09:03:00Z", Rules::Site))
        .unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(valid.number, "oc-oc81e2b4c6d8f0a2c4e6a8b0c2d4e6f8");
}

#[test]
fn the_translated_delivery_passes_the_marketplace_rules_and_its_charge_lines_are_no_site_items() {
    // Just Eat's discount, tip and card fee are charge lines the marketplace rules accept
    // (cart.total = payment.sum = what the customer paid); under the site rules they are
    // unknown items and a negative amount.
    let r = vec![demo()];
    let t = translated(
        &parse_one(DELIVERY.as_bytes()).unwrap_or_else(|e| panic!("{e:?}")),
        &r[0],
    );
    let valid = validate(
        &t.request,
        &ctx(&r, "2026-11-25T10:16:00Z", Rules::Marketplace),
    )
    .unwrap_or_else(|v| panic!("marketplace: {v:?}"));
    assert_eq!(valid.total.minor(), 211_550);
    let got = validate(&t.request, &ctx(&r, "2026-11-25T10:16:00Z", Rules::Site))
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(
        codes(&got),
        vec![
            ("negative_amount".into(), Some("cart.items[2].cost".into())),
            ("unknown_item".into(), Some("cart.items[2].id".into())),
            ("unknown_item".into(), Some("cart.items[3].id".into())),
            ("unknown_item".into(), Some("cart.items[4].id".into())),
        ]
    );
    let told = reasons(&got, &t);
    assert_eq!(told[0].field.as_deref(), Some("BasketInfo.Total"));
    assert_eq!(told[2].field.as_deref(), Some("PaymentInfo.DriverTipValue"));
}

#[test]
fn items_are_found_by_product_id_then_menu_card_number_unless_mapped() {
    let r = demo();
    let order = parse_one(DELIVERY.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
    let checked = check(&order).unwrap_or_else(|v| panic!("{v:?}"));
    let ids = |t: &Translation| -> Vec<String> {
        t.request
            .body
            .cart
            .clone()
            .unwrap_or_default()
            .items
            .iter()
            .filter_map(|i| i.id.clone())
            .filter(|id| !id.starts_with("marketplace:"))
            .collect()
    };
    let plain =
        translate(&checked, &r, &ItemMapping::default()).unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(ids(&plain), ["555333111", "T20231"]);
    let mut mapping = ItemMapping::default();
    mapping.insert(IdKind::Product, "555333111", "D100");
    mapping.insert(IdKind::Accessory, "6021", "6042");
    // A mapping of another id space does not apply.
    mapping.insert(IdKind::MealPart, "45858074", "nope");
    let mapped = translate(&checked, &r, &mapping).unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(ids(&mapped), ["D100", "T20231"]);
    let first = &mapped.request.body.cart.clone().unwrap_or_default().items[0];
    assert_eq!(
        first.modifiers.clone().unwrap_or_default()[0].id.as_deref(),
        Some("6042")
    );

    let unknown = edited(DELIVERY, |v| {
        set(
            v,
            "/BasketInfo/GroupedBasketItems/1/BasketItem/MenuCardNumber",
            json!("Z9"),
        );
    });
    let checked = check(&unknown).unwrap_or_else(|v| panic!("{v:?}"));
    let got = translate(&checked, &r, &ItemMapping::default())
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(
        codes(&got),
        one(
            "bad_request",
            "BasketInfo.GroupedBasketItems[1].BasketItem.ProductId"
        )
    );
    assert_eq!(got[0].message, "neither ProductId 45858074 nor MenuCardNumber \"Z9\" is mapped or an item on the menu of restaurant \"000127\"");
}

#[test]
fn a_line_is_priced_as_just_eat_charged_it() {
    // Line 0: 2 × (item + 50 + 50). The item's cost is what remains of one unit's price;
    // a price that is not Quantity × one price is split into two lines that add up to it;
    // a price below the parts (a discount) puts the parts at 0.
    let r = demo();
    let base = check(&parse_one(DELIVERY.as_bytes()).unwrap_or_else(|e| panic!("{e:?}")))
        .unwrap_or_else(|v| panic!("{v:?}"));
    type Want<'a> = Vec<(i64, &'a str, &'a str)>;
    let cases: Vec<(&str, Want<'_>)> = vec![
        ("1600.00", vec![(2, "700", "50")]),
        ("1600.02", vec![(2, "700.01", "50")]),
        ("200.00", vec![(2, "0", "50")]),
        ("1600.01", vec![(1, "700", "50"), (1, "700.01", "50")]),
        ("150.00", vec![(2, "75", "0")]),
        ("150.01", vec![(1, "75", "0"), (1, "75.01", "0")]),
    ];
    for (combined, want) in cases {
        let mut checked = base.clone();
        checked.lines[0].combined_price =
            crate::domain::Money::parse_decimal(combined, "t").unwrap_or_else(|v| panic!("{v:?}"));
        let t = translate(&checked, &r, &ItemMapping::default())
            .unwrap_or_else(|v| panic!("{combined}: {v:?}"));
        let items = t.request.body.cart.clone().unwrap_or_default().items;
        let got: Vec<(i64, String, String)> = items
            .iter()
            .filter(|i| i.id.as_deref() == Some("555333111"))
            .map(|i| {
                (
                    i.count.as_ref().and_then(|n| n.as_i64()).unwrap_or(0),
                    i.cost.as_ref().map(|n| n.to_string()).unwrap_or_default(),
                    i.modifiers.clone().unwrap_or_default()[0]
                        .cost
                        .as_ref()
                        .map(|n| n.to_string())
                        .unwrap_or_default(),
                )
            })
            .collect();
        let want: Vec<(i64, String, String)> = want
            .into_iter()
            .map(|(n, c, m)| (n, c.to_owned(), m.to_owned()))
            .collect();
        assert_eq!(got, want, "{combined}");
    }
}

/// Just Eat accepted the address: inside a zone the order carries it; outside every zone of
/// the restaurant, or at a restaurant without zones, it is not refused (issue 16): it keeps
/// its coordinates and no zone, and the shared marketplace routing decides.
#[test]
fn the_delivery_zone_follows_the_coordinates() {
    let r = demo();
    let inside = edited(DELIVERY, |v| {
        set(v, "/CustomerInfo/Latitude", json!(55.80));
        set(v, "/CustomerInfo/Longitude", json!(37.70));
    });
    let address = translated(&inside, &r)
        .request
        .body
        .address
        .unwrap_or_default();
    assert_eq!(address.zone_id.as_deref(), Some("028270"));

    let far = edited(DELIVERY, |v| {
        set(v, "/CustomerInfo/Latitude", json!(51.5));
        set(v, "/CustomerInfo/Longitude", json!(-0.12));
    });
    let address = translated(&far, &r)
        .request
        .body
        .address
        .unwrap_or_default();
    assert_eq!(
        address.zone_id, None,
        "outside every zone: no zone, not refused"
    );
    assert!(
        address.coords.is_some(),
        "the point is kept for the routing"
    );

    let unknown = edited(DELIVERY, |v| {
        set(v, "/CustomerInfo/Latitude", json!(0));
        set(v, "/CustomerInfo/Longitude", json!(0));
    });
    let t = translated(&unknown, &r);
    let address = t.request.body.address.clone().unwrap_or_default();
    assert_eq!(address.zone_id.as_deref(), Some("028270"));
    assert_eq!(address.coords, None);

    let mut no_zones = demo();
    if let Some(c) = no_zones.concepts.get_mut("7") {
        c.zones.clear();
    }
    let address = translated(&unknown, &no_zones)
        .request
        .body
        .address
        .unwrap_or_default();
    assert_eq!(
        address.zone_id, None,
        "a restaurant without zones: not refused"
    );
}

#[test]
fn the_menu_is_chosen_by_menu_id_else_the_only_one() {
    let mut two = demo();
    let seven = two.concepts.get("7").cloned().unwrap_or_default();
    two.concepts.insert("9".to_owned(), seven);
    let order = parse_one(DELIVERY.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(translated(&order, &two).concept_key, "7");
    let other = edited(DELIVERY, |v| set(v, "/BasketInfo/MenuId", json!(777890)));
    assert_eq!(translated(&other, &demo()).concept_key, "7");
    let checked = check(&other).unwrap_or_else(|v| panic!("{v:?}"));
    let got = translate(&checked, &two, &ItemMapping::default())
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(
        codes(&got),
        one("restaurant_not_configured", "BasketInfo.MenuId")
    );
    let mut none = demo();
    none.concepts.clear();
    let got = translate(&checked, &none, &ItemMapping::default())
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(
        codes(&got),
        one("restaurant_not_configured", "RestaurantInfo.Id")
    );
}

/// The catalog's verdicts on the translated collection, told as reasons.
#[test]
fn catalog_rules_become_reason_codes() {
    type Change = fn(&mut RestaurantState);
    let cases: Vec<(&str, Change, &str, bool, &str, &str)> = vec![
        (
            "open and online",
            |_| {},
            "2026-11-25T09:03:00Z",
            false,
            "",
            "",
        ),
        (
            "paused",
            |r| r.online = false,
            "2026-11-25T09:03:00Z",
            true,
            "too_busy",
            "RestaurantInfo.Id",
        ),
        (
            "closed now (ASAP)",
            |_| {},
            "2026-11-24T23:30:00Z",
            true,
            "outside_hours",
            "Order.PlacedDate",
        ),
        (
            "sold out",
            |r| {
                r.stopped.insert("T20231".to_owned());
            },
            "2026-11-25T09:03:00Z",
            false,
            "other",
            "BasketInfo.GroupedBasketItems[0].BasketItem.ProductId",
        ),
        // Pickup availability is the marketplace's business.
        (
            "no pickup",
            |r| r.place.self_delivery = Some(false),
            "2026-11-25T09:03:00Z",
            false,
            "",
            "",
        ),
        (
            "preordered while closed now",
            |_| {},
            "2026-11-24T23:30:00Z",
            false,
            "",
            "",
        ),
    ];
    for (name, change, now, asap, code, field) in cases {
        let mut r = demo();
        change(&mut r);
        let r = vec![r];
        let order = edited(COLLECTION, |v| set(v, "/Order/PromptAsap", json!(asap)));
        let t = translated(&order, &r[0]);
        match validate(&t.request, &ctx(&r, now, Rules::Marketplace)) {
            Ok(_) => assert!(code.is_empty(), "{name}: accepted"),
            Err(found) => {
                let told = reasons(&found, &t);
                assert_eq!(codes(&told), one(code, field), "{name}: {found:?}");
            }
        }
    }
}

#[test]
fn a_due_date_outside_hours_is_refused() {
    let r = vec![demo()];
    // 02:00 Moscow is outside 09:00–23:00.
    let night = edited(COLLECTION, |v| {
        set(
            v,
            "/Order/DueDateWithUtcOffset",
            json!("2026-11-26T02:00:00+03:00"),
        )
    });
    let t = translated(&night, &r[0]);
    let got = validate(
        &t.request,
        &ctx(&r, "2026-11-25T09:03:00Z", Rules::Marketplace),
    )
    .err()
    .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(
        codes(&reasons(&got, &t)),
        one("outside_hours", "Order.DueDateWithUtcOffset")
    );
}

#[test]
fn every_jupiter_code_has_a_reason() {
    let cases = [
        ("unknown_restaurant", Reason::RestaurantNotConfigured),
        ("unknown_concept", Reason::RestaurantNotConfigured),
        ("restaurant_closed", Reason::OutsideHours),
        ("preorder_closed", Reason::OutsideHours),
        ("restaurant_offline", Reason::TooBusy),
        ("outside_zone", Reason::TooFar),
        ("preorder_too_soon", Reason::TooFar),
        ("unknown_zone", Reason::NotSupported),
        ("pickup_unavailable", Reason::NotSupported),
        ("zone_required", Reason::BadAddress),
        ("item_stopped", Reason::Other),
        ("duplicate", Reason::Duplicate),
        ("unknown_item", Reason::BadRequest),
        ("modifier_group", Reason::BadRequest),
        ("total_mismatch", Reason::BadRequest),
        ("something_new", Reason::Other),
    ];
    for (code, want) in cases {
        assert_eq!(reason_for(code), want, "{code}");
    }
    let names: BTreeSet<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(names.len(), 9);
}

#[test]
fn jupiter_paths_are_told_as_connect_order_paths() {
    let t = translated(
        &parse_one(DELIVERY.as_bytes()).unwrap_or_else(|e| panic!("{e:?}")),
        &demo(),
    );
    let cases = [
        (
            "cart.items[1].id",
            "BasketInfo.GroupedBasketItems[1].BasketItem.ProductId",
        ),
        (
            "cart.items[0].modifiers[1].id",
            "BasketInfo.GroupedBasketItems[0].BasketItem.RequiredAccessories[0]",
        ),
        (
            "cart.items[0].modifiers[0].count",
            "BasketInfo.GroupedBasketItems[0].BasketItem.OptionalAccessories[0]",
        ),
        (
            "cart.items[0].modifiers",
            "BasketInfo.GroupedBasketItems[0]",
        ),
        ("cart.items", "BasketInfo.GroupedBasketItems"),
        ("date_preorder", "Order.DueDateWithUtcOffset"),
        ("date", "Order.PlacedDate"),
        ("address.coords", "CustomerInfo.Latitude"),
        ("client.phone", "CustomerInfo.PhoneNumber"),
        ("elsewhere", "elsewhere"),
    ];
    for (jupiter, want) in cases {
        assert_eq!(connect_path(jupiter, &t.paths), want, "{jupiter}");
    }
}

#[test]
fn duplicates_are_409_and_everything_else_400() {
    let dup = duplicate("Id", "abc", "ord_1");
    assert_eq!(dup.code, "duplicate");
    assert_eq!(
        dup.message,
        "order \"abc\" was accepted before (hub order ord_1)"
    );
    assert_eq!(rejection_status(&[dup]), 409);
    let nc = not_configured("999");
    assert_eq!(nc.code, "restaurant_not_configured");
    assert_eq!(rejection_status(&[nc]), 400);
    let body = render(Protocol::Orderconnect, "x", "x", &[not_configured("999")]);
    assert_eq!(
        body,
        json!({"errors": [{"code": "restaurant_not_configured",
        "message": "RestaurantInfo.Id: no restaurant in the hub is configured for Orderconnect restaurant \"999\""}]})
    );
}

#[test]
fn status_changes_owe_just_eat_these_calls_in_order() {
    let at = utc("2026-11-25T11:00:05.250Z");
    let states = |from, to| -> Vec<DeliveryState> {
        delivery_state::calls("JE1", from, to, at, &fixed("+01:00"))
            .iter()
            .map(|c| c.state)
            .collect()
    };
    use Status::*;
    let cases: Vec<(Status, Status, Vec<DeliveryState>)> = vec![
        (New, Cooking, vec![]),
        // No invented driver: status 20 is the courier leaving with the food.
        (Cooking, Delivering, vec![DeliveryState::OnItsWay]),
        (New, Delivering, vec![DeliveryState::OnItsWay]),
        (Delivering, Delivered, vec![DeliveryState::Delivered]),
        (Cooking, Delivered, vec![DeliveryState::Delivered]),
        // A cancellation is not disguised as an unassignment: nothing is sent.
        (New, Cancelled, vec![]),
        (Cooking, Cancelled, vec![]),
        (Delivering, Cancelled, vec![]),
        (Delivered, Cancelled, vec![]),
    ];
    for (from, to, want) in cases {
        assert_eq!(states(from, to), want, "{from:?} -> {to:?}");
    }
    let calls = delivery_state::calls("JE 1/x", Cooking, Delivering, at, &fixed("+01:00"));
    assert_eq!(calls[0].path, "/orders/JE%201%2Fx/deliverystate/onitsway");
    assert_eq!(
        calls[0].body,
        json!({"TimeStampWithUtcOffset": "2026-11-25T12:00:05.250+01:00"})
    );
    // Only delivery orders are reported at all.
    assert!(delivery_state::reports("Delivery"));
    assert!(!delivery_state::reports("Collection"));
    // A state Just Eat told the hub is not told back; one the hub decided is.
    use crate::order::lifecycle::Teller;
    assert!(delivery_state::owed(Teller::Hub));
    assert!(!delivery_state::owed(Teller::Channel));
    // A restaurant with an IANA zone: each stamp in the offset in force at its instant.
    let london = crate::tz::ZoneRules::new(
        "Europe/London",
        vec![(0, 0), (utc("2027-03-28T01:00:00Z").timestamp(), 3600)],
    )
    .map(crate::tz::LocalZone::from)
    .unwrap_or_else(|| panic!("rules"));
    assert_eq!(
        delivery_state::timestamp(utc("2027-03-28T00:59:59Z"), &london),
        "2027-03-28T00:59:59.000+00:00"
    );
    assert_eq!(
        delivery_state::timestamp(utc("2027-03-28T01:00:00Z"), &london),
        "2027-03-28T02:00:00.000+01:00"
    );
}

#[test]
fn driver_positions_are_relayed_at_most_every_ten_seconds() {
    let now = utc("2026-11-25T11:00:10Z");
    let cases = [
        (None, LocationDecision::Send),
        (Some("2026-11-25T11:00:00Z"), LocationDecision::Send),
        (
            Some("2026-11-25T11:00:00.001Z"),
            LocationDecision::TooSoon {
                retry_after_secs: 1,
            },
        ),
        (
            Some("2026-11-25T11:00:09Z"),
            LocationDecision::TooSoon {
                retry_after_secs: 9,
            },
        ),
        (
            Some("2026-11-25T11:00:10Z"),
            LocationDecision::TooSoon {
                retry_after_secs: 10,
            },
        ),
    ];
    for (last, want) in cases {
        assert_eq!(
            delivery_state::location_decision(last.map(utc), now),
            want,
            "{last:?}"
        );
    }
}

#[test]
fn a_driver_position_becomes_the_driverlocation_body_or_every_violation() {
    let now = utc("2026-11-25T11:00:00Z");
    let parse = |v: Value| -> delivery_state::DriverLocationRequest {
        serde_json::from_value(v).unwrap_or_else(|e| panic!("{e}"))
    };
    let ok = parse(
        json!({"Location": {"Latitude": 51.51641, "Longitude": -0.103198, "Speed": 8.68, "Heading": 357.1},
        "EtaAtDeliveryAddress": "2026-11-25T11:20:00Z"}),
    );
    assert_eq!(
        delivery_state::driver_location_body(&ok, now, &fixed("+01:00"))
            .unwrap_or_else(|v| panic!("{v:?}")),
        json!({"Location": {"Latitude": 51.51641, "Longitude": -0.103198, "Speed": 8.68, "Heading": 357.1},
               "EtaAtDeliveryAddress": "2026-11-25T12:20:00.000+01:00",
               "TimeStampWithUtcOffset": "2026-11-25T12:00:00.000+01:00"})
    );
    let bad =
        parse(json!({"Location": {"Latitude": 91, "Heading": 400}, "EtaAtRestaurant": "soon"}));
    let got = delivery_state::driver_location_body(&bad, now, &fixed("+01:00"))
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    let fields: Vec<_> = got.iter().filter_map(|v| v.field.clone()).collect();
    assert_eq!(
        fields,
        [
            "Location.Latitude",
            "Location.Longitude",
            "Location.Heading",
            "EtaAtRestaurant"
        ]
    );
    let missing = delivery_state::driver_location_body(&parse(json!({})), now, &fixed("+01:00"))
        .err()
        .unwrap_or_else(|| panic!());
    assert_eq!(
        codes(&missing),
        vec![("missing_field".into(), Some("Location".into()))]
    );
}

const PUBLISHED: &str = include_str!("../../../fixtures/orderconnect/just-eat-array-example.json");

/// The demo restaurant with Just Eat's published ids mapped onto its menu.
fn published_mapping() -> ItemMapping {
    let mut m = ItemMapping::default();
    m.insert(IdKind::Product, "45858074", "555333111");
    m.insert(IdKind::Accessory, "56168", "6021");
    m.insert(IdKind::Accessory, "225025", "6042");
    m.insert(IdKind::MealPart, "45822750", "6042");
    m
}

#[test]
fn the_published_array_example_is_accepted_and_reconciles_to_what_the_customer_pays() {
    let orders = match wire::parse(PUBLISHED.as_bytes()).unwrap_or_else(|e| panic!("{e:?}")) {
        wire::Body::Many(list) => list,
        wire::Body::One(_) => panic!("the published body is an array"),
    };
    assert_eq!(orders.len(), 1);
    // It has no PlacedDate: refused without a receipt time, taken as placed when received.
    let refused = check(&orders[0])
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(codes(&refused), one("bad_request", "Order.PlacedDate"));
    let received = utc("2026-11-25T10:00:00Z");
    let c = super::check::check_received(&orders[0], Some(received))
        .unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(c.id, "ijdhpy7bdusgtc28bapspa", "OrderId is the key");
    assert_eq!(c.id_field, "OrderId");
    assert_eq!(c.placed_at, received);
    assert!(c.asap, "a due time before the order was placed is ASAP");
    assert_eq!(
        c.customer_phone, "(01) 872 7863",
        "the masked number, not PhoneNumber"
    );
    // 47.97 + tip 0 + card fee 0.50 - complementary 0.
    assert_eq!(c.due_total.minor(), 4847);
    assert_eq!(c.coords, Some((51.50015, -0.12624)));
    // The demo zone is in Moscow, Just Eat's example customer in London: routed by the
    // demo restaurant's zone as an order without coordinates would be.
    let mut c = c;
    c.coords = None;
    let t = translate(&c, &demo(), &published_mapping()).unwrap_or_else(|v| panic!("{v:?}"));
    let body = &t.request.body;
    let comment = body.comment.clone().unwrap_or_default();
    for part in [
        "ALCOHOL: check the customer's ID on hand-over",
        "kitchen: As much mayonnaise as you can fit!",
        "courier: Please ring the top bell",
        "note: Contact-free delivery",
        "call (01) 872 7863 with masking code 444333222",
        "pickup notice 00:10:00",
        "pickup notes: Use the back entrance",
        "paid 48.47 online",
        "Just Eat's payment lines say 22.55",
    ] {
        assert!(comment.contains(part), "{part} missing from {comment}");
    }
    assert!(
        !comment.contains("18727863"),
        "the real number is not shown: {comment}"
    );
    assert_eq!(
        body.client.clone().unwrap_or_default().phone.as_deref(),
        Some("(01) 872 7863")
    );
    assert_eq!(body.number.as_deref(), Some("oc-ijdhpy7bdusgtc28bapspa"));
    assert!(body.date_preorder.is_none());
    let cart = body.cart.clone().unwrap_or_default();
    assert_eq!(
        cart.total.as_ref().map(|n| n.to_string()).as_deref(),
        Some("48.47")
    );
    let sum = body.payment.clone().unwrap_or_default().sum;
    assert_eq!(
        sum.as_ref().map(|n| n.to_string()).as_deref(),
        Some("48.47")
    );
    let ids: Vec<String> = cart.items.iter().filter_map(|i| i.id.clone()).collect();
    assert_eq!(
        ids,
        ["555333111", "marketplace:basket", "marketplace:card-fee"]
    );
    // The marketplace rules accept it: lines + charge lines + delivery = cart.total.
    let r = vec![demo()];
    let valid = validate(
        &t.request,
        &ctx(&r, "2026-11-25T10:16:00Z", Rules::Marketplace),
    )
    .unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(valid.total.minor(), 4847);
}

/// The money each arithmetic the seed allows gives the Jupiter order: (edit, due, comment
/// money part), and the numbers that cannot reconcile, refused naming them.
#[test]
fn cart_total_and_payment_sum_are_what_the_customer_pays() {
    type Edit = fn(&mut Value);
    let r = vec![demo()];
    let passing: Vec<(&str, Edit, &str, &str)> = vec![
        ("card: discount, tip and card fee", |_| {}, "2115.5",
         "items 2100 + delivery 125 - Just Eat discounts 210 + driver tip 100 + card fee 0.50 = 2115.50 | paid 2115.50 online"),
        ("lines that already include the discount", |v| {
            set(v, "/BasketInfo/GroupedBasketItems/1/CombinedPrice", json!(290.00));
        }, "2115.5",
         "items 1890 + delivery 125 + driver tip 100 + card fee 0.50 = 2115.50"),
        ("Discount that already holds the multi-buy part", |v| {
            set(v, "/BasketInfo/MultiBuyDiscount", json!(10.00));
        }, "2115.5", "- Just Eat discounts 210 +"),
        ("cash with tip and Just Eat covering part", |v| {
            set(v, "/PaymentInfo/CashOnDelivery", json!(true));
            set(v, "/PaymentInfo/TotalComplementary", json!(15.00));
            set(v, "/PaymentInfo/PaymentLines", json!([{"Type": "Cash", "CardFee": 0, "Value": 2100.00}]));
            set(v, "/PaymentInfo/Total", json!(2100.00));
        }, "2100",
         "- Just Eat discounts 210 + driver tip 100 - covered by Just Eat 15 = 2100 | collect 2100 in cash"),
    ];
    for (name, edit, due, money) in passing {
        let order = edited(DELIVERY, edit);
        let t = translated(&order, &r[0]);
        let body = &t.request.body;
        let total = body
            .cart
            .clone()
            .unwrap_or_default()
            .total
            .map(|n| n.to_string());
        let sum = body
            .payment
            .clone()
            .unwrap_or_default()
            .sum
            .map(|n| n.to_string());
        assert_eq!(total.as_deref(), Some(due), "{name}");
        assert_eq!(sum.as_deref(), Some(due), "{name}");
        let comment = body.comment.clone().unwrap_or_default();
        assert!(comment.contains(money), "{name}: {comment}");
        validate(
            &t.request,
            &ctx(&r, "2026-11-25T10:16:00Z", Rules::Marketplace),
        )
        .unwrap_or_else(|v| panic!("{name}: {v:?}"));
    }
    let failing: Vec<(&str, Edit, &str)> = vec![
        (
            "lines above SubTotal",
            |v| set(v, "/BasketInfo/SubTotal", json!(2099.99)),
            "BasketInfo.SubTotal",
        ),
        (
            "Total no discount reading gives",
            |v| set(v, "/BasketInfo/Total", json!(2000.00)),
            "BasketInfo.Total",
        ),
        (
            "payment lines not PaymentInfo.Total",
            |v| set(v, "/PaymentInfo/Total", json!(2000.00)),
            "PaymentInfo.PaymentLines",
        ),
        (
            "Just Eat covering more than the bill",
            |v| set(v, "/PaymentInfo/TotalComplementary", json!(3000.00)),
            "PaymentInfo.TotalComplementary",
        ),
    ];
    for (name, edit, field) in failing {
        let got = check(&edited(DELIVERY, edit))
            .err()
            .unwrap_or_else(|| panic!("{name}: accepted"));
        assert!(
            got.iter()
                .any(|v| v.field.as_deref() == Some(field) && v.code == "bad_request"),
            "{name}: {got:?}"
        );
    }
}

#[test]
fn a_driver_is_relayed_only_when_named() {
    let at = utc("2026-11-25T11:00:05.25Z");
    let none = delivery_state::DriverAssignedRequest::default();
    let got = delivery_state::driver_assigned_body(&none, at, &fixed("+03:00"))
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(got[0].field.as_deref(), Some("DriverName"));
    let named: delivery_state::DriverAssignedRequest = serde_json::from_value(
        json!({"DriverName": "David", "DriverContactNumber": "+447123456789"}),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let body = delivery_state::driver_assigned_body(&named, at, &fixed("+03:00"))
        .unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(
        body,
        json!({"DriverName": "David", "DriverContactNumber": "+447123456789",
               "TimeStampWithUtcOffset": "2026-11-25T14:00:05.250+03:00"})
    );
    let vehicle: delivery_state::DriverAssignedRequest =
        serde_json::from_value(json!({"VehicleDetails": {"Vehicle": "Motorbike"}}))
            .unwrap_or_else(|e| panic!("{e}"));
    assert!(delivery_state::driver_assigned_body(&vehicle, at, &fixed("+03:00")).is_ok());
    assert!(delivery_state::driver_assignable(Status::Delivering));
    assert!(!delivery_state::driver_assignable(Status::Delivered));
    assert!(!delivery_state::driver_assignable(Status::Cancelled));
}

#[test]
fn the_item_mapping_document_is_checked_whole() {
    use super::mapping::{validate as check_mapping, MappingDocument};
    let ok: MappingDocument = serde_json::from_value(json!({"items": [
        {"kind": "product", "just_eat_id": "45858074", "item_id": "555333111"},
        {"kind": "accessory", "just_eat_id": "45858074", "item_id": "6021"}
    ]}))
    .unwrap_or_else(|e| panic!("{e}"));
    let m = check_mapping(&ok).unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(m.get(IdKind::Product, "45858074"), Some("555333111"));
    assert_eq!(m.get(IdKind::Accessory, "45858074"), Some("6021"));
    let bad: MappingDocument = serde_json::from_value(json!({"items": [
        {"kind": "dish", "just_eat_id": "1", "item_id": "x"},
        {"kind": "product", "just_eat_id": " ", "item_id": "x"},
        {"kind": "product", "just_eat_id": "2", "item_id": "x"},
        {"kind": "product", "just_eat_id": "2", "item_id": "y"}
    ]}))
    .unwrap_or_else(|e| panic!("{e}"));
    let got = check_mapping(&bad)
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(
        codes(&got),
        vec![
            ("invalid_value".into(), Some("items[0].kind".into())),
            ("missing_field".into(), Some("items[1].just_eat_id".into())),
            ("invalid_value".into(), Some("items[3].just_eat_id".into())),
        ]
    );
    assert!(check_mapping(&MappingDocument::default()).is_err());
}

/// `validate.rs`'s marketplace charge lines: each rule with a passing and a failing case.
#[test]
fn charge_lines_are_taken_under_the_marketplace_rules_only_as_one_signed_amount() {
    use crate::order::wire::CartModifier;
    let r = vec![demo()];
    let base = translated(
        &parse_one(DELIVERY.as_bytes()).unwrap_or_else(|e| panic!("{e:?}")),
        &r[0],
    )
    .request;
    let at = "2026-11-25T10:16:00Z";
    // The translation as is: the discount line (index 2) is negative, and accepted.
    validate(&base, &ctx(&r, at, Rules::Marketplace)).unwrap_or_else(|v| panic!("{v:?}"));
    type Edit = fn(&mut crate::order::wire::NewOrderRequest);
    let cases: Vec<(&str, Edit, Found)> = vec![
        (
            "a charge line counted twice",
            |q| {
                if let Some(c) = q.body.cart.as_mut() {
                    c.items[3].count = Some(2.into());
                }
            },
            vec![("bad_count".into(), Some("cart.items[3].count".into()))],
        ),
        (
            "a charge line with modifiers",
            |q| {
                if let Some(c) = q.body.cart.as_mut() {
                    c.items[3].modifiers = Some(vec![CartModifier::default()]);
                }
            },
            vec![(
                "invalid_value".into(),
                Some("cart.items[3].modifiers".into()),
            )],
        ),
        (
            "a charge line amount that is not pounds and pence",
            |q| {
                if let Some(c) = q.body.cart.as_mut() {
                    c.items[2].cost =
                        Some(serde_json::Number::from_f64(-2.105).unwrap_or(0.into()));
                }
            },
            vec![("invalid_amount".into(), Some("cart.items[2].cost".into()))],
        ),
        (
            "charges that take the cart below zero",
            |q| {
                if let Some(c) = q.body.cart.as_mut() {
                    c.items[2].cost = Some((-5000).into());
                }
            },
            vec![("total_mismatch".into(), Some("cart.items".into()))],
        ),
        (
            "a total the charge lines do not make",
            |q| {
                if let Some(c) = q.body.cart.as_mut() {
                    c.items[3].cost = Some(99.into());
                }
            },
            vec![("total_mismatch".into(), Some("cart.total".into()))],
        ),
    ];
    for (name, edit, want) in cases {
        let mut q = base.clone();
        edit(&mut q);
        let got = validate(&q, &ctx(&r, at, Rules::Marketplace))
            .err()
            .unwrap_or_else(|| panic!("{name}: accepted"));
        assert_eq!(codes(&got), want, "{name}");
    }
}

/// Found by `make fuzz` (target `orderconnect_array`, the input in `fixtures/fuzz/`): a
/// two-order array with a byte that is not UTF-8 inside a string. The door (`input::check`)
/// refuses it first, naming the string; `wire::parse` alone still reads it, and splits it
/// exactly as `wire::raw_elements` (what the edge stores) does.
#[test]
fn an_array_with_a_string_that_is_not_utf8_is_refused_at_the_door() {
    let fuzzed: &[u8] = include_bytes!("../../../fixtures/fuzz/orderconnect-array-not-utf8.json");
    let refused = crate::input::check(fuzzed).expect_err("the door refuses it");
    assert!(
        refused.iter().any(|v| v.message.contains("UTF-8")),
        "{refused:?}"
    );
    let body = wire::parse(fuzzed).expect("parse alone reads the two orders");
    assert_eq!(body.orders().len(), 2);
    assert_eq!(wire::raw_elements(fuzzed).len(), 2);
}

/// Found by `make fuzz` (target `orderconnect_array`): `"MenuId": 7770…0890` (37
/// digits). The edge stored each element of an array re-serialised through
/// `serde_json::Value`, whose float reading is not round-trip exact, so the stored order
/// said `7.769999999999999e36` and read back as another order. The stored element is now
/// the sent bytes, and each reads back alone as the order it was.
#[test]
fn an_array_element_is_stored_as_sent_and_reads_back_as_its_order() {
    let fuzzed: &[u8] = include_bytes!("../../../fixtures/fuzz/orderconnect-array-float-text.json");
    let Ok(wire::Body::Many(orders)) = wire::parse(fuzzed) else {
        panic!("an array of orders")
    };
    let raw = wire::raw_elements(fuzzed);
    assert_eq!(raw.len(), orders.len());
    let digits = "7770000000000000000000000000000000890";
    assert!(
        raw.iter()
            .any(|e| String::from_utf8_lossy(e).contains(digits)),
        "the number keeps its text"
    );
    for (order, element) in orders.iter().zip(&raw) {
        match wire::parse(element) {
            Ok(wire::Body::One(back)) => assert_eq!(&*back, order),
            other => panic!("an element alone reads as {other:?}"),
        }
    }
    // A body that is one object is stored whole.
    let one = br#" {"OrderId": "x"} "#;
    assert_eq!(wire::raw_elements(one), vec![&one[..]]);
}

/// Found by `make fuzz` (target `orderconnect_array`): `[[]]` was read as one order with
/// every field missing, because serde reads a struct from a sequence too. An element, like a
/// body, must be an object; everything else is refused naming its place.
#[test]
fn an_element_or_body_that_is_not_an_object_is_refused_naming_its_place() {
    let refused = |body: &str| match wire::parse(body.as_bytes()) {
        Err(found) => found
            .into_iter()
            .map(|v| (v.field, v.message))
            .collect::<Vec<_>>(),
        Ok(b) => panic!("{body}: accepted {} orders", b.orders().len()),
    };
    let object = "the body is not a ConnectOrder: a ConnectOrder is a JSON object".to_owned();
    assert_eq!(
        refused("[[]]"),
        vec![(Some("[0]".to_owned()), object.clone())]
    );
    assert_eq!(
        refused(r#"[{"OrderId": "a"}, ["x"], 3]"#),
        vec![
            (Some("[1]".to_owned()), object.clone()),
            (Some("[2]".to_owned()), object.clone())
        ]
    );
    assert_eq!(refused("null"), vec![(None, object)]);
    // Objects are read as before.
    assert!(wire::parse(br#"[{"OrderId": "a"}, {"OrderId": "b"}]"#).is_ok());
    assert!(wire::parse(br#" {"OrderId": "a"}"#).is_ok());
}
