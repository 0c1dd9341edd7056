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
