//! Newly stored objects, local or federated, for whoever listens in-process. Two ways in:
//! **hooks** run synchronously for every stored object (indexes that must never miss one);
//! **subscribers** get a broadcast (chat notifications, benchmarks) and, if they fall behind,
//! lose the oldest events rather than block the node.

use std::sync::{Arc, RwLock};

use caremesh_federation::Object;
use tokio::sync::broadcast;

/// How many events a slow listener may lag behind.
const CAPACITY: usize = 1 << 16;

/// A synchronous listener.
pub type Hook = Arc<dyn Fn(&Object) + Send + Sync>;

/// The event bus.
#[derive(Clone)]
pub struct Events {
    sender: broadcast::Sender<Arc<Object>>,
    hooks: Arc<RwLock<Vec<Hook>>>,
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
            hooks: Arc::default(),
        }
    }

    /// Adds a hook, run for every object stored from now on.
    pub fn add_hook(&self, hook: Hook) {
        self.hooks
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .push(hook);
    }

    /// Tells every listener about a stored object.
    pub fn emit(&self, object: Object) {
        for hook in self.hooks.read().unwrap_or_else(|p| p.into_inner()).iter() {
            hook(&object);
        }
        let _ = self.sender.send(Arc::new(object));
    }

    /// A new listener, seeing events from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Object>> {
        self.sender.subscribe()
    }
}
