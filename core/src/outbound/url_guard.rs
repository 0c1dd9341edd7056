//! The outbound URL guard: may the hub call this URL at all?
//!
//! Front-ends hand us a `status_url`, POS tools a menu `callback_url`; the hub then makes
//! requests to them from inside Cloudflare's network, with its own credentials nearby. A URL
//! that names a private, loopback or link-local address (or a name that resolves inside a
//! network, like `localhost`) would turn the hub into a proxy into places its caller cannot
//! reach: server-side request forgery. So every outbound URL is checked when it is accepted
//! (an order, a menu ingestion: the caller gets the refusal at once, not a silent drop
//! later) and again before each send (the policy may have changed).
//!
//! The rules, and why:
//!
//! * **Absolute `https://` only.** `http://` is allowed only when the policy allows loopback
//!   (development, `ALLOW_LOOPBACK_CALLBACKS`) *and* the host is loopback: a local test sink
//!   has no certificate, nothing else needs plain text.
//! * **No userinfo** (`user:pass@`): credentials do not belong in stored URLs, and
//!   `https://good.example@evil.example/` is a classic way to make a URL look like another.
//! * **No special-purpose IP literals**, in every spelling a WHATWG parser (which `fetch`
//!   uses) accepts. Refused IPv4: `0.0.0.0/8`, `10/8`, `100.64/10` (CGNAT), `127/8`,
//!   `169.254/16`, `172.16/12`, `192.0.0/24`, `192.0.2/24`, `192.88.99/24`, `192.168/16`,
//!   `198.18/15`, `198.51.100/24`, `203.0.113/24`, `224/4`, `240/4`, `255.255.255.255`.
//!   The documentation and benchmarking ranges are refused too: nothing real lives there, so
//!   a URL naming them is a mistake or a probe. Refused IPv6: `::`, `::1`, IPv4-mapped
//!   (`::ffff:0:0/96`) and IPv4-compatible (`::/96`) addresses whatever they embed (write the
//!   IPv4 address itself), NAT64 `64:ff9b::/96` and 6to4 `2002::/16` when the embedded IPv4
//!   address is refused, local-use NAT64 `64:ff9b:1::/48`, `fe80::/10`, `fec0::/10`,
//!   `fc00::/7`, `ff00::/8`, `2001:db8::/32`, `3fff::/20`, `2001::/23` (Teredo and other
//!   protocol assignments), `100::/64`, and anything outside global unicast `2000::/3`.
//! * **IPv4 must be written in dotted decimal.** WHATWG parsers read `2130706433`,
//!   `0177.0.0.1`, `0x7f.0.0.1` and `127.1` as `127.0.0.1`; other tools read them as names or
//!   differently. Any such spelling is refused, whatever address it means, so that there is
//!   never a disagreement between what we checked and what `fetch` connects to. A name whose
//!   last label is numeric (`foo.123`) is refused for the same reason.
//! * **No local names:** `localhost`, `*.localhost` (loopback, allowed with loopback),
//!   `*.local` (mDNS), `*.internal`, `*.localdomain`, `*.home.arpa`, `*.lan`, and single-label
//!   names (resolved by search domains). One trailing dot is ignored (`localhost.` is
//!   `localhost`) and removed from the normalised URL.
//! * **Default ports only** (443, or 80 for loopback `http`) unless the policy allows others:
//!   a port is how SSRF reaches admin services on public hosts.
//! * **Percent-encoded hosts are decoded, then checked** (`%31%32%37.0.0.1` is
//!   `127.0.0.1`). **International names** are taken as `fetch` (WHATWG URL, UTS 46)
//!   reads them, or refused: a punycode label (`xn--`) must be valid, canonical punycode of
//!   a non-ASCII label (`xn--`, `xn--zz` are refused) of the same characters as a Unicode
//!   label; a Unicode label is taken only when UTS 46 leaves every character as it is (`пример.рф` becomes `xn--e1afmkfd.xn--p1ai`,
//!   then checked as any name), since IDNA mapping (full-width digits become digits) is a
//!   bypass we would otherwise have to replicate ([`super::punycode`]).
//! * **No whitespace, control characters or backslashes anywhere**: parsers disagree on
//!   them (WHATWG strips tabs and reads `\` as `/`), and disagreement is how guards are
//!   bypassed. The URL is limited to [`MAX_URL_LEN`] bytes, as given and once normalised
//!   (percent-encoding can triple it).
//!
//! What this cannot check: a public name that *resolves* to a private address (DNS
//! rebinding, `127.0.0.1.nip.io`). Core does no DNS; on Cloudflare the Worker's `fetch`
//! cannot reach private networks, which is the second line.
//!
//! The URL is split by hand (`scheme://[userinfo@]host[:port][/path][?query][#fragment]`,
//! IPv6 in brackets) rather than with the `url` crate, to keep the Worker small. The
//! fragment is dropped (it is never sent), non-ASCII and unsafe bytes in the path and query
//! are percent-encoded, and the result is stable: checking a normalised URL again gives it
//! back unchanged.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::punycode::ascii_label;

