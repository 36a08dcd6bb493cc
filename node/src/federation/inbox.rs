//! Receiving pushes: the checks of docs/protocol.md §Inbox, cheapest first. The request as a
//! whole is checked for body size, header, peer policy, clock window, replay, rate and
//! signature before anything is decoded; then each envelope for its origin's key, signature
//! (batch-verified), decoding, schema, ownership and version order. Whatever is refused is
//! named by its [`Check`] and nothing of it is stored. Each object then meets its kind's
//! admission rule ([`crate::kinds::KindRules::admit`]). What is stored is flushed to disk
//! before anyone is told of it and before the answer leaves.

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;
use caremesh_federation::batch::{MAX_BATCH_BYTES, MAX_BATCH_ENVELOPES};
use caremesh_federation::error::RequestAuthError;
use caremesh_federation::object::Object;
use caremesh_federation::request_auth::RequestAuth;
use caremesh_federation::{Batch, BatchReply, Check, Envelope, Outcome, codec, envelope, origin};
use ed25519_dalek::VerifyingKey;
use sha2::{Digest, Sha256};

use crate::clock::Clock;
use crate::federation::keyring::Keyring;
use crate::federation::peers::Peers;
use crate::federation::rate_limit::RateLimit;
use crate::federation::routes;
use crate::kinds::{self, Admission, Gates};
use crate::objects::{Notifier, to_new_object};
use crate::store::{PutResult, Space, Store, record};

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

fn refuse(check: Check, message: impl Into<String>) -> Refusal {
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
    pub(crate) origin: String,
    pub(crate) clock: Arc<dyn Clock>,
    /// Flushes what was stored, then tells the outbox, indexes and chat about it.
    pub(crate) notifier: Notifier,
    /// What kinds' admission rules consult besides the store.
    pub(crate) gates: Gates,
}

/// What one envelope became in the pipeline.
type Verdicts = Vec<Option<Outcome>>;

fn rejected(check: Check, message: impl Into<String>) -> Option<Outcome> {
    Some(Outcome::Rejected {
        check,
        message: message.into(),
    })
}

impl Inbox {
    /// Handles `POST /federation/v1/inbox`.
    pub async fn receive(
        &self,
        path: &str,
        authorization: Option<&str>,
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
        let auth = self.check_request(path, authorization, &body).await?;
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
        let results = self.ingest(&auth.origin, batch.envelopes).await;
        let reply = BatchReply {
            txn: batch.txn,
            results,
        };
        // The remembered answer makes a retried push idempotent.
        let remembered = RememberedPush {
            at: self.clock.now_ms(),
            digest,
            reply,
        };
        if let Err(e) = self
            .store
            .put(Space::Txns, &txn_key, &record::encode(&remembered))
        {
            tracing::warn!(peer = %auth.origin, error = %e, "cannot remember a push");
        }
        Ok(remembered.reply)
    }

    /// The whole-request checks, in order: header, peer policy, clock, replay, rate, signature.
    /// Also the checks of the health read relay (`POST /federation/v1/health/read`).
    pub(crate) async fn check_request(
        &self,
        path: &str,
        authorization: Option<&str>,
        body: &[u8],
    ) -> Result<RequestAuth, Refusal> {
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
        let now_s = self.clock.now_ms() / 1000;
        auth.check_clock(now_s).map_err(Refusal::from)?;
        let nonce_key = format!("{} {}", auth.origin, auth.nonce);
        if matches!(self.store.get(Space::Nonces, &nonce_key), Ok(Some(_))) {
            return Err(refuse(
                Check::Replay,
                format!("nonce {} was already used", auth.nonce),
            ));
        }
        if !self.rate_limit.allow(&auth.origin) {
            return Err(refuse(
                Check::RateLimit,
                format!("{} is pushing faster than this node allows", auth.origin),
            ));
        }
        let key = self
            .keyring
            .key(&auth.origin, &auth.key_id, None)
            .await
            .map_err(|e| refuse(Check::Signature, e.to_string()))?;
        auth.verify(&key, "POST", path, body)
            .map_err(Refusal::from)?;
        let fresh = self
            .store
            .insert_new(Space::Nonces, &nonce_key, &record::encode(&auth.expires))
            .map_err(|e| refuse(Check::Storage, e.to_string()))?;
        if !fresh {
            return Err(refuse(
                Check::Replay,
                format!("nonce {} was already used", auth.nonce),
            ));
        }
        Ok(auth)
    }

