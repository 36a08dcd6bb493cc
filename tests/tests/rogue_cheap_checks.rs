//! A rogue peer (tests/src/rogue.rs) against a real `caremesh` process: what the header
//! decides is decided before the body is read and before any network (docs/protocol.md §4,
//! "Checks"). Keys are in rogue_keys.rs, parking in rogue_parking.rs.

use std::time::Duration;

use anyhow::Context;
use caremesh_e2e::Node;
use caremesh_e2e::rogue::{Rogue, outcomes};

/// Sends a request head and only the first bytes of a body it announces as much longer,
/// then reads whatever the node answers within two seconds.
async fn head_only(node: &Node, authorization: &str) -> anyhow::Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = node.url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await?;
    let head = format!(
        "POST /federation/v1/inbox HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/msgpack\r\n\
         Content-Length: 900000\r\nAuthorization: {authorization}\r\n\r\n0123456789"
    );
    stream.write_all(head.as_bytes()).await?;
    let mut answer = vec![0u8; 4096];
    let read = tokio::time::timeout(Duration::from_secs(2), stream.read(&mut answer)).await;
    let n = read.context("no answer before the body was sent")??;
    Ok(String::from_utf8_lossy(&answer[..n]).into_owned())
}

/// Item 4: what the header decides is decided before the body is read, and a forged
/// header costs the node no more than one identity fetch per origin in a while.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cheap_checks_come_before_the_body_and_the_network() -> anyhow::Result<()> {
    use caremesh_federation::NodeKey;
    use caremesh_federation::request_auth::RequestAuth;
    let root = tempfile::tempdir()?;
    let peer = Rogue::start().await?;
    let stranger = Rogue::start().await?;
    let node = Node::started(root.path(), "node", &[&peer.url]).await?;

    // A bad header, and a good header from a sender that is not a peer, are answered
    // while most of the body is still to come.
    let answer = head_only(&node, "Caremesh nonsense").await?;
    assert!(
        answer.starts_with("HTTP/1.1 401") && answer.contains("\"header\""),
        "{answer}"
    );
    let from_stranger = RequestAuth::sign(
        &stranger.key,
        &stranger.url,
        &node.url,
        "POST",
        "/federation/v1/inbox",
        b"",
        rogue_now_s(),
    );
    let answer = head_only(&node, &from_stranger.to_header()).await?;
    assert!(
        answer.starts_with("HTTP/1.1 403") && answer.contains("peer_policy"),
        "{answer}"
    );

    // Thirty pushes claiming to be the peer, each under a made-up key id: refused, and
    // the peer's identity is fetched at most once for all of them.
    for i in 0..30 {
        let key =
            NodeKey::from_secret(&format!("ed25519:{}", 100 + i), NodeKey::generate_secret())?;
        let (s, v) = peer
            .push_body(
                &node.url,
                caremesh_e2e::rogue::batch(vec![])?,
                &key,
                &peer.url,
            )
            .await?;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (401, Some("signature")),
            "{v}"
        );
    }
    let fetches = peer
        .hits()
        .iter()
        .filter(|h| h.starts_with("/federation/v1/identity"))
        .count();
    assert!(
        fetches <= 1,
        "{fetches} identity fetches for forged headers"
    );
    // The peer itself is unaffected: its own push goes through at once.
    let need = Rogue::request(&peer.url, 4);
    let (s, v) = peer.push(&node.url, vec![peer.sign(need.clone())]).await?;
    assert_eq!((s, outcomes(&v)), (200, vec!["stored".to_owned()]), "{v}");
    let (s, _) = node
        .get(&format!("/api/v1/requests/{}", need.meta.id), None)
        .await?;
    assert_eq!(s, 200);
    Ok(())
}

fn rogue_now_s() -> i64 {
    caremesh_e2e::rogue::now_ms() / 1000
}