use crate::problem::Violation;

/// The longest outbound URL accepted, in bytes.
pub const MAX_URL_LEN: usize = 2048;

/// What the deployment allows beyond the strict production rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UrlPolicy {
    /// Allow loopback hosts (`127.0.0.0/8` in dotted decimal, `[::1]`, `localhost`), and plain
    /// `http` to them. Development only.
    pub allow_loopback: bool,
    /// Allow ports other than the scheme's default. Development only.
    pub allow_non_default_ports: bool,
}

impl UrlPolicy {
    /// The strict rules: https, public hosts, default ports.
    pub const PRODUCTION: UrlPolicy = UrlPolicy {
        allow_loopback: false,
        allow_non_default_ports: false,
    };
    /// `wrangler dev` with local test sinks: loopback over http on any port.
    pub const DEVELOPMENT: UrlPolicy = UrlPolicy {
        allow_loopback: true,
        allow_non_default_ports: true,
    };
}

/// The scheme of an accepted URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Https,
    /// Only ever to a loopback host, under a development policy.
    Http,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Https => "https",
            Scheme::Http => "http",
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Https => 443,
            Scheme::Http => 80,
        }
    }
}

/// A URL that passed [`check_outbound_url`], in normalised form: lowercase scheme and host,
/// no trailing dot, no default port, a path of at least `/`, no fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundUrl {
    scheme: Scheme,
    host: String,
    port: Option<u16>,
    path: String,
    query: Option<String>,
    serialized: String,
}

impl OutboundUrl {
    fn new(
        scheme: Scheme,
        host: String,
        port: Option<u16>,
        path: String,
        query: Option<String>,
    ) -> OutboundUrl {
        let mut serialized = format!("{}://{}", scheme.as_str(), host);
        if let Some(port) = port {
            serialized.push_str(&format!(":{port}"));
        }
        serialized.push_str(&path);
        if let Some(query) = &query {
            serialized.push('?');
            serialized.push_str(query);
        }
        OutboundUrl {
            scheme,
            host,
            port,
            path,
            query,
            serialized,
        }
    }

    /// The normalised URL, as it is stored and requested.
    pub fn as_str(&self) -> &str {
        &self.serialized
    }

    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The host: a lowercase name, a dotted-decimal IPv4 address, or a bracketed IPv6 one.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port requests go to (the default one when the URL names none).
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(self.scheme.default_port())
    }

    /// The path, starting with `/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query without its `?`, if the URL has one.
    pub fn query(&self) -> Option<&str> {
        self.query.as_deref()
    }

    /// This URL with `name=value` appended to its query, keeping what is there:
    /// `https://site.example/cb?order_id=1` with `("status", "10")` becomes
    /// `https://site.example/cb?order_id=1&status=10`. Name and value are percent-encoded
    /// (everything but `A-Z a-z 0-9 - . _ ~`), so they cannot add parameters of their own.
    pub fn with_query_param(&self, name: &str, value: &str) -> OutboundUrl {
        let pair = format!("{}={}", encode_component(name), encode_component(value));
        let query = match &self.query {
            Some(existing) if !existing.is_empty() => format!("{existing}&{pair}"),
            _ => pair,
        };
        OutboundUrl::new(
            self.scheme,
            self.host.clone(),
            self.port,
            self.path.clone(),
            Some(query),
        )
    }
}

