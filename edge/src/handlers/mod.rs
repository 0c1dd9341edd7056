//! One module per resource; each handler parses, calls core, stores and answers.

pub mod deliveries;
pub mod health;
pub mod sim;
