//! Consents held at the home node (`consent:<id>`, and `consents:<b>` listing the ids of one
//! health ID), sealed: the truth every read is checked against. Each keeps the id and
//! version of the signed `consent` object last sent to the asking node, so the next decision
//! is its next version.

use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::consent::Consent;
use super::hid::HealthId;
use super::profile::vault_err;
use super::vault::Vault;
use crate::error::ServiceError;
use crate::store::{Space, Store};

/// A consent at its home node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldConsent {
    pub consent: Consent,
    /// The meta of the `consent` object last sent to the asking node (none before the first
    /// decision, or for an ask made on this node).
    pub object: Option<caremesh_federation::Meta>,
}

/// Consents held here.
#[derive(Clone)]
pub struct Consents {
    store: Arc<dyn Store>,
    vault: Vault,
    writing: Arc<Mutex<()>>,
}

impl Consents {
    /// Consents kept in `store`, sealed by `vault`.
    pub fn new(store: Arc<dyn Store>, vault: Vault) -> Self {
        Self {
            store,
            vault,
            writing: Arc::default(),
        }
    }

    fn index_key(&self, id: &HealthId) -> String {
        format!("consents:{}", self.vault.blind("hid", &id.digits()))
    }

    fn ids(&self, id: &HealthId) -> Result<Vec<String>, ServiceError> {
        let ids = self
            .vault
            .get(
                self.store.as_ref(),
                Space::Health,
                "consent index",
                &self.index_key(id),
            )
            .map_err(vault_err)?;
        Ok(ids.unwrap_or_default())
    }

    /// A consent by id.
    pub fn get(&self, consent_id: &str) -> Result<Option<HeldConsent>, ServiceError> {
        if ulid::Ulid::from_string(consent_id).is_err() {
            return Ok(None);
        }
        self.vault
            .get(
                self.store.as_ref(),
                Space::Health,
                "consent",
                &format!("consent:{consent_id}"),
            )
            .map_err(vault_err)
    }

    /// Writes a consent, adding it to its health ID's list when new.
    pub fn save(&self, held: &HeldConsent) -> Result<(), ServiceError> {
        let _guard = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        let id = &held.consent.id;
        let key = format!("consent:{id}");
        self.vault
            .put(self.store.as_ref(), Space::Health, &key, held)
            .map_err(vault_err)?;
        let mut ids = self.ids(&held.consent.health_id)?;
        if !ids.contains(id) {
            ids.push(id.clone());
            let index = self.index_key(&held.consent.health_id);
            self.vault
                .put(self.store.as_ref(), Space::Health, &index, &ids)
                .map_err(vault_err)?;
        }
        Ok(())
    }

    /// The consents of a health ID, oldest first.
    pub fn for_id(&self, id: &HealthId) -> Result<Vec<HeldConsent>, ServiceError> {
        let mut out = Vec::new();
        for consent_id in self.ids(id)? {
            if let Some(held) = self.get(&consent_id)? {
                out.push(held);
            }
        }
        Ok(out)
    }

    /// Deletes every consent of a health ID (erasure).
    pub fn delete_all(&self, id: &HealthId) -> Result<(), ServiceError> {
        let _guard = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        for consent_id in self.ids(id)? {
            self.store
                .delete(Space::Health, &format!("consent:{consent_id}"))?;
        }
        self.store.delete(Space::Health, &self.index_key(id))?;
        Ok(())
    }
}
