//! One attempt of one delivery: the HTTP request, with what is attached at send time, under
//! a timeout. What the outcome means is core's `classify`; this module only observes it.
//!
//! Attached at send time, never stored in the outbox:
//!
//! | receiver | header | secret |
//! |---|---|---|
//! | `site_status`, `menu_callback` | `X-Orderbridge-Signature: t=…,v1=…[,v1=…]` over method, URL, delivery id, time and body | `WEBHOOK_SIGNING_SECRET` (+ `WEBHOOK_SIGNING_SECRET_PREVIOUS` while rotating) |
//! | `jet_sent_to_pos`, `jet_relay` | `X-Flyt-Api-Key: <key>` | `JET_CONNECT_API_KEY` |
//! | `jet_delivery_state` | `Authorization: JE-API-KEY <key>` | `JUST_EAT_API_KEY` |
//! | `jupiter_injection` | `X-Jup-Api-Key: <key>` | `JUPITER_API_KEY` |
//!
//! Every call also carries `X-Orderbridge-Delivery: <delivery id>` (the same on every
//! attempt, so a receiver can drop a duplicate) and, with a body, `Content-Type:
//! application/json`. The request goes through `http_client` (no redirect followed, a
//! timeout, at most the first 800 bytes of the answer read); what a 3xx means is core's
//! `classify`.

use std::time::Duration;

use orderbridge_core::outbound::classify::AttemptOutcome;
use orderbridge_core::outbound::plan::{Delivery, ReceiverKind};
use orderbridge_core::outbound::signature::{sign, SignedCall, SIGNATURE_HEADER};
use worker::{Env, Headers, Method};

use crate::clock;
use crate::config::{secret, secrets};
use crate::http_client::{self, Call, Failure, Read};

/// The header naming the delivery, stable across attempts.
pub const DELIVERY_HEADER: &str = "X-Orderbridge-Delivery";
/// How much of a failed answer's body the log keeps; no more than this is read, so a huge
/// error page cannot exhaust the Worker's memory.
const ERROR_BODY_BYTES: usize = 800;
const ERROR_BODY_CHARS: usize = 200;

/// What one attempt observed.
#[derive(Debug, Clone)]
pub struct Sent {
    /// Unix milliseconds when the attempt started.
    pub started_at_ms: i64,
    pub latency_ms: i64,
    /// `None`: nothing was sent (a secret is missing); `error` says why.
    pub outcome: Option<AttemptOutcome>,
    /// The answer's `Retry-After`, as sent.
    pub retry_after: Option<String>,
    /// For the delivery log (D1, the operator's): why the attempt did not deliver, with the
    /// start of the receiver's answer (`None` for a 2xx).
    pub error: Option<String>,
    /// For a log line: `error` without the receiver's words (a status and a length).
    pub logged: Option<String>,
    /// The start of a 2xx answer's body, for receivers whose answer carries something the
    /// hub keeps (`jupiter_injection`: Jupiter's order id); `None` otherwise.
    pub answer: Option<String>,
}

