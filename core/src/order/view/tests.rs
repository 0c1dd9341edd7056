//! The read-back view: who sees personal data, amounts, local times, amendments and the
//! upstream note. Each rule with a case that passes it and one that does not.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::*;
use crate::domain::UtcOffset;
use crate::order::wire;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn request(doc: &Value) -> NewOrderRequest {
    wire::parse(doc.to_string().as_bytes()).unwrap_or_else(|v| panic!("{}", v.message))
}

/// The e2e suite's order: 500 + (700 + 50) = 1250, with every kind of personal data.
fn order_doc() -> Value {
    json!({
        "action": "new_order",
        "body": {
            "number": "v-1", "restaurant_id": "r1", "concept_id": "c1",
            "date": "2026-12-05 00:30:00", "date_preorder": "2026-12-05 02:00",
            "delivery_method": "courier", "persons": 2, "comment": "позвонить Ивану",
            "cart": {
                "items": [
                    {"id": "T20231", "name": "Филадельфия Гранд", "count": 1, "cost": 500.00},
                    {"id": "555333111", "count": 1, "cost": 700,
                     "modifiers": [{"id": "6021", "name": "Соевый соус", "count": 1, "cost": 50}]}
                ],
                "delivery": 0,
                "total": 1250.00
            },
            "client": {"name": "Пётр", "phone": "+7(922)988-33-22"},
            "recipient_name": {"name": "Анна", "phone": "89991112233"},
            "address": {"name": "Москва, Большая Садовая, 10", "comment": "домофон 12",
                        "zone_id": "z1", "coords": {"latitude": "55.75", "longitude": 37.6}},
            "payment": {"method": "cash", "sum": 1250, "change": 5000}
        }
    })
}

fn moscow() -> LocalZone {
    LocalZone::Fixed(UtcOffset::parse("+03:00", "utc_offset").unwrap_or(UtcOffset::UTC))
}

fn stored(req: &NewOrderRequest) -> Stored<'_> {
    Stored {
        request: req,
        zone_id: Some("z1"),
        discount: 0,
        created_at: utc("2026-12-04T21:30:00.123Z"),
        updated_at: utc("2026-12-04T21:45:00Z"),
        upstream: false,
        events: &[],
    }
}

fn json_of(view: &OrderView) -> Value {
    serde_json::to_value(view).unwrap_or_else(|e| panic!("{e}"))
}

fn viewed(order: &Stored<'_>, amendments: &[Amendment<'_>], audience: Audience) -> Value {
    let view = view(order, amendments, &moscow(), audience).unwrap_or_else(|v| panic!("{v:?}"));
    json_of(&view)
}

/// Every text of personal data in `order_doc`.
const PERSONAL: &[&str] = &[
    "Пётр",
    "922",
    "Анна",
    "89991112233",
    "Садовая",
    "домофон",
    "Ивану",
    "55.75",
];
const PERSONAL_KEYS: &[&str] = &[
    "client",
    "recipient",
    "delivery",
    "payment",
    "comment",
    "persons",
];

#[test]
fn the_audience_is_trusted_only_with_a_key() {
    let cases = [
        (false, false, Audience::Public),
        (true, false, Audience::Trusted),
        (false, true, Audience::Trusted),
        (true, true, Audience::Trusted),
    ];
    for (site, operator, want) in cases {
        assert_eq!(
            Audience::of(site, operator),
            want,
            "site {site}, operator {operator}"
        );
    }
}

#[test]
fn personal_data_reaches_only_a_trusted_caller() {
    let req = request(&order_doc());
    let order = stored(&req);
    // (audience, personal data present)
    let cases = [(Audience::Public, false), (Audience::Trusted, true)];
    for (audience, present) in cases {
        let doc = viewed(&order, &[], audience);
        let text = doc.to_string();
        for needle in PERSONAL {
            assert_eq!(
                text.contains(needle),
                present,
                "{audience:?}: {needle} in {text}"
            );
        }
        for key in PERSONAL_KEYS {
            assert_eq!(
                doc.get(key).is_some(),
                present,
                "{audience:?}: {key} in {text}"
            );
        }
        assert_eq!(doc["audience"], audience.as_str());
        // Lines, totals and times are everyone's.
        assert_eq!(doc["lines"][0]["name"], "Филадельфия Гранд", "{audience:?}");
        assert_eq!(doc["totals"]["total"], json!(1250), "{audience:?}");
        assert!(doc["times"]["created"].is_string(), "{audience:?}");
    }
}

