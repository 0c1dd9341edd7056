//! The catalog relay to JET Connect (issue 6; `JET_RELAY=on`, off by default): the JET
//! Connect writes the hub accepts (`/jet-connect/menus`, `/item-availability`,
//! `/restaurants/{ref}/offline|online|servicetimes`) are passed on to Just Eat's JET
//! Connect (`JET_CONNECT_API_URL`, FACTS §2, §4, §7) through the outbox, staged in the same
//! batch as the change itself, so a change the hub stored always reaches Just Eat and one it
//! refused never does. A relayed menu carries the hub's own callback URL
//! (`/webhooks/jet/menu-callback?token=…`), so JET Connect's verdict comes back here.
//!
//! Calls for one restaurant keep their order (the outbox's ordering key is the restaurant;
//! all menu relays share one key), so an `offline` never overtakes the `online` before it.

use orderbridge_core::catalog_pull::document_url;
use orderbridge_core::outbound::plan::ReceiverKind;
use orderbridge_core::routes::Method;

use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::outbox::Outgoing;

/// The ordering key of menu relays (they span restaurants).
const MENUS_KEY: &str = "menus";

/// The relay of one accepted write, or `None` when the relay is off. `path` is relative to
/// `JET_CONNECT_API_URL` (`menus`, `restaurants/R1/offline`, …); `key` orders the calls.
pub fn call(
    ctx: &Ctx<'_>,
    method: Method,
    path: &str,
    key: &str,
    body: String,
) -> Result<Option<Outgoing>, EdgeError> {
    if !ctx.config.jet_relay {
        return Ok(None);
    }
    let url = document_url(
        &ctx.config.jet_connect_api_url,
        path,
        &[],
        &ctx.config.url_policy(),
    )
    .map_err(|refusal| {
        EdgeError::Unavailable(format!("JET_CONNECT_API_URL is refused: {refusal}"))
    })?;
    Outgoing::new(
        ReceiverKind::JetRelay,
        Some(key),
        method,
        url,
        body,
        ctx.now.timestamp(),
        None,
    )
    .map(Some)
}

/// The relay of a menu ingestion: the request as received, its `callback_url` replaced by
/// the hub's, which carries `token`.
pub fn menus(
    ctx: &Ctx<'_>,
    request: &[u8],
    origin: &str,
    token: &str,
) -> Result<Option<Outgoing>, EdgeError> {
    if !ctx.config.jet_relay {
        return Ok(None);
    }
    let mut doc: serde_json::Value = serde_json::from_slice(request)
        .map_err(|err| EdgeError::Internal(format!("re-reading an accepted menu: {err}")))?;
    let Some(fields) = doc.as_object_mut() else {
        return Err(EdgeError::Internal(
            "an accepted menu is not a JSON object".into(),
        ));
    };
    fields.insert(
        "callback_url".to_owned(),
        serde_json::Value::String(format!("{origin}/webhooks/jet/menu-callback?token={token}")),
    );
    call(ctx, Method::Post, "menus", MENUS_KEY, doc.to_string())
}
