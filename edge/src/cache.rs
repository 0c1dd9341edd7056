//! The site API's read cache, in Workers KV (binding `CATALOG_CACHE`).
//!
//! **Versioned keys.** Each restaurant has a version token (`ver:r:<id>`), and so does the
//! catalog as a whole (`ver:all`, for `/restaurants` and `/stop_list` without an id). A
//! cached body is stored under `doc:<version>:<key>`, where the key is a hash of the route
//! and its parameters. A write to a restaurant, once D1 has committed it, replaces that
//! restaurant's token and the catalog's: every body cached before is unreachable from then
//! on, without listing or deleting anything. A reader reads the token *before* it reads D1,
//! so a body built from data older than a write is always filed under the token that the
//! write replaced; a late reader can never put stale data under the current token.
//!
//! **Hits do not touch D1**: two KV reads (token, body) answer the request, and usually
//! none: each isolate remembers tokens for a few seconds and bodies by their slot
//! (`orderbridge_core::isolate_cache`, the first tier). A write made by an isolate replaces
//! its own remembered token at once; another isolate's write is seen at most
//! [`IsolateCache`]'s `version_ms` later than KV shows it.
//!
//! **Staleness is bounded.** KV is eventually consistent between locations (a new token can
//! take up to about a minute to be seen elsewhere), and a token write can fail (KV allows
//! one write per second per key). Bodies therefore also expire after [`BODY_TTL_SECS`], and
//! a body that changes by itself at a known time (a stop-list item's `nextAvailableAt`)
//! carries that time and is not served after it.
//!
//! Without the binding, or when KV fails, requests are answered from D1 (logged).

use std::cell::RefCell;

use chrono::{DateTime, Utc};
use orderbridge_core::http_cache::cache_key;
use orderbridge_core::isolate_cache::{IsolateCache, Limits, Remembered};
use serde::{Deserialize, Serialize};
use worker::{Env, KvStore};

use crate::{bindings, random};

/// How long a cached body lives at most, in seconds (KV's minimum is 60).
pub const BODY_TTL_SECS: u64 = 300;

thread_local! {
    // One per isolate (wasm32 has one thread). Never borrowed across an `.await`.
    static MEMORY: RefCell<IsolateCache> = RefCell::new(IsolateCache::new(Limits::WORKER));
}

/// Whose version a cached body depends on.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// One restaurant's documents (menu, zones, its stop list, its `places` entry).
    Restaurant(&'a str),
    /// Documents spanning restaurants (all `places`, all stop lists).
    All,
}

impl Scope<'_> {
    fn version_key(self) -> String {
        match self {
            Scope::Restaurant(id) => format!("ver:r:{id}"),
            Scope::All => "ver:all".to_owned(),
        }
    }
}

/// A cached body with its tag.
#[derive(Debug, Clone)]
pub struct Entry {
    pub body: String,
    pub etag: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Meta {
    etag: String,
    /// Unix milliseconds after which the body must not be served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fresh_until: Option<i64>,
}

/// What a lookup found: the body, if cached, and where to store one otherwise.
pub struct Lookup {
    pub hit: Option<Entry>,
    /// The body key under the version read; `None` when the cache is unavailable.
    slot: Option<String>,
}

pub struct ReadCache {
    kv: Option<KvStore>,
}

impl ReadCache {
    pub fn new(env: &Env) -> ReadCache {
        let kv = match env.kv(bindings::CATALOG_CACHE) {
            Ok(kv) => Some(kv),
            Err(err) => {
                worker::console_warn!(
                    "read cache off: KV binding {} missing: {err}",
                    bindings::CATALOG_CACHE
                );
                None
            }
        };
        ReadCache { kv }
    }

