//! The SQL of failure owners (issue 17, `migrations/0016_failure_owners.sql`): an order's
//! dead deliveries, shown with it, and the status 5 the hub sets, with its reason, when an
//! order did not reach the kitchen.

use serde::Deserialize;
use worker::D1PreparedStatement;

use super::{Arg, Storage};
use crate::error::EdgeError;

/// A dead delivery of an order, as its order shows it.
#[derive(Debug, Clone, Deserialize)]
pub struct DeadDeliveryRow {
    pub id: String,
    pub receiver: String,
    pub url: String,
    pub last_error: Option<String>,
    /// Unix seconds: when it died.
    pub updated_at: i64,
}

impl Storage {
    /// The dead deliveries of an order (by the outbox's `order_id`: the hub order id, or the
    /// `OrderId` answered to Just Eat for a JET order that was never placed), oldest first.
    pub async fn dead_deliveries_of(
        &self,
        order_id: &str,
    ) -> Result<Vec<DeadDeliveryRow>, EdgeError> {
        self.rows(
            "SELECT id, receiver, url, last_error, updated_at FROM outbox \
             WHERE order_id = ?1 AND status = 'dead' ORDER BY seq",
            &[Arg::Text(order_id)],
        )
        .await
    }

    /// The statements that move an order read at `version` to `status` with `reason` in its
    /// history (the optimistic lock of `set_order_status`).
    pub fn set_order_status_because(
        &self,
        id: &str,
        version: i64,
        status: i64,
        reason: &str,
        at: &str,
    ) -> Result<Vec<D1PreparedStatement>, EdgeError> {
        let history = self.statement(
            "INSERT INTO order_statuses (order_id, seq, status, at, reason) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            &[
                Arg::Text(id),
                Arg::Int(version + 1),
                Arg::Int(status),
                Arg::Text(at),
                Arg::Text(reason),
            ],
        )?;
        let order = self.statement(
            "UPDATE orders SET status = ?3, version = ?2 + 1, updated_at = ?4 \
             WHERE id = ?1 AND version = ?2",
            &[
                Arg::Text(id),
                Arg::Int(version),
                Arg::Int(status),
                Arg::Text(at),
            ],
        )?;
        Ok(vec![history, order])
    }
}
