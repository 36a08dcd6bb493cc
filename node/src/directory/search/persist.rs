//! Getting the directory index back at start: its last snapshot plus the store's log since
//! then, like a database checkpoint plus its write-ahead log.
//!
//! The store logs every object version it stores, in commit order, and keeps the log. A
//! snapshot ([`super::super::snapshot`]) records the log position it was taken at, so
//! re-indexing the facility versions logged after that position brings it up to date:
//! after a clean stop that is nothing, after a crash it is what changed since the last
//! periodic snapshot. Re-indexing reads each listing's newest stored version, so applying
//! one twice changes nothing, and the replay starts [`REPLAY_MARGIN`] entries early to
//! cover versions committed but not yet indexed when the snapshot was taken (the index
//! hook runs right after each commit, so only writes in flight can be in that gap).
//!
//! Without a usable snapshot (none yet, damaged, from another store, ahead of the store)
//! the index is rebuilt by streaming every listing.

use std::ops::ControlFlow;
use std::path::Path;
use std::sync::RwLock;
use std::sync::atomic::Ordering;

use caremesh_federation::{Kind, Object};
use ulid::Ulid;

use super::{Directory, GeoEntry, GeoIndex, Inner, entry_of, names_of};
use crate::directory::snapshot::{self, Unusable};
use crate::store::{Space, Store, StoreError};

/// Log entries replayed before the snapshot's position, for writes that were in flight.
const REPLAY_MARGIN: u64 = 10_000;
/// Log entries read per batch while replaying.
const REPLAY_BATCH: usize = 10_000;
/// `saved_at` of an index that no snapshot on disk matches.
const NEVER_SAVED: u64 = u64::MAX;
/// The settings key of this store's random id, which snapshots carry.
const STORE_ID_KEY: &str = "store_id";

/// How the index came to be at start.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loaded {
    /// Listings indexed.
    pub count: usize,
    /// `None` when read from the snapshot; otherwise why it was rebuilt from the listings.
    pub rebuilt_because: Option<String>,
    /// Facility log entries re-applied on top of the snapshot.
    pub replayed: usize,
}

/// This store's id, made on first use.
fn store_id(store: &dyn Store) -> Result<u64, StoreError> {
    let read = |v: Option<Vec<u8>>| {
        v.and_then(|b| <[u8; 8]>::try_from(b.as_slice()).ok())
            .map(u64::from_le_bytes)
    };
    if let Some(id) = read(store.get(Space::Settings, STORE_ID_KEY)?) {
        return Ok(id);
    }
    let fresh: u64 = rand::random();
    store.insert_new(Space::Settings, STORE_ID_KEY, &fresh.to_le_bytes())?;
    Ok(read(store.get(Space::Settings, STORE_ID_KEY)?).unwrap_or(fresh))
}

impl Directory {
    /// Loads the index from its snapshot at `snapshot_path` plus the log since, or rebuilds
    /// it from the listings when the snapshot cannot be used.
    pub fn load(store: &dyn Store, snapshot_path: &Path) -> Result<(Self, Loaded), StoreError> {
        let id = store_id(store)?;
        let last = store.last_seq()?;
        let snapshot = snapshot::read(snapshot_path).and_then(|s| {
            if s.store_id != id {
                Err(Unusable::OtherStore)
            } else if s.seq > last {
                Err(Unusable::Ahead { seq: s.seq, last })
            } else {
                Ok(s)
            }
        });
        match snapshot {
            Ok(s) => {
                let directory = Self::from_rows(s.rows, s.named);
                let replayed = directory.replay(store, s.seq.saturating_sub(REPLAY_MARGIN))?;
                // Up to date on disk only if nothing was committed after the snapshot.
                let saved = if s.seq == last {
                    directory.changes.load(Ordering::Relaxed)
                } else {
                    NEVER_SAVED
                };
                directory.saved_at.store(saved, Ordering::Relaxed);
                let count = directory.len();
                Ok((
                    directory,
                    Loaded {
                        count,
                        rebuilt_because: None,
                        replayed,
                    },
                ))
            }
            Err(why) => {
                tracing::info!(reason = %why, "directory index: rebuilding from the listings");
                let directory = Self::rebuild(store)?;
                let count = directory.len();
                Ok((
                    directory,
                    Loaded {
                        count,
                        rebuilt_because: Some(why.to_string()),
                        replayed: 0,
                    },
                ))
            }
        }
    }

