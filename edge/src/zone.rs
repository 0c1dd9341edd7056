//! Restaurant time zones at the edge: IANA names resolved with the runtime's `Intl`, handed
//! to core as [`ZoneRules`] (see `core/src/tz.rs`).
//!
//! The Worker carries no tz database: `Intl.DateTimeFormat` with a `timeZone` answers the
//! wall time of an instant in any zone with the runtime's own (current) tzdata. A zone's
//! rules are built for a window from 3 years before now (stored `lastChange` values are
//! shown in the offset they had) to 400 days after (pre-orders, `onlineAt`), sampled
//! weekly with each change bisected to the minute by `ZoneRules::discover` (about 330
//! `formatToParts` calls), once per isolate per zone, and rebuilt after 30 days, so the
//! window always reaches a year ahead. Weekly sampling finds every change of today's
//! zones (no zone changes twice within a week; core's tests check this against tzdb).
//! Names are checked by `Intl` too: an unknown zone throws `RangeError`.
//!
//! Why `Intl` and not a bundled database (`chrono-tz`, `jiff`): those add tens to hundreds
//! of KiB of tz data to the upload, as old as the last deploy; `Intl` costs no tz bytes
//! (+9 KiB of gzip upload for the bindings and the rules' search, measured with
//! `make deploy-check`) and is always the runtime's current tzdata. `chrono-tz` is a
//! dev-dependency of core only, whose tests cross-check the discovered rules against it.
//!
//! A restaurant's zone (`restaurants.timezone`) is set by `PUT /admin/restaurants/{id}`,
//! by JET Connect `/servicetimes` (`timezone`), or, while unset, by the first JET Connect
//! order's `location.timezone`; an unknown name is refused (`invalid_timezone`), except in
//! an order, which was paid for and is taken anyway. Without a zone the restaurant's fixed
//! `utc_offset` applies. At most 64 zones are kept per isolate.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use js_sys::{Array, Object, Reflect};
use orderbridge_core::domain::UtcOffset;
use orderbridge_core::problem::Violation;
use orderbridge_core::tz::{plausible_name, unknown_zone, LocalZone, ZoneRules};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::clock;

const DAY_SECS: i64 = 86_400;
/// The window's reach before and after the moment it is built.
const BEFORE_SECS: i64 = 3 * 365 * DAY_SECS;
const AFTER_SECS: i64 = 400 * DAY_SECS;
/// The sampling step (changes are then bisected to the minute).
const SAMPLE_SECS: i64 = 7 * DAY_SECS;
/// A window built longer ago than this is rebuilt.
const REBUILD_AFTER_SECS: i64 = 30 * DAY_SECS;
/// Zones remembered per isolate (a deployment serves a handful).
const MAX_ZONES: usize = 64;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Intl, js_name = DateTimeFormat)]
    type Dtf;

    #[wasm_bindgen(constructor, catch, js_namespace = Intl, js_class = "DateTimeFormat")]
    fn new(locale: &str, options: &Object) -> Result<Dtf, JsValue>;

    #[wasm_bindgen(method, js_name = formatToParts)]
    fn format_to_parts(this: &Dtf, epoch_ms: f64) -> Array;

    #[wasm_bindgen(method, js_name = resolvedOptions)]
    fn resolved_options(this: &Dtf) -> Object;
}

thread_local! {
    static RULES: RefCell<HashMap<String, Arc<ZoneRules>>> = RefCell::new(HashMap::new());
}

/// A formatter showing every field of the wall time in `name`, or `None` when the runtime
/// does not know the zone.
fn formatter(name: &str) -> Option<Dtf> {
    let options = Object::new();
    let set =
        |k: &str, v: &str| Reflect::set(&options, &JsValue::from_str(k), &JsValue::from_str(v));
    let ok = [
        ("timeZone", name),
        ("hourCycle", "h23"),
        ("year", "numeric"),
        ("month", "numeric"),
        ("day", "numeric"),
        ("hour", "numeric"),
        ("minute", "numeric"),
        ("second", "numeric"),
    ]
    .iter()
    .all(|(k, v)| set(k, v).is_ok());
    if !ok {
        return None;
    }
    Dtf::new("en-US", &options).ok()
}

