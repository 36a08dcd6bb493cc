//! `caremesh bench propagation`: a line of in-process nodes on loopback; the time one
//! request takes from the first to the last node (p50, p99), and the sustained end-to-end
//! rate with loss count.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use caremesh_federation::object::Object;
use caremesh_node::fixtures::node_config;
use caremesh_node::server::{RunningNode, start};

use super::{ms, percentile};

/// `n` loopback listeners and their URLs, bound before any node starts so that each node
/// knows its peers' URLs.
pub(super) async fn listeners(
    n: usize,
) -> anyhow::Result<(Vec<tokio::net::TcpListener>, Vec<String>)> {
    let mut listeners = Vec::new();
    for _ in 0..n {
        listeners.push(tokio::net::TcpListener::bind("127.0.0.1:0").await?);
    }
    let urls = listeners
        .iter()
        .map(|l| l.local_addr().map(|a| format!("http://{a}")))
        .collect::<Result<_, _>>()?;
    Ok((listeners, urls))
}

/// `nodes` in-process nodes in a line on loopback, each peering with its neighbours.
pub(super) async fn line(nodes: usize, dir: &std::path::Path) -> anyhow::Result<Vec<RunningNode>> {
    let (listeners, urls) = listeners(nodes).await?;
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

/// Runs the benchmark and prints its figures.
pub async fn run(nodes: usize, samples: usize, burst: usize) -> anyhow::Result<()> {
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
        .create(&admin, caremesh_node::fixtures::facility)?;
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
            .create_request(&admin, caremesh_node::fixtures::request(&facility.meta.id))?;
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

/// Publishers working at once in the sustained run.
const PUBLISHERS: usize = 8;

async fn sustained(
    first: &RunningNode,
    arrivals: &mut tokio::sync::broadcast::Receiver<Arc<Object>>,
    admin: &caremesh_node::members::Member,
    facility_id: &str,
    burst: usize,
) -> anyhow::Result<()> {
    // Each publish is on disk before it returns; concurrent publishers, like concurrent
    // users of the API, share one disk sync (group commit).
    let started = Instant::now();
    let mut publishers = Vec::new();
    for i in 0..PUBLISHERS {
        let share = burst / PUBLISHERS + usize::from(i < burst % PUBLISHERS);
        let market = first.app.services.market.clone();
        let (admin, facility_id) = (admin.clone(), facility_id.to_owned());
        publishers.push(tokio::task::spawn_blocking(move || {
            (0..share)
                .map(|_| {
                    let new = caremesh_node::fixtures::request(&facility_id);
                    Ok(market.create_request(&admin, new)?.meta.id)
                })
                .collect::<anyhow::Result<Vec<String>>>()
        }));
    }
    let mut expected = std::collections::HashSet::new();
    for publisher in publishers {
        expected.extend(publisher.await??);
    }
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
        "sustained: {burst} requests published by {PUBLISHERS} publishers, each durable, in {:.2} s ({:.0}/s); arrived at the last node in {total:.2} s: {:.0} requests/s end to end, {} lost   (goal ≥ 1000/s, 0 lost; Synapse anchor ~35/s)",
        published.as_secs_f64(),
        burst as f64 / published.as_secs_f64(),
        (burst - expected.len()) as f64 / total,
        expected.len()
    );
    anyhow::ensure!(expected.is_empty(), "{} requests lost", expected.len());
    Ok(())
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
