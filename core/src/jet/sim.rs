//! Just Eat, simulated (development only, `SIMULATOR=on`; issue 18): the 73 endpoints of
//! seed 000 under `/sim/jet`, as data.
//!
//! * The 42 endpoints Just Eat **serves** (JET Connect's catalog, outcome, reporting and
//!   amendment calls; the Partner API's delivery states, driver ETA and delivery pools; the
//!   consumer searches) answer as Just Eat would, with state ([`answer`]).
//! * The 31 webhooks Just Eat **sends** are served as "send this one to the hub": each row
//!   names the hub's route and how Just Eat authenticates it ([`Hook`]); the edge signs and
//!   delivers it and answers what the hub said.
//! * [`SCENARIOS`]: whole journeys, one table row each, as a list of webhook steps.
//!
//! Pure: the edge resolves, loads the state the endpoint reads, calls [`answer::answer`],
//! stores the writes it returns, and does the sending.

use crate::routes::{match_pattern, Method};

pub mod answer;

/// Where the simulator lives in the hub's path space.
pub const PREFIX: &str = "/sim/jet";

/// How Just Eat authenticates a webhook it sends (COMMON3: the routes and auth agreed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signing {
    /// JET Connect: `X-JET-Connect-Hash`, HMAC-SHA256 with `JET_HMAC_SECRET`.
    JetHash,
    /// The Partner API: `Authorization: JE-API-KEY <ORDERCONNECT_API_KEY>`.
    JeApiKey,
}

/// A webhook Just Eat sends: the hub route it goes to, how it is authenticated, and the
/// spec's example body (the default when the simulator is sent none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hook {
    pub to: &'static str,
    pub signing: Signing,
    pub example: &'static str,
}

/// An endpoint Just Eat serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Serve {
    Menus,
    ItemAvailability,
    RestaurantOffline,
    RestaurantOnline,
    RestaurantServiceTimes,
    SentToPos {
        success: bool,
    },
    BrandOrders,
    BrandOrder,
    LocationOrders,
    AmendGet,
    AmendPost,
    /// `PUT /orders/{orderId}/deliverystate/{state}`, the state named.
    DeliveryState(&'static str),
    BulkDriverLocation,
    DriverEta,
    Pools,
    PoolCreate,
    Pool,
    PoolReplace,
    PoolModify,
    PoolDelete,
    PoolAvailabilityGet,
    PoolAvailabilitySet,
    PoolRisk,
    PoolHours,
    PoolOfflineAdd,
    PoolOfflineDelete,
    PoolRestaurantsAdd,
    PoolRestaurantsRemove,
    PoolStatus,
    DeliveryFees,
    DiscoveryByLatLong,
    DiscoveryByPostcode,
    RestaurantsByLatLong,
    RestaurantsByPostcode,
}

/// What the simulator does with a call of one endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Serve(Serve),
    Webhook(Hook),
}

/// One endpoint of seed 000: its method, its path as the seed spells it, and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    pub method: Method,
    pub path: &'static str,
    pub kind: Kind,
}

const fn serve(method: Method, path: &'static str, op: Serve) -> Endpoint {
    Endpoint {
        method,
        path,
        kind: Kind::Serve(op),
    }
}

const fn hook(
    method: Method,
    path: &'static str,
    to: &'static str,
    signing: Signing,
    example: &'static str,
) -> Endpoint {
    Endpoint {
        method,
        path,
        kind: Kind::Webhook(Hook {
            to,
            signing,
            example,
        }),
    }
}

/// A Just Eat Partner API example (`fixtures/just-eat/`).
macro_rules! example {
    ($file:literal) => {
        include_str!(concat!("../../../fixtures/just-eat/", $file))
    };
}

/// A JET Connect example (`fixtures/jet-connect/`).
macro_rules! jet_example {
    ($file:literal) => {
        include_str!(concat!("../../../fixtures/jet-connect/", $file))
    };
}

use Method::{Delete, Get, Patch, Post, Put};
use Signing::{JeApiKey, JetHash};

