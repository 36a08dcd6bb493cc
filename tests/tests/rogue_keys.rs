//! A rogue peer (tests/src/rogue.rs) against real `caremesh` processes: the rules about
//! keys (docs/protocol.md §1: learning keys, rotation), parking (§4) and the cheap checks
//! that come before the body and the network. Each test checks the honest nodes' data
//! afterwards, not only the answer to the attack. The other attacks are in rogue_peer.rs.

use std::time::Duration;

use anyhow::Context;
use caremesh_e2e::rogue::{Rogue, outcomes};
use caremesh_e2e::{Node, eventually};
use serde_json::{Value, json};

/// Long enough for a parked envelope's first retry (30 s, node/src/federation/parking.rs):
/// after a key rotation, a peer that tried to fetch the new identity while the rotated node
/// was still starting waits out its fetch interval, parks what arrives meanwhile, and stores
/// it on that retry. Waits end as soon as their condition holds.
const WAIT: Duration = Duration::from_secs(60);

/// A listing of `node`'s own, made through its API: its id.
async fn listing_on(node: &Node, contact: &str) -> anyhow::Result<String> {
    let (s, v) = node
        .post(
            "/api/v1/facilities",
            Some(&node.admin),
            &json!({"kind": "clinic", "name": "Honest Clinic", "lat": 18.5, "lon": 73.8, "contact": contact}),
        )
        .await?;
    anyhow::ensure!(s == 201, "facility: {s} {v}");
    Ok(v["id"].as_str().context("id")?.to_owned())
}

async fn contact_on(node: &Node, id: &str) -> anyhow::Result<Value> {
    let (_, v) = node.get(&format!("/api/v1/facilities/{id}"), None).await?;
    Ok(v["contact"].clone())
}

/// Item 2: a relay cannot replace an origin's keys, nor add one, nor speak for the node it
/// talks to; the origin's real pushes still verify afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_cannot_replace_keys() -> anyhow::Result<()> {
    use caremesh_federation::{Identity, NodeKey};
    let root = tempfile::tempdir()?;
    let rogue = Rogue::start().await?;
    let mut origin = Node::init(root.path(), "origin", &[])?;
    let mut node = Node::init(root.path(), "node", &[&origin.url, &rogue.url])?;
    origin.set_peers(&[&node.url])?;
    origin.start().await?;
    node.start().await?;
    let listing = listing_on(&origin, "+91 20 1111 2222").await?;
    eventually("the listing reaches node", WAIT, || async {
        Ok((contact_on(&node, &listing).await? == "+91 20 1111 2222").then_some(()))
    })
    .await?;
    origin.stop()?;

    // The origin is down. The rogue relays a made-up identity for it and pushes a "new
    // version" of its listing, signed with the rogue's key under the known key id and
    // under a new one.
    let forged_key = |id: &str| NodeKey::from_secret(id, NodeKey::generate_secret());
    let (k1, k2) = (forged_key("ed25519:1")?, forged_key("ed25519:2")?);
    let mut made_up = Identity::new(&origin.url, "origin", &k1);
    made_up
        .keys
        .extend(Identity::new(&origin.url, "origin", &k2).keys);
    rogue.relay_identity(made_up);
    let mut hijack = Rogue::facility(&origin.url, "Honest Clinic", "+91 99 ROGUE");
    hijack.meta.id = listing.clone();
    hijack.meta.version = 9;
    let under_known_id = caremesh_e2e::rogue::forge(hijack.clone(), &k1);
    hijack.meta.version = 10;
    let under_new_id = caremesh_e2e::rogue::forge(hijack, &k2);
    let (s, v) = rogue
        .push(&node.url, vec![under_known_id, under_new_id])
        .await?;
    assert_eq!(s, 200, "{v}");
    assert_eq!(outcomes(&v), ["signature", "parked"], "{v}");
    // Nor can anyone speak as the node itself, whatever identity is relayed for it.
    let mut me = Identity::new(&node.url, "node", &k1);
    me.keys[0].id = "ed25519:9".into();
    rogue.relay_identity(me);
    let as_node = |key: &NodeKey| caremesh_e2e::rogue::forge(Rogue::request(&node.url, 5), key);
    let (_, v) = rogue
        .push(
            &node.url,
            vec![as_node(&k1), as_node(&forged_key("ed25519:9")?)],
        )
        .await?;
    assert_eq!(outcomes(&v), ["signature", "signature"], "{v}");

    // The origin's data and keys are untouched here, and the origin, back, is heard.
    assert_eq!(contact_on(&node, &listing).await?, "+91 20 1111 2222");
    let (_, cached) = node
        .get(
            &format!("/federation/v1/identity?origin={}", origin.url),
            None,
        )
        .await?;
    let (_, real) = node.get("/federation/v1/identity", None).await?;
    assert_eq!(cached["keys"].as_array().map(Vec::len), Some(1), "{cached}");
    assert_eq!(real["keys"].as_array().map(Vec::len), Some(1), "{real}");
    origin.start().await?;
    let (s, v) = origin
        .put(
            &format!("/api/v1/facilities/{listing}"),
            Some(&origin.admin),
            &json!({"kind": "clinic", "name": "Honest Clinic", "lat": 18.5, "lon": 73.8, "contact": "+91 20 3333 4444"}),
        )
        .await?;
    assert_eq!(s, 200, "{v}");
    eventually("the origin's update reaches node", WAIT, || async {
        Ok((contact_on(&node, &listing).await? == "+91 20 3333 4444").then_some(()))
    })
    .await?;
    assert_eq!(node.metric("parked_envelopes").await?, Some(1.0));
    Ok(())
}

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
    let mut node = Node::init(root.path(), "node", &[&rogue.url])?;
    node.start().await?;
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
    // Its identity was asked for moments ago; the node waits before asking again.
    tokio::time::sleep(Duration::from_secs(11)).await;
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
    assert_eq!(contact_on(&node, &mine.meta.id).await?, "+91 2");
    Ok(())
}