impl fmt::Display for OutboundUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.serialized)
    }
}

/// Why a URL was refused, as a stable machine-readable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefusalCode {
    TooLong,
    InvalidCharacter,
    NotAbsolute,
    UnsupportedScheme,
    InsecureScheme,
    Userinfo,
    MissingHost,
    MalformedHost,
    MalformedPort,
    NonDefaultPort,
    AmbiguousIpv4,
    EmbeddedIpv4,
    InternationalHost,
    LocalName,
    SingleLabelHost,
    Loopback,
    PrivateAddress,
    LinkLocalAddress,
    SharedAddress,
    UniqueLocalAddress,
    UnspecifiedAddress,
    BroadcastAddress,
    MulticastAddress,
    DocumentationAddress,
    ReservedAddress,
}

impl RefusalCode {
    /// The code as it appears in error bodies (`errors[].code`).
    pub fn as_str(self) -> &'static str {
        match self {
            RefusalCode::TooLong => "url_too_long",
            RefusalCode::InvalidCharacter => "url_invalid_character",
            RefusalCode::NotAbsolute => "url_not_absolute",
            RefusalCode::UnsupportedScheme => "url_unsupported_scheme",
            RefusalCode::InsecureScheme => "url_insecure_scheme",
            RefusalCode::Userinfo => "url_userinfo",
            RefusalCode::MissingHost => "url_missing_host",
            RefusalCode::MalformedHost => "url_malformed_host",
            RefusalCode::MalformedPort => "url_malformed_port",
            RefusalCode::NonDefaultPort => "url_non_default_port",
            RefusalCode::AmbiguousIpv4 => "url_ambiguous_ipv4",
            RefusalCode::EmbeddedIpv4 => "url_embedded_ipv4",
            RefusalCode::InternationalHost => "url_international_host",
            RefusalCode::LocalName => "url_local_name",
            RefusalCode::SingleLabelHost => "url_single_label_host",
            RefusalCode::Loopback => "url_loopback",
            RefusalCode::PrivateAddress => "url_private_address",
            RefusalCode::LinkLocalAddress => "url_link_local_address",
            RefusalCode::SharedAddress => "url_shared_address",
            RefusalCode::UniqueLocalAddress => "url_unique_local_address",
            RefusalCode::UnspecifiedAddress => "url_unspecified_address",
            RefusalCode::BroadcastAddress => "url_broadcast_address",
            RefusalCode::MulticastAddress => "url_multicast_address",
            RefusalCode::DocumentationAddress => "url_documentation_address",
            RefusalCode::ReservedAddress => "url_reserved_address",
        }
    }
}

/// A refused URL: a code, and a sentence naming the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlRefusal {
    code: RefusalCode,
    message: String,
}

impl UrlRefusal {
    fn new(code: RefusalCode, message: impl Into<String>) -> UrlRefusal {
        UrlRefusal {
            code,
            message: message.into(),
        }
    }

