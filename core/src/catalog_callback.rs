//! JET Connect's verdict on a menu the hub relayed (`POST /webhooks/jet/menu-callback`,
//! FACTS §2.9): the rule its body must meet before the hub records it. The edge reads the
//! body (core's [`crate::jet::wire::parse_body`]) and stores what this module accepts.

use crate::jet::wire::MenuCallback;
use crate::problem::Violation;

/// The error codes JET Connect documents for a refused menu.
pub const ERROR_CODES: [&str; 4] = [
    "ERROR_UNKNOWN",
    "CONNECTION_FAILED",
    "INVALID_FORMAT",
    "INVALID_CONFIGURATION",
];

/// Accepts a callback without an `error`, or whose `error.code` is one of
/// [`ERROR_CODES`]; anything else is refused naming `error.code` (code `invalid_callback`).
pub fn check_menu_callback(callback: &MenuCallback) -> Result<(), Violation> {
    match &callback.error {
        Some(error) if !ERROR_CODES.contains(&error.code.as_str()) => Err(Violation::new(
            "invalid_callback",
            Some("error.code"),
            format!("must be one of {}", ERROR_CODES.join(", ")),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn an_error_code_must_be_one_jet_connect_documents() {
        let refused = Err(Violation::new(
            "invalid_callback",
            Some("error.code"),
            "must be one of ERROR_UNKNOWN, CONNECTION_FAILED, INVALID_FORMAT, \
             INVALID_CONFIGURATION",
        ));
        let cases: Vec<(&str, MenuCallback, Result<(), Violation>)> = vec![
            ("success", MenuCallback::succeeded("1"), Ok(())),
            (
                "documented code",
                MenuCallback::failed("1", "INVALID_FORMAT", "bad"),
                Ok(()),
            ),
            (
                "every documented code",
                MenuCallback::failed("1", "INVALID_CONFIGURATION", ""),
                Ok(()),
            ),
            (
                "undocumented code",
                MenuCallback::failed("1", "NOPE", "bad"),
                refused.clone(),
            ),
            (
                "codes are case-sensitive",
                MenuCallback::failed("1", "invalid_format", "bad"),
                refused.clone(),
            ),
            ("empty code", MenuCallback::failed("1", "", "bad"), refused),
        ];
        for (name, callback, want) in cases {
            assert_eq!(check_menu_callback(&callback), want, "{name}");
        }
    }
}
