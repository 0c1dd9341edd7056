//! Errors as each caller's protocol spells them.
//!
//! Every error a caller sees is in the shape of the protocol it called (ARCHITECTURE.md,
//! invariant 6). The edge decides *that* something failed; this module decides *how it
//! looks*, from the path the caller used:
//!
//! | protocol                          | body |
//! |-----------------------------------|------|
//! | Jupiter site API, admin, the rest | `{"error": summary, "errors": [{code, field, message}]}` |
//! | JET Connect partner API           | `{"success": false, "error_message": …}` |
//! | JET Connect webhooks (Just Eat)   | `{"errorMessage": …}` |
//! | JET Cancel Order Notification     | `{"message": …}` (FACTS §8.1) |
//! | Orderconnect                      | `{"errors": [{"code", "message"}]}` |
//!
//! The single-message shapes join every violation into one message, so a caller still
//! learns about all of them at once.

use serde_json::{json, Value};

/// The protocol a caller speaks, known from the path it called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// The Jupiter site API shape; also used for `/admin`, `/health` and unknown paths.
    Jupiter,
    /// JET Connect partner API calls made to us (`/jet-connect/...`).
    JetConnect,
    /// Just Eat calling our JET Connect webhooks (`/webhooks/jet/...`).
    JetWebhook,
    /// Just Eat's Cancel Order Notification, whose errors are `{"message"}` (FACTS §8.1).
    JetNotification,
    /// Just Eat calling our Orderconnect endpoint (`/webhooks/orderconnect/...`).
    Orderconnect,
}

impl Protocol {
    pub fn for_path(path: &str) -> Protocol {
        let under = |prefix: &str| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        if under("/jet-connect") {
            Protocol::JetConnect
        } else if under("/webhooks/jet/orders/cancel") {
            Protocol::JetNotification
        } else if under("/webhooks/jet") {
            Protocol::JetWebhook
        } else if under("/webhooks/orderconnect") {
            Protocol::Orderconnect
        } else {
            Protocol::Jupiter
        }
    }
}

/// One thing wrong with a request: a machine-readable code, the field it concerns (a JSON
/// path such as `cart.items[2].count`, when there is one) and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub code: String,
    pub field: Option<String>,
    pub message: String,
}

impl Violation {
    pub fn new(code: &str, field: Option<&str>, message: impl Into<String>) -> Violation {
        Violation {
            code: code.to_owned(),
            field: field.map(str::to_owned),
            message: message.into(),
        }
    }
}

/// Renders an error body in the caller's protocol. `summary` is the one-line description;
/// `violations` may be empty (for example for `404`), in which case `code` names it.
pub fn render(protocol: Protocol, code: &str, summary: &str, violations: &[Violation]) -> Value {
    match protocol {
        Protocol::Jupiter => {
            let errors: Vec<Value> = if violations.is_empty() {
                vec![json!({"code": code, "field": Value::Null, "message": summary})]
            } else {
                violations
                    .iter()
                    .map(|v| json!({"code": v.code, "field": v.field, "message": v.message}))
                    .collect()
            };
            json!({"error": summary, "errors": errors})
        }
        Protocol::JetConnect => {
            json!({"success": false, "error_message": joined(summary, violations)})
        }
        Protocol::JetWebhook => json!({"errorMessage": joined(summary, violations)}),
        Protocol::JetNotification => json!({"message": joined(summary, violations)}),
        Protocol::Orderconnect => {
            let errors: Vec<Value> = if violations.is_empty() {
                vec![json!({"code": orderconnect_code(code), "message": summary})]
            } else {
                violations
                    .iter()
                    .map(|v| json!({"code": orderconnect_code(&v.code), "message": located(v)}))
                    .collect()
            };
            json!({"errors": errors})
        }
    }
}

/// The reason codes Orderconnect knows (seed `001`). Anything else the hub would say (a
/// missing key, a body too large, its own failure) is told as `other`, with the message
/// saying what it was, since Just Eat acts on the code.
pub const ORDERCONNECT_CODES: [&str; 9] = [
    "outside_hours",
    "too_busy",
    "too_far",
    "not_supported",
    "bad_address",
    "bad_request",
    "restaurant_not_configured",
    "duplicate",
    "other",
];

fn orderconnect_code(code: &str) -> &str {
    if ORDERCONNECT_CODES.contains(&code) {
        code
    } else if INPUT_CODES.contains(&code) {
        "bad_request"
    } else {
        "other"
    }
}

