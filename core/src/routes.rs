//! The route table of the hub: every path and method the Worker serves.
//!
//! It lives in core, not in the edge, so that matching (including `405` with an `Allow`
//! list) is tested natively, and so that later documents (the OpenAPI paths) can be
//! compared against the one list the Worker dispatches on.

/// HTTP methods the hub routes on. Anything else is answered `405`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Head,
    Post,
    Put,
    Patch,
    Delete,
    Options,
}

impl Method {
    /// Parses a request method as the edge receives it. Unknown methods are `None`.
    pub fn parse(method: &str) -> Option<Method> {
        Some(match method {
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            "OPTIONS" => Method::Options,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
        }
    }
}

/// What a request is for. The edge dispatches on this, one handler per variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RouteId {
    Health,
    /// `GET /openapi.json`: the OpenAPI document of every route ([`crate::openapi`]).
    OpenApi,
    /// `GET /admin/deliveries`: the delivery log (operator).
    AdminDeliveries,
    /// `GET /admin/clients/{phone}`: what the hub keeps of a client (operator).
    AdminClient,
    /// `PUT /admin/clients/{phone}`: the operator's edit of a client.
    AdminPutClient,
    /// `POST /admin/deliveries/{id}/replay`: send a delivery again (operator).
    AdminDeliveryReplay,
    /// `POST /sim/outbound`: stage a delivery by hand (development simulator only).
    SimOutbound,
    /// `GET /admin/restaurants/{id}`: what the hub holds for a restaurant, JET state included.
    AdminGetRestaurant,
    /// `PUT /admin/restaurants/{id}`: a Jupiter `places` entry plus the hub's own fields.
    AdminPutRestaurant,
    /// `PUT /admin/delivery_zones?restaurant_id=&concept_id=`: a Jupiter zones document.
    AdminPutDeliveryZones,
    /// `DELETE /admin/delivery_zones/{zone_id}?restaurant_id=&concept_id=`.
    AdminDeleteDeliveryZone,
    /// `PUT /admin/menu?restaurant_id=&concept_id=`: a Jupiter `/menu` document.
    AdminPutMenu,
    /// `PUT /admin/stop_list`: a Jupiter `/stop_list` document.
    AdminPutStopList,
    /// `POST /admin/sync`: pull the catalog from the upstream Jupiter now.
    AdminSync,
    /// `POST /admin/session`: the operator key exchanged for a console session cookie
    /// ([`crate::console_session`]).
    AdminSessionCreate,
    /// `GET /admin/session`: the session of the cookie, its CSRF token again.
    AdminSessionGet,
    /// `DELETE /admin/session`: sign-out, the session revoked and the cookie cleared.
    AdminSessionDelete,
    /// `POST /admin/orders/{order_id}/status`: move a site order to a status (operator).
    AdminOrderStatus,
    /// `PUT /admin/orders/{order_id}/driver-location`: a driver position for an
    /// Orderconnect order, relayed to Just Eat (operator).
    AdminOrderDriverLocation,
    /// `PUT /admin/orders/{order_id}/delivery-state/{state}`: `atrestaurant`,
    /// `atrestauranteta` or `atdeliveryaddress` of an Orderconnect delivery, relayed to Just
    /// Eat (operator or the fleet's app).
    AdminOrderDeliveryState,
    /// `GET /admin/orders/{order_id}/amendment`: the amendment asked of JET Connect.
    AdminOrderAmendment,
    /// `POST /admin/orders/{order_id}/amendment`: items out of stock, JET Connect's `amend`.
    AdminOrderAmend,
    /// `GET /admin/jet/reconciliation`: the latest reconciliation with Just Eat's order
    /// reports and its findings (operator).
    AdminJetReconciliation,
    /// `POST /admin/jet/reconciliation`: run the reconciliation now (operator).
    AdminJetReconcile,
    /// `GET /admin/archive?limit=`: the archive's batches, newest first (operator).
    AdminArchive,
    /// `POST /admin/archive/run?limit=`: archive one batch now (operator).
    AdminArchiveRun,
    /// `PUT /admin/driver-locations`: driver positions of several Orderconnect orders,
    /// relayed as Just Eat's bulk `driverlocation` (operator or the fleet's app).
    AdminDriverLocations,
    /// `PUT /admin/orders/{order_id}/driver`: the courier of an Orderconnect delivery,
    /// relayed to Just Eat as `driverassigned` (operator).
    AdminOrderDriver,
    /// `PUT /admin/restaurants/{id}/orderconnect-items`: the restaurant's Orderconnect
    /// item mapping (operator).
    AdminOrderconnectItems,
    /// `PUT /webhooks/orderconnect/orders`: a Just Eat order over Orderconnect
    /// (`Authorization: JE-API-KEY`).
    OrderconnectOrder,
    /// `POST /webhooks/just-eat/order-cancelled`: Just Eat cancelled an Orderconnect order (Partner API
    /// webhook, `Authorization: JE-API-KEY`).
    JustEatOrderCancelled,
    /// `/webhooks/just-eat/{name}` for each webhook of `orderconnect::timeline_events`: an
    /// event on the order's timeline (Partner API webhook, `Authorization: JE-API-KEY`).
    JustEatTimelineEvent,
    /// `PUT /webhooks/just-eat/order-requires-delivery-acceptance`: Just Eat orders offered
    /// for delivery, each a timeline event (`Authorization: JE-API-KEY`).
    JustEatDeliveryAcceptance,
    /// Just Eat's late-order query (issue 18).
    JustEatLateOrderQuery,
    /// Just Eat's late-order compensation query.
    JustEatLateOrderCompensationQuery,
    /// Just Eat's order-eligible-for-restaurant-compensation.
    JustEatCompensationEligibility,
    /// `POST /webhooks/just-eat/menu-ingestion-complete`: Just Eat's result of a menu
    /// ingestion (Partner API webhook, `Authorization: JE-API-KEY`).
    JustEatMenuIngestionComplete,
    /// `GET /admin/just-eat/menu-ingestions`: Just Eat's menu ingestion results (operator).
    AdminJustEatMenuIngestions,
    /// `PUT /webhooks/just-eat/restaurant-offline-status`: Just Eat took a restaurant
    /// offline (Partner API webhook, `Authorization: JE-API-KEY`).
    JustEatRestaurantOfflineStatus,
    /// `PUT /webhooks/just-eat/restaurant-online-status`: Just Eat lets a restaurant back
    /// online (Partner API webhook, `Authorization: JE-API-KEY`).
    JustEatRestaurantOnlineStatus,
    /// `POST /webhooks/just-eat/order-time-updated`: Just Eat changed a restaurant's order
    /// time for a day and service type (Partner API webhook, `Authorization: JE-API-KEY`).
    JustEatOrderTimeUpdated,
    /// `POST /webhooks/just-eat/orderdispatchwebhooks`: a new order for a restaurant
    /// (Partner API, `JE-API-KEY`), into Orderconnect's pipeline.
    JustEatOrderDispatch,
    /// `POST /webhooks/just-eat/order-ready-for-preparation-async?callback=`: an order to
    /// prepare, answered `202`, its result POSTed to the callback.
    JustEatReadyAsync,
    /// `POST /webhooks/just-eat/order-ready-for-preparation-sync`: an order to prepare.
    JustEatReadySync,
    /// `POST /webhooks/just-eat/send-to-pos-failed`: Just Eat could not send an order to
    /// the POS; recorded in its history.
    JustEatSendToPosFailed,
    /// `GET /callbacks/jupiter/orders/{order_id}?token=&status=`: the upstream Jupiter's
    /// status call for a forwarded order.
    JupiterOrderStatus,
    /// `POST /jet-connect/menus`.
    JetMenus,
    /// `POST /jet-connect/item-availability`.
    JetItemAvailability,
    /// `PUT /jet-connect/restaurants/{restaurant}/offline`.
    JetRestaurantOffline,
    /// `PUT /jet-connect/restaurants/{restaurant}/online`.
    JetRestaurantOnline,
    /// `PUT /jet-connect/restaurants/{restaurant}/servicetimes`.
    JetRestaurantServiceTimes,
    /// `GET /site-api/delivery_zones?restaurant_id=[&concept_id=]`.
    SiteDeliveryZones,
    /// `GET /site-api/menu?restaurant_id=[&concept_id=]`.
    SiteMenu,
    /// `GET /site-api/restaurants[?restaurant_id=]`.
    SiteRestaurants,
    /// `GET /site-api/stop_list[?restaurant_id=][&date_change=]`.
    SiteStopList,
    /// `GET /site-api/client?phone=`: what the hub knows of a client (site key).
    SiteClient,
    /// `POST /site-api/order`: a Jupiter `new_order`.
    SiteOrder,
    /// `GET /site-api/orders/{order_id}`: an order's status and its history.
    SiteOrderStatus,
    /// `OPTIONS` on any site API path: the CORS preflight.
    SitePreflight,
    /// `GET /admin/jet/orders/{jet_id}`: a JET Connect order as received and what became of it.
    AdminJetOrder,
    /// `GET /admin/orders?channel=&external_id=&limit=`: stored orders, newest first (operator).
    AdminOrders,
    /// `GET /admin/orders/{order_id}`: a stored order as the kitchen sees it (operator).
    AdminOrder,
    /// `GET /admin/restaurants`: every restaurant as the console lists it (operator).
    AdminRestaurants,
    /// `PUT /admin/restaurants/{id}/pause`: offline with a reason, as `/offline` (operator).
    AdminPauseRestaurant,
    /// `DELETE /admin/restaurants/{id}/pause`: online again, as `/online` (operator).
    AdminResumeRestaurant,
    /// `GET /admin/attention`: failures first, each with what resolves it (operator).
    AdminAttention,
    /// `GET /admin/stats?window=`: orders per channel, failures, callback latency (operator).
    AdminStats,
    /// `POST /webhooks/jet/menu-callback?token=`: JET Connect's verdict on a relayed menu.
    JetMenuCallback,
    /// `GET /admin/jet/menu-callbacks`: JET Connect's verdicts on relayed menus (operator).
    AdminJetMenuCallbacks,
    /// Just Eat's queries waiting for an answer.
    AdminJetQueries,
    AdminJetQueryAnswer,
    /// `POST /webhooks/jet/orders`: JET Connect's Receive Order (signed).
    JetReceiveOrder,
    /// `POST /webhooks/jet/orders/cancel`: JET Connect's Cancel Order Notification (signed).
    JetCancelOrder,
    /// `POST /webhooks/jet/orders/final`: JET Connect's Final Picked Order (signed).
    JetFinalPickedOrder,
    /// `POST /webhooks/jet/orders/driver-status`: JET Connect's Driver Status Notification
    /// (signed): an event on the order's timeline.
    JetDriverStatus,
    /// `POST /webhooks/jet/orders/backup-flow`: an order JET Connect could not inject (signed).
    JetBackupFlow,
    /// `POST /webhooks/jet/restaurants/temp-offline`: JET Connect set a restaurant's service
    /// types offline or online (signed).
    JetTempOffline,
    /// `GET /admin/jet/backup-flow`: the orders JET Connect could not inject (operator).
    AdminJetBackupFlow,
    /// `POST /sim/jet/orders`: the simulator signs and delivers a sample order (development).
    SimJetSendOrder,
    /// `GET /sim/jet/calls`: the calls the simulated Just Eat received (development).
    SimJetCalls,
    /// Any other path under `/sim/jet`: the simulated Just Eat's 73 endpoints and its
    /// controls ([`crate::jet::sim`]), resolved by its own table (development).
    SimJet,
}