/// Sends `delivery` once through the one HTTP client, giving up after `timeout`.
pub async fn send(env: &Env, delivery: &Delivery, timeout: Duration) -> Sent {
    let started_at_ms = clock::now_millis();
    let finish = |outcome, retry_after, error, logged, answer| Sent {
        started_at_ms,
        latency_ms: clock::now_millis().saturating_sub(started_at_ms),
        outcome,
        retry_after,
        error,
        logged,
        answer,
    };
    let keeps_answer = delivery.receiver == ReceiverKind::JupiterInjection;
    let headers = match headers(env, delivery, started_at_ms / 1000) {
        Ok(headers) => headers,
        Err(NotSent(reason)) => {
            return finish(None, None, Some(reason.clone()), Some(reason), None)
        }
    };
    let call = Call {
        url: delivery.url.as_str(),
        method: Method::from(delivery.method.as_str().to_owned()),
        headers,
        body: (!delivery.body.is_empty()).then_some(delivery.body.as_str()),
    };
    // The body only matters for the log of a failure, or for the id Jupiter's acceptance
    // carries; its start is read within the timeout.
    let read = |status: u16| {
        if !(200..300).contains(&status) || keeps_answer {
            Read::Start(ERROR_BODY_BYTES)
        } else {
            Read::Nothing
        }
    };
    match http_client::fetch(call, timeout, read).await {
        Err(failure @ Failure::NotBuilt(_)) => {
            let why = failure.to_string();
            finish(None, None, Some(why.clone()), Some(why), None)
        }
        Err(failure) => {
            let outcome = match failure {
                Failure::Timeout(_) => AttemptOutcome::Timeout,
                _ => AttemptOutcome::NetworkError,
            };
            let why = failure.to_string();
            finish(Some(outcome), None, Some(why.clone()), Some(why), None)
        }
        Ok(answer) => {
            let status = answer.status;
            let start = || -> String {
                String::from_utf8_lossy(&answer.body)
                    .chars()
                    .take(ERROR_BODY_CHARS)
                    .collect()
            };
            let (error, logged) = if (200..300).contains(&status) {
                (None, None)
            } else {
                let body = start();
                let error = if body.trim().is_empty() {
                    format!("HTTP {status}")
                } else {
                    format!("HTTP {status}: {}", body.trim())
                };
                // The log line gets the status and the length, not the receiver's words.
                let logged = format!("HTTP {status} ({} bytes of answer read)", answer.body.len());
                (Some(error), Some(logged))
            };
            let kept = ((200..300).contains(&status) && keeps_answer).then(start);
            finish(
                Some(AttemptOutcome::Status(status)),
                answer.retry_after.clone(),
                error,
                logged,
                kept,
            )
        }
    }
}

/// Why a request was not sent at all.
struct NotSent(String);

impl From<worker::Error> for NotSent {
    fn from(err: worker::Error) -> Self {
        NotSent(Failure::NotBuilt(err.to_string()).to_string())
    }
}

/// The headers of `delivery`'s request: its id, and the receiver's credentials.
fn headers(env: &Env, delivery: &Delivery, now_secs: i64) -> Result<Headers, NotSent> {
    let headers = Headers::new();
    headers.set(DELIVERY_HEADER, &delivery.id)?;
    headers.set(
        "User-Agent",
        &format!("orderbridge/{}", orderbridge_core::VERSION),
    )?;
    if !delivery.body.is_empty() {
        headers.set("Content-Type", "application/json")?;
    }
    let key = |name: &str| {
        secret(env, name).map_err(|_| {
            NotSent(format!(
                "secret {name} is not set; the request was not sent"
            ))
        })
    };
    match delivery.receiver {
        ReceiverKind::SiteStatus
        | ReceiverKind::MenuCallback
        | ReceiverKind::PartnerOrderCallback => {
            let current = key(secrets::WEBHOOK_SIGNING_SECRET)?;
            if current.is_empty() {
                return Err(NotSent(format!(
                    "secret {} is empty; the request was not sent",
                    secrets::WEBHOOK_SIGNING_SECRET
                )));
            }
            // Optional: set only while receivers move to a new secret.
            let previous =
                secret(env, secrets::WEBHOOK_SIGNING_SECRET_PREVIOUS).unwrap_or_default();
            let call = SignedCall {
                method: delivery.method.as_str(),
                url: delivery.url.as_str(),
                delivery_id: &delivery.id,
                body: delivery.body.as_bytes(),
            };
            let value = sign(&[current.as_bytes(), previous.as_bytes()], now_secs, &call)
                .map_err(|err| NotSent(format!("the call could not be signed: {err:?}")))?;
            headers.set(SIGNATURE_HEADER, &value)?;
        }
        ReceiverKind::JetSentToPos | ReceiverKind::JetRelay => {
            headers.set("X-Flyt-Api-Key", &key(secrets::JET_CONNECT_API_KEY)?)?;
        }
        ReceiverKind::JetDeliveryState => {
            let value = format!("JE-API-KEY {}", key(secrets::JUST_EAT_API_KEY)?);
            headers.set("Authorization", &value)?;
        }
        ReceiverKind::JupiterInjection => {
            headers.set("X-Jup-Api-Key", &key(secrets::JUPITER_API_KEY)?)?;
        }
    }

    Ok(headers)
}
