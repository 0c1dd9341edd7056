//! The operator console's reads (issue 19): `GET /admin/orders`' page with each order's
//! "needs attention" facts in the same query, the restaurants' list, a pause's reason, and
//! the rows `GET /admin/stats` aggregates, bounded by its window.

use orderbridge_core::console::{AttentionFacts, Cursor, OrderFilter};
use serde::Deserialize;

use super::orders::AdminOrderRow;
use super::typed::{self, Typed};
use super::{Arg, Storage};
use crate::error::EdgeError;

/// An order of a list page: the admin row, its position for the cursor, and why it needs
/// attention.
pub struct ListedOrder {
    pub order: AdminOrderRow,
    pub cursor: Cursor,
    pub facts: AttentionFacts,
}

#[derive(Deserialize)]
pub(super) struct RawListedOrder {
    row_id: i64,
    id: String,
    number: String,
    restaurant_id: String,
    delivery_method: String,
    status: i64,
    upstream_order_id: Option<String>,
    created_at: String,
    updated_at: String,
    channel: String,
    external_id: Option<String>,
    request: String,
    dead_delivery: i64,
    not_in_kitchen: i64,
    sent_to_pos_failed: i64,
}

impl Typed for ListedOrder {
    type Raw = RawListedOrder;

    fn typed(raw: RawListedOrder) -> Result<ListedOrder, EdgeError> {
        Ok(ListedOrder {
            cursor: Cursor {
                created_at: raw.created_at.clone(),
                rowid: raw.row_id,
            },
            facts: AttentionFacts {
                dead_delivery: raw.dead_delivery != 0,
                not_in_kitchen: raw.not_in_kitchen != 0,
                sent_to_pos_failed: raw.sent_to_pos_failed != 0,
            },
            order: AdminOrderRow {
                delivery_method: typed::delivery_method(&raw.delivery_method, &raw.id)?,
                channel: typed::channel(&raw.channel, &raw.id)?,
                id: raw.id,
                number: raw.number,
                restaurant_id: raw.restaurant_id,
                status: raw.status,
                upstream_order_id: raw.upstream_order_id,
                created_at: raw.created_at,
                updated_at: raw.updated_at,
                external_id: raw.external_id,
                request: raw.request,
            },
        })
    }
}

/// An outbound delivery of the order is dead (partial index `outbox_dead_by_order`).
const DEAD: &str = "EXISTS (SELECT 1 FROM outbox d WHERE d.order_id = o.id AND d.status = 'dead')";
/// Upstream mode (the order has a token for Jupiter's calls), Jupiter never answered nor
/// called, and no injection is pending any more.
const NOT_IN_KITCHEN: &str = "(o.upstream_token IS NOT NULL AND o.upstream_order_id IS NULL \
     AND o.upstream_heard = '' AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.order_id = o.id \
     AND p.receiver = 'jupiter_injection' AND p.status = 'pending'))";
/// A JET order whose outcome was failure.
const POS_FAILED: &str =
    "EXISTS (SELECT 1 FROM jet_orders j WHERE j.order_id = o.id AND j.outcome = 'failed')";

/// The orders that can need attention, each set read through its own index (migrations
/// 0028 and 0033), so `attention=true` reads that small set and sorts it instead of testing
/// every order newest first (`make bench-scale`: every order read when few need attention).
const ATTENTION_CANDIDATES: &str = "o.rowid IN ( \
     SELECT x.rowid FROM orders x WHERE x.id IN (SELECT order_id FROM outbox WHERE status = 'dead') \
     UNION SELECT x.rowid FROM orders x \
       WHERE x.id IN (SELECT order_id FROM jet_orders WHERE outcome = 'failed') \
     UNION SELECT rowid FROM orders WHERE upstream_token IS NOT NULL \
       AND upstream_order_id IS NULL AND upstream_heard = '')";

/// The columns of a [`ListedOrder`], from `orders o`.
fn listed_columns() -> String {
    format!(
        "o.rowid AS row_id, o.id, o.number, o.restaurant_id, o.delivery_method, o.status, \
         o.upstream_order_id, o.created_at, o.updated_at, o.channel, o.external_id, o.request, \
         {DEAD} AS dead_delivery, {NOT_IN_KITCHEN} AS not_in_kitchen, \
         {POS_FAILED} AS sent_to_pos_failed"
    )
}

/// Adds a parameter and answers its placeholder.
fn bind<'a>(args: &mut Vec<Arg<'a>>, arg: Arg<'a>) -> String {
    args.push(arg);
    format!("?{}", args.len())
}

