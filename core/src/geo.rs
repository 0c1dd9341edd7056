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
//!   two adjacent edges fold back over each other. The check compares the pairs of edges
//!   whose longitude ranges overlap (a sweep; zones have up to thousands of vertices, and
//!   comparing every pair made loading 500 such zones take seconds).
//!
//! Lookups: [`Polygon::contains`] tests only the edges near the point's latitude (an
//! index built at validation), [`ZoneIndex`] only the zones whose bounding box is near the
//! point. Both give exactly the answers of testing everything (`contains_by_scan`,
//! `ZoneIndex::first_by_scan`), which the tests check.
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
/// Alongside it, built once at validation, an index that lets [`Polygon::contains`] look
/// at only the edges that can matter (see [`Bands`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Polygon {
    ring: Vec<Point>,
    bbox: BBox,
    bands: Bands,
}

/// How far outside its bounding box (in degrees of longitude, 1e-9° ≈ 0.1 mm) a point is
/// still given the full test. The crossing test computes the crossing's longitude with
/// rounding (an error of a few units in the last place, ~1e-13° here), so a point a hair
/// outside the box could, in principle, be classified differently by the plain scan; the
/// margin keeps the prefilter from ever deciding such a point by itself. Latitude needs
/// none: it is only compared, never computed.
const LON_MARGIN: f64 = 1e-9;

/// An axis-aligned bounding box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
}

impl BBox {
    fn of(points: &[Point]) -> BBox {
        let mut b = BBox {
            min_lon: f64::INFINITY,
            min_lat: f64::INFINITY,
            max_lon: f64::NEG_INFINITY,
            max_lat: f64::NEG_INFINITY,
        };
        for p in points {
            b.min_lon = b.min_lon.min(p.lon);
            b.min_lat = b.min_lat.min(p.lat);
            b.max_lon = b.max_lon.max(p.lon);
            b.max_lat = b.max_lat.max(p.lat);
        }
        b
    }

    /// Whether `p` may be in a polygon with this box: inside it, the longitude widened by
    /// [`LON_MARGIN`]. Written so that NaN is outside.
    fn may_contain(&self, p: Point) -> bool {
        p.lat >= self.min_lat
            && p.lat <= self.max_lat
            && p.lon >= self.min_lon - LON_MARGIN
            && p.lon <= self.max_lon + LON_MARGIN
    }
}

/// Horizontal bands over the polygon's latitude range, each listing the edges whose
/// latitude range (closed) overlaps it. Both tests of [`Polygon::contains`] only ever look
/// at edges whose latitude range contains the point's latitude (the on-edge test needs
/// the point inside the edge's box; the crossing test needs the edge to straddle the
/// point's latitude), and those are all in the point's band: the band of a latitude is
/// a monotone function of it, so `band(min) ≤ band(p) ≤ band(max)`. Skipping every other
/// edge therefore changes no answer, and a zone of 1,000 vertices is tested with a handful
/// of edges instead of 1,000. Stored compactly: band `b` holds
/// `edges[start[b]..start[b + 1]]`.
#[derive(Debug, Clone, PartialEq)]
struct Bands {
    lo: f64,
    scale: f64,
    count: usize,
    edges: Buckets,
}

/// Numbers (edge or zone positions) sorted into buckets, stored compactly: bucket `b`
/// holds `items[start[b]..start[b + 1]]`. The one layout of [`Bands`] and [`ZoneIndex`].
#[derive(Debug, Clone, PartialEq)]
struct Buckets {
    start: Vec<u32>,
    items: Vec<u32>,
}

