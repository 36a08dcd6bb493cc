//! Finding the public key of an origin: the cache first, then the origin's own identity
//! document, then (for origins we cannot reach) the identity the forwarding peer has cached.
//! A pinned peer key in config overrides whatever a document says.

use std::collections::HashMap;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use caremesh_federation::key::decode_public;
use caremesh_federation::{Identity, PeerClient};
use ed25519_dalek::VerifyingKey;

use crate::federation::peers::Peers;
use crate::identities::Identities;

/// Why a key could not be had.
#[derive(Debug, thiserror::Error)]
#[error("no usable key {key_id} for {origin}: {problem}")]
pub struct KeyLookupError {
    pub origin: String,
    pub key_id: String,
    pub problem: String,
}

/// How long a failed lookup is remembered before trying the network again.
const NEGATIVE_TTL: Duration = Duration::from_secs(10);

/// The keys of other nodes.
pub struct Keyring {
    identities: Identities,
    peers: Peers,
    client: PeerClient,
    failures: Mutex<HashMap<(String, String), Instant>>,
    /// Decoded keys, so the hot path skips the store, JSON and point decompression.
    memo: RwLock<HashMap<(String, String), VerifyingKey>>,
}

impl Keyring {
    /// A keyring over the identity cache.
    pub fn new(identities: Identities, peers: Peers, client: PeerClient) -> Self {
        Self {
            identities,
            peers,
            client,
            failures: Mutex::new(HashMap::new()),
            memo: RwLock::default(),
        }
    }

    /// The identity cache.
    pub fn identities(&self) -> &Identities {
        &self.identities
    }

    fn lookup_error(origin: &str, key_id: &str, problem: impl Into<String>) -> KeyLookupError {
        KeyLookupError {
            origin: origin.to_owned(),
            key_id: key_id.to_owned(),
            problem: problem.into(),
        }
    }

    fn cached(&self, origin: &str, key_id: &str) -> Result<Option<VerifyingKey>, KeyLookupError> {
        let slot = (origin.to_owned(), key_id.to_owned());
        if let Some(key) = self.memo.read().ok().and_then(|m| m.get(&slot).copied()) {
            return Ok(Some(key));
        }
        let identity = self
            .identities
            .get(origin)
            .map_err(|e| Self::lookup_error(origin, key_id, e.to_string()))?;
        match identity.and_then(|i| i.key(key_id)) {
            Some(Ok(key)) => {
                if let Ok(mut memo) = self.memo.write() {
                    memo.insert(slot, key);
                }
                Ok(Some(key))
            }
            Some(Err(e)) => Err(Self::lookup_error(origin, key_id, e.to_string())),
            None => Ok(None),
        }
    }

    /// The key `key_id` of `origin`, fetching its identity if needed. `via` is the peer the
    /// object came from, asked when the origin itself does not answer.
    pub async fn key(
        &self,
        origin: &str,
        key_id: &str,
        via: Option<&str>,
    ) -> Result<VerifyingKey, KeyLookupError> {
        if let Some(key) = self.cached(origin, key_id)? {
            return Ok(key);
        }
        let slot = (origin.to_owned(), key_id.to_owned());
        let recently_failed = self
            .failures
            .lock()
            .map(|f| f.get(&slot).is_some_and(|t| t.elapsed() < NEGATIVE_TTL))
            .unwrap_or(false);
        if recently_failed {
            return Err(Self::lookup_error(
                origin,
                key_id,
                "identity lookup failed moments ago",
            ));
        }
        match self.fetch(origin, key_id, via).await {
            Ok(key) => Ok(key),
            Err(e) => {
                if let Ok(mut f) = self.failures.lock() {
                    f.insert(slot, Instant::now());
                }
                Err(e)
            }
        }
    }

    async fn fetch(
        &self,
        origin: &str,
        key_id: &str,
        via: Option<&str>,
    ) -> Result<VerifyingKey, KeyLookupError> {
        let direct = self.client.identity(origin).await;
        let identity = match (direct, via) {
            (Ok(identity), _) => identity,
            (Err(first), Some(peer)) if peer != origin => {
                self.client.identity_via(peer, origin).await.map_err(|e| {
                    Self::lookup_error(origin, key_id, format!("{first}; via {peer}: {e}"))
                })?
            }
            (Err(e), _) => return Err(Self::lookup_error(origin, key_id, e.to_string())),
        };
        self.accept_identity(origin, &identity)?;
        self.cached(origin, key_id)?.ok_or_else(|| {
            Self::lookup_error(origin, key_id, "the identity does not list this key")
        })
    }

    /// Checks a fetched identity (right URL, pinned key) and caches it.
    pub fn accept_identity(&self, origin: &str, identity: &Identity) -> Result<(), KeyLookupError> {
        if identity.url != origin {
            return Err(Self::lookup_error(
                origin,
                "-",
                format!("identity names {} instead", identity.url),
            ));
        }
        for published in &identity.keys {
            decode_public(&published.key)
                .map_err(|e| Self::lookup_error(origin, &published.id, e.to_string()))?;
        }
        if let Ok(Some(peer)) = self.peers.get(origin)
            && let Some(pin) = &peer.key
            && !identity
                .keys
                .iter()
                .any(|k| k.key.trim_end_matches('=') == pin.trim_end_matches('='))
        {
            return Err(Self::lookup_error(
                origin,
                "-",
                "identity does not carry the key pinned in config",
            ));
        }
        if let Ok(mut memo) = self.memo.write() {
            memo.retain(|(o, _), _| o != origin);
        }
        self.identities
            .put(identity)
            .map_err(|e| Self::lookup_error(origin, "-", e.to_string()))
    }
}
