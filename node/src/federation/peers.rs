//! The peer set: seed peers from config plus peers added by the admin, the policy for
//! unknown senders, and the blocklist.

use std::sync::Arc;

use caremesh_federation::{Check, origin};
use serde::{Deserialize, Serialize};

use crate::config::{FederationSection, Policy};
use crate::error::ServiceError;
use crate::store::{Space, Store, record};

/// A peer as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Peer {
    pub url: String,
    /// Optional pinned key, unpadded base64.
    pub key: Option<String>,
    /// Where it came from: `config` or `api`.
    pub source: String,
}

/// Peers and policy.
#[derive(Clone)]
pub struct Peers {
    store: Arc<dyn Store>,
    policy: Policy,
    blocklist: Vec<String>,
    own_url: String,
}

impl Peers {
    /// Loads the seed peers from config into the store.
    pub fn new(
        store: Arc<dyn Store>,
        config: &FederationSection,
        own_url: &str,
    ) -> Result<Self, ServiceError> {
        let blocklist = config
            .blocklist
            .iter()
            .map(|u| origin::normalize(u))
            .collect::<Result<_, _>>()
            .map_err(|e| ServiceError::invalid("federation.blocklist", e.to_string()))?;
        let peers = Self {
            store,
            policy: config.policy,
            blocklist,
            own_url: own_url.to_owned(),
        };
        for seed in &config.peers {
            let key = seed
                .key
                .as_ref()
                .map(|k| k.trim_start_matches("ed25519:").to_owned());
            let url = origin::normalize(&seed.url)
                .map_err(|e| ServiceError::invalid("federation.peers.url", e.to_string()))?;
            peers.save(&Peer {
                url,
                key,
                source: "config".into(),
            })?;
        }
        Ok(peers)
    }

    fn save(&self, peer: &Peer) -> Result<(), ServiceError> {
        self.store
            .put(Space::Peers, &peer.url, &record::encode(peer))?;
        Ok(())
    }

    /// Adds a peer (admin API). Returns false when it was already there.
    pub fn add(&self, url: &str, key: Option<String>) -> Result<bool, ServiceError> {
        let url =
            origin::normalize(url).map_err(|e| ServiceError::invalid("url", e.to_string()))?;
        if url == self.own_url {
            return Err(ServiceError::invalid("url", "is this node's own URL"));
        }
        let existed = self.get(&url)?.is_some();
        self.save(&Peer {
            url,
            key,
            source: "api".into(),
        })?;
        Ok(!existed)
    }

    /// A peer by URL.
    pub fn get(&self, url: &str) -> Result<Option<Peer>, ServiceError> {
        match self.store.get(Space::Peers, url)? {
            Some(bytes) => Ok(Some(record::decode("peer", url, &bytes)?)),
            None => Ok(None),
        }
    }

    /// Every peer.
    pub fn list(&self) -> Result<Vec<Peer>, ServiceError> {
        self.store
            .scan(Space::Peers)?
            .into_iter()
            .map(|(k, v)| Ok(record::decode("peer", &k, &v)?))
            .collect()
    }

    /// The peer-policy check for a sender.
    pub fn admit(&self, origin: &str) -> Result<(), (Check, String)> {
        if self.blocklist.iter().any(|b| b == origin) {
            return Err((
                Check::PeerPolicy,
                format!("{origin} is on this node's blocklist"),
            ));
        }
        match self.policy {
            Policy::Open => Ok(()),
            Policy::Allowlist => match self.get(origin) {
                Ok(Some(_)) => Ok(()),
                Ok(None) => Err((
                    Check::PeerPolicy,
                    format!("{origin} is not a peer of this node (policy allowlist)"),
                )),
                Err(e) => Err((Check::Storage, e.to_string())),
            },
        }
    }

    /// True when the origin is blocked.
    pub fn is_blocked(&self, origin: &str) -> bool {
        self.blocklist.iter().any(|b| b == origin)
    }
}

/// A peer URL as stored: its origin in normal form (see `caremesh_federation::origin`), or
/// the text trimmed when it is not an origin (which [`Peers::add`] refuses).
pub fn normalize(url: &str) -> String {
    origin::normalize(url).unwrap_or_else(|_| url.trim().to_owned())
}
