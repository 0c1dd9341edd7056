//! Orderconnect's SQL (`migrations/0006_orderconnect.sql`, `0011_orderconnect_items.sql`):
//! the receipt row kept beside an accepted order, the restaurant an Orderconnect restaurant
//! id names, the driver position relay's last send, and the operator's item mapping.

use orderbridge_core::orderconnect::mapping::{IdKind, ItemMapping};
use orderbridge_core::tz::LocalZone;
use serde::Deserialize;

use super::catalog::RestaurantRow;
use super::typed::Typed;
use super::{Arg, Storage};
use crate::error::EdgeError;

/// An `orderconnect_orders` row (without the stored body).
#[derive(Debug, Clone)]
pub struct OrderconnectRow {
    /// Just Eat's `Id`.
    pub id: String,
    /// `Delivery` or `Collection`: only a delivery is reported to Just Eat.
    pub service_type: String,
    /// The zone Just Eat's timestamps are written in, stored in `utc_offset` as an offset
    /// (`+01:00`) or an IANA name (`orderconnect::translate::order_zone`), read by
    /// [`crate::zone::stored`].
    pub zone: LocalZone,
    pub location_sent_at: Option<String>,
}

/// An [`OrderconnectRow`] as D1 gives it.
#[derive(Deserialize)]
pub(super) struct RawOrderconnectRow {
    id: String,
    service_type: String,
    utc_offset: String,
    location_sent_at: Option<String>,
}

impl Typed for OrderconnectRow {
    type Raw = RawOrderconnectRow;

    fn typed(raw: RawOrderconnectRow) -> Result<OrderconnectRow, EdgeError> {
        Ok(OrderconnectRow {
            zone: crate::zone::stored(&raw.utc_offset),
            id: raw.id,
            service_type: raw.service_type,
            location_sent_at: raw.location_sent_at,
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
struct MappingRow {
    kind: String,
    just_eat_id: String,
    item_id: String,
}

/// What an accepted order stores beside its `orders` row.
pub struct OrderconnectWrite<'a> {
    pub id: &'a str,
    pub order_id: &'a str,
    pub restaurant_ref: &'a str,
    pub service_type: &'a str,
    pub utc_offset: &'a str,
    pub body: &'a str,
    pub received_at: &'a str,
}

impl Storage {
    /// The hub restaurant whose `orderconnect_restaurant_id` is `restaurant_ref`.
    pub async fn restaurant_by_orderconnect_id(
        &self,
        restaurant_ref: &str,
    ) -> Result<Option<RestaurantRow>, EdgeError> {
        self.typed_row(
            "SELECT id, place, utc_offset, timezone, jet_location_id, orderconnect_restaurant_id, online, \
             offline_until, updated_at FROM restaurants WHERE orderconnect_restaurant_id = ?1",
            &[Arg::Text(restaurant_ref)],
        )
        .await
    }

    /// The Orderconnect receipt of a hub order.
    pub async fn orderconnect_order(
        &self,
        order_id: &str,
    ) -> Result<Option<OrderconnectRow>, EdgeError> {
        self.typed_row(
            "SELECT id, service_type, utc_offset, location_sent_at \
             FROM orderconnect_orders WHERE order_id = ?1",
            &[Arg::Text(order_id)],
        )
        .await
    }

    /// The receipt row, for the batch that stores the order.
    pub fn insert_orderconnect_order(
        &self,
        w: &OrderconnectWrite<'_>,
    ) -> Result<worker::D1PreparedStatement, EdgeError> {
        self.statement(
            "INSERT INTO orderconnect_orders (id, order_id, restaurant_ref, service_type, \
             utc_offset, body, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            &[
                Arg::Text(w.id),
                Arg::Text(w.order_id),
                Arg::Text(w.restaurant_ref),
                Arg::Text(w.service_type),
                Arg::Text(w.utc_offset),
                Arg::Text(w.body),
                Arg::Text(w.received_at),
            ],
        )
    }

    /// Records a relayed driver position, for the batch that stages it.
    pub fn set_location_sent(
        &self,
        order_id: &str,
        at: &str,
    ) -> Result<worker::D1PreparedStatement, EdgeError> {
        self.statement(
            "UPDATE orderconnect_orders SET location_sent_at = ?2 WHERE order_id = ?1",
            &[Arg::Text(order_id), Arg::Text(at)],
        )
    }

    /// A restaurant's Orderconnect item mapping (empty when none is stored).
    pub async fn orderconnect_item_mapping(
        &self,
        restaurant_id: &str,
    ) -> Result<ItemMapping, EdgeError> {
        let rows: Vec<MappingRow> = self
            .rows(
                "SELECT kind, just_eat_id, item_id FROM orderconnect_item_map \
                 WHERE restaurant_id = ?1",
                &[Arg::Text(restaurant_id)],
            )
            .await?;
        let mut mapping = ItemMapping::default();
        for r in rows {
            if let Some(kind) = IdKind::parse(&r.kind) {
                mapping.insert(kind, &r.just_eat_id, &r.item_id);
            }
        }
        Ok(mapping)
    }

    /// The statements that replace a restaurant's whole item mapping, for one batch.
    pub fn replace_orderconnect_item_mapping(
        &self,
        restaurant_id: &str,
        mapping: &ItemMapping,
        at: &str,
    ) -> Result<Vec<worker::D1PreparedStatement>, EdgeError> {
        let mut batch = vec![self.statement(
            "DELETE FROM orderconnect_item_map WHERE restaurant_id = ?1",
            &[Arg::Text(restaurant_id)],
        )?];
        for e in mapping.entries() {
            let (Some(kind), Some(je), Some(item)) = (e.kind, e.just_eat_id, e.item_id) else {
                continue;
            };
            batch.push(self.statement(
                "INSERT INTO orderconnect_item_map (restaurant_id, kind, just_eat_id, item_id, \
                 updated_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                &[
                    Arg::Text(restaurant_id),
                    Arg::Text(&kind),
                    Arg::Text(&je),
                    Arg::Text(&item),
                    Arg::Text(at),
                ],
            )?);
        }
        Ok(batch)
    }
}
