//! `POST /api/v1/members`: the admin creates a member and gets its token (shown once).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};

use super::error::{ApiError, ApiResult};
use super::extract::{Body, Caller};
use crate::clock::Clock;
use crate::directory::listings::Listings;
use crate::members::{Members, NewMember, Role};
use crate::services::Services;

pub fn router() -> Router<Services> {
    Router::new().route("/api/v1/members", post(create_member))
}

async fn create_member(
    State(members): State<Members>,
    State(listings): State<Listings>,
    State(clock): State<Arc<dyn Clock>>,
    caller: Caller,
    Body(new): Body<NewMember>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    caller.require(&[Role::Admin])?;
    if let Some(f) = &new.facility_id {
        listings.get(f).map_err(|_| {
            ApiError::field(
                "facility_id",
                format!("`facility_id` {f} is not a known facility"),
            )
        })?;
    }
    let (member, token) = members.create(new, clock.now_ms())?;
    tracing::info!(member = %member.handle, role = ?member.role, "member created");
    Ok((
        StatusCode::CREATED,
        Json(
            json!({ "id": member.id, "handle": member.handle, "role": member.role, "facility_id": member.facility_id, "token": token }),
        ),
    ))
}
