//! The SQL of site orders (`migrations/0004_orders.sql`): placing an order, moving it to
//! a status, and reading orders back. Writes return statements so the caller commits them
//! in one batch with the status callbacks they cause.

use serde::Deserialize;
use worker::D1PreparedStatement;

use orderbridge_core::geo::Point;
use orderbridge_core::order::DeliveryMethod;

use super::typed::{self, Typed};
use super::{Arg, Storage};
use crate::channel::Channel;
use crate::error::EdgeError;

/// An `orders` row.
#[derive(Debug, Clone)]
pub struct OrderRow {
    pub id: String,
    pub number: String,
    pub fingerprint: String,
    pub restaurant_id: String,
    pub delivery_method: DeliveryMethod,
    pub status: i64,
    pub version: i64,
    pub status_url: Option<String>,
    pub upstream_token: Option<String>,
    pub upstream_order_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub channel: Channel,
    /// Upstream mode: the status codes Jupiter reported (`"0,10"`, migration `0013`).
    pub upstream_heard: String,
    /// Kopecks a trusted site took off `cart.total` (migration `0013`).
    pub discount: i64,
    /// A trusted site's order: the warnings it was accepted with, a JSON array.
    pub warnings: Option<String>,
}

/// An `orders` row as D1 gives it.
#[derive(Deserialize)]
pub(super) struct RawOrderRow {
    id: String,
    number: String,
    fingerprint: String,
    restaurant_id: String,
    delivery_method: String,
    status: i64,
    version: i64,
    status_url: Option<String>,
    upstream_token: Option<String>,
    upstream_order_id: Option<String>,
    created_at: String,
    updated_at: String,
    channel: String,
    upstream_heard: String,
    discount: i64,
    warnings: Option<String>,
}

impl Typed for OrderRow {
    type Raw = RawOrderRow;

    fn typed(raw: RawOrderRow) -> Result<OrderRow, EdgeError> {
        Ok(OrderRow {
            delivery_method: typed::delivery_method(&raw.delivery_method, &raw.id)?,
            channel: typed::channel(&raw.channel, &raw.id)?,
            id: raw.id,
            number: raw.number,
            fingerprint: raw.fingerprint,
            restaurant_id: raw.restaurant_id,
            status: raw.status,
            version: raw.version,
            status_url: raw.status_url,
            upstream_token: raw.upstream_token,
            upstream_order_id: raw.upstream_order_id,
            created_at: raw.created_at,
            updated_at: raw.updated_at,
            upstream_heard: raw.upstream_heard,
            discount: raw.discount,
            warnings: raw.warnings,
        })
    }
}

/// An `orders` row with what the operator's read adds: the marketplace id and the stored
/// Jupiter order.
#[derive(Debug, Clone)]
pub struct AdminOrderRow {
    pub id: String,
    pub number: String,
    pub restaurant_id: String,
    pub delivery_method: DeliveryMethod,
    pub status: i64,
    pub upstream_order_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub channel: Channel,
    pub external_id: Option<String>,
    pub request: String,
}

/// An [`AdminOrderRow`] as D1 gives it. (Fields spelled out, not `#[serde(flatten)]`:
/// flattening buffers values and D1's numbers would not come back as integers.)
#[derive(Deserialize)]
pub(super) struct RawAdminOrderRow {
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
}

impl Typed for AdminOrderRow {
    type Raw = RawAdminOrderRow;

    fn typed(raw: RawAdminOrderRow) -> Result<AdminOrderRow, EdgeError> {
        Ok(AdminOrderRow {
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
        })
    }
}

