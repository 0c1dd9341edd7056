//! The SQL of amendments asked of JET Connect (`migrations/0025_jet_amendments.sql`).

use serde::Deserialize;
use worker::D1PreparedStatement;

use super::{Arg, Storage};
use crate::error::EdgeError;

/// A `jet_amendments` row.
#[derive(Debug, Clone, Deserialize)]
pub struct JetAmendmentRow {
    pub order_id: String,
    pub jet_order_id: String,
    pub brand_slug: String,
    pub body: String,
    pub delivery_id: String,
    pub requested_at: String,
}

impl Storage {
    pub async fn jet_amendment(
        &self,
        order_id: &str,
    ) -> Result<Option<JetAmendmentRow>, EdgeError> {
        self.row(
            "SELECT order_id, jet_order_id, brand_slug, body, delivery_id, requested_at \
             FROM jet_amendments WHERE order_id = ?1",
            &[Arg::Text(order_id)],
        )
        .await
    }

    /// Records an amendment; in the batch that stages its call (a second one for the order
    /// fails the batch on the primary key, so nothing is staged twice).
    pub fn insert_jet_amendment(
        &self,
        row: &JetAmendmentRow,
    ) -> Result<D1PreparedStatement, EdgeError> {
        self.statement(
            "INSERT INTO jet_amendments \
                 (order_id, jet_order_id, brand_slug, body, delivery_id, requested_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[
                Arg::Text(&row.order_id),
                Arg::Text(&row.jet_order_id),
                Arg::Text(&row.brand_slug),
                Arg::Text(&row.body),
                Arg::Text(&row.delivery_id),
                Arg::Text(&row.requested_at),
            ],
        )
    }
}
