//! `/api/v1/appointments`: a patient or guardian books a slot of any node's facility, lists
//! their appointments, cancels, waits for a place, takes an offered one or reschedules;
//! staff of a facility read the day's agenda and mark arrivals and no-shows, or cancel with
//! a reason the patient is told (docs/api.md "Appointments").

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use caremesh_federation::object::{AppointmentStatus, BookingStep};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::error::{ApiError, ApiResult};
use super::extract::{Body, Caller, Params};
use super::schedules::{local, parse_date};
use super::time;
use crate::appointments::{AgendaItem, AppointmentView, Appointments, NewBooking};
use crate::members::Member;
use crate::services::Services;

pub fn router() -> Router<Services> {
    Router::new()
        .route(
            "/api/v1/appointments",
            get(list_appointments).post(create_appointment),
        )
        .route("/api/v1/appointments/{id}", get(get_appointment))
        .route("/api/v1/appointments/{id}/cancel", post(cancel))
        .route("/api/v1/appointments/{id}/arrived", post(arrived))
        .route("/api/v1/appointments/{id}/no_show", post(no_show))
        .route("/api/v1/appointments/{id}/wait", post(wait))
        .route("/api/v1/appointments/{id}/take", post(take))
        .route("/api/v1/appointments/{id}/reschedule", post(reschedule))
}

/// An appointment as its patient sees it: times in RFC 3339 with the facility's offset.
fn patient_view(view: &AppointmentView) -> Value {
    let zone = view.time_zone.as_str();
    let mut out = serde_json::to_value(view).unwrap_or_else(|_| json!({}));
    out["start"] = json!(local(view.start, zone));
    out["end"] = json!(local(view.end, zone));
    out["offer_expires"] = json!(view.offer_expires.map(time::format));
    out["created_at"] = json!(time::format(view.created_at));
    out["next_free"] = json!(
        view.next_free
            .iter()
            .map(|t| local(*t, zone))
            .collect::<Vec<_>>()
    );
    out
}

/// A line of the agenda as staff see it.
fn agenda_view(app: &Appointments, item: &AgendaItem) -> Value {
    let zone = app
        .get_schedule(&item.schedule_id)
        .map(|s| s.time_zone)
        .unwrap_or_default();
    let mut out = serde_json::to_value(item).unwrap_or_else(|_| json!({}));
    out["start"] = json!(local(item.start, &zone));
    out["end"] = json!(local(item.end, &zone));
    out
}

async fn create_appointment(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Body(new): Body<NewBooking>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let view = app.book(&member, &new)?;
    Ok((StatusCode::CREATED, Json(patient_view(&view))))
}

async fn list_appointments(
    State(app): State<Appointments>,
    Caller(member): Caller,
    params: Params,
) -> ApiResult<Json<Value>> {
    if let Some(facility_id) = params.text("facility_id")? {
        let date = parse_date(&params)?;
        let items = app.agenda(&member, facility_id, date)?;
        let views: Vec<Value> = items.iter().map(|i| agenda_view(&app, i)).collect();
        return Ok(Json(json!({ "appointments": views })));
    }
    let views: Vec<Value> = app
        .my_appointments(&member)?
        .iter()
        .map(patient_view)
        .collect();
    Ok(Json(json!({ "appointments": views })))
}

async fn get_appointment(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(patient_view(&app.my_appointment(&member, &id)?)))
}

/// An optional JSON body: empty means the default.
fn optional<T: DeserializeOwned + Default>(bytes: &Bytes) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("body is not the expected JSON: {e}"),
        )
    })
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CancelInput {
    /// Required when the facility cancels: the patient is told.
    reason: Option<String>,
}

/// Whether `member` booked `id` on this node (then steps are the patient's).
fn is_patient(app: &Appointments, member: &Member, id: &str) -> bool {
    app.my_appointment(member, id).is_ok()
}

async fn cancel(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
    bytes: Bytes,
) -> ApiResult<Json<Value>> {
    let input: CancelInput = optional(&bytes)?;
    if is_patient(&app, &member, &id) {
        let view = app.patient_step(&member, &id, BookingStep::Cancel)?;
        return Ok(Json(patient_view(&view)));
    }
    if !app.desk_has(&id)? {
        return Err(ApiError::from(crate::error::ServiceError::not_found(
            "appointment",
            &id,
        )));
    }
    let reason = input.reason.unwrap_or_default();
    let item = app.cancel_by_facility(&member, &id, &reason)?;
    Ok(Json(agenda_view(&app, &item)))
}

async fn attendance(
    app: Appointments,
    member: Member,
    id: String,
    status: AppointmentStatus,
) -> ApiResult<Json<Value>> {
    let item = app.mark_attendance(&member, &id, status)?;
    Ok(Json(agenda_view(&app, &item)))
}

async fn arrived(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    attendance(app, member, id, AppointmentStatus::Arrived).await
}

async fn no_show(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    attendance(app, member, id, AppointmentStatus::NoShow).await
}

async fn wait(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let view = app.patient_step(&member, &id, BookingStep::Wait)?;
    Ok(Json(patient_view(&view)))
}

async fn take(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let view = app.patient_step(&member, &id, BookingStep::Take)?;
    Ok(Json(patient_view(&view)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RescheduleInput {
    start: Option<String>,
    service: Option<String>,
}

async fn reschedule(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
    Body(input): Body<RescheduleInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let start = input
        .start
        .ok_or_else(|| ApiError::field("start", "`start` is required: a slot's start"))?;
    let view = app.reschedule(&member, &id, &start, input.service.as_deref())?;
    Ok((StatusCode::CREATED, Json(patient_view(&view))))
}
