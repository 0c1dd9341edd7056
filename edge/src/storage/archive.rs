//! The archive's SQL (migration `0030`): the orders old enough to look at, every row that
//! hangs off them read as JSON (all columns, whatever the schema), the delivery log of no
//! order, and the one batch that writes the index and deletes the rows. Which rows go is
//! core's `archive::decide`; this module only reads and writes.
//!
//! The batch's first statement checks that the rows it deletes are the rows that were
//! archived: it writes the `archive_batches` row with `orders` NULL (NOT NULL fails, and
//! with it the whole batch) when the number of rows hanging off the orders changed since
//! they were read. A failed batch leaves every row where it was.

use serde::Deserialize;
use serde_json::Value;
use worker::D1PreparedStatement;

use super::orders::RawAdminOrderRow;
use super::typed::Typed;
use super::{Arg, Storage};
use crate::error::EdgeError;
use crate::storage::{AdminOrderRow, StatusRow};

/// Every table keyed by an order's id (`order_id`), besides `orders` itself and the
/// outbox's attempts (keyed by delivery). Read in this order, deleted after the attempts.
pub const ORDER_TABLES: [&str; 8] = [
    "order_statuses",
    "order_events",
    "order_amendments",
    "jet_amendments",
    "jet_orders",
    "orderconnect_orders",
    "jet_queries",
    "outbox",
];

/// An order old enough to look at, with what core's rule needs.
#[derive(Debug, Deserialize)]
pub struct CandidateRow {
    pub id: String,
    pub status: i64,
    pub updated_at: String,
    pub open_deliveries: i64,
    pub open_queries: i64,
}

/// An archived order's index row.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct ArchivedRow {
    pub order_id: String,
    pub number: String,
    pub channel: String,
    pub external_id: Option<String>,
    pub restaurant_id: String,
    pub status: i64,
    pub created_at: String,
    pub object_key: String,
    pub line: i64,
    pub byte_offset: i64,
    pub archived_at: String,
}

/// An archive batch as listed.
#[derive(Debug, Deserialize, serde::Serialize)]
pub struct BatchRow {
    pub object_key: String,
    pub archived_at: String,
    pub cutoff: String,
    pub orders: i64,
    pub deliveries: i64,
    pub bytes: i64,
    pub stored_bytes: i64,
    pub encoding: String,
}

/// The index row an archived order gets.
pub struct IndexWrite<'a> {
    pub order: &'a Value,
    pub line: i64,
    pub byte_offset: i64,
}

/// What one batch archives.
pub struct BatchWrite<'a> {
    pub object_key: &'a str,
    pub archived_at: &'a str,
    pub cutoff: &'a str,
    /// JSON array of the orders' ids.
    pub order_ids: &'a str,
    /// JSON array of the ids of the delivery-log rows of no order.
    pub log_ids: &'a str,
    /// Rows hanging off the orders when they were read (the check, above).
    pub child_rows: i64,
    pub orders: Vec<IndexWrite<'a>>,
    pub deliveries: i64,
    pub bytes: i64,
    pub stored_bytes: i64,
    pub encoding: &'a str,
}

/// The rows hanging off the orders in `?1` (a JSON array of ids), counted in SQL.
fn child_count_sql() -> String {
    let mut parts: Vec<String> = ORDER_TABLES
        .iter()
        .map(|t| {
            format!(
                "(SELECT COUNT(*) FROM {t} WHERE order_id IN (SELECT value FROM json_each(?1)))"
            )
        })
        .collect();
    parts.push(
        "(SELECT COUNT(*) FROM outbox_attempts WHERE delivery_id IN \
         (SELECT id FROM outbox WHERE order_id IN (SELECT value FROM json_each(?1))))"
            .to_owned(),
    );
    parts.join(" + ")
}

fn text<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(Value::as_str)
}

