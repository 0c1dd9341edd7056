//! One module per resource; each handler parses, calls core, stores and answers.

pub mod admin;
pub mod archive;
pub mod clients;
pub mod console;
pub mod deliveries;
pub mod health;
pub mod je_inject;
pub mod jet_amend;
pub mod jet_catalog;
pub mod jet_orders;
pub mod jet_queries;
pub mod jet_status;
pub mod just_eat;
pub mod openapi;
pub mod order_view;
pub mod orderconnect;
pub mod orders;
pub mod session;
#[cfg(feature = "simulator")]
pub mod sim;
#[cfg(feature = "simulator")]
pub mod sim_jet;
pub mod site_api;
