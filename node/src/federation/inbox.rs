//! Receiving pushes: the checks of docs/protocol.md §4, cheapest first, for real. What the
//! header alone can decide (header, destination, peer policy, clock, replay, an empty rate
//! bucket) is decided before the body is read ([`Inbox::check_header`]); then the request
//! signature, with a cached key before any fetch, and only then is the body decoded, its
//! envelopes counted against the sender's rate, and each envelope checked
//! ([`envelopes`]): its origin's key, signature (batch-verified), decoding, schema,
//! ownership, its kind's admission rule ([`crate::kinds::KindRules::admit`]) and version
//! order. Whatever is refused is named by its [`Check`] and nothing of it is stored;
//! envelopes whose origin's key cannot be had yet are parked ([`super::parking`]). What
//! is stored is flushed to disk before anyone is told of it and before the answer leaves.

mod envelopes;
mod retry;

use std::sync::Arc;

use bytes::Bytes;
use caremesh_federation::batch::{MAX_BATCH_BYTES, MAX_BATCH_ENVELOPES};
use caremesh_federation::error::RequestAuthError;
use caremesh_federation::request_auth::RequestAuth;
use caremesh_federation::{Batch, BatchReply, Check, codec};
use sha2::{Digest, Sha256};

use crate::clock::Clock;
use crate::federation::keyring::{KeyLookupError, Keyring};
use crate::federation::parking::ParkingLot;
use crate::federation::peers::Peers;
use crate::federation::rate_limit::RateLimit;
use crate::kinds::Gates;
use crate::objects::Notifier;
use crate::store::{Space, Store, record};

/// A refusal of a whole push, or of one envelope by its kind's admission rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub check: Check,
    pub message: String,
}

impl From<RequestAuthError> for Refusal {
    fn from(e: RequestAuthError) -> Self {
        refuse(e.check, e.message)
    }
}

pub(crate) fn refuse(check: Check, message: impl Into<String>) -> Refusal {
    Refusal {
        check,
        message: message.into(),
    }
}

/// The answer given to a push, kept (space [`Space::Txns`], keyed by sender and `txn`) so
/// that the same push retried gets the same answer and stores nothing twice. A push that
/// reuses a `txn` with other bytes is a new push.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RememberedPush {
    /// When it was answered (unix ms); the sweep forgets it a day later.
    pub at: i64,
    /// SHA-256 of the push's body, hex.
    pub digest: String,
    pub reply: BatchReply,
}

impl RememberedPush {
    /// The remembered answer to this push, if it was answered before.
    fn find(store: &dyn Store, key: &str, digest: &str) -> Option<BatchReply> {
        let bytes = store.get(Space::Txns, key).ok().flatten()?;
        let remembered: RememberedPush = record::decode("txn", key, &bytes).ok()?;
        (remembered.digest == *digest).then_some(remembered.reply)
    }
}

/// Ingests pushes and pulled pages.
pub struct Inbox {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) keyring: Arc<Keyring>,
    pub(crate) peers: Peers,
    pub(crate) rate_limit: RateLimit,
    pub(crate) parking: ParkingLot,
    pub(crate) origin: String,
    pub(crate) clock: Arc<dyn Clock>,
    /// Flushes what was stored, then tells the outbox, indexes and chat about it.
    pub(crate) notifier: Notifier,
    /// What kinds' admission rules consult besides the store.
    pub(crate) gates: Gates,
}

impl Inbox {
    /// The checks a push's `Authorization` header alone decides, before its body is read:
    /// header, peer policy, clock, replay, and whether the sender has any rate left.
    pub fn check_header(&self, authorization: Option<&str>) -> Result<RequestAuth, Refusal> {
        let header =
            authorization.ok_or_else(|| refuse(Check::Header, "missing Authorization header"))?;
        let auth = RequestAuth::parse(header).map_err(Refusal::from)?;
        if auth.destination != self.origin {
            return Err(refuse(
                Check::Header,
                format!(
                    "destination {} is not this node ({})",
                    auth.destination, self.origin
                ),
            ));
        }
        self.peers
            .admit(&auth.origin)
            .map_err(|(check, message)| refuse(check, message))?;
        auth.check_clock(self.clock.now_ms() / 1000)
            .map_err(Refusal::from)?;
        if matches!(
            self.store.get(Space::Nonces, &nonce_key(&auth)),
            Ok(Some(_))
        ) {
            return Err(refuse(
                Check::Replay,
                format!("nonce {} was already used", auth.nonce),
            ));
        }
        if !self.rate_limit.peek(&auth.origin) {
            return Err(over_rate(&auth.origin));
        }
        Ok(auth)
    }

