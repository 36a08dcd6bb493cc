//! `/api/v1/facilities/{id}/schedules`, `/api/v1/schedules/{id}` and
//! `/api/v1/facilities/{id}/slots`: staff of a facility manage its appointment schedules on
//! the facility's node; anyone, on any node, reads them and the free places per slot
//! (docs/api.md "Appointments").

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::appointments::schemas;
use super::appointments::views::{ScheduleList, ScheduleOut, SlotList};
use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::{Body, Caller, Params};
use crate::appointments::{Appointments, ScheduleInput};
use crate::services::Services;

pub fn router() -> OpenApiRouter<Services> {
    OpenApiRouter::new()
        .routes(routes!(list_schedules, create_schedule))
        .routes(routes!(get_schedule, update_schedule, retract_schedule))
        .routes(routes!(list_slots))
}

/// A schedule as staff give it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ScheduleBody {
    /// The service's name, unique among the facility's schedules of the same days.
    #[schema(required = true, schema_with = schemas::name)]
    service: Option<String>,
    /// consultation, vaccination, lab_test or other (default consultation with a
    /// specialty, else other).
    #[schema(schema_with = schemas::optional_kind)]
    kind: Option<String>,
    #[schema(schema_with = schemas::optional_specialty)]
    specialty: Option<String>,
    /// Major units, up to two decimals.
    #[schema(minimum = 0, maximum = 10_000_000_000.0)]
    price: Option<f64>,
    /// ISO 4217 (default INR).
    #[schema(schema_with = schemas::optional_currency)]
    currency: Option<String>,
    /// Weekdays like `["mon", "tue"]`.
    #[serde(default)]
    #[schema(required = true, schema_with = schemas::weekdays)]
    days: Vec<String>,
    /// `HH:MM`, the facility's local time.
    #[schema(required = true, schema_with = schemas::hhmm)]
    start: Option<String>,
    /// `HH:MM`, after `start`.
    #[schema(required = true, schema_with = schemas::hhmm)]
    end: Option<String>,
    /// 5 to 720; at least one slot fits between `start` and `end`.
    #[schema(required = true, nullable = false, minimum = 5, maximum = 720)]
    slot_minutes: Option<i64>,
    /// 1 to 1000 people per slot.
    #[schema(required = true, nullable = false, minimum = 1, maximum = 1000)]
    capacity: Option<i64>,
    /// IANA zone (default the facility's country's zone, required when it has none).
    time_zone: Option<String>,
    /// Local dates `YYYY-MM-DD` without slots.
    #[serde(default)]
    #[schema(schema_with = schemas::dates)]
    closures: Vec<String>,
    /// Minutes before a slot up to which patients may cancel (default 120).
    #[schema(minimum = 0, maximum = 43_200)]
    cancel_cutoff_minutes: Option<i64>,
}

impl From<ScheduleBody> for ScheduleInput {
    fn from(b: ScheduleBody) -> Self {
        ScheduleInput {
            service: b.service,
            kind: b.kind,
            specialty: b.specialty,
            price: b.price,
            currency: b.currency,
            days: b.days,
            start: b.start,
            end: b.end,
            slot_minutes: b.slot_minutes,
            capacity: b.capacity,
            time_zone: b.time_zone,
            closures: b.closures,
            cancel_cutoff_minutes: b.cancel_cutoff_minutes,
        }
    }
}

/// Publishes a schedule of one of this node's facilities (its staff, admin); a schedule
/// overlapping another of the same service is refused.
#[utoipa::path(post, path = "/api/v1/facilities/{id}/schedules", tag = "appointments",
    params(("id" = String, Path, description = "facility id")), request_body = ScheduleBody,
    security(("bearer" = [])),
    responses((status = CREATED, body = ScheduleOut), (status = BAD_REQUEST, body = ErrorBody)))]
async fn create_schedule(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
    Body(input): Body<ScheduleBody>,
) -> ApiResult<(StatusCode, Json<ScheduleOut>)> {
    let schedule = app.create_schedule(&member, &id, &input.into())?;
    Ok((StatusCode::CREATED, Json(ScheduleOut::of(&schedule))))
}

