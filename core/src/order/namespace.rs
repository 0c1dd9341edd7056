//! Whose `number` is it: the namespace an order's number is unique in (issue 22 point 2).
//!
//! Placing a site order is public, so a number unique across the whole hub could be claimed
//! by anyone first (the real customer's order then fails `409 duplicate`), and a site order
//! numbered like a marketplace order (`jet-…`, `oc-…`) blocked that Just Eat order. A number
//! is therefore unique only within its namespace, and a retry finds its order only there:
//!
//! | caller | namespace (stored) | why |
//! |--------|--------------------|-----|
//! | a site with the right `X-Jup-Api-Key` | `key` | the key is a secret: nobody without it writes here, whatever `Origin` it sends |
//! | a browser (`Origin: scheme://host[:port]`) | `origin:` + the origin, lowercased, default port dropped | a page cannot choose the `Origin` its browser sends, so one site's pages cannot claim another site's numbers |
//! | no `Origin`, or `Origin: null` (sandboxed frames, `file:` pages) | `public` | nothing says who it is; such callers share one namespace, which no site's browser orders and no marketplace order are in |
//! | JET Connect | `jet` | Just Eat's signed orders only |
//! | Orderconnect | `orderconnect` | Just Eat's keyed orders only |
//!
//! An `Origin` that is not a serialised origin (a path, user info, blanks, a bad port, more
//! than [`ORIGIN_MAX`] characters) is refused (`bad_origin`, field `Origin`): browsers never
//! send one, and it must not make a namespace of its own that looks like a site's.
//! Only `origin:` namespaces hold caller-chosen text, so no caller can reach `key`,
//! `public` or a marketplace's namespace.
//!
//! The limit: a program (not a browser) can send any `Origin`, so it can still claim
//! numbers in a browser site's namespace; a site that must rule that out places its orders
//! server-to-server with the site key, or uses numbers nobody can guess.
//!
//! ## Upstream
//!
//! An upstream Jupiter knows one site (the hub's key), so equal numbers from two namespaces
//! must not reach it as equal: [`upstream_number`] sends a site order under the hub's
//! order id (unique, and what the hub's callback URL already names) and a marketplace order
//! under its own number (`jet-…`, `oc-…`: Just Eat's id, which no site order is sent as).

use std::fmt;

use crate::problem::Violation;

/// The longest `Origin` taken (a 253-character host with a scheme and port fits).
pub const ORIGIN_MAX: usize = 300;

/// The namespace an order's `number` is unique in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Namespace {
    /// A site with the site key (`X-Jup-Api-Key`).
    SiteKey,
    /// A browser's origin, normalised (`https://shop.example`).
    Origin(String),
    /// A site order with nothing to say who placed it.
    Public,
    /// JET Connect orders.
    Jet,
    /// Orderconnect orders.
    Orderconnect,
}

impl Namespace {
    /// Whether marketplace orders live here.
    pub fn is_marketplace(&self) -> bool {
        matches!(self, Namespace::Jet | Namespace::Orderconnect)
    }
}

/// The stored form (`orders.namespace`).
impl fmt::Display for Namespace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Namespace::SiteKey => f.write_str("key"),
            Namespace::Origin(origin) => write!(f, "origin:{origin}"),
            Namespace::Public => f.write_str("public"),
            Namespace::Jet => f.write_str("jet"),
            Namespace::Orderconnect => f.write_str("orderconnect"),
        }
    }
}

/// The namespace of a site order: `trusted` when the request carried the right site key,
/// `origin` the request's `Origin` header. See the module's table.
pub fn site_namespace(trusted: bool, origin: Option<&str>) -> Result<Namespace, Violation> {
    if trusted {
        return Ok(Namespace::SiteKey);
    }
    match origin {
        None => Ok(Namespace::Public),
        Some(text) if text.eq_ignore_ascii_case("null") => Ok(Namespace::Public),
        Some(text) => {
            normalise_origin(text)
                .map(Namespace::Origin)
                .ok_or_else(|| {
                    let shown: String = text.chars().take(80).collect();
                    Violation::new(
                "bad_origin",
                Some("Origin"),
                format!("{shown:?} is not an origin (scheme://host[:port], as browsers send it)"),
            )
                })
        }
    }
}

/// `scheme://host[:port]` lowercased, with http's 80 and https's 443 dropped; `None` when
/// `text` is not a serialised origin (RFC 6454 §6.2).
fn normalise_origin(text: &str) -> Option<String> {
    if text.len() > ORIGIN_MAX || !text.is_ascii() {
        return None;
    }
    let (scheme, rest) = text.split_once("://")?;
    let mut chars = scheme.chars();
    let scheme_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return None;
    }
    let scheme = scheme.to_ascii_lowercase();
    let (host, port) = split_port(rest)?;
    if !host_ok(host) {
        return None;
    }
    let host = host.to_ascii_lowercase();
    let port = match port {
        None => None,
        Some(p) => {
            if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let n: u16 = p.parse().ok()?;
            let default = matches!((scheme.as_str(), n), ("http", 80) | ("https", 443));
            (!default).then_some(n)
        }
    };
    Some(match port {
        Some(n) => format!("{scheme}://{host}:{n}"),
        None => format!("{scheme}://{host}"),
    })
}

/// The host and the port text after `:`, an IPv6 literal's brackets kept.
fn split_port(rest: &str) -> Option<(&str, Option<&str>)> {
    if rest.starts_with('[') {
        let end = rest.find(']')?;
        let (host, after) = rest.split_at(end + 1);
        return match after {
            "" => Some((host, None)),
            _ => Some((host, Some(after.strip_prefix(':')?))),
        };
    }
    match rest.split_once(':') {
        Some((host, port)) => Some((host, Some(port))),
        None => Some((rest, None)),
    }
}

