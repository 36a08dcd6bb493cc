//! A rogue peer (tests/src/rogue.rs) against a real `caremesh` process: envelopes whose
//! origin's key cannot be had are parked (docs/protocol.md §4, "Parking"), and the honest
//! data is checked afterwards. Keys are in rogue_keys.rs.

use std::time::Duration;

use caremesh_e2e::rogue::{Rogue, outcomes};
use caremesh_e2e::{Node, eventually};
use serde_json::json;

/// Waits end as soon as their condition holds; parked envelopes are retried within 5 s.
const WAIT: Duration = Duration::from_secs(20);

/// Item 3: an envelope whose origin's key cannot be had is parked; the push and the pull
/// it came with go on, the cursor moves past it, and it is stored once its origin answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unverifiable_envelopes_are_parked_not_blocking() -> anyhow::Result<()> {
    use caremesh_federation::NodeKey;
    let root = tempfile::tempdir()?;
    let rogue = Rogue::start().await?;
    // A node that is away: its port is known, nobody listens there yet.
    let away = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let away_url = format!("http://{}", away.local_addr()?);
    let away_key = NodeKey::generate();
    drop(away);
    let away_listing = Rogue::facility(&away_url, "Far Clinic", "+91 1");
    let away_need = Rogue::request(&away_url, 7);
    let rogue_need = Rogue::request(&rogue.url, 8);
    rogue.serve_pull(vec![
        caremesh_e2e::rogue::forge(away_need.clone(), &away_key),
        rogue.sign(rogue_need.clone()),
    ]);
    let mut node = Node::started(root.path(), "node", &[&rogue.url]).await?;
    // The pull at start stored the rogue's own need past the one it cannot check yet.
    eventually("the pull stores what it can", WAIT, || async {
        let (s, _) = node
            .get(&format!("/api/v1/requests/{}", rogue_need.meta.id), None)
            .await?;
        Ok((s == 200).then_some(()))
    })
    .await?;
    let mine = Rogue::facility(&rogue.url, "Rogue Clinic", "+91 2");
    let (s, v) = rogue
        .push(
            &node.url,
            vec![
                caremesh_e2e::rogue::forge(away_listing.clone(), &away_key),
                rogue.sign(mine.clone()),
            ],
        )
        .await?;
    assert_eq!(s, 200, "{v}");
    assert_eq!(outcomes(&v), ["parked", "stored"], "{v}");
    assert_eq!(node.metric("parked_envelopes").await?, Some(2.0));
    // The pull cursor moved past the parked envelope: after a restart the node asks for
    // what follows it.
    node.stop()?;
    node.start().await?;
    eventually(
        "the pull resumes after the parked envelope",
        WAIT,
        || async {
            Ok(rogue
                .hits()
                .iter()
                .any(|h| h.starts_with("/federation/v1/objects?after=2"))
                .then_some(()))
        },
    )
    .await?;
    assert!(
        !rogue
            .hits()
            .iter()
            .filter(|h| h.starts_with("/federation/v1/objects"))
            .skip(1)
            .any(|h| h.contains("after=0")),
        "the pull went back: {:?}",
        rogue.hits()
    );

    // The node that was away comes back and pushes; its parked envelopes are stored.
    let listener = tokio::net::TcpListener::bind(away_url.trim_start_matches("http://")).await?;
    let back = Rogue::serve(listener, away_key).await?;
    // (A peer only for the push below; the parked envelopes came from the rogue.)
    let (s, _) = node
        .post(
            "/api/v1/peers",
            Some(&node.admin),
            &json!({"url": back.url}),
        )
        .await?;
    assert!(s == 201 || s == 200);
    // A fetch of its identity found nobody moments ago; the node asks again 2 s later.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (s, v) = back.push(&node.url, vec![]).await?;
    assert_eq!(s, 200, "{v}");
    eventually("parked envelopes are stored", WAIT, || async {
        let (s1, _) = node
            .get(
                &format!("/api/v1/facilities/{}", away_listing.meta.id),
                None,
            )
            .await?;
        let (s2, _) = node
            .get(&format!("/api/v1/requests/{}", away_need.meta.id), None)
            .await?;
        Ok((s1 == 200 && s2 == 200).then_some(()))
    })
    .await?;
    assert_eq!(node.metric("parked_envelopes").await?, Some(0.0));
    assert_eq!(node.metric("parked_envelopes_stored").await?, Some(2.0));
    let (_, v) = node
        .get(&format!("/api/v1/facilities/{}", mine.meta.id), None)
        .await?;
    assert_eq!(v["contact"], "+91 2");
    Ok(())
}
