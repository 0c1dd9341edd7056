//! The outbound URL guard (`status_url`, menu `callback_url`, every URL the hub calls),
//! checked against the WHATWG URL parser `fetch` uses (the `url` crate).
//!
//! Contract, under the production and the development policy: no panic; a refusal names a
//! code and a message; an accepted URL is normalised (checking it again gives it back,
//! ASCII without blanks, and `?name=value` added by the hub is accepted too), and the
//! WHATWG parser reads the input and the normalised URL to the same scheme, host and port
//! as the guard. What production accepts, development accepts as the same URL; under
//! production the scheme is https on port 443 and the host the WHATWG parser reads is no
//! loopback, private, link-local, shared, reserved or local name (rules written here
//! independently of the guard's).
#![no_main]

use std::net::{Ipv4Addr, Ipv6Addr};

use libfuzzer_sys::fuzz_target;
use orderbridge_core::outbound::url_guard::{
    check_outbound_url, OutboundUrl, Scheme, UrlPolicy, MAX_URL_LEN,
};
use url::{Host, Url};

fn public_v4(a: Ipv4Addr) -> bool {
    let [x, y, ..] = a.octets();
    !(a.is_private()
        || a.is_loopback()
        || a.is_link_local()
        || a.is_unspecified()
        || a.is_broadcast()
        || a.is_documentation()
        || a.is_multicast()
        || x == 0
        || x >= 240
        || (x == 100 && (64..128).contains(&y))
        || (x == 198 && (y == 18 || y == 19))
        || (x == 192 && y == 0 && a.octets()[2] == 0))
}

fn public_v6(a: Ipv6Addr) -> bool {
    let s = a.segments();
    let embedded = |hi: u16, lo: u16| {
        public_v4(Ipv4Addr::new(
            (hi >> 8) as u8,
            hi as u8,
            (lo >> 8) as u8,
            lo as u8,
        ))
    };
    match s {
        // NAT64 and 6to4 carry an IPv4 address: as public as it is.
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => embedded(hi, lo),
        [0x2002, hi, lo, ..] => embedded(hi, lo),
        // 2001::/23 (Teredo, protocol assignments), 2001:db8::/32, 3fff::/20.
        [0x2001, x, ..] if x < 0x200 || x == 0xdb8 => false,
        [0x3fff, x, ..] if x < 0x1000 => false,
        // Otherwise global unicast, 2000::/3.
        [x, ..] => x & 0xe000 == 0x2000,
    }
}

fn local_name(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    name == "localhost"
        || [
            ".localhost",
            ".local",
            ".internal",
            ".localdomain",
            ".home.arpa",
            ".lan",
        ]
        .iter()
        .any(|suffix| name.ends_with(suffix))
        || !name.contains('.')
}

fn same_as_whatwg(what: &str, text: &str, url: &OutboundUrl) {
    let parsed = match Url::parse(text) {
        Ok(parsed) => parsed,
        Err(err) => panic!("{what} {text:?}: accepted as {url}, but WHATWG refuses it: {err}"),
    };
    let scheme = match url.scheme() {
        Scheme::Https => "https",
        Scheme::Http => "http",
    };
    assert_eq!(parsed.scheme(), scheme, "{what} {text:?}: scheme");
    // The guard drops one trailing dot of a name (the same DNS name); WHATWG keeps it.
    let host = parsed.host_str().map(|h| match parsed.host() {
        Some(Host::Domain(_)) => h.strip_suffix('.').unwrap_or(h),
        _ => h,
    });
    assert_eq!(host, Some(url.host()), "{what} {text:?}: host");
    assert_eq!(
        parsed.port_or_known_default(),
        Some(url.port()),
        "{what} {text:?}: port"
    );
}

fn accepted(text: &str, policy: &UrlPolicy, url: &OutboundUrl) {
    let again = check_outbound_url(url.as_str(), policy);
    assert_eq!(
        again.as_ref(),
        Ok(url),
        "{text:?}: the normalised URL checks differently"
    );
    let s = url.as_str();
    assert!(
        s.is_ascii() && !s.chars().any(|c| c.is_whitespace() || c.is_control()),
        "{text:?}: normalised to {s:?}"
    );
    if s.len() + 32 <= MAX_URL_LEN {
        let with = url.with_query_param("status", "10 &x=1");
        assert_eq!(
            check_outbound_url(with.as_str(), policy).as_ref(),
            Ok(&with),
            "{text:?}: with a query parameter"
        );
    }
    same_as_whatwg("input", text, url);
    same_as_whatwg("normalised", s, url);
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let production = check_outbound_url(text, &UrlPolicy::PRODUCTION);
    let development = check_outbound_url(text, &UrlPolicy::DEVELOPMENT);
    for result in [&production, &development] {
        if let Err(refusal) = result {
            assert!(
                !refusal.message().is_empty(),
                "{text:?}: refusal without a message"
            );
            assert!(refusal.code().as_str().starts_with("url_"));
        }
    }
    if let Ok(url) = &development {
        accepted(text, &UrlPolicy::DEVELOPMENT, url);
    }
    if let Ok(url) = &production {
        accepted(text, &UrlPolicy::PRODUCTION, url);
        assert_eq!(
            development.as_ref(),
            Ok(url),
            "{text:?}: production ⊄ development"
        );
        assert_eq!(
            url.scheme(),
            Scheme::Https,
            "{text:?}: production over http"
        );
        assert_eq!(
            url.port(),
            443,
            "{text:?}: production on port {}",
            url.port()
        );
        if let Ok(parsed) = Url::parse(text) {
            match parsed.host() {
                Some(Host::Ipv4(a)) => assert!(public_v4(a), "{text:?}: production to {a}"),
                Some(Host::Ipv6(a)) => assert!(public_v6(a), "{text:?}: production to {a}"),
                Some(Host::Domain(name)) => {
                    assert!(!local_name(name), "{text:?}: production to {name}")
                }
                None => panic!("{text:?}: production without a host"),
            }
        }
    }
});
