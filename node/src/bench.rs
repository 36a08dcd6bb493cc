//! `caremesh bench`: figures printed by running the real code paths on this machine.
//!
//! - `ingest`: signed request envelopes pushed over loopback HTTP into a node's inbox
//!   (request signature, replay, batch verification, decode, schema, sled, group flush before
//!   each answer), beside the batch-verify-only rate of the same signatures in the same run.
//! - `propagation`: a line of in-process nodes on loopback; the time one request takes from
//!   the first to the last node (p50, p99), and the sustained end-to-end rate with loss count.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use caremesh_federation::object::{Object, Request, RequestStatus};
use caremesh_federation::{Batch, Envelope, Meta, NodeKey, Outcome, PeerClient, envelope};
use clap::Subcommand;

use crate::config::{Config, PeerConfig};
use crate::server::{RunningNode, start};

/// Which benchmark to run.
#[derive(Subcommand, Clone, Debug)]
pub enum BenchCommand {
    /// Inbox ingest rate vs. batch-verify-only rate.
    Ingest {
        /// Envelopes to push.
        #[arg(long, default_value_t = 40_000)]
        objects: usize,
        /// Pushes in flight at once.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
    },
    /// Propagation along a line of nodes.
    Propagation {
        #[arg(long, default_value_t = 5)]
        nodes: usize,
        /// Requests timed one at a time.
        #[arg(long, default_value_t = 200)]
        samples: usize,
        /// Requests published back to back for the sustained rate.
        #[arg(long, default_value_t = 10_000)]
        burst: usize,
    },
    /// Chat engine time per message and notification fan-out lookup.
    Chat {
        #[arg(long, default_value_t = 5_000)]
        messages: usize,
        #[arg(long, default_value_t = 100_000)]
        subscribers: usize,
    },
    /// Care directory: import, start-up, memory and query percentiles (see bench_directory).
    Directory {
        /// `gen_facilities.py facilities N` output.
        #[arg(long)]
        facilities: std::path::PathBuf,
        /// `gen_facilities.py queries Q` output.
        #[arg(long)]
        queries: std::path::PathBuf,
        /// Measure the node already in this folder instead of importing into a new one.
        #[arg(long)]
        node_dir: Option<std::path::PathBuf>,
    },
}

/// Runs a benchmark and prints its figures.
pub async fn run(command: BenchCommand) -> anyhow::Result<()> {
    match command {
        BenchCommand::Ingest {
            objects,
            concurrency,
        } => ingest(objects, concurrency).await,
        BenchCommand::Propagation {
            nodes,
            samples,
            burst,
        } => propagation(nodes, samples, burst).await,
        BenchCommand::Chat {
            messages,
            subscribers,
        } => crate::chat::bench::run(messages, subscribers).await,
        BenchCommand::Directory {
            facilities,
            queries,
            node_dir,
        } => crate::bench_directory::run(&facilities, &queries, node_dir.as_deref()),
    }
}

/// A config for an in-process node in `dir` with the given peers.
pub fn node_config(dir: &std::path::Path, name: &str, peers: &[String]) -> Config {
    let mut config = Config::embedded_default();
    config.node.name = name.to_owned();
    config.node.data_dir = dir.join("data");
    config.node.key_file = dir.join("node.key");
    config.api.admin_token_file = dir.join("admin.token");
    config.http.listen = "127.0.0.1:0".into();
    config.federation.peers = peers
        .iter()
        .map(|url| PeerConfig {
            url: url.clone(),
            key: None,
        })
        .collect();
    config.federation.rate_limit_per_minute = 10_000_000;
    config.federation.retry_max_secs = 2;
    config
}

/// Starts a node with its own listener on a free loopback port.
pub async fn spawn_node(config: Config) -> anyhow::Result<RunningNode> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    Ok(start(config, listener, true).await?)
}

fn signed_requests(key: &NodeKey, origin: &str, count: usize) -> Vec<Envelope> {
    (0..count)
        .map(|i| {
            let request = Request {
                meta: Meta {
                    id: ulid::Ulid::new().to_string(),
                    origin: origin.to_owned(),
                    version: 1,
                    created_at: 1_790_000_000_000,
                    updated_at: 1_790_000_000_000,
                },
                facility_id: ulid::Ulid::new().to_string(),
                facility_name: "District Hospital".into(),
                lat_e7: 185_204_000 + i as i32,
                lon_e7: 738_567_000,
                product: "face-shield".into(),
                quantity: 200,
                needed_by: None,
                note: "bench".into(),
                status: RequestStatus::Open,
                accepted: 0,
                received: 0,
            };
            Envelope::seal(&Object::Request(request), key)
                .unwrap_or_else(|e| panic!("sealing failed: {e}"))
        })
        .collect()
}

