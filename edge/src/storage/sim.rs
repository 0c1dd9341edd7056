//! The SQL of the development simulator (`migrations/0007_jet_simulator.sql`).

use serde::{Deserialize, Serialize};

use super::{Arg, Storage};
use crate::error::EdgeError;

/// A call the simulated JET Connect received.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SimCallRow {
    pub seq: i64,
    pub method: String,
    pub path: String,
    pub api_key: Option<String>,
    pub body: String,
    pub received_at: String,
}

impl Storage {
    pub async fn record_sim_call(
        &self,
        method: &str,
        path: &str,
        api_key: Option<&str>,
        body: &str,
        at: &str,
    ) -> Result<(), EdgeError> {
        let statement = self.statement(
            "INSERT INTO sim_jet_calls (method, path, api_key, body, received_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            &[
                Arg::Text(method),
                Arg::Text(path),
                Arg::OptText(api_key),
                Arg::Text(body),
                Arg::Text(at),
            ],
        )?;
        self.commit(vec![statement]).await
    }

    /// The latest 200 calls, oldest first.
    pub async fn sim_calls(&self) -> Result<Vec<SimCallRow>, EdgeError> {
        self.rows(
            "SELECT * FROM (SELECT seq, method, path, api_key, body, received_at \
             FROM sim_jet_calls ORDER BY seq DESC LIMIT 200) ORDER BY seq",
            &[],
        )
        .await
    }

    /// A restaurant that has a JET location id, for the simulator's sample order.
    pub async fn some_jet_location(&self) -> Result<Option<String>, EdgeError> {
        #[derive(Deserialize)]
        struct Row {
            jet_location_id: String,
        }
        let row: Option<Row> = self
            .row(
                "SELECT jet_location_id FROM restaurants WHERE jet_location_id IS NOT NULL \
                 ORDER BY id LIMIT 1",
                &[],
            )
            .await?;
        Ok(row.map(|r| r.jet_location_id))
    }
}
