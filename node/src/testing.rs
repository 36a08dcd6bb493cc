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
        Arc::new(ManualClock(AtomicI64::new(1_800_000_000_000)))
    }

    /// Moves the clock `ms` milliseconds on.
    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
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
    Publisher::new(
        store,
        NodeKey::generate(),
        "http://a.test".into(),
        Default::default(),
        Events::new(),
    )
}
