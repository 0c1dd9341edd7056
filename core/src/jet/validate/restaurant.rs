//! A restaurant's own calls: offline (`onlineAt`) and service times (per service
//! type, the opening windows of each day).

use crate::domain::{HhMm, Weekday};
use crate::problem::Violation;
use chrono::NaiveDateTime;
use std::collections::BTreeMap;

use super::*;

/// Validates an offline body: the local time the restaurant comes back online, if given.
pub fn validate_offline(req: &OfflineRequest) -> Result<Option<NaiveDateTime>, Vec<Violation>> {
    let Some(text) = req.online_at.as_deref() else {
        return Ok(None);
    };
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .map(Some)
        .map_err(|_| {
            vec![Violation::new(
                "invalid_datetime",
                Some("onlineAt"),
                format!("must be a local date-time without offset such as 2021-10-13T12:03:00, got {text:?}"),
            )]
        })
}

/// `Delivery` or `Collection`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ServiceType {
    Delivery,
    Collection,
}

/// One opening window. `closes < opens` means it runs past midnight into the next day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpeningHours {
    pub opens: HhMm,
    pub closes: HhMm,
}

impl OpeningHours {
    pub fn crosses_midnight(self) -> bool {
        self.closes < self.opens
    }
}

/// Service times that passed every rule: per service type, per day, the windows.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidServiceTimes {
    pub timezone: String,
    pub service_times: BTreeMap<ServiceType, BTreeMap<Weekday, Vec<OpeningHours>>>,
}

/// Validates a servicetimes body. A window whose closing time is before its opening time
/// crosses midnight (`20:00`–`02:00`); equal times are refused as ambiguous (write
/// `00:00`–`23:59` for a whole day). The timezone is checked for shape only (non-empty, no
/// blanks): core carries no time-zone database.
pub fn validate_service_times(
    req: &ServiceTimesRequest,
) -> Result<ValidServiceTimes, Vec<Violation>> {
    let mut r = Violations::new();
    match req.timezone.as_deref() {
        None => r.missing("timezone"),
        Some(tz) if tz.is_empty() || tz.chars().any(char::is_whitespace) => r.push(
            "invalid_timezone",
            "timezone",
            "must be an IANA zone name such as Europe/London",
        ),
        Some(_) => {}
    }
    let mut out = BTreeMap::new();
    match &req.service_times {
        None => r.missing("serviceTimes"),
        Some(list) if list.is_empty() => r.push("empty", "serviceTimes", "must not be empty"),
        Some(list) => {
            let root = Path::root("serviceTimes");
            for (i, st) in list.iter().enumerate() {
                let path = root.index(i);
                let service_type = path.field("serviceType");
                let kind = match st.service_type.as_deref() {
                    None => {
                        r.missing(service_type);
                        None
                    }
                    Some("Delivery") => Some(ServiceType::Delivery),
                    Some("Collection") => Some(ServiceType::Collection),
                    Some(other) => {
                        r.one_of(other, &["Delivery", "Collection"], service_type);
                        None
                    }
                };
                let days = opening_times(&mut r, &st.opening_times, path.field("openingTimes"));
                if let Some(kind) = kind {
                    if out.insert(kind, days).is_some() {
                        r.push(
                            "duplicate",
                            service_type,
                            "each service type may appear once",
                        );
                    }
                }
            }
        }
    }
    r.into_result(ValidServiceTimes {
        timezone: req.timezone.clone().unwrap_or_default(),
        service_times: out,
    })
}

pub(super) fn opening_times(
    r: &mut Violations,
    days: &Option<BTreeMap<String, Vec<OpeningWindow>>>,
    path: Path<'_>,
) -> BTreeMap<Weekday, Vec<OpeningHours>> {
    let mut out = BTreeMap::new();
    let Some(days) = days else {
        r.missing(path);
        return out;
    };
    if days.is_empty() {
        r.push("empty", path, "give at least one day");
    }
    for (day, windows) in days {
        let p = path.field(day);
        let weekday = r.take_at(Weekday::parse(day, ""), p);
        let mut hours = Vec::new();
        for (i, w) in windows.iter().enumerate() {
            let wp = p.index(i);
            let (opening, closing) = (wp.field("openingTime"), wp.field("closingTime"));
            let opens = r
                .present(&w.opening_time, opening)
                .and_then(|t| r.take_at(HhMm::parse(t, ""), opening));
            let closes = r
                .present(&w.closing_time, closing)
                .and_then(|t| r.take_at(HhMm::parse(t, ""), closing));
            if let (Some(opens), Some(closes)) = (opens, closes) {
                if opens == closes {
                    r.push(
                        "empty_window",
                        wp,
                        "closingTime must differ from openingTime (use 00:00–23:59 for a whole day)",
                    );
                } else {
                    hours.push(OpeningHours { opens, closes });
                }
            }
        }
        if let Some(weekday) = weekday {
            out.insert(weekday, hours);
        }
    }
    out
}
