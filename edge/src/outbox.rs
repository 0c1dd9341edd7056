//! The one way anything leaves the hub: stage a delivery with the change that causes it,
//! commit both in one D1 batch, then kick the queue.
//!
//! ```text
//! let storage = Storage::new(env)?;
//! let status_call = Outgoing::new(ReceiverKind::SiteStatus, Some(&order_id), Method::Post,
//!                                 status_url, body, now, None)?;   // status_url: OutboundUrl
//! let mut batch = vec![storage.insert_order(&order)?];            // the caller's change
//! batch.extend(outbox::stage(&storage, &status_call)?);
//! storage.commit(batch).await?;                                   // both or neither
//! outbox::kick(env, &[&status_call.delivery.id]).await;           // after the commit
//! ```
//!
//! * The URL is an [`OutboundUrl`]: it passed core's URL guard (with
//!   [`Config::url_policy`](crate::config::Config::url_policy)) when the caller accepted it,
//!   so a refused URL is an error to whoever gave it to us, never a silent drop later.
//! * Nothing secret is staged. The Just Eat and Jupiter keys and the webhook signature are
//!   attached when the request is sent (`outbound_send`), by receiver kind.
//! * [`kick`] only makes the delivery go *now*. If it fails (or the Worker dies before it
//!   runs), the delivery is still pending in D1 and the sweep (`outbound_cron`) enqueues it.
//!   So a caller never fails a request because of `kick`.
//!
//! What happens after the commit (`outbound_queue`, `outbound_send`, core's `outbound`):
//!
//! * **One attempt** takes a lease first (a conditional update: `attempts + 1`,
//!   `next_attempt_at` and `lease_until` = now + the attempt timeout + 5 s), so a duplicated
//!   queue message or a concurrent sweep cannot send twice; then the request, redirects not
//!   followed, under `ATTEMPT_TIMEOUT_SECS`. Core's `classify` reads the outcome;
//!   `backoff::next_attempt` (jitter drawn by the edge, the answer's `Retry-After` honoured)
//!   says when to retry or to give up; the attempt row (time, status, latency, verdict,
//!   error) and the delivery's new state are written in one batch, the latter only while
//!   the lease holds. The retry policy comes from `RETRY_FIRST_DELAY_SECS` (10),
//!   `RETRY_FACTOR` (2), `RETRY_MAX_DELAY_SECS` (3600), `RETRY_MAX_ATTEMPTS` (20); a bad value
//!   is logged and replaced by its default.
//! * **At least once.** If the Worker dies (or D1 fails) after a request went out but before
//!   its result is written, the lease runs out and the delivery is attempted again (a gap in
//!   the log's attempt numbers). Every call carries `X-Orderbridge-Delivery: <id>`, the same
//!   on each attempt, so receivers drop duplicates.
//! * **Per-key ordering**: only the oldest pending delivery of an order and receiver acts
//!   (core's `plan::turn`); when it is delivered or dead, the consumer pokes the next one.
//!   The consumer handles a batch's messages concurrently (`max_batch_size` 100).
//! * **Dead letters**: after a permanent failure, the last attempt or a passed deadline the
//!   delivery is `dead` with its last error; nothing is deleted. `GET /admin/deliveries`
//!   shows every attempt; `POST /admin/deliveries/{id}/replay` makes a delivered or dead one
//!   pending again (409 while pending or past its deadline). What a death causes (the order
//!   moved to 5, a JET order told `sent-to-pos-failed`) is core's `outbound::owner`,
//!   carried out by `owners`.
//! * **Why a queue plus a cron sweep.** The queue gives prompt first attempts and retries at
//!   their backoff time (`delay_seconds`); D1 is the truth, so the queue may lose a message
//!   without losing a delivery: the minute sweep (`outbound_cron`) re-enqueues whatever is
//!   due. Locally (wrangler 4.86) Queues honour `delay_seconds` but keep messages in memory
//!   only (a restart forgets them; D1 survives), and `wrangler dev` never fires cron
//!   triggers: `make dev` and the tests run with `--test-scheduled` and fire the sweep with
//!   `GET /__scheduled`. A Durable Object alarm per key would resume by itself locally, but
//!   it would be a second mechanism in production only to spare a development-time curl.

use orderbridge_core::outbound::plan::{
    order_key, Delivery, DeliveryStatus, OutboxEntry, ReceiverKind,
};
use orderbridge_core::outbound::url_guard::{check_outbound_url, OutboundUrl, UrlPolicy};
use orderbridge_core::routes::Method;
use serde::{Deserialize, Serialize};
use worker::{D1PreparedStatement, Env, MessageBuilder, SendMessage};

use crate::error::EdgeError;
use crate::storage::outbox::DeliveryRow;
use crate::storage::Storage;
use crate::{bindings, random};

/// A delivery about to be staged, with the order it belongs to (for the operator's log).
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub delivery: Delivery,
    pub order_id: Option<String>,
    /// The first attempt's earliest time (unix seconds); `None`: at once.
    pub due_at: Option<i64>,
}

