//! The one HTTP client: every request the Worker sends out goes through [`fetch`] (the
//! `ASSETS` binding aside, which reads the Worker's own static files and leaves nothing).
//!
//! | use | caller | timeout | answer body read |
//! |---|---|---|---|
//! | a delivery attempt | `outbound_send` (only from the outbox) | `RETRY_ATTEMPT_TIMEOUT_SECS` | the first 800 bytes of a failure (its log) or of Jupiter's acceptance (its order id) |
//! | an upstream document | `sync::Upstream` (catalog pull, `/client`) | `sync::UPSTREAM_TIMEOUT`, 20 s | whole, at most `sync::UPSTREAM_LIMIT` (8 MiB) |
//!
//! The discipline, the same for every use:
//! * **No redirect is followed** (`redirect: manual`). A 3xx is an answer like any other
//!   status, and what it means is the caller's (a delivery retries it, core's `classify`
//!   says why; the upstream pull refuses it). Following one would send the credentials the
//!   caller attached for a URL that passed the URL guard to a URL that did not.
//! * **Always a timeout**, covering the answer's body too; when it fires the request is
//!   aborted.
//! * **At most the bytes asked for** ([`Read`]): an announced `Content-Length` over a
//!   [`Read::Whole`] limit is refused before reading, and reading stops at the limit, so a
//!   huge answer cannot exhaust the isolate's memory.
//! * **Nothing personal in a [`Failure`]**: its text names the URL only through core's
//!   `url_for_log` (query values masked: a phone, for `/client`) and never holds the
//!   answer's body. Callers log a status and a length, not a body.

use std::fmt;
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use futures_util::StreamExt;
use orderbridge_core::outbound::redact::url_for_log;
use wasm_bindgen::JsValue;
use worker::{
    AbortController, Delay, Fetch, Headers, Method, Request, RequestInit, RequestRedirect,
};

/// One request: a URL that has passed the URL guard, and what the caller attaches.
pub(crate) struct Call<'a> {
    pub url: &'a str,
    pub method: Method,
    pub headers: Headers,
    /// Sent as is; `None` sends no body.
    pub body: Option<&'a str>,
}

/// How much of an answer's body to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    /// None of it.
    Nothing,
    /// At most the first `n` bytes; the rest is left unread (not an error).
    Start(usize),
    /// All of it, or [`Failure::TooLarge`] past `limit` bytes.
    Whole(usize),
}

/// An answer: whatever its status, 3xx included (never followed).
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub status: u16,
    /// The `Retry-After` header, as sent.
    pub retry_after: Option<String>,
    /// What [`Read`] asked for of the body.
    pub body: Vec<u8>,
}

impl Answer {
    /// A 3xx: the request was redirected, and the redirect was not followed.
    pub(crate) fn is_redirect(&self) -> bool {
        (300..400).contains(&self.status)
    }
}

/// Why no answer came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The request could not be built (a header or the URL the runtime refused).
    NotBuilt(String),
    /// No answer (body included) within the timeout; the request was aborted.
    Timeout(Duration),
    /// The runtime's error, the URL in it masked.
    Network(String),
    /// The answer's body is longer than the [`Read::Whole`] limit; the rest was not read.
    TooLarge { limit: usize },
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::NotBuilt(why) => write!(f, "the request could not be built: {why}"),
            Failure::Timeout(limit) => write!(f, "no answer within {} s", limit.as_secs()),
            Failure::Network(why) => write!(f, "network error: {why}"),
            Failure::TooLarge { limit } => {
                write!(f, "the answer is larger than {limit} bytes; not read")
            }
        }
    }
}

/// Sends `call` once without following a redirect, and reads of the answer's body what
/// `read` asks for its status, all within `timeout`.
pub(crate) async fn fetch(
    call: Call<'_>,
    timeout: Duration,
    read: impl Fn(u16) -> Read,
) -> Result<Answer, Failure> {
    let Call {
        url,
        method,
        headers,
        body,
    } = call;
    let masked = |err: worker::Error| err.to_string().replace(url, &url_for_log(url));
    let mut init = RequestInit::new();
    init.with_method(method)
        .with_headers(headers)
        .with_redirect(RequestRedirect::Manual);
    if let Some(body) = body {
        init.with_body(Some(JsValue::from_str(body)));
    }
    let request = Request::new_with_init(url, &init).map_err(|e| Failure::NotBuilt(masked(e)))?;

    let controller = AbortController::default();
    let signal = controller.signal();
    let answered = within(timeout, async {
        let mut response = Fetch::Request(request)
            .send_with_signal(&signal)
            .await
            .map_err(|e| Failure::Network(masked(e)))?;
        let status = response.status_code();
        let retry_after = response.headers().get("Retry-After").ok().flatten();
        let body = match read(status) {
            Read::Nothing => Vec::new(),
            Read::Whole(limit) if announced(&response).is_some_and(|n| n > limit) => {
                return Err(Failure::TooLarge { limit });
            }
            how => read_body(&mut response, how)
                .await
                .map_err(|e| e.unwrap_or_else(|e| Failure::Network(masked(e))))?,
        };
        Ok(Answer {
            status,
            retry_after,
            body,
        })
    })
    .await;
    match answered {
        Some(Ok(answer)) => Ok(answer),
        Some(Err(failure)) => {
            controller.abort(); // a body left unread is not waited for
            Err(failure)
        }
        None => {
            controller.abort();
            Err(Failure::Timeout(timeout))
        }
    }
}

