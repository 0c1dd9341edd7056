//! Dispatch: match the request against core's route table and call one handler per route.

use orderbridge_core::routes::{self, Resolution, RouteId};
use worker::{Env, Request, Response};

use crate::auth::site_trusted;
use crate::config::Config;
use crate::ctx::Ctx;
use crate::error::EdgeError;
use crate::{clock, cors, handlers};

pub async fn dispatch(req: Request, env: &Env) -> Response {
    let path = req.path();
    let method = req.method().to_string();
    let config = Config::from_env(env);
    let origin = req.headers().get("Origin").ok().flatten();
    let outcome = match routes::resolve(&method, &path) {
        Resolution::Found { id, params } => {
            let ctx = Ctx {
                env,
                config: config.clone(),
                params,
                now: clock::now(),
                rows_read: Default::default(),
            };
            let outcome = handle(id, req, &ctx).await;
            rows_read_header(outcome, &ctx, &path)
        }
        Resolution::MethodNotAllowed { allow } => Err(EdgeError::MethodNotAllowed(allow)),
        Resolution::NotFound => Err(EdgeError::NoRoute),
    };
    let mut response = outcome.unwrap_or_else(|err| err.into_response(&path));
    if cors::applies_to(&path) {
        cors::decorate(&mut response, origin.as_deref(), &config);
    }
    response
}

/// In development, the D1 rows the request read (`X-Orderbridge-D1-Rows-Read`), when its
/// handler counts them: how tests see that an order reads a bounded number of rows.
fn rows_read_header(
    outcome: Result<Response, EdgeError>,
    ctx: &Ctx<'_>,
    path: &str,
) -> Result<Response, EdgeError> {
    let Some(rows) = ctx.rows_read.get() else {
        return outcome;
    };
    if !ctx.config.counts_rows() {
        return outcome;
    }
    let mut response = outcome.unwrap_or_else(|err| err.into_response(path));
    // A header that does not set leaves the answer as it is.
    let _ = response
        .headers_mut()
        .set("X-Orderbridge-D1-Rows-Read", &rows.to_string());
    Ok(response)
}

/// [`dispatch`] as a value: the Just Eat simulator delivers its webhooks to the hub through
/// it, in process (handed in, so no handler imports the router).
#[cfg(feature = "simulator")]
fn dispatch_boxed(
    req: Request,
    env: &Env,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Response> + '_>> {
    Box::pin(dispatch(req, env))
}

