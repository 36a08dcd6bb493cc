//! `POST /api/v1/triage` `{"symptoms": "...", "lat"?, "lon"?}`: specialties, urgency and
//! advice for symptoms in English or Hindi; for red flags, the emergency number and (with a
//! position) the nearest hospitals with an emergency department. Never a diagnosis.

use std::sync::Arc;

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::error::{ApiError, ApiResult};
use super::extract::Body;
use super::views::FacilityView;
use crate::directory::finder::{Finder, Search};
use crate::directory::search::Query;
use crate::services::Services;
use crate::triage::{Triage, Urgency};

pub fn router() -> Router<Services> {
    Router::new().route("/api/v1/triage", post(triage))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TriageInput {
    symptoms: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}

async fn triage(
    State(triage): State<Arc<Triage>>,
    State(finder): State<Finder>,
    Body(input): Body<TriageInput>,
) -> ApiResult<Json<Value>> {
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
    let mut answer = serde_json::to_value(&assessment).unwrap_or_else(|_| json!({}));
    if assessment.urgency == Urgency::Emergency
        && let Some((lat, lon)) = at
    {
        let search = Search::nearest((lat, lon), Query::emergency(), 3);
        let nearest: Vec<FacilityView> = finder
            .find(&search)?
            .iter()
            .map(FacilityView::of_hit)
            .collect();
        answer["nearest_emergency"] = json!(nearest);
    }
    Ok(Json(answer))
}
