//! The care directory across restarts of a real `caremesh` process: a SIGTERM writes the
//! index snapshot and the next start reads it; after a SIGKILL the next start reads the
//! last snapshot and replays the store's log since, so every acknowledged listing is in it.

use anyhow::Context;
use caremesh_e2e::Node;
use serde_json::{Value, json};

async fn names_near(node: &Node) -> anyhow::Result<Vec<String>> {
    let (status, body) = node
        .get("/api/v1/facilities?lat=18.52&lon=73.85&limit=10", None)
        .await?;
    anyhow::ensure!(status == 200, "search answered {status}: {body}");
    let list = body["facilities"]
        .as_array()
        .context("a list of facilities")?;
    Ok(list
        .iter()
        .map(|f| f["name"].as_str().unwrap_or("").to_owned())
        .collect())
}

async fn create(node: &Node, name: &str, lat: f64) -> anyhow::Result<()> {
    let body = json!({"kind": "clinic", "name": name, "lat": lat, "lon": 73.85});
    let (status, answer): (u16, Value) = node
        .post("/api/v1/facilities", Some(&node.admin), &body)
        .await?;
    anyhow::ensure!(status == 201, "create answered {status}: {answer}");
    Ok(())
}

fn last_load(node: &Node) -> String {
    node.log()
        .lines()
        .rfind(|l| l.contains("directory index loaded"))
        .unwrap_or("")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directory_index_from_snapshot_after_sigterm_and_snapshot_plus_log_after_sigkill()
-> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut node = Node::started(root.path(), "dir", &[]).await?;
    create(&node, "First Clinic", 18.521).await?;
    create(&node, "Second Clinic", 18.530).await?;
    let before = names_near(&node).await?;
    assert_eq!(before, vec!["First Clinic", "Second Clinic"]);

    assert!(node.stop()?, "clean exit on SIGTERM; log:\n{}", node.log());
    assert!(
        node.log().contains("directory snapshot written"),
        "{}",
        node.log()
    );
    assert!(node.dir.join("data/directory.snapshot").exists());
    node.start().await?;
    assert!(
        last_load(&node).contains("snapshot"),
        "{}",
        last_load(&node)
    );
    assert_eq!(names_near(&node).await?, before);

    create(&node, "Third Clinic", 18.525).await?;
    node.kill9();
    node.start().await?;
    let loaded = last_load(&node);
    assert!(
        (loaded.contains("from=snapshot") || loaded.contains("from=\"snapshot\""))
            && !loaded.contains("replayed=0"),
        "{loaded}"
    );
    assert_eq!(
        names_near(&node).await?,
        vec!["First Clinic", "Third Clinic", "Second Clinic"],
        "the listing acknowledged before the SIGKILL is found"
    );
    assert!(node.stop()?);
    Ok(())
}
