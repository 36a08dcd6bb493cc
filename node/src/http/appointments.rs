//! `/api/v1/appointments`: a patient or guardian books a slot of any node's facility, lists
//! their appointments, cancels, waits for a place, takes an offered one or reschedules;
//! staff of a facility read the day's agenda and mark arrivals and no-shows, or cancel with
//! a reason the patient is told (docs/api.md "Appointments").

pub mod schemas;
pub mod views;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use caremesh_federation::object::{AppointmentStatus, BookingStep};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::{Body, Caller, OptionalBody, Params};
use super::schedules::parse_date;
use crate::appointments::{AgendaItem, Appointments, NewBooking};
use crate::members::Member;
use crate::services::Services;
use views::{AgendaLine, AppointmentOut};

pub fn router() -> OpenApiRouter<Services> {
    OpenApiRouter::new()
        .routes(routes!(list_appointments, create_appointment))
        .routes(routes!(get_appointment))
        .routes(routes!(cancel_appointment))
        .routes(routes!(mark_arrived))
        .routes(routes!(mark_no_show))
        .routes(routes!(wait_for_place))
        .routes(routes!(take_offer))
        .routes(routes!(reschedule_appointment))
}

/// A line of the agenda, in its schedule's zone.
fn agenda_line(app: &Appointments, item: &AgendaItem) -> AgendaLine {
    let zone = app
        .get_schedule(&item.schedule_id)
        .map(|s| s.time_zone)
        .unwrap_or_default();
    AgendaLine::of(item, &zone)
}

/// What a patient or guardian books.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct BookingInput {
    /// A facility of any node.
    #[schema(required = true, schema_with = schemas::not_blank)]
    facility_id: Option<String>,
    /// The service's name, as its schedules list it.
    #[schema(required = true, schema_with = schemas::not_blank)]
    service: Option<String>,
    /// A slot's start as the slots list gives it (RFC 3339 with the offset).
    #[schema(required = true, nullable = false, format = DateTime)]
    start: Option<String>,
    /// A dependant's health ID (the caller's own when absent).
    health_id: Option<String>,
    /// At most 500 characters.
    #[schema(max_length = 500)]
    note: Option<String>,
}

/// Books a slot of a facility of any node (patient, guardian); the facility's node answers
/// within moments (`status` becomes confirmed or refused).
#[utoipa::path(post, path = "/api/v1/appointments", tag = "appointments",
    request_body = BookingInput, security(("bearer" = [])),
    responses((status = CREATED, body = AppointmentOut), (status = BAD_REQUEST, body = ErrorBody)))]
async fn create_appointment(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Body(input): Body<BookingInput>,
) -> ApiResult<(StatusCode, Json<AppointmentOut>)> {
    let new = NewBooking {
        facility_id: input.facility_id,
        service: input.service,
        start: input.start,
        health_id: input.health_id,
        note: input.note,
    };
    let view = app.book(&member, &new)?;
    Ok((StatusCode::CREATED, Json(AppointmentOut::of(&view))))
}

/// The query of `GET /api/v1/appointments`; read parameter by parameter so that errors name
/// the parameter, this type only describes it.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct AgendaQuery {
    /// Staff: that facility's agenda (with `date`).
    #[param(min_length = 1)]
    facility_id: Option<String>,
    /// With `facility_id`: the facility's local date, `YYYY-MM-DD`.
    #[param(format = Date)]
    date: Option<String>,
}

/// The caller's appointments, or (staff, with `facility_id` and `date`) the day's agenda
/// with each person's no-show count.
#[derive(Serialize, ToSchema)]
struct AppointmentList {
    /// Appointments (patient) or agenda lines (staff).
    #[schema(value_type = Vec<Object>)]
    appointments: Vec<serde_json::Value>,
}

fn json<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// My appointments (patient, guardian), or a facility's agenda of a day (staff).
#[utoipa::path(get, path = "/api/v1/appointments", tag = "appointments",
    params(AgendaQuery), security(("bearer" = [])),
    responses((status = OK, body = AppointmentList), (status = BAD_REQUEST, body = ErrorBody)))]
async fn list_appointments(
    State(app): State<Appointments>,
    Caller(member): Caller,
    params: Params,
) -> ApiResult<Json<AppointmentList>> {
    // A date alone is checked too, though only an agenda reads it.
    let date = params
        .text("date")?
        .map(|_| parse_date(&params))
        .transpose()?;
    if let Some(facility_id) = params.text("facility_id")? {
        let date = date.map_or_else(|| parse_date(&params), Ok)?;
        let items = app.agenda(&member, facility_id, date)?;
        let appointments = items.iter().map(|i| json(&agenda_line(&app, i))).collect();
        return Ok(Json(AppointmentList { appointments }));
    }
    let appointments = app
        .my_appointments(&member)?
        .iter()
        .map(|v| json(&AppointmentOut::of(v)))
        .collect();
    Ok(Json(AppointmentList { appointments }))
}

/// One appointment the caller booked (or booked for someone they guard).
#[utoipa::path(get, path = "/api/v1/appointments/{id}", tag = "appointments",
    params(("id" = String, Path, description = "booking id")), security(("bearer" = [])),
    responses((status = OK, body = AppointmentOut), (status = NOT_FOUND, body = ErrorBody)))]
