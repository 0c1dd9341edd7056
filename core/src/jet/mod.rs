//! Just Eat over JET Connect (`shared/reference/jet-connect/FACTS.md`): the partner API
//! calls that manage the catalog, the menu ingestion callback, and the orders Just Eat
//! sends. Pure: the catalog, `now` and the configuration are arguments; the edge stores
//! and sends.
//!
//! * [`wire`] — the catalog calls' bodies (menus, service times, item availability,
//!   offline, the menu callback), parsed leniently so every problem can be reported.
//! * [`validate`] — their rules, each broken one with its JSON path, and the validated
//!   forms the rest of the hub reads.
//! * [`to_jupiter`] — a validated JET menu as Jupiter's catalog documents, and the
//!   service-type names shared with orders.
//! * [`order`] — Receive Order, Final Picked Order and Cancel Order: their wire, checks,
//!   translation into a Jupiter `new_order`, and the outcome owed to Just Eat.
//! * [`driver_status`] — the Driver Status Notification: a driver code as a timeline event.
//! * [`sim`] — Just Eat simulated: seed 000's 73 endpoints as data, their answers, the
//!   scenarios (development only).
//! * [`status`] — temporary offline and the backup flow JET Connect notifies.

pub mod amend;
pub mod driver_status;
pub mod order;
pub mod reconcile;
pub mod sim;
pub mod status;
pub mod to_jupiter;
pub mod validate;
pub mod wire;
