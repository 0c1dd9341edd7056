//! Criterion benchmarks of core's hot paths (issue 8), run by `make bench`.
//!
//! Workloads come from `ORDERBRIDGE_WORKLOADS` (a directory of the issue-8 files, which
//! `make bench` fills with the generated ones unless given `WORKLOADS=<dir>`), or are
//! generated in memory when it is unset. Each workload is timed as `parse` (serde straight
//! into the typed wire structs: the floor) and as the full path, so BENCHMARKS.md can give
//! validation as a ratio to parsing.

// Criterion is a native-only dev-dependency: on wasm32 this target is an empty program.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
#[allow(dead_code)] // the shared module also serves the wasm driver and the file writer
#[path = "common/mod.rs"]
mod common;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::collections::BTreeMap;
    use std::hint::black_box;
    use std::time::Duration;

    use criterion::{BenchmarkId, Criterion, Throughput};
    use orderbridge_core::geo::Point;

    use super::common::*;

    /// The workload files by name: read from the directory, or generated.
    fn files() -> BTreeMap<String, Vec<u8>> {
        match std::env::var_os("ORDERBRIDGE_WORKLOADS") {
            Some(dir) => std::fs::read_dir(&dir)
                .expect("ORDERBRIDGE_WORKLOADS is a readable directory")
                .filter_map(Result::ok)
                .filter_map(|e| {
                    let name = e.file_name().into_string().ok()?;
                    let bytes = std::fs::read(e.path()).ok()?;
                    Some((name, bytes))
                })
                .collect(),
            None => all_files().into_iter().collect(),
        }
    }

    /// The sizes present for a prefix (`menu-` → 50, 500, 5000), ascending.
    fn sizes(files: &BTreeMap<String, Vec<u8>>, prefix: &str) -> Vec<usize> {
        let mut n: Vec<usize> = files
            .keys()
            .filter_map(|k| k.strip_prefix(prefix)?.strip_suffix(".json")?.parse().ok())
            .collect();
        n.sort_unstable();
        n
    }

    pub fn orders(c: &mut Criterion, files: &BTreeMap<String, Vec<u8>>) {
        let (Some(catalog), Some(meta)) = (
            files.get(&format!("catalog-{CATALOG_ITEMS}.json")),
            files.get("meta.json"),
        ) else {
            eprintln!("no catalog-{CATALOG_ITEMS}.json or meta.json: order benchmarks skipped");
            return;
        };
        let world = order_world(catalog, meta);
        let mut g = c.benchmark_group("order");
        for n in sizes(files, "order-") {
            let bytes = &files[&format!("order-{n}.json")];
            g.throughput(Throughput::Bytes(bytes.len() as u64));
            g.bench_with_input(BenchmarkId::new("parse", n), bytes, |b, bytes| {
                b.iter(|| order_parse(black_box(bytes)))
            });
            g.bench_with_input(BenchmarkId::new("parse+validate", n), bytes, |b, bytes| {
                b.iter(|| order_validate(black_box(bytes), &world))
            });
        }
        g.finish();
        // Issue 21: the coordinate-routed order as the Worker runs it with its zones warm.
        if let (Some(order), Some(zones)) = (
            files.get(&format!("order-coords-{COORDS_LINES}.json")),
            files.get(&format!("zones-{COORDS_ZONES}.json")),
        ) {
            let mut coords = coords_world(catalog, meta, zones);
            let mut g = c.benchmark_group("order-coords");
            g.throughput(Throughput::Bytes(order.len() as u64));
            g.bench_with_input(BenchmarkId::new("parse", COORDS_LINES), order, |b, o| {
                b.iter(|| order_parse(black_box(o)))
            });
            g.bench_with_input(
                BenchmarkId::new("parse+route+validate", COORDS_LINES),
                order,
                |b, o| b.iter(|| coords_order_warm(black_box(o), &mut coords)),
            );
            g.finish();
        }
        // Routing by coordinates, among 1, 50 and 500 zones: validation re-validates every
        // zone's polygon per order (see BENCHMARKS.md); always generated.
        let mut g = c.benchmark_group("order-by-coords");
        g.sample_size(10).measurement_time(Duration::from_secs(3));
        for zones in ZONE_COUNTS {
            let (catalog, meta, order) = order_by_coords(zones);
            let world = order_world(&catalog, &meta);
            g.bench_with_input(
                BenchmarkId::new("parse+validate/20", zones),
                &order,
                |b, o| b.iter(|| order_validate(black_box(o), &world)),
            );
        }
        g.finish();
    }

    pub fn translations(c: &mut Criterion, files: &BTreeMap<String, Vec<u8>>) {
        let mut g = c.benchmark_group("jet-order");
        for n in sizes(files, "jet-order-") {
            let bytes = &files[&format!("jet-order-{n}.json")];
            g.throughput(Throughput::Bytes(bytes.len() as u64));
            g.bench_with_input(BenchmarkId::new("parse", n), bytes, |b, bytes| {
                b.iter(|| jet_order_parse(black_box(bytes)))
            });
            g.bench_with_input(
                BenchmarkId::new("parse+check+translate", n),
                bytes,
                |b, bytes| b.iter(|| jet_order_translate(black_box(bytes))),
            );
        }
        g.finish();
        let restaurant = demo_restaurant();
        let mut g = c.benchmark_group("connect-order");
        for n in sizes(files, "connect-order-") {
            let bytes = &files[&format!("connect-order-{n}.json")];
            g.throughput(Throughput::Bytes(bytes.len() as u64));
            g.bench_with_input(BenchmarkId::new("parse", n), bytes, |b, bytes| {
                b.iter(|| connect_order_parse(black_box(bytes)))
            });
            g.bench_with_input(
                BenchmarkId::new("parse+check+translate", n),
                bytes,
                |b, bytes| b.iter(|| connect_order_translate(black_box(bytes), &restaurant)),
            );
        }
        g.finish();
    }

    pub fn menus(c: &mut Criterion, files: &BTreeMap<String, Vec<u8>>) {
        let mut g = c.benchmark_group("menu");
        for n in sizes(files, "menu-") {
            let bytes = &files[&format!("menu-{n}.json")];
            g.throughput(Throughput::Bytes(bytes.len() as u64));
            if n >= 5_000 {
                g.sample_size(20).measurement_time(Duration::from_secs(4));
            }
            g.bench_with_input(BenchmarkId::new("parse", n), bytes, |b, bytes| {
                b.iter(|| menu_parse(black_box(bytes)))
            });
            g.bench_with_input(
                BenchmarkId::new("parse+validate+convert", n),
                bytes,
                |b, bytes| b.iter(|| menu_ingest(black_box(bytes))),
            );
            g.bench_with_input(BenchmarkId::new("whole-request", n), bytes, |b, bytes| {
                b.iter(|| menu_ingest_stored(black_box(bytes)))
            });
        }
        g.finish();
    }

    pub fn zones(c: &mut Criterion, files: &BTreeMap<String, Vec<u8>>) {
        let mut g = c.benchmark_group("zones");
        g.sample_size(20).measurement_time(Duration::from_secs(3));
        for n in sizes(files, "zones-") {
            let bytes = &files[&format!("zones-{n}.json")];
            let Some(points) = files.get(&format!("points-{n}.json")) else {
                continue;
            };
            let points: PointsFile = serde_json::from_slice(points).expect("points parse");
            let doc = zones_parse(bytes);
            let ids: Vec<String> = doc.zones.iter().map(|z| z.id.clone()).collect();
            let index = zones_load(bytes);
            let wrong = resolve_all(&index, &ids, &points);
            assert_eq!(wrong, 0, "zones-{n}: answers differ from points-{n}.json");
            g.throughput(Throughput::Bytes(bytes.len() as u64));
            g.bench_with_input(BenchmarkId::new("parse", n), bytes, |b, bytes| {
                b.iter(|| zones_parse(black_box(bytes)))
            });
            g.bench_with_input(
                BenchmarkId::new("parse+validate+index", n),
                bytes,
                |b, bytes| b.iter(|| zones_load(black_box(bytes))),
            );
            // Per point: the throughput is one element per resolved point.
            g.throughput(Throughput::Elements(points.points.len() as u64));
            g.bench_function(BenchmarkId::new("resolve-indexed", n), |b| {
                b.iter(|| {
                    points
                        .points
                        .iter()
                        .filter_map(|&[lon, lat]| {
                            index.first_containing(black_box(Point { lon, lat }))
                        })
                        .count()
                })
            });
            g.bench_function(BenchmarkId::new("resolve-scan", n), |b| {
                b.iter(|| {
                    points
                        .points
                        .iter()
                        .filter_map(|&[lon, lat]| {
                            index.first_by_scan(black_box(Point { lon, lat }))
                        })
                        .count()
                })
            });
        }
        g.finish();
    }

    pub fn main() {
        let files = files();
        let mut c = Criterion::default().configure_from_args();
        orders(&mut c, &files);
        translations(&mut c, &files);
        menus(&mut c, &files);
        zones(&mut c, &files);
        c.final_summary();
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}
