//! What the outbox holds, and which delivery may go next.
//!
//! The edge writes a [`Delivery`] to the outbox in the same D1 batch as the state change
//! that causes it, so a delivery exists exactly when its cause does. This module describes a
//! delivery without any storage or `worker` types, and decides which deliveries may be
//! attempted now.
//!
//! **Ordering.** Deliveries with the same ordering key ([`order_key`]: one order, one
//! receiver) go out in the order they were created: a front-end must never see status 20
//! before status 10, even when 10 is being retried. So within a key only the *oldest
//! undelivered* delivery may be attempted; everything behind it waits, even when it is due.
//! Deliveries without a key (a menu callback) are independent of each other.
//!
//! **A dead delivery does not block the ones after it.** Dead means the receiver refused it
//! for good (a 4xx) or never took it in all attempts. Holding back every later status of
//! that order for ever would turn one bad message into a silent outage of the whole order,
//! while the receiver most likely still wants the later state (status 30 supersedes 20). The
//! dead delivery stays in the log with its last error, and an operator may replay it; a
//! replay is an explicit decision and is not ordered against what was sent since.
//!
//! **A delivery past its deadline is expired, not attempted** (`sent-to-pos` after its
//! window would be a lie about timing); the caller marks it dead and takes the protocol's
//! failure path, then asks again.
//!
//! **In flight.** There is no separate "sending" state: before sending, the edge sets the
//! delivery's `next_attempt_at` to `now + attempt_timeout` (a lease). A second consumer then
//! sees it as not due, and the key stays blocked; if the Worker dies mid-attempt, the lease
//! runs out and the sweep picks the delivery up again.

use std::collections::HashSet;

use super::url_guard::OutboundUrl;
use crate::routes::Method;

/// Whom a delivery is for; each has its own protocol, secret and failure path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReceiverKind {
    /// A front-end's `status_url` (Jupiter site API status callbacks).
    SiteStatus,
    /// The async result of a JET Connect menu ingestion (`POST /menus` callback): a result
    /// POSTed to a URL the caller gave, signed with the hub's signature.
    MenuCallback,
    /// The async result of Just Eat's `order-ready-for-preparation-async` (its
    /// `?callback=`): POSTed to the URL Just Eat gave, signed like a menu callback.
    PartnerOrderCallback,
    /// `sent-to-pos-success|failed` to JET Connect, within 3 minutes of the order.
    JetSentToPos,
    /// Order delivery-state updates to JET Connect.
    JetDeliveryState,
    /// A validated order forwarded to the upstream Jupiter (`POST /order`).
    JupiterInjection,
    /// Catalog changes relayed to JET Connect (availability, online state, times).
    JetRelay,
}

impl ReceiverKind {
    pub const ALL: [ReceiverKind; 7] = [
        ReceiverKind::SiteStatus,
        ReceiverKind::MenuCallback,
        ReceiverKind::PartnerOrderCallback,
        ReceiverKind::JetSentToPos,
        ReceiverKind::JetDeliveryState,
        ReceiverKind::JupiterInjection,
        ReceiverKind::JetRelay,
    ];

    /// The name stored in the outbox and shown in the delivery log.
    pub fn as_str(self) -> &'static str {
        match self {
            ReceiverKind::SiteStatus => "site_status",
            ReceiverKind::MenuCallback => "menu_callback",
            ReceiverKind::PartnerOrderCallback => "partner_order_callback",
            ReceiverKind::JetSentToPos => "jet_sent_to_pos",
            ReceiverKind::JetDeliveryState => "jet_delivery_state",
            ReceiverKind::JupiterInjection => "jupiter_injection",
            ReceiverKind::JetRelay => "jet_relay",
        }
    }

    /// The inverse of [`ReceiverKind::as_str`].
    pub fn parse(name: &str) -> Option<ReceiverKind> {
        ReceiverKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Whether calls to this receiver carry `X-Orderbridge-Signature`: those going to
    /// endpoints that our callers run (issue 4). Calls to Just Eat and Jupiter authenticate
    /// with those parties' own keys instead, attached at send time from the Worker's secrets.
    pub fn carries_hub_signature(self) -> bool {
        matches!(
            self,
            ReceiverKind::SiteStatus
                | ReceiverKind::MenuCallback
                | ReceiverKind::PartnerOrderCallback
        )
    }
}

/// The ordering key of an order's deliveries to one receiver: `<receiver>:<order id>`. The
/// receiver name contains no `:`, so the key is unambiguous whatever the order id holds.
pub fn order_key(order_id: &str, receiver: ReceiverKind) -> String {
    format!("{}:{order_id}", receiver.as_str())
}

