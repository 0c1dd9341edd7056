//! Clients: what the hub keeps of the people who order (Jupiter's `GET /client`, seed
//! `004`), and the rules that decide it.
//!
//! * [`canonical_phone`]: one key per phone, however it was written.
//! * [`client_of`]: whether an order names a client — a site order always does; a
//!   marketplace order only when its phone is the customer's own (see [`Contact`]).
//! * [`ClientEdit`]: the operator's edit of a client (`PUT /admin/clients/{phone}`),
//!   validated with every violation at once, and applied to a [`Record`].
//! * [`Record::answer`]: Jupiter's `/client` shape. A field the hub does not know is `null`
//!   (the key stays, as in the seed's shape): e-mail, birthday and gender until an order or
//!   the operator gives them, and the three flags until the operator sets them. The hub
//!   invents no value.
//!
//! Orders and the operator write the same record: an order sets the name and e-mail it
//! carries, unless the operator has set that field (the operator's word wins until the
//! operator clears it); only the operator sets birthday, gender and the flags.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

use super::wire::NewOrderRequest;
use crate::problem::{Violation, Violations};

/// Jupiter's `/client` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Client {
    pub id: String,
    pub name: Option<String>,
    pub phone: String,
    pub email: Option<String>,
    pub birthday: Option<String>,
    pub gender: Option<String>,
    pub discounts_active: Option<bool>,
    pub blacklist: Option<bool>,
    pub block_sms: Option<bool>,
}

/// The genders Jupiter knows (seed `004`: "Пол, Мужской\Женский").
pub const GENDERS: [&str; 2] = ["Мужской", "Женский"];

/// The key of a client: the phone's digits in international form, without `+`.
///
/// | written | key | rule |
/// |---|---|---|
/// | `+7(922)988-33-22` | `79229883322` | `+`: international, digits as written |
/// | `0079229883322` | `79229883322` | `00`: the international prefix, dropped |
/// | `89229883322` | `79229883322` | 11 digits starting `8` without `+`: Russia's trunk prefix (seed `004` writes `89991112233`) for `+7` |
/// | `9229883322` | `9229883322` | anything else: the digits as written |
///
/// Blanks and `( ) - .` are dropped; any other character, or fewer than 10 or more than 15
/// digits after the rules, is not a phone (`None`). No other country's trunk prefix is
/// guessed: a national number without its country code (`020 7946 0000`) stays as written.
pub fn canonical_phone(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if !raw
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b' ' | b'+' | b'(' | b')' | b'-' | b'.'))
    {
        return None;
    }
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let international = raw.starts_with('+');
    let key = if international {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_owned()
    } else if digits.len() == 11 && digits.starts_with('8') {
        format!("7{}", &digits[1..])
    } else {
        digits
    };
    (10..=15).contains(&key.len()).then_some(key)
}

/// A client id in Jupiter's GUID shape (`665F52E5-8CFF-2174-12FB-C2AAAF55D803`) from 128
/// random bits the edge draws: stable because it is stored, unguessable because it is random.
pub fn guid(bytes: [u8; 16]) -> String {
    let hex = crate::hex::encode(&bytes).to_ascii_uppercase();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// What an order says about who placed it, as its channel gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contact<'a> {
    /// A site order's `client`: the name, the phone in any format, and `email` (the hub's
    /// extension to Jupiter's `client`, optional).
    Site {
        name: Option<&'a str>,
        phone: Option<&'a str>,
        email: Option<&'a str>,
    },
    /// A JET Connect order. Its phone is never the customer's: for a delivery by the
    /// restaurant it is Just Eat's support number, for a delivery by Just Eat's courier the
    /// delivery is masked (`*****`), a collector may be reached through a call centre with a
    /// masking code, and the e-mail is the placeholder `customer@email.hidden` (seed `003`:
    /// Just Eat's Flyt bridge "never creates a client" for Just Eat orders).
    JetConnect,
    /// An Orderconnect order's `CustomerInfo`: `PhoneNumber` is the customer's real number
    /// unless Just Eat masks it, which it says with a `PhoneMaskingCode` (then the numbers
    /// are Just Eat's proxy, reached with the code).
    Orderconnect {
        name: Option<&'a str>,
        phone_number: Option<&'a str>,
        masking_code: Option<&'a str>,
        email: Option<&'a str>,
    },
}

impl<'a> Contact<'a> {
    /// The contact of a site order (`body.client`).
    pub fn site(order: &'a NewOrderRequest) -> Contact<'a> {
        let client = order.body.client.as_ref();
        Contact::Site {
            name: client.and_then(|c| c.name.as_deref()),
            phone: client.and_then(|c| c.phone.as_deref()),
            email: client.and_then(|c| c.email.as_deref()),
        }
    }
}

/// A client as an order names it: the key, and the name and e-mail it gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub phone: String,
    pub name: Option<String>,
    pub email: Option<String>,
}

