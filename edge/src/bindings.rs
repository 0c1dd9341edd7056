//! Names of the Worker's bindings and variables, as declared in `wrangler.toml`.
//! Every lookup goes through these constants so a rename is one edit.

/// The D1 database holding restaurants, zones, menus, stop lists, the outbox and (later)
/// orders.
pub const DB: &str = "DB";

/// The KV namespace holding the site API's read cache (see `cache.rs`).
pub const CATALOG_CACHE: &str = "CATALOG_CACHE";
/// The Queue producer that carries outbound deliveries (by id) to the consumer
/// (`outbound_queue`). Its consumer's dead-letter queue keeps messages the consumer failed on.
pub const OUTBOUND_QUEUE: &str = "OUTBOUND";

/// The cron expression (in `[triggers] crons`) that runs the upstream catalog sync; every
/// other tick runs the outbound sweep.
pub const CATALOG_SYNC_CRON: &str = "*/15 * * * *";

/// Workers static assets (`[assets]` in `wrangler.toml`, the `web/` directory): the
/// storefront, and the OpenAPI document the Worker serves at `GET /openapi.json`.
pub const ASSETS: &str = "ASSETS";

/// The R2 bucket the archive's objects go to (issue 21; `edge/src/archive.rs`).
pub const ARCHIVE: &str = "ARCHIVE";
