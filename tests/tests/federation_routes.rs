//! Directed objects follow the freshest route (docs/protocol.md §5), between four real
//! nodes: A (a hospital) peers with relays R1 and R2; C (makers) peers with R1 and R2 only.
//! A's need reaches C through R1 while R2 is down, so C's proposal goes back through R1.
//! Then R1 dies and R2 comes up: once A's next object reaches C through R2, C's proposals
//! reach A through R2, and A keeps what it had.

use std::time::Duration;

use anyhow::Context;
use caremesh_e2e::market::{post_need, proposals_seen, propose};
use caremesh_e2e::{Node, eventually};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(40);

/// Short retry pauses, so a peer that comes up is reached within seconds.
const FEDERATION: &str = "policy = \"allowlist\"\nretry_max_secs = 1";

/// The ids of the proposals A's requester sees on `request`, once there are `count`.
async fn proposals_on_a(
    a: &Node,
    token: &str,
    request: &str,
    count: usize,
) -> anyhow::Result<Vec<String>> {
    let list = proposals_seen(a, token, request, count, WAIT).await?;
    Ok(list
        .iter()
        .filter_map(|p| p["id"].as_str().map(str::to_owned))
        .collect())
}

async fn seen_on(node: &Node, request: &str) -> anyhow::Result<Value> {
    eventually("the request reaches C", WAIT, || async {
        let (status, v) = node
            .get(&format!("/api/v1/requests/{request}"), None)
            .await?;
        Ok((status == 200).then_some(v))
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proposals_follow_the_freshest_route_when_a_relay_dies() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut a = Node::init(root.path(), "a", &[])?;
    let mut r1 = Node::init(root.path(), "r1", &[])?;
    let mut r2 = Node::init(root.path(), "r2", &[])?;
    let mut c = Node::init(root.path(), "c", &[])?;
    for (node, peers) in [
        (&a, [&r1.url, &r2.url]),
        (&r1, [&a.url, &c.url]),
        (&r2, [&a.url, &c.url]),
        (&c, [&r1.url, &r2.url]),
    ] {
        node.set_federation(FEDERATION)?;
        node.set_peers(&[peers[0].as_str(), peers[1].as_str()])?;
    }
    a.start().await?;
    r1.start().await?;
    c.start().await?;

    // R2 is down: A's need reaches C through R1, and C's proposal returns the same way.
    let body = json!({"kind": "hospital", "name": "Sassoon General", "lat": 18.52, "lon": 73.85});
    let (status, facility) = a.post("/api/v1/facilities", Some(&a.admin), &body).await?;
    assert_eq!(status, 201, "{facility}");
    let facility = facility["id"].as_str().context("facility id")?.to_owned();
    let requester = a
        .member(json!({"handle": "nurse.asha", "role": "requester", "facility_id": facility}))
        .await?;
    let need1 = post_need(&a, &requester, &facility, 200).await?;
    seen_on(&c, &need1).await?;
    let maker = c
        .member(json!({"handle": "maker.ravi", "role": "maker", "contact": "ravi@example.org"}))
        .await?;
    let p1 = propose(&c, &maker, &need1, 50, "PETG").await?;
    let on_need1 = proposals_on_a(&a, &requester, &need1, 1).await?;
    assert_eq!(on_need1, std::slice::from_ref(&p1));

    // R1 dies, R2 comes up. A's next need reaches C through R2, the freshest route to A.
    r1.kill9();
    r2.start().await?;
    let need2 = post_need(&a, &requester, &facility, 80).await?;
    seen_on(&c, &need2).await?;

    // C's next proposals reach A although the route they first took is gone.
    let p2 = propose(&c, &maker, &need2, 30, "PETG").await?;
    assert_eq!(proposals_on_a(&a, &requester, &need2, 1).await?, [p2]);
    let maker2 = c
        .member(json!({"handle": "maker.meera", "role": "maker"}))
        .await?;
    let p3 = propose(&c, &maker2, &need1, 20, "PLA").await?;
    let mut on_need1 = proposals_on_a(&a, &requester, &need1, 2).await?;
    on_need1.sort();
    let mut expected = vec![p1, p3];
    expected.sort();
    assert_eq!(on_need1, expected, "A keeps p1 and gets p3");

    // A's own data is unchanged by the detour.
    let (_, v) = a.get(&format!("/api/v1/requests/{need1}"), None).await?;
    assert_eq!(
        (v["quantity"].as_u64(), v["origin"].as_str()),
        (Some(200), Some(a.url.as_str()))
    );
    for node in [&mut a, &mut r2, &mut c] {
        node.stop()?;
    }
    Ok(())
}
