//! Just Eat's queries that wait for the restaurant's answer (issue 18; core's
//! `orderconnect::queries` has the rules): the Partner-API webhooks `late-order-query`,
//! `late-order-compensation-query` and `order-eligible-for-restaurant-compensation` at
//! `/webhooks/just-eat/{name}` (`Authorization: JE-API-KEY <ORDERCONNECT_API_KEY>`), and the
//! operator's `GET /admin/jet/queries` and `POST /admin/jet/queries/{id}/answer`.
//!
//! * A webhook records one item per kind and Just Eat order, linked to the hub's Orderconnect
//!   order when the hub has it; a repeat finds the same item and answers the same
//!   (`200 {"id", "kind", "OrderId", "order_id", "status"}`). A bad body is `400` naming
//!   every problem; a bad key `401`; neither records anything.
//! * An answer is checked by core, then recorded once (`409` for a second one, or past a
//!   deadline). Just Eat's document has no path taking the answer (core's `answer_path`), so
//!   nothing is sent: the answer reads `"sent": false` and the restaurant gives it to Just
//!   Eat through Just Eat's own tools.

use orderbridge_core::orderconnect::queries::{
    self, check_answer, check_query, AnswerRefusal, ItemState, QueryIn, QueryKind,
};
use serde_json::{json, Value};
use worker::{Request, Response};

use crate::auth::{require_operator, require_orderconnect};
use crate::channel::Channel;
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::random;
use crate::storage::{millis, parse_instant, QueryRow, QueryWrite, Storage};
use crate::{body, respond};

/// `POST /webhooks/just-eat/late-order-query`.
pub async fn late_order(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    received(req, ctx, QueryKind::LateOrder).await
}

/// `POST /webhooks/just-eat/late-order-compensation-query`.
pub async fn late_order_compensation(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    received(req, ctx, QueryKind::LateOrderCompensation).await
}

/// `POST /webhooks/just-eat/order-eligible-for-restaurant-compensation`.
pub async fn compensation_eligibility(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    received(req, ctx, QueryKind::CompensationEligibility).await
}

async fn received(mut req: Request, ctx: &Ctx<'_>, kind: QueryKind) -> Result<Response, EdgeError> {
    require_orderconnect(&req, ctx.env)?;
    let bytes = body::read(&mut req, body::DEFAULT_LIMIT).await?;
    let raw: QueryIn = body::parse(&bytes, kind.webhook())?;
    let query = check_query(kind, raw).map_err(|v| EdgeError::violations("bad_request", v))?;
    let storage = Storage::new(ctx.env)?;
    let row = match storage.query_for(kind.as_str(), &query.order_id).await? {
        Some(row) => row,
        None => {
            // Just Eat's order id names an Orderconnect order, or a JET Connect one.
            let order = match storage
                .order_by_external(Channel::Orderconnect.as_str(), &query.order_id)
                .await?
            {
                Some(order) => Some(order),
                None => {
                    storage
                        .order_by_external(Channel::Jet.as_str(), &query.order_id)
                        .await?
                }
            };
            let id = random::id("q")?;
            let text = String::from_utf8_lossy(&bytes);
            let deadline = queries::deadline(kind, ctx.now).map(millis);
            storage
                .insert_query(&QueryWrite {
                    id: &id,
                    kind: kind.as_str(),
                    just_eat_order_id: &query.order_id,
                    order_id: order.as_ref().map(|o| o.id.as_str()),
                    tenant: query.tenant.as_deref(),
                    restaurant_id: query.restaurant_id.as_deref(),
                    options: &query.options_json().to_string(),
                    body: &text,
                    received_at: &millis(ctx.now),
                    deadline_at: deadline.as_deref(),
                })
                .await?;
            storage
                .query_for(kind.as_str(), &query.order_id)
                .await?
                .ok_or_else(|| EdgeError::Internal(format!("query {id} not read back")))?
        }
    };
    Ok(respond::json(
        200,
        &json!({
            "id": row.id,
            "kind": row.kind,
            "OrderId": row.just_eat_order_id,
            "order_id": row.order_id,
            "status": status(&row),
        }),
    ))
}

fn status(row: &QueryRow) -> &'static str {
    match row.answered_at {
        Some(_) => "answered",
        None => "open",
    }
}

fn parsed(text: Option<&str>) -> Value {
    text.and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null)
}

fn view(row: &QueryRow) -> Value {
    json!({
        "id": row.id,
        "kind": row.kind,
        "status": status(row),
        "OrderId": row.just_eat_order_id,
        "order_id": row.order_id,
        "tenant": row.tenant,
        "restaurant_id": row.restaurant_id,
        "compensation_options": parsed(Some(&row.options)),
        "received_at": row.received_at,
        "deadline": row.deadline_at,
        "answer": parsed(row.answer.as_deref()),
        "answered_at": row.answered_at,
        "sent": false,
    })
}

/// `GET /admin/jet/queries`: open items first.
pub async fn list(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let rows = Storage::new(ctx.env)?.queries().await?;
    let items: Vec<Value> = rows.iter().map(view).collect();
    Ok(respond::json(200, &json!({ "queries": items })))
}

/// `POST /admin/jet/queries/{id}/answer`.
pub async fn answer(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let id = ctx.param("id")?.to_owned();
    let bytes = body::read(&mut req, body::DEFAULT_LIMIT).await?;
    let doc: Value = body::parse(&bytes, "query answer")?;
    let storage = Storage::new(ctx.env)?;
    let row = storage
        .query(&id)
        .await?
        .ok_or_else(|| EdgeError::NotFound {
            code: "query_not_found",
            summary: format!("query {id:?} is not known"),
        })?;
    let kind = QueryKind::parse(&row.kind)
        .ok_or_else(|| EdgeError::Internal(format!("query {id} has kind {:?}", row.kind)))?;
    let offered: Vec<i64> = match parsed(Some(&row.options)) {
        Value::Array(a) => a.iter().filter_map(|o| o["amount"].as_i64()).collect(),
        _ => Vec::new(),
    };
    let deadline = row.deadline_at.as_deref().map(parse_instant).transpose()?;
    let item = ItemState {
        kind,
        order_id: &row.just_eat_order_id,
        answered_at: row.answered_at.as_deref(),
        deadline,
        offered: &offered,
    };
    let answer = check_answer(&item, ctx.now, &doc).map_err(|refusal| match refusal {
        AnswerRefusal::Conflict { code, message } => EdgeError::Conflict {
            code,
            summary: message,
            violations: vec![],
        },
        AnswerRefusal::Invalid(v) => EdgeError::violations("invalid_answer", v),
    })?;
    let at = millis(ctx.now);
    if !storage.answer_query(&id, &answer.to_string(), &at).await? {
        return Err(EdgeError::Conflict {
            code: "already_answered",
            summary: format!("query {id} was answered meanwhile; it is answered once"),
            violations: vec![],
        });
    }
    let row = storage
        .query(&id)
        .await?
        .ok_or_else(|| EdgeError::Internal(format!("query {id} not read back")))?;
    Ok(respond::json(200, &view(&row)))
}
