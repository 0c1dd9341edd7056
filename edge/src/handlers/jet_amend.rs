//! Order amendment (issue 18; core's `jet::amend` has the rules):
//! `POST /admin/orders/{order_id}/amendment` marks items of a JET Connect order out of stock
//! and stages JET Connect's `POST /orders/{JET_BRAND_SLUG}/{orderId}/amend` through the
//! outbox (`JET_ORDERING_URL`, `X-Flyt-Api-Key` attached at send time), once per order;
//! `GET` reads it back, and with `?progress=true` also asks JET Connect's
//! `GET /orders/{brandSlug}/{orderId}/amend` (a read, so directly through `http_client`, as
//! the reconciliation reads): `"progress": {"state"}` or `"progress_error"`. Only JET Connect orders are amended: the amend endpoint is JET
//! Connect's (an Orderconnect or site order is `409 not_a_jet_order`).

use orderbridge_core::jet::amend::{self, AmendRefusal, AmendmentIn, JET_ORDERING_URL};
use orderbridge_core::jet::order::wire::ReceiveOrder;
use orderbridge_core::outbound::plan::ReceiverKind;
use orderbridge_core::outbound::url_guard::check_outbound_url;
use orderbridge_core::routes::Method;
use serde_json::{json, Value};
use std::time::Duration;

use worker::{Headers, Request, Response};

use crate::auth::require_operator;
use crate::channels::site::current_status;
use crate::config::{secret, secrets};
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::http_client::{self, Call, Read};
use crate::outbox::{self, Outgoing};
use crate::query::Query;
use crate::storage::{millis, JetAmendmentRow, Storage};
use crate::{body, respond};

fn var(ctx: &Ctx<'_>, name: &str) -> Option<String> {
    ctx.env
        .var(name)
        .map(|v| v.to_string())
        .ok()
        .map(|v| v.trim().trim_end_matches('/').to_owned())
        .filter(|v| !v.is_empty())
}

fn view(row: &JetAmendmentRow) -> Value {
    json!({
        "order_id": row.order_id,
        "jet_order_id": row.jet_order_id,
        "brand_slug": row.brand_slug,
        "body": serde_json::from_str::<Value>(&row.body).unwrap_or(Value::Null),
        "delivery_id": row.delivery_id,
        "requested_at": row.requested_at,
    })
}

fn not_found(id: &str) -> EdgeError {
    EdgeError::NotFound {
        code: "order_not_found",
        summary: format!("order {id:?} is not known"),
    }
}

/// `GET /admin/orders/{order_id}/amendment`.
pub async fn get(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let id = ctx.param("order_id")?.to_owned();
    let storage = Storage::new(ctx.env)?;
    let row = storage
        .jet_amendment(&id)
        .await?
        .ok_or_else(|| EdgeError::NotFound {
            code: "no_amendment",
            summary: format!("order {id:?} has no amendment"),
        })?;
    let mut out = view(&row);
    if Query::of(&req)?.get("progress") == Some("true") {
        let (key, value) = match progress(ctx, &row).await {
            Ok(state) => ("progress", json!({ "state": state })),
            Err(why) => ("progress_error", Value::String(why)),
        };
        if let Some(fields) = out.as_object_mut() {
            fields.insert(key.to_owned(), value);
        }
    }
    Ok(respond::json(200, &out))
}

/// How long the operator's read waits for JET Connect's progress.
const PROGRESS_TIMEOUT: Duration = Duration::from_secs(8);

