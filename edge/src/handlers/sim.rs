//! The local partner simulator (development only, `SIMULATOR=on`): endpoints that stand in
//! for partners and for parts of the hub that do not exist yet. Off (404) in production.
//! Just Eat's side is `handlers/sim_jet`.
//!
//! `POST /sim/outbound` stages a delivery by hand, through the very path every producer of
//! the hub uses (`outbox::stage` in a commit, then `outbox::kick`), so the outbound path can
//! be exercised before the order endpoints exist:
//!
//! ```json
//! {"receiver": "site_status", "url": "http://127.0.0.1:9000/status", "method": "POST",
//!  "body": {"status": 10}, "order_id": "A-1", "deadline_secs": 180}
//! ```
//!
//! `body` may be any JSON (sent as its serialisation), a string (sent as it is) or absent or
//! `null` (no body; a `GET` must have none); `order_id` orders the deliveries of one order and receiver;
//! `deadline_secs` sets the deadline that many seconds from now.

use orderbridge_core::outbound::plan::ReceiverKind;
use orderbridge_core::outbound::url_guard::check_outbound_url;
use orderbridge_core::problem::Violation;
use orderbridge_core::routes::Method;
use serde_json::{json, Value};
use worker::{Request, Response};

use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::outbox::{self, Outgoing};
use crate::storage::Storage;
use crate::{body, respond};

const MAX_DEADLINE_SECS: i64 = 7 * 24 * 3600;
const MAX_ORDER_ID_LEN: usize = 200;

/// The simulator's one body parser: any JSON value, else `400 invalid_json` on `body`.
fn json_body(bytes: &[u8]) -> Result<Value, EdgeError> {
    serde_json::from_slice(bytes)
        .map_err(|err| EdgeError::invalid("invalid_json", "body", format!("not JSON: {err}")))
}

/// `POST /sim/outbound`.
pub async fn outbound(req: &mut Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    if !ctx.config.simulator {
        return Err(EdgeError::NoRoute);
    }
    let bytes = body::read(req, body::DEFAULT_LIMIT).await?;
    let input = json_body(&bytes)?;
    if !input.is_object() {
        return Err(EdgeError::invalid(
            "invalid_json",
            "body",
            "expected a JSON object",
        ));
    }

    let mut violations = Vec::new();
    let mut text = |field: &str| -> Option<String> {
        match input.get(field).unwrap_or(&Value::Null) {
            Value::String(s) => Some(s.clone()),
            Value::Null => {
                violations.push(Violation::new(
                    "missing_field",
                    Some(field),
                    format!("{field} is required"),
                ));
                None
            }
            _ => {
                violations.push(Violation::new(
                    "invalid_type",
                    Some(field),
                    format!("{field} must be a string"),
                ));
                None
            }
        }
    };
    let receiver_name = text("receiver");
    let url_text = text("url");
    let method_name = text("method");

    let receiver = receiver_name.and_then(|name| {
        let parsed = ReceiverKind::parse(&name);
        if parsed.is_none() {
            let known: Vec<&str> = ReceiverKind::ALL.iter().map(|k| k.as_str()).collect();
            violations.push(Violation::new(
                "invalid_receiver",
                Some("receiver"),
                format!("{name:?} is not one of {}", known.join(", ")),
            ));
        }
        parsed
    });
    let url = url_text.and_then(|url| {
        check_outbound_url(&url, &ctx.config.url_policy())
            .map_err(|refusal| violations.push(refusal.to_violation("url")))
            .ok()
    });
    let method = method_name.and_then(|name| {
        let parsed = Method::parse(&name).filter(|m| {
            matches!(
                m,
                Method::Get | Method::Post | Method::Put | Method::Patch | Method::Delete
            )
        });
        if parsed.is_none() {
            violations.push(Violation::new(
                "invalid_method",
                Some("method"),
                format!("{name:?} is not one of GET, POST, PUT, PATCH, DELETE"),
            ));
        }
        parsed
    });
    let body = match input.get("body").unwrap_or(&Value::Null) {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let order_id = match input.get("order_id").unwrap_or(&Value::Null) {
        Value::Null => None,
        Value::String(s) if !s.is_empty() && s.len() <= MAX_ORDER_ID_LEN => Some(s.clone()),
        _ => {
            violations.push(Violation::new(
                "invalid_order_id",
                Some("order_id"),
                format!("order_id must be a string of 1 to {MAX_ORDER_ID_LEN} bytes"),
            ));
            None
        }
    };
    let deadline_secs = match input.get("deadline_secs").unwrap_or(&Value::Null) {
        Value::Null => None,
        value => match value
            .as_i64()
            .filter(|s| (1..=MAX_DEADLINE_SECS).contains(s))
        {
            Some(secs) => Some(secs),
            None => {
                violations.push(Violation::new(
                    "invalid_deadline",
                    Some("deadline_secs"),
                    format!("deadline_secs must be a whole number from 1 to {MAX_DEADLINE_SECS}"),
                ));
                None
            }
        },
    };
    if method == Some(Method::Get) && !body.is_empty() {
        violations.push(Violation::new(
            "body_not_allowed",
            Some("body"),
            "a GET has no body; leave body out or use another method",
        ));
    }
    let (Some(receiver), Some(url), Some(method), true) =
        (receiver, url, method, violations.is_empty())
    else {
        return Err(EdgeError::violations("invalid_delivery", violations));
    };

    let now = ctx.now.timestamp();
    let outgoing = Outgoing::new(
        receiver,
        order_id.as_deref(),
        method,
        url,
        body,
        now,
        deadline_secs.map(|secs| now + secs),
    )?;
    let storage = Storage::new(ctx.env)?;
    storage.commit(outbox::stage(&storage, &outgoing)?).await?;
    outbox::kick(ctx.env, &[&outgoing.delivery.id]).await;
    Ok(respond::json(
        202,
        &json!({
            "id": outgoing.delivery.id,
            "status": "pending",
            "order_key": outgoing.delivery.order_key,
        }),
    ))
}
