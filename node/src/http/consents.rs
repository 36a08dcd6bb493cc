//! `/api/v1/consents`: staff ask for consent to a health ID's records; patients and staff
//! list the consents they may see; the holder or a guardian grants, denies or revokes.
//! Every handler parses and calls [`Health`]; the rules are there.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::error::{ApiError, ApiResult};
use super::extract::{Body, Caller};
use super::time;
use crate::health::Health;
use crate::health::consent::{Decision, NewConsent, Purpose};
use crate::health::grants::{Listed, day};
use crate::health::record::RecordType;
use crate::services::Services;

pub fn router() -> Router<Services> {
    Router::new()
        .route("/api/v1/consents", get(list).post(ask))
        .route("/api/v1/consents/{id}/grant", post(grant))
        .route("/api/v1/consents/{id}/deny", post(deny))
        .route("/api/v1/consents/{id}/revoke", post(revoke))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AskInput {
    health_id: Option<String>,
    purpose: Option<String>,
    record_types: Option<Vec<String>>,
    from: Option<String>,
    to: Option<String>,
    expires: Option<String>,
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

/// A consent as the API shows it.
fn view(listed: &Listed) -> Value {
    let c = &listed.consent;
    json!({
        "id": c.id,
        "health_id": c.health_id.to_string(),
        "purpose": c.purpose.as_str(),
        "record_types": c.record_types.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
        "from": day(c.from),
        "to": day(c.to),
        "expires": time::format(c.expires),
        "status": listed.status,
        "requester": c.requester,
        "home": listed.home,
        "created_at": time::format(c.created_at),
        "decided_at": c.decided_at.map(time::format),
        "decided_by": c.decided_by,
    })
}

async fn ask(
    State(health): State<Health>,
    Caller(member): Caller,
    Body(input): Body<AskInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let new = input.parse()?;
    let listed = health.ask(&member, new)?;
    Ok((StatusCode::CREATED, Json(view(&listed))))
}

async fn list(State(health): State<Health>, Caller(member): Caller) -> ApiResult<Json<Value>> {
    let consents = health.list_consents(&member)?;
    let views: Vec<Value> = consents.iter().map(view).collect();
    Ok(Json(json!({ "consents": views })))
}

async fn decide(
    health: Health,
    member: &crate::members::Member,
    id: &str,
    decision: Decision,
) -> ApiResult<Json<Value>> {
    let listed = health.decide(member, id, decision)?;
    Ok(Json(view(&listed)))
}

async fn grant(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    decide(health, &member, &id, Decision::Grant).await
}

async fn deny(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    decide(health, &member, &id, Decision::Deny).await
}

async fn revoke(
    State(health): State<Health>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    decide(health, &member, &id, Decision::Revoke).await
}
