//! The edge's one error type, and the one place where errors become responses.

use orderbridge_core::problem::{self, Protocol, Violation};
use orderbridge_core::routes::{allow_header, Method};
use worker::Response;

use crate::respond;

/// Everything a request can fail with, whatever the handler.
#[derive(Debug)]
pub enum EdgeError {
    /// No route has this path.
    NoRoute,
    /// The route exists but the resource does not (e.g. an unknown restaurant).
    NotFound {
        code: &'static str,
        summary: String,
    },
    MethodNotAllowed(Vec<Method>),
    /// The request was understood and refused; every violation is listed.
    BadRequest {
        code: &'static str,
        summary: String,
        violations: Vec<Violation>,
    },
    /// Missing or wrong credentials (the message names the header, never the key).
    Unauthorized(String),
    /// Understood and authenticated, but not allowed for what it names (JET Connect's
    /// `403 Restaurant not registered`).
    Forbidden {
        code: &'static str,
        summary: String,
    },
    /// A body longer than the route's limit.
    PayloadTooLarge {
        limit: usize,
    },
    /// The request conflicts with what is stored (a duplicate, an illegal transition).
    Conflict {
        code: &'static str,
        summary: String,
        violations: Vec<Violation>,
    },
    /// Too many requests of one kind (a driver position sooner than its cadence): answered
    /// `429` with `Retry-After`.
    RateLimited {
        code: &'static str,
        summary: String,
        retry_after_secs: i64,
    },
    /// A dependency the hub needs (D1, a binding, a secret) failed or is missing. The cause
    /// is logged and never shown to the caller.
    Unavailable(String),
    /// A defect of ours. The cause is logged and never shown to the caller.
    Internal(String),
}

impl From<worker::Error> for EdgeError {
    fn from(err: worker::Error) -> Self {
        EdgeError::Internal(err.to_string())
    }
}

impl EdgeError {
    /// A 400 for one problem with one field.
    pub fn invalid(code: &'static str, field: &str, message: impl Into<String>) -> EdgeError {
        let message = message.into();
        EdgeError::BadRequest {
            code,
            summary: format!("{field}: {message}"),
            violations: vec![Violation::new(code, Some(field), message)],
        }
    }

    /// A 400 listing every violation, summarised by the first and the count.
    pub fn violations(code: &'static str, violations: Vec<Violation>) -> EdgeError {
        let summary = match violations.as_slice() {
            [] => "invalid request".to_owned(),
            [one] => one_line(one),
            [first, rest @ ..] => format!("{} (and {} more)", one_line(first), rest.len()),
        };
        EdgeError::BadRequest {
            code,
            summary,
            violations,
        }
    }

    /// Renders the error in the protocol of the path the caller used.
    pub fn into_response(self, path: &str) -> Response {
        let protocol = Protocol::for_path(path);
        let (status, code, summary, violations) = match self {
            EdgeError::NoRoute => (404, "not_found", format!("no route for {path}"), vec![]),
            EdgeError::NotFound { code, summary } => (404, code, summary, vec![]),
            EdgeError::MethodNotAllowed(allow) => {
                let body =
                    problem::render(protocol, "method_not_allowed", "method not allowed", &[]);
                let mut response = respond::json(405, &body);
                if let Err(err) = response.headers_mut().set("Allow", &allow_header(&allow)) {
                    worker::console_error!("could not set Allow header: {err}");
                }
                return response;
            }
            EdgeError::BadRequest {
                code,
                summary,
                violations,
            } => (400, code, summary, violations),
            EdgeError::Unauthorized(summary) => {
                // A refusal of credentials is about this request alone: no cache keeps it.
                let body = problem::render(protocol, "unauthorized", &summary, &[]);
                let mut response = respond::json(401, &body);
                if let Err(err) = response.headers_mut().set("Cache-Control", "no-store") {
                    worker::console_error!("could not set Cache-Control header: {err}");
                }
                return response;
            }
            EdgeError::Forbidden { code, summary } => (403, code, summary, vec![]),
            EdgeError::PayloadTooLarge { limit } => (
                413,
                "payload_too_large",
                format!("the request body is larger than {limit} bytes"),
                vec![],
            ),
            EdgeError::Conflict {
                code,
                summary,
                violations,
            } => (409, code, summary, violations),
            EdgeError::RateLimited {
                code,
                summary,
                retry_after_secs,
            } => {
                let body = problem::render(protocol, code, &summary, &[]);
                let mut response = respond::json(429, &body);
                let seconds = retry_after_secs.max(1).to_string();
                if let Err(err) = response.headers_mut().set("Retry-After", &seconds) {
                    worker::console_error!("could not set Retry-After header: {err}");
                }
                return response;
            }
            EdgeError::Unavailable(cause) => {
                worker::console_error!("503 on {path}: {cause}");
                (
                    503,
                    "unavailable",
                    "service temporarily unavailable".to_owned(),
                    vec![],
                )
            }
            EdgeError::Internal(cause) => {
                worker::console_error!("500 on {path}: {cause}");
                (500, "internal", "internal error".to_owned(), vec![])
            }
        };
        respond::json(
            status,
            &problem::render(protocol, code, &summary, &violations),
        )
    }
}

fn one_line(v: &Violation) -> String {
    match &v.field {
        Some(field) => format!("{field}: {}", v.message),
        None => v.message.clone(),
    }
}
