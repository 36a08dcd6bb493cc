//! `caremesh bench records`: three in-process nodes in a line on loopback, hospital H —
//! relay R — home A. The time for a 20 MiB upload to H to be a whole record at A (deposit
//! and chunks through the durable outboxes, sealed, joined and checked at home), beside a
//! plain HTTP copy of the same bytes over two loopback hops in the same run; then the
//! latency of a consent-checked read of a small record by H's staff, live through R.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use serde_json::{Value, json};
use sha2::Digest;

use super::propagation::line;
use super::{ms, percentile};

/// The size of the timed upload: the largest record.
const SIZE: usize = 20 * 1024 * 1024;

/// A caller of one node's API.
struct Api {
    http: reqwest::Client,
    url: String,
    admin: String,
}

impl Api {
    fn of(node: &caremesh_node::server::RunningNode, dir: &std::path::Path) -> anyhow::Result<Api> {
        let admin = std::fs::read_to_string(dir.join("admin.token"))?;
        Ok(Api {
            http: reqwest::Client::new(),
            url: node.url.clone(),
            admin: admin.trim().to_owned(),
        })
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> anyhow::Result<(u16, Value)> {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(token);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        Ok((status, resp.json().await.unwrap_or(Value::Null)))
    }

    async fn post(&self, path: &str, token: &str, body: Value) -> anyhow::Result<Value> {
        let (status, v) = self
            .call(reqwest::Method::POST, path, token, Some(body))
            .await?;
        if !(200..300).contains(&status) {
            bail!("POST {path} answered {status}: {v}");
        }
        Ok(v)
    }

    async fn member(&self, body: Value) -> anyhow::Result<String> {
        let v = self.post("/api/v1/members", &self.admin, body).await?;
        Ok(v["token"].as_str().context("member token")?.to_owned())
    }

    async fn upload(
        &self,
        token: &str,
        hid: &str,
        query: &str,
        ct: &str,
        bytes: Vec<u8>,
    ) -> anyhow::Result<(u16, Value)> {
        let resp = self
            .http
            .post(format!(
                "{}/api/v1/health-ids/{hid}/records?{query}",
                self.url
            ))
            .bearer_auth(token)
            .header("content-type", ct)
            .body(bytes)
            .send()
            .await?;
        let status = resp.status().as_u16();
        Ok((status, resp.json().await.unwrap_or(Value::Null)))
    }

    async fn records(&self, token: &str, hid: &str) -> anyhow::Result<(u16, Value)> {
        let path = format!("/api/v1/health-ids/{hid}/records");
        self.call(reqwest::Method::GET, &path, token, None).await
    }
}

/// Polls `check` every 10 ms until it gives `Some`, for at most `limit`.
async fn until<T, F, Fut>(what: &str, limit: Duration, mut check: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<Option<T>>>,
{
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Some(v) = check().await? {
            return Ok(v);
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    bail!("timed out: {what}")
}

fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend((8..len).map(|_| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 24) as u8
    }));
    out
}

/// Runs the benchmark and prints its figures.
pub async fn run(reads: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let nodes = line(3, dir.path()).await?;
    let a = Api::of(&nodes[0], &dir.path().join("n0"))?;
    let h = Api::of(&nodes[2], &dir.path().join("n2"))?;
    let patient = a
        .member(json!({"handle": "patient", "role": "patient"}))
        .await?;
    let facility = json!({"kind": "hospital", "name": "Bench Hospital", "lat": 18.5, "lon": 73.8});
    let fid = h.post("/api/v1/facilities", &h.admin, facility).await?;
    let fid = fid["id"].as_str().context("facility id")?;
    let staff = h
        .member(json!({"handle": "staff", "role": "staff", "facility_id": fid}))
        .await?;
    let issued = a.post("/api/v1/health-ids", &patient, json!({})).await?;
    let hid = issued["health_id"]
        .as_str()
        .context("health_id")?
        .to_owned();
    let small = b"Hb 13.1 g/dL".to_vec();
    until("H learns A's prefix", Duration::from_secs(30), || async {
        let query = "type=lab_report&title=CBC&date=2026-11-02";
        let (status, _) = h
            .upload(&staff, &hid, query, "text/plain", small.clone())
            .await?;
        Ok((status == 202).then_some(()))
    })
    .await?;
    until("the small record at A", Duration::from_secs(30), || async {
        let (_, v) = a.records(&patient, &hid).await?;
        Ok(v["records"]
            .as_array()
            .is_some_and(|r| r.len() == 1)
            .then_some(()))
    })
    .await?;

    let bytes = noise(SIZE);
    let sha = hex::encode(sha2::Sha256::digest(&bytes));
    let started = Instant::now();
    let query = "type=imaging&title=MRI&date=2026-11-03";
    let (status, v) = h
        .upload(&staff, &hid, query, "image/png", bytes.clone())
        .await?;
    anyhow::ensure!(status == 202, "upload answered {status}: {v}");
    let answered = started.elapsed();
    until(
        "the 20 MiB record at A",
        Duration::from_secs(600),
        || async {
            let (_, v) = a.records(&patient, &hid).await?;
            let done = v["records"]
                .as_array()
                .is_some_and(|r| r.iter().any(|r| r["sha256"] == sha.as_str()));
            Ok(done.then_some(()))
        },
    )
    .await?;
    let home = started.elapsed();
    let plain = plain_copy(&bytes).await?;
    let mib = SIZE as f64 / (1024.0 * 1024.0);
    println!(
        "records: a 20 MiB upload from H to its home A through relay R (3 nodes on loopback):"
    );
    println!(
        "  upload answered (202) after {:.0} ms; whole record at home after {:.0} ms: {:.1} MiB/s",
        ms(answered),
        ms(home),
        mib / home.as_secs_f64()
    );
    println!(
        "  anchor: plain HTTP copy of the same bytes over two loopback hops: {:.0} ms, {:.1} MiB/s (ratio {:.1}x)",
        ms(plain),
        mib / plain.as_secs_f64(),
        home.as_secs_f64() / plain.as_secs_f64()
    );
    read_latency(&a, &h, &patient, &staff, &hid, reads).await?;
    for node in &nodes {
        node.stop();
    }
    Ok(())
}

