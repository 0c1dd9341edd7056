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
    // Cold: `#[inline]` has the caller (the edge, at opt-level "z") compile it, serde code and
    // all, not core at 3 (Cargo.toml, BENCHMARKS.md "Bundle size (2026-12-05)").
    #[inline]
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
mod tests;
