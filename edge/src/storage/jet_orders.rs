//! The SQL of JET Connect orders (`migrations/0005_channel_orders.sql`, `jet_orders`): the
//! receipt record, the one-time decision of the outcome owed to Just Eat, cancellations and
//! final picked versions.

use serde::Deserialize;
use worker::D1PreparedStatement;

use orderbridge_core::domain::UtcOffset;
use orderbridge_core::outbound::plan::ReceiverKind;

use super::typed::{self, Typed};
use super::{Arg, Storage};
use crate::error::EdgeError;

/// The recorded message of an order Just Eat cancelled before its outcome was known.
pub const CANCELLED_UNDECIDED: &str =
    "cancelled by Just Eat before the POS outcome was known: no outcome sent";

/// A `jet_orders` row.
#[derive(Debug, Clone, Deserialize)]
pub struct JetOrderRow {
    pub id: String,
    pub answer_id: String,
    pub body: String,
    pub restaurant_id: Option<String>,
    pub order_id: Option<String>,
    pub delivery_id: String,
    pub received_at: String,
    pub deadline_at: i64,
    pub outcome: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub decided_at: Option<String>,
    pub late_outcome: Option<String>,
    pub cancelled_at: Option<String>,
    pub cancel_reason: Option<String>,
    pub final_body: Option<String>,
    pub final_at: Option<String>,
    /// The digests of the final versions applied, space-separated, oldest first (0017).
    #[serde(default)]
    pub final_digests: String,
}

const COLUMNS: &str = "id, answer_id, body, restaurant_id, order_id, delivery_id, received_at, \
     deadline_at, outcome, error_code, error_message, decided_at, late_outcome, cancelled_at, \
     cancel_reason, final_body, final_at, final_digests";

/// A received order to record.
pub struct JetOrderWrite<'a> {
    pub id: &'a str,
    pub answer_id: &'a str,
    pub body: &'a str,
    pub restaurant_id: Option<&'a str>,
    pub order_id: Option<&'a str>,
    pub delivery_id: &'a str,
    pub received_at: &'a str,
    pub deadline_at: i64,
    /// The outcome when known at receipt: (`success`|`failed`, code, message).
    pub outcome: Option<(&'a str, Option<&'a str>, Option<&'a str>)>,
}

/// The hub restaurant that holds a JET location id.
#[derive(Debug, Clone)]
pub struct JetLocationRow {
    pub id: String,
    pub utc_offset: UtcOffset,
    pub timezone: Option<String>,
}

/// A [`JetLocationRow`] as D1 gives it.
#[derive(Deserialize)]
pub(super) struct RawJetLocationRow {
    id: String,
    utc_offset: String,
    #[serde(default)]
    timezone: Option<String>,
}

impl Typed for JetLocationRow {
    type Raw = RawJetLocationRow;

    fn typed(raw: RawJetLocationRow) -> Result<JetLocationRow, EdgeError> {
        Ok(JetLocationRow {
            utc_offset: typed::utc_offset(&raw.utc_offset, &raw.id)?,
            id: raw.id,
            timezone: raw.timezone,
        })
    }
}

/// An outcome decided once, before the deadline.
pub struct Decision<'a> {
    pub jet_id: &'a str,
    pub delivery_id: &'a str,
    pub outcome: &'a str,
    pub error_code: Option<&'a str>,
    pub error_message: Option<&'a str>,
    /// The outcome call as it is now to be sent.
    pub url: &'a str,
    pub body: &'a str,
    pub at: &'a str,
    pub now: i64,
}

impl Storage {
    pub async fn jet_order(&self, id: &str) -> Result<Option<JetOrderRow>, EdgeError> {
        self.row(
            &format!("SELECT {COLUMNS} FROM jet_orders WHERE id = ?1"),
            &[Arg::Text(id)],
        )
        .await
    }

