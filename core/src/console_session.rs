//! The operator console's sign-in session and its CSRF rule, as pure decisions.
//!
//! **The cookie.** Signing in with the operator key (`POST /admin/session`) gives the browser
//! `ob_session=v1.<sid>.<exp>.<sig>`: `sid` is 128 random bits in lowercase hex (drawn by the
//! edge), `exp` the unix second it expires ([`SESSION_SECS`] after sign-in), `sig` the
//! lowercase hex HMAC-SHA256 of `v1.<sid>.<exp>` under the *session key*. The session key
//! is HMAC-SHA256(operator key, `orderbridge console session v1`): derived, so there is no
//! new secret, and rotating the operator key ends every session. The key itself never
//! reaches the browser. The cookie is `HttpOnly; Secure; SameSite=Strict; Path=/`.
//!
//! A cookie is good when it reads as exactly that shape, its signature checks (constant
//! time) and `exp` is later than now ([`verify`]); the edge then asks D1 whether the
//! session row is still live (sign-out revokes it).
//!
//! **CSRF.** A cookie travels with any request the browser makes, so a request it
//! authenticates that changes state (any method but `GET`, `HEAD`, `OPTIONS`) must also
//! prove it comes from the console ([`csrf`]): `X-CSRF-Token` equal to the session's token
//! ([`csrf_token`], HMAC of `csrf.<sid>`, which a page of another site cannot read), an
//! `Origin` (when sent) equal to the hub's own, and a `Sec-Fetch-Site` (when sent) of
//! `same-origin` or `none`. Sign-in itself has no session yet, so it is checked by the
//! origin headers alone (a login CSRF would sign the victim into an attacker's session).
//! A request with the operator key header is not cookie-authenticated and not checked: a
//! page of another site cannot set that header without the hub's CORS consent, which the
//! admin API never gives.

use crate::auth::api_key_matches;
use crate::hex;
use crate::outbound::signature::hmac_sha256;

/// The cookie's name.
pub const COOKIE_NAME: &str = "ob_session";
/// How long a session lasts: 8 hours, a working shift.
pub const SESSION_SECS: i64 = 28_800;
/// The header a cookie-authenticated state change carries its token in.
pub const CSRF_HEADER: &str = "X-CSRF-Token";
/// The version prefix of a cookie value (and of what its signature covers).
const VERSION: &str = "v1";
/// What the session key is derived from the operator key with.
const KEY_LABEL: &[u8] = b"orderbridge console session v1";

/// The key sessions are signed with, derived from the operator key.
#[derive(Clone)]
pub struct SessionKey([u8; 32]);

impl std::fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionKey(..)")
    }
}

impl SessionKey {
    /// HMAC-SHA256(operator key, `orderbridge console session v1`). `None` for an empty
    /// operator key: a deployment without one has no sessions either (closed, not open).
    pub fn derive(operator_key: &str) -> Option<SessionKey> {
        if operator_key.is_empty() {
            return None;
        }
        Some(SessionKey(hmac_sha256(operator_key.as_bytes(), KEY_LABEL)))
    }

    fn sign(&self, message: &str) -> String {
        hex::encode(&hmac_sha256(&self.0, message.as_bytes()))
    }
}

/// A cookie value just minted, with what the sign-in answer tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Minted {
    /// `v1.<sid>.<exp>.<sig>`.
    pub value: String,
    /// Unix seconds when it expires.
    pub exp: i64,
    pub csrf_token: String,
}

/// The cookie value for session `sid` signed in at `now` (unix seconds).
pub fn mint(key: &SessionKey, sid: &str, now: i64) -> Minted {
    let exp = now.saturating_add(SESSION_SECS);
    let signed = format!("{VERSION}.{sid}.{exp}");
    let sig = key.sign(&signed);
    Minted {
        value: format!("{signed}.{sig}"),
        exp,
        csrf_token: csrf_token(key, sid),
    }
}

/// A session a cookie proved (signature and expiry; the edge still checks its row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub sid: String,
    pub exp: i64,
}

/// Why a cookie value is not a session. Each is a `401` at the edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CookieRefusal {
    /// Not `v1.<32 hex>.<digits>.<64 hex>`.
    Malformed,
    /// The signature is not the session key's over `v1.<sid>.<exp>` (forged or altered).
    Forged,
    /// Genuine, but `exp` is not later than now.
    Expired,
}