/// Why an order names no client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAClient {
    /// The order has no phone.
    NoPhone,
    /// The phone is not a phone ([`canonical_phone`]).
    NotAPhone,
    /// Just Eat masks the customer's number (a masking code, or `*` in the number).
    Masked,
    /// A JET Connect order: its phone is Just Eat's, never the customer's.
    MarketplaceNumber,
}

impl NotAClient {
    pub fn as_str(self) -> &'static str {
        match self {
            NotAClient::NoPhone => "no phone",
            NotAClient::NotAPhone => "not a phone",
            NotAClient::Masked => "masked by Just Eat",
            NotAClient::MarketplaceNumber => "Just Eat's number, not the customer's",
        }
    }
}

/// The client an order names, if it names one.
pub fn client_of(contact: &Contact<'_>) -> Result<Seen, NotAClient> {
    let (name, phone, email) = match *contact {
        Contact::Site { name, phone, email } => (name, phone, email),
        Contact::JetConnect => return Err(NotAClient::MarketplaceNumber),
        Contact::Orderconnect {
            name,
            phone_number,
            masking_code,
            email,
        } => {
            if masking_code.is_some_and(|c| !c.trim().is_empty())
                || phone_number.is_some_and(|p| p.contains('*'))
            {
                return Err(NotAClient::Masked);
            }
            (name, phone_number, email)
        }
    };
    let phone = phone
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .ok_or(NotAClient::NoPhone)?;
    Ok(Seen {
        phone: canonical_phone(phone).ok_or(NotAClient::NotAPhone)?,
        name: name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned),
        email: email.and_then(plausible_email),
    })
}

/// An e-mail address worth keeping: one `@` between a local part and a domain with a dot,
/// no blanks, at most 254 characters, and not Just Eat's placeholder `customer@email.hidden`
/// (seed `003`). Trimmed.
pub fn plausible_email(raw: &str) -> Option<String> {
    let email = raw.trim();
    if email.is_empty() || email.len() > 254 || email.chars().any(char::is_whitespace) {
        return None;
    }
    let (local, domain) = email.split_once('@')?;
    let domain_ok = !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.');
    if local.is_empty() || !domain_ok || domain.eq_ignore_ascii_case("email.hidden") {
        return None;
    }
    Some(email.to_owned())
}

/// What the hub keeps of a client (the `clients` row besides its key and id).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Record {
    pub name: Option<String>,
    pub email: Option<String>,
    pub birthday: Option<String>,
    pub gender: Option<String>,
    pub discounts_active: Option<bool>,
    pub blacklist: Option<bool>,
    pub block_sms: Option<bool>,
    /// The operator set the name: orders do not change it.
    pub name_by_operator: bool,
    /// The operator set the e-mail: orders do not change it.
    pub email_by_operator: bool,
}

impl Record {
    /// The record after an order that names this client: its name and e-mail, where given
    /// and where the operator has not set them. (The storage upsert of an order writes the
    /// same rule column by column, so that concurrent orders need no read first.)
    pub fn after_order(mut self, seen: &Seen) -> Record {
        if !self.name_by_operator && seen.name.is_some() {
            self.name.clone_from(&seen.name);
        }
        if !self.email_by_operator && seen.email.is_some() {
            self.email.clone_from(&seen.email);
        }
        self
    }

    /// Jupiter's `/client` answer for this record.
    pub fn answer(&self, id: &str, phone: &str) -> Client {
        Client {
            id: id.to_owned(),
            name: self.name.clone(),
            phone: phone.to_owned(),
            email: self.email.clone(),
            birthday: self.birthday.clone(),
            gender: self.gender.clone(),
            discounts_active: self.discounts_active,
            blacklist: self.blacklist,
            block_sms: self.block_sms,
        }
    }
}

/// One field of an edit: left as it is (absent), cleared (`null`), or set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Change<T> {
    #[default]
    Keep,
    Clear,
    Set(T),
}

impl<T: Clone> Change<T> {
    fn apply(&self, value: &mut Option<T>) {
        match self {
            Change::Keep => {}
            Change::Clear => *value = None,
            Change::Set(v) => *value = Some(v.clone()),
        }
    }
}

/// The operator's edit of a client: each field absent (kept), `null` (cleared: unknown
/// again, and for name and e-mail given back to orders) or a value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientEdit {
    pub name: Change<String>,
    pub email: Change<String>,
    pub birthday: Change<String>,
    pub gender: Change<String>,
    pub discounts_active: Change<bool>,
    pub blacklist: Change<bool>,
    pub block_sms: Change<bool>,
}

/// The longest name kept, in characters.
pub const NAME_MAX: usize = 200;

