//! Shared by the unit tests: a clock moved by hand and a publisher on a test origin.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use caremesh_federation::NodeKey;

use crate::clock::Clock;
use crate::events::Events;
use crate::objects::Publisher;
use crate::store::Store;

/// A clock that stands still until a test moves it.
pub struct ManualClock(AtomicI64);

impl ManualClock {
    /// A clock at an instant in 2027, far from any edge of the tested rules.
    pub fn new() -> Arc<ManualClock> {
        ManualClock::at(1_800_000_000_000)
    }

    /// A clock standing at `ms` (milliseconds since the Unix epoch).
    pub fn at(ms: i64) -> Arc<ManualClock> {
        Arc::new(ManualClock(AtomicI64::new(ms)))
    }

    /// Moves the clock `ms` milliseconds on.
    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }

    /// Sets the clock to `ms` (milliseconds since the Unix epoch), back or forth.
    pub fn set(&self, ms: i64) {
        self.0.store(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// A publisher over `store` for the origin `http://a.test`, signing with a fresh key; no
/// one listens to its wake-ups or events.
pub fn publisher(store: Arc<dyn Store>) -> Publisher {
    publisher_at(store, "http://a.test")
}

/// [`publisher`] for the node at `origin`.
pub fn publisher_at(store: Arc<dyn Store>, origin: &str) -> Publisher {
    Publisher::new(
        store,
        NodeKey::generate(),
        origin.into(),
        Default::default(),
        Events::new(),
    )
}