/// The answer's `Content-Length`, if it sent a readable one.
fn announced(response: &worker::Response) -> Option<usize> {
    response
        .headers()
        .get("Content-Length")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<usize>().ok())
}

/// The body as `how` asks (`Err(Ok(_))`: too large; `Err(Err(_))`: the runtime's error).
async fn read_body(
    response: &mut worker::Response,
    how: Read,
) -> Result<Vec<u8>, Result<Failure, worker::Error>> {
    let Ok(mut stream) = response.stream() else {
        return Ok(Vec::new()); // no body
    };
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            // A start is for a log or an id: what came before the error is kept.
            Err(_) if matches!(how, Read::Start(_)) => break,
            Err(err) => return Err(Err(err)),
        };
        if !take(&mut bytes, &chunk, how).map_err(Ok)? {
            break;
        }
    }
    Ok(bytes)
}

/// Adds `chunk` to `bytes` as `how` allows: `Ok(true)` when more is wanted, `Ok(false)`
/// when enough is read, `Err` past a [`Read::Whole`] limit.
fn take(bytes: &mut Vec<u8>, chunk: &[u8], how: Read) -> Result<bool, Failure> {
    match how {
        Read::Nothing => Ok(false),
        Read::Start(n) => {
            let room = n.saturating_sub(bytes.len());
            bytes.extend_from_slice(chunk.get(..room).unwrap_or(chunk));
            Ok(bytes.len() < n)
        }
        Read::Whole(limit) => {
            if bytes.len().saturating_add(chunk.len()) > limit {
                return Err(Failure::TooLarge { limit });
            }
            bytes.extend_from_slice(chunk);
            Ok(true)
        }
    }
}

/// `Some(output)` if `work` finishes within `limit`, `None` if the timer fires first (the
/// caller then aborts the request).
async fn within<F: Future>(limit: Duration, work: F) -> Option<F::Output> {
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

#[cfg(test)]
mod tests {
    use super::{take, Failure, Read};

    /// Feeds `chunks` through `take` as `read_body` does.
    fn feed(chunks: &[&[u8]], how: Read) -> Result<Vec<u8>, Failure> {
        let mut bytes = Vec::new();
        for chunk in chunks {
            if !take(&mut bytes, chunk, how)? {
                break;
            }
        }
        Ok(bytes)
    }

    #[test]
    fn a_start_is_cut_at_its_length_and_stops_reading() {
        let mut bytes = Vec::new();
        assert_eq!(take(&mut bytes, b"abc", Read::Start(5)), Ok(true));
        assert_eq!(take(&mut bytes, b"defgh", Read::Start(5)), Ok(false));
        assert_eq!(bytes, b"abcde");
        assert_eq!(feed(&[b"ab", b"cd"], Read::Start(10)), Ok(b"abcd".to_vec()));
        assert_eq!(feed(&[b"abc"], Read::Nothing), Ok(Vec::new()));
    }

    #[test]
    fn a_whole_body_up_to_the_limit_is_read_and_past_it_refused() {
        assert_eq!(
            feed(&[b"abc", b"de"], Read::Whole(5)),
            Ok(b"abcde".to_vec())
        );
        assert_eq!(
            feed(&[b"abc", b"def"], Read::Whole(5)),
            Err(Failure::TooLarge { limit: 5 })
        );
        assert_eq!(feed(&[], Read::Whole(0)), Ok(Vec::new()));
    }

    #[test]
    fn a_failure_names_no_body_and_says_why() {
        assert_eq!(
            Failure::TooLarge { limit: 8 }.to_string(),
            "the answer is larger than 8 bytes; not read"
        );
        assert_eq!(
            Failure::Timeout(std::time::Duration::from_secs(20)).to_string(),
            "no answer within 20 s"
        );
    }
}
