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

/// xorshift64*: deterministic points and rings, the same on wasm32 (no new dependency).
struct Rng(u64);
impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A star-shaped (hence simple) ring of `n` vertices around (cx, cy).
fn star(n: usize, cx: f64, cy: f64, r: f64, rng: &mut Rng) -> Vec<Point> {
    (0..n)
        .map(|j| {
            let t = (j as f64 + 0.4 * rng.unit()) * std::f64::consts::TAU / n as f64;
            let k = r * (1.0 + 0.3 * (5.0 * t).sin() + 0.1 * rng.unit());
            Point {
                lon: cx + k * t.cos(),
                lat: cy + k * t.sin(),
            }
        })
        .collect()
}

/// Points that stress the edge cases: every vertex, every edge's midpoint, points just
/// off each vertex, the box's corners and just beyond them, and random points over and
/// around the box.
fn probes(polygon: &Polygon, rng: &mut Rng) -> Vec<Point> {
    let v = polygon.vertices();
    let b = polygon.bbox();
    let mut out: Vec<Point> = v.to_vec();
    for e in v.windows(2) {
        out.push(Point {
            lon: (e[0].lon + e[1].lon) / 2.0,
            lat: (e[0].lat + e[1].lat) / 2.0,
        });
        out.push(Point {
            lon: e[0].lon + 1e-12,
            lat: e[0].lat,
        });
    }
    for (lon, lat) in [
        (b.min_lon, b.min_lat),
        (b.max_lon, b.max_lat),
        (b.min_lon - 1e-10, b.min_lat),
        (b.max_lon + 1e-10, b.max_lat),
        (f64::NAN, b.min_lat),
        (b.min_lon, f64::INFINITY),
    ] {
        out.push(Point { lon, lat });
    }
    let (w, h) = (b.max_lon - b.min_lon, b.max_lat - b.min_lat);
    for _ in 0..400 {
        out.push(Point {
            lon: b.min_lon - 0.2 * w + 1.4 * w * rng.unit(),
            lat: b.min_lat - 0.2 * h + 1.4 * h * rng.unit(),
        });
    }
    out
}

#[test]
fn the_banded_test_gives_the_plain_scans_answer_for_every_point() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let rings: Vec<(&str, Vec<Point>)> = vec![
        ("square", pts(SQUARE)),
        ("concave", pts(CONCAVE)),
        ("star of 10", star(10, 37.6, 55.7, 0.05, &mut rng)),
        ("star of 1,000", star(1_000, 37.6, 55.7, 0.05, &mut rng)),
        (
            "star of 1,500 across 0",
            star(1_500, 0.0, 0.0, 1.0, &mut rng),
        ),
    ];
    for (name, ring) in rings {
        let Ok(polygon) = Polygon::parse(&ring, "c") else {
            panic!("{name} must be valid");
        };
        let (mut inside, mut outside) = (0, 0);
        for p in probes(&polygon, &mut rng) {
            let want = polygon.contains_by_scan(p);
            assert_eq!(
                polygon.contains(p),
                want,
                "{name} at ({}, {})",
                p.lon,
                p.lat
            );
            if want {
                inside += 1;
            } else {
                outside += 1;
            }
        }
        // Both answers occur, so agreement is not trivial.
        assert!(
            inside > 0 && outside > 0,
            "{name}: {inside} in, {outside} out"
        );
    }
}

#[test]
fn plain_decimals_read_as_the_float_parser_reads_them() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut texts: Vec<String> = [
        "0",
        "-0",
        "0.0",
        "37.617635",
        "-122.4194155",
        "180",
        "90.000000000001",
        "1.5e3",
        ".5",
        "5.",
        "-",
        "",
        "1..2",
        "12a",
        "+1",
        "999999999999999",
        "9999999999999999",
        "0.000000000000001",
        "55.7558260000000",
        "-0.1",
        "1.00000000000000",
    ]
    .map(str::to_owned)
    .to_vec();
    for _ in 0..20_000 {
        let digits = 1 + (rng.unit() * 9.0) as usize;
        let x = (rng.unit() - 0.3) * 400.0;
        texts.push(format!("{x:.digits$}"));
        texts.push(format!("{}", x));
    }
    for t in &texts {
        if let Some(v) = plain_decimal(t) {
            assert_eq!(
                t.parse::<f64>().ok().map(f64::to_bits),
                Some(v.to_bits()),
                "{t}"
            );
        }
        for limit in [90.0, 180.0] {
            assert_eq!(
                stored_coordinate(t, limit).map(f64::to_bits),
                parse_coordinate(t, limit, String::new)
                    .ok()
                    .map(f64::to_bits),
                "{t}"
            );
        }
    }
}

