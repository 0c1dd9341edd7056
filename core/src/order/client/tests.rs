use super::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 4).unwrap_or_default()
}

#[test]
fn each_way_of_writing_a_phone_has_one_key() {
    let cases: &[(&str, Option<&str>)] = &[
        ("+7(922)988-33-22", Some("79229883322")),
        ("79229883322", Some("79229883322")),
        ("8 (922) 988-33-22", Some("79229883322")),
        ("89991112233", Some("79991112233")),
        ("0079229883322", Some("79229883322")),
        ("+44 20 7946 0000", Some("442079460000")),
        ("+8801712345678", Some("8801712345678")),
        ("020 7946 0000", Some("02079460000")),
        ("9229883322", Some("9229883322")),
        ("  +7 922 988 33 22 ", Some("79229883322")),
        // Not phones.
        ("12-34", None),
        ("", None),
        ("*****", None),
        ("+7 922 988 33 22 доб. 5", None),
        ("1234567890123456", None),
        ("00 123 456", None),
        ("8123456789", Some("8123456789")),
    ];
    for (raw, key) in cases {
        assert_eq!(canonical_phone(raw).as_deref(), *key, "{raw:?}");
    }
}

#[test]
fn a_guid_is_uppercase_hex_in_jupiters_groups() {
    let id = guid([
        0x66, 0x5f, 0x52, 0xe5, 0x8c, 0xff, 0x21, 0x74, 0x12, 0xfb, 0xc2, 0xaa, 0xaf, 0x55, 0xd8,
        0x03,
    ]);
    assert_eq!(id, "665F52E5-8CFF-2174-12FB-C2AAAF55D803");
    assert_ne!(guid([0; 16]), guid([1; 16]));
}

#[test]
fn a_site_order_names_its_client_and_a_just_eat_proxy_does_not() {
    let site = |name, phone, email| Contact::Site { name, phone, email };
    let oc = |phone_number, masking_code| Contact::Orderconnect {
        name: Some("Jane Doe"),
        phone_number,
        masking_code,
        email: Some("jane@example.com"),
    };
    let seen = |phone: &str, name: Option<&str>, email: Option<&str>| {
        Ok(Seen {
            phone: phone.to_owned(),
            name: name.map(str::to_owned),
            email: email.map(str::to_owned),
        })
    };
    let cases: Vec<(&str, Contact<'_>, Result<Seen, NotAClient>)> = vec![
        (
            "site order with name and e-mail",
            site(
                Some(" Пётр "),
                Some("+7(922)988-33-22"),
                Some("petr@example.ru"),
            ),
            seen("79229883322", Some("Пётр"), Some("petr@example.ru")),
        ),
        (
            "site order without e-mail",
            site(Some("Пётр"), Some("8 922 988 33 22"), None),
            seen("79229883322", Some("Пётр"), None),
        ),
        (
            "a placeholder or broken e-mail is not kept",
            site(
                Some("Пётр"),
                Some("79229883322"),
                Some("customer@email.hidden"),
            ),
            seen("79229883322", Some("Пётр"), None),
        ),
        (
            "site order without a phone",
            site(Some("Пётр"), None, None),
            Err(NotAClient::NoPhone),
        ),
        (
            "site order with a phone that is not one",
            site(Some("Пётр"), Some("12-34"), None),
            Err(NotAClient::NotAPhone),
        ),
        (
            "JET Connect: Just Eat's support number (seed 003)",
            Contact::JetConnect,
            Err(NotAClient::MarketplaceNumber),
        ),
        (
            "Orderconnect with the customer's own number",
            oc(Some("07700 900123"), None),
            seen("07700900123", Some("Jane Doe"), Some("jane@example.com")),
        ),
        (
            "Orderconnect with an empty masking code",
            oc(Some("+44 7700 900123"), Some(" ")),
            seen("447700900123", Some("Jane Doe"), Some("jane@example.com")),
        ),
        (
            "Orderconnect masked with a code",
            oc(Some("18727863"), Some("444333222")),
            Err(NotAClient::Masked),
        ),
        (
            "Orderconnect masked with stars",
            oc(Some("*****"), None),
            Err(NotAClient::Masked),
        ),
        (
            "Orderconnect with no number",
            oc(None, None),
            Err(NotAClient::NoPhone),
        ),
    ];
    for (what, contact, expected) in cases {
        assert_eq!(client_of(&contact), expected, "{what}");
    }
}

