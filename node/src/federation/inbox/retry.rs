//! Retrying parked envelopes (see [`crate::federation::parking`]) through the same checks
//! as any push.

use caremesh_federation::{Envelope, Outcome, codec};

use super::Inbox;
use crate::federation::parking::Parked;

impl Inbox {
    /// Retries the parked envelopes that are due now, or every parked envelope of
    /// `origin` (its keys were just learned). Returns how many were stored.
    pub async fn retry_parked(&self, origin: Option<&str>) -> usize {
        if !self.parking.holds(origin) {
            return 0;
        }
        let due = self.parking.due(self.clock.now_ms(), origin);
        let mut stored = 0;
        // One ingest per peer that brought them, in pushes of at most a batch.
        let mut by_peer: Vec<(String, Vec<(String, Parked)>)> = Vec::new();
        for (key, entry) in due {
            match by_peer.iter_mut().find(|(p, _)| *p == entry.from_peer) {
                Some((_, list)) => list.push((key, entry)),
                None => by_peer.push((entry.from_peer.clone(), vec![(key, entry)])),
            }
        }
        for (peer, entries) in by_peer {
            for chunk in entries.chunks(caremesh_federation::batch::MAX_BATCH_ENVELOPES) {
                stored += self.retry_chunk(&peer, chunk).await;
            }
        }
        stored
    }

    async fn retry_chunk(&self, peer: &str, chunk: &[(String, Parked)]) -> usize {
        let mut keys = Vec::new();
        let mut envelopes: Vec<Envelope> = Vec::new();
        for (key, entry) in chunk {
            match codec::decode::<Envelope>("parked envelope", &entry.envelope) {
                Ok(env) => {
                    keys.push(key.as_str());
                    envelopes.push(env);
                }
                Err(_) => self.parking.settle(key, false),
            }
        }
        let outcomes = self.ingest(peer, envelopes).await;
        let mut stored = 0;
        for (key, outcome) in keys.into_iter().zip(outcomes) {
            match outcome {
                // `ingest` counted one more try and set the next one.
                Outcome::Parked { .. } => {}
                Outcome::Stored => {
                    stored += 1;
                    tracing::info!(entry = key, "parked envelope stored");
                    self.parking.settle(key, true);
                }
                Outcome::Duplicate => self.parking.settle(key, true),
                Outcome::Rejected { check, message } => {
                    tracing::warn!(entry = key, check = %check, message, "parked envelope refused");
                    self.parking.settle(key, false);
                }
            }
        }
        stored
    }
}
