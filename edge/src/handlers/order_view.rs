//! An order read back (issue 17 point 5): what `GET /site-api/orders/{order_id}` adds to
//! the status and history, and what `GET /admin/orders/{order_id}` adds for the operator.
//! The edge loads the order's contents, its amendments and its restaurant's zone; core's
//! `order::view` builds the view and decides what the caller may see.
//!
//! The caller is trusted (personal data included) with the right site key
//! (`X-Jup-Api-Key`, [`site_trusted`]) or the right operator key; a key presented wrongly
//! is `401`, so a caller that meant to be trusted hears that it is not.

use chrono::{DateTime, Utc};
use orderbridge_core::console;
use orderbridge_core::domain::UtcOffset;
use orderbridge_core::order::view::{self, Amendment, Audience, OrderView, Stored};
use orderbridge_core::order::{wire, NewOrderRequest};
use orderbridge_core::tz::LocalZone;
use serde_json::{Map, Value};
use worker::{Env, Request};

use crate::auth::{require_operator_key, site_trusted, OPERATOR_KEY_HEADER};
use crate::error::EdgeError;
use crate::storage::{OrderRow, Storage};

/// Whether the request carries the operator key: `false` without the header, `401` with a
/// wrong one.
fn operator(req: &Request, env: &Env) -> Result<bool, EdgeError> {
    if req
        .headers()
        .get(OPERATOR_KEY_HEADER)
        .ok()
        .flatten()
        .is_none()
    {
        return Ok(false);
    }
    require_operator_key(req, env).map(|()| true)
}

/// What the caller may see (core's redaction rule).
pub fn audience(req: &Request, env: &Env) -> Result<Audience, EdgeError> {
    Ok(Audience::of(site_trusted(req, env)?, operator(req, env)?))
}

fn instant(text: &str, what: &str) -> Result<DateTime<Utc>, EdgeError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|err| EdgeError::Internal(format!("stored {what} {text:?}: {err}")))
}

fn contents(text: &str, what: &str) -> Result<NewOrderRequest, EdgeError> {
    wire::parse(text.as_bytes())
        .map_err(|v| EdgeError::Internal(format!("stored {what}: {}", v.message)))
}

/// The view of a stored order for `audience`.
pub async fn load(
    storage: &Storage,
    row: &OrderRow,
    audience: Audience,
) -> Result<OrderView, EdgeError> {
    let stored = storage
        .order_contents(&row.id)
        .await?
        .ok_or_else(|| EdgeError::Internal(format!("order {} has no contents", row.id)))?;
    let request = contents(&stored.request, "order request")?;
    let rows = storage.order_amendments(&row.id).await?;
    let events = storage.order_events(&row.id).await?;
    let mut versions = Vec::with_capacity(rows.len());
    for a in &rows {
        let before = contents(&a.before_request, "amendment before")?;
        let after = match &a.after_request {
            Some(text) => Some(contents(text, "amendment after")?),
            None => None,
        };
        versions.push((before, after, instant(&a.received_at, "received_at")?));
    }
    let amendments: Vec<Amendment<'_>> = rows
        .iter()
        .zip(&versions)
        .map(|(a, (before, after, at))| Amendment {
            source: &a.source,
            received_at: *at,
            before,
            after: after.as_ref(),
        })
        .collect();
    // A restaurant removed since shows the order's times in UTC.
    let zone = match storage.restaurant(&row.restaurant_id).await? {
        Some(r) => crate::zone::local_zone(r.timezone.as_deref(), r.utc_offset),
        None => LocalZone::Fixed(UtcOffset::UTC),
    };
    let order = Stored {
        request: &request,
        zone_id: stored.zone_id.as_deref(),
        discount: row.discount,
        created_at: instant(&row.created_at, "created_at")?,
        updated_at: instant(&row.updated_at, "updated_at")?,
        upstream: row.upstream_token.is_some(),
        events: &events,
    };
    view::view(&order, &amendments, &zone, audience).map_err(|v| {
        EdgeError::Internal(format!(
            "order {}: stored {}: {}",
            row.id,
            v.field.as_deref().unwrap_or("order"),
            v.message
        ))
    })
}

/// Adds the view's fields to an answer that already has the order's own (they never
/// collide; the answer's own stay as they are).
pub fn merge(doc: &mut Value, view: &OrderView) -> Result<(), EdgeError> {
    let fields = match serde_json::to_value(view) {
        Ok(Value::Object(fields)) => fields,
        Ok(_) => Map::new(),
        Err(err) => return Err(EdgeError::Internal(format!("serialising a view: {err}"))),
    };
    if let Some(map) = doc.as_object_mut() {
        for (key, value) in fields {
            map.entry(key).or_insert(value);
        }
    }
    Ok(())
}

/// `GET /admin/orders/{order_id}`: the order's amendments, the notes on them (an
/// amended upstream order's "Jupiter holds the original contents") and its timeline; with
/// `masked` (the console's `personal=masked`) as the public sees them, so a driver's name
/// and number stay out too.
pub async fn add_for_operator(
    storage: &Storage,
    id: &str,
    doc: &mut Value,
    masked: bool,
) -> Result<(), EdgeError> {
    let Some(row) = storage.order(id).await? else {
        return Ok(());
    };
    let view = load(storage, &row, console::extras_audience(masked)).await?;
    let value = |v: serde_json::Result<Value>| {
        v.map_err(|err| EdgeError::Internal(format!("serialising a view: {err}")))
    };
    let amendments = value(serde_json::to_value(&view.amendments))?;
    let notes = value(serde_json::to_value(&view.notes))?;
    let timeline = value(serde_json::to_value(&view.timeline))?;
    if let Some(map) = doc.as_object_mut() {
        map.insert("amendments".to_owned(), amendments);
        map.insert("notes".to_owned(), notes);
        map.insert("timeline".to_owned(), timeline);
    }
    Ok(())
}
