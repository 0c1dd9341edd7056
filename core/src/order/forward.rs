//! Upstream mode (`JUPITER_API_URL` + `JUPITER_API_KEY`): a validated order is forwarded to
//! Jupiter's `POST /order` with the hub's own `status_url`, and Jupiter's status calls to
//! that URL move the order and are passed on to the front-end's `status_url`.
//!
//! | decision | rule |
//! |----------|------|
//! | what is forwarded | the request as parsed, `status_url` replaced by the hub's callback URL and `number` by one unique across namespaces ([`upstream_number`](super::namespace::upstream_number): a site order's hub order id, a marketplace order's own number), without the hub's own extension `client.email` / `recipient_name.email` (Jupiter's shape, seed `004`) |
//! | the callback URL | `<hub origin>/callbacks/jupiter/orders/<order id>?token=<token>`; the token is 128 random bits per order, compared in constant time; Jupiter appends `&status=N` |
//! | Jupiter's order id | `order_id` of Jupiter's `200` answer, kept with the order |
//! | a status call | [`on_status`]: Jupiter is the system of record and never hears a refusal (it does not retry and does not read the answer, seed `004`), so every valid status is taken: see the table below |
//!
//! ### Jupiter's status calls
//!
//! Jupiter's statuses are ranked by how far they take the order: `0` < `10` < `20` < `30`
//! < `5` (a cancellation ends the order even after `30`: Jupiter sends `30→5` when a closed
//! order is deleted). The hub's own lifecycle ([`lifecycle::allowed`](super::lifecycle::allowed))
//! does not apply: `0→20`, `0→30`, `10→30` for a courier order all happen upstream.
//!
//! | incoming | history | order's status | passed on (front-end, channel) |
//! |----------|---------|----------------|--------------------------------|
//! | heard from Jupiter before (a repeat) | unchanged | unchanged | no |
//! | `0`, first time, order at `0` (Jupiter's acceptance) | unchanged (the placement's `0` stands for it) | unchanged | yes |
//! | ranked above the current status | appended | moves to it | yes |
//! | ranked below the current status (late) | appended | unchanged | no (never a regression) |
//! | `0` late (after a later status) | unchanged (the placement's `0` is there) | unchanged | no |

use serde::Deserialize;

use super::lifecycle::Status;
use super::wire::NewOrderRequest;

/// The path Jupiter's status calls for an order come to.
pub fn callback_path(order_id: &str) -> String {
    format!("/callbacks/jupiter/orders/{order_id}")
}

/// The hub's status URL for Jupiter. `origin` is the hub's `scheme://host[:port]`; order
/// ids and tokens are lowercase hex with a prefix, so nothing needs encoding.
pub fn callback_url(origin: &str, order_id: &str, token: &str) -> String {
    format!(
        "{}{}?token={token}",
        origin.trim_end_matches('/'),
        callback_path(order_id)
    )
}

/// The request Jupiter receives: the front-end's, numbered `number` (see
/// [`upstream_number`](super::namespace::upstream_number)), with the hub's status URL, in
/// Jupiter's shape (the e-mail the hub keeps on its client record stays with the hub).
pub fn forwarded(req: &NewOrderRequest, number: &str, callback: &str) -> NewOrderRequest {
    let mut out = req.clone();
    out.body.number = Some(number.to_owned());
    out.body.status_url = Some(callback.to_owned());
    for person in [&mut out.body.client, &mut out.body.recipient_name]
        .into_iter()
        .flatten()
    {
        person.email = None;
    }
    out
}

