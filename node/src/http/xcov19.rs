//! The xcov19 pair, with xcov19's own shapes: `POST /diagnose` stores the triage of a query
//! under its `query_id`; `POST /geo` answers the facilities fit for that query near a point,
//! as a JSON list of xcov19 `FacilitiesResult` records.
//!
//! xcov19's records have `stars` (1–5) and `reviews`; caremesh collects no reviews, so every
//! result carries `stars: 3` (neutral) and `reviews: 0`. `estimated_time` is minutes by road,
//! assuming roads 1.3 times the straight-line distance at an average 25 km/h (Indian city
//! traffic; see docs/api.md).

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{Extensions, StatusCode};
use caremesh_federation::Facility;
use caremesh_federation::object::{FacilityKind, from_e7};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::RawBody;
use super::openapi::schemas;
use crate::diagnoses::{DiagnoseError, Diagnoses};
use crate::services::Services;
use crate::triage::Urgency;

/// Road distance over straight-line distance.
const ROAD_FACTOR: f64 = 1.3;
/// Average speed by road, km/h.
const ROAD_SPEED_KMH: f64 = 25.0;
/// Results per `/geo` answer (xcov19's `rank` is 1..20).
const RESULTS: usize = 20;

pub fn router() -> OpenApiRouter<Services> {
    OpenApiRouter::new()
        .routes(routes!(diagnose))
        .routes(routes!(geo))
}

/// xcov19's `{"query_id": "..."}` wrapper.
#[derive(ToSchema)]
#[allow(dead_code)]
struct QueryId {
    /// 1 to 128 characters, not blank.
    #[schema(schema_with = schemas::id_128)]
    query_id: String,
}

/// xcov19's `{"cust_id": "..."}` wrapper.
#[derive(ToSchema)]
#[allow(dead_code)]
struct CustId {
    /// 1 to 128 characters, not blank.
    #[schema(schema_with = schemas::id_128)]
    cust_id: String,
}

/// xcov19's diagnosis query. Read field by field so that errors name the field; this type
/// only describes it.
#[derive(ToSchema)]
#[allow(dead_code)]
struct DiagnosisQuery {
    /// The symptoms, 1 to 10000 characters, not blank.
    #[schema(schema_with = schemas::text_10000)]
    query: String,
    query_id: QueryId,
}

/// The diagnosis: triage's answer under the query id.
#[derive(Serialize, ToSchema)]
struct DiagnosisAnswer {
    /// `ok`.
    response: &'static str,
    #[schema(inline)]
    query_id: QueryIdView,
    specialties: Vec<String>,
    #[schema(schema_with = schemas::urgency)]
    urgency: Urgency,
    advice: String,
    disclaimer: &'static str,
}

#[derive(Serialize, ToSchema)]
struct QueryIdView {
    query_id: String,
}

/// A point in xcov19's shape.
#[derive(Serialize, ToSchema)]
struct Location {
    #[schema(minimum = -90, maximum = 90)]
    lat: f64,
    #[schema(minimum = -180, maximum = 180)]
    lng: f64,
}

/// xcov19's location query: facilities for an earlier diagnosis near a point.
#[derive(ToSchema)]
#[allow(dead_code)]
struct LocationQuery {
    location: Location,
    cust_id: CustId,
    query_id: QueryId,
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
        Some(s) if !s.trim().is_empty() && s.chars().count() <= max => Ok(s),
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

/// Triage of a query, kept under its `query_id` for `POST /geo`.
#[utoipa::path(post, path = "/diagnose", tag = "xcov19", request_body = DiagnosisQuery,
    responses((status = OK, body = DiagnosisAnswer), (status = BAD_REQUEST, body = ErrorBody),
        (status = TOO_MANY_REQUESTS, body = ErrorBody)))]
async fn diagnose(
    State(diagnoses): State<Diagnoses>,
    extensions: Extensions,
    RawBody(bytes): RawBody,
) -> ApiResult<Json<DiagnosisAnswer>> {
    let v = body(&bytes)?;
    let query = text(&v, &["query"], "query", 10_000)?;
    let query_id = text(&v, &["query_id", "query_id"], "query_id.query_id", 128)?;
    // The connection's IP address (behind a reverse proxy, the proxy's: see docs/api.md).
    let client = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    let assessment = diagnoses
        .diagnose(&client, query_id, query)
        .map_err(|e| match e {
            DiagnoseError::Limit(limit) => ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                limit.code(),
                limit.to_string(),
            ),
            DiagnoseError::Service(e) => e.into(),
        })?;
    Ok(Json(DiagnosisAnswer {
        response: "ok",
        query_id: QueryIdView {
            query_id: query_id.to_owned(),
        },
        specialties: assessment.specialties,
        urgency: assessment.urgency,
        advice: assessment.advice,
        disclaimer: assessment.disclaimer,
    }))
}

/// An address in xcov19's shape (with the facility's name).
#[derive(Serialize, ToSchema)]
struct ResultAddress {
    name: String,
    street: String,
    city: String,
    state: String,
    zip: String,
    country: String,
}

/// One facility in xcov19's `FacilitiesResult` shape.
#[derive(Serialize, ToSchema)]
struct FacilitiesResult {
    name: String,
    address: ResultAddress,
    geolocation: Location,
    contact: String,
    facility_type: FacilityKind,
    /// An ownership, or `unknown`.
    ownership: String,
    specialties: Vec<String>,
    /// Always 3: caremesh collects no reviews.
    #[schema(minimum = 1, maximum = 5)]
    stars: u8,
    /// Always 0.
    #[schema(minimum = 0)]
    reviews: u32,
    #[schema(minimum = 1, maximum = 20)]
    rank: usize,
    /// Minutes by road: 1.3 times the straight line, at 25 km/h.
    #[schema(minimum = 0)]
    estimated_time: f64,
}

impl FacilitiesResult {
    fn of(f: &Facility, rank: usize, distance_km: f64) -> Self {
        let ownership = f
            .ownership
            .and_then(|o| serde_json::to_value(o).ok())
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "unknown".to_owned());
        let minutes = distance_km * ROAD_FACTOR / ROAD_SPEED_KMH * 60.0;
        Self {
            name: f.name.clone(),
            address: ResultAddress {
                name: f.name.clone(),
                street: f.address.street.clone(),
                city: f.address.city.clone(),
                state: f.address.state.clone(),
                zip: f.address.zip.clone(),
                country: f.address.country.clone(),
            },
            geolocation: Location {
                lat: from_e7(f.lat_e7),
                lng: from_e7(f.lon_e7),
            },
            contact: f.contact.clone(),
            facility_type: f.kind,
            ownership,
            specialties: f.specialties.clone(),
            stars: 3,
            reviews: 0,
            rank,
            estimated_time: (minutes * 10.0).round() / 10.0,
        }
    }
}

/// The facilities fit for a diagnosis near a point, nearest first (at most 20).
#[utoipa::path(post, path = "/geo", tag = "xcov19", request_body = LocationQuery,
    responses((status = OK, body = Vec<FacilitiesResult>), (status = NOT_FOUND, body = ErrorBody)))]
async fn geo(
    State(diagnoses): State<Diagnoses>,
    RawBody(bytes): RawBody,
) -> ApiResult<Json<Vec<FacilitiesResult>>> {
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
        .map(|(i, hit)| FacilitiesResult::of(&hit.facility, i + 1, hit.distance_km.unwrap_or(0.0)))
        .collect();
    Ok(Json(results))
}