/// One call the hub owes someone, as stored in the outbox. Secrets are not part of it: the
/// edge attaches them at send time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: String,
    pub receiver: ReceiverKind,
    /// Deliveries with the same key go out in creation order; `None` for independent ones.
    pub order_key: Option<String>,
    pub method: Method,
    /// Checked by the URL guard when the delivery was made, and again when loaded.
    pub url: OutboundUrl,
    pub body: String,
    /// Unix seconds.
    pub created_at: i64,
    /// The last unix second at which an attempt may start, when the protocol has a window.
    pub deadline: Option<i64>,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Not delivered yet; may be attempted from `next_attempt_at` (unix seconds) on.
    Pending {
        next_attempt_at: i64,
    },
    Delivered,
    /// Given up; kept with its last error. Does not block later deliveries of its key.
    Dead,
}

/// A delivery and its status, as the edge reads them from the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub delivery: Delivery,
    pub status: DeliveryStatus,
}

/// Something to do about one delivery now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// Send it (after taking the lease, see the module doc).
    Attempt(&'a Delivery),
    /// Its deadline has passed: mark it dead and take the protocol's failure path.
    Expire(&'a Delivery),
}

/// The decision for one ordering key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn<'a> {
    Now(Action<'a>),
    /// The oldest undelivered delivery is not due until then; nothing else may go first.
    WaitUntil(i64),
    /// Nothing is pending.
    Idle,
}

/// Decides for the deliveries of one ordering key, given in creation order (the edge reads
/// them `ORDER BY created_at, rowid`): only the oldest pending one may act.
pub fn turn(entries: &[OutboxEntry], now: i64) -> Turn<'_> {
    for entry in entries {
        if let DeliveryStatus::Pending { next_attempt_at } = entry.status {
            return match decide(&entry.delivery, next_attempt_at, now) {
                Some(action) => Turn::Now(action),
                None => Turn::WaitUntil(next_attempt_at),
            };
        }
    }
    Turn::Idle
}

/// Decides for a whole sweep: every delivery that may act now, in the given (creation)
/// order. Per ordering key only the oldest pending delivery is considered; deliveries without
/// a key are each considered on their own.
pub fn due_now(entries: &[OutboxEntry], now: i64) -> Vec<Action<'_>> {
    let mut blocked: HashSet<&str> = HashSet::new();
    let mut actions = Vec::new();
    for entry in entries {
        let DeliveryStatus::Pending { next_attempt_at } = entry.status else {
            continue;
        };
        if let Some(key) = entry.delivery.order_key.as_deref() {
            if !blocked.insert(key) {
                continue;
            }
        }
        if let Some(action) = decide(&entry.delivery, next_attempt_at, now) {
            actions.push(action);
        }
    }
    actions
}

