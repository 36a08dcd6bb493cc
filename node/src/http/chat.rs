//! `POST /api/v1/chat`: one line of the terminal chat (`caremesh chat`), spoken by a
//! terminal user through the conversation engine. Admin only: the terminal client reads the
//! node's admin token, so it runs on the node's machine.

use axum::extract::{FromRef, State};
use axum::routing::post;
use axum::{Json, Router};
use caremesh_bots::chat::{ChatUser, Input, Platform};
use caremesh_bots::engine::Engine;

use super::error::{ApiError, ApiResult};
use super::extract::{Body, Caller};
use crate::chat::records::ChatRecords;
use crate::chat::terminal::{ChatRequest, ChatResponse};
use crate::error::ServiceError;
use crate::members::{Members, Role};

/// What the terminal chat's endpoint uses.
#[derive(Clone, FromRef)]
pub struct ChatState {
    pub engine: Engine,
    pub records: ChatRecords,
    pub members: Members,
}

pub fn router() -> Router<ChatState> {
    Router::new().route("/api/v1/chat", post(chat))
}

async fn chat(
    State(engine): State<Engine>,
    State(records): State<ChatRecords>,
    State(members): State<Members>,
    caller: Caller,
    Body(request): Body<ChatRequest>,
) -> ApiResult<Json<ChatResponse>> {
    caller.require(&[Role::Admin])?;
    let name = request.user.trim();
    if name.is_empty() || name.len() > 64 {
        return Err(ApiError::field("user", "`user` must be 1 to 64 bytes"));
    }
    let who = ChatUser::direct(Platform::Terminal, name);
    if let Some(handle) = request.as_member.as_deref() {
        if members.get(handle)?.is_none() {
            return Err(ApiError::field(
                "as_member",
                format!("no member `{handle}`"),
            ));
        }
        if records
            .handle_of(&who)
            .map_err(ServiceError::from)?
            .as_deref()
            != Some(handle)
        {
            records.link(&who, handle).map_err(ServiceError::from)?;
        }
    }
    let input = Input {
        from: who.clone(),
        event: request.event,
    };
    let replies = engine.handle(&input).await;
    let notices = records.take_inbox(&who).map_err(ServiceError::from)?;
    Ok(Json(ChatResponse { replies, notices }))
}
