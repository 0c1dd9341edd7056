//! Reading request bodies with a size limit, so a huge body is refused (413) before it is
//! parsed and nothing is stored, and checking at the door that the body is what it claims
//! to be: every string UTF-8 and every number finite, in fields the hub reads or not
//! (core's [`orderbridge_core::input::check`]), answered 400 in the caller's protocol
//! naming each field.
//!
//! One parser per protocol, each answering in its protocol's shape:
//! * site API, admin API and JET Connect: [`json`] (or [`read`] and a core parser mapped
//!   through [`unreadable`] where the raw bytes are needed too): `400 invalid_request`
//!   naming each field;
//! * Orderconnect's operator bodies: [`orderconnect_json`]: `400 invalid_request` with one
//!   `invalid_json` violation;
//! * query strings (site API, admin, the Jupiter and menu callbacks): `crate::query`.

use orderbridge_core::problem::Violation;
use serde::de::DeserializeOwned;
use worker::Request;

use crate::error::EdgeError;

/// The default limit for JSON bodies.
pub const DEFAULT_LIMIT: usize = 256 * 1024;
/// Menus and zone documents are the largest the hub takes (a 5,000-item menu is about
/// 2 MiB; 50 zones of 480 vertices about 1.1 MB).
pub const MENU_LIMIT: usize = 8 * 1024 * 1024;

/// The raw body bytes, refused with 413 when longer than `limit`, and with 400 when a
/// string is not UTF-8 or a number not finite. `Content-Length` is checked first, so an
/// announced oversize body is not read at all.
pub async fn read(req: &mut Request, limit: usize) -> Result<Vec<u8>, EdgeError> {
    let announced = req
        .headers()
        .get("Content-Length")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<usize>().ok());
    if announced.is_some_and(|n| n > limit) {
        return Err(EdgeError::PayloadTooLarge { limit });
    }
    let bytes = req.bytes().await.map_err(|err| EdgeError::BadRequest {
        code: "unreadable_body",
        summary: format!("the request body could not be read: {err}"),
        violations: vec![],
    })?;
    if bytes.len() > limit {
        return Err(EdgeError::PayloadTooLarge { limit });
    }
    orderbridge_core::input::check(&bytes)
        .map_err(|found| EdgeError::violations("invalid_input", found))?;
    Ok(bytes)
}

/// `400 invalid_request` for a body that is not the JSON the route takes (syntax or
/// types), naming each field: the site API's, the admin API's and JET Connect's shape.
pub fn unreadable(violations: Vec<Violation>) -> EdgeError {
    EdgeError::violations("invalid_request", violations)
}

/// A site API, admin API or JET Connect body as `T`: [`read`] within `limit`, parsed by
/// core's [`orderbridge_core::jet::wire::parse_body`], refused with [`unreadable`].
pub async fn json<T: DeserializeOwned>(req: &mut Request, limit: usize) -> Result<T, EdgeError> {
    let bytes = read(req, limit).await?;
    orderbridge_core::jet::wire::parse_body(&bytes).map_err(unreadable)
}

/// A body already read (its bytes kept for a digest or a dedup key) as `T`, refused with
/// `400 bad_request` and one violation naming the body (`not a {what} body: …`), in the
/// caller's protocol: Just Eat's webhooks and the answers to them.
pub fn parse<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, EdgeError> {
    serde_json::from_slice(bytes).map_err(|e| {
        EdgeError::violations(
            "bad_request",
            vec![Violation::new(
                "bad_request",
                None,
                format!("not a {what} body: {e}"),
            )],
        )
    })
}

/// An Orderconnect operator body as `T` (`what` names it in the message): [`read`] within
/// `limit`, refused with `400 invalid_request` and one `invalid_json` violation.
pub async fn orderconnect_json<T: DeserializeOwned>(
    req: &mut Request,
    limit: usize,
    what: &str,
) -> Result<T, EdgeError> {
    let bytes = read(req, limit).await?;
    serde_json::from_slice(&bytes).map_err(|e| {
        EdgeError::violations(
            "invalid_request",
            vec![Violation::new(
                "invalid_json",
                None,
                format!("not {what}: {e}"),
            )],
        )
    })
}
