//! A flood against a real node: one peer pushes at ten times its rate limit while a stream
//! of pushes from made-up origins hits the cheap checks; an honest peer's pushes go through
//! at their usual latency, the flooder gets 429s, and the node's memory stays bounded.
//! Prints its figures beside the baseline measured in the same run.

use std::time::{Duration, Instant};

use caremesh_e2e::Node;
use caremesh_e2e::rogue::{Rogue, now_ms, outcomes};
use caremesh_federation::NodeKey;
use caremesh_federation::request_auth::RequestAuth;

/// The node's limit: 600 envelopes a minute, 10 a second.
const LIMIT_PER_SECOND: u64 = 10;
const FLOOD: Duration = Duration::from_secs(6);

fn rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no VmRSS in /proc/{pid}/status"))
}

/// An honest peer's pushes of one envelope, every 150 ms (well under its limit): the
/// latency of each, in ms, sorted.
async fn honest_pushes(peer: &Rogue, to: &str, count: usize) -> anyhow::Result<Vec<f64>> {
    let mut latencies = Vec::with_capacity(count);
    for _ in 0..count {
        let envelope = peer.sign(Rogue::request(&peer.url, 2));
        let started = Instant::now();
        let (s, v) = peer.push(to, vec![envelope]).await?;
        latencies.push(started.elapsed().as_secs_f64() * 1e3);
        anyhow::ensure!(
            s == 200 && outcomes(&v) == ["stored"],
            "honest push: {s} {v}"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    latencies.sort_by(f64::total_cmp);
    Ok(latencies)
}

fn median(sorted: &[f64]) -> f64 {
    sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Ten envelopes every 100 ms: ten times the limit. Returns (pushes answered 429,
/// envelopes stored).
async fn flood(flooder: &Rogue, to: &str) -> anyhow::Result<(usize, usize)> {
    let (mut limited, mut stored) = (0, 0);
    let until = Instant::now() + FLOOD;
    while Instant::now() < until {
        let batch = (0..10)
            .map(|_| flooder.sign(Rogue::request(&flooder.url, 1)))
            .collect();
        let (s, v) = flooder.push(to, batch).await?;
        match s {
            429 => limited += 1,
            200 => stored += outcomes(&v).iter().filter(|o| *o == "stored").count(),
            other => anyhow::bail!("flood push answered {other}: {v}"),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok((limited, stored))
}

/// Pushes from a new made-up origin each time (nobody listens there), as fast as they are
/// answered, until the flood ends. Returns how many were sent.
async fn junk(to: String) -> anyhow::Result<usize> {
    let http = reqwest::Client::new();
    let until = Instant::now() + FLOOD;
    let mut sent = 0;
    while Instant::now() < until {
        let key = NodeKey::generate();
        // Loopback addresses no node listens on (nodes bind 127.0.0.1), port 9 (discard).
        let origin = format!("http://127.9.{}.{}:9", sent / 250 % 250, sent % 250 + 1);
        let body = caremesh_e2e::rogue::batch(vec![])?;
        let auth = RequestAuth::sign(
            &key,
            &origin,
            &to,
            "POST",
            "/federation/v1/inbox",
            &body,
            now_ms() / 1000,
        );
        let resp = http
            .post(format!("{to}/federation/v1/inbox"))
            .header("authorization", auth.to_header())
            .body(body)
            .send()
            .await?;
        anyhow::ensure!(
            resp.status().as_u16() == 401,
            "junk answered {}",
            resp.status()
        );
        sent += 1;
    }
    Ok(sent)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flooding_peer_is_held_to_its_rate_and_others_are_not() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let honest = Rogue::start().await?;
    let flooder = Rogue::start().await?;
    let mut node = Node::init(root.path(), "node", &[&honest.url, &flooder.url])?;
    node.set_federation(&format!(
        "policy = \"open\"\nrate_limit_per_minute = {}",
        LIMIT_PER_SECOND * 60
    ))?;
    node.start().await?;
    let pid = node.pid().ok_or_else(|| anyhow::anyhow!("no pid"))?;

    let baseline = honest_pushes(&honest, &node.url, 20).await?;
    let rss_before = rss_kib(pid)?;
    let junk_task = tokio::spawn(junk(node.url.clone()));
    let (during, flooded) = tokio::join!(
        honest_pushes(&honest, &node.url, 30),
        flood(&flooder, &node.url)
    );
    let (during, (limited, flooder_stored)) = (during?, flooded?);
    let junk_sent = junk_task.await??;
    let rss_after = rss_kib(pid)?;

    let offered = FLOOD.as_secs() * LIMIT_PER_SECOND * 10;
    println!(
        "honest push latency, median (max): baseline {:.1} ms ({:.1}), during the flood {:.1} ms ({:.1})",
        median(&baseline),
        baseline.last().copied().unwrap_or(0.0),
        median(&during),
        during.last().copied().unwrap_or(0.0)
    );
    println!(
        "flooder: {offered} envelopes offered in {} s, {flooder_stored} stored, {limited} pushes answered 429; \
         {junk_sent} pushes from made-up origins refused",
        FLOOD.as_secs()
    );
    println!(
        "node RSS: {} KiB before, {} KiB after (+{} KiB)",
        rss_before,
        rss_after,
        rss_after.saturating_sub(rss_before)
    );
    // The flooder got its burst (100) and its rate (10 a second), not ten times that.
    let allowed = 100 + LIMIT_PER_SECOND as usize * (FLOOD.as_secs() as usize + 1);
    assert!(limited > 0, "no 429 for the flooder");
    assert!(
        flooder_stored <= allowed,
        "{flooder_stored} stored, {allowed} allowed"
    );
    assert!(
        median(&during) <= 3.0 * median(&baseline) + 25.0,
        "honest pushes slowed down: {:.1} ms against {:.1} ms",
        median(&during),
        median(&baseline)
    );
    assert!(junk_sent > 100, "the junk stream barely ran: {junk_sent}");
    assert!(
        rss_after < rss_before + 64 * 1024,
        "memory grew by {} KiB",
        rss_after - rss_before
    );
    assert_eq!(node.get("/healthz", None).await?.0, 200);
    Ok(())
}