/// Jupiter's order id from its answer to `POST /order` (`{"order_id": "S9400001"}`).
pub fn accepted_order_id(answer: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Answer {
        order_id: serde_json::Value,
    }
    let answer: Answer = serde_json::from_str(answer.trim()).ok()?;
    match answer.order_id {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// How far a status takes an order upstream: a later rank never gives way to an earlier one.
pub fn rank(status: Status) -> u8 {
    match status {
        Status::New => 0,
        Status::Cooking => 1,
        Status::Delivering => 2,
        Status::Delivered => 3,
        Status::Cancelled => 4,
    }
}

/// What a status call from Jupiter does: what to record and what to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpstreamStatus {
    /// Append the incoming status to the order's history.
    pub append: bool,
    /// Move the order's current status to the incoming one.
    pub advance: bool,
    /// Pass the status on (front-end `status_url`, the channel's hook).
    pub pass_on: bool,
    /// Remember the status as heard (false only for a repeat, which changes nothing).
    pub heard: bool,
}

impl UpstreamStatus {
    /// A repeat: nothing to record, nothing to send.
    pub const NOTHING: UpstreamStatus = UpstreamStatus {
        append: false,
        advance: false,
        pass_on: false,
        heard: false,
    };
}

/// Decides a status call: `current` is the order's status, `heard` what Jupiter reported
/// before. Never a refusal (see the module's table).
pub fn on_status(current: Status, heard: &[Status], incoming: Status) -> UpstreamStatus {
    if heard.contains(&incoming) {
        return UpstreamStatus::NOTHING;
    }
    let later = rank(incoming) > rank(current);
    UpstreamStatus {
        // The placement recorded 0 already; any other status is written down.
        append: incoming != Status::New,
        advance: later,
        // Jupiter's first 0 while the order is at 0 is its acceptance: passed on.
        pass_on: later || incoming == current,
        heard: true,
    }
}

/// The statuses heard from Jupiter, from their stored form (`"0,10"`); unknown codes are
/// skipped (they cannot have been stored).
pub fn parse_heard(stored: &str) -> Vec<Status> {
    stored
        .split(',')
        .filter_map(|c| c.trim().parse::<i64>().ok())
        .filter_map(Status::from_code)
        .collect()
}

/// The stored form of `heard` with `status` added.
pub fn with_heard(heard: &[Status], status: Status) -> String {
    heard
        .iter()
        .copied()
        .chain(std::iter::once(status))
        .map(|s| s.code().to_string())
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_forwarded_order_carries_the_hub_callback_and_number_and_nothing_else_changes() {
        let text = include_str!("../../../fixtures/demo/order.json");
        let req = super::super::wire::parse(text.as_bytes()).unwrap_or_else(|v| panic!("{v:?}"));
        let url = callback_url("https://hub.example/", "ord_ab", "tok_cd");
        assert_eq!(
            url,
            "https://hub.example/callbacks/jupiter/orders/ord_ab?token=tok_cd"
        );
        let out = forwarded(&req, "ord_ab", &url);
        assert_eq!(out.body.status_url.as_deref(), Some(url.as_str()));
        assert_eq!(out.body.number.as_deref(), Some("ord_ab"));
        assert_ne!(req.body.number.as_deref(), Some("ord_ab"));
        let mut back = out.clone();
        back.body.status_url = req.body.status_url.clone();
        back.body.number = req.body.number.clone();
        assert_eq!(back, req);
    }

    #[test]
    fn the_hubs_client_email_is_not_forwarded() {
        let text = include_str!("../../../fixtures/demo/order.json");
        let mut req =
            super::super::wire::parse(text.as_bytes()).unwrap_or_else(|v| panic!("{v:?}"));
        let mut sent = req.clone();
        if let Some(client) = req.body.client.as_mut() {
            client.email = Some("petr@example.ru".to_owned());
        }
        let out = forwarded(&req, "ord_ab", "https://hub.example/cb");
        assert_eq!(
            out.body.client.as_ref().and_then(|c| c.email.as_ref()),
            None
        );
        sent.body.number = Some("ord_ab".to_owned());
        sent.body.status_url = Some("https://hub.example/cb".to_owned());
        assert_eq!(out, sent);
        assert!(req.body.client.is_some_and(|c| c.email.is_some()));
    }

    #[test]
    fn jupiter_order_ids_are_read_from_its_answer() {
        let cases = [
            (r#"{"order_id": "S9400001"}"#, Some("S9400001")),
            (r#"{"order_id": 42}"#, Some("42")),
            (r#"{"order_id": ""}"#, None),
            (r#"{"error": "x"}"#, None),
            ("not json", None),
        ];
        for (answer, want) in cases {
            assert_eq!(accepted_order_id(answer).as_deref(), want, "{answer}");
        }
    }

    /// Plays `calls` against an order placed at 0 and returns (history, current, sent).
    fn play(calls: &[Status]) -> (Vec<Status>, Status, Vec<Status>) {
        let (mut history, mut current, mut sent, mut heard) =
            (vec![Status::New], Status::New, vec![], vec![]);
        for &incoming in calls {
            let d = on_status(current, &heard, incoming);
            if d.append {
                history.push(incoming);
            }
            if d.advance {
                current = incoming;
            }
            if d.pass_on {
                sent.push(incoming);
            }
            if d.heard {
                heard = parse_heard(&with_heard(&heard, incoming));
            }
        }
        (history, current, sent)
    }

    #[test]
    fn every_jupiter_sequence_is_recorded_and_passed_on_without_regressions_or_repeats() {
        use Status::*;
        // (calls, history, current, sent)
        type Case<'a> = (&'a [Status], &'a [Status], Status, &'a [Status]);
        let cases: [Case<'_>; 9] = [
            (
                &[New, Delivering, Delivered],
                &[New, Delivering, Delivered],
                Delivered,
                &[New, Delivering, Delivered],
            ),
            (
                &[New, Cooking, Delivered],
                &[New, Cooking, Delivered],
                Delivered,
                &[New, Cooking, Delivered],
            ),
            (
                &[New, Delivered, Cancelled],
                &[New, Delivered, Cancelled],
                Cancelled,
                &[New, Delivered, Cancelled],
            ),
            // Late 0: the placement's 0 stands in the history; nothing goes back.
            (&[Cooking, New], &[New, Cooking], Cooking, &[Cooking]),
            // A repeat is recorded once and sent once.
            (
                &[New, New, Cooking, Cooking],
                &[New, Cooking],
                Cooking,
                &[New, Cooking],
            ),
            // A late 20 after 30 is recorded without moving the order back.
            (
                &[New, Delivered, Delivering],
                &[New, Delivered, Delivering],
                Delivered,
                &[New, Delivered],
            ),
            // A late 30 after 5 likewise, and a repeat of it changes nothing.
            (
                &[Cancelled, Delivered, Delivered],
                &[New, Cancelled, Delivered],
                Cancelled,
                &[Cancelled],
            ),
            (&[], &[New], New, &[]),
            (&[Cooking], &[New, Cooking], Cooking, &[Cooking]),
        ];
        for (calls, history, current, sent) in cases {
            let got = play(calls);
            assert_eq!(got, (history.to_vec(), current, sent.to_vec()), "{calls:?}");
        }
    }

    #[test]
    fn heard_statuses_round_trip_through_their_stored_form_and_junk_is_skipped() {
        use Status::*;
        assert_eq!(parse_heard(""), vec![]);
        assert_eq!(parse_heard("0,10"), vec![New, Cooking]);
        assert_eq!(parse_heard("0,x,7,30"), vec![New, Delivered]);
        assert_eq!(with_heard(&[New, Cooking], Cancelled), "0,10,5");
        assert_eq!(with_heard(&[], Delivering), "20");
    }
}
