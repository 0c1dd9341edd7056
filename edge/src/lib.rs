//! orderbridge-edge: the Cloudflare Worker.
//!
//! Thin by design: every handler parses the request, calls `orderbridge-core` for the
//! decision, stores through [`storage`], and answers. Routing, error shapes and all
//! business rules live in core; this crate only carries decisions out.

mod auth;
mod bindings;
mod body;
mod cache;
mod callback;
mod config;
mod cors;
mod error;
mod handlers;
mod ids;
mod query;
mod respond;
mod router;
mod storage;
mod sync;

use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    Ok(router::dispatch(req, &env, &ctx).await)
}
