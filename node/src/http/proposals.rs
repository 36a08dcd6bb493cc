//! `/api/v1/proposals/{id}/…`: the requester's decision and receipt, the maker's shipping,
//! and `GET /api/v1/me/proposals`, the maker's own proposals.

use axum::Json;
use axum::extract::{Path, State};
use caremesh_federation::object::Verdict;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::{Body, Caller, RawBody};
use super::views::{ProposalList, ProposalView, RequestView};
use crate::marketplace::{Decide, Decided, Marketplace};
use crate::services::Services;

pub fn router() -> OpenApiRouter<Services> {
    OpenApiRouter::new()
        .routes(routes!(decide))
        .routes(routes!(shipped))
        .routes(routes!(received))
        .routes(routes!(my_proposals))
}

/// The requester's answer to a proposal.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct DecisionInput {
    #[schema(required = true, nullable = false, schema_with = verdict)]
    verdict: Option<String>,
    /// With `accept`: how many of the offered (default all), capped to what remains.
    #[schema(minimum = 1, maximum = 10_000_000)]
    quantity: Option<i64>,
}

/// The verdicts a requester gives (`received` is recorded through its own route).
fn verdict() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(["accept", "defer", "decline"]))
        .build()
}

/// A decision's effect on the proposal and its request.
#[derive(Serialize, ToSchema)]
struct DecidedView {
    proposal: ProposalView,
    request: RequestView,
    /// True when the accepted quantity was cut to what remained.
    capped: bool,
}

fn answer(decided: Decided) -> Json<DecidedView> {
    let at = Some((decided.request.lat_e7, decided.request.lon_e7));
    Json(DecidedView {
        proposal: ProposalView::of(&decided.state, at),
        request: RequestView::of(&decided.request, None),
        capped: decided.capped,
    })
}

fn parse_verdict(verdict: Option<&str>) -> Result<Verdict, ApiError> {
    match verdict {
        Some("accept") => Ok(Verdict::Accept),
        Some("defer") => Ok(Verdict::Defer),
        Some("decline") => Ok(Verdict::Decline),
        Some(other) => Err(ApiError::field(
            "verdict",
            format!("`verdict` `{other}` is not accept, defer or decline"),
        )),
        None => Err(ApiError::field(
            "verdict",
            "`verdict` is required: accept, defer or decline",
        )),
    }
}

/// Accepts (capped to what remains), defers or declines a proposal on one of this node's
/// needs (its requester, staff of its facility, admin).
#[utoipa::path(post, path = "/api/v1/proposals/{id}/decision", tag = "marketplace",
    params(("id" = String, Path, description = "proposal id")), request_body = DecisionInput,
    security(("bearer" = [])),
    responses((status = OK, body = DecidedView), (status = CONFLICT, body = ErrorBody)))]
async fn decide(
    State(market): State<Marketplace>,
    Caller(member): Caller,
    Path(id): Path<String>,
    Body(input): Body<DecisionInput>,
) -> ApiResult<Json<DecidedView>> {
    let decide = Decide {
        verdict: parse_verdict(input.verdict.as_deref())?,
        quantity: input.quantity,
    };
    let decided = market.decide(&member, &id, decide)?;
    Ok(answer(decided))
}

/// What the requester received; the body may be empty.
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
struct ReceivedInput {
    /// How many arrived (default: all accepted).
    #[schema(minimum = 1, maximum = 10_000_000)]
    quantity: Option<i64>,
}

/// Records receipt of a shipped proposal (the need's requester).
#[utoipa::path(post, path = "/api/v1/proposals/{id}/received", tag = "marketplace",
    params(("id" = String, Path, description = "proposal id")),
    request_body(content = Option<ReceivedInput>, description = "optional"),
    security(("bearer" = [])),
    responses((status = OK, body = DecidedView), (status = BAD_REQUEST, body = ErrorBody)))]
async fn received(
    State(market): State<Marketplace>,
    Caller(member): Caller,
    Path(id): Path<String>,
    RawBody(body): RawBody,
) -> ApiResult<Json<DecidedView>> {
    // No body, or JSON `null`, means "all that was accepted".
    let input: ReceivedInput = if body.is_empty() || body.trim_ascii() == b"null" {
        ReceivedInput::default()
    } else {
        let mut value: serde_json::Value = serde_json::from_slice(&body).map_err(|e| {
            ApiError::field("quantity", format!("body is not the expected JSON: {e}"))
        })?;
        super::extract::whole_numbers(&mut value);
        serde_json::from_value(value).map_err(|e| {
            ApiError::field("quantity", format!("body is not the expected JSON: {e}"))
        })?
    };
    let decided = market.mark_received(&member, &id, input.quantity)?;
    Ok(answer(decided))
}

/// Marks an accepted proposal as shipped (its maker).
#[utoipa::path(post, path = "/api/v1/proposals/{id}/shipped", tag = "marketplace",
    params(("id" = String, Path, description = "proposal id")), security(("bearer" = [])),
    responses((status = OK, body = ProposalView), (status = CONFLICT, body = ErrorBody)))]
async fn shipped(
    State(market): State<Marketplace>,
    Caller(member): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ProposalView>> {
    let state = market.mark_shipped(&member, &id)?;
    Ok(Json(ProposalView::of(&state, None)))
}

/// The caller's own proposals (makers).
#[utoipa::path(get, path = "/api/v1/me/proposals", tag = "marketplace",
    security(("bearer" = [])), responses((status = OK, body = ProposalList)))]
async fn my_proposals(
    State(market): State<Marketplace>,
    Caller(member): Caller,
) -> ApiResult<Json<ProposalList>> {
    let proposals = market
        .my_proposals(&member)?
        .iter()
        .map(|s| ProposalView::of(s, None))
        .collect();
    Ok(Json(ProposalList { proposals }))
}
