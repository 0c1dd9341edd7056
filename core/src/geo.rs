//! Delivery-zone polygons: validation and point-in-polygon.
//!
//! Jupiter sends a zone as `coordinates: [["lon", "lat"], …]` with decimal strings.
//! [`Polygon::from_jupiter`] turns that into a validated ring:
//!
//! * every coordinate is a finite decimal number, longitude in [-180, 180] and latitude in
//!   [-90, 90];
//! * consecutive duplicate vertices are dropped (they add nothing), and the ring is closed
//!   when the last vertex differs from the first;
//! * at least 3 distinct vertices remain;
//! * the ring does not intersect itself: no two non-adjacent edges touch or cross, and no
//!   two adjacent edges fold back over each other. The check compares every pair of edges,
//!   O(n²); zones have tens of vertices, so this is cheap and simple to trust.
//!
//! Coordinates are treated as planar (lon = x, lat = y), which is what delivery zones of a
//! city need; arithmetic is `f64` without tolerance, so a point exactly on an edge counts
//! as on it only when the orientation test is exactly zero.

use crate::problem::Violation;

/// A point as (longitude, latitude) in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub lon: f64,
    pub lat: f64,
}

/// A validated simple polygon. The ring is stored closed: first vertex == last vertex.
#[derive(Debug, Clone, PartialEq)]
pub struct Polygon {
    ring: Vec<Point>,
}

impl Polygon {
    /// Validates Jupiter's `[["lon", "lat"], …]` coordinates. `field` is the path of the
    /// `coordinates` array, e.g. `zones[0].coordinates`.
    pub fn from_jupiter(coords: &[[String; 2]], field: &str) -> Result<Polygon, Vec<Violation>> {
        let mut violations = Vec::new();
        let mut points = Vec::with_capacity(coords.len());
        for (i, [lon, lat]) in coords.iter().enumerate() {
            let lon = parse_coordinate(lon, 180.0, &format!("{field}[{i}][0]"));
            let lat = parse_coordinate(lat, 90.0, &format!("{field}[{i}][1]"));
            match (lon, lat) {
                (Ok(lon), Ok(lat)) => points.push(Point { lon, lat }),
                (lon, lat) => violations.extend(lon.err().into_iter().chain(lat.err())),
            }
        }
        if !violations.is_empty() {
            return Err(violations);
        }
        Polygon::parse(&points, field).map_err(|v| vec![v])
    }

    /// Validates a ring of points (closed or not). See the module documentation.
    pub fn parse(points: &[Point], field: &str) -> Result<Polygon, Violation> {
        let bad = |code: &str, message: &str| Violation::new(code, Some(field), message);
        if let Some(p) = points
            .iter()
            .find(|p| !(p.lon.abs() <= 180.0 && p.lat.abs() <= 90.0))
        {
            return Err(bad(
                "coordinate_out_of_range",
                &format!("point ({}, {}) is outside lon ±180, lat ±90", p.lon, p.lat),
            ));
        }
        let mut ring: Vec<Point> = Vec::with_capacity(points.len() + 1);
        for p in points {
            if ring.last() != Some(p) {
                ring.push(*p);
            }
        }
        if ring.len() > 1 && ring.first() == ring.last() {
            ring.pop();
        }
        let mut distinct: Vec<Point> = Vec::new();
        for p in &ring {
            if !distinct.contains(p) {
                distinct.push(*p);
            }
        }
        if distinct.len() < 3 {
            return Err(bad(
                "too_few_vertices",
                "a polygon needs at least 3 distinct vertices",
            ));
        }
        if let Some((i, j)) = first_self_intersection(&ring) {
            return Err(bad(
                "self_intersecting",
                &format!("edges {i} and {j} of the polygon touch or cross"),
            ));
        }
        if let Some(first) = ring.first().copied() {
            ring.push(first);
        }
        Ok(Polygon { ring })
    }

    /// The closed ring: the first vertex is repeated at the end.
    pub fn vertices(&self) -> &[Point] {
        &self.ring
    }

    /// Whether `p` lies inside the polygon or on its boundary (edges and vertices count as
    /// inside, so an address exactly on a zone border is served).
    pub fn contains(&self, p: Point) -> bool {
        let edges = self.ring.windows(2);
        if edges.clone().any(|e| on_segment(e[0], e[1], p)) {
            return true;
        }
        // Crossing number: count edges that cross the horizontal ray to the right of p.
        let mut inside = false;
        for e in edges {
            let (a, b) = (e[0], e[1]);
            if (a.lat > p.lat) != (b.lat > p.lat) {
                let x = a.lon + (p.lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat);
                if p.lon < x {
                    inside = !inside;
                }
            }
        }
        inside
    }
}

