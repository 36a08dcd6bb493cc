//! The per-envelope checks of docs/protocol.md §4, for pushes, pulls and parked envelopes
//! alike: the origin's key (cached first; an origin whose key cannot be had yet is parked),
//! signature (batch-verified), a retired key's date, decoding, schema, ownership, the
//! kind's admission rule and version order; then the store, one flush, and the news.

use std::collections::BTreeMap;

use caremesh_federation::object::Object;
use caremesh_federation::{Check, Envelope, Outcome, envelope, origin};
use ed25519_dalek::VerifyingKey;

use super::Inbox;
use crate::federation::keyring::{KeyLookupError, KnownKey};
use crate::federation::parking::{Parking, ParkingLot};
use crate::federation::routes;
use crate::kinds::{self, Admission};
use crate::objects::to_new_object;
use crate::store::{PutResult, Store};

/// What one envelope became in the pipeline (`None`: still going).
type Verdicts = Vec<Option<Outcome>>;

fn rejected(check: Check, message: impl Into<String>) -> Option<Outcome> {
    Some(Outcome::Rejected {
        check,
        message: message.into(),
    })
}

impl Inbox {
    /// Checks and stores envelopes that came from `from_peer` (pushed, pulled, or parked
    /// earlier). One outcome per envelope, in order.
    pub async fn ingest(&self, from_peer: &str, envelopes: Vec<Envelope>) -> Vec<Outcome> {
        let count = envelopes.len();
        let mut verdicts: Verdicts = vec![None; count];
        let keys = self
            .resolve_keys(from_peer, &envelopes, &mut verdicts)
            .await;
        let (store, parking) = (self.store.clone(), self.parking.clone());
        let (here, from) = (self.origin.clone(), from_peer.to_owned());
        let notifier = self.notifier.clone();
        let now = self.clock.now_ms();
        let gates = self.gates.clone();
        let joined = tokio::task::spawn_blocking(move || {
            let objects = verify_and_decode(&envelopes, &keys, &mut verdicts);
            let admission = Admission::new(&*store, &here, &from, &gates);
            let stored = store_all(&admission, &*store, &envelopes, objects, &mut verdicts, now);
            let parked = park_all(&parking, &from, &envelopes, &mut verdicts, now);
            // Stored (or parked), flushed, then announced: one step, as for our own objects.
            let durable = if parked > 0 && stored.is_empty() {
                store.flush()
            } else {
                notifier.commit(&*store, stored)
            };
            (verdicts, durable)
        })
        .await;
        let Ok((verdicts, durable)) = joined else {
            let failed = Outcome::Rejected {
                check: Check::Storage,
                message: "ingest task failed".into(),
            };
            return vec![failed; count];
        };
        finish(from_peer, verdicts, durable)
    }

    /// The key of each envelope's origin: cached, or fetched (the origin first, then the
    /// peer that brought it, within what docs/protocol.md §1 lets a relay teach).
    async fn resolve_keys(
        &self,
        from_peer: &str,
        envelopes: &[Envelope],
        verdicts: &mut Verdicts,
    ) -> Vec<Option<KnownKey>> {
        let mut found: BTreeMap<(&str, &str), Result<KnownKey, KeyLookupError>> = BTreeMap::new();
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
            let slot = (env.origin.as_str(), env.key_id.as_str());
            if let std::collections::btree_map::Entry::Vacant(free) = found.entry(slot) {
                let key = self.keyring.key(slot.0, slot.1, Some(from_peer)).await;
                free.insert(key);
            }
            keys.push(match &found[&slot] {
                Ok(known) => Some(*known),
                Err(e @ KeyLookupError::Unavailable { .. }) => {
                    verdicts[i] = Some(Outcome::Parked {
                        message: e.to_string(),
                    });
                    None
                }
                Err(e @ KeyLookupError::Refused { .. }) => {
                    verdicts[i] = rejected(Check::Signature, e.to_string());
                    None
                }
            });
        }
        keys
    }
}

