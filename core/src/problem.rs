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
//!
//! Every validator reports into one collector, [`Violations`], naming each field with a
//! [`Path`] that is written out only when a violation is recorded: a valid document costs
//! no path string.

use std::fmt;

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
    /// Just Eat's Cancel Order and Driver Status Notifications (the ordering universal
    /// connector's), whose errors are `{"message"}` (FACTS §8.1).
    JetNotification,
    /// Just Eat calling our Orderconnect endpoint (`/webhooks/orderconnect/...`) or its
    /// Partner API webhooks (`/webhooks/just-eat/...`): the same partner, the same shape.
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
        } else if under("/webhooks/jet/orders/cancel")
            || under("/webhooks/jet/orders/driver-status")
            || under("/webhooks/jet/orders/backup-flow")
            || under("/webhooks/jet/restaurants")
        {
            Protocol::JetNotification
        } else if under("/webhooks/jet") {
            Protocol::JetWebhook
        } else if under("/webhooks/orderconnect") || under("/webhooks/just-eat") {
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

/// Where in a document a violation is: a JSON path such as `cart.items[2].count`, kept as
/// a chain of borrowed frames on the stack and written out only when a violation is
/// recorded, so a valid document (a 5,000-item menu, an order with many lines) builds no
/// path string at all.
#[derive(Debug, Clone, Copy)]
pub enum Path<'p> {
    /// A top-level field, or a fixed dotted prefix (`payment.final`).
    Root(&'p str),
    /// `parent.name` (a field, or a key of a JSON object).
    Field(&'p Path<'p>, &'p str),
    /// `parent[i]`.
    Index(&'p Path<'p>, usize),
}

impl<'p> Path<'p> {
    pub const fn root(name: &'p str) -> Path<'p> {
        Path::Root(name)
    }

    /// `self.name`.
    pub fn field(&'p self, name: &'p str) -> Path<'p> {
        Path::Field(self, name)
    }

    /// `self[i]`.
    pub fn index(&'p self, i: usize) -> Path<'p> {
        Path::Index(self, i)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root(root) => f.write_str(root),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// Every violation of one document, collected as it is walked, in the order found. A path
/// is anything printable (a [`Path`], a `&str`) and is written out only by [`push`] and
/// the other recording calls, never for a value that passes.
///
/// [`push`]: Violations::push
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Violations(Vec<Violation>);

impl Violations {
    pub fn new() -> Violations {
        Violations(Vec::new())
    }

    /// Records a violation `code` at `path`.
    pub fn push(&mut self, code: &str, path: impl fmt::Display, message: impl Into<String>) {
        self.0.push(Violation {
            code: code.to_owned(),
            field: Some(path.to_string()),
            message: message.into(),
        });
    }

    /// Records a violation made elsewhere (a `parse` that names its own field).
    pub fn add(&mut self, violation: Violation) {
        self.0.push(violation);
    }

    /// The value of `result`, or `None` after recording its violation.
    pub fn take<T>(&mut self, result: Result<T, Violation>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(v) => {
                self.0.push(v);
                None
            }
        }
    }

    /// [`take`](Violations::take) for a `parse` given a field relative to `path` (usually
    /// `""`, so that a valid value costs no path): the violation's field is written after
    /// `path` (`""` → `path`).
    pub fn take_at<T>(
        &mut self,
        result: Result<T, Violation>,
        path: impl fmt::Display,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(v) => {
                self.extend_at([v], path);
                None
            }
        }
    }

    /// Records violations whose fields are relative to `path`, each written after it
    /// (`"[3][0]"` → `path[3][0]`, `""` or none → `path`).
    pub fn extend_at(
        &mut self,
        violations: impl IntoIterator<Item = Violation>,
        path: impl fmt::Display,
    ) {
        for mut v in violations {
            v.field = Some(format!("{path}{}", v.field.unwrap_or_default()));
            self.0.push(v);
        }
    }

    pub fn extend(&mut self, violations: impl IntoIterator<Item = Violation>) {
        self.0.extend(violations);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn as_slice(&self) -> &[Violation] {
        &self.0
    }

    pub fn into_vec(self) -> Vec<Violation> {
        self.0
    }

    /// `value` when nothing was recorded, else every violation.
    pub fn into_result<T>(self, value: T) -> Result<T, Vec<Violation>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
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
            (
                "/webhooks/jet/orders/driver-status",
                Protocol::JetNotification,
            ),
            (
                "/webhooks/jet/orders/backup-flow",
                Protocol::JetNotification,
            ),
            (
                "/webhooks/jet/restaurants/temp-offline",
                Protocol::JetNotification,
            ),
            ("/webhooks/jet/orders/cancelled", Protocol::JetWebhook),
            ("/webhooks/jetty", Protocol::Jupiter),
            ("/webhooks/orderconnect/orders", Protocol::Orderconnect),
            ("/webhooks/just-eat/order-cancelled", Protocol::Orderconnect),
            ("/site-api/menu", Protocol::Jupiter),
            ("/admin/restaurants/1", Protocol::Jupiter),
            ("/nowhere", Protocol::Jupiter),
        ];
        for (path, want) in cases {
            assert_eq!(Protocol::for_path(path), want, "{path}");
        }
    }

    #[test]
    fn a_path_is_written_out_as_the_json_path_it_names() {
        // Each frame borrows its parent, so a chain is built one binding at a time (or
        // inside the one call that records a violation).
        let cart = Path::root("cart.items");
        let line = cart.index(2);
        let modifiers = line.field("modifiers");
        let modifier = modifiers.index(0);
        let menus = Path::root("menus");
        let menu = menus.index(0);
        let availability = menu.field("availability");
        let monday = availability.field("monday");
        let cases: [(Path<'_>, &str); 6] = [
            (Path::root("id"), "id"),
            (Path::root("payment.final"), "payment.final"),
            (line, "cart.items[2]"),
            (line.field("count"), "cart.items[2].count"),
            (modifier.field("id"), "cart.items[2].modifiers[0].id"),
            (monday.index(1), "menus[0].availability.monday[1]"),
        ];
        for (path, want) in cases {
            assert_eq!(path.to_string(), want);
        }
    }

    #[test]
    fn the_collector_keeps_every_violation_in_order_and_passes_a_clean_document() {
        let clean = Violations::new();
        assert!(clean.is_empty());
        assert_eq!(clean.into_result(7), Ok(7));

        let items = Path::root("items");
        let mut out = Violations::new();
        out.push("missing_field", items.index(1).field("plu"), "is required");
        out.push("invalid_order", "payment", "is required");
        assert_eq!(out.take(Ok::<_, Violation>(5)), Some(5));
        assert_eq!(
            out.take::<()>(Err(Violation::new("bad", None, "unplaced"))),
            None
        );
        // A parse told no field ("") is placed at the path, one told a relative field
        // below it.
        let id = Path::root("zones");
        let id = id.index(3);
        assert_eq!(
            out.take_at::<()>(
                Err(Violation::new("missing", Some(""), "empty")),
                id.field("id")
            ),
            None
        );
        out.extend_at(
            [Violation::new(
                "out_of_range",
                Some("[4][1]"),
                "too far north",
            )],
            id.field("coordinates"),
        );
        out.extend([Violation::new("x", Some("y"), "z")]);
        out.add(Violation::new("a", Some("b"), "c"));
        assert_eq!(out.len(), 7);
        let want = [
            ("missing_field", Some("items[1].plu"), "is required"),
            ("invalid_order", Some("payment"), "is required"),
            ("bad", None, "unplaced"),
            ("missing", Some("zones[3].id"), "empty"),
            (
                "out_of_range",
                Some("zones[3].coordinates[4][1]"),
                "too far north",
            ),
            ("x", Some("y"), "z"),
            ("a", Some("b"), "c"),
        ]
        .map(|(code, field, message)| Violation::new(code, field, message));
        assert_eq!(out.as_slice(), want.as_slice());
        assert_eq!(out.clone().into_result(()), Err(want.to_vec()));
        assert_eq!(out.into_vec(), want.to_vec());
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
