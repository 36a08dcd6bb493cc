//! `GET /api/v1/node` (who this node is) and `GET /api/v1/stats` (needs by product).

use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use super::error::ApiResult;
use crate::catalog::Catalog;
use crate::marketplace::Marketplace;
use crate::services::{NodeInfo, PeerAdmin, Services};

pub fn router() -> Router<Services> {
    Router::new()
        .route("/api/v1/node", get(node))
        .route("/api/v1/stats", get(stats))
}

async fn node(
    State(node): State<NodeInfo>,
    State(peers): State<PeerAdmin>,
    State(catalog): State<Arc<Catalog>>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!({
        "name": node.name,
        "url": node.origin,
        "version": env!("CARGO_PKG_VERSION"),
        "protocol": node.identity.protocol,
        "keys": node.identity.keys,
        "policy": node.policy,
        "peers": peers.list()?.len(),
        "products": catalog.products().iter().map(|p| json!({"slug": p.slug, "name": p.name})).collect::<Vec<_>>(),
    })))
}

async fn stats(State(market): State<Marketplace>) -> ApiResult<Json<Value>> {
    Ok(Json(json!({ "products": market.stats()? })))
}
