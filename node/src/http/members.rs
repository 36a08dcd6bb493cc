//! `POST /api/v1/members`: the admin creates a member and gets its token (shown once).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};

use super::error::ApiResult;
use super::extract::{Body, Caller};
use crate::app::AppState;
use crate::members::{NewMember, Role};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/members", post(create_member))
}

async fn create_member(
    State(app): State<AppState>,
    caller: Caller,
    Body(new): Body<NewMember>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    caller.require(&[Role::Admin])?;
    if let Some(f) = &new.facility_id {
        app.listings.get(f).map_err(|_| {
            super::error::ApiError::field(
                "facility_id",
                format!("`facility_id` {f} is not a known facility"),
            )
        })?;
    }
    let (member, token) = app.members.create(new, app.clock.now_ms())?;
    app.flusher
        .flush()
        .await
        .map_err(crate::error::ServiceError::from)?;
    tracing::info!(member = %member.handle, role = ?member.role, "member created");
    Ok((
        StatusCode::CREATED,
        Json(
            json!({ "id": member.id, "handle": member.handle, "role": member.role, "facility_id": member.facility_id, "token": token }),
        ),
    ))
}