    pub fn code(&self) -> RefusalCode {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// The refusal as a violation of the request field that carried the URL.
    pub fn to_violation(&self, field: &str) -> Violation {
        Violation::new(self.code.as_str(), Some(field), self.message.clone())
    }
}

impl fmt::Display for UrlRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UrlRefusal {}

/// Checks an outbound URL against the rules of the module doc and the policy, and returns
/// it normalised, or the first rule it breaks.
pub fn check_outbound_url(url: &str, policy: &UrlPolicy) -> Result<OutboundUrl, UrlRefusal> {
    use RefusalCode as C;
    let refuse = |code, message: String| Err(UrlRefusal::new(code, message));

    if url.len() > MAX_URL_LEN {
        return refuse(
            C::TooLong,
            format!("the URL is longer than {MAX_URL_LEN} bytes"),
        );
    }
    if let Some(c) = url
        .chars()
        .find(|c| c.is_control() || c.is_whitespace() || *c == '\\')
    {
        return refuse(
            C::InvalidCharacter,
            format!(
                "the URL contains {}; whitespace, control characters and backslashes are not allowed",
                c.escape_default()
            ),
        );
    }
    let not_absolute = || {
        UrlRefusal::new(
            C::NotAbsolute,
            "the URL must be absolute: https://host/path",
        )
    };
    let (scheme_text, rest) = url.split_once(':').ok_or_else(not_absolute)?;
    if !is_scheme_syntax(scheme_text) {
        return Err(not_absolute());
    }
    let scheme = match scheme_text.to_ascii_lowercase().as_str() {
        "https" => Scheme::Https,
        "http" => Scheme::Http,
        other => {
            return refuse(
                C::UnsupportedScheme,
                format!("the scheme {other:?} is not allowed; use https"),
            )
        }
    };
    let rest = rest.strip_prefix("//").ok_or_else(not_absolute)?;

    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    if authority.contains('@') {
        return refuse(
            C::Userinfo,
            "the URL must not contain a user name or password (user:pass@)".to_owned(),
        );
    }
    if authority.is_empty() {
        return refuse(C::MissingHost, "the URL has no host".to_owned());
    }
    let (host_text, port_text) = split_host_port(authority)?;
    let host = parse_host(host_text)?;
    let port = parse_port(port_text, scheme)?;

    let loopback = match &host {
        Host::Name(name) => check_name(name)?,
        Host::V4(addr) => check_special(&addr.to_string(), classify_v4(*addr))?,
        Host::V6(addr) => check_special(&addr.to_string(), classify_v6(*addr)?)?,
    };
    if loopback && !policy.allow_loopback {
        return refuse(
            C::Loopback,
            format!(
                "the host {} is loopback; loopback callbacks are allowed only in development",
                host.serialize()
            ),
        );
    }
    if scheme == Scheme::Http && !loopback {
        return refuse(
            C::InsecureScheme,
            "the URL must use https (plain http is allowed only to loopback in development)"
                .to_owned(),
        );
    }
    if let Some(port) = port {
        if !policy.allow_non_default_ports {
            return refuse(
                C::NonDefaultPort,
                format!(
                    "the port {port} is not allowed; use the default port ({})",
                    scheme.default_port()
                ),
            );
        }
    }

    let before_fragment = tail.split_once('#').map_or(tail, |(before, _)| before);
    let (path, query) = match before_fragment.split_once('?') {
        Some((path, query)) => (path, Some(encode_unsafe(query))),
        None => (before_fragment, None),
    };
    let path = if path.is_empty() {
        "/".to_owned()
    } else {
        encode_unsafe(path)
    };
    let normalised = OutboundUrl::new(scheme, host.serialize(), port, path, query);
    // Percent-encoding can triple a URL's length: the limit holds for what is stored and
    // checked again before each send, or that check would refuse what this one accepted.
    if normalised.as_str().len() > MAX_URL_LEN {
        return refuse(
            C::TooLong,
            format!("the URL is longer than {MAX_URL_LEN} bytes once percent-encoded"),
        );
    }
    Ok(normalised)
}

/// RFC 3986: `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
fn is_scheme_syntax(text: &str) -> bool {
    let mut bytes = text.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// A host before classification; IPv6 addresses came in brackets.
enum HostText<'a> {
    Plain(&'a str),
    Bracketed(&'a str),
}

fn split_host_port(authority: &str) -> Result<(HostText<'_>, Option<&str>), UrlRefusal> {
    if let Some(inner) = authority.strip_prefix('[') {
        let (address, after) = inner.split_once(']').ok_or_else(|| {
            UrlRefusal::new(
                RefusalCode::MalformedHost,
                "the IPv6 address has no closing bracket",
            )
        })?;
        if after.is_empty() {
            return Ok((HostText::Bracketed(address), None));
        }
        return match after.strip_prefix(':') {
            Some(port) => Ok((HostText::Bracketed(address), Some(port))),
            None => Err(UrlRefusal::new(
                RefusalCode::MalformedHost,
                "only a port may follow an IPv6 address",
            )),
        };
    }
    match authority.split_once(':') {
        Some((_, port)) if port.contains(':') => Err(UrlRefusal::new(
            RefusalCode::MalformedHost,
            "an IPv6 address must be written in brackets: https://[2001:db8::1]/",
        )),
        Some((host, port)) => Ok((HostText::Plain(host), Some(port))),
        None => Ok((HostText::Plain(authority), None)),
    }
}

/// The port, or `None` when it is absent, empty or the scheme's default.
fn parse_port(text: Option<&str>, scheme: Scheme) -> Result<Option<u16>, UrlRefusal> {
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let malformed = || {
        UrlRefusal::new(
            RefusalCode::MalformedPort,
            format!("the port {text:?} is not a number from 1 to 65535"),
        )
    };
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed());
    }
    let digits = text.trim_start_matches('0');
    if digits.is_empty() || digits.len() > 5 {
        return Err(malformed());
    }
    let port = digits.parse::<u16>().map_err(|_| malformed())?;
    Ok((port != scheme.default_port()).then_some(port))
}

enum Host {
    Name(String),
    V4(Ipv4Addr),
    V6(Ipv6Addr),
}

impl Host {
    fn serialize(&self) -> String {
        match self {
            Host::Name(name) => name.clone(),
            Host::V4(addr) => addr.to_string(),
            Host::V6(addr) => format!("[{addr}]"),
        }
    }
}

fn parse_host(text: HostText<'_>) -> Result<Host, UrlRefusal> {
    use RefusalCode as C;
    let malformed = |why: &str| Err(UrlRefusal::new(C::MalformedHost, why.to_owned()));
    let text = match text {
        HostText::Bracketed(address) => {
            if address.contains('%') {
                return malformed("IPv6 zone identifiers are not allowed");
            }
            return match address.parse::<Ipv6Addr>() {
                Ok(addr) => Ok(Host::V6(addr)),
                Err(_) => malformed("the text in brackets is not an IPv6 address"),
            };
        }
        HostText::Plain(text) => text,
    };
    if text.is_empty() {
        return Err(UrlRefusal::new(C::MissingHost, "the URL has no host"));
    }
    let decoded = if text.contains('%') {
        let Some(bytes) = percent_decode(text) else {
            return malformed("the host has an invalid percent-encoding");
        };
        match String::from_utf8(bytes) {
            Ok(decoded) => decoded,
            Err(_) => return malformed("the percent-encoded host is not UTF-8"),
        }
    } else {
        text.to_owned()
    };
    // Each label as `fetch` sends it: lowercase ASCII, an international label in punycode
    // (checked), a Unicode label of plain letters written in punycode (`super::punycode`).
    let labels: Result<Vec<String>, String> = decoded.split('.').map(ascii_label).collect();
    let lower = labels
        .map_err(|why| UrlRefusal::new(C::InternationalHost, why))?
        .join(".");
    if !lower
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
    {
        return malformed("the host may contain only letters, digits, '.', '-' and '_'");
    }
    let name = lower.strip_suffix('.').unwrap_or(&lower);
    if name.len() > 253 || name.split('.').any(|l| l.is_empty() || l.len() > 63) {
        return malformed("the host has an empty or overlong label");
    }
    let last_label = name.rsplit('.').next().unwrap_or(name);
    if ends_in_number(last_label) {
        let Some(addr) = parse_ipv4_whatwg(name) else {
            return malformed("the host ends in a number but is not an IPv4 address");
        };
        let addr = Ipv4Addr::from(addr);
        if name != addr.to_string() {
            let what = match classify_v4(addr) {
                Some(special) => special.describe(),
                None => "a public address".to_owned(),
            };
            return Err(UrlRefusal::new(
                C::AmbiguousIpv4,
                format!(
                    "the host {name:?} is another spelling of {addr} ({what}); \
                     write IPv4 addresses as four decimal numbers"
                ),
            ));
        }
        return Ok(Host::V4(addr));
    }
    Ok(Host::Name(name.to_owned()))
}

/// Decodes `%XX` escapes; `None` when one is incomplete or not hex.
fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some((&b, after)) = rest.split_first() {
        rest = after;
        if b != b'%' {
            out.push(b);
            continue;
        }
        let (&[high, low], after) = rest.split_first_chunk::<2>()?;
        rest = after;
        let high = char::from(high).to_digit(16)?;
        let low = char::from(low).to_digit(16)?;
        out.push(u8::try_from(high * 16 + low).ok()?);
    }
    Some(out)
}

