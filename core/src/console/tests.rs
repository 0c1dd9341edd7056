use super::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn filter(pairs: &[(&'static str, &'static str)]) -> Result<OrderFilter, Vec<Violation>> {
    order_filter(|name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
            .filter(|v| !v.trim().is_empty())
    })
}

fn fields(errs: Vec<Violation>) -> Vec<String> {
    errs.into_iter().filter_map(|v| v.field).collect()
}

#[test]
fn no_parameters_is_the_first_page_of_twenty() {
    let f = filter(&[]).unwrap();
    assert_eq!(f.limit, 20);
    assert_eq!(f.cursor, None);
    assert!(!f.attention);
    assert_eq!(f.channel, None);
}

#[test]
fn each_parameter_passing() {
    let f = filter(&[
        ("restaurant_id", " r-1 "),
        ("channel", "jet"),
        ("status", "5"),
        ("from", "2026-12-05T10:00:00+03:00"),
        ("to", "2026-12-05T08:00:00.5Z"),
        ("attention", "true"),
        ("q", "+7 (922) 988-33-22"),
        ("limit", "100"),
        ("external_id", "je-1"),
    ])
    .unwrap();
    assert_eq!(f.restaurant_id.as_deref(), Some("r-1"));
    assert_eq!(f.channel, Some("jet"));
    assert_eq!(f.status, Some(5));
    assert_eq!(f.from.as_deref(), Some("2026-12-05T07:00:00.000Z"));
    assert_eq!(f.to.as_deref(), Some("2026-12-05T08:00:00.500Z"));
    assert!(f.attention);
    assert_eq!(f.limit, 100);
    assert_eq!(f.external_id.as_deref(), Some("je-1"));
    let q = f.q.unwrap();
    assert_eq!(q.text, "+7 (922) 988-33-22");
    assert_eq!(q.phones, ["79229883322", "0079229883322", "89229883322"]);
}

#[test]
fn each_parameter_failing_all_at_once() {
    let errs = filter(&[
        ("channel", "fax"),
        ("status", "7"),
        ("from", "yesterday"),
        ("to", "2026-13-01T00:00:00Z"),
        ("attention", "yes"),
        ("limit", "101"),
        ("cursor", "zz"),
    ])
    .unwrap_err();
    assert!(errs.iter().all(|v| v.code == "invalid_parameter"));
    assert_eq!(
        fields(errs),
        [
            "channel",
            "status",
            "from",
            "to",
            "attention",
            "limit",
            "cursor"
        ]
    );
}

#[test]
fn limit_bounds_and_a_too_long_restaurant_id() {
    assert_eq!(filter(&[("limit", "1")]).unwrap().limit, 1);
    assert_eq!(fields(filter(&[("limit", "0")]).unwrap_err()), ["limit"]);
    assert_eq!(fields(filter(&[("limit", "2.5")]).unwrap_err()), ["limit"]);
    let long: &'static str = Box::leak("r".repeat(65).into_boxed_str());
    assert_eq!(
        fields(filter(&[("restaurant_id", long)]).unwrap_err()),
        ["restaurant_id"]
    );
}

#[test]
fn to_must_be_after_from() {
    let ok = filter(&[
        ("from", "2026-12-05T00:00:00Z"),
        ("to", "2026-12-05T00:00:01Z"),
    ]);
    assert!(ok.is_ok());
    let errs = filter(&[
        ("from", "2026-12-05T00:00:00Z"),
        ("to", "2026-12-05T00:00:00Z"),
    ]);
    assert_eq!(fields(errs.unwrap_err()), ["to"]);
}

#[test]
fn a_search_that_is_not_a_phone_searches_number_and_external_id_only() {
    let q = filter(&[("q", "A-1001")]).unwrap().q.unwrap();
    assert_eq!(q.text, "A-1001");
    assert!(q.phones.is_empty());
}