/// The 73 endpoints of seed 000, in the seed's order. Where two patterns could match one
/// path, the more specific comes first.
pub const ENDPOINTS: &[Endpoint] = &[
    hook(
        Put,
        "/attempted-delivery-query-resolved",
        "/webhooks/just-eat/attempted-delivery-query-resolved",
        JeApiKey,
        example!("attempted-delivery-query-resolved-request.json"),
    ),
    serve(Get, "/brands/{brand_slug}/orders", Serve::BrandOrders),
    serve(
        Get,
        "/brands/{brand_slug}/orders/{orderID}",
        Serve::BrandOrder,
    ),
    serve(Get, "/delivery/pools", Serve::Pools),
    serve(Post, "/delivery/pools", Serve::PoolCreate),
    serve(
        Get,
        "/delivery/pools/{deliveryPoolId}/availability/relative",
        Serve::PoolAvailabilityGet,
    ),
    serve(
        Put,
        "/delivery/pools/{deliveryPoolId}/availability/relative",
        Serve::PoolAvailabilitySet,
    ),
    serve(
        Post,
        "/delivery/pools/{deliveryPoolId}/change-risk",
        Serve::PoolRisk,
    ),
    serve(
        Delete,
        "/delivery/pools/{deliveryPoolId}",
        Serve::PoolDelete,
    ),
    serve(Get, "/delivery/pools/{deliveryPoolId}", Serve::Pool),
    serve(Patch, "/delivery/pools/{deliveryPoolId}", Serve::PoolModify),
    serve(Put, "/delivery/pools/{deliveryPoolId}", Serve::PoolReplace),
    serve(
        Put,
        "/delivery/pools/{deliveryPoolId}/hours",
        Serve::PoolHours,
    ),
    serve(
        Delete,
        "/delivery/pools/{deliveryPoolId}/offline-events",
        Serve::PoolOfflineDelete,
    ),
    serve(
        Post,
        "/delivery/pools/{deliveryPoolId}/offline-events",
        Serve::PoolOfflineAdd,
    ),
    serve(
        Delete,
        "/delivery/pools/{deliveryPoolId}/restaurants",
        Serve::PoolRestaurantsRemove,
    ),
    serve(
        Put,
        "/delivery/pools/{deliveryPoolId}/restaurants",
        Serve::PoolRestaurantsAdd,
    ),
    serve(
        Get,
        "/delivery/pools/{deliveryPoolId}/status",
        Serve::PoolStatus,
    ),
    hook(
        Put,
        "/delivery-failed",
        "/webhooks/just-eat/delivery-failed",
        JeApiKey,
        example!("delivery-failed-request.json"),
    ),
    serve(Get, "/delivery-fees/{tenant}", Serve::DeliveryFees),
    serve(
        Get,
        "/discovery/{tenant}/restaurants/enriched/bypostcode/{postcode}",
        Serve::DiscoveryByPostcode,
    ),
    serve(
        Get,
        "/discovery/{tenant}/restaurants/enriched",
        Serve::DiscoveryByLatLong,
    ),
    hook(
        Put,
        "/driver-assigned-to-delivery",
        "/webhooks/just-eat/driver-assigned-to-delivery",
        JeApiKey,
        example!("driver-assigned-to-delivery-request.json"),
    ),
    hook(
        Put,
        "/driver-at-delivery-address",
        "/webhooks/just-eat/driver-at-delivery-address",
        JeApiKey,
        example!("driver-at-delivery-address-request.json"),
    ),
    hook(
        Put,
        "/driver-at-restaurant",
        "/webhooks/just-eat/driver-at-restaurant",
        JeApiKey,
        example!("driver-at-restaurant-request.json"),
    ),
    hook(
        Put,
        "/driver-has-delivered-order",
        "/webhooks/just-eat/driver-has-delivered-order",
        JeApiKey,
        example!("driver-has-delivered-order-request.json"),
    ),
    hook(
        Put,
        "/driver-location",
        "/webhooks/just-eat/driver-location",
        JeApiKey,
        example!("driver-location-request.json"),
    ),
    hook(
        Put,
        "/driver-on-their-way-to-delivery-address",
        "/webhooks/just-eat/driver-on-their-way-to-delivery-address",
        JeApiKey,
        example!("driver-on-their-way-to-delivery-address-request.json"),
    ),
    hook(
        Post,
        "/final/{finalPickedOrder}",
        "/webhooks/jet/orders/final",
        JetHash,
        jet_example!("final-picked-order-request-delivery-by-partner.json"),
    ),
    hook(
        Post,
        "/initial/{receiveOrder}",
        "/webhooks/jet/orders",
        JetHash,
        jet_example!("receive-order-request-delivery-by-partner.json"),
    ),
    serve(Post, "/item-availability", Serve::ItemAvailability),
    hook(
        Post,
        "/late-order-compensation-query",
        "/webhooks/just-eat/late-order-compensation-query",
        JeApiKey,
        example!("late-order-compensation-query-request.json"),
    ),
    hook(
        Post,
        "/late-order-query",
        "/webhooks/just-eat/late-order-query",
        JeApiKey,
        example!("late-order-query-request.json"),
    ),
    serve(Get, "/locations/{locationID}/orders", Serve::LocationOrders),
    hook(
        Post,
        "/menu-ingestion-complete",
        "/webhooks/just-eat/menu-ingestion-complete",
        JeApiKey,
        jet_example!("menu-ingestion-complete-request.json"),
    ),
    serve(Post, "/menus", Serve::Menus),
    serve(
        Post,
        "/order/{id}/sent-to-pos-failed",
        Serve::SentToPos { success: false },
    ),
    serve(
        Post,
        "/order/{id}/sent-to-pos-success",
        Serve::SentToPos { success: true },
    ),
    hook(
        Post,
        "/order-accepted",
        "/webhooks/just-eat/order-accepted",
        JeApiKey,
        example!("order-accepted-request.json"),
    ),
    hook(
        Post,
        "/order-cancelled",
        "/webhooks/just-eat/order-cancelled",
        JeApiKey,
        example!("order-cancelled-request.json"),
    ),
    hook(
        Post,
        "/order-eligible-for-restaurant-compensation",
        "/webhooks/just-eat/order-eligible-for-restaurant-compensation",
        JeApiKey,
        example!("order-eligible-for-restaurant-compensation-request.json"),
    ),
    hook(
        Put,
        "/order-is-ready-for-pickup",
        "/webhooks/just-eat/order-is-ready-for-pickup",
        JeApiKey,
        example!("order-is-ready-for-pickup-request.json"),
    ),
    hook(
        Post,
        "/order-ready-for-preparation-async",
        "/webhooks/just-eat/order-ready-for-preparation-async",
        JeApiKey,
        example!("order-ready-for-preparation-request.json"),
    ),
    hook(
        Post,
        "/order-ready-for-preparation-sync",
        "/webhooks/just-eat/order-ready-for-preparation-sync",
        JeApiKey,
        example!("order-ready-for-preparation-request.json"),
    ),
    hook(
        Post,
        "/order-rejected",
        "/webhooks/just-eat/order-rejected",
        JeApiKey,
        example!("order-rejected-request.json"),
    ),
    hook(
        Put,
        "/order-requires-delivery-acceptance",
        "/webhooks/just-eat/order-requires-delivery-acceptance",
        JeApiKey,
        example!("order-requires-delivery-acceptance-request.json"),
    ),
    hook(
        Post,
        "/order-time-updated",
        "/webhooks/just-eat/order-time-updated",
        JeApiKey,
        example!("order-time-updated-request.json"),
    ),
    hook(
        Post,
        "/orderdispatchwebhooks",
        "/webhooks/just-eat/orderdispatchwebhooks",
        JeApiKey,
        example!("orderdispatchwebhooks-request.json"),
    ),
    serve(
        Put,
        "/orders/deliverystate/driverlocation",
        Serve::BulkDriverLocation,
    ),
    serve(Get, "/orders/{brandSlug}/{orderId}/amend", Serve::AmendGet),
    serve(
        Post,
        "/orders/{brandSlug}/{orderId}/amend",
        Serve::AmendPost,
    ),
    serve(
        Put,
        "/orders/{orderId}/deliverystate/atdeliveryaddress",
        Serve::DeliveryState("atdeliveryaddress"),
    ),
    serve(
        Put,
        "/orders/{orderId}/deliverystate/atrestaurant",
        Serve::DeliveryState("atrestaurant"),
    ),
    serve(
        Put,
        "/orders/{orderId}/deliverystate/atrestauranteta",
        Serve::DeliveryState("atrestauranteta"),
    ),
    serve(
        Put,
        "/orders/{orderId}/deliverystate/delivered",
        Serve::DeliveryState("delivered"),
    ),
    serve(
        Put,
        "/orders/{orderId}/deliverystate/driverassigned",
        Serve::DeliveryState("driverassigned"),
    ),
    serve(
        Put,
        "/orders/{orderId}/deliverystate/driverlocation",
        Serve::DeliveryState("driverlocation"),
    ),
    serve(
        Put,
        "/orders/{orderId}/deliverystate/driverunassigned",
        Serve::DeliveryState("driverunassigned"),
    ),
    serve(
        Put,
        "/orders/{orderId}/deliverystate/onitsway",
        Serve::DeliveryState("onitsway"),
    ),
    hook(
        Put,
        "/redelivery-requested",
        "/webhooks/just-eat/redelivery-requested",
        JeApiKey,
        example!("redelivery-requested-request.json"),
    ),
    hook(
        Put,
        "/restaurant-offline-status",
        "/webhooks/just-eat/restaurant-offline-status",
        JeApiKey,
        example!("restaurant-offline-status-request.json"),
    ),
    hook(
        Put,
        "/restaurant-online-status",
        "/webhooks/just-eat/restaurant-online-status",
        JeApiKey,
        example!("restaurant-online-status-request.json"),
    ),
    serve(Get, "/restaurants/bylatlong", Serve::RestaurantsByLatLong),
    serve(
        Get,
        "/restaurants/bypostcode/{postcode}",
        Serve::RestaurantsByPostcode,
    ),
    serve(Put, "/restaurants/driver/eta", Serve::DriverEta),
    serve(
        Put,
        "/restaurants/{restaurantReference}/offline",
        Serve::RestaurantOffline,
    ),
    serve(
        Put,
        "/restaurants/{restaurantReference}/online",
        Serve::RestaurantOnline,
    ),
    serve(
        Put,
        "/restaurants/{restaurantReference}/servicetimes",
        Serve::RestaurantServiceTimes,
    ),
    hook(
        Post,
        "/send-to-pos-failed",
        "/webhooks/just-eat/send-to-pos-failed",
        JeApiKey,
        example!("send-to-pos-failed-request.json"),
    ),
    hook(
        Post,
        "/your-cancel-order-notification-endpoint",
        "/webhooks/jet/orders/cancel",
        JetHash,
        jet_example!("cancel-order-notification-request.json"),
    ),
    hook(
        Post,
        "/your-driver-status-notification-endpoint",
        "/webhooks/jet/orders/driver-status",
        JetHash,
        example!("jet-driver-status-request.json"),
    ),
    hook(
        Post,
        "/your-failed-order-for-backup-flow-endpoint",
        "/webhooks/jet/orders/backup-flow",
        JetHash,
        example!("failed-order-for-backup-flow-request.json"),
    ),
    hook(
        Post,
        "/your-restaurant-temp-offline-endpoint",
        "/webhooks/jet/restaurants/temp-offline",
        JetHash,
        example!("restaurant-temp-offline-request.json"),
    ),
];