/// JET Connect's state of the amendment, or why it could not be read.
async fn progress(ctx: &Ctx<'_>, row: &JetAmendmentRow) -> Result<String, String> {
    let base = var(ctx, "JET_ORDERING_URL").unwrap_or_else(|| JET_ORDERING_URL.to_owned());
    let url = check_outbound_url(
        &format!("{base}{}", amend::path(&row.brand_slug, &row.jet_order_id)),
        &ctx.config.url_policy(),
    )
    .map_err(|r| format!("JET_ORDERING_URL is refused: {r}"))?;
    let key = secret(ctx.env, secrets::JET_CONNECT_API_KEY).map_err(|e| format!("{e:?}"))?;
    let headers = Headers::new();
    headers
        .set("X-Flyt-Api-Key", &key)
        .and_then(|()| headers.set("Accept", "application/json"))
        .map_err(|e| e.to_string())?;
    let call = Call {
        url: url.as_str(),
        method: worker::Method::Get,
        headers,
        body: None,
    };
    let read = |status: u16| match status {
        200..=299 => Read::Whole(16 * 1024),
        _ => Read::Nothing,
    };
    let answer = http_client::fetch(call, PROGRESS_TIMEOUT, read)
        .await
        .map_err(|f| f.to_string())?;
    if !(200..300).contains(&answer.status) {
        return Err(format!("JET Connect answered {}", answer.status));
    }
    let doc: Value = serde_json::from_slice(&answer.body).map_err(|e| format!("not JSON: {e}"))?;
    amend::progress_state(&doc).map(str::to_owned)
}

/// `POST /admin/orders/{order_id}/amendment`.
pub async fn post(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let id = ctx.param("order_id")?.to_owned();
    let bytes = body::read(&mut req, body::DEFAULT_LIMIT).await?;
    let raw: AmendmentIn = serde_json::from_slice(&bytes).map_err(|e| {
        EdgeError::violations(
            "bad_request",
            vec![orderbridge_core::problem::Violation::new(
                "bad_request",
                None,
                format!("not an amendment body: {e}"),
            )],
        )
    })?;
    let storage = Storage::new(ctx.env)?;
    let row = storage.order(&id).await?.ok_or_else(|| not_found(&id))?;
    let jet = storage
        .jet_order_of(&id)
        .await?
        .ok_or_else(|| EdgeError::Conflict {
            code: "not_a_jet_order",
            summary: format!(
                "order {id} did not come from JET Connect; only JET Connect amends an order"
            ),
            violations: vec![],
        })?;
    let received: ReceiveOrder = serde_json::from_str(&jet.body)
        .map_err(|e| EdgeError::Internal(format!("stored JET order {}: {e}", jet.id)))?;
    let already = storage.jet_amendment(&id).await?;
    let body = amend::check(
        raw,
        &amend::ordered(&received),
        current_status(&row)?,
        already.as_ref().map(|a| a.requested_at.as_str()),
    )
    .map_err(|refusal| match refusal {
        AmendRefusal::Conflict { code, message } => EdgeError::Conflict {
            code,
            summary: message,
            violations: vec![],
        },
        AmendRefusal::Invalid(v) => EdgeError::violations("invalid_amendment", v),
    })?;
    let slug = var(ctx, "JET_BRAND_SLUG")
        .ok_or_else(|| EdgeError::Unavailable("JET_BRAND_SLUG is not set".to_owned()))?;
    let base = var(ctx, "JET_ORDERING_URL").unwrap_or_else(|| JET_ORDERING_URL.to_owned());
    let url = check_outbound_url(
        &format!("{base}{}", amend::path(&slug, &jet.id)),
        &ctx.config.url_policy(),
    )
    .map_err(|refusal| EdgeError::Unavailable(format!("JET_ORDERING_URL is refused: {refusal}")))?;
    let text = body.to_string();
    let out = Outgoing::new(
        ReceiverKind::JetRelay,
        Some(&id),
        Method::Post,
        url,
        text.clone(),
        ctx.now.timestamp(),
        None,
    )?;
    let record = JetAmendmentRow {
        order_id: id.clone(),
        jet_order_id: jet.id.clone(),
        brand_slug: slug,
        body: text,
        delivery_id: out.delivery.id.clone(),
        requested_at: millis(ctx.now),
    };
    let mut batch = vec![storage.insert_jet_amendment(&record)?];
    batch.extend(outbox::stage(&storage, &out)?);
    storage.commit(batch).await?;
    outbox::kick(ctx.env, &[&out.delivery.id]).await;
    Ok(respond::json(202, &view(&record)))
}
