//! Every failure has an owner (issue 17): what a dead delivery causes, by receiver.
//!
//! A delivery is dead when its receiver refused it for good, when every attempt failed, or
//! when its deadline passed (`plan`, `backoff`). The outbox keeps it with its last error;
//! this module decides what else that means, and how the failure is shown with its order.
//! The edge asks [`on_dead`] once, when a delivery becomes dead, and carries the decision
//! out through the outbox; the order views ask [`shown`] for each dead delivery of the order.
//!
//! | receiver | shown with the order as | the order | Just Eat |
//! |----------|-------------------------|-----------|----------|
//! | `site_status` | `status_url`, naming the status (site and operator) | unchanged | — |
//! | `jupiter_injection` | `kitchen`: it did not reach the kitchen (site and operator) | to 5, the reason in its history, passed on like any 5 (the front-end's `status_url`, the channel) | a JET order still waiting for its outcome: `sent-to-pos-failed` now (`UNKNOWN` when Jupiter refused the order, `INACTIVE` when it could not be reached or not in time); the deadline's `TIMEOUT` covers the rest of the window |
//! | `jupiter_injection`, but Jupiter reported a status for the order | nothing: the order reached Jupiter, only its answer was lost | unchanged | — |
//! | `jupiter_injection`, the order at 5 already | `kitchen` | unchanged | — |
//! | `jet_sent_to_pos`, `jet_delivery_state` | `just_eat`, naming the call (operator) | unchanged | — (the dead call was the one owed) |
//! | `menu_callback`, `jet_relay` | belong to no order: the delivery log shows them | — | — |
//!
//! Orderconnect orders have no call to make when they do not reach the kitchen: seed `001`
//! lets a delivery partner refuse an order only in its answer to the order (`201` or
//! `errors[]`), and the delivery-state calls have no failure state; the order goes to 5
//! with its reason and the operator sees it (`channels` owes nothing at 5 for them).

use super::plan::ReceiverKind;
use crate::jet::order::outcome::{ErrorCode, Failure};
use crate::order::lifecycle::Status;

/// How a delivery died.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadCause {
    /// The receiver refused it for good (a 4xx), or its URL is refused today.
    Refused,
    /// Every attempt failed (5xx, timeouts, network errors).
    GaveUp,
    /// Its deadline passed before it could be delivered.
    Expired,
}

/// Where the order stands when one of its deliveries dies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderState {
    pub status: Status,
    /// Whether the upstream Jupiter has reported any status for the order.
    pub heard_from_upstream: bool,
}

/// What a dead delivery causes beyond its own dead record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Consequences {
    /// Move the order to status 5 with this reason in its history, and pass the 5 on.
    pub cancel: Option<String>,
    /// A JET order still waiting for its outcome is told this failure now.
    pub jet_outcome: Option<Failure>,
}

/// Decides what the death of a `receiver` delivery causes (see the module's table). `order`
/// is the order the delivery belongs to, when it has one.
pub fn on_dead(
    receiver: ReceiverKind,
    cause: DeadCause,
    last_error: &str,
    order: Option<&OrderState>,
) -> Consequences {
    if receiver != ReceiverKind::JupiterInjection {
        return Consequences::default();
    }
    let Some(order) = order else {
        return Consequences::default();
    };
    if order.heard_from_upstream {
        return Consequences::default();
    }
    let detail = if last_error.trim().is_empty() {
        "no answer".to_owned()
    } else {
        last_error.trim().to_owned()
    };
    let jet_outcome = Some(match cause {
        DeadCause::Refused => Failure {
            code: ErrorCode::Unknown,
            message: format!("the POS refused the order: {detail}"),
        },
        DeadCause::GaveUp | DeadCause::Expired => Failure {
            code: ErrorCode::Inactive,
            message: format!("the POS could not be reached: {detail}"),
        },
    });
    Consequences {
        cancel: (order.status != Status::Cancelled).then(|| not_in_kitchen(cause)),
        jet_outcome,
    }
}

/// The reason written in the history of an order that did not reach the kitchen.
pub fn not_in_kitchen(cause: DeadCause) -> String {
    let why = match cause {
        DeadCause::Refused => "the upstream Jupiter refused it",
        DeadCause::GaveUp => "the upstream Jupiter could not be reached",
        DeadCause::Expired => "it could not be forwarded to the upstream Jupiter in time",
    };
    format!("the order did not reach the kitchen: {why}")
}

