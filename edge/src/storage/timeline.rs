//! The SQL of an order's timeline (`migrations/0020_order_timeline.sql`, core's
//! `order::timeline`): events Just Eat's webhooks tell about an order, one per distinct body.

use orderbridge_core::order::timeline::{Event, Kind};
use serde::Deserialize;
use worker::D1PreparedStatement;

use super::typed::{instant, Typed};
use super::{millis, Arg, Storage};
use crate::error::EdgeError;

/// An `order_events` row as D1 gives it.
#[derive(Debug, Deserialize)]
pub(super) struct EventRaw {
    seq: i64,
    kind: String,
    at: String,
    received_at: String,
    source: String,
    eta: Option<String>,
    detail: String,
}

impl Typed for Event {
    type Raw = EventRaw;

    fn typed(raw: EventRaw) -> Result<Event, EdgeError> {
        let row = format!("order_events {}", raw.seq);
        let when = |text: &str, column: &str| {
            instant(Some(text), column, &row)?
                .ok_or_else(|| EdgeError::Internal(format!("{row}: {column} is empty")))
        };
        Ok(Event {
            kind: Kind::parse(&raw.kind).ok_or_else(|| {
                EdgeError::Internal(format!("stored kind {:?} of {row} is not known", raw.kind))
            })?,
            at: when(&raw.at, "at")?,
            received_at: when(&raw.received_at, "received_at")?,
            eta: instant(raw.eta.as_deref(), "eta", &row)?,
            detail: serde_json::from_str(&raw.detail)
                .map_err(|err| EdgeError::Internal(format!("{row}: detail: {err}")))?,
            source: raw.source,
        })
    }
}

impl Storage {
    /// An order's events in arrival order.
    pub async fn order_events(&self, order_id: &str) -> Result<Vec<Event>, EdgeError> {
        self.typed_rows(
            "SELECT seq, kind, at, received_at, source, eta, detail FROM order_events \
             WHERE order_id = ?1 ORDER BY seq",
            &[Arg::Text(order_id)],
        )
        .await
    }

    /// The statement that records `event` on `order_id` unless an event with `dedup`
    /// (core's `timeline::dedup_key`) is already there: for a batch that also changes the
    /// order, so both happen or neither does.
    pub fn order_event(
        &self,
        order_id: &str,
        event: &Event,
        dedup: &str,
    ) -> Result<D1PreparedStatement, EdgeError> {
        let detail = event.detail.to_string();
        let eta = event.eta.map(millis);
        self.statement(
            "INSERT OR IGNORE INTO order_events \
                 (order_id, kind, at, received_at, source, eta, detail, dedup) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            &[
                Arg::Text(order_id),
                Arg::Text(event.kind.as_str()),
                Arg::Text(&millis(event.at)),
                Arg::Text(&millis(event.received_at)),
                Arg::Text(&event.source),
                Arg::OptText(eta.as_deref()),
                Arg::Text(&detail),
                Arg::Text(dedup),
            ],
        )
    }

    /// Records `event` on `order_id` alone; `false` when the same event was already there
    /// (a repeated webhook).
    pub async fn add_order_event(
        &self,
        order_id: &str,
        event: &Event,
        dedup: &str,
    ) -> Result<bool, EdgeError> {
        let changed = self
            .batch(vec![self.order_event(order_id, event, dedup)?])
            .await?;
        Ok(changed.first().copied().unwrap_or(0) > 0)
    }
}
