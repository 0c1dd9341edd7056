//! `GET /health`: the Worker runs and its database answers.

use serde_json::json;
use worker::Response;

use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::{respond, storage};

pub async fn get(ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    storage::Storage::new(ctx.env)?.ping().await?;
    Ok(respond::json(
        200,
        &json!({"status": "ok", "version": orderbridge_core::VERSION}),
    ))
}
