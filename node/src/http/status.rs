//! `GET /healthz` and `GET /metrics` (Prometheus): the operator's probes.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use caremesh_federation::Kind;
use serde_json::{Value, json};

use super::error::ApiResult;
use crate::error::ServiceError;
use crate::services::FederationEdge;

pub fn router() -> Router<FederationEdge> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
}

async fn healthz(State(edge): State<FederationEdge>) -> ApiResult<Json<Value>> {
    edge.store.last_seq().map_err(ServiceError::from)?;
    Ok(Json(json!({ "status": "ok" })))
}

async fn metrics(State(edge): State<FederationEdge>) -> ApiResult<String> {
    let count = |k| {
        edge.store
            .list_objects(k)
            .map(|v| v.len() as f64)
            .unwrap_or(0.0)
    };
    let mut gauges = vec![
        (
            "log_seq",
            "Highest sequence number in the node's object log.",
            edge.store.last_seq().unwrap_or(0) as f64,
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
            edge.started.elapsed().as_secs_f64(),
        ),
    ];
    gauges.extend(edge.inbox.parking.counts.gauges());
    Ok(edge.metrics.render(&gauges))
}
