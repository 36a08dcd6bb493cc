//! `caremesh bench booking`: one facility node F and four patient nodes, in-process, each
//! patient node peering with F over real HTTP on loopback. Bookings are made through each
//! patient node's HTTP API, all four at once, for the slots of one schedule on F; F's desk
//! decides each one and its answer travels back. Printed: confirmed bookings per second
//! (from the first call to the last answer), p50 and p99 from the booking call to the answer
//! stored on the patient's node, and beside them, in the same run, the same number of
//! inserts into a PostgreSQL table with a unique (slot, seat) constraint over one
//! connection ([`pg_anchor`]), each its own durable transaction as each decision is here.

mod pg_anchor;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use caremesh_federation::Object;
use caremesh_node::fixtures::node_config;
use caremesh_node::server::{RunningNode, start};
use serde_json::{Value, json};

use super::{ms, percentile};

/// Patient nodes sending bookings.
const PATIENT_NODES: usize = 4;
/// Patients per patient node.
const PATIENTS: usize = 50;
/// Slots of the benchmark's schedule per day (all day, five minutes each).
const SLOTS: usize = 288;

/// When each booking's first answer was stored on its patient's node.
type Arrivals = Arc<Mutex<HashMap<String, Instant>>>;

/// F first, then the patient nodes, each peering with F.
async fn star(dir: &std::path::Path) -> anyhow::Result<Vec<RunningNode>> {
    let (listeners, urls) = super::propagation::listeners(PATIENT_NODES + 1).await?;
    let mut running = Vec::new();
    for (i, listener) in listeners.into_iter().enumerate() {
        let peers = if i == 0 {
            urls[1..].to_vec()
        } else {
            vec![urls[0].clone()]
        };
        let config = node_config(&dir.join(format!("n{i}")), &format!("node {i}"), &peers);
        running.push(start(config, listener, true).await?);
    }
    Ok(running)
}

/// A caller of one node's HTTP API.
#[derive(Clone)]
struct Api {
    http: reqwest::Client,
    url: String,
    admin: String,
}

impl Api {
    fn of(node: &RunningNode, dir: &std::path::Path) -> anyhow::Result<Api> {
        Ok(Api {
            http: reqwest::Client::new(),
            url: node.url.clone(),
            admin: std::fs::read_to_string(dir.join("admin.token"))?
                .trim()
                .to_owned(),
        })
    }

    async fn call(
        &self,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> anyhow::Result<(u16, Value)> {
        let req = match body {
            Some(body) => self.http.post(format!("{}{path}", self.url)).json(&body),
            None => self.http.get(format!("{}{path}", self.url)),
        };
        let resp = req.bearer_auth(token).send().await?;
        let status = resp.status().as_u16();
        Ok((status, resp.json().await.unwrap_or(Value::Null)))
    }

    async fn post(&self, path: &str, token: &str, body: Value) -> anyhow::Result<Value> {
        match self.call(path, token, Some(body)).await? {
            (200..=299, v) => Ok(v),
            (status, v) => bail!("POST {path} answered {status}: {v}"),
        }
    }
}

/// A clinic on F with one schedule of [`SLOTS`] slots of `capacity` every day: its id.
async fn clinic(f: &Api, capacity: usize) -> anyhow::Result<String> {
    let body = json!({"kind": "hospital", "name": "Bench Clinic", "lat": 18.5, "lon": 73.8});
    let id = f.post("/api/v1/facilities", &f.admin, body).await?["id"]
        .as_str()
        .context("facility id")?
        .to_owned();
    let schedule = json!({"service": "OPD", "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "start": "00:00", "end": "24:00", "slot_minutes": 5, "capacity": capacity,
        "time_zone": "Asia/Kolkata"});
    f.post(
        &format!("/api/v1/facilities/{id}/schedules"),
        &f.admin,
        schedule,
    )
    .await?;
    Ok(id)
}

/// [`PATIENTS`] patients with a health ID on a node: their tokens.
async fn patients(api: &Api, node: usize) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for p in 0..PATIENTS {
        let member = json!({"handle": format!("p{node}_{p}"), "role": "patient"});
        let token = api.post("/api/v1/members", &api.admin, member).await?["token"]
            .as_str()
            .context("token")?
            .to_owned();
        api.post("/api/v1/health-ids", &token, json!({})).await?;
        out.push(token);
    }
    Ok(out)
}

