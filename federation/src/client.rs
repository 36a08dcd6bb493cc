//! The HTTP client one node uses to talk to another: identity, push and pull, with
//! timeouts and a cap on how much of an answer it reads. Behind the `client` feature (off
//! by default), so that the protocol itself has no IO.

use std::time::Duration;

use crate::batch::{Batch, BatchReply, Check, INBOX_PATH, OBJECTS_PATH, PullPage};
use crate::codec::{self, MSGPACK};
use crate::identity::{IDENTITY_PATH, Identity};
use crate::key::NodeKey;
use crate::origin::{self, OriginError};
use crate::request_auth::RequestAuth;

/// Talking to a peer failed.
#[derive(Debug, thiserror::Error)]
pub enum PeerError {
    /// No connection, a timeout or a broken transfer.
    #[error("peer {peer} unreachable: {source}")]
    Transport {
        peer: String,
        #[source]
        source: reqwest::Error,
    },
    /// The peer answered with an error status (a redirect among them: none is followed).
    /// Its body is never repeated; only the protocol check it names, if any.
    #[error("peer {peer} answered {status}{}", code.map(|c| format!(" ({c})")).unwrap_or_default())]
    Status {
        peer: String,
        status: u16,
        /// The check named by a caremesh error answer (`{"error": {"code": ...}}`).
        code: Option<Check>,
        /// Seconds the peer asked us to wait before trying again (a `Retry-After` header
        /// in seconds; at most [`MAX_RETRY_AFTER_SECS`]).
        retry_after: Option<u64>,
    },
    /// The URL is not an origin in its normal form, so nothing was sent.
    #[error("not sent: {0}")]
    Origin(#[from] OriginError),
    /// The peer's answer was larger than allowed.
    #[error("peer {peer} sent more than {limit} bytes")]
    TooLarge { peer: String, limit: usize },
    /// The peer's answer could not be decoded (what was expected; never the bytes).
    #[error("peer {peer} sent an answer that is not {expected}")]
    Decode {
        peer: String,
        expected: &'static str,
    },
}

/// Settings of a [`PeerClient`].
#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Largest answer read from a peer, in bytes.
    pub max_response_bytes: usize,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(3),
            request_timeout: Duration::from_secs(15),
            max_response_bytes: 8 << 20,
        }
    }
}

/// Talks to peers as one node, signing every push with that node's key.
#[derive(Clone, Debug)]
pub struct PeerClient {
    http: reqwest::Client,
    key: NodeKey,
    origin: String,
    max_response_bytes: usize,
}

