//! Diagnoses on the in-memory store with a hand-moved clock: expiry, sweep and bounds.

use super::*;
use crate::directory::listings::Listings;
use crate::directory::search::Directory;
use crate::store::memory::MemoryStore;
use crate::testing::{ManualClock, publisher};

const LIMITS: QueryLimits = QueryLimits {
    ttl_ms: 60_000,
    per_client: 2,
    total: 3,
};

fn diagnoses(store: Arc<dyn Store>, clock: Arc<ManualClock>) -> Diagnoses {
    let listings = Listings::new(publisher(store.clone()), clock.clone());
    let finder = Finder::new(Arc::new(Directory::default()), listings, clock.clone());
    let triage = Arc::new(Triage::builtin().expect("triage"));
    Diagnoses::new(store, triage, finder, clock, LIMITS).expect("diagnoses")
}

#[test]
fn a_diagnosis_expires_and_the_sweep_deletes_it() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let clock = ManualClock::new();
    let d = diagnoses(store.clone(), clock.clone());
    d.diagnose("10.0.0.1", "q1", "fever and cough")
        .expect("kept");
    assert!(d.facilities("q1", (18.5, 73.8), 5).expect("read").is_some());
    clock.advance(59_999);
    assert_eq!(d.sweep().expect("sweep"), 0, "not yet expired");
    clock.advance(1);
    // Unknown to /geo at once, before any sweep.
    assert!(d.facilities("q1", (18.5, 73.8), 5).expect("read").is_none());
    assert!(store.get(Space::Queries, "q1").expect("get").is_some());
    assert_eq!(d.sweep().expect("sweep"), 1);
    assert!(store.get(Space::Queries, "q1").expect("get").is_none());
    assert_eq!(d.held(), 0);
}

#[test]
fn clients_and_the_node_are_bounded_and_expiry_frees_room() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let clock = ManualClock::new();
    let d = diagnoses(store.clone(), clock.clone());
    d.diagnose("a", "q1", "headache").expect("first");
    d.diagnose("a", "q2", "headache").expect("second");
    // Replacing one's own query costs nothing.
    d.diagnose("a", "q2", "chest pain").expect("replace");
    let refused = d.diagnose("a", "q3", "headache").expect_err("third for a");
    assert!(matches!(
        refused,
        DiagnoseError::Limit(LimitReached::PerClient { max: 2 })
    ));
    assert!(store.get(Space::Queries, "q3").expect("get").is_none());
    d.diagnose("b", "q4", "headache").expect("b");
    let full = d.diagnose("c", "q5", "headache").expect_err("node full");
    assert!(matches!(
        full,
        DiagnoseError::Limit(LimitReached::Total { max: 3 })
    ));
    // A node started again counts what is kept.
    assert_eq!(diagnoses(store.clone(), clock.clone()).held(), 3);
    clock.advance(60_000);
    assert_eq!(d.sweep().expect("sweep"), 3);
    d.diagnose("a", "q3", "headache").expect("room again");
    assert_eq!(d.held(), 1);
}
