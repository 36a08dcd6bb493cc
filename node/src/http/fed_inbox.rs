//! POST /federation/v1/inbox — docs/protocol.md §Push.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use caremesh_federation::batch::INBOX_PATH;
use caremesh_federation::batch::MAX_BATCH_BYTES;
use caremesh_federation::{BatchReply, Check};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ErrorBody};
use super::openapi::schemas::Binary;
use crate::federation::inbox::Refusal;
use crate::services::FederationEdge;

pub fn router() -> OpenApiRouter<FederationEdge> {
    OpenApiRouter::new().routes(routes!(receive))
}

fn too_large() -> Refusal {
    Refusal {
        check: Check::BodySize,
        message: format!("body is larger than {MAX_BATCH_BYTES} bytes"),
    }
}

/// The body, read only now that the header passed its checks, up to [`MAX_BATCH_BYTES`]:
/// `None` as soon as it runs past that (or breaks off).
async fn read_capped(body: Body) -> Option<bytes::Bytes> {
    use futures::StreamExt;
    let mut stream = body.into_data_stream();
    let mut kept = bytes::BytesMut::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.ok()?;
        if kept.len() + chunk.len() > MAX_BATCH_BYTES {
            return None;
        }
        kept.extend_from_slice(&chunk);
    }
    Some(kept.freeze())
}

/// A signed MessagePack batch of envelopes from a peer (docs/protocol.md §Push): one result
/// per envelope. The HTTP request itself must be signed.
//
// Cheapest first: the declared size, then the header alone (header, peer policy, clock,
// replay, an empty rate bucket), and only then the body, capped; the rest is the inbox's.
#[utoipa::path(post, path = INBOX_PATH, tag = "federation",
    request_body(content = Binary, content_type = "application/msgpack", description = "a MessagePack Batch"),
    params(("Authorization" = String, Header, description = "the request signature (docs/protocol.md)")),
    responses((status = OK, body = BatchReply), (status = UNAUTHORIZED, body = ErrorBody),
        (status = PAYLOAD_TOO_LARGE, body = ErrorBody), (status = TOO_MANY_REQUESTS, body = ErrorBody)))]
async fn receive(
    State(edge): State<FederationEdge>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<BatchReply>, Response> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let refused = |r: Refusal, sender: Option<&str>| {
        edge.metrics
            .add("pushes_refused_total", &format!("check=\"{}\"", r.check), 1);
        let retry = match (r.check, sender) {
            (Check::RateLimit, Some(sender)) => Some(edge.inbox.retry_after(sender)),
            _ => None,
        };
        let error = ApiError::from(r);
        match retry {
            Some(secs) => ([(header::RETRY_AFTER, secs.to_string())], error).into_response(),
            None => error.into_response(),
        }
    };
    if declared.is_some_and(|n| n > MAX_BATCH_BYTES) {
        return Err(refused(too_large(), None));
    }
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let auth = edge.inbox.check_header(authorization).map_err(|r| {
        // An empty bucket is the one refusal here that names a verified sender's limit.
        let sender = authorization
            .and_then(|a| caremesh_federation::request_auth::RequestAuth::parse(a).ok());
        refused(r, sender.as_ref().map(|a| a.origin.as_str()))
    })?;
    let sender = auth.origin.clone();
    let bytes = read_capped(body)
        .await
        .ok_or_else(|| refused(too_large(), None))?;
    let reply = edge
        .inbox
        .receive(INBOX_PATH, auth, bytes)
        .await
        .map_err(|r| refused(r, Some(&sender)))?;
    edge.count_outcomes(&reply.results);
    Ok(Json(reply))
}