/// How a failure is shown with its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The front-end's `status_url` did not take a status.
    StatusUrl,
    /// The order did not reach the kitchen (the upstream Jupiter).
    Kitchen,
    /// Just Eat did not take a call owed to it.
    JustEat,
}

impl FailureKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::StatusUrl => "status_url",
            FailureKind::Kitchen => "kitchen",
            FailureKind::JustEat => "just_eat",
        }
    }

    /// Whether the site API shows it (the front-end's own calls and the kitchen), or only
    /// the operator (calls to Just Eat).
    pub fn public(self) -> bool {
        matches!(self, FailureKind::StatusUrl | FailureKind::Kitchen)
    }
}

/// A dead delivery as its order shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub kind: FailureKind,
    /// The status a `status_url` call carried.
    pub status: Option<i64>,
    /// What failed, in words; the delivery's own error stays in the delivery log.
    pub reason: String,
}

/// How a dead delivery of `receiver` to `url` is shown with its order (`None`: not an
/// order's failure, or a call the hub itself settled unsent because Just Eat cancelled the
/// order, told by its `last_error`).
pub fn shown(receiver: ReceiverKind, url: &str, last_error: Option<&str>) -> Option<Shown> {
    if last_error.is_some_and(|e| e.starts_with(SETTLED_BY_CANCELLATION)) {
        return None;
    }
    match receiver {
        ReceiverKind::SiteStatus => {
            let status = query_status(url);
            let reason = match status {
                Some(code) => format!("the front-end's status_url did not take status {code}"),
                None => "the front-end's status_url did not take a status".to_owned(),
            };
            Some(Shown {
                kind: FailureKind::StatusUrl,
                status,
                reason,
            })
        }
        ReceiverKind::JupiterInjection => Some(Shown {
            kind: FailureKind::Kitchen,
            status: None,
            reason: "the order did not reach the kitchen: the upstream Jupiter did not take it"
                .to_owned(),
        }),
        ReceiverKind::JetSentToPos | ReceiverKind::JetDeliveryState => {
            let call = last_segment(url);
            Some(Shown {
                kind: FailureKind::JustEat,
                status: None,
                reason: format!("Just Eat did not take {call}"),
            })
        }
        ReceiverKind::PartnerOrderCallback => Some(Shown {
            kind: FailureKind::JustEat,
            status: None,
            reason: "Just Eat did not take the order's ready-for-preparation result".to_owned(),
        }),
        ReceiverKind::MenuCallback | ReceiverKind::JetRelay => None,
    }
}

/// The last error the hub writes on the calls it settles unsent when Just Eat cancels an
/// order (they are dead, but nothing failed).
pub const SETTLED_BY_CANCELLATION: &str = "not sent: Just Eat cancelled the order";

/// The last `status=` of a URL's query.
fn query_status(url: &str) -> Option<i64> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query
        .split('&')
        .filter_map(|pair| pair.strip_prefix("status="))
        .filter_map(|v| v.parse::<i64>().ok())
        .next_back()
}

