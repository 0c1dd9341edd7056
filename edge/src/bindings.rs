//! Names of the Worker's bindings and variables, as declared in `wrangler.toml`.
//! Every lookup goes through these constants so a rename is one edit.

/// The D1 database holding restaurants, zones, menus, stop lists and (later) orders.
pub const DB: &str = "DB";

/// The KV namespace holding the site API's read cache (see `cache.rs`).
pub const CATALOG_CACHE: &str = "CATALOG_CACHE";
