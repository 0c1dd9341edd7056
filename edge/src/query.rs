//! Query-string parameters, and the 400s for missing or malformed ones (Jupiter shape).

use orderbridge_core::domain::RestaurantId;
use worker::Request;

use crate::error::EdgeError;

/// The decoded `?name=value` pairs of a request.
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn of(req: &Request) -> Result<Query, EdgeError> {
        let url = req
            .url()
            .map_err(|err| EdgeError::invalid("invalid_url", "url", err.to_string()))?;
        Ok(Query(
            url.query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        ))
    }

    /// The first value of `name`, unless it is absent or blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.trim().is_empty())
    }

    /// A required parameter: `400 missing_parameter` when absent or blank.
    pub fn required(&self, name: &str) -> Result<&str, EdgeError> {
        self.get(name)
            .ok_or_else(|| EdgeError::invalid("missing_parameter", name, "is required"))
    }

    /// An id parameter (a restaurant or concept id): trimmed, at most 64 characters.
    pub fn id(&self, name: &str) -> Result<Option<String>, EdgeError> {
        self.get(name)
            .map(|raw| {
                RestaurantId::parse(raw, name)
                    .map(|id| id.as_str().to_owned())
                    .map_err(|v| EdgeError::violations("invalid_parameter", vec![v]))
            })
            .transpose()
    }

    /// A required id parameter.
    pub fn required_id(&self, name: &str) -> Result<String, EdgeError> {
        self.required(name)?;
        self.id(name)?
            .ok_or_else(|| EdgeError::invalid("missing_parameter", name, "is required"))
    }
}
