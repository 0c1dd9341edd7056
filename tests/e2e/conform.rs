//! Responses checked against the OpenAPI document (`web/openapi.json`): the operation
//! of a method and path, the response of a status, the body against its JSON Schema
//! (2020-12, OpenAPI 3.1's dialect, with the document's `components` in scope for `$ref`).
//!
//! [`validate`] takes a path pattern as the document writes it; [`check`] takes the path a
//! test requested (query and all), finds its pattern and panics on a mismatch, so that any
//! suite's request helper can call it on every answer.

use std::sync::OnceLock;

use orderbridge_e2e::{repo_root, Reply};
use serde_json::{json, Value};

/// The document, read once per run from the file the Worker compiles in.
fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let path = repo_root().join("web/openapi.json");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    })
}

/// Follows a local `$ref` (`#/components/...`) if the value is one.
fn deref(value: &Value) -> &Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(target) => document()
            .pointer(target.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("openapi.json: {target} resolves to nothing")),
        None => value,
    }
}

/// The documented pattern a concrete path (without its query) falls under, if any.
pub fn pattern_of(path: &str) -> Option<String> {
    let path = path.split('?').next().unwrap_or(path);
    let path = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    let wanted: Vec<&str> = path.split('/').collect();
    document()["paths"]
        .as_object()?
        .keys()
        .find(|pattern| {
            let segments: Vec<&str> = pattern.split('/').collect();
            segments.len() == wanted.len()
                && segments.iter().zip(&wanted).all(|(p, w)| {
                    (p.starts_with('{') && p.ends_with('}') && !w.is_empty()) || p == w
                })
        })
        .cloned()
}

/// Checks one answer against the document: the operation `method pattern` must exist, the
/// status must be one of its documented responses, and a JSON body must match that
/// response's schema. Bodies of responses without content (204, 304) are not read.
pub fn validate(method: &str, pattern: &str, status: u16, body: &str) -> Result<(), String> {
    let doc = document();
    let operation = doc["paths"]
        .get(pattern)
        .and_then(|item| item.get(method.to_lowercase()))
        .ok_or_else(|| format!("{method} {pattern} is not in openapi.json"))?;
    let response = operation["responses"]
        .get(status.to_string())
        .or_else(|| operation["responses"].get("default"))
        .map(deref)
        .ok_or_else(|| format!("{method} {pattern}: status {status} is not documented"))?;
    let Some(schema) = response.pointer("/content/application~1json/schema") else {
        return Ok(());
    };
    let instance: Value = serde_json::from_str(body).map_err(|e| {
        format!("{method} {pattern} {status}: the body is not JSON ({e}): {body:?}")
    })?;
    // The response schema with the document's components beside it, so that its
    // `#/components/schemas/...` references resolve as they do in the document.
    let root = json!({"allOf": [schema], "components": doc["components"]});
    let validator = jsonschema::draft202012::new(&root)
        .map_err(|e| format!("{method} {pattern} {status}: the schema does not compile: {e}"))?;
    let problems: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("at {}: {e}", e.instance_path()))
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{method} {pattern} {status} does not match openapi.json:\n  {}\nbody: {body}",
            problems.join("\n  ")
        ))
    }
}

/// [`validate`] for a reply to `method path` (a concrete path, query allowed). Paths the
/// document does not have (tests of unknown paths) and `405`s (a method a path does not
/// serve) are the router's generic answers and are not checked here.
pub fn check(method: &str, path: &str, reply: &Reply) {
    let Some(pattern) = pattern_of(path) else {
        return;
    };
    if reply.status == 405 {
        return;
    }
    if let Err(why) = validate(method, &pattern, reply.status, &reply.body) {
        panic!("{why}");
    }
}
