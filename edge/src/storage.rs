//! All SQL of the hub, with bound parameters only. Handlers call methods here; no query
//! text appears anywhere else. One submodule per area: [`outbox`] (deliveries and their
//! attempts).

pub mod outbox;

use worker::{D1Database, D1PreparedStatement, Env};

use crate::bindings;
use crate::error::EdgeError;

pub struct Storage {
    db: D1Database,
}

impl Storage {
    pub fn new(env: &Env) -> Result<Storage, EdgeError> {
        let db = env
            .d1(bindings::DB)
            .map_err(|err| EdgeError::Unavailable(format!("D1 binding {}: {err}", bindings::DB)))?;
        Ok(Storage { db })
    }

    /// Proves the database answers and carries the schema (a migrated table is read).
    pub async fn ping(&self) -> Result<(), EdgeError> {
        self.db
            .prepare("SELECT COUNT(*) AS n FROM restaurants")
            .first::<serde_json::Value>(None)
            .await
            .map(|_| ())
            .map_err(|err| EdgeError::Unavailable(format!("D1 ping: {err}")))
    }

    /// Runs statements as one D1 batch: a transaction, so they all commit or none does.
    /// This is how a state change and the deliveries it causes are written together.
    pub async fn commit(&self, statements: Vec<D1PreparedStatement>) -> Result<(), EdgeError> {
        if statements.is_empty() {
            return Ok(());
        }
        self.db
            .batch(statements)
            .await
            .map(|_| ())
            .map_err(|err| unavailable("batch", err))
    }
}

/// A D1 failure: the database is a dependency, so its errors are 503s (logged with the
/// cause, answered without it).
fn unavailable(what: &str, err: worker::Error) -> EdgeError {
    EdgeError::Unavailable(format!("D1 {what}: {err}"))
}

/// How many rows a write changed (0 when D1 reports no count).
fn changes(result: &worker::D1Result) -> usize {
    result
        .meta()
        .ok()
        .flatten()
        .and_then(|meta| meta.changes)
        .unwrap_or(0)
}