    /// Checks and stores envelopes that came from `from_peer` (pushed or pulled).
    pub async fn ingest(&self, from_peer: &str, envelopes: Vec<Envelope>) -> Vec<Outcome> {
        let mut verdicts: Verdicts = vec![None; envelopes.len()];
        let keys = self
            .resolve_keys(from_peer, &envelopes, &mut verdicts)
            .await;
        let store = self.store.clone();
        let origin = self.origin.clone();
        let from = from_peer.to_owned();
        let notifier = self.notifier.clone();
        let now = self.clock.now_ms();
        let gates = self.gates.clone();
        let joined = tokio::task::spawn_blocking(move || {
            let objects = verify_and_decode(&envelopes, &keys, &mut verdicts);
            let admission = Admission::new(&*store, &origin, &from, &gates);
            let stored = store_all(&admission, &*store, &envelopes, objects, &mut verdicts, now);
            // Stored, flushed, then announced: one step, as for this node's own objects.
            let durable = notifier.commit(&*store, stored);
            (verdicts, durable)
        })
        .await;
        let Ok((verdicts, durable)) = joined else {
            return vec![Outcome::Rejected {
                check: Check::Storage,
                message: "ingest task failed".into(),
            }];
        };
        let mut results: Vec<Outcome> = verdicts
            .into_iter()
            .map(|v| v.unwrap_or(Outcome::Duplicate))
            .collect();
        for (i, result) in results.iter().enumerate() {
            if let Outcome::Rejected { check, message } = result {
                tracing::warn!(peer = from_peer, index = i, check = %check, message, "envelope refused");
            }
        }
        if let Err(e) = durable {
            tracing::error!(error = %e, "flush after ingest failed");
            for r in &mut results {
                if *r == Outcome::Stored {
                    *r = Outcome::Rejected {
                        check: Check::Storage,
                        message: "not durable; retry".into(),
                    };
                }
            }
        }
        results
    }

    async fn resolve_keys(
        &self,
        from_peer: &str,
        envelopes: &[Envelope],
        verdicts: &mut Verdicts,
    ) -> Vec<Option<VerifyingKey>> {
        let mut found: HashMap<(String, String), Result<VerifyingKey, String>> = HashMap::new();
        let mut keys = Vec::with_capacity(envelopes.len());
        for (i, env) in envelopes.iter().enumerate() {
            if let Err(e) = origin::check(&env.origin) {
                verdicts[i] = rejected(Check::Schema, format!("envelope origin: {e}"));
                keys.push(None);
                continue;
            }
            if self.peers.is_blocked(&env.origin) {
                verdicts[i] = rejected(
                    Check::PeerPolicy,
                    format!("origin {} is blocked here", env.origin),
                );
                keys.push(None);
                continue;
            }
            let slot = (env.origin.clone(), env.key_id.clone());
            if !found.contains_key(&slot) {
                let key = self
                    .keyring
                    .key(&env.origin, &env.key_id, Some(from_peer))
                    .await;
                found.insert(slot.clone(), key.map_err(|e| e.to_string()));
            }
            match &found[&slot] {
                Ok(key) => keys.push(Some(*key)),
                Err(e) => {
                    verdicts[i] = rejected(Check::UnknownKey, e.clone());
                    keys.push(None);
                }
            }
        }
        keys
    }
}

/// Signature (batched), decode, schema and origin checks. CPU only.
fn verify_and_decode(
    envelopes: &[Envelope],
    keys: &[Option<VerifyingKey>],
    verdicts: &mut Verdicts,
) -> Vec<Option<Object>> {
    let pending: Vec<usize> = (0..envelopes.len())
        .filter(|&i| verdicts[i].is_none())
        .collect();
    let envs: Vec<&Envelope> = pending.iter().map(|&i| &envelopes[i]).collect();
    let ks: Vec<VerifyingKey> = pending.iter().filter_map(|&i| keys[i]).collect();
    let sigs = envelope::verify_batch(&envs, &ks);
    let mut objects = vec![None; envelopes.len()];
    for (&i, sig) in pending.iter().zip(sigs) {
        if let Err(e) = sig {
            verdicts[i] = rejected(Check::Signature, e.to_string());
            continue;
        }
        let object = match envelopes[i].decode() {
            Ok(o) => o,
            Err(e) => {
                verdicts[i] = rejected(Check::Decode, e.to_string());
                continue;
            }
        };
        if let Err(e) = object.validate() {
            verdicts[i] = rejected(Check::Schema, e.to_string());
            continue;
        }
        if object.meta().origin != envelopes[i].origin {
            verdicts[i] = rejected(
                Check::Ownership,
                format!("object origin {} did not sign it", object.meta().origin),
            );
            continue;
        }
        objects[i] = Some(object);
    }
    objects
}

/// Admission by each object's kind, then the store. Returns the newly stored objects.
fn store_all(
    admission: &Admission<'_>,
    store: &dyn Store,
    envelopes: &[Envelope],
    objects: Vec<Option<Object>>,
    verdicts: &mut Verdicts,
    now: i64,
) -> Vec<Object> {
    let mut stored = Vec::new();
    let from_peer = admission.from_peer;
    for (i, object) in objects.into_iter().enumerate() {
        let Some(object) = object else { continue };
        if let Err(refusal) = kinds::admit(&object, admission) {
            verdicts[i] = rejected(refusal.check, refusal.message);
            continue;
        }
        let new = to_new_object(&envelopes[i], &object, Some(from_peer));
        let outcome = match store.put_object(new, None) {
            Ok(PutResult::Stored { .. }) => {
                routes::learn(store, &envelopes[i].origin, from_peer, now);
                stored.push(object);
                Outcome::Stored
            }
            Ok(PutResult::Duplicate) => Outcome::Duplicate,
            Ok(PutResult::Conflict { stored_version }) => Outcome::Rejected {
                check: Check::VersionOrder,
                message: format!("version {stored_version} is already stored with different bytes"),
            },
            Ok(PutResult::NotOwner { owner }) => Outcome::Rejected {
                check: Check::Ownership,
                message: format!("object {} belongs to {owner}", object.meta().id),
            },
            Err(e) => Outcome::Rejected {
                check: Check::Storage,
                message: e.to_string(),
            },
        };
        verdicts[i] = Some(outcome);
    }
    stored
}