#[test]
fn a_trusted_caller_gets_delivery_payment_and_the_people() {
    let req = request(&order_doc());
    let doc = viewed(&stored(&req), &[], Audience::Trusted);
    assert_eq!(
        doc["delivery"],
        json!({"method": "courier", "zone_id": "z1", "price": 0, "address": {
            "name": "Москва, Большая Садовая, 10", "comment": "домофон 12",
            "latitude": "55.75", "longitude": 37.6}})
    );
    assert_eq!(
        doc["payment"],
        json!({"method": "cash", "sum": 1250, "change": 5000})
    );
    assert_eq!(
        doc["client"],
        json!({"name": "Пётр", "phone": "+7(922)988-33-22"})
    );
    assert_eq!(
        doc["recipient"],
        json!({"name": "Анна", "phone": "89991112233"})
    );
    assert_eq!(doc["comment"], "позвонить Ивану");
    assert_eq!(doc["persons"], 2);
}

#[test]
fn lines_and_totals_are_exact() {
    // (cart items, delivery, total, discount) → (line totals, items, total, due)
    type Case = (Value, Value, Value, i64, Vec<Value>, Value, Value, Value);
    let cases: Vec<Case> = vec![
        (
            order_doc()["body"]["cart"]["items"].clone(),
            json!(0),
            json!(1250.00),
            0,
            vec![json!(500), json!(750)],
            json!(1250),
            json!(1250),
            json!(1250),
        ),
        // A trusted site's discount; modifiers count per unit.
        (
            json!([{"id": "a", "count": 3, "cost": 700,
                    "modifiers": [{"id": "m", "count": 2, "cost": 15.5}]}]),
            json!(125),
            json!(2318),
            25050,
            vec![json!(2193)],
            json!(2193),
            json!(2318),
            json!(2067.5),
        ),
        // A marketplace discount line is negative.
        (
            json!([{"id": "M2", "count": 2, "cost": 17.35},
                   {"id": "marketplace:discount", "count": 1, "cost": -1.5}]),
            json!(2.5),
            json!(35.7),
            0,
            vec![json!(34.7), json!(-1.5)],
            json!(33.2),
            json!(35.7),
            json!(35.7),
        ),
    ];
    for (items, delivery, total, discount, line_totals, sum, want_total, due) in cases {
        let mut doc = order_doc();
        doc["body"]["cart"] = json!({"items": items, "delivery": delivery, "total": total});
        let req = request(&doc);
        let mut order = stored(&req);
        order.discount = discount;
        let view = viewed(&order, &[], Audience::Public);
        let got: Vec<Value> = view["lines"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| l["total"].clone())
            .collect();
        assert_eq!(got, line_totals, "{view}");
        assert_eq!(view["totals"]["items"], sum, "{view}");
        assert_eq!(view["totals"]["delivery"], delivery, "{view}");
        assert_eq!(view["totals"]["total"], want_total, "{view}");
        assert_eq!(view["totals"]["due"], due, "{view}");
    }
}

#[test]
fn an_unreadable_stored_amount_is_named_not_guessed() {
    let mut doc = order_doc();
    doc["body"]["cart"]["items"][1]["modifiers"][0]["cost"] = json!(0.125);
    let req = request(&doc);
    let err = view(&stored(&req), &[], &moscow(), Audience::Public)
        .err()
        .unwrap_or_else(|| panic!("0.125 was read"));
    assert_eq!(
        err.field.as_deref(),
        Some("cart.items[1].modifiers[0].cost")
    );
}

#[test]
fn times_are_in_the_restaurants_zone() {
    let london = crate::tz::tests::zone("Europe/London");
    // (zone, created (UTC), date as sent) → (created, date)
    let cases = [
        (
            moscow(),
            "2026-12-04T21:30:00.123Z",
            "2026-12-05 00:30:00",
            "2026-12-05T00:30:00.123+03:00",
            "2026-12-05T00:30:00+03:00",
        ),
        // London in summer is UTC+1, in winter UTC+0.
        (
            london.clone(),
            "2027-07-01T11:00:00Z",
            "2027-07-01 12:00",
            "2027-07-01T12:00:00.000+01:00",
            "2027-07-01T12:00:00+01:00",
        ),
        (
            london,
            "2027-01-10T11:00:00Z",
            "2027-01-10 11:00:00",
            "2027-01-10T11:00:00.000+00:00",
            "2027-01-10T11:00:00+00:00",
        ),
        // A wall time that cannot be read is shown as sent, not invented.
        (
            moscow(),
            "2026-12-04T21:30:00Z",
            "вчера",
            "2026-12-05T00:30:00.000+03:00",
            "вчера",
        ),
    ];
    for (zone, created, date, want_created, want_date) in cases {
        let mut doc = order_doc();
        doc["body"]["date"] = json!(date);
        let req = request(&doc);
        let mut order = stored(&req);
        order.created_at = utc(created);
        let view = view(&order, &[], &zone, Audience::Public).unwrap_or_else(|v| panic!("{v:?}"));
        assert_eq!(view.times.created, want_created, "{date}");
        assert_eq!(view.times.date.as_deref(), Some(want_date), "{date}");
        assert_eq!(view.times.timezone.as_deref(), zone.name());
    }
}

