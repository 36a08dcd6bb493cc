//! The sled store: one tree per purpose, and a fixed write order per object version instead
//! of a multi-tree transaction. Flushes are group-committed: many writers, one `fsync`.

mod group_commit;
mod owned;

use std::ops::ControlFlow;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use group_commit::GroupCommit;

use caremesh_federation::Kind;

use super::counts::KindCounts;
use super::{
    Durability, LogEntry, NewObject, PutResult, Space, Store, StoreError, StoredObject, Tombstone,
    record,
};

/// A store in a sled database on disk.
pub struct SledStore {
    db: sled::Db,
    objects: sled::Tree,
    log: sled::Tree,
    children: sled::Tree,
    /// Tombstones of removed objects, by id.
    gone: sled::Tree,
    /// Which objects each local member made (`owned.rs`).
    owned: sled::Tree,
    spaces: Vec<(Space, sled::Tree)>,
    next_seq: AtomicU64,
    /// Every log entry up to here has its object written; readers see no further.
    committed: AtomicU64,
    write_lock: Mutex<()>,
    flushes: GroupCommit,
    counts: KindCounts,
}

fn db_err(op: &'static str) -> impl Fn(sled::Error) -> StoreError {
    move |source| StoreError::Db { op, source }
}

/// The key prefix of a kind's objects: its stable code from the protocol's list.
fn kind_byte(kind: Kind) -> u8 {
    kind.code()
}