impl ClientEdit {
    /// Reads an edit from its JSON body, every violation at once:
    ///
    /// | code | when |
    /// |---|---|
    /// | `invalid_json` | not JSON, or not an object |
    /// | `unknown_field` | a key other than the seven fields |
    /// | `bad_type` | a value of the wrong JSON type (text for the four texts, `true`/`false` for the flags; `null` clears) |
    /// | `bad_name` | a blank name, or longer than 200 characters |
    /// | `bad_email` | not an e-mail address ([`plausible_email`]) |
    /// | `bad_date` | `birthday` not `YYYY-MM-DD`, before 1900 or after `today` |
    /// | `bad_gender` | `gender` other than `Мужской` or `Женский` (seed `004`) |
    pub fn parse(body: &[u8], today: NaiveDate) -> Result<ClientEdit, Vec<Violation>> {
        let doc: Value = serde_json::from_slice(body).map_err(|err| {
            vec![Violation::new(
                "invalid_json",
                Some("body"),
                format!("not JSON: {err}"),
            )]
        })?;
        let Value::Object(map) = doc else {
            return Err(vec![Violation::new(
                "invalid_json",
                Some("body"),
                "must be an object",
            )]);
        };
        let mut out = Violations::new();
        for key in map.keys() {
            if !FIELDS.contains(&key.as_str()) {
                out.push(
                    "unknown_field",
                    key,
                    format!("is not a client field (one of {})", FIELDS.join(", ")),
                );
            }
        }
        let name = text(&map, "name", &mut out, |name| {
            (name.chars().count() <= NAME_MAX)
                .then(|| name.to_owned())
                .ok_or_else(|| ("bad_name", format!("longer than {NAME_MAX} characters")))
        });
        let email = text(&map, "email", &mut out, |email| {
            plausible_email(email).ok_or(("bad_email", "must be an e-mail address".to_owned()))
        });
        let birthday = text(&map, "birthday", &mut out, |day| birthday(day, today));
        let gender = text(&map, "gender", &mut out, |gender| {
            GENDERS
                .contains(&gender)
                .then(|| gender.to_owned())
                .ok_or_else(|| {
                    (
                        "bad_gender",
                        format!("must be one of {}", GENDERS.join(", ")),
                    )
                })
        });
        let edit = ClientEdit {
            name,
            email,
            birthday,
            gender,
            discounts_active: flag(&map, "discounts_active", &mut out),
            blacklist: flag(&map, "blacklist", &mut out),
            block_sms: flag(&map, "block_sms", &mut out),
        };
        out.into_result(edit)
    }

    /// The record after this edit. Setting the name or e-mail makes it the operator's;
    /// clearing it gives it back to orders.
    pub fn apply(&self, mut record: Record) -> Record {
        self.name.apply(&mut record.name);
        self.email.apply(&mut record.email);
        self.birthday.apply(&mut record.birthday);
        self.gender.apply(&mut record.gender);
        self.discounts_active.apply(&mut record.discounts_active);
        self.blacklist.apply(&mut record.blacklist);
        self.block_sms.apply(&mut record.block_sms);
        match self.name {
            Change::Keep => {}
            Change::Clear => record.name_by_operator = false,
            Change::Set(_) => record.name_by_operator = true,
        }
        match self.email {
            Change::Keep => {}
            Change::Clear => record.email_by_operator = false,
            Change::Set(_) => record.email_by_operator = true,
        }
        record
    }
}

const FIELDS: [&str; 7] = [
    "name",
    "email",
    "birthday",
    "gender",
    "discounts_active",
    "blacklist",
    "block_sms",
];

type Refusal = (&'static str, String);

fn text(
    map: &Map<String, Value>,
    field: &str,
    out: &mut Violations,
    check: impl Fn(&str) -> Result<String, Refusal>,
) -> Change<String> {
    match map.get(field) {
        None => Change::Keep,
        Some(Value::Null) => Change::Clear,
        Some(Value::String(s)) if s.trim().is_empty() => {
            out.push(
                if field == "name" {
                    "bad_name"
                } else {
                    "bad_type"
                },
                field,
                "must not be blank (null clears it)",
            );
            Change::Keep
        }
        Some(Value::String(s)) => match check(s.trim()) {
            Ok(v) => Change::Set(v),
            Err((code, message)) => {
                out.push(code, field, message);
                Change::Keep
            }
        },
        Some(_) => {
            out.push("bad_type", field, "must be a string or null");
            Change::Keep
        }
    }
}

fn flag(map: &Map<String, Value>, field: &str, out: &mut Violations) -> Change<bool> {
    match map.get(field) {
        None => Change::Keep,
        Some(Value::Null) => Change::Clear,
        Some(Value::Bool(b)) => Change::Set(*b),
        Some(_) => {
            out.push("bad_type", field, "must be true, false or null");
            Change::Keep
        }
    }
}

fn birthday(text: &str, today: NaiveDate) -> Result<String, Refusal> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    let day = shaped
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| ("bad_date", "must be a date YYYY-MM-DD".to_owned()))?;
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN);
    if day < earliest || day > today {
        return Err((
            "bad_date",
            format!("must be between 1900-01-01 and {today}"),
        ));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
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
            0x66, 0x5f, 0x52, 0xe5, 0x8c, 0xff, 0x21, 0x74, 0x12, 0xfb, 0xc2, 0xaa, 0xaf, 0x55,
            0xd8, 0x03,
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
        let seed: Value =
            serde_json::from_str(include_str!("../../../fixtures/jupiter/seed-client.json"))
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
}