fn line(id: &str, count: i64, cost: i64) -> Line {
    Line {
        id: Some(id.to_owned()),
        name: None,
        count,
        cost: amount(cost),
        modifiers: Vec::new(),
        total: amount(cost * count),
    }
}

#[test]
fn amendments_are_diffed_line_by_line() {
    let a1 = line("a", 1, 100);
    let a2 = line("a", 2, 100);
    let b = line("b", 1, 50);
    let c = line("c", 1, 70);
    // (before, after) → changes as (before, after)
    type Case = (Vec<Line>, Vec<Line>, Vec<(Option<Line>, Option<Line>)>);
    let cases: Vec<Case> = vec![
        (
            vec![a1.clone(), b.clone()],
            vec![a1.clone(), b.clone()],
            vec![],
        ),
        (
            vec![a1.clone(), b.clone()],
            vec![a2.clone(), b.clone()],
            vec![(Some(a1.clone()), Some(a2.clone()))],
        ),
        (
            vec![a1.clone(), b.clone()],
            vec![a1.clone(), c.clone()],
            vec![(Some(b.clone()), None), (None, Some(c.clone()))],
        ),
        // The same id twice: matched in order.
        (
            vec![a1.clone(), a1.clone()],
            vec![a1.clone()],
            vec![(Some(a1.clone()), None)],
        ),
    ];
    for (before, after, want) in cases {
        let got: Vec<(Option<Line>, Option<Line>)> = diff(&before, &after)
            .into_iter()
            .map(|c| (c.before, c.after))
            .collect();
        assert_eq!(got, want);
    }
}

#[test]
fn an_amendment_shows_its_arrival_time_and_totals() {
    let before = request(&order_doc());
    let mut doc = order_doc();
    doc["body"]["cart"]["items"][0]["count"] = json!(2);
    doc["body"]["cart"]["total"] = json!(1750);
    let after = request(&doc);
    let amendments = [
        Amendment {
            source: "jet_final_picked",
            received_at: utc("2026-12-04T22:00:00.5Z"),
            before: &before,
            after: Some(&after),
        },
        Amendment {
            source: "jet_final_picked",
            received_at: utc("2026-12-04T22:05:00Z"),
            before: &after,
            after: None,
        },
    ];
    let view = viewed(&stored(&after), &amendments, Audience::Public);
    let first = &view["amendments"][0];
    assert_eq!(first["source"], "jet_final_picked");
    assert_eq!(first["received_at"], "2026-12-05T01:00:00.500+03:00");
    assert_eq!(first["applied"], true);
    assert_eq!(first["total_before"], json!(1250));
    assert_eq!(first["total_after"], json!(1750));
    assert_eq!(first["changes"][0]["before"]["count"], 1, "{first}");
    assert_eq!(first["changes"][0]["after"]["count"], 2, "{first}");
    assert_eq!(first["changes"].as_array().map(Vec::len), Some(1));
    let second = &view["amendments"][1];
    assert_eq!(second["applied"], false);
    assert_eq!(second["changes"], json!([]));
    assert_eq!(second["total_after"], Value::Null);
    assert_eq!(view["lines"][0]["count"], 2);
}

#[test]
fn the_upstream_note_marks_an_amended_forwarded_order_only() {
    let before = request(&order_doc());
    let after = before.clone();
    let applied = Amendment {
        source: "jet_final_picked",
        received_at: utc("2026-12-04T22:00:00Z"),
        before: &before,
        after: Some(&after),
    };
    let unapplied = Amendment {
        after: None,
        ..applied
    };
    // (forwarded upstream, amendments) → noted
    let cases: Vec<(bool, Vec<Amendment<'_>>, bool)> = vec![
        (true, vec![applied], true),
        (true, vec![], false),
        (false, vec![applied], false),
        (true, vec![unapplied], false),
    ];
    for (upstream, amendments, noted) in cases {
        let mut order = stored(&after);
        order.upstream = upstream;
        for audience in [Audience::Public, Audience::Trusted] {
            let view =
                view(&order, &amendments, &moscow(), audience).unwrap_or_else(|v| panic!("{v:?}"));
            let codes: Vec<&str> = view.notes.iter().map(|n| n.code).collect();
            let want: &[&str] = if noted {
                &[UPSTREAM_HOLDS_ORIGINAL]
            } else {
                &[]
            };
            assert_eq!(
                codes,
                want,
                "upstream {upstream}, {} amendments",
                amendments.len()
            );
        }
    }
}
