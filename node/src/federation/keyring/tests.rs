//! The keyring's fetch intervals, and the memo against a rotation learned meanwhile.

use super::*;

#[test]
fn a_silent_origin_is_asked_again_sooner_than_one_that_answered() {
    let ago = |secs| Instant::now() - Duration::from_secs(secs);
    let answered = |at| Fetched { at, answered: true };
    let silent = |at| Fetched {
        at,
        answered: false,
    };
    assert!(answered(ago(0)).too_recent());
    assert!(answered(ago(UNANSWERED_FETCH_INTERVAL.as_secs() + 1)).too_recent());
    assert!(!answered(ago(FETCH_INTERVAL.as_secs() + 1)).too_recent());
    assert!(silent(ago(0)).too_recent());
    assert!(!silent(ago(UNANSWERED_FETCH_INTERVAL.as_secs() + 1)).too_recent());
}

/// A lookup of the old key racing the identity that retires it: once the rotation is
/// learned, the old key is never remembered without its end (which would let a stolen
/// old key sign new objects for as long as the memo keeps it).
#[test]
fn a_key_read_while_its_retirement_is_learned_keeps_its_end() {
    use crate::store::Store;
    use crate::store::memory::MemoryStore;
    use caremesh_federation::client::ClientConfig;
    use caremesh_federation::{Keychain, NodeKey};
    use std::sync::atomic::{AtomicBool, Ordering};

    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let here = "http://here.example";
    let config = crate::config::Config::embedded_default();
    let peers = Peers::new(store.clone(), &config.federation, here).unwrap();
    let client = PeerClient::new(NodeKey::generate(), here, &ClientConfig::default()).unwrap();
    let own = Arc::new(Identity::new(here, "here", &NodeKey::generate()));
    let keyring = Keyring::new(own, Identities::new(store.clone()), peers, client);
    for round in 0..300 {
        let origin = format!("http://a{round}.example");
        let mut chain = Keychain::from(NodeKey::generate());
        let first = Identity::of(&origin, "a", &chain);
        keyring.accept(&origin, &first, Source::Origin).unwrap();
        let old = chain.current().id().to_owned();
        let next = NodeKey::from_secret("ed25519:2", NodeKey::generate_secret()).unwrap();
        chain.rotate(&origin, next, 1_000).unwrap();
        let rotated = Identity::of(&origin, "a", &chain);
        let done = AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| {
                while !done.load(Ordering::Relaxed) {
                    let _ = keyring.cached(&origin, &old);
                }
            });
            std::thread::yield_now();
            keyring.accept(&origin, &rotated, Source::Origin).unwrap();
            done.store(true, Ordering::Relaxed);
        });
        let known = keyring.cached(&origin, &old).unwrap().unwrap();
        assert_eq!(known.valid_until, Some(1_000), "round {round}");
    }
}
