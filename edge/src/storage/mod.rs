//! All SQL of the hub, with bound parameters only. Handlers call methods here; no query
//! text appears anywhere else. One submodule per area (`catalog`; `clients`; `orders`: site
//! orders and their statuses; `orderconnect`: the receipts of Orderconnect orders;
//! `amendments`: an order's contents read back and the changes that reached it; `timeline`:
//! the events Just Eat told about an order; [`outbox`]:
//! deliveries and their attempts); `typed` reads stored values into their types where a row
//! is read, so callers get typed rows and an unknown stored value is an error. This file
//! holds the connection, the statement helpers and the time formats of stored values.

mod amendments;
pub mod archive;
mod catalog;
mod clients;
mod console;
mod jet_amendments;
mod jet_orders;
mod jet_status;
mod orderconnect;
mod orders;
pub mod outbox;
mod owners;
mod queries;
mod sessions;
#[cfg(feature = "simulator")]
mod sim;
mod timeline;
mod typed;

pub use catalog::{
    AvailabilityRow, AvailabilityWrite, IngestionWrite, MenuWrite, RestaurantRow, RestaurantWrite,
    StopListReplace, ZoneWrite,
};
pub use clients::ClientRow;
pub use console::ListedOrder;
pub use jet_amendments::JetAmendmentRow;
pub use jet_orders::{Decision, JetOrderRow, JetOrderWrite, RunWrite};
pub use jet_status::{
    BackupOrderRow, BackupOrderWrite, MenuIngestionRow, MenuIngestionWrite, OrderTimeRow,
};
pub use orderconnect::{OrderconnectRow, OrderconnectWrite};
pub use orders::{AdminOrderRow, ConceptZoneRow, OrderRow, OrderWrite, StatusRow};
pub use queries::{QueryRow, QueryWrite};
#[cfg(feature = "simulator")]
pub use sim::SimSent;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env};

use std::cell::Cell;
use std::rc::Rc;

use crate::bindings;
use crate::ctx::Ctx;
use crate::error::EdgeError;
use typed::Typed;

pub struct Storage {
    db: D1Database,
    /// Where reads add the rows D1 says they read (`meta.rows_read`): the request's cell
    /// ([`Storage::of`]); `None` counts nothing, so uncounted requests do not decode D1's
    /// `meta` at all.
    rows_read: Option<Rc<Cell<Option<usize>>>>,
}

impl Storage {
    pub fn new(env: &Env) -> Result<Storage, EdgeError> {
        let db = env
            .d1(bindings::DB)
            .map_err(|err| EdgeError::Unavailable(format!("D1 binding {}: {err}", bindings::DB)))?;
        Ok(Storage {
            db,
            rows_read: None,
        })
    }

    /// The request's storage: in development counting the D1 rows its reads read into
    /// `ctx.rows_read` (answered as `X-Orderbridge-D1-Rows-Read`); elsewhere a plain one.
    pub fn of(ctx: &Ctx<'_>) -> Result<Storage, EdgeError> {
        if ctx.config.counts_rows() {
            Storage::counting(ctx.env, &ctx.rows_read)
        } else {
            Storage::new(ctx.env)
        }
    }

    /// A storage counting the D1 rows its reads read into `cell` (which then holds a count,
    /// 0 at first): a request's ([`Storage::of`]) or the cron sweep's.
    pub fn counting(env: &Env, cell: &Rc<Cell<Option<usize>>>) -> Result<Storage, EdgeError> {
        let mut storage = Storage::new(env)?;
        cell.set(Some(cell.get().unwrap_or(0)));
        storage.rows_read = Some(cell.clone());
        Ok(storage)
    }

