//! The outbox: deliveries and their attempts (`migrations/0003_outbound.sql`).
//!
//! Every write that takes part in the delivery protocol is conditional on what was read
//! (`status = 'pending' AND attempts = ?`), so two consumers that picked up the same
//! delivery cannot both attempt it: the second one's lease changes no row and it backs off.
//! The functions return whether they changed the row.

use orderbridge_core::outbound::plan::Delivery;
use serde::Deserialize;
use worker::D1PreparedStatement;

use super::{changes, unavailable, Arg, Storage};
use crate::error::EdgeError;

/// The columns every delivery query reads, in [`DeliveryRow`]'s order.
const COLUMNS: &str = "o.id, o.receiver, o.order_id, o.order_key, o.method, o.url, o.body, \
     o.created_at, o.deadline, o.status, o.next_attempt_at, o.lease_until, o.attempts, \
     o.round_start, o.last_error, o.updated_at";

/// One outbox row as stored.
#[derive(Debug, Clone, Deserialize)]
pub struct DeliveryRow {
    pub id: String,
    pub receiver: String,
    pub order_id: Option<String>,
    pub order_key: Option<String>,
    pub method: String,
    pub url: String,
    pub body: String,
    pub created_at: i64,
    pub deadline: Option<i64>,
    /// `pending`, `delivered` or `dead`.
    pub status: String,
    pub next_attempt_at: Option<i64>,
    pub lease_until: Option<i64>,
    pub attempts: i64,
    pub round_start: i64,
    pub last_error: Option<String>,
    pub updated_at: i64,
}

/// A delivery with its attempts, for the operator's log.
#[derive(Debug, Clone, Deserialize)]
pub struct LoggedDelivery {
    #[serde(flatten)]
    pub row: DeliveryRow,
    /// A JSON array of [`AttemptRow`]s, oldest first (built by SQLite's `json_group_array`).
    pub attempt_log: String,
}

/// One attempt as logged.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AttemptRow {
    pub number: i64,
    /// Unix milliseconds.
    pub started_at: i64,
    pub latency_ms: i64,
    pub status_code: Option<i64>,
    /// `delivered`, `retry`, `permanent_failure` or `refused` (not sent, see `error`).
    pub verdict: String,
    pub error: Option<String>,
}

/// What became of a delivery after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterAttempt {
    Delivered,
    /// Still pending; the next attempt from this unix second on.
    RetryAt(i64),
    Dead,
}

impl Storage {
    /// Runs a conditional update and says whether it changed exactly one row: how the
    /// outbox claims a delivery only if nobody else has moved it on.
    async fn changed_one(
        &self,
        what: &str,
        statement: worker::Result<D1PreparedStatement>,
    ) -> Result<bool, EdgeError> {
        let result = statement
            .map_err(|err| unavailable(what, err))?
            .run()
            .await
            .map_err(|err| unavailable(what, err))?;
        Ok(changes(&result) == 1)
    }
    /// The statement that puts `delivery` into the outbox, pending and due at once. Run it in
    /// the same batch as the change that causes it ([`Storage::commit`]).
    pub fn stage_delivery(
        &self,
        delivery: &Delivery,
        order_id: Option<&str>,
        due_at: i64,
    ) -> Result<D1PreparedStatement, EdgeError> {
        worker::query!(
            &self.db,
            "INSERT INTO outbox (id, receiver, order_id, order_key, method, url, body, \
             created_at, deadline, status, next_attempt_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending', ?10, ?8)",
            delivery.id,
            delivery.receiver.as_str(),
            order_id,
            delivery.order_key,
            delivery.method.as_str(),
            delivery.url.as_str(),
            delivery.body,
            delivery.created_at,
            delivery.deadline,
            due_at,
        )
        .map_err(|err| EdgeError::Internal(format!("binding an outbox insert: {err}")))
    }

    /// One delivery by id.
    pub async fn delivery(&self, id: &str) -> Result<Option<DeliveryRow>, EdgeError> {
        worker::query!(
            &self.db,
            &format!("SELECT {COLUMNS} FROM outbox o WHERE o.id = ?1"),
            id
        )
        .map_err(|err| unavailable("outbox read", err))?
        .first::<DeliveryRow>(None)
        .await
        .map_err(|err| unavailable("outbox read", err))
    }

    /// The oldest pending delivery of an ordering key: the only one of the key that may
    /// act (core's `plan::turn` looks at nothing else, so nothing else is read).
    pub async fn head_of_key(&self, order_key: &str) -> Result<Option<DeliveryRow>, EdgeError> {
        worker::query!(
            &self.db,
            &format!(
                "SELECT {COLUMNS} FROM outbox o WHERE o.status = 'pending' AND o.order_key = ?1 \
                 ORDER BY o.seq LIMIT 1"
            ),
            order_key
        )
        .map_err(|err| unavailable("outbox head", err))?
        .first::<DeliveryRow>(None)
        .await
        .map_err(|err| unavailable("outbox head", err))
    }

    /// What the sweep looks at: every pending delivery that heads its key (or has none) and
    /// is due or past its deadline, oldest first.
    pub async fn sweep_candidates(
        &self,
        now: i64,
        limit: u32,
    ) -> Result<Vec<DeliveryRow>, EdgeError> {
        // Through `rows`, so a counting storage counts the sweep's reads (`make bench-scale`).
        let sql = format!(
            "SELECT {COLUMNS} FROM outbox o \
             WHERE o.status = 'pending' \
               AND (o.next_attempt_at <= ?1 OR (o.deadline IS NOT NULL AND o.deadline < ?1)) \
               AND (o.order_key IS NULL OR NOT EXISTS ( \
                    SELECT 1 FROM outbox p \
                    WHERE p.status = 'pending' AND p.order_key = o.order_key AND p.seq < o.seq)) \
             ORDER BY o.seq LIMIT ?2"
        );
        self.rows(&sql, &[Arg::Int(now), Arg::Int(i64::from(limit))])
            .await
    }

