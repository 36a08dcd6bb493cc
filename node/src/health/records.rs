//! The record index of each health ID at its home node (`records:<b>`, sealed): what records
//! it holds, in upload order. The bytes are in the vault's record storage.

use std::sync::{Arc, Mutex};

use super::hid::HealthId;
use super::profile::vault_err;
use super::record::RecordMeta;
use super::vault::Vault;
use crate::error::ServiceError;
use crate::store::{Space, Store};

/// Record indexes, sealed with the vault.
#[derive(Clone)]
pub struct RecordIndex {
    store: Arc<dyn Store>,
    vault: Vault,
    /// Adds and removals read and rewrite a list; one at a time keeps none lost.
    writing: Arc<Mutex<()>>,
}

impl RecordIndex {
    /// Indexes kept in `store`, sealed by `vault`.
    pub fn new(store: Arc<dyn Store>, vault: Vault) -> Self {
        Self {
            store,
            vault,
            writing: Arc::default(),
        }
    }

    fn key(&self, id: &HealthId) -> String {
        format!("records:{}", self.vault.blind("hid", &id.digits()))
    }

    /// The records of `id`, oldest first.
    pub fn list(&self, id: &HealthId) -> Result<Vec<RecordMeta>, ServiceError> {
        let list = self
            .vault
            .get(
                self.store.as_ref(),
                Space::Health,
                "record index",
                &self.key(id),
            )
            .map_err(vault_err)?;
        Ok(list.unwrap_or_default())
    }

    /// One record of `id`.
    pub fn get(&self, id: &HealthId, record_id: &str) -> Result<Option<RecordMeta>, ServiceError> {
        Ok(self.list(id)?.into_iter().find(|r| r.id == record_id))
    }

    fn save(&self, id: &HealthId, list: &[RecordMeta]) -> Result<(), ServiceError> {
        self.vault
            .put(self.store.as_ref(), Space::Health, &self.key(id), &list)
            .map_err(vault_err)
    }

    /// Adds a record (again: replaces it, so a retried completion adds nothing twice).
    pub fn add(&self, id: &HealthId, record: RecordMeta) -> Result<(), ServiceError> {
        let _guard = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        let mut list = self.list(id)?;
        list.retain(|r| r.id != record.id);
        list.push(record);
        self.save(id, &list)
    }

    /// Removes a record; false when it was not there.
    pub fn remove(&self, id: &HealthId, record_id: &str) -> Result<bool, ServiceError> {
        let _guard = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        let mut list = self.list(id)?;
        let before = list.len();
        list.retain(|r| r.id != record_id);
        if list.len() == before {
            return Ok(false);
        }
        self.save(id, &list)?;
        Ok(true)
    }

    /// Removes the whole index of `id` (erasure).
    pub fn delete(&self, id: &HealthId) -> Result<(), ServiceError> {
        self.store.delete(Space::Health, &self.key(id))?;
        Ok(())
    }
}
