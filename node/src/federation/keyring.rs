//! Finding the public key of an origin, by the rules of docs/protocol.md §1 ("Learning
//! keys", implemented by [`caremesh_federation::identity::learn`]):
//! - this node's own origin is checked against its own keys only, never a key learned
//!   from anyone;
//! - the cache comes first; the network only for a key id not known yet, at most once per
//!   origin every [`FETCH_INTERVAL`] (every [`UNANSWERED_FETCH_INTERVAL`] while the origin
//!   does not answer, as when it restarts after a key rotation) and a few fetches at a time;
//! - every fetch the origin itself answers is announced ([`Keyring::learned`]), so the
//!   envelopes of that origin that were parked are retried at once;
//! - the origin's own document may add keys; a document relayed by the peer that brought
//!   an object is taken whole only for an origin nothing is known of, and otherwise only
//!   teaches rotations signed by a key already known; a known key id never changes value.
//!
//! A pinned peer key in config must be among the keys a peer's document lists.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use caremesh_federation::client::PeerError;
use caremesh_federation::identity::{Source, learn};
use caremesh_federation::{Identity, PeerClient};
use ed25519_dalek::VerifyingKey;
use hashlink::LruCache;
use tokio::sync::{Notify, Semaphore};

use crate::federation::peers::Peers;
use crate::identities::Identities;

/// Why a key could not be had.
#[derive(Debug, thiserror::Error)]
pub enum KeyLookupError {
    /// Not known here yet, and not to be had now (the origin does not answer, was asked
    /// moments ago, or only a relay answered): worth another try later.
    #[error("key {key_id} of {origin} is not known here yet: {problem}")]
    Unavailable {
        origin: String,
        key_id: String,
        problem: String,
    },
    /// Known not to be a key of the origin (the origin does not list it, or it would
    /// replace a known key): anything signed with it is refused.
    #[error("key {key_id} of {origin} is refused: {problem}")]
    Refused {
        origin: String,
        key_id: String,
        problem: String,
    },
}

/// A public key of an origin, with the end of its validity if it was retired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KnownKey {
    pub key: VerifyingKey,
    /// Unix ms after which it signs nothing new.
    pub valid_until: Option<i64>,
}

impl KnownKey {
    /// True when something made at `at_ms` may carry this key's signature.
    pub fn valid_at(&self, at_ms: i64) -> bool {
        self.valid_until.is_none_or(|until| at_ms <= until)
    }
}

/// The least time between two identity fetches for one origin.
pub const FETCH_INTERVAL: Duration = Duration::from_secs(10);
/// The least time between two identity fetches for one origin when the last one found no
/// answer (no connection or a timeout): short, so a node back from a restart is heard soon.
pub const UNANSWERED_FETCH_INTERVAL: Duration = Duration::from_secs(2);
/// Identity fetches in flight at once, over all origins.
const FETCHES_AT_ONCE: usize = 8;
/// Decoded keys kept in memory.
const MEMO_ENTRIES: usize = 8_192;
/// Origins whose last fetch time is remembered.
const FETCH_ENTRIES: usize = 4_096;

type Slot = (String, String);

/// The last identity fetch of an origin.
#[derive(Clone, Copy)]
struct Fetched {
    at: Instant,
    /// False when the origin did not answer at all.
    answered: bool,
}

impl Fetched {
    /// How long until the origin may be fetched again; zero when it may be now.
    fn wait(&self) -> Duration {
        let interval = if self.answered {
            FETCH_INTERVAL
        } else {
            UNANSWERED_FETCH_INTERVAL
        };
        interval.saturating_sub(self.at.elapsed())
    }

    fn too_recent(&self) -> bool {
        !self.wait().is_zero()
    }
}

