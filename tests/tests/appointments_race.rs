//! Bookings racing across three real nodes: a clinic on F, patients on A and C. Twelve
//! bookings from A and C race for three slots of capacity 1 and exactly three are confirmed,
//! as F's agenda and every patient see it; the losers are refused with the next free slots.
//! A rogue peer's forged booking answers are refused and the honest booking is unchanged;
//! no health ID or note shows in any node's log, pulls or /metrics.

use std::collections::BTreeSet;

use anyhow::Context;
use caremesh_e2e::Node;
use caremesh_e2e::appointments::{
    SERVICE, agenda, clinic, day_ahead, decided, digits, free_starts, nothing_leaks, patient,
    three_nodes,
};
use caremesh_e2e::rogue::{Rogue, outcomes};
use caremesh_federation::object::BookingAnswer;
use serde_json::{Value, json};

const NOTE: &str = "note-marker knee pain";

/// One patient: the index of their node (0 is A, 1 is C), token, health ID, and the
/// booking of the race.
struct Patient {
    node: usize,
    token: String,
    health_id: String,
    booking: String,
    start: String,
}

/// Twelve bookings sent at once, six from each node, for three slots; each patient's
/// booking id and start filled in.
async fn race(
    nodes: [&Node; 2],
    patients: &mut [Patient],
    facility: &str,
    starts: &[String],
) -> anyhow::Result<()> {
    let mut set = tokio::task::JoinSet::new();
    for (i, p) in patients.iter().enumerate() {
        let url = nodes[p.node].url.clone();
        let token = p.token.clone();
        let body = json!({"facility_id": facility, "service": SERVICE, "start": starts[i % 3], "note": NOTE});
        set.spawn(async move {
            let resp = reqwest::Client::new()
                .post(format!("{url}/api/v1/appointments"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await?;
            let status = resp.status().as_u16();
            anyhow::Ok((i, status, resp.json::<Value>().await?))
        });
    }
    while let Some(done) = set.join_next().await {
        let (i, status, v) = done??;
        anyhow::ensure!(
            status == 201 && v["status"] == "requested",
            "booking {i}: {status} {v}"
        );
        patients[i].booking = v["id"].as_str().context("booking id")?.to_owned();
        patients[i].start = starts[i % 3].clone();
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bookings_race_across_nodes_and_never_overbook() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let rogue = Rogue::start().await?;
    let [mut f, mut a, mut c] = three_nodes(root.path(), &[&rogue.url]).await?;
    let (clinic, staff) = clinic(&f, "dr_rao").await?;
    let mut patients = Vec::new();
    for i in 0..12 {
        let node = i % 2;
        let (token, health_id) = patient([&a, &c][node], &format!("patient{i}")).await?;
        patients.push(Patient {
            node,
            token,
            health_id,
            booking: String::new(),
            start: String::new(),
        });
    }
    let day = day_ahead(3)?;
    free_starts(&a, &clinic, day, 3).await?;
    let starts = free_starts(&c, &clinic, day, 3).await?;

    // The race: exactly one winner per slot, whichever node the bookings came from.
    let nodes = [&a, &c];
    race(nodes, &mut patients, &clinic, &starts).await?;
    let mut winners = Vec::new();
    for (i, p) in patients.iter().enumerate() {
        let v = decided(nodes[p.node], &p.token, &p.booking).await?;
        match v["status"].as_str() {
            Some("confirmed") => winners.push(i),
            Some("refused") => {
                assert_eq!(v["check"], "full", "{v}");
                let next = v["next_free"].as_array().context("next_free")?;
                assert!(!next.is_empty() && !next.contains(&json!(p.start)), "{v}");
            }
            other => anyhow::bail!("booking {i} ended {other:?}: {v}"),
        }
    }
    let won: BTreeSet<(String, String)> = winners
        .iter()
        .map(|&i| (digits(&patients[i].health_id), patients[i].start.clone()))
        .collect();
    assert_eq!(won.len(), 3, "three confirmed: {won:?}");
    assert_eq!(
        won.iter().map(|w| &w.1).collect::<BTreeSet<_>>().len(),
        3,
        "one per slot"
    );
    assert_eq!(
        agenda(&f, &staff, &clinic, day, "confirmed").await?,
        won,
        "F's agenda"
    );

    // A rogue forges answers to a confirmed booking: as itself, and claiming to be F.
    let target = &patients[winners[0]];
    let home = nodes[target.node];
    let forged = |origin: &str| BookingAnswer {
        meta: Rogue::meta(origin),
        addressee: home.url.clone(),
        booking_id: target.booking.clone(),
        sealed: vec![7; 96],
    };
    let (_, answer) = rogue
        .push(&home.url, vec![rogue.sign(forged(&rogue.url))])
        .await?;
    assert_eq!(outcomes(&answer), ["ownership"], "{answer}");
    let (_, answer) = rogue
        .push(&home.url, vec![rogue.sign(forged(&f.url))])
        .await?;
    let outcome = outcomes(&answer);
    assert!(outcome.len() == 1 && outcome[0] != "stored", "{answer}");
    let path = format!("/api/v1/appointments/{}", target.booking);
    let (_, v) = home.get(&path, Some(&target.token)).await?;
    assert_eq!(
        (v["status"].as_str(), v["check"].as_str()),
        (Some("confirmed"), None),
        "{v}"
    );

    // Nothing about a person left the sealed objects: logs, pulls, metrics.
    let mut secrets: Vec<String> = patients
        .iter()
        .flat_map(|p| [p.health_id.clone(), digits(&p.health_id)])
        .collect();
    secrets.push(NOTE.into());
    nothing_leaks(&[&f, &a, &c], &secrets).await?;
    for node in [&mut f, &mut a, &mut c] {
        assert!(node.stop()?, "{} stopped cleanly", node.name);
    }
    Ok(())
}
