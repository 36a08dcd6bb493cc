//! `/api/v1/requests`: needs near a point, posting a need (requester), one need, and the
//! proposals on it (made by makers here for any node's need; listed on the need's home node).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use caremesh_federation::object::{Material, RequestStatus};
use serde::Deserialize;
use serde_json::{Value, json};

use super::error::{ApiError, ApiResult};
use super::extract::{Body, Caller, Params};
use super::time;
use super::views::{ProposalView, RequestView};
use crate::marketplace::{Marketplace, NewProposal, NewRequest, RequestSearch};
use crate::services::Services;

pub fn router() -> Router<Services> {
    Router::new()
        .route("/api/v1/requests", get(list_requests).post(create_request))
        .route("/api/v1/requests/{id}", get(get_request))
        .route(
            "/api/v1/requests/{id}/proposals",
            post(create_proposal).get(list_proposals),
        )
}

fn parse_status(text: &str) -> Result<RequestStatus, ApiError> {
    serde_json::from_value(json!(text)).map_err(|_| {
        ApiError::field(
            "status",
            format!("`status` `{text}` is not open, satisfied, expired or cancelled"),
        )
    })
}

async fn list_requests(
    State(market): State<Marketplace>,
    params: Params,
) -> ApiResult<Json<Value>> {
    let from = params.point()?;
    let radius_km = params.f64("radius_km")?;
    if radius_km.is_some() && from.is_none() {
        return Err(ApiError::field("lat", "`radius_km` needs `lat` and `lon`"));
    }
    let search = RequestSearch {
        from,
        radius_km,
        product: params.text("product").map(str::to_owned),
        status: params.text("status").map(parse_status).transpose()?,
        limit: params.u64("limit")?.unwrap_or(100).clamp(1, 1000) as usize,
    };
    let views: Vec<RequestView> = market
        .requests_near(&search)?
        .iter()
        .map(|r| RequestView::of(r, from))
        .collect();
    Ok(Json(json!({ "requests": views })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestInput {
    facility_id: Option<String>,
    product: Option<String>,
    quantity: Option<i64>,
    needed_by: Option<String>,
    #[serde(default)]
    note: String,
}

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

async fn get_request(
    State(market): State<Marketplace>,
    Path(id): Path<String>,
) -> ApiResult<Json<RequestView>> {
    Ok(Json(RequestView::of(&market.get_request(&id)?, None)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProposalInput {
    quantity: Option<i64>,
    material: Option<Value>,
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

async fn list_proposals(
    State(market): State<Marketplace>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let request = market.get_request(&id)?;
    let at = Some((request.lat_e7, request.lon_e7));
    let states = market.list_proposals(&member, &id)?;
    let views: Vec<ProposalView> = states.iter().map(|s| ProposalView::of(s, at)).collect();
    Ok(Json(json!({ "proposals": views })))
}
