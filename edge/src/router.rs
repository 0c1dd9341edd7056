//! Dispatch: match the request against core's route table and call one handler per route.

use chrono::{DateTime, Utc};
use orderbridge_core::routes::{self, Resolution, RouteId};
use worker::{Env, Request, Response};

use crate::config::Config;
use crate::error::EdgeError;
use crate::{clock, handlers};

/// What every handler gets besides the request: the bindings, the configuration, the
/// route's captures and the time the request arrived (core takes `now` as an argument).
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

pub async fn dispatch(req: Request, env: &Env) -> Response {
    let path = req.path();
    let method = req.method().to_string();
    let outcome = match routes::resolve(&method, &path) {
        Resolution::Found { id, params } => {
            let ctx = Ctx {
                env,
                config: Config::from_env(env),
                params,
                now: clock::now(),
            };
            handle(id, req, &ctx).await
        }
        Resolution::MethodNotAllowed { allow } => Err(EdgeError::MethodNotAllowed(allow)),
        Resolution::NotFound => Err(EdgeError::NoRoute),
    };
    outcome.unwrap_or_else(|err| err.into_response(&path))
}

async fn handle(id: RouteId, mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    match id {
        RouteId::Health => handlers::health::get(ctx).await,
        RouteId::AdminDeliveries => handlers::deliveries::list(&req, ctx).await,
        RouteId::AdminDeliveryReplay => handlers::deliveries::replay(&req, ctx).await,
        RouteId::SimOutbound => handlers::sim::outbound(&mut req, ctx).await,
    }
}
