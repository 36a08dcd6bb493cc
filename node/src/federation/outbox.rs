//! Delivery: one worker per peer reads the node's log from that peer's cursor and pushes
//! what the peer should have, one batch in flight at a time. The cursor moves only after the
//! peer answered, so a crash or a peer that is down loses nothing: the same entries are
//! pushed again (the peer deduplicates by object id and version, and by transaction id).
//!
//! What a peer should have: every public object it did not send us and does not own, and
//! directed objects whose route leads through it (learned from where their addressee's
//! objects came from; without a route, every peer but the one that brought it).
//!
//! A batch holds at most 50 envelopes and stays under the inbox's 1 MiB, so three health
//! chunks go in one push. Objects of a transient kind ([`crate::kinds::transient`]: health
//! deposits, chunks, ...) are removed from this node's store once a push that carried them
//! was answered: they were for someone else, and a tombstone keeps a copy that comes back
//! from being stored again.

use std::sync::Arc;
use std::time::Duration;

use caremesh_federation::client::PeerError;
use caremesh_federation::{Batch, Check, Envelope, Outcome, PeerClient, codec};
use rand::Rng;
use tokio::sync::Notify;

use crate::federation::peers::Peers;
use crate::federation::routes;
use crate::kinds;
use crate::store::{LogEntry, Space, Store, record};

/// Log entries scanned per step.
const SCAN: usize = 1_000;
/// Envelopes per push.
const BATCH: usize = caremesh_federation::batch::MAX_BATCH_ENVELOPES;
/// Encoded envelope bytes per push: the inbox's limit less room for the batch around them.
const BATCH_BYTES: usize = caremesh_federation::batch::MAX_BATCH_BYTES - 16 * 1024;

/// What every delivery worker shares.
#[derive(Clone)]
pub struct Outbox {
    pub store: Arc<dyn Store>,
    pub client: PeerClient,
    pub peers: Peers,
    pub wake: Arc<Notify>,
    pub origin: String,
    pub retry_max: Duration,
}

/// Pause after a peer answered `rate_limit`.
const RATE_PAUSE: Duration = Duration::from_secs(1);

/// Why a push did not go through.
enum Failed {
    /// The peer's rate limit: wait a moment.
    Slow,
    /// The peer named when to come back (`Retry-After`), e.g. once it may fetch our new key.
    Later(Duration),
    /// Anything else: back off.
    Other(String),
}

fn cursor_key(peer: &str) -> String {
    format!("out {peer}")
}

