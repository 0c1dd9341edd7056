//! Reconciliation with Just Eat's order reports (JET Connect's order-reporting connector:
//! `GET /brands/{brand_slug}/orders`, `GET /locations/{locationID}/orders`, query `from`,
//! `to`, `status`, `page`). Pure: the edge reads the pages through the one outbound client
//! and stores the findings; this module reads a page and compares.
//!
//! Just Eat reports each order as `orderDetails` (`orderID`, `thirdPartyOrderReference`,
//! `placedAt`, `location`, `status` `success|failure`, `sendToPosStatus`); `failure` means
//! the POS injection failed and the backup flow took over. The hub knows an order by the
//! Just Eat id it received and the outcome it reported (`sent-to-pos-success|failed`, or
//! none yet). A finding is an order Just Eat has that the hub does not, or an order whose
//! outcome disagrees (Just Eat says `success` where the hub reported a failure, or
//! `failure` where the hub has the order in a kitchen).

use serde_json::Value;

/// One order as Just Eat reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TheirOrder {
    pub id: String,
    pub reference: String,
    pub location: String,
    /// `success`, `failure`, or whatever else Just Eat sent (kept, never guessed).
    pub status: String,
}

/// One order as the hub holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OurOrder {
    /// The Just Eat order id it arrived with.
    pub id: String,
    /// The outcome the hub reported to Just Eat: `Some(true)` success, `Some(false)` failed,
    /// `None` not yet.
    pub reported_success: Option<bool>,
}

/// What a run found about one order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Just Eat has the order, the hub never received it.
    Missing { order: TheirOrder },
    /// Both have it; their states disagree.
    Disagrees {
        order: TheirOrder,
        ours: &'static str,
        theirs: String,
    },
}

impl Finding {
    pub fn kind(&self) -> &'static str {
        match self {
            Finding::Missing { .. } => "missing",
            Finding::Disagrees { .. } => "disagrees",
        }
    }

    pub fn order(&self) -> &TheirOrder {
        match self {
            Finding::Missing { order } | Finding::Disagrees { order, .. } => order,
        }
    }

    /// One line an operator can act on.
    pub fn message(&self) -> String {
        match self {
            Finding::Missing { order } => format!(
                "Just Eat has order {} ({}, location {}, {}) and the hub never received it",
                order.id, order.reference, order.location, order.status
            ),
            Finding::Disagrees {
                order,
                ours,
                theirs,
            } => format!(
                "order {}: the hub reported {ours}, Just Eat reports {theirs}",
                order.id
            ),
        }
    }
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The orders of one page. The list is the body itself or its `orders` / `data` /
/// `items` member; each element is an `Order` (with `orderDetails`) or the details alone.
/// An element without an `orderID` is skipped (it cannot be compared). `None` when the
/// body holds no list at all.
pub fn parse_page(body: &Value) -> Option<Vec<TheirOrder>> {
    let list = match body {
        Value::Array(a) => a,
        Value::Object(m) => ["orders", "data", "items"]
            .iter()
            .find_map(|k| m.get(*k).and_then(Value::as_array))?,
        _ => return None,
    };
    Some(
        list.iter()
            .filter_map(|el| {
                let d = el.get("orderDetails").unwrap_or(el);
                let id = text(d.get("orderID").or_else(|| d.get("orderId")));
                if id.is_empty() {
                    return None;
                }
                let location = d
                    .get("location")
                    .map(|l| match l {
                        Value::Object(_) => text(l.get("id").or_else(|| l.get("reference"))),
                        other => text(Some(other)),
                    })
                    .unwrap_or_default();
                Some(TheirOrder {
                    id,
                    reference: text(d.get("thirdPartyOrderReference")),
                    location,
                    status: text(d.get("status")).to_ascii_lowercase(),
                })
            })
            .collect(),
    )
}

