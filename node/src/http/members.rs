//! `POST /api/v1/members`: the admin creates a member and gets its token (shown once).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::{Body, Caller};
use super::openapi::schemas;
use crate::clock::Clock;
use crate::directory::listings::Listings;
use crate::members::{Members, NewMember, Role};
use crate::services::Services;

pub fn router() -> OpenApiRouter<Services> {
    OpenApiRouter::new().routes(routes!(create_member))
}

/// A member just created, with its bearer token (shown this once).
#[derive(Serialize, ToSchema)]
struct MemberCreated {
    id: String,
    handle: String,
    #[schema(schema_with = schemas::role)]
    role: Role,
    facility_id: Option<String>,
    token: String,
}

/// Creates a member (admin).
#[utoipa::path(post, path = "/api/v1/members", tag = "members", request_body = NewMember,
    security(("bearer" = [])),
    responses((status = CREATED, body = MemberCreated), (status = CONFLICT, body = ErrorBody)))]
async fn create_member(
    State(members): State<Members>,
    State(listings): State<Listings>,
    State(clock): State<Arc<dyn Clock>>,
    caller: Caller,
    Body(new): Body<NewMember>,
) -> ApiResult<(StatusCode, Json<MemberCreated>)> {
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
    let created = MemberCreated {
        id: member.id,
        handle: member.handle,
        role: member.role,
        facility_id: member.facility_id,
        token,
    };
    Ok((StatusCode::CREATED, Json(created)))
}
