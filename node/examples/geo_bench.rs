//! Measures the spatial index on the files of `/work/shared/anchors/gen_facilities.py`:
//!
//! ```text
//! gen_facilities.py facilities 1000000 > f.csv
//! gen_facilities.py queries 2000 > q.csv
//! cargo run --release -p caremesh-node --example geo_bench -- f.csv q.csv
//! ```
//!
//! Prints the bulk-load time, the index's memory, and p50/p99 per query kind: 10 nearest;
//! 10 nearest with the query's kind and specialty; all within 5 km.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use caremesh_node::directory::geo_index::{Filter, GeoEntry, GeoIndex, Hit};

/// Kind and specialty names mapped to codes in order of first sight.
#[derive(Default)]
struct Vocab {
    kinds: HashMap<String, u8>,
    specialties: HashMap<String, u32>,
}

impl Vocab {
    fn kind(&mut self, name: &str) -> anyhow::Result<u8> {
        let next = u8::try_from(self.kinds.len())?;
        Ok(*self.kinds.entry(name.to_owned()).or_insert(next))
    }

    fn specialty(&mut self, name: &str) -> anyhow::Result<u64> {
        let next = u32::try_from(self.specialties.len())?;
        let bit = *self.specialties.entry(name.to_owned()).or_insert(next);
        if bit >= 64 {
            bail!("more than 64 specialties");
        }
        Ok(1 << bit)
    }
}

/// `id,name,kind,"{a,b}",lat,lon`
fn parse_facility(line: &str, vocab: &mut Vocab) -> anyhow::Result<GeoEntry> {
    let (head, rest) = line.split_once(",\"{").context("no specialties")?;
    let (specs, coords) = rest
        .split_once("}\",")
        .context("unterminated specialties")?;
    let mut head = head.splitn(3, ',');
    let slot: u32 = head.next().context("no id")?.parse()?;
    let kind = vocab.kind(head.nth(1).context("no kind")?)?;
    let mut specialties = 0;
    for s in specs.split(',') {
        specialties |= vocab.specialty(s)?;
    }
    let (lat, lon) = coords.split_once(',').context("no lon")?;
    Ok(GeoEntry {
        slot,
        lat: lat.parse()?,
        lon: lon.trim().parse()?,
        kind,
        specialties,
        flags: 0,
    })
}

/// `i,lat,lon,kind,specialty`
fn parse_query(line: &str, vocab: &mut Vocab) -> anyhow::Result<(f64, f64, Filter)> {
    let f: Vec<&str> = line.trim().split(',').collect();
    let [_, lat, lon, kind, specialty] = f[..] else {
        bail!("bad query line {line}")
    };
    let filter = Filter {
        kind: Some(vocab.kind(kind)?),
        specialties_all: vocab.specialty(specialty)?,
        ..Filter::default()
    };
    Ok((lat.parse()?, lon.parse()?, filter))
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).map_or(f64::NAN, |d| d.as_secs_f64() * 1e3)
}

/// Runs `query` for every point `rounds` times and prints p50/p99 in milliseconds: of every
/// run, and of each query's best run (which filters out preemption on a busy machine).
fn measure(
    name: &str,
    points: &[(f64, f64, Filter)],
    rounds: usize,
    query: impl Fn(&(f64, f64, Filter)) -> Vec<Hit>,
) {
    let mut all = Vec::with_capacity(points.len() * rounds);
    let mut best = vec![Duration::MAX; points.len()];
    let mut rows = 0usize;
    for _ in 0..rounds {
        for (p, best) in points.iter().zip(&mut best) {
            let t = Instant::now();
            let hits = query(p);
            let took = t.elapsed();
            all.push(took);
            *best = (*best).min(took);
            rows += hits.len();
        }
    }
    all.sort_unstable();
    best.sort_unstable();
    println!(
        "SUMMARY {name:<30} all runs p50 {:.4} p99 {:.4} | best of {rounds} p50 {:.4} p99 {:.4} max {:.4} ms | rows/query {:.1}",
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        percentile(&best, 0.5),
        percentile(&best, 0.99),
        percentile(&best, 1.0),
        rows as f64 / all.len() as f64,
    );
}

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [facilities, queries] = &args[..] else {
        bail!("usage: geo_bench FACILITIES.csv QUERIES.csv")
    };
    let mut vocab = Vocab::default();
    let text =
        std::fs::read_to_string(facilities).with_context(|| format!("reading {facilities}"))?;
    let entries = text
        .lines()
        .map(|l| parse_facility(l, &mut vocab))
        .collect::<anyhow::Result<Vec<_>>>()?;
    drop(text);
    let text = std::fs::read_to_string(queries).with_context(|| format!("reading {queries}"))?;
    let points = text
        .lines()
        .map(|l| parse_query(l, &mut vocab))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let n = entries.len();
    let before = rss_kib();
    let t = Instant::now();
    let index = GeoIndex::bulk_load(entries)?;
    let load = t.elapsed();
    println!(
        "bulk_load {n} entries: {:.1} ms; index heap {:.1} MB; RSS {:?} -> {:?} KiB",
        load.as_secs_f64() * 1e3,
        index.heap_bytes() as f64 / 1e6,
        before,
        rss_kib()
    );
    let any = Filter::default();
    measure("10 nearest", &points, 5, |(lat, lon, _)| {
        index.nearest(*lat, *lon, 10, &any)
    });
    measure(
        "10 nearest, kind + specialty",
        &points,
        5,
        |(lat, lon, f)| index.nearest(*lat, *lon, 10, f),
    );
    measure("all within 5 km", &points, 5, |(lat, lon, _)| {
        index.within(*lat, *lon, 5.0, &any, usize::MAX)
    });
    let mut index = index;
    let t = Instant::now();
    for (i, (lat, lon, f)) in (0u32..).zip(&points) {
        let e = GeoEntry {
            slot: i + 1,
            lat: *lat,
            lon: *lon,
            kind: f.kind.unwrap_or(0),
            specialties: f.specialties_all,
            flags: 0,
        };
        index.insert(e)?;
    }
    println!(
        "moves: {:.2} us each",
        t.elapsed().as_secs_f64() * 1e6 / points.len() as f64
    );
    Ok(())
}
