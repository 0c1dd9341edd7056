//! Delivery zones ready for routing, and what one Worker isolate keeps of them between
//! orders (issue 21).
//!
//! An order routed by coordinates reads its candidate zones from D1 (the live zones of its
//! concept whose box holds its point). Deserialising each zone's JSON and preparing its
//! polygon for every order was most of the order's cost; a [`RoutableZone`] is that work
//! done once, and a [`ZoneMemo`] keeps it for the next order.
//!
//! **What identifies a zone's version: its content.** Every zone row carries
//! [`zone_version`], a hash of its stored JSON written with it (migration 0031). An entry
//! is filed under the zone's row (restaurant, concept key, zone id) with the version it was
//! built from, and served only to a row of that same version. A zone written again (by
//! Jupiter's admin API, a catalog pull, JET Connect) is therefore never answered from an
//! older entry, in this isolate or any other, with no token to propagate and no staleness
//! window: the next order reads the new row's version, misses, reads its JSON and replaces
//! the entry. A deleted zone is no longer among the live rows D1 returns, so its entry is
//! never asked for and ages out. A row written before 0031 has no version: its JSON itself
//! is the version (the edge reads it and the memo compares it whole).
//!
//! **Bounds.** At most [`Limits::max_zones`] entries and [`Limits::max_vertices`] vertices
//! (some 24 bytes each, prepared). Past either, the oldest entries go first; a zone larger
//! than the bound is prepared for its order but not kept.
//!
//! Pure: the caller reads D1 and holds the memo (`edge/src/intake.rs`, one per isolate).

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use crate::geo::{BBox, Point, Polygon};
use crate::jupiter::Zone;

/// A stored zone ready for routing: its terms (id, prices, minimum, times) and its polygon
/// prepared for [`Polygon::contains`] ([`Polygon::from_stored`]: the banded test whose
/// answer is exactly `geo::stored_zone_contains`'s). The coordinates live only in the
/// polygon: `zone.coordinates` is empty.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutableZone {
    pub zone: Zone,
    polygon: Option<Polygon>,
}

impl RoutableZone {
    /// Prepares a stored zone (validated when it was written).
    pub fn new(mut zone: Zone) -> RoutableZone {
        let polygon = Polygon::from_stored(&zone.coordinates);
        zone.coordinates = Vec::new();
        RoutableZone { zone, polygon }
    }

    /// [`RoutableZone::new`], shared (validation holds it as the memo does).
    pub fn shared(zone: Zone) -> Arc<RoutableZone> {
        Arc::new(RoutableZone::new(zone))
    }

    /// The polygon's box; `None` for coordinates that do not read (a zone that contains no
    /// point).
    pub fn bbox(&self) -> Option<BBox> {
        self.polygon.as_ref().map(Polygon::bbox)
    }

    /// The closed ring's vertices (0 for a zone that contains no point).
    pub fn vertices(&self) -> usize {
        self.polygon
            .as_ref()
            .map_or(0, |poly| poly.vertices().len())
    }

    /// Whether the zone contains `p` (its border included).
    pub fn contains(&self, p: Point) -> bool {
        self.polygon.as_ref().is_some_and(|poly| poly.contains(p))
    }
}

/// Stored zones, each prepared ([`RoutableZone::shared`]).
pub fn routable(zones: Vec<Zone>) -> Vec<Arc<RoutableZone>> {
    zones.into_iter().map(RoutableZone::shared).collect()
}

/// How much a [`ZoneMemo`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_zones: usize,
    /// Vertices kept at most, over all zones.
    pub max_vertices: usize,
}

impl Limits {
    /// What the Worker uses: 500,000 vertices (some 12 MiB prepared, of an isolate's
    /// 128 MB; 1,000 zones of 500 vertices), at most 4,096 zones.
    pub const WORKER: Limits = Limits {
        max_zones: 4_096,
        max_vertices: 500_000,
    };
}

#[derive(Debug)]
struct Entry {
    version: String,
    zone: Arc<RoutableZone>,
}

/// The version of a zone as stored: the first 128 bits of the SHA-256 of its JSON, hex.
/// Written with every zone row (migration 0031) and read back by each order instead of the
/// JSON itself.
pub fn zone_version(stored: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(stored.as_bytes());
    crate::hex::encode(digest.get(..16).unwrap_or_default())
}

/// The prepared zones an isolate keeps: see the module documentation.
#[derive(Debug)]
pub struct ZoneMemo {
    limits: Limits,
    entries: HashMap<String, Entry>,
    /// Keys in the order they were remembered, for eviction.
    order: VecDeque<String>,
    vertices: usize,
}

/// The key of a zone row: restaurant, concept key and zone id (none contains a NUL).
pub fn zone_key(restaurant_id: &str, concept_key: &str, zone_id: &str) -> String {
    format!("{restaurant_id}\0{concept_key}\0{zone_id}")
}

impl ZoneMemo {
    pub fn new(limits: Limits) -> ZoneMemo {
        ZoneMemo {
            limits,
            entries: HashMap::new(),
            order: VecDeque::new(),
            vertices: 0,
        }
    }

