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

/// Oversized bodies up to this size are read to the end and dropped before the refusal, so
/// a sender that writes its whole body before reading the answer gets the answer instead of
/// a broken pipe. Bodies declared larger are refused at once.
const DRAIN_BYTES: usize = 8 * MAX_BATCH_BYTES;

/// The body, read only now that the header passed its checks, up to [`MAX_BATCH_BYTES`]:
/// `None` if it runs past that (the rest is read and dropped up to [`DRAIN_BYTES`]) or
/// breaks off.
async fn read_capped(body: Body) -> Option<bytes::Bytes> {
    use futures::StreamExt;
    let mut stream = body.into_data_stream();
    let mut kept = bytes::BytesMut::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.ok()?;
        seen += chunk.len();
        if seen > DRAIN_BYTES {
            return None;
        }
        if seen <= MAX_BATCH_BYTES {
            kept.extend_from_slice(&chunk);
        }
    }
    (seen <= MAX_BATCH_BYTES).then(|| kept.freeze())
}

/// Reads and drops a body that is refused for its size anyway (bounded by [`DRAIN_BYTES`]):
/// nothing kept or decoded; only so that the sender can read the 413.
async fn discard(body: Body) {
    let _ = read_capped(body).await;
}

/// A signed MessagePack batch of envelopes from a peer (docs/protocol.md §Push): one result
/// per envelope. The HTTP request itself must be signed.
//
// Cheapest first: the declared size (a body declared over the limit but within
// DRAIN_BYTES is read and dropped before the 413), then the header alone (header, peer
// policy, clock, replay, an empty rate bucket), and only then the body, capped; the rest
// is the inbox's.
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
    // `sender`: the origin and key id the request claims.
    let refused = |r: Refusal, sender: Option<(&str, &str)>| {
        edge.metrics
            .add("pushes_refused_total", &format!("check=\"{}\"", r.check), 1);
        let retry = match (r.check, sender) {
            (Check::RateLimit, Some((sender, _))) => Some(edge.inbox.retry_after(sender)),
            // A key not known yet, whose origin may not be asked again for a moment.
            (Check::Signature, Some((sender, key_id))) => {
                edge.inbox.key_retry_after(sender, key_id)
            }
            _ => None,
        };
        let error = ApiError::from(r);
        match retry {
            Some(secs) => ([(header::RETRY_AFTER, secs.to_string())], error).into_response(),
            None => error.into_response(),
        }
    };
    if declared.is_some_and(|n| n > DRAIN_BYTES) {
        return Err(refused(too_large(), None));
    }
    if declared.is_some_and(|n| n > MAX_BATCH_BYTES) {
        discard(body).await;
        return Err(refused(too_large(), None));
    }
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let auth = edge.inbox.check_header(authorization).map_err(|r| {
        // An empty bucket is the one refusal here that names a verified sender's limit.
        // The body is not read: a bad header is answered while it is still coming.
        let sender = authorization
            .and_then(|a| caremesh_federation::request_auth::RequestAuth::parse(a).ok());
        refused(
            r,
            sender
                .as_ref()
                .map(|a| (a.origin.as_str(), a.key_id.as_str())),
        )
    })?;
    let (sender, key_id) = (auth.origin.clone(), auth.key_id.clone());
    let bytes = read_capped(body)
        .await
        .ok_or_else(|| refused(too_large(), None))?;
    let reply = edge
        .inbox
        .receive(INBOX_PATH, auth, bytes)
        .await
        .map_err(|r| refused(r, Some((&sender, &key_id))))?;
    edge.count_outcomes(&reply.results);
    Ok(Json(reply))
}
