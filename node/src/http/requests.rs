//! `/api/v1/requests`: needs near a point, posting a need (requester), one need, and the
//! proposals on it (made by makers here for any node's need; listed on the need's home node).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use caremesh_federation::object::{Material, RequestStatus, from_e7};
use serde::Deserialize;
use serde_json::{Value, json};

use super::error::{ApiError, ApiResult};
use super::extract::{Body, Caller, Params};
use super::time;
use super::views::{ProposalView, RequestView};
use crate::app::AppState;
use crate::directory::geo_index::haversine_km;
use crate::error::ServiceError;
use crate::marketplace::{NewProposal, NewRequest};

pub fn router() -> Router<AppState> {
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

async fn list_requests(State(app): State<AppState>, params: Params) -> ApiResult<Json<Value>> {
    let from = params.point()?;
    let radius = params.f64("radius_km")?;
    if radius.is_some() && from.is_none() {
        return Err(ApiError::field("lat", "`radius_km` needs `lat` and `lon`"));
    }
    let product = params.text("product");
    let status = params.text("status").map(parse_status).transpose()?;
    let limit = params.u64("limit")?.unwrap_or(100).clamp(1, 1000) as usize;
    let mut hits: Vec<(f64, RequestView)> = Vec::new();
    for r in app.market.list_requests()? {
        if product.is_some_and(|p| p != r.product) || status.is_some_and(|s| s != r.status) {
            continue;
        }
        let d = from.map(|(a, b)| haversine_km(a, b, from_e7(r.lat_e7), from_e7(r.lon_e7)));
        if let (Some(d), Some(max)) = (d, radius)
            && d > max
        {
            continue;
        }
        hits.push((
            d.unwrap_or(-(r.meta.created_at as f64)),
            RequestView::of(&r, from),
        ));
    }
    hits.sort_by(|a, b| a.0.total_cmp(&b.0));
    hits.truncate(limit);
    Ok(Json(
        json!({ "requests": hits.into_iter().map(|(_, v)| v).collect::<Vec<_>>() }),
    ))
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
    State(app): State<AppState>,
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
    let request = app.market.create_request(&member, new)?;
    app.flusher.flush().await.map_err(ServiceError::from)?;
    Ok((StatusCode::CREATED, Json(RequestView::of(&request, None))))
}

async fn get_request(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<RequestView>> {
    Ok(Json(RequestView::of(&app.market.get_request(&id)?, None)))
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
    State(app): State<AppState>,
    Caller(member): Caller,
    Path(id): Path<String>,
    Body(input): Body<ProposalInput>,
) -> ApiResult<(StatusCode, Json<ProposalView>)> {
    let new = NewProposal {
        quantity: input.quantity,
        material: parse_material(input.material)?,
        eta: time::parse_opt("eta", input.eta.as_deref())?,
    };
    let proposal = app.market.create_proposal(&member, &id, new)?;
    app.flusher.flush().await.map_err(ServiceError::from)?;
    let state = app.market.proposal_state(proposal)?;
    Ok((StatusCode::CREATED, Json(ProposalView::of(&state, None))))
}

async fn list_proposals(
    State(app): State<AppState>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let request = app.market.get_request(&id)?;
    let at = Some((request.lat_e7, request.lon_e7));
    let states = app.market.list_proposals(&member, &id)?;
    let views: Vec<ProposalView> = states.iter().map(|s| ProposalView::of(s, at)).collect();
    Ok(Json(json!({ "proposals": views })))
}
