//! Reads under consent travel live, hop by hop (docs/protocol.md §9.4): the reading node
//! sends a signed, sealed `read` to the next hop toward the home node at
//! `POST /federation/v1/health/read`; each relay checks the request and the reader's
//! signature and forwards the same envelope one hop on; the home node answers with a
//! signed, sealed `read_answer` that travels back the same way. Nobody on the way keeps
//! anything.

use std::sync::Arc;

use bytes::Bytes;
use caremesh_federation::client::PeerError;
use caremesh_federation::object::{
    AnswerContent, MAX_HOPS, Object, READ_PATH, Read, ReadAnswer, ReadContent, ReadRelay,
};
use caremesh_federation::{Check, Envelope, PeerClient, codec, health_seal};
use ed25519_dalek::VerifyingKey;

use super::error::{HealthError, HealthResult};
use super::service::Health;
use crate::federation::inbox::{Inbox, Refusal};
use crate::federation::keyring::Keyring;
use crate::federation::peers::Peers;
use crate::federation::routes;
use crate::store::Store;

/// Largest body of a relayed read.
pub const MAX_READ_BODY: usize = 64 * 1024;

/// How reads reach other nodes: the peer client, the peers, the routes learned from where
/// objects came from, and the keys of other nodes.
#[derive(Clone)]
pub struct Transport {
    pub client: PeerClient,
    pub peers: Peers,
    pub keyring: Arc<Keyring>,
    pub store: Arc<dyn Store>,
}

impl Transport {
    /// The next hop toward `origin`: itself when it is a peer, else the peer its objects
    /// last came through, never `except` (where a read came from).
    pub fn next_hop(&self, origin: &str, except: Option<&str>) -> Option<String> {
        if self.peers.get(origin).ok().flatten().is_some() {
            return Some(origin.to_owned());
        }
        routes::get(&*self.store, origin).filter(|via| Some(via.as_str()) != except)
    }

    /// The current key of `origin` as this node knows it (learned when its objects were
    /// verified).
    pub fn known_key(&self, origin: &str) -> Option<VerifyingKey> {
        self.keyring.identities().current_key(origin).ok().flatten()
    }
}

/// Why a relayed read was refused; the HTTP edge answers each with its status.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    /// A check of the request or of the read's envelope, named like the inbox's.
    #[error("{}: {}", .0.check, .0.message)]
    Refused(Refusal),
    /// The read has no hops left.
    #[error("the read has travelled {MAX_HOPS} hops without reaching its home node")]
    Hops,
    /// This node knows no way toward the home node.
    #[error("no route from here to {origin}")]
    NoRoute { origin: String },
    /// The next hop answered with an error: its status, and the check it named.
    #[error("next hop answered {status}")]
    Upstream { status: u16, code: Option<Check> },
    /// The next hop could not be reached.
    #[error("next hop unreachable: {0}")]
    Unreachable(String),
}

fn refused(check: Check, message: impl Into<String>) -> RelayError {
    RelayError::Refused(Refusal {
        check,
        message: message.into(),
    })
}

impl From<Refusal> for RelayError {
    fn from(r: Refusal) -> Self {
        RelayError::Refused(r)
    }
}

impl Health {
    /// Handles `POST /federation/v1/health/read`: the whole-request checks of the inbox, the
    /// reader's signature, then the answer if the read is for this node, else the next hop's.
    pub async fn relay_read(
        &self,
        inbox: &Inbox,
        authorization: Option<&str>,
        body: Bytes,
    ) -> Result<Vec<u8>, RelayError> {
        if body.len() > MAX_READ_BODY {
            return Err(refused(
                Check::BodySize,
                format!("a read is at most {MAX_READ_BODY} bytes"),
            ));
        }
        let auth = inbox.check_header(authorization)?;
        inbox.check_signature(READ_PATH, &auth, &body).await?;
        if !inbox.rate_limit.take(&auth.origin, 1) {
            return Err(refused(
                Check::RateLimit,
                format!("{} is sending more than this node takes", auth.origin),
            ));
        }
        let relay: ReadRelay = codec::decode("read relay", &body)
            .map_err(|e| refused(Check::Decode, e.to_string()))?;
        let (read, reader_key) = self.verify_read(&relay.envelope, &auth.origin).await?;
        if read.addressee == self.inner.here {
            let answer = self.answer_read(&read, &reader_key).await?;
            return codec::encode("read answer", &answer)
                .map_err(|e| refused(Check::Storage, e.to_string()));
        }
        if relay.hops == 0 {
            return Err(RelayError::Hops);
        }
        let hop = self
            .inner
            .transport
            .next_hop(&read.addressee, Some(&auth.origin))
            .ok_or_else(|| RelayError::NoRoute {
                origin: read.addressee.clone(),
            })?;
        let onward = ReadRelay {
            hops: relay.hops - 1,
            envelope: relay.envelope,
        };
        tracing::debug!(read_id = %read.meta.id, from = %auth.origin, to = %hop, "read relayed");
        self.post_read(&hop, &onward).await.map_err(|e| match e {
            PeerError::Status { status, code, .. } => RelayError::Upstream { status, code },
            other => RelayError::Unreachable(other.to_string()),
        })
    }

