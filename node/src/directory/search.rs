//! Search over every facility listing this node knows: the in-memory [`GeoIndex`] plus the
//! mapping between index slots and object ids. The index is loaded at start from the
//! snapshot file a clean shutdown wrote ([`super::snapshot`]; rebuilt from the listings
//! themselves after a crash or when the file is missing or damaged) and kept current by
//! [`Directory::index`], which runs for every stored facility version, local or federated.

use std::collections::HashMap;
use std::path::Path;
use std::sync::RwLock;

use caremesh_federation::object::{Facility, FacilityKind, from_e7};
use ulid::Ulid;

use super::geo_index::{Filter, GeoEntry, GeoIndex, Hit};
use super::snapshot::{self, Unusable};
use crate::store::{Space, Store, StoreError};

/// Blood groups in flag bits 0–7, in this order.
pub const BLOOD_GROUPS: [&str; 8] = ["O-", "O+", "A-", "A+", "B-", "B+", "AB-", "AB+"];
/// The settings key recording a clean shutdown: `clean GENERATION` of the snapshot file
/// written then, or `dirty` while the node runs.
const CLEAN_KEY: &str = "directory_index";

/// Flag bit of listings open around the clock.
pub const FLAG_24_7: u32 = 1 << 8;

/// What a search asks for besides position.
#[derive(Clone, Debug, Default)]
pub struct Query {
    pub kind: Option<FacilityKind>,
    /// Every one of these specialty slugs.
    pub specialties: Vec<String>,
    /// A blood group that must be in stock.
    pub blood_group: Option<String>,
    /// Only listings open around the clock.
    pub always_open: bool,
}

/// A search result: the listing's id and its distance.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub id: String,
    pub distance_km: f64,
}

/// The kind's code in the index.
pub fn kind_code(kind: FacilityKind) -> u8 {
    kind as u8
}

/// The specialty bit set of a list of slugs (unknown slugs set no bit).
pub fn specialty_bits<S: AsRef<str>>(slugs: &[S]) -> u64 {
    slugs
        .iter()
        .filter_map(|s| {
            crate::catalog::SPECIALTIES
                .iter()
                .position(|v| *v == s.as_ref())
        })
        .fold(0, |bits, i| bits | (1u64 << i))
}

fn flags_of(f: &Facility) -> u32 {
    let mut flags = 0;
    for (i, group) in BLOOD_GROUPS.iter().enumerate() {
        if f.blood_stock.get(*group).is_some_and(|units| *units > 0) {
            flags |= 1 << i;
        }
    }
    if matches!(f.hours.trim(), "24/7" | "24x7" | "Mo-Su 00:00-24:00") {
        flags |= FLAG_24_7;
    }
    flags
}

/// The index entry of a listing (slot 0; [`Inner::slot_for`] assigns the real one), `None`
/// for a retracted listing.
fn entry_of(f: &Facility) -> Option<GeoEntry> {
    (!f.retracted).then(|| GeoEntry {
        slot: 0,
        lat: from_e7(f.lat_e7),
        lon: from_e7(f.lon_e7),
        kind: kind_code(f.kind),
        specialties: specialty_bits(&f.specialties),
        flags: flags_of(f),
    })
}

#[derive(Default)]
struct Inner {
    geo: GeoIndex,
    ids: Vec<u128>,
    slots: HashMap<u128, u32>,
}

impl Inner {
    fn slot_for(&mut self, id: u128) -> u32 {
        if let Some(slot) = self.slots.get(&id) {
            return *slot;
        }
        let slot = self.ids.len() as u32;
        self.ids.push(id);
        self.slots.insert(id, slot);
        slot
    }
}

/// How the index came to be at start.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Loaded {
    /// Listings indexed.
    pub count: usize,
    /// `None` when read from the snapshot; otherwise why it was rebuilt from the listings.
    pub rebuilt_because: Option<String>,
}

/// The directory index.
#[derive(Default)]
pub struct Directory {
    inner: RwLock<Inner>,
}

impl Directory {
    /// Loads the index: from the snapshot file written by [`Directory::save`] when the
    /// store records a clean shutdown with that snapshot's generation, otherwise (first
    /// start, crash, missing or damaged file) by streaming every listing in the store.
    ///
    /// Before returning it marks the store "dirty", so that a crash from here on makes the
    /// next start rebuild: a crash may cut between a listing and the snapshot.
    pub fn load(store: &dyn Store, snapshot_path: &Path) -> Result<(Self, Loaded), StoreError> {
        let marker = store.get(Space::Settings, CLEAN_KEY)?;
        let generation = marker
            .as_deref()
            .and_then(|v| std::str::from_utf8(v).ok())
            .and_then(|v| v.strip_prefix("clean "))
            .and_then(|g| g.parse::<u64>().ok());
        store.put(Space::Settings, CLEAN_KEY, b"dirty")?;
        store.flush()?;
        let rows = match generation {
            None => Err(Unusable::NotClean),
            Some(g) => snapshot::read(snapshot_path, g),
        };
        match rows {
            Ok(rows) => {
                let mut inner = Inner::default();
                inner.ids.reserve(rows.len());
                inner.slots.reserve(rows.len());
                let entries: Vec<GeoEntry> = rows
                    .into_iter()
                    .filter(|(_, e)| e.has_valid_position())
                    .map(|(id, e)| GeoEntry {
                        slot: inner.slot_for(id),
                        ..e
                    })
                    .collect();
                let count = entries.len();
                inner.geo = GeoIndex::bulk_load(entries).unwrap_or_default();
                let directory = Self {
                    inner: RwLock::new(inner),
                };
                Ok((
                    directory,
                    Loaded {
                        count,
                        rebuilt_because: None,
                    },
                ))
            }
            Err(why) => {
                tracing::info!(reason = %why, "directory index: rebuilding from the listings");
                let (directory, count) = Self::rebuild(store)?;
                Ok((
                    directory,
                    Loaded {
                        count,
                        rebuilt_because: Some(why.to_string()),
                    },
                ))
            }
        }
    }

