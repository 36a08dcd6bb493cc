//! POST /federation/v1/health/read — docs/protocol.md §9.4. A read under consent, relayed
//! hop by hop to the health ID's home node; the answer comes back the same way
//! (MessagePack envelopes both ways; errors as JSON like the inbox's).

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use caremesh_federation::codec::MSGPACK;
use caremesh_federation::object::READ_PATH;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ErrorBody};
use super::openapi::schemas::Binary;
use crate::federation::inbox::Refusal;
use crate::health::relay::{MAX_READ_BODY, RelayError};
use crate::services::FederationEdge;

pub fn router() -> OpenApiRouter<FederationEdge> {
    OpenApiRouter::new().routes(routes!(relay))
}

/// The body if it is at most [`MAX_READ_BODY`] bytes.
async fn read_capped(body: Body) -> Option<bytes::Bytes> {
    axum::body::to_bytes(body, MAX_READ_BODY).await.ok()
}

fn answer(e: RelayError) -> ApiError {
    match e {
        RelayError::Refused(r) => r.into(),
        RelayError::Hops => ApiError::new(StatusCode::BAD_REQUEST, "hops", e.to_string()),
        RelayError::NoRoute { .. } => {
            ApiError::new(StatusCode::NOT_FOUND, "no_route", e.to_string())
        }
        RelayError::Upstream { status, code } => ApiError::new(
            StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY),
            code.map_or("upstream", |c| c.as_str()),
            e.to_string(),
        ),
        RelayError::Unreachable(_) => {
            ApiError::new(StatusCode::BAD_GATEWAY, "unreachable", e.to_string())
        }
    }
}

/// A read under consent, relayed hop by hop to the home node; the sealed answer comes back
/// the same way (docs/protocol.md §9.4).
#[utoipa::path(post, path = READ_PATH, tag = "federation",
    request_body(content = Binary, content_type = "application/msgpack",
        description = "a MessagePack read envelope"),
    params(("Authorization" = String, Header, description = "the request signature (docs/protocol.md)")),
    responses((status = OK, body = Binary, content_type = "application/msgpack",
            description = "the sealed answer envelope"),
        (status = BAD_REQUEST, body = ErrorBody), (status = UNAUTHORIZED, body = ErrorBody),
        (status = FORBIDDEN, body = ErrorBody), (status = NOT_FOUND, body = ErrorBody),
        (status = PAYLOAD_TOO_LARGE, body = ErrorBody), (status = BAD_GATEWAY, body = ErrorBody)))]
async fn relay(State(edge): State<FederationEdge>, headers: HeaderMap, body: Body) -> Response {
    let Some(body) = read_capped(body).await else {
        let refusal = Refusal {
            check: caremesh_federation::Check::BodySize,
            message: format!("a read is at most {MAX_READ_BODY} bytes"),
        };
        return ApiError::from(refusal).into_response();
    };
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    match edge.health.relay_read(&edge.inbox, auth, body).await {
        Ok(bytes) => ([(header::CONTENT_TYPE, MSGPACK)], bytes).into_response(),
        Err(e) => {
            edge.metrics.add(
                "health_reads_refused_total",
                &format!("code=\"{}\"", answer_code(&e)),
                1,
            );
            answer(e).into_response()
        }
    }
}

fn answer_code(e: &RelayError) -> &'static str {
    match e {
        RelayError::Refused(r) => r.check.as_str(),
        RelayError::Hops => "hops",
        RelayError::NoRoute { .. } => "no_route",
        RelayError::Upstream { .. } => "upstream",
        RelayError::Unreachable(_) => "unreachable",
    }
}
