//! A rogue peer (tests/src/rogue.rs, rogue_health.rs: its own key and identity endpoint,
//! sealing health content as the protocol does) against real `caremesh` processes: forged
//! and replayed consent grants, reads under another node's grant, and records pushed by a
//! node with no facility (issue 10, "Bad input and privacy"). Each attack is refused by the
//! check meant for it, and the holder's records, grants and audit at the home node are
//! compared with a snapshot taken before the attacks, not only the answers.
//!
//! Topology of the grant test: the patient's home A (policy `open`) has only the rogue as a
//! peer, so what A sends toward the clinic C travels through the rogue, which relays it like
//! an honest relay until it starts replaying. C has A and the rogue as peers and reads
//! straight from A. D is a third node the rogue replays to.

use std::time::Duration;

use anyhow::Context;
use caremesh_e2e::health::decide_consent;
use caremesh_e2e::rogue::{Rogue, now_ms, outcomes};
use caremesh_e2e::rogue_health::{ReadOutcome, deposit, identity_of, read_as_rogue, sealed_to};
use caremesh_e2e::{Node, eventually};
use caremesh_federation::object::{
    AnswerContent, Consent, ConsentContent, ConsentStatus, Kind as WireKind,
};
use caremesh_federation::{Envelope, Identity};
use serde_json::{Value, json};

#[path = "health_rogue/support.rs"]
mod support;

use support::{Holder, Snapshot, holder_on, staff_of};

const WAIT: Duration = Duration::from_secs(40);

/// Pushes every envelope of `origin` the rogue got so far on to `to`: what an honest relay
/// does. The outcomes of the push.
async fn relay(rogue: &Rogue, origin: &str, to: &str) -> anyhow::Result<Vec<String>> {
    let envelopes: Vec<Envelope> = rogue
        .received()
        .into_iter()
        .filter(|e| e.origin == origin)
        .collect();
    if envelopes.is_empty() {
        return Ok(Vec::new());
    }
    let (status, v) = rogue.push(to, envelopes).await?;
    anyhow::ensure!(status == 200, "relay to {to}: {status} {v}");
    Ok(outcomes(&v))
}

/// The consent decisions of A that reached the rogue, oldest first.
fn decisions(rogue: &Rogue, home: &str) -> Vec<Envelope> {
    rogue
        .received()
        .into_iter()
        .filter(|e| e.origin == home && e.kind == WireKind::Consent)
        .collect()
}

/// A grant of every record type, made by the rogue for C's ask and sealed to C.
fn forged_grant(origin: &str, c: &Identity, ask_id: &str, digits: &str) -> anyhow::Result<Consent> {
    let now = now_ms();
    let content = ConsentContent {
        health_id: digits.to_owned(),
        status: ConsentStatus::Granted,
        purpose: "care".into(),
        record_types: vec!["lab_report".into(), "imaging".into()],
        from: None,
        to: None,
        expires: now + 30 * 86_400_000,
        decided_by: "meera".into(),
        decided_at: now,
    };
    let mut grant = Consent {
        meta: Rogue::meta(origin),
        addressee: c.url.clone(),
        ask_id: ask_id.to_owned(),
        sealed: Vec::new(),
    };
    grant.sealed = sealed_to(c, &grant.place(), &content)?;
    Ok(grant)
}