/// The WHATWG "ends in a number" test on the last label: all decimal digits, or `0x`
/// followed by hex digits (possibly none).
fn ends_in_number(label: &str) -> bool {
    if !label.is_empty() && label.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    label
        .strip_prefix("0x")
        .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The WHATWG IPv4 parser: one to four parts, each decimal, octal (leading `0`) or hex
/// (`0x`); the last part fills the remaining bytes. `None` for anything it would reject.
fn parse_ipv4_whatwg(host: &str) -> Option<u32> {
    let parts: Vec<&str> = host.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut numbers = Vec::with_capacity(parts.len());
    for part in &parts {
        numbers.push(parse_ipv4_number(part)?);
    }
    let (last, init) = numbers.split_last()?;
    if init.iter().any(|n| *n > 255) {
        return None;
    }
    let remaining_bytes = 5 - u32::try_from(numbers.len()).ok()?;
    if *last >= 256u64.pow(remaining_bytes) {
        return None;
    }
    let mut address = *last;
    for (i, n) in init.iter().enumerate() {
        address += n << (8 * (3 - i));
    }
    u32::try_from(address).ok()
}

fn parse_ipv4_number(part: &str) -> Option<u64> {
    if part.is_empty() {
        return None;
    }
    let (radix, digits) = if let Some(hex) = part.strip_prefix("0x") {
        (16, hex)
    } else if let Some(octal) = part.strip_prefix('0').filter(|rest| !rest.is_empty()) {
        (8, octal)
    } else {
        (10, part)
    };
    let mut value: u64 = 0;
    for c in digits.chars() {
        let digit = c.to_digit(radix)?;
        value = value
            .checked_mul(u64::from(radix))?
            .checked_add(u64::from(digit))?;
    }
    Some(value)
}

/// Decides on a host name; `Ok(true)` when it is a loopback name.
fn check_name(name: &str) -> Result<bool, UrlRefusal> {
    if name == "localhost" || name.ends_with(".localhost") {
        return Ok(true);
    }
    const LOCAL_SUFFIXES: [&str; 5] = ["local", "internal", "localdomain", "home.arpa", "lan"];
    for suffix in LOCAL_SUFFIXES {
        let under = name
            .strip_suffix(suffix)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'));
        if under {
            return Err(UrlRefusal::new(
                RefusalCode::LocalName,
                format!("the host {name} is a local network name (.{suffix})"),
            ));
        }
    }
    if !name.contains('.') {
        return Err(UrlRefusal::new(
            RefusalCode::SingleLabelHost,
            format!("the host {name} has a single label; use a fully qualified domain name"),
        ));
    }
    Ok(false)
}

/// Which special-purpose range an address is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressClass {
    Loopback,
    Private,
    LinkLocal,
    /// Carrier-grade NAT, RFC 6598.
    Shared,
    UniqueLocal,
    Unspecified,
    Broadcast,
    Multicast,
    Documentation,
    Reserved,
}