/// The keys of other nodes, and this node's own.
pub struct Keyring {
    own: Arc<Identity>,
    identities: Identities,
    peers: Peers,
    client: PeerClient,
    /// When each origin's identity was last fetched (or tried), and whether it answered.
    fetched: Mutex<LruCache<String, Fetched>>,
    fetching: Semaphore,
    /// Decoded keys, so the hot path skips the store, JSON and point decompression.
    memo: Mutex<LruCache<Slot, KnownKey>>,
    /// Origins whose keys were learned since the last [`Keyring::learned`].
    news: Mutex<BTreeSet<String>>,
    news_ready: Notify,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn unavailable(origin: &str, key_id: &str, problem: impl Into<String>) -> KeyLookupError {
    KeyLookupError::Unavailable {
        origin: origin.to_owned(),
        key_id: key_id.to_owned(),
        problem: problem.into(),
    }
}

fn refused(origin: &str, key_id: &str, problem: impl Into<String>) -> KeyLookupError {
    KeyLookupError::Refused {
        origin: origin.to_owned(),
        key_id: key_id.to_owned(),
        problem: problem.into(),
    }
}

impl Keyring {
    /// A keyring for the node whose identity is `own`, over the identity cache.
    pub fn new(
        own: Arc<Identity>,
        identities: Identities,
        peers: Peers,
        client: PeerClient,
    ) -> Self {
        Self {
            own,
            identities,
            peers,
            client,
            fetched: Mutex::new(LruCache::new(FETCH_ENTRIES)),
            fetching: Semaphore::new(FETCHES_AT_ONCE),
            memo: Mutex::new(LruCache::new(MEMO_ENTRIES)),
            news: Mutex::default(),
            news_ready: Notify::new(),
        }
    }

    /// Waits until keys of some origins were learned, and names them (for the parking,
    /// whose envelopes of those origins may verify now).
    pub async fn learned(&self) -> Vec<String> {
        self.news_ready.notified().await;
        std::mem::take(&mut *lock(&self.news)).into_iter().collect()
    }

    /// The identity cache.
    pub fn identities(&self) -> &Identities {
        &self.identities
    }

    /// The key if it is known here, without any network.
    pub fn cached(&self, origin: &str, key_id: &str) -> Result<Option<KnownKey>, KeyLookupError> {
        let slot = (origin.to_owned(), key_id.to_owned());
        let mut memo = lock(&self.memo);
        if let Some(known) = memo.get(&slot).copied() {
            return Ok(Some(known));
        }
        // Read and remembered under the memo's lock, which `accept` holds while it stores a
        // newer identity and forgets the origin's keys: a key read from the identity before
        // cannot be remembered after that (an old key without its retirement would let a
        // stolen copy sign new objects).
        let identity = if origin == self.own.url {
            Some((*self.own).clone())
        } else {
            self.identities
                .get(origin)
                .map_err(|e| unavailable(origin, key_id, e.to_string()))?
        };
        let Some(published) = identity.as_ref().and_then(|i| i.published(key_id)) else {
            return Ok(None);
        };
        let key = caremesh_federation::key::decode_public(&published.key)
            .map_err(|e| refused(origin, key_id, e.to_string()))?;
        let known = KnownKey {
            key,
            valid_until: published.valid_until,
        };
        memo.insert(slot, known);
        Ok(Some(known))
    }

    /// When `key_id` of `origin` is not known and its identity may not be fetched yet: how
    /// long until it may (so a sender refused for it can be told when to try again).
    pub fn fetch_wait(&self, origin: &str, key_id: &str) -> Option<Duration> {
        if matches!(self.cached(origin, key_id), Ok(Some(_))) {
            return None;
        }
        let wait = lock(&self.fetched).peek(origin).map(Fetched::wait)?;
        (!wait.is_zero()).then_some(wait)
    }

    /// The key `key_id` of `origin`, fetching the origin's identity if the key is not
    /// known. `via` is the peer the object came from, asked when the origin does not answer.
    pub async fn key(
        &self,
        origin: &str,
        key_id: &str,
        via: Option<&str>,
    ) -> Result<KnownKey, KeyLookupError> {
        if let Some(known) = self.cached(origin, key_id)? {
            return Ok(known);
        }
        if origin == self.own.url {
            return Err(refused(origin, key_id, "this node has no such key"));
        }
        {
            let mut fetched = lock(&self.fetched);
            if fetched.get(origin).is_some_and(Fetched::too_recent) {
                return Err(unavailable(
                    origin,
                    key_id,
                    "its identity was fetched moments ago",
                ));
            }
            // Counted as answered while in flight, so that concurrent lookups wait.
            let now = Fetched {
                at: Instant::now(),
                answered: true,
            };
            fetched.insert(origin.to_owned(), now);
        }
        let Ok(_permit) = self.fetching.try_acquire() else {
            return Err(unavailable(
                origin,
                key_id,
                "too many identity fetches at once",
            ));
        };
        self.fetch(origin, key_id, via).await
    }

