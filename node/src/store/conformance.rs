//! One behaviour, two stores: every test here runs against sled and memory.

use caremesh_federation::Kind;

use super::memory::MemoryStore;
use super::sled_store::SledStore;
use super::{NewObject, PutResult, Space, Store};

fn object(id: &str, version: u64, bytes: &[u8]) -> NewObject {
    NewObject {
        id: id.to_owned(),
        kind: Kind::Request,
        origin: "http://a.example".to_owned(),
        version,
        parent: None,
        addressee: None,
        from_peer: None,
        envelope: bytes.to_vec(),
    }
}

fn versions_only_move_forward(store: &dyn Store) {
    assert_eq!(
        store.put_object(object("o1", 2, b"v2"), None).unwrap(),
        PutResult::Stored { seq: 1 }
    );
    assert_eq!(
        store.put_object(object("o1", 1, b"v1"), None).unwrap(),
        PutResult::Duplicate
    );
    assert_eq!(
        store.put_object(object("o1", 2, b"v2"), None).unwrap(),
        PutResult::Duplicate
    );
    assert_eq!(
        store.put_object(object("o1", 2, b"other"), None).unwrap(),
        PutResult::Conflict { stored_version: 2 }
    );
    let mut foreign = object("o1", 3, b"v3");
    foreign.origin = "http://mallory.example".into();
    assert!(matches!(
        store.put_object(foreign, None).unwrap(),
        PutResult::NotOwner { .. }
    ));
    assert_eq!(
        store.put_object(object("o1", 3, b"v3"), None).unwrap(),
        PutResult::Stored { seq: 2 }
    );
    let got = store.get_object("o1").unwrap().unwrap();
    assert_eq!((got.object.version, got.seq), (3, 2));
    assert_eq!(got.object.envelope, b"v3");
}

fn log_lists_arrivals_in_order(store: &dyn Store) {
    for (i, id) in ["a", "b", "c"].iter().enumerate() {
        store.put_object(object(id, 1, &[i as u8]), None).unwrap();
    }
    store.put_object(object("a", 2, b"a2"), None).unwrap();
    let log = store.log_after(0, 10).unwrap();
    let seen: Vec<_> = log.iter().map(|e| (e.id.as_str(), e.version)).collect();
    assert_eq!(seen, [("a", 1), ("b", 1), ("c", 1), ("a", 2)]);
    assert_eq!(store.log_after(2, 1).unwrap()[0].id, "c");
    assert_eq!(store.last_seq().unwrap(), 4);
    assert_eq!(store.list_objects(Kind::Request).unwrap().len(), 3);
    assert_eq!(store.count_objects(Kind::Request).unwrap(), 3);
    assert!(store.list_objects(Kind::Facility).unwrap().is_empty());
}

fn children_follow_parent(store: &dyn Store) {
    let mut p = object("p1", 1, b"p");
    p.kind = Kind::Proposal;
    p.parent = Some("r1".into());
    store.put_object(p, None).unwrap();
    let mut q = object("p2", 1, b"q");
    q.kind = Kind::Proposal;
    q.parent = Some("r10".into());
    store.put_object(q, None).unwrap();
    let kids = store.children("r1").unwrap();
    assert_eq!(kids.len(), 1);
    assert_eq!(kids[0].object.id, "p1");
}

fn records(store: &dyn Store) {
    assert!(store.insert_new(Space::Nonces, "n1", b"1").unwrap());
    assert!(!store.insert_new(Space::Nonces, "n1", b"2").unwrap());
    store.put(Space::Members, "m2", b"two").unwrap();
    store.put(Space::Members, "m1", b"one").unwrap();
    store.put(Space::Peers, "x", b"peer").unwrap();
    let members = store.scan(Space::Members).unwrap();
    assert_eq!(
        members,
        vec![
            ("m1".to_owned(), b"one".to_vec()),
            ("m2".to_owned(), b"two".to_vec())
        ]
    );
    let mut visited = Vec::new();
    store
        .visit(Space::Members, &mut |k, v| {
            visited.push((k.to_owned(), v.to_vec()))
        })
        .unwrap();
    assert_eq!(visited, members);
    // A prefix reads its family only, nothing of another space or past the prefix.
    store.put(Space::Members, "m10", b"ten").unwrap();
    store.put(Space::Peers, "m1x", b"peer").unwrap();
    let family: Vec<String> = store
        .scan_prefix(Space::Members, "m1")
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(family, ["m1", "m10"]);
    assert!(store.scan_prefix(Space::Members, "z").unwrap().is_empty());
    assert!(store.delete(Space::Members, "m10").unwrap());
    assert!(store.delete(Space::Members, "m1").unwrap());
    assert!(!store.delete(Space::Members, "m1").unwrap());
    assert_eq!(
        store.get(Space::Members, "m2").unwrap().as_deref(),
        Some(&b"two"[..])
    );
    store.flush().unwrap();
}