/// Logs refusals and parkings; turns everything stored into a refusal when the flush
/// failed, so the sender tries again.
fn finish(
    from_peer: &str,
    verdicts: Verdicts,
    durable: Result<(), crate::store::StoreError>,
) -> Vec<Outcome> {
    let mut results: Vec<Outcome> = verdicts
        .into_iter()
        .map(|v| v.unwrap_or(Outcome::Duplicate))
        .collect();
    for (i, result) in results.iter().enumerate() {
        match result {
            Outcome::Rejected { check, message } => {
                tracing::warn!(peer = from_peer, index = i, check = %check, message, "envelope refused");
            }
            Outcome::Parked { message } => {
                tracing::warn!(peer = from_peer, index = i, message, "envelope parked");
            }
            Outcome::Stored | Outcome::Duplicate => {}
        }
    }
    if let Err(e) = durable {
        tracing::error!(error = %e, "flush after ingest failed");
        for r in &mut results {
            if matches!(r, Outcome::Stored | Outcome::Parked { .. }) {
                *r = Outcome::Rejected {
                    check: Check::Storage,
                    message: "not durable; retry".into(),
                };
            }
        }
    }
    results
}

/// Signature (batched), a retired key's date, decode, schema and origin checks. CPU only.
fn verify_and_decode(
    envelopes: &[Envelope],
    keys: &[Option<KnownKey>],
    verdicts: &mut Verdicts,
) -> Vec<Option<Object>> {
    let pending: Vec<usize> = (0..envelopes.len())
        .filter(|&i| verdicts[i].is_none() && keys[i].is_some())
        .collect();
    let envs: Vec<&Envelope> = pending.iter().map(|&i| &envelopes[i]).collect();
    let ks: Vec<VerifyingKey> = pending
        .iter()
        .filter_map(|&i| keys[i].map(|k| k.key))
        .collect();
    let sigs = envelope::verify_batch(&envs, &ks);
    let mut objects = vec![None; envelopes.len()];
    for (&i, sig) in pending.iter().zip(sigs) {
        match check_one(&envelopes[i], keys[i], sig) {
            Ok(object) => objects[i] = Some(object),
            Err(verdict) => verdicts[i] = verdict,
        }
    }
    objects
}

fn check_one(
    env: &Envelope,
    key: Option<KnownKey>,
    sig: Result<(), caremesh_federation::error::SignatureError>,
) -> Result<Object, Option<Outcome>> {
    if let Err(e) = sig {
        return Err(rejected(Check::Signature, e.to_string()));
    }
    let object = env
        .decode()
        .map_err(|e| rejected(Check::Decode, e.to_string()))?;
    object
        .validate()
        .map_err(|e| rejected(Check::Schema, e.to_string()))?;
    if object.meta().origin != env.origin {
        return Err(rejected(
            Check::Ownership,
            format!("object origin {} did not sign it", object.meta().origin),
        ));
    }
    if let Some(known) = key
        && !known.valid_at(object.meta().updated_at)
    {
        return Err(rejected(
            Check::Signature,
            format!(
                "key {} of {} was retired at {}; the object says it was made at {}",
                env.key_id,
                env.origin,
                known.valid_until.unwrap_or_default(),
                object.meta().updated_at
            ),
        ));
    }
    Ok(object)
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

/// Parks the envelopes whose key could not be had. Returns how many were parked.
fn park_all(
    parking: &ParkingLot,
    from_peer: &str,
    envelopes: &[Envelope],
    verdicts: &mut Verdicts,
    now: i64,
) -> usize {
    let mut parked = 0;
    for (i, env) in envelopes.iter().enumerate() {
        let Some(Outcome::Parked { message }) = &verdicts[i] else {
            continue;
        };
        verdicts[i] = match parking.park(env, from_peer, now) {
            Ok(Parking::Parked { deadline }) => {
                parked += 1;
                Some(Outcome::Parked {
                    message: format!("{message}; kept and retried until {deadline} (unix ms)"),
                })
            }
            Ok(Parking::Full) => rejected(
                Check::UnknownKey,
                format!(
                    "{message}; too many envelopes of {} wait here already",
                    env.origin
                ),
            ),
            Err(e) => rejected(Check::Storage, e.to_string()),
        };
    }
    parked
}
