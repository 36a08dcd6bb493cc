//! A rogue peer (tests/src/rogue.rs: its own key and identity endpoint, able to forge
//! anything a peer can send) against real `caremesh` processes. Each test attacks one rule
//! of docs/protocol.md's "Security considerations" and then checks the honest nodes' data,
//! not only the answer to the attack. Keys, parking and the cheap checks are in
//! rogue_keys.rs.

use std::time::Duration;

use anyhow::Context;
use caremesh_e2e::market::accept;
use caremesh_e2e::rogue::{Rogue, outcomes};
use caremesh_e2e::{Node, eventually};
use caremesh_federation::Envelope;
use caremesh_federation::object::{Decision, Proposal};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(20);

/// A hospital, its requester and a need for `quantity` on `node`: (requester token,
/// request id).
async fn need_on(node: &Node, quantity: u32) -> anyhow::Result<(String, String)> {
    let (status, facility) = node
        .post(
            "/api/v1/facilities",
            Some(&node.admin),
            &json!({"kind": "hospital", "name": "Sassoon General", "lat": 18.52, "lon": 73.85}),
        )
        .await?;
    anyhow::ensure!(status == 201, "facility: {status} {facility}");
    let facility = facility["id"].as_str().context("facility id")?;
    let requester = node
        .member(json!({"handle": "nurse.asha", "role": "requester", "facility_id": facility}))
        .await?;
    let (status, need) = node
        .post(
            "/api/v1/requests",
            Some(&requester),
            &json!({"facility_id": facility, "product": "face-shield", "quantity": quantity}),
        )
        .await?;
    anyhow::ensure!(status == 201, "request: {status} {need}");
    Ok((requester, need["id"].as_str().context("id")?.to_owned()))
}

async fn proposals(node: &Node, requester: &str, request: &str) -> anyhow::Result<Vec<Value>> {
    let (_, v) = node
        .get(
            &format!("/api/v1/requests/{request}/proposals"),
            Some(requester),
        )
        .await?;
    Ok(v["proposals"].as_array().cloned().unwrap_or_default())
}

/// Item 1: a peer's decisions never take over the home node's bookkeeping, whether they
/// are addressed to it or only pass through it; versions cannot be pushed to overflow.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn foreign_decisions_do_not_count() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let rogue = Rogue::start().await?;
    let mut home = Node::init(root.path(), "home", &[])?;
    let mut maker_node = Node::init(root.path(), "maker", &[&home.url])?;
    home.set_peers(&[&maker_node.url, &rogue.url])?;
    home.start().await?;
    maker_node.start().await?;
    let (requester, need) = need_on(&home, 100).await?;
    eventually("the need reaches the maker's node", WAIT, || async {
        let (s, _) = maker_node
            .get(&format!("/api/v1/requests/{need}"), None)
            .await?;
        Ok((s == 200).then_some(()))
    })
    .await?;
    let maker = maker_node
        .member(json!({"handle": "maker.ravi", "role": "maker", "contact": "+91 1"}))
        .await?;
    let (s, honest) = maker_node
        .post(
            &format!("/api/v1/requests/{need}/proposals"),
            Some(&maker),
            &json!({"quantity": 60, "material": "PETG", "eta": "2099-12-20"}),
        )
        .await?;
    assert_eq!(s, 201, "{honest}");
    let honest_id = honest["id"].as_str().context("proposal id")?.to_owned();
    eventually("the offer reaches home", WAIT, || async {
        Ok((proposals(&home, &requester, &need).await?.len() == 1).then_some(()))
    })
    .await?;

    // The rogue offers 10,000,000, accepts its own offer and the honest one (decisions
    // addressed to itself and to the maker's node: home only relays them), and signs a
    // decision claiming home's own origin.
    let mine = Rogue::proposal(&rogue.url, &need, &home.url, 10_000_000);
    let mut self_accept = Rogue::decision(&rogue.url, &mine, 10_000_000);
    self_accept.meta.id = "00000000000000000000000000".into();
    let honest_proposal = Proposal {
        meta: caremesh_federation::Meta {
            id: honest_id.clone(),
            origin: maker_node.url.clone(),
            ..Rogue::meta(&maker_node.url)
        },
        ..mine.clone()
    };
    let steal = Rogue::decision(&rogue.url, &honest_proposal, 10_000_000);
    let as_home = Decision {
        meta: Rogue::meta(&home.url),
        ..Rogue::decision(&rogue.url, &honest_proposal, 60)
    };
    let mut huge = Rogue::request(&rogue.url, 5);
    huge.meta.version = u64::MAX;
    let (s, answer) = rogue
        .push(
            &home.url,
            vec![
                rogue.sign(mine.clone()),
                rogue.sign(self_accept),
                rogue.sign(steal),
                rogue.sign(as_home),
                rogue.sign(huge),
            ],
        )
        .await?;
    assert_eq!(s, 200, "{answer}");
    assert_eq!(
        outcomes(&answer),
        ["stored", "ownership", "ownership", "signature", "schema"],
        "{answer}"
    );
    assert!(
        answer["results"][4]["message"]
            .as_str()
            .is_some_and(|m| m.contains("version")),
        "{answer}"
    );

    // Home's books are untouched: both offers pending, nothing accepted.
    let listed = proposals(&home, &requester, &need).await?;
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(
        listed.iter().all(|p| p["status"] == "pending"),
        "{listed:?}"
    );
    let (_, request) = home.get(&format!("/api/v1/requests/{need}"), None).await?;
    assert_eq!(request["accepted"], 0, "{request}");

    // The requester accepts the honest offer: it counts, and reaches the maker.
    let decided = accept(&home, &requester, &honest_id).await?;
    assert_eq!(decided["request"]["accepted"], 60);
    let seen = eventually("the verdict reaches the maker", WAIT, || async {
        let (_, v) = maker_node.get("/api/v1/me/proposals", Some(&maker)).await?;
        Ok(v["proposals"]
            .get(0)
            .cloned()
            .filter(|p| p["status"] == "accepted"))
    })
    .await?;
    assert_eq!(seen["accepted_quantity"], 60);
    // The rogue's offer can still be accepted for what remains, and no more.
    let decided = accept(&home, &requester, &mine.meta.id).await?;
    assert_eq!(decided["request"]["accepted"], 100);
    assert_eq!(decided["capped"], true, "{decided}");
    Ok(())
}

