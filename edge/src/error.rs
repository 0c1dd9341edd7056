//! The edge's one error type, and the one place where errors become responses.

use orderbridge_core::problem::{self, Protocol, Violation};
use orderbridge_core::routes::{allow_header, Method};
use worker::Response;

use crate::respond;

/// Everything a request can fail with, whatever the handler.
#[derive(Debug)]
pub enum EdgeError {
    NotFound,
    MethodNotAllowed(Vec<Method>),
    /// The request was understood and refused; every violation is listed.
    #[allow(dead_code)] // used by the catalog and order handlers as they arrive
    BadRequest {
        code: &'static str,
        summary: String,
        violations: Vec<Violation>,
    },
    /// A dependency the hub needs (D1, a binding) failed or is missing. The cause is
    /// logged and never shown to the caller.
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
    /// Renders the error in the protocol of the path the caller used.
    pub fn into_response(self, path: &str) -> Response {
        let protocol = Protocol::for_path(path);
        let (status, code, summary, violations) = match self {
            EdgeError::NotFound => (404, "not_found", format!("no route for {path}"), vec![]),
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
