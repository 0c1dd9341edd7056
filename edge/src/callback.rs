//! The menu ingestion callback: the per-restaurant result of `POST /jet-connect/menus`,
//! POSTed to the request's `callback_url` (JET Connect FACTS §2.9).
//!
//! TEMPORARY: until the durable outbound path of issue 4 lands, [`notify_menu_callback`]
//! sends directly with `fetch` inside `wait_until`, after the 202. A failed call is logged
//! and not retried. It is the one function to switch to the outbox at merge: its callers
//! already stored the ingestion (`menu_ingestions`) and checked the URL with the outbound
//! guard when the request was accepted.

use orderbridge_core::jet::MenuCallback;
use orderbridge_core::outbound::signature::{sign, SIGNATURE_HEADER};
use orderbridge_core::outbound::url_guard::OutboundUrl;
use wasm_bindgen::JsValue;
use worker::{Fetch, Headers, Method, Request, RequestInit};

use crate::config::{secret, secrets};
use crate::router::Ctx;

/// Sends one callback per restaurant result, in order, after the response has gone.
/// Calls carry `X-Orderbridge-Signature` when `WEBHOOK_SIGNING_SECRET` is set.
pub fn notify_menu_callback(ctx: &Ctx<'_>, url: &OutboundUrl, results: Vec<MenuCallback>) {
    let url = url.as_str().to_owned();
    let signing_secret = secret(ctx.env, secrets::WEBHOOK_SIGNING_SECRET)
        .ok()
        .filter(|s| !s.is_empty());
    let timestamp = ctx.now.timestamp();
    ctx.context.wait_until(async move {
        for result in results {
            let body = match serde_json::to_string(&result) {
                Ok(body) => body,
                Err(err) => {
                    worker::console_error!("menu callback: serialising: {err}");
                    continue;
                }
            };
            let signature = signing_secret
                .as_deref()
                .map(|s| sign(s.as_bytes(), timestamp, body.as_bytes()));
            match send(&url, body, signature.as_deref()).await {
                Ok(status) if (200..300).contains(&status) => {}
                Ok(status) => worker::console_error!(
                    "menu callback for {} to {url}: answered {status}",
                    result.restaurant
                ),
                Err(err) => worker::console_error!(
                    "menu callback for {} to {url}: {err}",
                    result.restaurant
                ),
            }
        }
    });
}

async fn send(url: &str, body: String, signature: Option<&str>) -> worker::Result<u16> {
    let headers = Headers::new();
    headers.set("Content-Type", "application/json")?;
    if let Some(signature) = signature {
        headers.set(SIGNATURE_HEADER, signature)?;
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(JsValue::from_str(&body)));
    let request = Request::new_with_init(url, &init)?;
    let response = Fetch::Request(request).send().await?;
    Ok(response.status_code())
}
