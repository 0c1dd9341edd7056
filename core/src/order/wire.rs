//! The wire shape of Jupiter's `POST /order` ("Создать заказ"): `{"action": "new_order",
//! "body": {…}}`. Every field is optional or loosely typed here on purpose: a request that
//! is merely incomplete or wrong still parses, so [`super::validate`] can report every
//! violation with its field path instead of stopping at the first one serde meets.
//! Amounts and counts stay `serde_json::Number` until validation reads them exactly.

use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

use crate::problem::Violation;

/// The request as a front-end sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewOrderRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(default)]
    pub body: OrderBody,
}

/// `body` of the request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OrderBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restaurant_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concept_id: Option<String>,
    /// Restaurant-local `YYYY-MM-DD HH:MM:SS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persons: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Restaurant-local `YYYY-MM-DD HH:MM` (seconds may be given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_preorder: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cart: Option<Cart>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<Person>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_name: Option<Person>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<Payment>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Cart {
    #[serde(default)]
    pub items: Vec<CartItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Number>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CartItem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modifiers: Option<Vec<CartModifier>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CartModifier {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Number>,
}

/// `client` and `recipient_name`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Person {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The hub's extension to Jupiter's `client` (seed `004` has name and phone only): an
    /// e-mail the hub keeps on the client record (`order::client`), ignored elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Address {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coords: Option<Coords>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<String>,
}

/// The seed sends coordinates as decimal strings; numbers are accepted too.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Coords {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Payment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sum: Option<Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<Number>,
}

/// Parses a request body. Only JSON that is not an object of the right general shape (a
/// string where an object or number belongs, say) is refused here, as one `invalid_json`
/// violation carrying serde's position and, for a value of the wrong type, the field's
/// path (`cart.items[0].cost`); everything else is left to validation.
///
/// A body that is UTF-8 (every valid one) is checked once as a whole and parsed as `&str`:
/// serde_json then skips re-checking each string it copies, which was a tenth of parsing
/// an order in wasm. Any other body cannot parse: its error is serde_json's for the bad
/// byte ([`crate::input::not_utf8_error`]; no second, `&[u8]` copy of the parser).
pub fn parse(bytes: &[u8]) -> Result<NewOrderRequest, Violation> {
    let parsed = match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => Err(crate::input::not_utf8_error(bytes)),
    };
    parsed.map_err(|e| {
        Violation::new(
            "invalid_json",
            crate::input::locate_error(bytes, &e).as_deref(),
            format!("not a new_order document: {e}"),
        )
    })
}

/// An amount as the JSON number Jupiter expects (`1250`, `15.5`), for orders the hub writes
/// itself (translated from a marketplace). The text goes through the same `Number` parse a
/// front-end's request does, so [`Money::parse_decimal`](crate::domain::Money::parse_decimal)
/// reads back exactly the amount given.
pub fn money_number(money: crate::domain::Money) -> Number {
    serde_json::from_str(&money.to_decimal_string()).unwrap_or_else(|_| Number::from(0))
}

/// A marketplace **charge line** (see
/// [`CHARGE_LINE_PREFIX`](crate::order::validate::CHARGE_LINE_PREFIX)): `marketplace:<kind>`,
/// count 1, the signed amount in minor units (a discount is negative), so that the cart's
/// lines and delivery add up to what the customer paid. Both marketplace translations
/// (JET Connect, Orderconnect) write their charges and discounts with it.
pub fn charge_line(kind: &str, name: &str, minor: i64) -> CartItem {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let text = match abs % 100 {
        0 => format!("{sign}{}", abs / 100),
        m => format!("{sign}{}.{m:02}", abs / 100),
    };
    CartItem {
        id: Some(format!(
            "{}{kind}",
            crate::order::validate::CHARGE_LINE_PREFIX
        )),
        name: Some(name.to_owned()),
        count: Some(Number::from(1)),
        cost: Some(serde_json::from_str(&text).unwrap_or_else(|_| Number::from(0))),
        modifiers: None,
    }
}