fn parse_coordinate(text: &str, limit: f64, field: &str) -> Result<f64, Violation> {
    let numeric = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
    match text.parse::<f64>() {
        Ok(v) if numeric && v.is_finite() && v.abs() <= limit => Ok(v),
        Ok(v) if numeric && v.is_finite() => Err(Violation::new(
            "coordinate_out_of_range",
            Some(field),
            format!("{v} is outside ±{limit}"),
        )),
        _ => Err(Violation::new(
            "invalid_coordinate",
            Some(field),
            format!("must be a decimal number, got {text:?}"),
        )),
    }
}

/// Sign of the cross product (b - a) × (c - a): > 0 left turn, < 0 right turn, 0 collinear.
fn orient(a: Point, b: Point, c: Point) -> f64 {
    (b.lon - a.lon) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lon - a.lon)
}

/// Whether `p` lies on the closed segment a–b.
fn on_segment(a: Point, b: Point, p: Point) -> bool {
    orient(a, b, p) == 0.0
        && p.lon >= a.lon.min(b.lon)
        && p.lon <= a.lon.max(b.lon)
        && p.lat >= a.lat.min(b.lat)
        && p.lat <= a.lat.max(b.lat)
}

/// Whether closed segments p1–p2 and q1–q2 share at least one point.
fn segments_touch(p1: Point, p2: Point, q1: Point, q2: Point) -> bool {
    let d1 = orient(q1, q2, p1);
    let d2 = orient(q1, q2, p2);
    let d3 = orient(p1, p2, q1);
    let d4 = orient(p1, p2, q2);
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0))
        && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
    {
        return true;
    }
    on_segment(q1, q2, p1)
        || on_segment(q1, q2, p2)
        || on_segment(p1, p2, q1)
        || on_segment(p1, p2, q2)
}

