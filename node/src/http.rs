//! The one HTTP listener: the local JSON API under `/api/v1`, the federation routes under
//! `/federation/v1`, health and metrics. Each resource has its own file and `router()`,
//! whose state is the narrow part of the node it needs: `Services` for the local API,
//! `FederationEdge` for the federation routes and probes (both in [`crate::services`]),
//! [`chat::ChatState`] for the terminal chat. The routers are `utoipa_axum` routers: the
//! OpenAPI document (`GET /api/v1/openapi.json`) is made from them.

pub mod error;
pub mod extract;
pub mod time;
pub mod views;

pub use facilities::FacilityInput;

mod appointments;
mod chat;
mod consents;
mod facilities;
mod fed_health_read;
mod fed_identity;
mod fed_inbox;
mod fed_objects;
mod guardians;
mod health_ids;
mod health_records;
mod members;
mod node;
pub mod openapi;
mod orders;
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
use utoipa::openapi::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::app::App;
use crate::chat::terminal::Terminal;
use crate::services::{FederationEdge, Services};
use error::ApiError;
use openapi::Document;

/// Largest JSON body the local API reads.
const API_BODY_LIMIT: usize = 256 * 1024;

/// Every route, by the state it needs, and the document made from them.
struct Routes {
    api: Router<Services>,
    chat: Router<chat::ChatState>,
    federation: Router<FederationEdge>,
    document: Router<Document>,
    openapi: OpenApi,
}

fn routes() -> Routes {
    let (api, mut openapi) = OpenApiRouter::with_openapi(openapi::base())
        .merge(members::router())
        .merge(facilities::router())
        .merge(requests::router())
        .merge(proposals::router())
        .merge(peers::router())
        .merge(triage::router())
        .merge(xcov19::router())
        .merge(node::router())
        .merge(health_ids::router())
        .merge(guardians::router())
        .merge(health_records::router())
        .merge(consents::router())
        .merge(schedules::router())
        .merge(appointments::router())
        .merge(orders::router())
        .split_for_parts();
    let (chat, chat_doc) = chat::router().split_for_parts();
    let (federation, federation_doc) = OpenApiRouter::new()
        .merge(fed_inbox::router())
        .merge(fed_objects::router())
        .merge(fed_identity::router())
        .merge(status::router())
        .merge(fed_health_read::router())
        .split_for_parts();
    let (document, document_doc) = openapi::router().split_for_parts();
    for part in [chat_doc, federation_doc, document_doc] {
        openapi.merge(part);
    }
    openapi::finish(&mut openapi);
    Routes {
        api,
        chat,
        federation,
        document,
        openapi,
    }
}

/// The OpenAPI document of the listener.
pub fn document() -> OpenApi {
    routes().openapi
}

/// The whole HTTP application of a node.
pub fn app(node: &App) -> Router {
    let routes = routes();
    let members = node.services.members.clone();
    let chat = routes.chat.with_state(chat::ChatState {
        terminal: Terminal::new(
            crate::chat::engine(node),
            node.store.clone(),
            members.clone(),
        ),
        members,
    });
    let api = routes
        .api
        .with_state(node.services.clone())
        .merge(chat)
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT));
    Router::new()
        .merge(api)
        .merge(routes.federation.with_state(node.federation.clone()))
        .merge(routes.document.with_state(Document::new(&routes.openapi)))
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
