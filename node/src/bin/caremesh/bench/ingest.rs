//! `caremesh bench ingest`: signed request envelopes pushed over loopback HTTP into a node's
//! inbox, beside the batch-verify-only rate of the same signatures in the same run.

use std::sync::Arc;
use std::time::Instant;

use caremesh_federation::object::{Object, Request, RequestStatus};
use caremesh_federation::{Batch, Envelope, Meta, NodeKey, Outcome, PeerClient, envelope};
use caremesh_node::fixtures::{node_config, spawn_node};

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

/// Runs the benchmark and prints its figures.
pub async fn run(objects: usize, concurrency: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let sender = spawn_node(node_config(&dir.path().join("a"), "sender", &[])).await?;
    let mut config = node_config(
        &dir.path().join("b"),
        "receiver",
        std::slice::from_ref(&sender.url),
    );
    // This measures how fast a node can take envelopes, not its limit on one peer.
    config.federation.rate_limit_per_minute = u32::MAX;
    let receiver = spawn_node(config).await?;
    let key = caremesh_node::app::load_key(&dir.path().join("a/node.key"), false)?
        .current()
        .clone();
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
    use caremesh_node::store::Store;
    let store = caremesh_node::store::sled_store::SledStore::open(dir, 64 << 20)?;
    let objects: Vec<_> = envelopes
        .iter()
        .map(|e| {
            e.decode()
                .map(|o| caremesh_node::objects::to_new_object(e, &o, Some("http://peer")))
        })
        .collect::<Result<_, _>>()?;
    let started = Instant::now();
    for object in objects {
        store.put_object(object, None)?;
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
