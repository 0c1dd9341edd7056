//! orderbridge-edge: the Cloudflare Worker.
//!
//! Thin by design: every handler parses the request, calls `orderbridge-core` for the
//! decision, stores through [`storage`], and answers. Routing, error shapes and all
//! business rules live in core; this crate only carries decisions out.

mod auth;
mod bindings;
mod body;
mod config;
mod error;
mod handlers;
mod respond;
mod router;
mod storage;

use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    Ok(router::dispatch(req, &env).await)
}