/// The first pair of edges (by index) that makes the open ring not simple. Edge `i` runs
/// from vertex `i` to vertex `i + 1` (wrapping).
fn first_self_intersection(ring: &[Point]) -> Option<(usize, usize)> {
    let n = ring.len();
    let edge = |i: usize| (ring[i], ring[(i + 1) % n]);
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = edge(i);
            let (c, d) = edge(j);
            let adjacent = j == i + 1 || (i == 0 && j == n - 1);
            if adjacent {
                // They share one vertex; they are wrong only if they fold back onto each
                // other (collinear and pointing in opposite directions at the shared vertex).
                let (from, shared, to) = if j == i + 1 { (a, b, d) } else { (c, a, b) };
                let dot = (shared.lon - from.lon) * (to.lon - shared.lon)
                    + (shared.lat - from.lat) * (to.lat - shared.lat);
                if orient(from, shared, to) == 0.0 && dot < 0.0 {
                    return Some((i, j));
                }
            } else if segments_touch(a, b, c, d) {
                return Some((i, j));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn pts(list: &[(f64, f64)]) -> Vec<Point> {
        list.iter().map(|&(lon, lat)| Point { lon, lat }).collect()
    }

    fn strings(list: &[(&str, &str)]) -> Vec<[String; 2]> {
        list.iter()
            .map(|(a, b)| [a.to_string(), b.to_string()])
            .collect()
    }

    const SQUARE: &[(f64, f64)] = &[(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0)];
    // A "U" shape: the notch (1..3, 2..4) is outside.
    const CONCAVE: &[(f64, f64)] = &[
        (0.0, 0.0),
        (4.0, 0.0),
        (4.0, 4.0),
        (3.0, 4.0),
        (3.0, 2.0),
        (1.0, 2.0),
        (1.0, 4.0),
        (0.0, 4.0),
    ];

    #[test]
    fn valid_rings_are_accepted_and_closed() {
        let cases: &[(&str, Vec<Point>, usize)] = &[
            ("open square", pts(SQUARE), 5),
            ("closed square", pts(&[SQUARE, &SQUARE[..1]].concat()), 5),
            ("concave", pts(CONCAVE), 9),
            (
                "repeated vertex",
                pts(&[(0.0, 0.0), (4.0, 0.0), (4.0, 0.0), (4.0, 4.0)]),
                4,
            ),
            (
                "straight-through vertex",
                pts(&[(0.0, 0.0), (2.0, 0.0), (4.0, 0.0), (4.0, 4.0)]),
                5,
            ),
        ];
        for (name, points, len) in cases {
            let polygon = Polygon::parse(points, "coordinates");
            assert_eq!(polygon.map(|p| p.vertices().len()), Ok(*len), "{name}");
        }
    }

    #[test]
    fn invalid_rings_are_refused_with_a_reason() {
        let cases: &[(&str, Vec<Point>, &str)] = &[
            (
                "two points",
                pts(&[(0.0, 0.0), (1.0, 1.0)]),
                "too_few_vertices",
            ),
            (
                "two distinct points repeated",
                pts(&[(0.0, 0.0), (1.0, 1.0), (0.0, 0.0), (1.0, 1.0)]),
                "too_few_vertices",
            ),
            (
                "bow tie",
                pts(&[(0.0, 0.0), (4.0, 4.0), (4.0, 0.0), (0.0, 4.0)]),
                "self_intersecting",
            ),
            (
                "collinear triangle",
                pts(&[(0.0, 0.0), (1.0, 0.0), (2.0, 0.0)]),
                "self_intersecting",
            ),
            (
                "figure eight through a shared vertex",
                pts(&[
                    (0.0, 0.0),
                    (2.0, 2.0),
                    (4.0, 0.0),
                    (4.0, 4.0),
                    (2.0, 2.0),
                    (0.0, 4.0),
                ]),
                "self_intersecting",
            ),
            (
                "spike folding back",
                pts(&[(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (4.0, 2.0), (0.0, 4.0)]),
                "self_intersecting",
            ),
            (
                "latitude out of range",
                pts(&[(0.0, 0.0), (1.0, 91.0), (2.0, 0.0)]),
                "coordinate_out_of_range",
            ),
            (
                "not a number",
                pts(&[(0.0, 0.0), (f64::NAN, 1.0), (2.0, 0.0)]),
                "coordinate_out_of_range",
            ),
        ];
        for (name, points, code) in cases {
            let got = Polygon::parse(points, "zones[0].coordinates");
            assert_eq!(got.map_err(|v| v.code), Err(code.to_string()), "{name}");
        }
    }

    #[test]
    fn jupiter_string_coordinates_are_parsed_and_each_bad_one_is_reported() {
        let ok = strings(&[
            ("37.52371234879848", "55.84410641903395"),
            ("37.514442634443014", "55.753211478836405"),
            ("37.75142603657669", "55.77257777343632"),
            ("37.745595187258395", "55.83994903702488"),
            ("37.52371234879848", "55.84410641903395"),
        ]);
        let zone = Polygon::from_jupiter(&ok, "zones[0].coordinates");
        assert_eq!(zone.as_ref().map(|p| p.vertices().len()), Ok(5));
        let inside = Point {
            lon: 37.6,
            lat: 55.8,
        };
        assert_eq!(zone.map(|z| z.contains(inside)), Ok(true));

        let bad = strings(&[("abc", "55"), ("37", "inf"), ("181", "0"), ("1", "1")]);
        let fields: Vec<Option<String>> = Polygon::from_jupiter(&bad, "zones[1].coordinates")
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|v| v.field)
            .collect();
        assert_eq!(
            fields,
            vec![
                Some("zones[1].coordinates[0][0]".to_owned()),
                Some("zones[1].coordinates[1][1]".to_owned()),
                Some("zones[1].coordinates[2][0]".to_owned()),
            ]
        );
    }

    #[test]
    fn points_inside_on_edges_and_on_vertices_are_contained() {
        let square = Polygon::parse(&pts(SQUARE), "c");
        let concave = Polygon::parse(&pts(CONCAVE), "c");
        let (Ok(square), Ok(concave)) = (square, concave) else {
            panic!("test polygons must be valid");
        };
        let cases: &[(&Polygon, (f64, f64), bool, &str)] = &[
            (&square, (2.0, 2.0), true, "centre"),
            (&square, (4.0, 2.0), true, "on an edge"),
            (&square, (0.0, 0.0), true, "on a vertex"),
            (&square, (4.0, 4.0), true, "on the last vertex"),
            (&square, (4.0001, 2.0), false, "just outside"),
            (&square, (-1.0, 0.0), false, "in line with the bottom edge"),
            (&square, (5.0, 4.0), false, "in line with the top edge"),
            (&concave, (0.5, 3.0), true, "left arm"),
            (&concave, (3.5, 3.0), true, "right arm"),
            (&concave, (2.0, 3.0), false, "in the notch"),
            (&concave, (2.0, 2.0), true, "on the bottom of the notch"),
            (&concave, (1.0, 4.0), true, "on the notch's corner"),
            (&concave, (2.0, 1.0), true, "in the base"),
            (&concave, (2.0, 4.0), false, "across the notch's mouth"),
        ];
        for (polygon, (lon, lat), want, name) in cases {
            let p = Point {
                lon: *lon,
                lat: *lat,
            };
            assert_eq!(polygon.contains(p), *want, "{name}");
        }
    }
}
