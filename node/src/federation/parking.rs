//! Envelopes that cannot be verified yet (their origin's key is not to be had: the origin
//! does not answer, or only a relay vouches for a key) are parked instead of holding up the
//! link they came on: kept in the store (space [`Space::Parked`]), answered `parked`, so
//! the sender's outbox and our pull move on, and retried, with a backoff, until they verify
//! or their deadline passes. When the keyring learns keys of an origin, that origin's
//! parked envelopes are retried at once. Counts go to `/metrics`, each event to the log.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use caremesh_federation::{Envelope, codec};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::store::{Space, Store, StoreError, record};

/// How long an envelope stays parked before it is dropped, in ms (a day).
pub const DEADLINE_MS: i64 = 86_400_000;
/// First retry after this long, in ms; then twice as long each time, up to an hour. (An
/// origin's parked envelopes are also retried at once whenever the origin answers a fetch
/// of its identity: see [`crate::federation::keyring`].)
pub const FIRST_RETRY_MS: i64 = 5_000;
const LAST_RETRY_MS: i64 = 3_600_000;
/// Most envelopes parked for one origin, and in all.
const PER_ORIGIN: usize = 1_000;
const IN_ALL: usize = 20_000;

/// One parked envelope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parked {
    /// The envelope, encoded as it arrived.
    #[serde(with = "serde_bytes")]
    pub envelope: Vec<u8>,
    /// The peer that brought it (asked for the origin's identity if the origin is silent).
    pub from_peer: String,
    pub parked_at: i64,
    pub tries: u32,
    pub next_try: i64,
}

/// What happened when an envelope was offered to the parking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parking {
    /// Parked (again); it will be retried.
    Parked { deadline: i64 },
    /// No room: too many parked for its origin or in all.
    Full,
}

/// What the parking counts, for `/metrics`.
#[derive(Default, Debug)]
pub struct ParkCounts {
    /// Envelopes parked now (a gauge).
    pub now: AtomicU64,
    /// Counters: parked, later stored, dropped at their deadline.
    pub parked_total: AtomicU64,
    pub stored_total: AtomicU64,
    pub expired_total: AtomicU64,
}

impl ParkCounts {
    /// `(name, help, value)` for the metrics page.
    pub fn gauges(&self) -> [(&'static str, &'static str, f64); 4] {
        let get = |n: &AtomicU64| n.load(Ordering::Relaxed) as f64;
        [
            (
                "parked_envelopes",
                "Envelopes kept until their origin's key is known.",
                get(&self.now),
            ),
            (
                "parked_envelopes_parked",
                "Envelopes parked since start.",
                get(&self.parked_total),
            ),
            (
                "parked_envelopes_stored",
                "Parked envelopes stored on a retry since start.",
                get(&self.stored_total),
            ),
            (
                "parked_envelopes_expired",
                "Parked envelopes dropped at their deadline since start.",
                get(&self.expired_total),
            ),
        ]
    }
}

/// The parked envelopes in the store.
#[derive(Clone)]
pub struct ParkingLot {
    store: Arc<dyn Store>,
    pub counts: Arc<ParkCounts>,
    /// Entries per origin (an origin is at most [`caremesh_federation::origin::MAX_ORIGIN`] bytes and the lot
    /// holds at most [`IN_ALL`] entries, so this stays small).
    per_origin: Arc<Mutex<BTreeMap<String, usize>>>,
}

/// `origin key_id sha256(envelope)`: one entry per distinct envelope, listed by origin.
/// (Origins hold no spaces, so the origin is the key's first word.)
fn key_of(envelope: &Envelope, bytes: &[u8]) -> String {
    format!(
        "{} {} {}",
        envelope.origin,
        envelope.key_id,
        hex::encode(Sha256::digest(bytes))
    )
}

fn backoff(tries: u32) -> i64 {
    FIRST_RETRY_MS
        .saturating_mul(1 << tries.min(10))
        .min(LAST_RETRY_MS)
}

impl ParkingLot {
    /// The parking in `store`, counting what is already there.
    pub fn new(store: Arc<dyn Store>) -> Self {
        let mut per_origin = BTreeMap::new();
        let mut count = 0;
        let visited = store.visit(Space::Parked, &mut |key, _| {
            count += 1;
            let origin = key.split(' ').next().unwrap_or_default();
            *per_origin.entry(origin.to_owned()).or_insert(0) += 1;
        });
        if let Err(e) = visited {
            tracing::warn!(error = %e, "cannot count parked envelopes");
        }
        let counts = ParkCounts::default();
        counts.now.store(count, Ordering::Relaxed);
        Self {
            store,
            counts: Arc::new(counts),
            per_origin: Arc::new(Mutex::new(per_origin)),
        }
    }

