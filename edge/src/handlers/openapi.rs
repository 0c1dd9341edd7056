//! `GET /openapi.json`: the hub's OpenAPI document, compiled into the Worker from
//! `openapi/openapi.json` (core checks it against the route table).

use worker::Response;

use crate::respond;

pub fn get() -> Response {
    respond::json_text(
        200,
        orderbridge_core::openapi::DOCUMENT.to_owned(),
        &[
            // Public and credential-free, so any origin may read it (an API explorer or a
            // client generator running in a browser).
            ("Access-Control-Allow-Origin", "*"),
            ("Cache-Control", "public, max-age=300"),
        ],
    )
}
