//! Table tests of the amendment rules: a passing and a failing case per rule.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use serde_json::json;

use super::*;

fn order() -> BTreeMap<String, i64> {
    let o: ReceiveOrder = serde_json::from_value(json!({
        "items": [{"plu": "M2"}, {"plu": "M2"}, {"plu": ""}],
        "promotions": [{"type": "FREE_ITEM", "items": [{"plu": "D1"}]}]
    }))
    .unwrap();
    ordered(&o)
}

fn raw(v: Value) -> AmendmentIn {
    serde_json::from_value(v).unwrap()
}

fn fields(r: Result<Value, AmendRefusal>) -> Vec<String> {
    match r {
        Err(AmendRefusal::Invalid(v)) => {
            v.into_iter().map(|x| x.field.unwrap_or_default()).collect()
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn units_are_counted_per_plu_promoted_items_included() {
    assert_eq!(
        order(),
        BTreeMap::from([("D1".to_owned(), 1), ("M2".to_owned(), 2)])
    );
}

#[test]
fn a_valid_amendment_is_the_specs_body() {
    let body = check(
        raw(json!({"items": [{"plu": "M2", "missingQuantity": 1}, {"plu": "D1", "missingQuantity": 1}]})),
        &order(),
        Status::Cooking,
        None,
    )
    .unwrap();
    assert_eq!(
        body,
        json!({"items": [
            {"reason": "missing", "plu": "M2", "missingQuantity": 1},
            {"reason": "missing", "plu": "D1", "missingQuantity": 1}
        ]})
    );
    // PascalCase accepted.
    assert!(check(
        raw(json!({"Items": [{"PLU": "M2", "MissingQuantity": 2}]})),
        &order(),
        Status::New,
        None
    )
    .is_ok());
}

#[test]
fn every_line_problem_is_named_at_once() {
    let r = check(
        raw(json!({"items": [
            {"missingQuantity": 1},
            {"plu": "X9", "missingQuantity": 1},
            {"plu": "D1", "missingQuantity": 0},
            {"plu": "M2", "missingQuantity": 2},
            {"plu": "M2", "missingQuantity": 1}
        ]})),
        &order(),
        Status::Cooking,
        None,
    );
    assert_eq!(
        fields(r),
        vec![
            "items[0].plu",
            "items[1].plu",
            "items[2].missingQuantity",
            "items[4].missingQuantity"
        ]
    );
    assert_eq!(
        fields(check(raw(json!({})), &order(), Status::New, None)),
        vec!["items"]
    );
}

#[test]
fn an_order_is_amended_once() {
    match check(
        raw(json!({"items": [{"plu": "M2", "missingQuantity": 1}]})),
        &order(),
        Status::Cooking,
        Some("2026-12-05T12:00:00.000Z"),
    ) {
        Err(AmendRefusal::Conflict { code, message }) => {
            assert_eq!(code, "already_amended");
            assert!(message.contains("2026-12-05T12:00:00.000Z"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_closed_order_is_not_amended() {
    for status in [Status::Cancelled, Status::Delivered] {
        assert!(matches!(
            check(
                raw(json!({"items": [{"plu": "M2", "missingQuantity": 1}]})),
                &order(),
                status,
                None
            ),
            Err(AmendRefusal::Conflict {
                code: "order_closed",
                ..
            })
        ));
    }
    assert!(check(
        raw(json!({"items": [{"plu": "M2", "missingQuantity": 1}]})),
        &order(),
        Status::Delivering,
        None
    )
    .is_ok());
}

#[test]
fn the_path_encodes_its_parts() {
    assert_eq!(
        path("je-uk-example", "00025doahk2txeo9ttd0ma"),
        "/orders/je-uk-example/00025doahk2txeo9ttd0ma/amend"
    );
    assert_eq!(path("a b", "x/y"), "/orders/a%20b/x%2Fy/amend");
}

#[test]
fn progress_is_one_of_the_specs_states() {
    assert_eq!(
        progress_state(&json!({"orderId": "00025doahk2txeo9ttd0ma", "state": "accepted"})),
        Ok("accepted")
    );
    assert!(progress_state(&json!({"state": "done"})).is_err());
    assert!(progress_state(&json!({"orderId": "x"})).is_err());
}
