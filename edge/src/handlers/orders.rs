//! Site orders (issue 5), standalone mode: the hub is the system of record.
//!
//! * `POST /site-api/order` (public, CORS): a Jupiter `new_order`. Core validates it against
//!   the catalog at `now`; the order and its first status (0, new) are stored, with the
//!   status call to its `status_url` staged in the same batch, before `200 {"order_id"}`.
//!   The same `number` with the same content answers the same id; with other content `409`.
//!   Numbers are unique per namespace (core's `order::namespace`): the site key's, the
//!   browser's `Origin`, or the public one; a malformed `Origin` is `400 bad_origin`.
//! * `GET /site-api/orders/{order_id}` (public): the status and its history, for
//!   front-ends without a `status_url`, and the order read back (`order_view`): lines,
//!   totals, local times and amendments; personal data only with the site or operator
//!   key. Order ids are 128 random bits.
//! * `POST /admin/orders/{order_id}/status {"status": N}` (operator): a transition core
//!   allows (`409` otherwise), stored with its status call in one batch.
//! * Every order names its client to `intake::stage` (`Contact::site`); the client record
//!   and `GET /site-api/client` are `handlers::clients`.
//!
//! Upstream mode (`JUPITER_API_URL` and `JUPITER_API_KEY` set): the order is validated and
//! stored as above, then forwarded to Jupiter's `POST /order` through the outbox (receiver
//! `jupiter_injection`, staged in the same batch), with the hub's callback URL and a
//! per-order token as `status_url` (core's `order::forward`). Jupiter's order id is kept
//! when its answer arrives (`outbound_queue`). Jupiter's status calls
//! (`GET /callbacks/jupiter/orders/{order_id}?token=&status=`) are never refused (Jupiter
//! does not retry nor read the answer): core's `forward::on_status` says what to record
//! (history, current status, the statuses heard) and what to pass on to the front-end's
//! `status_url` and the order's channel — a repeat nothing, a late status only its history
//! row. The hub sends no status 0 of its own then, since Jupiter's 0 is its acceptance.

use orderbridge_core::console;
use orderbridge_core::order::client::Contact;
use orderbridge_core::order::forward;
use orderbridge_core::order::lifecycle::{self, Status, Teller};
use orderbridge_core::order::namespace::{site_namespace, Namespace};
use orderbridge_core::order::replay::{compare, fingerprint};
use orderbridge_core::order::{wire, Rules};
use orderbridge_core::outbound::url_guard::check_outbound_url;
use orderbridge_core::problem::Violation;
use serde::Deserialize;
use serde_json::json;
use worker::{Request, Response};

use super::order_view;
use crate::auth::{require_operator, site_trusted};
use crate::body;
use crate::channel::Channel;
use crate::channels::site::{current_status, front_end_url, kick_all, pass_on, record};
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::intake::{self, Source};
use crate::outbox;
use crate::query::Query;
use crate::respond;
use crate::storage::{millis, AdminOrderRow, ListedOrder, OrderRow, StatusRow, Storage};

/// An order is a few kilobytes; 64 KiB leaves room for large carts and nothing more.
pub const ORDER_LIMIT: usize = 64 * 1024;