impl Outgoing {
    /// A new delivery with a fresh id, created at `now` (unix seconds). Deliveries of one
    /// order to one receiver are ordered (core's `order_key`); without an order they are
    /// independent. `deadline` is the last unix second an attempt may start.
    pub fn new(
        receiver: ReceiverKind,
        order_id: Option<&str>,
        method: Method,
        url: OutboundUrl,
        body: String,
        now: i64,
        deadline: Option<i64>,
    ) -> Result<Outgoing, EdgeError> {
        Ok(Outgoing {
            delivery: Delivery {
                id: random::id("dl_")?,
                receiver,
                order_key: order_id.map(|order| order_key(order, receiver)),
                method,
                url,
                body,
                created_at: now,
                deadline,
            },
            order_id: order_id.map(str::to_owned),
            due_at: None,
        })
    }

    /// The same delivery under an id the caller derived (a second staging of that id fails
    /// its batch: the outbox holds an id once), first due at `due_at`.
    pub fn with_id(mut self, id: String, due_at: i64) -> Outgoing {
        self.delivery.id = id;
        self.due_at = Some(due_at);
        self
    }
}

/// The statements that put `outgoing` into the outbox. Include them in the same
/// [`Storage::commit`] as the state change that causes the delivery.
pub fn stage(
    storage: &Storage,
    outgoing: &Outgoing,
) -> Result<Vec<D1PreparedStatement>, EdgeError> {
    Ok(vec![storage.stage_delivery(
        &outgoing.delivery,
        outgoing.order_id.as_deref(),
        outgoing.due_at.unwrap_or(outgoing.delivery.created_at),
    )?])
}

/// Enqueues committed deliveries so the consumer tries them now. Best effort by design: a
/// failure is logged and the sweep picks the deliveries up.
pub async fn kick<S: AsRef<str>>(env: &Env, ids: &[S]) {
    let pokes: Vec<(String, u32)> = ids.iter().map(|id| (id.as_ref().to_owned(), 0)).collect();
    enqueue(env, &pokes).await;
}

/// Enqueues one committed delivery for `delay_secs` from now (a delivery staged due later).
pub async fn kick_later(env: &Env, id: &str, delay_secs: u32) {
    enqueue(env, &[(id.to_owned(), delay_secs)]).await;
}

/// The queue message: which delivery to look at. Only the id travels; D1 holds the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Poke {
    pub id: String,
}

/// The longest delay Queues accept on a message (12 hours). A retry further away is sent
/// with this delay; the consumer, seeing it early, sends it on for the rest.
const MAX_QUEUE_DELAY_SECS: u32 = 12 * 3600;

/// Sends a poke per `(id, delay_seconds)`. Logs and returns on failure (see [`kick`]).
pub(crate) async fn enqueue(env: &Env, pokes: &[(String, u32)]) {
    if pokes.is_empty() {
        return;
    }
    let queue = match env.queue(bindings::OUTBOUND_QUEUE) {
        Ok(queue) => queue,
        Err(err) => {
            worker::console_error!(
                "queue binding {} missing, {} deliveries wait for the sweep: {err}",
                bindings::OUTBOUND_QUEUE,
                pokes.len()
            );
            return;
        }
    };
    // A batch holds at most 100 messages.
    for chunk in pokes.chunks(100) {
        let messages: Vec<SendMessage<Poke>> = chunk
            .iter()
            .map(|(id, delay)| {
                MessageBuilder::new(Poke { id: id.clone() })
                    .delay_seconds((*delay).min(MAX_QUEUE_DELAY_SECS))
                    .build()
            })
            .collect();
        if let Err(err) = queue.send_batch(messages).await {
            worker::console_error!(
                "enqueueing {} deliveries failed, they wait for the sweep: {err}",
                chunk.len()
            );
        }
    }
}

/// Reads a stored delivery back into core's terms. The URL goes through the guard again
/// under today's policy; `Err` says why the row cannot be sent (a refused URL, or a row
/// that no version of this code wrote).
pub fn entry(row: &DeliveryRow, policy: &UrlPolicy) -> Result<OutboxEntry, String> {
    let receiver = ReceiverKind::parse(&row.receiver)
        .ok_or_else(|| format!("unknown receiver {:?}", row.receiver))?;
    let method =
        Method::parse(&row.method).ok_or_else(|| format!("unknown method {:?}", row.method))?;
    let url = check_outbound_url(&row.url, policy)
        .map_err(|refusal| format!("the URL is refused: {refusal}"))?;
    let status = match row.status.as_str() {
        "pending" => DeliveryStatus::Pending {
            next_attempt_at: row.next_attempt_at.unwrap_or(row.created_at),
        },
        "delivered" => DeliveryStatus::Delivered,
        "dead" => DeliveryStatus::Dead,
        other => return Err(format!("unknown status {other:?}")),
    };
    Ok(OutboxEntry {
        delivery: Delivery {
            id: row.id.clone(),
            receiver,
            order_key: row.order_key.clone(),
            method,
            url,
            body: row.body.clone(),
            created_at: row.created_at,
            deadline: row.deadline,
        },
        status,
    })
}
