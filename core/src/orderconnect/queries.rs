//! Just Eat's consumer and restaurant queries (issue 18): three Partner-API webhooks, each an
//! item that waits for the restaurant's answer, received at `/webhooks/just-eat/{name}`:
//!
//! | webhook | kind | body (spec schema) | the answer (spec schema) |
//! |---|---|---|---|
//! | `late-order-query` | `late_order` | `{Tenant, OrderId, RestaurantId}` (`ConsumerqueriesWebhooksLateOrderQueryYaml`) | `{lateOrderStatus: Preparing\|OnItsWay\|Delivered, additionalDeliveryTimeToAddMinutes?}` (`ConsumerqueriesLateOrderRestaurantResponseYaml`) |
//! | `late-order-compensation-query` | `late_order_compensation` | the same + `CompensationOptions: [{IsRecommended, Amount}]` | `{isAccepted, acceptedAmount?, rejectedReasonCode?}` (`ConsumerqueriesLateOrderCompensationRestaurantResolutionYaml`; the hub adds `orderId`) |
//! | `order-eligible-for-restaurant-compensation` | `compensation_eligibility` | `{Tenant?, OrderId, RestaurantId?}`, the rest kept as sent | any JSON object: the operator's note |
//!
//! **Where the answer goes:** Just Eat's OpenAPI document defines the two answer bodies above
//! but no path that takes them (its `paths` have none for any of the three kinds), so
//! [`answer_path`] is `None` for every kind: the answer is checked and recorded by the hub,
//! and the restaurant gives it to Just Eat through Just Eat's own tools. No path is invented.
//!
//! **Deadline:** the document gives none for any kind ([`deadline`] is `None`); the rule that
//! an item past its deadline cannot be answered stands in [`check_answer`] for when one does.
//!
//! | rule | decision |
//! |---|---|
//! | `OrderId` | required, not blank |
//! | `CompensationOptions[i].Amount` | an integer ≥ 0 (minor units) |
//! | answering an answered item | refused: `already_answered`, naming when |
//! | answering after the deadline | refused: `deadline_passed`, naming the deadline |
//! | `lateOrderStatus` | required; `Preparing`, `OnItsWay` or `Delivered` |
//! | `additionalDeliveryTimeToAddMinutes` | optional; an integer 0…240 |
//! | `isAccepted` | required boolean |
//! | `acceptedAmount` | required when accepted: an integer > 0, one of the offered amounts when Just Eat offered some; refused when rejected |
//! | `rejectedReasonCode` | required when rejected: one of [`REJECTED_REASONS`] |
//!
//! Keys PascalCase as the examples write them, camelCase as the schemas do: both accepted.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::problem::{Violation, Violations};

/// The kinds of query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryKind {
    LateOrder,
    LateOrderCompensation,
    CompensationEligibility,
}

impl QueryKind {
    pub const ALL: [QueryKind; 3] = [
        QueryKind::LateOrder,
        QueryKind::LateOrderCompensation,
        QueryKind::CompensationEligibility,
    ];

    /// As stored and listed.
    pub fn as_str(self) -> &'static str {
        match self {
            QueryKind::LateOrder => "late_order",
            QueryKind::LateOrderCompensation => "late_order_compensation",
            QueryKind::CompensationEligibility => "compensation_eligibility",
        }
    }

    /// The webhook's name (the seed's path without `/`).
    pub fn webhook(self) -> &'static str {
        match self {
            QueryKind::LateOrder => "late-order-query",
            QueryKind::LateOrderCompensation => "late-order-compensation-query",
            QueryKind::CompensationEligibility => "order-eligible-for-restaurant-compensation",
        }
    }

    pub fn parse(name: &str) -> Option<QueryKind> {
        QueryKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// The reasons a compensation request may be rejected with (the spec's enum).
pub const REJECTED_REASONS: [&str; 5] = [
    "BadTraffic",
    "BadWeather",
    "BusierThanExpected",
    "CompensatedWithItem",
    "NoReason",
];

/// The late-order statuses an answer may give (the spec's enum).
pub const LATE_ORDER_STATUSES: [&str; 3] = ["Preparing", "OnItsWay", "Delivered"];

/// The most minutes an answer may add to the delivery estimate.
pub const MAX_ADDED_MINUTES: i64 = 240;

/// One compensation option as sent.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct OptionIn {
    #[serde(rename = "IsRecommended", alias = "isRecommended", default)]
    pub is_recommended: Option<bool>,
    #[serde(rename = "Amount", alias = "amount", default)]
    pub amount: Option<Value>,
}