impl Storage {
    /// One page of `GET /admin/orders`, newest first by `(created_at, rowid)` after the
    /// cursor, `limit + 1` rows (the extra one says there is a next page); one query.
    pub async fn order_page(&self, f: &OrderFilter) -> Result<Vec<ListedOrder>, EdgeError> {
        let mut conds: Vec<String> = Vec::new();
        let mut args: Vec<Arg<'_>> = Vec::new();
        if let Some(id) = &f.restaurant_id {
            let p = bind(&mut args, Arg::Text(id));
            conds.push(format!("o.restaurant_id = {p}"));
        }
        if let Some(channel) = f.channel {
            let p = bind(&mut args, Arg::Text(channel));
            conds.push(format!("o.channel = {p}"));
        }
        if let Some(external) = &f.external_id {
            let p = bind(&mut args, Arg::Text(external));
            conds.push(format!("o.external_id = {p}"));
        }
        if let Some(status) = f.status {
            let p = bind(&mut args, Arg::Int(status));
            conds.push(format!("o.status = {p}"));
        }
        if let Some(from) = &f.from {
            let p = bind(&mut args, Arg::Text(from));
            conds.push(format!("o.created_at >= {p}"));
        }
        if let Some(to) = &f.to {
            let p = bind(&mut args, Arg::Text(to));
            conds.push(format!("o.created_at < {p}"));
        }
        if let Some(q) = &f.q {
            let p = bind(&mut args, Arg::Text(&q.text));
            let mut any = vec![format!("o.number = {p}"), format!("o.external_id = {p}")];
            for phone in &q.phones {
                let p = bind(&mut args, Arg::Text(phone));
                any.push(format!("o.phone = {p}"));
            }
            conds.push(format!("({})", any.join(" OR ")));
        }
        if let Some(c) = &f.cursor {
            let at = bind(&mut args, Arg::Text(&c.created_at));
            let row = bind(&mut args, Arg::Int(c.rowid));
            // The `<=` bound lets the index range start at the cursor (no OFFSET-like scan).
            conds.push(format!(
                "o.created_at <= {at} AND (o.created_at < {at} OR o.rowid < {row})"
            ));
        }
        if f.attention {
            conds.push(format!(
                "{ATTENTION_CANDIDATES} AND ({DEAD} OR {NOT_IN_KITCHEN} OR {POS_FAILED})"
            ));
        }
        let limit = bind(&mut args, Arg::Int(f.limit + 1));
        let filter = if conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conds.join(" AND "))
        };
        let sql = format!(
            "SELECT {} FROM orders o {filter} ORDER BY o.created_at DESC, o.rowid DESC LIMIT {limit}",
            listed_columns()
        );
        self.typed_rows(&sql, &args).await
    }
}

/// A restaurant's pause reason (migration `0028`).
#[derive(Deserialize)]
pub struct PauseRow {
    pub id: String,
    pub pause_reason: Option<String>,
}

/// A restaurant's JET Connect `/servicetimes` body, as received.
#[derive(Deserialize)]
pub struct ServiceTimesRow {
    pub restaurant_id: String,
    pub body: String,
}

impl Storage {
    /// The statement that sets (or, with `None`, clears) restaurant `id`'s pause reason, for
    /// the batch that changes its online state.
    pub fn pause_reason(
        &self,
        id: &str,
        reason: Option<&str>,
    ) -> Result<worker::D1PreparedStatement, EdgeError> {
        self.statement(
            "UPDATE restaurants SET pause_reason = ?2 WHERE id = ?1",
            &[Arg::Text(id), Arg::OptText(reason)],
        )
    }

    /// Restaurant `id`'s pause reason, if it has one.
    pub async fn pause_reason_of(&self, id: &str) -> Result<Option<String>, EdgeError> {
        let row: Option<PauseRow> = self
            .row(
                "SELECT id, pause_reason FROM restaurants WHERE id = ?1",
                &[Arg::Text(id)],
            )
            .await?;
        Ok(row.and_then(|r| r.pause_reason))
    }

    /// Every restaurant with a pause reason.
    pub async fn pause_reasons(&self) -> Result<Vec<PauseRow>, EdgeError> {
        self.rows(
            "SELECT id, pause_reason FROM restaurants WHERE pause_reason IS NOT NULL",
            &[],
        )
        .await
    }

    /// Every restaurant's `/servicetimes` body.
    pub async fn all_service_times(&self) -> Result<Vec<ServiceTimesRow>, EdgeError> {
        self.rows("SELECT restaurant_id, body FROM service_times", &[])
            .await
    }
}

/// A dead delivery as `GET /admin/attention` lists it (times: unix seconds).
#[derive(Deserialize)]
pub struct DeadRow {
    pub id: String,
    pub order_id: Option<String>,
    pub receiver: String,
    pub url: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub updated_at: i64,
}

