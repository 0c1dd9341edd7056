//! orderbridge-core: the pure domain of the orderbridge hub.
//!
//! This crate never touches the outside world: no I/O, no clock, no randomness and no
//! `worker` types. Time, ids and random values arrive as arguments, and functions return
//! decisions that the edge crate carries out. It builds and tests natively and for
//! `wasm32-unknown-unknown` (see `make test`).

// Nothing panics in a request path (a panic aborts the whole Wasm instance): enforced here,
// outside tests, as in the edge crate.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod archive;
pub mod auth;
pub mod catalog;
pub mod catalog_callback;
pub mod catalog_pull;
pub mod console;
pub mod console_session;
pub mod domain;
pub mod external_ids;
pub mod geo;
pub mod hex;
pub mod http_cache;
pub mod input;
pub mod isolate_cache;
pub mod jet;
pub mod jupiter;
pub mod openapi;
pub mod order;
pub mod orderconnect;
pub mod outbound;
pub mod problem;
pub mod routes;
pub mod stop_list;
pub mod tz;
pub mod zone_memo;

/// The hub's version, as reported by `GET /health`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