/// A registered name or IPv4 address (letters, digits, `-`, `.`), or an IPv6 literal.
fn host_ok(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return !inner.is_empty()
            && inner
                .chars()
                .all(|c| c.is_ascii_hexdigit() || matches!(c, ':' | '.'));
    }
    !host.is_empty()
        && !host.starts_with('.')
        && !host.contains("..")
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
}

/// The `number` an upstream Jupiter receives for an order numbered `number` in `namespace`
/// and stored as `order_id`: a marketplace's own number, else the hub's order id, so that
/// equal numbers from two sites never meet upstream.
pub fn upstream_number<'a>(namespace: &Namespace, number: &'a str, order_id: &'a str) -> &'a str {
    if namespace.is_marketplace() {
        number
    } else {
        order_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn each_caller_gets_its_own_namespace() {
        let origin = |o: &str| Ok(Namespace::Origin(o.to_owned()));
        let cases: &[(bool, Option<&str>, Result<Namespace, ()>)] = &[
            // The key decides, whatever the Origin says (even a malformed one).
            (true, None, Ok(Namespace::SiteKey)),
            (true, Some("https://shop.example"), Ok(Namespace::SiteKey)),
            (true, Some("not an origin"), Ok(Namespace::SiteKey)),
            (false, None, Ok(Namespace::Public)),
            (false, Some("null"), Ok(Namespace::Public)),
            (
                false,
                Some("https://shop.example"),
                origin("https://shop.example"),
            ),
            (
                false,
                Some("HTTPS://Shop.Example"),
                origin("https://shop.example"),
            ),
            (
                false,
                Some("https://shop.example:443"),
                origin("https://shop.example"),
            ),
            (
                false,
                Some("http://shop.example:80"),
                origin("http://shop.example"),
            ),
            (
                false,
                Some("https://shop.example:8443"),
                origin("https://shop.example:8443"),
            ),
            (
                false,
                Some("http://127.0.0.1:8787"),
                origin("http://127.0.0.1:8787"),
            ),
            (
                false,
                Some("http://[::1]:3000"),
                origin("http://[::1]:3000"),
            ),
            (
                false,
                Some("capacitor://localhost"),
                origin("capacitor://localhost"),
            ),
            (
                false,
                Some("https://xn--e1afmkfd.xn--p1ai"),
                origin("https://xn--e1afmkfd.xn--p1ai"),
            ),
            // Refused: not what a browser sends.
            (false, Some(""), Err(())),
            (false, Some("shop.example"), Err(())),
            (false, Some("https://"), Err(())),
            (false, Some("https://shop.example/"), Err(())),
            (false, Some("https://shop.example/path"), Err(())),
            (false, Some("https://user@shop.example"), Err(())),
            (false, Some("https://shop.example:"), Err(())),
            (false, Some("https://shop.example:99999"), Err(())),
            (false, Some("https://shop.example:+443"), Err(())),
            (false, Some("https://shop example"), Err(())),
            (false, Some(" https://shop.example"), Err(())),
            (false, Some("https://shop..example"), Err(())),
            (false, Some("https://пример.рф"), Err(())),
            (false, Some("1http://shop.example"), Err(())),
            (false, Some("http://[::1"), Err(())),
            (false, Some("http://[::1]x"), Err(())),
            (false, Some("https://shop.example?q"), Err(())),
        ];
        for (trusted, header, want) in cases {
            let got = site_namespace(*trusted, *header);
            match (&got, want) {
                (Ok(ns), Ok(w)) => assert_eq!(ns, w, "{header:?}"),
                (Err(v), Err(())) => {
                    assert_eq!(v.code, "bad_origin", "{header:?}");
                    assert_eq!(v.field.as_deref(), Some("Origin"), "{header:?}");
                }
                _ => panic!("{trusted} {header:?}: got {got:?}, want {want:?}"),
            }
        }
        let long = format!("https://{}.example", "a".repeat(ORIGIN_MAX));
        assert!(site_namespace(false, Some(&long)).is_err(), "too long");
    }

    #[test]
    fn no_caller_reaches_another_callers_namespace() {
        let fixed = [
            Namespace::SiteKey,
            Namespace::Public,
            Namespace::Jet,
            Namespace::Orderconnect,
        ];
        let stored: Vec<String> = fixed.iter().map(ToString::to_string).collect();
        assert_eq!(stored, ["key", "public", "jet", "orderconnect"]);
        // Whatever a browser (or a program posing as one) sends, it lands in `origin:…`.
        for header in [
            "jet",
            "key",
            "public",
            "orderconnect",
            "jet://x",
            "key://jet",
        ] {
            if let Ok(ns) = site_namespace(false, Some(header)) {
                let text = ns.to_string();
                assert!(text.starts_with("origin:"), "{header:?} → {text}");
                assert!(!stored.contains(&text), "{header:?}");
            }
        }
        assert_ne!(
            site_namespace(false, Some("https://a.example")),
            site_namespace(false, Some("https://b.example"))
        );
    }

    #[test]
    fn upstream_numbers_are_unique_across_namespaces() {
        let cases: &[(Namespace, &str, &str, &str)] = &[
            (Namespace::Jet, "jet-42", "ord_1", "jet-42"),
            (Namespace::Orderconnect, "oc-42", "ord_2", "oc-42"),
            (Namespace::Public, "jet-42", "ord_3", "ord_3"),
            (Namespace::SiteKey, "1001", "ord_4", "ord_4"),
            (
                Namespace::Origin("https://a.example".to_owned()),
                "1001",
                "ord_5",
                "ord_5",
            ),
        ];
        for (ns, number, id, want) in cases {
            assert_eq!(upstream_number(ns, number, id), *want, "{ns} {number}");
        }
    }
}