fn decide(delivery: &Delivery, next_attempt_at: i64, now: i64) -> Option<Action<'_>> {
    match delivery.deadline {
        Some(deadline) if now > deadline => Some(Action::Expire(delivery)),
        _ if next_attempt_at <= now => Some(Action::Attempt(delivery)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use crate::outbound::url_guard::{check_outbound_url, UrlPolicy};

    const NOW: i64 = 1_700_000_000;

    fn delivery(id: &str, key: Option<&str>, deadline: Option<i64>) -> Delivery {
        let url = check_outbound_url("https://site.example.com/status", &UrlPolicy::PRODUCTION)
            .unwrap_or_else(|r| panic!("{r}"));
        Delivery {
            id: id.to_owned(),
            receiver: ReceiverKind::SiteStatus,
            order_key: key.map(str::to_owned),
            method: Method::Post,
            url,
            body: format!("{{\"delivery\":\"{id}\"}}"),
            created_at: NOW - 100,
            deadline,
        }
    }

    fn pending(id: &str, due: i64) -> OutboxEntry {
        pending_in(id, Some("site_status:1"), due, None)
    }

    fn pending_in(id: &str, key: Option<&str>, due: i64, deadline: Option<i64>) -> OutboxEntry {
        OutboxEntry {
            delivery: delivery(id, key, deadline),
            status: DeliveryStatus::Pending {
                next_attempt_at: due,
            },
        }
    }

    fn with(id: &str, status: DeliveryStatus) -> OutboxEntry {
        OutboxEntry {
            delivery: delivery(id, Some("site_status:1"), None),
            status,
        }
    }

    /// A turn with the delivery reduced to its id, for readable tables.
    #[derive(Debug, PartialEq)]
    enum T {
        Attempt(&'static str),
        Expire(&'static str),
        Wait(i64),
        Idle,
    }

    fn shown(turn: Turn<'_>) -> String {
        match turn {
            Turn::Now(Action::Attempt(d)) => format!("Attempt({:?})", d.id),
            Turn::Now(Action::Expire(d)) => format!("Expire({:?})", d.id),
            Turn::WaitUntil(at) => format!("Wait({at})"),
            Turn::Idle => "Idle".to_owned(),
        }
    }

    #[test]
    fn only_the_oldest_undelivered_delivery_of_a_key_may_go() {
        use DeliveryStatus::{Dead, Delivered};
        let cases: Vec<(Vec<OutboxEntry>, T, &str)> = vec![
            (vec![], T::Idle, "nothing in the outbox"),
            (
                vec![with("s10", Delivered), with("s20", Delivered)],
                T::Idle,
                "everything delivered",
            ),
            (
                vec![pending("s10", NOW), pending("s20", NOW)],
                T::Attempt("s10"),
                "status 10 goes before status 20",
            ),
            (
                vec![pending("s10", NOW + 30), pending("s20", NOW)],
                T::Wait(NOW + 30),
                "a retried status 10 holds back a due status 20",
            ),
            (
                vec![with("s10", Delivered), pending("s20", NOW - 5)],
                T::Attempt("s20"),
                "once 10 is delivered, 20 goes",
            ),
            (
                vec![with("s10", Dead), pending("s20", NOW)],
                T::Attempt("s20"),
                "a dead delivery does not block later ones",
            ),
            (
                vec![with("s10", Dead), with("s20", Dead)],
                T::Idle,
                "dead deliveries are not pending",
            ),
            (
                vec![pending("s10", NOW + 10)],
                T::Wait(NOW + 10),
                "in flight: the lease has not run out",
            ),
            (
                vec![pending("s10", NOW)],
                T::Attempt("s10"),
                "due exactly now",
            ),
            (
                vec![
                    pending_in("pos", Some("k"), NOW + 60, Some(NOW - 1)),
                    pending("s20", NOW),
                ],
                T::Expire("pos"),
                "past its deadline: expire, even before it is due",
            ),
            (
                vec![pending_in("pos", Some("k"), NOW, Some(NOW))],
                T::Attempt("pos"),
                "the deadline is the last second an attempt may start",
            ),
            (
                vec![pending_in("pos", Some("k"), NOW + 5, Some(NOW + 180))],
                T::Wait(NOW + 5),
                "a deadline ahead changes nothing",
            ),
        ];
        for (entries, want, why) in cases {
            assert_eq!(shown(turn(&entries, NOW)), format!("{want:?}"), "{why}");
        }
    }

    #[test]
    fn a_sweep_acts_on_the_head_of_each_key_and_on_every_unkeyed_delivery() {
        let entries = vec![
            pending_in("a10", Some("site_status:A"), NOW, None),
            pending_in("b10", Some("site_status:B"), NOW + 60, None),
            pending_in("a20", Some("site_status:A"), NOW, None),
            pending_in("b20", Some("site_status:B"), NOW, None),
            pending_in("menu1", None, NOW, None),
            pending_in("menu2", None, NOW - 1, None),
            pending_in("menu3", None, NOW + 1, None),
            with("c10", DeliveryStatus::Dead),
            pending_in("pos", Some("jet_sent_to_pos:C"), NOW, Some(NOW - 1)),
        ];
        let got: Vec<String> = due_now(&entries, NOW)
            .into_iter()
            .map(|action| shown(Turn::Now(action)))
            .collect();
        assert_eq!(
            got,
            [
                r#"Attempt("a10")"#,
                r#"Attempt("menu1")"#,
                r#"Attempt("menu2")"#,
                r#"Expire("pos")"#
            ],
            "a20 waits for a10, b10 is not due so b20 waits, menu3 is not due"
        );
        assert!(due_now(&[], NOW).is_empty());
    }

    #[test]
    fn ordering_keys_name_the_receiver_and_the_order() {
        assert_eq!(
            order_key("000127", ReceiverKind::SiteStatus),
            "site_status:000127"
        );
        assert_ne!(
            order_key("1", ReceiverKind::SiteStatus),
            order_key("1", ReceiverKind::JetSentToPos),
            "each receiver of one order is ordered on its own"
        );
        assert_eq!(order_key("a:b", ReceiverKind::JetRelay), "jet_relay:a:b");
    }

    #[test]
    fn receiver_names_round_trip_and_unknown_names_are_refused() {
        for kind in ReceiverKind::ALL {
            assert_eq!(ReceiverKind::parse(kind.as_str()), Some(kind));
        }
        for name in ["", "SiteStatus", "site_status ", "webhook"] {
            assert_eq!(ReceiverKind::parse(name), None, "{name:?}");
        }
    }

    #[test]
    fn only_calls_to_our_callers_carry_the_hub_signature() {
        let signed: Vec<ReceiverKind> = ReceiverKind::ALL
            .into_iter()
            .filter(|k| k.carries_hub_signature())
            .collect();
        assert_eq!(
            signed,
            [
                ReceiverKind::SiteStatus,
                ReceiverKind::MenuCallback,
                ReceiverKind::PartnerOrderCallback
            ]
        );
    }
}
