//! The owner index of the sled store: which objects each local member made, so that a
//! member's quotas read that member's own objects instead of every object of the node.
//!
//! Keys are `owner \0 kind-code id`, values empty. A key is written just before its owner
//! record, in the same store operation as the object (`SledStore::commit`), so after a
//! crash an object on disk has its key; a key whose object or owner record is missing (a
//! crash in between, a removed object) is skipped by readers. A database from before the
//! index is indexed once at open from its owner records; the empty key marks that done.

use caremesh_federation::Kind;

use super::{SledStore, db_err, object_key, text_key};
use crate::store::{Space, Store, StoreError, StoredObject};

/// Marks a database whose owner records are all in the index.
const INDEXED: &[u8] = b"";

fn index_key(owner: &str, kind: Kind, id: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(owner.len() + 2 + id.len());
    key.extend_from_slice(owner.as_bytes());
    key.push(0);
    key.push(kind.code());
    key.extend_from_slice(id.as_bytes());
    key
}

fn owner_prefix(owner: &str, kind: Kind) -> Vec<u8> {
    index_key(owner, kind, "")
}

impl SledStore {
    /// Indexes `id` as made by `owner`.
    pub(super) fn index_owner(&self, owner: &str, kind: Kind, id: &str) -> Result<(), StoreError> {
        self.owned
            .insert(index_key(owner, kind, id), &[])
            .map_err(db_err("index owner"))?;
        Ok(())
    }

    /// Builds the index from the owner records of a database written before it existed.
    /// Run at open, before anyone writes; a crash before the end runs it again.
    pub(super) fn index_owners_once(&self) -> Result<(), StoreError> {
        if self
            .owned
            .contains_key(INDEXED)
            .map_err(db_err("read owner index"))?
        {
            return Ok(());
        }
        for item in self.space(Space::Owners).iter() {
            let (id, owner) = item.map_err(db_err("scan owners"))?;
            let (id, owner) = (text_key(&id), text_key(&owner));
            if let Some(stored) = self.get_object(&id)? {
                self.index_owner(&owner, stored.object.kind, &id)?;
            }
        }
        self.owned
            .insert(INDEXED, &[])
            .map_err(db_err("index owners"))?;
        self.flush()
    }

    /// The objects of `kind` whose owner record names `owner`, in id order.
    pub(super) fn owned_by(
        &self,
        owner: &str,
        kind: Kind,
    ) -> Result<Vec<StoredObject>, StoreError> {
        let prefix = owner_prefix(owner, kind);
        let owners = self.space(Space::Owners);
        let mut out = Vec::new();
        for item in self.owned.scan_prefix(&prefix) {
            let (key, _) = item.map_err(db_err("scan owner index"))?;
            let id = text_key(&key[prefix.len()..]);
            let theirs = owners
                .get(id.as_bytes())
                .map_err(db_err("read owner"))?
                .is_some_and(|o| o == owner.as_bytes());
            let found = self
                .objects
                .get(object_key(kind.code(), &id))
                .map_err(db_err("get owned object"))?;
            if let (true, Some(value)) = (theirs, found) {
                out.push(self.decode_stored(id.as_bytes(), &value)?);
            }
        }
        Ok(out)
    }
}