/// Every finding, in Just Eat's order, each order once (the same order read from the brand
/// and a location list is one order).
pub fn compare(theirs: &[TheirOrder], ours: &[OurOrder]) -> Vec<Finding> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for t in theirs {
        if seen.contains(&t.id.as_str()) {
            continue;
        }
        seen.push(&t.id);
        let Some(o) = ours.iter().find(|o| o.id == t.id) else {
            out.push(Finding::Missing { order: t.clone() });
            continue;
        };
        let ours = match o.reported_success {
            Some(true) => "success",
            Some(false) => "failure",
            None => "no outcome yet",
        };
        let disagrees = match (t.status.as_str(), o.reported_success) {
            ("success", Some(false)) => true,
            ("failure", Some(true)) => true,
            ("success" | "failure", _) => false,
            // A status the spec does not name is reported, not matched.
            _ => true,
        };
        if disagrees {
            out.push(Finding::Disagrees {
                order: t.clone(),
                ours,
                theirs: t.status.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn theirs(id: &str, status: &str) -> TheirOrder {
        TheirOrder {
            id: id.to_owned(),
            reference: format!("ref-{id}"),
            location: "144581".to_owned(),
            status: status.to_owned(),
        }
    }

    fn ours(id: &str, success: Option<bool>) -> OurOrder {
        OurOrder {
            id: id.to_owned(),
            reported_success: success,
        }
    }

    #[test]
    fn each_rule_passes_and_fails() {
        // (Just Eat's orders, the hub's, the findings as (kind, id))
        type Case = (
            Vec<TheirOrder>,
            Vec<OurOrder>,
            Vec<(&'static str, &'static str)>,
        );
        let cases: Vec<Case> = vec![
            // A clean day.
            (
                vec![theirs("a", "success"), theirs("b", "failure")],
                vec![ours("a", Some(true)), ours("b", Some(false))],
                vec![],
            ),
            (vec![], vec![ours("a", Some(true))], vec![]),
            // Missing.
            (
                vec![theirs("a", "success"), theirs("x", "success")],
                vec![ours("a", Some(true))],
                vec![("missing", "x")],
            ),
            // Disagreeing states, both ways.
            (
                vec![theirs("a", "success"), theirs("b", "failure")],
                vec![ours("a", Some(false)), ours("b", Some(true))],
                vec![("disagrees", "a"), ("disagrees", "b")],
            ),
            // No outcome yet agrees with either; an unknown status is reported.
            (
                vec![theirs("a", "success"), theirs("b", "pending")],
                vec![ours("a", None), ours("b", None)],
                vec![("disagrees", "b")],
            ),
            // The same order from two lists is one order.
            (
                vec![theirs("x", "success"), theirs("x", "success")],
                vec![],
                vec![("missing", "x")],
            ),
        ];
        for (t, o, want) in cases {
            let got: Vec<(&str, String)> = compare(&t, &o)
                .iter()
                .map(|f| (f.kind(), f.order().id.clone()))
                .collect();
            let want: Vec<(&str, String)> =
                want.iter().map(|(k, i)| (*k, (*i).to_owned())).collect();
            assert_eq!(got, want, "{t:?} {o:?}");
        }
    }

    #[test]
    fn a_page_is_read_in_every_shape_the_spec_allows() {
        let order = json!({"orderDetails": {
            "orderID": "o1", "thirdPartyOrderReference": "1806363209",
            "placedAt": "2021-06-07T12:04:38Z", "status": "success", "sendToPosStatus": "success",
            "location": {"reference": "28058", "id": "144581", "name": "x"}
        }, "pos": "x", "payload": ""});
        let want = vec![TheirOrder {
            id: "o1".to_owned(),
            reference: "1806363209".to_owned(),
            location: "144581".to_owned(),
            status: "success".to_owned(),
        }];
        for body in [
            json!([order.clone()]),
            json!({"orders": [order.clone()]}),
            json!({"data": [order["orderDetails"].clone()]}),
        ] {
            assert_eq!(parse_page(&body), Some(want.clone()), "{body}");
        }
        assert_eq!(parse_page(&json!({"message": "Not Found"})), None);
        assert_eq!(parse_page(&json!([{"status": "success"}])), Some(vec![]));
        let f = compare(&want, &[]);
        assert!(f
            .first()
            .is_some_and(|f| f.message().contains("never received")));
    }
}
