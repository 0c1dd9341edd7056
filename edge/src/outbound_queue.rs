//! The Queue consumer: carries out core's decisions for the deliveries it is poked about.
//!
//! A message only names a delivery; D1 is the truth. For each one:
//!
//! 1. read the delivery; if it belongs to an ordering key, read the key's oldest pending
//!    delivery instead (the head: only it may act, `plan::turn`);
//! 2. if an attempt on the head is running (its lease has not run out), do nothing: that
//!    attempt finishes the job;
//! 3. ask `plan::turn`: **attempt** (take the lease, send, classify, log the attempt, then
//!    mark delivered, schedule the retry by `backoff::next_attempt` with jitter and
//!    `Retry-After`, or mark dead), **expire** (its deadline passed: dead without an
//!    attempt), or **wait** (not due: if this message came early for the head itself, it is
//!    sent again for the due time; otherwise the head's own message or the sweep comes back);
//! 4. after a delivery is settled (delivered or dead), poke the key's next pending delivery,
//!    so status 20 follows status 10 at once.
//!
//! A message whose handling fails (D1 unavailable) is retried by the queue after
//! `RETRY_MESSAGE_DELAY_SECS`; after `max_retries` it goes to the dead-letter queue. Either
//! way the delivery stays pending in D1, so the sweep picks it up: nothing is lost.

use std::time::Duration;

use futures_util::future::join_all;
use orderbridge_core::outbound::backoff::{
    next_attempt, parse_retry_after, GiveUpReason, NextAttempt,
};
use orderbridge_core::outbound::classify::{classify, Verdict};
use orderbridge_core::outbound::owner::DeadCause;
use orderbridge_core::outbound::plan::{turn, Action, Delivery, ReceiverKind, Turn};
use worker::{Env, MessageBatch, MessageExt, QueueRetryOptionsBuilder};

use crate::config::Config;
use crate::error::EdgeError;
use crate::outbox::{self, Poke};
use crate::storage::outbox::{AfterAttempt, AttemptRow, DeliveryRow};
use crate::storage::Storage;
use crate::{clock, outbound_send, owners, random};

/// How long an attempt holds its delivery beyond the attempt timeout: time to write the
/// result after the answer (or the timeout) came.
const LEASE_MARGIN_SECS: i64 = 5;
/// When handling a message failed, the queue redelivers it after this long.
const RETRY_MESSAGE_DELAY_SECS: u32 = 10;

/// Handles one batch. Messages are handled concurrently; each is acknowledged unless its
/// handling failed, in which case the queue retries it.
pub async fn consume(batch: MessageBatch<Poke>, env: &Env) {
    let config = Config::from_env(env);
    let messages = match batch.messages() {
        Ok(messages) => messages,
        Err(err) => {
            // Not our message shape: acknowledging it (by returning) is all we can do.
            worker::console_error!("outbound queue: unreadable batch: {err}");
            return;
        }
    };
    let work = messages.iter().map(|message| {
        let config = &config;
        async move {
            match process(env, config, &message.body().id).await {
                Ok(()) => message.ack(),
                Err(err) => {
                    worker::console_error!(
                        "outbound queue: delivery {} not handled, retrying the message: {err:?}",
                        message.body().id
                    );
                    message.retry_with_options(
                        &QueueRetryOptionsBuilder::new()
                            .with_delay_seconds(RETRY_MESSAGE_DELAY_SECS)
                            .build(),
                    );
                }
            }
        }
    });
    join_all(work).await;
}

