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
//! **Hits do not touch D1**: two KV reads (token, body) answer the request.
//!
//! **Staleness is bounded.** KV is eventually consistent between locations (a new token can
//! take up to about a minute to be seen elsewhere), and a token write can fail (KV allows
//! one write per second per key). Bodies therefore also expire after [`BODY_TTL_SECS`], and
//! a body that changes by itself at a known time (a stop-list item's `nextAvailableAt`)
//! carries that time and is not served after it.
//!
//! Without the binding, or when KV fails, requests are answered from D1 (logged).

use chrono::{DateTime, Utc};
use orderbridge_core::http_cache::cache_key;
use serde::{Deserialize, Serialize};
use worker::{Env, KvStore};

use crate::{bindings, ids};

/// How long a cached body lives at most, in seconds (KV's minimum is 60).
pub const BODY_TTL_SECS: u64 = 300;

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

    /// Reads the scope's version, then the body cached for `parts` under it.
    pub async fn lookup(&self, scope: Scope<'_>, parts: &[&str], now: DateTime<Utc>) -> Lookup {
        let miss = Lookup {
            hit: None,
            slot: None,
        };
        let Some(kv) = &self.kv else {
            return miss;
        };
        let version = match kv.get(&scope.version_key()).text().await {
            Ok(v) => v.unwrap_or_else(|| "0".to_owned()),
            Err(err) => {
                worker::console_error!("read cache: version of {scope:?}: {err}");
                return miss;
            }
        };
        let slot = format!("doc:{version}:{}", cache_key(parts));
        let hit = match kv.get(&slot).text_with_metadata::<Meta>().await {
            Ok((Some(body), Some(meta)))
                if meta
                    .fresh_until
                    .is_none_or(|until| now.timestamp_millis() < until) =>
            {
                Some(Entry {
                    body,
                    etag: meta.etag,
                })
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
        let token = ids::random_hex(now);
        let scopes = restaurants
            .iter()
            .map(|id| Scope::Restaurant(id))
            .chain([Scope::All]);
        for scope in scopes {
            let key = scope.version_key();
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
