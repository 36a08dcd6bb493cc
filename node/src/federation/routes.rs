//! Routes toward origins that are not our peers: through which peer an origin's objects
//! last reached us. Directed objects for that origin go back the same way (see
//! [`super::outbox`]). The freshest route wins, so a peer that stopped relaying an origin
//! (gone, or one that relayed it once to draw its traffic) stops being its route as soon
//! as another peer brings something newer.

use serde::{Deserialize, Serialize};

use crate::store::{Space, Store, record};

/// A route as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Route {
    /// The peer that brought the origin's newest object.
    via: String,
    /// When (unix ms).
    at: i64,
}

/// Notes that `via` just brought a new object of `origin`. Writes only when the route
/// changes; routes are a cache, rebuilt as objects arrive.
pub fn learn(store: &dyn Store, origin: &str, via: &str, now_ms: i64) {
    if origin == via || get(store, origin).as_deref() == Some(via) {
        return;
    }
    let route = Route {
        via: via.to_owned(),
        at: now_ms,
    };
    if let Err(e) = store.put(Space::Routes, origin, &record::encode(&route)) {
        tracing::warn!(origin, peer = via, error = %e, "cannot note a route");
    }
}

/// The peer through which `origin` was last heard from, if any.
pub fn get(store: &dyn Store, origin: &str) -> Option<String> {
    let bytes = store.get(Space::Routes, origin).ok().flatten()?;
    record::decode::<Route>("route", origin, &bytes)
        .ok()
        .map(|r| r.via)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::memory::MemoryStore;

    #[test]
    fn the_freshest_route_wins() {
        let store = MemoryStore::new();
        assert_eq!(get(&store, "http://x"), None);
        learn(&store, "http://x", "http://a", 1);
        assert_eq!(get(&store, "http://x").as_deref(), Some("http://a"));
        learn(&store, "http://x", "http://b", 2);
        assert_eq!(get(&store, "http://x").as_deref(), Some("http://b"));
        // An origin is never its own route.
        learn(&store, "http://b", "http://b", 3);
        assert_eq!(get(&store, "http://b"), None);
    }
}
