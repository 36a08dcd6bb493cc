//! Building a node from its config: the store, the key, the services, the federation
//! machinery, and running it all. Everything is built once here; each edge then gets only
//! its part: [`Services`] for the local API and the chat bots, [`FederationEdge`] for the
//! federation routes.

mod background;
mod key_rotation;
mod secrets;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use caremesh_federation::client::ClientConfig;
use caremesh_federation::{Identity, PeerClient};
use tokio::sync::Notify;

use crate::appointments::people::HealthPeople;
use crate::appointments::{Appointments, Settings as AppointmentSettings};
use crate::catalog::Catalog;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::diagnoses::Diagnoses;
use crate::directory::finder::Finder;
use crate::directory::listings::Listings;
use crate::directory::places::Gazetteer;
use crate::directory::search::{Directory, Loaded};
use crate::error::ServiceError;
use crate::events::Events;
use crate::federation::inbox::Inbox;
use crate::federation::keyring::Keyring;
use crate::federation::parking::ParkingLot;
use crate::federation::peers::Peers;
use crate::federation::rate_limit::RateLimit;
use crate::health::relay::Transport;
use crate::health::{Health, HealthParts, HealthSettings, HealthStartError};
use crate::identities::Identities;
use crate::kinds::{self, Gates, Indexes};
use crate::marketplace::Marketplace;
use crate::members::Members;
use crate::metrics::Metrics;
use crate::objects::{Notifier, Publisher};
use crate::services::{FederationEdge, NodeInfo, PeerAdmin, Services};
use crate::store::sled_store::SledStore;
use crate::store::{Store, StoreError};

pub use key_rotation::{Rotated, rotate_key};
pub use secrets::{load_key, load_token};

/// Why a node could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(
        "key file {path}: {problem}. Run `caremesh init` to make a node, or fix node.key_file."
    )]
    Key { path: PathBuf, problem: String },
    #[error("admin token file {path}: {problem}. Fix api.admin_token_file.")]
    Token { path: PathBuf, problem: String },
    #[error(
        "cannot open the database in {path}: {source}. Is another caremesh using this data_dir?"
    )]
    Store {
        path: PathBuf,
        #[source]
        source: StoreError,
    },
    #[error("setting up the node failed: {0}")]
    Service(#[from] ServiceError),
    #[error("cannot listen on {addr}: {source}. Is the port in use? Change http.listen.")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("HTTP client: {0}")]
    Client(String),
    #[error("the built-in triage rules do not load: {0}")]
    Triage(String),
    #[error(transparent)]
    Places(#[from] crate::directory::places::PlacesError),
    #[error(transparent)]
    Health(#[from] HealthStartError),
}

/// Why an offline command (import, export) could not open a stopped node.
#[derive(Debug, thiserror::Error)]
#[error(
    "cannot open the node: {0}\n(import and export open the node's database directly: stop \
     `caremesh run` on this data_dir first; sled allows one process at a time)"
)]
pub struct OfflineError(#[source] pub StartError);

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

/// Where a clean shutdown writes the directory index.
pub fn snapshot_path(data_dir: &Path) -> PathBuf {
    data_dir.join("directory.snapshot")
}

/// The directory index from its snapshot plus the log, kept current as listings are stored.
fn open_directory(
    store: &dyn Store,
    data_dir: &Path,
    events: &Events,
) -> Result<(Arc<Directory>, Loaded), StartError> {
    let loading = Instant::now();
    let (directory, loaded) =
        Directory::load(store, &snapshot_path(data_dir)).map_err(|source| StartError::Store {
            path: data_dir.to_owned(),
            source,
        })?;
    tracing::info!(
        facilities = loaded.count,
        from = loaded.rebuilt_because.as_deref().unwrap_or("snapshot"),
        replayed = loaded.replayed,
        elapsed_ms = loading.elapsed().as_millis() as u64,
        "directory index loaded"
    );
    let directory = Arc::new(directory);
    let indexes = Indexes {
        directory: directory.clone(),
    };
    events.add_hook(Arc::new(move |object| kinds::index(object, &indexes)));
    Ok((directory, loaded))
}

fn open_store(config: &Config) -> Result<Arc<dyn Store>, StartError> {
    let data_dir = config.data_dir();
    let opening = Instant::now();
    let sled =
        SledStore::open(&data_dir.join("db"), config.node.cache_mb << 20).map_err(|source| {
            StartError::Store {
                path: data_dir.clone(),
                source,
            }
        })?;
    tracing::info!(
        elapsed_ms = opening.elapsed().as_millis() as u64,
        "store opened"
    );
    if let Err(e) = crate::private_file::restrict_data_dir(&data_dir) {
        tracing::warn!(error = %e, path = %data_dir.display(),
            "cannot make data_dir owner-only (0700, store files 0600): run caremesh as its owner");
    }
    Ok(Arc::new(sled))
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

/// The appointment service over the health service's vault and IDs (`[appointments]`).
fn open_appointments(
    config: &Config,
    publisher: &Publisher,
    clock: &Arc<dyn Clock>,
    health: &Health,
    members: &Members,
) -> Appointments {
    let section = &config.appointments;
    let minutes = |m: u64| std::time::Duration::from_secs(m.saturating_mul(60));
    let mut reminder_leads: Vec<_> = section
        .reminder_leads_minutes
        .iter()
        .map(|m| minutes(*m))
        .collect();
    reminder_leads.sort_by(|a, b| b.cmp(a));
    Appointments::new(
        publisher.clone(),
        clock.clone(),
        health.vault().clone(),
        HealthPeople::shared(health.ids().clone(), members.clone()),
        AppointmentSettings {
            offer_hold: minutes(section.offer_hold_minutes),
            reminder_leads,
        },
    )
}

/// The health service over the core's parts (`[health]` in config).
fn open_health(
    config: &Config,
    publisher: &Publisher,
    clock: &Arc<dyn Clock>,
    transport: Transport,
    metrics: &Arc<Metrics>,
) -> Result<Health, StartError> {
    let section = &config.health;
    let records_key_file = match &section.records_key_file {
        Some(path) => config.resolve(path),
        None => {
            let node_key = config.resolve(&config.node.key_file);
            node_key.with_file_name("records.key")
        }
    };
    let settings = HealthSettings {
        records_key_file,
        records_dir: config.data_dir().join("records"),
        hid_prefix: section.hid_prefix,
        prefix_pins: section
            .prefix_pins
            .iter()
            .map(|p| (p.prefix, p.origin.clone()))
            .collect(),
    };
    Ok(Health::open(HealthParts {
        settings,
        store: publisher.store().clone(),
        key: publisher.key().clone(),
        name: config.node.name.clone(),
        publisher: publisher.clone(),
        clock: clock.clone(),
        transport,
        metrics: metrics.clone(),
    })?)
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
        let members = Members::new(store.clone());
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