    /// Writes the index to `snapshot_path` with the store's current log position. Safe
    /// while the node runs (the index is copied under its read lock).
    pub fn save(&self, store: &dyn Store, snapshot_path: &Path) -> Result<(), StoreError> {
        let id = store_id(store)?;
        // The position first: whatever commits from here on is replayed at the next start.
        let seq = store.last_seq()?;
        let changes = self.changes.load(Ordering::Relaxed);
        let (rows, named) = {
            let inner = self.inner.read().unwrap_or_else(|p| p.into_inner());
            let rows: Vec<snapshot::Row> = inner
                .geo
                .entries()
                .into_iter()
                .filter_map(|e| Some((*inner.ids.get(e.slot as usize)?, e)))
                .collect();
            let named: Vec<snapshot::Named> = (0u32..)
                .zip(&rows)
                .filter_map(|(row, (_, e))| {
                    let names = inner.services.names(e.slot);
                    (!names.is_empty()).then(|| (row, names.to_vec()))
                })
                .collect();
            (rows, named)
        };
        snapshot::write(snapshot_path, id, seq, &rows, &named).map_err(|source| {
            StoreError::File {
                path: snapshot_path.display().to_string(),
                source,
            }
        })?;
        self.saved_at.store(changes, Ordering::Relaxed);
        Ok(())
    }

    /// Whether listings changed since the last [`Directory::save`] (or since start).
    pub fn changed_since_save(&self) -> bool {
        self.changes.load(Ordering::Relaxed) != self.saved_at.load(Ordering::Relaxed)
    }

    fn from_rows(rows: Vec<snapshot::Row>, named: Vec<snapshot::Named>) -> Self {
        let mut inner = Inner::default();
        inner.ids.reserve(rows.len());
        inner.slots.reserve(rows.len());
        let slots: Vec<u32> = rows.iter().map(|(id, _)| inner.slot_for(*id)).collect();
        let entries: Vec<GeoEntry> = rows
            .into_iter()
            .zip(&slots)
            .filter(|((_, e), _)| e.has_valid_position())
            .map(|((_, e), slot)| GeoEntry { slot: *slot, ..e })
            .collect();
        for (row, names) in named {
            if let Some(slot) = slots.get(row as usize) {
                inner.services.set(*slot, names);
            }
        }
        inner.geo = GeoIndex::bulk_load(entries).unwrap_or_default();
        Self {
            inner: RwLock::new(inner),
            ..Self::default()
        }
    }

    /// Re-indexes the newest stored version of every listing logged after `after`.
    fn replay(&self, store: &dyn Store, mut after: u64) -> Result<usize, StoreError> {
        let mut replayed = 0;
        loop {
            let batch = store.log_after(after, REPLAY_BATCH)?;
            let Some(last) = batch.last() else {
                break;
            };
            after = last.seq;
            for entry in batch.iter().filter(|e| e.kind == Kind::Facility) {
                if let Some(stored) = store.get_object(&entry.id)?
                    && let Ok((_, Object::Facility(f))) = crate::objects::load(&stored)
                {
                    self.index(&f);
                    replayed += 1;
                }
            }
        }
        Ok(replayed)
    }

    /// Builds the index from the listings themselves, streaming them out of the store.
    fn rebuild(store: &dyn Store) -> Result<Self, StoreError> {
        let mut inner = Inner::default();
        let mut entries = Vec::new();
        store.visit_objects(Kind::Facility, &mut |stored| {
            if let Ok((_, Object::Facility(f))) = crate::objects::load(stored)
                && let Ok(id) = Ulid::from_string(&f.meta.id)
                && let Some(e) = entry_of(&f).filter(GeoEntry::has_valid_position)
            {
                let slot = inner.slot_for(id.0);
                inner.services.set(slot, names_of(&f));
                entries.push(GeoEntry { slot, ..e });
            }
            ControlFlow::Continue(())
        })?;
        inner.geo = GeoIndex::bulk_load(entries).unwrap_or_default();
        let directory = Self {
            inner: RwLock::new(inner),
            ..Self::default()
        };
        directory.saved_at.store(NEVER_SAVED, Ordering::Relaxed);
        Ok(directory)
    }
}