fn owner_is_written_with_its_object(store: &dyn Store) {
    assert_eq!(
        store
            .put_object(object("o1", 1, b"v1"), Some("asha"))
            .unwrap(),
        PutResult::Stored { seq: 1 }
    );
    assert_eq!(
        store.get(Space::Owners, "o1").unwrap().as_deref(),
        Some(&b"asha"[..])
    );
    // A version that is not stored writes no owner either.
    assert_eq!(
        store
            .put_object(object("o1", 1, b"v1"), Some("mallory"))
            .unwrap(),
        PutResult::Duplicate
    );
    let mut foreign = object("o1", 2, b"v2");
    foreign.origin = "http://mallory.example".into();
    store.put_object(foreign, Some("mallory")).unwrap();
    assert_eq!(
        store.get(Space::Owners, "o1").unwrap().as_deref(),
        Some(&b"asha"[..])
    );
    // Later versions keep the owner; objects from peers have none.
    store.put_object(object("o1", 2, b"v2"), None).unwrap();
    store.put_object(object("o2", 1, b"x"), None).unwrap();
    assert_eq!(
        store.get(Space::Owners, "o1").unwrap().as_deref(),
        Some(&b"asha"[..])
    );
    assert_eq!(store.get(Space::Owners, "o2").unwrap(), None);
}

/// The ids of `owner`'s objects of `kind`, with their versions.
fn owned(store: &dyn Store, owner: &str, kind: Kind) -> Vec<(String, u64)> {
    let objects = store.owned_objects(owner, kind).unwrap();
    objects
        .into_iter()
        .map(|o| (o.object.id, o.object.version))
        .collect()
}

fn owned_objects_are_a_members_own(store: &dyn Store) {
    let put = |id: &str, version: u64, kind: Kind, owner: Option<&str>| {
        let new = NewObject {
            kind,
            ..object(id, version, id.as_bytes())
        };
        store.put_object(new, owner).unwrap()
    };
    put("r1", 1, Kind::Request, Some("asha"));
    put("r2", 1, Kind::Request, Some("bina"));
    put("p1", 1, Kind::Proposal, Some("asha"));
    put("r3", 1, Kind::Request, None);
    // A later version keeps its owner and is the one listed.
    put("r1", 2, Kind::Request, None);
    // Not stored (a duplicate), so it changes no owner.
    put("r2", 1, Kind::Request, Some("asha"));
    let listed = |owner, kind| owned(store, owner, kind);
    assert_eq!(listed("asha", Kind::Request), [("r1".to_owned(), 2)]);
    assert_eq!(listed("asha", Kind::Proposal), [("p1".to_owned(), 1)]);
    assert_eq!(listed("bina", Kind::Request), [("r2".to_owned(), 1)]);
    // A handle that is the start of another names none of its objects.
    assert!(listed("ash", Kind::Request).is_empty());
    assert!(store.remove_object("r2", 1).unwrap());
    assert!(listed("bina", Kind::Request).is_empty());
}

