//! Upstream mode (`JUPITER_API_URL` + `JUPITER_API_KEY`): a validated order is forwarded to
//! Jupiter's `POST /order` with the hub's own `status_url`, and Jupiter's status calls to
//! that URL move the order and are passed on to the front-end's `status_url`.
//!
//! | decision | rule |
//! |----------|------|
//! | what is forwarded | the request as parsed, `status_url` replaced by the hub's callback URL |
//! | the callback URL | `<hub origin>/callbacks/jupiter/orders/<order id>?token=<token>`; the token is 128 random bits per order, compared in constant time; Jupiter appends `&status=N` |
//! | Jupiter's order id | `order_id` of Jupiter's `200` answer, kept with the order |
//! | a status call | the same status again: `0` is passed on (Jupiter's `0` is its acceptance, the front-end hears of the order then), any other is ignored; a transition [`lifecycle`](super::lifecycle) allows is stored and passed on; anything else is refused (`409`) |

use serde::Deserialize;

use super::lifecycle::{allowed, Status};
use super::validate::DeliveryMethod;
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

/// The request Jupiter receives: the front-end's, with the hub's status URL.
pub fn forwarded(req: &NewOrderRequest, callback: &str) -> NewOrderRequest {
    let mut out = req.clone();
    out.body.status_url = Some(callback.to_owned());
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

/// What a status call from Jupiter does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpstreamStatus {
    /// Store the new status and pass it on.
    Record,
    /// Pass it on without storing anything (Jupiter's `0` for an order at `0`).
    PassOn,
    /// Nothing to do (the same status again).
    Ignore,
    /// Not a transition the lifecycle allows.
    Illegal,
}

pub fn on_status(method: DeliveryMethod, current: Status, incoming: Status) -> UpstreamStatus {
    if incoming == current {
        if incoming == Status::New {
            UpstreamStatus::PassOn
        } else {
            UpstreamStatus::Ignore
        }
    } else if allowed(method, current, incoming) {
        UpstreamStatus::Record
    } else {
        UpstreamStatus::Illegal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_forwarded_order_carries_the_hub_callback_and_nothing_else_changes() {
        let text = include_str!("../../../fixtures/demo/order.json");
        let req = super::super::wire::parse(text.as_bytes()).unwrap_or_else(|v| panic!("{v:?}"));
        let url = callback_url("https://hub.example/", "ord_ab", "tok_cd");
        assert_eq!(
            url,
            "https://hub.example/callbacks/jupiter/orders/ord_ab?token=tok_cd"
        );
        let out = forwarded(&req, &url);
        assert_eq!(out.body.status_url.as_deref(), Some(url.as_str()));
        let mut back = out.clone();
        back.body.status_url = req.body.status_url.clone();
        assert_eq!(back, req);
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

    #[test]
    fn status_calls_follow_the_lifecycle_and_a_repeated_new_is_passed_on() {
        use DeliveryMethod::*;
        use Status::*;
        let cases = [
            (Courier, New, New, UpstreamStatus::PassOn),
            (Courier, New, Cooking, UpstreamStatus::Record),
            (Courier, Cooking, Cooking, UpstreamStatus::Ignore),
            (Courier, Delivered, New, UpstreamStatus::Illegal),
            (Pickup, Cooking, Delivering, UpstreamStatus::Illegal),
            (Pickup, Cooking, Delivered, UpstreamStatus::Record),
        ];
        for (method, from, to, want) in cases {
            assert_eq!(
                on_status(method, from, to),
                want,
                "{method:?} {from:?} {to:?}"
            );
        }
    }
}
