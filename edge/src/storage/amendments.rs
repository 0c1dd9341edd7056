//! The SQL of an order read back (`migrations/0015_order_amendments.sql`): the order's
//! stored contents and the amendments that reached it after it was placed.

use serde::Deserialize;
use worker::D1PreparedStatement;

use super::{Arg, Storage};
use crate::error::EdgeError;

/// What an order read back needs beyond [`super::OrderRow`]: its contents and zone.
#[derive(Debug, Clone, Deserialize)]
pub struct ContentsRow {
    /// The Jupiter `new_order` as stored (amendments applied), JSON.
    pub request: String,
    pub zone_id: Option<String>,
}

/// An `order_amendments` row.
#[derive(Debug, Clone, Deserialize)]
pub struct AmendmentRow {
    pub source: String,
    pub before_request: String,
    /// `None`: the amendment could not be applied.
    pub after_request: Option<String>,
    pub received_at: String,
}

/// Where an amendment came from (the table's `source` check).
pub const JET_FINAL_PICKED: &str = "jet_final_picked";

impl Storage {
    pub async fn order_contents(&self, id: &str) -> Result<Option<ContentsRow>, EdgeError> {
        self.row(
            "SELECT request, zone_id FROM orders WHERE id = ?1",
            &[Arg::Text(id)],
        )
        .await
    }

    /// An order's amendments in arrival order.
    pub async fn order_amendments(&self, id: &str) -> Result<Vec<AmendmentRow>, EdgeError> {
        self.rows(
            "SELECT source, before_request, after_request, received_at FROM order_amendments \
             WHERE order_id = ?1 ORDER BY seq",
            &[Arg::Text(id)],
        )
        .await
    }

    /// Records an amendment of `order_id`: the contents it found are read from the order by
    /// the statement itself, so it must run in the batch before the statement that
    /// rewrites them. `after` is the new contents, `None` when it is not applied.
    pub(super) fn amendment(
        &self,
        order_id: &str,
        source: &str,
        after: Option<&str>,
        at: &str,
    ) -> Result<D1PreparedStatement, EdgeError> {
        self.statement(
            "INSERT INTO order_amendments \
                 (order_id, seq, source, before_request, after_request, received_at) \
             SELECT id, \
                 (SELECT COALESCE(MAX(seq), 0) + 1 FROM order_amendments WHERE order_id = ?1), \
                 ?2, request, ?3, ?4 \
             FROM orders WHERE id = ?1",
            &[
                Arg::Text(order_id),
                Arg::Text(source),
                Arg::OptText(after),
                Arg::Text(at),
            ],
        )
    }
}
