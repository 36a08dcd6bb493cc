//! The audit log of a health ID (docs/health.md §8): every upload, list, read, decision and
//! refused read, with node, member and time. Append-only (there is no call that changes or
//! removes an entry), sealed in pages of [`PAGE`] entries under `audit:<b>:<page>`, and
//! hash-chained: each entry holds the SHA-256 of the one before, so an entry removed or
//! reordered shows when the log is read.

use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::hid::HealthId;
use super::profile::vault_err;
use super::vault::Vault;
use crate::error::ServiceError;
use crate::store::{Space, Store, StoreError};

/// Entries per sealed page.
pub const PAGE: usize = 64;

/// What happened: one list of actions for the log, its API and chat (the protocol crate's
/// vocabulary).
pub use caremesh_federation::vocabulary::AuditAction as Action;

/// One entry; also an item of `GET .../audit` (with `at` formatted by the edge).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Unix ms.
    pub at: i64,
    /// Origin of the actor's node.
    pub node: String,
    /// The actor's handle at that node.
    pub who: String,
    pub action: Action,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_id: Option<String>,
    /// For `refused`: the consent check that failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Chained {
    entry: Entry,
    /// Hex SHA-256 of the previous entry (zeros for the first).
    prev: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Head {
    pages: u32,
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn link_hash(chained: &Chained) -> String {
    let mut h = Sha256::new();
    h.update(chained.prev.as_bytes());
    h.update(crate::store::record::encode(&chained.entry));
    hex::encode(h.finalize())
}

/// Audit logs, sealed with the vault.
#[derive(Clone)]
pub struct AuditLog {
    store: Arc<dyn Store>,
    vault: Vault,
    /// Appends read and write the last page; one at a time keeps the chain whole.
    appending: Arc<Mutex<()>>,
}

impl AuditLog {
    /// Audit logs kept in `store`, sealed by `vault`.
    pub fn new(store: Arc<dyn Store>, vault: Vault) -> Self {
        Self {
            store,
            vault,
            appending: Arc::new(Mutex::new(())),
        }
    }

    fn keys(&self, id: &HealthId) -> (String, String) {
        let b = self.vault.blind("hid", &id.digits());
        (format!("audit-head:{b}"), format!("audit:{b}:"))
    }

    fn page(&self, prefix: &str, n: u32) -> Result<Vec<Chained>, ServiceError> {
        let key = format!("{prefix}{n:06}");
        let page = self
            .vault
            .get(self.store.as_ref(), Space::Health, "audit page", &key)
            .map_err(vault_err)?;
        page.ok_or_else(|| broken(&key, "a page is missing"))
    }

    /// Appends an entry to the log of `id`. The caller flushes the store before it answers.
    pub fn append(&self, id: &HealthId, entry: Entry) -> Result<(), ServiceError> {
        let _guard = self.appending.lock().unwrap_or_else(|e| e.into_inner());
        let (head_key, prefix) = self.keys(id);
        let store = self.store.as_ref();
        let mut head: Head = self
            .vault
            .get(store, Space::Health, "audit head", &head_key)
            .map_err(vault_err)?
            .unwrap_or_default();
        let mut last_page = match head.pages {
            0 => Vec::new(),
            n => self.page(&prefix, n - 1)?,
        };
        let prev = last_page.last().map_or(GENESIS.to_owned(), link_hash);
        let (page_no, mut page) = if head.pages == 0 || last_page.len() >= PAGE {
            (head.pages, Vec::new())
        } else {
            (head.pages - 1, std::mem::take(&mut last_page))
        };
        page.push(Chained { entry, prev });
        let page_key = format!("{prefix}{page_no:06}");
        self.vault
            .put(store, Space::Health, &page_key, &page)
            .map_err(vault_err)?;
        if page_no == head.pages {
            head.pages += 1;
            self.vault
                .put(store, Space::Health, &head_key, &head)
                .map_err(vault_err)?;
        }
        Ok(())
    }

    /// The whole log of `id`, oldest first, after checking the chain.
    pub fn list(&self, id: &HealthId) -> Result<Vec<Entry>, ServiceError> {
        let (head_key, prefix) = self.keys(id);
        let head: Head = self
            .vault
            .get(self.store.as_ref(), Space::Health, "audit head", &head_key)
            .map_err(vault_err)?
            .unwrap_or_default();
        let mut out = Vec::new();
        let mut prev = GENESIS.to_owned();
        for n in 0..head.pages {
            for chained in self.page(&prefix, n)? {
                if chained.prev != prev {
                    return Err(broken(&head_key, "an entry was removed or reordered"));
                }
                prev = link_hash(&chained);
                out.push(chained.entry);
            }
        }
        Ok(out)
    }
}

fn broken(key: &str, problem: &str) -> ServiceError {
    ServiceError::Store(StoreError::Corrupt {
        what: "audit log",
        key: key.to_owned(),
        problem: problem.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::vault::RecordsKey;
    use crate::store::memory::MemoryStore;

    fn log() -> (AuditLog, Arc<MemoryStore>, Vault, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(MemoryStore::new());
        let vault = Vault::local(RecordsKey::generate(), dir.path()).unwrap();
        (
            AuditLog::new(store.clone(), vault.clone()),
            store,
            vault,
            dir,
        )
    }

    fn entry(at: i64, action: Action) -> Entry {
        Entry {
            at,
            node: "https://clinic.example".into(),
            who: "dr.rao".into(),
            action,
            record_id: Some(format!("01JD3V5Q00000000000000{at:04}")),
            consent_id: None,
            check: None,
        }
    }

    #[test]
    fn entries_come_back_in_order_across_pages() {
        let (log, store, _, _dir) = log();
        let a = HealthId::from_parts(91000, 1).unwrap();
        let b = HealthId::from_parts(91000, 2).unwrap();
        for i in 0..(2 * PAGE as i64 + 3) {
            log.append(&a, entry(i, Action::Read)).unwrap();
        }
        log.append(&b, entry(7, Action::Granted)).unwrap();
        let listed = log.list(&a).unwrap();
        assert_eq!(listed.len(), 2 * PAGE + 3);
        assert!(listed.iter().enumerate().all(|(i, e)| e.at == i as i64));
        assert_eq!(log.list(&b).unwrap(), vec![entry(7, Action::Granted)]);
        assert!(
            log.list(&HealthId::from_parts(91000, 3).unwrap())
                .unwrap()
                .is_empty()
        );
        for (key, value) in store.scan(Space::Health).unwrap() {
            assert!(!key.contains(&a.digits()));
            assert!(!String::from_utf8_lossy(&value).contains("dr.rao"));
        }
        let json = serde_json::to_value(&listed[0]).unwrap();
        assert_eq!(json["action"], "read");
        assert!(json.get("consent_id").is_none());
    }

    #[test]
    fn a_removed_entry_shows() {
        let (log, store, vault, _dir) = log();
        let a = HealthId::from_parts(91000, 1).unwrap();
        for i in 0..5 {
            log.append(&a, entry(i, Action::Listed)).unwrap();
        }
        // Someone with the records key drops entry 2 from the sealed page.
        let (_, prefix) = log.keys(&a);
        let key = format!("{prefix}000000");
        let mut page: Vec<Chained> = vault
            .get(store.as_ref(), Space::Health, "p", &key)
            .unwrap()
            .unwrap();
        page.remove(2);
        vault
            .put(store.as_ref(), Space::Health, &key, &page)
            .unwrap();
        let err = log.list(&a).unwrap_err().to_string();
        assert!(err.contains("removed or reordered"), "{err}");
        // A page moved away is missed too.
        store.delete(Space::Health, &key).unwrap();
        assert!(log.list(&a).unwrap_err().to_string().contains("missing"));
    }
}
