//! Everything the hub owes someone else, decided purely.
//!
//! Issue 4 asks for one durable outbound path: status calls to front-ends, menu callbacks,
//! `sent-to-pos-*` to Just Eat, upstream injection into Jupiter. The edge owns the outbox
//! rows, the queue and the `fetch`; this module owns every *decision* along the way, so that
//! each one is tested natively and on wasm32 without a network:
//!
//! * [`url_guard`]: may we call this URL at all? Checked when the URL is accepted (order,
//!   menu ingestion) and again before each send.
//! * [`plan`]: which delivery of an ordering key may be attempted now.
//! * [`classify`]: did an attempt deliver, fail for good, or should it be retried?
//! * [`backoff`]: when is the next attempt, or do we give up?
//! * [`owner`]: what a dead delivery causes (issue 17), and how its order shows it.
//! * [`signature`]: the `X-Orderbridge-Signature` we put on our calls, and the
//!   `X-JET-Connect-Hash` check on Just Eat's calls to us.

pub mod backoff;
pub mod classify;
pub mod owner;
pub mod plan;
pub mod punycode;
pub mod redact;
pub mod signature;
pub mod url_guard;
