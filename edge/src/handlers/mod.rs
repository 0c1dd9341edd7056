//! One module per resource; each handler parses, calls core, stores and answers.

pub mod health;