/// Handles a poke about delivery `id` (see the module doc).
pub async fn process(env: &Env, config: &Config, id: &str) -> Result<(), EdgeError> {
    let storage = Storage::new(env)?;
    let Some(row) = storage.delivery(id).await? else {
        worker::console_warn!("outbound queue: no delivery {id}");
        return Ok(());
    };
    let head = match &row.order_key {
        Some(key) => match storage.head_of_key(key).await? {
            Some(head) => head,
            None => return Ok(()),
        },
        None => row,
    };
    if head.status != "pending" {
        return Ok(());
    }
    let now = clock::now().timestamp();
    if head.lease_until.is_some_and(|until| until > now) {
        return Ok(());
    }
    let entry = match outbox::entry(&head, &config.url_policy()) {
        Ok(entry) => entry,
        Err(refusal) => return refuse(env, config, &storage, &head, &refusal, now).await,
    };
    match turn(std::slice::from_ref(&entry), now) {
        Turn::Idle => Ok(()),
        Turn::WaitUntil(at) => {
            if head.id == id {
                // Early for the head itself (a queue delay is not exact): come back then.
                let delay = u32::try_from(at.saturating_sub(now)).unwrap_or(u32::MAX);
                outbox::enqueue(env, &[(head.id.clone(), delay.max(1))]).await;
            }
            Ok(())
        }
        Turn::Now(Action::Expire(delivery)) => {
            let error = format!(
                "deadline passed: no attempt could start by {}",
                delivery
                    .deadline
                    .and_then(clock::rfc3339_secs)
                    .unwrap_or_default()
            );
            if storage
                .expire_delivery(&head.id, head.attempts, &error, now)
                .await?
            {
                worker::console_warn!("delivery {} is dead: {error}", head.id);
                let receiver = delivery.receiver;
                owners::on_dead(
                    env,
                    config,
                    &storage,
                    &head,
                    receiver,
                    DeadCause::Expired,
                    &error,
                )
                .await;
                poke_next(env, &storage, head.order_key.as_deref(), now).await?;
            }
            Ok(())
        }
        Turn::Now(Action::Attempt(delivery)) => {
            attempt(env, config, &storage, &head, delivery).await
        }
    }
}

/// Makes one attempt of `delivery` (whose row is `head`) and records it.
async fn attempt(
    env: &Env,
    config: &Config,
    storage: &Storage,
    head: &DeliveryRow,
    delivery: &Delivery,
) -> Result<(), EdgeError> {
    let policy = config.retry;
    let now = clock::now().timestamp();
    let lease_until = now + i64::from(policy.attempt_timeout_secs) + LEASE_MARGIN_SECS;
    if !storage
        .lease_delivery(&head.id, head.attempts, lease_until, now)
        .await?
    {
        return Ok(()); // another consumer took it
    }
    let number = head.attempts + 1;
    let in_round = u32::try_from(number - head.round_start).unwrap_or(u32::MAX);

    let sent = outbound_send::send(
        env,
        delivery,
        Duration::from_secs(u64::from(policy.attempt_timeout_secs)),
    )
    .await;
    let now = clock::now().timestamp();
    let verdict = sent.outcome.map(classify).unwrap_or(Verdict::Retry);
    let retry_after = sent
        .retry_after
        .as_deref()
        .and_then(|value| parse_retry_after(value, now));
    let (after, last_error, cause) = match verdict {
        Verdict::Delivered => (AfterAttempt::Delivered, None, None),
        Verdict::PermanentFailure => (
            AfterAttempt::Dead,
            sent.error.clone(),
            Some(DeadCause::Refused),
        ),
        Verdict::Retry => match next_attempt(
            &policy,
            in_round,
            random::unit(),
            retry_after,
            delivery.deadline,
            now,
        ) {
            NextAttempt::RetryAt(at) => (AfterAttempt::RetryAt(at), sent.error.clone(), None),
            NextAttempt::GiveUp(reason) => (
                AfterAttempt::Dead,
                Some(format!(
                    "{}; {}",
                    sent.error.as_deref().unwrap_or("failed"),
                    reason.message()
                )),
                Some(match reason {
                    GiveUpReason::AttemptsExhausted { .. } => DeadCause::GaveUp,
                    GiveUpReason::DeadlineWouldPass { .. } => DeadCause::Expired,
                }),
            ),
        },
    };
    let record = AttemptRow {
        number,
        started_at: sent.started_at_ms,
        latency_ms: sent.latency_ms,
        status_code: match sent.outcome {
            Some(orderbridge_core::outbound::classify::AttemptOutcome::Status(code)) => {
                Some(i64::from(code))
            }
            _ => None,
        },
        verdict: match verdict {
            Verdict::Delivered => "delivered",
            Verdict::Retry => "retry",
            Verdict::PermanentFailure => "permanent_failure",
        }
        .to_owned(),
        error: sent.error.clone(),
    };
    let held = storage
        .finish_attempt(&head.id, &record, after, last_error.as_deref(), now)
        .await?;
    if !held {
        worker::console_warn!(
            "delivery {} attempt {number}: the lease ran out before the result was written",
            head.id
        );
        return Ok(());
    }
    match after {
        AfterAttempt::RetryAt(at) => {
            let delay = u32::try_from(at.saturating_sub(now)).unwrap_or(u32::MAX);
            outbox::enqueue(env, &[(head.id.clone(), delay)]).await;
        }
        AfterAttempt::Delivered => {
            keep_answer(storage, head, delivery, sent.answer.as_deref()).await;
            injected(env, config, storage, head, delivery).await;
            poke_next(env, storage, head.order_key.as_deref(), now).await?;
        }
        AfterAttempt::Dead => {
            // The log line says why without the receiver's words (`Sent::logged`), and
            // keeps what the retry policy added to the stored error ("; …").
            let stored = sent.error.as_deref().unwrap_or("failed");
            let added = last_error
                .as_deref()
                .and_then(|e| e.strip_prefix(stored))
                .unwrap_or_default();
            worker::console_warn!(
                "delivery {} is dead after attempt {number}: {}{added}",
                head.id,
                sent.logged.as_deref().unwrap_or("failed")
            );
            let why = last_error.as_deref().unwrap_or("no answer");
            let cause = cause.unwrap_or(DeadCause::GaveUp);
            owners::on_dead(env, config, storage, head, delivery.receiver, cause, why).await;
            poke_next(env, storage, head.order_key.as_deref(), now).await?;
        }
    }
    Ok(())
}

