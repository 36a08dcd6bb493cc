//! `/api/v1/consents`: staff ask for consent to a health ID's records; patients and staff
//! list the consents they may see; the holder or a guardian grants, denies or revokes.
//! Every handler parses and calls [`Health`]; the rules are there.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::{Body, Caller};
use super::health_records::record_type;
use super::openapi::schemas;
use super::time;
use crate::health::Health;
use crate::health::consent::{Decision, NewConsent, Purpose, PurposeCodes, Requester, Status};
use crate::health::grants::{Listed, day};
use crate::health::record::{RecordType, RecordTypeCodes};
use crate::services::Services;

pub fn router() -> OpenApiRouter<Services> {
    OpenApiRouter::new()
        .routes(routes!(list, ask))
        .routes(routes!(grant))
        .routes(routes!(deny))
        .routes(routes!(revoke))
}

/// A purpose, as the API names it.
fn purpose() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some(Purpose::ALL.map(Purpose::as_str)))
        .build()
}

/// Record types, at least one.
fn record_types() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(record_type())
        .min_items(Some(1))
        .unique_items(true)
        .build()
}

/// A consent as staff ask for it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct AskInput {
    /// The health ID number, dashes optional.
    #[schema(
        required = true,
        nullable = false,
        pattern = r"^[1-9][0-9]-?[0-9]{4}-?[0-9]{4}-?[0-9]{4}$"
    )]
    health_id: Option<String>,
    #[schema(required = true, nullable = false, schema_with = purpose)]
    purpose: Option<String>,
    #[schema(required = true, nullable = false, schema_with = record_types)]
    record_types: Option<Vec<String>>,
    /// Only records dated from this day.
    #[schema(schema_with = schemas::api_date)]
    from: Option<String>,
    /// Only records dated up to this day.
    #[schema(schema_with = schemas::api_date)]
    to: Option<String>,
    /// When the grant ends: in the future, at most 365 days ahead.
    #[schema(required = true, nullable = false, schema_with = schemas::api_time)]
    expires: Option<String>,
}

/// A consent as the API shows it, to either side.
#[derive(Serialize, ToSchema)]
struct ConsentView {
    id: String,
    health_id: String,
    #[schema(schema_with = purpose)]
    purpose: &'static str,
    #[schema(schema_with = record_types)]
    record_types: Vec<&'static str>,
    /// `YYYY-MM-DD`.
    #[schema(format = Date)]
    from: Option<String>,
    /// `YYYY-MM-DD`.
    #[schema(format = Date)]
    to: Option<String>,
    #[schema(format = DateTime)]
    expires: String,
    status: Status,
    requester: Requester,
    /// The home node of the health ID.
    home: String,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    decided_at: Option<String>,
    /// Handle of the holder or guardian who decided last.
    decided_by: Option<String>,
}

/// Consents one may see.
#[derive(Serialize, ToSchema)]
struct ConsentList {
    consents: Vec<ConsentView>,
}

/// The consent id in the path.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct ConsentPath {
    /// The consent's id (a ULID).
    id: String,
}

fn required<T>(field: &'static str, value: Option<T>) -> Result<T, ApiError> {
    value.ok_or_else(|| ApiError::field(field, format!("`{field}` is required")))
}

