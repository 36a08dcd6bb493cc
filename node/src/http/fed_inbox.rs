//! POST /federation/v1/inbox — docs/protocol.md §Push.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::routing::post;
use axum::{Json, Router};
use caremesh_federation::batch::MAX_BATCH_BYTES;
use caremesh_federation::client::INBOX_PATH;
use caremesh_federation::{BatchReply, Check};

use super::error::{ApiError, ApiResult};
use crate::app::AppState;
use crate::federation::inbox::Refusal;

pub fn router() -> Router<AppState> {
    Router::new().route(INBOX_PATH, post(receive))
}

fn too_large() -> Refusal {
    Refusal {
        check: Check::BodySize,
        message: format!("body is larger than {MAX_BATCH_BYTES} bytes"),
    }
}

async fn receive(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<BatchReply>> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let refused = |r: Refusal| {
        app.metrics
            .add("pushes_refused_total", &format!("check=\"{}\"", r.check), 1);
        ApiError::from(r)
    };
    if declared.is_some_and(|n| n > MAX_BATCH_BYTES) {
        return Err(refused(too_large()));
    }
    let bytes = axum::body::to_bytes(body, MAX_BATCH_BYTES)
        .await
        .map_err(|_| refused(too_large()))?;
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let reply = app
        .inbox
        .receive(INBOX_PATH, auth, bytes)
        .await
        .map_err(refused)?;
    app.count_outcomes(&reply.results);
    Ok(Json(reply))
}
