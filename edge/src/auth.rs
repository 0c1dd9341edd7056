//! Who may call what: the operator key (`X-Flyt-Api-Key`) or a console session cookie
//! (CSRF-checked; core's `console_session`) for `/jet-connect/*` and `/admin/*`, the site key (`X-Jup-Api-Key`) for server-to-server site calls, Orderconnect's
//! `Authorization: JE-API-KEY` for its orders, JET Connect's `X-JET-Connect-Hash` for its
//! webhooks. The comparisons themselves are core's (`auth::api_key_matches`, constant time;
//! `verify_jet_hash`).

use orderbridge_core::auth::{api_key_matches, je_api_key};
use orderbridge_core::console_session::{
    cookie_value, csrf, csrf_token, verify, CsrfRequest, SessionKey, CSRF_HEADER,
};
use orderbridge_core::outbound::signature::{verify_jet_hash, JET_HASH_HEADER};
use worker::{Env, Request};

use crate::config::{secret, secrets};
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::storage::Storage;

pub const OPERATOR_KEY_HEADER: &str = "X-Flyt-Api-Key";
pub const SITE_KEY_HEADER: &str = "X-Jup-Api-Key";

/// Passes when the request carries the operator key or, without the key header, a live
/// console session cookie; a cookie-authenticated state change must also pass the CSRF rule
/// (`403 csrf`). With the key header present the cookie is not looked at.
pub async fn require_operator(req: &Request, ctx: &Ctx<'_>) -> Result<(), EdgeError> {
    if header(req, OPERATOR_KEY_HEADER).is_some() {
        return require_operator_key(req, ctx.env);
    }
    let session = session(req, ctx).await?;
    require_same_origin(req, Some(&session.csrf_token))
}

/// Passes when the request carries the operator key header (and nothing else counts).
pub fn require_operator_key(req: &Request, env: &Env) -> Result<(), EdgeError> {
    require(req, env, OPERATOR_KEY_HEADER, secrets::OPERATOR_API_KEY)
}

/// Passes when `presented` (sign-in's body) is the operator key.
pub fn check_operator_key(presented: Option<&str>, env: &Env) -> Result<(), EdgeError> {
    let expected = secret(env, secrets::OPERATOR_API_KEY)?;
    if api_key_matches(presented, &expected) {
        Ok(())
    } else {
        Err(EdgeError::Unauthorized(
            "key: missing or not the operator key".to_owned(),
        ))
    }
}

/// The key console sessions are signed with, derived from the operator key.
pub fn session_key(env: &Env) -> Result<SessionKey, EdgeError> {
    let operator_key = secret(env, secrets::OPERATOR_API_KEY)?;
    SessionKey::derive(&operator_key)
        .ok_or_else(|| EdgeError::Unavailable("secret OPERATOR_API_KEY is empty".to_owned()))
}

/// A console session the request's cookie proved live.
pub struct LiveSession {
    pub sid: String,
    /// Unix seconds when it expires.
    pub exp: i64,
    pub csrf_token: String,
}

/// The live session of the request's `ob_session` cookie: signed with the session key,
/// not expired at `ctx.now`, its row present and not revoked; `401` otherwise.
pub async fn session(req: &Request, ctx: &Ctx<'_>) -> Result<LiveSession, EdgeError> {
    let cookies = header(req, "Cookie");
    let Some(value) = cookies.as_deref().and_then(cookie_value) else {
        return Err(EdgeError::Unauthorized(format!(
            "missing or invalid {OPERATOR_KEY_HEADER}, and no console session cookie"
        )));
    };
    let key = session_key(ctx.env)?;
    let proved = verify(&key, value, ctx.now.timestamp())
        .map_err(|refusal| EdgeError::Unauthorized(refusal.reason().to_owned()))?;
    if !Storage::new(ctx.env)?.session_live(&proved.sid).await? {
        return Err(EdgeError::Unauthorized(
            "the session has ended (signed out)".to_owned(),
        ));
    }
    Ok(LiveSession {
        csrf_token: csrf_token(&key, &proved.sid),
        sid: proved.sid,
        exp: proved.exp,
    })
}

