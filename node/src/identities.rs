//! Identity documents of other nodes, cached in the store (fetching lives in
//! `federation::keyring`).

use std::sync::Arc;

use caremesh_federation::Identity;
use ed25519_dalek::VerifyingKey;

use crate::error::ServiceError;
use crate::store::{Space, Store, record};

/// The cache of identities, keyed by origin.
#[derive(Clone)]
pub struct Identities {
    store: Arc<dyn Store>,
}

impl Identities {
    /// The cache in `store`.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// The cached identity of `origin`.
    pub fn get(&self, origin: &str) -> Result<Option<Identity>, ServiceError> {
        match self.store.get(Space::Identities, origin)? {
            Some(bytes) => {
                let json: String = record::decode("identity", origin, &bytes)?;
                Ok(serde_json::from_str(&json).ok())
            }
            None => Ok(None),
        }
    }

    /// Caches an identity.
    pub fn put(&self, identity: &Identity) -> Result<(), ServiceError> {
        let json = serde_json::to_string(identity).unwrap_or_default();
        self.store
            .put(Space::Identities, &identity.url, &record::encode(&json))?;
        Ok(())
    }

    /// The current key of `origin`, if known and sound.
    pub fn current_key(&self, origin: &str) -> Result<Option<VerifyingKey>, ServiceError> {
        Ok(self
            .get(origin)?
            .and_then(|i| i.current_key())
            .and_then(Result::ok))
    }
}
