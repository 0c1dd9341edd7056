//! Who may call what: the operator key (`X-Flyt-Api-Key`) for `/jet-connect/*` and
//! `/admin/*`, the site key (`X-Jup-Api-Key`) for server-to-server site calls, Orderconnect's
//! `Authorization: JE-API-KEY` for its orders, JET Connect's `X-JET-Connect-Hash` for its
//! webhooks. The comparisons themselves are core's (`auth::api_key_matches`, constant time;
//! `verify_jet_hash`).

use orderbridge_core::auth::{api_key_matches, je_api_key};
use orderbridge_core::outbound::signature::{verify_jet_hash, JET_HASH_HEADER};
use worker::{Env, Request};

use crate::config::{secret, secrets};
use crate::error::EdgeError;

pub const OPERATOR_KEY_HEADER: &str = "X-Flyt-Api-Key";
pub const SITE_KEY_HEADER: &str = "X-Jup-Api-Key";

/// Passes when the request carries the operator key.
pub fn require_operator(req: &Request, env: &Env) -> Result<(), EdgeError> {
    require(req, env, OPERATOR_KEY_HEADER, secrets::OPERATOR_API_KEY)
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