/// Times `reads` consent-checked reads of the small record by H's staff, live through R.
async fn read_latency(
    a: &Api,
    h: &Api,
    patient: &str,
    staff: &str,
    hid: &str,
    reads: usize,
) -> anyhow::Result<()> {
    let expires = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    let ask = json!({"health_id": hid, "purpose": "care", "record_types": ["lab_report"], "expires": expires});
    let asked = h.post("/api/v1/consents", staff, ask).await?;
    let cid = asked["id"].as_str().context("consent id")?.to_owned();
    let granted = until("the ask at A", Duration::from_secs(30), || async {
        let (status, _) = a
            .call(
                reqwest::Method::POST,
                &format!("/api/v1/consents/{cid}/grant"),
                patient,
                Some(json!({})),
            )
            .await?;
        Ok((status == 200).then_some(()))
    });
    granted.await?;
    let listed = until(
        "H reads under the grant",
        Duration::from_secs(30),
        || async {
            let (status, v) = h.records(staff, hid).await?;
            Ok((status == 200).then_some(v))
        },
    )
    .await?;
    let id = listed["records"][0]["id"]
        .as_str()
        .context("record id")?
        .to_owned();
    let path = format!("{}/api/v1/health-ids/{hid}/records/{id}/content", h.url);
    let mut times = Vec::with_capacity(reads);
    for _ in 0..reads {
        let started = Instant::now();
        let resp = h.http.get(&path).bearer_auth(staff).send().await?;
        anyhow::ensure!(resp.status() == 200, "read answered {}", resp.status());
        resp.bytes().await?;
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "  consent-checked read of a small record by H's staff, live through R to A and back: {reads} reads, p50 {:.2} ms, p99 {:.2} ms (goal p99 < 50 ms on loopback)",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99))
    );
    Ok(())
}

/// The time to POST `bytes` to a loopback server that forwards them to a second one (two
/// hops), which hashes them and answers.
#[allow(
    clippy::disallowed_methods,
    reason = "the anchor's two plain servers are not the node's listener"
)]
async fn plain_copy(bytes: &[u8]) -> anyhow::Result<Duration> {
    async fn sink(body: Bytes) -> String {
        hex::encode(sha2::Sha256::digest(&body))
    }
    async fn forward(State(next): State<String>, body: Bytes) -> String {
        let resp = reqwest::Client::new().post(next).body(body).send().await;
        match resp {
            Ok(r) => r.text().await.unwrap_or_default(),
            Err(e) => e.to_string(),
        }
    }
    let limit = axum::extract::DefaultBodyLimit::max(SIZE * 2);
    let sink_at = serve(axum::Router::new().route("/", post(sink)).layer(limit)).await?;
    let fwd = axum::Router::new()
        .route("/", post(forward))
        .with_state(sink_at)
        .layer(limit);
    let forward_at = serve(fwd).await?;
    let started = Instant::now();
    let answer = reqwest::Client::new()
        .post(forward_at)
        .body(bytes.to_vec())
        .send()
        .await?
        .text()
        .await?;
    let took = started.elapsed();
    anyhow::ensure!(
        answer == hex::encode(sha2::Sha256::digest(bytes)),
        "plain copy answered {answer}"
    );
    Ok(took)
}

async fn serve(router: axum::Router) -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(url)
}
