//! Appointments across three real nodes: a clinic and a pharmacy on F, patients on A and C.
//! Twelve bookings from A and C race for three slots of capacity 1 and exactly three are
//! confirmed, as F's agenda and every patient see it; the losers are refused with the next
//! free slots. A cancel frees a slot as the other node sees it, and a patient there books
//! it; a cancel offers a place to the first on the waiting list, who takes it; a guardian
//! books for a dependant; a medicine order goes from C to F's pharmacy and is collected. A
//! rogue peer's forged booking answers are refused and the honest booking is unchanged; no
//! health ID, name, medicine or note shows in any node's log, pulls or /metrics.

use std::collections::BTreeSet;
use std::time::Duration;

use anyhow::Context;
use caremesh_e2e::health::{holds, send};
use caremesh_e2e::rogue::{Rogue, outcomes};
use caremesh_e2e::{Node, eventually};
use caremesh_federation::object::BookingAnswer;
use chrono::{Days, NaiveDate, Utc};
use reqwest::Method;
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(30);
const SERVICE: &str = "General OPD";
const DEPENDANT: &str = "Kamala Devi Iyer";
const MEDICINE: &str = "Metformin-marker 500 mg";
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

fn digits(health_id: &str) -> String {
    health_id.chars().filter(char::is_ascii_digit).collect()
}

/// A facility of `kind` on `node` and a staff member of it: (facility id, staff token).
async fn facility(
    node: &Node,
    kind: &str,
    name: &str,
    staff: &str,
) -> anyhow::Result<(String, String)> {
    let body = json!({"kind": kind, "name": name, "lat": 18.52, "lon": 73.85});
    let (status, v) = node
        .post("/api/v1/facilities", Some(&node.admin), &body)
        .await?;
    anyhow::ensure!(status == 201, "facility on {}: {status} {v}", node.name);
    let id = v["id"].as_str().context("facility id")?.to_owned();
    let token = node
        .member(json!({"handle": staff, "role": "staff", "facility_id": id}))
        .await?;
    Ok((id, token))
}

/// A patient with a health ID of their own on `node`: (token, health ID).
async fn patient(node: &Node, handle: &str) -> anyhow::Result<(String, String)> {
    let token = node
        .member(json!({"handle": handle, "role": "patient"}))
        .await?;
    let (status, v) = node
        .post("/api/v1/health-ids", Some(&token), &json!({}))
        .await?;
    anyhow::ensure!(status == 201, "health ID on {}: {status} {v}", node.name);
    Ok((
        token,
        v["health_id"].as_str().context("health_id")?.to_owned(),
    ))
}

/// The facility's local date three days ahead (Kolkata), `YYYY-MM-DD`.
fn day_ahead(days: u64) -> anyhow::Result<NaiveDate> {
    let now = Utc::now() + chrono::Duration::minutes(330);
    now.date_naive()
        .checked_add_days(Days::new(days))
        .context("date")
}

async fn slots(node: &Node, facility: &str, day: NaiveDate) -> anyhow::Result<Vec<Value>> {
    let path = format!("/api/v1/facilities/{facility}/slots?date={day}");
    let (status, v) = node.get(&path, None).await?;
    anyhow::ensure!(status == 200, "slots on {}: {status} {v}", node.name);
    Ok(v["slots"].as_array().cloned().unwrap_or_default())
}

async fn post(node: &Node, path: &str, token: &str, body: Value) -> anyhow::Result<Value> {
    let (status, v) = node.post(path, Some(token), &body).await?;
    anyhow::ensure!(
        (200..300).contains(&status),
        "{path} on {}: {status} {v}",
        node.name
    );
    Ok(v)
}

/// Polls `path` on `node` until its `status` is `want` and no step is pending.
async fn status_becomes(node: &Node, token: &str, path: &str, want: &str) -> anyhow::Result<Value> {
    eventually(&format!("{path} becomes {want}"), WAIT, || async {
        let (status, v) = node.get(path, Some(token)).await?;
        anyhow::ensure!(status == 200, "{path}: {status} {v}");
        Ok((v["status"] == want && v["pending"].is_null()).then_some(v))
    })
    .await
}

/// Polls an appointment until the facility's node decided it.
async fn decided(node: &Node, token: &str, id: &str) -> anyhow::Result<Value> {
    let path = format!("/api/v1/appointments/{id}");
    eventually(&format!("{id} decided"), WAIT, || async {
        let (status, v) = node.get(&path, Some(token)).await?;
        anyhow::ensure!(status == 200, "{path}: {status} {v}");
        Ok((v["status"] != "requested").then_some(v))
    })
    .await
}