    /// Writes the index to `snapshot_path` and records it in the store as the state of a
    /// clean shutdown. Call after the last write, before the final flush.
    pub fn save(&self, store: &dyn Store, snapshot_path: &Path) -> Result<(), StoreError> {
        let rows: Vec<snapshot::Row> = {
            let inner = self.inner.read().unwrap_or_else(|p| p.into_inner());
            inner
                .geo
                .entries()
                .into_iter()
                .filter_map(|e| Some((*inner.ids.get(e.slot as usize)?, e)))
                .collect()
        };
        let generation: u64 = rand::random();
        snapshot::write(snapshot_path, generation, &rows).map_err(|source| StoreError::File {
            path: snapshot_path.display().to_string(),
            source,
        })?;
        store.put(
            Space::Settings,
            CLEAN_KEY,
            format!("clean {generation}").as_bytes(),
        )
    }

    /// Builds the index from the listings themselves, streaming them out of the store.
    fn rebuild(store: &dyn Store) -> Result<(Self, usize), StoreError> {
        let mut inner = Inner::default();
        let mut entries = Vec::new();
        store.visit_objects(caremesh_federation::Kind::Facility, &mut |stored| {
            if let Ok((_, caremesh_federation::Object::Facility(f))) = crate::objects::load(stored)
                && let Ok(id) = Ulid::from_string(&f.meta.id)
                && let Some(e) = entry_of(&f).filter(GeoEntry::has_valid_position)
            {
                entries.push(GeoEntry {
                    slot: inner.slot_for(id.0),
                    ..e
                });
            }
            std::ops::ControlFlow::Continue(())
        })?;
        let count = entries.len();
        inner.geo = GeoIndex::bulk_load(entries).unwrap_or_default();
        Ok((
            Self {
                inner: RwLock::new(inner),
            },
            count,
        ))
    }

    /// Heap bytes of the spatial index (without the id maps).
    pub fn index_bytes(&self) -> usize {
        self.inner.read().map(|i| i.geo.heap_bytes()).unwrap_or(0)
    }

    /// Brings the index up to date with a stored listing version.
    pub fn index(&self, f: &Facility) {
        let Ok(id) = Ulid::from_string(&f.meta.id) else {
            return;
        };
        let mut inner = self.inner.write().unwrap_or_else(|p| p.into_inner());
        let slot = inner.slot_for(id.0);
        match entry_of(f).filter(GeoEntry::has_valid_position) {
            Some(e) => {
                let _ = inner.geo.insert(GeoEntry { slot, ..e });
            }
            None => {
                inner.geo.remove(slot);
            }
        }
    }

    /// Listings indexed.
    pub fn len(&self) -> usize {
        self.inner.read().map(|i| i.geo.len()).unwrap_or(0)
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn filter(query: &Query, max_km: Option<f64>) -> Filter {
        let blood = query
            .blood_group
            .as_deref()
            .and_then(|g| BLOOD_GROUPS.iter().position(|b| *b == g))
            .map_or(0, |i| 1u32 << i);
        Filter {
            kind: query.kind.map(kind_code),
            specialties_all: specialty_bits(&query.specialties),
            flags_all: blood | if query.always_open { FLAG_24_7 } else { 0 },
            max_km,
        }
    }

    fn found(&self, hits: Vec<Hit>) -> Vec<Found> {
        let inner = self.inner.read().unwrap_or_else(|p| p.into_inner());
        hits.into_iter()
            .filter_map(|h| {
                let id = inner.ids.get(h.slot as usize)?;
                Some(Found {
                    id: Ulid(*id).to_string(),
                    distance_km: h.distance_km,
                })
            })
            .collect()
    }

    /// The `k` nearest listings that match, within `max_km` if given, nearest first.
    pub fn nearest(
        &self,
        lat: f64,
        lon: f64,
        k: usize,
        query: &Query,
        max_km: Option<f64>,
    ) -> Vec<Found> {
        let hits = {
            let inner = self.inner.read().unwrap_or_else(|p| p.into_inner());
            inner.geo.nearest(lat, lon, k, &Self::filter(query, max_km))
        };
        self.found(hits)
    }

    /// Every listing that matches within `radius_km`, nearest first, at most `limit`.
    pub fn within(
        &self,
        lat: f64,
        lon: f64,
        radius_km: f64,
        query: &Query,
        limit: usize,
    ) -> Vec<Found> {
        let hits = {
            let inner = self.inner.read().unwrap_or_else(|p| p.into_inner());
            inner
                .geo
                .within(lat, lon, radius_km, &Self::filter(query, None), limit)
        };
        self.found(hits)
    }
}