impl AddressClass {
    fn code(self) -> RefusalCode {
        match self {
            AddressClass::Loopback => RefusalCode::Loopback,
            AddressClass::Private => RefusalCode::PrivateAddress,
            AddressClass::LinkLocal => RefusalCode::LinkLocalAddress,
            AddressClass::Shared => RefusalCode::SharedAddress,
            AddressClass::UniqueLocal => RefusalCode::UniqueLocalAddress,
            AddressClass::Unspecified => RefusalCode::UnspecifiedAddress,
            AddressClass::Broadcast => RefusalCode::BroadcastAddress,
            AddressClass::Multicast => RefusalCode::MulticastAddress,
            AddressClass::Documentation => RefusalCode::DocumentationAddress,
            AddressClass::Reserved => RefusalCode::ReservedAddress,
        }
    }

    fn adjective(self) -> &'static str {
        match self {
            AddressClass::Loopback => "loopback",
            AddressClass::Private => "private",
            AddressClass::LinkLocal => "link-local",
            AddressClass::Shared => "carrier-grade NAT",
            AddressClass::UniqueLocal => "unique-local",
            AddressClass::Unspecified => "unspecified",
            AddressClass::Broadcast => "broadcast",
            AddressClass::Multicast => "multicast",
            AddressClass::Documentation => "documentation",
            AddressClass::Reserved => "reserved",
        }
    }
}

