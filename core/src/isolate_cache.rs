//! The read cache's first tier: what one Worker isolate remembers between the requests it
//! serves, in front of the KV tier (`edge/src/cache.rs`).
//!
//! A hit in KV costs two KV reads (the scope's version token, then the body filed under
//! it). Under load those reads are most of a cached menu's latency, and a busy isolate
//! makes them again and again for the same few documents. This tier keeps:
//!
//! * **version tokens**, each trusted for [`Limits::version_ms`] after it was read from KV
//!   (or written by this isolate). This is the one place the tier adds staleness: another
//!   isolate's write is seen here at most that much later than KV itself would show it
//!   (KV already takes up to about a minute between locations). A write made by *this*
//!   isolate replaces its token here at once, so it never reads its own stale data.
//! * **bodies**, by their slot (`doc:<version>:<key>`). A slot names one version of one
//!   document, so a remembered body can never be wrong for its slot; it only stops being
//!   served after its `fresh_until` (a stop list whose item comes back at a known time).
//!   Bodies are evicted oldest-first past [`Limits::max_bodies`] or [`Limits::max_bytes`].
//!
//! Pure: the caller passes `now` (Unix milliseconds) and does the I/O.

use std::collections::{HashMap, VecDeque};

/// How much the tier remembers, and for how long it trusts a version token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Milliseconds a version token is used without reading KV again.
    pub version_ms: i64,
    /// Bodies kept at most.
    pub max_bodies: usize,
    /// Body bytes kept at most (a single larger body is not kept at all).
    pub max_bytes: usize,
    /// Version tokens kept at most (one per restaurant and one for the catalog); past it
    /// the memo is emptied, which only costs KV reads.
    pub max_versions: usize,
}

impl Limits {
    /// What the Worker uses: 5 s of added staleness at most, 8 MiB of bodies (an
    /// isolate has 128 MB).
    pub const WORKER: Limits = Limits {
        version_ms: 5_000,
        max_bodies: 256,
        max_bytes: 8 << 20,
        max_versions: 4_096,
    };
}

/// A remembered body and its tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remembered {
    pub body: String,
    pub etag: String,
}

#[derive(Debug)]
struct Token {
    value: String,
    read_at: i64,
}

#[derive(Debug)]
struct Body {
    remembered: Remembered,
    /// Unix milliseconds from which the body must not be served.
    fresh_until: Option<i64>,
}

/// The tier itself; the edge keeps one per isolate.
#[derive(Debug)]
pub struct IsolateCache {
    limits: Limits,
    versions: HashMap<String, Token>,
    bodies: HashMap<String, Body>,
    /// Slots in the order they were remembered, for eviction.
    order: VecDeque<String>,
    bytes: usize,
}

impl IsolateCache {
    pub fn new(limits: Limits) -> IsolateCache {
        IsolateCache {
            limits,
            versions: HashMap::new(),
            bodies: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
        }
    }

    /// The version token of `key` if it was read or written less than
    /// [`Limits::version_ms`] ago. A clock that went backwards does not extend trust.
    pub fn version(&self, key: &str, now: i64) -> Option<&str> {
        let token = self.versions.get(key)?;
        let age = now.checked_sub(token.read_at)?;
        (0..self.limits.version_ms)
            .contains(&age)
            .then_some(token.value.as_str())
    }

    /// Records the token of `key` as read from KV, or as just written by this isolate.
    pub fn remember_version(&mut self, key: &str, value: &str, now: i64) {
        if self.versions.len() >= self.limits.max_versions && !self.versions.contains_key(key) {
            self.versions.clear();
        }
        self.versions.insert(
            key.to_owned(),
            Token {
                value: value.to_owned(),
                read_at: now,
            },
        );
    }

    /// The body remembered for `slot`, unless it is past its `fresh_until`.
    pub fn body(&self, slot: &str, now: i64) -> Option<&Remembered> {
        let body = self.bodies.get(slot)?;
        match body.fresh_until {
            Some(until) if now >= until => None,
            _ => Some(&body.remembered),
        }
    }

    /// Remembers the body of `slot` (as read from or written to KV), evicting the oldest
    /// bodies past the limits. A body larger than [`Limits::max_bytes`] is not kept.
    pub fn remember_body(&mut self, slot: &str, remembered: Remembered, fresh_until: Option<i64>) {
        let size = remembered.body.len() + remembered.etag.len();
        if size > self.limits.max_bytes || self.limits.max_bodies == 0 {
            return;
        }
        self.forget(slot);
        while !self.order.is_empty()
            && (self.bodies.len() >= self.limits.max_bodies
                || self.bytes + size > self.limits.max_bytes)
        {
            if let Some(oldest) = self.order.pop_front() {
                self.drop_body(&oldest);
            }
        }
        self.bytes += size;
        self.order.push_back(slot.to_owned());
        self.bodies.insert(
            slot.to_owned(),
            Body {
                remembered,
                fresh_until,
            },
        );
    }

