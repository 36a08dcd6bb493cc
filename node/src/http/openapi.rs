//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of this listener, generated from the
//! routes themselves. Each handler declares its path, parameters, body and answers
//! (`#[utoipa::path]`), each JSON shape is its own schema (`ToSchema`), and the routers are
//! `utoipa_axum` routers, so a route is described where it is registered and a route
//! without a description cannot be added (`node/clippy.toml` refuses a plain `.route(…)` on
//! an `OpenApiRouter`: it would be served but left out of the document).
//! `scripts/api-check.sh` checks the document with `openapi-spec-validator` and the server
//! against it with `schemathesis`.
//!
//! A new endpoint, in the file of its resource (`node/src/http/<resource>.rs`):
//! 1. the handler, with `#[utoipa::path(get|post, path = "/api/v1/...", tag = "...",
//!    params(...), request_body = Input, responses((status = OK, body = View),
//!    (status = BAD_REQUEST, body = ErrorBody)))]` above it;
//! 2. `.routes(routes!(handler))` in that file's `router()`;
//! 3. `#[derive(ToSchema)]` on its input and answer types; a field the derive cannot state
//!    (a vocabulary, a count, a date, non-blank text) takes `#[schema(schema_with =
//!    schemas::...)]` from [`schemas`], built from the lists the node checks against.
//!
//! Nothing else lists routes: the document and `tests/tests/api_check.rs` pick it up, and
//! schemathesis then holds the server to what the annotation says.

pub mod schemas;

use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, RefOr};
use utoipa::{OpenApi as _, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ErrorBody;

/// The document's fixed parts; the routers add the paths.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "caremesh",
        description = "A caremesh node's local JSON API and federation routes. Errors are \
            `{\"error\": {\"code\", \"message\", \"field\"?}}`; dates are `YYYY-MM-DD` (the end \
            of that day, UTC) or RFC 3339 in, RFC 3339 out. See docs/api.md."
    ),
    components(schemas(ErrorBody))
)]
struct Base;

/// The document before the routers add their paths.
pub fn base() -> OpenApi {
    Base::openapi()
}

/// What every operation shares, added once all routers are in: the bearer scheme, a 401 for
/// the operations that need it, and the error shape for every other failure (`default`).
pub fn finish(doc: &mut OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
    );
    let error = |what: &str| {
        ResponseBuilder::new()
            .description(what)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(ErrorBody::schema_ref()))
                    .build(),
            )
            .build()
    };
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.delete,
        ];
        for op in operations.into_iter().flatten() {
            let secured = needs_token(op);
            let responses = &mut op.responses.responses;
            if secured {
                responses
                    .entry("401".into())
                    .or_insert_with(|| RefOr::T(error("missing or unknown bearer token")));
                responses
                    .entry("403".into())
                    .or_insert_with(|| RefOr::T(error("the caller's role may not do this")));
            }
            responses
                .entry("default".into())
                .or_insert_with(|| RefOr::T(error("an error; `field` names bad input")));
            for (code, response) in responses.iter_mut() {
                if let RefOr::T(response) = response
                    && response.description.is_empty()
                {
                    response.description = describe(code).to_owned();
                }
            }
        }
    }
}

/// The meaning of a status in this API.
fn describe(code: &str) -> &'static str {
    match code {
        "200" => "success",
        "201" => "created",
        "400" => "bad input; `field` names it",
        "401" => "missing or unknown bearer token, or a bad request signature",
        "403" => "not allowed",
        "404" => "no such object",
        "409" => "conflicts with the current state (e.g. over-supply)",
        "413" => "the body is too large",
        _ => "see the error",
    }
}

fn needs_token(op: &Operation) -> bool {
    op.security.as_ref().is_some_and(|s| !s.is_empty())
}

/// The document, serialised once.
#[derive(Clone)]
pub struct Document(Arc<str>);

impl Document {
    /// `doc` as JSON.
    pub fn new(doc: &OpenApi) -> Self {
        // A document of plain data always serialises; an empty one fails the API check.
        Self(doc.to_json().unwrap_or_default().into())
    }
}

/// The route serving the document; its description joins the document before it is
/// serialised.
pub fn router() -> OpenApiRouter<Document> {
    OpenApiRouter::new().routes(routes!(get_document))
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "node",
    responses((status = OK, description = "an OpenAPI 3.1 document", body = Object)))]
async fn get_document(State(doc): State<Document>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        doc.0.to_string(),
    )
}

/// `ErrorBody` as a reference into the components.
trait SchemaRef {
    fn schema_ref() -> RefOr<Schema>;
}

impl<T: ToSchema> SchemaRef for T {
    fn schema_ref() -> RefOr<Schema> {
        RefOr::Ref(utoipa::openapi::Ref::from_schema_name(T::name()))
    }
}