impl CookieRefusal {
    pub fn reason(self) -> &'static str {
        match self {
            CookieRefusal::Malformed => "the session cookie is malformed",
            CookieRefusal::Forged => "the session cookie's signature does not check",
            CookieRefusal::Expired => "the session has expired",
        }
    }
}

/// Checks a cookie value at `now` (unix seconds): its shape, its signature (constant time),
/// then its expiry.
pub fn verify(key: &SessionKey, value: &str, now: i64) -> Result<Session, CookieRefusal> {
    let mut parts = value.split('.');
    let (Some(version), Some(sid), Some(exp_text), Some(sig), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(CookieRefusal::Malformed);
    };
    let exp = parse_exp(exp_text);
    if version != VERSION || !is_sid(sid) || !is_lower_hex(sig, 64) || exp.is_none() {
        return Err(CookieRefusal::Malformed);
    }
    let expected = key.sign(&format!("{VERSION}.{sid}.{exp_text}"));
    if !api_key_matches(Some(sig), &expected) {
        return Err(CookieRefusal::Forged);
    }
    match exp {
        Some(exp) if exp > now => Ok(Session {
            sid: sid.to_owned(),
            exp,
        }),
        _ => Err(CookieRefusal::Expired),
    }
}

/// Whether `sid` is a session id: 32 lowercase hex digits (128 bits).
pub fn is_sid(sid: &str) -> bool {
    is_lower_hex(sid, 32)
}

fn is_lower_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Unix seconds written as plain decimal digits (no sign, no leading zero), so that one
/// expiry has one spelling and the signed text is the only one that checks.
fn parse_exp(text: &str) -> Option<i64> {
    let canonical = !text.is_empty()
        && text.len() <= 12
        && text.bytes().all(|b| b.is_ascii_digit())
        && !(text.len() > 1 && text.starts_with('0'));
    canonical.then(|| text.parse().ok()).flatten()
}

/// The CSRF token of session `sid`: lowercase hex HMAC-SHA256(session key, `csrf.<sid>`).
pub fn csrf_token(key: &SessionKey, sid: &str) -> String {
    key.sign(&format!("csrf.{sid}"))
}

/// The `Set-Cookie` value that signs the browser in with `value`.
pub fn set_cookie(value: &str) -> String {
    format!(
        "{COOKIE_NAME}={value}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={SESSION_SECS}"
    )
}

/// The `Set-Cookie` value that signs the browser out (the cookie emptied and expired).
pub fn clear_cookie() -> String {
    format!("{COOKIE_NAME}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0")
}

/// The session cookie's value in a `Cookie` header (`a=1; ob_session=…; b=2`), if any; the
/// first one when a browser sends several.
pub fn cookie_value(cookie_header: &str) -> Option<&str> {
    cookie_header.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        (name.trim() == COOKIE_NAME).then(|| value.trim().trim_matches('"'))
    })
}

/// What the CSRF rule looks at in a request. Header values are as received (`None` when
/// the header is absent).
#[derive(Debug, Clone, Copy)]
pub struct CsrfRequest<'a> {
    /// The method, upper case.
    pub method: &'a str,
    pub origin: Option<&'a str>,
    pub sec_fetch_site: Option<&'a str>,
    /// `X-CSRF-Token`.
    pub token: Option<&'a str>,
    /// The hub's own origin as the request URL says it (`scheme://host[:port]`).
    pub own_origin: &'a str,
}

/// Why a request is refused as cross-site (`403 csrf`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsrfRefusal {
    /// `Origin` names another site.
    ForeignOrigin(String),
    /// `Sec-Fetch-Site` is neither `same-origin` nor `none`.
    CrossSiteFetch(String),
    /// A state change without `X-CSRF-Token`.
    MissingToken,
    /// `X-CSRF-Token` is not this session's.
    WrongToken,
}

impl CsrfRefusal {
    /// The header the refusal is about.
    pub fn field(&self) -> &'static str {
        match self {
            CsrfRefusal::ForeignOrigin(_) => "Origin",
            CsrfRefusal::CrossSiteFetch(_) => "Sec-Fetch-Site",
            CsrfRefusal::MissingToken | CsrfRefusal::WrongToken => CSRF_HEADER,
        }
    }

    /// One sentence naming the header, its value and the reason.
    pub fn reason(&self) -> String {
        match self {
            CsrfRefusal::ForeignOrigin(origin) => {
                format!("Origin {origin:?} is not this hub's origin")
            }
            CsrfRefusal::CrossSiteFetch(site) => {
                format!("Sec-Fetch-Site {site:?}: only same-origin requests may use a session")
            }
            CsrfRefusal::MissingToken => {
                format!("{CSRF_HEADER} is missing: a state change with a session needs it")
            }
            CsrfRefusal::WrongToken => format!("{CSRF_HEADER} is not this session's token"),
        }
    }
}

