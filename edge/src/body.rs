//! Reading request bodies with a size limit, so a huge body is refused (413) before it is
//! parsed and nothing is stored.

use worker::Request;

use crate::error::EdgeError;

/// The default limit for JSON bodies.
pub const DEFAULT_LIMIT: usize = 256 * 1024;
/// Menus are the largest documents the hub takes (a 5,000-item menu is about 2 MiB).
#[allow(dead_code)] // for menu ingestion (remove then)
pub const MENU_LIMIT: usize = 8 * 1024 * 1024;

/// The raw body bytes, refused with 413 when longer than `limit`. `Content-Length` is
/// checked first, so an announced oversize body is not read at all.
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
    Ok(bytes)
}
