//! Building responses without panicking: a response that cannot be built becomes a bare
//! 500, logged, instead of an aborted Wasm instance.

use serde::Serialize;
use worker::Response;

/// A JSON response with the given status.
pub fn json<T: Serialize>(status: u16, body: &T) -> Response {
    match Response::from_json(body) {
        Ok(response) => response.with_status(status),
        Err(err) => {
            worker::console_error!("could not serialise a {status} response: {err}");
            bare(500)
        }
    }
}

/// A response with no body; never fails.
pub fn bare(status: u16) -> Response {
    Response::builder().with_status(status).empty()
}