/// A push retried with the same transaction (a new request signature, the same body) gets
/// the first answer back, and stores nothing twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_push_gets_the_same_answer() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let rogue = Rogue::start().await?;
    let node = Node::started(root.path(), "node", &[&rogue.url]).await?;
    let request = Rogue::request(&rogue.url, 5);
    let body = caremesh_e2e::rogue::batch(vec![rogue.sign(request.clone())])?;
    let first = rogue
        .push_body(&node.url, body.clone(), &rogue.key, &rogue.url)
        .await?;
    let again = rogue
        .push_body(&node.url, body, &rogue.key, &rogue.url)
        .await?;
    assert_eq!(first.0, 200, "{first:?}");
    assert_eq!(outcomes(&first.1), ["stored"]);
    assert_eq!(first, again, "a retry is answered as the first push was");
    let (_, got) = node
        .get(&format!("/api/v1/requests/{}", request.meta.id), None)
        .await?;
    assert_eq!(got["version"], 1, "{got}");
    Ok(())
}

/// Item 5: an origin is scheme, host and port. Nothing a peer sends makes the node fetch
/// another URL, follow a redirect or repeat what a peer answered; the blocklist and the
/// peer list compare origins in one written form.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn origins_cannot_point_anywhere_else() -> anyhow::Result<()> {
    use caremesh_e2e::rogue::IdentityAnswer;
    let root = tempfile::tempdir()?;
    let victim = Rogue::start().await?;
    let honest = Rogue::start().await?;
    let redirecting = Rogue::start().await?;
    let noisy = Rogue::start().await?;
    let blocked = Rogue::start().await?;
    let mut node = Node::init(root.path(), "node", &[])?;
    let shouted = blocked.url.replace("http://", "HTTP://") + "/";
    node.set_federation(&format!("policy = \"open\"\nblocklist = [\"{shouted}\"]"))?;
    node.start().await?;
    let listing = Rogue::facility(&honest.url, "Honest Clinic", "+91 20 1111 2222");
    let (s, answer) = honest
        .push(&node.url, vec![honest.sign(listing.clone())])
        .await?;
    assert_eq!((s, outcomes(&answer)), (200, vec!["stored".to_owned()]));

    // A sender or an envelope naming a URL with a path, a query or odd case is refused
    // before anything is fetched.
    let evil = format!("{}/steal?x=1", victim.url);
    let body = caremesh_e2e::rogue::batch(vec![])?;
    for sender in [evil.clone(), victim.url.to_uppercase()] {
        let (s, v) = honest
            .push_body(&node.url, body.clone(), &honest.key, &sender)
            .await?;
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (401, Some("header")),
            "{v}"
        );
    }
    let mut odd = listing.clone();
    odd.meta = Rogue::meta(&honest.url);
    let mut env = honest.sign(odd);
    env.origin = evil.clone();
    let (_, v) = honest.push(&node.url, vec![env]).await?;
    assert_eq!(outcomes(&v), ["schema"], "{v}");

    // A sender whose identity answer redirects: the redirect is not followed.
    redirecting.answer_identity(IdentityAnswer::Redirect(format!(
        "{}/federation/v1/identity",
        victim.url
    )));
    let (s, v) = redirecting.push(&node.url, vec![]).await?;
    assert_eq!(s, 401, "{v}");
    // A sender whose identity answer is an error page: its body is never repeated.
    let marker = "SECRET-PAGE-3f9a1c";
    noisy.answer_identity(IdentityAnswer::Error(500, format!("<html>{marker}</html>")));
    let (s, v) = noisy.push(&node.url, vec![]).await?;
    assert_eq!(s, 401, "{v}");
    assert!(!v.to_string().contains(marker), "{v}");
    // The blocklist names the blocked origin in another spelling.
    let (s, v) = blocked.push(&node.url, vec![]).await?;
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (403, Some("peer_policy")),
        "{v}"
    );

    // Peers added through the API are origins in normal form; anything else is refused.
    let (s, v) = node
        .post(
            "/api/v1/peers",
            Some(&node.admin),
            &json!({"url": "HTTPS://Makers.Example:443/"}),
        )
        .await?;
    assert_eq!(
        (s, v["url"].as_str()),
        (201, Some("https://makers.example")),
        "{v}"
    );
    let (s, v) = node
        .post(
            "/api/v1/peers",
            Some(&node.admin),
            &json!({"url": format!("{}/federation?x", victim.url)}),
        )
        .await?;
    assert_eq!((s, v["error"]["field"].as_str()), (400, Some("url")), "{v}");

    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        victim.hits(),
        Vec::<String>::new(),
        "the victim was reached"
    );
    assert!(
        !node.log().contains(marker),
        "the log repeats a peer's page"
    );
    let (_, got) = node
        .get(&format!("/api/v1/facilities/{}", listing.meta.id), None)
        .await?;
    assert_eq!(got["contact"], "+91 20 1111 2222", "{got}");
    Ok(())
}