/// C's view of its one consent: its status.
async fn status_at(node: &Node, staff: &str) -> anyhow::Result<Vec<Value>> {
    let (s, v) = node.get("/api/v1/consents", Some(staff)).await?;
    anyhow::ensure!(s == 200, "consents on {}: {s} {v}", node.name);
    Ok(v["consents"]
        .as_array()
        .map(|all| all.iter().map(|c| c["status"].clone()).collect())
        .unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_and_replayed_grants_give_no_read() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let rogue = Rogue::start().await?;
    let mut a = Node::init(root.path(), "a", &[&rogue.url])?;
    a.set_federation("policy = \"open\"")?;
    let mut c = Node::init(root.path(), "c", &[&a.url, &rogue.url])?;
    let mut d = Node::init(root.path(), "d", &[&rogue.url])?;
    for node in [&mut a, &mut c, &mut d] {
        node.start().await?;
    }
    let Holder {
        patient,
        hid,
        digits,
        lab,
        scan,
        ..
    } = holder_on(&a).await?;
    let clinic = staff_of(&c, "dr_c").await?;
    let stranger = staff_of(&d, "dr_d").await?;
    let a_id = identity_of(&a.url).await?;
    let c_id = identity_of(&c.url).await?;
    rogue.relay_identity(a_id.clone());

    // C learns A's prefix from A's announcement, relayed by the rogue; then C asks.
    let ask = json!({"health_id": hid, "purpose": "care", "record_types": ["lab_report"],
        "expires": (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339()});
    let cid = eventually("C asks once it knows A's prefix", WAIT, || async {
        relay(&rogue, &a.url, &c.url).await?;
        relay(&rogue, &a.url, &d.url).await?;
        let (s, v) = c.post("/api/v1/consents", Some(&clinic), &ask).await?;
        Ok((s == 201)
            .then(|| v["id"].as_str().map(str::to_owned))
            .flatten())
    })
    .await?;
    eventually("the ask reaches A", WAIT, || async {
        let (_, v) = a.get("/api/v1/consents", Some(&patient)).await?;
        Ok((v["consents"][0]["id"] == cid.as_str()).then_some(()))
    })
    .await?;
    let records = format!("/api/v1/health-ids/{hid}/records");
    let before = Snapshot::take(&a, &patient, &hid).await?;

    // (a) Forged grants: claiming to be A (signed with the rogue's key), or from itself.
    let as_home = rogue.sign(forged_grant(&a.url, &c_id, &cid, &digits)?);
    let (_, v) = rogue.push(&c.url, vec![as_home]).await?;
    assert_eq!(outcomes(&v), ["signature"], "a grant claiming A: {v}");
    let as_itself = rogue.sign(forged_grant(&rogue.url, &c_id, &cid, &digits)?);
    let (_, v) = rogue.push(&c.url, vec![as_itself]).await?;
    assert_eq!(outcomes(&v), ["ask"], "a grant of the rogue's own: {v}");
    assert_eq!(status_at(&c, &clinic).await?, [json!("requested")]);
    let (s, v) = c.get(&records, Some(&clinic)).await?;
    assert_eq!((s, &v["error"]["code"]), (403, &json!("no_consent")), "{v}");
    Snapshot::take(&a, &patient, &hid)
        .await?
        .unchanged_since(&before, &a.url)?;

    // The genuine grant, for lab reports only, relayed honestly: C reads within its scope.
    decide_consent(&a, &patient, &cid, "grant").await?;
    eventually("the grant reaches C through the rogue", WAIT, || async {
        relay(&rogue, &a.url, &c.url).await?;
        Ok((status_at(&c, &clinic).await? == [json!("granted")]).then_some(()))
    })
    .await?;
    let (s, v) = c.get(&records, Some(&clinic)).await?;
    let ids: Vec<&Value> = v["records"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| &r["id"])
        .collect();
    assert_eq!(
        (s, ids),
        (200, vec![&json!(lab)]),
        "only the lab report: {v}"
    );
    let scan_path = format!("{records}/{scan}/content");
    assert_eq!(
        c.get(&scan_path, Some(&clinic)).await?.0,
        403,
        "imaging is out of scope"
    );
    let grant = decisions(&rogue, &a.url);
    anyhow::ensure!(grant.len() == 1, "one decision so far: {}", grant.len());

    // (b) Replays: the same grant again to C, to D it was not addressed to, and the rogue
    // reading under it as itself.
    let (_, v) = rogue.push(&c.url, grant.clone()).await?;
    assert_eq!(outcomes(&v), ["duplicate"], "the grant again: {v}");
    assert_eq!(
        status_at(&c, &clinic).await?,
        [json!("granted")],
        "no second grant"
    );
    // D takes it as a relay must (sealed, for C), and gains nothing from it.
    let (_, v) = rogue.push(&d.url, grant.clone()).await?;
    assert_eq!(outcomes(&v), ["stored"], "the grant replayed to D: {v}");
    assert!(
        status_at(&d, &stranger).await?.is_empty(),
        "D holds no grant"
    );
    let (s, v) = d.get(&records, Some(&stranger)).await?;
    assert_eq!(s, 403, "D reads nothing: {v}");
    match read_as_rogue(&rogue, &a_id, &cid, &digits).await? {
        ReadOutcome::Answer(AnswerContent::Refused { check, .. }) => {
            assert_eq!(check, "consent_requester")
        }
        other => panic!("the rogue read under C's grant: {other:?}"),
    }

    // Revoked at A, relayed; then the older grant replayed to C is a duplicate.
    decide_consent(&a, &patient, &cid, "revoke").await?;
    eventually("the revocation reaches C", WAIT, || async {
        relay(&rogue, &a.url, &c.url).await?;
        Ok((status_at(&c, &clinic).await? == [json!("revoked")]).then_some(()))
    })
    .await?;
    let (_, v) = rogue.push(&c.url, grant).await?;
    assert_eq!(
        outcomes(&v),
        ["duplicate"],
        "the older grant after revocation: {v}"
    );
    assert_eq!(status_at(&c, &clinic).await?, [json!("revoked")]);
    assert_eq!(c.get(&records, Some(&clinic)).await?.0, 403);

    // (d) The holder's data: records as before; the one consent revoked; the audit only
    // grew, by the holder's decisions, C's reads, and refusals.
    let after = Snapshot::take(&a, &patient, &hid).await?;
    assert_eq!(after.records, before.records, "records unchanged");
    assert_eq!(after.consents.len(), 1, "{:?}", after.consents);
    assert_eq!(after.consents[0]["status"], "revoked");
    for line in after.added_since(&before)? {
        let (node, action) = (line["node"].as_str(), line["action"].as_str());
        let honest = match action {
            Some("listed") => node == Some(a.url.as_str()) || node == Some(c.url.as_str()),
            Some("read" | "granted" | "revoked") => node != Some(rogue.url.as_str()),
            Some("refused") => node != Some(d.url.as_str()),
            _ => false,
        };
        assert!(honest, "an audit line the attacks should not cause: {line}");
    }
    for node in [&mut a, &mut c, &mut d] {
        node.stop()?;
    }
    Ok(())
}

/// (c) A deposit from a node with no facility, or naming a facility of another node, and
/// an ask from a node with no facility: refused at A by `facility`, nothing stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_from_a_node_without_the_facility_are_refused() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let rogue = Rogue::start().await?;
    let mut a = Node::started(root.path(), "a", &[&rogue.url]).await?;
    let holder = holder_on(&a).await?;
    let a_id = identity_of(&a.url).await?;
    let before = Snapshot::take(&a, &holder.patient, &holder.hid).await?;
    let planted = b"planted-report-marker-93017".to_vec();

    for facility in [ulid::Ulid::new().to_string(), holder.facility.clone()] {
        let (deposit, chunk) = deposit(&rogue, &a_id, &holder.digits, &facility, &planted)?;
        let batch = vec![rogue.sign(deposit), rogue.sign(chunk)];
        let (s, v) = rogue.push(&a.url, batch).await?;
        assert_eq!(s, 200, "{v}");
        assert_eq!(
            outcomes(&v),
            ["facility", "deposit"],
            "facility {facility}: {v}"
        );
    }
    // The rogue lists a facility of its own: an ask naming another one is still refused.
    let own = Rogue::facility(&rogue.url, "Rogue Hospital", "+91 0");
    let (_, v) = rogue.push(&a.url, vec![rogue.sign(own)]).await?;
    assert_eq!(outcomes(&v), ["stored"], "{v}");
    let ask = support::ask(
        &rogue,
        &a_id,
        &holder.digits,
        &ulid::Ulid::new().to_string(),
    )?;
    let (_, v) = rogue.push(&a.url, vec![rogue.sign(ask)]).await?;
    assert_eq!(outcomes(&v), ["facility"], "an ask from no facility: {v}");

    let after = Snapshot::take(&a, &holder.patient, &holder.hid).await?;
    after.unchanged_since(&before, &a.url)?;
    a.stop()?;
    let found = caremesh_e2e::health::files_holding(&a.dir, &planted);
    assert!(found.is_empty(), "planted bytes at A: {found:?}");
    Ok(())
}

/// A deposit sealed to the home node's key before `caremesh key rotate` (by a peer that had
/// not learned the new key yet) still opens after the rotation, and the record is kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deposit_sealed_before_a_key_rotation_is_kept() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let rogue = Rogue::start().await?;
    let mut a = Node::started(root.path(), "a", &[&rogue.url]).await?;
    let holder = holder_on(&a).await?;
    let old = identity_of(&a.url).await?;
    a.stop()?;
    let rotated = a.command(&["key", "rotate"])?;
    anyhow::ensure!(rotated.status.success(), "key rotate: {rotated:?}");
    a.start().await?;
    let new = identity_of(&a.url).await?;
    assert_ne!(
        new.current_key().context("key")??,
        old.current_key().context("key")??
    );

    // The peer uploads for a facility of its own, sealed to the key it learned before.
    let own = Rogue::facility(&rogue.url, "Uploading clinic", "+91 0");
    let (_, v) = rogue.push(&a.url, vec![rogue.sign(own.clone())]).await?;
    assert_eq!(outcomes(&v), ["stored"], "{v}");
    let report = b"Thyroid panel: TSH 2.1 mIU/L, marker-late-2288".to_vec();
    let (deposit, chunk) = deposit(&rogue, &old, &holder.digits, &own.meta.id, &report)?;
    let (_, v) = rogue
        .push(&a.url, vec![rogue.sign(deposit), rogue.sign(chunk)])
        .await?;
    assert_eq!(outcomes(&v), ["stored", "stored"], "{v}");
    let records = format!("/api/v1/health-ids/{}/records", holder.hid);
    let sha = caremesh_e2e::health::sha256_hex(&report);
    let kept = eventually("the record is kept at A", WAIT, || async {
        let (_, v) = a.get(&records, Some(&holder.patient)).await?;
        let all = v["records"].as_array().cloned().unwrap_or_default();
        Ok(all.into_iter().find(|r| r["sha256"] == sha.as_str()))
    })
    .await?;
    let id = kept["id"].as_str().context("record id")?;
    let content = format!("{records}/{id}/content");
    let got = caremesh_e2e::health::download(&a, &content, &holder.patient).await?;
    assert_eq!(got, (200, report));
    a.stop()?;
    Ok(())
}
