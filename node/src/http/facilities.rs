//! `/api/v1/facilities`: listings near a point, one listing, and creating, updating and
//! retracting this node's listings (admin, staff).

mod input;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use caremesh_federation::object::FacilityKind;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::{Body, Caller, Params};
use super::openapi::schemas;
use super::views::{FacilityList, FacilityView};
use crate::directory::finder::{Finder, Search};
use crate::directory::listings::Listings;
use crate::directory::search::{BLOOD_GROUPS, Query};
use crate::error::ServiceError;
use crate::services::Services;
pub use input::FacilityInput;

pub fn router() -> OpenApiRouter<Services> {
    OpenApiRouter::new()
        .routes(routes!(list_facilities, create_facility))
        .routes(routes!(get_facility, update_facility, retract_facility))
}

/// The query of `GET /api/v1/facilities`, read parameter by parameter by [`parse_search`]
/// so that errors name the parameter; this type only describes it.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct SearchQuery {
    /// Latitude of the search point, degrees; with `lon`.
    #[param(minimum = -90, maximum = 90)]
    lat: Option<f64>,
    /// Longitude of the search point, degrees; with `lat`.
    #[param(minimum = -180, maximum = 180)]
    lon: Option<f64>,
    /// Only within this distance of the point, km; needs `lat` and `lon`.
    #[param(exclusive_minimum = 0, maximum = 20000)]
    radius_km: Option<f64>,
    kind: Option<FacilityKind>,
    #[param(schema_with = schemas::specialty_param)]
    specialty: Option<String>,
    #[param(schema_with = schemas::blood_group_param)]
    blood_group: Option<String>,
    /// A service whose name contains this text (any case).
    #[param(min_length = 1)]
    service: Option<String>,
    /// Open at this moment, in the listing's local time (its country's zone, else solar
    /// time from its longitude).
    open_now: Option<bool>,
    /// The most listings answered (1 to 500, default 20).
    #[param(minimum = 0)]
    limit: Option<i64>,
}

fn parse_kind(text: &str) -> Result<FacilityKind, ApiError> {
    serde_json::from_value(serde_json::json!(text)).map_err(|_| {
        ApiError::field("kind", format!("`kind` `{text}` is not one of hospital, clinic, nursing_home, lab, pharmacy, blood_bank, maker_hub"))
    })
}

fn parse_specialties(params: &Params) -> Result<Vec<String>, ApiError> {
    let specialties: Vec<String> = params
        .text("specialty")?
        .map(|s| {
            s.split(',')
                .map(|s| s.trim_matches(' ').to_owned())
                .collect()
        })
        .unwrap_or_default();
    match specialties
        .iter()
        .find(|s| !crate::specialties::is_specialty(s))
    {
        Some(bad) => Err(ApiError::field(
            "specialty",
            format!("`specialty` `{bad}` is not in the vocabulary"),
        )),
        None => Ok(specialties),
    }
}

fn parse_blood_group(params: &Params) -> Result<Option<String>, ApiError> {
    // A `+` in a query string arrives as a space.
    let blood_group = params
        .text("blood_group")?
        .map(|g| g.replace(' ', "+").to_uppercase());
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
    let open_now = match params.text("open_now")? {
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
            kind: params.text("kind")?.map(parse_kind).transpose()?,
            specialties: parse_specialties(params)?,
            blood_group: parse_blood_group(params)?,
            always_open: false,
        },
        service: params.text("service")?.map(str::to_lowercase),
        open_now,
        limit: params.u64("limit")?.unwrap_or(20).clamp(1, 500) as usize,
    })
}

/// Listings near a point (each with `distance_km`), or the first ones in id order.
#[utoipa::path(get, path = "/api/v1/facilities", tag = "directory", params(SearchQuery),
    responses((status = OK, body = FacilityList), (status = BAD_REQUEST, body = ErrorBody)))]
async fn list_facilities(
    State(finder): State<Finder>,
    params: Params,
) -> ApiResult<Json<FacilityList>> {
    let search = parse_search(&params)?;
    let facilities = finder
        .find(&search)?
        .iter()
        .map(FacilityView::of_hit)
        .collect();
    Ok(Json(FacilityList { facilities }))
}

/// One listing, from any node; a retracted one is gone (404).
#[utoipa::path(get, path = "/api/v1/facilities/{id}", tag = "directory",
    params(("id" = String, Path, description = "listing id")),
    responses((status = OK, body = FacilityView), (status = NOT_FOUND, body = ErrorBody)))]
async fn get_facility(
    State(listings): State<Listings>,
    Path(id): Path<String>,
) -> ApiResult<Json<FacilityView>> {
    let facility = listings.get(&id)?;
    if facility.retracted {
        return Err(ServiceError::not_found("facility", &id).into());
    }
    Ok(Json(FacilityView::of(&facility, None)))
}

/// Publishes a new listing of this node (admin, staff).
#[utoipa::path(post, path = "/api/v1/facilities", tag = "directory", request_body = FacilityInput,
    security(("bearer" = [])),
    responses((status = CREATED, body = FacilityView), (status = BAD_REQUEST, body = ErrorBody)))]
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

/// Replaces the content of one of this node's listings (admin, staff).
#[utoipa::path(put, path = "/api/v1/facilities/{id}", tag = "directory",
    params(("id" = String, Path, description = "listing id")), request_body = FacilityInput,
    security(("bearer" = [])),
    responses((status = OK, body = FacilityView), (status = BAD_REQUEST, body = ErrorBody)))]
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

/// Retracts one of this node's listings (a tombstone version; admin, staff).
#[utoipa::path(delete, path = "/api/v1/facilities/{id}", tag = "directory",
    params(("id" = String, Path, description = "listing id")), security(("bearer" = [])),
    responses((status = OK, body = FacilityView)))]
async fn retract_facility(
    State(listings): State<Listings>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<FacilityView>> {
    let facility = listings.retract(&member, &id)?;
    Ok(Json(FacilityView::of(&facility, None)))
}
