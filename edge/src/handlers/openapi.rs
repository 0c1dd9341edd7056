//! `GET /openapi.json`: the hub's OpenAPI document, `web/openapi.json` (core checks it
//! against the route table).
//!
//! The file ships as a static asset, not inside the Worker: compiled in, it was 19 KiB of
//! the gzip upload (`make bench-size`), against a 600 KiB budget. The Worker still answers
//! the route (it is `run_worker_first`), reading the file through the `ASSETS` binding, so
//! the route keeps its CORS header and stays in the route table like every other.

use worker::Response;

use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::{bindings, respond};

/// Any absolute URL reaches the assets binding; only the path names the file.
const DOCUMENT_URL: &str = "https://assets.invalid/openapi.json";

pub async fn get(ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let internal = |what: &str, err: worker::Error| {
        EdgeError::Internal(format!(
            "openapi.json from {}: {what}: {err}",
            bindings::ASSETS
        ))
    };
    let assets = ctx
        .env
        .assets(bindings::ASSETS)
        .map_err(|err| internal("binding", err))?;
    let mut file = assets
        .fetch(DOCUMENT_URL, None)
        .await
        .map_err(|err| internal("fetch", err))?;
    if file.status_code() != 200 {
        return Err(EdgeError::Internal(format!(
            "openapi.json from {}: status {}",
            bindings::ASSETS,
            file.status_code()
        )));
    }
    let document = file.text().await.map_err(|err| internal("body", err))?;
    Ok(respond::json_text(
        200,
        document,
        &[
            // Public and credential-free, so any origin may read it (an API explorer or a
            // client generator running in a browser).
            ("Access-Control-Allow-Origin", "*"),
            ("Cache-Control", "public, max-age=300"),
        ],
    ))
}