async fn get_appointment(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<AppointmentOut>> {
    Ok(Json(AppointmentOut::of(&app.my_appointment(&member, &id)?)))
}

/// Why a facility cancels; the body may be empty.
#[derive(Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct CancelInput {
    /// Required when the facility cancels (the patient is told); 1 to 500 characters.
    #[schema(max_length = 500)]
    reason: Option<String>,
}

/// Whether `member` booked `id` on this node (then steps are the patient's).
fn is_patient(app: &Appointments, member: &Member, id: &str) -> bool {
    app.my_appointment(member, id).is_ok()
}

/// Cancels: the patient until the schedule's cutoff (answers the appointment), or staff of
/// the facility at any time with a reason (answers the agenda line).
#[utoipa::path(post, path = "/api/v1/appointments/{id}/cancel", tag = "appointments",
    params(("id" = String, Path, description = "booking id")),
    request_body(content = Option<CancelInput>, description = "optional"),
    security(("bearer" = [])),
    responses((status = OK, description = "the appointment (patient) or agenda line (staff)",
        body = Object), (status = CONFLICT, body = ErrorBody)))]
async fn cancel_appointment(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
    OptionalBody(input): OptionalBody<CancelInput>,
) -> ApiResult<Response> {
    if is_patient(&app, &member, &id) {
        let view = app.patient_step(&member, &id, BookingStep::Cancel)?;
        return Ok(Json(AppointmentOut::of(&view)).into_response());
    }
    if !app.desk_has(&id)? {
        return Err(ApiError::from(crate::error::ServiceError::not_found(
            "appointment",
            &id,
        )));
    }
    let reason = input.reason.unwrap_or_default();
    let item = app.cancel_by_facility(&member, &id, &reason)?;
    Ok(Json(agenda_line(&app, &item)).into_response())
}

async fn attendance(
    app: Appointments,
    member: Member,
    id: String,
    status: AppointmentStatus,
) -> ApiResult<Json<AgendaLine>> {
    let item = app.mark_attendance(&member, &id, status)?;
    Ok(Json(agenda_line(&app, &item)))
}

/// Marks that the person came (staff of the facility).
#[utoipa::path(post, path = "/api/v1/appointments/{id}/arrived", tag = "appointments",
    params(("id" = String, Path, description = "booking id")), security(("bearer" = [])),
    responses((status = OK, body = AgendaLine), (status = CONFLICT, body = ErrorBody)))]
async fn mark_arrived(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<AgendaLine>> {
    attendance(app, member, id, AppointmentStatus::Arrived).await
}

/// Marks that the person did not come (staff of the facility, once the slot began).
#[utoipa::path(post, path = "/api/v1/appointments/{id}/no_show", tag = "appointments",
    params(("id" = String, Path, description = "booking id")), security(("bearer" = [])),
    responses((status = OK, body = AgendaLine), (status = CONFLICT, body = ErrorBody)))]
async fn mark_no_show(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<AgendaLine>> {
    attendance(app, member, id, AppointmentStatus::NoShow).await
}

/// Joins the day's waiting list after a refusal because the day is full (the patient).
#[utoipa::path(post, path = "/api/v1/appointments/{id}/wait", tag = "appointments",
    params(("id" = String, Path, description = "booking id")), security(("bearer" = [])),
    responses((status = OK, body = AppointmentOut), (status = CONFLICT, body = ErrorBody)))]
async fn wait_for_place(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<AppointmentOut>> {
    let view = app.patient_step(&member, &id, BookingStep::Wait)?;
    Ok(Json(AppointmentOut::of(&view)))
}

/// Takes a place offered to the first in line, before `offer_expires` (the patient).
#[utoipa::path(post, path = "/api/v1/appointments/{id}/take", tag = "appointments",
    params(("id" = String, Path, description = "booking id")), security(("bearer" = [])),
    responses((status = OK, body = AppointmentOut), (status = CONFLICT, body = ErrorBody)))]
async fn take_offer(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<AppointmentOut>> {
    let view = app.patient_step(&member, &id, BookingStep::Take)?;
    Ok(Json(AppointmentOut::of(&view)))
}

/// Another slot for a booking.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RescheduleInput {
    /// The new slot's start (RFC 3339 with the offset).
    #[schema(required = true, nullable = false, format = DateTime)]
    start: Option<String>,
    /// Another service of the same facility (default the booking's).
    service: Option<String>,
}

/// Books another slot; the old booking is cancelled once the new one is confirmed (the
/// patient).
#[utoipa::path(post, path = "/api/v1/appointments/{id}/reschedule", tag = "appointments",
    params(("id" = String, Path, description = "booking id")),
    request_body = RescheduleInput, security(("bearer" = [])),
    responses((status = CREATED, body = AppointmentOut), (status = BAD_REQUEST, body = ErrorBody)))]
async fn reschedule_appointment(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
    Body(input): Body<RescheduleInput>,
) -> ApiResult<(StatusCode, Json<AppointmentOut>)> {
    let start = input
        .start
        .ok_or_else(|| ApiError::field("start", "`start` is required: a slot's start"))?;
    let view = app.reschedule(&member, &id, &start, input.service.as_deref())?;
    Ok((StatusCode::CREATED, Json(AppointmentOut::of(&view))))
}