#[test]
fn a_site_order_contact_reads_the_client_and_not_the_recipient() {
    let order: NewOrderRequest = serde_json::from_value(serde_json::json!({
        "action": "new_order",
        "body": {
            "client": {"name": "Пётр", "phone": "+7(922)988-33-22", "email": "p@example.ru"},
            "recipient_name": {"name": "Иван", "phone": "+7(987)654-32-10"}
        }
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        Contact::site(&order),
        Contact::Site {
            name: Some("Пётр"),
            phone: Some("+7(922)988-33-22"),
            email: Some("p@example.ru"),
        }
    );
}

#[test]
fn e_mail_addresses_are_kept_only_when_they_look_like_one() {
    let cases: &[(&str, Option<&str>)] = &[
        ("test@test.ru", Some("test@test.ru")),
        (
            " Jane.Doe+x@mail.example.co.uk ",
            Some("Jane.Doe+x@mail.example.co.uk"),
        ),
        ("customer@email.hidden", None),
        ("no-at-sign", None),
        ("@example.com", None),
        ("a@localhost", None),
        ("a@b@example.com", None),
        ("a b@example.com", None),
        ("a@.example.com", None),
        ("a@example.com.", None),
        ("", None),
    ];
    for (raw, kept) in cases {
        assert_eq!(plausible_email(raw).as_deref(), *kept, "{raw:?}");
    }
}

#[test]
fn an_operator_edit_is_read_with_every_violation() {
    type Case = (
        &'static str,
        &'static str,
        Result<ClientEdit, Vec<(&'static str, &'static str)>>,
    );
    let cases: Vec<Case> = vec![
        (
            "every field set",
            r#"{"name": "Петр Иванов", "email": "test@test.ru", "birthday": "1990-02-10",
                    "gender": "Мужской", "discounts_active": true, "blacklist": false,
                    "block_sms": true}"#,
            Ok(ClientEdit {
                name: Change::Set("Петр Иванов".to_owned()),
                email: Change::Set("test@test.ru".to_owned()),
                birthday: Change::Set("1990-02-10".to_owned()),
                gender: Change::Set("Мужской".to_owned()),
                discounts_active: Change::Set(true),
                blacklist: Change::Set(false),
                block_sms: Change::Set(true),
            }),
        ),
        (
            "null clears, absent keeps",
            r#"{"email": null, "blacklist": null}"#,
            Ok(ClientEdit {
                email: Change::Clear,
                blacklist: Change::Clear,
                ..ClientEdit::default()
            }),
        ),
        ("an empty edit", "{}", Ok(ClientEdit::default())),
        ("not JSON", "{", Err(vec![("invalid_json", "body")])),
        ("not an object", "[]", Err(vec![("invalid_json", "body")])),
        (
            "every violation at once",
            r#"{"nickname": "x", "name": " ", "email": "nope", "birthday": "10.02.1990",
                    "gender": "male", "discounts_active": "yes", "blacklist": 1,
                    "block_sms": "false"}"#,
            Err(vec![
                ("unknown_field", "nickname"),
                ("bad_name", "name"),
                ("bad_email", "email"),
                ("bad_date", "birthday"),
                ("bad_gender", "gender"),
                ("bad_type", "discounts_active"),
                ("bad_type", "blacklist"),
                ("bad_type", "block_sms"),
            ]),
        ),
        (
            "a birthday in the future",
            r#"{"birthday": "2030-01-01"}"#,
            Err(vec![("bad_date", "birthday")]),
        ),
        (
            "an impossible birthday",
            r#"{"birthday": "1990-02-30"}"#,
            Err(vec![("bad_date", "birthday")]),
        ),
        (
            "a birthday before 1900",
            r#"{"birthday": "1899-12-31"}"#,
            Err(vec![("bad_date", "birthday")]),
        ),
        (
            "a gender as a number",
            r#"{"gender": 1}"#,
            Err(vec![("bad_type", "gender")]),
        ),
    ];
    for (what, body, expected) in cases {
        let got = ClientEdit::parse(body.as_bytes(), today()).map_err(|vs| {
            vs.iter()
                .map(|v| (v.code.clone(), v.field.clone().unwrap_or_default()))
                .collect::<Vec<_>>()
        });
        let expected = expected.map_err(|vs| {
            vs.iter()
                .map(|(c, f)| ((*c).to_owned(), (*f).to_owned()))
                .collect::<Vec<_>>()
        });
        assert_eq!(got, expected, "{what}");
    }
    let long = format!(r#"{{"name": "{}"}}"#, "Я".repeat(NAME_MAX + 1));
    let refused = ClientEdit::parse(long.as_bytes(), today()).map_err(|vs| vs[0].code.clone());
    assert_eq!(refused, Err("bad_name".to_owned()));
    let longest = format!(r#"{{"name": "{}"}}"#, "Я".repeat(NAME_MAX));
    assert!(ClientEdit::parse(longest.as_bytes(), today()).is_ok());
}

#[test]
fn the_operators_name_wins_over_orders_until_cleared() {
    let seen = Seen {
        phone: "79229883322".to_owned(),
        name: Some("Петя".to_owned()),
        email: Some("new@example.ru".to_owned()),
    };
    // From orders alone: the latest name and e-mail given.
    let fresh = Record::default().after_order(&seen);
    assert_eq!(fresh.name.as_deref(), Some("Петя"));
    assert_eq!(fresh.email.as_deref(), Some("new@example.ru"));
    // An order without an e-mail keeps the one known.
    let no_email = Seen {
        email: None,
        ..seen.clone()
    };
    assert_eq!(
        fresh.clone().after_order(&no_email).email.as_deref(),
        Some("new@example.ru")
    );
    // The operator's name stays through the next order; the e-mail is still the order's.
    let edit = ClientEdit {
        name: Change::Set("Пётр Сидоров".to_owned()),
        blacklist: Change::Set(true),
        ..ClientEdit::default()
    };
    let edited = edit.apply(fresh).after_order(&seen);
    assert_eq!(edited.name.as_deref(), Some("Пётр Сидоров"));
    assert_eq!(edited.blacklist, Some(true));
    assert!(edited.name_by_operator && !edited.email_by_operator);
    // Cleared, the name is unknown, and the next order's name is taken again.
    let cleared = ClientEdit {
        name: Change::Clear,
        ..ClientEdit::default()
    }
    .apply(edited);
    assert_eq!(cleared.name, None);
    assert_eq!(cleared.after_order(&seen).name.as_deref(), Some("Петя"));
}

#[test]
fn the_answer_has_the_seeds_keys_and_null_for_what_is_unknown() {
    let record = Record {
        name: Some("Пётр".to_owned()),
        ..Record::default()
    };
    let doc = serde_json::to_value(record.answer("ID", "79229883322")).unwrap_or_default();
    for unknown in [
        "email",
        "birthday",
        "gender",
        "discounts_active",
        "blacklist",
        "block_sms",
    ] {
        assert_eq!(doc[unknown], Value::Null, "{unknown}: {doc}");
    }
    assert_eq!(doc["name"], "Пётр");
    let seed: Value = serde_json::from_str(include_str!(
        "../../../../fixtures/jupiter/seed-client.json"
    ))
    .unwrap_or_default();
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        k.sort();
        k
    };
    assert_eq!(keys(&doc), keys(&seed));
    // The seed's client, as the operator writes it (id and phone are not editable),
    // answers as the seed does.
    let mut fields = seed.as_object().cloned().unwrap_or_default();
    fields.remove("id");
    fields.remove("phone");
    let body = Value::Object(fields).to_string();
    let edit = ClientEdit::parse(body.as_bytes(), today()).unwrap_or_else(|v| panic!("{v:?}"));
    let answer = edit.apply(Record::default()).answer(
        seed["id"].as_str().unwrap_or_default(),
        seed["phone"].as_str().unwrap_or_default(),
    );
    assert_eq!(serde_json::to_value(answer).unwrap_or_default(), seed);
}
