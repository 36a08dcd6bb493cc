//! The terminal chat's endpoint (`POST /api/v1/chat`) driven as a member: lines typed,
//! buttons pressed, and the notices that arrive between them.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde_json::{Value, json};

use crate::Node;

/// One chat event (text, a pressed button, a location) as member `handle`; the node's whole
/// answer.
pub async fn chat(node: &Node, handle: &str, event: Value) -> Result<Value> {
    let body = json!({"user": handle, "as_member": handle, "event": event});
    let (status, v) = node.post("/api/v1/chat", Some(&node.admin), &body).await?;
    anyhow::ensure!(status == 200, "chat answered {status}: {v}");
    Ok(v)
}

/// A typed line.
pub async fn say(node: &Node, handle: &str, text: &str) -> Result<Value> {
    chat(node, handle, json!({"type": "text", "text": text})).await
}

/// A pressed button.
pub async fn press(node: &Node, handle: &str, data: &str) -> Result<Value> {
    chat(node, handle, json!({"type": "button", "data": data})).await
}

/// Every message of an answer, replies then notices.
pub fn messages(v: &Value) -> Vec<&Value> {
    ["replies", "notices"]
        .iter()
        .flat_map(|k| v[*k].as_array().into_iter().flatten())
        .collect()
}

/// The texts of an answer's messages, one a line.
pub fn text(v: &Value) -> String {
    messages(v)
        .iter()
        .filter_map(|m| m["text"].as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The data of the first button whose label contains `label`.
pub fn button(v: &Value, label: &str) -> Result<String> {
    messages(v)
        .iter()
        .flat_map(|m| m["buttons"].as_array().into_iter().flatten())
        .flat_map(|row| row.as_array().into_iter().flatten())
        .find(|b| b["label"].as_str().is_some_and(|l| l.contains(label)))
        .and_then(|b| b["data"].as_str())
        .map(str::to_owned)
        .with_context(|| format!("no button {label:?} in {v}"))
}

/// Whether a notice's text holds `needle`.
pub fn tells(notice: &Value, needle: &str) -> bool {
    notice["text"].as_str().is_some_and(|t| t.contains(needle))
}

/// Idles in chat until a notice holding `needle` came; all notices seen until then.
pub async fn notices_until(node: &Node, handle: &str, needle: &str) -> Result<Vec<Value>> {
    let began = Instant::now();
    let mut seen = Vec::new();
    while began.elapsed() < Duration::from_secs(30) {
        let v = say(node, handle, "/cancel").await?;
        seen.extend(v["notices"].as_array().into_iter().flatten().cloned());
        if seen.iter().any(|n| tells(n, needle)) {
            return Ok(seen);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    anyhow::bail!("{handle} was never told {needle:?}; told: {seen:#?}")
}

/// Notices that come in the next second or so.
pub async fn notices_until_quiet(node: &Node, handle: &str) -> Result<Vec<Value>> {
    let mut seen = Vec::new();
    for _ in 0..4 {
        let v = say(node, handle, "/cancel").await?;
        seen.extend(v["notices"].as_array().into_iter().flatten().cloned());
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    Ok(seen)
}
