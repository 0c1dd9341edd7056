//! The SQL of clients (`migrations/0014_clients.sql`): the record an order updates, the
//! operator's edit, and the read.

use orderbridge_core::order::client::{Record, Seen};
use serde::Deserialize;
use worker::D1PreparedStatement;

use super::{Arg, Storage};
use crate::error::EdgeError;

/// A `clients` row. (Fields spelled out: D1's numbers come back as JSON numbers.)
#[derive(Debug, Clone, Deserialize)]
pub struct ClientRow {
    pub phone: String,
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub birthday: Option<String>,
    pub gender: Option<String>,
    pub discounts_active: Option<i64>,
    pub blacklist: Option<i64>,
    pub block_sms: Option<i64>,
    pub name_by_operator: i64,
    pub email_by_operator: i64,
    pub orders: i64,
    pub last_order_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl ClientRow {
    /// The record core reasons about.
    pub fn record(&self) -> Record {
        let flag = |v: Option<i64>| v.map(|n| n != 0);
        Record {
            name: self.name.clone(),
            email: self.email.clone(),
            birthday: self.birthday.clone(),
            gender: self.gender.clone(),
            discounts_active: flag(self.discounts_active),
            blacklist: flag(self.blacklist),
            block_sms: flag(self.block_sms),
            name_by_operator: self.name_by_operator != 0,
            email_by_operator: self.email_by_operator != 0,
        }
    }
}

const CLIENT_COLUMNS: &str = "phone, id, name, email, birthday, gender, discounts_active, \
     blacklist, block_sms, name_by_operator, email_by_operator, orders, last_order_at, \
     created_at, updated_at";

fn flag(value: Option<bool>) -> Arg<'static> {
    match value {
        Some(b) => Arg::Int(i64::from(b)),
        None => Arg::OptText(None),
    }
}

impl Storage {
    pub async fn client(&self, phone: &str) -> Result<Option<ClientRow>, EdgeError> {
        self.row(
            &format!("SELECT {CLIENT_COLUMNS} FROM clients WHERE phone = ?1"),
            &[Arg::Text(phone)],
        )
        .await
    }

    /// The statement that records an order naming `seen`, committed with the order: a new
    /// client gets `new_id`; a known one keeps its id and takes the order's name and e-mail
    /// where given and not set by the operator (core's `Record::after_order`, written per
    /// column so that two orders at once need no read first).
    pub fn record_client_order(
        &self,
        seen: &Seen,
        new_id: &str,
        at: &str,
    ) -> Result<D1PreparedStatement, EdgeError> {
        self.statement(
            "INSERT INTO clients (phone, id, name, email, orders, last_order_at, created_at, \
                 updated_at) \
             VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5, ?5) \
             ON CONFLICT (phone) DO UPDATE SET \
                 name = CASE WHEN clients.name_by_operator = 1 OR excluded.name IS NULL \
                             THEN clients.name ELSE excluded.name END, \
                 email = CASE WHEN clients.email_by_operator = 1 OR excluded.email IS NULL \
                              THEN clients.email ELSE excluded.email END, \
                 orders = clients.orders + 1, \
                 last_order_at = excluded.last_order_at, \
                 updated_at = excluded.updated_at",
            &[
                Arg::Text(&seen.phone),
                Arg::Text(new_id),
                Arg::OptText(seen.name.as_deref()),
                Arg::OptText(seen.email.as_deref()),
                Arg::Text(at),
            ],
        )
    }

    /// Writes the operator's edit (the whole record core computed from the one read); a new
    /// client is created with `new_id`, a known one keeps its id and order count.
    pub async fn put_client(
        &self,
        phone: &str,
        record: &Record,
        new_id: &str,
        at: &str,
    ) -> Result<(), EdgeError> {
        let statement = self.statement(
            "INSERT INTO clients (phone, id, name, email, birthday, gender, discounts_active, \
                 blacklist, block_sms, name_by_operator, email_by_operator, created_at, \
                 updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12) \
             ON CONFLICT (phone) DO UPDATE SET \
                 name = excluded.name, email = excluded.email, birthday = excluded.birthday, \
                 gender = excluded.gender, discounts_active = excluded.discounts_active, \
                 blacklist = excluded.blacklist, block_sms = excluded.block_sms, \
                 name_by_operator = excluded.name_by_operator, \
                 email_by_operator = excluded.email_by_operator, \
                 updated_at = excluded.updated_at",
            &[
                Arg::Text(phone),
                Arg::Text(new_id),
                Arg::OptText(record.name.as_deref()),
                Arg::OptText(record.email.as_deref()),
                Arg::OptText(record.birthday.as_deref()),
                Arg::OptText(record.gender.as_deref()),
                flag(record.discounts_active),
                flag(record.blacklist),
                flag(record.block_sms),
                Arg::Int(i64::from(record.name_by_operator)),
                Arg::Int(i64::from(record.email_by_operator)),
                Arg::Text(at),
            ],
        )?;
        self.commit(vec![statement]).await
    }
}