#[test]
fn phone_spellings_canonicalise_back_to_the_key() {
    for (key, spellings) in [
        (
            "79229883322",
            vec!["79229883322", "0079229883322", "89229883322"],
        ),
        ("9229883322", vec!["9229883322", "009229883322"]),
        ("441234567890123", vec!["441234567890123"]),
    ] {
        let got = phone_spellings(key);
        assert_eq!(got, spellings);
        for s in got {
            assert_eq!(canonical_phone(&s).as_deref(), Some(key), "{s}");
        }
    }
}

#[test]
fn a_cursor_round_trips_and_a_forged_one_does_not_parse() {
    let c = Cursor {
        created_at: "2026-12-05T18:00:00.123Z".to_owned(),
        rowid: 42,
    };
    let text = c.encode();
    assert!(text.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(Cursor::decode(&text), Some(c));
    let f = filter(&[("cursor", Box::leak(text.into_boxed_str()))]).unwrap();
    assert_eq!(f.cursor.map(|c| c.rowid), Some(42));
    for bad in [
        "",
        "abc",
        "zz",
        "ABCD",
        &crate::hex::encode(b"2026-12-05T18:00:00Z"),
        &crate::hex::encode(b"yesterday|3"),
        &crate::hex::encode(b"2026-12-05T18:00:00Z|0"),
        &crate::hex::encode(b"2026-12-05T18:00:00Z|-1"),
        &crate::hex::encode(b"2026-12-05T18:00:00Z|+3"),
        &crate::hex::encode(b"2026-12-05T18:00:00Z|x"),
    ] {
        assert_eq!(Cursor::decode(bad), None, "{bad}");
    }
}

#[test]
fn attention_reasons_in_order() {
    assert!(attention(AttentionFacts::default()).is_empty());
    let all = AttentionFacts {
        dead_delivery: true,
        not_in_kitchen: true,
        sent_to_pos_failed: true,
    };
    assert_eq!(
        attention(all),
        ["dead_delivery", "not_in_kitchen", "sent_to_pos_failed"]
    );
    let one = AttentionFacts {
        sent_to_pos_failed: true,
        ..AttentionFacts::default()
    };
    assert_eq!(attention(one), ["sent_to_pos_failed"]);
}

#[test]
fn a_page_reads_one_more_row_than_it_shows() {
    assert_eq!(page(21, 20), (20, true));
    assert_eq!(page(20, 20), (20, false));
    assert_eq!(page(0, 20), (0, false));
}

fn local(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").unwrap()
}

#[test]
fn a_pause_passing() {
    let now = local("2026-12-05T12:00:00");
    assert_eq!(
        pause(Some("  flooded kitchen "), None, now),
        Ok(("flooded kitchen".to_owned(), None))
    );
    assert_eq!(
        pause(Some("x"), Some("2026-12-05T13:30"), now),
        Ok(("x".to_owned(), Some(local("2026-12-05T13:30:00"))))
    );
    let max = "я".repeat(200);
    assert!(pause(Some(&max), Some("2026-12-05T12:00:01"), now).is_ok());
}

#[test]
fn a_pause_failing_names_every_field() {
    let now = local("2026-12-05T12:00:00");
    let codes = |r: Result<(String, Option<NaiveDateTime>), Vec<Violation>>| {
        r.unwrap_err()
            .into_iter()
            .map(|v| (v.code, v.field.unwrap_or_default()))
            .collect::<Vec<_>>()
    };
    let pair = |c: &str, f: &str| (c.to_owned(), f.to_owned());
    assert_eq!(
        codes(pause(Some("   "), Some("2026-12-05T12:00:00"), now)),
        [
            pair("missing_field", "reason"),
            pair("invalid_until", "until")
        ]
    );
    assert_eq!(
        codes(pause(None, Some("tomorrow"), now)),
        [
            pair("missing_field", "reason"),
            pair("invalid_until", "until")
        ]
    );
    assert_eq!(
        codes(pause(Some("ok"), Some("+10000-01-01T00:00:00"), now)),
        [pair("invalid_until", "until")]
    );
    assert_eq!(
        codes(pause(Some(&"a".repeat(201)), None, now)),
        [pair("invalid_reason", "reason")]
    );
    assert_eq!(
        codes(pause(
            Some("a\u{7}b"),
            Some("2026-12-05T12:00:00+03:00"),
            now
        )),
        [
            pair("invalid_reason", "reason"),
            pair("invalid_until", "until")
        ]
    );
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn a_window_is_24h_or_7d() {
    assert_eq!(Window::parse(None), Ok(Window::Day));
    assert_eq!(Window::parse(Some("24h")), Ok(Window::Day));
    assert_eq!(Window::parse(Some("7d")), Ok(Window::Week));
    let err = Window::parse(Some("1y")).unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.field.as_deref()),
        ("invalid_parameter", Some("window"))
    );
}