/// The stored URL no longer passes the URL guard (the policy changed since it was staged):
/// the delivery is dead without a request, and the log says why.
async fn refuse(
    env: &Env,
    config: &Config,
    storage: &Storage,
    head: &DeliveryRow,
    refusal: &str,
    now: i64,
) -> Result<(), EdgeError> {
    if !storage
        .lease_delivery(&head.id, head.attempts, now, now)
        .await?
    {
        return Ok(());
    }
    let record = AttemptRow {
        number: head.attempts + 1,
        started_at: clock::now_millis(),
        latency_ms: 0,
        status_code: None,
        verdict: "refused".to_owned(),
        error: Some(refusal.to_owned()),
    };
    if storage
        .finish_attempt(&head.id, &record, AfterAttempt::Dead, Some(refusal), now)
        .await?
    {
        worker::console_warn!("delivery {} is dead: {refusal}", head.id);
        if let Some(receiver) = ReceiverKind::parse(&head.receiver) {
            owners::on_dead(
                env,
                config,
                storage,
                head,
                receiver,
                DeadCause::Refused,
                refusal,
            )
            .await;
        }
        poke_next(env, storage, head.order_key.as_deref(), now).await?;
    }
    Ok(())
}

/// What a forwarded order's acceptance means for the channel it came from: a JET Connect
/// order waits for it to tell Just Eat (`jet_orders::on_injection`). Best effort: a failure
/// is logged, and the deadline's `TIMEOUT` still goes out. A forwarding that dies is
/// `owners::on_dead`'s.
async fn injected(
    env: &Env,
    config: &Config,
    storage: &Storage,
    head: &DeliveryRow,
    delivery: &Delivery,
) {
    if delivery.receiver != ReceiverKind::JupiterInjection {
        return;
    }
    let Some(order_id) = head.order_id.as_deref() else {
        return;
    };
    let result =
        crate::channels::jet::on_injection(env, config, storage, order_id, true, "", clock::now())
            .await;
    if let Err(err) = result {
        worker::console_error!("order {order_id}: the JET outcome after injection: {err:?}");
    }
}

/// Pokes the next pending delivery of `order_key`, if any, for when it is due.
async fn poke_next(
    env: &Env,
    storage: &Storage,
    order_key: Option<&str>,
    now: i64,
) -> Result<(), EdgeError> {
    let Some(key) = order_key else {
        return Ok(());
    };
    if let Some(next) = storage.head_of_key(key).await? {
        let due = next.next_attempt_at.unwrap_or(now);
        let delay = u32::try_from(due.saturating_sub(now)).unwrap_or(0);
        outbox::enqueue(env, &[(next.id, delay)]).await;
    }
    Ok(())
}

/// What a delivered call's answer carries for the hub: Jupiter's order id for a forwarded
/// site order. Best effort: a failure is logged, the delivery stays delivered.
async fn keep_answer(
    storage: &Storage,
    head: &DeliveryRow,
    delivery: &Delivery,
    answer: Option<&str>,
) {
    if delivery.receiver != ReceiverKind::JupiterInjection {
        return;
    }
    let (Some(order_id), Some(answer)) = (head.order_id.as_deref(), answer) else {
        return;
    };
    let Some(upstream_id) = orderbridge_core::order::forward::accepted_order_id(answer) else {
        // Jupiter's answer is not logged (it may carry the client's data), its length is.
        worker::console_warn!(
            "order {order_id}: Jupiter's answer ({} bytes) has no order_id",
            answer.len()
        );
        return;
    };
    if let Err(err) = storage.set_upstream_order_id(order_id, &upstream_id).await {
        worker::console_error!("order {order_id}: keeping Jupiter's id {upstream_id}: {err:?}");
    }
}
