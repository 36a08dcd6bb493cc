//! Group commit for the sled store: many writers, one `fsync`.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::db_err;
use crate::store::StoreError;

/// Group commit: a writer takes a ticket after its writes; a flush that started after the
/// ticket was taken covers them, so a writer whose ticket is already covered only waits.
/// Under load one `fsync` (about 0.1–1 ms here) covers many writers.
#[derive(Default)]
pub(super) struct GroupCommit {
    gate: Mutex<()>,
    tickets: AtomicU64,
    flushed: AtomicU64,
}

impl GroupCommit {
    /// Makes everything written to `db` before this call durable, sharing the disk sync
    /// with concurrent callers. Runs on a blocking-friendly thread (see [`blocking`]).
    pub(super) fn flush(&self, db: &sled::Db) -> Result<(), StoreError> {
        blocking(|| self.sync(db))
    }

    fn sync(&self, db: &sled::Db) -> Result<(), StoreError> {
        let mine = self.tickets.fetch_add(1, Ordering::SeqCst) + 1;
        let _gate = self.gate.lock().unwrap_or_else(|p| p.into_inner());
        if self.flushed.load(Ordering::SeqCst) >= mine {
            return Ok(());
        }
        let covered = self.tickets.load(Ordering::SeqCst);
        db.flush().map_err(db_err("flush"))?;
        self.flushed.fetch_max(covered, Ordering::SeqCst);
        Ok(())
    }
}

/// Runs a call that waits for the disk. On a multi-threaded tokio worker the runtime first
/// moves its other tasks to another thread, so they do not wait with it.
fn blocking<T>(call: impl FnOnce() -> T) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(RuntimeFlavor::MultiThread) => tokio::task::block_in_place(call),
        _ => call(),
    }
}
