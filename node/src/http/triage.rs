//! `POST /api/v1/triage` `{"symptoms": "...", "lat"?, "lon"?}`: specialties, urgency and
//! advice for symptoms in English or Hindi; for red flags, the emergency number and (with a
//! position) the nearest hospitals with an emergency department. Never a diagnosis.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use caremesh_federation::object::FacilityKind;
use serde::Deserialize;
use serde_json::{Value, json};

use super::error::{ApiError, ApiResult};
use super::extract::Body;
use super::views::{FacilityView, round_km};
use crate::app::{App, AppState};
use crate::directory::search::Query;
use crate::triage::Urgency;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/triage", post(triage))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TriageInput {
    symptoms: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}

/// The nearest hospitals with an emergency department, nearest first.
pub fn nearest_emergency(app: &App, lat: f64, lon: f64, count: usize) -> Vec<FacilityView> {
    let query = Query {
        kind: Some(FacilityKind::Hospital),
        specialties: vec!["emergency_medicine".into()],
        ..Default::default()
    };
    app.directory
        .nearest(lat, lon, count, &query, None)
        .into_iter()
        .filter_map(|hit| {
            let f = app.listings.get(&hit.id).ok()?;
            let mut view = FacilityView::of(&f, None);
            view.distance_km = Some(round_km(hit.distance_km));
            Some(view)
        })
        .collect()
}

async fn triage(
    State(app): State<AppState>,
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
    let assessment = app.triage.assess(&symptoms);
    let mut answer = serde_json::to_value(&assessment).unwrap_or_else(|_| json!({}));
    if assessment.urgency == Urgency::Emergency
        && let Some((lat, lon)) = at
    {
        answer["nearest_emergency"] = json!(nearest_emergency(&app, lat, lon, 3));
    }
    Ok(Json(answer))
}
