//! What this node keeps about appointments and orders beside the objects, in the store space
//! [`Space::Appointments`], every value sealed with the records key (`health/vault.rs`):
//! they name people. Keys hold only ULIDs: `desk:<booking id>` (a booking this node's
//! facility received, as its desk decided it), `booked:<booking id>` (a booking made here),
//! `avail:<schedule id>:<date>` (the id of that day's availability object), and the order
//! keys of [`crate::orders`].
//!
//! The space is written lazily: whoever writes a record flushes the store before anything
//! that depends on it (an answer, a booking) is published, so a record is on disk before
//! anyone hears of it.

use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ServiceError;
use crate::health::profile::vault_err;
use crate::health::vault::Vault;
use crate::store::{Space, Store};

/// Sealed records of one space.
#[derive(Clone)]
pub struct Records {
    store: Arc<dyn Store>,
    vault: Vault,
}

impl Records {
    /// Records in `store`, sealed with `vault`.
    pub fn new(store: Arc<dyn Store>, vault: Vault) -> Self {
        Self { store, vault }
    }

    /// The record at `key`.
    pub fn get<T: DeserializeOwned>(
        &self,
        what: &'static str,
        key: &str,
    ) -> Result<Option<T>, ServiceError> {
        self.vault
            .get(&*self.store, Space::Appointments, what, key)
            .map_err(vault_err)
    }

    /// Writes the record at `key` (not flushed: see the module's note).
    pub fn put<T: Serialize>(&self, key: &str, value: &T) -> Result<(), ServiceError> {
        self.vault
            .put(&*self.store, Space::Appointments, key, value)
            .map_err(vault_err)
    }

    /// Every record whose key starts with `prefix`, in key order.
    pub fn scan<T: DeserializeOwned>(
        &self,
        what: &'static str,
        prefix: &str,
    ) -> Result<Vec<T>, ServiceError> {
        let mut sealed = Vec::new();
        self.store.visit(Space::Appointments, &mut |key, value| {
            if key.starts_with(prefix) {
                sealed.push((key.to_owned(), value.to_vec()));
            }
        })?;
        sealed
            .into_iter()
            .map(|(key, value)| {
                let plain = self
                    .vault
                    .open_value(Space::Appointments, &key, &value)
                    .map_err(vault_err)?;
                Ok(crate::store::record::decode(what, &key, &plain)?)
            })
            .collect()
    }

    /// Makes every record written so far durable.
    pub fn flush(&self) -> Result<(), ServiceError> {
        Ok(self.store.flush()?)
    }
}