fn verify_rate(envelopes: &[Envelope], key: &ed25519_dalek::VerifyingKey, threads: usize) -> f64 {
    let started = Instant::now();
    std::thread::scope(|s| {
        for part in envelopes.chunks(envelopes.len().div_ceil(threads)) {
            s.spawn(move || {
                for chunk in part.chunks(50) {
                    let refs: Vec<&Envelope> = chunk.iter().collect();
                    let keys = vec![*key; chunk.len()];
                    let ok = envelope::verify_batch(&refs, &keys)
                        .iter()
                        .all(Result::is_ok);
                    assert!(ok, "bench signatures must verify");
                }
            });
        }
    });
    envelopes.len() as f64 / started.elapsed().as_secs_f64()
}

async fn ingest(objects: usize, concurrency: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let sender = spawn_node(node_config(&dir.path().join("a"), "sender", &[])).await?;
    let receiver = spawn_node(node_config(
        &dir.path().join("b"),
        "receiver",
        std::slice::from_ref(&sender.url),
    ))
    .await?;
    let key = crate::app::load_key(&dir.path().join("a/node.key"), false)?;
    println!("preparing {objects} signed request envelopes...");
    let envelopes = signed_requests(&key, &sender.url, objects);
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let verify_1 = verify_rate(&envelopes, &key.public(), 1);
    let verify_all = verify_rate(&envelopes, &key.public(), cores);
    let store_only = store_rate(&envelopes, &dir.path().join("store-only"))?;
    let client = PeerClient::new(key, &sender.url, &Default::default())?;
    let batches: Vec<Batch> = envelopes
        .chunks(50)
        .enumerate()
        .map(|(i, c)| Batch {
            txn: format!("bench-{i}"),
            envelopes: c.to_vec(),
        })
        .collect();
    let started = Instant::now();
    let stored = push_all(&client, &receiver.url, batches, concurrency).await?;
    let elapsed = started.elapsed().as_secs_f64();
    let rate = stored as f64 / elapsed;
    println!(
        "ingest  (HTTP push, verified, stored, flushed before each answer): {rate:>9.0} objects/s  ({stored} in {elapsed:.2} s)"
    );
    println!(
        "verify-only, batches of 50, 1 thread:                            {verify_1:>9.0} signatures/s"
    );
    println!(
        "verify-only, batches of 50, {cores} threads:                           {verify_all:>9.0} signatures/s"
    );
    println!("sled put_object only (no verify, one flush at the end): {store_only:>9.0} objects/s");
    println!(
        "ratio ingest / verify-only ({cores} threads): {:.2}   (goal ≥ 0.50)",
        rate / verify_all
    );
    anyhow::ensure!(stored == objects, "only {stored} of {objects} stored");
    sender.stop();
    receiver.stop();
    Ok(())
}

fn store_rate(envelopes: &[Envelope], dir: &std::path::Path) -> anyhow::Result<f64> {
    use crate::store::Store;
    let store = crate::store::sled_store::SledStore::open(dir, 64 << 20)?;
    let objects: Vec<_> = envelopes
        .iter()
        .map(|e| {
            e.decode()
                .map(|o| crate::objects::to_new_object(e, &o, Some("http://peer")))
        })
        .collect::<Result<_, _>>()?;
    let started = Instant::now();
    for object in objects {
        store.put_object(object)?;
    }
    store.flush()?;
    Ok(envelopes.len() as f64 / started.elapsed().as_secs_f64())
}

async fn push_all(
    client: &PeerClient,
    url: &str,
    batches: Vec<Batch>,
    concurrency: usize,
) -> anyhow::Result<usize> {
    let queue = Arc::new(std::sync::Mutex::new(batches));
    let mut tasks = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (queue, client, url) = (queue.clone(), client.clone(), url.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut stored = 0usize;
            loop {
                let next = queue.lock().map(|mut q| q.pop()).unwrap_or(None);
                let Some(batch) = next else {
                    return Ok::<usize, anyhow::Error>(stored);
                };
                let reply = client.push(&url, &batch).await?;
                stored += reply
                    .results
                    .iter()
                    .filter(|o| **o == Outcome::Stored)
                    .count();
            }
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await??;
    }
    Ok(total)
}

