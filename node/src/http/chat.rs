//! `POST /api/v1/chat`: one line of the terminal chat (`caremesh chat`), spoken by a
//! terminal user through the conversation engine. Admin only: the terminal client reads the
//! node's admin token, so it runs on the node's machine.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use caremesh_bots::chat::{ChatUser, Input, Platform};

use super::error::{ApiError, ApiResult};
use super::extract::{Body, Caller};
use crate::app::AppState;
use crate::chat::records::ChatRecords;
use crate::chat::terminal::{ChatRequest, ChatResponse};
use crate::error::ServiceError;
use crate::members::Role;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/chat", post(chat))
}

async fn chat(
    State(app): State<AppState>,
    caller: Caller,
    Body(request): Body<ChatRequest>,
) -> ApiResult<Json<ChatResponse>> {
    caller.require(&[Role::Admin])?;
    let name = request.user.trim();
    if name.is_empty() || name.len() > 64 {
        return Err(ApiError::field("user", "`user` must be 1 to 64 bytes"));
    }
    let who = ChatUser::direct(Platform::Terminal, name);
    let records = ChatRecords::new(app.store.clone());
    if let Some(handle) = request.as_member.as_deref() {
        if app.members.get(handle)?.is_none() {
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
    let replies = crate::chat::engine(&app).handle(&input).await;
    let notices = records.take_inbox(&who).map_err(ServiceError::from)?;
    Ok(Json(ChatResponse { replies, notices }))
}
