//! How the simulated Just Eat answers a call to an endpoint it serves, and what it keeps.
//!
//! State is rows of `(kind, key) → JSON`; the edge loads the kinds [`kinds`] names, this
//! module answers and returns the writes. Answers follow the spec: `202 {"success": true}`
//! for the catalog calls, `204` for the outcomes, `200` for the delivery states, and each
//! API family's own error shape on a bad body (every problem at once), `404` for an unknown
//! id where the spec declares one, `409` for a second amendment or a restaurant already in
//! another pool, and `429` (or any 4xx/5xx) on demand: `?fail=429` on the call, or the
//! control row [`CONTROL`] that `PUT /sim/jet/control/fail` sets.

use chrono::DateTime;
use serde_json::{json, Map, Value};

use super::Serve;

/// State kinds.
pub const MENUS: &str = "menus";
pub const AVAILABILITY: &str = "availability";
pub const RESTAURANT: &str = "restaurant";
pub const OUTCOME: &str = "outcome";
pub const ORDER: &str = "order";
pub const AMENDMENT: &str = "amendment";
pub const DELIVERY: &str = "delivery";
pub const POOL: &str = "pool";
pub const DRIVER_ETA: &str = "driver_eta";
pub const CONTROL: &str = "control";

/// One stored row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub kind: String,
    pub key: String,
    pub value: Value,
}

/// A change to the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    Put {
        kind: &'static str,
        key: String,
        value: Value,
    },
    Delete {
        kind: &'static str,
        key: String,
    },
}

/// A response body.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Json(Value),
    Text(String),
    Empty,
}

/// The answer and the writes that go with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: u16,
    pub body: Body,
    pub writes: Vec<Write>,
}

impl Outcome {
    fn json(status: u16, body: Value) -> Outcome {
        Outcome {
            status,
            body: Body::Json(body),
            writes: Vec::new(),
        }
    }
    fn empty(status: u16) -> Outcome {
        Outcome {
            status,
            body: Body::Empty,
            writes: Vec::new(),
        }
    }
    fn with(mut self, writes: Vec<Write>) -> Outcome {
        self.writes.extend(writes);
        self
    }
}

/// One call, as the edge received it.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    pub serve: Serve,
    /// The path below `/sim/jet`, e.g. `/delivery/pools`.
    pub path: &'a str,
    pub params: &'a [(&'static str, String)],
    pub query: &'a [(String, String)],
    pub body: &'a [u8],
    /// `X-Flyt-Api-Key` was sent (JET Connect).
    pub flyt_key: bool,
    /// `Authorization` was sent (the Partner API).
    pub authorization: bool,
    /// `now`, RFC 3339 UTC.
    pub now: &'a str,
    /// A fresh id, for a new pool or a trace id.
    pub fresh_id: &'a str,
}

/// The API families, which differ in auth and error shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    /// Menus, availability, restaurants: `{"success": false, "error_message"}`.
    Catalog,
    /// Outcomes, order reports, amendments: `{"message"}`.
    Message,
    /// Delivery states, driver ETA, pools: `{field: [messages]}`.
    Partner,
    /// Consumer searches and fees: `{traceId, faultId, errors: [{description, errorCode}]}`.
    Consumer,
}

fn family(serve: Serve) -> Family {
    use Serve::*;
    match serve {
        Menus
        | ItemAvailability
        | RestaurantOffline
        | RestaurantOnline
        | RestaurantServiceTimes => Family::Catalog,
        SentToPos { .. } | BrandOrders | BrandOrder | LocationOrders | AmendGet | AmendPost => {
            Family::Message
        }
        DeliveryFees
        | DiscoveryByLatLong
        | DiscoveryByPostcode
        | RestaurantsByLatLong
        | RestaurantsByPostcode => Family::Consumer,
        _ => Family::Partner,
    }
}

/// The state kinds an endpoint reads (besides [`CONTROL`], always read).
pub fn kinds(serve: Serve) -> &'static [&'static str] {
    use Serve::*;
    match serve {
        Menus | ItemAvailability => &[],
        RestaurantOffline | RestaurantOnline | RestaurantServiceTimes => &[RESTAURANT],
        SentToPos { .. } => &[OUTCOME],
        BrandOrders | BrandOrder | LocationOrders => &[ORDER, OUTCOME],
        AmendGet | AmendPost => &[ORDER, OUTCOME, AMENDMENT],
        DeliveryState(_) | BulkDriverLocation => &[DELIVERY],
        DriverEta => &[],
        DeliveryFees
        | DiscoveryByLatLong
        | DiscoveryByPostcode
        | RestaurantsByLatLong
        | RestaurantsByPostcode => &[],
        _ => &[POOL],
    }
}

/// A fault body (`4XxErrorSchemaYaml`), as every `429` of the spec.
fn fault(trace: &str, description: &str) -> Value {
    json!({"fault": {"traceId": trace, "faultId": trace,
                     "errors": [{"description": description}]}})
}

