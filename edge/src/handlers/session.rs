//! `/admin/session`: the operator console's sign-in (the operator key exchanged for a
//! signed `HttpOnly` cookie and a CSRF token), the session read back (a reloaded page gets
//! its token again) and sign-out. The cookie, its signature and the CSRF rule are core's
//! (`console_session`); the row in D1 is what sign-out revokes.

use chrono::{DateTime, SecondsFormat, Utc};
use orderbridge_core::console_session::{clear_cookie, mint, set_cookie};
use serde::Serialize;
use serde_json::Value;
use worker::{Request, Response};

use crate::auth::{check_operator_key, require_same_origin, session, session_key};
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::storage::{millis, Storage};
use crate::{body, random, respond};

/// Sign-in bodies are one short field.
const LIMIT: usize = 4 * 1024;

/// What sign-in and the session read answer.
#[derive(Serialize)]
struct SessionView {
    csrf_token: String,
    /// RFC 3339 UTC, to the second.
    expires_at: String,
}

fn rfc3339(exp: i64) -> Result<String, EdgeError> {
    DateTime::<Utc>::from_timestamp(exp, 0)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .ok_or_else(|| EdgeError::Internal(format!("session expiry {exp} is not a time")))
}

fn answer(status: u16, view: &SessionView, cookie: Option<&str>) -> Response {
    let mut response = respond::json(status, view);
    respond::set_headers(&mut response, &[("Cache-Control", "no-store")]);
    if let Some(cookie) = cookie {
        respond::set_headers(&mut response, &[("Set-Cookie", cookie)]);
    }
    response
}

/// `POST /admin/session` `{"key": "<operator key>"}`: `201` with the cookie, the CSRF token
/// and the expiry; `401` (no cookie, no row) for a wrong or missing key; `403` when sent
/// from another site (a login CSRF).
pub async fn create(mut req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    require_same_origin(&req, None)?;
    let doc: Value = body::json(&mut req, LIMIT).await?;
    check_operator_key(doc.get("key").and_then(Value::as_str), ctx.env)?;
    let key = session_key(ctx.env)?;
    let sid = random::id("")?;
    let minted = mint(&key, &sid, ctx.now.timestamp());
    let view = SessionView {
        csrf_token: minted.csrf_token,
        expires_at: rfc3339(minted.exp)?,
    };
    Storage::new(ctx.env)?
        .create_session(
            &sid,
            &millis(ctx.now),
            &view.expires_at,
            &rfc3339(ctx.now.timestamp())?,
        )
        .await?;
    Ok(answer(201, &view, Some(&set_cookie(&minted.value))))
}

/// `GET /admin/session`: `200` with the live session's CSRF token and expiry; `401`
/// otherwise.
pub async fn get(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let live = session(&req, ctx).await?;
    let view = SessionView {
        csrf_token: live.csrf_token,
        expires_at: rfc3339(live.exp)?,
    };
    Ok(answer(200, &view, None))
}

/// `DELETE /admin/session` (with `X-CSRF-Token`): `204`, the session revoked and the
/// cookie cleared; `401` without a live session, `403` without the token.
pub async fn delete(req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    let live = session(&req, ctx).await?;
    require_same_origin(&req, Some(&live.csrf_token))?;
    Storage::new(ctx.env)?
        .revoke_session(&live.sid, &millis(ctx.now))
        .await?;
    let mut response = respond::bare(204);
    respond::set_headers(
        &mut response,
        &[
            ("Cache-Control", "no-store"),
            ("Set-Cookie", &clear_cookie()),
        ],
    );
    Ok(response)
}