/// The simulator's own controls, beside the seed's endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// `POST /sim/jet/scenarios/{name}`: play a journey against the hub.
    Scenario,
    /// `GET /sim/jet/state`: everything the simulator holds, by kind.
    State,
    /// `PUT /sim/jet/control/fail`: the next `count` served calls answer `status`.
    Fail,
    /// `POST /sim/jet/callbacks/{name}`: an async webhook's answer from the hub, recorded.
    Callback,
}

pub const CONTROLS: &[(Method, &str, Control)] = &[
    (Post, "/callbacks/{name}", Control::Callback),
    (Put, "/control/fail", Control::Fail),
    (Post, "/scenarios/{name}", Control::Scenario),
    (Get, "/state", Control::State),
];

/// What a path under [`PREFIX`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Endpoint(&'static Endpoint),
    Control(Control),
}

/// The outcome of matching a method and a path (below [`PREFIX`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Found {
        target: Target,
        params: Vec<(&'static str, String)>,
    },
    MethodNotAllowed(Vec<Method>),
    NotFound,
}

/// Matches `method` and `path` (the part after [`PREFIX`]) against the seed's endpoints and
/// the controls: the first row whose path and method match wins; a path that matches with
/// other methods only is `405` with those.
pub fn resolve(method: &str, path: &str) -> Resolved {
    let method = Method::parse(method);
    let mut allow = Vec::new();
    let rows = ENDPOINTS
        .iter()
        .map(|e| (e.method, e.path, Target::Endpoint(e)))
        .chain(
            CONTROLS
                .iter()
                .map(|(m, p, c)| (*m, *p, Target::Control(*c))),
        );
    for (row_method, pattern, target) in rows {
        let Some(params) = match_pattern(pattern, path) else {
            continue;
        };
        if Some(row_method) == method {
            return Resolved::Found { target, params };
        }
        if !allow.contains(&row_method) {
            allow.push(row_method);
        }
    }
    if allow.is_empty() {
        Resolved::NotFound
    } else {
        Resolved::MethodNotAllowed(allow)
    }
}