/// A Just Eat query still waiting for the operator's answer.
#[derive(Deserialize)]
pub struct WaitingQuery {
    pub id: String,
    pub kind: String,
    pub order_id: Option<String>,
    pub received_at: String,
}

/// Orders of one channel created in one UTC hour, failed or not (`GET /admin/stats`).
#[derive(Deserialize)]
pub struct RawHourCount {
    pub hour: String,
    pub channel: String,
    pub failed: i64,
    pub count: i64,
}

#[derive(Deserialize)]
struct LatencyRow {
    latency_ms: i64,
}

/// The most rows each list of `GET /admin/attention` holds, and the most attempt
/// durations one stats window reads.
pub const ATTENTION_MAX: i64 = 100;
const LATENCY_MAX: i64 = 50_000;

/// `AND` restaurant `?1`'s orders only, when `?1` is given, for a column holding an order id.
fn of_restaurant(column: &str) -> String {
    format!("(?1 IS NULL OR {column} IN (SELECT id FROM orders WHERE restaurant_id = ?1))")
}

impl Storage {
    /// Dead deliveries, latest first (of `restaurant`'s orders when given).
    pub async fn dead_deliveries(
        &self,
        restaurant: Option<&str>,
    ) -> Result<Vec<DeadRow>, EdgeError> {
        self.rows(
            &format!(
                "SELECT id, order_id, receiver, url, attempts, last_error, updated_at FROM outbox \
                 WHERE status = 'dead' AND {} ORDER BY updated_at DESC, seq DESC LIMIT ?2",
                of_restaurant("order_id")
            ),
            &[Arg::OptText(restaurant), Arg::Int(ATTENTION_MAX)],
        )
        .await
    }

    /// Just Eat's queries not answered yet, oldest first.
    pub async fn waiting_queries(
        &self,
        restaurant: Option<&str>,
    ) -> Result<Vec<WaitingQuery>, EdgeError> {
        self.rows(
            "SELECT id, kind, order_id, received_at FROM jet_queries \
             WHERE answered_at IS NULL AND (?1 IS NULL OR restaurant_id = ?1) \
             ORDER BY received_at, id LIMIT ?2",
            &[Arg::OptText(restaurant), Arg::Int(ATTENTION_MAX)],
        )
        .await
    }

    /// Orders created in `[from, to)` (stored form) counted by UTC hour, channel and
    /// whether they failed: an `attention` reason, or a 5 the hub set itself (a status with
    /// its reason in the history).
    pub async fn hour_counts(
        &self,
        from: &str,
        to: &str,
        restaurant: Option<&str>,
    ) -> Result<Vec<RawHourCount>, EdgeError> {
        self.rows(
            &format!(
                "SELECT substr(o.created_at, 1, 13) AS hour, o.channel, \
                     ({DEAD} OR {NOT_IN_KITCHEN} OR {POS_FAILED} OR EXISTS (SELECT 1 FROM \
                     order_statuses s WHERE s.order_id = o.id AND s.status = 5 \
                     AND s.reason IS NOT NULL)) AS failed, COUNT(*) AS count \
                 FROM orders o WHERE o.created_at >= ?2 AND o.created_at < ?3 \
                     AND (?1 IS NULL OR o.restaurant_id = ?1) \
                 GROUP BY hour, o.channel, failed"
            ),
            &[Arg::OptText(restaurant), Arg::Text(from), Arg::Text(to)],
        )
        .await
    }

    /// The durations of attempts started in `[from_ms, to_ms)` to `receivers`.
    pub async fn latencies(
        &self,
        from_ms: i64,
        to_ms: i64,
        receivers: &[&str],
        restaurant: Option<&str>,
    ) -> Result<Vec<i64>, EdgeError> {
        let list = serde_json::to_string(receivers)
            .map_err(|err| EdgeError::Internal(format!("receiver list: {err}")))?;
        let rows: Vec<LatencyRow> = self
            .rows(
                &format!(
                    "SELECT a.latency_ms FROM outbox_attempts a JOIN outbox d ON d.id = a.delivery_id \
                     WHERE a.started_at >= ?2 AND a.started_at < ?3 \
                         AND d.receiver IN (SELECT value FROM json_each(?4)) AND {} LIMIT ?5",
                    of_restaurant("d.order_id")
                ),
                &[
                    Arg::OptText(restaurant),
                    Arg::Int(from_ms),
                    Arg::Int(to_ms),
                    Arg::Text(&list),
                    Arg::Int(LATENCY_MAX),
                ],
            )
            .await?;
        Ok(rows.into_iter().map(|r| r.latency_ms).collect())
    }
}