fn text_key(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

impl SledStore {
    /// Opens (or creates) the database in `dir`. `cache_bytes` bounds sled's page cache.
    pub fn open(dir: &Path, cache_bytes: u64) -> Result<Self, StoreError> {
        let db = sled::Config::new()
            .path(dir)
            .cache_capacity(cache_bytes)
            .open()
            .map_err(db_err("open"))?;
        let tree = |name: &str| db.open_tree(name).map_err(db_err("open tree"));
        let spaces = Space::ALL
            .iter()
            .map(|s| Ok((*s, tree(s.name())?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let log = tree("log")?;
        let last = log
            .last()
            .map_err(db_err("read log"))?
            .map(|(k, _)| seq_from_key(&k))
            .unwrap_or(0);
        let objects = tree("objects")?;
        let keys = objects
            .iter()
            .keys()
            .map(|k| Ok(k?.first().copied().unwrap_or(0)));
        let counts = KindCounts::from_keys(keys).map_err(db_err("count objects"))?;
        let store = Self {
            objects,
            counts,
            children: tree("children")?,
            gone: tree("gone")?,
            owned: tree("owned")?,
            log,
            spaces,
            db,
            next_seq: AtomicU64::new(last + 1),
            committed: AtomicU64::new(last),
            write_lock: Mutex::new(()),
            flushes: GroupCommit::default(),
        };
        store.index_owners_once()?;
        Ok(store)
    }

    fn space(&self, space: Space) -> &sled::Tree {
        // Every space was opened in `open`, so the lookup always finds it.
        &self.spaces[Space::ALL.iter().position(|s| *s == space).unwrap_or(0)].1
    }

    fn decode_stored(&self, key: &[u8], value: &[u8]) -> Result<StoredObject, StoreError> {
        record::decode("object", &text_key(key), value)
    }

    /// Writes one object version. The writes go in a fixed order (indexes, log entry, object
    /// last) instead of a multi-tree transaction, which costs several times more. sled
    /// recovers a prefix of its write order after a crash, so a crash can leave a log entry
    /// or index key without its object version, never the reverse; readers skip log entries
    /// whose object is not at that sequence number, and the unacknowledged version is sent
    /// again by its peer (or was never acknowledged to the local user).
    ///
    /// The owner goes first of all (its index key, then its record), so an object on disk
    /// always has its owner; an owner without its object (a crash in between) names an id
    /// nobody was given.
    fn commit(&self, object: NewObject, owner: Option<&str>, seq: u64) -> Result<(), StoreError> {
        if let Some(owner) = owner {
            self.index_owner(owner, object.kind, &object.id)?;
            self.space(Space::Owners)
                .insert(object.id.as_bytes(), owner.as_bytes())
                .map_err(db_err("write owner"))?;
        }
        let entry = LogEntry::of(&object, seq);
        let kind = kind_byte(object.kind);
        if let Some(parent) = &object.parent {
            let child_key = format!("{parent}\0{}", object.id);
            self.children
                .insert(child_key.as_bytes(), &[kind])
                .map_err(db_err("index parent"))?;
        }
        self.log
            .insert(seq.to_be_bytes(), record::encode(&entry))
            .map_err(db_err("append log"))?;
        let key = object_key(kind, &object.id);
        self.objects
            .insert(key, record::encode(&StoredObject { object, seq }))
            .map_err(db_err("write object"))?;
        Ok(())
    }

    /// Flushes after a record write if the space asks for it.
    fn settle(&self, space: Space) -> Result<(), StoreError> {
        match space.durability() {
            Durability::Acknowledged => self.flush(),
            Durability::Lazy => Ok(()),
        }
    }
}

/// Objects are keyed by kind, then id, so a kind's objects are one contiguous range.
fn object_key(kind: u8, id: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(1 + id.len());
    key.push(kind);
    key.extend_from_slice(id.as_bytes());
    key
}

fn seq_from_key(key: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    if key.len() == 8 {
        bytes.copy_from_slice(key);
    }
    u64::from_be_bytes(bytes)
}

impl Store for SledStore {
    fn put_object(&self, object: NewObject, owner: Option<&str>) -> Result<PutResult, StoreError> {
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let existing = self.get_object(&object.id)?;
        let fresh = existing.is_none();
        match existing {
            Some(existing) => {
                if let Some(result) = existing.compare(&object) {
                    return Ok(result);
                }
            }
            None => {
                if let Some(result) = self.tombstone(&object.id)?.and_then(|t| t.compare(&object)) {
                    return Ok(result);
                }
            }
        }
        let seq = self.next_seq.fetch_add(1, Ordering::SeqCst);
        let kind = object.kind;
        self.commit(object, owner, seq)?;
        self.committed.store(seq, Ordering::SeqCst);
        if fresh {
            self.counts.added(kind);
        }
        Ok(PutResult::Stored { seq })
    }

    fn remove_object(&self, id: &str, version: u64) -> Result<bool, StoreError> {
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let Some(stored) = self.get_object(id)? else {
            return Ok(false);
        };
        let object = &stored.object;
        if object.version > version {
            return Ok(false);
        }
        let tombstone = Tombstone {
            kind: object.kind,
            origin: object.origin.clone(),
            version: object.version,
        };
        // Tombstone first: a crash in between leaves the object and its tombstone, which
        // readers treat as the object.
        self.gone
            .insert(id.as_bytes(), record::encode(&tombstone))
            .map_err(db_err("write tombstone"))?;
        if let Some(parent) = &object.parent {
            self.children
                .remove(format!("{parent}\0{id}").as_bytes())
                .map_err(db_err("unindex parent"))?;
        }
        self.objects
            .remove(object_key(kind_byte(object.kind), id))
            .map_err(db_err("remove object"))?;
        self.counts.removed(object.kind);
        Ok(true)
    }

    fn get_object(&self, id: &str) -> Result<Option<StoredObject>, StoreError> {
        for kind in Kind::ALL {
            if let Some(v) = self
                .objects
                .get(object_key(kind_byte(*kind), id))
                .map_err(db_err("get object"))?
            {
                return Ok(Some(self.decode_stored(id.as_bytes(), &v)?));
            }
        }
        Ok(None)
    }

    fn list_objects(&self, kind: Kind) -> Result<Vec<StoredObject>, StoreError> {
        self.objects
            .scan_prefix([kind_byte(kind)])
            .map(|item| {
                let (key, value) = item.map_err(db_err("scan kind"))?;
                self.decode_stored(&key[1..], &value)
            })
            .collect()
    }

    fn children(&self, parent: &str) -> Result<Vec<StoredObject>, StoreError> {
        let prefix = format!("{parent}\0");
        let mut out = Vec::new();
        for item in self.children.scan_prefix(prefix.as_bytes()) {
            let (key, kind) = item.map_err(db_err("scan children"))?;
            let id = text_key(&key[prefix.len()..]);
            let found = self
                .objects
                .get(object_key(kind.first().copied().unwrap_or(0), &id))
                .map_err(db_err("get child"))?;
            if let Some(v) = found {
                out.push(self.decode_stored(id.as_bytes(), &v)?);
            }
        }
        Ok(out)
    }

    fn log_after(&self, after: u64, limit: usize) -> Result<Vec<LogEntry>, StoreError> {
        let start = after.saturating_add(1).to_be_bytes();
        // Entries past `committed` belong to a write still in progress: its object may not
        // be there yet, and a reader that skipped it would never come back.
        let end = self
            .committed
            .load(Ordering::SeqCst)
            .saturating_add(1)
            .to_be_bytes();
        let mut out = Vec::new();
        for item in self.log.range(start..end).take(limit) {
            let (key, value) = item.map_err(db_err("read log"))?;
            out.push(record::decode(
                "log entry",
                &seq_from_key(&key).to_string(),
                &value,
            )?);
        }
        Ok(out)
    }

    fn last_seq(&self) -> Result<u64, StoreError> {
        Ok(self.committed.load(Ordering::SeqCst))
    }

    fn get(&self, space: Space, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .space(space)
            .get(key.as_bytes())
            .map_err(db_err("get"))?
            .map(|v| v.to_vec()))
    }

    fn put(&self, space: Space, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.space(space)
            .insert(key.as_bytes(), value)
            .map_err(db_err("put"))?;
        self.settle(space)
    }

    fn delete(&self, space: Space, key: &str) -> Result<bool, StoreError> {
        let removed = self
            .space(space)
            .remove(key.as_bytes())
            .map_err(db_err("delete"))?
            .is_some();
        if removed {
            self.settle(space)?;
        }
        Ok(removed)
    }

    fn insert_new(&self, space: Space, key: &str, value: &[u8]) -> Result<bool, StoreError> {
        let swapped = self
            .space(space)
            .compare_and_swap(key.as_bytes(), None as Option<&[u8]>, Some(value))
            .map_err(db_err("insert"))?
            .is_ok();
        if swapped {
            self.settle(space)?;
        }
        Ok(swapped)
    }

    fn scan(&self, space: Space) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        self.space(space)
            .iter()
            .map(|item| {
                let (k, v) = item.map_err(db_err("scan"))?;
                Ok((text_key(&k), v.to_vec()))
            })
            .collect()
    }

    fn scan_prefix(
        &self,
        space: Space,
        prefix: &str,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        self.space(space)
            .scan_prefix(prefix.as_bytes())
            .map(|item| {
                let (k, v) = item.map_err(db_err("scan"))?;
                Ok((text_key(&k), v.to_vec()))
            })
            .collect()
    }

    fn visit(&self, space: Space, visit: &mut dyn FnMut(&str, &[u8])) -> Result<(), StoreError> {
        for item in self.space(space).iter() {
            let (k, v) = item.map_err(db_err("scan"))?;
            visit(&String::from_utf8_lossy(&k), &v);
        }
        Ok(())
    }

    fn visit_objects(
        &self,
        kind: Kind,
        visit: &mut dyn FnMut(&StoredObject) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        for item in self.objects.scan_prefix([kind_byte(kind)]) {
            let (key, value) = item.map_err(db_err("scan kind"))?;
            if visit(&self.decode_stored(&key[1..], &value)?).is_break() {
                break;
            }
        }
        Ok(())
    }

    fn count_objects(&self, kind: Kind) -> Result<usize, StoreError> {
        Ok(self.counts.get(kind))
    }

    fn owned_objects(&self, owner: &str, kind: Kind) -> Result<Vec<StoredObject>, StoreError> {
        self.owned_by(owner, kind)
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.flushes.flush(&self.db)
    }
}

impl SledStore {
    fn tombstone(&self, id: &str) -> Result<Option<Tombstone>, StoreError> {
        self.gone
            .get(id.as_bytes())
            .map_err(db_err("read tombstone"))?
            .map(|v| record::decode("tombstone", id, &v))
            .transpose()
    }
}