impl Outbox {
    /// Runs one worker per peer, starting workers for peers added later, until shutdown.
    pub async fn run(self, shutdown: Arc<Notify>) {
        let mut running: Vec<String> = Vec::new();
        loop {
            for peer in self.peers.list().unwrap_or_default() {
                if !running.contains(&peer.url) {
                    running.push(peer.url.clone());
                    tokio::spawn(self.clone().run_peer(peer.url));
                }
            }
            tokio::select! {
                _ = shutdown.notified() => return,
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
        }
    }

    fn cursor(&self, peer: &str) -> u64 {
        self.store
            .get(Space::Cursors, &cursor_key(peer))
            .ok()
            .flatten()
            .and_then(|b| record::decode::<u64>("cursor", peer, &b).ok())
            .unwrap_or(0)
    }

    fn save_cursor(&self, peer: &str, seq: u64) {
        if let Err(e) = self
            .store
            .put(Space::Cursors, &cursor_key(peer), &record::encode(&seq))
        {
            tracing::error!(peer, error = %e, "cannot save outbox cursor");
        }
    }

    /// Delivers to one peer forever.
    async fn run_peer(self, peer: String) {
        let mut cursor = self.cursor(&peer);
        let mut failures: u32 = 0;
        loop {
            let woken = self.wake.notified();
            let (envelopes, scanned_to, full_scan) = self.next_batch(&peer, cursor);
            if envelopes.is_empty() {
                if scanned_to != cursor {
                    cursor = scanned_to;
                    self.save_cursor(&peer, cursor);
                }
                if !full_scan {
                    let _ = tokio::time::timeout(Duration::from_secs(2), woken).await;
                }
                continue;
            }
            match self.push(&peer, cursor, scanned_to, envelopes).await {
                Ok(()) => {
                    failures = 0;
                    cursor = scanned_to;
                    self.save_cursor(&peer, cursor);
                }
                // The peer takes fewer envelopes a minute than we have for it: not a fault,
                // just wait a little, without backing off further and further.
                Err(Failed::Slow) => tokio::time::sleep(RATE_PAUSE).await,
                Err(Failed::Later(pause)) => {
                    let pause = pause.min(self.retry_max);
                    tracing::info!(
                        peer,
                        retry_in_ms = pause.as_millis() as u64,
                        "peer asked to come back later"
                    );
                    tokio::time::sleep(pause).await;
                }
                Err(Failed::Other(problem)) => {
                    failures = failures.saturating_add(1);
                    let pause = backoff(failures, self.retry_max);
                    tracing::warn!(
                        peer,
                        failures,
                        retry_in_ms = pause.as_millis() as u64,
                        problem,
                        "delivery failed"
                    );
                    tokio::time::sleep(pause).await;
                }
            }
        }
    }

    async fn push(
        &self,
        peer: &str,
        from: u64,
        to: u64,
        envelopes: Vec<Envelope>,
    ) -> Result<(), Failed> {
        let count = envelopes.len();
        let transient: Vec<(String, u64)> = envelopes
            .iter()
            .filter(|env| kinds::transient(env.kind))
            .filter_map(|env| env.decode().ok())
            .map(|object| (object.meta().id.clone(), object.meta().version))
            .collect();
        // The same log range always gets the same transaction id, so retries are idempotent.
        let batch = Batch {
            txn: format!("{from}-{to}"),
            envelopes,
        };
        let reply = match self.client.push(peer, &batch).await {
            Ok(reply) => reply,
            Err(PeerError::Status {
                code: Some(Check::RateLimit),
                ..
            }) => return Err(Failed::Slow),
            Err(PeerError::Status {
                retry_after: Some(secs),
                ..
            }) => return Err(Failed::Later(Duration::from_secs(secs.max(1)))),
            Err(e) => return Err(Failed::Other(e.to_string())),
        };
        let mut retry = false;
        for outcome in &reply.results {
            match outcome {
                Outcome::Rejected { check, message } => {
                    tracing::warn!(peer, check = %check, message, "peer refused an envelope");
                    // Only the peer's own trouble is worth sending the same push again; an
                    // envelope it cannot check must not hold up the rest of the link.
                    retry |= *check == Check::Storage;
                }
                Outcome::Parked { message } => {
                    tracing::info!(peer, message, "peer parked an envelope");
                }
                Outcome::Stored | Outcome::Duplicate => {}
            }
        }
        if retry {
            return Err(Failed::Other(
                "the peer could not store everything; sending again".into(),
            ));
        }
        tracing::debug!(peer, count, "delivered");
        for (id, version) in transient {
            if let Err(e) = self.store.remove_object(&id, version) {
                tracing::warn!(peer, object_id = %id, error = %e, "cannot remove a delivered object");
            }
        }
        Ok(())
    }

    /// Up to one batch of envelopes for `peer` after `cursor`; the last sequence number
    /// looked at; whether the scan stopped early because the batch filled.
    fn next_batch(&self, peer: &str, cursor: u64) -> (Vec<Envelope>, u64, bool) {
        let entries = match self.store.log_after(cursor, SCAN) {
            Ok(e) => e,
            Err(e) => {
                tracing::error!(error = %e, "cannot read log");
                return (Vec::new(), cursor, false);
            }
        };
        let full = entries.len() == SCAN;
        let mut out = Vec::new();
        let mut bytes = 0;
        let mut last = cursor;
        for entry in entries {
            if out.len() == BATCH {
                return (out, last, true);
            }
            if !self.wants(peer, &entry) {
                last = entry.seq;
                continue;
            }
            let Some((env, size)) = self.current_envelope(&entry) else {
                last = entry.seq;
                continue;
            };
            if !out.is_empty() && bytes + size > BATCH_BYTES {
                return (out, last, true);
            }
            last = entry.seq;
            bytes += size;
            out.push(env);
        }
        (out, last, full)
    }

    fn wants(&self, peer: &str, entry: &LogEntry) -> bool {
        if entry.from_peer.as_deref() == Some(peer) || entry.origin == peer {
            return false;
        }
        match &entry.addressee {
            None => true,
            Some(to) if *to == self.origin => false,
            Some(to) if to == peer => true,
            Some(to) => match self.route(to) {
                Some(via) => via == peer,
                None => self.peers.get(to).ok().flatten().is_none(),
            },
        }
    }

    fn route(&self, origin: &str) -> Option<String> {
        if self.peers.get(origin).ok().flatten().is_some() {
            return Some(origin.to_owned());
        }
        routes::get(&*self.store, origin)
    }

    /// The envelope of the entry's version and its encoded size, if it is still the newest
    /// (and was not removed).
    fn current_envelope(&self, entry: &LogEntry) -> Option<(Envelope, usize)> {
        let stored = self.store.get_object(&entry.id).ok().flatten()?;
        if stored.seq != entry.seq {
            return None; // a newer version has its own, later log entry
        }
        let size = stored.object.envelope.len();
        codec::decode("envelope", &stored.object.envelope)
            .ok()
            .map(|env| (env, size))
    }
}

/// Capped exponential backoff with jitter: 0.2 s · 2ⁿ, at most `max`, times 0.5–1.0.
pub fn backoff(failures: u32, max: Duration) -> Duration {
    let base = 0.2_f64 * 2f64.powi(failures.min(20) as i32 - 1);
    let capped = base.min(max.as_secs_f64());
    Duration::from_secs_f64(capped * rand::thread_rng().gen_range(0.5..=1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three chunks of 256 KiB fit under the inbox's 1 MiB; delivered ones leave the store.
    #[tokio::test]
    async fn batches_stay_under_the_inbox_limit() {
        use caremesh_federation::object::{Chunk, Object};
        use caremesh_federation::{Meta, NodeKey};

        use crate::store::memory::MemoryStore;
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        let key = NodeKey::generate();
        let (here, home) = ("http://127.0.0.1:1", "http://127.0.0.1:2");
        for index in 0..7 {
            let chunk = Chunk {
                meta: Meta {
                    id: ulid::Ulid::new().to_string(),
                    origin: here.into(),
                    version: 1,
                    created_at: 1,
                    updated_at: 1,
                },
                addressee: home.into(),
                deposit_id: ulid::Ulid::new().to_string(),
                index,
                sealed: vec![7; 256 * 1024 + 48],
            };
            let object = Object::Chunk(chunk);
            let env = Envelope::seal(&object, &key).unwrap();
            store
                .put_object(crate::objects::to_new_object(&env, &object, None), None)
                .unwrap();
        }
        let config = crate::config::FederationSection {
            policy: crate::config::Policy::Allowlist,
            peers: vec![crate::config::PeerConfig {
                url: home.into(),
                key: None,
            }],
            blocklist: Vec::new(),
            rate_limit_per_minute: 1,
            retry_max_secs: 1,
        };
        let outbox = Outbox {
            store: store.clone(),
            client: PeerClient::new(key.clone(), here, &Default::default()).unwrap(),
            peers: Peers::new(store.clone(), &config, here).unwrap(),
            wake: Arc::new(Notify::new()),
            origin: here.into(),
            retry_max: Duration::from_secs(1),
        };
        let (batch, last, more) = outbox.next_batch(home, 0);
        assert_eq!((batch.len(), last, more), (3, 3, true));
        let (batch, last, _) = outbox.next_batch(home, last);
        assert_eq!((batch.len(), last), (3, 6));
        let (batch, last, _) = outbox.next_batch(home, last);
        assert_eq!((batch.len(), last), (1, 7));
    }

    #[test]
    fn backoff_grows_and_caps() {
        let max = Duration::from_secs(60);
        assert!(backoff(1, max) <= Duration::from_millis(200));
        assert!(backoff(5, max) >= Duration::from_millis(1_600));
        assert!(backoff(30, max) <= max);
        assert!(backoff(30, max) >= max / 2);
    }
}
