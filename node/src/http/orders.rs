//! `/api/v1/orders`: a patient (or guardian) sends a pharmacy of any node a list of
//! medicines, with a prescription if needed, then confirms the pharmacy's quote or cancels;
//! the pharmacy's staff, on its node, list its orders, read the prescription, quote, mark
//! the order ready and collected, or cancel with a reason (docs/api.md "Medicine orders").

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use caremesh_federation::object::{OrderItem, OrderStatus, OrderStep};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::appointments::schemas;
use super::appointments::views::{OrderList, OrderOut};
use super::error::{ApiResult, ErrorBody};
use super::extract::{Body, Caller, OptionalBody, Params};
use crate::appointments::orders::PrescriptionInput;
use crate::appointments::orders::counter::{QuoteInput, QuoteLine};
use crate::appointments::{Appointments, NewOrder};
use crate::error::ServiceError;
use crate::members::Member;
use crate::services::Services;

pub fn router() -> OpenApiRouter<Services> {
    OpenApiRouter::new()
        .routes(routes!(list_orders, create_order))
        .routes(routes!(get_order))
        .routes(routes!(get_prescription))
        .routes(routes!(quote_order))
        .routes(routes!(confirm_order))
        .routes(routes!(cancel_order))
        .routes(routes!(mark_ready))
        .routes(routes!(mark_collected))
}

/// One medicine asked for.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct OrderLineInput {
    /// Brand or generic, with the strength; 1 to 200 characters.
    #[schema(schema_with = schemas::name)]
    name: String,
    #[schema(minimum = 1, maximum = 10_000)]
    quantity: u32,
}

/// A prescription sent with the order (it reaches the pharmacy's node only).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PrescriptionBody {
    /// application/pdf, image/jpeg, image/png or text/plain.
    #[schema(schema_with = schemas::prescription_type)]
    content_type: String,
    /// Base64 of the bytes (up to 512 KiB, and the whole body up to 256 KiB).
    data: String,
}

/// What a patient orders.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct OrderInput {
    /// A pharmacy of any node.
    #[schema(required = true, schema_with = schemas::not_blank)]
    facility_id: Option<String>,
    #[serde(default)]
    #[schema(required = true, min_items = 1, max_items = 50)]
    items: Vec<OrderLineInput>,
    /// A dependant's health ID (the order is then for them).
    health_id: Option<String>,
    /// At most 500 characters.
    #[schema(max_length = 500)]
    note: Option<String>,
    prescription: Option<PrescriptionBody>,
}

/// Sends a pharmacy of any node an order (patient, guardian); its node answers with a quote.
#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", request_body = OrderInput,
    security(("bearer" = [])),
    responses((status = CREATED, body = OrderOut), (status = BAD_REQUEST, body = ErrorBody)))]
async fn create_order(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Body(input): Body<OrderInput>,
) -> ApiResult<(StatusCode, Json<OrderOut>)> {
    let new = NewOrder {
        facility_id: input.facility_id,
        items: input
            .items
            .into_iter()
            .map(|i| OrderItem {
                name: i.name,
                quantity: i.quantity,
            })
            .collect(),
        health_id: input.health_id,
        note: input.note,
        prescription: input.prescription.map(|p| PrescriptionInput {
            content_type: p.content_type,
            data: p.data,
        }),
    };
    let view = app.create_order(&member, &new)?;
    Ok((StatusCode::CREATED, Json(OrderOut::of(&view))))
}

/// The query of `GET /api/v1/orders`; read parameter by parameter, this type only describes
/// it.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct OrderQuery {
    /// Staff: the orders of this pharmacy of this node, newest first.
    #[param(min_length = 1)]
    facility_id: Option<String>,
}

/// The orders made by or for the caller, or (staff, with `facility_id`) a pharmacy's.
#[utoipa::path(get, path = "/api/v1/orders", tag = "orders", params(OrderQuery),
    security(("bearer" = [])),
    responses((status = OK, body = OrderList), (status = FORBIDDEN, body = ErrorBody)))]
async fn list_orders(
    State(app): State<Appointments>,
    Caller(member): Caller,
    params: Params,
) -> ApiResult<Json<OrderList>> {
    let views = match params.text("facility_id")? {
        Some(facility_id) => app.pharmacy_orders(&member, facility_id)?,
        None => app.my_orders(&member)?,
    };
    let orders = views.iter().map(OrderOut::of).collect();
    Ok(Json(OrderList { orders }))
}

/// Whether `member` made `id` on this node (then steps are the patient's).
fn is_patient(app: &Appointments, member: &Member, id: &str) -> bool {
    app.my_order(member, id).is_ok()
}

/// One order: the patient's (or guardian's) on their node, the pharmacy's staff on its.
#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "orders",
    params(("id" = String, Path, description = "order id")), security(("bearer" = [])),
    responses((status = OK, body = OrderOut), (status = NOT_FOUND, body = ErrorBody)))]