    fn per_origin(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, usize>> {
        self.per_origin.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Parks `envelope` from `from_peer`, or counts one more try of it.
    pub fn park(
        &self,
        envelope: &Envelope,
        from_peer: &str,
        now: i64,
    ) -> Result<Parking, StoreError> {
        let bytes = codec::encode("envelope", envelope).unwrap_or_default();
        let key = key_of(envelope, &bytes);
        let entry = match self.store.get(Space::Parked, &key)? {
            Some(old) => {
                let old: Parked = record::decode("parked envelope", &key, &old)?;
                Parked {
                    tries: old.tries.saturating_add(1),
                    next_try: now + backoff(old.tries.saturating_add(1)),
                    ..old
                }
            }
            None => {
                let mut per_origin = self.per_origin();
                let of_origin = per_origin.entry(envelope.origin.clone()).or_insert(0);
                if *of_origin >= PER_ORIGIN
                    || self.counts.now.load(Ordering::Relaxed) as usize >= IN_ALL
                {
                    return Ok(Parking::Full);
                }
                *of_origin += 1;
                self.counts.now.fetch_add(1, Ordering::Relaxed);
                self.counts.parked_total.fetch_add(1, Ordering::Relaxed);
                Parked {
                    envelope: bytes,
                    from_peer: from_peer.to_owned(),
                    parked_at: now,
                    tries: 0,
                    next_try: now + backoff(0),
                }
            }
        };
        self.store
            .put(Space::Parked, &key, &record::encode(&entry))?;
        Ok(Parking::Parked {
            deadline: entry.parked_at + DEADLINE_MS,
        })
    }

    /// True when something is parked (of `origin`, or of anyone).
    pub fn holds(&self, origin: Option<&str>) -> bool {
        match origin {
            Some(origin) => self.per_origin().contains_key(origin),
            None => self.counts.now.load(Ordering::Relaxed) > 0,
        }
    }

    /// Entries to retry now: those due at `now` (or every entry of `origin`), oldest
    /// deadlines first; entries past their deadline are dropped and counted.
    pub fn due(&self, now: i64, origin: Option<&str>) -> Vec<(String, Parked)> {
        let mut due = Vec::new();
        let mut expired = Vec::new();
        let visited = self.store.visit(Space::Parked, &mut |key, value| {
            let Ok(entry) = record::decode::<Parked>("parked envelope", key, value) else {
                expired.push(key.to_owned());
                return;
            };
            if entry.parked_at + DEADLINE_MS < now {
                expired.push(key.to_owned());
            } else if origin.map_or(entry.next_try <= now, |o| key.starts_with(&format!("{o} "))) {
                due.push((key.to_owned(), entry));
            }
        });
        if let Err(e) = visited {
            tracing::warn!(error = %e, "cannot read parked envelopes");
        }
        for key in expired {
            tracing::warn!(entry = %key, "parked envelope dropped: its origin's key never came");
            self.counts.expired_total.fetch_add(1, Ordering::Relaxed);
            self.forget(&key);
        }
        due.sort_by_key(|(_, e)| e.parked_at);
        due
    }

    /// Removes an entry that was stored or refused on retry.
    pub fn settle(&self, key: &str, stored: bool) {
        if stored {
            self.counts.stored_total.fetch_add(1, Ordering::Relaxed);
        }
        self.forget(key);
    }

    fn forget(&self, key: &str) {
        match self.store.delete(Space::Parked, key) {
            Ok(true) => {
                let _ = self
                    .counts
                    .now
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1));
                let origin = key.split(' ').next().unwrap_or_default();
                let mut per_origin = self.per_origin();
                if let Some(n) = per_origin.get_mut(origin) {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        per_origin.remove(origin);
                    }
                }
            }
            Ok(false) => {}
            Err(e) => tracing::warn!(entry = key, error = %e, "cannot drop a parked envelope"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::memory::MemoryStore;
    use caremesh_federation::Kind;

    fn envelope(origin: &str, n: u8) -> Envelope {
        Envelope {
            kind: Kind::Request,
            origin: origin.into(),
            key_id: "ed25519:1".into(),
            body: vec![n],
            sig: vec![0; 64],
        }
    }

    #[test]
    fn parks_retries_with_backoff_and_expires() {
        let lot = ParkingLot::new(Arc::new(MemoryStore::new()));
        let env = envelope("http://x", 1);
        assert_eq!(
            lot.park(&env, "http://p", 0).unwrap(),
            Parking::Parked {
                deadline: DEADLINE_MS
            }
        );
        // The same envelope again is one more try of the same entry.
        lot.park(&env, "http://p", 10).unwrap();
        assert_eq!(lot.counts.now.load(Ordering::Relaxed), 1);
        assert!(lot.due(20, None).is_empty(), "not due before its backoff");
        let due = lot.due(10 + backoff(1), None);
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].1.tries, 1);
        assert_eq!(
            lot.due(20, Some("http://x")).len(),
            1,
            "an origin's entries on demand"
        );
        assert!(lot.due(20, Some("http://y")).is_empty());
        lot.park(&envelope("http://x", 2), "http://p", 0).unwrap();
        lot.settle(&due[0].0, true);
        assert_eq!(lot.counts.stored_total.load(Ordering::Relaxed), 1);
        assert!(lot.due(DEADLINE_MS + 1, None).is_empty());
        assert_eq!(lot.counts.expired_total.load(Ordering::Relaxed), 1);
        assert_eq!(lot.counts.now.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn an_origin_cannot_fill_the_lot() {
        let lot = ParkingLot::new(Arc::new(MemoryStore::new()));
        for i in 0..PER_ORIGIN {
            let env = Envelope {
                body: (i as u32).to_be_bytes().to_vec(),
                ..envelope("http://x", 0)
            };
            assert!(matches!(
                lot.park(&env, "http://p", 0).unwrap(),
                Parking::Parked { .. }
            ));
        }
        assert_eq!(
            lot.park(&envelope("http://x", 9), "http://p", 0).unwrap(),
            Parking::Full
        );
        assert!(matches!(
            lot.park(&envelope("http://y", 9), "http://p", 0).unwrap(),
            Parking::Parked { .. }
        ));
    }
}
