//! `GET|POST /api/v1/peers` (admin): the peers this node federates with.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::{Body, Caller};
use crate::federation::peers::normalize;
use crate::members::Role;
use crate::services::{PeerAdmin, Services};

pub fn router() -> OpenApiRouter<Services> {
    OpenApiRouter::new().routes(routes!(list_peers, add_peer))
}

/// A peer node.
#[derive(Serialize, ToSchema)]
struct PeerView {
    url: String,
    /// A pinned key, unpadded base64.
    key: Option<String>,
    /// `config` or `api`.
    source: String,
}

/// The peers.
#[derive(Serialize, ToSchema)]
struct PeerList {
    peers: Vec<PeerView>,
}

/// The peers this node delivers to and accepts from (admin).
#[utoipa::path(get, path = "/api/v1/peers", tag = "federation", security(("bearer" = [])),
    responses((status = OK, body = PeerList)))]
async fn list_peers(State(peers): State<PeerAdmin>, caller: Caller) -> ApiResult<Json<PeerList>> {
    caller.require(&[Role::Admin])?;
    let peers = peers
        .list()?
        .into_iter()
        .map(|p| PeerView {
            url: p.url,
            key: p.key,
            source: p.source,
        })
        .collect();
    Ok(Json(PeerList { peers }))
}

/// A peer to add.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PeerInput {
    /// The peer's origin: http(s), a host name or IPv4 address and an optional port (a
    /// trailing `/` is dropped).
    #[schema(required = true, nullable = false, schema_with = peer_url)]
    url: Option<String>,
    /// Pin the peer's key: `ed25519:<unpadded base64>` or the base64 alone.
    key: Option<String>,
}

/// The answer to adding a peer.
#[derive(Serialize, ToSchema)]
struct PeerAdded {
    url: String,
    /// False when the peer was already there.
    added: bool,
}

/// The grammar of a peer URL the API takes: one the document states and the server checks
/// alike, and a part of what `caremesh_federation::origin` accepts (host labels start with a
/// letter and have single inner hyphens, so no label reads as a number or as punycode).
const PEER_URL: &str = concat!(
    r"^[hH][tT][tT][pP][sS]?://",
    r"([A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*(\.[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*)*",
    r"|((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9]))",
    r"(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4}))?",
    r"/?$"
);

/// The longest peer URL, in bytes (an origin's limit).
const PEER_URL_MAX: usize = caremesh_federation::origin::MAX_ORIGIN;

fn peer_url() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .pattern(Some(PEER_URL))
        .max_length(Some(PEER_URL_MAX))
        .build()
}

/// Checks the URL against the grammar the document states for it.
fn check_url(url: Option<String>) -> Result<String, ApiError> {
    static GRAMMAR: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(PEER_URL).ok());
    let url = url.ok_or_else(|| ApiError::field("url", "`url` is required"))?;
    // A JSON Schema `$` also matches before one final line break.
    let text = url.strip_suffix('\n').unwrap_or(&url);
    let fits = text.len() <= PEER_URL_MAX && GRAMMAR.as_ref().is_some_and(|g| g.is_match(text));
    if fits {
        Ok(text.to_owned())
    } else {
        Err(ApiError::field(
            "url",
            "`url` must be http(s)://host[:port] with a host name or IPv4 address",
        ))
    }
}

/// Adds a peer (admin); 201 when it is new, 200 when it was there.
#[utoipa::path(post, path = "/api/v1/peers", tag = "federation", request_body = PeerInput,
    security(("bearer" = [])),
    responses((status = CREATED, body = PeerAdded), (status = OK, body = PeerAdded),
        (status = BAD_REQUEST, body = ErrorBody)))]
async fn add_peer(
    State(peers): State<PeerAdmin>,
    caller: Caller,
    Body(input): Body<PeerInput>,
) -> ApiResult<(StatusCode, Json<PeerAdded>)> {
    caller.require(&[Role::Admin])?;
    let url = check_url(input.url)?;
    let key = input
        .key
        .map(|k| k.trim_start_matches("ed25519:").to_owned());
    let added = peers.add(&url, key)?;
    let status = if added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let url = normalize(&url);
    Ok((status, Json(PeerAdded { url, added })))
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn peer_urls_follow_the_documented_grammar() {
        for good in [
            "http://a",
            "https://makers-pune.example/",
            "http://127.0.0.1:7700",
            "HTTPS://Makers.Example:443/",
            "http://a-b.c2:0",
            "http://x:65535",
            "http://a\n",
        ] {
            assert!(check_url(Some(good.into())).is_ok(), "{good}");
            let normal = caremesh_federation::origin::normalize(good);
            assert!(normal.is_ok(), "{good}: the origin check agrees");
        }
        for bad in [
            "ftp://a",
            "http://",
            "http:///x",
            "http://[::1]",
            "http://a b",
            "http://a:",
            "http://a:123456",
            "http://a:65536",
            "http://xn--a.example",
            "http://1.2.3.256",
            "http://a.1",
            "https://n.example/caremesh",
            "http://a\n\n",
            "http://é.example",
            " http://a",
        ] {
            assert!(check_url(Some(bad.into())).is_err(), "{bad}");
        }
        assert!(check_url(None).is_err());
    }
}
