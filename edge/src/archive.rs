//! The archive (issue 21): orders in a final state, and settled delivery-log rows of no
//! order, older than `ARCHIVE_AFTER_DAYS`, leave D1 for the R2 bucket `ARCHIVE`, one gzip
//! NDJSON object per batch (core `archive`: which rows, the bounds, the object's name).
//!
//! A run reads the candidates, asks core which go, reads every row hanging off them
//! (`storage::archive`), writes the object, reads it back and compares it, and only then
//! commits one D1 batch that writes the index and deletes the rows; that batch fails as a
//! whole if the rows changed since they were read. Any failure before it leaves every row
//! in D1 (an object already written is deleted again, best effort), so a run can simply be
//! retried; a second run finds nothing more. The minute cron runs one batch per tick
//! ([`tick`]); `POST /admin/archive/run` runs one now. [`find`] reads an archived order
//! back by its index row.

use chrono::{DateTime, Utc};
use orderbridge_core::archive::{self, Candidate, Keep};
use serde_json::{json, Map, Value};
use worker::{Bucket, Env, HttpMetadata};

use crate::bindings;
use crate::clock;
use crate::config::Config;
use crate::error::EdgeError;
use crate::gzip;
use crate::storage::archive::{ArchivedRow, BatchWrite, IndexWrite};
use crate::storage::{millis, parse_instant, Storage};

/// Candidates read per run, as a multiple of the batch: room for orders core keeps.
const SCAN_FACTOR: usize = 4;

/// What a run did.
pub struct Outcome {
    pub object_key: Option<String>,
    pub encoding: &'static str,
    pub orders: Vec<String>,
    pub deliveries: usize,
    pub bytes: usize,
    pub stored_bytes: usize,
    pub cutoff: String,
    pub kept: Vec<(String, Keep)>,
}

impl Outcome {
    pub fn to_json(&self) -> Value {
        json!({
            "object_key": self.object_key,
            "encoding": self.object_key.as_ref().map(|_| self.encoding),
            "cutoff": self.cutoff,
            "orders": self.orders,
            "deliveries": self.deliveries,
            "bytes": self.bytes,
            "stored_bytes": self.stored_bytes,
            "kept": self.kept.iter().map(|(id, why)| json!({"order_id": id, "reason": why.as_str()})).collect::<Vec<_>>(),
        })
    }
}

/// An archived order: its index row and its line.
pub struct Archived {
    pub index: ArchivedRow,
    pub record: Value,
}

fn bucket(env: &Env) -> Result<Bucket, EdgeError> {
    env.bucket(bindings::ARCHIVE)
        .map_err(|err| EdgeError::Unavailable(format!("R2 binding {}: {err}", bindings::ARCHIVE)))
}

fn r2_failed(what: &str, err: worker::Error) -> EdgeError {
    EdgeError::Unavailable(format!("R2 {what}: {err}"))
}

/// The minute cron's batch.
pub async fn tick(env: &Env) {
    let config = Config::from_env(env);
    match run(
        env,
        clock::now(),
        config.archive_after_days,
        archive::DEFAULT_BATCH,
    )
    .await
    {
        Ok(o) if o.object_key.is_some() => worker::console_log!(
            "archive {}: {} orders, {} deliveries, {} bytes stored",
            o.object_key.as_deref().unwrap_or_default(),
            o.orders.len(),
            o.deliveries,
            o.stored_bytes
        ),
        Ok(_) => {}
        Err(err) => worker::console_error!("archive failed: {err:?}"),
    }
}

