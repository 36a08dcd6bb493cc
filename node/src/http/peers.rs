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
    /// The peer's public URL: http(s), a host name or IPv4 address, an optional port and
    /// path (a trailing `/` is dropped).
    #[schema(
        required = true,
        nullable = false,
        pattern = r"^https?://[A-Za-z0-9._~-]+(:[0-9]{1,5})?(/[^\x00-\x20]*)?$"
    )]
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

/// Checks the URL against the grammar the document states for it.
fn check_url(url: Option<String>) -> Result<String, ApiError> {
    let url = url.ok_or_else(|| ApiError::field("url", "`url` is required"))?;
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or("");
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '~' | '-'));
    let port_ok =
        port.is_none_or(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    let path_ok = !path.chars().any(|c| c <= ' ');
    if host_ok && port_ok && path_ok {
        Ok(url)
    } else {
        Err(ApiError::field(
            "url",
            "`url` must be http(s)://host[:port][/path] with a host name or IPv4 address",
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
            "https://n.example:443/caremesh/",
        ] {
            assert!(check_url(Some(good.into())).is_ok(), "{good}");
        }
        for bad in [
            "ftp://a",
            "http://",
            "http:///x",
            "http://[::1]",
            "http://a b",
            "http://a:",
            "http://a:123456",
            "http://é.example",
            " http://a",
        ] {
            assert!(check_url(Some(bad.into())).is_err(), "{bad}");
        }
        assert!(check_url(None).is_err());
    }
}