    async fn post_read(&self, hop: &str, relay: &ReadRelay) -> Result<Vec<u8>, PeerError> {
        let body = codec::encode("read relay", relay).map_err(|_| PeerError::Decode {
            peer: hop.to_owned(),
            expected: "an encodable read",
        })?;
        self.inner
            .transport
            .client
            .post_signed(hop, READ_PATH, body)
            .await
    }

    /// The reader's signature (end to end: a relay cannot read as another node), the kind
    /// and the schema of a relayed read.
    async fn verify_read(
        &self,
        envelope: &Envelope,
        from_hop: &str,
    ) -> Result<(Read, VerifyingKey), RelayError> {
        let known = self
            .inner
            .transport
            .keyring
            .key(&envelope.origin, &envelope.key_id, Some(from_hop))
            .await
            .map_err(|e| refused(Check::UnknownKey, e.to_string()))?;
        envelope
            .verify(&known.key)
            .map_err(|e| refused(Check::Signature, e.to_string()))?;
        let object = envelope
            .decode()
            .map_err(|e| refused(Check::Decode, e.to_string()))?;
        if !known.valid_at(object.meta().updated_at) {
            return Err(refused(
                Check::Signature,
                "the read is signed by a key retired before it was made",
            ));
        }
        object
            .validate()
            .map_err(|e| refused(Check::Schema, e.to_string()))?;
        let read = Read::try_from(object)
            .map_err(|_| refused(Check::Schema, "the relay carries reads only"))?;
        if read.meta.origin != envelope.origin {
            return Err(refused(
                Check::Ownership,
                "the read's origin did not sign it",
            ));
        }
        Ok((read, known.key))
    }

    /// Sends a read to the home node `home` and returns its opened answer, after checking
    /// that the home node signed it for this very read.
    pub(super) async fn remote_read(
        &self,
        home: &str,
        content: &ReadContent,
    ) -> HealthResult<AnswerContent> {
        let inner = &self.inner;
        let home_key = inner
            .transport
            .known_key(home)
            .ok_or_else(|| HealthError::unreachable("the home node's key is not known here yet"))?;
        let meta = inner.publisher.new_meta(self.now());
        let place = health_seal::Place::new(caremesh_federation::Kind::Read, &meta.id, home);
        let sealed = health_seal::seal(&home_key, &place, content)
            .map_err(|e| HealthError::unreachable(e.to_string()))?;
        let read = Read {
            meta,
            addressee: home.to_owned(),
            sealed,
        };
        let envelope = Envelope::seal(&Object::Read(read.clone()), &inner.key)
            .map_err(|e| HealthError::unreachable(e.to_string()))?;
        let hop = inner
            .transport
            .next_hop(home, None)
            .ok_or_else(|| HealthError::unreachable("no route from here to the home node"))?;
        let relay = ReadRelay {
            hops: MAX_HOPS,
            envelope,
        };
        let bytes = self
            .post_read(&hop, &relay)
            .await
            .map_err(|e| HealthError::unreachable(e.to_string()))?;
        self.open_answer(home, &hop, &read, &bytes).await
    }

    async fn open_answer(
        &self,
        home: &str,
        hop: &str,
        read: &Read,
        bytes: &[u8],
    ) -> HealthResult<AnswerContent> {
        let bad = |problem: String| HealthError::unreachable(format!("bad answer: {problem}"));
        let envelope: Envelope =
            codec::decode("read answer", bytes).map_err(|e| bad(e.to_string()))?;
        if envelope.origin != home {
            return Err(bad(format!("signed by {} instead", envelope.origin)));
        }
        let key = self
            .inner
            .transport
            .keyring
            .key(home, &envelope.key_id, Some(hop))
            .await
            .map_err(|e| bad(e.to_string()))?;
        envelope.verify(&key.key).map_err(|e| bad(e.to_string()))?;
        let answer = ReadAnswer::try_from(envelope.decode().map_err(|e| bad(e.to_string()))?)
            .map_err(|_| bad("not a read answer".into()))?;
        if answer.meta.origin != home || answer.addressee != self.inner.here {
            return Err(bad("not an answer for this node".into()));
        }
        self.inner
            .seal_keys
            .open(&answer.place(&read.meta.id), &answer.sealed, self.now())
            .map_err(|e| bad(e.to_string()))
    }
}