    /// The JET order a hub order came from.
    pub async fn jet_order_of(&self, order_id: &str) -> Result<Option<JetOrderRow>, EdgeError> {
        self.row(
            &format!("SELECT {COLUMNS} FROM jet_orders WHERE order_id = ?1"),
            &[Arg::Text(order_id)],
        )
        .await
    }

    pub async fn restaurant_by_jet_location(
        &self,
        location: &str,
    ) -> Result<Option<JetLocationRow>, EdgeError> {
        self.typed_row(
            "SELECT id, utc_offset, timezone FROM restaurants WHERE jet_location_id = ?1",
            &[Arg::Text(location)],
        )
        .await
    }

    /// The receipt record. Its primary key is the JET id: a second receipt of the same
    /// order fails the batch.
    pub fn record_jet_order(
        &self,
        w: &JetOrderWrite<'_>,
    ) -> Result<D1PreparedStatement, EdgeError> {
        let (outcome, code, message) = w.outcome.unwrap_or(("", None, None));
        let outcome = (!outcome.is_empty()).then_some(outcome);
        self.statement(
            "INSERT INTO jet_orders (id, answer_id, body, restaurant_id, order_id, delivery_id, \
                 received_at, deadline_at, outcome, error_code, error_message, decided_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, \
                 CASE WHEN ?9 IS NULL THEN NULL ELSE ?7 END)",
            &[
                Arg::Text(w.id),
                Arg::Text(w.answer_id),
                Arg::Text(w.body),
                Arg::OptText(w.restaurant_id),
                Arg::OptText(w.order_id),
                Arg::Text(w.delivery_id),
                Arg::Text(w.received_at),
                Arg::Int(w.deadline_at),
                Arg::OptText(outcome),
                Arg::OptText(code),
                Arg::OptText(message),
            ],
        )
    }

    /// Decides an order's outcome if it is still open: the outcome call (staged as the
    /// deadline's `TIMEOUT`, not yet due and never attempted) is rewritten to `d.url` and
    /// `d.body` and made due now, and the row records the outcome, in one batch. Both
    /// statements test the same state, so they apply together or not at all. `false`: the
    /// outcome was decided already or the deadline's call is due or under way.
    pub async fn decide_jet_outcome(&self, d: &Decision<'_>) -> Result<bool, EdgeError> {
        let call = self.statement(
            "UPDATE outbox SET url = ?2, body = ?3, next_attempt_at = ?4, updated_at = ?4 \
             WHERE id = ?1 AND status = 'pending' AND attempts = 0 AND lease_until IS NULL \
               AND next_attempt_at > ?4 \
               AND EXISTS (SELECT 1 FROM jet_orders WHERE id = ?5 AND outcome IS NULL)",
            &[
                Arg::Text(d.delivery_id),
                Arg::Text(d.url),
                Arg::Text(d.body),
                Arg::Int(d.now),
                Arg::Text(d.jet_id),
            ],
        )?;
        let record = self.statement(
            "UPDATE jet_orders SET outcome = ?2, error_code = ?3, error_message = ?4, \
                 decided_at = ?5 \
             WHERE id = ?1 AND outcome IS NULL \
               AND EXISTS (SELECT 1 FROM outbox WHERE id = ?6 AND body = ?7 AND attempts = 0 \
                   AND next_attempt_at = ?8)",
            &[
                Arg::Text(d.jet_id),
                Arg::Text(d.outcome),
                Arg::OptText(d.error_code),
                Arg::OptText(d.error_message),
                Arg::Text(d.at),
                Arg::Text(d.delivery_id),
                Arg::Text(d.body),
                Arg::Int(d.now),
            ],
        )?;
        let changed = self.batch(vec![call, record]).await?;
        Ok(changed.get(1).copied().unwrap_or(0) == 1)
    }

