//! Erasing a health ID (docs/health.md §11): its record, address and member list entries go;
//! a tombstone `erased:<b>` stays with the time and the members who held or guarded it, so
//! the number is never issued again, late deposits and asks are refused, and those members
//! can still read the audit log of the erasure.

use serde::{Deserialize, Serialize};

use super::{HealthIds, vault_err};
use crate::error::ServiceError;
use crate::health::hid::HealthId;
use crate::store::Space;

/// What remains of an erased ID.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Tombstone {
    at: i64,
    /// Member ids of the holder and guardians at the time.
    members: Vec<String>,
}

impl HealthIds {
    fn tombstone_key(&self, id: &HealthId) -> String {
        self.key("erased", "hid", &id.digits())
    }

    /// Erases `id`: its record, address and the member lists that name it; leaves a
    /// tombstone. The caller erased its profile, records and consents first.
    pub fn erase(&self, id: &HealthId, now: i64) -> Result<(), ServiceError> {
        let _guard = self.issuing.lock().unwrap_or_else(|e| e.into_inner());
        let Some(record) = self.get(id)? else {
            return Ok(());
        };
        let mut members: Vec<String> = record.holder.iter().cloned().collect();
        members.extend(record.guardians.iter().map(|g| g.member_id.clone()));
        members.dedup();
        let tombstone = Tombstone {
            at: now,
            members: members.clone(),
        };
        self.vault
            .put(
                self.store.as_ref(),
                Space::Health,
                &self.tombstone_key(id),
                &tombstone,
            )
            .map_err(vault_err)?;
        for member_id in &members {
            let mut ids = self.member_ids(member_id)?;
            if ids.own == Some(*id) {
                ids.own = None;
            }
            ids.guarded.retain(|g| g != id);
            self.save_member_ids(member_id, &ids)?;
        }
        self.store
            .delete(Space::Health, &self.key("addr", "addr", &record.handle))?;
        self.store.delete(Space::Health, &self.hid_key(id))?;
        Ok(())
    }

    /// The members who held or guarded `id` when it was erased; `None` if it was not.
    pub fn erased_members(&self, id: &HealthId) -> Result<Option<Vec<String>>, ServiceError> {
        let tombstone: Option<Tombstone> = self
            .vault
            .get(
                self.store.as_ref(),
                Space::Health,
                "erased health id",
                &self.tombstone_key(id),
            )
            .map_err(vault_err)?;
        Ok(tombstone.map(|t| t.members))
    }
}
