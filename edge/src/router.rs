//! Dispatch: match the request against core's route table and call one handler per route.

use orderbridge_core::routes::{self, Resolution, RouteId};
use worker::{Env, Request, Response};

use crate::error::EdgeError;
use crate::handlers;

pub async fn dispatch(req: Request, env: &Env) -> Response {
    let path = req.path();
    let method = req.method().to_string();
    let outcome = match routes::resolve(&method, &path) {
        Resolution::Found { id, params: _ } => match id {
            RouteId::Health => handlers::health::get(env).await,
        },
        Resolution::MethodNotAllowed { allow } => Err(EdgeError::MethodNotAllowed(allow)),
        Resolution::NotFound => Err(EdgeError::NotFound),
    };
    outcome.unwrap_or_else(|err| err.into_response(&path))
}