    /// An outcome that came after the decision: recorded, never sent. An order whose
    /// deadline passed undecided is recorded as the `TIMEOUT` its call said.
    pub async fn record_late_jet_outcome(
        &self,
        jet_id: &str,
        late: &str,
        timeout_message: &str,
        deadline_at: &str,
    ) -> Result<(), EdgeError> {
        let statement = self.statement(
            "UPDATE jet_orders SET late_outcome = ?2, \
                 error_code = CASE WHEN outcome IS NULL THEN 'TIMEOUT' ELSE error_code END, \
                 error_message = CASE WHEN outcome IS NULL THEN ?3 ELSE error_message END, \
                 decided_at = CASE WHEN outcome IS NULL THEN ?4 ELSE decided_at END, \
                 outcome = COALESCE(outcome, 'failed') \
             WHERE id = ?1",
            &[
                Arg::Text(jet_id),
                Arg::Text(late),
                Arg::Text(timeout_message),
                Arg::Text(deadline_at),
            ],
        )?;
        self.batch(vec![statement]).await.map(drop)
    }

    /// Records Just Eat's cancellation of an order and settles what is still owed for it,
    /// so nothing is sent for a cancelled order afterwards (the hub order's status is the
    /// caller's batch): the `sent-to-pos` call (the deadline's `TIMEOUT` or an outcome not
    /// yet sent: Just Eat no longer holds the order pending) and the forwarding to an
    /// upstream Jupiter, each while it is pending. A settled call is `dead` with the reason
    /// as its last error, so the delivery log says why it never went; an attempt under way
    /// at that moment cannot be recalled, but its result no longer matches the row (the
    /// outbox conditions every update on `pending`), so nothing is retried after it. An order still undecided is recorded as `failed` (the column allows only
    /// `success` and `failed`) with no error code and [`CANCELLED_UNDECIDED`] as its message,
    /// which closes [`Storage::decide_jet_outcome`] for good; `cancelled_at` tells it apart. The statements run in this order: the
    /// outbox is settled while the outcome is still open.
    pub fn cancel_jet_order(
        &self,
        jet: &JetOrderRow,
        reason: &str,
        at: &str,
        now: i64,
    ) -> Result<Vec<D1PreparedStatement>, EdgeError> {
        let why = format!("not sent: Just Eat cancelled the order at {at}");
        let mut statements = vec![self.statement(
            "UPDATE outbox SET status = 'dead', next_attempt_at = NULL, last_error = ?2, \
                 updated_at = ?3 \
             WHERE id = ?1 AND status = 'pending'",
            &[Arg::Text(&jet.delivery_id), Arg::Text(&why), Arg::Int(now)],
        )?];
        if let Some(order_id) = jet.order_id.as_deref() {
            statements.push(self.statement(
                "UPDATE outbox SET status = 'dead', next_attempt_at = NULL, last_error = ?3, \
                     updated_at = ?4 \
                 WHERE order_id = ?1 AND receiver = ?2 AND status = 'pending'",
                &[
                    Arg::Text(order_id),
                    Arg::Text(ReceiverKind::JupiterInjection.as_str()),
                    Arg::Text(&why),
                    Arg::Int(now),
                ],
            )?);
        }
        statements.push(self.statement(
            "UPDATE jet_orders SET cancelled_at = ?3, cancel_reason = ?2, \
                 error_message = CASE WHEN outcome IS NULL THEN ?4 ELSE error_message END, \
                 decided_at = COALESCE(decided_at, ?3), \
                 outcome = COALESCE(outcome, 'failed') \
             WHERE id = ?1",
            &[
                Arg::Text(&jet.id),
                Arg::OptText((!reason.is_empty()).then_some(reason)),
                Arg::Text(at),
                Arg::Text(CANCELLED_UNDECIDED),
            ],
        )?);
        Ok(statements)
    }

