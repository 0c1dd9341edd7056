use super::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn temp(json: &str) -> TempOfflineIn {
    serde_json::from_str(json).expect("the wire type takes any object")
}

fn backup(json: &str) -> BackupFlowIn {
    serde_json::from_str(json).expect("the wire type takes any object")
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

const TEMP_EXAMPLE: &str =
    include_str!("../../../../fixtures/just-eat/restaurant-temp-offline-request.json");
const BACKUP_EXAMPLE: &str =
    include_str!("../../../../fixtures/just-eat/failed-order-for-backup-flow-request.json");

#[test]
fn the_specs_temp_offline_shape_takes_the_restaurant_offline() {
    let note = check_temp_offline(temp(TEMP_EXAMPLE)).expect("accepted");
    assert_eq!(note.restaurant, "string");
    assert_eq!(note.changed_at, utc("2019-08-24T14:15:22Z"));
    assert_eq!(
        note.offline_services,
        vec!["delivery", "collection", "dineIn"]
    );
    assert_eq!(note.reasons, vec!["string".to_owned()]);
    assert!(note.offline());
    assert_eq!(
        on_temp_offline(&note, None),
        TempOfflineEffect::Apply { online: false }
    );
}

#[test]
fn pascal_case_a_numeric_id_offsets_and_fractions_are_accepted() {
    let note = check_temp_offline(temp(
        r#"{"RestaurantId": 55303, "LastChangedTimeStampUtc": "2024-05-21T16:19:13.123456+03:00",
            "Delivery": {"IsOffline": false}, "Collection": {}}"#,
    ))
    .expect("accepted");
    assert_eq!(note.restaurant, "55303");
    assert_eq!(note.changed_at, utc("2024-05-21T13:19:13.123456Z"));
    assert!(note.offline_services.is_empty());
    assert!(!note.offline());
}

