//! Hostile pushes to a real node: each is refused by the check that docs/protocol.md names,
//! nothing of it is stored, and the node keeps serving.

use std::time::Duration;

use caremesh_e2e::Node;
use caremesh_e2e::rogue::outcomes;
use caremesh_federation::object::{Object, Request};
use caremesh_federation::request_auth::RequestAuth;
use caremesh_federation::{Batch, Envelope, NodeKey, codec};
use serde_json::Value;

fn key_of(node: &Node) -> anyhow::Result<NodeKey> {
    Ok(NodeKey::from_file_text(&std::fs::read_to_string(
        node.dir.join("node.key"),
    )?)?)
}

fn now_s() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn request(origin: &str, quantity: u32) -> Request {
    caremesh_e2e::rogue::Rogue::request(origin, quantity)
}

/// Pushes raw body bytes to `to`'s inbox, signed as `from` at `created`.
async fn push_raw(
    from: &Node,
    key: &NodeKey,
    to: &Node,
    body: Vec<u8>,
    created: i64,
) -> anyhow::Result<(u16, Value, String)> {
    let header = inbox_auth(key, from, to, &body, created);
    let (status, v) = send(to, Some(&header), body).await?;
    Ok((status, v, header))
}

/// The authorization header of an inbox push from `from` to `to` carrying `body`.
fn inbox_auth(key: &NodeKey, from: &Node, to: &Node, body: &[u8], created: i64) -> String {
    RequestAuth::sign(
        key,
        &from.url,
        &to.url,
        "POST",
        "/federation/v1/inbox",
        body,
        created,
    )
    .to_header()
}

async fn send(to: &Node, auth: Option<&str>, body: Vec<u8>) -> anyhow::Result<(u16, Value)> {
    let mut req = reqwest::Client::new()
        .post(format!("{}/federation/v1/inbox", to.url))
        .header("content-type", "application/msgpack")
        .body(body);
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    let resp = req.send().await?;
    Ok((
        resp.status().as_u16(),
        resp.json().await.unwrap_or(Value::Null),
    ))
}

fn batch(envelopes: Vec<Envelope>) -> anyhow::Result<Vec<u8>> {
    Ok(codec::encode(
        "batch",
        &Batch {
            txn: ulid::Ulid::new().to_string(),
            envelopes,
        },
    )?)
}

