//! Catching up: each peer's public log is read from where we last stopped, page by page,
//! through the same checks as a push. Runs at start and then every few minutes, so a node
//! that was down, or new, gets what it missed.

use std::sync::Arc;
use std::time::Duration;

use caremesh_federation::PeerClient;
use tokio::sync::Notify;

use crate::federation::inbox::Inbox;
use crate::federation::peers::Peers;
use crate::store::{Space, Store, record};

/// Entries asked for per page.
const PAGE: usize = 200;

/// Pulls from every peer.
pub struct Puller {
    pub inbox: Arc<Inbox>,
    pub client: PeerClient,
    pub peers: Peers,
    pub store: Arc<dyn Store>,
    pub every: Duration,
}

fn cursor_key(peer: &str) -> String {
    format!("in {peer}")
}

impl Puller {
    /// Pulls now and then every `every`, until shutdown.
    pub async fn run(self, shutdown: Arc<Notify>) {
        loop {
            for peer in self.peers.list().unwrap_or_default() {
                if let Err(problem) = self.catch_up(&peer.url).await {
                    tracing::info!(peer = %peer.url, problem, "pull paused");
                }
            }
            tokio::select! {
                _ = shutdown.notified() => return,
                _ = tokio::time::sleep(self.every) => {}
            }
        }
    }

    /// Reads `peer`'s log to its end. Returns how many envelopes were newly stored.
    pub async fn catch_up(&self, peer: &str) -> Result<usize, String> {
        let mut after = self
            .store
            .get(Space::Cursors, &cursor_key(peer))
            .ok()
            .flatten()
            .and_then(|b| record::decode::<u64>("cursor", peer, &b).ok())
            .unwrap_or(0);
        let mut stored = 0;
        loop {
            let page = self
                .client
                .pull(peer, after, PAGE)
                .await
                .map_err(|e| e.to_string())?;
            let outcomes = self.inbox.ingest(peer, page.envelopes).await;
            stored += outcomes
                .iter()
                .filter(|o| **o == caremesh_federation::Outcome::Stored)
                .count();
            // Envelopes whose origin's key is not known yet are parked, not a reason to stop:
            // only our own storage trouble makes us read this page again.
            let retry = outcomes.iter().any(|o| {
                matches!(
                    o,
                    caremesh_federation::Outcome::Rejected {
                        check: caremesh_federation::Check::Storage,
                        ..
                    }
                )
            });
            if retry {
                return Err("some envelopes could not be stored; will retry".into());
            }
            after = page.next;
            let _ = self
                .store
                .put(Space::Cursors, &cursor_key(peer), &record::encode(&after));
            if !page.more {
                if stored > 0 {
                    tracing::info!(peer, stored, "caught up");
                }
                return Ok(stored);
            }
        }
    }
}
