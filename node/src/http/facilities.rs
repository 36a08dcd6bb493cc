//! `/api/v1/facilities`: listings near a point, one listing, and creating, updating and
//! retracting this node's listings (admin, staff).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use caremesh_federation::Facility;
use caremesh_federation::object::{FacilityKind, from_e7};
use serde_json::{Value, json};

use super::error::{ApiError, ApiResult};
use super::extract::{Body, Caller, Params};
use super::views::{FacilityInput, FacilityView, round_km};
use crate::app::{App, AppState};
use crate::directory::hours::{is_open, utc_offset_minutes};
use crate::directory::search::{BLOOD_GROUPS, Query};

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

/// The search a query string asks for.
struct Search {
    from: Option<(f64, f64)>,
    radius: Option<f64>,
    query: Query,
    service: Option<String>,
    open_now: bool,
    limit: usize,
}

fn parse_search(params: &Params) -> Result<Search, ApiError> {
    let from = params.point()?;
    let radius = params.f64("radius_km")?;
    if radius.is_some_and(|r| r <= 0.0 || r > 20_000.0) {
        return Err(ApiError::field(
            "radius_km",
            "`radius_km` must be above 0 and at most 20000",
        ));
    }
    if radius.is_some() && from.is_none() {
        return Err(ApiError::field("lat", "`radius_km` needs `lat` and `lon`"));
    }
    let kind = params.text("kind").map(parse_kind).transpose()?;
    let specialties: Vec<String> = params
        .text("specialty")
        .map(|s| s.split(',').map(str::trim).map(str::to_owned).collect())
        .unwrap_or_default();
    if let Some(bad) = specialties
        .iter()
        .find(|s| !crate::catalog::is_specialty(s))
    {
        return Err(ApiError::field(
            "specialty",
            format!("`specialty` `{bad}` is not in the vocabulary"),
        ));
    }
    let blood_group = params
        .text("blood_group")
        .map(|g| g.trim().to_uppercase().replace(' ', "+"));
    if let Some(g) = &blood_group
        && !BLOOD_GROUPS.contains(&g.as_str())
    {
        return Err(ApiError::field(
            "blood_group",
            format!(
                "`blood_group` `{g}` is not one of {}",
                BLOOD_GROUPS.join(", ")
            ),
        ));
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
        radius,
        query: Query {
            kind,
            specialties,
            blood_group,
            always_open: false,
        },
        service: params.text("service").map(str::to_lowercase),
        open_now,
        limit: params.u64("limit")?.unwrap_or(20).clamp(1, 500) as usize,
    })
}

fn passes(search: &Search, f: &Facility, now: chrono::DateTime<chrono::Utc>) -> bool {
    if let Some(service) = &search.service
        && !f
            .services
            .iter()
            .any(|s| s.name.to_lowercase().contains(service.as_str()))
    {
        return false;
    }
    if search.open_now {
        use chrono::{Datelike, Timelike};
        let offset = utc_offset_minutes(&f.address.country, from_e7(f.lon_e7));
        let local = now + chrono::Duration::minutes(i64::from(offset));
        let minute = local.hour() * 60 + local.minute();
        if is_open(
            &f.hours,
            local.weekday().num_days_from_monday() as usize,
            minute,
        ) != Some(true)
        {
            return false;
        }
    }
    let q = &search.query;
    q.kind.is_none_or(|k| k == f.kind)
        && q.specialties.iter().all(|s| f.specialties.contains(s))
        && q.blood_group
            .as_ref()
            .is_none_or(|g| f.blood_stock.get(g).is_some_and(|u| *u > 0))
}

/// Listings matching a search: from the index when there is a point, nearest first.
fn search_facilities(app: &App, search: &Search) -> Result<Vec<(Facility, Option<f64>)>, ApiError> {
    let now = chrono::Utc::now();
    let Some((lat, lon)) = search.from else {
        // No point: the first matches in id order, without reading past them.
        let mut out = Vec::new();
        app.listings.visit(|f| {
            if passes(search, &f, now) {
                out.push((f, None));
            }
            if out.len() >= search.limit {
                std::ops::ControlFlow::Break(())
            } else {
                std::ops::ControlFlow::Continue(())
            }
        })?;
        return Ok(out);
    };
    let post_filtered = search.service.is_some() || search.open_now;
    let mut k = if post_filtered {
        search.limit * 4
    } else {
        search.limit
    };
    loop {
        let found = match search.radius {
            Some(r) => app.directory.within(lat, lon, r, &search.query, k),
            None => app.directory.nearest(lat, lon, k, &search.query, None),
        };
        let exhausted = found.len() < k;
        let mut out = Vec::new();
        for hit in found {
            let Ok(f) = app.listings.get(&hit.id) else {
                continue;
            };
            if passes(search, &f, now) {
                out.push((f, Some(hit.distance_km)));
                if out.len() == search.limit {
                    return Ok(out);
                }
            }
        }
        if exhausted || k >= 4_096 {
            return Ok(out);
        }
        k *= 4;
    }
}

async fn list_facilities(State(app): State<AppState>, params: Params) -> ApiResult<Json<Value>> {
    let search = parse_search(&params)?;
    let views: Vec<FacilityView> = search_facilities(&app, &search)?
        .iter()
        .map(|(f, d)| {
            let mut view = FacilityView::of(f, None);
            view.distance_km = d.map(round_km);
            view
        })
        .collect();
    Ok(Json(json!({ "facilities": views })))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_now_is_judged_in_the_listings_local_time() {
        let search = Search {
            from: None,
            radius: None,
            query: Query::default(),
            service: None,
            open_now: true,
            limit: 10,
        };
        let mut f = crate::bench_fixtures::facility(caremesh_federation::Meta::default());
        f.hours = "09:00-11:00".into();
        // 10:00 UTC: 15:30 in India (closed), 10:00 in Paris by solar time (open).
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z")
            .expect("time")
            .to_utc();
        assert!(!passes(&search, &f, now), "Pune at 15:30");
        f.address.country = "FR".into();
        f.lon_e7 = 23_522_000;
        assert!(passes(&search, &f, now), "Paris at 10:00");
    }
}
