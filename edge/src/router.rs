//! Dispatch: match the request against core's route table and call one handler per route.

use chrono::{DateTime, Utc};
use orderbridge_core::routes::{self, Resolution, RouteId};
use worker::{Env, Request, Response};

use crate::config::Config;
use crate::error::EdgeError;
use crate::handlers;

/// What every handler gets besides the request: the bindings, the configuration, the
/// route's captures and the time the request arrived (core takes `now` as an argument).
#[allow(dead_code)] // config and now are read by the catalog and delivery handlers
pub struct Ctx<'a> {
    pub env: &'a Env,
    pub config: Config,
    pub params: Vec<(&'static str, String)>,
    pub now: DateTime<Utc>,
}

impl Ctx<'_> {
    /// A `{name}` capture of the matched route.
    #[allow(dead_code)] // used by the first route with a capture
    pub fn param(&self, name: &str) -> Result<&str, EdgeError> {
        self.params
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| EdgeError::Internal(format!("route has no capture {name}")))
    }
}

pub async fn dispatch(req: Request, env: &Env) -> Response {
    let path = req.path();
    let method = req.method().to_string();
    let outcome = match routes::resolve(&method, &path) {
        Resolution::Found { id, params } => {
            let ctx = Ctx {
                env,
                config: Config::from_env(env),
                params,
                now: now(),
            };
            handle(id, req, &ctx).await
        }
        Resolution::MethodNotAllowed { allow } => Err(EdgeError::MethodNotAllowed(allow)),
        Resolution::NotFound => Err(EdgeError::NoRoute),
    };
    outcome.unwrap_or_else(|err| err.into_response(&path))
}

async fn handle(id: RouteId, _req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    match id {
        RouteId::Health => handlers::health::get(ctx).await,
    }
}

/// The Worker's clock (`Date.now()`); the only place the edge reads the time.
fn now() -> DateTime<Utc> {
    let millis = worker::Date::now().as_millis();
    i64::try_from(millis)
        .ok()
        .and_then(DateTime::from_timestamp_millis)
        .unwrap_or_default()
}
