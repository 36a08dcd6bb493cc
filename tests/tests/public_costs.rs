//! Issue 9 item 7 against real `caremesh` processes: the public endpoints anyone may call
//! cost a bounded amount. `/metrics` object counts come from counters that stay right after
//! writes, retractions and a kill -9; `/diagnose` records expire and are bounded per client
//! and per node with a 429 naming the limit.

use std::time::Duration;

use anyhow::Context;
use caremesh_e2e::{Node, eventually};
use serde_json::{Value, json};

async fn counts(node: &Node) -> anyhow::Result<(f64, f64)> {
    let facilities = node
        .metric("facilities")
        .await?
        .context("facilities gauge")?;
    let requests = node.metric("requests").await?.context("requests gauge")?;
    Ok((facilities, requests))
}

async fn facility(node: &Node, name: &str) -> anyhow::Result<String> {
    let body = json!({"kind": "clinic", "name": name, "lat": 18.52, "lon": 73.85});
    let (status, answer) = node
        .post("/api/v1/facilities", Some(&node.admin), &body)
        .await?;
    anyhow::ensure!(status == 201, "create answered {status}: {answer}");
    Ok(answer["id"].as_str().context("an id")?.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_counts_follow_writes_and_survive_a_kill() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut node = Node::started(root.path(), "counts", &[]).await?;
    assert_eq!(counts(&node).await?, (0.0, 0.0));
    let a = facility(&node, "Asha Clinic").await?;
    let b = facility(&node, "Bela Clinic").await?;
    facility(&node, "Chandra Clinic").await?;
    let requester = node
        .member(json!({"handle": "req", "role": "requester", "facility_id": a}))
        .await?;
    for quantity in [10, 20] {
        let body = json!({"facility_id": a, "product": "face-shield", "quantity": quantity});
        let (status, answer) = node
            .post("/api/v1/requests", Some(&requester), &body)
            .await?;
        anyhow::ensure!(status == 201, "request answered {status}: {answer}");
    }
    assert_eq!(counts(&node).await?, (3.0, 2.0));
    // A retraction is a new version of the listing, not a removal: still three objects.
    let path = format!("/api/v1/facilities/{b}");
    let (status, _) = caremesh_e2e::health::delete(&node, &path, &node.admin).await?;
    assert_eq!(status, 200);
    // A new version of a request is no new object either.
    let (_, listed) = node.get("/api/v1/requests", None).await?;
    assert_eq!(listed["requests"].as_array().map(Vec::len), Some(2));
    assert_eq!(counts(&node).await?, (3.0, 2.0));

    node.kill9();
    node.start().await?;
    assert_eq!(
        counts(&node).await?,
        (3.0, 2.0),
        "counted again from the store at start"
    );
    facility(&node, "Dev Clinic").await?;
    assert_eq!(counts(&node).await?, (4.0, 2.0));
    assert!(node.stop()?, "clean exit; log:\n{}", node.log());
    Ok(())
}

async fn diagnose(node: &Node, id: &str) -> anyhow::Result<(u16, Value)> {
    let body = json!({"query": "fever and cough for three days", "query_id": {"query_id": id}});
    node.post("/diagnose", None, &body).await
}

async fn geo(node: &Node, id: &str) -> anyhow::Result<u16> {
    let body = json!({"location": {"lat": 18.52, "lng": 73.85},
        "cust_id": {"cust_id": "c1"}, "query_id": {"query_id": id}});
    Ok(node.post("/geo", None, &body).await?.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnoses_expire_and_are_bounded_per_client_and_per_node() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut node = Node::init(root.path(), "diag", &[])?;
    let config = node.dir.join("config.toml");
    let text = std::fs::read_to_string(&config)?.replace(
        "[api]\n",
        "[api]\ndiagnose_ttl_secs = 3\ndiagnose_per_client = 2\ndiagnose_max = 2\n",
    );
    anyhow::ensure!(
        text.contains("diagnose_ttl_secs"),
        "config has an [api] section"
    );
    std::fs::write(&config, text)?;
    node.start().await?;

    assert_eq!(diagnose(&node, "q1").await?.0, 200);
    assert_eq!(diagnose(&node, "q2").await?.0, 200);
    // Asking again under a held id replaces it and costs nothing.
    assert_eq!(diagnose(&node, "q2").await?.0, 200);
    let (status, refused) = diagnose(&node, "q3").await?;
    assert_eq!(status, 429, "{refused}");
    assert_eq!(refused["error"]["code"], "diagnose_per_client");
    assert!(
        refused["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("api.diagnose_per_client")),
        "{refused}"
    );
    assert_eq!(geo(&node, "q1").await?, 200);
    assert_eq!(geo(&node, "q3").await?, 404, "a refused query was not kept");

    // Expired: unknown to /geo, and once swept the client has room again.
    tokio::time::sleep(Duration::from_millis(3_200)).await;
    assert_eq!(geo(&node, "q1").await?, 404);
    eventually("the sweep frees room", Duration::from_secs(10), || async {
        let (status, _) = diagnose(&node, "q3").await?;
        Ok((status == 200).then_some(()))
    })
    .await?;
    assert_eq!(geo(&node, "q3").await?, 200);
    assert!(node.stop()?, "clean exit; log:\n{}", node.log());
    Ok(())
}

/// Ids of a facility search.
async fn ids(node: &Node, query: &str) -> anyhow::Result<Vec<String>> {
    let (status, body) = node
        .get(&format!("/api/v1/facilities?{query}"), None)
        .await?;
    anyhow::ensure!(status == 200, "search {query} answered {status}: {body}");
    Ok(body["facilities"]
        .as_array()
        .context("a list")?
        .iter()
        .filter_map(|f| f["id"].as_str().map(str::to_owned))
        .collect())
}

/// The same search with the service filter applied here, on every listing the node returns.
async fn filtered_here(node: &Node, query: &str, needle: &str) -> anyhow::Result<Vec<String>> {
    let (status, body) = node
        .get(&format!("/api/v1/facilities?{query}&limit=500"), None)
        .await?;
    anyhow::ensure!(status == 200, "search answered {status}: {body}");
    Ok(body["facilities"]
        .as_array()
        .context("a list")?
        .iter()
        .filter(|f| {
            f["services"].as_array().is_some_and(|s| {
                s.iter().any(|s| {
                    s["name"]
                        .as_str()
                        .is_some_and(|n| n.to_lowercase().contains(needle))
                })
            })
        })
        .filter_map(|f| f["id"].as_str().map(str::to_owned))
        .collect())
}

async fn service_answers(node: &Node) -> anyhow::Result<Vec<Vec<String>>> {
    let mut all = Vec::new();
    for needle in ["x-ray", "RAY", "ecg", "nothing"] {
        for point in ["", "lat=18.52&lon=73.85", "lat=18.52&lon=73.85&radius_km=3"] {
            let by_index = ids(node, &format!("{point}&service={needle}&limit=500")).await?;
            let here = filtered_here(node, point, &needle.to_lowercase()).await?;
            assert_eq!(by_index, here, "service={needle} {point}");
            all.push(by_index);
        }
    }
    Ok(all)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_search_answers_what_filtering_every_listing_answers_across_restarts()
-> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut node = Node::started(root.path(), "svc", &[]).await?;
    let names = ["X-Ray", "Dental X-ray", "Consultation", "ECG"];
    let mut made = Vec::new();
    for i in 0..12usize {
        let services: Vec<Value> = (0..names.len())
            .filter(|n| (i + n).is_multiple_of(3))
            .map(|n| json!({"name": names[n], "price": 100.0, "currency": "INR"}))
            .collect();
        let body = json!({"kind": "clinic", "name": format!("Clinic {i}"),
            "lat": 18.50 + i as f64 * 0.005, "lon": 73.85, "services": services});
        let (status, answer) = node
            .post("/api/v1/facilities", Some(&node.admin), &body)
            .await?;
        anyhow::ensure!(status == 201, "create answered {status}: {answer}");
        made.push(answer["id"].as_str().context("id")?.to_owned());
    }
    // A retracted listing is found by none of its services.
    let path = format!("/api/v1/facilities/{}", made[0]);
    let (status, _) = caremesh_e2e::health::delete(&node, &path, &node.admin).await?;
    assert_eq!(status, 200);
    let before = service_answers(&node).await?;
    assert!(before[0].len() >= 4, "x-ray listings: {:?}", before[0]);
    assert!(!before.iter().flatten().any(|id| *id == made[0]));

    // From the snapshot after a clean stop, and from the snapshot plus the log after a kill.
    assert!(node.stop()?, "clean exit; log:\n{}", node.log());
    node.start().await?;
    assert_eq!(service_answers(&node).await?, before);
    let body = json!({"kind": "clinic", "name": "Late Clinic", "lat": 18.52, "lon": 73.85,
        "services": [{"name": "Portable X-Ray", "price": 1.0, "currency": "INR"}]});
    let (status, late) = node
        .post("/api/v1/facilities", Some(&node.admin), &body)
        .await?;
    anyhow::ensure!(status == 201, "create answered {status}: {late}");
    node.kill9();
    node.start().await?;
    let after = service_answers(&node).await?;
    assert!(
        after[0]
            .iter()
            .any(|id| Some(id.as_str()) == late["id"].as_str())
    );
    assert!(node.stop()?, "clean exit; log:\n{}", node.log());
    Ok(())
}