/// A refusal in the family's shape, naming every problem.
fn refuse(fam: Family, status: u16, trace: &str, problems: &[(String, String)]) -> Outcome {
    let joined = problems
        .iter()
        .map(|(f, m)| {
            if f.is_empty() {
                m.clone()
            } else {
                format!("{f}: {m}")
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    let body = match fam {
        Family::Catalog => json!({"success": false, "error_message": joined}),
        Family::Message => json!({"message": joined}),
        Family::Partner => {
            let mut map = Map::new();
            for (field, message) in problems {
                let entry = map
                    .entry(field.clone())
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(list) = entry {
                    list.push(Value::String(message.clone()));
                }
            }
            Value::Object(map)
        }
        Family::Consumer => json!({"traceId": trace, "faultId": trace, "errors": problems
            .iter()
            .map(|(f, m)| json!({"description": if f.is_empty() { m.clone() } else { format!("{f}: {m}") },
                                 "errorCode": "BadRequest"}))
            .collect::<Vec<_>>()}),
    };
    Outcome::json(status, body)
}

fn param<'a>(call: &'a Call<'_>, name: &str) -> &'a str {
    call.params
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

fn query<'a>(call: &'a Call<'_>, name: &str) -> Option<&'a str> {
    call.query
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn get<'a>(state: &'a [Row], kind: &str, key: &str) -> Option<&'a Value> {
    state
        .iter()
        .find(|r| r.kind == kind && r.key == key)
        .map(|r| &r.value)
}

fn all<'a>(state: &'a [Row], kind: &'a str) -> impl Iterator<Item = &'a Row> + 'a {
    state.iter().filter(move |r| r.kind == kind)
}

fn put(kind: &'static str, key: impl Into<String>, value: Value) -> Write {
    Write::Put {
        kind,
        key: key.into(),
        value,
    }
}

/// A field in PascalCase or camelCase (the spec varies).
fn field<'a>(body: &'a Value, name: &str) -> Option<&'a Value> {
    body.get(name).or_else(|| {
        let mut chars = name.chars();
        let other: String = match chars.next() {
            Some(c) if c.is_uppercase() => c.to_lowercase().chain(chars).collect(),
            Some(c) => c.to_uppercase().chain(chars).collect(),
            None => return None,
        };
        body.get(other)
    })
}

fn text<'a>(body: &'a Value, name: &str) -> Option<&'a str> {
    field(body, name).and_then(Value::as_str)
}

/// The status `?fail=` asks for, or the one the fail control still holds.
fn forced(call: &Call<'_>, state: &[Row]) -> Option<(u16, Vec<Write>)> {
    if let Some(code) = query(call, "fail").and_then(|f| f.parse::<u16>().ok()) {
        if (400..=599).contains(&code) {
            return Some((code, Vec::new()));
        }
    }
    let control = get(state, CONTROL, "fail")?;
    let prefix = control
        .get("path")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !call.path.starts_with(prefix) {
        return None;
    }
    let remaining = control.get("count").and_then(Value::as_u64).unwrap_or(0);
    let status = control.get("status").and_then(Value::as_u64).unwrap_or(429);
    let status = u16::try_from(status)
        .ok()
        .filter(|s| (400..=599).contains(s))?;
    (remaining > 0).then(|| {
        let write = if remaining > 1 {
            put(
                CONTROL,
                "fail",
                json!({"status": status, "count": remaining - 1, "path": prefix}),
            )
        } else {
            Write::Delete {
                kind: CONTROL,
                key: "fail".to_owned(),
            }
        };
        (status, vec![write])
    })
}

/// `PUT /sim/jet/control/fail` `{"status": 429, "count": 1, "path": "/orders"}`: the next
/// `count` calls below `/sim/jet` whose path starts with `path` (all when absent) answer
/// `status`. The write, or what is wrong.
pub fn fail_control(body: &Value) -> Result<Write, Vec<String>> {
    let mut problems = Vec::new();
    let path = match body.get("path") {
        None | Some(Value::Null) => "",
        Some(Value::String(p)) => p.as_str(),
        Some(_) => {
            problems.push("path must be a string (a path below /sim/jet)".to_owned());
            ""
        }
    };
    let status = body.get("status").map_or(Some(429), Value::as_u64);
    let count = body.get("count").map_or(Some(1), Value::as_u64);
    if !status.is_some_and(|s| (400..=599).contains(&s)) {
        problems.push("status must be a whole number from 400 to 599".to_owned());
    }
    if count.is_none_or(|c| c > 1000) {
        problems.push("count must be a whole number from 0 to 1000".to_owned());
    }
    match (status, count, problems.is_empty()) {
        (Some(status), Some(count), true) => Ok(put(
            CONTROL,
            "fail",
            json!({"status": status, "count": count, "path": path}),
        )),
        _ => Err(problems),
    }
}