#[test]
fn long_decimals_are_read_fast_and_rounded_as_the_float_parser_rounds_them() {
    // Jupiter writes coordinates with 16–17 significant digits (seed 004's own zone and
    // order examples); these must stay on the fast path and give `str::parse`'s exact bits.
    let mut texts: Vec<String> = [
        "37.514442634443014",
        "55.753211478836405",
        "37.52371234879848",
        "55.84410641903395",
        "37.75142603657669",
        "37.745595187258395",
        "9007199254740993",  // 2^53 + 1: a tie, to even
        "9007199254740995",  // 2^53 + 3
        "90071992547409.93", // the same digits, scaled
        "0.9007199254740993",
        "99999999999999999", // 17 nines
        "9.9999999999999999",
        "1.0000000000000001",
        "0.30000000000000004",
        "179.99999999999999",
        "-89.999999999999999",
        "12345678901234567.0",
        "0.0000000000000000001",
        "1844674407370955161", // 19 digits
    ]
    .map(str::to_owned)
    .to_vec();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut bits = || (rng.unit() * (1u64 << 53) as f64) as u64;
    for _ in 0..200_000 {
        // 16 or 17 digits, most mantissas above 2^53, the point anywhere.
        let digits = 16 + (bits() % 2) as usize;
        let m = bits() * 2048 + bits() % 2048;
        let m = m % 10u64.pow(digits as u32);
        let text = format!("{m:0digits$}");
        let dot = (bits() % digits as u64) as usize;
        let (whole, fraction) = text.split_at(dot.max(1));
        texts.push(format!("{whole}.{fraction}"));
        // Near the ties: a decimal just at, above and below a halfway point.
        let x = (bits() as f64) / (1u64 << 53) as f64 * 180.0;
        let next = f64::from_bits(x.to_bits() + 1);
        texts.push(format!("{:.17}", (x + next) / 2.0));
        texts.push(format!("{x:.17}"));
        texts.push(format!("{x}"));
    }
    for t in &texts {
        let fast = plain_decimal(t);
        let digits = t.bytes().filter(u8::is_ascii_digit).count();
        assert!(digits > 19 || fast.is_some(), "{t} left the fast path");
        if let Some(v) = fast {
            assert_eq!(
                t.parse::<f64>().ok().map(f64::to_bits),
                Some(v.to_bits()),
                "{t}"
            );
        }
    }
}

