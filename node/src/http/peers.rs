//! `GET|POST /api/v1/peers` (admin): the peers this node federates with.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::error::{ApiError, ApiResult};
use super::extract::{Body, Caller};
use crate::members::Role;
use crate::services::{PeerAdmin, Services};

pub fn router() -> Router<Services> {
    Router::new().route("/api/v1/peers", get(list_peers).post(add_peer))
}

async fn list_peers(State(peers): State<PeerAdmin>, caller: Caller) -> ApiResult<Json<Value>> {
    caller.require(&[Role::Admin])?;
    Ok(Json(json!({ "peers": peers.list()? })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeerInput {
    url: Option<String>,
    key: Option<String>,
}

async fn add_peer(
    State(peers): State<PeerAdmin>,
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
    let added = peers.add(&url, key)?;
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