#[test]
fn window_bounds_are_whole_buckets_ending_with_the_current_one() {
    let now = utc("2026-12-05T18:42:10Z");
    let (from, to) = Window::Day.bounds(now);
    assert_eq!(
        (from, to),
        (utc("2026-12-04T19:00:00Z"), utc("2026-12-05T19:00:00Z"))
    );
    let (from, to) = Window::Week.bounds(now);
    assert_eq!(
        (from, to),
        (utc("2026-11-29T00:00:00Z"), utc("2026-12-06T00:00:00Z"))
    );
}

#[test]
fn nearest_rank_percentiles() {
    let ten: Vec<i64> = (1..=10).map(|n| n * 10).collect();
    for (values, p, expected) in [
        (vec![], 50, None),
        (vec![7], 50, Some(7)),
        (vec![7], 95, Some(7)),
        (ten.clone(), 50, Some(50)),
        (ten.clone(), 95, Some(100)),
        (ten.clone(), 90, Some(90)),
        (vec![1, 2, 3, 4], 50, Some(2)),
        (vec![15, 20, 35, 40, 50], 30, Some(20)),
    ] {
        assert_eq!(nearest_rank(&values, p), expected, "{values:?} p{p}");
    }
}

fn count(hour: &str, channel: &str, failed: bool, n: i64) -> HourCount {
    HourCount {
        hour: hour.to_owned(),
        channel: channel.to_owned(),
        failed,
        count: n,
    }
}

#[test]
fn stats_fill_every_bucket_and_count_by_channel() {
    let now = utc("2026-12-05T18:42:10Z");
    let rows = [
        count("2026-12-05T18", "site", false, 3),
        count("2026-12-05T18", "jet", true, 1),
        count("2026-12-05T17", "orderconnect", false, 2),
        count("2026-12-04T19", "site", true, 2),
        // Outside the window, or unknown: not counted.
        count("2026-12-04T18", "site", false, 9),
        count("2026-12-05T19", "site", false, 9),
        count("2026-12-05T18", "fax", false, 9),
        count("garbage", "site", false, 9),
    ];
    let s = stats(Window::Day, now, &rows, &[300, 100, 200]);
    assert_eq!(s.window, "24h");
    assert_eq!(s.bucket, "hour");
    assert_eq!(s.from, "2026-12-04T19:00:00Z");
    assert_eq!(s.to, "2026-12-05T19:00:00Z");
    assert_eq!(s.buckets.len(), 24);
    assert_eq!(s.buckets[0].start, "2026-12-04T19:00:00Z");
    assert_eq!(s.buckets[0].orders.site, 2);
    assert_eq!(s.buckets[0].failed, 2);
    assert_eq!(s.buckets[1].orders, ChannelCounts::default());
    let last = &s.buckets[23];
    assert_eq!(last.start, "2026-12-05T18:00:00Z");
    assert_eq!(
        (last.orders.site, last.orders.jet, last.orders.orderconnect),
        (3, 1, 0)
    );
    assert_eq!(last.failed, 1);
    assert_eq!(s.buckets[22].orders.orderconnect, 2);
    assert_eq!(s.totals.orders, 8);
    assert_eq!(s.totals.failed, 3);
    assert_eq!(s.totals.failed_share, 0.375);
    assert_eq!(
        s.callback_latency_ms,
        Latency {
            p50: Some(200),
            p95: Some(300),
            samples: 3
        }
    );
}

