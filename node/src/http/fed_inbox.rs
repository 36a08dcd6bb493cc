//! POST /federation/v1/inbox — docs/protocol.md §Push.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::routing::post;
use axum::{Json, Router};
use caremesh_federation::batch::INBOX_PATH;
use caremesh_federation::batch::MAX_BATCH_BYTES;
use caremesh_federation::{BatchReply, Check};

use super::error::{ApiError, ApiResult};
use crate::federation::inbox::Refusal;
use crate::services::FederationEdge;

pub fn router() -> Router<FederationEdge> {
    Router::new().route(INBOX_PATH, post(receive))
}

fn too_large() -> Refusal {
    Refusal {
        check: Check::BodySize,
        message: format!("body is larger than {MAX_BATCH_BYTES} bytes"),
    }
}

/// Oversized bodies up to this size are read to the end and dropped before the 413, so a
/// client that writes its whole body before reading the answer gets the answer instead of
/// a broken pipe. Bodies declared larger are refused at once.
const DRAIN_BYTES: usize = 8 * MAX_BATCH_BYTES;

/// The body if it is at most [`MAX_BATCH_BYTES`]; otherwise reads on (discarding) up to
/// [`DRAIN_BYTES`] and fails.
async fn read_capped(body: Body) -> Result<bytes::Bytes, ()> {
    use futures::StreamExt;
    let mut stream = body.into_data_stream();
    let mut kept = bytes::BytesMut::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| ())?;
        seen += chunk.len();
        if seen <= MAX_BATCH_BYTES {
            kept.extend_from_slice(&chunk);
        } else if seen > DRAIN_BYTES {
            return Err(());
        }
    }
    if seen > MAX_BATCH_BYTES {
        return Err(());
    }
    Ok(kept.freeze())
}

async fn receive(
    State(edge): State<FederationEdge>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<BatchReply>> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let refused = |r: Refusal| {
        edge.metrics
            .add("pushes_refused_total", &format!("check=\"{}\"", r.check), 1);
        ApiError::from(r)
    };
    if declared.is_some_and(|n| n > DRAIN_BYTES) {
        return Err(refused(too_large()));
    }
    let bytes = read_capped(body).await.map_err(|()| refused(too_large()))?;
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let reply = edge
        .inbox
        .receive(INBOX_PATH, auth, bytes)
        .await
        .map_err(refused)?;
    edge.count_outcomes(&reply.results);
    Ok(Json(reply))
}
