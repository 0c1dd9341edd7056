//! The operator's documents (`/admin`): the first byte picks one, the rest is its body.
//!
//! * 0 `PUT /admin/restaurants/{id}` (`AdminRestaurant`),
//! * 1 `PUT /admin/menu` (`MenuResponse`),
//! * 2 `PUT /admin/stop_list` (`StopListResponse`),
//! * 3 `PUT /admin/restaurants/{id}/orderconnect-items` (the Orderconnect item mapping).
//!
//! Contract: no panic; a refusal names its violations; an accepted document serialises,
//! reads back, and the read-back copy is accepted too (it is what the hub stores and
//! serves); an accepted mapping, written back from its entries, is the same mapping.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orderbridge_core::jet::wire::parse_body;
use orderbridge_core::jupiter::{
    validate_admin_menu, validate_admin_restaurant, validate_stop_lists, AdminRestaurant,
    MenuResponse, StopListResponse,
};
use orderbridge_core::orderconnect::mapping::{self, MappingDocument};
use orderbridge_core::problem::Violation;
use orderbridge_fuzz::refused;
use serde::de::DeserializeOwned;
use serde::Serialize;

fn document<T: DeserializeOwned + Serialize>(
    what: &str,
    body: &[u8],
    validate: impl Fn(&T) -> Result<(), Vec<Violation>>,
) {
    let doc: T = match parse_body(body) {
        Ok(doc) => doc,
        Err(found) => return refused(what, &found),
    };
    if let Err(found) = validate(&doc) {
        return refused(what, &found);
    }
    let text = serde_json::to_string(&doc).unwrap_or_else(|e| panic!("{what}: serialise: {e}"));
    let back: T = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{what}: the stored document does not read back: {e}"));
    if let Err(found) = validate(&back) {
        panic!("{what}: the stored document is refused: {found:?}\n{text}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    match which % 4 {
        0 => document::<AdminRestaurant>("restaurant", body, |d| {
            validate_admin_restaurant(d).map(drop)
        }),
        1 => document::<MenuResponse>("menu", body, validate_admin_menu),
        2 => document::<StopListResponse>("stop list", body, validate_stop_lists),
        _ => {
            let doc: MappingDocument = match serde_json::from_slice(body) {
                Ok(doc) => doc,
                Err(_) => return,
            };
            let found = match mapping::validate(&doc) {
                Ok(found) => found,
                Err(v) => return refused("mapping", &v),
            };
            let again = MappingDocument {
                items: Some(found.entries()),
            };
            assert_eq!(
                mapping::validate(&again).as_ref(),
                Ok(&found),
                "the mapping written back from its entries differs"
            );
        }
    }
});
