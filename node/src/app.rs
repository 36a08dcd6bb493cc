//! Building a node from its config: the store, the key, the services, the federation
//! machinery, and running it all. Everything is built once here; each edge then gets only
//! its part: [`Services`] for the local API and the chat bots, [`FederationEdge`] for the
//! federation routes.

mod background;
mod key_rotation;
mod parts;
mod secrets;
mod start_error;

use std::sync::Arc;
use std::time::Instant;

use caremesh_federation::client::ClientConfig;
use caremesh_federation::{Identity, PeerClient};
use tokio::sync::Notify;

use crate::appointments::Appointments;
use crate::catalog::Catalog;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::diagnoses::Diagnoses;
use crate::directory::finder::Finder;
use crate::directory::listings::Listings;
use crate::directory::places::Gazetteer;
use crate::directory::search::{Directory, Loaded};
use crate::events::Events;
use crate::federation::inbox::Inbox;
use crate::federation::keyring::Keyring;
use crate::federation::parking::ParkingLot;
use crate::federation::peers::Peers;
use crate::federation::rate_limit::RateLimit;
use crate::health::Health;
use crate::health::relay::Transport;
use crate::identities::Identities;
use crate::kinds::Gates;
use crate::marketplace::Marketplace;
use crate::members::Members;
use crate::metrics::Metrics;
use crate::objects::{Notifier, Publisher};
use crate::services::{FederationEdge, NodeInfo, PeerAdmin, Services};
use crate::store::{Store, StoreError};

pub use key_rotation::{Rotated, rotate_key};
pub use parts::snapshot_path;
use parts::{open_appointments, open_directory, open_health, open_store};
pub use secrets::{load_key, load_token, rotate_admin_token};
pub use start_error::{OfflineError, StartError};

/// A node, opened: what `caremesh run`, the offline commands and the tests hold.
pub struct App {
    pub config: Config,
    /// The domain services, for the local API and the chat bots.
    pub services: Services,
    /// The inbox, the log and the counters, for the federation routes.
    pub federation: FederationEdge,
    pub store: Arc<dyn Store>,
    /// Every object stored, local or federated, as it is stored.
    pub events: Events,
    /// How the directory index was loaded at start.
    pub directory_loaded: Loaded,
    delivery: Delivery,
}

/// What only delivery and catch-up use.
struct Delivery {
    client: PeerClient,
    peers: Peers,
    wake: Arc<Notify>,
}

/// What every part of a node is built on.
struct Core {
    store: Arc<dyn Store>,
    origin: String,
    clock: Arc<dyn Clock>,
    identity: Arc<Identity>,
    members: Members,
    peers: Peers,
    client: PeerClient,
    wake: Arc<Notify>,
    events: Events,
    publisher: Publisher,
    inbox: Arc<Inbox>,
    metrics: Arc<Metrics>,
    health: Health,
    appointments: Appointments,
}

impl Core {
    /// The key, the admin token, the store, and the federation machinery over them.
    fn open(config: &Config, first_run: bool) -> Result<Core, StartError> {
        let keys = load_key(&config.resolve(&config.node.key_file), first_run)?;
        let token = load_token(&config.resolve(&config.api.admin_token_file), first_run)?;
        let store = open_store(config)?;
        let origin = config.public_url();
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let identity = Arc::new(Identity::of(&origin, &config.node.name, &keys));
        let identities = Identities::new(store.clone());
        identities.put(&identity)?;
        let members = Members::new(store.clone())
            .watch_admin_file(config.resolve(&config.api.admin_token_file), &token);
        members.ensure_admin(&token, clock.now_ms())?;
        let peers = Peers::new(store.clone(), &config.federation, &origin)?;
        let client = PeerClient::new(keys.current().clone(), &origin, &ClientConfig::default())
            .map_err(|e| StartError::Client(e.to_string()))?;
        let wake = Arc::new(Notify::new());
        let events = Events::new();
        let publisher = Publisher::new(
            store.clone(),
            keys,
            origin.clone(),
            wake.clone(),
            events.clone(),
        );
        let keyring = Arc::new(Keyring::new(
            identity.clone(),
            identities,
            peers.clone(),
            client.clone(),
        ));
        let metrics = Arc::new(Metrics::default());
        let transport = Transport {
            client: client.clone(),
            peers: peers.clone(),
            keyring: keyring.clone(),
            store: store.clone(),
        };
        let health = open_health(config, &publisher, &clock, transport, &metrics)?;
        let appointments = open_appointments(config, &publisher, &clock, &health, &members);
        let inbox = Arc::new(Inbox {
            store: store.clone(),
            keyring,
            parking: ParkingLot::new(store.clone()),
            peers: peers.clone(),
            rate_limit: RateLimit::new(config.federation.rate_limit_per_minute),
            origin: origin.clone(),
            clock: clock.clone(),
            notifier: Notifier::new(wake.clone(), events.clone()),
            gates: Gates {
                health: Some(Arc::new(health.clone())),
                appointments: Some(Arc::new(appointments.clone())),
            },
        });
        Ok(Core {
            store,
            origin,
            clock,
            identity,
            members,
            peers,
            client,
            wake,
            events,
            publisher,
            inbox,
            metrics,
            health,
            appointments,
        })
    }

