//! `/api/v1/facilities/{id}/schedules`, `/api/v1/schedules/{id}` and
//! `/api/v1/facilities/{id}/slots`: staff of a facility manage its appointment schedules on
//! the facility's node; anyone, on any node, reads them and the free places per slot
//! (docs/api.md "Appointments").

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use caremesh_federation::object::Schedule;
use chrono::{NaiveDate, SecondsFormat};
use chrono_tz::Tz;
use serde_json::{Value, json};

use super::error::{ApiError, ApiResult};
use super::extract::{Body, Caller, Params};
use super::time;
use crate::appointments::calendar::hhmm;
use crate::appointments::{Appointments, ScheduleInput};
use crate::services::Services;

pub fn router() -> Router<Services> {
    Router::new()
        .route(
            "/api/v1/facilities/{id}/schedules",
            get(list_schedules).post(create_schedule),
        )
        .route(
            "/api/v1/schedules/{id}",
            put(update_schedule)
                .delete(retract_schedule)
                .get(get_schedule),
        )
        .route("/api/v1/facilities/{id}/slots", get(list_slots))
}

/// `ms` as RFC 3339 with the offset of `zone` (UTC if the zone is unknown).
pub fn local(ms: i64, zone: &str) -> String {
    let tz: Tz = zone.parse().unwrap_or(Tz::UTC);
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&tz)
                .to_rfc3339_opts(SecondsFormat::Secs, false)
        })
        .unwrap_or_default()
}

/// A schedule as the API shows it.
pub fn schedule_view(s: &Schedule) -> Value {
    let days: Vec<&str> = s.days.iter().map(|d| d.as_str()).collect();
    json!({
        "id": s.meta.id,
        "facility_id": s.facility_id,
        "origin": s.meta.origin,
        "version": s.meta.version,
        "service": s.service.name,
        "kind": s.service.kind.as_str(),
        "specialty": s.service.specialty,
        "price": s.service.price_minor as f64 / 100.0,
        "currency": s.service.currency,
        "days": days,
        "start": hhmm(s.start_min),
        "end": hhmm(s.end_min),
        "slot_minutes": s.slot_minutes,
        "capacity": s.capacity,
        "time_zone": s.time_zone,
        "closures": s.closures,
        "cancel_cutoff_minutes": s.cancel_cutoff_minutes,
        "retracted": s.retracted,
        "updated_at": time::format(s.meta.updated_at),
    })
}

async fn create_schedule(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
    Body(input): Body<ScheduleInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let schedule = app.create_schedule(&member, &id, &input)?;
    Ok((StatusCode::CREATED, Json(schedule_view(&schedule))))
}

async fn list_schedules(
    State(app): State<Appointments>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let views: Vec<Value> = app.schedules_of(&id)?.iter().map(schedule_view).collect();
    Ok(Json(json!({ "schedules": views })))
}

async fn get_schedule(
    State(app): State<Appointments>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(schedule_view(&app.get_schedule(&id)?)))
}

async fn update_schedule(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
    Body(input): Body<ScheduleInput>,
) -> ApiResult<Json<Value>> {
    Ok(Json(schedule_view(
        &app.update_schedule(&member, &id, &input)?,
    )))
}

async fn retract_schedule(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(schedule_view(&app.retract_schedule(&member, &id)?)))
}

/// Parses `date=YYYY-MM-DD`, required.
pub fn parse_date(params: &Params) -> Result<NaiveDate, ApiError> {
    let text = params
        .text("date")?
        .ok_or_else(|| ApiError::field("date", "`date` is required: YYYY-MM-DD"))?;
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::field(
            "date",
            format!("`date` must be a date YYYY-MM-DD, got `{text}`"),
        )
    })
}

async fn list_slots(
    State(app): State<Appointments>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Json<Value>> {
    let date = parse_date(&params)?;
    let slots = app.slots(&id, date, params.text("service")?)?;
    let views: Vec<Value> = slots
        .slots
        .iter()
        .map(|s| {
            json!({
                "start": local(s.start, &s.time_zone),
                "end": local(s.end, &s.time_zone),
                "free": s.free,
                "capacity": s.capacity,
                "service": s.service,
                "schedule_id": s.schedule_id,
            })
        })
        .collect();
    Ok(Json(json!({
        "slots": views,
        "as_of": time::format(slots.as_of),
        "source": slots.source,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_carry_the_zone_offset() {
        // 2026-11-30 04:30 UTC is 10:00 in Kolkata.
        let ms = 1_796_013_000_000;
        assert_eq!(local(ms, "Asia/Kolkata"), "2026-11-30T10:00:00+05:30");
        assert_eq!(local(ms, "nowhere"), "2026-11-30T04:30:00+00:00");
    }
}