#[test]
fn a_stored_zone_contains_what_its_validated_polygon_contains() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let text = |ring: &[Point]| -> Vec<[String; 2]> {
        ring.iter()
            .map(|p| [format!("{:.6}", p.lon), format!("{:.6}", p.lat)])
            .collect()
    };
    let mut rings: Vec<(&str, Vec<[String; 2]>)> = vec![
        ("square", text(&pts(SQUARE))),
        (
            "closed square",
            text(&pts(&[SQUARE, &SQUARE[..1]].concat())),
        ),
        ("concave", text(&pts(CONCAVE))),
        (
            "repeated vertices",
            strings(&[
                ("0", "0"),
                ("0", "0"),
                ("4", "0"),
                ("4", "4"),
                ("4", "4"),
                ("0", "4"),
                ("0", "0"),
            ]),
        ),
        (
            "odd spellings",
            strings(&[("0.", "0"), ("4", "-0"), ("4.000", "4"), (".0", "4")]),
        ),
        ("star of 10", text(&star(10, 37.6, 55.7, 0.05, &mut rng))),
        (
            "star of 1,000",
            text(&star(1_000, 37.6, 55.7, 0.05, &mut rng)),
        ),
        ("star across 0", text(&star(300, 0.0, 0.0, 1.0, &mut rng))),
    ];
    // Refused by from_jupiter (not for self-intersection): never contain anything.
    rings.push((
        "two vertices",
        strings(&[("0", "0"), ("4", "4"), ("0", "0")]),
    ));
    rings.push((
        "a bad number",
        strings(&[("0", "0"), ("4", "x"), ("4", "4")]),
    ));
    rings.push((
        "out of range",
        strings(&[("0", "0"), ("181", "0"), ("4", "4")]),
    ));
    rings.push(("empty", Vec::new()));
    rings.push(("a sign", strings(&[("0", "0"), ("+4", "0"), ("4", "4")])));
    let mut compared = 0;
    for (name, coords) in &rings {
        let validated = Polygon::from_jupiter(coords, "c").ok();
        let probe_from = validated.clone().unwrap_or_else(|| {
            Polygon::parse(&pts(SQUARE), "c").unwrap_or_else(|v| panic!("{v:?}"))
        });
        for p in probes(&probe_from, &mut rng) {
            let want = validated.as_ref().is_some_and(|z| z.contains(p));
            assert_eq!(
                stored_zone_contains(coords, p),
                want,
                "{name} at ({}, {})",
                p.lon,
                p.lat
            );
            compared += 1;
        }
    }
    assert!(compared > 3_000);
}

#[test]
fn the_bounding_box_prefilter_decides_only_points_outside_the_box() {
    let Ok(square) = Polygon::parse(&pts(SQUARE), "c") else {
        panic!("square must be valid");
    };
    // (point, in the widened box, contained)
    let cases: &[((f64, f64), bool, bool, &str)] = &[
        ((2.0, 2.0), true, true, "inside the box and the polygon"),
        ((4.0, 4.0), true, true, "on the box's corner, a vertex"),
        (
            (4.0 + 1e-10, 2.0),
            true,
            false,
            "within the longitude margin",
        ),
        ((4.1, 2.0), false, false, "east of the box"),
        ((2.0, -0.1), false, false, "south of the box"),
        ((f64::NAN, 2.0), false, false, "not a number"),
    ];
    for ((lon, lat), in_box, contained, name) in cases {
        let p = Point {
            lon: *lon,
            lat: *lat,
        };
        assert_eq!(square.bbox().may_contain(p), *in_box, "{name}: box");
        assert_eq!(square.contains(p), *contained, "{name}: contains");
        assert_eq!(square.contains_by_scan(p), *contained, "{name}: scan");
    }
}

#[test]
fn the_zone_index_finds_exactly_the_zones_a_scan_finds() {
    let mut rng = Rng(0xdead_beef_cafe_f00d);
    // 7 × 7 overlapping zones of 3 to ~600 vertices over a city, and one far away.
    let mut zones = Vec::new();
    for k in 0..49 {
        let n = 3 + (k * 97) % 600;
        let (cx, cy) = (37.3 + 0.1 * (k % 7) as f64, 55.5 + 0.08 * (k / 7) as f64);
        let ring = star(n, cx, cy, 0.07, &mut rng);
        match Polygon::parse(&ring, "c") {
            Ok(p) => zones.push(p),
            Err(v) => panic!("zone {k}: {v:?}"),
        }
    }
    if let Ok(far) = Polygon::parse(&pts(SQUARE), "c") {
        zones.push(far);
    }
    let index = ZoneIndex::new(zones.clone());
    let mut probes_all = Vec::new();
    for z in &zones {
        probes_all.extend(probes(z, &mut rng).into_iter().step_by(5));
    }
    let (mut hits, mut misses, mut overlaps) = (0, 0, 0);
    for p in probes_all {
        let want: Vec<usize> = (0..zones.len())
            .filter(|&i| zones[i].contains_by_scan(p))
            .collect();
        let got: Vec<usize> = index.containing(p).collect();
        assert_eq!(got, want, "at ({}, {})", p.lon, p.lat);
        assert_eq!(index.first_containing(p), index.first_by_scan(p));
        match want.len() {
            0 => misses += 1,
            1 => hits += 1,
            _ => overlaps += 1,
        }
    }
    assert!(
        hits > 0 && misses > 0 && overlaps > 0,
        "{hits} {misses} {overlaps}"
    );

    let empty = ZoneIndex::new(Vec::new());
    assert_eq!(empty.first_containing(Point { lon: 0.0, lat: 0.0 }), None);
}

