//! Newly stored objects, local or federated, for whoever listens in-process (chat
//! notifications, indexes, benchmarks). Listeners that fall behind lose the oldest events,
//! never block the node: durable state is in the store, events are only hints.

use std::sync::Arc;

use caremesh_federation::Object;
use tokio::sync::broadcast;

/// How many events a slow listener may lag behind.
const CAPACITY: usize = 1 << 16;

/// The event bus.
#[derive(Clone)]
pub struct Events {
    sender: broadcast::Sender<Arc<Object>>,
}

impl Default for Events {
    fn default() -> Self {
        Self::new()
    }
}

impl Events {
    /// A bus with no listeners.
    pub fn new() -> Self {
        Self {
            sender: broadcast::channel(CAPACITY).0,
        }
    }

    /// Tells every listener about a stored object.
    pub fn emit(&self, object: Object) {
        let _ = self.sender.send(Arc::new(object));
    }

    /// A new listener, seeing events from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Object>> {
        self.sender.subscribe()
    }
}
