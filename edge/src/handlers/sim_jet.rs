//! Just Eat, simulated (development only, `SIMULATOR=on`; off, every `/sim/jet` path is
//! 404): seed 000's 73 endpoints under `/sim/jet`, from core's table (`jet::sim`).
//!
//! * An endpoint Just Eat **serves** (`POST /sim/jet/menus`, `PUT /sim/jet/orders/{id}/
//!   deliverystate/onitsway`, `GET /sim/jet/delivery/pools`, …) is recorded in the calls,
//!   answered by core from the simulator's state, and the state written.
//! * A webhook Just Eat **sends** (`POST /sim/jet/order-accepted`, `PUT /sim/jet/
//!   driver-at-restaurant`, …) is delivered to the hub's route, in process, authenticated as
//!   Just Eat does (`X-JET-Connect-Hash` or `Authorization: JE-API-KEY`; `?auth=bad` or
//!   `?auth=none` to test a refusal); the body sent is the request's, or the spec's example
//!   when there is none. The answer is `200` with what was sent and what the hub answered.
//! * `POST /sim/jet/scenarios/{name}` plays a journey; `GET /sim/jet/state`,
//!   `GET /sim/jet/calls`, `PUT /sim/jet/control/fail`, `POST /sim/jet/callbacks/{name}`.
//! * `POST /sim/jet/orders` (issue 6): a sample order for the demo menu, signed and sent.

use std::future::Future;
use std::pin::Pin;

use orderbridge_core::jet::sim::answer::{self, Body, Call};
use orderbridge_core::jet::sim::{self, Control, Endpoint, Hook, Kind, Resolved, Signing, Target};
use orderbridge_core::outbound::signature::{jet_hash_header, JET_HASH_HEADER};
use serde_json::{json, Map, Value};
use worker::{Env, Request, Response, Url};

use crate::config::{secret, secrets};
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::storage::{self, SimSent, Storage};
use crate::{body, random, respond};

/// The hub's own dispatch, handed in by the router: the simulator delivers its webhooks in
/// process, to exactly the handler Just Eat's request would reach.
pub type Dispatch = for<'a> fn(Request, &'a Env) -> Pin<Box<dyn Future<Output = Response> + 'a>>;

/// Every `/sim/jet` path but `/sim/jet/orders` and `/sim/jet/calls`.
pub async fn handle(
    mut req: Request,
    ctx: &Ctx<'_>,
    dispatch: Dispatch,
) -> Result<Response, EdgeError> {
    if !ctx.config.simulator {
        return Err(EdgeError::NoRoute);
    }
    let path = req.path();
    let rest = path.strip_prefix(sim::PREFIX).unwrap_or_default();
    let Resolved::Found { target, params } = sim::resolve(req.method().as_ref(), rest) else {
        return Err(EdgeError::NoRoute);
    };
    match target {
        Target::Endpoint(endpoint) => match endpoint.kind {
            Kind::Serve(serve) => served(&mut req, ctx, serve, rest, &params).await,
            Kind::Webhook(hook) => {
                let bytes = body::read(&mut req, body::MENU_LIMIT).await?;
                let url = req.url()?;
                let text = if bytes.iter().all(u8::is_ascii_whitespace) {
                    hook.example.to_owned()
                } else {
                    String::from_utf8_lossy(&bytes).into_owned()
                };
                let sent = deliver(ctx, &url, endpoint, &hook, &text, None, dispatch).await?;
                Ok(respond::json(200, &sent))
            }
        },
        Target::Control(Control::Scenario) => {
            let name = params
                .iter()
                .find(|(k, _)| *k == "name")
                .map(|(_, v)| v.as_str())
                .unwrap_or_default();
            scenario(&mut req, ctx, name, dispatch).await
        }
        Target::Control(Control::State) => state(ctx).await,
        Target::Control(Control::Fail) => {
            let bytes = body::read(&mut req, body::DEFAULT_LIMIT).await?;
            let input = object(&bytes)?;
            let write = answer::fail_control(&input).map_err(|problems| {
                EdgeError::invalid("invalid_control", "body", problems.join("; "))
            })?;
            let storage = Storage::new(ctx.env)?;
            storage
                .sim_write(std::slice::from_ref(&write), &storage::millis(ctx.now))
                .await?;
            Ok(respond::json(200, &input))
        }
        Target::Control(Control::Callback) => {
            let bytes = body::read(&mut req, body::DEFAULT_LIMIT).await?;
            Storage::new(ctx.env)?
                .record_sim_call(
                    "POST",
                    &path,
                    None,
                    &String::from_utf8_lossy(&bytes),
                    &storage::millis(ctx.now),
                )
                .await?;
            Ok(respond::json(200, &json!({"received": true})))
        }
    }
}

