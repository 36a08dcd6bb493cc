//! `/api/v1/health-ids/{hid}/guardians`: the holder or a guardian adds another patient of
//! this node as a guardian (a second child abroad hears the same reminders and may book),
//! or removes one (docs/api.md, docs/health.md §10). The rules are in [`Health`].

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiResult, ErrorBody};
use super::extract::{Body, Caller};
use crate::health::ids::HealthIdView;
use crate::services::Services;

pub fn router() -> OpenApiRouter<Services> {
    OpenApiRouter::new()
        .routes(routes!(add))
        .routes(routes!(remove))
}

/// The body of `POST /api/v1/health-ids/{hid}/guardians`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewGuardian {
    /// The handle of a member of this node with the patient role.
    #[schema(min_length = 1, max_length = 64)]
    member: String,
}

/// The health ID and a guardian's handle in the path.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct GuardianPath {
    /// `XX-XXXX-XXXX-XXXX`, dashes optional.
    #[param(pattern = r"^[1-9][0-9]-?[0-9]{4}-?[0-9]{4}-?[0-9]{4}$")]
    hid: String,
    /// The guardian's handle.
    member: String,
}

/// Adds a guardian: a patient of this node, by handle (holder, guardian). The guardian
/// then books, reads and decides for the ID and hears its reminders.
#[utoipa::path(post, path = "/api/v1/health-ids/{hid}/guardians", tag = "health",
    params(super::health_ids::HidPath), request_body = NewGuardian, security(("bearer" = [])),
    responses((status = CREATED, body = HealthIdView), (status = BAD_REQUEST, body = ErrorBody),
        (status = NOT_FOUND, body = ErrorBody), (status = CONFLICT, body = ErrorBody)))]
async fn add(
    State(services): State<Services>,
    Caller(member): Caller,
    Path(hid): Path<String>,
    Body(input): Body<NewGuardian>,
) -> ApiResult<(StatusCode, Json<HealthIdView>)> {
    let view = services
        .health
        .add_guardian(&member, &hid, &input.member, &services.members)?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Removes a guardian (holder, guardian; one may remove oneself). The holder cannot be
/// removed, and a dependant keeps at least one guardian (409).
#[utoipa::path(delete, path = "/api/v1/health-ids/{hid}/guardians/{member}", tag = "health",
    params(GuardianPath), security(("bearer" = [])),
    responses((status = OK, body = HealthIdView), (status = BAD_REQUEST, body = ErrorBody),
        (status = NOT_FOUND, body = ErrorBody), (status = CONFLICT, body = ErrorBody)))]
async fn remove(
    State(services): State<Services>,
    Caller(member): Caller,
    Path((hid, handle)): Path<(String, String)>,
) -> ApiResult<Json<HealthIdView>> {
    let view = services.health.remove_guardian(&member, &hid, &handle)?;
    Ok(Json(view))
}