async fn line(nodes: usize, dir: &std::path::Path) -> anyhow::Result<Vec<RunningNode>> {
    // Bind every listener first so each node knows its neighbours' URLs.
    let mut listeners = Vec::new();
    for _ in 0..nodes {
        listeners.push(tokio::net::TcpListener::bind("127.0.0.1:0").await?);
    }
    let urls: Vec<String> = listeners
        .iter()
        .map(|l| l.local_addr().map(|a| format!("http://{a}")))
        .collect::<Result<_, _>>()?;
    let mut running = Vec::new();
    for (i, listener) in listeners.into_iter().enumerate() {
        let mut peers = Vec::new();
        if i > 0 {
            peers.push(urls[i - 1].clone());
        }
        if i + 1 < nodes {
            peers.push(urls[i + 1].clone());
        }
        let config = node_config(&dir.join(format!("n{i}")), &format!("node {i}"), &peers);
        running.push(start(config, listener, true).await?);
    }
    Ok(running)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn propagation(nodes: usize, samples: usize, burst: usize) -> anyhow::Result<()> {
    anyhow::ensure!(nodes >= 2, "--nodes must be at least 2");
    let dir = tempfile::tempdir()?;
    let line = line(nodes, dir.path()).await?;
    let (first, last) = (&line[0], &line[nodes - 1]);
    let admin = first
        .app
        .services
        .members
        .get("admin")?
        .context("admin member missing")?;
    let facility = first
        .app
        .services
        .listings
        .create(&admin, crate::bench_fixtures::facility)?;
    let mut arrivals = last.app.events.subscribe();
    wait_for(&mut arrivals, &facility.meta.id, Duration::from_secs(30))
        .await
        .context("facility never reached the last node")?;
    let hops = (nodes - 1) as u32;
    let mut times = Vec::with_capacity(samples);
    for _ in 0..samples {
        let started = Instant::now();
        let r = first
            .app
            .services
            .market
            .create_request(&admin, crate::bench_fixtures::request(&facility.meta.id))?;
        first.app.services.flusher.flush().await?;
        wait_for(&mut arrivals, &r.meta.id, Duration::from_secs(10))
            .await
            .context("a request was lost")?;
        times.push(started.elapsed());
    }
    times.sort();
    let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
    println!(
        "propagation over {hops} hops ({nodes} nodes on loopback), {samples} requests one at a time:"
    );
    println!("  first→last p50 {:.2} ms, p99 {:.2} ms", ms(p50), ms(p99));
    println!(
        "  per hop    p50 {:.2} ms, p99 {:.2} ms   (goal p50 < 5 ms per hop; Synapse anchor p50 27 ms, p99 39 ms)",
        ms(p50) / f64::from(hops),
        ms(p99) / f64::from(hops)
    );
    sustained(first, &mut arrivals, &admin, &facility.meta.id, burst).await?;
    for node in &line {
        node.stop();
    }
    Ok(())
}

async fn sustained(
    first: &RunningNode,
    arrivals: &mut tokio::sync::broadcast::Receiver<Arc<Object>>,
    admin: &crate::members::Member,
    facility_id: &str,
    burst: usize,
) -> anyhow::Result<()> {
    let mut expected = std::collections::HashSet::new();
    let started = Instant::now();
    for _ in 0..burst {
        let r = first
            .app
            .services
            .market
            .create_request(admin, crate::bench_fixtures::request(facility_id))?;
        expected.insert(r.meta.id);
    }
    first.app.services.flusher.flush().await?;
    let published = started.elapsed();
    let deadline = Instant::now() + Duration::from_secs(120);
    while !expected.is_empty() && Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(5), arrivals.recv()).await {
            Ok(Ok(object)) => {
                expected.remove(&object.meta().id);
            }
            Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(n))) => {
                anyhow::bail!("bench listener lagged by {n} events")
            }
            _ => {}
        }
    }
    let total = started.elapsed().as_secs_f64();
    println!(
        "sustained: {burst} requests published in {:.2} s ({:.0}/s); arrived at the last node in {total:.2} s: {:.0} requests/s end to end, {} lost   (goal ≥ 1000/s, 0 lost; Synapse anchor ~35/s)",
        published.as_secs_f64(),
        burst as f64 / published.as_secs_f64(),
        (burst - expected.len()) as f64 / total,
        expected.len()
    );
    anyhow::ensure!(expected.is_empty(), "{} requests lost", expected.len());
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn wait_for(
    arrivals: &mut tokio::sync::broadcast::Receiver<Arc<Object>>,
    id: &str,
    limit: Duration,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, arrivals.recv()).await {
            Ok(Ok(object)) if object.meta().id == id => return Ok(()),
            Ok(Ok(_)) | Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => {}
            Ok(Err(e)) => anyhow::bail!("event bus closed: {e}"),
            Err(_) => anyhow::bail!("timed out waiting for {id}"),
        }
    }
}
