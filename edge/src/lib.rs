//! orderbridge-edge: the Cloudflare Worker.
//!
//! Thin by design: every handler parses the request, calls `orderbridge-core` for the
//! decision, stores through [`storage`], and answers. Routing, error shapes and all
//! business rules live in core; this crate only carries decisions out.

// Nothing panics in a request path (a panic aborts the whole Wasm instance): enforced here,
// outside tests, as in core.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod archive;
mod auth;
mod bindings;
mod body;
mod cache;
mod catalog_cron;
mod channel;
mod channels;
mod clock;
mod config;
mod cors;
mod ctx;
mod error;
mod gzip;
mod handlers;
mod http_client;
mod intake;
mod jet_reconcile;
mod outbound_cron;
mod outbound_queue;
mod outbound_send;
mod outbox;
mod owners;
mod query;
mod random;
mod relay;
mod respond;
mod router;
mod site_docs;
mod storage;
mod sync;
mod zone;

use worker::{
    event, Context, Env, MessageBatch, Request, Response, Result, ScheduleContext, ScheduledEvent,
};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    Ok(router::dispatch(req, &env).await)
}

/// Every queue this Worker consumes carries outbound deliveries (`wrangler.toml`). Never
/// returns an error: a failed message is retried on its own (`outbound_queue`), and an
/// error here would retry the whole batch.
#[event(queue)]
async fn queue(batch: MessageBatch<outbox::Poke>, env: Env, _ctx: Context) -> Result<()> {
    outbound_queue::consume(batch, &env).await;
    Ok(())
}

/// The cron ticks (`[triggers] crons`): a dispatcher with one line per periodic job.
#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    if event.cron() == bindings::CATALOG_SYNC_CRON {
        catalog_cron::sync(&env).await;
    } else {
        outbound_cron::sweep(&env).await;
        jet_reconcile::hourly(&env).await;
        archive::tick(&env).await;
    }
}