impl Storage {
    /// Orders created before `cutoff` in a final status (`finals`: JSON array of codes),
    /// oldest first, at most `limit`, with their pending deliveries and open queries.
    pub async fn archive_candidates(
        &self,
        cutoff: &str,
        finals: &str,
        limit: i64,
    ) -> Result<Vec<CandidateRow>, EdgeError> {
        self.rows(
            "SELECT o.id, o.status, o.updated_at, \
               (SELECT COUNT(*) FROM outbox WHERE order_id = o.id AND status = 'pending') \
                 AS open_deliveries, \
               (SELECT COUNT(*) FROM jet_queries WHERE order_id = o.id AND answered_at IS NULL) \
                 AS open_queries \
             FROM orders o \
             WHERE o.created_at < ?1 AND o.status IN (SELECT value FROM json_each(?2)) \
             ORDER BY o.created_at, o.id LIMIT ?3",
            &[Arg::Text(cutoff), Arg::Text(finals), Arg::Int(limit)],
        )
        .await
    }

    /// Every row of the orders in `ids` (a JSON array) and of what hangs off them, by
    /// table: `orders`, each of [`ORDER_TABLES`], `outbox_attempts`.
    pub async fn archive_order_rows(
        &self,
        ids: &str,
    ) -> Result<Vec<(&'static str, Vec<Value>)>, EdgeError> {
        let mut out = Vec::new();
        let orders: Vec<Value> = self
            .rows(
                "SELECT * FROM orders WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id",
                &[Arg::Text(ids)],
            )
            .await?;
        out.push(("orders", orders));
        for table in ORDER_TABLES {
            let rows: Vec<Value> = self
                .rows(
                    &format!(
                        "SELECT * FROM {table} WHERE order_id IN (SELECT value FROM json_each(?1)) \
                         ORDER BY rowid"
                    ),
                    &[Arg::Text(ids)],
                )
                .await?;
            out.push((table, rows));
        }
        let attempts: Vec<Value> = self
            .rows(
                "SELECT a.*, o.order_id AS order_id FROM outbox_attempts a \
                 JOIN outbox o ON o.id = a.delivery_id \
                 WHERE o.order_id IN (SELECT value FROM json_each(?1)) \
                 ORDER BY a.delivery_id, a.number",
                &[Arg::Text(ids)],
            )
            .await?;
        out.push(("outbox_attempts", attempts));
        Ok(out)
    }

    /// Delivery-log rows of no order (or of an order no longer here), not pending, last
    /// changed before `cutoff_secs`, oldest first; and their attempts.
    pub async fn archive_log_rows(
        &self,
        cutoff_secs: i64,
        limit: i64,
    ) -> Result<(Vec<Value>, Vec<Value>), EdgeError> {
        let rows: Vec<Value> = self
            .rows(
                "SELECT * FROM outbox INDEXED BY outbox_log_by_age \
                 WHERE order_id IS NULL AND status != 'pending' \
                 AND updated_at < ?1 ORDER BY updated_at, seq LIMIT ?2",
                &[Arg::Int(cutoff_secs), Arg::Int(limit)],
            )
            .await?;
        let ids: Vec<&str> = rows.iter().filter_map(|r| text(r, "id")).collect();
        if ids.is_empty() {
            return Ok((rows, Vec::new()));
        }
        let ids = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".to_owned());
        let attempts: Vec<Value> = self
            .rows(
                "SELECT * FROM outbox_attempts WHERE delivery_id IN \
                 (SELECT value FROM json_each(?1)) ORDER BY delivery_id, number",
                &[Arg::Text(&ids)],
            )
            .await?;
        Ok((rows, attempts))
    }

