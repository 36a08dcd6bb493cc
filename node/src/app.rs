//! Building a node from its config: the store, the key, the services, the federation
//! machinery, and running it all. State is built once here and passed to the HTTP layer.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use caremesh_federation::client::ClientConfig;
use caremesh_federation::{Identity, NodeKey, Outcome, PeerClient};
use tokio::sync::Notify;

use crate::catalog::Catalog;
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::directory::listings::Listings;
use crate::directory::places::Gazetteer;
use crate::directory::search::{Directory, Loaded};
use crate::error::ServiceError;
use crate::events::Events;
use crate::federation::flusher::Flusher;
use crate::federation::inbox::Inbox;
use crate::federation::keyring::Keyring;
use crate::federation::outbox::Outbox;
use crate::federation::peers::Peers;
use crate::federation::pull::Puller;
use crate::federation::rate_limit::RateLimit;
use crate::identities::Identities;
use crate::marketplace::Marketplace;
use crate::members::Members;
use crate::metrics::Metrics;
use crate::objects::Publisher;
use crate::store::sled_store::SledStore;
use crate::store::{Space, Store, StoreError};

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
}

/// Everything a running node holds.
pub struct App {
    pub config: Config,
    pub origin: String,
    pub store: Arc<dyn Store>,
    pub identity: Identity,
    pub members: Members,
    pub market: Marketplace,
    pub listings: Listings,
    pub directory: Arc<Directory>,
    /// How the directory index was loaded at start.
    pub directory_loaded: Loaded,
    /// Place names people may type in the bots.
    pub places: Arc<Gazetteer>,
    pub peers: Peers,
    pub inbox: Arc<Inbox>,
    pub flusher: Arc<Flusher>,
    pub wake: Arc<Notify>,
    pub events: Events,
    pub client: PeerClient,
    pub metrics: Arc<Metrics>,
    pub clock: Arc<dyn Clock>,
    pub catalog: Arc<Catalog>,
    pub triage: Arc<crate::triage::Triage>,
    pub started: Instant,
}

/// The state handlers get.
pub type AppState = Arc<App>;

/// Where a clean shutdown writes the directory index.
pub fn snapshot_path(data_dir: &Path) -> PathBuf {
    data_dir.join("directory.snapshot")
}