/// A JSON object body (empty is `{}`), else `400`.
fn object(bytes: &[u8]) -> Result<Value, EdgeError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(EdgeError::invalid(
            "invalid_json",
            "body",
            "expected a JSON object",
        )),
        Err(err) => Err(EdgeError::invalid(
            "invalid_json",
            "body",
            format!("not JSON: {err}"),
        )),
    }
}

/// An endpoint Just Eat serves: recorded, answered by core, the state written.
async fn served(
    req: &mut Request,
    ctx: &Ctx<'_>,
    serve: sim::Serve,
    path: &str,
    params: &[(&'static str, String)],
) -> Result<Response, EdgeError> {
    let bytes = body::read(req, body::MENU_LIMIT).await?;
    let header = |name: &str| req.headers().get(name).ok().flatten();
    let (flyt, authorization) = (header("X-Flyt-Api-Key"), header("Authorization"));
    let url = req.url()?;
    let query: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let storage = Storage::new(ctx.env)?;
    let now = storage::millis(ctx.now);
    storage
        .record_sim_call(
            req.method().as_ref(),
            &req.path(),
            flyt.as_deref().or(authorization.as_deref()),
            &String::from_utf8_lossy(&bytes),
            &now,
        )
        .await?;
    let mut kinds = answer::kinds(serve).to_vec();
    kinds.push(answer::CONTROL);
    let state = storage.sim_state(&kinds).await?;
    let fresh = random::id("")?;
    let call = Call {
        serve,
        path,
        params,
        query: &query,
        body: &bytes,
        flyt_key: flyt.is_some(),
        authorization: authorization.is_some(),
        now: &now,
        fresh_id: &fresh,
    };
    let outcome = answer::answer(&call, &state);
    storage.sim_write(&outcome.writes, &now).await?;
    Ok(match outcome.body {
        Body::Json(value) => respond::json(outcome.status, &value),
        Body::Empty => respond::bare(outcome.status),
        Body::Text(text) => {
            let mut response = Response::builder()
                .with_status(outcome.status)
                .fixed(text.into_bytes());
            respond::set_headers(&mut response, &[("Content-Type", "text/plain")]);
            response
        }
    })
}

/// Sends one webhook to the hub as Just Eat would, records it and the hub's answer, and
/// returns both. `?auth=bad` signs with a wrong secret or key, `?auth=none` sends none; any
/// other query goes to the hub (the async webhook gets a `callback` here when it has none).
async fn deliver(
    ctx: &Ctx<'_>,
    base: &Url,
    endpoint: &Endpoint,
    hook: &Hook,
    text: &str,
    scenario: Option<&str>,
    dispatch: Dispatch,
) -> Result<Value, EdgeError> {
    let auth = base
        .query_pairs()
        .find(|(k, _)| k == "auth")
        .map(|(_, v)| v.into_owned());
    let mut query: Vec<(String, String)> = base
        .query_pairs()
        .filter(|(k, _)| k != "auth")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if endpoint.path == "/order-ready-for-preparation-async"
        && !query.iter().any(|(k, _)| k == "callback")
    {
        let mut callback = base.clone();
        callback.set_path(&format!(
            "{}/callbacks/order-ready-for-preparation-async",
            sim::PREFIX
        ));
        callback.set_query(None);
        query.push(("callback".to_owned(), callback.to_string()));
    }
    let mut url = base.clone();
    url.set_path(hook.to);
    url.set_query(None);
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query.iter());
    }
    let headers = worker::Headers::new();
    headers.set("Content-Type", "application/json")?;
    match (hook.signing, auth.as_deref()) {
        (_, Some("none")) => {}
        (Signing::JetHash, bad) => {
            let key = match bad {
                Some("bad") => "not-the-secret".to_owned(),
                _ => secret(ctx.env, secrets::JET_HMAC_SECRET)?,
            };
            let signature =
                jet_hash_header(key.as_bytes(), text.as_bytes(), ctx.now.timestamp_millis());
            headers.set(JET_HASH_HEADER, &signature)?;
        }
        (Signing::JeApiKey, bad) => {
            let key = match bad {
                Some("bad") => "not-the-key".to_owned(),
                _ => secret(ctx.env, secrets::ORDERCONNECT_API_KEY)?,
            };
            headers.set("Authorization", &format!("JE-API-KEY {key}"))?;
        }
    }
    let method = match endpoint.method {
        orderbridge_core::routes::Method::Put => worker::Method::Put,
        _ => worker::Method::Post,
    };
    let mut init = worker::RequestInit::new();
    init.with_method(method.clone())
        .with_headers(headers)
        .with_body(Some(text.to_owned().into()));
    let request = Request::new_with_init(url.as_str(), &init)?;
    let mut answer = dispatch(request, ctx.env).await;
    let status = answer.status_code();
    let answer_text = answer.text().await.unwrap_or_default();
    let as_json =
        |t: &str| serde_json::from_str::<Value>(t).unwrap_or_else(|_| Value::String(t.to_owned()));
    let (sent_body, answer_body) = (as_json(text), as_json(&answer_text));
    let storage = Storage::new(ctx.env)?;
    let now = storage::millis(ctx.now);
    storage
        .record_sim_sent(&SimSent {
            webhook: endpoint.path,
            method: method.as_ref(),
            hub_path: hook.to,
            body: text,
            status,
            answer: &answer_text,
            scenario,
            at: &now,
        })
        .await?;
    if endpoint.path == "/initial/{receiveOrder}" {
        if let Some(write) = answer::sent_order(&sent_body, status, &answer_body, &now) {
            storage.sim_write(&[write], &now).await?;
        }
    }
    Ok(json!({
        "webhook": endpoint.path.trim_start_matches('/'),
        "method": method.as_ref(),
        "to": hook.to,
        "sent": sent_body,
        "answer": {"status": status, "body": answer_body},
    }))
}