/// Answers one call to an endpoint Just Eat serves, given the state [`kinds`] names.
pub fn answer(call: &Call<'_>, state: &[Row]) -> Outcome {
    let fam = family(call.serve);
    if let Some((status, writes)) = forced(call, state) {
        let description = if status == 429 {
            "Couldn't complete request"
        } else {
            "failure requested from the simulator"
        };
        return Outcome::json(status, fault(call.fresh_id, description)).with(writes);
    }
    match fam {
        Family::Catalog | Family::Message if !call.flyt_key => {
            return Outcome::json(401, json!({"message": "No API key found in request"}));
        }
        Family::Partner if !call.authorization => {
            return Outcome::json(
                401,
                fault(
                    call.fresh_id,
                    "You are unauthorized to perform this request.",
                ),
            );
        }
        _ => {}
    }
    let trimmed = call.body.iter().all(u8::is_ascii_whitespace);
    let body = if trimmed {
        Value::Null
    } else {
        match serde_json::from_slice::<Value>(call.body) {
            Ok(v) => v,
            Err(err) => {
                return refuse(
                    fam,
                    400,
                    call.fresh_id,
                    &[(String::new(), format!("the body is not JSON: {err}"))],
                )
            }
        }
    };
    let mut problems: Vec<(String, String)> = Vec::new();
    let outcome = serve(call, &body, state, &mut problems);
    if problems.is_empty() {
        outcome
    } else {
        refuse(fam, 400, call.fresh_id, &problems)
    }
}

fn problem(problems: &mut Vec<(String, String)>, field: &str, message: impl Into<String>) {
    problems.push((field.to_owned(), message.into()));
}

fn require_object(body: &Value, problems: &mut Vec<(String, String)>) {
    if !body.is_object() {
        problem(problems, "", "the body must be a JSON object");
    }
}

fn strings(body: &Value, name: &str, problems: &mut Vec<(String, String)>) -> Vec<String> {
    match field(body, name) {
        Some(Value::Array(items)) if !items.is_empty() => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) if !s.is_empty() => out.push(s.clone()),
                    Value::Number(n) => out.push(n.to_string()),
                    _ => problem(
                        problems,
                        &format!("{name}[{i}]"),
                        "must be a non-empty string",
                    ),
                }
            }
            out
        }
        Some(_) => {
            problem(problems, name, "must be a non-empty array");
            Vec::new()
        }
        None => {
            problem(problems, name, "is required");
            Vec::new()
        }
    }
}

fn date_time(body: &Value, name: &str, problems: &mut Vec<(String, String)>) -> Option<i64> {
    let raw = field(body, name)?;
    match raw.as_str().map(DateTime::parse_from_rfc3339) {
        Some(Ok(t)) => Some(t.timestamp_millis()),
        _ => {
            problem(
                problems,
                name,
                format!("must be an RFC 3339 date-time, got {raw}"),
            );
            None
        }
    }
}