impl RouteId {
    /// Whether the route is a site-API call that takes `X-Jup-Api-Key` when one is sent:
    /// every site-API route but the CORS preflight (a browser's preflight never carries
    /// it). Without the header a call is public; with the right key it is trusted; with a
    /// wrong one it is refused (`401`) before anything is read or cached.
    pub fn takes_site_key(self) -> bool {
        matches!(
            self,
            RouteId::SiteRestaurants
                | RouteId::SiteDeliveryZones
                | RouteId::SiteMenu
                | RouteId::SiteStopList
                | RouteId::SiteClient
                | RouteId::SiteOrder
                | RouteId::SiteOrderStatus
        )
    }
}

/// One entry of the route table. A pattern segment written `{name}` captures that segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub method: Method,
    pub pattern: &'static str,
    pub id: RouteId,
}

/// Every route the hub serves. Keep it sorted by path so that one glance shows the API.
/// The site API paths are public and answer `OPTIONS` (CORS preflight); `/admin` and
/// `/jet-connect` take the operator key.
pub const ROUTES: &[Route] = &[
    Route {
        method: Method::Get,
        pattern: "/admin/archive",
        id: RouteId::AdminArchive,
    },
    Route {
        method: Method::Post,
        pattern: "/admin/archive/run",
        id: RouteId::AdminArchiveRun,
    },
    Route {
        method: Method::Get,
        pattern: "/admin/clients/{phone}",
        id: RouteId::AdminClient,
    },
    Route {
        method: Method::Put,
        pattern: "/admin/clients/{phone}",
        id: RouteId::AdminPutClient,
    },
    Route {
        method: Method::Get,
        pattern: "/admin/deliveries",
        id: RouteId::AdminDeliveries,
    },
    Route {
        method: Method::Post,
        pattern: "/admin/deliveries/{id}/replay",
        id: RouteId::AdminDeliveryReplay,
    },
    Route {
        method: Method::Put,
        pattern: "/admin/delivery_zones",
        id: RouteId::AdminPutDeliveryZones,
    },
    Route {
        method: Method::Delete,
        pattern: "/admin/delivery_zones/{zone_id}",
        id: RouteId::AdminDeleteDeliveryZone,
    },
    Route {
        method: Method::Get,
        pattern: "/admin/jet/backup-flow",
        id: RouteId::AdminJetBackupFlow,
    },
    Route {
        method: Method::Get,
        pattern: "/admin/jet/menu-callbacks",
        id: RouteId::AdminJetMenuCallbacks,
    },
    Route {
        method: Method::Get,
        pattern: "/admin/jet/orders/{jet_id}",
        id: RouteId::AdminJetOrder,
    },
    Route {
        method: Method::Get,
        pattern: "/admin/jet/queries",
        id: RouteId::AdminJetQueries,
    },
    Route {
        method: Method::Post,
        pattern: "/admin/jet/queries/{id}/answer",
        id: RouteId::AdminJetQueryAnswer,
    },
    Route {
        method: Method::Get,
        pattern: "/admin/jet/reconciliation",
        id: RouteId::AdminJetReconciliation,
    },
    Route {
        method: Method::Post,
        pattern: "/admin/jet/reconciliation",
        id: RouteId::AdminJetReconcile,
    },
    Route {
        method: Method::Get,
        pattern: "/admin/just-eat/menu-ingestions",
        id: RouteId::AdminJustEatMenuIngestions,
    },
    Route {
        method: Method::Put,
        pattern: "/admin/menu",
        id: RouteId::AdminPutMenu,
    },
    Route {
        method: Method::Get,
        pattern: "/admin/restaurants/{id}",
        id: RouteId::AdminGetRestaurant,
    },
    Route {
        method: Method::Get,
        pattern: "/admin/restaurants",
        id: RouteId::AdminRestaurants,
    },
    Route {
        method: Method::Get,
        pattern: "/admin/attention",
        id: RouteId::AdminAttention,
    },
    Route {
        method: Method::Get,
        pattern: "/admin/stats",
        id: RouteId::AdminStats,
    },
    Route {
        method: Method::Put,
        pattern: "/admin/restaurants/{id}/pause",
        id: RouteId::AdminPauseRestaurant,
    },
    Route {
        method: Method::Delete,
        pattern: "/admin/restaurants/{id}/pause",
        id: RouteId::AdminResumeRestaurant,
    },
    Route {
        method: Method::Put,
        pattern: "/admin/driver-locations",
        id: RouteId::AdminDriverLocations,
    },
    Route {
        method: Method::Get,
        pattern: "/admin/orders",
        id: RouteId::AdminOrders,
    },
    Route {
        method: Method::Get,
        pattern: "/admin/orders/{order_id}",
        id: RouteId::AdminOrder,
    },
    Route {
        method: Method::Get,
        pattern: "/admin/orders/{order_id}/amendment",
        id: RouteId::AdminOrderAmendment,
    },
    Route {
        method: Method::Post,
        pattern: "/admin/orders/{order_id}/amendment",
        id: RouteId::AdminOrderAmend,
    },
    Route {
        method: Method::Put,
        pattern: "/admin/orders/{order_id}/delivery-state/{state}",
        id: RouteId::AdminOrderDeliveryState,
    },
    Route {
        method: Method::Put,
        pattern: "/admin/orders/{order_id}/driver",
        id: RouteId::AdminOrderDriver,
    },
    Route {
        method: Method::Put,
        pattern: "/admin/orders/{order_id}/driver-location",
        id: RouteId::AdminOrderDriverLocation,
    },
    Route {
        method: Method::Post,
        pattern: "/admin/orders/{order_id}/status",
        id: RouteId::AdminOrderStatus,
    },
    Route {
        method: Method::Put,
        pattern: "/admin/restaurants/{id}",
        id: RouteId::AdminPutRestaurant,
    },
    Route {
        method: Method::Put,
        pattern: "/admin/restaurants/{id}/orderconnect-items",
        id: RouteId::AdminOrderconnectItems,
    },
    Route {
        method: Method::Get,
        pattern: "/admin/session",
        id: RouteId::AdminSessionGet,
    },
    Route {
        method: Method::Post,
        pattern: "/admin/session",
        id: RouteId::AdminSessionCreate,
    },
    Route {
        method: Method::Delete,
        pattern: "/admin/session",
        id: RouteId::AdminSessionDelete,
    },
    Route {
        method: Method::Put,
        pattern: "/admin/stop_list",
        id: RouteId::AdminPutStopList,
    },
    Route {
        method: Method::Post,
        pattern: "/admin/sync",
        id: RouteId::AdminSync,
    },
    Route {
        method: Method::Get,
        pattern: "/callbacks/jupiter/orders/{order_id}",
        id: RouteId::JupiterOrderStatus,
    },
    Route {
        method: Method::Get,
        pattern: "/health",
        id: RouteId::Health,
    },
    Route {
        method: Method::Post,
        pattern: "/jet-connect/item-availability",
        id: RouteId::JetItemAvailability,
    },
    Route {
        method: Method::Post,
        pattern: "/jet-connect/menus",
        id: RouteId::JetMenus,
    },
    Route {
        method: Method::Put,
        pattern: "/jet-connect/restaurants/{restaurant}/offline",
        id: RouteId::JetRestaurantOffline,
    },
    Route {
        method: Method::Put,
        pattern: "/jet-connect/restaurants/{restaurant}/online",
        id: RouteId::JetRestaurantOnline,
    },
    Route {
        method: Method::Put,
        pattern: "/jet-connect/restaurants/{restaurant}/servicetimes",
        id: RouteId::JetRestaurantServiceTimes,
    },
    Route {
        method: Method::Get,
        pattern: "/openapi.json",
        id: RouteId::OpenApi,
    },
    Route {
        method: Method::Get,
        pattern: "/site-api/client",
        id: RouteId::SiteClient,
    },
    Route {
        method: Method::Get,
        pattern: "/site-api/delivery_zones",
        id: RouteId::SiteDeliveryZones,
    },
    Route {
        method: Method::Options,
        pattern: "/site-api/delivery_zones",
        id: RouteId::SitePreflight,
    },
    Route {
        method: Method::Get,
        pattern: "/site-api/menu",
        id: RouteId::SiteMenu,
    },
    Route {
        method: Method::Options,
        pattern: "/site-api/menu",
        id: RouteId::SitePreflight,
    },
    Route {
        method: Method::Post,
        pattern: "/site-api/order",
        id: RouteId::SiteOrder,
    },
    Route {
        method: Method::Options,
        pattern: "/site-api/order",
        id: RouteId::SitePreflight,
    },
    Route {
        method: Method::Get,
        pattern: "/site-api/orders/{order_id}",
        id: RouteId::SiteOrderStatus,
    },
    Route {
        method: Method::Options,
        pattern: "/site-api/orders/{order_id}",
        id: RouteId::SitePreflight,
    },
    Route {
        method: Method::Get,
        pattern: "/site-api/restaurants",
        id: RouteId::SiteRestaurants,
    },
    Route {
        method: Method::Options,
        pattern: "/site-api/restaurants",
        id: RouteId::SitePreflight,
    },
    Route {
        method: Method::Get,
        pattern: "/site-api/stop_list",
        id: RouteId::SiteStopList,
    },
    Route {
        method: Method::Options,
        pattern: "/site-api/stop_list",
        id: RouteId::SitePreflight,
    },
    Route {
        method: Method::Get,
        pattern: "/sim/jet/calls",
        id: RouteId::SimJetCalls,
    },
    Route {
        method: Method::Post,
        pattern: "/sim/jet/orders",
        id: RouteId::SimJetSendOrder,
    },
    Route {
        method: Method::Post,
        pattern: "/sim/outbound",
        id: RouteId::SimOutbound,
    },
    Route {
        method: Method::Post,
        pattern: "/webhooks/jet/menu-callback",
        id: RouteId::JetMenuCallback,
    },
    Route {
        method: Method::Post,
        pattern: "/webhooks/jet/orders",
        id: RouteId::JetReceiveOrder,
    },
    Route {
        method: Method::Post,
        pattern: "/webhooks/jet/orders/backup-flow",
        id: RouteId::JetBackupFlow,
    },
    Route {
        method: Method::Post,
        pattern: "/webhooks/jet/orders/cancel",
        id: RouteId::JetCancelOrder,
    },
    Route {
        method: Method::Post,
        pattern: "/webhooks/jet/orders/driver-status",
        id: RouteId::JetDriverStatus,
    },
    Route {
        method: Method::Post,
        pattern: "/webhooks/jet/orders/final",
        id: RouteId::JetFinalPickedOrder,
    },
    Route {
        method: Method::Put,
        pattern: "/webhooks/just-eat/attempted-delivery-query-resolved",
        id: RouteId::JustEatTimelineEvent,
    },
    Route {
        method: Method::Put,
        pattern: "/webhooks/just-eat/delivery-failed",
        id: RouteId::JustEatTimelineEvent,
    },
    Route {
        method: Method::Put,
        pattern: "/webhooks/just-eat/driver-assigned-to-delivery",
        id: RouteId::JustEatTimelineEvent,
    },
    Route {
        method: Method::Put,
        pattern: "/webhooks/just-eat/driver-at-delivery-address",
        id: RouteId::JustEatTimelineEvent,
    },
    Route {
        method: Method::Put,
        pattern: "/webhooks/just-eat/driver-at-restaurant",
        id: RouteId::JustEatTimelineEvent,
    },
    Route {
        method: Method::Put,
        pattern: "/webhooks/just-eat/driver-has-delivered-order",
        id: RouteId::JustEatTimelineEvent,
    },
    Route {
        method: Method::Put,
        pattern: "/webhooks/just-eat/driver-location",
        id: RouteId::JustEatTimelineEvent,
    },
    Route {
        method: Method::Put,
        pattern: "/webhooks/just-eat/driver-on-their-way-to-delivery-address",
        id: RouteId::JustEatTimelineEvent,
    },
    Route {
        method: Method::Post,
        pattern: "/webhooks/just-eat/order-accepted",
        id: RouteId::JustEatTimelineEvent,
    },
    Route {
        method: Method::Post,
        pattern: "/webhooks/just-eat/late-order-compensation-query",
        id: RouteId::JustEatLateOrderCompensationQuery,
    },
    Route {
        method: Method::Post,
        pattern: "/webhooks/just-eat/late-order-query",
        id: RouteId::JustEatLateOrderQuery,
    },
    Route {
        method: Method::Post,
        pattern: "/webhooks/jet/restaurants/temp-offline",
        id: RouteId::JetTempOffline,
    },
    Route {
        method: Method::Post,
        pattern: "/webhooks/just-eat/order-cancelled",
        id: RouteId::JustEatOrderCancelled,
    },
    Route {
        method: Method::Post,
        pattern: "/webhooks/just-eat/order-eligible-for-restaurant-compensation",
        id: RouteId::JustEatCompensationEligibility,
    },
    Route {
        method: Method::Put,
        pattern: "/webhooks/just-eat/order-is-ready-for-pickup",
        id: RouteId::JustEatTimelineEvent,
    },
    Route {
        method: Method::Post,
        pattern: "/webhooks/just-eat/order-rejected",
        id: RouteId::JustEatTimelineEvent,
    },
    Route {
        method: Method::Put,
        pattern: "/webhooks/just-eat/order-requires-delivery-acceptance",
        id: RouteId::JustEatDeliveryAcceptance,
    },
    Route {
        method: Method::Put,
        pattern: "/webhooks/just-eat/redelivery-requested",
        id: RouteId::JustEatTimelineEvent,
    },
    Route {
        method: Method::Post,
        pattern: "/webhooks/just-eat/menu-ingestion-complete",
        id: RouteId::JustEatMenuIngestionComplete,
    },
    Route {
        method: Method::Put,
        pattern: "/webhooks/just-eat/restaurant-offline-status",
        id: RouteId::JustEatRestaurantOfflineStatus,
    },
    Route {
        method: Method::Put,
        pattern: "/webhooks/just-eat/restaurant-online-status",
        id: RouteId::JustEatRestaurantOnlineStatus,
    },
    Route {
        method: Method::Post,
        pattern: "/webhooks/just-eat/order-time-updated",
        id: RouteId::JustEatOrderTimeUpdated,
    },
    Route {
        method: Method::Post,
        pattern: "/webhooks/just-eat/order-ready-for-preparation-async",
        id: RouteId::JustEatReadyAsync,
    },
    Route {
        method: Method::Post,
        pattern: "/webhooks/just-eat/order-ready-for-preparation-sync",
        id: RouteId::JustEatReadySync,
    },
    Route {
        method: Method::Post,
        pattern: "/webhooks/just-eat/orderdispatchwebhooks",
        id: RouteId::JustEatOrderDispatch,
    },
    Route {
        method: Method::Post,
        pattern: "/webhooks/just-eat/send-to-pos-failed",
        id: RouteId::JustEatSendToPosFailed,
    },
    Route {
        method: Method::Put,
        pattern: "/webhooks/orderconnect/orders",
        id: RouteId::OrderconnectOrder,
    },
];