/// The codes of the check at the door ([`crate::input`]): a request Orderconnect sent
/// wrong, so `bad_request` in its terms.
const INPUT_CODES: [&str; 2] = ["invalid_utf8", "non_finite_number"];

fn located(v: &Violation) -> String {
    match &v.field {
        Some(field) => format!("{field}: {}", v.message),
        None => v.message.clone(),
    }
}

fn joined(summary: &str, violations: &[Violation]) -> String {
    if violations.is_empty() {
        return summary.to_owned();
    }
    let details: Vec<String> = violations.iter().map(located).collect();
    format!("{summary}: {}", details.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_protocol_follows_the_path_prefix_on_segment_boundaries() {
        let cases = [
            ("/jet-connect/menus", Protocol::JetConnect),
            ("/jet-connect", Protocol::JetConnect),
            ("/jet-connectx/menus", Protocol::Jupiter),
            ("/webhooks/jet/orders", Protocol::JetWebhook),
            ("/webhooks/jet/orders/final", Protocol::JetWebhook),
            ("/webhooks/jet/orders/cancel", Protocol::JetNotification),
            ("/webhooks/jet/orders/cancelled", Protocol::JetWebhook),
            ("/webhooks/jetty", Protocol::Jupiter),
            ("/webhooks/orderconnect/orders", Protocol::Orderconnect),
            ("/site-api/menu", Protocol::Jupiter),
            ("/admin/restaurants/1", Protocol::Jupiter),
            ("/nowhere", Protocol::Jupiter),
        ];
        for (path, want) in cases {
            assert_eq!(Protocol::for_path(path), want, "{path}");
        }
    }

    fn two() -> Vec<Violation> {
        vec![
            Violation::new(
                "missing",
                Some("menus[0].categories[2].items[5].plu"),
                "missing",
            ),
            Violation::new("bad_type", None, "must be an object"),
        ]
    }

    #[test]
    fn jupiter_errors_keep_the_error_string_and_list_every_violation() {
        let body = render(Protocol::Jupiter, "invalid", "2 problems", &two());
        assert_eq!(body["error"], "2 problems");
        assert_eq!(body["errors"].as_array().map(Vec::len), Some(2));
        assert_eq!(
            body["errors"][0]["field"],
            "menus[0].categories[2].items[5].plu"
        );
        assert_eq!(body["errors"][1]["field"], Value::Null);
        let plain = render(Protocol::Jupiter, "not_found", "no such path", &[]);
        assert_eq!(
            plain,
            json!({"error": "no such path", "errors": [{"code": "not_found", "field": null, "message": "no such path"}]})
        );
    }

    #[test]
    fn single_message_protocols_name_every_violation_in_the_message() {
        let jet = render(Protocol::JetConnect, "invalid", "Menus not valid", &two());
        assert_eq!(jet["success"], false);
        assert_eq!(
            jet["error_message"],
            "Menus not valid: menus[0].categories[2].items[5].plu: missing; must be an object"
        );
        let hook = render(Protocol::JetWebhook, "unauthorized", "HMAC mismatch", &[]);
        assert_eq!(hook, json!({"errorMessage": "HMAC mismatch"}));
        let note = render(
            Protocol::JetNotification,
            "unknown_order",
            "order x is not known",
            &[],
        );
        assert_eq!(note, json!({"message": "order x is not known"}));
    }

    #[test]
    fn orderconnect_errors_carry_one_code_per_violation() {
        let mut vs = two();
        vs[0].code = "bad_request".to_owned();
        let body = render(Protocol::Orderconnect, "other", "x", &vs);
        assert_eq!(body["errors"][0]["code"], "bad_request");
        // A code Orderconnect does not know is told as `other`.
        assert_eq!(body["errors"][1]["code"], "other");
        assert_eq!(body["errors"][1]["message"], "must be an object");
        let plain = render(Protocol::Orderconnect, "not_found", "no such path", &[]);
        assert_eq!(
            plain,
            json!({"errors": [{"code": "other", "message": "no such path"}]})
        );
        let door = render(
            Protocol::Orderconnect,
            "invalid_input",
            "x",
            &[Violation::new("invalid_utf8", Some("zz"), "not UTF-8")],
        );
        assert_eq!(
            door,
            json!({"errors": [{"code": "bad_request", "message": "zz: not UTF-8"}]})
        );
        let dup = render(Protocol::Orderconnect, "duplicate", "seen", &[]);
        assert_eq!(dup["errors"][0]["code"], "duplicate");
    }
}