fn serve(
    call: &Call<'_>,
    body: &Value,
    state: &[Row],
    problems: &mut Vec<(String, String)>,
) -> Outcome {
    use Serve::*;
    let accepted = || Outcome::json(202, json!({"success": true}));
    match call.serve {
        Menus => {
            require_object(body, problems);
            let restaurants = strings(body, "restaurants", problems);
            match body.get("menus") {
                Some(Value::Array(menus)) if !menus.is_empty() => {
                    for (i, menu) in menus.iter().enumerate() {
                        if menu.get("name").and_then(Value::as_str).is_none() {
                            problem(problems, &format!("menus[{i}].name"), "is required");
                        }
                    }
                }
                _ => problem(problems, "menus", "must be a non-empty array of menus"),
            }
            let writes = restaurants
                .iter()
                .map(|r| {
                    put(
                        MENUS,
                        r.clone(),
                        json!({"menus": body.get("menus"),
                    "callback_url": body.get("callback_url"), "received_at": call.now}),
                    )
                })
                .collect();
            accepted().with(writes)
        }
        ItemAvailability => {
            require_object(body, problems);
            let event = text(body, "event");
            if !matches!(event, Some("AVAILABLE" | "UNAVAILABLE")) {
                problem(problems, "event", "must be AVAILABLE or UNAVAILABLE");
            }
            let items = strings(body, "itemReferences", problems);
            let restaurant = text(body, "restaurant").unwrap_or_default();
            if restaurant.is_empty() {
                problem(problems, "restaurant", "is required");
            }
            if field(body, "nextAvailableAt").is_some() && event != Some("UNAVAILABLE") {
                problem(
                    problems,
                    "nextAvailableAt",
                    "is only allowed with UNAVAILABLE",
                );
            }
            let when = text(body, "happenedAt").unwrap_or(call.now);
            let writes = items
                .iter()
                .map(|item| {
                    put(
                        AVAILABILITY,
                        format!("{restaurant}/{item}"),
                        json!({
                            "restaurant": restaurant, "item": item, "event": event,
                            "happenedAt": when, "nextAvailableAt": field(body, "nextAvailableAt"),
                        }),
                    )
                })
                .collect();
            accepted().with(writes)
        }
        RestaurantOffline | RestaurantOnline | RestaurantServiceTimes => {
            let reference = param(call, "restaurantReference");
            let mut current = get(state, RESTAURANT, reference)
                .cloned()
                .unwrap_or_else(|| json!({"restaurant": reference, "online": true}));
            match call.serve {
                RestaurantOffline => {
                    let online_at = match body {
                        Value::Null => None,
                        Value::Object(_) => match field(body, "onlineAt") {
                            None | Some(Value::Null) => None,
                            Some(Value::String(s))
                                if chrono::NaiveDateTime::parse_from_str(
                                    s,
                                    "%Y-%m-%dT%H:%M:%S",
                                )
                                .is_ok() =>
                            {
                                Some(s.clone())
                            }
                            Some(other) => {
                                problem(problems, "onlineAt", format!(
                                    "must be a local time without offset like 2021-10-13T12:03:00, got {other}"));
                                None
                            }
                        },
                        _ => {
                            problem(problems, "", "the body must be a JSON object or empty");
                            None
                        }
                    };
                    set(&mut current, "online", json!(false));
                    set(&mut current, "onlineAt", json!(online_at));
                }
                RestaurantOnline => {
                    set(&mut current, "online", json!(true));
                    set(&mut current, "onlineAt", Value::Null);
                }
                _ => {
                    require_object(body, problems);
                    if text(body, "timezone").is_none_or(str::is_empty) {
                        problem(problems, "timezone", "is required (an IANA zone)");
                    }
                    match field(body, "serviceTimes") {
                        Some(Value::Array(list)) if !list.is_empty() => {
                            for (i, entry) in list.iter().enumerate() {
                                if !matches!(
                                    text(entry, "serviceType"),
                                    Some("Delivery" | "Collection")
                                ) {
                                    problem(
                                        problems,
                                        &format!("serviceTimes[{i}].serviceType"),
                                        "must be Delivery or Collection",
                                    );
                                }
                                if !field(entry, "openingTimes").is_some_and(Value::is_object) {
                                    problem(
                                        problems,
                                        &format!("serviceTimes[{i}].openingTimes"),
                                        "must be an object of weekdays",
                                    );
                                }
                            }
                        }
                        _ => problem(problems, "serviceTimes", "must be a non-empty array"),
                    }
                    set(&mut current, "timezone", json!(text(body, "timezone")));
                    set(
                        &mut current,
                        "serviceTimes",
                        field(body, "serviceTimes").cloned().unwrap_or_default(),
                    );
                }
            }
            set(&mut current, "changed_at", json!(call.now));
            accepted().with(vec![put(RESTAURANT, reference, current)])
        }
        SentToPos { success } => {
            let id = param(call, "id");
            require_object(body, problems);
            if text(body, "happenedAt").is_none() {
                problem(problems, "happenedAt", "is required");
            }
            if !success {
                const CODES: &[&str] = &[
                    "UNKNOWN",
                    "INACTIVE",
                    "INCORRECT_SETUP",
                    "IN_USE",
                    "TIMEOUT",
                    "NOT_SUPPORTED",
                    "MENU_ERROR",
                    "MALFORMED_REQUEST",
                    "AUTH_FAILED",
                    "STORE_CLOSED",
                    "TENDER_ERROR",
                ];
                if !text(body, "errorCode").is_some_and(|c| CODES.contains(&c)) {
                    problem(
                        problems,
                        "errorCode",
                        format!("must be one of {}", CODES.join(", ")),
                    );
                }
                if text(body, "errorMessage").is_none_or(str::is_empty) {
                    problem(problems, "errorMessage", "is required");
                }
            }
            if problems.is_empty() && get(state, OUTCOME, id).is_some() {
                problem(problems, "", format!("order {id} is not pending"));
            }
            let outcome = if success { "success" } else { "failure" };
            Outcome::empty(204).with(vec![put(
                OUTCOME,
                id,
                json!({
                "order": id, "sendToPosStatus": outcome, "body": body, "received_at": call.now}),
            )])
        }
        BrandOrders | LocationOrders => {
            let location = (call.serve == LocationOrders).then(|| param(call, "locationID"));
            let brand = (call.serve == BrandOrders).then(|| param(call, "brand_slug"));
            let status = query(call, "status").unwrap_or("all");
            if !matches!(status, "all" | "success" | "failure" | "pending") {
                problem(
                    problems,
                    "status",
                    "must be all, success, failure or pending",
                );
            }
            let wanted: Vec<&str> = query(call, "locations")
                .map(|l| l.split(',').filter(|s| !s.is_empty()).collect())
                .unwrap_or_default();
            let page = query(call, "page")
                .and_then(|p| p.parse::<usize>().ok())
                .unwrap_or(1)
                .max(1);
            let size = query(call, "size")
                .and_then(|s| s.parse::<usize>().ok())
                .unwrap_or(50)
                .clamp(1, 4000);
            let orders: Vec<Value> = all(state, ORDER)
                .filter(|row| {
                    let theirs = at(&row.value, &["brand"]).as_str();
                    brand.is_none_or(|b| theirs.is_none_or(|t| t == b))
                })
                .map(|row| report(row, state))
                .filter(|o| {
                    let loc = at(o, &["location", "id"]).as_str().unwrap_or_default();
                    (status == "all" || at(o, &["status"]) == status)
                        && location.is_none_or(|l| l == loc)
                        && (wanted.is_empty() || wanted.contains(&loc))
                })
                .skip((page - 1) * size)
                .take(size)
                .collect();
            // A bare array, as the spec's examples.
            Outcome::json(200, Value::Array(orders))
        }
        BrandOrder => {
            let id = param(call, "orderID");
            let found = all(state, ORDER).find(|row| {
                row.key == id || at(&row.value, &["sent", "third_party_order_reference"]) == id
            });
            match found {
                Some(row) => Outcome::json(
                    200,
                    json!({"orderDetails": report(row, state), "pos": "orderbridge",
                           "payload": at(&row.value, &["sent"]).to_string()}),
                ),
                None => Outcome::json(404, json!({"message": "Not Found"})),
            }
        }
        AmendGet | AmendPost => {
            let (brand, id) = (param(call, "brandSlug"), param(call, "orderId"));
            let key = format!("{brand}/{id}");
            let known = get(state, ORDER, id).is_some() || get(state, OUTCOME, id).is_some();
            if !known {
                return Outcome::json(404, json!({"message": format!("order {id} not found")}));
            }
            let existing = get(state, AMENDMENT, &key);
            if call.serve == AmendGet {
                return Outcome::json(
                    200,
                    json!({"orderId": id, "amended": existing.is_some(),
                    "items": existing.and_then(|a| a.get("items")).cloned().unwrap_or(json!([]))}),
                );
            }
            require_object(body, problems);
            match body.get("items") {
                Some(Value::Array(items)) if !items.is_empty() => {
                    for (i, item) in items.iter().enumerate() {
                        if text(item, "plu").is_none_or(str::is_empty) {
                            problem(problems, &format!("items[{i}].plu"), "is required");
                        }
                        if text(item, "reason").is_none_or(str::is_empty) {
                            problem(
                                problems,
                                &format!("items[{i}].reason"),
                                "is required (e.g. missing)",
                            );
                        }
                        if field(item, "missingQuantity")
                            .and_then(Value::as_u64)
                            .is_none_or(|q| q == 0)
                        {
                            problem(
                                problems,
                                &format!("items[{i}].missingQuantity"),
                                "must be a whole number above 0",
                            );
                        }
                    }
                }
                _ => problem(problems, "items", "must be a non-empty array"),
            }
            if problems.is_empty() && existing.is_some() {
                return Outcome::json(
                    409,
                    json!({"message": format!("order {id} has already been amended")}),
                );
            }
            Outcome::json(202, json!({"success": true})).with(vec![put(AMENDMENT, key, json!({
                "brand": brand, "orderId": id, "items": body.get("items"), "received_at": call.now}))])
        }
        DeliveryState(name) => {
            let id = param(call, "orderId");
            if !body.is_object() {
                problem(problems, "", "the body must be a JSON object");
            }
            location_check(body, "Location", problems);
            match name {
                "driverassigned"
                    if field(body, "DriverName").is_none()
                        && field(body, "VehicleDetails").is_none() =>
                {
                    problem(
                        problems,
                        "",
                        "No driver details given in driver assigned message",
                    );
                }
                "driverlocation" if field(body, "Location").is_none_or(Value::is_null) => {
                    problem(problems, "location", "location must not be null");
                }
                "atrestauranteta" => {
                    let best = date_time(body, "bestGuess", problems);
                    let at = date_time(body, "estimatedAt", problems);
                    if let (Some(best), Some(at)) = (best, at) {
                        if best <= at {
                            problem(
                                problems,
                                "bestGuess",
                                "bestGuess must be later than estimatedAt",
                            );
                        }
                    }
                }
                _ => {}
            }
            Outcome::empty(200).with(vec![delivery_write(state, id, name, body, call.now)])
        }
        BulkDriverLocation => {
            let Value::Array(items) = body else {
                problem(
                    problems,
                    "",
                    "the body must be a JSON array of driver locations",
                );
                return Outcome::empty(200);
            };
            let mut writes = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let before = problems.len();
                location_check(item, "Location", problems);
                let Some(id) = text(item, "OrderId").filter(|s| !s.is_empty()) else {
                    problem(
                        problems,
                        &format!("[{i}].OrderId"),
                        "is required to route the location",
                    );
                    continue;
                };
                if problems.len() == before {
                    writes.push(delivery_write(state, id, "driverlocation", item, call.now));
                }
            }
            Outcome::empty(200).with(writes)
        }
        DriverEta => {
            let entries: Vec<&Value> = match body {
                Value::Array(items) => items.iter().collect(),
                Value::Object(_) => vec![body],
                _ => {
                    problem(problems, "", "the body must be a JSON object or array");
                    Vec::new()
                }
            };
            let writes = entries
                .into_iter()
                .map(|e| {
                    let key = ["restaurantId", "RestaurantId", "restaurantReference"]
                        .iter()
                        .find_map(|k| e.get(*k))
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                        .unwrap_or_else(|| "default".to_owned());
                    put(DRIVER_ETA, key, json!({"eta": e, "received_at": call.now}))
                })
                .collect();
            Outcome::empty(200).with(writes)
        }
        DeliveryFees => {
            let ids: Vec<&str> = query(call, "restaurantIds")
                .map(|l| l.split(',').filter(|s| !s.is_empty()).collect())
                .unwrap_or_default();
            if ids.is_empty() {
                problem(
                    problems,
                    "restaurantIds",
                    "is required, e.g. ?restaurantIds=1,2",
                );
            }
            if query(call, "deliveryTime").is_none_or(|t| DateTime::parse_from_rfc3339(t).is_err())
            {
                problem(
                    problems,
                    "deliveryTime",
                    "is required, an ISO 8601 date-time",
                );
            }
            let restaurants: Vec<Value> = CONSUMER_RESTAURANTS
                .iter()
                .filter(|r| ids.contains(&r.id))
                .map(|r| {
                    json!({"restaurantId": r.id, "minimumOrderValue": r.minimum_order,
                    "bands": [{"minimumAmount": r.minimum_order, "fee": r.fee},
                              {"minimumAmount": 2000, "fee": 0}]})
                })
                .collect();
            Outcome::json(200, json!({"restaurants": restaurants}))
        }
        DiscoveryByLatLong | RestaurantsByLatLong => {
            let coordinate = |name: &str, problems: &mut Vec<(String, String)>| {
                let parsed = query(call, name).and_then(|v| v.parse::<f64>().ok());
                if parsed.is_none() {
                    problem(problems, name, "is required, a number");
                }
                parsed
            };
            let (lat, lon) = (
                coordinate("latitude", problems),
                coordinate("longitude", problems),
            );
            let near: Vec<&ConsumerRestaurant> = CONSUMER_RESTAURANTS
                .iter()
                .filter(|r| match (lat, lon) {
                    (Some(lat), Some(lon)) => {
                        (r.lat - lat).abs() < 0.1 && (r.lon - lon).abs() < 0.1
                    }
                    _ => false,
                })
                .collect();
            Outcome::json(200, consumer_list(call.serve, &near))
        }
        DiscoveryByPostcode | RestaurantsByPostcode => {
            let wanted = squash(param(call, "postcode"));
            let near: Vec<&ConsumerRestaurant> = CONSUMER_RESTAURANTS
                .iter()
                .filter(|r| {
                    let outward = squash(r.postcode.split(' ').next().unwrap_or_default());
                    !wanted.is_empty() && wanted.starts_with(&outward)
                })
                .collect();
            Outcome::json(200, consumer_list(call.serve, &near))
        }
        _ => pools(call, body, state, problems),
    }
}