impl PeerClient {
    /// A client speaking as `origin` (our public URL), signing with `key`.
    pub fn new(key: NodeKey, origin: &str, config: &ClientConfig) -> Result<Self, PeerError> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            // A peer's URL is its origin; a redirect would send us anywhere else.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("caremesh/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|source| PeerError::Transport {
                peer: origin.to_owned(),
                source,
            })?;
        Ok(Self {
            http,
            key,
            origin: origin.to_owned(),
            max_response_bytes: config.max_response_bytes,
        })
    }

    /// Our own origin.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Fetches a node's own identity document.
    pub async fn identity(&self, url: &str) -> Result<Identity, PeerError> {
        origin::check(url)?;
        let request = self.http.get(format!("{url}{IDENTITY_PATH}"));
        let bytes = self.exchange(url, request).await?;
        serde_json::from_slice(&bytes).map_err(|_| decode_error(url, "an identity document"))
    }

    /// Asks `peer` for the identity it has cached for `origin` (used when the origin itself
    /// is not reachable from here; what the answer may teach is limited, see
    /// docs/protocol.md §1).
    pub async fn identity_via(&self, peer: &str, origin: &str) -> Result<Identity, PeerError> {
        origin::check(peer)?;
        origin::check(origin)?;
        let request = self
            .http
            .get(format!("{peer}{IDENTITY_PATH}"))
            .query(&[("origin", origin)]);
        let bytes = self.exchange(peer, request).await?;
        serde_json::from_slice(&bytes).map_err(|_| decode_error(peer, "an identity document"))
    }

    /// Pushes a batch to a peer's inbox and returns its per-envelope answer.
    pub async fn push(&self, peer: &str, batch: &Batch) -> Result<BatchReply, PeerError> {
        origin::check(peer)?;
        let body = codec::encode("batch", batch).map_err(|_| decode_error(peer, "encodable"))?;
        let now = unix_secs();
        let auth = RequestAuth::sign(
            &self.key,
            &self.origin,
            peer,
            "POST",
            INBOX_PATH,
            &body,
            now,
        );
        let request = self
            .http
            .post(format!("{peer}{INBOX_PATH}"))
            .header(reqwest::header::CONTENT_TYPE, MSGPACK)
            .header(reqwest::header::AUTHORIZATION, auth.to_header())
            .body(body);
        let bytes = self.exchange(peer, request).await?;
        serde_json::from_slice(&bytes).map_err(|_| decode_error(peer, "a push answer"))
    }

    /// Posts a MessagePack `body` to `path` at `peer`, signed like a push, and returns the
    /// successful answer's bytes (the health read relay, `POST /federation/v1/health/read`).
    pub async fn post_signed(
        &self,
        peer: &str,
        path: &str,
        body: Vec<u8>,
    ) -> Result<Vec<u8>, PeerError> {
        let auth = RequestAuth::sign(
            &self.key,
            &self.origin,
            peer,
            "POST",
            path,
            &body,
            unix_secs(),
        );
        let request = self
            .http
            .post(format!("{peer}{path}"))
            .header(reqwest::header::CONTENT_TYPE, MSGPACK)
            .header(reqwest::header::AUTHORIZATION, auth.to_header())
            .body(body);
        self.exchange(peer, request).await
    }

    /// Reads one page of a peer's public log after `after`.
    pub async fn pull(&self, peer: &str, after: u64, limit: usize) -> Result<PullPage, PeerError> {
        origin::check(peer)?;
        let request = self
            .http
            .get(format!("{peer}{OBJECTS_PATH}"))
            .query(&[("after", after.to_string()), ("limit", limit.to_string())]);
        let bytes = self.exchange(peer, request).await?;
        codec::decode("pull page", &bytes).map_err(|_| decode_error(peer, "a pull page"))
    }

    /// Sends a request to `peer` and reads its successful answer, capped.
    async fn exchange(
        &self,
        peer: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<Vec<u8>, PeerError> {
        let response = request
            .send()
            .await
            .map_err(|source| PeerError::Transport {
                peer: peer.to_owned(),
                source,
            })?;
        self.read(peer, response).await
    }

    async fn read(
        &self,
        peer: &str,
        mut response: reqwest::Response,
    ) -> Result<Vec<u8>, PeerError> {
        let status = response.status();
        let retry_after = retry_after(response.headers());
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|source| PeerError::Transport {
                peer: peer.to_owned(),
                source,
            })?
        {
            if body.len() + chunk.len() > self.max_response_bytes {
                return Err(PeerError::TooLarge {
                    peer: peer.to_owned(),
                    limit: self.max_response_bytes,
                });
            }
            body.extend_from_slice(&chunk);
        }
        if !status.is_success() {
            return Err(PeerError::Status {
                peer: peer.to_owned(),
                status: status.as_u16(),
                code: error_code(&body),
                retry_after,
            });
        }
        Ok(body)
    }
}

/// The longest wait a peer's `Retry-After` is taken for, in seconds.
pub const MAX_RETRY_AFTER_SECS: u64 = 3_600;

/// A `Retry-After` in seconds (the HTTP-date form is not used between nodes), capped.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<u64> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    let secs = value.trim().parse::<u64>().ok()?;
    Some(secs.min(MAX_RETRY_AFTER_SECS))
}

/// The check a caremesh error answer names; nothing else of a peer's body is kept.
fn error_code(body: &[u8]) -> Option<Check> {
    #[derive(serde::Deserialize)]
    struct Answer {
        error: Inner,
    }
    #[derive(serde::Deserialize)]
    struct Inner {
        code: Check,
    }
    serde_json::from_slice::<Answer>(body)
        .ok()
        .map(|a| a.error.code)
}

fn decode_error(peer: &str, expected: &'static str) -> PeerError {
    PeerError::Decode {
        peer: peer.to_owned(),
        expected,
    }
}

/// The current time in unix seconds.
fn unix_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

    #[test]
    fn retry_after_is_read_in_seconds_and_capped() {
        let with = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(RETRY_AFTER, HeaderValue::from_static(v));
            retry_after(&h)
        };
        assert_eq!(with("7"), Some(7));
        assert_eq!(with("99999999"), Some(MAX_RETRY_AFTER_SECS));
        assert_eq!(with("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }
}
