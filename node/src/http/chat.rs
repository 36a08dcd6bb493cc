//! `POST /api/v1/chat`: one line of the terminal chat (`caremesh chat`), spoken by a
//! terminal user through the conversation engine. Admin only: the terminal client reads the
//! node's admin token, so it runs on the node's machine.

use axum::extract::{DefaultBodyLimit, FromRef, State};
use axum::routing::post;
use axum::{Json, Router};
use caremesh_bots::chat::MAX_FILE_BYTES;
use caremesh_bots::terminal::{ChatRequest, ChatResponse};

use super::error::ApiResult;
use super::extract::{Body, Caller};
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

pub fn router() -> Router<ChatState> {
    Router::new()
        .route("/api/v1/chat", post(chat))
        .layer(DefaultBodyLimit::max(CHAT_BODY_LIMIT))
}

async fn chat(
    State(terminal): State<Terminal>,
    caller: Caller,
    Body(request): Body<ChatRequest>,
) -> ApiResult<Json<ChatResponse>> {
    caller.require(&[Role::Admin])?;
    Ok(Json(terminal.answer(request).await?))
}