    /// Reads the scope's version, then the body cached for `parts` under it: from this
    /// isolate's memory when it has them, else from KV (and remembers what KV said).
    pub async fn lookup(&self, scope: Scope<'_>, parts: &[&str], now: DateTime<Utc>) -> Lookup {
        let miss = Lookup {
            hit: None,
            slot: None,
        };
        let Some(kv) = &self.kv else {
            return miss;
        };
        let now_ms = now.timestamp_millis();
        let version_key = scope.version_key();
        let remembered = MEMORY.with_borrow(|m| m.version(&version_key, now_ms).map(str::to_owned));
        let version = match remembered {
            Some(version) => version,
            None => match kv.get(&version_key).text().await {
                Ok(v) => {
                    let version = v.unwrap_or_else(|| "0".to_owned());
                    MEMORY.with_borrow_mut(|m| m.remember_version(&version_key, &version, now_ms));
                    version
                }
                Err(err) => {
                    worker::console_error!("read cache: version of {scope:?}: {err}");
                    return miss;
                }
            },
        };
        let slot = format!("doc:{version}:{}", cache_key(parts));
        let in_memory = MEMORY.with_borrow(|m| m.body(&slot, now_ms).cloned());
        if let Some(Remembered { body, etag }) = in_memory {
            return Lookup {
                hit: Some(Entry { body, etag }),
                slot: Some(slot),
            };
        }
        let hit = match kv.get(&slot).text_with_metadata::<Meta>().await {
            Ok((Some(body), Some(meta))) if meta.fresh_until.is_none_or(|until| now_ms < until) => {
                let entry = Entry {
                    body,
                    etag: meta.etag,
                };
                remember(&slot, &entry, meta.fresh_until);
                Some(entry)
            }
            Ok(_) => None,
            Err(err) => {
                worker::console_error!("read cache: body of {scope:?}: {err}");
                None
            }
        };
        Lookup {
            hit,
            slot: Some(slot),
        }
    }

    /// Files a body built after `lookup` missed. `fresh_until`: when it stops being true.
    pub async fn store(&self, lookup: &Lookup, entry: &Entry, fresh_until: Option<DateTime<Utc>>) {
        let (Some(kv), Some(slot)) = (&self.kv, &lookup.slot) else {
            return;
        };
        let meta = Meta {
            etag: entry.etag.clone(),
            fresh_until: fresh_until.map(|t| t.timestamp_millis()),
        };
        remember(slot, entry, meta.fresh_until);
        let put = kv
            .put(slot, entry.body.as_str())
            .and_then(|p| p.metadata(meta))
            .map(|p| p.expiration_ttl(BODY_TTL_SECS));
        let result = match put {
            Ok(put) => put.execute().await,
            Err(err) => Err(err),
        };
        if let Err(err) = result {
            worker::console_error!("read cache: storing {slot}: {err}");
        }
    }

    /// Makes every body cached for these restaurants, and every cross-restaurant body,
    /// unreachable. Call after D1 committed the write. Failures are logged: the write
    /// stands, and the bodies expire by themselves.
    pub async fn invalidate(&self, restaurants: &[&str], now: DateTime<Utc>) {
        let Some(kv) = &self.kv else {
            return;
        };
        // No randomness, no new token: the write stands and the bodies expire by themselves
        // (a predictable token from the clock could collide with another isolate's).
        let token = match random::id("") {
            Ok(token) => token,
            Err(err) => {
                worker::console_error!("read cache: not invalidated: {err:?}");
                return;
            }
        };
        let scopes = restaurants
            .iter()
            .map(|id| Scope::Restaurant(id))
            .chain([Scope::All]);
        for scope in scopes {
            let key = scope.version_key();
            // This isolate sees its own write at once, whatever KV's consistency.
            MEMORY.with_borrow_mut(|m| m.remember_version(&key, &token, now.timestamp_millis()));
            let result = match kv.put(&key, token.as_str()) {
                Ok(put) => put.execute().await,
                Err(err) => Err(err),
            };
            if let Err(err) = result {
                worker::console_error!("read cache: invalidating {key}: {err}");
            }
        }
    }
}

/// Keeps a body this isolate read from or wrote to KV.
fn remember(slot: &str, entry: &Entry, fresh_until: Option<i64>) {
    let remembered = Remembered {
        body: entry.body.clone(),
        etag: entry.etag.clone(),
    };
    MEMORY.with_borrow_mut(|m| m.remember_body(slot, remembered, fresh_until));
}
