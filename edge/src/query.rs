//! Query-string parameters, and the 400s for missing or malformed ones (Jupiter shape):
//! the one query parser of the site API, the admin API and the callbacks.

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

    /// Every parameter's name, as sent (repeats included).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    /// The first value of `name`, unless it is absent or blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.trim().is_empty())
    }

    /// The last value of `name`, unless it is absent or empty (the delivery log's filters
    /// read a repeated parameter this way).
    pub fn last(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// A required parameter: `400 missing_parameter` when absent or blank.
    pub fn required(&self, name: &str) -> Result<&str, EdgeError> {
        self.get(name)
            .ok_or_else(|| EdgeError::invalid("missing_parameter", name, "is required"))
    }

    /// A restaurant id parameter: trimmed, at most 64 characters.
    pub fn id(&self, name: &str) -> Result<Option<String>, EdgeError> {
        self.get(name)
            .map(|raw| {
                RestaurantId::parse(raw, name)
                    .map(|id| id.as_str().to_owned())
                    .map_err(|v| EdgeError::violations("invalid_parameter", vec![v]))
            })
            .transpose()
    }

    /// The `concept_id` parameter, trimmed. Concept ids are JET menu `reference`s or
    /// Jupiter concept ids, with no length rule of their own; a concept that does not
    /// exist is simply not found.
    pub fn concept(&self) -> Option<String> {
        self.get("concept_id").map(|c| c.trim().to_owned())
    }

    /// A required id parameter.
    pub fn required_id(&self, name: &str) -> Result<String, EdgeError> {
        self.required(name)?;
        self.id(name)?
            .ok_or_else(|| EdgeError::invalid("missing_parameter", name, "is required"))
    }
}
