//! Reading request bodies with a size limit, so a huge body is refused (413) before it is
//! parsed and nothing is stored, and checking at the door that the body is what it claims
//! to be: every string UTF-8 and every number finite, in fields the hub reads or not
//! (core's [`orderbridge_core::input::check`]), answered 400 in the caller's protocol
//! naming each field.

use worker::Request;

use crate::error::EdgeError;

/// The default limit for JSON bodies.
pub const DEFAULT_LIMIT: usize = 256 * 1024;
/// Menus are the largest documents the hub takes (a 5,000-item menu is about 2 MiB).
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