    /// Seconds until `sender` may push a full batch again (for `Retry-After`).
    pub fn retry_after(&self, sender: &str) -> u64 {
        self.rate_limit
            .wait_secs(sender, MAX_BATCH_ENVELOPES)
            .max(1)
    }

    /// Seconds until `sender`'s key `key_id` may be fetched, if a push was refused because
    /// it is not known and its identity was fetched moments ago (for `Retry-After`, so the
    /// sender comes back then rather than after a longer and longer backoff).
    pub fn key_retry_after(&self, sender: &str, key_id: &str) -> Option<u64> {
        let wait = self.keyring.fetch_wait(sender, key_id)?;
        Some(wait.as_secs() + 1)
    }

    /// The rest of `POST /federation/v1/inbox`, once [`Inbox::check_header`] passed and the
    /// body (at most [`MAX_BATCH_BYTES`]) was read.
    pub async fn receive(
        &self,
        path: &str,
        auth: RequestAuth,
        body: Bytes,
    ) -> Result<BatchReply, Refusal> {
        if body.len() > MAX_BATCH_BYTES {
            return Err(refuse(
                Check::BodySize,
                format!(
                    "body is {} bytes; the limit is {MAX_BATCH_BYTES}",
                    body.len()
                ),
            ));
        }
        self.check_signature(path, &auth, &body).await?;
        let batch: Batch =
            codec::decode("batch", &body).map_err(|e| refuse(Check::Decode, e.to_string()))?;
        if batch.envelopes.len() > MAX_BATCH_ENVELOPES {
            return Err(refuse(
                Check::Schema,
                format!(
                    "{} envelopes; at most {MAX_BATCH_ENVELOPES} per push",
                    batch.envelopes.len()
                ),
            ));
        }
        if batch.txn.is_empty() || batch.txn.len() > 64 {
            return Err(refuse(Check::Schema, "`txn` must be 1 to 64 characters"));
        }
        let txn_key = format!("{} {}", auth.origin, batch.txn);
        let digest = hex::encode(Sha256::digest(&body));
        if let Some(reply) = RememberedPush::find(&*self.store, &txn_key, &digest) {
            return Ok(reply);
        }
        if !self.rate_limit.take(&auth.origin, batch.envelopes.len()) {
            return Err(over_rate(&auth.origin));
        }
        let results = self.ingest(&auth.origin, batch.envelopes).await;
        let remembered = RememberedPush {
            at: self.clock.now_ms(),
            digest,
            reply: BatchReply {
                txn: batch.txn,
                results,
            },
        };
        if let Err(e) = self
            .store
            .put(Space::Txns, &txn_key, &record::encode(&remembered))
        {
            tracing::warn!(peer = %auth.origin, error = %e, "cannot remember a push");
        }
        Ok(remembered.reply)
    }

    /// The request signature, with the sender's cached key if there is one (a fetch only
    /// for a key id not known yet, at most once per origin every few seconds), then the
    /// nonce is spent. With [`Inbox::check_header`], the checks of any signed federation
    /// request to this node (the health read relay's too).
    pub(crate) async fn check_signature(
        &self,
        path: &str,
        auth: &RequestAuth,
        body: &[u8],
    ) -> Result<(), Refusal> {
        let known = self
            .keyring
            .key(&auth.origin, &auth.key_id, None)
            .await
            .map_err(|e: KeyLookupError| refuse(Check::Signature, e.to_string()))?;
        if !known.valid_at(auth.created.saturating_mul(1000)) {
            return Err(refuse(
                Check::Signature,
                format!(
                    "key {} of {} was retired before this request was made",
                    auth.key_id, auth.origin
                ),
            ));
        }
        auth.verify(&known.key, "POST", path, body)
            .map_err(Refusal::from)?;
        let fresh = self
            .store
            .insert_new(
                Space::Nonces,
                &nonce_key(auth),
                &record::encode(&auth.expires),
            )
            .map_err(|e| refuse(Check::Storage, e.to_string()))?;
        if !fresh {
            return Err(refuse(
                Check::Replay,
                format!("nonce {} was already used", auth.nonce),
            ));
        }
        Ok(())
    }
}

fn over_rate(sender: &str) -> Refusal {
    refuse(
        Check::RateLimit,
        format!("{sender} is pushing more envelopes a minute than this node takes"),
    )
}

fn nonce_key(auth: &RequestAuth) -> String {
    format!("{} {}", auth.origin, auth.nonce)
}