/// F's agenda of `day`: (health ID digits, start) of each line with `status`.
async fn agenda(
    f: &Node,
    staff: &str,
    facility: &str,
    day: NaiveDate,
    status: &str,
) -> anyhow::Result<BTreeSet<(String, String)>> {
    let path = format!("/api/v1/appointments?facility_id={facility}&date={day}");
    let (code, v) = f.get(&path, Some(staff)).await?;
    anyhow::ensure!(code == 200, "agenda: {code} {v}");
    Ok(v["appointments"]
        .as_array()
        .context("agenda")?
        .iter()
        .filter(|l| l["status"] == status)
        .map(|l| {
            (
                digits(l["health_id"].as_str().unwrap_or_default()),
                l["start"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect())
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
    let mut f = Node::init(root.path(), "f", &[])?;
    let mut a = Node::init(root.path(), "a", &[&f.url, &rogue.url])?;
    let mut c = Node::init(root.path(), "c", &[&f.url, &a.url, &rogue.url])?;
    f.set_peers(&[&a.url, &c.url])?;
    a.set_peers(&[&c.url])?;
    for node in [&mut f, &mut a, &mut c] {
        node.start().await?;
    }
    let (clinic, staff) = facility(&f, "hospital", "Ruby Clinic", "dr_rao").await?;
    let (pharmacy, chemist) = facility(&f, "pharmacy", "Apollo Pharmacy", "chemist").await?;
    let schedule = json!({"service": SERVICE, "specialty": "general_medicine", "price": 300,
        "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "start": "10:00", "end": "10:30",
        "slot_minutes": 10, "capacity": 1, "time_zone": "Asia/Kolkata"});
    post(
        &f,
        &format!("/api/v1/facilities/{clinic}/schedules"),
        &staff,
        schedule,
    )
    .await?;
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
    let mut starts = Vec::new();
    for node in [&a, &c] {
        starts = eventually("the schedule reaches A and C", WAIT, || async {
            let s = slots(node, &clinic, day).await?;
            Ok((s.len() == 3 && s.iter().all(|s| s["free"] == 1)).then(|| {
                s.iter()
                    .map(|s| s["start"].as_str().unwrap_or_default().to_owned())
                    .collect::<Vec<_>>()
            }))
        })
        .await?;
    }

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

    // A cancel on one node frees the slot as the other node sees it; a patient there books it.
    let first = &patients[winners[0]];
    post(
        nodes[first.node],
        &format!("/api/v1/appointments/{}/cancel", first.booking),
        &first.token,
        json!({}),
    )
    .await?;
    let other = 1 - first.node;
    eventually("the other node sees the slot free", WAIT, || async {
        let s = slots(nodes[other], &clinic, day).await?;
        Ok(s.iter()
            .any(|s| s["start"] == json!(first.start) && s["free"] == 1)
            .then_some(()))
    })
    .await?;
    let losers: Vec<usize> = (0..12).filter(|i| !winners.contains(i)).collect();
    let taker = *losers
        .iter()
        .find(|&&i| patients[i].node == other)
        .context("a loser there")?;
    let body = json!({"facility_id": clinic, "service": SERVICE, "start": first.start});
    let v = post(
        nodes[other],
        "/api/v1/appointments",
        &patients[taker].token,
        body,
    )
    .await?;
    let id = v["id"].as_str().context("id")?.to_owned();
    let v = decided(nodes[other], &patients[taker].token, &id).await?;
    assert_eq!(v["status"], "confirmed", "{v}");

    // The day is full again: a loser waits; a cancel offers the place and they take it.
    let waiter = &patients[*losers.iter().find(|&&i| i != taker).context("a waiter")?];
    let wnode = nodes[waiter.node];
    let wpath = format!("/api/v1/appointments/{}", waiter.booking);
    post(wnode, &format!("{wpath}/wait"), &waiter.token, json!({})).await?;
    let v = status_becomes(wnode, &waiter.token, &wpath, "waiting").await?;
    assert_eq!(v["position"], 1, "{v}");
    let second = &patients[winners[1]];
    post(
        nodes[second.node],
        &format!("/api/v1/appointments/{}/cancel", second.booking),
        &second.token,
        json!({}),
    )
    .await?;
    let v = status_becomes(wnode, &waiter.token, &wpath, "offered").await?;
    assert_eq!(v["start"], json!(second.start), "{v}");
    post(wnode, &format!("{wpath}/take"), &waiter.token, json!({})).await?;
    status_becomes(wnode, &waiter.token, &wpath, "confirmed").await?;
    let now_confirmed = agenda(&f, &staff, &clinic, day, "confirmed").await?;
    assert_eq!(now_confirmed.len(), 3, "{now_confirmed:?}");
    assert!(now_confirmed.contains(&(digits(&waiter.health_id), second.start.clone())));

    // A guardian on A books for a dependant who has no account.
    let guardian = &patients[0];
    let v = post(
        &a,
        "/api/v1/health-ids",
        &guardian.token,
        json!({"dependant": {"name": DEPENDANT, "birth_year": 1948}}),
    )
    .await?;
    let dependant = v["health_id"].as_str().context("dependant")?.to_owned();
    let next_day = day_ahead(4)?;
    let start = format!("{next_day}T10:00:00+05:30");
    let body =
        json!({"facility_id": clinic, "service": SERVICE, "start": start, "health_id": dependant});
    let v = post(&a, "/api/v1/appointments", &guardian.token, body).await?;
    let v = decided(&a, &guardian.token, v["id"].as_str().context("id")?).await?;
    assert_eq!(
        (v["status"].as_str(), v["name"].as_str()),
        (Some("confirmed"), Some(DEPENDANT)),
        "{v}"
    );
    let lines = agenda(&f, &staff, &clinic, next_day, "confirmed").await?;
    assert_eq!(lines, BTreeSet::from([(digits(&dependant), start)]));

    order_from_c(&c, &f, &patients[1].token, &pharmacy, &chemist).await?;

    // Nothing about a person left the sealed objects: logs, pulls, metrics.
    let mut secrets: Vec<String> = patients
        .iter()
        .flat_map(|p| [p.health_id.clone(), digits(&p.health_id)])
        .collect();
    secrets.extend([
        dependant.clone(),
        digits(&dependant),
        DEPENDANT.into(),
        MEDICINE.into(),
        NOTE.into(),
    ]);
    for node in [&f, &a, &c] {
        let log = node.log();
        let (status, pull) = send(
            node,
            Method::GET,
            "/federation/v1/objects?limit=1000",
            None,
            None,
            Vec::new(),
        )
        .await?;
        assert_eq!(status, 200, "pull of {}", node.name);
        let metrics = reqwest::get(format!("{}/metrics", node.url))
            .await?
            .text()
            .await?;
        for secret in &secrets {
            assert!(
                !log.contains(secret.as_str()),
                "`{secret}` in {}'s log",
                node.name
            );
            assert!(
                !holds(&pull, secret.as_bytes()),
                "`{secret}` in {}'s pull",
                node.name
            );
            assert!(
                !metrics.contains(secret.as_str()),
                "`{secret}` in {}'s metrics",
                node.name
            );
        }
    }
    for node in [&mut f, &mut a, &mut c] {
        assert!(node.stop()?, "{} stopped cleanly", node.name);
    }
    Ok(())
}

/// A patient on C orders from F's pharmacy; F quotes, C confirms, F makes it ready and
/// collected, and C sees each step.
async fn order_from_c(
    c: &Node,
    f: &Node,
    patient: &str,
    pharmacy: &str,
    chemist: &str,
) -> anyhow::Result<()> {
    let body = json!({"facility_id": pharmacy, "items": [{"name": MEDICINE, "quantity": 30}], "note": NOTE});
    let order = eventually("C knows F's pharmacy", WAIT, || async {
        let (status, v) = c.post("/api/v1/orders", Some(patient), &body).await?;
        Ok((status == 201).then_some(v))
    })
    .await?;
    let id = order["id"].as_str().context("order id")?.to_owned();
    let list = format!("/api/v1/orders?facility_id={pharmacy}");
    eventually("F's pharmacy has the order", WAIT, || async {
        let (_, v) = f.get(&list, Some(chemist)).await?;
        Ok((v["orders"][0]["id"] == json!(id)).then_some(()))
    })
    .await?;
    let quote = json!({"items": [{"available": 30, "unit_price": 4.5}], "pickup_at": "2099-01-01T10:00:00Z"});
    post(f, &format!("/api/v1/orders/{id}/quote"), chemist, quote).await?;
    let path = format!("/api/v1/orders/{id}");
    let v = status_becomes(c, patient, &path, "quoted").await?;
    assert_eq!(v["total"].as_f64(), Some(135.0), "{v}");
    post(c, &format!("{path}/confirm"), patient, json!({})).await?;
    status_becomes(c, patient, &path, "confirmed").await?;
    for step in ["ready", "collected"] {
        eventually(&format!("F marks the order {step}"), WAIT, || async {
            let (status, v) = f
                .post(&format!("{path}/{step}"), Some(chemist), &json!({}))
                .await?;
            anyhow::ensure!(status == 200 || status == 409, "{step}: {status} {v}");
            Ok((status == 200).then_some(()))
        })
        .await?;
        status_becomes(c, patient, &path, step).await?;
    }
    Ok(())
}
