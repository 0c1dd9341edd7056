//! The end-to-end harness: a running `wrangler dev` ([`App`]), a callback [`Sink`], a fake
//! upstream Jupiter ([`FakeJupiter`]), and small HTTP helpers. Tests talk HTTP only, like a real client.
//!
//! * [`App`] starts `wrangler dev --env dev` on a free port with a fresh `--persist-to` state
//!   directory (under `target/e2e/`), applies the migrations, loads the demo catalog, waits for
//!   `/health`, and stops wrangler when dropped. The Worker is built once per run
//!   (`scripts/build-worker.sh`); instances then start with `ORDERBRIDGE_PREBUILT=1` so they
//!   neither rebuild nor race. `App::stop`/`start` restart on the same state and port,
//!   `App::set_var` changes a setting, `App::trigger_scheduled` fires the cron handler (which
//!   `wrangler dev` never does by itself). `App::d1` runs `wrangler d1 execute`, a second
//!   process on the Worker's SQLite file, which can make the Worker's own queries fail with
//!   `SQLITE_BUSY` meanwhile: tests that use it on the shared Worker are listed in
//!   `OUT_OF_PROCESS_D1` (`e2e/main.rs`) and run while no other test uses it.
//! * [`Sink`] records every request and can be told to answer with a status, fail the first
//!   N requests, or delay; [`FakeJupiter`] serves given documents by exact path and query to
//!   callers with its `X-Jup-Api-Key` and records every request. Both stand on
//!   `LocalServer` (`server.rs`): a loopback port served until dropped. These are the only
//!   fakes, and they stand for parties outside the hub.
//! * `e2e/main.rs` runs the suites with `libtest-mimic`, so one Worker serves the whole run
//!   (tests write restaurants of their own, `e2e-…`, corpus cases `cc-…`); the outbound
//!   retry tests share a second Worker with a short retry policy, and tests that need other
//!   settings start their own. `e2e/conform.rs` checks every answer the request helpers get
//!   against `web/openapi.json` (the `jsonschema` crate, a dependency of this crate only).
//! * `e2e/conformance.rs` runs `fixtures/conformance/`: Just Eat's own examples and variants
//!   written from the spec, one trial per case (the case format is that folder's README).

mod app;
mod fake_jupiter;
mod http;
mod server;
mod sink;

pub use app::{clean_old_states, App, AppOptions};
pub use fake_jupiter::FakeJupiter;
pub use http::{expect, request, Reply};
pub use sink::{Received, Sink};

use std::path::PathBuf;

/// The repository root (this crate lives in `tests/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(".."))
}

/// The first header with this name (case-insensitive) in a list of (name, value) pairs.
pub fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A free TCP port on the loopback interface (bound, read, released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A delivery zone `id` with the demo zone's polygon, prices and times (minimum 600,
/// delivery 125, free from 1200, 75 minutes), as `PUT /admin/delivery_zones` takes it.
pub fn demo_zone(id: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id, "name": "Зона 1", "sum_min": 600, "time_min": 75,
        "time_max": 75, "delivery_price": 125, "sum_for_free": 1200,
        "coordinates": [
            ["37.52371234879848", "55.84410641903395"],
            ["37.514442634443014", "55.753211478836405"],
            ["37.75142603657669", "55.77257777343632"],
            ["37.745595187258395", "55.83994903702488"],
            ["37.52371234879848", "55.84410641903395"]
        ]
    })
}