#[test]
fn stats_by_day_and_an_empty_window() {
    let now = utc("2026-12-05T18:42:10Z");
    let rows = [
        count("2026-11-29T00", "jet", false, 1),
        count("2026-11-28T23", "jet", false, 5),
        count("2026-12-05T23", "site", true, 2),
    ];
    let s = stats(Window::Week, now, &rows, &[]);
    assert_eq!((s.bucket, s.buckets.len()), ("day", 7));
    assert_eq!(s.buckets[0].start, "2026-11-29T00:00:00Z");
    assert_eq!(s.buckets[0].orders.jet, 1);
    assert_eq!(s.buckets[6].orders.site, 2);
    assert_eq!(s.totals.failed_share, 0.6667);
    assert_eq!(
        s.callback_latency_ms,
        Latency {
            p50: None,
            p95: None,
            samples: 0
        }
    );
    let empty = stats(Window::Day, now, &[], &[]);
    assert_eq!(empty.totals.orders, 0);
    assert_eq!(empty.totals.failed_share, 0.0);
    assert!(empty
        .buckets
        .iter()
        .all(|b| b.failed == 0 && b.orders == ChannelCounts::default()));
}

#[test]
fn personal_is_absent_or_masked() {
    assert_eq!(personal_masked(None), Ok(false));
    assert_eq!(personal_masked(Some("masked")), Ok(true));
    let err = personal_masked(Some("all")).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("personal"));
}

#[test]
fn phones_keep_their_last_two_digits() {
    for (phone, masked) in [
        ("+7(922)988-33-22", "*********22"),
        ("12", "12"),
        ("", ""),
        ("*****", ""),
    ] {
        assert_eq!(mask_phone(phone), masked, "{phone}");
    }
}

#[test]
fn an_order_is_masked_but_its_zone_and_cart_stay() {
    let mut order = serde_json::json!({
        "action": "new_order",
        "body": {
            "number": "A-1",
            "client": {"name": "Пётр", "phone": "+7(922)988-33-22", "email": "p@example.com"},
            "recipient_name": {"name": "Анна", "phone": "89001112233"},
            "address": {"name": "Москва, Садовая, 10", "comment": "код 12", "zone_id": "z1",
                        "coords": {"latitude": "55.7", "longitude": "37.6"}},
            "cart": {"total": 1250}
        }
    });
    mask_order(&mut order);
    let body = &order["body"];
    assert_eq!(
        body["client"],
        serde_json::json!({"name": "***", "phone": "*********22", "email": "***"})
    );
    assert_eq!(body["recipient_name"]["phone"], "*********33");
    assert_eq!(
        body["address"],
        serde_json::json!({"name": "***", "comment": "***", "zone_id": "z1"})
    );
    assert_eq!(body["cart"]["total"], 1250);
    assert_eq!(body["number"], "A-1");
    // Nothing to mask: unchanged.
    let mut plain = serde_json::json!({"action": "new_order"});
    mask_order(&mut plain);
    assert_eq!(plain, serde_json::json!({"action": "new_order"}));
}

#[test]
fn every_latency_receiver_is_a_receiver_the_outbox_stores() {
    use crate::outbound::plan::ReceiverKind;
    for name in super::LATENCY_RECEIVERS {
        assert!(ReceiverKind::parse(name).is_some(), "{name}");
    }
    assert!(ReceiverKind::parse("no_such_receiver").is_none());
}

#[test]
fn a_masked_read_shows_the_extras_as_the_public_sees_them() {
    use crate::order::view::Audience;
    assert_eq!(extras_audience(true), Audience::Public);
    assert_eq!(extras_audience(false), Audience::Trusted);
}