/// Core's CSRF rule for this request: `expected_token` is the session's, or `None` for
/// sign-in (origin headers only). Refused `403 csrf`, naming the header and the reason.
pub fn require_same_origin(req: &Request, expected_token: Option<&str>) -> Result<(), EdgeError> {
    let own_origin = req.url()?.origin().ascii_serialization();
    let method = req.method().to_string();
    let (origin, sec_fetch_site, token) = (
        header(req, "Origin"),
        header(req, "Sec-Fetch-Site"),
        header(req, CSRF_HEADER),
    );
    let request = CsrfRequest {
        method: &method,
        origin: origin.as_deref(),
        sec_fetch_site: sec_fetch_site.as_deref(),
        token: token.as_deref(),
        own_origin: &own_origin,
    };
    csrf(&request, expected_token).map_err(|refusal| EdgeError::Forbidden {
        code: "csrf",
        summary: format!("csrf: {}", refusal.reason()),
    })
}

fn header(req: &Request, name: &str) -> Option<String> {
    req.headers().get(name).ok().flatten()
}

/// Passes when the request carries `Authorization: JE-API-KEY <ORDERCONNECT_API_KEY>`, the
/// key Orderconnect presents when it delivers an order.
pub fn require_orderconnect(req: &Request, env: &Env) -> Result<(), EdgeError> {
    let expected = secret(env, secrets::ORDERCONNECT_API_KEY)?;
    let header = req.headers().get("Authorization").ok().flatten();
    let presented = header.as_deref().and_then(je_api_key);
    if api_key_matches(presented, &expected) {
        Ok(())
    } else {
        Err(EdgeError::Unauthorized(
            "missing or invalid Authorization: JE-API-KEY".to_owned(),
        ))
    }
}

/// Passes when `X-JET-Connect-Hash` signs the raw body with `JET_HMAC_SECRET`: checked
/// before anything reads the body.
pub fn require_jet_hash(req: &Request, bytes: &[u8], env: &Env) -> Result<(), EdgeError> {
    let key = secret(env, secrets::JET_HMAC_SECRET)?;
    let header = req.headers().get(JET_HASH_HEADER).ok().flatten();
    match header {
        Some(h) if verify_jet_hash(key.as_bytes(), bytes, &h) => Ok(()),
        Some(_) => Err(EdgeError::Unauthorized(
            "HMAC mismatch, authorization failed: X-JET-Connect-Hash does not match the body"
                .to_owned(),
        )),
        None => Err(EdgeError::Unauthorized(
            "X-JET-Connect-Hash is missing".to_owned(),
        )),
    }
}

/// Passes when the request carries the site key.
pub fn require_site_key(req: &Request, env: &Env) -> Result<(), EdgeError> {
    require(req, env, SITE_KEY_HEADER, secrets::SITE_API_KEY)
}

/// Whether a site-API request comes from a trusted server-to-server site: `true` with the
/// right `X-Jup-Api-Key` (constant time), `false` without the header (a browser), and
/// `401` with a wrong one — a caller that meant to be trusted hears that it is not.
pub fn site_trusted(req: &Request, env: &Env) -> Result<bool, EdgeError> {
    let presented = req.headers().get(SITE_KEY_HEADER).ok().flatten();
    if presented.is_none() {
        return Ok(false);
    }
    require_site_key(req, env).map(|()| true)
}

fn require(req: &Request, env: &Env, header: &str, secret_name: &str) -> Result<(), EdgeError> {
    let expected = secret(env, secret_name)?;
    let presented = req.headers().get(header).ok().flatten();
    if api_key_matches(presented.as_deref(), &expected) {
        Ok(())
    } else {
        Err(EdgeError::Unauthorized(format!(
            "missing or invalid {header}"
        )))
    }
}
