//! Table tests of the Partner-API injection rules: a passing and a failing case per rule.

use serde_json::{json, Value};

use super::*;
use crate::domain::Money;
use crate::orderconnect::check_received;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn dispatch_example() -> Value {
    serde_json::from_str(include_str!(
        "../../../../fixtures/just-eat/orderdispatchwebhooks-request.json"
    ))
    .unwrap()
}

fn prep_example() -> Value {
    serde_json::from_str(include_str!(
        "../../../../fixtures/just-eat/order-ready-for-preparation-request.json"
    ))
    .unwrap()
}

fn dispatch(v: &Value) -> Result<ConnectOrder, Vec<Violation>> {
    from_dispatch(&serde_json::from_value(v.clone()).unwrap())
}

fn prep(v: &Value) -> Result<ConnectOrder, Vec<Violation>> {
    from_preparation(&serde_json::from_value(v.clone()).unwrap())
}

fn money(n: &Option<Number>) -> i64 {
    Money::from_json(n.as_ref().unwrap(), "x").unwrap().minor()
}

fn fields(r: Result<ConnectOrder, Vec<Violation>>) -> Vec<String> {
    r.unwrap_err()
        .into_iter()
        .map(|v| v.field.unwrap_or_default())
        .collect()
}

#[test]
fn the_published_dispatch_example_becomes_an_order_the_pipeline_accepts() {
    let order = dispatch(&dispatch_example()).unwrap();
    assert_eq!(order.order_id.as_deref(), Some("1234A"));
    let checked = check_received(&order, None).unwrap();
    assert_eq!(checked.id, "1234A");
    let basket = order.basket_info.as_ref().unwrap();
    // totalPrice 120 (the tips of 150 do not fit in it); lines 965 → a discount of 845.
    assert_eq!(money(&basket.total), 120);
    assert_eq!(money(&basket.sub_total), 965);
    assert_eq!(money(&basket.discount), 845);
    assert_eq!(
        money(&basket.delivery_charge),
        0,
        "a collection has no delivery charge"
    );
    let line = &basket.grouped_basket_items.as_ref().unwrap()[0];
    assert_eq!(money(&line.combined_price), 965);
    let parts = line
        .basket_item
        .as_ref()
        .unwrap()
        .optional_accessories
        .as_ref()
        .unwrap();
    assert_eq!(parts.len(), 2);
    assert_eq!(money(&parts[1].unit_price), 200);
    let pay = order.payment_info.as_ref().unwrap();
    assert_eq!(money(&pay.total), 220);
    assert_eq!(pay.cash_on_delivery, Some(false));
    assert_eq!(
        order
            .customer_info
            .as_ref()
            .unwrap()
            .display_phone_number
            .as_deref(),
        Some("+441234567890")
    );
    assert!(order.customer_info.as_ref().unwrap().address.is_none());
}

#[test]
fn the_published_preparation_example_is_read_exactly() {
    let order = prep(&prep_example()).unwrap();
    check_received(&order, None).unwrap();
    let basket = order.basket_info.as_ref().unwrap();
    let pay = order.payment_info.as_ref().unwrap();
    // 19.25 = 17.25 of lines + 1 delivery + 0.50 service + 0.50 tip.
    assert_eq!(money(&basket.total), 1875);
    assert_eq!(money(&basket.delivery_charge), 100);
    assert_eq!(money(&basket.sub_total), 1775);
    assert_eq!(money(&basket.discount), 0);
    assert_eq!(money(&pay.driver_tip_value), 50);
    assert_eq!(money(&pay.total), 1925);
    let c = order.customer_info.as_ref().unwrap();
    assert_eq!(c.display_phone_number.as_deref(), Some("441234567890"));
    assert_eq!(c.address.as_deref(), Some("Fleet Place House, Fleet Pl"));
    assert_eq!(
        order.order.as_ref().unwrap().note_to_restaurant.as_deref(),
        Some("Floor: 5th floor; Code: Code 1234")
    );
}

