//! Issue 19, the console's sign-in: the operator key exchanged for a signed `HttpOnly`
//! session cookie (`POST /admin/session`), accepted wherever the key is; a state change made
//! with the cookie needs the session's `X-CSRF-Token` and no cross-site `Origin` or
//! `Sec-Fetch-Site`; a forged, expired or signed-out cookie is 401; a refused request changes
//! nothing. Cookies are sent by hand (`Cookie` header), as a browser would, no jar.
//!
//! The state change is the operator's client edit (`PUT /admin/clients/{phone}`), read back
//! with `GET /admin/clients/{phone}`; phones `+7 900 555 29 xx` are this file's own.

use hmac::{Hmac, Mac};
use orderbridge_e2e::{expect, request, App, Reply};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::AppTest;

pub const TESTS: &[(&str, AppTest)] = &[
    (
        "console_auth_sign_in_sets_a_strict_cookie_that_reads_like_the_key",
        sign_in_sets_a_strict_cookie_that_reads_like_the_key,
    ),
    (
        "console_auth_a_state_change_with_the_cookie_needs_the_token_and_the_same_origin",
        a_state_change_with_the_cookie_needs_the_token_and_the_same_origin,
    ),
    (
        "console_auth_forged_expired_and_unknown_cookies_are_401_and_change_nothing",
        forged_expired_and_unknown_cookies_are_401_and_change_nothing,
    ),
    (
        "console_auth_sign_out_revokes_the_session_and_clears_the_cookie",
        sign_out_revokes_the_session_and_clears_the_cookie,
    ),
    (
        "console_auth_a_wrong_key_or_a_cross_site_sign_in_gets_no_cookie",
        a_wrong_key_or_a_cross_site_sign_in_gets_no_cookie,
    ),
];

const OPERATOR_KEY: &str = "dev-operator-key";
const OPERATOR: (&str, &str) = ("X-Flyt-Api-Key", OPERATOR_KEY);
const EVIL: &str = "https://evil.example";