/// Reads the node key; with `create`, makes one (mode 0600) if the file is missing.
pub fn load_key(path: &Path, create: bool) -> Result<NodeKey, StartError> {
    let key_err = |problem: String| StartError::Key {
        path: path.to_owned(),
        problem,
    };
    match std::fs::read_to_string(path) {
        Ok(text) => NodeKey::from_file_text(&text).map_err(|e| key_err(e.to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
            let key = NodeKey::generate();
            write_secret(path, &key.to_file_text()).map_err(|e| key_err(e.to_string()))?;
            Ok(key)
        }
        Err(e) => Err(key_err(e.to_string())),
    }
}

/// Writes a file readable only by its owner.
pub fn write_secret(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

fn load_token(path: &Path, create: bool) -> Result<String, StartError> {
    let token_err = |problem: String| StartError::Token {
        path: path.to_owned(),
        problem,
    };
    match std::fs::read_to_string(path) {
        Ok(text) if !text.trim().is_empty() => Ok(text.trim().to_owned()),
        Ok(_) => Err(token_err("is empty".into())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
            let token = crate::members::new_token();
            write_secret(path, &format!("{token}\n")).map_err(|e| token_err(e.to_string()))?;
            Ok(token)
        }
        Err(e) => Err(token_err(e.to_string())),
    }
}

impl App {
    /// Opens the node described by `config`. `first_run` lets a config-less node create its
    /// key and admin token.
    pub fn open(config: Config, first_run: bool) -> Result<App, StartError> {
        let data_dir = config.data_dir();
        let key = load_key(&config.resolve(&config.node.key_file), first_run)?;
        let token = load_token(&config.resolve(&config.api.admin_token_file), first_run)?;
        let places = Arc::new(Gazetteer::with_file(
            config
                .directory
                .places_file
                .as_ref()
                .map(|p| config.resolve(p))
                .as_deref(),
        )?);
        let opening = Instant::now();
        let sled = SledStore::open(&data_dir.join("db"), config.node.cache_mb << 20).map_err(
            |source| StartError::Store {
                path: data_dir.clone(),
                source,
            },
        )?;
        let store: Arc<dyn Store> = Arc::new(sled);
        tracing::info!(
            elapsed_ms = opening.elapsed().as_millis() as u64,
            "store opened"
        );
        let origin = config.public_url();
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let identity = Identity::new(&origin, &config.node.name, &key);
        let identities = Identities::new(store.clone());
        identities.put(&identity)?;
        let members = Members::new(store.clone());
        members.ensure_admin(&token, clock.now_ms())?;
        let peers = Peers::new(store.clone(), &config.federation, &origin)?;
        let client = PeerClient::new(key.clone(), &origin, &ClientConfig::default())
            .map_err(|e| StartError::Client(e.to_string()))?;
        let wake = Arc::new(Notify::new());
        let flusher = Arc::new(Flusher::new(store.clone()));
        let catalog = Arc::new(Catalog::builtin());
        let events = Events::new();
        let loading = Instant::now();
        let (directory, loaded) =
            Directory::load(&*store, &snapshot_path(&data_dir)).map_err(|source| {
                StartError::Store {
                    path: data_dir.clone(),
                    source,
                }
            })?;
        tracing::info!(
            facilities = loaded.count,
            from = loaded.rebuilt_because.as_deref().unwrap_or("snapshot"),
            replayed = loaded.replayed,
            elapsed_ms = loading.elapsed().as_millis() as u64,
            "directory index loaded"
        );
        let directory = Arc::new(directory);
        let index = directory.clone();
        events.add_hook(Arc::new(move |object| {
            if let caremesh_federation::Object::Facility(f) = object {
                index.index(f);
            }
        }));
        let publisher = Publisher::new(
            store.clone(),
            key,
            origin.clone(),
            wake.clone(),
            events.clone(),
        );
        let inbox = Arc::new(Inbox {
            store: store.clone(),
            keyring: Arc::new(Keyring::new(identities, peers.clone(), client.clone())),
            peers: peers.clone(),
            rate_limit: RateLimit::new(config.federation.rate_limit_per_minute),
            flusher: flusher.clone(),
            origin: origin.clone(),
            clock: clock.clone(),
            wake: wake.clone(),
            events: events.clone(),
        });
        Ok(App {
            market: Marketplace::new(publisher.clone(), clock.clone(), catalog.clone()),
            listings: Listings::new(publisher, clock.clone()),
            directory,
            directory_loaded: loaded,
            places,
            config,
            origin,
            store,
            identity,
            members,
            peers,
            inbox,
            flusher,
            wake,
            events,
            client,
            metrics: Arc::new(Metrics::default()),
            clock,
            catalog,
            triage: Arc::new(
                crate::triage::Triage::builtin().map_err(|e| StartError::Triage(e.to_string()))?,
            ),
            started: Instant::now(),
        })
    }

    /// Starts delivery, catch-up and housekeeping; they stop when `shutdown` is notified.
    pub fn spawn_background(self: &Arc<Self>, shutdown: Arc<Notify>) {
        let outbox = Outbox {
            store: self.store.clone(),
            client: self.client.clone(),
            peers: self.peers.clone(),
            wake: self.wake.clone(),
            origin: self.origin.clone(),
            retry_max: Duration::from_secs(self.config.federation.retry_max_secs.max(1)),
        };
        tokio::spawn(outbox.run(shutdown.clone()));
        let puller = Puller {
            inbox: self.inbox.clone(),
            client: self.client.clone(),
            peers: self.peers.clone(),
            store: self.store.clone(),
            every: Duration::from_secs(300),
        };
        tokio::spawn(puller.run(shutdown.clone()));
        tokio::spawn(checkpoint(
            self.directory.clone(),
            self.store.clone(),
            snapshot_path(&self.config.data_dir()),
            shutdown.clone(),
        ));
        tokio::spawn(sweep(
            self.store.clone(),
            self.clock.clone(),
            self.market.clone(),
            shutdown,
        ));
    }

    /// Ends a clean shutdown: writes the directory index to its snapshot file (so the next
    /// start reads it and replays nothing) and flushes everything.
    pub fn close(&self) -> Result<(), StoreError> {
        let started = Instant::now();
        self.directory
            .save(&*self.store, &snapshot_path(&self.config.data_dir()))?;
        self.store.flush()?;
        tracing::info!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "directory snapshot written, store flushed"
        );
        Ok(())
    }

    /// Counts inbox outcomes for the metrics.
    pub fn count_outcomes(&self, outcomes: &[Outcome]) {
        for o in outcomes {
            let label = match o {
                Outcome::Stored => "outcome=\"stored\"".to_owned(),
                Outcome::Duplicate => "outcome=\"duplicate\"".to_owned(),
                Outcome::Rejected { check, .. } => {
                    format!("outcome=\"rejected\",check=\"{check}\"")
                }
            };
            self.metrics.add("inbox_envelopes_total", &label, 1);
        }
    }
}

/// How often the directory index is written to its snapshot while listings change, which
/// bounds what a start after a crash replays from the log.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(300);

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
        let now_ms = clock.now_ms();
        let window = caremesh_federation::request_auth::CLOCK_WINDOW_SECS;
        for (key, value) in store.scan(Space::Nonces).unwrap_or_default() {
            let expires: i64 = crate::store::record::decode("nonce", &key, &value).unwrap_or(0);
            if expires + window < now_ms / 1000 {
                let _ = store.delete(Space::Nonces, &key);
            }
        }
        for (key, value) in store.scan(Space::Txns).unwrap_or_default() {
            let at = crate::store::record::decode::<(i64, caremesh_federation::BatchReply)>(
                "txn", &key, &value,
            )
            .map(|(t, _)| t)
            .unwrap_or(0);
            if at + 86_400_000 < now_ms {
                let _ = store.delete(Space::Txns, &key);
            }
        }
    }
}
