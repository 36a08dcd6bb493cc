//! `GET /api/v1/node` (who this node is) and `GET /api/v1/stats` (needs by product).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use caremesh_federation::identity::PublishedKey;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ApiResult;
use crate::catalog::Catalog;
use crate::config::Policy;
use crate::marketplace::{Marketplace, ProductStats};
use crate::services::{NodeInfo, PeerAdmin, Services};

pub fn router() -> OpenApiRouter<Services> {
    OpenApiRouter::new()
        .routes(routes!(node))
        .routes(routes!(stats))
}

/// A catalog product.
#[derive(Serialize, ToSchema)]
struct ProductView {
    slug: String,
    name: String,
}

/// Who this node is.
#[derive(Serialize, ToSchema)]
struct NodeView {
    name: String,
    /// The node's public URL, the `origin` of its objects.
    url: String,
    /// The caremesh version.
    version: &'static str,
    /// `caremesh/1`.
    protocol: String,
    keys: Vec<PublishedKey>,
    /// Who may push to this node: `allowlist` (listed peers) or `open`.
    policy: Policy,
    /// How many peers it federates with.
    peers: usize,
    products: Vec<ProductView>,
}

/// This node's name, URL, keys, policy and catalog.
#[utoipa::path(get, path = "/api/v1/node", tag = "node", responses((status = OK, body = NodeView)))]
async fn node(
    State(node): State<NodeInfo>,
    State(peers): State<PeerAdmin>,
    State(catalog): State<Arc<Catalog>>,
) -> ApiResult<Json<NodeView>> {
    let products = catalog
        .products()
        .iter()
        .map(|p| ProductView {
            slug: p.slug.clone(),
            name: p.name.clone(),
        })
        .collect();
    Ok(Json(NodeView {
        name: node.name.clone(),
        url: node.origin.clone(),
        version: env!("CARGO_PKG_VERSION"),
        protocol: node.identity.protocol.clone(),
        keys: node.identity.keys.clone(),
        policy: node.policy,
        peers: peers.list()?.len(),
        products,
    }))
}

/// Needs by product.
#[derive(Serialize, ToSchema)]
struct StatsView {
    products: Vec<ProductStats>,
}

/// Needed, accepted and received quantities by product, over every known request.
#[utoipa::path(get, path = "/api/v1/stats", tag = "marketplace",
    responses((status = OK, body = StatsView)))]
async fn stats(State(market): State<Marketplace>) -> ApiResult<Json<StatsView>> {
    Ok(Json(StatsView {
        products: market.stats()?,
    }))
}
