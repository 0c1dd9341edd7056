//! What an order's channel owes when the order's status changes. Every status change
//! (`POST /admin/orders/{id}/status`, Jupiter's status calls, a JET cancellation) asks
//! [`on_status`] and commits its statements and calls in the same batch as the status, so a
//! status and what it causes exist together or not at all.
//!
//! * `site`: nothing beyond the front-end's `status_url` call, which every channel gets.
//! * `jet`: with the `status0` success rule, Jupiter's status 0 decides the JET order's
//!   `sent-to-pos-success` ([`jet`]).
//! * `orderconnect`: Just Eat's delivery-state calls ([`orderconnect::on_status`]:
//!   driver assigned and on its way at 20, delivered at 30, the cancellation at 5).

pub mod jet;
pub mod orderconnect;
pub mod site;

use orderbridge_core::order::lifecycle::Teller;
use orderbridge_core::order::Status;
use worker::D1PreparedStatement;

use crate::channel::Channel;
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::outbox::Outgoing;
use crate::storage::{OrderRow, Storage};

/// Statements for the status's batch, new calls to stage in it, and staged deliveries to
/// kick after the commit (one rewritten in place keeps its id).
#[derive(Default)]
pub struct Effects {
    pub statements: Vec<D1PreparedStatement>,
    pub calls: Vec<Outgoing>,
    pub kick: Vec<String>,
}

/// What `row`'s channel owes for its status going from `from` to `reported` (equal when a
/// status is passed on without being recorded again); `teller` says who moved it.
pub async fn on_status(
    storage: &Storage,
    row: &OrderRow,
    from: Status,
    reported: Status,
    teller: Teller,
    ctx: &Ctx<'_>,
) -> Result<Effects, EdgeError> {
    match row.channel {
        Channel::Jet => jet::on_status(storage, row, from, reported, ctx).await,
        Channel::Orderconnect => {
            orderconnect::on_status(storage, row, from, reported, teller, ctx).await
        }
        Channel::Site => Ok(Effects::default()),
    }
}