/// Section 6: a relay that routes a maker's proposal cannot reuse the maker's sealed contact
/// in an offer of its own (it opens nowhere else), nor send a contact sealed the old way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sealed_contact_opens_only_in_its_own_proposal() -> anyhow::Result<()> {
    use caremesh_federation::{Kind, codec};
    async fn pushed(rogue: &Rogue, kind: Kind) -> anyhow::Result<Option<Envelope>> {
        Ok(rogue.received().into_iter().find(|e| e.kind == kind))
    }
    let root = tempfile::tempdir()?;
    let rogue = Rogue::start().await?;
    // The rogue is the only link between the two nodes.
    let mut home = Node::init(root.path(), "home", &[&rogue.url])?;
    let mut maker_node = Node::init(root.path(), "maker", &[&rogue.url])?;
    home.start().await?;
    maker_node.start().await?;
    let (requester, need) = need_on(&home, 100).await?;
    let need_env = eventually("the need reaches the rogue", WAIT, || {
        pushed(&rogue, Kind::Request)
    })
    .await?;
    let (s, v) = rogue.push(&maker_node.url, vec![need_env]).await?;
    assert_eq!((s, outcomes(&v)), (200, vec!["stored".to_owned()]), "{v}");
    let contact = "+91 98220 11223";
    let maker = maker_node
        .member(json!({"handle": "maker.ravi", "role": "maker", "contact": contact}))
        .await?;
    let (s, made) = maker_node
        .post(
            &format!("/api/v1/requests/{need}/proposals"),
            Some(&maker),
            &json!({"quantity": 30, "material": "PETG", "eta": "2099-12-20"}),
        )
        .await?;
    assert_eq!(s, 201, "{made}");
    let honest_env = eventually("the offer reaches the rogue", WAIT, || {
        pushed(&rogue, Kind::Proposal)
    })
    .await?;
    let honest: Proposal = codec::decode("proposal", &honest_env.body)?;

    // The rogue relays the honest offer, then offers on its own account with the maker's
    // sealed contact copied in, and once with a contact sealed without a version byte.
    let mut copied = Rogue::proposal(&rogue.url, &need, &home.url, 40);
    copied.sealed_contact = honest.sealed_contact.clone();
    let mut old_style = Rogue::proposal(&rogue.url, &need, &home.url, 50);
    old_style.sealed_contact = honest.sealed_contact[1..].to_vec();
    let (s, v) = rogue
        .push(
            &home.url,
            vec![
                honest_env,
                rogue.sign(copied.clone()),
                rogue.sign(old_style),
            ],
        )
        .await?;
    assert_eq!(s, 200, "{v}");
    assert_eq!(outcomes(&v), ["stored", "stored", "schema"], "{v}");
    assert!(
        v["results"][2]["message"]
            .as_str()
            .is_some_and(|m| m.contains("sealed_contact")),
        "{v}"
    );

    // Home shows the maker's contact on the maker's offer only.
    let listed = proposals(&home, &requester, &need).await?;
    assert_eq!(listed.len(), 2, "{listed:?}");
    for p in &listed {
        let expected = if p["id"] == honest.meta.id.as_str() {
            json!(contact)
        } else {
            assert_eq!(p["id"], copied.meta.id.as_str(), "{p}");
            Value::Null
        };
        assert_eq!(p["contact"], expected, "{p}");
    }
    Ok(())
}