/// Whether a method only reads (and so needs no CSRF token).
pub fn is_safe_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS")
}

/// The CSRF decision for a cookie-authenticated request. `expected_token` is the session's
/// token, or `None` for sign-in (no session yet: the origin headers alone are checked).
/// Safe methods pass; the origin headers are checked before the token.
pub fn csrf(req: &CsrfRequest<'_>, expected_token: Option<&str>) -> Result<(), CsrfRefusal> {
    if is_safe_method(req.method) {
        return Ok(());
    }
    if let Some(origin) = req.origin {
        if !origin.trim().eq_ignore_ascii_case(req.own_origin) {
            return Err(CsrfRefusal::ForeignOrigin(origin.to_owned()));
        }
    }
    if let Some(site) = req.sec_fetch_site {
        let site_trimmed = site.trim();
        if !(site_trimmed.eq_ignore_ascii_case("same-origin")
            || site_trimmed.eq_ignore_ascii_case("none"))
        {
            return Err(CsrfRefusal::CrossSiteFetch(site.to_owned()));
        }
    }
    let Some(expected) = expected_token else {
        return Ok(());
    };
    match req.token {
        None => Err(CsrfRefusal::MissingToken),
        Some(token) if api_key_matches(Some(token.trim()), expected) => Ok(()),
        Some(_) => Err(CsrfRefusal::WrongToken),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const SID: &str = "0123456789abcdef0123456789abcdef";
    const NOW: i64 = 1_800_000_000;

    fn key() -> SessionKey {
        SessionKey::derive("dev-operator-key").unwrap_or_else(|| panic!("a key"))
    }

    #[test]
    fn the_session_key_is_derived_from_the_operator_key_and_never_from_an_empty_one() {
        let a = key();
        let b = SessionKey::derive("another-operator-key").unwrap_or_else(|| panic!("a key"));
        assert_ne!(a.0, b.0);
        assert_eq!(
            a.0,
            hmac_sha256(b"dev-operator-key", b"orderbridge console session v1")
        );
        assert!(SessionKey::derive("").is_none());
        assert_eq!(format!("{a:?}"), "SessionKey(..)");
    }

    #[test]
    fn a_minted_cookie_is_v1_sid_exp_sig_and_verifies_until_it_expires() {
        let minted = mint(&key(), SID, NOW);
        assert_eq!(minted.exp, NOW + SESSION_SECS);
        let signed = format!("v1.{SID}.{}", NOW + SESSION_SECS);
        let sig = hex::encode(&hmac_sha256(&key().0, signed.as_bytes()));
        assert_eq!(minted.value, format!("{signed}.{sig}"));
        assert_eq!(minted.csrf_token, csrf_token(&key(), SID));
        let session = Session {
            sid: SID.to_owned(),
            exp: NOW + SESSION_SECS,
        };
        assert_eq!(verify(&key(), &minted.value, NOW), Ok(session.clone()));
        assert_eq!(
            verify(&key(), &minted.value, NOW + SESSION_SECS - 1),
            Ok(session)
        );
    }

    #[test]
    fn a_cookie_is_refused_for_each_broken_rule() {
        let good = mint(&key(), SID, NOW).value;
        let other_sid = "ffffffffffffffffffffffffffffffff";
        let exp = NOW + SESSION_SECS;
        let sig = good.rsplit('.').next().unwrap_or_default().to_owned();
        let mut flipped = sig.clone();
        let last = if flipped.ends_with('0') { "1" } else { "0" };
        flipped.pop();
        flipped.push_str(last);
        let k = key();
        let other_key = SessionKey::derive("rotated-key").unwrap_or_else(|| panic!("a key"));
        type Case<'a> = (
            &'a str,
            String,
            &'a SessionKey,
            i64,
            Result<(), CookieRefusal>,
        );
        let cases: Vec<Case<'_>> = vec![
            ("the genuine cookie", good.clone(), &k, NOW, Ok(())),
            (
                "signature altered",
                format!("v1.{SID}.{exp}.{flipped}"),
                &k,
                NOW,
                Err(CookieRefusal::Forged),
            ),
            (
                "sid altered",
                format!("v1.{other_sid}.{exp}.{sig}"),
                &k,
                NOW,
                Err(CookieRefusal::Forged),
            ),
            (
                "exp pushed later",
                format!("v1.{SID}.{}.{sig}", exp + 3600),
                &k,
                NOW,
                Err(CookieRefusal::Forged),
            ),
            (
                "another operator key (rotated)",
                good.clone(),
                &other_key,
                NOW,
                Err(CookieRefusal::Forged),
            ),
            (
                "expired at exp",
                good.clone(),
                &k,
                exp,
                Err(CookieRefusal::Expired),
            ),
            (
                "expired long ago",
                mint(&k, SID, NOW - 2 * SESSION_SECS).value,
                &k,
                NOW,
                Err(CookieRefusal::Expired),
            ),
            (
                "another version",
                good.replacen("v1.", "v2.", 1),
                &k,
                NOW,
                Err(CookieRefusal::Malformed),
            ),
            (
                "upper-case sid",
                format!("v1.{}.{exp}.{sig}", SID.to_uppercase()),
                &k,
                NOW,
                Err(CookieRefusal::Malformed),
            ),
            (
                "exp with a sign",
                format!("v1.{SID}.+{exp}.{sig}"),
                &k,
                NOW,
                Err(CookieRefusal::Malformed),
            ),
            (
                "exp with a leading zero",
                format!("v1.{SID}.0{exp}.{sig}"),
                &k,
                NOW,
                Err(CookieRefusal::Malformed),
            ),
            (
                "a short signature",
                format!("v1.{SID}.{exp}.{}", &sig[..63]),
                &k,
                NOW,
                Err(CookieRefusal::Malformed),
            ),
            (
                "an extra part",
                format!("{good}.x"),
                &k,
                NOW,
                Err(CookieRefusal::Malformed),
            ),
            (
                "empty",
                String::new(),
                &k,
                NOW,
                Err(CookieRefusal::Malformed),
            ),
            (
                "garbage",
                "v1...".to_owned(),
                &k,
                NOW,
                Err(CookieRefusal::Malformed),
            ),
        ];
        for (what, value, key, now, want) in cases {
            assert_eq!(
                verify(key, &value, now).map(|_| ()),
                want,
                "{what}: {value}"
            );
        }
    }

    #[test]
    fn the_csrf_token_is_per_session_and_per_key() {
        let token = csrf_token(&key(), SID);
        assert_eq!(token.len(), 64);
        assert_eq!(
            token,
            hex::encode(&hmac_sha256(&key().0, format!("csrf.{SID}").as_bytes()))
        );
        assert_ne!(
            token,
            csrf_token(&key(), "ffffffffffffffffffffffffffffffff")
        );
        let other = SessionKey::derive("rotated-key").unwrap_or_else(|| panic!("a key"));
        assert_ne!(token, csrf_token(&other, SID));
    }

    #[test]
    fn the_set_cookie_values_sign_in_and_out() {
        assert_eq!(
            set_cookie("v1.x.1.y"),
            "ob_session=v1.x.1.y; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=28800"
        );
        assert_eq!(
            clear_cookie(),
            "ob_session=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0"
        );
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let cases: &[(&str, Option<&str>)] = &[
            ("ob_session=v1.a.1.b", Some("v1.a.1.b")),
            ("theme=dark; ob_session=v1.a.1.b; lang=ru", Some("v1.a.1.b")),
            ("theme=dark;ob_session=\"v1.a.1.b\"", Some("v1.a.1.b")),
            ("ob_session=first; ob_session=second", Some("first")),
            ("xob_session=v1.a.1.b", None),
            ("theme=dark", None),
            ("ob_session", None),
            ("", None),
        ];
        for (header, want) in cases {
            assert_eq!(cookie_value(header), *want, "{header:?}");
        }
    }

    #[test]
    fn csrf_allows_a_same_origin_state_change_with_the_token_and_refuses_each_broken_rule() {
        let token = csrf_token(&key(), SID);
        let own = "https://hub.example";
        let base = CsrfRequest {
            method: "POST",
            origin: Some(own),
            sec_fetch_site: Some("same-origin"),
            token: Some(&token),
            own_origin: own,
        };
        let wrong = csrf_token(&key(), "ffffffffffffffffffffffffffffffff");
        type Case<'a> = (
            &'a str,
            CsrfRequest<'a>,
            Option<&'a str>,
            Result<(), CsrfRefusal>,
        );
        let cases: Vec<Case<'_>> = vec![
            ("all good", base, Some(&token), Ok(())),
            (
                "no origin headers (a tool), token right",
                CsrfRequest {
                    origin: None,
                    sec_fetch_site: None,
                    ..base
                },
                Some(&token),
                Ok(()),
            ),
            (
                "Sec-Fetch-Site none (typed by the user)",
                CsrfRequest {
                    sec_fetch_site: Some("none"),
                    ..base
                },
                Some(&token),
                Ok(()),
            ),
            (
                "missing token",
                CsrfRequest {
                    token: None,
                    ..base
                },
                Some(&token),
                Err(CsrfRefusal::MissingToken),
            ),
            (
                "another session's token",
                CsrfRequest {
                    token: Some(&wrong),
                    ..base
                },
                Some(&token),
                Err(CsrfRefusal::WrongToken),
            ),
            (
                "an empty token",
                CsrfRequest {
                    token: Some(""),
                    ..base
                },
                Some(&token),
                Err(CsrfRefusal::WrongToken),
            ),
            (
                "cross-site Origin",
                CsrfRequest {
                    origin: Some("https://evil.example"),
                    ..base
                },
                Some(&token),
                Err(CsrfRefusal::ForeignOrigin(
                    "https://evil.example".to_owned(),
                )),
            ),
            (
                "Origin null",
                CsrfRequest {
                    origin: Some("null"),
                    ..base
                },
                Some(&token),
                Err(CsrfRefusal::ForeignOrigin("null".to_owned())),
            ),
            (
                "same host, other port",
                CsrfRequest {
                    origin: Some("https://hub.example:8443"),
                    ..base
                },
                Some(&token),
                Err(CsrfRefusal::ForeignOrigin(
                    "https://hub.example:8443".to_owned(),
                )),
            ),
            (
                "Sec-Fetch-Site cross-site",
                CsrfRequest {
                    sec_fetch_site: Some("cross-site"),
                    ..base
                },
                Some(&token),
                Err(CsrfRefusal::CrossSiteFetch("cross-site".to_owned())),
            ),
            (
                "Sec-Fetch-Site same-site (a sibling subdomain)",
                CsrfRequest {
                    sec_fetch_site: Some("same-site"),
                    ..base
                },
                Some(&token),
                Err(CsrfRefusal::CrossSiteFetch("same-site".to_owned())),
            ),
            (
                "GET passes without a token, even cross-site",
                CsrfRequest {
                    method: "GET",
                    origin: Some("https://evil.example"),
                    sec_fetch_site: Some("cross-site"),
                    token: None,
                    ..base
                },
                Some(&token),
                Ok(()),
            ),
            (
                "HEAD passes",
                CsrfRequest {
                    method: "HEAD",
                    token: None,
                    ..base
                },
                Some(&token),
                Ok(()),
            ),
            (
                "OPTIONS passes",
                CsrfRequest {
                    method: "OPTIONS",
                    token: None,
                    ..base
                },
                Some(&token),
                Ok(()),
            ),
            (
                "DELETE needs the token",
                CsrfRequest {
                    method: "DELETE",
                    token: None,
                    ..base
                },
                Some(&token),
                Err(CsrfRefusal::MissingToken),
            ),
            (
                "sign-in: no token needed, same origin",
                CsrfRequest {
                    token: None,
                    ..base
                },
                None,
                Ok(()),
            ),
            (
                "sign-in from another site",
                CsrfRequest {
                    token: None,
                    origin: Some("https://evil.example"),
                    ..base
                },
                None,
                Err(CsrfRefusal::ForeignOrigin(
                    "https://evil.example".to_owned(),
                )),
            ),
            (
                "sign-in with Sec-Fetch-Site cross-site",
                CsrfRequest {
                    token: None,
                    origin: None,
                    sec_fetch_site: Some("cross-site"),
                    ..base
                },
                None,
                Err(CsrfRefusal::CrossSiteFetch("cross-site".to_owned())),
            ),
        ];
        for (what, req, expected, want) in cases {
            assert_eq!(csrf(&req, expected), want, "{what}");
        }
    }

    #[test]
    fn each_refusal_names_its_header() {
        let cases = [
            (CsrfRefusal::ForeignOrigin("x".into()), "Origin"),
            (CsrfRefusal::CrossSiteFetch("x".into()), "Sec-Fetch-Site"),
            (CsrfRefusal::MissingToken, "X-CSRF-Token"),
            (CsrfRefusal::WrongToken, "X-CSRF-Token"),
        ];
        for (refusal, field) in cases {
            assert_eq!(refusal.field(), field);
            assert!(refusal.reason().contains(field), "{}", refusal.reason());
        }
    }
}