/// A special-purpose range: its class and how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Special {
    class: AddressClass,
    range: &'static str,
}

impl Special {
    const fn new(class: AddressClass, range: &'static str) -> Option<Special> {
        Some(Special { class, range })
    }

    fn describe(&self) -> String {
        format!("a {} address, {}", self.class.adjective(), self.range)
    }
}

/// The special-purpose range of an IPv4 address, `None` when it is public.
fn classify_v4(addr: Ipv4Addr) -> Option<Special> {
    use AddressClass as A;
    let [a, b, c, d] = addr.octets();
    match (a, b, c, d) {
        (0, ..) => Special::new(A::Unspecified, "0.0.0.0/8"),
        (10, ..) => Special::new(A::Private, "10.0.0.0/8"),
        (100, 64..=127, ..) => Special::new(A::Shared, "100.64.0.0/10"),
        (127, ..) => Special::new(A::Loopback, "127.0.0.0/8"),
        (169, 254, ..) => Special::new(A::LinkLocal, "169.254.0.0/16"),
        (172, 16..=31, ..) => Special::new(A::Private, "172.16.0.0/12"),
        (192, 0, 0, _) => Special::new(A::Reserved, "192.0.0.0/24"),
        (192, 0, 2, _) => Special::new(A::Documentation, "192.0.2.0/24"),
        (192, 88, 99, _) => Special::new(A::Reserved, "192.88.99.0/24"),
        (192, 168, ..) => Special::new(A::Private, "192.168.0.0/16"),
        (198, 18..=19, ..) => Special::new(A::Reserved, "198.18.0.0/15"),
        (198, 51, 100, _) => Special::new(A::Documentation, "198.51.100.0/24"),
        (203, 0, 113, _) => Special::new(A::Documentation, "203.0.113.0/24"),
        (224..=239, ..) => Special::new(A::Multicast, "224.0.0.0/4"),
        (255, 255, 255, 255) => Special::new(A::Broadcast, "255.255.255.255"),
        (240..=255, ..) => Special::new(A::Reserved, "240.0.0.0/4"),
        _ => None,
    }
}

