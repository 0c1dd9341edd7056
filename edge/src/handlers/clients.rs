//! Clients (issue 17 point 4): what the hub keeps of the people who order.
//!
//! * `GET /site-api/client?phone=` (`X-Jup-Api-Key`): Jupiter's client shape from the
//!   hub's record (`clients`, migration `0014`), `null` for what it does not know; `404`
//!   for a phone no order and no operator named. Upstream (`JUPITER_API_URL` set), Jupiter
//!   is asked with the digits as the site wrote them and its answer is passed on as it
//!   came: a client as Jupiter wrote it, or `404` when Jupiter has none. Only when Jupiter
//!   cannot answer (unreachable, another status, not a JSON object) does the hub answer
//!   from its own record (logged).
//! * `GET /admin/clients/{phone}` (operator): the record with the hub's own fields.
//! * `PUT /admin/clients/{phone}` (operator): sets the fields given (core's `ClientEdit`):
//!   `201` for a new client, `200` for a known one.
//!
//! The record is written by orders too (`intake::stage`, core's `client_of`). A phone is
//! keyed by core's `canonical_phone` (`+7…`, `8…` and `007…` are one client).

use chrono::Duration;
use orderbridge_core::order::client::{canonical_phone, ClientEdit};
use serde_json::{json, Value};
use worker::{Request, Response};

use crate::auth::{require_operator, require_site_key};
use crate::body;
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::query::Query;
use crate::storage::{millis, ClientRow, Storage};
use crate::sync::Upstream;
use crate::{random, respond};

/// An edit is a few hundred bytes.
const EDIT_LIMIT: usize = 16 * 1024;

fn phone_key(raw: &str, field: &str) -> Result<String, EdgeError> {
    canonical_phone(raw).ok_or_else(|| {
        EdgeError::invalid(
            "bad_phone",
            field,
            "must have 10 to 15 digits (blanks and + ( ) - . allowed)",
        )
    })
}

fn unknown(summary: &str) -> EdgeError {
    EdgeError::NotFound {
        code: "client_not_found",
        summary: summary.to_owned(),
    }
}

/// `GET /site-api/client?phone=`.
pub async fn site_get(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_site_key(&req, ctx.env)?;
    let query = Query::of(&req)?;
    let raw = query.required("phone")?;
    let phone = phone_key(raw, "phone")?;
    if let Some(upstream) = Upstream::configured(ctx.env, &ctx.config) {
        // Jupiter's records are Jupiter's: it gets the digits as written ("только цифры").
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        match upstream.get_raw("client", &[("phone", &digits)]).await {
            Ok((200, bytes)) => match String::from_utf8(bytes) {
                Ok(text)
                    if serde_json::from_str::<serde_json::Map<String, Value>>(&text).is_ok() =>
                {
                    return Ok(respond::json_text(200, text, &[]));
                }
                _ => worker::console_warn!(
                    "upstream /client answered 200 without a JSON object, answering locally"
                ),
            },
            Ok((404, _)) => return Err(unknown("Jupiter has no client with this phone")),
            Ok((status, _)) => {
                worker::console_warn!("upstream /client answered {status}, answering locally")
            }
            Err(why) => worker::console_warn!("upstream /client failed, answering locally: {why}"),
        }
    }
    let row = Storage::new(ctx.env)?
        .client(&phone)
        .await?
        .ok_or_else(|| unknown("no order and no operator named a client with this phone"))?;
    Ok(respond::json(
        200,
        &row.record().answer(&row.id, &row.phone),
    ))
}

/// `GET /admin/clients/{phone}`.
pub async fn admin_get(req: &Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(req, ctx).await?;
    let phone = phone_key(ctx.param("phone")?, "phone")?;
    let row = Storage::new(ctx.env)?
        .client(&phone)
        .await?
        .ok_or_else(|| unknown("the hub keeps no client with this phone"))?;
    Ok(respond::json(200, &admin_view(&row)?))
}

/// `PUT /admin/clients/{phone}`.
pub async fn admin_put(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_operator(&req, ctx).await?;
    let phone = phone_key(ctx.param("phone")?, "phone")?;
    let bytes = body::read(&mut req, EDIT_LIMIT).await?;
    // A birthday may be today anywhere on Earth (UTC+14 is the furthest ahead).
    let today = (ctx.now + Duration::hours(14)).date_naive();
    let edit = ClientEdit::parse(&bytes, today)
        .map_err(|found| EdgeError::violations("invalid_client", found))?;
    let storage = Storage::new(ctx.env)?;
    let before = storage.client(&phone).await?;
    let record = edit.apply(before.as_ref().map(ClientRow::record).unwrap_or_default());
    storage
        .put_client(&phone, &record, &random::guid()?, &millis(ctx.now))
        .await?;
    let row = storage
        .client(&phone)
        .await?
        .ok_or_else(|| EdgeError::Internal(format!("client {phone} not there after its write")))?;
    let status = if before.is_some() { 200 } else { 201 };
    Ok(respond::json(status, &admin_view(&row)?))
}

/// The operator's view: Jupiter's shape, then what the hub adds.
fn admin_view(row: &ClientRow) -> Result<Value, EdgeError> {
    let mut doc = serde_json::to_value(row.record().answer(&row.id, &row.phone))
        .map_err(|err| EdgeError::Internal(format!("serialising a client: {err}")))?;
    let mut set_by_operator = Vec::new();
    if row.name_by_operator != 0 {
        set_by_operator.push("name");
    }
    if row.email_by_operator != 0 {
        set_by_operator.push("email");
    }
    if let Value::Object(map) = &mut doc {
        map.insert("orders".to_owned(), json!(row.orders));
        map.insert("last_order_at".to_owned(), json!(row.last_order_at));
        map.insert("set_by_operator".to_owned(), json!(set_by_operator));
        map.insert("created_at".to_owned(), json!(row.created_at));
        map.insert("updated_at".to_owned(), json!(row.updated_at));
    }
    Ok(doc)
}
