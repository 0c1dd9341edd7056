//! Reading the result of one delivery attempt.
//!
//! The rule follows how webhook senders (Stripe, Deliverect) and HTTP semantics treat
//! answers: only the receiver's *own* refusal of *this request* is final. Everything that may
//! change by itself (overload, a restart, a network blip, a rate limit) is retried, and the
//! backoff plus the dead-letter record bound how long that goes on.
//!
//! | outcome                         | verdict            | why |
//! |---------------------------------|--------------------|-----|
//! | 2xx                             | `Delivered`        | the receiver took it |
//! | 4xx except 408 and 429          | `PermanentFailure` | the receiver refuses this request; sending it again cannot help |
//! | 408 Request Timeout             | `Retry`            | the receiver gave up waiting, not on the content |
//! | 429 Too Many Requests           | `Retry`            | a rate limit passes; honour `Retry-After` |
//! | 5xx                             | `Retry`            | the receiver is broken or overloaded, for now |
//! | 3xx                             | `Retry`            | see below |
//! | timeout, network error          | `Retry`            | nothing was learnt about the content |
//! | 1xx or outside 100..=599        | `Retry`            | not a final answer; treated like a broken receiver |
//!
//! **3xx is retried, not followed.** The edge sends with redirects disabled: following a
//! `Location` would let a receiver point us at an address the [URL guard] never checked
//! (`http://169.254.169.254/`, a private host). A redirect is most often a receiver being
//! moved or misconfigured, which an operator can fix while we retry; if it persists, the
//! delivery ends dead with the 3xx in its log, where it is visible, instead of being dropped
//! as a "permanent" failure on the first attempt.
//!
//! [URL guard]: super::url_guard

/// What happened to one attempt, as the edge observed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// The receiver answered with this status code (redirects are not followed).
    Status(u16),
    /// No complete answer within the attempt timeout.
    Timeout,
    /// DNS, connection, TLS or other transport failure before any status was received.
    NetworkError,
}

/// What to do about a delivery after one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Done: mark the delivery delivered.
    Delivered,
    /// Try again later (see [`super::backoff::next_attempt`]), unless attempts or the
    /// deadline are exhausted.
    Retry,
    /// Never try again: mark the delivery dead with this outcome as its last error.
    PermanentFailure,
}

/// Classifies one attempt's outcome (see the module table).
pub fn classify(outcome: AttemptOutcome) -> Verdict {
    match outcome {
        AttemptOutcome::Status(code) => match code {
            200..=299 => Verdict::Delivered,
            408 | 429 => Verdict::Retry,
            400..=499 => Verdict::PermanentFailure,
            _ => Verdict::Retry,
        },
        AttemptOutcome::Timeout | AttemptOutcome::NetworkError => Verdict::Retry,
    }
}

impl AttemptOutcome {
    /// A short label for the delivery log: `"503"`, `"timeout"`, `"network error"`.
    pub fn label(&self) -> String {
        match self {
            AttemptOutcome::Status(code) => code.to_string(),
            AttemptOutcome::Timeout => "timeout".to_owned(),
            AttemptOutcome::NetworkError => "network error".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use AttemptOutcome::{NetworkError, Status, Timeout};
    use Verdict::{Delivered, PermanentFailure, Retry};

    #[test]
    fn every_outcome_gets_the_verdict_of_the_module_table() {
        let cases: &[(AttemptOutcome, Verdict, &str)] = &[
            (Status(200), Delivered, "200 OK"),
            (Status(201), Delivered, "201 Created"),
            (Status(202), Delivered, "202 Accepted"),
            (Status(204), Delivered, "204 No Content"),
            (Status(299), Delivered, "the end of 2xx"),
            (Status(400), PermanentFailure, "bad request"),
            (Status(401), PermanentFailure, "unauthorised"),
            (Status(403), PermanentFailure, "forbidden"),
            (Status(404), PermanentFailure, "not found"),
            (Status(409), PermanentFailure, "conflict"),
            (Status(410), PermanentFailure, "gone"),
            (Status(422), PermanentFailure, "unprocessable"),
            (Status(499), PermanentFailure, "the end of 4xx"),
            (
                Status(408),
                Retry,
                "request timeout: the receiver gave up waiting",
            ),
            (Status(429), Retry, "a rate limit passes"),
            (Status(500), Retry, "server error"),
            (Status(502), Retry, "bad gateway"),
            (Status(503), Retry, "unavailable"),
            (Status(504), Retry, "gateway timeout"),
            (Status(599), Retry, "the end of 5xx"),
            (Status(301), Retry, "redirects are not followed"),
            (Status(302), Retry, "redirects are not followed"),
            (Status(307), Retry, "redirects are not followed"),
            (Status(308), Retry, "redirects are not followed"),
            (Status(304), Retry, "not modified is not an acknowledgement"),
            (Status(100), Retry, "1xx is not a final answer"),
            (Status(0), Retry, "nonsense status"),
            (Status(600), Retry, "nonsense status"),
            (Status(u16::MAX), Retry, "nonsense status"),
            (Timeout, Retry, "a timeout says nothing about the content"),
            (
                NetworkError,
                Retry,
                "a network error says nothing about the content",
            ),
        ];
        for (outcome, want, why) in cases {
            assert_eq!(classify(*outcome), *want, "{outcome:?}: {why}");
        }
    }

    #[test]
    fn outcomes_have_short_labels_for_the_delivery_log() {
        assert_eq!(Status(503).label(), "503");
        assert_eq!(Timeout.label(), "timeout");
        assert_eq!(NetworkError.label(), "network error");
    }
}
