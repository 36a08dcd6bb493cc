//! The one HTTP listener: the local JSON API under `/api/v1`, the federation routes under
//! `/federation/v1`, health and metrics. Each resource has its own file and `router()`,
//! whose state is the narrow part of the node it needs: `Services` for the local API,
//! `FederationEdge` for the federation routes and probes (both in [`crate::services`]),
//! [`chat::ChatState`] for the terminal chat.

pub mod error;
pub mod extract;
pub mod time;
pub mod views;

pub use openapi::document as openapi_document;

mod appointments;
mod chat;
mod consents;
mod facilities;
mod fed_health_read;
mod fed_identity;
mod fed_inbox;
mod fed_objects;
mod health_ids;
mod health_records;
mod members;
mod node;
mod openapi;
mod peers;
mod proposals;
mod requests;
mod schedules;
mod status;
mod triage;
mod xcov19;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;

use crate::app::App;
use crate::chat::terminal::Terminal;
use error::ApiError;

/// Largest JSON body the local API reads.
const API_BODY_LIMIT: usize = 256 * 1024;

/// The whole HTTP application of a node.
pub fn app(node: &App) -> Router {
    let api: Router = Router::new()
        .merge(members::router())
        .merge(facilities::router())
        .merge(requests::router())
        .merge(proposals::router())
        .merge(peers::router())
        .merge(triage::router())
        .merge(xcov19::router())
        .merge(node::router())
        .merge(schedules::router())
        .merge(appointments::router())
        .merge(health_ids::router())
        .merge(health_records::router())
        .merge(consents::router())
        .with_state(node.services.clone());
    let members = node.services.members.clone();
    let chat: Router = chat::router().with_state(chat::ChatState {
        terminal: Terminal::new(
            crate::chat::engine(node),
            node.store.clone(),
            members.clone(),
        ),
        members,
    });
    let federation: Router = Router::new()
        .merge(fed_inbox::router())
        .merge(fed_objects::router())
        .merge(fed_identity::router())
        .merge(fed_health_read::router())
        .merge(status::router())
        .with_state(node.federation.clone());
    Router::new()
        .merge(api.merge(chat).layer(DefaultBodyLimit::max(API_BODY_LIMIT)))
        .merge(federation)
        .merge(openapi::router())
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
}
