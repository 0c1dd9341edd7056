use super::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn body(json: &str) -> OrderCancelledIn {
    serde_json::from_str(json).expect("the wire type takes any object")
}

#[test]
fn the_specs_example_is_a_cancellation_with_its_reason() {
    let checked = check_cancelled(body(
        r#"{"Event":"OrderCancelled","OrderId":"r23xnwgw7ekyxymuyxbmoq","Reason":"cust_cancelled_changed_mind"}"#,
    ));
    assert_eq!(
        checked,
        Ok(OrderCancelled {
            order_id: "r23xnwgw7ekyxymuyxbmoq".to_owned(),
            reason: Some("cust_cancelled_changed_mind".to_owned()),
        })
    );
    let checked = checked.unwrap_or_else(|_| unreachable!());
    assert!(checked.documented());
    assert_eq!(
        checked.history_reason(),
        "cancelled by Just Eat: cust_cancelled_changed_mind"
    );
}

#[test]
fn camel_case_keys_and_no_event_or_reason_are_accepted() {
    let checked = check_cancelled(body(r#"{"orderId":" 123 "}"#)).expect("accepted");
    assert_eq!(checked.order_id, "123");
    assert_eq!(checked.reason, None);
    assert!(checked.documented());
    assert_eq!(checked.history_reason(), "cancelled by Just Eat");
}

#[test]
fn an_undocumented_reason_is_kept_as_given_and_flagged() {
    let checked = check_cancelled(body(r#"{"OrderId":"1","Reason":"weather"}"#)).expect("accepted");
    assert_eq!(checked.reason.as_deref(), Some("weather"));
    assert!(!checked.documented());
}

#[test]
fn every_problem_is_named_at_once() {
    let found =
        check_cancelled(body(r#"{"Event":"OrderAccepted","OrderId":"  "}"#)).expect_err("refused");
    let fields: Vec<_> = found.iter().map(|v| v.field.as_deref()).collect();
    assert_eq!(fields, vec![Some("OrderId"), Some("Event")]);
    assert!(found[1].message.contains("OrderAccepted"));
}

#[test]
fn an_order_in_progress_is_cancelled_a_cancelled_or_delivered_one_is_left() {
    use DeliveryMethod::{Courier, Pickup};
    for (method, from) in [
        (Courier, Status::New),
        (Courier, Status::Cooking),
        (Courier, Status::Delivering),
        (Pickup, Status::New),
        (Pickup, Status::Cooking),
    ] {
        match on_cancelled(method, from, None) {
            CancelEffect::Cancel(notify) => assert_eq!(notify.status, Status::Cancelled),
            other => panic!("{from:?}: {other:?}"),
        }
    }
    assert_eq!(
        on_cancelled(Courier, Status::Cancelled, None),
        CancelEffect::AlreadyCancelled
    );
    assert_eq!(
        on_cancelled(Courier, Status::Delivered, None),
        CancelEffect::Delivered
    );
}
