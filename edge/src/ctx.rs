//! What every handler and channel gets besides the request: the bindings, the configuration,
//! the route's captures and the time the request arrived. Its own module so that the code
//! handlers share (channels, intake, relay) needs no import of the router.

use std::cell::Cell;
use std::rc::Rc;

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
    /// D1 rows read by this request's counted storage (`Storage::of`), `None` when it used
    /// none; answered in `X-Orderbridge-D1-Rows-Read` in development.
    pub rows_read: Rc<Cell<Option<usize>>>,
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
