//! Stored values read into their types once, where a row is read: a row type with such
//! values is deserialized into a private raw twin (the columns as D1 gives them) and made
//! [`Typed`]. A value the hub never writes (a channel or delivery method it does not know,
//! an offset that does not parse, an online flag other than 0 or 1) is an internal error
//! naming the column, the value and the row, never a silent default.

use chrono::{DateTime, Utc};
use orderbridge_core::domain::UtcOffset;
use orderbridge_core::order::DeliveryMethod;
use serde::de::DeserializeOwned;

use crate::channel::Channel;
use crate::error::EdgeError;

/// A row read raw (`Raw`, deserialized from D1) and then into its types.
pub(super) trait Typed: Sized {
    type Raw: DeserializeOwned;
    fn typed(raw: Self::Raw) -> Result<Self, EdgeError>;
}

/// The error of a stored value the hub does not know: logged with the value and the row
/// (the error path answers a 500 without them).
fn unknown(column: &str, value: &str, row: &str) -> EdgeError {
    EdgeError::Internal(format!(
        "stored {column} {value:?} of row {row:?} is not known"
    ))
}

/// `orders.channel`.
pub(super) fn channel(raw: &str, row: &str) -> Result<Channel, EdgeError> {
    Channel::parse(raw).ok_or_else(|| unknown("channel", raw, row))
}

/// `orders.delivery_method`, as `DeliveryMethod::as_str` wrote it.
pub(super) fn delivery_method(raw: &str, row: &str) -> Result<DeliveryMethod, EdgeError> {
    [DeliveryMethod::Courier, DeliveryMethod::Pickup]
        .into_iter()
        .find(|m| m.as_str() == raw)
        .ok_or_else(|| unknown("delivery_method", raw, row))
}

/// `restaurants.utc_offset` (`+03:00`).
pub(super) fn utc_offset(raw: &str, row: &str) -> Result<UtcOffset, EdgeError> {
    UtcOffset::parse(raw, "utc_offset").map_err(|_| unknown("utc_offset", raw, row))
}

/// A 0/1 flag such as `restaurants.online`.
pub(super) fn flag(raw: i64, column: &str, row: &str) -> Result<bool, EdgeError> {
    match raw {
        0 => Ok(false),
        1 => Ok(true),
        other => Err(unknown(column, &other.to_string(), row)),
    }
}

/// A stored instant that may be absent, such as `restaurants.offline_until`.
pub(super) fn instant(
    raw: Option<&str>,
    column: &str,
    row: &str,
) -> Result<Option<DateTime<Utc>>, EdgeError> {
    raw.map(|text| {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| unknown(column, text, row))
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_value_and_row(err: EdgeError, value: &str) {
        match err {
            EdgeError::Internal(message) => {
                assert!(message.contains(value), "{message}");
                assert!(message.contains("\"row-1\""), "{message}");
            }
            _ => panic!("not internal"),
        }
    }

    #[test]
    fn channels_the_hub_writes_are_read_and_others_are_errors() {
        for c in [Channel::Site, Channel::Jet, Channel::Orderconnect] {
            assert_eq!(channel(c.as_str(), "row-1").ok(), Some(c));
        }
        for bad in ["", "Site", "web", "jet "] {
            let err = channel(bad, "row-1").expect_err("an error");
            names_value_and_row(err, &format!("{bad:?}"));
        }
    }

    #[test]
    fn delivery_methods_are_read_and_unknown_ones_are_not_courier() {
        assert_eq!(
            delivery_method("courier", "row-1").ok(),
            Some(DeliveryMethod::Courier)
        );
        assert_eq!(
            delivery_method("pickup", "row-1").ok(),
            Some(DeliveryMethod::Pickup)
        );
        for bad in ["", "delivery", "PICKUP"] {
            let err = delivery_method(bad, "row-1").expect_err("an error");
            names_value_and_row(err, &format!("{bad:?}"));
        }
    }

    #[test]
    fn offsets_are_read_and_malformed_ones_are_errors() {
        assert_eq!(
            utc_offset("+03:00", "row-1").ok().map(UtcOffset::seconds),
            Some(3 * 3600)
        );
        assert_eq!(
            utc_offset("-05:30", "row-1").ok().map(UtcOffset::seconds),
            Some(-(5 * 3600 + 30 * 60))
        );
        for bad in ["", "+3:00", "03:00", "+24:00", "Europe/Moscow"] {
            let err = utc_offset(bad, "row-1").expect_err("an error");
            names_value_and_row(err, &format!("{bad:?}"));
        }
    }

    #[test]
    fn flags_are_zero_or_one() {
        assert_eq!(flag(0, "online", "row-1").ok(), Some(false));
        assert_eq!(flag(1, "online", "row-1").ok(), Some(true));
        for bad in [2, -1] {
            let err = flag(bad, "online", "row-1").expect_err("an error");
            names_value_and_row(err, &bad.to_string());
        }
    }

    #[test]
    fn instants_are_read_in_either_precision_and_garbage_is_an_error() {
        assert_eq!(instant(None, "offline_until", "row-1").ok(), Some(None));
        let at = instant(Some("2024-05-21T13:19:13.000Z"), "offline_until", "row-1")
            .ok()
            .flatten()
            .map(|t| t.timestamp());
        assert_eq!(at, Some(1_716_297_553));
        let micros = instant(Some("2024-05-21T16:19:13.000000+03:00"), "until", "row-1")
            .ok()
            .flatten()
            .map(|t| t.timestamp());
        assert_eq!(micros, Some(1_716_297_553));
        let err = instant(Some("tomorrow"), "offline_until", "row-1").expect_err("an error");
        names_value_and_row(err, "\"tomorrow\"");
    }
}