    /// Adds what `results` read to the request's count, when this storage counts.
    fn count<'r>(&self, results: impl IntoIterator<Item = &'r worker::D1Result>) {
        if let Some(cell) = &self.rows_read {
            let read: usize = results.into_iter().map(rows_read).sum();
            cell.set(Some(cell.get().unwrap_or(0) + read));
        }
    }

    /// Proves the database answers and carries the schema (a migrated table is read).
    pub async fn ping(&self) -> Result<(), EdgeError> {
        self.db
            .prepare("SELECT COUNT(*) AS n FROM restaurants")
            .first::<serde_json::Value>(None)
            .await
            .map(|_| ())
            .map_err(|err| EdgeError::Unavailable(format!("D1 ping: {err}")))
    }

    /// A statement with its parameters bound (`?1`, `?2`, … in order).
    fn statement(&self, sql: &str, args: &[Arg<'_>]) -> Result<D1PreparedStatement, EdgeError> {
        let values: Vec<JsValue> = args.iter().map(Arg::to_js).collect();
        self.db
            .prepare(sql)
            .bind(&values)
            .map_err(|err| EdgeError::Internal(format!("binding parameters: {err}")))
    }

    /// A read, retried as every read is ([`READ_RETRIES`]). Not generic, so the retry loop
    /// and its future are compiled once rather than once per row type (the Worker's size).
    async fn read(&self, sql: &str, args: &[Arg<'_>]) -> Result<worker::D1Result, EdgeError> {
        let mut attempt = 0;
        loop {
            match self.statement(sql, args)?.all().await {
                Ok(result) => {
                    self.count([&result]);
                    return Ok(result);
                }
                Err(err) if attempt < READ_RETRIES.len() => {
                    retry_pause(&mut attempt, &err).await;
                }
                Err(err) => return Err(d1_failed("query", &err)),
            }
        }
    }

    /// Every row of a query.
    async fn rows<T: DeserializeOwned>(
        &self,
        sql: &str,
        args: &[Arg<'_>],
    ) -> Result<Vec<T>, EdgeError> {
        decode(&self.read(sql, args).await?)
    }

    /// The first row of a query, if any (D1's `first()` runs the whole query too).
    async fn row<T: DeserializeOwned>(
        &self,
        sql: &str,
        args: &[Arg<'_>],
    ) -> Result<Option<T>, EdgeError> {
        Ok(decode(&self.read(sql, args).await?)?.into_iter().next())
    }

    /// The first row of a query, read raw and then into its types ([`typed`]).
    async fn typed_row<T: Typed>(
        &self,
        sql: &str,
        args: &[Arg<'_>],
    ) -> Result<Option<T>, EdgeError> {
        let raw = decode::<T::Raw>(&self.read(sql, args).await?)?;
        raw.into_iter().next().map(T::typed).transpose()
    }

    /// Every row of a query, read raw and then into its types ([`typed`]).
    async fn typed_rows<T: Typed>(&self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<T>, EdgeError> {
        let raw = decode::<T::Raw>(&self.read(sql, args).await?)?;
        raw.into_iter().map(T::typed).collect()
    }

    /// Runs statements as one batch: D1 applies all of them or none.
    async fn batch(&self, statements: Vec<D1PreparedStatement>) -> Result<Vec<usize>, EdgeError> {
        if statements.is_empty() {
            return Ok(Vec::new());
        }
        let results = self
            .db
            .batch(statements)
            .await
            .map_err(|err| d1_failed("batch", &err))?;
        // Writes read rows too (a unique key checked, a row found to update).
        self.count(&results);
        Ok(results.iter().map(changes).collect())
    }

    /// Runs statements as one D1 batch: a transaction, so they all commit or none does.
    /// This is how a state change and the deliveries it causes are written together.
    pub async fn commit(&self, statements: Vec<D1PreparedStatement>) -> Result<(), EdgeError> {
        self.batch(statements).await.map(|_| ())
    }
}

/// A read's rows as `T`.
fn decode<T: DeserializeOwned>(result: &worker::D1Result) -> Result<Vec<T>, EdgeError> {
    result
        .results::<T>()
        .map_err(|err| EdgeError::Internal(format!("reading D1 rows: {err}")))
}

/// How many rows D1 says a statement read (`meta.rows_read`; 0 when it reports none).
fn rows_read(result: &worker::D1Result) -> usize {
    result
        .meta()
        .ok()
        .flatten()
        .and_then(|meta| meta.rows_read)
        .unwrap_or(0)
}

/// How many rows a write changed (0 when D1 reports no count).
fn changes(result: &worker::D1Result) -> usize {
    result
        .meta()
        .ok()
        .flatten()
        .and_then(|meta| meta.changes)
        .unwrap_or(0)
}

/// A D1 failure: the database is a dependency, so its errors are 503s (logged with the
/// cause, answered without it).
fn unavailable(what: &str, err: worker::Error) -> EdgeError {
    d1_failed(what, &err)
}

/// A bound parameter.
pub(crate) enum Arg<'a> {
    Text(&'a str),
    OptText(Option<&'a str>),
    Int(i64),
    /// A coordinate (`NULL` when absent).
    OptReal(Option<f64>),
}

impl Arg<'_> {
    fn to_js(&self) -> JsValue {
        match self {
            Arg::Text(s) => JsValue::from_str(s),
            Arg::OptText(Some(s)) => JsValue::from_str(s),
            Arg::OptText(None) => JsValue::NULL,
            // D1 numbers are JavaScript numbers; the hub only stores small integers.
            Arg::Int(n) => JsValue::from_f64(*n as f64),
            Arg::OptReal(Some(v)) => JsValue::from_f64(*v),
            Arg::OptReal(None) => JsValue::NULL,
        }
    }
}

/// Pauses before the second and third try of a read. Reads are retried because they are
/// idempotent and D1 documents transient failures (a busy or restarting database: locally,
/// `wrangler d1 execute` holding the file); writes are not, a failed batch is a 503.
const READ_RETRIES: [u64; 2] = [50, 200];

async fn retry_pause(attempt: &mut usize, err: &worker::Error) {
    let millis = READ_RETRIES.get(*attempt).copied().unwrap_or(200);
    *attempt += 1;
    worker::console_warn!("D1 read failed (try {attempt}), retrying in {millis} ms: {err}");
    worker::Delay::from(std::time::Duration::from_millis(millis)).await;
}

fn d1_failed(what: &str, err: &worker::Error) -> EdgeError {
    EdgeError::Unavailable(format!("D1 {what}: {err}"))
}

/// A stored instant with milliseconds (`2024-05-21T13:19:13.000Z`): `last_change`,
/// `updated_at`, `offline_until`, as the demo data writes them.
pub fn millis(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// A stored instant with microseconds: availability `happened_at` and `until`, JET
/// Connect's precision, compared as text by the availability upsert.
pub fn micros(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Reads a stored instant (either precision, any offset).
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, EdgeError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|err| EdgeError::Internal(format!("stored time {text:?}: {err}")))
}
