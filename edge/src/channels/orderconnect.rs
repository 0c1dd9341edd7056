//! The Orderconnect channel: Just Eat's delivery-state calls for an order's status (core's
//! `orderconnect::delivery_state`: `onitsway` at 20, `delivered` at 30, nothing for
//! collections or cancellations), staged in the status's batch to `JUST_EAT_API_URL`.

use orderbridge_core::order::lifecycle::Teller;
use orderbridge_core::order::Status;
use orderbridge_core::orderconnect::delivery_state::{self, StateCall};
use orderbridge_core::outbound::plan::ReceiverKind;
use orderbridge_core::outbound::url_guard::check_outbound_url;
use orderbridge_core::routes::Method;

use super::Effects;
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::outbox::Outgoing;
use crate::storage::{OrderRow, Storage};

/// Just Eat's base URL; without it no delivery state can be staged, which is a deployment
/// fault (503), not a reason to drop the calls.
pub(crate) fn just_eat_base(ctx: &Ctx<'_>) -> Result<String, EdgeError> {
    ctx.config
        .just_eat_api_url
        .clone()
        .ok_or_else(|| EdgeError::Unavailable("JUST_EAT_API_URL is not set".to_owned()))
}

/// One delivery-state call, ready to stage.
pub(crate) fn outgoing(
    base: &str,
    order_id: &str,
    call: &StateCall,
    ctx: &Ctx<'_>,
) -> Result<Outgoing, EdgeError> {
    let url = check_outbound_url(&format!("{base}{}", call.path), &ctx.config.url_policy())
        .map_err(|refusal| {
            EdgeError::Unavailable(format!("JUST_EAT_API_URL is refused: {refusal}"))
        })?;
    Outgoing::new(
        ReceiverKind::JetDeliveryState,
        Some(order_id),
        Method::Put,
        url,
        call.body.to_string(),
        ctx.now.timestamp(),
        None,
    )
}

/// What an Orderconnect order owes Just Eat for its status going from `from` to
/// `reported` (`channels::on_status`). A status passed on without a change owes nothing,
/// nor one Just Eat told the hub itself (core's `delivery_state::owed`).
pub async fn on_status(
    storage: &Storage,
    row: &OrderRow,
    from: Status,
    reported: Status,
    teller: Teller,
    ctx: &Ctx<'_>,
) -> Result<Effects, EdgeError> {
    if from == reported || !delivery_state::owed(teller) {
        return Ok(Effects::default());
    }
    let Some(receipt) = storage.orderconnect_order(&row.id).await? else {
        return Err(EdgeError::Internal(format!(
            "Orderconnect order {} has no receipt row",
            row.id
        )));
    };
    // A collection has no courier: Just Eat is told nothing about it.
    if !delivery_state::reports(&receipt.service_type) {
        return Ok(Effects::default());
    }
    let calls = delivery_state::calls(&receipt.id, from, reported, ctx.now, &receipt.zone);
    if calls.is_empty() {
        return Ok(Effects::default());
    }
    let base = just_eat_base(ctx)?;
    let mut effects = Effects::default();
    for call in &calls {
        effects.calls.push(outgoing(&base, &row.id, call, ctx)?);
    }
    Ok(effects)
}