/// Just Eat delivering an order over Orderconnect (the hub's `PUT /webhooks/orderconnect/orders`,
/// `JE-API-KEY`): not one of seed 000's endpoints, but how the Partner API's orders reach
/// this hub, so a scenario of Partner API webhooks starts with it (step `orderconnect-order`).
pub const ORDERCONNECT_ORDER: Endpoint = hook(
    Put,
    "/orderconnect-order",
    "/webhooks/orderconnect/orders",
    JeApiKey,
    include_str!("../../../fixtures/orderconnect/delivery-order.json"),
);

/// The endpoint a webhook name (its seed path without the leading `/`, placeholders as
/// written; or `orderconnect-order`) stands for, for scenario steps.
pub fn webhook(name: &str) -> Option<&'static Endpoint> {
    ENDPOINTS
        .iter()
        .chain(std::iter::once(&ORDERCONNECT_ORDER))
        .find(|e| matches!(e.kind, Kind::Webhook(_)) && e.path.strip_prefix('/') == Some(name))
}

/// One step of a scenario: a webhook (by its seed name) and the fields its example gets,
/// `{order}` / `{restaurant}` in a string value standing for the scenario's order id and
/// restaurant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub webhook: &'static str,
    pub set: &'static [(&'static str, &'static str)],
}