impl AskInput {
    fn parse(self) -> Result<NewConsent, ApiError> {
        let health_id = Health::parse_id("health_id", &required("health_id", self.health_id)?)?;
        let purpose = required("purpose", self.purpose)?;
        let purpose = Purpose::parse(&purpose).ok_or_else(|| {
            ApiError::field(
                "purpose",
                format!("`purpose` `{purpose}` is not care, referral, insurance or research"),
            )
        })?;
        let record_types = required("record_types", self.record_types)?
            .iter()
            .map(|t| {
                RecordType::parse(t).ok_or_else(|| {
                    ApiError::field(
                        "record_types",
                        format!("`record_types` names `{t}`, not a record type: lab_report, imaging, prescription, discharge_summary, vaccination, other"),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(NewConsent {
            health_id,
            purpose,
            record_types,
            from: time::parse_opt("from", self.from.as_deref())?,
            to: time::parse_opt("to", self.to.as_deref())?,
            expires: time::parse("expires", &required("expires", self.expires)?)?,
        })
    }
}

impl ConsentView {
    fn of(listed: &Listed) -> Self {
        let c = &listed.consent;
        Self {
            id: c.id.clone(),
            health_id: c.health_id.to_string(),
            purpose: c.purpose.as_str(),
            record_types: c.record_types.iter().map(|t| t.as_str()).collect(),
            from: day(c.from),
            to: day(c.to),
            expires: time::format(c.expires),
            status: listed.status,
            requester: c.requester.clone(),
            home: listed.home.clone(),
            created_at: time::format(c.created_at),
            decided_at: c.decided_at.map(time::format),
            decided_by: c.decided_by.clone(),
        }
    }
}

/// Asks for consent to a health ID's records, here or on any node (staff of a facility).
#[utoipa::path(post, path = "/api/v1/consents", tag = "health", request_body = AskInput,
    security(("bearer" = [])),
    responses((status = CREATED, body = ConsentView), (status = BAD_REQUEST, body = ErrorBody)))]
async fn ask(
    State(health): State<Health>,
    Caller(member): Caller,
    Body(input): Body<AskInput>,
) -> ApiResult<(StatusCode, Json<ConsentView>)> {
    let new = input.parse()?;
    let listed = health.ask(&member, new)?;
    Ok((StatusCode::CREATED, Json(ConsentView::of(&listed))))
}

/// Consents: a patient's own and their dependants', a facility's asks (staff).
#[utoipa::path(get, path = "/api/v1/consents", tag = "health", security(("bearer" = [])),
    responses((status = OK, body = ConsentList)))]
async fn list(
    State(health): State<Health>,
    Caller(member): Caller,
) -> ApiResult<Json<ConsentList>> {
    let consents = health.list_consents(&member)?;
    let consents = consents.iter().map(ConsentView::of).collect();
    Ok(Json(ConsentList { consents }))
}

fn decide(
    health: &Health,
    member: &crate::members::Member,
    id: &str,
    decision: Decision,
) -> ApiResult<Json<ConsentView>> {
    let listed = health.decide(member, id, decision)?;
    Ok(Json(ConsentView::of(&listed)))
}

/// Grants an asked consent; the signed grant goes to the asking node (holder, guardian).
#[utoipa::path(post, path = "/api/v1/consents/{id}/grant", tag = "health", params(ConsentPath),
    security(("bearer" = [])),
    responses((status = OK, body = ConsentView), (status = NOT_FOUND, body = ErrorBody),
        (status = CONFLICT, body = ErrorBody)))]
async fn grant(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ConsentView>> {
    decide(&health, &member, &id, Decision::Grant)
}

/// Denies an asked consent (holder, guardian).
#[utoipa::path(post, path = "/api/v1/consents/{id}/deny", tag = "health", params(ConsentPath),
    security(("bearer" = [])),
    responses((status = OK, body = ConsentView), (status = NOT_FOUND, body = ErrorBody),
        (status = CONFLICT, body = ErrorBody)))]
async fn deny(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ConsentView>> {
    decide(&health, &member, &id, Decision::Deny)
}

/// Revokes a grant: reads under it end at once (holder, guardian).
#[utoipa::path(post, path = "/api/v1/consents/{id}/revoke", tag = "health", params(ConsentPath),
    security(("bearer" = [])),
    responses((status = OK, body = ConsentView), (status = NOT_FOUND, body = ErrorBody),
        (status = CONFLICT, body = ErrorBody)))]
async fn revoke(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ConsentView>> {
    decide(&health, &member, &id, Decision::Revoke)
}
