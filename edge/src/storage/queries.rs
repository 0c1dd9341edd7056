//! The SQL of Just Eat's queries waiting for the restaurant's answer
//! (`migrations/0021_jet_queries.sql`).

use serde::Deserialize;

use super::{Arg, Storage};
use crate::error::EdgeError;

/// A `jet_queries` row.
#[derive(Debug, Clone, Deserialize)]
pub struct QueryRow {
    pub id: String,
    pub kind: String,
    pub just_eat_order_id: String,
    pub order_id: Option<String>,
    pub tenant: Option<String>,
    pub restaurant_id: Option<String>,
    pub options: String,
    pub received_at: String,
    pub deadline_at: Option<String>,
    pub answer: Option<String>,
    pub answered_at: Option<String>,
}

const COLUMNS: &str = "id, kind, just_eat_order_id, order_id, tenant, restaurant_id, options, \
     received_at, deadline_at, answer, answered_at";

/// A received query to record.
pub struct QueryWrite<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub just_eat_order_id: &'a str,
    pub order_id: Option<&'a str>,
    pub tenant: Option<&'a str>,
    pub restaurant_id: Option<&'a str>,
    pub options: &'a str,
    pub body: &'a str,
    pub received_at: &'a str,
    pub deadline_at: Option<&'a str>,
}

impl Storage {
    /// Records a query unless one of its kind for its order exists (a repeated webhook).
    pub async fn insert_query(&self, q: &QueryWrite<'_>) -> Result<(), EdgeError> {
        let st = self.statement(
            "INSERT OR IGNORE INTO jet_queries (id, kind, just_eat_order_id, order_id, tenant, \
                 restaurant_id, options, body, received_at, deadline_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            &[
                Arg::Text(q.id),
                Arg::Text(q.kind),
                Arg::Text(q.just_eat_order_id),
                Arg::OptText(q.order_id),
                Arg::OptText(q.tenant),
                Arg::OptText(q.restaurant_id),
                Arg::Text(q.options),
                Arg::Text(q.body),
                Arg::Text(q.received_at),
                Arg::OptText(q.deadline_at),
            ],
        )?;
        self.commit(vec![st]).await
    }

    /// The item of `kind` for Just Eat's order `je_id`.
    pub async fn query_for(&self, kind: &str, je_id: &str) -> Result<Option<QueryRow>, EdgeError> {
        self.row(
            &format!(
                "SELECT {COLUMNS} FROM jet_queries WHERE kind = ?1 AND just_eat_order_id = ?2"
            ),
            &[Arg::Text(kind), Arg::Text(je_id)],
        )
        .await
    }

    pub async fn query(&self, id: &str) -> Result<Option<QueryRow>, EdgeError> {
        self.row(
            &format!("SELECT {COLUMNS} FROM jet_queries WHERE id = ?1"),
            &[Arg::Text(id)],
        )
        .await
    }

    /// Every item, open ones first, each group newest first (at most 500).
    pub async fn queries(&self) -> Result<Vec<QueryRow>, EdgeError> {
        self.rows(
            &format!(
                "SELECT {COLUMNS} FROM jet_queries \
                 ORDER BY answered_at IS NOT NULL, received_at DESC, id LIMIT 500"
            ),
            &[],
        )
        .await
    }

    /// Records the answer of an open item; `false` when it was answered meanwhile.
    pub async fn answer_query(&self, id: &str, answer: &str, at: &str) -> Result<bool, EdgeError> {
        let st = self.statement(
            "UPDATE jet_queries SET answer = ?2, answered_at = ?3 \
             WHERE id = ?1 AND answered_at IS NULL",
            &[Arg::Text(id), Arg::Text(answer), Arg::Text(at)],
        )?;
        Ok(self.batch(vec![st]).await?.first().copied().unwrap_or(0) > 0)
    }
}