    /// How many bodies, and how many of their bytes, are remembered.
    pub fn usage(&self) -> (usize, usize) {
        (self.bodies.len(), self.bytes)
    }

    fn forget(&mut self, slot: &str) {
        if self.drop_body(slot) {
            self.order.retain(|s| s != slot);
        }
    }

    fn drop_body(&mut self, slot: &str) -> bool {
        match self.bodies.remove(slot) {
            Some(body) => {
                self.bytes -= body.remembered.body.len() + body.remembered.etag.len();
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const SMALL: Limits = Limits {
        version_ms: 1_000,
        max_bodies: 3,
        max_bytes: 100,
        max_versions: 2,
    };

    fn doc(body: &str) -> Remembered {
        Remembered {
            body: body.to_owned(),
            etag: "\"e\"".to_owned(),
        }
    }

    #[test]
    fn a_version_is_trusted_only_within_its_window() {
        // (read at, asked at, expected)
        let cases: &[(i64, i64, Option<&str>)] = &[
            (10_000, 10_000, Some("t1")),
            (10_000, 10_999, Some("t1")),
            (10_000, 11_000, None),
            (10_000, 50_000, None),
            // A clock that went backwards does not extend trust.
            (10_000, 9_999, None),
        ];
        for &(read_at, now, expected) in cases {
            let mut cache = IsolateCache::new(SMALL);
            cache.remember_version("ver:r:1", "t1", read_at);
            assert_eq!(cache.version("ver:r:1", now), expected, "{read_at} {now}");
            assert_eq!(cache.version("ver:r:2", now), None, "another key");
        }
    }

    #[test]
    fn a_write_replaces_the_token_at_once() {
        let mut cache = IsolateCache::new(SMALL);
        cache.remember_version("ver:r:1", "old", 0);
        cache.remember_version("ver:r:1", "new", 10);
        assert_eq!(cache.version("ver:r:1", 20), Some("new"));
    }

    #[test]
    fn the_version_memo_is_bounded() {
        let mut cache = IsolateCache::new(SMALL);
        cache.remember_version("a", "1", 0);
        cache.remember_version("b", "1", 0);
        cache.remember_version("b", "2", 0);
        assert_eq!(
            cache.version("a", 1),
            Some("1"),
            "replacing a key is no growth"
        );
        cache.remember_version("c", "1", 0);
        assert_eq!(
            cache.version("a", 1),
            None,
            "past the bound the memo starts over"
        );
        assert_eq!(cache.version("c", 1), Some("1"));
    }

    #[test]
    fn a_body_is_served_until_its_fresh_until() {
        // (fresh_until, asked at, served)
        let cases: &[(Option<i64>, i64, bool)] = &[
            (None, 0, true),
            (None, i64::MAX, true),
            (Some(500), 499, true),
            (Some(500), 500, false),
            (Some(500), 501, false),
        ];
        for &(until, now, served) in cases {
            let mut cache = IsolateCache::new(SMALL);
            cache.remember_body("doc:v:k", doc("{}"), until);
            assert_eq!(
                cache.body("doc:v:k", now).is_some(),
                served,
                "{until:?} {now}"
            );
            assert!(cache.body("doc:v:other", now).is_none());
        }
    }

    #[test]
    fn bodies_are_evicted_oldest_first_past_either_limit() {
        let mut cache = IsolateCache::new(SMALL);
        for slot in ["a", "b", "c", "d"] {
            cache.remember_body(slot, doc("x"), None);
        }
        assert!(
            cache.body("a", 0).is_none(),
            "past max_bodies the oldest goes"
        );
        assert!(["b", "c", "d"].iter().all(|s| cache.body(s, 0).is_some()));

        let mut cache = IsolateCache::new(SMALL);
        cache.remember_body("a", doc(&"x".repeat(40)), None);
        cache.remember_body("b", doc(&"x".repeat(40)), None);
        assert_eq!(cache.usage(), (2, 86));
        cache.remember_body("c", doc(&"x".repeat(40)), None);
        assert!(
            cache.body("a", 0).is_none(),
            "past max_bytes the oldest goes"
        );
        assert_eq!(cache.usage(), (2, 86));
    }

    #[test]
    fn a_body_over_the_byte_limit_is_not_kept_and_replacing_keeps_the_count() {
        let mut cache = IsolateCache::new(SMALL);
        cache.remember_body("big", doc(&"x".repeat(200)), None);
        assert!(cache.body("big", 0).is_none());
        assert_eq!(cache.usage(), (0, 0));

        cache.remember_body("a", doc("1"), None);
        cache.remember_body("a", doc("22"), None);
        assert_eq!(cache.usage(), (1, 5));
        assert_eq!(cache.body("a", 0).map(|r| r.body.as_str()), Some("22"));
    }
}