    /// Takes the lease for an attempt: counts the attempt and moves `next_attempt_at` to
    /// `lease_until`, if the delivery is still pending with `seen_attempts` attempts and not
    /// leased. `false`: someone else holds it or it has moved on.
    pub async fn lease_delivery(
        &self,
        id: &str,
        seen_attempts: i64,
        lease_until: i64,
        now: i64,
    ) -> Result<bool, EdgeError> {
        let statement = worker::query!(
            &self.db,
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?3, lease_until = ?3, \
             updated_at = ?4 \
             WHERE id = ?1 AND status = 'pending' AND attempts = ?2 \
               AND (lease_until IS NULL OR lease_until <= ?4)",
            id,
            seen_attempts,
            lease_until,
            now
        );
        self.changed_one("outbox lease", statement).await
    }

    /// Logs attempt `attempt.number` and records what became of the delivery, in one
    /// batch. The attempt is always logged; the delivery changes only if this attempt still
    /// holds it (`attempts` unchanged since the lease). Returns whether it did.
    pub async fn finish_attempt(
        &self,
        delivery_id: &str,
        attempt: &AttemptRow,
        after: AfterAttempt,
        last_error: Option<&str>,
        now: i64,
    ) -> Result<bool, EdgeError> {
        let bind = |err: worker::Error| unavailable("outbox attempt", err);
        let log = worker::query!(
            &self.db,
            "INSERT INTO outbox_attempts \
             (delivery_id, number, started_at, latency_ms, status_code, verdict, error) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            delivery_id,
            attempt.number,
            attempt.started_at,
            attempt.latency_ms,
            attempt.status_code,
            attempt.verdict,
            attempt.error,
        )
        .map_err(bind)?;
        let (status, next_attempt_at) = match after {
            AfterAttempt::Delivered => ("delivered", None),
            AfterAttempt::RetryAt(at) => ("pending", Some(at)),
            AfterAttempt::Dead => ("dead", None),
        };
        let update = worker::query!(
            &self.db,
            "UPDATE outbox SET status = ?3, next_attempt_at = ?4, lease_until = NULL, \
             last_error = ?5, updated_at = ?6 \
             WHERE id = ?1 AND status = 'pending' AND attempts = ?2",
            delivery_id,
            attempt.number,
            status,
            next_attempt_at,
            last_error,
            now
        )
        .map_err(bind)?;
        let results = self.db.batch(vec![log, update]).await.map_err(bind)?;
        Ok(results.get(1).map(changes) == Some(1))
    }

    /// Marks a pending delivery dead without an attempt (its deadline passed), if it still
    /// has `seen_attempts` attempts and no running attempt.
    pub async fn expire_delivery(
        &self,
        id: &str,
        seen_attempts: i64,
        error: &str,
        now: i64,
    ) -> Result<bool, EdgeError> {
        let statement = worker::query!(
            &self.db,
            "UPDATE outbox SET status = 'dead', next_attempt_at = NULL, lease_until = NULL, \
             last_error = ?3, updated_at = ?4 \
             WHERE id = ?1 AND status = 'pending' AND attempts = ?2 \
               AND (lease_until IS NULL OR lease_until <= ?4)",
            id,
            seen_attempts,
            error,
            now
        );
        self.changed_one("outbox expire", statement).await
    }

    /// Makes a delivered or dead delivery pending and due now again, with a fresh round of
    /// attempts (the log keeps the earlier ones), if its status is still `seen_status`.
    pub async fn replay_delivery(
        &self,
        id: &str,
        seen_status: &str,
        now: i64,
    ) -> Result<bool, EdgeError> {
        let statement = worker::query!(
            &self.db,
            "UPDATE outbox SET status = 'pending', next_attempt_at = ?3, lease_until = NULL, \
             round_start = attempts, updated_at = ?3 \
             WHERE id = ?1 AND status = ?2",
            id,
            seen_status,
            now
        );
        self.changed_one("outbox replay", statement).await
    }

    /// The delivery log: deliveries (optionally of one order, optionally in one status) with
    /// every attempt, the latest `limit` of them, oldest first.
    pub async fn delivery_log(
        &self,
        order_id: Option<&str>,
        status: Option<&str>,
        limit: u32,
    ) -> Result<Vec<LoggedDelivery>, EdgeError> {
        worker::query!(
            &self.db,
            &format!(
                "SELECT * FROM ( \
                   SELECT o.seq, {COLUMNS}, \
                     (SELECT json_group_array(json_object( \
                          'number', a.number, 'started_at', a.started_at, \
                          'latency_ms', a.latency_ms, 'status_code', a.status_code, \
                          'verdict', a.verdict, 'error', a.error)) \
                      FROM (SELECT * FROM outbox_attempts \
                            WHERE delivery_id = o.id ORDER BY number) a) AS attempt_log \
                   FROM outbox o \
                   WHERE (?1 IS NULL OR o.order_id = ?1) AND (?2 IS NULL OR o.status = ?2) \
                   ORDER BY o.seq DESC LIMIT ?3) \
                 ORDER BY seq"
            ),
            order_id,
            status,
            limit
        )
        .map_err(|err| unavailable("delivery log", err))?
        .all()
        .await
        .and_then(|result| result.results::<LoggedDelivery>())
        .map_err(|err| unavailable("delivery log", err))
    }
}
