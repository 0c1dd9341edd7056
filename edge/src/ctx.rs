//! What every handler and channel gets besides the request: the bindings, the configuration,
//! the route's captures and the time the request arrived. Its own module so that the code
//! handlers share (channels, intake, relay) needs no import of the router.

use chrono::{DateTime, Utc};
use worker::Env;

use crate::config::Config;
use crate::error::EdgeError;

/// What every handler gets besides the request: the bindings, the configuration, the route's
/// captures and the time the request arrived (core takes `now` as an argument).
pub struct Ctx<'a> {
    pub env: &'a Env,
    pub config: Config,
    pub params: Vec<(&'static str, String)>,
    pub now: DateTime<Utc>,
}

impl Ctx<'_> {
    /// A `{name}` capture of the matched route.
    pub fn param(&self, name: &str) -> Result<&str, EdgeError> {
        self.params
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| EdgeError::Internal(format!("route has no capture {name}")))
    }
}
