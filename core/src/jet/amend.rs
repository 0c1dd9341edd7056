//! Order amendment (issue 18): the operator marks items of an accepted JET Connect order out
//! of stock, and the hub calls JET Connect's `POST /orders/{brandSlug}/{orderId}/amend`
//! (ordering-universal-connector, `X-Flyt-Api-Key`; FACTS §8.3) with
//! `{"items": [{"reason": "missing", "plu", "missingQuantity"}]}`. JET Connect answers `202`,
//! and `409` to any later attempt: "an order can only be amended once", so the hub refuses
//! a second amendment itself. `GET /orders/{brandSlug}/{orderId}/amend` reports the
//! amendment's progress ([`progress_state`]).
//!
//! | rule | decision |
//! |---|---|
//! | an amendment already requested | refused (`409 already_amended`, naming when) |
//! | the order cancelled (5) or delivered (30) | refused (`409 order_closed`) |
//! | `items` | required, at least one |
//! | `items[i].plu` | required; a PLU of one of the order's items (promoted ones included) |
//! | `items[i].missingQuantity` | an integer ≥ 1; with the other lines of the same PLU, at most the units ordered (each JET item is one unit) |
//!
//! Every body problem is named at once. Keys camelCase as JET Connect writes them;
//! PascalCase accepted. `quantity` is not read: the spec's name is `missingQuantity`.
//!
//! The path's `{orderId}` is JET Connect's order `id`, the id JET Connect's own cancel
//! notification names the order by (`jet_orders.id`); the spec's "the originating order ID
//! as supplied by the ordering partner" does not say more.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Value};

use crate::jet::order::wire::ReceiveOrder;
use crate::order::lifecycle::Status;
use crate::outbound::url_guard::encode_component;
use crate::problem::{Violation, Violations};

/// JET Connect's ordering host (FACTS §1), unless `JET_ORDERING_URL` says otherwise.
pub const JET_ORDERING_URL: &str = "https://ordering-universal-connector.flyt-platform.com";

/// One line as the operator sends it.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct MissingIn {
    #[serde(alias = "PLU", alias = "Plu", default)]
    pub plu: Option<String>,
    #[serde(rename = "missingQuantity", alias = "MissingQuantity", default)]
    pub missing_quantity: Option<Value>,
}

/// The operator's amendment as sent.
#[derive(Debug, Default, Deserialize)]
pub struct AmendmentIn {
    #[serde(alias = "Items", default)]
    pub items: Option<Vec<MissingIn>>,
}

/// Units ordered per PLU: each item of a JET order is one unit, at the top level or, for
/// an item-level promotion, in `promotions[].items` (where the spec moves it).
pub fn ordered(order: &ReceiveOrder) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    let promoted = order
        .promotions
        .iter()
        .flatten()
        .flat_map(|p| p.items.iter().flatten());
    for item in order.items.iter().flatten().chain(promoted) {
        if let Some(plu) = item.plu.as_deref().filter(|p| !p.is_empty()) {
            *out.entry(plu.to_owned()).or_insert(0) += 1;
        }
    }
    out
}

/// The amend call's path below the ordering host.
pub fn path(brand_slug: &str, jet_order_id: &str) -> String {
    format!(
        "/orders/{}/{}/amend",
        encode_component(brand_slug),
        encode_component(jet_order_id)
    )
}

/// The states JET Connect's `GET …/amend` reports (`AmendOrderRespYaml`).
pub const PROGRESS_STATES: [&str; 4] = ["pending", "accepted", "failed", "succeeded"];

/// JET Connect's progress answer (`{"orderId", "state"}`) read: the state, or why the
/// answer is not one.
pub fn progress_state(answer: &Value) -> Result<&str, String> {
    match answer.get("state").and_then(Value::as_str) {
        Some(s) if PROGRESS_STATES.contains(&s) => Ok(s),
        Some(s) => Err(format!(
            "state {s:?} is not one of {}",
            PROGRESS_STATES.join(", ")
        )),
        None => Err("the answer has no state".to_owned()),
    }
}

/// Why an amendment is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmendRefusal {
    /// `409`.
    Conflict { code: &'static str, message: String },
    /// `400`, every problem named.
    Invalid(Vec<Violation>),
}

/// Decides an amendment: the body of the amend call, or why not. `already` is when an
/// earlier amendment of this order was requested.
pub fn check(
    raw: AmendmentIn,
    ordered: &BTreeMap<String, i64>,
    status: Status,
    already: Option<&str>,
) -> Result<Value, AmendRefusal> {
    if let Some(at) = already {
        return Err(AmendRefusal::Conflict {
            code: "already_amended",
            message: format!(
                "this order's amendment was requested at {at}; JET Connect amends an order once"
            ),
        });
    }
    if matches!(status, Status::Cancelled | Status::Delivered) {
        return Err(AmendRefusal::Conflict {
            code: "order_closed",
            message: format!(
                "the order is at status {}: a cancelled or delivered order is not amended",
                status.code()
            ),
        });
    }
    let mut out = Violations::new();
    let items = raw.items.unwrap_or_default();
    if items.is_empty() {
        out.push(
            "bad_request",
            "items",
            "at least one missing item is required",
        );
    }
    let mut missing: BTreeMap<String, i64> = BTreeMap::new();
    let mut lines = Vec::new();
    for (i, line) in items.iter().enumerate() {
        let plu = line.plu.as_deref().map(str::trim).filter(|p| !p.is_empty());
        let plu = match plu {
            None => {
                out.push("bad_request", format!("items[{i}].plu"), "is required");
                None
            }
            Some(p) if !ordered.contains_key(p) => {
                out.push(
                    "bad_request",
                    format!("items[{i}].plu"),
                    format!("{p:?} is not an item of this order"),
                );
                None
            }
            Some(p) => Some(p),
        };
        let qty = match line.missing_quantity.as_ref().and_then(Value::as_i64) {
            Some(n) if n >= 1 => Some(n),
            _ => {
                out.push(
                    "bad_request",
                    format!("items[{i}].missingQuantity"),
                    format!(
                        "{} is not a quantity: an integer of 1 or more",
                        line.missing_quantity.clone().unwrap_or(Value::Null)
                    ),
                );
                None
            }
        };
        if let (Some(plu), Some(qty)) = (plu, qty) {
            let total = missing.entry(plu.to_owned()).or_insert(0);
            *total += qty;
            let have = ordered.get(plu).copied().unwrap_or(0);
            if *total > have {
                out.push(
                    "bad_request",
                    format!("items[{i}].missingQuantity"),
                    format!("{total} of {plu:?} missing, but the order has {have}"),
                );
            }
            lines.push(json!({"reason": "missing", "plu": plu, "missingQuantity": qty}));
        }
    }
    out.into_result(json!({ "items": lines }))
        .map_err(AmendRefusal::Invalid)
}

#[cfg(test)]
mod tests;