#[test]
fn each_rule_passes_and_fails() {
    type Case = (&'static str, fn(&mut Value), &'static [&'static str]);
    let dispatch_cases: &[Case] = &[
        ("as published", |_| {}, &[]),
        ("no order id", |v| v["orderId"] = json!(" "), &["orderId"]),
        (
            "no restaurant",
            |v| v["restaurant"] = json!({}),
            &["restaurant.id"],
        ),
        ("no items", |v| v["items"] = json!([]), &["items"]),
        (
            "a fraction of a penny",
            |v| v["totalPrice"] = json!(1.5),
            &["totalPrice"],
        ),
        (
            "negative",
            |v| v["items"][0]["totalPrice"] = json!(-1),
            &["items[0].totalPrice"],
        ),
        (
            "quantity 0",
            |v| v["items"][0]["quantity"] = json!(0),
            &["items[0].quantity"],
        ),
        (
            "a sub-item id of letters",
            |v| v["items"][0]["items"][0]["id"] = json!("x7"),
            &["items[0].items[0].id"],
        ),
        (
            "dine in",
            |v| v["fulfilment"]["serviceType"] = json!("dineIn"),
            &[],
        ),
        (
            "unknown service",
            |v| v["fulfilment"]["serviceType"] = json!("drone"),
            &["fulfilment.serviceType"],
        ),
        (
            "delivery charge above the total",
            |v| {
                v["fulfilment"]["serviceType"] = json!("delivery");
                v["totalPrice"] = json!(50);
            },
            &["totalPrice"],
        ),
        (
            "every problem at once",
            |v| {
                v["orderId"] = json!(null);
                v["items"][0]["quantity"] = json!(0);
            },
            &["orderId", "items[0].quantity"],
        ),
    ];
    for (name, edit, want) in dispatch_cases {
        let mut v = dispatch_example();
        edit(&mut v);
        let got = dispatch(&v);
        match want.is_empty() {
            true => assert!(got.is_ok(), "{name}: {got:?}"),
            false => assert_eq!(fields(got), *want, "{name}"),
        }
    }
    let prep_cases: &[Case] = &[
        ("as published", |_| {}, &[]),
        (
            "camelCase",
            |v| {
                let id = v.as_object_mut().and_then(|o| o.remove("OrderId"));
                v["orderId"] = id.unwrap_or_default();
            },
            &[],
        ),
        ("no order id", |v| v["OrderId"] = json!(""), &["OrderId"]),
        (
            "a numeric restaurant id",
            |v| v["Restaurant"]["Id"] = json!(99999),
            &[],
        ),
        (
            "no restaurant",
            |v| v["Restaurant"] = json!({}),
            &["Restaurant.Id"],
        ),
        (
            "a fraction of a penny",
            |v| v["TotalPrice"] = json!(19.255),
            &["TotalPrice"],
        ),
        (
            "quantity too large",
            |v| v["Items"][1]["Quantity"] = json!(10001),
            &["Items[1].Quantity"],
        ),
        (
            "no reference",
            |v| v["Items"][1]["Reference"] = json!(null),
            &["Items[1].Reference"],
        ),
        (
            "unknown method",
            |v| v["Fulfilment"]["Method"] = json!("Teleport"),
            &["Fulfilment.Method"],
        ),
        (
            "a map of notes",
            |v| v["CustomerNotes"] = json!({"Floor": "5"}),
            &[],
        ),
    ];
    for (name, edit, want) in prep_cases {
        let mut v = prep_example();
        edit(&mut v);
        let got = prep(&v);
        match want.is_empty() {
            true => assert!(got.is_ok(), "{name}: {got:?}"),
            false => assert_eq!(fields(got), *want, "{name}"),
        }
    }
}

#[test]
fn a_cash_line_unpaid_makes_a_cash_order() {
    let mut v = prep_example();
    v["Payment"]["Lines"][0]["Type"] = json!("cash");
    assert_eq!(
        prep(&v).unwrap().payment_info.unwrap().cash_on_delivery,
        Some(true)
    );
    v["Payment"]["Lines"][0]["Paid"] = json!(true);
    assert_eq!(
        prep(&v).unwrap().payment_info.unwrap().cash_on_delivery,
        Some(false)
    );
}

#[test]
fn send_to_pos_failed_needs_an_order_id() {
    assert_eq!(
        check_pos_failed(&PosFailedIn {
            order_id: Some(" X1 ".into())
        }),
        Ok("X1".to_owned())
    );
    assert!(check_pos_failed(&PosFailedIn { order_id: None }).is_err());
    assert!(check_pos_failed(&PosFailedIn {
        order_id: Some("".into())
    })
    .is_err());
}

#[test]
fn the_callback_body_is_the_specs() {
    assert_eq!(
        callback_body(true, "Order successfully sent to POS", json!({})),
        json!({"status": "Success", "message": "Order successfully sent to POS", "data": {}})
    );
    assert_eq!(callback_body(false, "x", json!({}))["status"], "Failure");
}

#[test]
fn a_pos_failure_is_recorded_once() {
    let line = pos_failed_reason("X1");
    assert!(!pos_failed_recorded(
        [None, Some("other")].into_iter(),
        "X1"
    ));
    assert!(pos_failed_recorded(
        [None, Some(line.as_str())].into_iter(),
        "X1"
    ));
    assert!(!pos_failed_recorded(
        [Some(line.as_str())].into_iter(),
        "X2"
    ));
}
