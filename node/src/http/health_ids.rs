//! `/api/v1/health-ids`: issuing health IDs (one's own, a dependant's), the profile, the
//! audit log, the FHIR export, the card, and erasing an ID (docs/api.md, docs/health.md).
//! Every handler parses and calls [`Health`]; the rules are there.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::{Body, Caller};
use super::openapi::schemas::Binary;
use crate::health::Health;
use crate::health::audit::{Action, Entry};
use crate::health::ids::{HealthIdView, NewDependant};
use crate::health::profile::{Profile, ProfileInput};
use crate::services::Services;

pub fn router() -> OpenApiRouter<Services> {
    OpenApiRouter::new()
        .routes(routes!(list_ids, issue))
        .routes(routes!(erase))
        .routes(routes!(get_profile, put_profile))
        .routes(routes!(audit))
        .routes(routes!(fhir))
        .routes(routes!(card))
}

/// The health ID number in the path, with or without dashes (docs/health.md §1).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub(super) struct HidPath {
    /// `XX-XXXX-XXXX-XXXX`, dashes optional; the last digit is a check digit.
    #[param(pattern = r"^[1-9][0-9]-?[0-9]{4}-?[0-9]{4}-?[0-9]{4}$")]
    hid: String,
}

/// The body of `POST /api/v1/health-ids`: `{}` (or nothing) for one's own ID.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct IssueInput {
    /// A dependant the caller will guard.
    dependant: Option<NewDependant>,
}

/// The health IDs a patient holds and guards.
#[derive(Serialize, ToSchema)]
struct HealthIdList {
    health_ids: Vec<HealthIdView>,
}

/// An audit entry, its time in RFC 3339.
#[derive(Serialize, ToSchema)]
struct AuditView {
    #[schema(format = DateTime)]
    at: String,
    /// Origin of the actor's node.
    node: String,
    /// The actor's handle at that node.
    who: String,
    action: Action,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    record_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    consent_id: Option<String>,
    /// For `refused`: the consent check that failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    check: Option<String>,
}

/// A health ID's audit log, oldest first.
#[derive(Serialize, ToSchema)]
struct AuditList {
    audit: Vec<AuditView>,
}

/// Issues a health ID: the caller's own (`{}`) or a dependant's (patient).
#[utoipa::path(post, path = "/api/v1/health-ids", tag = "health",
    request_body(content = Option<IssueInput>, description = "`{}` or nothing for one's own ID"),
    security(("bearer" = [])),
    responses((status = CREATED, body = HealthIdView), (status = BAD_REQUEST, body = ErrorBody),
        (status = CONFLICT, body = ErrorBody)))]
async fn issue(
    State(health): State<Health>,
    Caller(member): Caller,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<HealthIdView>)> {
    // An empty body or `null` means `{}`: one's own ID.
    let input: Option<IssueInput> = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                format!("body is not the expected JSON: {e}"),
            )
        })?
    };
    let dependant = input.and_then(|i| i.dependant);
    let view = health.issue(&member, dependant.as_ref())?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// The health IDs the caller holds and guards (patient).
#[utoipa::path(get, path = "/api/v1/health-ids", tag = "health", security(("bearer" = [])),
    responses((status = OK, body = HealthIdList)))]
async fn list_ids(
    State(health): State<Health>,
    Caller(member): Caller,
) -> ApiResult<Json<HealthIdList>> {
    let health_ids = health.list_ids(&member)?;
    Ok(Json(HealthIdList { health_ids }))
}

/// The profile (holder, guardian).
#[utoipa::path(get, path = "/api/v1/health-ids/{hid}/profile", tag = "health", params(HidPath),
    security(("bearer" = [])),
    responses((status = OK, body = Profile), (status = BAD_REQUEST, body = ErrorBody),
        (status = NOT_FOUND, body = ErrorBody)))]
async fn get_profile(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(hid): Path<String>,
) -> ApiResult<Json<Profile>> {
    Ok(Json(health.get_profile(&member, &hid)?))
}

/// Replaces the profile; an absent field is empty (holder, guardian).
#[utoipa::path(put, path = "/api/v1/health-ids/{hid}/profile", tag = "health", params(HidPath),
    request_body = ProfileInput, security(("bearer" = [])),
    responses((status = OK, body = Profile), (status = BAD_REQUEST, body = ErrorBody),
        (status = NOT_FOUND, body = ErrorBody)))]
async fn put_profile(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(hid): Path<String>,
    Body(input): Body<ProfileInput>,
) -> ApiResult<Json<Profile>> {
    Ok(Json(health.put_profile(&member, &hid, &input)?))
}

impl AuditView {
    fn of(entry: &Entry) -> Self {
        Self {
            at: super::time::format(entry.at),
            node: entry.node.clone(),
            who: entry.who.clone(),
            action: entry.action,
            record_id: entry.record_id.clone(),
            consent_id: entry.consent_id.clone(),
            check: entry.check.clone(),
        }
    }
}

/// The audit log: every upload, list, read, decision and refused read (holder, guardian).
#[utoipa::path(get, path = "/api/v1/health-ids/{hid}/audit", tag = "health", params(HidPath),
    security(("bearer" = [])),
    responses((status = OK, body = AuditList), (status = BAD_REQUEST, body = ErrorBody),
        (status = NOT_FOUND, body = ErrorBody)))]
async fn audit(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(hid): Path<String>,
) -> ApiResult<Json<AuditList>> {
    let entries = health.audit(&member, &hid)?;
    let audit = entries.iter().map(AuditView::of).collect();
    Ok(Json(AuditList { audit }))
}

/// A FHIR R4 Bundle: Patient, AllergyIntolerance, Condition, MedicationStatement,
/// DocumentReference (holder, guardian).
#[utoipa::path(get, path = "/api/v1/health-ids/{hid}/fhir", tag = "health", params(HidPath),
    security(("bearer" = [])),
    responses((status = OK, body = Object, content_type = "application/fhir+json",
        description = "a FHIR R4 Bundle of type `collection`"),
        (status = BAD_REQUEST, body = ErrorBody), (status = NOT_FOUND, body = ErrorBody)))]
async fn fhir(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(hid): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let origin = health.origin().to_owned();
    let digits: String = hid.chars().filter(char::is_ascii_digit).collect();
    let url =
        move |record: &str| format!("{origin}/api/v1/health-ids/{digits}/records/{record}/content");
    let bundle = health.fhir(&member, &hid, &url)?;
    Ok((
        [(header::CONTENT_TYPE, "application/fhir+json")],
        Json(bundle),
    ))
}

/// The health ID card with a QR code of the health address, PNG (holder, guardian).
#[utoipa::path(get, path = "/api/v1/health-ids/{hid}/card", tag = "health", params(HidPath),
    security(("bearer" = [])),
    responses((status = OK, body = Binary, content_type = "image/png"),
        (status = BAD_REQUEST, body = ErrorBody), (status = NOT_FOUND, body = ErrorBody)))]
async fn card(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(hid): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let png = health.card(&member, &hid)?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png))
}

/// Erases a health ID: grants revoked at every reach, data deleted, the audit of the
/// deletion kept (holder, guardian).
#[utoipa::path(delete, path = "/api/v1/health-ids/{hid}", tag = "health", params(HidPath),
    security(("bearer" = [])),
    responses((status = NO_CONTENT, description = "erased"),
        (status = BAD_REQUEST, body = ErrorBody), (status = NOT_FOUND, body = ErrorBody)))]
async fn erase(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(hid): Path<String>,
) -> ApiResult<StatusCode> {
    health.erase_id(&member, &hid).await?;
    Ok(StatusCode::NO_CONTENT)
}