/// The last path segment of a URL (`sent-to-pos-success`, `onitsway`).
fn last_segment(url: &str) -> &str {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("a call")
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const AT_NEW: OrderState = OrderState {
        status: Status::New,
        heard_from_upstream: false,
    };

    #[test]
    fn a_dead_forwarding_cancels_the_order_and_fails_the_jet_outcome_unless_jupiter_spoke() {
        use DeadCause::*;
        use ReceiverKind::*;
        let heard = OrderState {
            status: Status::Cooking,
            heard_from_upstream: true,
        };
        let cancelled = OrderState {
            status: Status::Cancelled,
            heard_from_upstream: false,
        };
        // (receiver, cause, order, cancels, JET code)
        type Case = (
            ReceiverKind,
            DeadCause,
            Option<OrderState>,
            bool,
            Option<ErrorCode>,
        );
        let cases: [Case; 11] = [
            (
                JupiterInjection,
                Refused,
                Some(AT_NEW),
                true,
                Some(ErrorCode::Unknown),
            ),
            (
                JupiterInjection,
                GaveUp,
                Some(AT_NEW),
                true,
                Some(ErrorCode::Inactive),
            ),
            (
                JupiterInjection,
                Expired,
                Some(AT_NEW),
                true,
                Some(ErrorCode::Inactive),
            ),
            // Jupiter reported a status: the order is there, only the answer was lost.
            (JupiterInjection, GaveUp, Some(heard), false, None),
            // Already at 5 (cancelled meanwhile): nothing to move; Just Eat still told.
            (
                JupiterInjection,
                GaveUp,
                Some(cancelled),
                false,
                Some(ErrorCode::Inactive),
            ),
            (JupiterInjection, GaveUp, None, false, None),
            (SiteStatus, GaveUp, Some(AT_NEW), false, None),
            (JetSentToPos, Expired, Some(AT_NEW), false, None),
            (JetDeliveryState, Refused, Some(AT_NEW), false, None),
            (MenuCallback, GaveUp, None, false, None),
            (JetRelay, Refused, None, false, None),
        ];
        for (receiver, cause, order, cancels, code) in cases {
            let got = on_dead(receiver, cause, "HTTP 503", order.as_ref());
            assert_eq!(got.cancel.is_some(), cancels, "{receiver:?} {cause:?}");
            assert_eq!(
                got.jet_outcome.as_ref().map(|f| f.code),
                code,
                "{receiver:?} {cause:?}"
            );
        }
    }

    #[test]
    fn the_cancellation_says_why_the_order_did_not_reach_the_kitchen() {
        let got = on_dead(
            ReceiverKind::JupiterInjection,
            DeadCause::GaveUp,
            "HTTP 503; gave up after 4 attempts",
            Some(&AT_NEW),
        );
        assert_eq!(
            got.cancel.as_deref(),
            Some("the order did not reach the kitchen: the upstream Jupiter could not be reached")
        );
        let jet = got.jet_outcome.unwrap_or_else(|| panic!("a JET failure"));
        assert_eq!(
            jet.message,
            "the POS could not be reached: HTTP 503; gave up after 4 attempts"
        );
        let refused = on_dead(
            ReceiverKind::JupiterInjection,
            DeadCause::Refused,
            "  ",
            Some(&AT_NEW),
        );
        assert_eq!(
            refused.jet_outcome.map(|f| f.message).as_deref(),
            Some("the POS refused the order: no answer")
        );
        assert!(not_in_kitchen(DeadCause::Expired).contains("in time"));
    }

    #[test]
    fn each_dead_delivery_is_shown_with_its_order_by_kind_or_not_at_all() {
        use ReceiverKind::*;
        // (receiver, url, last error, kind, status, reason contains)
        type Case<'a> = (
            ReceiverKind,
            &'a str,
            Option<&'a str>,
            Option<FailureKind>,
            Option<i64>,
            &'a str,
        );
        let cases: [Case<'_>; 9] = [
            (
                SiteStatus,
                "https://shop.example/st?n=1&status=10",
                Some("HTTP 503"),
                Some(FailureKind::StatusUrl),
                Some(10),
                "status 10",
            ),
            (
                SiteStatus,
                "https://shop.example/st",
                Some("HTTP 503"),
                Some(FailureKind::StatusUrl),
                None,
                "a status",
            ),
            (
                JupiterInjection,
                "https://jupiter.example/site-api/order",
                Some("HTTP 503"),
                Some(FailureKind::Kitchen),
                None,
                "did not reach the kitchen",
            ),
            (
                JetSentToPos,
                "https://jet.example/order/abc/sent-to-pos-success",
                Some("HTTP 503"),
                Some(FailureKind::JustEat),
                None,
                "sent-to-pos-success",
            ),
            (
                JetDeliveryState,
                "https://uk.api.just-eat.io/orders/x/deliverystate/onitsway",
                Some("HTTP 503"),
                Some(FailureKind::JustEat),
                None,
                "onitsway",
            ),
            (
                PartnerOrderCallback,
                "https://partner.just-eat.example/callback?x=1",
                Some("HTTP 500"),
                Some(FailureKind::JustEat),
                None,
                "ready-for-preparation",
            ),
            // Settled unsent by a cancellation: nothing failed.
            (
                JetSentToPos,
                "https://jet.example/order/abc/sent-to-pos-failed",
                Some("not sent: Just Eat cancelled the order at 2026-01-01T00:00:00.000Z"),
                None,
                None,
                "",
            ),
            (MenuCallback, "https://pos.example/cb", None, None, None, ""),
            (JetRelay, "https://jet.example/menus", None, None, None, ""),
        ];
        for (receiver, url, error, kind, status, words) in cases {
            let got = shown(receiver, url, error);
            assert_eq!(got.as_ref().map(|s| s.kind), kind, "{url}");
            assert_eq!(got.as_ref().and_then(|s| s.status), status, "{url}");
            if let Some(s) = got {
                assert!(s.reason.contains(words), "{url}: {}", s.reason);
            }
        }
        assert!(FailureKind::StatusUrl.public() && FailureKind::Kitchen.public());
        assert!(!FailureKind::JustEat.public());
    }
}