/// An `order_statuses` row.
#[derive(Debug, Clone, Deserialize)]
pub struct StatusRow {
    pub status: i64,
    pub at: String,
    /// Why the hub set the status itself (migration `0016`), e.g. an order that did not
    /// reach the kitchen; `None` otherwise.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A validated order to store.
pub struct OrderWrite<'a> {
    pub id: &'a str,
    /// Whose `number` it is (migration `0018`): unique together with it.
    pub namespace: &'a str,
    pub number: &'a str,
    pub fingerprint: &'a str,
    pub restaurant_id: &'a str,
    pub concept_id: &'a str,
    pub zone_id: Option<&'a str>,
    pub delivery_method: &'a str,
    pub phone: &'a str,
    pub client_name: &'a str,
    pub total: i64,
    pub status: i64,
    pub status_url: Option<&'a str>,
    pub request: &'a str,
    pub upstream_token: Option<&'a str>,
    pub at: &'a str,
    pub channel: &'a str,
    pub external_id: Option<&'a str>,
    /// Kopecks a trusted site took off the total.
    pub discount: i64,
    /// A trusted site's warnings, a JSON array.
    pub warnings: Option<&'a str>,
}

const ORDER_COLUMNS: &str = "id, number, fingerprint, restaurant_id, delivery_method, \
     status, version, status_url, upstream_token, upstream_order_id, created_at, \
     updated_at, channel, upstream_heard, discount, warnings";

const ADMIN_COLUMNS: &str = "id, number, restaurant_id, delivery_method, status, \
     upstream_order_id, created_at, updated_at, channel, external_id, request";

impl Storage {
    pub async fn order(&self, id: &str) -> Result<Option<OrderRow>, EdgeError> {
        self.typed_row(
            &format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = ?1"),
            &[Arg::Text(id)],
        )
        .await
    }

    /// The order numbered `number` in `namespace` (core's `order::namespace`, stored form).
    pub async fn order_by_number(
        &self,
        namespace: &str,
        number: &str,
    ) -> Result<Option<OrderRow>, EdgeError> {
        self.typed_row(
            &format!("SELECT {ORDER_COLUMNS} FROM orders WHERE namespace = ?1 AND number = ?2"),
            &[Arg::Text(namespace), Arg::Text(number)],
        )
        .await
    }

    /// The order a marketplace delivered under its own id.
    pub async fn order_by_external(
        &self,
        channel: &str,
        external_id: &str,
    ) -> Result<Option<OrderRow>, EdgeError> {
        self.typed_row(
            &format!("SELECT {ORDER_COLUMNS} FROM orders WHERE channel = ?1 AND external_id = ?2"),
            &[Arg::Text(channel), Arg::Text(external_id)],
        )
        .await
    }

    /// The operator's read of one order: its row with the marketplace id and the stored
    /// Jupiter order (`GET /admin/orders/{order_id}`).
    pub async fn admin_order(&self, id: &str) -> Result<Option<AdminOrderRow>, EdgeError> {
        self.typed_row(
            &format!("SELECT {ADMIN_COLUMNS} FROM orders WHERE id = ?1"),
            &[Arg::Text(id)],
        )
        .await
    }

    /// The stored request of an order (the Jupiter `new_order` as parsed, JSON).
    pub async fn order_request(&self, id: &str) -> Result<Option<String>, EdgeError> {
        #[derive(Deserialize)]
        struct Request {
            request: String,
        }
        let row: Option<Request> = self
            .row("SELECT request FROM orders WHERE id = ?1", &[Arg::Text(id)])
            .await?;
        Ok(row.map(|r| r.request))
    }

    /// An order's statuses, oldest first.
    pub async fn order_statuses(&self, id: &str) -> Result<Vec<StatusRow>, EdgeError> {
        self.rows(
            "SELECT status, at, reason FROM order_statuses WHERE order_id = ?1 ORDER BY seq",
            &[Arg::Text(id)],
        )
        .await
    }

