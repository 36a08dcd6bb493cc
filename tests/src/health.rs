//! Helpers for the health end-to-end tests: patients with health IDs, consent asked and
//! granted across nodes, raw uploads and downloads, and scans of data folders, logs and
//! answers for what must never be in them.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use reqwest::Method;
use serde_json::{Value, json};

use crate::{Node, eventually};

/// Sends a request with a raw body; returns the status and the body's bytes.
pub async fn send(
    node: &Node,
    method: Method,
    path: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> anyhow::Result<(u16, Vec<u8>)> {
    let mut req = reqwest::Client::new()
        .request(method, format!("{}{path}", node.url))
        .body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    let resp = req.send().await?;
    let status = resp.status().as_u16();
    Ok((status, resp.bytes().await?.to_vec()))
}

/// The JSON of an answer body (null when it is not JSON).
pub fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap_or(Value::Null)
}

/// Uploads `bytes` as a record for `hid`; `query` is `type=...&title=...&date=...`.
pub async fn upload(
    node: &Node,
    token: &str,
    hid: &str,
    query: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> anyhow::Result<(u16, Value)> {
    let path = format!("/api/v1/health-ids/{hid}/records?{query}");
    let (status, body) = send(
        node,
        Method::POST,
        &path,
        Some(token),
        Some(content_type),
        bytes,
    )
    .await?;
    Ok((status, json(&body)))
}

/// PUT JSON.
pub async fn put(
    node: &Node,
    path: &str,
    token: &str,
    body: &Value,
) -> anyhow::Result<(u16, Value)> {
    let bytes = serde_json::to_vec(body)?;
    let (status, body) = send(
        node,
        Method::PUT,
        path,
        Some(token),
        Some("application/json"),
        bytes,
    )
    .await?;
    Ok((status, json(&body)))
}

/// DELETE.
pub async fn delete(node: &Node, path: &str, token: &str) -> anyhow::Result<(u16, Value)> {
    let (status, body) = send(node, Method::DELETE, path, Some(token), None, Vec::new()).await?;
    Ok((status, json(&body)))
}

/// GET raw bytes.
pub async fn download(node: &Node, path: &str, token: &str) -> anyhow::Result<(u16, Vec<u8>)> {
    send(node, Method::GET, path, Some(token), None, Vec::new()).await
}

/// Deterministic bytes that look random (xorshift), so a scan cannot meet them by chance.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// Whether `haystack` holds `needle`.
pub fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack.len() >= needle.len()
        && haystack
            .windows(needle.len())
            .any(|w| w[0] == needle[0] && w == needle)
}

/// The files below `dir` that hold `needle`.
pub fn files_holding(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_holding(&path, needle));
        } else if std::fs::read(&path).is_ok_and(|bytes| holds(&bytes, needle)) {
            out.push(path);
        }
    }
    out
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// A patient member `handle` on `node` holding a new health ID: (token, health ID).
pub async fn patient_with_id(node: &Node, handle: &str) -> anyhow::Result<(String, String)> {
    let token = node
        .member(json!({"handle": handle, "role": "patient"}))
        .await?;
    let (status, v) = node
        .post("/api/v1/health-ids", Some(&token), &json!({}))
        .await?;
    anyhow::ensure!(status == 201, "issue on {}: {status} {v}", node.name);
    let hid = v["health_id"].as_str().context("health_id")?.to_owned();
    Ok((token, hid))
}

/// Staff on `asker` post the consent request `ask`; once it has reached the patient's
/// `home`, the patient grants it there. Returns the consent's id.
pub async fn ask_and_grant(
    (asker, staff): (&Node, &str),
    (home, patient): (&Node, &str),
    ask: &Value,
) -> anyhow::Result<String> {
    let (status, v) = asker.post("/api/v1/consents", Some(staff), ask).await?;
    anyhow::ensure!(status == 201, "ask: {status} {v}");
    let cid = v["id"].as_str().context("consent id")?.to_owned();
    eventually("the ask reaches home", Duration::from_secs(40), || async {
        let (_, v) = home.get("/api/v1/consents", Some(patient)).await?;
        Ok(v["consents"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
            .then_some(()))
    })
    .await?;
    decide_consent(home, patient, &cid, "grant").await?;
    Ok(cid)
}

/// The patient decides consent `cid` at home: `decision` is `grant` or `revoke`.
pub async fn decide_consent(
    home: &Node,
    patient: &str,
    cid: &str,
    decision: &str,
) -> anyhow::Result<()> {
    let path = format!("/api/v1/consents/{cid}/{decision}");
    let (status, v) = home.post(&path, Some(patient), &json!({})).await?;
    anyhow::ensure!(status == 200, "{decision}: {status} {v}");
    Ok(())
}