async fn update_listing(node: &Node, id: &str, contact: &str) -> anyhow::Result<()> {
    let (s, v) = node
        .put(
            &format!("/api/v1/facilities/{id}"),
            Some(&node.admin),
            &json!({"kind": "clinic", "name": "Honest Clinic", "lat": 18.5, "lon": 73.8, "contact": contact}),
        )
        .await?;
    anyhow::ensure!(s == 200, "update: {s} {v}");
    Ok(())
}

async fn wait_contact(node: &Node, id: &str, contact: &str) -> anyhow::Result<()> {
    eventually(&format!("{contact} on {}", node.name), WAIT, || async {
        Ok((contact_on(node, id).await? == contact).then_some(()))
    })
    .await
}

/// `caremesh key rotate`: peers take up the new key by themselves (straight from the
/// origin, or through a relay, vouched for by the old key); old objects still verify; the
/// old key, stolen, signs nothing new that anyone accepts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_rotation_reaches_peers_and_retires_the_old_key() -> anyhow::Result<()> {
    use caremesh_federation::Keychain;
    let root = tempfile::tempdir()?;
    let rogue = Rogue::start().await?;
    let mut a = Node::init(root.path(), "a", &[])?;
    let mut b = Node::init(root.path(), "b", &[&a.url, &rogue.url])?;
    let mut far = Node::init(root.path(), "far", &[&b.url])?;
    a.set_peers(&[&b.url])?;
    b.set_peers(&[&far.url])?;
    for n in [&mut a, &mut b, &mut far] {
        n.start().await?;
    }
    let (kept, changed) = (
        listing_on(&a, "+91 1 kept").await?,
        listing_on(&a, "+91 1 old").await?,
    );
    wait_contact(&far, &kept, "+91 1 kept").await?;
    wait_contact(&far, &changed, "+91 1 old").await?;
    let stolen = Keychain::from_file_text(&std::fs::read_to_string(a.dir.join("node.key"))?)?
        .current()
        .clone();

    // Rotation needs the node stopped.
    let refused = b.command(&["key", "rotate"])?;
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("database"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    far.stop()?;
    a.stop()?;
    let rotated = a.command(&["key", "rotate"])?;
    assert!(rotated.status.success(), "{rotated:?}");
    assert!(String::from_utf8_lossy(&rotated.stdout).contains("ed25519:2"));
    a.start().await?;
    let (_, identity) = a.get("/federation/v1/identity", None).await?;
    assert_eq!(
        identity["keys"][1]["rotation"]["from"], "ed25519:1",
        "{identity}"
    );

    // New objects use the new key; b takes it up from a itself.
    update_listing(&a, &changed, "+91 2 new").await?;
    wait_contact(&b, &changed, "+91 2 new").await?;
    // `far` cannot reach a any more; it hears of the new key through b, vouched by the old.
    a.stop()?;
    far.start().await?;
    wait_contact(&far, &changed, "+91 2 new").await?;
    assert_eq!(
        contact_on(&far, &kept).await?,
        "+91 1 kept",
        "old objects still verify"
    );

    // The stolen old key signs a "newer" listing: refused by every peer that knows.
    let mut theft = Rogue::facility(&a.url, "Honest Clinic", "+91 9 THIEF");
    theft.meta.id = kept.clone();
    theft.meta.version = 5;
    let (_, v) = rogue
        .push(&b.url, vec![caremesh_e2e::rogue::forge(theft, &stolen)])
        .await?;
    assert_eq!(outcomes(&v), ["signature"], "{v}");
    assert!(
        v["results"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("retired")),
        "{v}"
    );
    // Nor does it sign requests any more.
    let (s, v) = rogue
        .push_body(&b.url, caremesh_e2e::rogue::batch(vec![])?, &stolen, &a.url)
        .await?;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (401, Some("signature")),
        "{v}"
    );
    assert_eq!(contact_on(&b, &kept).await?, "+91 1 kept");
    Ok(())
}

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
    let mut node = Node::init(root.path(), "node", &[&peer.url])?;
    node.start().await?;

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