    /// The statements that place an order with its first status. A second order with the
    /// same `number` in the same namespace fails the batch (UNIQUE), so concurrent
    /// placements cannot both commit.
    pub fn place_order(&self, w: &OrderWrite<'_>) -> Result<Vec<D1PreparedStatement>, EdgeError> {
        let order = self.statement(
            "INSERT INTO orders (id, number, fingerprint, restaurant_id, concept_id, zone_id, \
                 delivery_method, phone, client_name, total, status, version, status_url, \
                 request, upstream_token, created_at, updated_at, channel, external_id, discount, \
                 warnings, namespace) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1, ?12, ?13, ?15, ?14, ?14, \
                 ?16, ?17, ?18, ?19, ?20)",
            &[
                Arg::Text(w.id),
                Arg::Text(w.number),
                Arg::Text(w.fingerprint),
                Arg::Text(w.restaurant_id),
                Arg::Text(w.concept_id),
                Arg::OptText(w.zone_id),
                Arg::Text(w.delivery_method),
                Arg::Text(w.phone),
                Arg::Text(w.client_name),
                Arg::Int(w.total),
                Arg::Int(w.status),
                Arg::OptText(w.status_url),
                Arg::Text(w.request),
                Arg::Text(w.at),
                Arg::OptText(w.upstream_token),
                Arg::Text(w.channel),
                Arg::OptText(w.external_id),
                Arg::Int(w.discount),
                Arg::OptText(w.warnings),
                Arg::Text(w.namespace),
            ],
        )?;
        let history = self.statement(
            "INSERT INTO order_statuses (order_id, seq, status, at) VALUES (?1, 1, ?2, ?3)",
            &[Arg::Text(w.id), Arg::Int(w.status), Arg::Text(w.at)],
        )?;
        Ok(vec![order, history])
    }

    /// The statements that move an order read at `version` to `status`, with why (`reason`,
    /// shown in the history; `None` for a status someone else reported). The history row
    /// `(order, version + 1)` comes first: if another change from the same version
    /// committed meanwhile, it exists already and the whole batch fails.
    pub fn set_order_status_because(
        &self,
        id: &str,
        version: i64,
        status: i64,
        reason: Option<&str>,
        at: &str,
    ) -> Result<Vec<D1PreparedStatement>, EdgeError> {
        let history = self.statement(
            "INSERT INTO order_statuses (order_id, seq, status, at, reason) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            &[
                Arg::Text(id),
                Arg::Int(version + 1),
                Arg::Int(status),
                Arg::Text(at),
                Arg::OptText(reason),
            ],
        )?;
        let order = self.statement(
            "UPDATE orders SET status = ?3, version = ?2 + 1, updated_at = ?4 \
             WHERE id = ?1 AND version = ?2",
            &[
                Arg::Text(id),
                Arg::Int(version),
                Arg::Int(status),
                Arg::Text(at),
            ],
        )?;
        Ok(vec![history, order])
    }
}

impl Storage {
    /// The statements that take a status call from Jupiter for an order read at `version`
    /// (core's `order::forward::on_status`): remember it as heard, append it to the
    /// history (`append`), move the order to it (`advance`). The version moves on every
    /// call, so two calls decided on the same read cannot both commit.
    pub fn upstream_status(
        &self,
        id: &str,
        version: i64,
        status: i64,
        decision: &orderbridge_core::order::forward::UpstreamStatus,
        heard: &str,
        at: &str,
    ) -> Result<Vec<D1PreparedStatement>, EdgeError> {
        let mut out = Vec::new();
        if decision.append {
            out.push(self.statement(
                "INSERT INTO order_statuses (order_id, seq, status, at) VALUES (?1, ?2, ?3, ?4)",
                &[
                    Arg::Text(id),
                    Arg::Int(version + 1),
                    Arg::Int(status),
                    Arg::Text(at),
                ],
            )?);
        }
        let sql = if decision.advance {
            "UPDATE orders SET status = ?3, version = ?2 + 1, updated_at = ?4, upstream_heard = ?5 \
             WHERE id = ?1 AND version = ?2"
        } else {
            "UPDATE orders SET version = ?2 + 1, upstream_heard = ?5 WHERE id = ?1 AND version = ?2"
        };
        out.push(self.statement(
            sql,
            &[
                Arg::Text(id),
                Arg::Int(version),
                Arg::Int(status),
                Arg::Text(at),
                Arg::Text(heard),
            ],
        )?);
        Ok(out)
    }

