//! The world of the member-scope tests (tests/tests/member_scope*.rs, member_text.rs): two
//! facilities on one node, each with a requester and staff; two makers; a patient; one need
//! of facility B with one offer. `snapshot` is what a refused write must leave unchanged.

use serde_json::{Value, json};

use crate::Node;
use crate::health::delete;

/// The members of the test: two facilities, each with a requester and staff; two makers;
/// a patient.
pub struct World {
    pub a: String,
    pub b: String,
    pub need: String,
    pub proposal: String,
    pub tokens: Vec<(&'static str, String)>,
}

impl World {
    pub fn token(&self, handle: &str) -> &str {
        self.tokens
            .iter()
            .find(|(h, _)| *h == handle)
            .map(|(_, t)| t.as_str())
            .unwrap_or("no-such-token")
    }
}

pub async fn facility(node: &Node, name: &str) -> anyhow::Result<String> {
    let (s, v) = node
        .post(
            "/api/v1/facilities",
            Some(&node.admin),
            &json!({"kind": "hospital", "name": name, "lat": 18.52, "lon": 73.85, "contact": "+91 20 1"}),
        )
        .await?;
    anyhow::ensure!(s == 201, "facility: {s} {v}");
    Ok(v["id"].as_str().unwrap_or_default().to_owned())
}

pub async fn world(node: &Node) -> anyhow::Result<World> {
    let a = facility(node, "Ruby Hall").await?;
    let b = facility(node, "Sassoon General").await?;
    let mut tokens = vec![("admin", node.admin.clone())];
    for (handle, role, at) in [
        ("req.a", "requester", Some(&a)),
        ("req.b", "requester", Some(&b)),
        ("staff.a", "staff", Some(&a)),
        ("staff.b", "staff", Some(&b)),
        ("maker.m", "maker", None),
        ("maker.n", "maker", None),
        ("pat.p", "patient", None),
    ] {
        let token = node
            .member(json!({"handle": handle, "role": role, "facility_id": at, "contact": "+91 9"}))
            .await?;
        tokens.push((handle, token));
    }
    let mut w = World {
        a,
        b,
        need: String::new(),
        proposal: String::new(),
        tokens,
    };
    let (s, need) = node
        .post(
            "/api/v1/requests",
            Some(w.token("req.b")),
            &json!({"facility_id": w.b, "product": "face-shield", "quantity": 100}),
        )
        .await?;
    anyhow::ensure!(s == 201, "need: {s} {need}");
    w.need = need["id"].as_str().unwrap_or_default().to_owned();
    let (s, p) = node
        .post(
            &format!("/api/v1/requests/{}/proposals", w.need),
            Some(w.token("maker.m")),
            &json!({"quantity": 10, "material": "PETG", "eta": "2099-12-20"}),
        )
        .await?;
    anyhow::ensure!(s == 201, "proposal: {s} {p}");
    w.proposal = p["id"].as_str().unwrap_or_default().to_owned();
    Ok(w)
}

/// What can change: facility B, the requests, the proposal's decision, members, peers.
pub async fn snapshot(node: &Node, w: &World) -> anyhow::Result<Value> {
    let (_, b) = node
        .get(&format!("/api/v1/facilities/{}", w.b), None)
        .await?;
    let (_, requests) = node.get("/api/v1/requests", None).await?;
    let (_, proposals) = node
        .get(
            &format!("/api/v1/requests/{}/proposals", w.need),
            Some(w.token("req.b")),
        )
        .await?;
    let (_, peers) = node.get("/api/v1/peers", Some(&node.admin)).await?;
    Ok(json!({"b": b, "requests": requests, "proposals": proposals, "peers": peers}))
}

/// Sends one write: method, path, body.
pub async fn send(
    node: &Node,
    token: &str,
    (method, path, body): (&str, String, Value),
) -> anyhow::Result<(u16, Value)> {
    match method {
        "PUT" => node.put(&path, Some(token), &body).await,
        "DELETE" => delete(node, &path, token).await,
        _ => node.post(&path, Some(token), &body).await,
    }
}