/// The special-purpose range of an IPv6 address, `None` when it is public. Addresses that
/// embed an IPv4 address are refused here directly, naming what they embed.
fn classify_v6(addr: Ipv6Addr) -> Result<Option<Special>, UrlRefusal> {
    use AddressClass as A;
    let s = addr.segments();
    let embedded_at =
        |high: u16, low: u16| Ipv4Addr::from((u32::from(high) << 16) | u32::from(low));
    let refuse_embedded = |how: &str, v4: Ipv4Addr| {
        let what = classify_v4(v4).map_or("a public address".to_owned(), |sp| sp.describe());
        Err(UrlRefusal::new(
            RefusalCode::EmbeddedIpv4,
            format!("the host [{addr}] is {how} embedding {v4} ({what})"),
        ))
    };
    if addr.is_unspecified() {
        return Ok(Special::new(A::Unspecified, "::/128"));
    }
    if addr.is_loopback() {
        return Ok(Special::new(A::Loopback, "::1/128"));
    }
    match s {
        [0, 0, 0, 0, 0, 0xffff, high, low] => {
            return refuse_embedded("an IPv4-mapped IPv6 address", embedded_at(high, low));
        }
        [0, 0, 0, 0, 0, 0, high, low] => {
            return refuse_embedded("an IPv4-compatible IPv6 address", embedded_at(high, low));
        }
        [0x64, 0xff9b, 0, 0, 0, 0, high, low] => {
            let v4 = embedded_at(high, low);
            if classify_v4(v4).is_some() {
                return refuse_embedded("a NAT64 address (64:ff9b::/96)", v4);
            }
            return Ok(None);
        }
        [0x2002, high, low, ..] => {
            let v4 = embedded_at(high, low);
            if classify_v4(v4).is_some() {
                return refuse_embedded("a 6to4 address (2002::/16)", v4);
            }
            return Ok(None);
        }
        _ => {}
    }
    Ok(match s {
        [0x64, 0xff9b, 1, ..] => Special::new(A::Reserved, "64:ff9b:1::/48"),
        [x, ..] if x & 0xffc0 == 0xfe80 => Special::new(A::LinkLocal, "fe80::/10"),
        [x, ..] if x & 0xffc0 == 0xfec0 => Special::new(A::Private, "fec0::/10 (site-local)"),
        [x, ..] if x & 0xfe00 == 0xfc00 => Special::new(A::UniqueLocal, "fc00::/7"),
        [x, ..] if x & 0xff00 == 0xff00 => Special::new(A::Multicast, "ff00::/8"),
        [0x2001, 0x0db8, ..] => Special::new(A::Documentation, "2001:db8::/32"),
        [0x3fff, y, ..] if y & 0xf000 == 0 => Special::new(A::Documentation, "3fff::/20"),
        [0x2001, y, ..] if y < 0x0200 => Special::new(A::Reserved, "2001::/23"),
        [0x0100, 0, 0, 0, ..] => Special::new(A::Reserved, "100::/64"),
        [x, ..] if x & 0xe000 != 0x2000 => {
            Special::new(A::Reserved, "outside global unicast 2000::/3")
        }
        _ => None,
    })
}

/// Decides on an IP literal; `Ok(true)` when it is loopback (left to the policy).
fn check_special(shown: &str, special: Option<Special>) -> Result<bool, UrlRefusal> {
    match special {
        None => Ok(false),
        Some(Special {
            class: AddressClass::Loopback,
            ..
        }) => Ok(true),
        Some(special) => Err(UrlRefusal::new(
            special.class.code(),
            format!(
                "the host {shown} is {}; callbacks must go to a public address",
                special.describe()
            ),
        )),
    }
}

/// Percent-encodes what must not appear raw in a path or query: non-ASCII bytes and
/// `" < > ` { } | ^ '`. Existing `%XX` escapes are kept, so encoding is idempotent.
fn encode_unsafe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_graphic()
            && !matches!(
                b,
                b'"' | b'<' | b'>' | b'`' | b'{' | b'}' | b'|' | b'^' | b'\''
            )
        {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-encodes everything but the RFC 3986 unreserved characters (a query value, or a
/// path segment that must stay one segment).
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests;
