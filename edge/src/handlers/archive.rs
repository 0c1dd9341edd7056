//! The archive for operators (issue 21; `crate::archive`): `POST /admin/archive/run?limit=`
//! archives one batch now and answers what it archived (the object, the orders, the
//! delivery-log rows, and the old orders core kept, with the reason);
//! `GET /admin/archive?limit=` lists the batches, newest first. An archived order is read
//! back by `GET /admin/orders/{order_id}` (`handlers::orders`).

use orderbridge_core::archive;
use serde_json::json;
use worker::{Request, Response};

use crate::auth::require_operator;
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::query::Query;
use crate::respond;
use crate::storage::Storage;

/// `limit` read by core's rule, any other parameter refused by name.
fn limit(req: &Request, default: usize, max: usize) -> Result<usize, EdgeError> {
    let query = Query::of(req)?;
    let mut bad = archive::unknown_parameters(query.names());
    match archive::limit(query.get("limit"), default, max) {
        Ok(n) if bad.is_empty() => Ok(n),
        Ok(_) => Err(EdgeError::violations("invalid_parameter", bad)),
        Err(v) => {
            bad.insert(0, v);
            Err(EdgeError::violations("invalid_parameter", bad))
        }
    }
}

/// `POST /admin/archive/run`.
pub async fn run(req: &Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(req, ctx).await?;
    let limit = limit(req, archive::DEFAULT_BATCH, archive::MAX_BATCH)?;
    let outcome =
        crate::archive::run(ctx.env, ctx.now, ctx.config.archive_after_days, limit).await?;
    Ok(respond::json(200, &outcome.to_json()))
}

/// `GET /admin/archive`.
pub async fn list(req: &Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(req, ctx).await?;
    let limit = limit(req, archive::DEFAULT_LIST, archive::MAX_LIST)?;
    let storage = Storage::new(ctx.env)?;
    let batches = storage
        .archive_batches(i64::try_from(limit).unwrap_or(20))
        .await?;
    Ok(respond::json(
        200,
        &json!({ "after_days": ctx.config.archive_after_days, "batches": batches }),
    ))
}
