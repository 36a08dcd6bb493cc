//! The one HTTP listener: the local JSON API under `/api/v1`, the federation routes under
//! `/federation/v1`, health and metrics. Each resource has its own file and `router()`.

pub mod error;
pub mod extract;
pub mod time;
pub mod views;

pub use openapi::document as openapi_document;

mod chat;
mod facilities;
mod fed_identity;
mod fed_inbox;
mod fed_objects;
mod members;
mod node;
mod openapi;
mod peers;
mod proposals;
mod requests;
mod triage;
mod xcov19;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;

use crate::app::AppState;
use error::ApiError;

/// Largest JSON body the local API reads.
const API_BODY_LIMIT: usize = 256 * 1024;

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .merge(members::router())
        .merge(facilities::router())
        .merge(requests::router())
        .merge(proposals::router())
        .merge(peers::router())
        .merge(triage::router())
        .merge(xcov19::router())
        .merge(chat::router())
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT));
    Router::new()
        .merge(api)
        .merge(node::router())
        .merge(openapi::router())
        .merge(fed_inbox::router())
        .merge(fed_objects::router())
        .merge(fed_identity::router())
        .fallback(|| async {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "no such route; see /api/v1/openapi.json",
            )
        })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this route does not take that method",
            )
        })
        .with_state(state)
}
