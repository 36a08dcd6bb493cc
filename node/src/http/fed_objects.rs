//! GET /federation/v1/objects?after=<cursor>&limit=<n> — docs/protocol.md §Pull.
//! Public envelopes in this node's arrival order, as MessagePack.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use caremesh_federation::batch::MAX_PULL_LIMIT;
use caremesh_federation::batch::OBJECTS_PATH;
use caremesh_federation::codec::MSGPACK;
use caremesh_federation::{PullPage, codec};

use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiResult, ErrorBody};
use super::extract::Params;
use super::openapi::schemas::Binary;
use crate::error::ServiceError;
use crate::objects::load;
use crate::services::FederationEdge;

pub fn router() -> OpenApiRouter<FederationEdge> {
    OpenApiRouter::new().routes(routes!(list_objects))
}

/// The query of a pull, read parameter by parameter; this type only describes it.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct PullQuery {
    /// The cursor: `next` of the previous page (default 0, the start).
    #[param(minimum = 0)]
    after: Option<i64>,
    /// The most envelopes in the page.
    #[param(minimum = 0)]
    limit: Option<i64>,
}

/// Public envelopes in this node's arrival order, as a MessagePack `PullPage`
/// (docs/protocol.md §Pull).
#[utoipa::path(get, path = OBJECTS_PATH, tag = "federation", params(PullQuery),
    responses((status = OK, description = "a MessagePack PullPage", content_type = "application/msgpack",
        body = Binary), (status = BAD_REQUEST, body = ErrorBody)))]
async fn list_objects(
    State(edge): State<FederationEdge>,
    params: Params,
) -> ApiResult<impl IntoResponse> {
    let after = params.u64("after")?.unwrap_or(0);
    let limit = params
        .u64("limit")?
        .unwrap_or(100)
        .clamp(1, MAX_PULL_LIMIT as u64) as usize;
    let mut envelopes = Vec::new();
    let mut next = after;
    let mut more = false;
    // Scan a bounded stretch of the log so one call never walks everything.
    let entries = edge.store.log_after(after, limit * 4)?;
    let scanned_all = entries.len() < limit * 4;
    for entry in entries {
        if envelopes.len() == limit {
            more = true;
            break;
        }
        next = entry.seq;
        if entry.addressee.is_some() {
            continue; // directed objects are never served to anyone
        }
        if let Some(stored) = edge.store.get_object(&entry.id)?
            && stored.seq == entry.seq
        {
            envelopes.push(load(&stored)?.0);
        }
    }
    more |= !scanned_all;
    let page = PullPage {
        envelopes,
        next,
        more,
    };
    let bytes = codec::encode("pull page", &page).map_err(|e| ServiceError::Corrupt {
        id: "pull".into(),
        problem: e.to_string(),
    })?;
    Ok(([(header::CONTENT_TYPE, MSGPACK)], bytes))
}
