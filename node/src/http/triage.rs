//! `POST /api/v1/triage` `{"symptoms": "...", "lat"?, "lon"?}`: specialties, urgency and
//! advice for symptoms in English or Hindi; for red flags, the emergency number and (with a
//! position) the nearest hospitals with an emergency department. Never a diagnosis.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::Body;
use super::openapi::schemas;
use super::views::FacilityView;
use crate::directory::finder::{Finder, Search};
use crate::directory::search::Query;
use crate::services::Services;
use crate::triage::{Assessment, Lang, Triage, Urgency};

pub fn router() -> OpenApiRouter<Services> {
    OpenApiRouter::new().routes(routes!(triage))
}

/// Symptoms, and where the person is (both or neither).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct TriageInput {
    /// What the person feels, in English or Hindi (Devanagari or Latin letters).
    #[schema(required = true, nullable = false, min_length = 1, pattern = r"\S")]
    symptoms: Option<String>,
    #[schema(minimum = -90, maximum = 90)]
    lat: Option<f64>,
    #[schema(minimum = -180, maximum = 180)]
    lon: Option<f64>,
}

/// A triage answer. Never a diagnosis.
#[derive(Serialize, ToSchema)]
struct TriageView {
    /// Specialty slugs to look for, most relevant first.
    specialties: Vec<String>,
    #[schema(schema_with = schemas::urgency)]
    urgency: Urgency,
    /// In the language of the symptoms.
    advice: String,
    /// Ids of matched rules that are red flags.
    red_flags: Vec<String>,
    /// Ids of all matched rules.
    matched: Vec<String>,
    /// Ids of rules that would have matched but for a negation or a past marker.
    ruled_out: Vec<String>,
    /// One question to ask when the text leaves out what decides the urgency.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    follow_up: Option<FollowUpView>,
    disclaimer: &'static str,
    /// `en` or `hi`.
    #[schema(value_type = String)]
    language: Lang,
    emergency_number: String,
    /// For emergencies with a position: the nearest hospitals with an emergency department.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    nearest_emergency: Option<Vec<FacilityView>>,
}

/// A follow-up question, in the language of the symptoms.
#[derive(Serialize, ToSchema)]
struct FollowUpView {
    /// Stable identifier of the question.
    id: String,
    question: String,
    /// Words to add to the text when the answer is yes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    yes: Option<String>,
    /// Words to add to the text when the answer is no.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    no: Option<String>,
}

impl TriageView {
    fn of(a: Assessment, nearest_emergency: Option<Vec<FacilityView>>) -> Self {
        Self {
            specialties: a.specialties,
            urgency: a.urgency,
            advice: a.advice,
            red_flags: a.red_flags,
            matched: a.matched,
            ruled_out: a.ruled_out,
            follow_up: a.follow_up.map(|f| FollowUpView {
                id: f.id,
                question: f.question,
                yes: f.yes,
                no: f.no,
            }),
            disclaimer: a.disclaimer,
            language: a.language,
            emergency_number: a.emergency_number,
            nearest_emergency,
        }
    }
}

/// Specialties, urgency and advice for symptoms.
#[utoipa::path(post, path = "/api/v1/triage", tag = "triage", request_body = TriageInput,
    responses((status = OK, body = TriageView), (status = BAD_REQUEST, body = ErrorBody)))]
async fn triage(
    State(triage): State<Arc<Triage>>,
    State(finder): State<Finder>,
    Body(input): Body<TriageInput>,
) -> ApiResult<Json<TriageView>> {
    let symptoms = input
        .symptoms
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| {
            ApiError::field(
                "symptoms",
                "`symptoms` is required: describe what you feel, in English or Hindi",
            )
        })?;
    let at = match (input.lat, input.lon) {
        (Some(lat), Some(lon)) => {
            Some(crate::marketplace::coords_e7(lat, lon).map(|_| (lat, lon))?)
        }
        (None, None) => None,
        _ => return Err(ApiError::field("lat", "`lat` and `lon` go together")),
    };
    let assessment = triage.assess(&symptoms);
    let nearest = match at {
        Some(at) if assessment.urgency == Urgency::Emergency => {
            let search = Search::nearest(at, Query::emergency(), 3);
            let hits = finder.find(&search)?;
            Some(hits.iter().map(FacilityView::of_hit).collect())
        }
        _ => None,
    };
    Ok(Json(TriageView::of(assessment, nearest)))
}