/// Seconds east of UTC in the formatter's zone at `at` (Unix seconds).
fn offset_at(dtf: &Dtf, at: i64) -> Option<i32> {
    let mut field = [0u32; 6]; // year, month, day, hour, minute, second
    for part in dtf.format_to_parts(at as f64 * 1000.0).iter() {
        let part: Object = part.dyn_into().ok()?;
        let kind = Reflect::get(&part, &JsValue::from_str("type"))
            .ok()?
            .as_string()?;
        let slot = match kind.as_str() {
            "year" => 0,
            "month" => 1,
            "day" => 2,
            "hour" => 3,
            "minute" => 4,
            "second" => 5,
            _ => continue,
        };
        let value = Reflect::get(&part, &JsValue::from_str("value"))
            .ok()?
            .as_string()?;
        *field.get_mut(slot)? = value.trim().parse().ok()?;
    }
    // Some engines write midnight as hour 24 of the same day.
    let hour = field[3] % 24;
    let wall = NaiveDate::from_ymd_opt(i32::try_from(field[0]).ok()?, field[1], field[2])?
        .and_hms_opt(hour, field[4], field[5])?
        .and_utc()
        .timestamp();
    i32::try_from(wall - at).ok()
}

/// The runtime's canonical spelling of a zone name, or the violation naming `field` and the
/// value when it is no IANA zone the runtime knows.
pub fn check_name(raw: &str, field: &str) -> Result<String, Violation> {
    let name = raw.trim();
    if !plausible_name(name) {
        return Err(unknown_zone(field, raw));
    }
    let dtf = formatter(name).ok_or_else(|| unknown_zone(field, raw))?;
    let canonical = Reflect::get(&dtf.resolved_options(), &JsValue::from_str("timeZone"))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| name.to_owned());
    Ok(canonical)
}

/// The zone's rules for a window around now, from this isolate's memory or built now.
fn rules(name: &str) -> Option<Arc<ZoneRules>> {
    let now = clock::now_millis().div_euclid(1000);
    let cached = RULES.with(|m| {
        m.borrow()
            .get(name)
            .filter(|r| now - (r.starts() + BEFORE_SECS) < REBUILD_AFTER_SECS)
            .cloned()
    });
    if cached.is_some() {
        return cached;
    }
    let dtf = formatter(name)?;
    let start = (now - BEFORE_SECS).div_euclid(60) * 60;
    let built = Arc::new(ZoneRules::discover(
        name,
        start,
        now + AFTER_SECS,
        SAMPLE_SECS,
        |at| offset_at(&dtf, at),
    )?);
    RULES.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MAX_ZONES {
            m.clear();
        }
        m.insert(name.to_owned(), Arc::clone(&built));
    });
    Some(built)
}

/// A restaurant's zone from its stored columns (the offset read by storage): its IANA zone
/// when it has one, else its fixed offset. A stored zone the runtime cannot resolve (it
/// was checked when stored) falls back to the offset, logged.
pub fn local_zone(timezone: Option<&str>, offset: UtcOffset) -> LocalZone {
    match timezone.map(str::trim).filter(|t| !t.is_empty()) {
        Some(name) => match rules(name) {
            Some(r) => LocalZone::Iana(r),
            None => {
                worker::console_error!("time zone {name:?} did not resolve; using {offset}");
                LocalZone::Fixed(offset)
            }
        },
        None => LocalZone::Fixed(offset),
    }
}

/// A zone stored with an order (`orderconnect::translate::order_zone`): an offset such as
/// `+01:00`, or an IANA name. Anything else is UTC, as Just Eat allows when local time is
/// not known (FACTS §2).
pub fn stored(spec: &str) -> LocalZone {
    if let Ok(offset) = UtcOffset::parse(spec, "zone") {
        return LocalZone::Fixed(offset);
    }
    match rules(spec) {
        Some(r) => LocalZone::Iana(r),
        None => LocalZone::Fixed(UtcOffset::UTC),
    }
}
