//! A rogue peer (tests/src/rogue.rs) against real `caremesh` processes: the rules about
//! keys (docs/protocol.md §1: learning keys, rotation). Each test checks the honest nodes'
//! data afterwards, not only the answer to the attack; and that what honest peers sealed to
//! a key just retired still opens. Parking is in rogue_parking.rs, the
//! checks before the body and the network in rogue_cheap_checks.rs, the other attacks in
//! rogue_peer.rs.

use std::time::Duration;

use anyhow::Context;
use caremesh_e2e::rogue::{Rogue, outcomes};
use caremesh_e2e::{Node, eventually};
use serde_json::{Value, json};

/// What the keyring guarantees after a key rotation (node/src/federation/keyring.rs), with
/// room for a loaded machine: a peer that fetched the node's identity moments before asks it
/// to come back when it may fetch again (`Retry-After`, at most 10 s); one that could not
/// reach it asks again 2 s later, and retries what it parked meanwhile as soon as the node
/// answers. Waits end as soon as their condition holds.
const WAIT: Duration = Duration::from_secs(20);

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
    // The envelope parked under the made-up key id is refused once the origin answers
    // (its parked envelopes are retried then), not stored.
    eventually("the forged envelope leaves the parking", WAIT, || async {
        Ok((node.metric("parked_envelopes").await? == Some(0.0)).then_some(()))
    })
    .await?;
    assert_eq!(node.metric("parked_envelopes_stored").await?, Some(0.0));
    assert_eq!(contact_on(&node, &listing).await?, "+91 20 3333 4444");
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

/// A booking that a patient's node sealed to the clinic node's key before `caremesh key
/// rotate` (the clinic was down, so the booking waited in the patient node's outbox) opens
/// with the retired key after the rotation: the clinic confirms it and its agenda shows the
/// patient, as for a booking sealed to the new key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_sealed_before_a_key_rotation_is_confirmed() -> anyhow::Result<()> {
    use caremesh_e2e::appointments::{agenda, book, clinic, day_ahead, decided, digits};
    use caremesh_e2e::appointments::{free_starts, patient};
    let root = tempfile::tempdir()?;
    let (mut f, mut a) = caremesh_e2e::start_pair(root.path(), "f", "a").await?;
    let (clinic, staff) = clinic(&f, "dr_rao").await?;
    let (asha, hid) = patient(&a, "asha").await?;
    let day = day_ahead(2)?;
    let starts = free_starts(&a, &clinic, day, 3).await?;

    f.stop()?;
    let rotated = f.command(&["key", "rotate"])?;
    anyhow::ensure!(rotated.status.success(), "key rotate: {rotated:?}");
    // F is down: A seals the booking to the only key of F it knows, the retired one.
    let id = book(&a, &asha, &clinic, &starts[1], None).await?;
    f.start().await?;
    let v = decided(&a, &asha, &id).await?;
    assert_eq!(v["status"], "confirmed", "{v}");
    let confirmed = agenda(&f, &staff, &clinic, day, "confirmed").await?;
    assert_eq!(
        confirmed.into_iter().collect::<Vec<_>>(),
        [(digits(&hid), starts[1].clone())]
    );
    a.stop()?;
    f.stop()?;
    Ok(())
}
