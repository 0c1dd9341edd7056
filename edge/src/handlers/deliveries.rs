//! The delivery log and replay, for operators (`X-Flyt-Api-Key`):
//! `GET /admin/deliveries?order_id=&status=` and `POST /admin/deliveries/{id}/replay`.

use serde_json::{json, Value};
use worker::{Request, Response};

use crate::auth::require_operator;
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::query::Query;
use crate::storage::outbox::{AttemptRow, DeliveryRow, LoggedDelivery};
use crate::storage::Storage;
use crate::{clock, outbox, respond};

/// The log shows at most this many deliveries (the latest), oldest first.
const LOG_LIMIT: u32 = 200;
const STATUSES: [&str; 3] = ["pending", "delivered", "dead"];

/// `GET /admin/deliveries`: deliveries with every attempt, filtered by order and status.
pub async fn list(req: &Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(req, ctx).await?;
    let query = Query::of(req)?;
    let order_id = query.last("order_id");
    let status = query.last("status");
    if let Some(status) = status {
        if !STATUSES.contains(&status) {
            return Err(EdgeError::invalid(
                "invalid_status",
                "status",
                format!("{status:?} is not one of pending, delivered, dead"),
            ));
        }
    }
    let rows = Storage::new(ctx.env)?
        .delivery_log(order_id, status, LOG_LIMIT)
        .await?;
    let deliveries = rows.iter().map(render).collect::<Result<Vec<_>, _>>()?;
    Ok(respond::json(200, &json!({ "deliveries": deliveries })))
}

/// `POST /admin/deliveries/{id}/replay`: a delivered or dead delivery is sent again, with a
/// fresh round of attempts; its earlier attempts stay in the log. A pending one is already
/// on its way (409), and one past its deadline would only expire again (409).
pub async fn replay(req: &Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(req, ctx).await?;
    let id = ctx.param("id")?;
    let now = ctx.now.timestamp();
    let storage = Storage::new(ctx.env)?;
    let Some(row) = storage.delivery(id).await? else {
        return Err(EdgeError::NotFound {
            code: "delivery_not_found",
            summary: format!("no delivery {id}"),
        });
    };
    let conflict = |code, summary: String| EdgeError::Conflict {
        code,
        summary,
        violations: vec![],
    };
    if row.status == "pending" {
        return Err(conflict(
            "delivery_pending",
            format!("delivery {id} is pending: it is already being delivered"),
        ));
    }
    if let Some(deadline) = row.deadline.filter(|deadline| *deadline < now) {
        return Err(conflict(
            "deadline_passed",
            format!(
                "delivery {id} had to start by {}; a replay would only expire",
                clock::rfc3339_secs(deadline).unwrap_or_default()
            ),
        ));
    }
    if !storage.replay_delivery(id, &row.status, now).await? {
        return Err(conflict(
            "delivery_changed",
            format!("delivery {id} changed meanwhile; read the log and try again"),
        ));
    }
    outbox::kick(ctx.env, &[id]).await;
    Ok(respond::json(
        202,
        &json!({ "id": id, "status": "pending", "replayed_from": row.status }),
    ))
}

fn render(logged: &LoggedDelivery) -> Result<Value, EdgeError> {
    let attempts: Vec<AttemptRow> = serde_json::from_str(&logged.attempt_log)
        .map_err(|err| EdgeError::Internal(format!("attempt log of {}: {err}", logged.row.id)))?;
    let row: &DeliveryRow = &logged.row;
    Ok(json!({
        "id": row.id,
        "receiver": row.receiver,
        "order_id": row.order_id,
        "order_key": row.order_key,
        "method": row.method,
        "url": row.url,
        "body": row.body,
        "status": row.status,
        "created_at": clock::rfc3339_secs(row.created_at),
        "deadline": row.deadline.and_then(clock::rfc3339_secs),
        "next_attempt_at": row.next_attempt_at.and_then(clock::rfc3339_secs),
        "updated_at": clock::rfc3339_secs(row.updated_at),
        "attempt_count": row.attempts,
        "last_error": row.last_error,
        "attempts": attempts.iter().map(|a| json!({
            "number": a.number,
            "at": clock::rfc3339_millis(a.started_at),
            "status_code": a.status_code,
            "latency_ms": a.latency_ms,
            "verdict": a.verdict,
            "error": a.error,
        })).collect::<Vec<_>>(),
    }))
}