fn removed_objects_leave_a_tombstone(store: &dyn Store) {
    let mut chunk = object("c1", 1, b"c");
    chunk.kind = Kind::Chunk;
    chunk.parent = Some("d1".into());
    store.put_object(chunk.clone(), None).unwrap();
    store.put_object(object("keep", 1, b"k"), None).unwrap();
    assert!(!store.remove_object("nothing", 1).unwrap());
    // A newer version than the one delivered stays.
    assert!(!store.remove_object("c1", 0).unwrap());
    assert!(store.remove_object("c1", 1).unwrap());
    assert_eq!(store.get_object("c1").unwrap(), None);
    assert!(store.children("d1").unwrap().is_empty());
    assert!(store.list_objects(Kind::Chunk).unwrap().is_empty());
    assert_eq!(store.count_objects(Kind::Chunk).unwrap(), 0);
    // Arriving again, it is a duplicate; a newer version is stored; another origin is not.
    assert_eq!(
        store.put_object(chunk.clone(), None).unwrap(),
        PutResult::Duplicate
    );
    let mut foreign = chunk.clone();
    foreign.origin = "http://mallory.example".into();
    foreign.version = 2;
    assert!(matches!(
        store.put_object(foreign, None).unwrap(),
        PutResult::NotOwner { .. }
    ));
    let mut newer = chunk;
    newer.version = 2;
    assert!(matches!(
        store.put_object(newer, None).unwrap(),
        PutResult::Stored { .. }
    ));
    assert_eq!(store.get_object("c1").unwrap().unwrap().object.version, 2);
    assert!(store.get_object("keep").unwrap().is_some());
    // The counters follow: stored again after removal, one chunk; a new version adds none.
    assert_eq!(store.count_objects(Kind::Chunk).unwrap(), 1);
    assert_eq!(store.count_objects(Kind::Request).unwrap(), 1);
}

fn each_store(test: fn(&dyn Store)) {
    test(&MemoryStore::new());
    let dir = tempfile::tempdir().unwrap();
    test(&SledStore::open(dir.path(), 16 << 20).unwrap());
}

#[test]
fn conformance_versions() {
    each_store(versions_only_move_forward);
}

#[test]
fn conformance_log() {
    each_store(log_lists_arrivals_in_order);
}

#[test]
fn conformance_children() {
    each_store(children_follow_parent);
}

#[test]
fn conformance_owner_with_object() {
    each_store(owner_is_written_with_its_object);
}

#[test]
fn conformance_owned_objects() {
    each_store(owned_objects_are_a_members_own);
}

#[test]
fn conformance_removal() {
    each_store(removed_objects_leave_a_tombstone);
}

#[test]
fn conformance_records() {
    each_store(records);
}

#[test]
fn sled_keeps_data_and_sequence_across_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = SledStore::open(dir.path(), 16 << 20).unwrap();
        store
            .put_object(object("a", 1, b"a"), Some("asha"))
            .unwrap();
        store.put_object(object("gone", 1, b"g"), None).unwrap();
        assert!(store.remove_object("gone", 1).unwrap());
        store.put(Space::Members, "m", b"x").unwrap();
        store.flush().unwrap();
    }
    let store = SledStore::open(dir.path(), 16 << 20).unwrap();
    // Counted again from the keys at open: the removed object is not among them.
    assert_eq!(store.count_objects(Kind::Request).unwrap(), 1);
    assert_eq!(store.get_object("a").unwrap().unwrap().seq, 1);
    assert_eq!(
        store.get(Space::Owners, "a").unwrap().as_deref(),
        Some(&b"asha"[..])
    );
    assert_eq!(
        store.put_object(object("b", 1, b"b"), None).unwrap(),
        PutResult::Stored { seq: 3 }
    );
    assert_eq!(store.count_objects(Kind::Request).unwrap(), 2);
    assert!(store.get(Space::Members, "m").unwrap().is_some());
}

#[test]
fn sled_indexes_owners_of_a_database_from_before_the_index() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = SledStore::open(dir.path(), 16 << 20).unwrap();
        store
            .put_object(object("a", 1, b"a"), Some("asha"))
            .unwrap();
        store.put_object(object("b", 1, b"b"), None).unwrap();
        store.flush().unwrap();
    }
    {
        // What an older caremesh left: owner records, no index.
        let db = sled::open(dir.path()).unwrap();
        assert!(db.drop_tree("owned").unwrap());
        db.flush().unwrap();
    }
    let store = SledStore::open(dir.path(), 16 << 20).unwrap();
    assert_eq!(owned(&store, "asha", Kind::Request), [("a".to_owned(), 1)]);
    store
        .put_object(object("c", 1, b"c"), Some("asha"))
        .unwrap();
    drop(store);
    let store = SledStore::open(dir.path(), 16 << 20).unwrap();
    let ids = owned(&store, "asha", Kind::Request);
    assert_eq!(ids, [("a".to_owned(), 1), ("c".to_owned(), 1)]);
}
