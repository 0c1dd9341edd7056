//! `GET /health`: the Worker runs and its database answers.

use serde_json::json;
use worker::{Env, Response};

use crate::error::EdgeError;
use crate::{respond, storage};

pub async fn get(env: &Env) -> Result<Response, EdgeError> {
    storage::Storage::new(env)?.ping().await?;
    Ok(respond::json(
        200,
        &json!({"status": "ok", "version": orderbridge_core::VERSION}),
    ))
}