/// `value` at `path` of object keys, `null` when any step is missing.
fn at<'a>(value: &'a Value, path: &[&str]) -> &'a Value {
    path.iter()
        .try_fold(value, |v, key| v.get(*key))
        .unwrap_or(&Value::Null)
}

/// Sets `key` on an object (anything else is left as it is).
fn set(target: &mut Value, key: &str, value: Value) {
    if let Some(fields) = target.as_object_mut() {
        fields.insert(key.to_owned(), value);
    }
}

fn squash(postcode: &str) -> String {
    postcode
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

fn location_check(body: &Value, name: &str, problems: &mut Vec<(String, String)>) {
    let Some(location) = field(body, name).filter(|l| !l.is_null()) else {
        return;
    };
    for coordinate in ["Latitude", "Longitude"] {
        if !field(location, coordinate).is_some_and(Value::is_number) {
            problem(
                problems,
                &format!("location.{}", coordinate.to_lowercase()),
                format!("{coordinate} must be a number"),
            );
        }
    }
}

/// An order's delivery record with one more event.
fn delivery_write(state: &[Row], id: &str, name: &str, body: &Value, now: &str) -> Write {
    let mut record = get(state, DELIVERY, id)
        .cloned()
        .unwrap_or_else(|| json!({"orderId": id, "events": []}));
    if name != "driverlocation" {
        set(&mut record, "state", json!(name));
    }
    if let Some(location) = field(body, "Location").filter(|l| !l.is_null()) {
        set(&mut record, "location", location.clone());
    }
    if let Some(Value::Array(events)) = record.get_mut("events") {
        events.push(json!({"state": name, "body": body, "received_at": now}));
    }
    put(DELIVERY, id, record)
}

/// The row that keeps an order the simulator sent (`initial/{receiveOrder}`), with the hub's
/// answer; `None` when the body names no `id`.
pub fn sent_order(body: &Value, status: u16, answer: &Value, now: &str) -> Option<Write> {
    let id = body
        .get("id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())?;
    Some(put(
        ORDER,
        id,
        json!({"sent": body, "sent_at": now,
        "answer": {"status": status, "body": answer}}),
    ))
}

/// An order the simulator sent, as JET Connect's order report shows it.
fn report(row: &Row, state: &[Row]) -> Value {
    let order = &row.value;
    // The outcome the hub posted; else what its answer to the order said: 200 is a success
    // at once, 202 waits for the outcome, anything else failed to inject.
    let answered = order
        .get("answer")
        .and_then(|a| a.get("status"))
        .and_then(Value::as_u64);
    let status = get(state, OUTCOME, &row.key)
        .and_then(|o| o.get("sendToPosStatus"))
        .and_then(Value::as_str)
        .unwrap_or(match answered {
            Some(200) => "success",
            None | Some(202) => "pending",
            Some(_) => "failure",
        });
    let sent = at(order, &["sent"]);
    // As the spec's examples: a success has an empty `sendToPosStatus`.
    let send_to_pos = if status == "success" { "" } else { status };
    json!({
        "orderID": row.key,
        "thirdPartyOrderReference": sent.get("third_party_order_reference"),
        "placedAt": order.get("sent_at"),
        "location": {
            "id": sent.get("posLocationId"),
            "reference": sent.get("posLocationId"),
            "name": at(sent, &["location", "name"]),
        },
        "status": status,
        "sendToPosStatus": send_to_pos,
    })
}

/// The consumer endpoints' fixed dataset: three restaurants in central London.
pub struct ConsumerRestaurant {
    pub id: &'static str,
    pub name: &'static str,
    pub postcode: &'static str,
    pub lat: f64,
    pub lon: f64,
    pub cuisines: &'static [&'static str],
    pub minimum_order: i64,
    pub fee: i64,
}

pub const CONSUMER_RESTAURANTS: &[ConsumerRestaurant] = &[
    ConsumerRestaurant {
        id: "100001",
        name: "Sim Sushi Farringdon",
        postcode: "EC4M 7RF",
        lat: 51.51641,
        lon: -0.10353,
        cuisines: &["Sushi", "Japanese"],
        minimum_order: 1000,
        fee: 250,
    },
    ConsumerRestaurant {
        id: "100002",
        name: "Sim Pizza Holborn",
        postcode: "EC1N 2HT",
        lat: 51.51870,
        lon: -0.10860,
        cuisines: &["Pizza", "Italian"],
        minimum_order: 1500,
        fee: 199,
    },
    ConsumerRestaurant {
        id: "100003",
        name: "Sim Burgers Bristol",
        postcode: "BS1 4DJ",
        lat: 51.45451,
        lon: -2.58791,
        cuisines: &["Burgers"],
        minimum_order: 0,
        fee: 100,
    },
];

fn consumer_list(serve: Serve, found: &[&ConsumerRestaurant]) -> Value {
    let enriched = matches!(
        serve,
        Serve::DiscoveryByLatLong | Serve::DiscoveryByPostcode
    );
    let list: Vec<Value> = found
        .iter()
        .map(|r| {
            if enriched {
                json!({"id": r.id, "name": r.name, "uniqueName": r.name.to_lowercase().replace(' ', "-"),
                    "address": {"postalCode": r.postcode, "location": {"type": "Point", "coordinates": [r.lon, r.lat]}},
                    "cuisines": r.cuisines.iter().map(|c| json!({"name": c, "uniqueName": c.to_lowercase()})).collect::<Vec<_>>(),
                    "isOpenNowForDelivery": true, "isOpenNowForCollection": true,
                    "deliveryCost": r.fee, "minimumDeliveryValue": r.minimum_order})
            } else {
                json!({"Id": r.id, "Name": r.name, "Postcode": r.postcode, "Latitude": r.lat,
                    "Longitude": r.lon, "IsOpenNow": true,
                    "CuisineTypes": r.cuisines.iter().map(|c| json!({"Name": c})).collect::<Vec<_>>(),
                    "DeliveryCost": r.fee, "MinimumDeliveryValue": r.minimum_order})
            }
        })
        .collect();
    if enriched {
        json!({"restaurants": list, "metaData": {"resultCount": list.len()}})
    } else {
        json!({"Restaurants": list, "ShortResultText": format!("{} restaurants", list.len())})
    }
}

/// The pool endpoints.
fn pools(
    call: &Call<'_>,
    body: &Value,
    state: &[Row],
    problems: &mut Vec<(String, String)>,
) -> Outcome {
    use Serve::*;
    if call.serve == Pools {
        let map: Map<String, Value> = all(state, POOL)
            .map(|r| {
                (
                    r.key.clone(),
                    json!({"name": at(&r.value, &["name"]), "restaurants": at(&r.value, &["restaurants"])}),
                )
            })
            .collect();
        return Outcome::json(200, Value::Object(map));
    }
    let (id, existing) = if call.serve == PoolCreate {
        (call.fresh_id, None)
    } else {
        let id = param(call, "deliveryPoolId");
        match get(state, POOL, id) {
            Some(pool) => (id, Some(pool)),
            None => return Outcome::empty(404),
        }
    };
    let mut pool = existing
        .cloned()
        .unwrap_or_else(|| json!({"name": "", "restaurants": [], "events": []}));
    let restaurants_of = |body: &Value, problems: &mut Vec<(String, String)>| -> Vec<Value> {
        match field(body, "restaurants") {
            Some(Value::Array(list)) => {
                for (i, r) in list.iter().enumerate() {
                    if !(r.is_u64() || r.as_str().is_some_and(|s| !s.is_empty())) {
                        problem(
                            problems,
                            &format!("restaurants[{i}]"),
                            "must be a restaurant id",
                        );
                    }
                }
                list.clone()
            }
            Some(_) => {
                problem(
                    problems,
                    "restaurants",
                    "must be an array of restaurant ids",
                );
                Vec::new()
            }
            None => Vec::new(),
        }
    };
    let name_of = |body: &Value, required: bool, problems: &mut Vec<(String, String)>| match field(
        body, "name",
    ) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        None if !required => None,
        _ => {
            problem(problems, "name", "'Name' should not be empty");
            None
        }
    };
    let save = |pool: Value| vec![put(POOL, id, pool)];
    match call.serve {
        Pool => Outcome::json(
            200,
            json!({"name": at(&pool, &["name"]), "restaurants": at(&pool, &["restaurants"])}),
        ),
        PoolDelete => Outcome::empty(200).with(vec![Write::Delete {
            kind: POOL,
            key: id.to_owned(),
        }]),
        PoolCreate | PoolReplace | PoolModify => {
            require_object(body, problems);
            let replace = call.serve != PoolModify;
            let name = name_of(body, replace, problems);
            let restaurants = restaurants_of(body, problems);
            if let Some(name) = name {
                set(&mut pool, "name", json!(name));
            }
            if replace || field(body, "restaurants").is_some() {
                set(&mut pool, "restaurants", json!(restaurants));
            }
            if problems.is_empty() {
                if let Some(conflict) = taken(state, id, &restaurants) {
                    return conflict;
                }
            }
            let shown =
                json!({"name": at(&pool, &["name"]), "restaurants": at(&pool, &["restaurants"])});
            let answer = if call.serve == PoolCreate {
                Outcome::json(
                    201,
                    json!({"id": id, "name": at(&pool, &["name"]), "restaurants": at(&pool, &["restaurants"])}),
                )
            } else {
                Outcome::json(202, shown)
            };
            answer.with(save(pool))
        }
        PoolRestaurantsAdd | PoolRestaurantsRemove => {
            require_object(body, problems);
            let list = restaurants_of(body, problems);
            if field(body, "restaurants").is_none() {
                problem(problems, "restaurants", "is required");
            }
            let mut current: Vec<Value> = at(&pool, &["restaurants"])
                .as_array()
                .cloned()
                .unwrap_or_default();
            if call.serve == PoolRestaurantsAdd {
                if problems.is_empty() {
                    if let Some(conflict) = taken(state, id, &list) {
                        return conflict;
                    }
                }
                for r in list {
                    if !current.contains(&r) {
                        current.push(r);
                    }
                }
            } else {
                current.retain(|r| !list.contains(r));
            }
            set(&mut pool, "restaurants", json!(current));
            Outcome::json(200, json!({"restaurants": at(&pool, &["restaurants"])})).with(save(pool))
        }
        PoolAvailabilityGet => Outcome::json(
            200,
            pool.get("availability")
                .cloned()
                .unwrap_or_else(|| json!({"bestGuess": "00:00:00"})),
        ),
        PoolAvailabilitySet => {
            let best = text(body, "bestGuess");
            if !best.is_some_and(is_timespan) {
                problem(
                    problems,
                    "bestGuess",
                    "must be a duration hh:mm:ss, e.g. 00:35:00",
                );
            }
            set(&mut pool, "availability", json!({"bestGuess": best}));
            Outcome::empty(202).with(save(pool))
        }
        PoolRisk => {
            let risk = field(body, "riskLevel");
            if risk.is_none_or(Value::is_null) {
                problem(problems, "riskLevel", "'RiskLevel' should not be empty");
            } else if risk.and_then(Value::as_u64).is_none_or(|r| r > 9) {
                problem(problems, "riskLevel", "must be a whole number from 0 to 9");
            }
            set(
                &mut pool,
                "risk",
                json!({"riskLevel": field(body, "riskLevel"), "changed_at": call.now}),
            );
            Outcome::empty(202).with(save(pool))
        }
        PoolHours => {
            require_object(body, problems);
            set(&mut pool, "hours", body.clone());
            Outcome::empty(200).with(save(pool))
        }
        PoolOfflineAdd => {
            if !(body.is_object() || body.is_null()) {
                problem(problems, "", "the body must be a JSON object");
            }
            if let Some(Value::Array(events)) = pool.get_mut("events") {
                events
                    .push(json!({"createdUtc": call.now, "eventType": "Offline", "request": body}));
            }
            set(&mut pool, "status", json!("Offline"));
            Outcome::empty(202).with(save(pool))
        }
        PoolOfflineDelete => {
            if query(call, "reason") != Some("manual") {
                problem(problems, "reason", "must be manual (?reason=manual)");
            }
            if let Some(Value::Array(events)) = pool.get_mut("events") {
                events.push(json!({"createdUtc": call.now, "eventType": "Online"}));
            }
            set(&mut pool, "status", json!("Online"));
            Outcome::empty(204).with(save(pool))
        }
        PoolStatus => Outcome::json(
            200,
            json!({
                "status": pool.get("status").cloned().unwrap_or(json!("Online")),
                "events": pool.get("events").cloned().unwrap_or(json!([])),
            }),
        ),
        _ => Outcome::empty(404),
    }
}

fn is_timespan(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `409` when a restaurant already belongs to another pool, as the spec words it.
fn taken(state: &[Row], id: &str, restaurants: &[Value]) -> Option<Outcome> {
    let clashes: Vec<String> = all(state, POOL)
        .filter(|r| r.key != id)
        .flat_map(|r| {
            let theirs = at(&r.value, &["restaurants"])
                .as_array()
                .cloned()
                .unwrap_or_default();
            restaurants
                .iter()
                .filter(move |x| theirs.contains(x))
                .map(move |x| {
                    format!(
                        "{{RestaurantId:{},PoolId:{}}}",
                        x.as_str().map_or_else(|| x.to_string(), str::to_owned),
                        r.key
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    (!clashes.is_empty()).then(|| Outcome {
        status: 409,
        body: Body::Text(format!(
            "Restaurant(s) are already assigned to pools : `{}`",
            clashes.join(",")
        )),
        writes: Vec::new(),
    })
}
