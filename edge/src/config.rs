//! The Worker's configuration: variables from `wrangler.toml` and secrets, read once per
//! request into plain values so handlers never touch `Env` for settings.
#![allow(dead_code)] // shared plumbing; the catalog and delivery handlers use it (remove then)

use worker::Env;

use crate::error::EdgeError;

/// Settings from `[vars]` (production) or `[env.dev.vars]` (development).
#[derive(Debug, Clone)]
pub struct Config {
    /// `production` or `development`.
    pub environment: String,
    /// Lets callbacks go to loopback addresses (development and tests only).
    pub allow_loopback_callbacks: bool,
    /// Serves the local Just Eat simulator under `/sim/jet` (development only).
    pub simulator: bool,
    /// Origins allowed to call the site API from a browser.
    pub cors_origins: Vec<String>,
    /// The upstream Jupiter site API (`JUPITER_API_URL`, e.g.
    /// `https://jupiter.report/site-api`); without it the hub is the system of record.
    pub jupiter_api_url: Option<String>,
}

impl Config {
    /// Reads the variables; a missing one takes its production (closed) value.
    pub fn from_env(env: &Env) -> Config {
        let var = |name: &str| env.var(name).map(|v| v.to_string()).unwrap_or_default();
        let on = |name: &str| var(name).eq_ignore_ascii_case("on");
        Config {
            environment: var("ENVIRONMENT"),
            allow_loopback_callbacks: on("ALLOW_LOOPBACK_CALLBACKS"),
            simulator: on("SIMULATOR"),
            cors_origins: var("CORS_ORIGINS")
                .split(',')
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_owned)
                .collect(),
            jupiter_api_url: Some(var("JUPITER_API_URL"))
                .map(|u| u.trim().to_owned())
                .filter(|u| !u.is_empty()),
        }
    }
}

/// Names of the Worker's secrets (`wrangler secret put NAME`; `.dev.vars` locally).
pub mod secrets {
    pub const OPERATOR_API_KEY: &str = "OPERATOR_API_KEY";
    pub const SITE_API_KEY: &str = "SITE_API_KEY";
    pub const JET_HMAC_SECRET: &str = "JET_HMAC_SECRET";
    pub const ORDERCONNECT_API_KEY: &str = "ORDERCONNECT_API_KEY";
    pub const WEBHOOK_SIGNING_SECRET: &str = "WEBHOOK_SIGNING_SECRET";
    /// `X-Jup-Api-Key` for the upstream Jupiter (with `JUPITER_API_URL`).
    pub const JUPITER_API_KEY: &str = "JUPITER_API_KEY";
}

/// A secret's value. A missing secret is a deployment fault (503, logged), never a
/// reason to let a request through.
pub fn secret(env: &Env, name: &str) -> Result<String, EdgeError> {
    env.secret(name)
        .map(|s| s.to_string())
        .map_err(|_| EdgeError::Unavailable(format!("secret {name} is not set")))
}
