//! `GET /healthz` and `GET /metrics` (Prometheus): the operator's probes.

use axum::Json;
use axum::extract::State;
use caremesh_federation::Kind;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ApiResult;
use crate::error::ServiceError;
use crate::services::FederationEdge;

pub fn router() -> OpenApiRouter<FederationEdge> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(metrics))
}

/// The answer of a healthy node.
#[derive(Serialize, ToSchema)]
struct Health {
    /// `ok`.
    status: &'static str,
}

/// Answers when the store answers.
#[utoipa::path(get, path = "/healthz", tag = "node", responses((status = OK, body = Health)))]
async fn healthz(State(edge): State<FederationEdge>) -> ApiResult<Json<Health>> {
    edge.store.last_seq().map_err(ServiceError::from)?;
    Ok(Json(Health { status: "ok" }))
}

/// Counters and gauges in the Prometheus text format. No health data.
#[utoipa::path(get, path = "/metrics", tag = "node",
    responses((status = OK, body = String, content_type = "text/plain")))]
async fn metrics(State(edge): State<FederationEdge>) -> ApiResult<String> {
    // Counters kept by the store (`store/counts.rs`): no object is read per scrape.
    let count = |k| edge.store.count_objects(k).map(|n| n as f64).unwrap_or(0.0);
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