    /// The domain services over the core and the directory index.
    fn services(&self, config: &Config, directory: Arc<Directory>) -> Result<Services, StartError> {
        let places_file = config.directory.places_file.as_ref();
        let places = Arc::new(Gazetteer::with_file(
            places_file.map(|p| config.resolve(p)).as_deref(),
        )?);
        let catalog = Arc::new(Catalog::builtin());
        let triage = Arc::new(
            crate::triage::Triage::builtin().map_err(|e| StartError::Triage(e.to_string()))?,
        );
        let clock = self.clock.clone();
        let listings = Listings::new(self.publisher.clone(), clock.clone());
        let finder = Finder::new(directory, listings.clone(), clock.clone());
        let store = self.store.clone();
        Ok(Services {
            node: NodeInfo {
                name: config.node.name.clone(),
                origin: self.origin.clone(),
                identity: self.identity.clone(),
                policy: config.federation.policy,
            },
            members: self.members.clone(),
            market: Marketplace::new(self.publisher.clone(), clock.clone(), catalog.clone())
                .with_policy(config.marketplace.clone()),
            listings,
            diagnoses: Diagnoses::new(
                store,
                triage.clone(),
                finder.clone(),
                clock.clone(),
                crate::diagnoses::ledger::QueryLimits::of(&config.api),
            )?,
            finder,
            triage,
            peers: PeerAdmin::new(self.peers.clone(), self.wake.clone()),
            health: self.health.clone(),
            appointments: self.appointments.clone(),
            catalog,
            places,
            clock,
        })
    }
}

impl App {
    /// Opens the node described by `config`. `first_run` lets a config-less node create its
    /// key and admin token.
    pub fn open(config: Config, first_run: bool) -> Result<App, StartError> {
        let core = Core::open(&config, first_run)?;
        let (directory, directory_loaded) =
            open_directory(&*core.store, &config.data_dir(), &core.events)?;
        let services = core.services(&config, directory)?;
        Ok(App {
            federation: FederationEdge {
                inbox: core.inbox,
                identity: core.identity,
                store: core.store.clone(),
                metrics: core.metrics.clone(),
                health: core.health.clone(),
                started: Instant::now(),
            },
            services,
            config,
            store: core.store,
            events: core.events,
            directory_loaded,
            delivery: Delivery {
                client: core.client,
                peers: core.peers,
                wake: core.wake,
            },
        })
    }

    /// Opens a node that is not running, for an offline import or export.
    pub fn open_offline(config: Config, first_run: bool) -> Result<App, OfflineError> {
        App::open(config, first_run).map_err(OfflineError)
    }

    /// Ends a clean shutdown: writes the directory index to its snapshot file (so the next
    /// start reads it and replays nothing) and flushes everything.
    pub fn close(&self) -> Result<(), StoreError> {
        let started = Instant::now();
        self.services
            .finder
            .index()
            .save(&*self.store, &snapshot_path(&self.config.data_dir()))?;
        self.store.flush()?;
        tracing::info!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "directory snapshot written, store flushed"
        );
        Ok(())
    }
}