/// The slot starts of the day after tomorrow in Kolkata, once the schedule reached `api`.
async fn slot_starts(api: &Api, facility: &str) -> anyhow::Result<Vec<String>> {
    let day = (chrono::Utc::now() + chrono::Duration::days(2)).format("%Y-%m-%d");
    let path = format!("/api/v1/facilities/{facility}/slots?date={day}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let (200, v) = api.call(&path, &api.admin, None).await?
            && let Some(slots) = v["slots"].as_array()
            && slots.len() == SLOTS
        {
            return Ok(slots
                .iter()
                .filter_map(|s| s["start"].as_str().map(str::to_owned))
                .collect());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    bail!("the schedule did not reach {}", api.url)
}

/// Records when each booking's first answer is stored on `node`.
fn listen(node: &RunningNode, arrivals: &Arrivals) {
    let arrivals = arrivals.clone();
    node.app.events.add_hook(Arc::new(move |object: &Object| {
        if let Object::BookingAnswer(a) = object {
            let mut map = arrivals.lock().unwrap_or_else(|p| p.into_inner());
            map.entry(a.booking_id.clone()).or_insert_with(Instant::now);
        }
    }));
}

/// One booking made and its answer awaited: the time from the call to the answer.
async fn book_one(
    api: Api,
    token: String,
    body: Value,
    arrivals: Arrivals,
) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let v = api.post("/api/v1/appointments", &token, body).await?;
    let id = v["id"].as_str().context("booking id")?.to_owned();
    let deadline = started + Duration::from_secs(60);
    loop {
        if let Some(at) = arrivals.lock().unwrap_or_else(|p| p.into_inner()).get(&id) {
            return Ok(at.duration_since(started));
        }
        if Instant::now() > deadline {
            bail!("booking {id} was never answered");
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// What every patient node books: the facility, the slot starts, how many bookings.
struct Plan {
    facility: String,
    starts: Vec<String>,
    total: usize,
}

/// Bookings `i` with `i % PATIENT_NODES == node`, `in_flight` at a time.
async fn send_from(
    node: usize,
    api: Api,
    tokens: Vec<String>,
    plan: Arc<Plan>,
    arrivals: Arrivals,
    in_flight: usize,
) -> anyhow::Result<Vec<Duration>> {
    let mine: Vec<usize> = (node..plan.total).step_by(PATIENT_NODES).collect();
    let mut times = Vec::new();
    for chunk in mine.chunks(in_flight.max(1)) {
        let mut calls = tokio::task::JoinSet::new();
        for &i in chunk {
            let body = json!({"facility_id": plan.facility, "service": "OPD",
                "start": plan.starts[i % SLOTS]});
            let token = tokens[(i / PATIENT_NODES) % PATIENTS].clone();
            calls.spawn(book_one(api.clone(), token, body, arrivals.clone()));
        }
        while let Some(time) = calls.join_next().await {
            times.push(time??);
        }
    }
    Ok(times)
}

/// Confirmed bookings as the patients see them.
async fn confirmed(apis: &[Api], tokens: &[Vec<String>]) -> anyhow::Result<usize> {
    let mut n = 0;
    for (api, tokens) in apis.iter().zip(tokens) {
        for token in tokens {
            let (_, v) = api.call("/api/v1/appointments", token, None).await?;
            n += v["appointments"].as_array().map_or(0, |a| {
                a.iter().filter(|b| b["status"] == "confirmed").count()
            });
        }
    }
    Ok(n)
}

/// Runs the benchmark and prints its figures.
pub async fn run(bookings: usize, in_flight: usize) -> anyhow::Result<()> {
    anyhow::ensure!(bookings > 0, "--bookings must be at least 1");
    let dir = tempfile::tempdir()?;
    let nodes = star(dir.path()).await?;
    let apis: Vec<Api> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| Api::of(n, &dir.path().join(format!("n{i}"))))
        .collect::<Result<_, _>>()?;
    // Every booking gets a seat: the capacity covers what lands in one slot.
    let capacity = bookings.div_ceil(SLOTS).clamp(1, 1000);
    let facility = clinic(&apis[0], capacity).await?;
    let mut tokens = Vec::new();
    let mut starts = Vec::new();
    for (i, api) in apis[1..].iter().enumerate() {
        tokens.push(patients(api, i).await?);
        starts = slot_starts(api, &facility).await?;
    }
    let arrivals: Arrivals = Arc::default();
    for node in &nodes[1..] {
        listen(node, &arrivals);
    }
    let plan = Arc::new(Plan {
        facility,
        starts,
        total: bookings,
    });
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, api) in apis[1..].iter().enumerate() {
        let task = send_from(
            i,
            api.clone(),
            tokens[i].clone(),
            plan.clone(),
            arrivals.clone(),
            in_flight,
        );
        tasks.push(tokio::spawn(task));
    }
    let mut times = Vec::new();
    for task in tasks {
        times.extend(task.await??);
    }
    let wall = started.elapsed();
    let confirmed = confirmed(&apis[1..], &tokens).await?;
    times.sort();
    let rate = confirmed as f64 / wall.as_secs_f64();
    println!(
        "booking: {bookings} bookings from {PATIENT_NODES} patient nodes ({in_flight} in flight each) to one facility node over loopback HTTP"
    );
    println!(
        "  confirmed {confirmed} in {:.2} s = {rate:.0} confirmed bookings/s; call -> answer on the patient's node p50 {:.1} ms, p99 {:.1} ms",
        wall.as_secs_f64(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
    );
    for node in &nodes {
        node.stop();
    }
    match pg_anchor::inserts(bookings)? {
        Some(pg) => {
            let pg_rate = bookings as f64 / pg.as_secs_f64();
            println!(
                "  anchor: PostgreSQL, {bookings} inserts into a table with UNIQUE (slot, seat), one connection, one transaction each: {:.2} s = {pg_rate:.0} inserts/s",
                pg.as_secs_f64()
            );
            println!("  ratio: caremesh / PostgreSQL = {:.3}", rate / pg_rate);
        }
        None => {
            println!("  anchor skipped: PostgreSQL 15 (initdb, pg_ctl, psql) is not installed here")
        }
    }
    Ok(())
}
