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
//! application/json`. Redirects are not followed (core's `classify` explains why).

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use futures_util::StreamExt;
use orderbridge_core::outbound::classify::AttemptOutcome;
use orderbridge_core::outbound::plan::{Delivery, ReceiverKind};
use orderbridge_core::outbound::signature::{sign, SignedCall, SIGNATURE_HEADER};
use wasm_bindgen::JsValue;
use worker::{
    AbortController, Delay, Env, Fetch, Headers, Request, RequestInit, RequestRedirect, Response,
};

use crate::clock;
use crate::config::{secret, secrets};

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
    /// For the log: why the attempt did not deliver (`None` for a 2xx).
    pub error: Option<String>,
    /// The start of a 2xx answer's body, for receivers whose answer carries something the
    /// hub keeps (`jupiter_injection`: Jupiter's order id); `None` otherwise.
    pub answer: Option<String>,
}

/// Sends `delivery` once, giving up after `timeout`.
pub async fn send(env: &Env, delivery: &Delivery, timeout: Duration) -> Sent {
    let started_at_ms = clock::now_millis();
    let finish = |outcome, retry_after, error, answer| Sent {
        started_at_ms,
        latency_ms: clock::now_millis().saturating_sub(started_at_ms),
        outcome,
        retry_after,
        error,
        answer,
    };
    let keeps_answer = delivery.receiver == ReceiverKind::JupiterInjection;
    let request = match build_request(env, delivery, started_at_ms / 1000) {
        Ok(request) => request,
        Err(NotSent(reason)) => return finish(None, None, Some(reason), None),
    };

    let controller = AbortController::default();
    let signal = controller.signal();
    let fetch = Fetch::Request(request);
    let answered = within(timeout, async {
        let mut response = fetch.send_with_signal(&signal).await?;
        let status = response.status_code();
        let retry_after = response.headers().get("Retry-After").ok().flatten();
        // The body only matters for the log of a failure; its start is read within the
        // timeout.
        let (snippet, answer) = if !(200..300).contains(&status) {
            (Some(body_start(&mut response).await), None)
        } else if keeps_answer {
            (None, Some(body_start(&mut response).await))
        } else {
            (None, None)
        };
        Ok::<_, worker::Error>((status, retry_after, snippet, answer))
    })
    .await;

    match answered {
        None => {
            controller.abort();
            finish(
                Some(AttemptOutcome::Timeout),
                None,
                Some(format!("no answer within {} s", timeout.as_secs())),
                None,
            )
        }
        Some(Err(err)) => finish(
            Some(AttemptOutcome::NetworkError),
            None,
            Some(format!("network error: {err}")),
            None,
        ),
        Some(Ok((status, retry_after, snippet, answer))) => {
            let error = snippet.map(|body| {
                if body.trim().is_empty() {
                    format!("HTTP {status}")
                } else {
                    format!("HTTP {status}: {}", body.trim())
                }
            });
            finish(
                Some(AttemptOutcome::Status(status)),
                retry_after,
                error,
                answer,
            )
        }
    }
}

/// Why a request was not sent at all.
struct NotSent(String);

impl From<worker::Error> for NotSent {
    fn from(err: worker::Error) -> Self {
        NotSent(format!("the request could not be built: {err}"))
    }
}

fn build_request(env: &Env, delivery: &Delivery, now_secs: i64) -> Result<Request, NotSent> {
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
        ReceiverKind::SiteStatus | ReceiverKind::MenuCallback => {
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

    let mut init = RequestInit::new();
    init.with_method(worker::Method::from(delivery.method.as_str().to_owned()))
        .with_headers(headers)
        .with_redirect(RequestRedirect::Manual);
    if !delivery.body.is_empty() {
        init.with_body(Some(JsValue::from_str(&delivery.body)));
    }
    Ok(Request::new_with_init(delivery.url.as_str(), &init)?)
}

/// The first characters of an answer's body (lossy UTF-8), reading no more than needed.
async fn body_start(response: &mut Response) -> String {
    let Ok(mut stream) = response.stream() else {
        return String::new(); // no body
    };
    let mut bytes = Vec::new();
    while bytes.len() < ERROR_BODY_BYTES {
        match stream.next().await {
            Some(Ok(chunk)) => bytes.extend_from_slice(&chunk),
            _ => break,
        }
    }
    bytes.truncate(ERROR_BODY_BYTES);
    String::from_utf8_lossy(&bytes)
        .chars()
        .take(ERROR_BODY_CHARS)
        .collect()
}

/// `Some(output)` if `work` finishes within `limit`, `None` if the timer fires first (the
/// caller then aborts the request).
pub(crate) async fn within<F: Future>(limit: Duration, work: F) -> Option<F::Output> {
    let mut work = pin!(work);
    let mut timer = pin!(Delay::from(limit));
    poll_fn(|cx| {
        if let Poll::Ready(output) = work.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        if timer.as_mut().poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        Poll::Pending
    })
    .await
}
