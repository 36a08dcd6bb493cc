//! Marketplace steps over a node's HTTP API, shared by the federation tests: post a need,
//! offer on it, wait for the offers its requester sees, and move an offer on (accept,
//! shipped, received).

use std::time::Duration;

use anyhow::Context;
use serde_json::{Value, json};

use crate::{Node, eventually};

/// A need for `quantity` face shields at `facility`, posted on `node` by `requester`: its id.
pub async fn post_need(
    node: &Node,
    requester: &str,
    facility: &str,
    quantity: u32,
) -> anyhow::Result<String> {
    let body = json!({"facility_id": facility, "product": "face-shield", "quantity": quantity,
        "needed_by": "2099-12-31", "note": "ICU"});
    let (status, v) = node
        .post("/api/v1/requests", Some(requester), &body)
        .await?;
    anyhow::ensure!(status == 201, "request creation answered {status}: {v}");
    Ok(v["id"].as_str().context("request id")?.to_owned())
}

/// An offer of `quantity` units in `material` on `request`, made on `node` by `maker`: its id.
pub async fn propose(
    node: &Node,
    maker: &str,
    request: &str,
    quantity: u32,
    material: &str,
) -> anyhow::Result<String> {
    let path = format!("/api/v1/requests/{request}/proposals");
    let body = json!({"quantity": quantity, "material": material, "eta": "2099-12-20"});
    let (status, v) = node.post(&path, Some(maker), &body).await?;
    anyhow::ensure!(status == 201, "proposal answered {status}: {v}");
    Ok(v["id"].as_str().context("proposal id")?.to_owned())
}

/// The proposals `requester` sees on `request` at `node`, once there are at least `count`
/// (waiting up to `limit`).
pub async fn proposals_seen(
    node: &Node,
    requester: &str,
    request: &str,
    count: usize,
    limit: Duration,
) -> anyhow::Result<Vec<Value>> {
    let path = format!("/api/v1/requests/{request}/proposals");
    eventually(
        &format!("{count} proposals on {}", node.name),
        limit,
        || async {
            let (_, v) = node.get(&path, Some(requester)).await?;
            let list = v["proposals"].as_array().cloned().unwrap_or_default();
            Ok((list.len() >= count).then_some(list))
        },
    )
    .await
}

/// Posts `step` (`decision`, `shipped` or `received`) with `body` on `proposal` at `node`
/// as `token`; the answer, which must be a 200.
pub async fn proposal_step(
    node: &Node,
    token: &str,
    proposal: &str,
    step: &str,
    body: &Value,
) -> anyhow::Result<Value> {
    let path = format!("/api/v1/proposals/{proposal}/{step}");
    let (status, v) = node.post(&path, Some(token), body).await?;
    anyhow::ensure!(status == 200, "{step} on {}: {status} {v}", node.name);
    Ok(v)
}

/// `requester` accepts `proposal` at `node`; the answer.
pub async fn accept(node: &Node, requester: &str, proposal: &str) -> anyhow::Result<Value> {
    let verdict = json!({"verdict": "accept"});
    proposal_step(node, requester, proposal, "decision", &verdict).await
}
