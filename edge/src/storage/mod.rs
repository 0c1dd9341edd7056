//! All SQL of the hub, with bound parameters only. Handlers call methods here; no query
//! text appears anywhere else.

use worker::{D1Database, Env};

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
}