async fn get_order(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<OrderOut>> {
    if let Ok(view) = app.my_order(&member, &id) {
        return Ok(Json(OrderOut::of(&view)));
    }
    let (view, _) = app
        .counter_order(&member, &id)?
        .ok_or_else(|| ServiceError::not_found("order", &id))?;
    Ok(Json(OrderOut::of(&view)))
}

/// The prescription sent with an order, as its bytes (the pharmacy's staff).
#[utoipa::path(get, path = "/api/v1/orders/{id}/prescription", tag = "orders",
    params(("id" = String, Path, description = "order id")), security(("bearer" = [])),
    responses((status = OK, description = "the prescription's bytes",
        content_type = "application/octet-stream", body = Vec<u8>),
        (status = NOT_FOUND, body = ErrorBody)))]
async fn get_prescription(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let (content_type, bytes) = app
        .counter_order(&member, &id)?
        .and_then(|(_, file)| file)
        .ok_or_else(|| ServiceError::not_found("prescription of order", &id))?;
    Ok(([(header::CONTENT_TYPE, content_type)], bytes))
}

/// One line of a quote, in the order's order.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct QuoteLineInput {
    /// How many the pharmacy has for this order (0 to the quantity asked).
    available: u32,
    /// Price of one, major units.
    #[schema(minimum = 0)]
    unit_price: f64,
}

/// The pharmacy's answer: what it has, the price, when to come.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct QuoteBody {
    /// One line per medicine ordered.
    items: Vec<QuoteLineInput>,
    /// ISO 4217 (default INR).
    #[schema(schema_with = schemas::optional_currency)]
    currency: Option<String>,
    /// When to come, RFC 3339, not in the past.
    #[schema(format = DateTime)]
    pickup_at: Option<String>,
    /// At most 500 characters.
    #[schema(max_length = 500)]
    message: Option<String>,
}

/// Quotes an order of this node's pharmacy (its staff), before the patient confirms.
#[utoipa::path(post, path = "/api/v1/orders/{id}/quote", tag = "orders",
    params(("id" = String, Path, description = "order id")), request_body = QuoteBody,
    security(("bearer" = [])),
    responses((status = OK, body = OrderOut), (status = CONFLICT, body = ErrorBody)))]
async fn quote_order(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
    Body(input): Body<QuoteBody>,
) -> ApiResult<Json<OrderOut>> {
    let quote = QuoteInput {
        items: input
            .items
            .into_iter()
            .map(|l| QuoteLine {
                available: l.available,
                unit_price: l.unit_price,
            })
            .collect(),
        currency: input.currency,
        pickup_at: input.pickup_at,
        message: input.message,
    };
    Ok(Json(OrderOut::of(&app.quote_order(&member, &id, &quote)?)))
}

/// Accepts the pharmacy's quote (the patient, guardian).
#[utoipa::path(post, path = "/api/v1/orders/{id}/confirm", tag = "orders",
    params(("id" = String, Path, description = "order id")), security(("bearer" = [])),
    responses((status = OK, body = OrderOut), (status = CONFLICT, body = ErrorBody)))]
async fn confirm_order(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<OrderOut>> {
    Ok(Json(OrderOut::of(&app.order_step(
        &member,
        &id,
        OrderStep::Confirm,
    )?)))
}

/// Why the pharmacy cancels; the body may be empty for the patient.
#[derive(Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct CancelInput {
    /// Required when the pharmacy cancels (the patient is told); 1 to 500 characters.
    #[schema(max_length = 500)]
    reason: Option<String>,
}

/// Cancels: the patient before collecting, or the pharmacy's staff with a reason.
#[utoipa::path(post, path = "/api/v1/orders/{id}/cancel", tag = "orders",
    params(("id" = String, Path, description = "order id")),
    request_body(content = Option<CancelInput>, description = "optional"),
    security(("bearer" = [])),
    responses((status = OK, body = OrderOut), (status = CONFLICT, body = ErrorBody)))]
async fn cancel_order(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
    OptionalBody(input): OptionalBody<CancelInput>,
) -> ApiResult<Json<OrderOut>> {
    let view = if is_patient(&app, &member, &id) {
        app.order_step(&member, &id, OrderStep::Cancel)?
    } else {
        app.advance_order(
            &member,
            &id,
            OrderStatus::Cancelled,
            input.reason.as_deref(),
        )?
    };
    Ok(Json(OrderOut::of(&view)))
}

/// Marks a confirmed order ready at the counter (the pharmacy's staff).
#[utoipa::path(post, path = "/api/v1/orders/{id}/ready", tag = "orders",
    params(("id" = String, Path, description = "order id")), security(("bearer" = [])),
    responses((status = OK, body = OrderOut), (status = CONFLICT, body = ErrorBody)))]
async fn mark_ready(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<OrderOut>> {
    let view = app.advance_order(&member, &id, OrderStatus::Ready, None)?;
    Ok(Json(OrderOut::of(&view)))
}

/// Marks a ready order collected (the pharmacy's staff).
#[utoipa::path(post, path = "/api/v1/orders/{id}/collected", tag = "orders",
    params(("id" = String, Path, description = "order id")), security(("bearer" = [])),
    responses((status = OK, body = OrderOut), (status = CONFLICT, body = ErrorBody)))]
async fn mark_collected(
    State(app): State<Appointments>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<OrderOut>> {
    let view = app.advance_order(&member, &id, OrderStatus::Collected, None)?;
    Ok(Json(OrderOut::of(&view)))
}
