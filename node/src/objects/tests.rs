//! Publishing is one durable step: stored with its owner, flushed, and only then announced.

use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use caremesh_federation::object::{Facility, Kind};
use caremesh_federation::{NodeKey, Object};
use tokio::sync::Notify;

use super::{Publisher, get};
use crate::events::Events;
use crate::store::memory::MemoryStore;
use crate::store::{LogEntry, NewObject, PutResult, Space, Store, StoreError, StoredObject};

/// A memory store that counts flushes and can be told to fail them.
#[derive(Default)]
struct Disk {
    inner: MemoryStore,
    flushes: AtomicUsize,
    broken: AtomicBool,
}

impl Store for Disk {
    fn put_object(&self, o: NewObject, owner: Option<&str>) -> Result<PutResult, StoreError> {
        self.inner.put_object(o, owner)
    }
    fn remove_object(&self, id: &str, version: u64) -> Result<bool, StoreError> {
        self.inner.remove_object(id, version)
    }
    fn get_object(&self, id: &str) -> Result<Option<StoredObject>, StoreError> {
        self.inner.get_object(id)
    }
    fn list_objects(&self, kind: Kind) -> Result<Vec<StoredObject>, StoreError> {
        self.inner.list_objects(kind)
    }
    fn children(&self, parent: &str) -> Result<Vec<StoredObject>, StoreError> {
        self.inner.children(parent)
    }
    fn log_after(&self, after: u64, limit: usize) -> Result<Vec<LogEntry>, StoreError> {
        self.inner.log_after(after, limit)
    }
    fn last_seq(&self) -> Result<u64, StoreError> {
        self.inner.last_seq()
    }
    fn get(&self, space: Space, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.inner.get(space, key)
    }
    fn put(&self, space: Space, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.inner.put(space, key, value)
    }
    fn delete(&self, space: Space, key: &str) -> Result<bool, StoreError> {
        self.inner.delete(space, key)
    }
    fn insert_new(&self, space: Space, key: &str, value: &[u8]) -> Result<bool, StoreError> {
        self.inner.insert_new(space, key, value)
    }
    fn scan(&self, space: Space) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        self.inner.scan(space)
    }
    fn scan_prefix(
        &self,
        space: Space,
        prefix: &str,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        self.inner.scan_prefix(space, prefix)
    }
    fn visit(&self, space: Space, visit: &mut dyn FnMut(&str, &[u8])) -> Result<(), StoreError> {
        self.inner.visit(space, visit)
    }
    fn count_objects(&self, kind: Kind) -> Result<usize, StoreError> {
        self.inner.count_objects(kind)
    }
    fn owned_objects(&self, owner: &str, kind: Kind) -> Result<Vec<StoredObject>, StoreError> {
        self.inner.owned_objects(owner, kind)
    }
    fn visit_objects(
        &self,
        kind: Kind,
        visit: &mut dyn FnMut(&StoredObject) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        self.inner.visit_objects(kind, visit)
    }
    fn flush(&self) -> Result<(), StoreError> {
        if self.broken.load(Ordering::SeqCst) {
            return Err(StoreError::Db {
                op: "flush",
                source: sled::Error::Unsupported("disk unplugged".into()),
            });
        }
        self.flushes.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

struct Setup {
    disk: Arc<Disk>,
    publisher: Publisher,
    heard: tokio::sync::broadcast::Receiver<Arc<Object>>,
    wake: Arc<Notify>,
}

fn setup() -> Setup {
    let disk = Arc::new(Disk::default());
    let events = Events::new();
    let wake = Arc::new(Notify::new());
    let heard = events.subscribe();
    let publisher = Publisher::new(
        disk.clone(),
        NodeKey::generate(),
        "http://a.test".into(),
        wake.clone(),
        events,
    );
    Setup {
        disk,
        publisher,
        heard,
        wake,
    }
}

fn facility(publisher: &Publisher) -> Facility {
    crate::fixtures::facility(publisher.new_meta(1_800_000_000_000))
}

#[test]
fn publish_stores_with_owner_flushes_then_announces() {
    let mut s = setup();
    let f = facility(&s.publisher);
    s.publisher.publish(&f, Some("asha")).unwrap();
    assert_eq!(s.disk.flushes.load(Ordering::SeqCst), 1);
    assert_eq!(
        s.disk.get(Space::Owners, &f.meta.id).unwrap().as_deref(),
        Some(&b"asha"[..])
    );
    assert_eq!(
        get::<Facility>(&*s.disk, &f.meta.id).unwrap(),
        Some(f.clone())
    );
    assert_eq!(s.heard.try_recv().unwrap().meta().id, f.meta.id);
}

#[tokio::test]
async fn nothing_is_announced_when_the_flush_fails() {
    let mut s = setup();
    let woken = s.wake.notified();
    s.disk.broken.store(true, Ordering::SeqCst);
    let f = facility(&s.publisher);
    assert!(s.publisher.publish(&f, None).is_err());
    assert!(
        s.heard.try_recv().is_err(),
        "a listener heard of an object not on disk"
    );
    let waited = tokio::time::timeout(std::time::Duration::from_millis(50), woken).await;
    assert!(
        waited.is_err(),
        "the outbox was woken for an object not on disk"
    );
}

#[test]
fn a_bulk_import_flushes_once_at_the_end() {
    let mut s = setup();
    let bulk = s.publisher.bulk();
    for _ in 0..3 {
        bulk.publish(&facility(&s.publisher), None).unwrap();
    }
    assert_eq!(s.disk.flushes.load(Ordering::SeqCst), 0);
    // Hooks (the directory index) still see every object as it is stored.
    for _ in 0..3 {
        assert!(s.heard.try_recv().is_ok());
    }
    bulk.finish().unwrap();
    assert_eq!(s.disk.flushes.load(Ordering::SeqCst), 1);
}

#[test]
fn only_this_nodes_own_objects_are_signed_here() {
    let mut s = setup();
    let mut f = facility(&s.publisher);
    f.meta.origin = "http://rogue.test".into();
    let err = s.publisher.publish(&f, None).unwrap_err();
    assert!(
        matches!(err, crate::error::ServiceError::Forbidden { .. }),
        "{err}"
    );
    assert_eq!(get::<Facility>(&*s.disk, &f.meta.id).unwrap(), None);
    assert!(s.heard.try_recv().is_err());
}

#[test]
fn versions_stop_at_the_protocol_limit() {
    use caremesh_federation::object::MAX_VERSION;
    let s = setup();
    let mut meta = s.publisher.new_meta(5);
    meta.version = MAX_VERSION - 1;
    let next = super::bump(&meta, 4).unwrap();
    assert_eq!((next.version, next.updated_at), (MAX_VERSION, 5));
    assert!(super::bump(&next, 6).is_err());
    meta.version = u64::MAX;
    assert!(super::bump(&meta, 6).is_err(), "no overflow");
}
