//! `POST /api/v1/chat`: one line of the terminal chat (`caremesh chat`), spoken by a
//! terminal user through the conversation engine. Admin only: the terminal client reads the
//! node's admin token, so it runs on the node's machine.

use axum::extract::{FromRef, State};
use axum::routing::post;
use axum::{Json, Router};
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

pub fn router() -> Router<ChatState> {
    Router::new().route("/api/v1/chat", post(chat))
}

async fn chat(
    State(terminal): State<Terminal>,
    caller: Caller,
    Body(request): Body<ChatRequest>,
) -> ApiResult<Json<ChatResponse>> {
    caller.require(&[Role::Admin])?;
    Ok(Json(terminal.answer(request).await?))
}