    async fn fetch(
        &self,
        origin: &str,
        key_id: &str,
        via: Option<&str>,
    ) -> Result<KnownKey, KeyLookupError> {
        let from_origin = self.client.identity(origin).await;
        if let Err(PeerError::Transport { .. }) = &from_origin {
            let unanswered = Fetched {
                at: Instant::now(),
                answered: false,
            };
            lock(&self.fetched).insert(origin.to_owned(), unanswered);
        }
        let source = match (from_origin, via) {
            (Ok(identity), _) => {
                self.accept(origin, &identity, Source::Origin)?;
                // Even unchanged: what was parked while the origin was silent may verify,
                // or be refused for good, now.
                self.announce(origin);
                Source::Origin
            }
            (Err(first), Some(peer)) if peer != origin => {
                let identity = self.client.identity_via(peer, origin).await.map_err(|e| {
                    unavailable(origin, key_id, format!("{first}; via {peer}: {e}"))
                })?;
                self.accept(origin, &identity, Source::Relay)
                    .map_err(|e| unavailable(origin, key_id, e.to_string()))?;
                Source::Relay
            }
            (Err(e), _) => return Err(unavailable(origin, key_id, e.to_string())),
        };
        match (self.cached(origin, key_id)?, source) {
            (Some(known), _) => Ok(known),
            (None, Source::Origin) => Err(refused(origin, key_id, "the origin does not list it")),
            (None, Source::Relay) => Err(unavailable(
                origin,
                key_id,
                "a relay cannot vouch for it; waiting for the origin",
            )),
        }
    }

    /// Learns from an identity document of `origin` what the protocol allows from
    /// `source`, checks a pinned key, and caches the result.
    pub fn accept(
        &self,
        origin: &str,
        offered: &Identity,
        source: Source,
    ) -> Result<(), KeyLookupError> {
        if origin == self.own.url {
            return Err(refused(origin, "-", "this node's keys are its own"));
        }
        let known = self
            .identities
            .get(origin)
            .map_err(|e| unavailable(origin, "-", e.to_string()))?;
        let learned = learn(origin, known.as_ref(), offered, source).map_err(|e| {
            tracing::warn!(origin, ?source, error = %e, "identity refused");
            refused(origin, "-", e.to_string())
        })?;
        if !learned.ignored.is_empty() {
            tracing::info!(origin, ?source, ignored = ?learned.ignored, "keys not learned");
        }
        if let Ok(Some(peer)) = self.peers.get(origin)
            && let Some(pin) = &peer.key
            && !learned
                .identity
                .keys
                .iter()
                .any(|k| k.key.trim_end_matches('=') == pin.trim_end_matches('='))
        {
            return Err(refused(
                origin,
                "-",
                "the identity lacks the key pinned in config",
            ));
        }
        if known.as_ref() == Some(&learned.identity) {
            return Ok(());
        }
        // Stored, then the origin's remembered keys forgotten, under the memo's lock (see
        // `cached`): no reader remembers a key of the identity replaced.
        let mut memo = lock(&self.memo);
        self.identities
            .put(&learned.identity)
            .map_err(|e| unavailable(origin, "-", e.to_string()))?;
        let stale: Vec<Slot> = memo
            .iter()
            .filter(|((o, _), _)| o == origin)
            .map(|(slot, _)| slot.clone())
            .collect();
        for slot in stale {
            memo.remove(&slot);
        }
        drop(memo);
        self.announce(origin);
        Ok(())
    }

    /// Tells [`Keyring::learned`] that keys of `origin` may verify more now.
    fn announce(&self, origin: &str) {
        let mut news = lock(&self.news);
        if news.len() < FETCH_ENTRIES {
            news.insert(origin.to_owned());
        }
        self.news_ready.notify_one();
    }
}

#[cfg(test)]
mod tests;
