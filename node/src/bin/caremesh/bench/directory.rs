//! `caremesh bench directory`: the care directory over a generated data set, on the same
//! files PostGIS gets (`../shared/anchors/gen_facilities.py`, see `scripts/bench-directory.sh`).
//!
//! 1. Imports the facilities CSV into a fresh temporary node (import rate).
//! 2. Opens that node again in a fresh process (this binary, with `--node-dir`), so that the
//!    memory figure is the node's own and not what the import left in the allocator: start-up
//!    time (`App::open`, index load included) and resident memory after start.
//! 3. Runs every query point, once to warm up and once timed, for: the 10 nearest; the 10
//!    nearest of the query's kind with its specialty; every listing within 5 km. The queries
//!    go straight to the directory index, in process, comparable to PostGIS's server-side
//!    timing.
//!
//! Prints `IMPORT`, `START` and one `SUMMARY` line per query kind (`knn`, `knn_filt`,
//! `radius5k`, the names `postgis_knn.sh` uses).

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use caremesh_federation::object::FacilityKind;

use caremesh_node::app::App;
use caremesh_node::directory::import::parse_kind;
use caremesh_node::directory::importer::import_file;
use caremesh_node::directory::search::Query;
use caremesh_node::fixtures::node_config;

/// Radius of the `radius5k` query.
const RADIUS_KM: f64 = 5.0;
/// Listings asked for by the nearest queries.
const K: usize = 10;

/// One line of the queries file: `i, lat, lon, kind, specialty`.
#[derive(Clone, Debug)]
pub struct QueryPoint {
    pub lat: f64,
    pub lon: f64,
    pub kind: FacilityKind,
    pub specialty: String,
}

/// Reads a queries file written by `gen_facilities.py queries N`.
pub fn read_queries(path: &Path) -> anyhow::Result<Vec<QueryPoint>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read queries file {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            parse_query(line)
                .with_context(|| format!("{} line {}: `{line}`", path.display(), i + 1))
        })
        .collect()
}

fn parse_query(line: &str) -> anyhow::Result<QueryPoint> {
    let fields: Vec<&str> = line.split(',').map(str::trim).collect();
    let [_, lat, lon, kind, specialty] = fields.as_slice() else {
        anyhow::bail!("expected 5 columns: i, lat, lon, kind, specialty");
    };
    Ok(QueryPoint {
        lat: lat.parse().context("lat is not a number")?,
        lon: lon.parse().context("lon is not a number")?,
        kind: parse_kind(kind).with_context(|| format!("unknown kind `{kind}`"))?,
        specialty: (*specialty).to_owned(),
    })
}

/// Runs the benchmark. With `node_dir`, skips the import and measures the node already
/// there (this is how the fresh process of step 2 is started).
pub fn run(facilities: &Path, queries: &Path, node_dir: Option<&Path>) -> anyhow::Result<()> {
    let points = read_queries(queries)?;
    anyhow::ensure!(!points.is_empty(), "{} has no queries", queries.display());
    if let Some(dir) = node_dir {
        return measure(dir, &points);
    }
    let dir = tempfile::tempdir()?;
    {
        let app = App::open(node_config(dir.path(), "bench directory", &[]), true)?;
        let report = import_file(&app.services.listings, facilities, true)?;
        app.close()?;
        let secs = report.elapsed.as_secs_f64().max(1e-9);
        println!(
            "IMPORT rows={} new={} refused={} secs={secs:.1} rate={:.0}rows/s",
            report.rows,
            report.new,
            report.refused,
            report.rows as f64 / secs
        );
        for refusal in report.refusals.iter().take(5) {
            println!("# refused: {refusal}");
        }
    }
    let status = std::env::current_exe()
        .context("cannot find this program to reopen the node in a fresh process")?;
    let status = std::process::Command::new(status)
        .args(["bench", "directory", "--facilities"])
        .arg(facilities)
        .arg("--queries")
        .arg(queries)
        .arg("--node-dir")
        .arg(dir.path())
        .status()
        .context("cannot start the measuring process")?;
    anyhow::ensure!(status.success(), "the measuring process failed: {status}");
    Ok(())
}