#[test]
fn only_delivery_or_collection_decides_dine_in_never_does() {
    for (body, offline) in [
        (r#"{"delivery": {"isOffline": true}}"#, true),
        (r#"{"collection": {"isOffline": true}}"#, true),
        (r#"{"dineIn": {"isOffline": true}}"#, false),
        (
            r#"{"delivery": {"isOffline": false}, "collection": {"isOffline": false}}"#,
            false,
        ),
    ] {
        let mut doc: Value = serde_json::from_str(body).expect("json");
        doc["restaurantId"] = Value::from("r1");
        doc["lastChangedTimeStampUtc"] = Value::from("2024-01-01T00:00:00Z");
        let note = check_temp_offline(temp(&doc.to_string())).expect("accepted");
        assert_eq!(note.offline(), offline, "{body}");
        assert_eq!(
            on_temp_offline(&note, None),
            TempOfflineEffect::Apply { online: !offline },
            "{body}"
        );
    }
}

#[test]
fn every_temp_offline_problem_is_named_at_once() {
    let found = check_temp_offline(temp(
        r#"{"restaurantId": "  ", "lastChangedTimeStampUtc": "yesterday"}"#,
    ))
    .expect_err("refused");
    let fields: Vec<_> = found.iter().map(|v| v.field.as_deref()).collect();
    assert_eq!(
        fields,
        vec![
            Some("restaurantId"),
            Some("lastChangedTimeStampUtc"),
            Some("delivery")
        ]
    );
    assert!(found[1].message.contains("yesterday"), "{found:?}");
    let found = check_temp_offline(temp("{}")).expect_err("refused");
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[1].message.contains("required"), "{found:?}");
}

#[test]
fn a_repeat_or_an_older_notification_changes_nothing() {
    let note = check_temp_offline(temp(TEMP_EXAMPLE)).expect("accepted");
    let at = note.changed_at;
    assert_eq!(on_temp_offline(&note, Some(at)), TempOfflineEffect::Repeat);
    assert_eq!(
        on_temp_offline(&note, Some(at + chrono::Duration::seconds(1))),
        TempOfflineEffect::Stale
    );
    assert_eq!(
        on_temp_offline(&note, Some(at - chrono::Duration::seconds(1))),
        TempOfflineEffect::Apply { online: false }
    );
}

#[test]
fn the_specs_backup_flow_example_is_recorded_under_its_order_id() {
    let note = check_backup_flow(backup(BACKUP_EXAMPLE)).expect("accepted");
    assert_eq!(note.jet_order_id.as_deref(), Some("qxsjixwvuemnvb4ootr9rg"));
    assert_eq!(note.reference.as_deref(), Some("1806363209"));
    assert_eq!(note.jet_restaurant.as_deref(), Some("55303"));
    assert_eq!(
        note.unknown_reference.as_deref(),
        Some("6440352f-cb04-4d48-b3ed-d945f010c627")
    );
    assert_eq!(
        note.menu_id.as_deref(),
        Some("2d4006f6-6b85-496e-9d41-523e75a91b0f")
    );
    assert!(note.reason.contains("Peri Peri Chicken Wrap"));
    assert_eq!(note.key("abc"), "qxsjixwvuemnvb4ootr9rg");
}

#[test]
fn a_backup_flow_without_an_order_is_keyed_by_its_digest() {
    let note =
        check_backup_flow(backup(r#"{"ValidationError": " menu missing "}"#)).expect("accepted");
    assert_eq!(note.reason, "menu missing");
    assert_eq!(note.jet_order_id, None);
    assert_eq!(note.key("abc"), "body:abc");
}

#[test]
fn every_backup_flow_problem_is_named_at_once() {
    let found =
        check_backup_flow(backup(r#"{"validationError": " ", "order": 5}"#)).expect_err("refused");
    let fields: Vec<_> = found.iter().map(|v| v.field.as_deref()).collect();
    assert_eq!(fields, vec![Some("validationError"), Some("order")]);
}

fn status(json: &str) -> RestaurantStatusIn {
    serde_json::from_str(json).expect("the wire type takes any object")
}

const STATUS_EXAMPLE: &str =
    include_str!("../../../../fixtures/just-eat/restaurant-offline-status-request.json");

#[test]
fn the_specs_offline_status_example_takes_the_restaurant_offline() {
    let checked =
        check_restaurant_status(status(STATUS_EXAMPLE), StatusHook::Offline).expect("accepted");
    assert_eq!(
        checked,
        RestaurantStatus {
            restaurant: "123456".to_owned(),
            online: false,
            tenant: Some("uk".to_owned()),
            allow_restaurant_override: Some(false),
        }
    );
}

#[test]
fn offline_status_with_is_offline_false_or_absent_decides_by_it() {
    let online = check_restaurant_status(
        status(r#"{"RestaurantId": "1", "IsOffline": false}"#),
        StatusHook::Offline,
    )
    .expect("accepted");
    assert!(online.online);
    let offline = check_restaurant_status(status(r#"{"restaurantId": 7}"#), StatusHook::Offline)
        .expect("accepted");
    assert_eq!(offline.restaurant, "7");
    assert!(!offline.online);
}

#[test]
fn online_status_brings_the_restaurant_back() {
    for body in [
        r#"{"RestaurantId": "123456", "Tenant": "uk"}"#,
        r#"{"RestaurantId": "123456", "IsOffline": false}"#,
    ] {
        let checked = check_restaurant_status(status(body), StatusHook::Online).expect("accepted");
        assert!(checked.online, "{body}");
    }
}

#[test]
fn every_restaurant_status_problem_is_named_at_once() {
    let found = check_restaurant_status(
        status(r#"{"RestaurantId": " ", "IsOffline": true}"#),
        StatusHook::Online,
    )
    .expect_err("refused");
    let fields: Vec<_> = found.iter().map(|v| v.field.as_deref()).collect();
    assert_eq!(fields, vec![Some("RestaurantId"), Some("IsOffline")]);
    let found = check_restaurant_status(status("{}"), StatusHook::Offline).expect_err("refused");
    assert_eq!(found.len(), 1);
}

const INGESTION_EXAMPLE: &str =
    include_str!("../../../../fixtures/just-eat/menu-ingestion-complete-request.json");

fn ingestion(json: &str) -> MenuIngestionIn {
    serde_json::from_str(json).expect("the wire type takes any object")
}

#[test]
fn the_specs_menu_ingestion_example_is_a_failure_with_its_errors() {
    let checked = check_menu_ingestion(ingestion(INGESTION_EXAMPLE)).expect("accepted");
    assert_eq!(checked.result.as_deref(), Some("fail"));
    assert_eq!(checked.tenant.as_deref(), Some("uk"));
    assert_eq!(checked.restaurant.as_deref(), Some("123456"));
    assert_eq!(checked.finished_at, Some(utc("2020-01-01T00:00:00Z")));
    assert_eq!(checked.errors.len(), 2);
    assert_eq!(checked.errors[0].code.as_deref(), Some("123"));
    assert_eq!(
        checked.key("abc"),
        "64bef5ee-7265-47f8-9aee-28bc74f00b13:123456"
    );
}

#[test]
fn an_empty_menu_ingestion_report_is_kept_under_its_digest() {
    let checked = check_menu_ingestion(ingestion(r#"{"Result": "SUCCESS"}"#)).expect("accepted");
    assert_eq!(checked.result.as_deref(), Some("success"));
    assert!(checked.errors.is_empty());
    assert_eq!(checked.key("abc"), "body:abc");
}

#[test]
fn every_menu_ingestion_problem_is_named_at_once() {
    let found = check_menu_ingestion(ingestion(r#"{"result": "maybe", "timestamp": "later"}"#))
        .expect_err("refused");
    let fields: Vec<_> = found.iter().map(|v| v.field.as_deref()).collect();
    assert_eq!(fields, vec![Some("result"), Some("timestamp")]);
    assert!(found[0].message.contains("maybe"));
}

#[test]
fn an_order_time_update_is_read_from_the_published_example_and_every_problem_is_named() {
    let example: OrderTimeIn = serde_json::from_value(serde_json::json!({
        "upperBoundMinutes": 50, "serviceType": "Delivery", "dayOfWeek": "Monday",
        "lowerBoundMinutes": 35, "restaurantId": "123456"
    }))
    .unwrap_or_default();
    assert_eq!(
        check_order_time(example),
        Ok(OrderTime {
            restaurant: "123456".into(),
            service_type: "Delivery",
            day: "monday",
            lower_minutes: 35,
            upper_minutes: 50,
        })
    );
    let pascal: OrderTimeIn = serde_json::from_value(serde_json::json!({
        "UpperBoundMinutes": 0, "ServiceType": "collection", "DayOfWeek": "SUNDAY",
        "LowerBoundMinutes": 0, "RestaurantId": 42
    }))
    .unwrap_or_default();
    let got = check_order_time(pascal).unwrap_or_else(|v| panic!("{v:?}"));
    assert_eq!(
        (got.service_type, got.day, got.restaurant.as_str()),
        ("Collection", "sunday", "42")
    );
    let bad: OrderTimeIn = serde_json::from_value(serde_json::json!({
        "upperBoundMinutes": 30, "serviceType": "DineIn", "dayOfWeek": "Funday",
        "lowerBoundMinutes": 45
    }))
    .unwrap_or_default();
    let found = check_order_time(bad).expect_err("refused");
    let fields: Vec<&str> = found.iter().filter_map(|v| v.field.as_deref()).collect();
    assert_eq!(
        fields,
        [
            "restaurantId",
            "serviceType",
            "dayOfWeek",
            "lowerBoundMinutes"
        ]
    );
    let out_of_range: OrderTimeIn = serde_json::from_value(serde_json::json!({
        "upperBoundMinutes": 2000, "serviceType": "Delivery", "dayOfWeek": "Monday",
        "lowerBoundMinutes": 1.5, "restaurantId": "1"
    }))
    .unwrap_or_default();
    let found = check_order_time(out_of_range).expect_err("refused");
    let fields: Vec<&str> = found.iter().filter_map(|v| v.field.as_deref()).collect();
    assert_eq!(fields, ["lowerBoundMinutes", "upperBoundMinutes"]);
}
