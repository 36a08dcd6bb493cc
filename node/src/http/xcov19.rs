//! The xcov19 pair, with xcov19's own shapes: `POST /diagnose` stores the triage of a query
//! under its `query_id`; `POST /geo` answers the facilities fit for that query near a point,
//! as a JSON list of xcov19 `FacilitiesResult` records.
//!
//! xcov19's records have `stars` (1–5) and `reviews`; caremesh collects no reviews, so every
//! result carries `stars: 3` (neutral) and `reviews: 0`. `estimated_time` is minutes by road,
//! assuming roads 1.3 times the straight-line distance at an average 25 km/h (Indian city
//! traffic; see docs/api.md).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use caremesh_federation::Facility;
use caremesh_federation::object::from_e7;
use serde_json::{Value, json};

use super::error::{ApiError, ApiResult};
use crate::diagnoses::Diagnoses;
use crate::services::Services;

/// Road distance over straight-line distance.
const ROAD_FACTOR: f64 = 1.3;
/// Average speed by road, km/h.
const ROAD_SPEED_KMH: f64 = 25.0;
/// Results per `/geo` answer (xcov19's `rank` is 1..20).
const RESULTS: usize = 20;

pub fn router() -> Router<Services> {
    Router::new()
        .route("/diagnose", post(diagnose))
        .route("/geo", post(geo))
}

fn body(bytes: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("body is not JSON: {e}"),
        )
    })
}

fn text<'a>(
    v: &'a Value,
    path: &[&str],
    field: &'static str,
    max: usize,
) -> Result<&'a str, ApiError> {
    let found = path
        .iter()
        .try_fold(v, |v, key| v.get(key))
        .and_then(Value::as_str);
    match found {
        Some(s) if !s.trim().is_empty() && s.len() <= max => Ok(s),
        Some(_) => Err(ApiError::field(
            field,
            format!("`{field}` must be 1 to {max} characters"),
        )),
        None => Err(ApiError::field(
            field,
            format!("`{field}` is required and must be a string"),
        )),
    }
}

fn number(v: &Value, path: &[&str], field: &'static str, limit: f64) -> Result<f64, ApiError> {
    let found = path
        .iter()
        .try_fold(v, |v, key| v.get(key))
        .and_then(Value::as_f64);
    match found {
        Some(x) if x.abs() <= limit => Ok(x),
        Some(_) => Err(ApiError::field(
            field,
            format!("`{field}` must be within ±{limit}"),
        )),
        None => Err(ApiError::field(
            field,
            format!("`{field}` is required and must be a number"),
        )),
    }
}

async fn diagnose(
    State(diagnoses): State<Diagnoses>,
    bytes: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let v = body(&bytes)?;
    let query = text(&v, &["query"], "query", 10_000)?;
    let query_id = text(&v, &["query_id", "query_id"], "query_id.query_id", 128)?;
    let assessment = diagnoses.diagnose(query_id, query)?;
    Ok(Json(json!({
        "response": "ok",
        "query_id": {"query_id": query_id},
        "specialties": assessment.specialties,
        "urgency": assessment.urgency,
        "advice": assessment.advice,
        "disclaimer": assessment.disclaimer,
    })))
}

fn facilities_result(f: &Facility, rank: usize, distance_km: f64) -> Value {
    let kind = serde_json::to_value(f.kind).unwrap_or(Value::Null);
    let ownership = f
        .ownership
        .and_then(|o| serde_json::to_value(o).ok())
        .unwrap_or(json!("unknown"));
    json!({
        "name": f.name,
        "address": {
            "name": f.name,
            "street": f.address.street,
            "city": f.address.city,
            "state": f.address.state,
            "zip": f.address.zip,
            "country": f.address.country,
        },
        "geolocation": {"lat": from_e7(f.lat_e7), "lng": from_e7(f.lon_e7)},
        "contact": f.contact,
        "facility_type": kind,
        "ownership": ownership,
        "specialties": f.specialties,
        "stars": 3,
        "reviews": 0,
        "rank": rank,
        "estimated_time": ((distance_km * ROAD_FACTOR / ROAD_SPEED_KMH * 60.0) * 10.0).round() / 10.0,
    })
}

async fn geo(
    State(diagnoses): State<Diagnoses>,
    bytes: axum::body::Bytes,
) -> ApiResult<Json<Vec<Value>>> {
    let v = body(&bytes)?;
    let lat = number(&v, &["location", "lat"], "location.lat", 90.0)?;
    let lng = number(&v, &["location", "lng"], "location.lng", 180.0)?;
    text(&v, &["cust_id", "cust_id"], "cust_id.cust_id", 128)?;
    let query_id = text(&v, &["query_id", "query_id"], "query_id.query_id", 128)?;
    let hits = diagnoses
        .facilities(query_id, (lat, lng), RESULTS)?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("query_id `{query_id}` is unknown: POST /diagnose first"),
            )
        })?;
    let results = hits
        .iter()
        .enumerate()
        .map(|(i, hit)| facilities_result(&hit.facility, i + 1, hit.distance_km.unwrap_or(0.0)))
        .collect();
    Ok(Json(results))
}
