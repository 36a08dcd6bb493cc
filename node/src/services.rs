//! What the edges get. The local HTTP API and the chat bots call domain services, never
//! the whole node: [`Services`] holds them, built once by [`crate::app::App::open`]. The
//! API's routers take it as their state and each handler names the few services it uses
//! (`State<Marketplace>`, `State<Finder>`, ...: axum's `FromRef`, derived below); the chat
//! port keeps the ones it calls. A new service is one field here and one line in
//! `App::open`.
//!
//! The federation routes and the operator's probes (`/healthz`, `/metrics`) get
//! [`FederationEdge`] instead: the inbox, the log and the counters, no domain service.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::FromRef;
use caremesh_federation::{Identity, Outcome};
use tokio::sync::Notify;

use crate::appointments::Appointments;
use crate::catalog::Catalog;
use crate::clock::Clock;
use crate::config::Policy;
use crate::diagnoses::Diagnoses;
use crate::directory::finder::Finder;
use crate::directory::listings::Listings;
use crate::directory::places::Gazetteer;
use crate::error::ServiceError;
use crate::federation::inbox::Inbox;
use crate::federation::peers::{Peer, Peers};
use crate::health::Health;
use crate::marketplace::Marketplace;
use crate::members::Members;
use crate::metrics::Metrics;
use crate::store::Store;
use crate::triage::Triage;

/// The domain services of a node.
#[derive(Clone, FromRef)]
pub struct Services {
    pub node: NodeInfo,
    pub members: Members,
    pub market: Marketplace,
    pub listings: Listings,
    pub finder: Finder,
    pub triage: Arc<Triage>,
    pub diagnoses: Diagnoses,
    pub peers: PeerAdmin,
    pub catalog: Arc<Catalog>,
    /// Place names people may type in the bots.
    pub places: Arc<Gazetteer>,
    pub clock: Arc<dyn Clock>,
    /// Health IDs, records, consent (the API the health endpoints and chat call).
    pub health: Health,
    /// Schedules, slots, bookings and medicine orders.
    pub appointments: Appointments,
}

/// Who this node is, as `GET /api/v1/node` tells it.
#[derive(Clone)]
pub struct NodeInfo {
    pub name: String,
    /// This node's public URL, the `origin` of its objects.
    pub origin: String,
    pub identity: Arc<Identity>,
    pub policy: Policy,
}

/// The admin's view of the peer set: adding a peer also wakes delivery, so what waits for
/// it goes out at once.
#[derive(Clone)]
pub struct PeerAdmin {
    peers: Peers,
    wake: Arc<Notify>,
}

impl PeerAdmin {
    /// The admin API over `peers`, waking the outbox through `wake`.
    pub fn new(peers: Peers, wake: Arc<Notify>) -> Self {
        Self { peers, wake }
    }

    /// Every peer.
    pub fn list(&self) -> Result<Vec<Peer>, ServiceError> {
        self.peers.list()
    }

    /// Adds a peer (`key` optional, unpadded base64); false when it was already there.
    pub fn add(&self, url: &str, key: Option<String>) -> Result<bool, ServiceError> {
        let added = self.peers.add(url, key)?;
        self.wake.notify_waiters();
        Ok(added)
    }
}

/// What the federation routes and the operator's probes use.
#[derive(Clone, FromRef)]
pub struct FederationEdge {
    pub inbox: Arc<Inbox>,
    pub identity: Arc<Identity>,
    /// The object log, read by pulls and probes.
    pub store: Arc<dyn Store>,
    pub metrics: Arc<Metrics>,
    /// Answers and relays health reads (`POST /federation/v1/health/read`).
    pub health: Health,
    pub started: Instant,
}

impl FederationEdge {
    /// Counts inbox outcomes for the metrics.
    pub fn count_outcomes(&self, outcomes: &[Outcome]) {
        for o in outcomes {
            let label = match o {
                Outcome::Stored => "outcome=\"stored\"".to_owned(),
                Outcome::Duplicate => "outcome=\"duplicate\"".to_owned(),
                Outcome::Parked { .. } => "outcome=\"parked\"".to_owned(),
                Outcome::Rejected { check, .. } => {
                    format!("outcome=\"rejected\",check=\"{check}\"")
                }
            };
            self.metrics.add("inbox_envelopes_total", &label, 1);
        }
    }
}
