//! `GET|POST /api/v1/peers` (admin): the peers this node federates with.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::error::{ApiError, ApiResult};
use super::extract::{Body, Caller};
use crate::app::AppState;
use crate::error::ServiceError;
use crate::members::Role;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/peers", get(list_peers).post(add_peer))
}

async fn list_peers(State(app): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    caller.require(&[Role::Admin])?;
    Ok(Json(json!({ "peers": app.peers.list()? })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeerInput {
    url: Option<String>,
    key: Option<String>,
}

async fn add_peer(
    State(app): State<AppState>,
    caller: Caller,
    Body(input): Body<PeerInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    caller.require(&[Role::Admin])?;
    let url = input
        .url
        .ok_or_else(|| ApiError::field("url", "`url` is required"))?;
    let key = input
        .key
        .map(|k| k.trim_start_matches("ed25519:").to_owned());
    let added = app.peers.add(&url, key)?;
    app.flusher.flush().await.map_err(ServiceError::from)?;
    app.wake.notify_waiters();
    let status = if added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(json!({ "url": crate::federation::peers::normalize(&url), "added": added })),
    ))
}
