//! `/api/v1/requests`: needs near a point, posting a need (requester), one need, and the
//! proposals on it (made by makers here for any node's need; listed on the need's home node).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use caremesh_federation::object::{MAX_QUANTITY, Material, RequestStatus};
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::{Body, Caller, Params};
use super::openapi::schemas;
use super::time;
use super::views::{ProposalList, ProposalView, RequestList, RequestView};
use crate::marketplace::{Marketplace, NewProposal, NewRequest, RequestSearch};
use crate::services::Services;

pub fn router() -> OpenApiRouter<Services> {
    OpenApiRouter::new()
        .routes(routes!(list_requests, create_request))
        .routes(routes!(get_request))
        .routes(routes!(create_proposal, list_proposals))
}

/// The query of `GET /api/v1/requests`, read parameter by parameter so that errors name
/// the parameter; this type only describes it.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct RequestQuery {
    /// Latitude of the search point, degrees; with `lon`.
    #[param(minimum = -90, maximum = 90)]
    lat: Option<f64>,
    /// Longitude of the search point, degrees; with `lat`.
    #[param(minimum = -180, maximum = 180)]
    lon: Option<f64>,
    /// Only within this distance of the point, km; needs `lat` and `lon`.
    #[param(minimum = 0)]
    radius_km: Option<f64>,
    /// Only needs of this catalog slug.
    #[param(min_length = 1)]
    product: Option<String>,
    status: Option<RequestStatus>,
    /// The most needs answered (1 to 1000, default 100).
    #[param(minimum = 0)]
    limit: Option<i64>,
}

fn parse_status(text: &str) -> Result<RequestStatus, ApiError> {
    serde_json::from_value(serde_json::json!(text)).map_err(|_| {
        ApiError::field(
            "status",
            format!("`status` `{text}` is not open, satisfied, expired or cancelled"),
        )
    })
}

/// Needs known here (this node's and federated ones), nearest first from a point.
#[utoipa::path(get, path = "/api/v1/requests", tag = "marketplace", params(RequestQuery),
    responses((status = OK, body = RequestList), (status = BAD_REQUEST, body = ErrorBody)))]
async fn list_requests(
    State(market): State<Marketplace>,
    params: Params,
) -> ApiResult<Json<RequestList>> {
    let from = params.point()?;
    let radius_km = params.f64("radius_km")?;
    if radius_km.is_some_and(|r| r < 0.0) {
        return Err(ApiError::field(
            "radius_km",
            "`radius_km` must be 0 or more",
        ));
    }
    if radius_km.is_some() && from.is_none() {
        return Err(ApiError::field("lat", "`radius_km` needs `lat` and `lon`"));
    }
    let search = RequestSearch {
        from,
        radius_km,
        product: params.text("product")?.map(str::to_owned),
        status: params.text("status")?.map(parse_status).transpose()?,
        limit: params.u64("limit")?.unwrap_or(100).clamp(1, 1000) as usize,
    };
    let requests = market
        .requests_near(&search)?
        .iter()
        .map(|r| RequestView::of(r, from))
        .collect();
    Ok(Json(RequestList { requests }))
}

/// A need as a requester posts it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RequestInput {
    /// One of this node's facilities (a requester's own one by default).
    #[schema(required = true, nullable = false)]
    facility_id: Option<String>,
    #[schema(required = true, nullable = false, schema_with = schemas::product)]
    product: Option<String>,
    #[schema(required = true, nullable = false, minimum = 1, maximum = 10_000_000)]
    quantity: Option<i64>,
    /// Not in the past.
    #[schema(schema_with = schemas::api_date)]
    needed_by: Option<String>,
    /// At most 2000 bytes.
    #[serde(default)]
    #[schema(max_length = 2000)]
    note: String,
}

// The schema above states the quantity limit as a number.
const _: () = assert!(MAX_QUANTITY == 10_000_000);

/// Posts a need for one of this node's facilities (requester, staff, admin).
#[utoipa::path(post, path = "/api/v1/requests", tag = "marketplace", request_body = RequestInput,
    security(("bearer" = [])),
    responses((status = CREATED, body = RequestView), (status = BAD_REQUEST, body = ErrorBody)))]
async fn create_request(
    State(market): State<Marketplace>,
    Caller(member): Caller,
    Body(input): Body<RequestInput>,
) -> ApiResult<(StatusCode, Json<RequestView>)> {
    let new = NewRequest {
        facility_id: input.facility_id,
        product: input.product,
        quantity: input.quantity,
        needed_by: time::parse_opt("needed_by", input.needed_by.as_deref())?,
        note: input.note,
    };
    let request = market.create_request(&member, new)?;
    Ok((StatusCode::CREATED, Json(RequestView::of(&request, None))))
}

/// One need, from any node.
#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "marketplace",
    params(("id" = String, Path, description = "request id")),
    responses((status = OK, body = RequestView), (status = NOT_FOUND, body = ErrorBody)))]
async fn get_request(
    State(market): State<Marketplace>,
    Path(id): Path<String>,
) -> ApiResult<Json<RequestView>> {
    Ok(Json(RequestView::of(&market.get_request(&id)?, None)))
}

/// An offer as a maker makes it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ProposalInput {
    #[schema(required = true, nullable = false, minimum = 1, maximum = 10_000_000)]
    quantity: Option<i64>,
    #[schema(required = true, nullable = false, value_type = Material)]
    material: Option<Value>,
    /// When the maker expects to deliver; not in the past.
    #[schema(schema_with = schemas::api_date)]
    eta: Option<String>,
}

fn parse_material(value: Option<Value>) -> Result<Option<Material>, ApiError> {
    value
        .map(|v| {
            serde_json::from_value(v.clone()).map_err(|_| {
                ApiError::field(
                    "material",
                    format!("`material` {v} is not one of PLA, PETG, ABS, ASA, TPU, nylon"),
                )
            })
        })
        .transpose()
}

/// Offers to meet a need of any node (maker); it goes to the need's home node.
#[utoipa::path(post, path = "/api/v1/requests/{id}/proposals", tag = "marketplace",
    params(("id" = String, Path, description = "request id")), request_body = ProposalInput,
    security(("bearer" = [])),
    responses((status = CREATED, body = ProposalView), (status = BAD_REQUEST, body = ErrorBody)))]
async fn create_proposal(
    State(market): State<Marketplace>,
    Caller(member): Caller,
    Path(id): Path<String>,
    Body(input): Body<ProposalInput>,
) -> ApiResult<(StatusCode, Json<ProposalView>)> {
    let new = NewProposal {
        quantity: input.quantity,
        material: parse_material(input.material)?,
        eta: time::parse_opt("eta", input.eta.as_deref())?,
    };
    let proposal = market.create_proposal(&member, &id, new)?;
    let state = market.proposal_state(proposal)?;
    Ok((StatusCode::CREATED, Json(ProposalView::of(&state, None))))
}

/// The proposals on one of this node's needs (its requester, staff of its facility, admin).
#[utoipa::path(get, path = "/api/v1/requests/{id}/proposals", tag = "marketplace",
    params(("id" = String, Path, description = "request id")), security(("bearer" = [])),
    responses((status = OK, body = ProposalList), (status = NOT_FOUND, body = ErrorBody)))]
async fn list_proposals(
    State(market): State<Marketplace>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ProposalList>> {
    let request = market.get_request(&id)?;
    let at = Some((request.lat_e7, request.lon_e7));
    let proposals = market
        .list_proposals(&member, &id)?
        .iter()
        .map(|s| ProposalView::of(s, at))
        .collect();
    Ok(Json(ProposalList { proposals }))
}
