//! What the API acknowledged survives `kill -9` straight after the answer: a listing, a
//! member and their token, a need and its owner, an offer, a peer. sled itself flushes only
//! every half second, so without a flush before each answer these would be lost.

use anyhow::Context;
use caremesh_e2e::Node;
use serde_json::{Value, json};

async fn created(node: &Node, path: &str, token: &str, body: Value) -> anyhow::Result<Value> {
    let (status, v) = node.post(path, Some(token), &body).await?;
    anyhow::ensure!(status == 201, "POST {path} answered {status}: {v}");
    Ok(v)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut node = Node::started(root.path(), "a", &[]).await?;
    let admin = node.admin.clone();
    let facility = created(
        &node,
        "/api/v1/facilities",
        &admin,
        json!({"kind": "hospital", "name": "Sassoon General", "lat": 18.52, "lon": 73.85}),
    )
    .await?;
    let facility_id = facility["id"].as_str().context("facility id")?.to_owned();
    let requester = node
        .member(json!({"handle": "nurse.asha", "role": "requester", "facility_id": facility_id}))
        .await?;
    let need = created(
        &node,
        "/api/v1/requests",
        &requester,
        json!({"facility_id": facility_id, "product": "face-shield", "quantity": 40}),
    )
    .await?;
    let need_id = need["id"].as_str().context("request id")?.to_owned();
    let maker = node
        .member(json!({"handle": "maker.ravi", "role": "maker"}))
        .await?;
    let offer = created(
        &node,
        &format!("/api/v1/requests/{need_id}/proposals"),
        &maker,
        json!({"quantity": 10, "material": "PETG", "eta": "2099-01-01"}),
    )
    .await?;
    let (status, _) = node
        .post(
            "/api/v1/peers",
            Some(&admin),
            &json!({"url": "http://127.0.0.1:9"}),
        )
        .await?;
    anyhow::ensure!(status == 201 || status == 200, "peer add answered {status}");
    node.kill9();

    node.start().await?;
    let (status, f) = node
        .get(&format!("/api/v1/facilities/{facility_id}"), None)
        .await?;
    assert_eq!((status, f["name"].as_str()), (200, Some("Sassoon General")));
    let (status, r) = node
        .get(&format!("/api/v1/requests/{need_id}"), Some(&requester))
        .await?;
    assert_eq!((status, r["quantity"].as_u64()), (200, Some(40)), "{r}");
    // The requester's token still works, and they see the offer made on their need.
    let (status, listed) = node
        .get(
            &format!("/api/v1/requests/{need_id}/proposals"),
            Some(&requester),
        )
        .await?;
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed["proposals"][0]["id"], offer["id"], "{listed}");
    let (status, mine) = node.get("/api/v1/me/proposals", Some(&maker)).await?;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine["proposals"][0]["id"], offer["id"], "{mine}");
    let (_, peers) = node.get("/api/v1/peers", Some(&admin)).await?;
    assert!(peers.to_string().contains("127.0.0.1:9"), "{peers}");
    node.stop()?;
    Ok(())
}

/// The data folder and the store's files are the node's user's alone, whatever the umask
/// the node was started under (the tests run under the usual 022: files would be 0644).
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_data_dir_is_owner_only() -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir()?;
    let mut node = Node::init(root.path(), "a", &[])?;
    let data = node.dir.join("data");
    std::fs::create_dir_all(&data)?;
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755))?;
    node.start().await?;
    let mode = |p: &std::path::Path| -> anyhow::Result<u32> {
        Ok(std::fs::metadata(p)?.permissions().mode() & 0o777)
    };
    anyhow::ensure!(mode(&data)? == 0o700, "data_dir mode {:o}", mode(&data)?);
    let mut files = 0;
    for entry in std::fs::read_dir(data.join("db"))? {
        let path = entry?.path();
        if path.is_file() {
            files += 1;
            anyhow::ensure!(
                mode(&path)? == 0o600,
                "{} mode {:o}",
                path.display(),
                mode(&path)?
            );
        }
    }
    anyhow::ensure!(files > 0, "the store made no files in data/db");
    node.stop()?;
    Ok(())
}