    /// Keeps the final picked version of an order and, for a placed order (`order_id`),
    /// records it as the order's amendment (with the contents it found) and replaces the
    /// order's lines and total with `replacement` (request, total) when it could be
    /// translated; in one batch.
    pub async fn finalize_jet_order(
        &self,
        jet_id: &str,
        body: &str,
        digest: &str,
        order_id: Option<&str>,
        replacement: Option<(&str, i64)>,
        at: &str,
    ) -> Result<(), EdgeError> {
        // Guarded as core's rule decided (`jet::order::replay`), so a cancellation or the
        // same version committed between the read and this batch still wins: the version
        // is recorded only if it is new and the order not cancelled, and the hub order's
        // contents change only if that record was made and the order is not at 5.
        let mut statements = vec![self.statement(
            "UPDATE jet_orders SET final_body = ?2, final_at = ?3, \
             final_digests = trim(final_digests || ' ' || ?4) \
             WHERE id = ?1 AND cancelled_at IS NULL AND instr(final_digests, ?4) = 0",
            &[
                Arg::Text(jet_id),
                Arg::Text(body),
                Arg::Text(at),
                Arg::Text(digest),
            ],
        )?];
        let Some(order_id) = order_id else {
            return self.batch(statements).await.map(drop);
        };
        // The amendment reads the contents it found before the update replaces them.
        statements.push(self.amendment(
            order_id,
            super::amendments::JET_FINAL_PICKED,
            replacement.map(|(request, _)| request),
            at,
        )?);
        if let Some((request, total)) = replacement {
            statements.push(self.statement(
                "UPDATE orders SET request = ?2, total = ?3, updated_at = ?4 \
                 WHERE id = ?1 AND status <> 5 AND EXISTS (SELECT 1 FROM jet_orders \
                   WHERE id = ?5 AND final_at = ?4 AND substr(final_digests, -64) = ?6)",
                &[
                    Arg::Text(order_id),
                    Arg::Text(request),
                    Arg::Int(total),
                    Arg::Text(at),
                    Arg::Text(jet_id),
                    Arg::Text(digest),
                ],
            )?);
        }
        self.batch(statements).await.map(drop)
    }
}

/// A JET Connect menu callback for a relayed ingestion.
#[derive(Debug, Clone, Deserialize)]
pub struct MenuCallbackRow {
    pub ingestion_id: String,
    pub body: String,
    pub received_at: String,
}

impl Storage {
    /// The ingestion whose relay `token` is, if any.
    pub async fn ingestion_of_relay_token(&self, token: &str) -> Result<Option<String>, EdgeError> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
        }
        let row: Option<Row> = self
            .row(
                "SELECT id FROM menu_ingestions WHERE relay_token = ?1",
                &[Arg::Text(token)],
            )
            .await?;
        Ok(row.map(|r| r.id))
    }

    pub async fn record_menu_callback(
        &self,
        ingestion_id: &str,
        body: &str,
        at: &str,
    ) -> Result<(), EdgeError> {
        let statement = self.statement(
            "INSERT INTO jet_menu_callbacks (ingestion_id, body, received_at) VALUES (?1, ?2, ?3)",
            &[Arg::Text(ingestion_id), Arg::Text(body), Arg::Text(at)],
        )?;
        self.batch(vec![statement]).await.map(drop)
    }

    /// The latest 100 menu callbacks, oldest first.
    pub async fn menu_callbacks(&self) -> Result<Vec<MenuCallbackRow>, EdgeError> {
        self.rows(
            "SELECT * FROM (SELECT seq, ingestion_id, body, received_at FROM jet_menu_callbacks \
             ORDER BY seq DESC LIMIT 100) ORDER BY seq",
            &[],
        )
        .await
    }
}

/// A `jet_reconciliations` row.
#[derive(Debug, Clone, Deserialize)]
pub struct ReconciliationRow {
    pub id: String,
    pub ran_at: String,
    pub from_at: String,
    pub to_at: String,
    pub sources: String,
    pub checked: i64,
    pub error: Option<String>,
}

/// A `jet_reconciliation_findings` row.
#[derive(Debug, Clone, Deserialize)]
pub struct FindingRow {
    pub kind: String,
    pub order_id: String,
    pub reference: String,
    pub location: String,
    pub ours: Option<String>,
    pub theirs: String,
    pub message: String,
}