/// The outcome of matching a request against [`ROUTES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// A route matched; `params` holds the captured `{name}` segments in pattern order.
    Found {
        id: RouteId,
        params: Vec<(&'static str, String)>,
    },
    /// The path exists but not for this method; `allow` is the value of the `Allow` header.
    MethodNotAllowed {
        allow: Vec<Method>,
    },
    NotFound,
}

/// Matches a method (as sent, possibly unknown) and a path against the route table; a
/// path under `/sim/jet` that the table does not know goes to the simulator's own table.
pub fn resolve(method: &str, path: &str) -> Resolution {
    match resolve_in(ROUTES, method, path) {
        Resolution::NotFound => resolve_sim_jet(method, path),
        found => found,
    }
}

fn resolve_sim_jet(method: &str, path: &str) -> Resolution {
    use crate::jet::sim::{self, Resolved};
    let Some(rest) = path.strip_prefix(sim::PREFIX) else {
        return Resolution::NotFound;
    };
    match sim::resolve(method, rest) {
        Resolved::Found { params, .. } => Resolution::Found {
            id: RouteId::SimJet,
            params,
        },
        Resolved::MethodNotAllowed(allow) => Resolution::MethodNotAllowed { allow },
        Resolved::NotFound => Resolution::NotFound,
    }
}

