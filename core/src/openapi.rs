//! The OpenAPI 3.1 document of the hub, `web/openapi.json`, served at
//! `GET /openapi.json`.
//!
//! The document is written by hand (it is the front-end developer's reference, with prose
//! and examples from `fixtures/`) and compiled in here, so the edge serves exactly the file
//! the tests read. It cannot drift from the route table: the tests below compare every
//! method and path of [`ROUTES`](crate::routes::ROUTES) with the document's, both ways.
//! The end-to-end suite checks the responses themselves against the document's schemas.

/// The document, as served.
pub const DOCUMENT: &str = include_str!("../../web/openapi.json");

/// Routes the document leaves out on purpose: the development-only simulator (off in
/// production, where these answer 404), which plays Just Eat's side for local testing and
/// is not an API anyone integrates with. Listed one by one, so that a new route never goes
/// undocumented by accident.
pub const UNDOCUMENTED: &[&str] = &["/sim/jet/calls", "/sim/jet/orders", "/sim/outbound"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::ROUTES;
    use serde_json::Value;
    use std::collections::BTreeSet;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const METHODS: &[&str] = &["get", "head", "post", "put", "patch", "delete", "options"];

    fn document() -> Value {
        serde_json::from_str(DOCUMENT).unwrap_or_else(|e| panic!("openapi.json is not JSON: {e}"))
    }

    /// `(METHOD, path)` of every operation in the document.
    fn documented(doc: &Value) -> BTreeSet<(String, String)> {
        let mut found = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for method in METHODS {
                if item.get(*method).is_some() {
                    found.insert((method.to_uppercase(), path.clone()));
                }
            }
        }
        found
    }

    fn routed() -> BTreeSet<(String, String)> {
        ROUTES
            .iter()
            .filter(|r| !UNDOCUMENTED.contains(&r.pattern))
            .map(|r| (r.method.as_str().to_owned(), r.pattern.to_owned()))
            .collect()
    }

    #[test]
    fn every_route_is_documented_and_every_documented_operation_is_routed() {
        let doc = document();
        let (documented, routed) = (documented(&doc), routed());
        let missing: Vec<_> = routed.difference(&documented).collect();
        let extra: Vec<_> = documented.difference(&routed).collect();
        assert!(
            missing.is_empty(),
            "routes missing from web/openapi.json: {missing:?}"
        );
        assert!(
            extra.is_empty(),
            "operations in web/openapi.json that no route serves: {extra:?}"
        );
    }

    #[test]
    fn the_undocumented_list_names_only_routes_that_exist() {
        for pattern in UNDOCUMENTED {
            assert!(
                ROUTES.iter().any(|r| r.pattern == *pattern),
                "{pattern} is listed as undocumented but is not a route"
            );
        }
    }

    #[test]
    fn the_document_is_openapi_3_1_of_this_version() {
        let doc = document();
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["info"]["version"], crate::VERSION);
    }

    /// Every `$ref` in the document, with where it was found.
    fn refs(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    if k == "$ref" {
                        if let Some(target) = v.as_str() {
                            out.push((at.to_owned(), target.to_owned()));
                        }
                    } else {
                        refs(v, &format!("{at}/{k}"), out);
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    refs(v, &format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_reference_resolves_inside_the_document() {
        let doc = document();
        let mut found = Vec::new();
        refs(&doc, "", &mut found);
        assert!(!found.is_empty());
        for (at, target) in found {
            let pointer = target.strip_prefix('#').unwrap_or("not local");
            assert!(
                doc.pointer(pointer).is_some(),
                "{at}: {target} resolves to nothing"
            );
        }
    }

    #[test]
    fn every_operation_names_its_auth_and_documents_an_error() {
        let doc = document();
        let schemes = &doc["components"]["securitySchemes"];
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for method in METHODS {
                let Some(op) = item.get(*method) else {
                    continue;
                };
                let security = op["security"]
                    .as_array()
                    .unwrap_or_else(|| panic!("{method} {path}: no security"));
                for requirement in security.iter().filter_map(Value::as_object) {
                    for scheme in requirement.keys() {
                        assert!(schemes.get(scheme).is_some(), "{method} {path}: {scheme}");
                    }
                }
                let names: Vec<&str> = security
                    .iter()
                    .filter_map(Value::as_object)
                    .flat_map(|r| r.keys().map(String::as_str))
                    .collect();
                // Operator routes take the key or, instead, a console session cookie; sign-in
                // takes neither, and the session's own read and sign-out only the cookie.
                let wanted: Option<&[&str]> = match (path.as_str(), *method) {
                    ("/admin/session", "post") => Some(&[]),
                    ("/admin/session", _) => Some(&["consoleSession"]),
                    (p, _) if p.starts_with("/admin/") || p.starts_with("/jet-connect/") => {
                        Some(&["operatorKey", "consoleSession"])
                    }
                    ("/site-api/client", _) => Some(&["siteKey"]),
                    (p, _) if p.starts_with("/webhooks/jet/orders") => Some(&["jetHash"]),
                    (p, _) if p.starts_with("/webhooks/orderconnect/") => {
                        Some(&["orderconnectKey"])
                    }
                    _ => None,
                };
                if let Some(wanted) = wanted {
                    assert_eq!(names, wanted, "{method} {path}: the auth header");
                }
                // A session-authenticated state change can be refused as cross-site.
                let cookie = names.contains(&"consoleSession");
                let changes = !matches!(*method, "get" | "head" | "options");
                assert!(
                    !(cookie && changes) || op["responses"].get("403").is_some(),
                    "{method} {path}: a session state change documents 403 csrf"
                );
                let responses = op["responses"]
                    .as_object()
                    .unwrap_or_else(|| panic!("{method} {path}: no responses"));
                assert!(
                    responses.keys().any(|s| s.starts_with('2')),
                    "{method} {path}: no success response"
                );
                // A preflight and the static document cannot fail; everything else can.
                let can_fail = *method != "options" && path != "/openapi.json";
                assert!(
                    !can_fail
                        || responses
                            .keys()
                            .any(|s| s.starts_with('4') || s.starts_with('5')),
                    "{method} {path}: no error response"
                );
            }
        }
    }
}