/// A JET order's id and the outcome the hub reported.
#[derive(Debug, Clone, Deserialize)]
pub struct JetOutcomeRow {
    pub id: String,
    pub outcome: Option<String>,
}

/// One run to record.
pub struct RunWrite<'a> {
    pub id: &'a str,
    pub ran_at: &'a str,
    pub from_at: &'a str,
    pub to_at: &'a str,
    pub sources: &'a str,
    pub checked: i64,
    pub error: Option<&'a str>,
}

impl Storage {
    /// Every JET order received since `since` (RFC 3339 UTC), with its outcome.
    pub async fn jet_outcomes_since(&self, since: &str) -> Result<Vec<JetOutcomeRow>, EdgeError> {
        self.rows(
            "SELECT id, outcome FROM jet_orders WHERE received_at >= ?1",
            &[Arg::Text(since)],
        )
        .await
    }

    /// The JET Connect location ids the restaurants carry.
    pub async fn jet_location_ids(&self) -> Result<Vec<String>, EdgeError> {
        #[derive(Deserialize)]
        struct L {
            jet_location_id: String,
        }
        let rows: Vec<L> = self
            .rows(
                "SELECT DISTINCT jet_location_id FROM restaurants \
                 WHERE jet_location_id IS NOT NULL AND jet_location_id != '' ORDER BY 1",
                &[],
            )
            .await?;
        Ok(rows.into_iter().map(|l| l.jet_location_id).collect())
    }

    /// The latest run, if any.
    pub async fn latest_reconciliation(&self) -> Result<Option<ReconciliationRow>, EdgeError> {
        self.row(
            "SELECT id, ran_at, from_at, to_at, sources, checked, error FROM jet_reconciliations \
             ORDER BY ran_at DESC, id DESC LIMIT 1",
            &[],
        )
        .await
    }

    pub async fn reconciliation_findings(
        &self,
        run_id: &str,
    ) -> Result<Vec<FindingRow>, EdgeError> {
        self.rows(
            "SELECT kind, order_id, reference, location, ours, theirs, message \
             FROM jet_reconciliation_findings WHERE run_id = ?1 ORDER BY seq",
            &[Arg::Text(run_id)],
        )
        .await
    }

    /// A run and its findings, in one batch.
    pub fn record_reconciliation(
        &self,
        run: &RunWrite<'_>,
        findings: &[orderbridge_core::jet::reconcile::Finding],
    ) -> Result<Vec<D1PreparedStatement>, EdgeError> {
        let mut out = vec![self.statement(
            "INSERT INTO jet_reconciliations (id, ran_at, from_at, to_at, sources, checked, error) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            &[
                Arg::Text(run.id),
                Arg::Text(run.ran_at),
                Arg::Text(run.from_at),
                Arg::Text(run.to_at),
                Arg::Text(run.sources),
                Arg::Int(run.checked),
                Arg::OptText(run.error),
            ],
        )?];
        for (seq, f) in findings.iter().enumerate() {
            let o = f.order();
            let (ours, theirs) = match f {
                orderbridge_core::jet::reconcile::Finding::Missing { order } => {
                    (None, order.status.as_str())
                }
                orderbridge_core::jet::reconcile::Finding::Disagrees { ours, theirs, .. } => {
                    (Some(*ours), theirs.as_str())
                }
            };
            let message = f.message();
            out.push(self.statement(
                "INSERT INTO jet_reconciliation_findings \
                 (run_id, seq, kind, order_id, reference, location, ours, theirs, message) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                &[
                    Arg::Text(run.id),
                    Arg::Int(i64::try_from(seq).unwrap_or(i64::MAX)),
                    Arg::Text(f.kind()),
                    Arg::Text(&o.id),
                    Arg::Text(&o.reference),
                    Arg::Text(&o.location),
                    Arg::OptText(ours),
                    Arg::Text(theirs),
                    Arg::Text(&message),
                ],
            )?);
        }
        Ok(out)
    }
}
