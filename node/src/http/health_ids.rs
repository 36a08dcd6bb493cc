//! `/api/v1/health-ids`: issuing health IDs (one's own, a dependant's), the profile, the
//! audit log, the FHIR export, the card, and erasing an ID (docs/api.md, docs/health.md).
//! Every handler parses and calls [`Health`]; the rules are there.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::error::{ApiError, ApiResult};
use super::extract::{Body, Caller};
use crate::health::Health;
use crate::health::audit::Entry;
use crate::health::ids::NewDependant;
use crate::health::profile::ProfileInput;
use crate::services::Services;

pub fn router() -> Router<Services> {
    Router::new()
        .route("/api/v1/health-ids", get(list_ids).post(issue))
        .route("/api/v1/health-ids/{hid}", delete(erase))
        .route(
            "/api/v1/health-ids/{hid}/profile",
            get(get_profile).put(put_profile),
        )
        .route("/api/v1/health-ids/{hid}/audit", get(audit))
        .route("/api/v1/health-ids/{hid}/fhir", get(fhir))
        .route("/api/v1/health-ids/{hid}/card", get(card))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssueInput {
    dependant: Option<NewDependant>,
}

async fn issue(
    State(health): State<Health>,
    Caller(member): Caller,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    // An empty body means `{}`: one's own ID.
    let input: IssueInput = if body.iter().all(u8::is_ascii_whitespace) {
        IssueInput { dependant: None }
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_json",
                format!("body is not the expected JSON: {e}"),
            )
        })?
    };
    let view = health.issue(&member, input.dependant.as_ref())?;
    Ok((StatusCode::CREATED, Json(json!(view))))
}

async fn list_ids(State(health): State<Health>, Caller(member): Caller) -> ApiResult<Json<Value>> {
    let ids = health.list_ids(&member)?;
    Ok(Json(json!({ "health_ids": ids })))
}

async fn get_profile(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(hid): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(health.get_profile(&member, &hid)?)))
}

async fn put_profile(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(hid): Path<String>,
    Body(input): Body<ProfileInput>,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(health.put_profile(&member, &hid, &input)?)))
}

/// An audit entry with its time in RFC 3339.
fn entry_view(entry: &Entry) -> Value {
    let mut view = json!(entry);
    view["at"] = json!(super::time::format(entry.at));
    view
}

async fn audit(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(hid): Path<String>,
) -> ApiResult<Json<Value>> {
    let entries = health.audit(&member, &hid)?;
    let views: Vec<Value> = entries.iter().map(entry_view).collect();
    Ok(Json(json!({ "audit": views })))
}

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

async fn card(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(hid): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let png = health.card(&member, &hid)?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png))
}

async fn erase(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(hid): Path<String>,
) -> ApiResult<StatusCode> {
    health.erase_id(&member, &hid).await?;
    Ok(StatusCode::NO_CONTENT)
}