fn refused_by(answer: &(u16, Value), status: u16, check: &str) {
    assert_eq!(answer.0, status, "{answer:?}");
    assert_eq!(answer.1["error"]["code"], check, "{answer:?}");
    assert!(
        answer.1["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{answer:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_pushes_are_refused_by_the_named_check() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut peer = Node::init(root.path(), "peer", &[])?;
    let mut stranger = Node::init(root.path(), "stranger", &[])?;
    let mut x = Node::init(root.path(), "x", &[&peer.url])?;
    for n in [&mut peer, &mut stranger, &mut x] {
        n.start().await?;
    }
    let (peer_key, stranger_key) = (key_of(&peer)?, key_of(&stranger)?);
    let now = now_s();

    // Oversized body.
    let huge = vec![0u8; (1 << 20) + 1];
    refused_by(&send(&x, None, huge).await?, 413, "body_size");
    // Well over the limit: the node reads it to the end, so the sender gets the answer
    // instead of a broken pipe.
    let bigger = vec![0u8; 3 << 20];
    refused_by(&send(&x, None, bigger).await?, 413, "body_size");
    // No or malformed authorization.
    refused_by(&send(&x, None, batch(vec![])?).await?, 401, "header");
    refused_by(
        &send(&x, Some("Caremesh origin=\"x\""), batch(vec![])?).await?,
        401,
        "header",
    );
    // A node that is not a peer (allowlist policy).
    let good = Envelope::seal(&Object::Request(request(&stranger.url, 5)), &stranger_key)?;
    let (s, v, _) = push_raw(&stranger, &stranger_key, &x, batch(vec![good])?, now).await?;
    refused_by(&(s, v), 403, "peer_policy");
    // Outside the clock window.
    let (s, v, _) = push_raw(&peer, &peer_key, &x, batch(vec![])?, now - 3600).await?;
    refused_by(&(s, v), 401, "clock");
    // Garbage bytes, correctly signed.
    let (s, v, _) = push_raw(&peer, &peer_key, &x, b"\xc1\xff garbage".to_vec(), now).await?;
    refused_by(&(s, v), 400, "decode");
    // A request signature that does not match the body.
    let auth = inbox_auth(&peer_key, &peer, &x, b"other", now);
    refused_by(
        &send(&x, Some(&auth), batch(vec![])?).await?,
        401,
        "signature",
    );
    // Replay of an accepted request.
    let body = batch(vec![])?;
    let auth = inbox_auth(&peer_key, &peer, &x, &body, now);
    assert_eq!(send(&x, Some(&auth), body.clone()).await?.0, 200);
    refused_by(&send(&x, Some(&auth), body).await?, 409, "replay");

    // Per-envelope checks, in one batch from the peer.
    let forged = {
        // Claims the peer as origin but is signed with the stranger's key.
        let mut env = Envelope::seal(&Object::Request(request(&peer.url, 7)), &stranger_key)?;
        env.origin = peer.url.clone();
        env
    };
    let stolen_origin =
        Envelope::seal(&Object::Request(request(&x.url, 7)), &peer_key).map(|mut e| {
            e.origin = peer.url.clone(); // signed by the peer, but the object says it is x's
            e
        })?;
    let bad_schema = Envelope::seal(&Object::Request(request(&peer.url, 0)), &peer_key)?;
    let mut bad_body = Envelope::seal(&Object::Request(request(&peer.url, 9)), &peer_key)?;
    bad_body.body.truncate(10);
    bad_body.sig = peer_key
        .sign(&caremesh_federation::envelope::signing_input(
            bad_body.kind,
            &bad_body.body,
        ))
        .to_vec();
    let accepted = Envelope::seal(&Object::Request(request(&peer.url, 11)), &peer_key)?;
    let accepted_id = accepted.decode()?.meta().id.clone();
    let (s, v, _) = push_raw(
        &peer,
        &peer_key,
        &x,
        batch(vec![forged, stolen_origin, bad_schema, bad_body, accepted])?,
        now,
    )
    .await?;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        outcomes(&v),
        ["signature", "ownership", "schema", "decode", "stored"],
        "{v}"
    );

    // Only the one good request is stored; x still serves.
    let (_, list) = x.get("/api/v1/requests", None).await?;
    let ids: Vec<&str> = list["requests"]
        .as_array()
        .map(|l| l.iter().filter_map(|r| r["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(ids, vec![accepted_id.as_str()], "{list}");
    assert_eq!(x.get("/healthz", None).await?.0, 200);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let log = x.log();
    for check in [
        "body_size",
        "peer_policy",
        "clock",
        "decode",
        "replay",
        "signature",
        "ownership",
        "schema",
    ] {
        assert!(log.contains(check), "the log does not name {check}");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_version_cannot_be_rewritten_and_old_versions_do_not_win() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut peer = Node::init(root.path(), "peer", &[])?;
    let mut x = Node::init(root.path(), "x", &[&peer.url])?;
    peer.start().await?;
    x.start().await?;
    let key = key_of(&peer)?;
    let mut r = request(&peer.url, 10);
    let v1 = Envelope::seal(&Object::Request(r.clone()), &key)?;
    r.meta.version = 2;
    r.quantity = 20;
    let v2 = Envelope::seal(&Object::Request(r.clone()), &key)?;
    r.quantity = 99; // same version 2, different content: equivocation
    let v2b = Envelope::seal(&Object::Request(r.clone()), &key)?;
    let (_, v, _) = push_raw(
        &peer,
        &key,
        &x,
        batch(vec![v2.clone(), v1, v2b, v2])?,
        now_s(),
    )
    .await?;
    assert_eq!(
        outcomes(&v),
        ["stored", "duplicate", "version_order", "duplicate"],
        "{v}"
    );
    let (_, got) = x
        .get(&format!("/api/v1/requests/{}", r.meta.id), None)
        .await?;
    assert_eq!(got["quantity"], 20);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_count_envelopes_and_blocklists_are_enforced() -> anyhow::Result<()> {
    use caremesh_e2e::rogue::Rogue;
    let root = tempfile::tempdir()?;
    let fast = Rogue::start().await?;
    let blocked = Rogue::start().await?;
    let mut x = Node::init(root.path(), "x", &[&fast.url, &blocked.url])?;
    // 60 envelopes a minute: bursts of two full batches.
    x.set_federation(&format!(
        "policy = \"allowlist\"\nblocklist = [\"{}\"]\nrate_limit_per_minute = 60",
        blocked.url
    ))?;
    x.start().await?;
    let (s, v) = blocked.push(&x.url, vec![]).await?;
    refused_by(&(s, v), 403, "peer_policy");
    // Pushes that claim to be `fast` but are signed by someone else spend none of its rate.
    let forger = NodeKey::generate();
    for _ in 0..20 {
        let (s, v) = fast
            .push_body(&x.url, batch(vec![])?, &forger, &fast.url)
            .await?;
        refused_by(&(s, v), 401, "signature");
    }
    let full = || -> Vec<Envelope> {
        (0..50)
            .map(|_| fast.sign(Rogue::request(&fast.url, 3)))
            .collect()
    };
    for _ in 0..2 {
        let (s, v) = fast.push(&x.url, full()).await?;
        assert_eq!(s, 200, "{v}");
        assert!(outcomes(&v).iter().all(|o| o == "stored"), "{v}");
    }
    // The third full batch is over the rate, counted in envelopes: 429, nothing stored, and
    // the answer says when to come back.
    let body = batch(full())?;
    let auth = RequestAuth::sign(
        &fast.key,
        &fast.url,
        &x.url,
        "POST",
        "/federation/v1/inbox",
        &body,
        now_s(),
    );
    let resp = reqwest::Client::new()
        .post(format!("{}/federation/v1/inbox", x.url))
        .header("authorization", auth.to_header())
        .body(body)
        .send()
        .await?;
    assert_eq!(resp.status().as_u16(), 429);
    let wait: u64 = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!(wait >= 1, "Retry-After: {wait}");
    let (_, list) = x.get("/api/v1/requests", None).await?;
    assert_eq!(
        list["requests"].as_array().map(Vec::len),
        Some(100),
        "{list}"
    );
    assert_eq!(x.get("/healthz", None).await?.0, 200);
    Ok(())
}