    /// The prepared zone remembered for `key` ([`zone_key`]), only if it was built from
    /// `version` (the row's [`zone_version`] as D1 holds it now, or its JSON).
    pub fn get(&self, key: &str, version: &str) -> Option<Arc<RoutableZone>> {
        self.entries
            .get(key)
            .filter(|e| e.version == version)
            .map(|e| Arc::clone(&e.zone))
    }

    /// Remembers the zone prepared from `version` under `key`, replacing any older version
    /// and evicting the oldest entries past the limits.
    pub fn remember(&mut self, key: &str, version: String, zone: Arc<RoutableZone>) {
        self.forget(key);
        let size = zone.vertices();
        if size > self.limits.max_vertices || self.limits.max_zones == 0 {
            return;
        }
        while self.entries.len() >= self.limits.max_zones
            || self.vertices + size > self.limits.max_vertices
        {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some(e) = self.entries.remove(&oldest) {
                self.vertices -= e.zone.vertices();
            }
        }
        self.vertices += size;
        self.order.push_back(key.to_owned());
        self.entries.insert(key.to_owned(), Entry { version, zone });
    }

    /// How many zones, and how many vertices, are kept.
    pub fn usage(&self) -> (usize, usize) {
        (self.entries.len(), self.vertices)
    }

    fn forget(&mut self, key: &str) {
        if let Some(e) = self.entries.remove(key) {
            self.vertices -= e.zone.vertices();
            self.order.retain(|k| k != key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn square(id: &str, side: f64) -> Zone {
        let s = |v: f64| format!("{v}");
        Zone {
            id: id.to_owned(),
            name: id.to_owned(),
            sum_min: None,
            time_min: None,
            time_max: None,
            delivery_price: None,
            sum_for_free: None,
            last_change: None,
            coordinates: vec![
                [s(0.0), s(0.0)],
                [s(side), s(0.0)],
                [s(side), s(side)],
                [s(0.0), s(side)],
            ],
        }
    }

    fn text(zone: &Zone) -> String {
        serde_json::to_string(zone).unwrap()
    }

    const SMALL: Limits = Limits {
        max_zones: 2,
        max_vertices: 100,
    };

    #[test]
    fn the_version_is_the_content() {
        let (a, b) = (text(&square("A", 1.0)), text(&square("A", 0.5)));
        assert_eq!(zone_version(&a), zone_version(&a.clone()));
        assert_ne!(zone_version(&a), zone_version(&b));
        assert_eq!(zone_version(&a).len(), 32);
    }

    #[test]
    fn an_entry_is_served_only_for_the_version_it_was_built_from() {
        let mut memo = ZoneMemo::new(SMALL);
        let a = square("A", 1.0);
        let key = zone_key("r1", "7", "A");
        memo.remember(&key, text(&a), RoutableZone::shared(a.clone()));
        // (key, text, served)
        let cases = [
            (key.clone(), text(&a), true),
            (key.clone(), text(&square("A", 0.5)), false),
            (zone_key("r2", "7", "A"), text(&a), false),
            (zone_key("r1", "", "A"), text(&a), false),
        ];
        for (k, t, served) in cases {
            assert_eq!(memo.get(&k, &t).is_some(), served, "{k:?} {t}");
        }
    }

    #[test]
    fn a_new_version_replaces_the_old_one() {
        let mut memo = ZoneMemo::new(SMALL);
        let key = zone_key("r1", "7", "A");
        let (old, new) = (square("A", 1.0), square("A", 0.5));
        memo.remember(&key, text(&old), RoutableZone::shared(old.clone()));
        memo.remember(&key, text(&new), RoutableZone::shared(new.clone()));
        assert_eq!(memo.usage(), (1, 5), "a closed square");
        assert!(memo.get(&key, &text(&old)).is_none());
        let got = memo.get(&key, &text(&new)).unwrap();
        let p = Point { lon: 0.8, lat: 0.8 };
        assert!(!got.contains(p), "the new polygon answers");
    }

    #[test]
    fn entries_are_evicted_oldest_first_past_either_limit() {
        let zone = square("Z", 1.0);
        let t = text(&zone);
        let mut memo = ZoneMemo::new(SMALL);
        for k in ["a", "b", "c"] {
            memo.remember(k, t.clone(), RoutableZone::shared(zone.clone()));
        }
        assert!(
            memo.get("a", &t).is_none(),
            "past max_zones the oldest goes"
        );
        assert!(memo.get("b", &t).is_some() && memo.get("c", &t).is_some());

        let big = Limits {
            max_zones: 10,
            max_vertices: 10,
        };
        let mut memo = ZoneMemo::new(big);
        for k in ["a", "b", "c"] {
            memo.remember(k, t.clone(), RoutableZone::shared(zone.clone()));
        }
        assert!(
            memo.get("a", &t).is_none(),
            "past max_vertices the oldest goes"
        );
        assert_eq!(memo.usage(), (2, 10));

        let tiny = Limits {
            max_zones: 10,
            max_vertices: 4,
        };
        let mut memo = ZoneMemo::new(tiny);
        memo.remember("a", t.clone(), RoutableZone::shared(zone.clone()));
        assert_eq!(
            memo.usage(),
            (0, 0),
            "a zone over the vertex limit is not kept"
        );
    }

    #[test]
    fn many_points_route_alike_through_prepared_zones_and_the_stored_scan() {
        use crate::geo::stored_zone_contains;
        // Star-shaped (simple) zones of 3 to 600 vertices over a city, overlapping, their
        // coordinates written with 17 significant digits as Jupiter writes them; points
        // uniform over the city, at vertices and halfway along edges.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut unit = move || {
            seed ^= seed >> 12;
            seed ^= seed << 25;
            seed ^= seed >> 27;
            (seed.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut zones: Vec<Vec<[String; 2]>> = Vec::new();
        for k in 0..40 {
            let n = 3 + (unit() * 398.0) as usize;
            let (cx, cy) = (37.3 + (k % 7) as f64 * 0.08, 55.5 + (k / 7) as f64 * 0.07);
            let ring = (0..n)
                .map(|j| {
                    let t = (j as f64 + 0.4 * unit()) * std::f64::consts::TAU / n as f64;
                    let r = 0.06 * (1.0 + 0.3 * (5.0 * t).sin() + 0.1 * unit());
                    [
                        format!("{}", cx + r * t.cos()),
                        format!("{}", cy + r * t.sin()),
                    ]
                })
                .collect();
            zones.push(ring);
        }
        let prepared: Vec<RoutableZone> = zones
            .iter()
            .map(|c| {
                let mut zone = square("Z", 1.0);
                zone.coordinates = c.clone();
                RoutableZone::new(zone)
            })
            .collect();
        let mut points: Vec<Point> = (0..6_000)
            .map(|_| Point {
                lon: 37.2 + unit() * 0.7,
                lat: 55.4 + unit() * 0.6,
            })
            .collect();
        for ring in zones.iter().take(10) {
            let read = |v: &String| v.parse::<f64>().unwrap();
            for pair in ring.windows(2).take(50) {
                let (a, b) = (&pair[0], &pair[1]);
                points.push(Point {
                    lon: read(&a[0]),
                    lat: read(&a[1]),
                });
                points.push(Point {
                    lon: (read(&a[0]) + read(&b[0])) / 2.0,
                    lat: (read(&a[1]) + read(&b[1])) / 2.0,
                });
            }
        }
        let (mut inside, mut routed) = (0, 0);
        // The plain scan over every edge (`Polygon::contains_by_scan`), and the scan of the
        // stored text (`geo::stored_zone_contains`, what routing did before) for some points.
        let scans: Vec<Polygon> = zones
            .iter()
            .map(|c| Polygon::from_jupiter(c, "z").unwrap())
            .collect();
        for (n, p) in points.iter().enumerate() {
            let by_index: Vec<usize> = (0..zones.len())
                .filter(|&i| prepared[i].contains(*p))
                .collect();
            let by_scan: Vec<usize> = (0..zones.len())
                .filter(|&i| scans[i].contains_by_scan(*p))
                .collect();
            assert_eq!(by_index, by_scan, "{p:?}");
            if n % 25 == 0 {
                let by_text: Vec<usize> = (0..zones.len())
                    .filter(|&i| stored_zone_contains(&zones[i], *p))
                    .collect();
                assert_eq!(by_index, by_text, "{p:?}");
            }
            inside += by_index.len();
            routed += usize::from(!by_index.is_empty());
        }
        assert!(
            routed > 1_500 && inside > routed,
            "{routed} routed, {inside} hits"
        );
    }

    #[test]
    fn a_prepared_zone_answers_as_the_stored_scan() {
        use crate::geo::stored_zone_contains;
        // (coordinates, the point)
        let s = |v: &str| v.to_owned();
        let ring = |pts: &[(&str, &str)]| -> Vec<[String; 2]> {
            pts.iter().map(|(a, b)| [s(a), s(b)]).collect()
        };
        let tri = ring(&[("0", "0"), ("2", "0"), ("0", "2")]);
        let cases = [
            (tri.clone(), (0.5, 0.5), true),
            (tri.clone(), (1.0, 1.0), true), // on the hypotenuse
            (tri.clone(), (1.5, 1.5), false),
            (
                ring(&[("0", "0"), ("x", "0"), ("0", "2")]),
                (0.1, 0.1),
                false,
            ),
            (
                ring(&[("0", "0"), ("2", "0"), ("2", "0")]),
                (1.0, 0.0),
                false,
            ),
            (
                ring(&[("0", "0"), ("200", "0"), ("0", "2")]),
                (0.1, 0.1),
                false,
            ),
        ];
        for (coords, (lon, lat), inside) in cases {
            let p = Point { lon, lat };
            let mut zone = square("Z", 1.0);
            zone.coordinates = coords.clone();
            assert_eq!(stored_zone_contains(&coords, p), inside, "{coords:?}");
            assert_eq!(RoutableZone::new(zone).contains(p), inside, "{coords:?}");
        }
    }
}
