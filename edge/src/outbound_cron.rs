//! The sweep: on every cron tick, enqueue every delivery that is due and not delivered.
//!
//! The queue normally carries each delivery (the first poke from `outbox::kick`, each retry
//! with its delay). The sweep is the safety net for whatever the queue did not carry: a
//! `kick` that failed or never ran (the Worker died after the commit), a lost or
//! dead-lettered message, an attempt whose Worker died mid-flight (its lease runs out), and
//! `wrangler dev` restarts, whose local queue keeps messages only in memory. D1 is the
//! truth; the sweep reads it and asks core's `plan::due_now` which deliveries may act
//! (per key only the oldest pending one; anything past its deadline is expired by the
//! consumer). Duplicated pokes are harmless: the consumer's lease lets one attempt through.

use std::cell::Cell;
use std::rc::Rc;

use orderbridge_core::outbound::plan::{due_now, Action};

use crate::clock;
use crate::config::Config;
use crate::error::EdgeError;
use crate::outbox;
use crate::storage::Storage;

/// At most this many deliveries per tick; the next tick takes the rest.
const SWEEP_LIMIT: u32 = 500;

/// Runs one sweep; failures are logged (the next tick tries again).
/// In development every sweep logs the D1 rows it read, even an empty one: how
/// `make bench-scale` sees that the sweep stays flat however many orders are stored.
pub async fn sweep(env: &worker::Env) {
    let config = Config::from_env(env);
    let rows_read = Rc::new(Cell::new(None));
    match run(env, &config, &rows_read).await {
        Ok(n) if config.counts_rows() => {
            let read = rows_read.get().unwrap_or(0);
            worker::console_log!("outbound sweep: enqueued {n} due deliveries; D1 rows read {read}")
        }
        Ok(0) => {}
        Ok(n) => worker::console_log!("outbound sweep: enqueued {n} due deliveries"),
        Err(err) => worker::console_error!("outbound sweep failed: {err:?}"),
    }
}

async fn run(
    env: &worker::Env,
    config: &Config,
    rows_read: &Rc<Cell<Option<usize>>>,
) -> Result<usize, EdgeError> {
    let storage = if config.counts_rows() {
        Storage::counting(env, rows_read)?
    } else {
        Storage::new(env)?
    };
    let now = clock::now().timestamp();
    let rows = storage.sweep_candidates(now, SWEEP_LIMIT).await?;
    let mut entries = Vec::with_capacity(rows.len());
    // A row that cannot be read back (e.g. its URL is refused today) is enqueued as it is:
    // the consumer marks it dead with the reason in the log.
    let mut ids: Vec<(String, u32)> = Vec::new();
    for row in &rows {
        match outbox::entry(row, &config.url_policy()) {
            Ok(entry) => entries.push(entry),
            Err(_) => ids.push((row.id.clone(), 0)),
        }
    }
    for action in due_now(&entries, now) {
        let (Action::Attempt(delivery) | Action::Expire(delivery)) = action;
        ids.push((delivery.id.clone(), 0));
    }
    outbox::enqueue(env, &ids).await;
    Ok(ids.len())
}