/// Steps 2 and 3 on the node in `dir`.
fn measure(dir: &Path, points: &[QueryPoint]) -> anyhow::Result<()> {
    let rss_before = rss_kib();
    let started = Instant::now();
    let app = App::open(node_config(dir, "bench directory", &[]), false)?;
    let startup = started.elapsed();
    let rss_after = rss_kib();
    println!(
        "START open={:.2}s listings_indexed={} index={:.0}MiB rss_after_start={:.0}MiB \
         rss_before_open={:.0}MiB open_added={:.0}MiB (the in-memory index with its id map, \
         and the sled cache)",
        startup.as_secs_f64(),
        app.services.finder.index().len(),
        app.services.finder.index().index_bytes() as f64 / 1_048_576.0,
        mib(rss_after),
        mib(rss_before),
        mib(rss_after.saturating_sub(rss_before)),
    );
    let n = app.services.finder.index().len();
    let directory = &app.services.finder.index();
    let plain = Query::default();
    let knn = time_queries(points, |p| {
        directory.nearest(p.lat, p.lon, K, &plain, None).len()
    });
    let knn_filt = time_queries(points, |p| {
        let query = Query {
            kind: Some(p.kind),
            specialties: vec![p.specialty.clone()],
            ..Query::default()
        };
        directory.nearest(p.lat, p.lon, K, &query, None).len()
    });
    let radius = time_queries(points, |p| {
        directory
            .within(p.lat, p.lon, RADIUS_KM, &plain, usize::MAX)
            .len()
    });
    for (name, stats) in [("knn", knn), ("knn_filt", knn_filt), ("radius5k", radius)] {
        println!(
            "SUMMARY caremesh N={n} query={name} nq={} p50={:.3}ms p99={:.3}ms mean={:.3}ms \
             avg_rows={:.1}",
            stats.count,
            ms(stats.p50),
            ms(stats.p99),
            ms(stats.mean),
            stats.avg_rows
        );
    }
    println!("MEMORY rss_after_queries={:.0}MiB", mib(rss_kib()));
    let closing = Instant::now();
    app.close()?;
    println!(
        "CLOSE secs={:.2} (the directory snapshot the next start reads)",
        closing.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Percentiles of one query kind.
struct Stats {
    count: usize,
    p50: Duration,
    p99: Duration,
    mean: Duration,
    avg_rows: f64,
}

/// One warm-up pass, then one timed pass over every point.
fn time_queries(points: &[QueryPoint], mut query: impl FnMut(&QueryPoint) -> usize) -> Stats {
    for p in points {
        std::hint::black_box(query(p));
    }
    let mut times = Vec::with_capacity(points.len());
    let mut rows = 0usize;
    for p in points {
        let t = Instant::now();
        rows += std::hint::black_box(query(p));
        times.push(t.elapsed());
    }
    times.sort();
    let pick = |q: f64| {
        let i = ((times.len().saturating_sub(1)) as f64 * q).round() as usize;
        times.get(i).copied().unwrap_or_default()
    };
    let total: Duration = times.iter().sum();
    Stats {
        count: times.len(),
        p50: pick(0.50),
        p99: pick(0.99),
        mean: total / u32::try_from(times.len().max(1)).unwrap_or(u32::MAX),
        avg_rows: rows as f64 / points.len().max(1) as f64,
    }
}

/// This process's resident memory in KiB (`VmRSS` in /proc/self/status; 0 where absent).
pub fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bench_directory_parses_generated_query_lines() {
        let q = parse_query("7,19.076000,72.878000,blood_bank,oncology").expect("parses");
        assert_eq!(q.kind, FacilityKind::BloodBank);
        assert_eq!(q.specialty, "oncology");
        assert!((q.lat - 19.076).abs() < 1e-9);
        assert!(parse_query("7,19.0,72.8,spa,oncology").is_err());
        assert!(parse_query("7,19.0,72.8").is_err());
        assert!(rss_kib() > 0 || !Path::new("/proc/self/status").exists());
    }
}
