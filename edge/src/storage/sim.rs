//! The SQL of the development simulator (`migrations/0007_jet_relay.sql`,
//! `migrations/0024_sim_jet_state.sql`).

use orderbridge_core::jet::sim::answer::{Row, Write};
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

/// A webhook the simulator sent to the hub, and the hub's answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SimSentRow {
    pub seq: i64,
    pub webhook: String,
    pub method: String,
    pub hub_path: String,
    pub body: String,
    pub status: i64,
    pub answer: String,
    pub scenario: Option<String>,
    pub sent_at: String,
}

/// A webhook to record as sent.
pub struct SimSent<'a> {
    pub webhook: &'a str,
    pub method: &'a str,
    pub hub_path: &'a str,
    pub body: &'a str,
    pub status: u16,
    pub answer: &'a str,
    pub scenario: Option<&'a str>,
    pub at: &'a str,
}

impl Storage {
    /// The simulator's state rows of these kinds (a value that is not JSON reads as a string).
    pub async fn sim_state(&self, kinds: &[&str]) -> Result<Vec<Row>, EdgeError> {
        #[derive(Deserialize)]
        struct Raw {
            kind: String,
            key: String,
            value: String,
        }
        let mut out = Vec::new();
        for kind in kinds {
            let rows: Vec<Raw> = self
                .rows(
                    "SELECT kind, key, value FROM sim_jet_state WHERE kind = ?1 ORDER BY key",
                    &[Arg::Text(kind)],
                )
                .await?;
            out.extend(rows.into_iter().map(|r| Row {
                value: serde_json::from_str(&r.value).unwrap_or(serde_json::Value::String(r.value)),
                kind: r.kind,
                key: r.key,
            }));
        }
        Ok(out)
    }

    /// Every state row, for `GET /sim/jet/state`.
    pub async fn sim_state_all(&self) -> Result<Vec<Row>, EdgeError> {
        #[derive(Deserialize)]
        struct Kind {
            kind: String,
        }
        let kinds: Vec<Kind> = self
            .rows("SELECT DISTINCT kind FROM sim_jet_state ORDER BY kind", &[])
            .await?;
        let names: Vec<&str> = kinds.iter().map(|k| k.kind.as_str()).collect();
        self.sim_state(&names).await
    }

    /// Applies core's writes in one batch.
    pub async fn sim_write(&self, writes: &[Write], at: &str) -> Result<(), EdgeError> {
        let mut statements = Vec::new();
        for write in writes {
            statements.push(match write {
                Write::Put { kind, key, value } => self.statement(
                    "INSERT INTO sim_jet_state (kind, key, value, updated_at) VALUES (?1, ?2, ?3, ?4) \
                     ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value, \
                     updated_at = excluded.updated_at",
                    &[Arg::Text(kind), Arg::Text(key), Arg::Text(&value.to_string()), Arg::Text(at)],
                )?,
                Write::Delete { kind, key } => self.statement(
                    "DELETE FROM sim_jet_state WHERE kind = ?1 AND key = ?2",
                    &[Arg::Text(kind), Arg::Text(key)],
                )?,
            });
        }
        self.commit(statements).await
    }

    pub async fn record_sim_sent(&self, sent: &SimSent<'_>) -> Result<(), EdgeError> {
        let statement = self.statement(
            "INSERT INTO sim_jet_sent (webhook, method, hub_path, body, status, answer, scenario, \
             sent_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            &[
                Arg::Text(sent.webhook),
                Arg::Text(sent.method),
                Arg::Text(sent.hub_path),
                Arg::Text(sent.body),
                Arg::Int(i64::from(sent.status)),
                Arg::Text(sent.answer),
                Arg::OptText(sent.scenario),
                Arg::Text(sent.at),
            ],
        )?;
        self.commit(vec![statement]).await
    }

    /// The latest 200 webhooks sent, oldest first.
    pub async fn sim_sent(&self) -> Result<Vec<SimSentRow>, EdgeError> {
        self.rows(
            "SELECT * FROM (SELECT seq, webhook, method, hub_path, body, status, answer, scenario, \
             sent_at FROM sim_jet_sent ORDER BY seq DESC LIMIT 200) ORDER BY seq",
            &[],
        )
        .await
    }

    /// The sequence number of the latest call the simulator received (0 for none).
    pub async fn sim_last_call(&self) -> Result<i64, EdgeError> {
        #[derive(Deserialize)]
        struct Last {
            seq: Option<i64>,
        }
        let last: Option<Last> = self
            .row("SELECT MAX(seq) AS seq FROM sim_jet_calls", &[])
            .await?;
        Ok(last.and_then(|l| l.seq).unwrap_or(0))
    }

    /// A restaurant with an Orderconnect id, for the simulator's scenarios.
    pub async fn some_orderconnect_restaurant(&self) -> Result<Option<String>, EdgeError> {
        #[derive(Deserialize)]
        struct Row {
            orderconnect_restaurant_id: String,
        }
        let row: Option<Row> = self
            .row(
                "SELECT orderconnect_restaurant_id FROM restaurants \
                 WHERE orderconnect_restaurant_id IS NOT NULL ORDER BY id LIMIT 1",
                &[],
            )
            .await?;
        Ok(row.map(|r| r.orderconnect_restaurant_id))
    }
}