    /// The batch: the object's row (the check), the index rows, then every archived row
    /// deleted, children first. One D1 batch: all of it or nothing.
    pub async fn archive_commit(&self, w: &BatchWrite<'_>) -> Result<(), EdgeError> {
        let mut statements: Vec<D1PreparedStatement> = Vec::new();
        statements.push(self.statement(
            &format!(
                "INSERT INTO archive_batches (object_key, archived_at, cutoff, orders, \
                     deliveries, bytes, stored_bytes, encoding) \
                 VALUES (?2, ?3, ?4, CASE WHEN ({}) = ?5 THEN ?6 END, ?7, ?8, ?9, ?10)",
                child_count_sql()
            ),
            &[
                Arg::Text(w.order_ids),
                Arg::Text(w.object_key),
                Arg::Text(w.archived_at),
                Arg::Text(w.cutoff),
                Arg::Int(w.child_rows),
                Arg::Int(i64::try_from(w.orders.len()).unwrap_or(i64::MAX)),
                Arg::Int(w.deliveries),
                Arg::Int(w.bytes),
                Arg::Int(w.stored_bytes),
                Arg::Text(w.encoding),
            ],
        )?);
        for index in &w.orders {
            let o = index.order;
            let get = |k: &str| text(o, k).unwrap_or_default();
            statements.push(self.statement(
                "INSERT OR REPLACE INTO archived_orders (order_id, number, namespace, channel, \
                     external_id, restaurant_id, status, created_at, object_key, line, \
                     byte_offset, archived_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                &[
                    Arg::Text(get("id")),
                    Arg::Text(get("number")),
                    Arg::Text(get("namespace")),
                    Arg::Text(get("channel")),
                    Arg::OptText(text(o, "external_id")),
                    Arg::Text(get("restaurant_id")),
                    Arg::Int(o.get("status").and_then(Value::as_i64).unwrap_or(-1)),
                    Arg::Text(get("created_at")),
                    Arg::Text(w.object_key),
                    Arg::Int(index.line),
                    Arg::Int(index.byte_offset),
                    Arg::Text(w.archived_at),
                ],
            )?);
        }
        let ids = [Arg::Text(w.order_ids)];
        statements.push(self.statement(
            "DELETE FROM outbox_attempts WHERE delivery_id IN \
             (SELECT id FROM outbox WHERE order_id IN (SELECT value FROM json_each(?1)))",
            &ids,
        )?);
        for table in ORDER_TABLES {
            statements.push(self.statement(
                &format!("DELETE FROM {table} WHERE order_id IN (SELECT value FROM json_each(?1))"),
                &ids,
            )?);
        }
        statements.push(self.statement(
            "DELETE FROM orders WHERE id IN (SELECT value FROM json_each(?1))",
            &ids,
        )?);
        let logs = [Arg::Text(w.log_ids)];
        statements.push(self.statement(
            "DELETE FROM outbox_attempts WHERE delivery_id IN (SELECT value FROM json_each(?1))",
            &logs,
        )?);
        statements.push(self.statement(
            "DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?1)) \
             AND status != 'pending'",
            &logs,
        )?);
        self.commit(statements).await
    }

    /// An archived order's index row.
    pub async fn archived_order(&self, id: &str) -> Result<Option<ArchivedRow>, EdgeError> {
        self.row(
            "SELECT * FROM archived_orders WHERE order_id = ?1",
            &[Arg::Text(id)],
        )
        .await
    }

    /// Archived orders whose number or marketplace id is `q` (the console's search).
    pub async fn archived_orders_named(
        &self,
        q: &str,
        limit: i64,
    ) -> Result<Vec<ArchivedRow>, EdgeError> {
        self.rows(
            "SELECT * FROM archived_orders WHERE number = ?1 \
             UNION SELECT * FROM archived_orders WHERE external_id = ?1 \
             ORDER BY created_at DESC LIMIT ?2",
            &[Arg::Text(q), Arg::Int(limit)],
        )
        .await
    }

    /// The newest batches.
    pub async fn archive_batches(&self, limit: i64) -> Result<Vec<BatchRow>, EdgeError> {
        self.rows(
            "SELECT * FROM archive_batches ORDER BY archived_at DESC, object_key DESC LIMIT ?1",
            &[Arg::Int(limit)],
        )
        .await
    }
}

/// An archived `orders` row read into the type a live one is read into.
pub fn archived_admin_row(row: &Value) -> Result<AdminOrderRow, EdgeError> {
    let raw: RawAdminOrderRow = serde_json::from_value(row.clone())
        .map_err(|err| EdgeError::Internal(format!("archived order row: {err}")))?;
    AdminOrderRow::typed(raw)
}

/// Archived `order_statuses` rows, oldest first.
pub fn archived_statuses(rows: &[Value]) -> Result<Vec<StatusRow>, EdgeError> {
    let mut rows: Vec<(i64, StatusRow)> = rows
        .iter()
        .map(|r| {
            let seq = r.get("seq").and_then(Value::as_i64).unwrap_or(0);
            serde_json::from_value::<StatusRow>(r.clone())
                .map(|s| (seq, s))
                .map_err(|err| EdgeError::Internal(format!("archived status row: {err}")))
        })
        .collect::<Result<_, _>>()?;
    rows.sort_by_key(|(seq, _)| *seq);
    Ok(rows.into_iter().map(|(_, s)| s).collect())
}
