//! Helpers for the appointment end-to-end tests: a clinic on F with patients on A and C,
//! bookings driven over the API and polled until the facility's node decided, and the scan
//! of every node's log, pull and /metrics for what must never be in them.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use chrono::{Days, NaiveDate, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use crate::health::{holds, send};
use crate::{Node, eventually, init_pair};

/// How long a step across nodes may take.
pub const WAIT: Duration = Duration::from_secs(30);

/// The service every test clinic offers.
pub const SERVICE: &str = "General OPD";

/// The digits of a health ID (as logs or pulls could hold it without dashes).
pub fn digits(health_id: &str) -> String {
    health_id.chars().filter(char::is_ascii_digit).collect()
}

/// F, A and C started, each peered with the other two and with `extra` (e.g. a rogue).
pub async fn three_nodes(root: &Path, extra: &[&str]) -> anyhow::Result<[Node; 3]> {
    let mut f = Node::init(root, "f", extra)?;
    let mut a = Node::init(root, "a", &[&[f.url.as_str()], extra].concat())?;
    let mut c = Node::init(root, "c", &[&[f.url.as_str(), &a.url], extra].concat())?;
    f.set_peers(&[&a.url, &c.url])?;
    a.set_peers(&[&c.url])?;
    for node in [&mut f, &mut a, &mut c] {
        node.start().await?;
    }
    Ok([f, a, c])
}

/// A's config for reminders of tomorrow's slots: one due at once (two days before), one
/// never due during a test (a minute before).
pub const REMIND_AT_ONCE: &str = "\n[appointments]\nreminder_leads_minutes = [2880, 1]\n";

/// F and A started and peered, `a_config` appended to A's config.
pub async fn f_and_a(root: &Path, a_config: &str) -> anyhow::Result<(Node, Node)> {
    let (mut f, mut a) = init_pair(root, "f", "a")?;
    a.append_config(a_config)?;
    f.start().await?;
    a.start().await?;
    Ok((f, a))
}

/// A facility of `kind` on `node` and a staff member of it: (facility id, staff token).
pub async fn facility(
    node: &Node,
    kind: &str,
    name: &str,
    staff: &str,
) -> anyhow::Result<(String, String)> {
    let body = json!({"kind": kind, "name": name, "lat": 18.52, "lon": 73.85});
    node.facility_with_staff(&body, staff).await
}

/// A clinic on `f` whose [`SERVICE`] has three 10-minute slots of capacity 1 every day
/// (10:00 to 10:30, Kolkata): (facility id, staff token).
pub async fn clinic(f: &Node, staff: &str) -> anyhow::Result<(String, String)> {
    let (clinic, token) = facility(f, "hospital", "Ruby Clinic", staff).await?;
    let schedule = json!({"service": SERVICE, "specialty": "general_medicine", "price": 300,
        "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "start": "10:00", "end": "10:30",
        "slot_minutes": 10, "capacity": 1, "time_zone": "Asia/Kolkata"});
    let path = format!("/api/v1/facilities/{clinic}/schedules");
    post(f, &path, &token, schedule).await?;
    Ok((clinic, token))
}

/// A patient with a health ID of their own on `node`: (token, health ID).
pub async fn patient(node: &Node, handle: &str) -> anyhow::Result<(String, String)> {
    let token = node
        .member(json!({"handle": handle, "role": "patient"}))
        .await?;
    let v = post(node, "/api/v1/health-ids", &token, json!({})).await?;
    Ok((
        token,
        v["health_id"].as_str().context("health_id")?.to_owned(),
    ))
}

/// The facility's local date (Kolkata) `days` ahead.
pub fn day_ahead(days: u64) -> anyhow::Result<NaiveDate> {
    let now = Utc::now() + chrono::Duration::minutes(330);
    now.date_naive()
        .checked_add_days(Days::new(days))
        .context("date")
}

/// The slots of `facility` on `day` as `node` sees them.
pub async fn slots(node: &Node, facility: &str, day: NaiveDate) -> anyhow::Result<Vec<Value>> {
    let path = format!("/api/v1/facilities/{facility}/slots?date={day}");
    let (status, v) = node.get(&path, None).await?;
    anyhow::ensure!(status == 200, "slots on {}: {status} {v}", node.name);
    Ok(v["slots"].as_array().cloned().unwrap_or_default())
}

