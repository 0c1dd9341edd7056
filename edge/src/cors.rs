//! CORS for the site API: browsers on the configured origins (`CORS_ORIGINS`) may read it.
//!
//! Every response under `/site-api` (errors included, so a front-end can read why) says
//! `Vary: Origin`; when the request's `Origin` is configured, it also carries
//! `Access-Control-Allow-Origin` with that origin and exposes `ETag`. A preflight
//! (`OPTIONS`) is answered `204` with the methods and headers a site may use. An origin
//! that is not configured gets no allow header, so the browser refuses the read.
//! `CORS_ORIGINS` entries are exact origins (`https://shop.example`); `*` allows any.

use worker::Response;

use crate::config::Config;
use crate::respond;

/// The path prefix CORS applies to.
const PREFIX: &str = "/site-api";

/// How long a browser may reuse a preflight answer, in seconds.
const MAX_AGE_SECS: &str = "86400";

/// Whether `path` is under the site API.
pub fn applies_to(path: &str) -> bool {
    path.strip_prefix(PREFIX)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Adds the CORS headers for `origin` to a site API response.
pub fn decorate(response: &mut Response, origin: Option<&str>, config: &Config) {
    respond::set_headers(response, &[("Vary", "Origin")]);
    if let Some(origin) = origin.filter(|o| allowed(o, config)) {
        respond::set_headers(
            response,
            &[
                ("Access-Control-Allow-Origin", origin),
                ("Access-Control-Expose-Headers", "ETag"),
            ],
        );
    }
}

/// The answer to a preflight; [`decorate`] adds the origin.
pub fn preflight() -> Response {
    let mut response = respond::bare(204);
    respond::set_headers(
        &mut response,
        &[
            ("Access-Control-Allow-Methods", "GET, OPTIONS"),
            (
                "Access-Control-Allow-Headers",
                "Content-Type, If-None-Match, X-Jup-Api-Key",
            ),
            ("Access-Control-Max-Age", MAX_AGE_SECS),
        ],
    );
    response
}

fn allowed(origin: &str, config: &Config) -> bool {
    config
        .cors_origins
        .iter()
        .any(|o| o == "*" || o.eq_ignore_ascii_case(origin))
}
