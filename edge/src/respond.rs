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

/// A JSON response whose body is already serialised, with extra headers.
pub fn json_text(status: u16, body: String, headers: &[(&str, &str)]) -> Response {
    let mut response = Response::builder()
        .with_status(status)
        .fixed(body.into_bytes());
    set_headers(&mut response, &[("Content-Type", "application/json")]);
    set_headers(&mut response, headers);
    response
}

/// A response with no body; never fails.
pub fn bare(status: u16) -> Response {
    Response::builder().with_status(status).empty()
}

/// Sets headers, logging (not failing) on a value the runtime refuses.
pub fn set_headers(response: &mut Response, headers: &[(&str, &str)]) {
    let target = response.headers_mut();
    for (name, value) in headers {
        if let Err(err) = target.set(name, value) {
            worker::console_error!("could not set header {name}: {err}");
        }
    }
}