async fn handle(id: RouteId, req: Request, ctx: &Ctx<'_>) -> Result<Response, EdgeError> {
    use handlers::{
        admin, archive, clients, console, deliveries, health, je_inject, jet_amend, jet_catalog,
        jet_orders, jet_queries, jet_status, just_eat, openapi, orderconnect, orders, session,
        site_api,
    };
    #[cfg(feature = "simulator")]
    use handlers::{sim, sim_jet};
    // Every site-API route takes `X-Jup-Api-Key`: without it the call is public, with a
    // wrong one it is refused here, before any handler reads a cache or D1 (so a 401 is
    // never cached nor answered from a cache). Handlers that trust the key ask again.
    if id.takes_site_key() {
        site_trusted(&req, ctx.env)?;
    }
    match id {
        RouteId::Health => health::get(ctx).await,
        RouteId::OpenApi => openapi::get(ctx).await,
        RouteId::AdminDeliveries => deliveries::list(&req, ctx).await,
        RouteId::AdminDeliveryReplay => deliveries::replay(&req, ctx).await,
        RouteId::AdminGetRestaurant => admin::get_restaurant(req, ctx).await,
        RouteId::AdminPutRestaurant => admin::put_restaurant(req, ctx).await,
        RouteId::AdminPutDeliveryZones => admin::put_delivery_zones(req, ctx).await,
        RouteId::AdminDeleteDeliveryZone => admin::delete_delivery_zone(req, ctx).await,
        RouteId::AdminPutMenu => admin::put_menu(req, ctx).await,
        RouteId::AdminPutStopList => admin::put_stop_list(req, ctx).await,
        RouteId::AdminSync => admin::post_sync(req, ctx).await,
        RouteId::AdminSessionCreate => session::create(req, ctx).await,
        RouteId::AdminSessionGet => session::get(req, ctx).await,
        RouteId::AdminSessionDelete => session::delete(req, ctx).await,
        RouteId::AdminOrderStatus => orders::set_status(req, ctx).await,
        RouteId::AdminOrders => orders::admin_list(&req, ctx).await,
        RouteId::AdminOrder => orders::admin_get(&req, ctx).await,
        RouteId::AdminRestaurants => console::list_restaurants(&req, ctx).await,
        RouteId::AdminPauseRestaurant => console::pause(req, ctx).await,
        RouteId::AdminResumeRestaurant => console::resume(&req, ctx).await,
        RouteId::AdminAttention => console::attention(&req, ctx).await,
        RouteId::AdminStats => console::stats(&req, ctx).await,
        RouteId::AdminOrderDriverLocation => orderconnect::put_driver_location(req, ctx).await,
        RouteId::AdminOrderDriver => orderconnect::put_driver(req, ctx).await,
        RouteId::AdminOrderDeliveryState => orderconnect::put_delivery_state(req, ctx).await,
        RouteId::AdminOrderAmendment => jet_amend::get(req, ctx).await,
        RouteId::AdminOrderAmend => jet_amend::post(req, ctx).await,
        RouteId::AdminDriverLocations => orderconnect::put_driver_locations(req, ctx).await,
        RouteId::AdminOrderconnectItems => orderconnect::put_item_mapping(req, ctx).await,
        RouteId::OrderconnectOrder => orderconnect::put_order(req, ctx).await,
        RouteId::JustEatOrderCancelled => just_eat::order_cancelled(req, ctx).await,
        RouteId::JustEatTimelineEvent => just_eat::timeline_event(req, ctx).await,
        RouteId::JustEatDeliveryAcceptance => just_eat::delivery_acceptance(req, ctx).await,
        RouteId::JustEatLateOrderQuery => jet_queries::late_order(req, ctx).await,
        RouteId::JustEatLateOrderCompensationQuery => {
            jet_queries::late_order_compensation(req, ctx).await
        }
        RouteId::JustEatCompensationEligibility => {
            jet_queries::compensation_eligibility(req, ctx).await
        }
        RouteId::JustEatMenuIngestionComplete => {
            jet_status::menu_ingestion_complete(req, ctx).await
        }
        RouteId::AdminJustEatMenuIngestions => jet_status::menu_ingestions(req, ctx).await,
        RouteId::JustEatRestaurantOfflineStatus => {
            jet_status::restaurant_offline_status(req, ctx).await
        }
        RouteId::JustEatOrderTimeUpdated => jet_status::order_time_updated(req, ctx).await,
        RouteId::JustEatRestaurantOnlineStatus => {
            jet_status::restaurant_online_status(req, ctx).await
        }
        RouteId::JustEatOrderDispatch => je_inject::order_dispatch(req, ctx).await,
        RouteId::JustEatReadyAsync => je_inject::ready_async(req, ctx).await,
        RouteId::JustEatReadySync => je_inject::ready_sync(req, ctx).await,
        RouteId::JustEatSendToPosFailed => je_inject::send_to_pos_failed(req, ctx).await,
        RouteId::JupiterOrderStatus => orders::jupiter_status(req, ctx).await,
        RouteId::JetMenus => jet_catalog::post_menus(req, ctx).await,
        RouteId::JetItemAvailability => jet_catalog::post_item_availability(req, ctx).await,
        RouteId::JetRestaurantOffline => jet_catalog::put_offline(req, ctx).await,
        RouteId::JetRestaurantOnline => jet_catalog::put_online(req, ctx).await,
        RouteId::JetRestaurantServiceTimes => jet_catalog::put_service_times(req, ctx).await,
        RouteId::SiteRestaurants => site_api::restaurants(req, ctx).await,
        RouteId::SiteDeliveryZones => site_api::delivery_zones(req, ctx).await,
        RouteId::SiteMenu => site_api::menu(req, ctx).await,
        RouteId::SiteStopList => site_api::stop_list(req, ctx).await,
        RouteId::SiteOrder => orders::place(req, ctx).await,
        RouteId::SiteOrderStatus => orders::status(req, ctx).await,
        RouteId::SiteClient => clients::site_get(req, ctx).await,
        RouteId::AdminClient => clients::admin_get(&req, ctx).await,
        RouteId::AdminPutClient => clients::admin_put(req, ctx).await,
        RouteId::SitePreflight => Ok(cors::preflight()),
        #[cfg(feature = "simulator")]
        RouteId::SimOutbound => {
            let mut req = req;
            sim::outbound(&mut req, ctx).await
        }
        RouteId::AdminJetOrder => jet_orders::admin_get(req, ctx).await,
        RouteId::AdminJetReconciliation => jet_orders::reconciliation(req, ctx).await,
        RouteId::AdminJetReconcile => jet_orders::reconcile_now(req, ctx).await,
        RouteId::AdminArchive => archive::list(&req, ctx).await,
        RouteId::AdminArchiveRun => archive::run(&req, ctx).await,
        RouteId::JetReceiveOrder => jet_orders::receive(req, ctx).await,
        RouteId::JetMenuCallback => jet_catalog::menu_callback(req, ctx).await,
        RouteId::AdminJetMenuCallbacks => jet_catalog::menu_callbacks(req, ctx).await,
        RouteId::AdminJetQueries => jet_queries::list(req, ctx).await,
        RouteId::AdminJetQueryAnswer => jet_queries::answer(req, ctx).await,
        RouteId::JetCancelOrder => jet_orders::cancel(req, ctx).await,
        RouteId::JetFinalPickedOrder => jet_orders::final_picked(req, ctx).await,
        RouteId::JetBackupFlow => jet_status::backup_flow(req, ctx).await,
        RouteId::JetTempOffline => jet_status::temp_offline(req, ctx).await,
        RouteId::AdminJetBackupFlow => jet_status::backup_flow_list(req, ctx).await,
        RouteId::JetDriverStatus => jet_orders::driver_status(req, ctx).await,
        #[cfg(feature = "simulator")]
        RouteId::SimJetSendOrder => sim_jet::send_order(req, ctx, dispatch_boxed).await,
        #[cfg(feature = "simulator")]
        RouteId::SimJetCalls => sim_jet::calls(ctx).await,
        #[cfg(feature = "simulator")]
        RouteId::SimJet => sim_jet::handle(req, ctx, dispatch_boxed).await,
        // A production build has no simulator: its paths are no route.
        #[cfg(not(feature = "simulator"))]
        RouteId::SimOutbound
        | RouteId::SimJetSendOrder
        | RouteId::SimJetCalls
        | RouteId::SimJet => Err(EdgeError::NoRoute),
    }
}
