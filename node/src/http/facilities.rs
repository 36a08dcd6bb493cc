//! `/api/v1/facilities`: listings near a point, one listing, and creating, updating and
//! retracting this node's listings (admin, staff).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use caremesh_federation::object::FacilityKind;
use serde_json::{Value, json};

use super::error::{ApiError, ApiResult};
use super::extract::{Body, Caller, Params};
use super::views::{FacilityInput, FacilityView};
use crate::directory::finder::{Finder, Search};
use crate::directory::listings::Listings;
use crate::directory::search::{BLOOD_GROUPS, Query};
use crate::services::Services;

pub fn router() -> Router<Services> {
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

fn parse_specialties(params: &Params) -> Result<Vec<String>, ApiError> {
    let specialties: Vec<String> = params
        .text("specialty")
        .map(|s| s.split(',').map(str::trim).map(str::to_owned).collect())
        .unwrap_or_default();
    match specialties
        .iter()
        .find(|s| !crate::catalog::is_specialty(s))
    {
        Some(bad) => Err(ApiError::field(
            "specialty",
            format!("`specialty` `{bad}` is not in the vocabulary"),
        )),
        None => Ok(specialties),
    }
}

fn parse_blood_group(params: &Params) -> Result<Option<String>, ApiError> {
    let blood_group = params
        .text("blood_group")
        .map(|g| g.trim().to_uppercase().replace(' ', "+"));
    match blood_group {
        Some(g) if !BLOOD_GROUPS.contains(&g.as_str()) => Err(ApiError::field(
            "blood_group",
            format!(
                "`blood_group` `{g}` is not one of {}",
                BLOOD_GROUPS.join(", ")
            ),
        )),
        other => Ok(other),
    }
}

fn parse_search(params: &Params) -> Result<Search, ApiError> {
    let from = params.point()?;
    let radius_km = params.f64("radius_km")?;
    if radius_km.is_some_and(|r| r <= 0.0 || r > 20_000.0) {
        return Err(ApiError::field(
            "radius_km",
            "`radius_km` must be above 0 and at most 20000",
        ));
    }
    if radius_km.is_some() && from.is_none() {
        return Err(ApiError::field("lat", "`radius_km` needs `lat` and `lon`"));
    }
    let open_now = match params.text("open_now") {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(ApiError::field(
                "open_now",
                format!("`open_now` must be true or false, got `{other}`"),
            ));
        }
    };
    Ok(Search {
        from,
        radius_km,
        query: Query {
            kind: params.text("kind").map(parse_kind).transpose()?,
            specialties: parse_specialties(params)?,
            blood_group: parse_blood_group(params)?,
            always_open: false,
        },
        service: params.text("service").map(str::to_lowercase),
        open_now,
        limit: params.u64("limit")?.unwrap_or(20).clamp(1, 500) as usize,
    })
}

async fn list_facilities(State(finder): State<Finder>, params: Params) -> ApiResult<Json<Value>> {
    let search = parse_search(&params)?;
    let views: Vec<FacilityView> = finder
        .find(&search)?
        .iter()
        .map(FacilityView::of_hit)
        .collect();
    Ok(Json(json!({ "facilities": views })))
}

async fn get_facility(
    State(listings): State<Listings>,
    Path(id): Path<String>,
) -> ApiResult<Json<FacilityView>> {
    Ok(Json(FacilityView::of(&listings.get(&id)?, None)))
}

async fn create_facility(
    State(listings): State<Listings>,
    Caller(member): Caller,
    Body(input): Body<FacilityInput>,
) -> ApiResult<(StatusCode, Json<FacilityView>)> {
    // Check first so that nothing is published for bad input.
    let checked = input.into_facility(caremesh_federation::Meta::default())?;
    let facility = listings.create(&member, |meta| caremesh_federation::Facility {
        meta,
        ..checked
    })?;
    Ok((StatusCode::CREATED, Json(FacilityView::of(&facility, None))))
}

async fn update_facility(
    State(listings): State<Listings>,
    Caller(member): Caller,
    Path(id): Path<String>,
    Body(input): Body<FacilityInput>,
) -> ApiResult<Json<FacilityView>> {
    // Check first so that nothing is published for bad input.
    let checked = input.into_facility(listings.get(&id)?.meta)?;
    let facility = listings.update(&member, &id, |meta| caremesh_federation::Facility {
        meta,
        ..checked
    })?;
    Ok(Json(FacilityView::of(&facility, None)))
}

async fn retract_facility(
    State(listings): State<Listings>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<FacilityView>> {
    let facility = listings.retract(&member, &id)?;
    Ok(Json(FacilityView::of(&facility, None)))
}
