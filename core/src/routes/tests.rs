use super::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
fn every_site_api_route_but_the_preflight_takes_the_site_key_and_no_other_does() {
    for route in ROUTES {
        let site = route.pattern.starts_with("/site-api/");
        let expected = site && route.method != Method::Options;
        assert_eq!(
            route.id.takes_site_key(),
            expected,
            "{} {}",
            route.method.as_str(),
            route.pattern
        );
    }
    assert!(ROUTES.iter().any(|r| r.id.takes_site_key()));
}

const TABLE: &[(Method, &str)] = &[
    (Method::Get, "/things"),
    (Method::Post, "/things"),
    (Method::Put, "/things/{id}/state"),
];

fn table() -> Vec<Route> {
    // The matching rules are tested on a table of our own, independent of the real one.
    TABLE
        .iter()
        .map(|(method, pattern)| Route {
            method: *method,
            pattern,
            id: RouteId::Health,
        })
        .collect()
}

/// A request (method, path) and the captures it should yield.
type FoundCase = (
    &'static str,
    &'static str,
    Vec<(&'static str, &'static str)>,
);

#[test]
fn a_known_method_and_path_is_found_with_its_captures() {
    let cases: &[FoundCase] = &[
        ("GET", "/things", vec![]),
        ("GET", "/things/", vec![]),
        ("PUT", "/things/000127/state", vec![("id", "000127")]),
    ];
    for (method, path, want) in cases {
        let got = resolve_in(&table(), method, path);
        let want_params: Vec<(&'static str, String)> =
            want.iter().map(|(k, v)| (*k, v.to_string())).collect();
        assert_eq!(
            got,
            Resolution::Found {
                id: RouteId::Health,
                params: want_params
            },
            "{method} {path}"
        );
    }
}

#[test]
fn a_known_path_with_another_method_is_405_listing_the_allowed_methods() {
    let cases: &[(&str, &str, &[Method])] = &[
        ("DELETE", "/things", &[Method::Get, Method::Post]),
        ("BREW", "/things", &[Method::Get, Method::Post]),
        ("GET", "/things/1/state", &[Method::Put]),
    ];
    for (method, path, allow) in cases {
        assert_eq!(
            resolve_in(&table(), method, path),
            Resolution::MethodNotAllowed {
                allow: allow.to_vec()
            },
            "{method} {path}"
        );
    }
}

#[test]
fn an_unknown_path_is_not_found() {
    for path in [
        "/",
        "",
        "/thing",
        "/things/1",
        "/things//state",
        "/things/1/state/x",
        "//things",
        "/things%2F1/state",
    ] {
        // `/things%2F1/state` stays one (encoded) segment, so it is not `/things/{id}/state`.
        assert_eq!(
            resolve_in(&table(), "GET", path),
            Resolution::NotFound,
            "{path}"
        );
    }
}

#[test]
fn the_allow_header_lists_methods_in_table_order() {
    assert_eq!(allow_header(&[Method::Get, Method::Post]), "GET, POST");
    assert_eq!(allow_header(&[]), "");
}

/// A request (method, path), the route it reaches and its captures.
type CatalogCase = (
    &'static str,
    &'static str,
    RouteId,
    &'static [(&'static str, &'static str)],
);

#[test]
fn the_real_table_routes_the_catalog_with_its_captures() {
    let cases: &[CatalogCase] = &[
        (
            "GET",
            "/site-api/restaurants",
            RouteId::SiteRestaurants,
            &[],
        ),
        ("GET", "/site-api/menu", RouteId::SiteMenu, &[]),
        (
            "POST",
            "/webhooks/jet/orders",
            RouteId::JetReceiveOrder,
            &[],
        ),
        (
            "POST",
            "/webhooks/jet/orders/cancel",
            RouteId::JetCancelOrder,
            &[],
        ),
        (
            "POST",
            "/webhooks/jet/orders/driver-status",
            RouteId::JetDriverStatus,
            &[],
        ),
        (
            "PUT",
            "/webhooks/just-eat/driver-at-restaurant",
            RouteId::JustEatTimelineEvent,
            &[],
        ),
        (
            "POST",
            "/webhooks/jet/orders/final",
            RouteId::JetFinalPickedOrder,
            &[],
        ),
        (
            "GET",
            "/admin/jet/orders/abc-1",
            RouteId::AdminJetOrder,
            &[("jet_id", "abc-1")],
        ),
        (
            "POST",
            "/sim/jet/order/abc-1/sent-to-pos-success",
            RouteId::SimJet,
            &[("id", "abc-1")],
        ),
        (
            "GET",
            "/site-api/delivery_zones",
            RouteId::SiteDeliveryZones,
            &[],
        ),
        ("GET", "/site-api/stop_list", RouteId::SiteStopList, &[]),
        ("OPTIONS", "/site-api/menu", RouteId::SitePreflight, &[]),
        (
            "GET",
            "/admin/restaurants/000127",
            RouteId::AdminGetRestaurant,
            &[("id", "000127")],
        ),
        (
            "PUT",
            "/admin/restaurants/000127",
            RouteId::AdminPutRestaurant,
            &[("id", "000127")],
        ),
        (
            "PUT",
            "/admin/delivery_zones",
            RouteId::AdminPutDeliveryZones,
            &[],
        ),
        (
            "DELETE",
            "/admin/delivery_zones/111",
            RouteId::AdminDeleteDeliveryZone,
            &[("zone_id", "111")],
        ),
        ("PUT", "/admin/menu", RouteId::AdminPutMenu, &[]),
        ("POST", "/admin/session", RouteId::AdminSessionCreate, &[]),
        ("GET", "/admin/session", RouteId::AdminSessionGet, &[]),
        ("DELETE", "/admin/session", RouteId::AdminSessionDelete, &[]),
        ("PUT", "/admin/stop_list", RouteId::AdminPutStopList, &[]),
        ("POST", "/admin/sync", RouteId::AdminSync, &[]),
        ("POST", "/site-api/order", RouteId::SiteOrder, &[]),
        ("OPTIONS", "/site-api/order", RouteId::SitePreflight, &[]),
        (
            "GET",
            "/site-api/orders/ord_1",
            RouteId::SiteOrderStatus,
            &[("order_id", "ord_1")],
        ),
        ("GET", "/site-api/client", RouteId::SiteClient, &[]),
        ("GET", "/openapi.json", RouteId::OpenApi, &[]),
        (
            "GET",
            "/callbacks/jupiter/orders/ord_1",
            RouteId::JupiterOrderStatus,
            &[("order_id", "ord_1")],
        ),
        (
            "POST",
            "/admin/orders/ord_1/status",
            RouteId::AdminOrderStatus,
            &[("order_id", "ord_1")],
        ),
        (
            "PUT",
            "/admin/orders/ord_1/driver-location",
            RouteId::AdminOrderDriverLocation,
            &[("order_id", "ord_1")],
        ),
        (
            "PUT",
            "/webhooks/orderconnect/orders",
            RouteId::OrderconnectOrder,
            &[],
        ),
        ("POST", "/jet-connect/menus", RouteId::JetMenus, &[]),
        (
            "POST",
            "/jet-connect/item-availability",
            RouteId::JetItemAvailability,
            &[],
        ),
        (
            "PUT",
            "/jet-connect/restaurants/11232/offline",
            RouteId::JetRestaurantOffline,
            &[("restaurant", "11232")],
        ),
        (
            "PUT",
            "/jet-connect/restaurants/11232/online",
            RouteId::JetRestaurantOnline,
            &[("restaurant", "11232")],
        ),
        (
            "PUT",
            "/jet-connect/restaurants/11232/servicetimes",
            RouteId::JetRestaurantServiceTimes,
            &[("restaurant", "11232")],
        ),
    ];
    for (method, path, id, params) in cases {
        let params: Vec<(&'static str, String)> =
            params.iter().map(|(k, v)| (*k, v.to_string())).collect();
        assert_eq!(
            resolve(method, path),
            Resolution::Found { id: *id, params },
            "{method} {path}"
        );
    }
    assert_eq!(
        resolve("POST", "/site-api/menu"),
        Resolution::MethodNotAllowed {
            allow: vec![Method::Get, Method::Options]
        }
    );
    // Orderconnect delivers orders with PUT only.
    assert_eq!(
        resolve("POST", "/webhooks/orderconnect/orders"),
        Resolution::MethodNotAllowed {
            allow: vec![Method::Put]
        }
    );
}

#[test]
fn the_real_table_serves_health_and_nothing_twice() {
    assert_eq!(
        resolve("GET", "/health"),
        Resolution::Found {
            id: RouteId::Health,
            params: vec![]
        }
    );
    assert_eq!(
        resolve("POST", "/admin/deliveries/dl_1/replay"),
        Resolution::Found {
            id: RouteId::AdminDeliveryReplay,
            params: vec![("id", "dl_1".to_owned())]
        }
    );
    assert_eq!(
        resolve("POST", "/admin/deliveries"),
        Resolution::MethodNotAllowed {
            allow: vec![Method::Get]
        }
    );
    for (i, a) in ROUTES.iter().enumerate() {
        for b in &ROUTES[i + 1..] {
            assert!(
                !(a.method == b.method && a.pattern == b.pattern),
                "duplicate route {} {}",
                a.method.as_str(),
                a.pattern
            );
        }
    }
}
