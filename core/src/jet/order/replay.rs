//! Old messages cannot undo new ones: what a Final Picked Order may change (issue 22).
//!
//! **What orders the versions.** A Final Picked Order carries nothing that orders one
//! version against another: its body is the Receive Order schema (FACTS §8.2), whose
//! `created_at` is the order's creation, the same in every version, and there is no
//! revision or amendment time. The `t` of `X-JET-Connect-Hash` is not part of the MAC
//! (FACTS §5.1: the signature is HMAC-SHA256 over the body alone; Just Eat's own worked
//! example pairs `t=1673428038618`, a 2023 instant, with a body that verifies), so anyone
//! replaying a genuine body can write any `t` beside it: ordering or a freshness window on
//! `t` would protect nothing, and a window would refuse Just Eat's published examples. The
//! hub therefore orders versions **by arrival** and makes a replay harmless with an
//! **exact-duplicate rule**: a body it has applied before (the same bytes, by SHA-256)
//! changes nothing, whether it is the latest version (a retry: answered as before) or an
//! older one (a replay: it would revert a newer version). The Receive Order body counts
//! as a version too once a final one has been applied, since the two share one schema and
//! one signature: the original order posted to the final endpoint must not undo the
//! amendment. A first final identical to the original is applied (it records the final
//! and changes no contents).
//!
//! **A cancelled order keeps its contents.** Once Just Eat cancelled the order, or the hub
//! order reached status 5, no final version changes it: it is refused with JET's error
//! shape (`400 {"errorMessage"}`, a response FACTS §8.2 allows), naming the cancellation.
//!
//! The decision needs no clock: arrival order is the order in which the edge asks, and
//! nothing here expires.

use sha2::{Digest, Sha256};

/// The identity of a body: lowercase hex SHA-256 of its exact bytes.
pub fn body_digest(body: &[u8]) -> String {
    crate::hex::encode(&Sha256::digest(body))
}

/// What the hub knows of a JET order when a Final Picked Order for it arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FinalState<'a> {
    /// The Receive Order body as stored.
    pub initial_body: &'a [u8],
    /// The digests ([`body_digest`]) of the final versions applied, separated by spaces,
    /// oldest first; empty when none was.
    pub applied: &'a str,
    /// When Just Eat cancelled the order, if it did.
    pub cancelled_at: Option<&'a str>,
    /// Whether the hub order is at status 5 (cancelled by anyone).
    pub order_cancelled: bool,
}

/// What to do with a Final Picked Order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FinalDecision {
    /// A new version: it replaces the order's contents; `digest` joins the applied ones.
    Apply { digest: String },
    /// A body seen before: nothing changes. `latest`: it is the version in force (a
    /// retry); otherwise an older one, which must not revert a newer.
    Seen { latest: bool },
    /// The order is cancelled: nothing changes, and the sender is told why.
    Cancelled { message: String },
}

/// Decides what the Final Picked Order `body` for order `jet_id` may change.
pub fn decide_final(jet_id: &str, body: &[u8], state: &FinalState<'_>) -> FinalDecision {
    if let Some(at) = state.cancelled_at {
        return FinalDecision::Cancelled {
            message: format!(
                "order {jet_id} was cancelled by Just Eat at {at}; a final picked version \
                 does not change a cancelled order"
            ),
        };
    }
    if state.order_cancelled {
        return FinalDecision::Cancelled {
            message: format!(
                "order {jet_id} is cancelled; a final picked version does not change a \
                 cancelled order"
            ),
        };
    }
    let digest = body_digest(body);
    let applied: Vec<&str> = state.applied.split_whitespace().collect();
    if let Some(position) = applied.iter().position(|d| *d == digest) {
        return FinalDecision::Seen {
            latest: position + 1 == applied.len(),
        };
    }
    if !applied.is_empty() && digest == body_digest(state.initial_body) {
        return FinalDecision::Seen { latest: false };
    }
    FinalDecision::Apply { digest }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const INITIAL: &[u8] = br#"{"id":"j1","items":[1]}"#;
    const FIRST: &[u8] = br#"{"id":"j1","items":[1,1]}"#;
    const SECOND: &[u8] = br#"{"id":"j1","items":[1,1,1]}"#;

    fn state(applied: &str) -> FinalState<'static> {
        FinalState {
            initial_body: INITIAL,
            applied: Box::leak(applied.to_owned().into_boxed_str()),
            cancelled_at: None,
            order_cancelled: false,
        }
    }

    #[test]
    fn body_digest_is_the_sha256_of_the_exact_bytes() {
        // printf '' | sha256sum; printf 'abc' | sha256sum
        assert_eq!(
            body_digest(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            body_digest(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_ne!(
            body_digest(FIRST),
            body_digest(b"{\"id\":\"j1\", \"items\":[1,1]}")
        );
    }

    #[test]
    fn a_new_version_is_applied() {
        let one = body_digest(FIRST);
        let cases: Vec<(FinalState<'static>, &[u8], &str)> = vec![
            (state(""), FIRST, "the first final version"),
            (
                state(""),
                INITIAL,
                "a first final identical to the original",
            ),
            (
                state(&one),
                SECOND,
                "a second, different version after the first",
            ),
        ];
        for (state, body, why) in cases {
            assert_eq!(
                decide_final("j1", body, &state),
                FinalDecision::Apply {
                    digest: body_digest(body)
                },
                "{why}"
            );
        }
    }

    #[test]
    fn a_body_seen_before_changes_nothing() {
        let both = format!("{} {}", body_digest(FIRST), body_digest(SECOND));
        let cases: Vec<(FinalState<'static>, &[u8], FinalDecision, &str)> = vec![
            (
                state(&both),
                SECOND,
                FinalDecision::Seen { latest: true },
                "the latest version again (a retry)",
            ),
            (
                state(&both),
                FIRST,
                FinalDecision::Seen { latest: false },
                "an older version replayed after a newer one",
            ),
            (
                state(&body_digest(FIRST)),
                INITIAL,
                FinalDecision::Seen { latest: false },
                "the original order replayed at the final endpoint after an amendment",
            ),
            (
                state(&body_digest(INITIAL)),
                INITIAL,
                FinalDecision::Seen { latest: true },
                "a final identical to the original, again",
            ),
        ];
        for (state, body, want, why) in cases {
            assert_eq!(decide_final("j1", body, &state), want, "{why}");
        }
    }

    #[test]
    fn a_cancelled_order_keeps_its_contents() {
        let cancelled_by_jet = FinalState {
            cancelled_at: Some("2026-12-04T10:00:00.000Z"),
            ..state("")
        };
        let cancelled_in_hub = FinalState {
            order_cancelled: true,
            ..state("")
        };
        for (state, body, needle, why) in [
            (
                cancelled_by_jet,
                FIRST,
                "cancelled by Just Eat at 2026-12-04T10:00:00.000Z",
                "by Just Eat",
            ),
            (
                cancelled_in_hub,
                FIRST,
                "is cancelled",
                "the hub order at 5",
            ),
            (
                cancelled_by_jet,
                INITIAL,
                "cancelled by Just Eat",
                "even the original",
            ),
        ] {
            match decide_final("j1", body, &state) {
                FinalDecision::Cancelled { message } => {
                    assert!(
                        message.contains("j1") && message.contains(needle),
                        "{why}: {message}"
                    )
                }
                other => panic!("{why}: {other:?}"),
            }
        }
        // Not cancelled: applied (the failing side of the rule).
        assert!(matches!(
            decide_final("j1", FIRST, &state("")),
            FinalDecision::Apply { .. }
        ));
    }
}
