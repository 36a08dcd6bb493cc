//! `POST /api/v1/chat`: one line of the terminal chat (`caremesh chat`), spoken by a
//! terminal user through the conversation engine. Admin only: the terminal client reads the
//! node's admin token, so it runs on the node's machine.

use axum::Json;
use axum::extract::{DefaultBodyLimit, FromRef, State};
use caremesh_bots::chat::MAX_FILE_BYTES;
use caremesh_bots::terminal::{ChatRequest, ChatResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiResult, ErrorBody};
use super::extract::{Body, Caller};
use super::openapi::schemas;
use crate::chat::terminal::Terminal;
use crate::members::{Members, Role};

/// What the terminal chat's endpoint uses: the node's one engine (built once, with the
/// router) and the members, to check the caller.
#[derive(Clone, FromRef)]
pub struct ChatState {
    pub terminal: Terminal,
    pub members: Members,
}

/// A line may carry a file (`/attach`): a record of up to [`MAX_FILE_BYTES`], in base64,
/// plus the rest of the request. This limit, set nearest the handler, replaces the API's.
const CHAT_BODY_LIMIT: usize = (MAX_FILE_BYTES as usize).div_ceil(3) * 4 + 64 * 1024;

pub fn router() -> OpenApiRouter<ChatState> {
    OpenApiRouter::new()
        .routes(routes!(chat))
        .layer(DefaultBodyLimit::max(CHAT_BODY_LIMIT))
}

// The chat engine's types live in `caremesh-bots`, which has no OpenAPI dependency; these
// describe their JSON for the document only.

/// What the terminal user did: typed text, a shared location, a pressed button, a file.
#[derive(Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
#[allow(dead_code)]
enum ChatEvent {
    Text { text: String },
    Location { lat: f64, lon: f64 },
    Button { data: String },
    File(ChatFile),
}

/// A file the terminal user sent (staff upload health records this way).
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
struct ChatFile {
    name: String,
    /// The media type; may be empty.
    #[schema(nullable = false)]
    content_type: Option<String>,
    /// The announced size, bytes.
    #[schema(schema_with = file_size)]
    size: u64,
    /// The bytes, standard base64 with padding.
    #[schema(
        nullable = false,
        pattern = r"^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)?$"
    )]
    bytes: Option<String>,
    /// The text sent with it.
    #[schema(nullable = false)]
    caption: Option<String>,
}

/// Any size a u64 holds: the engine, not the schema, refuses files over its limit.
fn file_size() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::Integer)
        .minimum(Some(0))
        .maximum(Some(usize::try_from(u64::MAX).unwrap_or(usize::MAX)))
        .build()
}

/// One line of the terminal chat.
#[derive(ToSchema)]
#[allow(dead_code)]
struct ChatLine {
    /// The terminal user's name: 1 to 64 characters, not blank.
    #[schema(schema_with = schemas::name_64)]
    user: String,
    /// Speak as this existing member.
    as_member: Option<String>,
    event: ChatEvent,
}

/// One message of the engine (text, and buttons, location requests or a map pin).
#[derive(ToSchema)]
#[allow(dead_code)]
struct ChatReply {
    text: String,
}

/// The engine's replies, then notifications kept since the user's last line.
#[derive(ToSchema)]
#[allow(dead_code)]
struct ChatAnswer {
    replies: Vec<ChatReply>,
    notices: Vec<ChatReply>,
}

/// One line of `caremesh chat` through the conversation engine (admin).
#[utoipa::path(post, path = "/api/v1/chat", tag = "chat", request_body = ChatLine,
    security(("bearer" = [])),
    responses((status = OK, body = ChatAnswer), (status = BAD_REQUEST, body = ErrorBody)))]
async fn chat(
    State(terminal): State<Terminal>,
    caller: Caller,
    Body(request): Body<ChatRequest>,
) -> ApiResult<Json<ChatResponse>> {
    caller.require(&[Role::Admin])?;
    Ok(Json(terminal.answer(request).await?))
}