/// A facility's schedules (anyone, any node), retracted ones left out.
#[utoipa::path(get, path = "/api/v1/facilities/{id}/schedules", tag = "appointments",
    params(("id" = String, Path, description = "facility id")),
    responses((status = OK, body = ScheduleList), (status = NOT_FOUND, body = ErrorBody)))]
async fn list_schedules(
    State(app): State<Appointments>,
    Path(id): Path<String>,
) -> ApiResult<Json<ScheduleList>> {
    let schedules = app.schedules_of(&id)?.iter().map(ScheduleOut::of).collect();
    Ok(Json(ScheduleList { schedules }))
}

/// One schedule (anyone, any node).
#[utoipa::path(get, path = "/api/v1/schedules/{id}", tag = "appointments",
    params(("id" = String, Path, description = "schedule id")),
    responses((status = OK, body = ScheduleOut), (status = NOT_FOUND, body = ErrorBody)))]
async fn get_schedule(
    State(app): State<Appointments>,
    Path(id): Path<String>,
) -> ApiResult<Json<ScheduleOut>> {
    Ok(Json(ScheduleOut::of(&app.get_schedule(&id)?)))
}

/// Replaces a schedule (staff of its facility, admin).
#[utoipa::path(put, path = "/api/v1/schedules/{id}", tag = "appointments",
    params(("id" = String, Path, description = "schedule id")), request_body = ScheduleBody,
    security(("bearer" = [])),
    responses((status = OK, body = ScheduleOut), (status = BAD_REQUEST, body = ErrorBody)))]
async fn update_schedule(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
    Body(input): Body<ScheduleBody>,
) -> ApiResult<Json<ScheduleOut>> {
    let schedule = app.update_schedule(&member, &id, &input.into())?;
    Ok(Json(ScheduleOut::of(&schedule)))
}

/// Retracts a schedule: no new bookings (staff of its facility, admin).
#[utoipa::path(delete, path = "/api/v1/schedules/{id}", tag = "appointments",
    params(("id" = String, Path, description = "schedule id")), security(("bearer" = [])),
    responses((status = OK, body = ScheduleOut), (status = NOT_FOUND, body = ErrorBody)))]
async fn retract_schedule(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ScheduleOut>> {
    Ok(Json(ScheduleOut::of(&app.retract_schedule(&member, &id)?)))
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

/// The query of the slots route; read parameter by parameter so that errors name the
/// parameter, this type only describes it.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct SlotQuery {
    /// The facility's local date, `YYYY-MM-DD`.
    #[param(required = true, format = Date)]
    date: Option<String>,
    /// Only this service (its name).
    #[param(min_length = 1)]
    service: Option<String>,
}

/// The slots of a day with their free places (anyone, any node): live on the facility's
/// node, from its newest published availability elsewhere (`source`, `as_of`).
#[utoipa::path(get, path = "/api/v1/facilities/{id}/slots", tag = "appointments",
    params(("id" = String, Path, description = "facility id"), SlotQuery),
    responses((status = OK, body = SlotList), (status = BAD_REQUEST, body = ErrorBody)))]
async fn list_slots(
    State(app): State<Appointments>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Json<SlotList>> {
    let date = parse_date(&params)?;
    let slots = app.slots(&id, date, params.text("service")?)?;
    Ok(Json(SlotList::of(&slots)))
}

#[cfg(test)]
mod tests {
    use super::super::appointments::views::local;

    #[test]
    fn local_times_carry_the_zone_offset() {
        // 2026-11-30 04:30 UTC is 10:00 in Kolkata.
        let ms = 1_796_013_000_000;
        assert_eq!(local(ms, "Asia/Kolkata"), "2026-11-30T10:00:00+05:30");
        assert_eq!(local(ms, "nowhere"), "2026-11-30T04:30:00+00:00");
    }
}
