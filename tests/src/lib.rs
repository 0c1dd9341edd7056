//! The end-to-end harness: a running `wrangler dev` ([`App`]), a callback [`Sink`], a fake
//! upstream Jupiter ([`FakeJupiter`]), and small HTTP helpers. Tests talk HTTP only, like a real client.

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