    /// Jupiter's order id for a forwarded order (its answer to `POST /order`).
    pub async fn set_upstream_order_id(
        &self,
        id: &str,
        upstream_order_id: &str,
    ) -> Result<(), EdgeError> {
        let statement = self.statement(
            "UPDATE orders SET upstream_order_id = ?2 WHERE id = ?1",
            &[Arg::Text(id), Arg::Text(upstream_order_id)],
        )?;
        self.batch(vec![statement]).await.map(drop)
    }
}

/// A live zone of some restaurant.
#[derive(Debug, Clone, Deserialize)]
pub struct ConceptZoneRow {
    pub restaurant_id: String,
    pub zone_id: String,
    /// core's `zone_memo::zone_version` of the zone (migration 0031); `None` for a row
    /// written before it.
    pub version: Option<String>,
    /// The Jupiter zone, JSON: only where `version` is `None`, or from [`Storage::live_zone`].
    pub zone: Option<String>,
}

impl Storage {
    /// The live zones of one concept key with this id, across restaurants (a site order's
    /// `address.zone_id`), by restaurant id, then as written.
    pub async fn live_zones_with_id(
        &self,
        concept_id: &str,
        zone_id: &str,
    ) -> Result<Vec<ConceptZoneRow>, EdgeError> {
        self.rows(
            "SELECT restaurant_id, zone_id, version, \
                    CASE WHEN version IS NULL THEN zone END AS zone FROM delivery_zones \
             WHERE concept_id = ?1 AND zone_id = ?2 AND deleted = 0 \
             ORDER BY restaurant_id, rowid",
            &[Arg::Text(concept_id), Arg::Text(zone_id)],
        )
        .await
    }

    /// One live zone with its JSON: the one read when an order meets a zone version this
    /// isolate has not prepared (a primary-key probe). `None` if it was deleted since.
    pub async fn live_zone(
        &self,
        restaurant_id: &str,
        concept_id: &str,
        zone_id: &str,
    ) -> Result<Option<ConceptZoneRow>, EdgeError> {
        self.row(
            "SELECT restaurant_id, zone_id, version, zone FROM delivery_zones \
             WHERE restaurant_id = ?1 AND concept_id = ?2 AND zone_id = ?3 AND deleted = 0",
            &[
                Arg::Text(restaurant_id),
                Arg::Text(concept_id),
                Arg::Text(zone_id),
            ],
        )
        .await
    }

    /// The live zones of one concept key that may contain `point`: those stored under one
    /// of `cells` (core's `geo::point_cells`) whose box holds the point, and those stored
    /// before their boxes were (NULL cell); by restaurant id, then as written. One index
    /// probe per cell.
    pub async fn live_zones_near(
        &self,
        concept_id: &str,
        point: Point,
        cells: &[String],
    ) -> Result<Vec<ConceptZoneRow>, EdgeError> {
        // The cells as bound parameters (?4 on): an IN list probes the index once per cell.
        let list: Vec<String> = (0..cells.len()).map(|i| format!("?{}", i + 4)).collect();
        let sql = format!(
            "SELECT restaurant_id, zone_id, version, \
                    CASE WHEN version IS NULL THEN zone END AS zone, rowid AS r FROM delivery_zones \
             WHERE concept_id = ?1 AND cell IN ({}) AND deleted = 0 \
               AND min_lat <= ?2 AND max_lat >= ?2 AND min_lon <= ?3 AND max_lon >= ?3 \
             UNION ALL \
             SELECT restaurant_id, zone_id, version, \
                    CASE WHEN version IS NULL THEN zone END AS zone, rowid AS r FROM delivery_zones \
             WHERE concept_id = ?1 AND cell IS NULL AND deleted = 0 \
             ORDER BY 1, 5",
            list.join(", ")
        );
        let mut args = vec![
            Arg::Text(concept_id),
            Arg::OptReal(Some(point.lat)),
            Arg::OptReal(Some(point.lon)),
        ];
        args.extend(cells.iter().map(|c| Arg::Text(c)));
        self.rows(&sql, &args).await
    }
}