/// Waits until `node` sees `count` slots of `facility` on `day`, all free; their starts.
pub async fn free_starts(
    node: &Node,
    facility: &str,
    day: NaiveDate,
    count: usize,
) -> anyhow::Result<Vec<String>> {
    eventually(
        &format!("the schedule reaches {}", node.name),
        WAIT,
        || async {
            let s = slots(node, facility, day).await?;
            Ok(
                (s.len() == count && s.iter().all(|s| s["free"] == 1)).then(|| {
                    s.iter()
                        .map(|s| s["start"].as_str().unwrap_or_default().to_owned())
                        .collect()
                }),
            )
        },
    )
    .await
}

/// POSTs `body`; fails unless the answer is 2xx.
pub async fn post(node: &Node, path: &str, token: &str, body: Value) -> anyhow::Result<Value> {
    let (status, v) = node.post(path, Some(token), &body).await?;
    anyhow::ensure!(
        (200..300).contains(&status),
        "{path} on {}: {status} {v}",
        node.name
    );
    Ok(v)
}

/// Books `start` of [`SERVICE`] at `facility` (for `health_id` when given); the booking id.
pub async fn book(
    node: &Node,
    token: &str,
    facility: &str,
    start: &str,
    health_id: Option<&str>,
) -> anyhow::Result<String> {
    let mut body = json!({"facility_id": facility, "service": SERVICE, "start": start});
    if let Some(hid) = health_id {
        body["health_id"] = json!(hid);
    }
    let v = post(node, "/api/v1/appointments", token, body).await?;
    Ok(v["id"].as_str().context("booking id")?.to_owned())
}

/// Orders `body` on `node` as `patient` (retried until the node knows the pharmacy), then
/// waits until `pharmacy_node` lists it to `staff`; the order id.
pub async fn order_listed(
    (node, patient): (&Node, &str),
    (pharmacy_node, staff): (&Node, &str),
    body: &Value,
) -> anyhow::Result<String> {
    let order = eventually(
        &format!("{} knows the pharmacy", node.name),
        WAIT,
        || async {
            let (status, v) = node.post("/api/v1/orders", Some(patient), body).await?;
            Ok((status == 201).then_some(v))
        },
    )
    .await?;
    let id = order["id"].as_str().context("order id")?.to_owned();
    let list = format!(
        "/api/v1/orders?facility_id={}",
        body["facility_id"].as_str().unwrap_or_default()
    );
    eventually("the pharmacy has the order", WAIT, || async {
        let (_, v) = pharmacy_node.get(&list, Some(staff)).await?;
        Ok((v["orders"][0]["id"] == json!(id)).then_some(()))
    })
    .await?;
    Ok(id)
}

/// Polls `path` on `node` until its `status` is `want` and no step is pending.
pub async fn status_becomes(
    node: &Node,
    token: &str,
    path: &str,
    want: &str,
) -> anyhow::Result<Value> {
    let began = std::time::Instant::now();
    loop {
        let (status, v) = node.get(path, Some(token)).await?;
        anyhow::ensure!(status == 200, "{path}: {status} {v}");
        if v["status"] == want && v["pending"].is_null() {
            return Ok(v);
        }
        anyhow::ensure!(began.elapsed() < WAIT, "{path} never became {want}: {v}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Polls an appointment until the facility's node decided it.
pub async fn decided(node: &Node, token: &str, id: &str) -> anyhow::Result<Value> {
    let path = format!("/api/v1/appointments/{id}");
    eventually(&format!("{id} decided"), WAIT, || async {
        let (status, v) = node.get(&path, Some(token)).await?;
        anyhow::ensure!(status == 200, "{path}: {status} {v}");
        Ok((v["status"] != "requested").then_some(v))
    })
    .await
}

/// F's agenda of `day`: (health ID digits, start) of each line with `status`.
pub async fn agenda(
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

/// Fails when any of `secrets` is in a node's log, its pull or its /metrics.
pub async fn nothing_leaks(nodes: &[&Node], secrets: &[String]) -> anyhow::Result<()> {
    for node in nodes {
        let log = node.log();
        let path = "/federation/v1/objects?limit=1000";
        let (status, pull) = send(node, Method::GET, path, None, None, Vec::new()).await?;
        anyhow::ensure!(status == 200, "pull of {}", node.name);
        let metrics = reqwest::get(format!("{}/metrics", node.url))
            .await?
            .text()
            .await?;
        for secret in secrets {
            anyhow::ensure!(
                !log.contains(secret.as_str()),
                "`{secret}` in {}'s log",
                node.name
            );
            anyhow::ensure!(
                !holds(&pull, secret.as_bytes()),
                "`{secret}` in {}'s pull",
                node.name
            );
            anyhow::ensure!(
                !metrics.contains(secret.as_str()),
                "`{secret}` in {}'s metrics",
                node.name
            );
        }
    }
    Ok(())
}
