//! `GET /healthz`, `GET /metrics`, `GET /api/v1/node`, `GET /api/v1/stats`.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use caremesh_federation::Kind;
use serde_json::{Value, json};

use super::error::ApiResult;
use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/api/v1/node", get(node))
        .route("/api/v1/stats", get(stats))
}

async fn healthz(State(app): State<AppState>) -> ApiResult<Json<Value>> {
    app.store
        .last_seq()
        .map_err(crate::error::ServiceError::from)?;
    Ok(Json(json!({ "status": "ok" })))
}

async fn metrics(State(app): State<AppState>) -> ApiResult<String> {
    let count = |k| {
        app.store
            .list_objects(k)
            .map(|v| v.len() as f64)
            .unwrap_or(0.0)
    };
    let gauges = [
        (
            "log_seq",
            "Highest sequence number in the node's object log.",
            app.store.last_seq().unwrap_or(0) as f64,
        ),
        (
            "facilities",
            "Facility listings known.",
            count(Kind::Facility),
        ),
        ("requests", "Supply requests known.", count(Kind::Request)),
        (
            "uptime_seconds",
            "Seconds since start.",
            app.started.elapsed().as_secs_f64(),
        ),
    ];
    Ok(app.metrics.render(&gauges))
}

async fn node(State(app): State<AppState>) -> ApiResult<Json<Value>> {
    Ok(Json(json!({
        "name": app.config.node.name,
        "url": app.origin,
        "version": env!("CARGO_PKG_VERSION"),
        "protocol": app.identity.protocol,
        "keys": app.identity.keys,
        "policy": app.config.federation.policy == crate::config::Policy::Open,
        "peers": app.peers.list()?.len(),
        "products": app.catalog.products().iter().map(|p| json!({"slug": p.slug, "name": p.name})).collect::<Vec<_>>(),
    })))
}

async fn stats(State(app): State<AppState>) -> ApiResult<Json<Value>> {
    let mut by_product: BTreeMap<String, [u64; 4]> = BTreeMap::new();
    for r in app.market.list_requests()? {
        let e = by_product.entry(r.product.clone()).or_default();
        e[0] += u64::from(r.quantity);
        e[1] += u64::from(r.accepted);
        e[2] += u64::from(r.received);
        e[3] += 1;
    }
    let products: Vec<Value> = by_product
        .into_iter()
        .map(|(p, [needed, accepted, received, requests])| {
            json!({ "product": p, "needed": needed, "accepted": accepted, "received": received, "requests": requests })
        })
        .collect();
    Ok(Json(json!({ "products": products })))
}