/// One batch: at most `limit` orders and [`archive::MAX_LOG_ROWS`] log rows.
pub async fn run(
    env: &Env,
    now: DateTime<Utc>,
    after_days: i64,
    limit: usize,
) -> Result<Outcome, EdgeError> {
    let storage = Storage::new(env)?;
    let cutoff = archive::cutoff(now, after_days);
    let cutoff_text = millis(cutoff);
    let finals: Vec<i64> = archive::FINAL.iter().map(|s| s.code()).collect();
    let scan = i64::try_from(limit.saturating_mul(SCAN_FACTOR)).unwrap_or(i64::MAX);
    let candidates = storage
        .archive_candidates(&cutoff_text, &json!(finals).to_string(), scan)
        .await?;
    let mut chosen: Vec<String> = Vec::new();
    let mut kept: Vec<(String, Keep)> = Vec::new();
    for c in candidates {
        let candidate = Candidate {
            status: c.status,
            updated_at: parse_instant(&c.updated_at)?,
            open_deliveries: c.open_deliveries,
            open_queries: c.open_queries,
        };
        match archive::decide(&candidate, cutoff) {
            Ok(()) if chosen.len() < limit => chosen.push(c.id),
            Ok(()) => {}
            Err(why) => kept.push((c.id, why)),
        }
    }

    // One line per order, with every row hanging off it.
    let mut lines: Vec<(Option<Value>, i64, String)> = Vec::new();
    if !chosen.is_empty() {
        let ids = json!(chosen).to_string();
        let tables = storage.archive_order_rows(&ids).await?;
        let orders = tables
            .iter()
            .find(|(t, _)| *t == "orders")
            .map(|(_, rows)| rows.clone())
            .unwrap_or_default();
        for order in orders {
            let id = order.get("id").and_then(Value::as_str).unwrap_or_default();
            let mut rows = Map::new();
            let mut children = 0i64;
            for (table, table_rows) in &tables {
                let mine: Vec<Value> = if *table == "orders" {
                    vec![order.clone()]
                } else {
                    table_rows
                        .iter()
                        .filter(|r| r.get("order_id").and_then(Value::as_str) == Some(id))
                        .cloned()
                        .collect()
                };
                if *table != "orders" {
                    children += i64::try_from(mine.len()).unwrap_or(0);
                }
                rows.insert((*table).to_owned(), Value::Array(mine));
            }
            let line = json!({"kind": "order", "order_id": id, "rows": rows}).to_string();
            lines.push((Some(order), children, line));
        }
    }
    // Then the delivery log of no order.
    let log_limit = i64::try_from(archive::MAX_LOG_ROWS).unwrap_or(200);
    let (log_rows, attempts) = storage
        .archive_log_rows(cutoff.timestamp(), log_limit)
        .await?;
    for row in log_rows {
        let status = row
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let updated = row
            .get("updated_at")
            .and_then(Value::as_i64)
            .unwrap_or(i64::MAX);
        if archive::log_row(status, updated, cutoff).is_err() {
            continue;
        }
        let id = row
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let mine: Vec<&Value> = attempts
            .iter()
            .filter(|a| a.get("delivery_id").and_then(Value::as_str) == Some(id.as_str()))
            .collect();
        let line = json!({"kind": "delivery", "delivery_id": id,
            "rows": {"outbox": [row], "outbox_attempts": mine}})
        .to_string();
        lines.push((None, 0, line));
    }

    // The bound on the object's size.
    let lengths: Vec<usize> = lines.iter().map(|(_, _, l)| l.len()).collect();
    lines.truncate(archive::lines_that_fit(&lengths));
    let mut outcome = Outcome {
        object_key: None,
        encoding: "gzip",
        orders: Vec::new(),
        deliveries: 0,
        bytes: 0,
        stored_bytes: 0,
        cutoff: cutoff_text.clone(),
        kept,
    };
    let Some(first) = lines.first() else {
        return Ok(outcome);
    };
    let first_id = first
        .0
        .as_ref()
        .and_then(|o| o.get("id"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| {
            serde_json::from_str::<Value>(&first.2)
                .ok()
                .and_then(|v| {
                    v.get("delivery_id")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                })
                .unwrap_or_default()
        });

    let mut text = String::new();
    let mut index = Vec::new();
    let mut log_ids: Vec<String> = Vec::new();
    let mut child_rows = 0i64;
    for (n, (order, children, line)) in lines.iter().enumerate() {
        match order {
            Some(order) => {
                index.push(IndexWrite {
                    order,
                    line: i64::try_from(n).unwrap_or(0),
                    byte_offset: i64::try_from(text.len()).unwrap_or(0),
                });
                child_rows += children;
                if let Some(id) = order.get("id").and_then(Value::as_str) {
                    outcome.orders.push(id.to_owned());
                }
            }
            None => {
                if let Some(id) = serde_json::from_str::<Value>(line).ok().and_then(|v| {
                    v.get("delivery_id")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                }) {
                    log_ids.push(id);
                }
            }
        }
        text.push_str(line);
        text.push('\n');
    }
    outcome.deliveries = log_ids.len();
    outcome.bytes = text.len();

    // Compressed by the runtime; stored plain if it cannot.
    let (stored, gzip_on) = match gzip::compress(text.as_bytes()).await {
        Ok(bytes) => (bytes, true),
        Err(err) => {
            worker::console_error!("archive stored uncompressed: {err:?}");
            (text.clone().into_bytes(), false)
        }
    };
    outcome.encoding = if gzip_on { "gzip" } else { "identity" };
    outcome.stored_bytes = stored.len();
    let key = archive::object_key(now, &first_id, lines.len(), gzip_on);

    let bucket = bucket(env)?;
    store(&bucket, &key, &stored, gzip_on, text.as_bytes()).await?;

    let order_ids = json!(outcome.orders).to_string();
    let log_ids = json!(log_ids).to_string();
    let batch = BatchWrite {
        object_key: &key,
        archived_at: &millis(now),
        cutoff: &cutoff_text,
        order_ids: &order_ids,
        log_ids: &log_ids,
        child_rows,
        orders: index,
        deliveries: i64::try_from(outcome.deliveries).unwrap_or(0),
        bytes: i64::try_from(outcome.bytes).unwrap_or(0),
        stored_bytes: i64::try_from(outcome.stored_bytes).unwrap_or(0),
        encoding: outcome.encoding,
    };
    if let Err(err) = storage.archive_commit(&batch).await {
        // The rows stay; the object would only be a copy of them.
        if let Err(e) = bucket.delete(key.as_str()).await {
            worker::console_error!("archive object {key} left after a failed batch: {e}");
        }
        return Err(err);
    }
    outcome.object_key = Some(key);
    Ok(outcome)
}

/// Writes the object, reads it back and compares it with what was written (and, for gzip,
/// decompressed with the NDJSON): an error unless the archive holds exactly these rows.
async fn store(
    bucket: &Bucket,
    key: &str,
    stored: &[u8],
    gzip_on: bool,
    text: &[u8],
) -> Result<(), EdgeError> {
    bucket
        .put(key, stored.to_vec())
        .http_metadata(HttpMetadata {
            content_type: Some("application/x-ndjson".to_owned()),
            content_encoding: gzip_on.then(|| "gzip".to_owned()),
            ..HttpMetadata::default()
        })
        .execute()
        .await
        .map_err(|err| r2_failed("put", err))?;
    let back = read(bucket, key)
        .await?
        .ok_or_else(|| EdgeError::Unavailable(format!("R2 object {key} not found after put")))?;
    let same = if gzip_on {
        back == stored && gzip::decompress(&back).await? == text
    } else {
        back == stored
    };
    if !same {
        return Err(EdgeError::Unavailable(format!(
            "R2 object {key} read back differs from what was written"
        )));
    }
    Ok(())
}

async fn read(bucket: &Bucket, key: &str) -> Result<Option<Vec<u8>>, EdgeError> {
    let Some(object) = bucket
        .get(key)
        .execute()
        .await
        .map_err(|err| r2_failed("get", err))?
    else {
        return Ok(None);
    };
    match object.body() {
        Some(body) => body
            .bytes()
            .await
            .map(Some)
            .map_err(|e| r2_failed("read", e)),
        None => Ok(None),
    }
}

/// An archived order read back: its index row and its NDJSON line, or `None` when it was
/// never archived.
pub async fn find(env: &Env, storage: &Storage, id: &str) -> Result<Option<Archived>, EdgeError> {
    let Some(index) = storage.archived_order(id).await? else {
        return Ok(None);
    };
    let record = line(env, &index).await?;
    Ok(Some(Archived { index, record }))
}

/// The line of `index` in its object.
async fn line(env: &Env, index: &ArchivedRow) -> Result<Value, EdgeError> {
    let key = &index.object_key;
    let bytes = read(&bucket(env)?, key)
        .await?
        .ok_or_else(|| EdgeError::Unavailable(format!("R2 object {key} is missing")))?;
    let bytes = if key.ends_with(".gz") {
        gzip::decompress(&bytes).await?
    } else {
        bytes
    };
    let start = usize::try_from(index.byte_offset).unwrap_or(usize::MAX);
    let rest = bytes.get(start..).unwrap_or_default();
    let end = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
    let record: Value = serde_json::from_slice(rest.get(..end).unwrap_or_default())
        .map_err(|err| EdgeError::Internal(format!("archive {key} line {}: {err}", index.line)))?;
    if record.get("order_id").and_then(Value::as_str) != Some(index.order_id.as_str()) {
        return Err(EdgeError::Internal(format!(
            "archive {key} line {} is not order {}",
            index.line, index.order_id
        )));
    }
    Ok(record)
}