fn call(
    app: &App,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> Reply {
    let text = body.map(Value::to_string);
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    let reply = request(
        method,
        &app.url(path),
        &all,
        text.as_deref().map(str::as_bytes),
    )
    .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    crate::conform::check(method, path, &reply);
    reply
}

/// The hub's own origin, as a browser on the console sends it.
fn own_origin(app: &App) -> String {
    app.url("")
}

/// A signed-in session: the cookie value, the `Cookie` header and the CSRF token.
struct Signed {
    value: String,
    cookie: String,
    token: String,
}

fn sign_in(app: &App) -> Signed {
    let origin = own_origin(app);
    let reply = call(
        app,
        "POST",
        "/admin/session",
        &[("Origin", &origin), ("Sec-Fetch-Site", "same-origin")],
        Some(&json!({"key": OPERATOR_KEY})),
    );
    expect(&reply, 201, "sign in");
    let set = reply.header("Set-Cookie").unwrap_or_default().to_owned();
    let value = set
        .strip_prefix("ob_session=")
        .and_then(|rest| rest.split(';').next())
        .unwrap_or_else(|| panic!("no ob_session cookie: {set:?}"))
        .to_owned();
    let token = reply.json()["csrf_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    Signed {
        cookie: format!("theme=dark; ob_session={value}; lang=ru"),
        value,
        token,
    }
}

/// Lowercase hex HMAC-SHA256, computed here rather than with the hub's code.
fn hmac_hex(key: &[u8], message: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key");
    mac.update(message.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A cookie value signed as the hub signs (`v1.<sid>.<exp>.<sig>` under the session key
/// derived from the development operator key).
fn minted(sid: &str, exp: i64) -> String {
    let session_key = {
        let mut mac = Hmac::<Sha256>::new_from_slice(OPERATOR_KEY.as_bytes()).expect("any key");
        mac.update(b"orderbridge console session v1");
        mac.finalize().into_bytes()
    };
    let signed = format!("v1.{sid}.{exp}");
    let sig = hmac_hex(&session_key, &signed);
    format!("{signed}.{sig}")
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

fn parts(value: &str) -> (String, i64, String) {
    let mut it = value.split('.');
    let (_v1, sid, exp, sig) = (it.next(), it.next(), it.next(), it.next());
    (
        sid.unwrap_or_default().to_owned(),
        exp.and_then(|e| e.parse().ok()).unwrap_or_default(),
        sig.unwrap_or_default().to_owned(),
    )
}

fn client(app: &App, phone: &str, headers: &[(&str, &str)]) -> Reply {
    call(
        app,
        "GET",
        &format!("/admin/clients/{phone}"),
        headers,
        None,
    )
}

fn edit_client(app: &App, phone: &str, name: &str, headers: &[(&str, &str)]) -> Reply {
    call(
        app,
        "PUT",
        &format!("/admin/clients/{phone}"),
        headers,
        Some(&json!({"name": name})),
    )
}

fn is_csrf(reply: &Reply, what: &str) {
    expect(reply, 403, what);
    let body = reply.json();
    assert_eq!(body["errors"][0]["code"], "csrf", "{what}: {}", reply.body);
    assert!(
        body["error"]
            .as_str()
            .unwrap_or_default()
            .starts_with("csrf"),
        "{what}: {}",
        reply.body
    );
}

fn sign_in_sets_a_strict_cookie_that_reads_like_the_key(app: &App) {
    let before = unix_now();
    let origin = own_origin(app);
    let reply = call(
        app,
        "POST",
        "/admin/session",
        &[("Origin", &origin)],
        Some(&json!({"key": OPERATOR_KEY})),
    );
    expect(&reply, 201, "sign in");
    let set = reply.header("Set-Cookie").unwrap_or_default().to_owned();
    let value = set
        .strip_prefix("ob_session=")
        .and_then(|rest| rest.split(';').next())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        set,
        format!("ob_session={value}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=28800"),
        "the cookie's attributes"
    );
    assert_eq!(reply.header("Cache-Control"), Some("no-store"));
    // v1.<32 hex sid>.<exp>.<64 hex sig>, exp 8 hours on, signed as the contract says.
    let (sid, exp, sig) = parts(&value);
    assert_eq!(sid.len(), 32, "{value}");
    assert!(sid
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    assert_eq!(sig.len(), 64, "{value}");
    assert!(
        (before + 28_800 - 5..=unix_now() + 28_800 + 5).contains(&exp),
        "exp {exp}"
    );
    assert_eq!(minted(&sid, exp), value, "the signature is the contract's");
    let body = reply.json();
    let token = body["csrf_token"].as_str().unwrap_or_default().to_owned();
    assert_eq!(token.len(), 64, "{}", reply.body);
    assert!(
        !reply.body.contains(OPERATOR_KEY) && !value.contains(OPERATOR_KEY),
        "the key never goes back to the browser"
    );
    let expires_at = body["expires_at"].as_str().unwrap_or_default();
    assert!(expires_at.ends_with('Z'), "{expires_at}");

    // The cookie (among others) reads what the key reads.
    let cookie = format!("theme=dark; ob_session={value}");
    let orders = call(app, "GET", "/admin/orders", &[("Cookie", &cookie)], None);
    expect(&orders, 200, "orders with the cookie");
    assert!(orders.json()["orders"].is_array(), "{}", orders.body);
    // A reloaded page gets its token again.
    let again = call(app, "GET", "/admin/session", &[("Cookie", &cookie)], None);
    expect(&again, 200, "the session read back");
    assert_eq!(again.json()["csrf_token"], token.as_str());
    assert_eq!(again.json()["expires_at"], expires_at);

    // Without a cookie or a key: 401; the key alone still works, without any cookie.
    expect(
        &call(app, "GET", "/admin/orders", &[], None),
        401,
        "no cookie, no key",
    );
    expect(
        &call(app, "GET", "/admin/session", &[], None),
        401,
        "no session",
    );
    expect(
        &call(app, "GET", "/admin/orders", &[OPERATOR], None),
        200,
        "the key header",
    );
    // With the key header present the cookie is not looked at: a wrong key is 401.
    expect(
        &call(
            app,
            "GET",
            "/admin/orders",
            &[("X-Flyt-Api-Key", "not-the-key"), ("Cookie", &cookie)],
            None,
        ),
        401,
        "a wrong key with a good cookie",
    );
}

fn a_state_change_with_the_cookie_needs_the_token_and_the_same_origin(app: &App) {
    let s = sign_in(app);
    let origin = own_origin(app);
    let phone = "79005552901";

    // With the cookie and the token, from the console's own origin: it works.
    let made = edit_client(
        app,
        phone,
        "Console Made",
        &[
            ("Cookie", &s.cookie),
            ("X-CSRF-Token", &s.token),
            ("Origin", &origin),
            ("Sec-Fetch-Site", "same-origin"),
        ],
    );
    assert!(
        made.status == 201 || made.status == 200,
        "edit with cookie and token: {} {}",
        made.status,
        made.body
    );
    let read = client(app, phone, &[("Cookie", &s.cookie)]);
    expect(&read, 200, "read back with the cookie");
    assert_eq!(read.json()["name"], "Console Made");

    // Each refusal is 403 csrf, and the client is unchanged.
    let wrong = "0".repeat(64);
    let other = sign_in(app);
    let refused: [(&str, Vec<(&str, &str)>); 5] = [
        ("no X-CSRF-Token", vec![("Origin", origin.as_str())]),
        (
            "a wrong token",
            vec![
                ("X-CSRF-Token", wrong.as_str()),
                ("Origin", origin.as_str()),
            ],
        ),
        (
            "another session's token",
            vec![("X-CSRF-Token", other.token.as_str())],
        ),
        (
            "a cross-site Origin",
            vec![("X-CSRF-Token", s.token.as_str()), ("Origin", EVIL)],
        ),
        (
            "Sec-Fetch-Site: cross-site",
            vec![
                ("X-CSRF-Token", s.token.as_str()),
                ("Sec-Fetch-Site", "cross-site"),
            ],
        ),
    ];
    for (what, mut headers) in refused {
        headers.push(("Cookie", &s.cookie));
        is_csrf(&edit_client(app, phone, "Forged Name", &headers), what);
        // A refused create makes nothing either.
        is_csrf(&edit_client(app, "79005552902", "Forged", &headers), what);
    }
    let read = client(app, phone, &[OPERATOR]);
    assert_eq!(read.json()["name"], "Console Made", "nothing changed");
    expect(
        &client(app, "79005552902", &[OPERATOR]),
        404,
        "nothing was made",
    );

    // A cookie-authenticated read needs no token, even cross-site (SameSite keeps the cookie
    // home in a browser; a read changes nothing).
    expect(
        &client(app, phone, &[("Cookie", &s.cookie), ("Origin", EVIL)]),
        200,
        "a read with the cookie",
    );
    // The key header needs no token: it cannot be sent cross-site without CORS consent.
    let by_key = edit_client(app, phone, "Key Edit", &[OPERATOR, ("Origin", EVIL)]);
    expect(&by_key, 200, "an edit with the key");
    assert_eq!(client(app, phone, &[OPERATOR]).json()["name"], "Key Edit");
}

fn forged_expired_and_unknown_cookies_are_401_and_change_nothing(app: &App) {
    let s = sign_in(app);
    let (sid, exp, sig) = parts(&s.value);
    let phone = "79005552903";
    let mut flipped = sig.clone();
    let last = if flipped.ends_with('0') { '1' } else { '0' };
    flipped.pop();
    flipped.push(last);
    // The same sid with its first digit changed.
    let rest = sid.get(1..).unwrap_or_default();
    let other_sid = if sid.starts_with('f') {
        format!("e{rest}")
    } else {
        format!("f{rest}")
    };
    let unknown_sid = "0123456789abcdef0123456789abcdef";
    let cases = [
        ("signature altered", format!("v1.{sid}.{exp}.{flipped}")),
        ("sid altered", format!("v1.{other_sid}.{exp}.{sig}")),
        (
            "exp pushed later",
            format!("v1.{sid}.{}.{sig}", exp + 86_400),
        ),
        // Genuinely signed, but its time is over (the session's row is live).
        ("expired", minted(&sid, unix_now() - 60)),
        // Genuinely signed and in time, but no sign-in made it (no row).
        ("no such session", minted(unknown_sid, unix_now() + 3600)),
        ("garbage", "v1.x.y.z".to_owned()),
        ("empty", String::new()),
    ];
    for (what, value) in cases {
        let cookie = format!("ob_session={value}");
        expect(
            &call(app, "GET", "/admin/orders", &[("Cookie", &cookie)], None),
            401,
            what,
        );
        expect(
            &call(app, "GET", "/admin/session", &[("Cookie", &cookie)], None),
            401,
            what,
        );
        // The right token of the cookie's sid does not help.
        let token = hmac_hex(
            &{
                let mut mac =
                    Hmac::<Sha256>::new_from_slice(OPERATOR_KEY.as_bytes()).expect("any key");
                mac.update(b"orderbridge console session v1");
                mac.finalize().into_bytes()
            },
            &format!("csrf.{}", parts(&value).0),
        );
        let origin = own_origin(app);
        expect(
            &edit_client(
                app,
                phone,
                "Forged",
                &[
                    ("Cookie", &cookie),
                    ("X-CSRF-Token", &token),
                    ("Origin", &origin),
                ],
            ),
            401,
            what,
        );
    }
    expect(&client(app, phone, &[OPERATOR]), 404, "nothing was made");
    // The genuine cookie still works.
    expect(
        &call(app, "GET", "/admin/orders", &[("Cookie", &s.cookie)], None),
        200,
        "the genuine cookie",
    );
}

fn sign_out_revokes_the_session_and_clears_the_cookie(app: &App) {
    let s = sign_in(app);
    let origin = own_origin(app);
    // Sign-out needs the token (a cross-site page must not sign the operator out).
    is_csrf(
        &call(
            app,
            "DELETE",
            "/admin/session",
            &[("Cookie", &s.cookie)],
            None,
        ),
        "sign-out without the token",
    );
    is_csrf(
        &call(
            app,
            "DELETE",
            "/admin/session",
            &[
                ("Cookie", &s.cookie),
                ("X-CSRF-Token", &s.token),
                ("Origin", EVIL),
            ],
            None,
        ),
        "sign-out from another site",
    );
    expect(
        &call(app, "GET", "/admin/session", &[("Cookie", &s.cookie)], None),
        200,
        "still signed in",
    );
    let out = call(
        app,
        "DELETE",
        "/admin/session",
        &[
            ("Cookie", &s.cookie),
            ("X-CSRF-Token", &s.token),
            ("Origin", &origin),
        ],
        None,
    );
    expect(&out, 204, "sign-out");
    assert_eq!(
        out.header("Set-Cookie"),
        Some("ob_session=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0"),
        "the cookie is cleared"
    );
    // The old cookie, still correctly signed and in time, is refused everywhere now.
    for (method, path) in [("GET", "/admin/session"), ("GET", "/admin/orders")] {
        expect(
            &call(app, method, path, &[("Cookie", &s.cookie)], None),
            401,
            "the signed-out cookie",
        );
    }
    expect(
        &call(
            app,
            "DELETE",
            "/admin/session",
            &[("Cookie", &s.cookie), ("X-CSRF-Token", &s.token)],
            None,
        ),
        401,
        "signing out twice",
    );
    // Another session is untouched.
    let other = sign_in(app);
    expect(
        &call(
            app,
            "GET",
            "/admin/orders",
            &[("Cookie", &other.cookie)],
            None,
        ),
        200,
        "another session",
    );
}

fn a_wrong_key_or_a_cross_site_sign_in_gets_no_cookie(app: &App) {
    let origin = own_origin(app);
    type Case<'a> = (&'a str, Value, Vec<(&'a str, &'a str)>, u16);
    let cases: [Case<'_>; 7] = [
        (
            "a wrong key",
            json!({"key": "not-the-operator-key"}),
            vec![("Origin", origin.as_str())],
            401,
        ),
        ("no key", json!({}), vec![], 401),
        ("an empty key", json!({"key": ""}), vec![], 401),
        ("a key that is not text", json!({"key": 42}), vec![], 401),
        ("the site key", json!({"key": "dev-site-key"}), vec![], 401),
        (
            "the right key from another site",
            json!({"key": OPERATOR_KEY}),
            vec![("Origin", EVIL)],
            403,
        ),
        (
            "the right key, Sec-Fetch-Site cross-site",
            json!({"key": OPERATOR_KEY}),
            vec![("Sec-Fetch-Site", "cross-site")],
            403,
        ),
    ];
    for (what, body, headers, status) in cases {
        let reply = call(app, "POST", "/admin/session", &headers, Some(&body));
        expect(&reply, status, what);
        assert_eq!(reply.header("Set-Cookie"), None, "{what}: no cookie");
        if status == 403 {
            is_csrf(&reply, what);
        }
    }
    // The operator key in its header is not a sign-in.
    let header_only = call(app, "POST", "/admin/session", &[OPERATOR], Some(&json!({})));
    expect(&header_only, 401, "the key header without a body key");
    assert_eq!(header_only.header("Set-Cookie"), None);
    // Not JSON: 400, no cookie.
    let reply = request(
        "POST",
        &app.url("/admin/session"),
        &[("Content-Type", "application/json")],
        Some(b"key=dev-operator-key"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    expect(&reply, 400, "not JSON");
    assert_eq!(reply.header("Set-Cookie"), None);
}
