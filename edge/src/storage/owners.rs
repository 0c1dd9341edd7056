//! The SQL of failure owners (issue 17, `migrations/0016_failure_owners.sql`): an order's
//! dead deliveries, shown with it, and the status 5 the hub sets, with its reason, when an
//! order did not reach the kitchen.

use serde::Deserialize;

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
}