/// Whose restaurant id `{restaurant}` is when the caller names none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// A restaurant's JET Connect location id.
    Jet,
    /// A restaurant's Orderconnect id.
    Orderconnect,
}

/// A journey the simulator plays against the hub: steps sent in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scenario {
    pub name: &'static str,
    pub about: &'static str,
    pub channel: Channel,
    pub steps: &'static [Step],
}

const fn step(webhook: &'static str, set: &'static [(&'static str, &'static str)]) -> Step {
    Step { webhook, set }
}

const ORDER: &[(&str, &str)] = &[("id", "{order}"), ("posLocationId", "{restaurant}")];
const OC_ORDER: &[(&str, &str)] = &[("Id", "{order}"), ("RestaurantInfo.Id", "{restaurant}")];
const ORDER_ID: &[(&str, &str)] = &[("OrderId", "{order}")];

/// Every scenario: adding one is adding a row.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "delivered",
        about: "an order received, accepted, a driver assigned, at the restaurant, on the way, delivered",
        channel: Channel::Orderconnect,
        steps: &[
            step("orderconnect-order", OC_ORDER),
            step("order-accepted", ORDER_ID),
            step("driver-assigned-to-delivery", ORDER_ID),
            step("driver-at-restaurant", ORDER_ID),
            step("driver-on-their-way-to-delivery-address", ORDER_ID),
            step("driver-at-delivery-address", ORDER_ID),
            step("driver-has-delivered-order", ORDER_ID),
        ],
    },
    Scenario {
        name: "cancelled",
        about: "an order received, then cancelled by Just Eat",
        channel: Channel::Jet,
        steps: &[
            step("initial/{receiveOrder}", ORDER),
            step("your-cancel-order-notification-endpoint", &[("orderID", "{order}")]),
        ],
    },
    Scenario {
        name: "late-order-query",
        about: "an order received and accepted, then a customer asks where it is",
        channel: Channel::Orderconnect,
        steps: &[
            step("orderconnect-order", OC_ORDER),
            step("order-accepted", ORDER_ID),
            step("late-order-query", ORDER_ID),
        ],
    },
    Scenario {
        name: "backup-flow",
        about: "an order that failed validation at Just Eat, sent for the backup flow",
        channel: Channel::Jet,
        steps: &[step(
            "your-failed-order-for-backup-flow-endpoint",
            &[("order.orderId", "{order}"), ("order.restaurantId", "{restaurant}")],
        )],
    },
    Scenario {
        name: "temp-offline",
        about: "Just Eat takes the restaurant offline for a while",
        channel: Channel::Jet,
        steps: &[step(
            "your-restaurant-temp-offline-endpoint",
            &[("restaurantId", "{restaurant}")],
        )],
    },
];

/// The scenario of that name.
pub fn scenario(name: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.name == name)
}

/// A step's body: the webhook's example with the step's fields set (a dotted name reaches
/// into objects; a field under an array is set in its every element), `{order}` and
/// `{restaurant}` replaced.
pub fn step_body(
    example: &serde_json::Value,
    step: &Step,
    order: &str,
    restaurant: &str,
) -> serde_json::Value {
    let mut body = example.clone();
    for (field, template) in step.set {
        let value = template
            .replace("{order}", order)
            .replace("{restaurant}", restaurant);
        set_path(&mut body, field, &value);
    }
    body
}

fn set_path(target: &mut serde_json::Value, dotted: &str, value: &str) {
    use serde_json::Value;
    match target {
        Value::Array(items) => items.iter_mut().for_each(|i| set_path(i, dotted, value)),
        Value::Object(fields) => match dotted.split_once('.') {
            None => {
                fields.insert(dotted.to_owned(), Value::String(value.to_owned()));
            }
            Some((head, rest)) => {
                let inner = fields
                    .entry(head.to_owned())
                    .or_insert_with(|| Value::Object(Default::default()));
                set_path(inner, rest, value);
            }
        },
        _ => {}
    }
}

#[cfg(test)]
mod tests;