/// [`resolve`] over a given table, so the matching rules can be tested on their own.
pub fn resolve_in(routes: &[Route], method: &str, path: &str) -> Resolution {
    let method = Method::parse(method);
    let mut allow: Vec<Method> = Vec::new();
    for route in routes {
        let Some(params) = match_pattern(route.pattern, path) else {
            continue;
        };
        if Some(route.method) == method {
            return Resolution::Found {
                id: route.id,
                params,
            };
        }
        if !allow.contains(&route.method) {
            allow.push(route.method);
        }
    }
    if allow.is_empty() {
        Resolution::NotFound
    } else {
        Resolution::MethodNotAllowed { allow }
    }
}

/// Renders an `Allow` header value, e.g. `GET, POST`.
pub fn allow_header(methods: &[Method]) -> String {
    methods
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Matches one pattern against a path. A single trailing slash is tolerated; empty
/// segments elsewhere (`//`) never match, and a capture never matches an empty segment.
pub(crate) fn match_pattern(
    pattern: &'static str,
    path: &str,
) -> Option<Vec<(&'static str, String)>> {
    let path = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    let mut pattern_segments = pattern.split('/');
    let mut path_segments = path.split('/');
    let mut params = Vec::new();
    loop {
        match (pattern_segments.next(), path_segments.next()) {
            (None, None) => return Some(params),
            (Some(want), Some(got)) => {
                if let Some(name) = want.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                    if got.is_empty() {
                        return None;
                    }
                    params.push((name, got.to_owned()));
                } else if want != got {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests;
