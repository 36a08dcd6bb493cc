//! An in-memory store with the same behaviour as the sled one, for tests.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::Mutex;

use caremesh_federation::Kind;

use super::{LogEntry, NewObject, PutResult, Space, Store, StoreError, StoredObject, Tombstone};

#[derive(Default)]
struct Inner {
    objects: BTreeMap<String, StoredObject>,
    log: BTreeMap<u64, LogEntry>,
    spaces: BTreeMap<(Space, String), Vec<u8>>,
    gone: BTreeMap<String, Tombstone>,
}

/// A store that forgets everything when dropped.
#[derive(Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Store for MemoryStore {
    fn put_object(&self, object: NewObject, owner: Option<&str>) -> Result<PutResult, StoreError> {
        let mut inner = self.lock();
        let refused = match inner.objects.get(&object.id) {
            Some(existing) => existing.compare(&object),
            None => inner.gone.get(&object.id).and_then(|t| t.compare(&object)),
        };
        if let Some(result) = refused {
            return Ok(result);
        }
        if let Some(owner) = owner {
            inner.spaces.insert(
                (Space::Owners, object.id.clone()),
                owner.as_bytes().to_vec(),
            );
        }
        let seq = inner.log.keys().next_back().copied().unwrap_or(0) + 1;
        let entry = LogEntry::of(&object, seq);
        inner.log.insert(seq, entry);
        inner
            .objects
            .insert(object.id.clone(), StoredObject { object, seq });
        Ok(PutResult::Stored { seq })
    }

    fn remove_object(&self, id: &str, version: u64) -> Result<bool, StoreError> {
        let mut inner = self.lock();
        match inner.objects.get(id) {
            Some(stored) if stored.object.version <= version => {}
            Some(_) | None => return Ok(false),
        }
        if let Some(stored) = inner.objects.remove(id) {
            let tombstone = Tombstone {
                kind: stored.object.kind,
                origin: stored.object.origin,
                version: stored.object.version,
            };
            inner.gone.insert(id.to_owned(), tombstone);
        }
        Ok(true)
    }

    fn get_object(&self, id: &str) -> Result<Option<StoredObject>, StoreError> {
        Ok(self.lock().objects.get(id).cloned())
    }

    fn list_objects(&self, kind: Kind) -> Result<Vec<StoredObject>, StoreError> {
        Ok(self
            .lock()
            .objects
            .values()
            .filter(|o| o.object.kind == kind)
            .cloned()
            .collect())
    }

    fn children(&self, parent: &str) -> Result<Vec<StoredObject>, StoreError> {
        Ok(self
            .lock()
            .objects
            .values()
            .filter(|o| o.object.parent.as_deref() == Some(parent))
            .cloned()
            .collect())
    }

    fn log_after(&self, after: u64, limit: usize) -> Result<Vec<LogEntry>, StoreError> {
        Ok(self
            .lock()
            .log
            .range(after.saturating_add(1)..)
            .take(limit)
            .map(|(_, e)| e.clone())
            .collect())
    }

    fn last_seq(&self) -> Result<u64, StoreError> {
        Ok(self.lock().log.keys().next_back().copied().unwrap_or(0))
    }

    fn get(&self, space: Space, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.lock().spaces.get(&(space, key.to_owned())).cloned())
    }

    fn put(&self, space: Space, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.lock()
            .spaces
            .insert((space, key.to_owned()), value.to_vec());
        Ok(())
    }

    fn delete(&self, space: Space, key: &str) -> Result<bool, StoreError> {
        Ok(self
            .lock()
            .spaces
            .remove(&(space, key.to_owned()))
            .is_some())
    }

    fn insert_new(&self, space: Space, key: &str, value: &[u8]) -> Result<bool, StoreError> {
        let mut inner = self.lock();
        let k = (space, key.to_owned());
        if inner.spaces.contains_key(&k) {
            return Ok(false);
        }
        inner.spaces.insert(k, value.to_vec());
        Ok(true)
    }

    fn scan(&self, space: Space) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        Ok(self
            .lock()
            .spaces
            .range((space, String::new())..)
            .take_while(|((s, _), _)| *s == space)
            .map(|((_, k), v)| (k.clone(), v.clone()))
            .collect())
    }

    fn scan_prefix(
        &self,
        space: Space,
        prefix: &str,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        Ok(self
            .lock()
            .spaces
            .range((space, prefix.to_owned())..)
            .take_while(|((s, k), _)| *s == space && k.starts_with(prefix))
            .map(|((_, k), v)| (k.clone(), v.clone()))
            .collect())
    }

    fn visit(&self, space: Space, visit: &mut dyn FnMut(&str, &[u8])) -> Result<(), StoreError> {
        for (k, v) in self.scan(space)? {
            visit(&k, &v);
        }
        Ok(())
    }

    fn visit_objects(
        &self,
        kind: Kind,
        visit: &mut dyn FnMut(&StoredObject) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        for object in self.list_objects(kind)? {
            if visit(&object).is_break() {
                break;
            }
        }
        Ok(())
    }

    fn count_objects(&self, kind: Kind) -> Result<usize, StoreError> {
        Ok(self
            .lock()
            .objects
            .values()
            .filter(|o| o.object.kind == kind)
            .count())
    }

    fn owned_objects(&self, owner: &str, kind: Kind) -> Result<Vec<StoredObject>, StoreError> {
        let inner = self.lock();
        let theirs = |id: &str| {
            inner
                .spaces
                .get(&(Space::Owners, id.to_owned()))
                .is_some_and(|o| o == owner.as_bytes())
        };
        Ok(inner
            .objects
            .values()
            .filter(|o| o.object.kind == kind && theirs(&o.object.id))
            .cloned()
            .collect())
    }

    fn flush(&self) -> Result<(), StoreError> {
        Ok(())
    }
}
