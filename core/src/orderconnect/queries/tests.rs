//! Table tests of the query rules: a passing and a failing case per rule.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};

use super::*;

fn raw(body: Value) -> QueryIn {
    serde_json::from_value(body).unwrap()
}

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 5, h, m, 0).unwrap()
}

fn fields(v: &[Violation]) -> Vec<String> {
    v.iter()
        .map(|x| x.field.clone().unwrap_or_default())
        .collect()
}

#[test]
fn the_published_examples_pass() {
    let late = check_query(
        QueryKind::LateOrder,
        raw(json!({"Tenant": "uk", "OrderId": "wiej234idf09i29jijgf4", "RestaurantId": "110230"})),
    )
    .unwrap();
    assert_eq!(late.order_id, "wiej234idf09i29jijgf4");
    assert_eq!(late.tenant.as_deref(), Some("uk"));
    assert_eq!(late.restaurant_id.as_deref(), Some("110230"));
    let comp = check_query(
        QueryKind::LateOrderCompensation,
        raw(json!({"Tenant": "uk", "CompensationOptions": [
            {"IsRecommended": false, "Amount": 200},
            {"IsRecommended": true, "Amount": 300}],
            "OrderId": "x", "RestaurantId": "110230"})),
    )
    .unwrap();
    assert_eq!(
        comp.options,
        vec![
            CompensationOption {
                amount: 200,
                recommended: false
            },
            CompensationOption {
                amount: 300,
                recommended: true
            }
        ]
    );
}

#[test]
fn camel_case_is_accepted() {
    let q = check_query(
        QueryKind::LateOrder,
        raw(json!({"tenant": "uk", "orderId": "a", "restaurantId": 110230})),
    )
    .unwrap();
    assert_eq!(q.order_id, "a");
    assert_eq!(q.restaurant_id.as_deref(), Some("110230"));
}

#[test]
fn every_body_problem_is_named_at_once() {
    let v = check_query(
        QueryKind::LateOrderCompensation,
        raw(json!({"OrderId": " ", "CompensationOptions": [{"Amount": -1}, {"Amount": "2"}]})),
    )
    .unwrap_err();
    assert_eq!(
        fields(&v),
        vec![
            "OrderId",
            "CompensationOptions[0].Amount",
            "CompensationOptions[1].Amount"
        ]
    );
}

fn item(kind: QueryKind) -> ItemState<'static> {
    ItemState {
        kind,
        order_id: "je-1",
        answered_at: None,
        deadline: None,
        offered: &[200, 300],
    }
}

#[test]
fn a_late_order_answer_is_the_spec_body() {
    let a = check_answer(
        &item(QueryKind::LateOrder),
        at(12, 0),
        &json!({"lateOrderStatus": "OnItsWay", "additionalDeliveryTimeToAddMinutes": 10}),
    )
    .unwrap();
    assert_eq!(
        a,
        json!({"lateOrderStatus": "OnItsWay", "additionalDeliveryTimeToAddMinutes": 10})
    );
    // PascalCase in, the schema's camelCase out.
    let b = check_answer(
        &item(QueryKind::LateOrder),
        at(12, 0),
        &json!({"LateOrderStatus": "Preparing"}),
    )
    .unwrap();
    assert_eq!(b, json!({"lateOrderStatus": "Preparing"}));
}

#[test]
fn a_bad_late_order_answer_names_every_problem() {
    let r = check_answer(
        &item(QueryKind::LateOrder),
        at(12, 0),
        &json!({"lateOrderStatus": "Lost", "additionalDeliveryTimeToAddMinutes": -5}),
    );
    match r {
        Err(AnswerRefusal::Invalid(v)) => assert_eq!(
            fields(&v),
            vec!["lateOrderStatus", "additionalDeliveryTimeToAddMinutes"]
        ),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        check_answer(&item(QueryKind::LateOrder), at(12, 0), &json!([1])),
        Err(AnswerRefusal::Invalid(_))
    ));
}

#[test]
fn compensation_answers_follow_the_resolution_schema() {
    let k = QueryKind::LateOrderCompensation;
    assert_eq!(
        check_answer(
            &item(k),
            at(12, 0),
            &json!({"isAccepted": true, "acceptedAmount": 300})
        )
        .unwrap(),
        json!({"isAccepted": true, "acceptedAmount": 300, "orderId": "je-1"})
    );
    assert_eq!(
        check_answer(
            &item(k),
            at(12, 0),
            &json!({"isAccepted": false, "rejectedReasonCode": "BadWeather"})
        )
        .unwrap(),
        json!({"isAccepted": false, "rejectedReasonCode": "BadWeather", "orderId": "je-1"})
    );
    let cases = [
        (json!({}), vec!["isAccepted"]),
        (json!({"isAccepted": true}), vec!["acceptedAmount"]),
        (
            json!({"isAccepted": true, "acceptedAmount": 250}),
            vec!["acceptedAmount"],
        ),
        (
            json!({"isAccepted": true, "acceptedAmount": 200, "rejectedReasonCode": "NoReason"}),
            vec!["rejectedReasonCode"],
        ),
        (json!({"isAccepted": false}), vec!["rejectedReasonCode"]),
        (
            json!({"isAccepted": false, "rejectedReasonCode": "Rain", "acceptedAmount": 200}),
            vec!["rejectedReasonCode", "acceptedAmount"],
        ),
    ];
    for (body, want) in cases {
        match check_answer(&item(k), at(12, 0), &body) {
            Err(AnswerRefusal::Invalid(v)) => assert_eq!(fields(&v), want, "{body}"),
            other => panic!("{body}: {other:?}"),
        }
    }
}

#[test]
fn without_offered_amounts_any_positive_amount_is_taken() {
    let mut it = item(QueryKind::LateOrderCompensation);
    it.offered = &[];
    assert!(check_answer(
        &it,
        at(12, 0),
        &json!({"isAccepted": true, "acceptedAmount": 250})
    )
    .is_ok());
}

#[test]
fn an_answered_item_is_not_answered_again() {
    let mut it = item(QueryKind::LateOrder);
    it.answered_at = Some("2026-12-05T11:00:00.000Z");
    match check_answer(&it, at(12, 0), &json!({"lateOrderStatus": "OnItsWay"})) {
        Err(AnswerRefusal::Conflict { code, message }) => {
            assert_eq!(code, "already_answered");
            assert!(message.contains("2026-12-05T11:00:00.000Z"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_item_past_its_deadline_is_not_answered() {
    let mut it = item(QueryKind::LateOrder);
    it.deadline = Some(at(12, 0));
    assert!(check_answer(&it, at(12, 0), &json!({"lateOrderStatus": "OnItsWay"})).is_ok());
    match check_answer(&it, at(12, 1), &json!({"lateOrderStatus": "OnItsWay"})) {
        Err(AnswerRefusal::Conflict { code, message }) => {
            assert_eq!(code, "deadline_passed");
            assert!(message.contains("2026-12-05T12:00:00Z"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_document_gives_no_answer_path_and_no_deadline() {
    for k in QueryKind::ALL {
        assert_eq!(answer_path(k, "uk", "x"), None);
        assert_eq!(deadline(k, at(12, 0)), None);
        assert_eq!(QueryKind::parse(k.as_str()), Some(k));
    }
    assert_eq!(QueryKind::parse("late-order-query"), None);
}

#[test]
fn an_eligibility_answer_is_the_operators_object() {
    let body = json!({"note": "claimed by phone"});
    assert_eq!(
        check_answer(&item(QueryKind::CompensationEligibility), at(12, 0), &body).unwrap(),
        body
    );
}