#[test]
fn the_sweep_finds_the_same_first_crossing_as_comparing_every_pair() {
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let mut rings: Vec<Vec<Point>> = Vec::new();
    for n in [3, 4, 5, 8, 20, 200] {
        // Simple rings (no crossing) and random ones (crossings almost surely).
        rings.push(star(n, 0.0, 0.0, 1.0, &mut rng));
        for _ in 0..20 {
            rings.push(
                (0..n)
                    .map(|_| Point {
                        lon: (rng.unit() * 8.0).round() / 2.0,
                        lat: (rng.unit() * 8.0).round() / 2.0,
                    })
                    .collect(),
            );
        }
    }
    let (mut simple, mut crossed) = (0, 0);
    for ring in &rings {
        let want = first_self_intersection_pairwise(ring);
        assert_eq!(first_self_intersection(ring), want, "{ring:?}");
        if want.is_some() {
            crossed += 1;
        } else {
            simple += 1;
        }
    }
    assert!(
        simple > 0 && crossed > 0,
        "{simple} simple, {crossed} crossed"
    );
}

/// A zone's stored box and cell (issue 21): every point in the box finds the zone's cell
/// among its own, a point outside the cell does not; a zone that does not read has no box.
#[test]
fn a_point_in_a_zone_box_finds_the_zone_cell() {
    let coords = strings(&[
        ("37.50", "55.75"),
        ("37.60", "55.75"),
        ("37.60", "55.85"),
        ("37.50", "55.85"),
    ]);
    let b = stored_zone_bbox(&coords).unwrap_or_else(|| panic!("no box"));
    assert_eq!(
        (b.min_lon, b.max_lon, b.min_lat, b.max_lat),
        (37.5, 37.6, 55.75, 55.85)
    );
    let cell = bbox_cell(&b);
    // 0.1° fits two level-12 cells (0.088° of longitude, 0.044° of latitude) only higher up.
    assert!(cell.starts_with("10/") || cell.starts_with("8/"), "{cell}");
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = || {
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        (seed.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    };
    for _ in 0..2000 {
        let p = Point {
            lon: 37.5 + 0.1 * next(),
            lat: 55.75 + 0.1 * next(),
        };
        let cells = point_cells(p);
        assert_eq!(cells.len(), POINT_CELLS);
        assert!(cells.contains(&cell), "{p:?}");
    }
    for corner in [(37.5, 55.75), (37.6, 55.85), (37.5, 55.85), (37.6, 55.75)] {
        let p = Point {
            lon: corner.0,
            lat: corner.1,
        };
        assert!(point_cells(p).contains(&cell), "{p:?}");
    }
    // Far away: not in the zone's cell (the order does not read it).
    assert!(!point_cells(Point {
        lon: 10.0,
        lat: 10.0
    })
    .contains(&cell));
    assert_eq!(stored_zone_bbox(&strings(&[("east", "55.75")])), None);
    // A box across the prime meridian is filed as finely as one beside it.
    let across = BBox {
        min_lon: -0.05,
        max_lon: 0.05,
        min_lat: 51.45,
        max_lat: 51.55,
    };
    let beside = BBox {
        min_lon: 1.0,
        max_lon: 1.1,
        min_lat: 51.45,
        max_lat: 51.55,
    };
    let level = |b: &BBox| bbox_cell(b).split('/').next().map(str::to_owned);
    assert_eq!(level(&across), level(&beside));
    assert!(point_cells(Point {
        lon: 0.01,
        lat: 51.5
    })
    .contains(&bbox_cell(&across)));
}