/// The sample order `POST /sim/jet/orders` and the scenarios send: Just Eat's own example,
/// for the demo restaurant's menu.
const SAMPLE_ORDER: &str =
    include_str!("../../../fixtures/jet-connect/receive-order-request-delivery-by-partner.json");

fn sample_order(ctx: &Ctx<'_>, location: &str) -> Result<Value, EdgeError> {
    let mut order: Value = serde_json::from_str(SAMPLE_ORDER)
        .map_err(|err| EdgeError::Internal(format!("the sample order: {err}")))?;
    let now = ctx.now.timestamp();
    let defaults = json!({
        "id": random::id("sim-")?,
        "third_party_order_reference": format!("{}", now % 100_000_000),
        "posLocationId": location,
        "menu_reference": "7",
        "created_at": now.to_string(),
        "collect_at": (now + 15 * 60).to_string(),
        "items": [{"name": "Филадельфия Гранд", "description": "", "plu": "T20231",
                   "price": 50000, "notes": "", "children": []}],
        "payment": {"items_in_cart": {"inc_tax": 50000, "tax": 0}, "adjustments": [],
                    "final": {"inc_tax": 50000, "tax": 0}, "deposit": 0},
        "promotions": [],
    });
    merge(&mut order, &defaults);
    Ok(order)
}

fn merge(target: &mut Value, fields: &Value) {
    if let (Some(target), Some(fields)) = (target.as_object_mut(), fields.as_object()) {
        for (key, value) in fields {
            target.insert(key.clone(), value.clone());
        }
    }
}

/// `POST /sim/jet/orders`: builds a sample order (the request body, a JSON object, replaces
/// any of its top-level fields), signs it with `JET_HMAC_SECRET` as Just Eat does, and
/// delivers it to the hub's `POST /webhooks/jet/orders`. Answers what was sent and the
/// hub's answer.
pub async fn send_order(
    mut req: Request,
    ctx: &Ctx<'_>,
    dispatch: Dispatch,
) -> Result<Response, EdgeError> {
    if !ctx.config.simulator {
        return Err(EdgeError::NoRoute);
    }
    let bytes = body::read(&mut req, body::DEFAULT_LIMIT).await?;
    let overlay = object(&bytes).map_err(|_| {
        EdgeError::invalid(
            "invalid_json",
            "body",
            "expected a JSON object (fields of the order to replace)",
        )
    })?;
    let location = Storage::new(ctx.env)?
        .some_jet_location()
        .await?
        .unwrap_or_default();
    let mut order = sample_order(ctx, &location)?;
    merge(&mut order, &overlay);
    let endpoint = sim::webhook("initial/{receiveOrder}")
        .ok_or_else(|| EdgeError::Internal("no initial/{receiveOrder} in the table".into()))?;
    let Kind::Webhook(hook) = endpoint.kind else {
        return Err(EdgeError::Internal(
            "initial/{receiveOrder} is no webhook".into(),
        ));
    };
    let mut url = req.url()?;
    url.set_query(None);
    let sent = deliver(
        ctx,
        &url,
        endpoint,
        &hook,
        &order.to_string(),
        None,
        dispatch,
    )
    .await?;
    Ok(respond::json(200, &sent))
}

