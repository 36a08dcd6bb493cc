//! `/api/v1/proposals/{id}/…`: the requester's decision and receipt, the maker's shipping,
//! and `GET /api/v1/me/proposals`, the maker's own proposals.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use caremesh_federation::object::Verdict;
use serde::Deserialize;
use serde_json::{Value, json};

use super::error::{ApiError, ApiResult};
use super::extract::{Body, Caller};
use super::views::{ProposalView, RequestView};
use crate::marketplace::{Decide, Decided, Marketplace};
use crate::services::Services;

pub fn router() -> Router<Services> {
    Router::new()
        .route("/api/v1/proposals/{id}/decision", post(decide))
        .route("/api/v1/proposals/{id}/shipped", post(shipped))
        .route("/api/v1/proposals/{id}/received", post(received))
        .route("/api/v1/me/proposals", get(my_proposals))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionInput {
    verdict: Option<String>,
    quantity: Option<i64>,
}

fn answer(decided: Decided) -> Json<Value> {
    let at = Some((decided.request.lat_e7, decided.request.lon_e7));
    Json(json!({
        "proposal": ProposalView::of(&decided.state, at),
        "request": RequestView::of(&decided.request, None),
        "capped": decided.capped,
    }))
}

async fn decide(
    State(market): State<Marketplace>,
    Caller(member): Caller,
    Path(id): Path<String>,
    Body(input): Body<DecisionInput>,
) -> ApiResult<Json<Value>> {
    let verdict = match input.verdict.as_deref() {
        Some("accept") => Verdict::Accept,
        Some("defer") => Verdict::Defer,
        Some("decline") => Verdict::Decline,
        Some(other) => {
            return Err(ApiError::field(
                "verdict",
                format!("`verdict` `{other}` is not accept, defer or decline"),
            ));
        }
        None => {
            return Err(ApiError::field(
                "verdict",
                "`verdict` is required: accept, defer or decline",
            ));
        }
    };
    let decided = market.decide(
        &member,
        &id,
        Decide {
            verdict,
            quantity: input.quantity,
        },
    )?;
    Ok(answer(decided))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ReceivedInput {
    quantity: Option<i64>,
}

async fn received(
    State(market): State<Marketplace>,
    Caller(member): Caller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
    let input: ReceivedInput = if body.is_empty() {
        ReceivedInput::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError::field("quantity", format!("body is not the expected JSON: {e}"))
        })?
    };
    let decided = market.mark_received(&member, &id, input.quantity)?;
    Ok(answer(decided))
}

async fn shipped(
    State(market): State<Marketplace>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ProposalView>> {
    let state = market.mark_shipped(&member, &id)?;
    Ok(Json(ProposalView::of(&state, None)))
}

async fn my_proposals(
    State(market): State<Marketplace>,
    Caller(member): Caller,
) -> ApiResult<Json<Value>> {
    let states = market.my_proposals(&member)?;
    let views: Vec<ProposalView> = states.iter().map(|s| ProposalView::of(s, None)).collect();
    Ok(Json(json!({ "proposals": views })))
}