impl Buckets {
    /// `count` buckets holding items `0..n`, item `i` in each bucket `spans(i)` yields (in
    /// ascending item order within a bucket). A bucket past `count` is ignored.
    fn new<I: Iterator<Item = usize>>(
        count: usize,
        n: usize,
        spans: impl Fn(usize) -> I,
    ) -> Buckets {
        let mut start = vec![0u32; count + 1];
        for i in 0..n {
            for b in spans(i) {
                if let Some(next) = start.get_mut(b + 1) {
                    *next += 1;
                }
            }
        }
        let mut total = 0;
        for s in start.iter_mut() {
            total += *s;
            *s = total;
        }
        let mut fill = start.clone();
        let mut items = vec![0u32; total as usize];
        for i in 0..n {
            for b in spans(i) {
                if let Some(slot) = fill.get_mut(b) {
                    if let Some(item) = items.get_mut(*slot as usize) {
                        *item = i as u32;
                    }
                    *slot += 1;
                }
            }
        }
        Buckets { start, items }
    }

    /// The items of bucket `b` (none past the last).
    fn bucket(&self, b: usize) -> &[u32] {
        match (self.start.get(b), self.start.get(b + 1)) {
            (Some(&from), Some(&to)) => self.items.get(from as usize..to as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

impl Bands {
    /// Bands for a closed ring (edge `i` runs from `ring[i]` to `ring[i + 1]`): about one
    /// band per two edges, so a band holds a few edges on average.
    fn new(ring: &[Point], bbox: &BBox) -> Bands {
        let n = ring.len().saturating_sub(1);
        let count = (n / 2).clamp(1, 4096);
        let height = bbox.max_lat - bbox.min_lat;
        let scale = if height > 0.0 {
            count as f64 / height
        } else {
            0.0
        };
        let mut bands = Bands {
            lo: bbox.min_lat,
            scale,
            count,
            edges: Buckets::new(0, 0, |_| 0..0),
        };
        let placed = &bands;
        let span = |i: usize| match (ring.get(i), ring.get(i + 1)) {
            (Some(a), Some(c)) => {
                placed.band_of(a.lat.min(c.lat))..=placed.band_of(a.lat.max(c.lat))
            }
            _ => std::ops::RangeInclusive::new(1, 0), // no such edge: no band
        };
        bands.edges = Buckets::new(count, n, span);
        bands
    }

    /// The band of a latitude: monotone (rounding and `floor` are), clamped to the bands;
    /// NaN lands in band 0.
    fn band_of(&self, lat: f64) -> usize {
        let b = ((lat - self.lo) * self.scale).floor();
        if b >= 1.0 {
            (b as usize).min(self.count - 1)
        } else {
            0
        }
    }

    fn edges_at(&self, lat: f64) -> &[u32] {
        self.edges.bucket(self.band_of(lat))
    }
}

impl Polygon {
    /// Validates Jupiter's `[["lon", "lat"], …]` coordinates. `field` is the path of the
    /// `coordinates` array, e.g. `zones[0].coordinates`.
    pub fn from_jupiter(coords: &[[String; 2]], field: &str) -> Result<Polygon, Vec<Violation>> {
        let mut violations = Vec::new();
        let mut points = Vec::with_capacity(coords.len());
        for (i, [lon, lat]) in coords.iter().enumerate() {
            // The path is built only for a violation: zones have up to thousands of
            // vertices, and two strings per vertex were most of the cost of loading them.
            let lon = parse_coordinate(lon, 180.0, || format!("{field}[{i}][0]"));
            let lat = parse_coordinate(lat, 90.0, || format!("{field}[{i}][1]"));
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
        Polygon::ring_of(points, true, field)
    }

    /// A **stored** zone's polygon, ready for [`Polygon::contains`], built once per zone
    /// version (the isolate keeps it: `crate::zone_memo`): the coordinates read as
    /// [`stored_zone_contains`] reads them, `None` where that function answers `false` for
    /// every point (a coordinate not a number or out of range, fewer than 3 distinct
    /// vertices). The self-intersection check is not repeated (zones are validated when
    /// written), so for every point `contains` gives exactly `stored_zone_contains`'s answer.
    pub fn from_stored(coords: &[[String; 2]]) -> Option<Polygon> {
        let mut points = Vec::with_capacity(coords.len() + 1);
        for [lon, lat] in coords {
            points.push(Point {
                lon: stored_coordinate(lon, 180.0)?,
                lat: stored_coordinate(lat, 90.0)?,
            });
        }
        Polygon::ring_of(&points, false, "").ok()
    }

    /// The ring of in-range `points`: consecutive duplicates dropped, at least 3 distinct
    /// vertices, simple when `check_simple`; closed, boxed and banded.
    fn ring_of(points: &[Point], check_simple: bool, field: &str) -> Result<Polygon, Violation> {
        let bad = |code: &str, message: &str| Violation::new(code, Some(field), message);
        let mut ring: Vec<Point> = Vec::with_capacity(points.len() + 1);
        for p in points {
            if ring.last() != Some(p) {
                ring.push(*p);
            }
        }
        if ring.len() > 1 && ring.first() == ring.last() {
            ring.pop();
        }
        // Only "fewer than 3" matters, so stop at 3 (a full count is quadratic).
        let mut distinct: Vec<Point> = Vec::new();
        for p in &ring {
            if distinct.len() == 3 {
                break;
            }
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
        if let Some((i, j)) = check_simple
            .then(|| first_self_intersection(&ring))
            .flatten()
        {
            return Err(bad(
                "self_intersecting",
                &format!("edges {i} and {j} of the polygon touch or cross"),
            ));
        }
        if let Some(first) = ring.first().copied() {
            ring.push(first);
        }
        let bbox = BBox::of(&ring);
        let bands = Bands::new(&ring, &bbox);
        Ok(Polygon { ring, bbox, bands })
    }

    /// The closed ring: the first vertex is repeated at the end.
    pub fn vertices(&self) -> &[Point] {
        &self.ring
    }

    /// The polygon's bounding box.
    pub fn bbox(&self) -> BBox {
        self.bbox
    }

    /// Whether `p` lies inside the polygon or on its boundary (edges and vertices count as
    /// inside, so an address exactly on a zone border is served). The same answer as
    /// [`Polygon::contains_by_scan`], from the edges of `p`'s band only, and none at all
    /// when `p` is outside the bounding box.
    pub fn contains(&self, p: Point) -> bool {
        if !self.bbox.may_contain(p) {
            return false;
        }
        let ring = &self.ring;
        let edges = self.bands.edges_at(p.lat).iter().filter_map(|&i| {
            let i = i as usize;
            Some((*ring.get(i)?, *ring.get(i + 1)?))
        });
        if edges.clone().any(|(a, b)| on_segment(a, b, p)) {
            return true;
        }
        let mut inside = false;
        for (a, b) in edges {
            if crosses_right(a, b, p) {
                inside = !inside;
            }
        }
        inside
    }

    /// The plain test over every edge: the reference [`Polygon::contains`] must agree with
    /// (the tests and `make bench` compare them).
    pub fn contains_by_scan(&self, p: Point) -> bool {
        let edges = self
            .ring
            .iter()
            .copied()
            .zip(self.ring.iter().copied().skip(1));
        if edges.clone().any(|(a, b)| on_segment(a, b, p)) {
            return true;
        }
        // Crossing number: count edges that cross the horizontal ray to the right of p.
        let mut inside = false;
        for (a, b) in edges {
            if crosses_right(a, b, p) {
                inside = !inside;
            }
        }
        inside
    }
}

/// Whether edge a–b crosses the horizontal ray to the right of `p` (the crossing-number
/// test; one function, so the banded and the plain test compute exactly the same thing).
fn crosses_right(a: Point, b: Point, p: Point) -> bool {
    if (a.lat > p.lat) != (b.lat > p.lat) {
        let x = a.lon + (p.lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat);
        p.lon < x
    } else {
        false
    }
}

/// Which of many zones contain a point, without testing every zone: a uniform grid over
/// the zones' bounding boxes lists, per cell, the zones whose (margin-widened) box overlaps
/// the cell, in zone order. A zone that contains `p` has `p` in its box, and the cell of a
/// coordinate is monotone in it, so the zone is listed in `p`'s cell: the answers are
/// exactly those of testing every zone in order ([`ZoneIndex::first_by_scan`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneIndex {
    zones: Vec<Polygon>,
    grid: Grid,
    cells: Buckets,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Grid {
    lo: Point,
    scale: Point,
    side: usize,
}

impl Grid {
    /// The cell of a coordinate along one axis: monotone, clamped, NaN in cell 0.
    fn axis(&self, v: f64, lo: f64, scale: f64) -> usize {
        let c = ((v - lo) * scale).floor();
        if c >= 1.0 {
            (c as usize).min(self.side - 1)
        } else {
            0
        }
    }
    fn cell_x(&self, lon: f64) -> usize {
        self.axis(lon, self.lo.lon, self.scale.lon)
    }
    fn cell_y(&self, lat: f64) -> usize {
        self.axis(lat, self.lo.lat, self.scale.lat)
    }
}

impl ZoneIndex {
    /// Indexes validated zones (in the order given; answers are positions in it). About
    /// one cell per zone, at most 64 × 64.
    pub fn new(zones: Vec<Polygon>) -> ZoneIndex {
        let side = ((zones.len() as f64).sqrt().ceil() as usize).clamp(1, 64);
        let mut all = BBox::of(&[]);
        for z in &zones {
            all.min_lon = all.min_lon.min(z.bbox.min_lon - LON_MARGIN);
            all.max_lon = all.max_lon.max(z.bbox.max_lon + LON_MARGIN);
            all.min_lat = all.min_lat.min(z.bbox.min_lat);
            all.max_lat = all.max_lat.max(z.bbox.max_lat);
        }
        let per = |lo: f64, hi: f64| {
            if hi > lo {
                side as f64 / (hi - lo)
            } else {
                0.0
            }
        };
        let grid = Grid {
            lo: Point {
                lon: all.min_lon,
                lat: all.min_lat,
            },
            scale: Point {
                lon: per(all.min_lon, all.max_lon),
                lat: per(all.min_lat, all.max_lat),
            },
            side,
        };
        let span = |b: &BBox| {
            (
                grid.cell_x(b.min_lon - LON_MARGIN)..=grid.cell_x(b.max_lon + LON_MARGIN),
                grid.cell_y(b.min_lat)..=grid.cell_y(b.max_lat),
            )
        };
        let cells_of = |i: usize| {
            let none = || std::ops::RangeInclusive::new(1, 0);
            let (xs, ys) = zones.get(i).map_or((none(), none()), |z| span(&z.bbox));
            ys.flat_map(move |y| xs.clone().map(move |x| y * side + x))
        };
        let cells = Buckets::new(side * side, zones.len(), cells_of);
        ZoneIndex { zones, grid, cells }
    }

    /// The indexed zones, in the order given.
    pub fn zones(&self) -> &[Polygon] {
        &self.zones
    }

    /// The positions of every zone containing `p`, ascending.
    pub fn containing(&self, p: Point) -> impl Iterator<Item = usize> + '_ {
        let c = self.grid.cell_y(p.lat) * self.grid.side + self.grid.cell_x(p.lon);
        self.cells
            .bucket(c)
            .iter()
            .map(|&i| i as usize)
            .filter(move |&i| self.zones.get(i).is_some_and(|z| z.contains(p)))
    }

    /// The first zone (in the order given) containing `p`.
    pub fn first_containing(&self, p: Point) -> Option<usize> {
        self.containing(p).next()
    }

    /// The same answer by testing every zone in order with the plain scan: the reference.
    pub fn first_by_scan(&self, p: Point) -> Option<usize> {
        self.zones.iter().position(|z| z.contains_by_scan(p))
    }
}

/// Whether a **stored** zone's `coordinates` contain `p`: for every ring that
/// [`Polygon::from_jupiter`] accepts, exactly `Polygon::from_jupiter(coords, _)?.contains(p)`
/// (and `false` for coordinates it refuses as not numbers, out of range or fewer than 3
/// distinct vertices), computed from the text without building the polygon: the
/// latitudes first (a point outside their range is outside), then one pass over the
/// vertices.
///
/// For routing an order by coordinates, which meets every zone of a concept once per
/// order: zones are validated by `from_jupiter` when they are written
/// ([`crate::jupiter::validate_delivery_zones`]), and re-validating each one per order (the
/// self-intersection sweep, the band index, the allocations) cost 52 ms among 500 zones.
/// Only the self-intersection check is not repeated here; the answer is the plain
/// crossing-number scan of [`Polygon::contains_by_scan`], which `contains` equals. Repeated
/// consecutive vertices and an explicit closing vertex make zero-length edges, which change
/// neither test (such an edge touches `p` only where a real edge ends).
pub fn stored_zone_contains(coords: &[[String; 2]], p: Point) -> bool {
    // Latitudes first: a point outside the ring's latitude range is in none of its edges'
    // ranges, so both tests below are false (and so is the answer for a refused ring);
    // most zones of a city are decided here, reading half the numbers.
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut lats = Vec::with_capacity(coords.len());
    for [_, lat] in coords {
        let Some(lat) = stored_coordinate(lat, 90.0) else {
            return false;
        };
        lo = lo.min(lat);
        hi = hi.max(lat);
        lats.push(lat);
    }
    if !(p.lat >= lo && p.lat <= hi) {
        return false;
    }
    let mut first: Option<Point> = None;
    let mut prev: Option<Point> = None;
    let mut distinct: [Option<Point>; 3] = [None; 3];
    let mut on_edge = false;
    let mut inside = false;
    for ([lon, _], &lat) in coords.iter().zip(&lats) {
        let Some(lon) = stored_coordinate(lon, 180.0) else {
            return false;
        };
        let q = Point { lon, lat };
        if let Some(a) = prev {
            on_edge = on_edge || on_segment(a, q, p);
            if crosses_right(a, q, p) {
                inside = !inside;
            }
        } else {
            first = Some(q);
        }
        prev = Some(q);
        if !distinct.contains(&Some(q)) {
            if let Some(free) = distinct.iter_mut().find(|d| d.is_none()) {
                *free = Some(q);
            }
        }
    }
    let (Some(a), Some(b)) = (prev, first) else {
        return false;
    };
    on_edge = on_edge || on_segment(a, b, p);
    if crosses_right(a, b, p) {
        inside = !inside;
    }
    distinct[2].is_some() && (on_edge || inside)
}

/// A coordinate of a stored zone, as [`parse_coordinate`] reads it (`None` where it
/// refuses), the common plain decimal (`37.617635`) without the general float parser.
fn stored_coordinate(text: &str, limit: f64) -> Option<f64> {
    plain_decimal(text)
        .filter(|v| v.abs() <= limit)
        .or_else(|| parse_coordinate(text, limit, String::new).ok())
}

/// `-?digits(.digits)?` with at most 19 digits in all, as the nearest `f64`: the value
/// `str::parse` gives, without the general float parser. Up to 15 digits the integer of the
/// digits is below 2^53 and exact as an `f64`, and so is the power of ten up to 10^15, and
/// one IEEE division of exact operands is correctly rounded (Clinger's fast path). Longer
/// decimals (Jupiter writes coordinates with 16–17 significant digits, as its own
/// `"37.514442634443014"`) are rounded by exact integer arithmetic ([`nearest_quotient`]).
/// `None` for anything else.
fn plain_decimal(text: &str) -> Option<f64> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (negative, body) = match text.as_bytes().split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text.as_bytes()),
    };
    let dot = body.iter().position(|&c| c == b'.');
    let (whole, fraction) = match dot.and_then(|dot| body.split_at_checked(dot)) {
        Some((whole, dot_and_fraction)) => (whole, dot_and_fraction.get(1..)),
        None => (body, None),
    };
    let fraction = fraction.unwrap_or_default();
    let digits = whole.len() + fraction.len();
    if whole.is_empty() || (fraction.is_empty() && whole.len() != body.len()) || digits > 19 {
        return None;
    }
    let mut m: u64 = 0;
    for &c in whole.iter().chain(fraction) {
        if !c.is_ascii_digit() {
            return None;
        }
        m = m * 10 + u64::from(c - b'0');
    }
    let v = if m < 1 << 53 && fraction.len() <= 15 {
        m as f64 / POW10.get(fraction.len())?
    } else {
        nearest_quotient(m, fraction.len() as u32)?
    };
    Some(if negative { -v } else { v })
}

/// A decimal as `str::parse::<f64>` reads it, the plain ones (`-?digits(.digits)?`, up to
/// 19 digits: every coordinate Jupiter writes) without the general float parser.
pub fn decimal(text: &str) -> Option<f64> {
    plain_decimal(text).or_else(|| text.parse().ok())
}

/// The `f64` nearest to `m / 10^k` (ties to even), for `k` ≤ 19: exact integer arithmetic.
/// The quotient is taken to 55 significant bits, `q = ⌊m·2^s / 10^k⌋` in [2^54, 2^55); its
/// top 53 bits are the significand, the next bit decides the rounding and the last bit and
/// the remainder say whether the rest is more than nothing. Every value here is far from
/// the subnormal range (`m / 10^k` ≥ 10^-19 or 0) and below 2^64, so the significand times
/// a power of two is exact.
fn nearest_quotient(m: u64, k: u32) -> Option<f64> {
    if m == 0 {
        return Some(0.0);
    }
    let d = 10u64.checked_pow(k)?;
    // The binary length of m·2^s / d is about len(m) + s − len(d); start just below 55 bits
    // and adjust by one.
    let len = |x: u64| 64 - x.leading_zeros() as i32;
    let mut s = 55 - len(m) + len(d) - 1;
    let quotient = |s: i32| -> Option<(u128, u128)> {
        let n = if s >= 0 {
            u128::from(m).checked_shl(s as u32)?
        } else {
            u128::from(m) >> (-s) as u32
        };
        Some((n / u128::from(d), n % u128::from(d)))
    };
    let (mut q, mut r) = quotient(s)?;
    if q < 1 << 54 {
        s += 1;
        (q, r) = quotient(s)?;
    }
    // A negative shift drops bits of m; they count as remainder.
    let dropped = s < 0 && m & ((1u64 << (-s).min(63)) - 1) != 0;
    if !(1 << 54..1 << 55).contains(&q) {
        return None;
    }
    let mut significand = (q >> 2) as u64;
    let half = q & 2 != 0;
    let rest = q & 1 != 0 || r != 0 || dropped;
    if half && (rest || significand & 1 == 1) {
        significand += 1;
    }
    // value = significand · 2^(2 − s); a carry to 2^53 is still exact.
    let exponent = 2 - s;
    let scale = f64::from_bits(u64::try_from(1023 + exponent).ok()? << 52);
    Some(significand as f64 * scale)
}

fn parse_coordinate(text: &str, limit: f64, field: impl Fn() -> String) -> Result<f64, Violation> {
    let numeric = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
    match text.parse::<f64>() {
        Ok(v) if numeric && v.is_finite() && v.abs() <= limit => Ok(v),
        Ok(v) if numeric && v.is_finite() => Err(Violation::new(
            "coordinate_out_of_range",
            Some(&field()),
            format!("{v} is outside ±{limit}"),
        )),
        _ => Err(Violation::new(
            "invalid_coordinate",
            Some(&field()),
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

/// Whether edges `i < j` of the open ring (edge `i` runs from vertex `i` to vertex `i + 1`,
/// wrapping) make it not simple.
fn edges_conflict(ring: &[Point], i: usize, j: usize) -> bool {
    let n = ring.len();
    let (Some((a, b)), Some((c, d))) = (open_edge(ring, i), open_edge(ring, j)) else {
        return false;
    };
    let adjacent = j == i + 1 || (i == 0 && j == n - 1);
    if adjacent {
        // They share one vertex; they are wrong only if they fold back onto each
        // other (collinear and pointing in opposite directions at the shared vertex).
        let (from, shared, to) = if j == i + 1 { (a, b, d) } else { (c, a, b) };
        let dot = (shared.lon - from.lon) * (to.lon - shared.lon)
            + (shared.lat - from.lat) * (to.lat - shared.lat);
        orient(from, shared, to) == 0.0 && dot < 0.0
    } else {
        segments_touch(a, b, c, d)
    }
}

/// Edge `i` of an open ring: from vertex `i` to vertex `i + 1`, the last back to the first.
fn open_edge(ring: &[Point], i: usize) -> Option<(Point, Point)> {
    let next = if i + 1 == ring.len() { 0 } else { i + 1 };
    Some((*ring.get(i)?, *ring.get(next)?))
}

/// The first pair of edges (by index, `(i, j)` with `i < j` in lexicographic order) that
/// makes the open ring not simple: the same pair as comparing every pair in order
/// ([`first_self_intersection_pairwise`], kept for the tests), found by a sweep. Two edges
/// can only conflict if their longitude ranges overlap (a shared point lies in both), so
/// edges are visited by their west end and compared only with the edges whose east end
/// has not been passed yet; of the conflicting pairs found, the smallest is returned. A
/// zone of 1,000 vertices then costs a few thousand comparisons instead of 500,000.
fn first_self_intersection(ring: &[Point]) -> Option<(usize, usize)> {
    let n = ring.len();
    // Each edge's box, [west, east, south, north], computed once: the sweep reads them
    // many times, and recomputing them (with a modulo for the wrapping edge) was most of
    // its cost.
    let mut order: Vec<(usize, [f64; 4])> = (0..n)
        .filter_map(|i| {
            let (a, b) = open_edge(ring, i)?;
            let bounds = [
                a.lon.min(b.lon),
                a.lon.max(b.lon),
                a.lat.min(b.lat),
                a.lat.max(b.lat),
            ];
            Some((i, bounds))
        })
        .collect();
    order.sort_unstable_by(|(i, bi), (j, bj)| bi[0].total_cmp(&bj[0]).then(i.cmp(j)));
    let mut best: Option<(usize, usize)> = None;
    let mut open: Vec<(usize, [f64; 4])> = Vec::new();
    for &(j, bj) in &order {
        open.retain(|(_, bi)| bi[1] >= bj[0]);
        for &(i, bi) in &open {
            // Latitude ranges must overlap too; a cheap reject before the exact test.
            if bi[3] < bj[2] || bj[3] < bi[2] {
                continue;
            }
            let pair = (i.min(j), i.max(j));
            if best.is_some_and(|b| b <= pair) {
                continue;
            }
            if edges_conflict(ring, pair.0, pair.1) {
                best = Some(pair);
            }
        }
        open.push((j, bj));
    }
    best
}

/// Every pair in order: the plain O(n²) check the sweep must agree with.
#[cfg(test)]
fn first_self_intersection_pairwise(ring: &[Point]) -> Option<(usize, usize)> {
    let n = ring.len();
    (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .find(|&(i, j)| edges_conflict(ring, i, j))
}

/// The box of a stored zone's coordinates (validated when written), read as
/// [`stored_zone_contains`] reads them; `None` when a coordinate does not read (such a zone
/// contains no point). The edge stores it with the zone so an order reads only the zones
/// whose box holds its point.
pub fn stored_zone_bbox(coords: &[[String; 2]]) -> Option<BBox> {
    let mut points = Vec::with_capacity(coords.len());
    for [lon, lat] in coords {
        points.push(Point {
            lon: stored_coordinate(lon, 180.0)?,
            lat: stored_coordinate(lat, 90.0)?,
        });
    }
    (!points.is_empty()).then(|| BBox::of(&points))
}

/// The finest level of the zone cell grid: a quadtree over the globe, level `n` splitting
/// it into 2^n × 2^n cells (level 16: about 0.0055° × 0.0027°, some 600 m × 300 m at the
/// equator). Zones are filed at the even levels 0, 2, …, 16 only (each 4 × 4 times finer
/// than the one above), so a point looks in few cells.
pub const CELL_LEVELS: u32 = 16;

/// The level-[`CELL_LEVELS`] cell of a point as (x, y): the scaled coordinates, clamped.
/// Monotone in each coordinate (IEEE addition, division and multiplication by positive
/// constants are), so a point inside a box lies between its corners' cells.
fn cell_xy(p: Point) -> (u32, u32) {
    let side = f64::from(1u32 << CELL_LEVELS);
    let scale = |v: f64, half: f64| -> u32 {
        let scaled = ((v + half) / (2.0 * half) * side).floor();
        // NaN and out-of-range values clamp (`as` saturates; NaN is 0).
        (scaled.max(0.0) as u32).min((1u32 << CELL_LEVELS) - 1)
    };
    (scale(p.lon, 180.0), scale(p.lat, 90.0))
}

fn cell_key(level: u32, x: u32, y: u32) -> String {
    format!("{level}/{x}/{y}")
}

/// The cell a zone with this box is filed under (`level/x/y`): at the finest even level
/// where the box spans at most two cells each way, the cell of its south-west corner. A
/// point in the box is then in that cell or the one east, north or north-east of it, which
/// [`point_cells`] lists; and a cell holds only zones about its size or smaller (a larger
/// one is filed higher), so the zones one order reads do not grow with the chain.
pub fn bbox_cell(b: &BBox) -> String {
    let (x0, y0) = cell_xy(Point {
        lon: b.min_lon,
        lat: b.min_lat,
    });
    let (x1, y1) = cell_xy(Point {
        lon: b.max_lon,
        lat: b.max_lat,
    });
    let level = (0..=CELL_LEVELS / 2)
        .rev()
        .map(|half| half * 2)
        .find(|&level| {
            let shift = CELL_LEVELS - level;
            (x1 >> shift) - (x0 >> shift) <= 1 && (y1 >> shift) - (y0 >> shift) <= 1
        })
        .unwrap_or(0);
    let shift = CELL_LEVELS - level;
    cell_key(level, x0 >> shift, y0 >> shift)
}

/// Every cell a zone containing `p` can be filed under ([`bbox_cell`]): at each even level,
/// the point's cell and the ones west, south and south-west of it. Always
/// [`POINT_CELLS`] keys (repeated where the grid ends), so the query has one shape.
pub fn point_cells(p: Point) -> Vec<String> {
    let (x, y) = cell_xy(p);
    let mut cells = Vec::with_capacity(POINT_CELLS);
    for half in 0..=CELL_LEVELS / 2 {
        let level = half * 2;
        let shift = CELL_LEVELS - level;
        let (cx, cy) = (x >> shift, y >> shift);
        for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            cells.push(cell_key(
                level,
                cx.saturating_sub(dx),
                cy.saturating_sub(dy),
            ));
        }
    }
    cells
}

/// How many cells [`point_cells`] lists: 4 at each of the 9 even levels.
pub const POINT_CELLS: usize = 4 * (CELL_LEVELS as usize / 2 + 1);

#[cfg(test)]
mod tests;