/// `POST /sim/jet/scenarios/{name}` (body optional: `{"order": id, "restaurant": id}`):
/// every step sent in order; the answer lists what the hub answered to each and what it
/// called back so far (the outcome calls come through the outbox: poll `/sim/jet/calls`).
async fn scenario(
    req: &mut Request,
    ctx: &Ctx<'_>,
    name: &str,
    dispatch: Dispatch,
) -> Result<Response, EdgeError> {
    let Some(scenario) = sim::scenario(name) else {
        let known: Vec<&str> = sim::SCENARIOS.iter().map(|s| s.name).collect();
        return Ok(respond::json(
            404,
            &json!({"error": format!("no scenario {name:?}; there are {}", known.join(", "))}),
        ));
    };
    let bytes = body::read(req, body::DEFAULT_LIMIT).await?;
    let input = object(&bytes)?;
    let storage = Storage::new(ctx.env)?;
    let given = |field: &str| input.get(field).and_then(Value::as_str).map(str::to_owned);
    let order = match given("order") {
        Some(order) => order,
        None => random::id("sim-")?,
    };
    let restaurant = match given("restaurant") {
        Some(r) => r,
        None => match scenario.channel {
            sim::Channel::Jet => storage.some_jet_location().await?,
            sim::Channel::Orderconnect => storage.some_orderconnect_restaurant().await?,
        }
        .unwrap_or_default(),
    };
    let before = storage.sim_last_call().await?;
    let mut url = req.url()?;
    url.set_query(None);
    let mut steps = Vec::new();
    for step in scenario.steps {
        let Some(endpoint) = sim::webhook(step.webhook) else {
            return Err(EdgeError::Internal(format!(
                "scenario step {}",
                step.webhook
            )));
        };
        let Kind::Webhook(hook) = endpoint.kind else {
            return Err(EdgeError::Internal(format!(
                "scenario step {}",
                step.webhook
            )));
        };
        let example = if endpoint.path == "/initial/{receiveOrder}" {
            sample_order(ctx, &restaurant)?
        } else {
            serde_json::from_str(hook.example).unwrap_or(Value::Null)
        };
        let body = sim::step_body(&example, step, &order, &restaurant);
        steps.push(
            deliver(
                ctx,
                &url,
                endpoint,
                &hook,
                &body.to_string(),
                Some(name),
                dispatch,
            )
            .await?,
        );
    }
    let called_back: Vec<Value> = storage
        .sim_calls()
        .await?
        .into_iter()
        .filter(|c| c.seq > before)
        .map(|c| json!({"method": c.method, "path": c.path, "body": parse(&c.body)}))
        .collect();
    Ok(respond::json(
        200,
        &json!({"scenario": name, "about": scenario.about, "order": order,
                "restaurant": restaurant, "steps": steps, "called_back": called_back}),
    ))
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// `GET /sim/jet/state`: everything the simulator keeps, `{kind: {key: value}}`.
async fn state(ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let mut kinds: Map<String, Value> = Map::new();
    for row in Storage::new(ctx.env)?.sim_state_all().await? {
        if let Value::Object(keys) = kinds
            .entry(row.kind)
            .or_insert_with(|| Value::Object(Map::new()))
        {
            keys.insert(row.key, row.value);
        }
    }
    Ok(respond::json(200, &json!({"state": kinds})))
}

/// `GET /sim/jet/calls`: what the simulated Just Eat received, oldest first, and the
/// webhooks it sent to the hub with the hub's answers.
pub async fn calls(ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    if !ctx.config.simulator {
        return Err(EdgeError::NoRoute);
    }
    let storage = Storage::new(ctx.env)?;
    let calls: Vec<Value> = storage
        .sim_calls()
        .await?
        .into_iter()
        .map(|c| {
            json!({
                "method": c.method,
                "path": c.path,
                "api_key": c.api_key.is_some(),
                "body": parse(&c.body),
                "received_at": c.received_at,
            })
        })
        .collect();
    let sent: Vec<Value> = storage
        .sim_sent()
        .await?
        .into_iter()
        .map(|s| {
            json!({
                "webhook": s.webhook.trim_start_matches('/'),
                "method": s.method,
                "to": s.hub_path,
                "body": parse(&s.body),
                "answer": {"status": s.status, "body": parse(&s.answer)},
                "scenario": s.scenario,
                "sent_at": s.sent_at,
            })
        })
        .collect();
    Ok(respond::json(200, &json!({ "calls": calls, "sent": sent })))
}