/// A query webhook's body as sent, loose so every problem is reported.
#[derive(Debug, Default, Deserialize)]
pub struct QueryIn {
    #[serde(rename = "Tenant", alias = "tenant", default)]
    pub tenant: Option<String>,
    #[serde(rename = "OrderId", alias = "orderId", default)]
    pub order_id: Option<String>,
    #[serde(rename = "RestaurantId", alias = "restaurantId", default)]
    pub restaurant_id: Option<Value>,
    #[serde(rename = "CompensationOptions", alias = "compensationOptions", default)]
    pub compensation_options: Option<Vec<OptionIn>>,
}

/// A checked compensation option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompensationOption {
    pub amount: i64,
    pub recommended: bool,
}

/// A checked query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub kind: QueryKind,
    pub order_id: String,
    pub tenant: Option<String>,
    pub restaurant_id: Option<String>,
    pub options: Vec<CompensationOption>,
}

impl Query {
    /// The options as the operator reads them.
    pub fn options_json(&self) -> Value {
        Value::Array(
            self.options
                .iter()
                .map(|o| json!({"amount": o.amount, "recommended": o.recommended}))
                .collect(),
        )
    }
}

fn text(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Every problem of a query's body at once.
pub fn check_query(kind: QueryKind, raw: QueryIn) -> Result<Query, Vec<Violation>> {
    let mut out = Violations::new();
    let order_id = text(raw.order_id);
    if order_id.is_none() {
        out.push("bad_request", "OrderId", "is required");
    }
    // Restaurant ids are strings in the example ('110230'); a number is read as written.
    let restaurant_id = match raw.restaurant_id {
        Some(Value::String(s)) => text(Some(s)),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Null) | None => None,
        Some(other) => {
            out.push(
                "bad_request",
                "RestaurantId",
                format!("{other} is not a restaurant id"),
            );
            None
        }
    };
    let mut options = Vec::new();
    for (i, o) in raw
        .compensation_options
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        match o.amount.as_ref().and_then(Value::as_i64) {
            Some(amount) if amount >= 0 => options.push(CompensationOption {
                amount,
                recommended: o.is_recommended.unwrap_or(false),
            }),
            _ => out.push(
                "bad_request",
                format!("CompensationOptions[{i}].Amount"),
                format!(
                    "{} is not an amount: an integer of minor units, 0 or more",
                    o.amount.clone().unwrap_or(Value::Null)
                ),
            ),
        }
    }
    let Some(order_id) = order_id else {
        return Err(out.into_vec());
    };
    out.into_result(Query {
        kind,
        order_id,
        tenant: text(raw.tenant),
        restaurant_id,
        options,
    })
}

/// The answer's path below `JUST_EAT_API_URL`, if Just Eat's document gives one: none does
/// (module doc), so the answer is recorded by the hub only.
pub fn answer_path(_kind: QueryKind, _tenant: &str, _order_id: &str) -> Option<String> {
    None
}

/// The deadline of a query received at `received`: Just Eat's document gives none.
pub fn deadline(_kind: QueryKind, _received: DateTime<Utc>) -> Option<DateTime<Utc>> {
    None
}

/// The state of an item being answered.
#[derive(Debug, Clone)]
pub struct ItemState<'a> {
    pub kind: QueryKind,
    /// Just Eat's order id, which the compensation answer carries.
    pub order_id: &'a str,
    pub answered_at: Option<&'a str>,
    pub deadline: Option<DateTime<Utc>>,
    /// The amounts Just Eat offered (compensation queries).
    pub offered: &'a [i64],
}

/// Why an answer is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerRefusal {
    /// `409`: answered already, or past its deadline.
    Conflict { code: &'static str, message: String },
    /// `400`: the body, every problem named.
    Invalid(Vec<Violation>),
}

/// Reads a key in either case convention.
fn field<'a>(body: &'a Map<String, Value>, camel: &str) -> Option<&'a Value> {
    let mut pascal = camel.to_owned();
    if let Some(first) = pascal.get(..1) {
        let upper = first.to_ascii_uppercase();
        pascal.replace_range(..1, &upper);
    }
    body.get(camel)
        .or_else(|| body.get(&pascal))
        .filter(|v| !v.is_null())
}

