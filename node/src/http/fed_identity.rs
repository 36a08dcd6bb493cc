//! GET /federation/v1/identity — docs/protocol.md §Identity. With `?origin=<url>`, the
//! identity this node has cached for another origin (for nodes that cannot reach it).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use caremesh_federation::Identity;
use caremesh_federation::identity::IDENTITY_PATH;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::Params;
use crate::services::FederationEdge;

pub fn router() -> OpenApiRouter<FederationEdge> {
    OpenApiRouter::new().routes(routes!(get_identity))
}

/// This node's identity document, or the one it holds for `origin`.
#[utoipa::path(get, path = IDENTITY_PATH, tag = "federation",
    params(("origin" = Option<String>, Query, description = "another node's URL", min_length = 1)),
    responses((status = OK, body = Identity), (status = NOT_FOUND, body = ErrorBody)))]
async fn get_identity(
    State(edge): State<FederationEdge>,
    params: Params,
) -> ApiResult<Json<Identity>> {
    match params.text("origin")? {
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