fn trimmed(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// `POST /site-api/order`.
pub async fn place(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    // A server-to-server site with the site key is trusted as Jupiter trusts it (core's
    // `Rules::TrustedSite`); a browser is held to the catalog's prices.
    let trusted = site_trusted(&req, ctx.env)?;
    let rules = if trusted {
        Rules::TrustedSite
    } else {
        Rules::Site
    };
    // Whose number it is (core's `order::namespace`): the site key, else the browser's
    // origin, else the public namespace.
    let site = req.headers().get("Origin").ok().flatten();
    let namespace = site_namespace(trusted, site.as_deref());
    let bytes = body::read(&mut req, ORDER_LIMIT).await?;
    let order = wire::parse(&bytes).map_err(|v| EdgeError::violations("invalid_order", vec![v]))?;
    let storage = Storage::of(ctx)?;
    let print = fingerprint(&order);
    let mut violations = Vec::new();
    let namespace = match namespace {
        Ok(namespace) => namespace,
        Err(v) => {
            violations.push(v);
            Namespace::Public
        }
    };
    let stored_as = namespace.to_string();
    // A retry of a placed order gets its id even if the catalog has changed since.
    if let (Some(number), true) = (trimmed(&order.body.number), violations.is_empty()) {
        if let Some(row) = storage.order_by_number(&stored_as, number).await? {
            return replayed(&row, &print, number);
        }
    }
    let status_url = match trimmed(&order.body.status_url) {
        Some(url) => match check_outbound_url(url, &ctx.config.url_policy()) {
            Ok(url) => Some(url),
            Err(refusal) => {
                violations.push(Violation::new(
                    "bad_status_url",
                    Some("status_url"),
                    refusal.to_string(),
                ));
                None
            }
        },
        None => None,
    };
    let valid = match intake::check(&storage, ctx, &order, rules).await? {
        Ok(valid) if violations.is_empty() => valid,
        Ok(_) => return Err(EdgeError::violations("invalid_order", violations)),
        Err(mut found) => {
            found.extend(violations);
            return Err(EdgeError::violations("invalid_order", found));
        }
    };
    let origin = req.url()?.origin().ascii_serialization();
    let source = Source {
        channel: Channel::Site,
        external_id: None,
        status_url: status_url.as_ref(),
        origin: &origin,
        contact: Contact::site(&order),
    };
    let staged = intake::stage_in(&storage, ctx, &order, &valid, &source, &namespace)?;
    let kick = staged.call_ids();
    if let Err(err) = storage.commit(staged.statements).await {
        // The same number placed concurrently: answer as a replay would.
        return match storage.order_by_number(&stored_as, valid.number).await? {
            Some(row) => replayed(&row, &print, valid.number),
            None => Err(err),
        };
    }
    outbox::kick(ctx.env, &kick).await;
    Ok(respond::json(200, &json!({ "order_id": staged.order_id })))
}

/// The answer to a `number` that is stored already.
fn replayed(row: &OrderRow, print: &str, number: &str) -> Result<Response, EdgeError> {
    match compare(&row.fingerprint, print, number) {
        Ok(_) => Ok(respond::json(200, &json!({ "order_id": row.id }))),
        Err(v) => Err(EdgeError::Conflict {
            code: "duplicate",
            summary: v.message.clone(),
            violations: vec![v],
        }),
    }
}

fn not_found(id: &str) -> EdgeError {
    EdgeError::NotFound {
        code: "order_not_found",
        summary: format!("order {id:?} is not known"),
    }
}

/// `GET /admin/orders/{order_id}` (operator): the stored Jupiter order as the kitchen sees
/// it, with its channel, the marketplace's id, its status and history; with
/// `personal=masked` the order's client phone (last two digits kept), names and address
/// lines are masked (core's `console::mask_order`).
pub async fn admin_get(req: &Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(req, ctx).await?;
    let masked = console::personal_masked(Query::of(req)?.get("personal"))
        .map_err(|v| EdgeError::violations("invalid_parameter", vec![v]))?;
    let id = ctx.param("order_id")?;
    let storage = Storage::new(ctx.env)?;
    let Some(row) = storage.admin_order(id).await? else {
        // Issue 21: an order moved to the archive is answered from it.
        return archived_get(ctx, &storage, id, masked).await;
    };
    let history = storage.order_statuses(id).await?;
    let mut doc = admin_view(&row, Some(&history));
    if let (true, Some(order)) = (masked, doc.get_mut("order")) {
        // The console shows personal data only when asked (issue 19).
        console::mask_order(order);
    }
    if let Some(map) = doc.as_object_mut() {
        // Issue 17: what failed for this order (its dead deliveries), operator's view.
        map.insert(
            "failures".to_owned(),
            crate::owners::failures(&storage, id, true).await?,
        );
    }
    // The operator sees the amendments and the notes on them (an upstream order's).
    order_view::add_for_operator(&storage, id, &mut doc, masked).await?;
    Ok(respond::json(200, &doc))
}

/// An archived order in the shape of a live one, as far as the archive holds it: its
/// row, lines and status history, marked `"archived": true` with where it lies; the rows
/// that hung off it (deliveries and attempts, timeline, receipts) under `archive.rows`.
async fn archived_get(
    ctx: &Ctx<'_>,
    storage: &Storage,
    id: &str,
    masked: bool,
) -> Result<Response, EdgeError> {
    use crate::storage::archive::{archived_admin_row, archived_statuses};
    let found = crate::archive::find(ctx.env, storage, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    let rows = found.record.get("rows").cloned().unwrap_or(json!({}));
    let order = rows
        .get("orders")
        .and_then(|o| o.get(0))
        .ok_or_else(|| EdgeError::Internal(format!("archived order {id} has no row")))?;
    let row = archived_admin_row(order)?;
    let statuses = rows
        .get("order_statuses")
        .and_then(|s| s.as_array())
        .map(Vec::as_slice)
        .unwrap_or_default();
    let history = archived_statuses(statuses)?;
    let mut doc = admin_view(&row, Some(&history));
    if let (true, Some(order)) = (masked, doc.get_mut("order")) {
        console::mask_order(order);
    }
    if let Some(map) = doc.as_object_mut() {
        let mut kept = rows;
        if let Some(k) = kept.as_object_mut() {
            // Shown above, or personal (the phone and name are in `order`, masked there).
            k.remove("orders");
            k.remove("order_statuses");
        }
        map.insert("archived".to_owned(), json!(true));
        map.insert(
            "archive".to_owned(),
            json!({
                "object_key": found.index.object_key,
                "line": found.index.line,
                "archived_at": found.index.archived_at,
                "rows": kept,
            }),
        );
    }
    Ok(respond::json(200, &doc))
}

/// `GET /admin/orders` (operator): orders, newest first, filtered (core's
/// `console::order_filter`: restaurant, channel, status, time range, needing attention, a
/// search by number, marketplace id or phone), a page of `limit` after `cursor`, each with
/// its `attention` reasons; one query per page.
pub async fn admin_list(req: &Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(req, ctx).await?;
    let query = Query::of(req)?;
    let filter = console::order_filter(|name| query.get(name))
        .map_err(|v| EdgeError::violations("invalid_parameter", v))?;
    let storage = Storage::of(ctx)?;
    let rows = storage.order_page(&filter).await?;
    let (shown, more) = console::page(rows.len(), filter.limit);
    let rows = rows.get(..shown).unwrap_or(&rows);
    let next_cursor = match (more, rows.last()) {
        (true, Some(last)) => Some(last.cursor.encode()),
        _ => None,
    };
    let orders: Vec<serde_json::Value> = rows.iter().map(listed_view).collect();
    let mut doc = json!({ "orders": orders, "next_cursor": next_cursor });
    if let (Some(q), None, Some(map)) = (&filter.q, &filter.cursor, doc.as_object_mut()) {
        // Issue 21: the search also finds archived orders by number or marketplace id,
        // apart from the live page (their index rows; `GET /admin/orders/{id}` reads one).
        let found = storage.archived_orders_named(&q.text, filter.limit).await?;
        map.insert("archived".to_owned(), json!(found));
    }
    Ok(respond::json(200, &doc))
}

/// An order of the list: the admin view and its `attention` reasons.
pub fn listed_view(row: &ListedOrder) -> serde_json::Value {
    let mut view = admin_view(&row.order, None);
    if let Some(map) = view.as_object_mut() {
        map.insert("attention".to_owned(), json!(console::attention(row.facts)));
    }
    view
}

fn admin_view(row: &AdminOrderRow, history: Option<&[StatusRow]>) -> serde_json::Value {
    let o = row;
    let mut view = json!({
        "order_id": o.id,
        "number": o.number,
        "channel": o.channel.as_str(),
        "external_id": row.external_id,
        "restaurant_id": o.restaurant_id,
        "delivery_method": o.delivery_method.as_str(),
        "status": o.status,
        "created_at": o.created_at,
        "updated_at": o.updated_at,
        "upstream_order_id": o.upstream_order_id,
        "order": serde_json::from_str::<serde_json::Value>(&row.request)
            .unwrap_or(serde_json::Value::Null),
    });
    if let (Some(history), Some(map)) = (history, view.as_object_mut()) {
        let history = crate::owners::history(history);
        map.insert("history".to_owned(), json!(history));
    }
    view
}

/// `GET /site-api/orders/{order_id}`.
pub async fn status(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let audience = order_view::audience(&req, ctx.env)?;
    let id = ctx.param("order_id")?;
    let storage = Storage::new(ctx.env)?;
    let row = storage.order(id).await?.ok_or_else(|| not_found(id))?;
    // The contents, totals and local times beside the status (personal data by audience).
    let view = order_view::load(&storage, &row, audience).await?;
    // What a trusted site's order was accepted despite (stored by the hub itself).
    let warnings: serde_json::Value = row
        .warnings
        .as_deref()
        .and_then(|w| serde_json::from_str(w).ok())
        .unwrap_or_else(|| json!([]));
    let history = crate::owners::history(&storage.order_statuses(id).await?);
    let failures = crate::owners::failures(&storage, id, false).await?;
    let mut doc = json!({
        "order_id": row.id,
        "number": row.number,
        "restaurant_id": row.restaurant_id,
        "status": row.status,
        "upstream_order_id": row.upstream_order_id,
        "discount": amount(row.discount),
        "warnings": warnings,
        "history": history,
        "failures": failures,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    });
    order_view::merge(&mut doc, &view)?;
    Ok(respond::json(200, &doc))
}

/// A stored amount in kopecks as a JSON number in roubles, as Jupiter writes amounts.
fn amount(minor: i64) -> serde_json::Value {
    orderbridge_core::domain::Money::from_minor(minor, "amount")
        .ok()
        .and_then(|m| serde_json::from_str(&m.to_decimal_string()).ok())
        .unwrap_or_else(|| json!(0))
}

#[derive(Deserialize)]
struct StatusBody {
    status: i64,
}

/// `POST /admin/orders/{order_id}/status`.
pub async fn set_status(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let id = ctx.param("order_id")?.to_owned();
    let wanted: StatusBody = body::json(&mut req, body::DEFAULT_LIMIT).await?;
    let to = Status::parse(wanted.status, "status")
        .map_err(|v| EdgeError::violations("invalid_status", vec![v]))?;
    let storage = Storage::new(ctx.env)?;
    let row = storage.order(&id).await?.ok_or_else(|| not_found(&id))?;
    let from = current_status(&row)?;
    let status_url = front_end_url(&row, ctx);
    let notify = lifecycle::transition(row.delivery_method, from, to, status_url.as_ref())
        .map_err(|v| EdgeError::Conflict {
            code: "illegal_transition",
            summary: v.message.clone(),
            violations: vec![v],
        })?;
    record(&storage, &row, Some(to), notify, ctx).await?;
    Ok(respond::json(
        200,
        &json!({"order_id": id, "status": to.code()}),
    ))
}

/// `GET /callbacks/jupiter/orders/{order_id}?token=&status=`: a status call from the
/// upstream Jupiter for an order the hub forwarded.
pub async fn jupiter_status(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let id = ctx.param("order_id")?.to_owned();
    let query = Query::of(&req)?;
    let storage = Storage::new(ctx.env)?;
    // The token is checked before anything is said about the order: an unknown order, one
    // never forwarded and a wrong token get the same 401, so the route tells nobody without
    // the token whether an order exists.
    let unauthorized = || EdgeError::Unauthorized("missing or invalid token".to_owned());
    let row = storage.order(&id).await?;
    let allowed = row
        .as_ref()
        .and_then(|r| r.upstream_token.as_deref())
        .is_some_and(|t| orderbridge_core::auth::api_key_matches(query.get("token"), t));
    let Some(row) = row.filter(|_| allowed) else {
        return Err(unauthorized());
    };
    let code: i64 =
        query.required("status")?.trim().parse().map_err(|_| {
            EdgeError::invalid("bad_status", "status", "must be 0, 10, 20, 30 or 5")
        })?;
    let to = Status::parse(code, "status")
        .map_err(|v| EdgeError::violations("invalid_status", vec![v]))?;
    // Jupiter does not retry and does not read the answer (seed `004`): a refusal would
    // lose the status, so a call that lost a race with another is decided again.
    let mut row = row;
    for attempt in 1..=4 {
        let heard = forward::parse_heard(&row.upstream_heard);
        let from = current_status(&row)?;
        let decision = forward::on_status(from, &heard, to);
        if !decision.heard {
            break;
        }
        let mut batch = storage.upstream_status(
            &row.id,
            row.version,
            to.code(),
            &decision,
            &forward::with_heard(&heard, to),
            &millis(ctx.now),
        )?;
        let (calls, kick) = if decision.pass_on {
            let notify = lifecycle::notify(to, front_end_url(&row, ctx).as_ref());
            let (statements, calls, kick) =
                pass_on(&storage, &row, notify, Teller::Hub, ctx).await?;
            batch.extend(statements);
            (calls, kick)
        } else {
            (Vec::new(), Vec::new())
        };
        match storage.commit(batch).await {
            Ok(()) => {
                kick_all(&calls, &kick, ctx).await;
                break;
            }
            Err(err) => match storage.order(&id).await? {
                Some(now) if now.version != row.version && attempt < 4 => row = now,
                Some(now) if now.version != row.version => {
                    // Four calls for one order landed at once; Jupiter will not resend.
                    return Err(EdgeError::Internal(format!(
                        "order {id}: status {code} lost four races in a row"
                    )));
                }
                _ => return Err(err),
            },
        }
    }
    Ok(respond::bare(200))
}
