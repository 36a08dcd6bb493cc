//! `/api/v1/facilities`: listings near a point, one listing, and creating, updating and
//! retracting this node's listings (admin, staff).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use caremesh_federation::object::{FacilityKind, from_e7};
use serde_json::{Value, json};

use super::error::{ApiError, ApiResult};
use super::extract::{Body, Caller, Params};
use super::views::{FacilityInput, FacilityView};
use crate::app::AppState;
use crate::directory::geo_index::haversine_km;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/facilities",
            get(list_facilities).post(create_facility),
        )
        .route(
            "/api/v1/facilities/{id}",
            get(get_facility)
                .put(update_facility)
                .delete(retract_facility),
        )
}

fn parse_kind(text: &str) -> Result<FacilityKind, ApiError> {
    serde_json::from_value(json!(text)).map_err(|_| {
        ApiError::field("kind", format!("`kind` `{text}` is not one of hospital, clinic, nursing_home, lab, pharmacy, blood_bank, maker_hub"))
    })
}

async fn list_facilities(State(app): State<AppState>, params: Params) -> ApiResult<Json<Value>> {
    let from = params.point()?;
    let radius = params.f64("radius_km")?;
    if radius.is_some_and(|r| r <= 0.0) {
        return Err(ApiError::field("radius_km", "`radius_km` must be above 0"));
    }
    if radius.is_some() && from.is_none() {
        return Err(ApiError::field("lat", "`radius_km` needs `lat` and `lon`"));
    }
    let kind = params.text("kind").map(parse_kind).transpose()?;
    let specialty = params.text("specialty");
    if let Some(s) = specialty
        && !crate::catalog::is_specialty(s)
    {
        return Err(ApiError::field(
            "specialty",
            format!("`specialty` `{s}` is not in the vocabulary"),
        ));
    }
    let limit = params.u64("limit")?.unwrap_or(20).clamp(1, 500) as usize;
    let mut hits: Vec<(f64, FacilityView)> = Vec::new();
    for f in app.listings.list()? {
        if kind.is_some_and(|k| k != f.kind)
            || specialty.is_some_and(|s| !f.specialties.iter().any(|x| x == s))
        {
            continue;
        }
        let d = from.map(|(a, b)| haversine_km(a, b, from_e7(f.lat_e7), from_e7(f.lon_e7)));
        if let (Some(d), Some(r)) = (d, radius)
            && d > r
        {
            continue;
        }
        hits.push((d.unwrap_or(0.0), FacilityView::of(&f, from)));
    }
    hits.sort_by(|a, b| a.0.total_cmp(&b.0));
    hits.truncate(limit);
    Ok(Json(
        json!({ "facilities": hits.into_iter().map(|(_, v)| v).collect::<Vec<_>>() }),
    ))
}

async fn get_facility(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<FacilityView>> {
    Ok(Json(FacilityView::of(&app.listings.get(&id)?, None)))
}

async fn create_facility(
    State(app): State<AppState>,
    Caller(member): Caller,
    Body(input): Body<FacilityInput>,
) -> ApiResult<(StatusCode, Json<FacilityView>)> {
    // Validate first so that nothing is published for bad input.
    let checked = input.into_facility(caremesh_federation::Meta::default())?;
    let facility = app
        .listings
        .create(&member, |meta| caremesh_federation::Facility {
            meta,
            ..checked
        })?;
    app.flusher
        .flush()
        .await
        .map_err(crate::error::ServiceError::from)?;
    Ok((StatusCode::CREATED, Json(FacilityView::of(&facility, None))))
}

async fn update_facility(
    State(app): State<AppState>,
    Caller(member): Caller,
    Path(id): Path<String>,
    Body(input): Body<FacilityInput>,
) -> ApiResult<Json<FacilityView>> {
    // Validate first so that nothing is published for bad input.
    let checked = input.into_facility(app.listings.get(&id)?.meta)?;
    let facility = app
        .listings
        .update(&member, &id, |meta| caremesh_federation::Facility {
            meta,
            ..checked
        })?;
    app.flusher
        .flush()
        .await
        .map_err(crate::error::ServiceError::from)?;
    Ok(Json(FacilityView::of(&facility, None)))
}

async fn retract_facility(
    State(app): State<AppState>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<FacilityView>> {
    let facility = app.listings.retract(&member, &id)?;
    app.flusher
        .flush()
        .await
        .map_err(crate::error::ServiceError::from)?;
    Ok(Json(FacilityView::of(&facility, None)))
}