/// Decides an answer: the body to record (and send, where a path exists), or why not.
pub fn check_answer(
    item: &ItemState<'_>,
    now: DateTime<Utc>,
    body: &Value,
) -> Result<Value, AnswerRefusal> {
    if let Some(at) = item.answered_at {
        return Err(AnswerRefusal::Conflict {
            code: "already_answered",
            message: format!("this query was answered at {at}; it is answered once"),
        });
    }
    if let Some(deadline) = item.deadline {
        if now > deadline {
            return Err(AnswerRefusal::Conflict {
                code: "deadline_passed",
                message: format!(
                    "the deadline {} has passed; the answer can no longer be given",
                    deadline.format("%Y-%m-%dT%H:%M:%SZ")
                ),
            });
        }
    }
    let Some(map) = body.as_object() else {
        return Err(AnswerRefusal::Invalid(vec![Violation::new(
            "bad_request",
            None,
            "the answer is a JSON object",
        )]));
    };
    let mut out = Violations::new();
    let answer = match item.kind {
        QueryKind::LateOrder => {
            let status = field(map, "lateOrderStatus");
            match status.and_then(Value::as_str) {
                Some(s) if LATE_ORDER_STATUSES.contains(&s) => {}
                _ => out.push(
                    "bad_request",
                    "lateOrderStatus",
                    format!(
                        "{} is not one of Preparing, OnItsWay, Delivered",
                        status.cloned().unwrap_or(Value::Null)
                    ),
                ),
            }
            let minutes = field(map, "additionalDeliveryTimeToAddMinutes");
            if let Some(m) = minutes {
                match m.as_i64() {
                    Some(n) if (0..=MAX_ADDED_MINUTES).contains(&n) => {}
                    _ => out.push(
                        "bad_request",
                        "additionalDeliveryTimeToAddMinutes",
                        format!("{m} is not a whole number of minutes 0…{MAX_ADDED_MINUTES}"),
                    ),
                }
            }
            let mut a = Map::new();
            if let Some(s) = status {
                a.insert("lateOrderStatus".into(), s.clone());
            }
            if let Some(m) = minutes {
                a.insert("additionalDeliveryTimeToAddMinutes".into(), m.clone());
            }
            Value::Object(a)
        }
        QueryKind::LateOrderCompensation => {
            let accepted = field(map, "isAccepted");
            let amount = field(map, "acceptedAmount");
            let reason = field(map, "rejectedReasonCode");
            let mut a = Map::new();
            match accepted.and_then(Value::as_bool) {
                None => out.push(
                    "bad_request",
                    "isAccepted",
                    format!(
                        "{} is not true or false (required)",
                        accepted.cloned().unwrap_or(Value::Null)
                    ),
                ),
                Some(true) => {
                    match amount.and_then(Value::as_i64) {
                        Some(n) if n > 0 => {
                            if !item.offered.is_empty() && !item.offered.contains(&n) {
                                out.push(
                                    "bad_request",
                                    "acceptedAmount",
                                    format!(
                                        "{n} is not one of the amounts Just Eat offered: {:?}",
                                        item.offered
                                    ),
                                );
                            }
                        }
                        _ => out.push(
                            "bad_request",
                            "acceptedAmount",
                            format!(
                                "{} is not an amount: required when accepted, an integer of minor units above 0",
                                amount.cloned().unwrap_or(Value::Null)
                            ),
                        ),
                    }
                    if let Some(r) = reason {
                        out.push(
                            "bad_request",
                            "rejectedReasonCode",
                            format!("{r} is given, but the request is accepted"),
                        );
                    }
                }
                Some(false) => {
                    match reason.and_then(Value::as_str) {
                        Some(r) if REJECTED_REASONS.contains(&r) => {}
                        _ => out.push(
                            "bad_request",
                            "rejectedReasonCode",
                            format!(
                                "{} is not one of {}: required when rejected",
                                reason.cloned().unwrap_or(Value::Null),
                                REJECTED_REASONS.join(", ")
                            ),
                        ),
                    }
                    if let Some(n) = amount {
                        out.push(
                            "bad_request",
                            "acceptedAmount",
                            format!("{n} is given, but the request is rejected"),
                        );
                    }
                }
            }
            for (key, v) in [
                ("acceptedAmount", amount),
                ("isAccepted", accepted),
                ("rejectedReasonCode", reason),
            ] {
                if let Some(v) = v {
                    a.insert(key.into(), v.clone());
                }
            }
            a.insert("orderId".into(), Value::String(item.order_id.to_owned()));
            Value::Object(a)
        }
        QueryKind::CompensationEligibility => Value::Object(map.clone()),
    };
    out.into_result(answer).map_err(AnswerRefusal::Invalid)
}

#[cfg(test)]
mod tests;
