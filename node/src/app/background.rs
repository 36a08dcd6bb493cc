//! The node's background work: outbox delivery, catch-up pulls, directory snapshots, and the
//! sweep of overdue acceptances, old nonces and remembered transactions.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::{App, snapshot_path};
use crate::clock::Clock;
use crate::directory::search::Directory;
use crate::federation::inbox::{Inbox, RememberedPush};
use crate::federation::outbox::Outbox;
use crate::federation::pull::Puller;
use crate::marketplace::Marketplace;
use crate::store::{Space, Store};

/// How often the directory index is written to its snapshot while listings change, which
/// bounds what a start after a crash replays from the log.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(300);
/// How often parked envelopes that are due are retried (the first retry of one is due
/// [`crate::federation::parking::FIRST_RETRY_MS`] after it was parked).
const PARKED_EVERY: Duration = Duration::from_secs(5);

impl App {
    /// Starts delivery, catch-up and housekeeping; they stop when `shutdown` is notified.
    pub fn spawn_background(&self, shutdown: Arc<Notify>) {
        let delivery = &self.delivery;
        let outbox = Outbox {
            store: self.store.clone(),
            client: delivery.client.clone(),
            peers: delivery.peers.clone(),
            wake: delivery.wake.clone(),
            origin: self.services.node.origin.clone(),
            retry_max: Duration::from_secs(self.config.federation.retry_max_secs.max(1)),
        };
        tokio::spawn(outbox.run(shutdown.clone()));
        let puller = Puller {
            inbox: self.federation.inbox.clone(),
            client: delivery.client.clone(),
            peers: delivery.peers.clone(),
            store: self.store.clone(),
            every: Duration::from_secs(300),
        };
        tokio::spawn(puller.run(shutdown.clone()));
        tokio::spawn(retry_parked(
            self.federation.inbox.clone(),
            shutdown.clone(),
        ));
        tokio::spawn(checkpoint(
            self.services.finder.index().clone(),
            self.store.clone(),
            snapshot_path(&self.config.data_dir()),
            shutdown.clone(),
        ));
        tokio::spawn(
            self.services
                .health
                .clone()
                .run_intake(self.events.clone(), shutdown.clone()),
        );
        tokio::spawn(self.services.appointments.clone().run(
            self.events.clone(),
            crate::chat::reminder_sink(self.store.clone()),
            shutdown.clone(),
        ));
        tokio::spawn(self.services.diagnoses.clone().run(shutdown.clone()));
        tokio::spawn(sweep(
            self.store.clone(),
            self.services.clock.clone(),
            self.services.market.clone(),
            shutdown,
        ));
    }
}

/// Retries parked envelopes: those due, every [`PARKED_EVERY`], and an origin's at once
/// when its keys were learned.
async fn retry_parked(inbox: Arc<Inbox>, shutdown: Arc<Notify>) {
    loop {
        let origins = tokio::select! {
            _ = shutdown.notified() => return,
            _ = tokio::time::sleep(PARKED_EVERY) => vec![None],
            learned = inbox.keyring.learned() => learned.into_iter().map(Some).collect(),
        };
        for origin in origins {
            let stored = inbox.retry_parked(origin.as_deref()).await;
            if stored > 0 {
                tracing::info!(stored, origin, "parked envelopes stored");
            }
        }
    }
}

/// Writes the directory snapshot every [`CHECKPOINT_EVERY`] when listings changed.
async fn checkpoint(
    directory: Arc<Directory>,
    store: Arc<dyn Store>,
    path: PathBuf,
    shutdown: Arc<Notify>,
) {
    loop {
        tokio::select! {
            _ = shutdown.notified() => return,
            _ = tokio::time::sleep(CHECKPOINT_EVERY) => {}
        }
        if !directory.changed_since_save() {
            continue;
        }
        let (directory, store, path) = (directory.clone(), store.clone(), path.clone());
        let started = Instant::now();
        match tokio::task::spawn_blocking(move || directory.save(&*store, &path)).await {
            Ok(Ok(())) => tracing::info!(
                elapsed_ms = started.elapsed().as_millis() as u64,
                "directory snapshot written"
            ),
            Ok(Err(e)) => tracing::warn!(error = %e, "directory snapshot failed"),
            Err(e) => tracing::warn!(error = %e, "directory snapshot task failed"),
        }
    }
}

/// Lapses overdue acceptances, and drops replay nonces and remembered transactions once
/// they cannot matter any more.
async fn sweep(
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    market: Marketplace,
    shutdown: Arc<Notify>,
) {
    loop {
        tokio::select! {
            _ = shutdown.notified() => return,
            _ = tokio::time::sleep(Duration::from_secs(60)) => {}
        }
        match tokio::task::spawn_blocking({
            let market = market.clone();
            move || market.lapse_overdue()
        })
        .await
        {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::info!(lapsed = n, "overdue acceptances lapsed"),
            Ok(Err(e)) => tracing::error!(error = %e, "lapse sweep failed"),
            Err(e) => tracing::error!(error = %e, "lapse sweep task failed"),
        }
        forget_old(&*store, clock.now_ms());
    }
}

/// Drops replay nonces past the clock window and transactions older than a day.
fn forget_old(store: &dyn Store, now_ms: i64) {
    let window = caremesh_federation::request_auth::CLOCK_WINDOW_SECS;
    for (key, value) in store.scan(Space::Nonces).unwrap_or_default() {
        let expires: i64 = crate::store::record::decode("nonce", &key, &value).unwrap_or(0);
        if expires + window < now_ms / 1000 {
            let _ = store.delete(Space::Nonces, &key);
        }
    }
    for (key, value) in store.scan(Space::Txns).unwrap_or_default() {
        let at = crate::store::record::decode::<RememberedPush>("txn", &key, &value)
            .map(|r| r.at)
            .unwrap_or(0);
        if at + 86_400_000 < now_ms {
            let _ = store.delete(Space::Txns, &key);
        }
    }
}
