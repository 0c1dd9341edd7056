//! The end-to-end harness: a running `wrangler dev` ([`App`]), a callback [`Sink`], a fake
//! upstream Jupiter ([`FakeJupiter`]), and small HTTP helpers. Tests talk HTTP only, like a real client.

mod app;
mod fake_jupiter;
mod http;
mod server;
mod sink;

pub use app::{clean_old_states, App, AppOptions};
pub use fake_jupiter::FakeJupiter;
pub use http::{request, Reply};
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
