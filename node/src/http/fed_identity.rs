//! GET /federation/v1/identity — docs/protocol.md §Identity. With `?origin=<url>`, the
//! identity this node has cached for another origin (for nodes that cannot reach it).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use caremesh_federation::Identity;
use caremesh_federation::identity::IDENTITY_PATH;

use super::error::{ApiError, ApiResult};
use super::extract::Params;
use crate::services::FederationEdge;

pub fn router() -> Router<FederationEdge> {
    Router::new().route(IDENTITY_PATH, get(get_identity))
}

async fn get_identity(
    State(edge): State<FederationEdge>,
    params: Params,
) -> ApiResult<Json<Identity>> {
    match params.text("origin") {
        None => Ok(Json((*edge.identity).clone())),
        Some(origin) => match edge.inbox.keyring.identities().get(origin)? {
            Some(identity) => Ok(Json(identity)),
            None => Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("no identity cached for {origin}"),
            )),
        },
    }
}
