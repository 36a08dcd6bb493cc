//! Ids of imported listings, bound to this node. An id made from the source reference alone
//! (`node/123` of OpenStreetMap) is known to everyone before the import runs, so a hostile
//! peer could publish under it first and the honest import would find the id taken. Here an
//! id is a keyed hash of this node's origin and the reference, with a random 32-byte secret
//! kept in the store (`settings/import_salt`, made at the first import): the same node
//! importing the same file again finds the same ids (idempotent), nobody else can compute
//! them in advance, and two nodes importing the same dataset get different ids.
//!
//! Listings imported before ids were bound (by [`import_id`] of the reference alone) keep
//! their id when it is still this node's own, so members and needs that name them stay
//! valid; an old id held by another origin is left to it and the row gets a bound id.

use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::directory::import::{IMPORT_ID_MS, import_id};
use crate::error::ServiceError;
use crate::store::{Space, Store};

const SALT_KEY: &str = "import_salt";

/// Makes the ids of one node's imported listings.
pub struct ImportIds {
    salt: [u8; 32],
    origin: String,
}

impl ImportIds {
    /// The ids of `origin`'s imports, with the secret kept in `store` (made if absent).
    pub fn of(store: &dyn Store, origin: &str) -> Result<Self, ServiceError> {
        let mut fresh = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut fresh);
        // Two imports starting at once agree: the first secret written wins.
        store.insert_new(Space::Settings, SALT_KEY, &fresh)?;
        let stored =
            store
                .get(Space::Settings, SALT_KEY)?
                .ok_or_else(|| ServiceError::Corrupt {
                    id: SALT_KEY.into(),
                    problem: "the import secret vanished after it was written".into(),
                })?;
        let salt = stored.try_into().map_err(|_| ServiceError::Corrupt {
            id: SALT_KEY.into(),
            problem: "the import secret is not 32 bytes".into(),
        })?;
        Ok(Self {
            salt,
            origin: origin.to_owned(),
        })
    }

    /// The bound id of a source reference: a ULID with a fixed timestamp and 80 bits of
    /// SHA-256(secret, origin, reference).
    pub fn bound(&self, source_ref: &str) -> String {
        let mut hash = Sha256::new();
        hash.update(self.salt);
        hash.update(self.origin.as_bytes());
        hash.update([0u8]);
        hash.update(source_ref.as_bytes());
        let digest = hash.finalize();
        let mut first = [0u8; 16];
        first.copy_from_slice(&digest[..16]);
        let bits = u128::from_be_bytes(first) & ((1u128 << 80) - 1);
        ulid::Ulid::from_parts(IMPORT_ID_MS, bits).to_string()
    }

    /// The id a row gets: its bound id, or its unbound id from before when this node
    /// already holds a listing of its own there (and none under the bound id). `owner_of`
    /// answers the origin of a stored listing.
    pub fn for_row(
        &self,
        source_ref: &str,
        origin_of: impl Fn(&str) -> Result<Option<String>, ServiceError>,
    ) -> Result<String, ServiceError> {
        let bound = self.bound(source_ref);
        if origin_of(&bound)?.is_some() {
            return Ok(bound);
        }
        let legacy = import_id(source_ref);
        if origin_of(&legacy)?.as_deref() == Some(self.origin.as_str()) {
            return Ok(legacy);
        }
        Ok(bound)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::store::memory::MemoryStore;

    #[test]
    fn ids_are_stable_per_node_and_unpredictable_elsewhere() {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let a = ImportIds::of(&*store, "http://a.test").unwrap();
        let again = ImportIds::of(&*store, "http://a.test").unwrap();
        assert_eq!(
            a.bound("node/1"),
            again.bound("node/1"),
            "re-import finds its ids"
        );
        assert_ne!(a.bound("node/1"), a.bound("node/2"));
        assert_ne!(
            a.bound("node/1"),
            import_id("node/1"),
            "not the public hash"
        );
        let other_store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let same_origin_other_secret = ImportIds::of(&*other_store, "http://a.test").unwrap();
        assert_ne!(a.bound("node/1"), same_origin_other_secret.bound("node/1"));
        assert!(ulid::Ulid::from_string(&a.bound("node/1")).is_ok());
    }

    #[test]
    fn old_ids_are_kept_only_when_they_are_ours() {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let ids = ImportIds::of(&*store, "http://a.test").unwrap();
        let legacy = import_id("node/1");
        let held_by = |origin: &'static str| {
            let legacy = legacy.clone();
            move |id: &str| Ok((id == legacy).then(|| origin.to_owned()))
        };
        assert_eq!(
            ids.for_row("node/1", held_by("http://a.test")).unwrap(),
            legacy
        );
        assert_eq!(
            ids.for_row("node/1", held_by("http://rogue.test")).unwrap(),
            ids.bound("node/1"),
            "a squatted old id is left to its holder"
        );
        assert_eq!(
            ids.for_row("node/1", |_| Ok(None)).unwrap(),
            ids.bound("node/1")
        );
    }
}
