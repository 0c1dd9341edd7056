//! `PUT /admin/delivery_zones` (and the zones an upstream Jupiter serves): a Jupiter
//! delivery zones document, parsed and validated.
//!
//! Contract: no panic; a refusal names its violations; a valid document has one polygon per
//! zone, and at the points routing meets most (each vertex, each edge's midpoint, the
//! bounding box's centre and corners) the three point-in-zone answers agree: the banded
//! test, the plain scan it must equal, and the per-order test on the stored coordinates;
//! the zone index answers as testing every zone in order does. The document serialises
//! and reads back to itself (it is stored as JSON).
#![no_main]

use libfuzzer_sys::fuzz_target;
use orderbridge_core::geo::{stored_zone_contains, Point, ZoneIndex};
use orderbridge_core::jet::wire::parse_body;
use orderbridge_core::jupiter::{validate_delivery_zones, DeliveryZonesResponse};
use orderbridge_fuzz::refused;

fuzz_target!(|data: &[u8]| {
    let doc: DeliveryZonesResponse = match parse_body(data) {
        Ok(doc) => doc,
        Err(found) => return refused("parse", &found),
    };
    let polygons = match validate_delivery_zones(&doc) {
        Ok(polygons) => polygons,
        Err(found) => return refused("validate", &found),
    };
    assert_eq!(polygons.len(), doc.zones.len(), "one polygon per zone");
    let text = serde_json::to_string(&doc).unwrap_or_else(|e| panic!("serialise: {e}"));
    let back: DeliveryZonesResponse =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("read back: {e}"));
    assert_eq!(back, doc, "the stored document reads back differently");

    let mut probes = Vec::new();
    for polygon in &polygons {
        let ring = polygon.vertices();
        probes.extend_from_slice(ring);
        for edge in ring.windows(2) {
            probes.push(Point {
                lon: (edge[0].lon + edge[1].lon) / 2.0,
                lat: (edge[0].lat + edge[1].lat) / 2.0,
            });
        }
        let b = polygon.bbox();
        probes.push(Point {
            lon: (b.min_lon + b.max_lon) / 2.0,
            lat: (b.min_lat + b.max_lat) / 2.0,
        });
        probes.push(Point {
            lon: b.min_lon,
            lat: b.min_lat,
        });
        probes.push(Point {
            lon: b.max_lon,
            lat: b.max_lat,
        });
    }
    probes.truncate(512);
    for p in &probes {
        for (polygon, zone) in polygons.iter().zip(&doc.zones) {
            let banded = polygon.contains(*p);
            assert_eq!(
                banded,
                polygon.contains_by_scan(*p),
                "banded vs scan at {p:?}"
            );
            assert_eq!(
                banded,
                stored_zone_contains(&zone.coordinates, *p),
                "stored test vs polygon at {p:?} in zone {}",
                zone.id
            );
        }
    }
    let index = ZoneIndex::new(polygons);
    for p in &probes {
        assert_eq!(
            index.first_containing(*p),
            index.first_by_scan(*p),
            "index at {p:?}"
        );
    }
});
