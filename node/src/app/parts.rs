//! Opening the parts a node is built on from their config sections: the store, the
//! directory index, the health and appointment services.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use super::StartError;
use crate::appointments::people::HealthPeople;
use crate::appointments::{Appointments, Settings as AppointmentSettings};
use crate::clock::Clock;
use crate::config::Config;
use crate::directory::search::{Directory, Loaded};
use crate::events::Events;
use crate::health::relay::Transport;
use crate::health::{Health, HealthParts, HealthSettings};
use crate::kinds::{self, Indexes};
use crate::members::Members;
use crate::metrics::Metrics;
use crate::objects::Publisher;
use crate::store::Store;
use crate::store::sled_store::SledStore;

/// Where a clean shutdown writes the directory index.
pub fn snapshot_path(data_dir: &Path) -> PathBuf {
    data_dir.join("directory.snapshot")
}

/// The directory index from its snapshot plus the log, kept current as listings are stored.
pub(super) fn open_directory(
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

pub(super) fn open_store(config: &Config) -> Result<Arc<dyn Store>, StartError> {
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

/// The appointment service over the health service's vault and IDs (`[appointments]`).
pub(super) fn open_appointments(
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
pub(super) fn open_health(
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
