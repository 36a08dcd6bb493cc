//! Search over every facility listing this node knows: the in-memory [`GeoIndex`] plus the
//! mapping between index slots and object ids. The index is loaded at start from the compact
//! entries kept in the store's `geo` space (rebuilt from the listings themselves when those
//! are missing or out of step) and kept current by [`Directory::index`], which runs for every
//! stored facility version, local or federated.

use std::collections::HashMap;
use std::sync::RwLock;

use caremesh_federation::object::{Facility, FacilityKind, from_e7};
use ulid::Ulid;

use super::geo_index::{Filter, GeoEntry, GeoIndex, Hit};
use crate::store::{Space, Store, StoreError};

/// Blood groups in flag bits 0–7, in this order.
pub const BLOOD_GROUPS: [&str; 8] = ["O-", "O+", "A-", "A+", "B-", "B+", "AB-", "AB+"];
/// The settings key recording whether the `geo` entries can be trusted at start.
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

/// The compact entry of a listing, as kept in the `geo` space: lat, lon (f64 LE), kind,
/// specialties (u64 LE), flags (u32 LE); empty for a retracted listing.
fn pack(f: &Facility) -> Vec<u8> {
    if f.retracted {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(30);
    out.push(1); // format tag
    out.extend_from_slice(&from_e7(f.lat_e7).to_le_bytes());
    out.extend_from_slice(&from_e7(f.lon_e7).to_le_bytes());
    out.push(kind_code(f.kind));
    out.extend_from_slice(&specialty_bits(&f.specialties).to_le_bytes());
    out.extend_from_slice(&flags_of(f).to_le_bytes());
    out
}

fn unpack(bytes: &[u8], slot: u32) -> Option<GeoEntry> {
    let (&1, rest) = bytes.split_first()? else {
        return None;
    };
    let take = |at: usize, n: usize| rest.get(at..at + n);
    Some(GeoEntry {
        slot,
        lat: f64::from_le_bytes(take(0, 8)?.try_into().ok()?),
        lon: f64::from_le_bytes(take(8, 8)?.try_into().ok()?),
        kind: *take(16, 1)?.first()?,
        specialties: u64::from_le_bytes(take(17, 8)?.try_into().ok()?),
        flags: u32::from_le_bytes(take(25, 4)?.try_into().ok()?),
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

/// The directory index.
#[derive(Default)]
pub struct Directory {
    inner: RwLock<Inner>,
}

impl Directory {
    /// Loads the index from the store. Returns it with the number of listings indexed.
    ///
    /// The compact entries in the `geo` space are trusted only after a clean shutdown
    /// ([`Directory::mark_clean`]); after a crash the index and the entries are rebuilt from
    /// the listings themselves, since a crash may have cut between a listing and its entry.
    pub fn load(store: &dyn Store) -> Result<(Self, usize), StoreError> {
        let clean = store
            .get(Space::Settings, CLEAN_KEY)?
            .is_some_and(|v| v == b"clean");
        store.put(Space::Settings, CLEAN_KEY, b"dirty")?;
        store.flush()?;
        if !clean {
            tracing::info!(
                "directory index: no clean shutdown recorded; rebuilding from the listings"
            );
            return Self::rebuild(store);
        }
        let mut inner = Inner::default();
        let mut entries = Vec::new();
        store.visit(Space::Geo, &mut |key, value| {
            let Ok(id) = Ulid::from_string(key) else {
                return;
            };
            let slot = inner.slot_for(id.0);
            if let Some(entry) = unpack(value, slot).filter(GeoEntry::has_valid_position) {
                entries.push(entry);
            }
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

    /// Records that the `geo` entries match the listings (call after the last write, before
    /// the final flush of a clean shutdown).
    pub fn mark_clean(store: &dyn Store) -> Result<(), StoreError> {
        store.put(Space::Settings, CLEAN_KEY, b"clean")
    }

    /// Rebuilds the `geo` space and the index from the listings themselves.
    fn rebuild(store: &dyn Store) -> Result<(Self, usize), StoreError> {
        let directory = Self::default();
        let mut count = 0;
        let mut failed = None;
        store.visit_objects(caremesh_federation::Kind::Facility, &mut |stored| {
            if let Ok((_, caremesh_federation::Object::Facility(f))) = crate::objects::load(stored)
            {
                if let Err(e) = directory.index(store, &f) {
                    failed = Some(e);
                }
                count += usize::from(!f.retracted);
            }
        })?;
        match failed {
            Some(e) => Err(e),
            None => Ok((directory, count)),
        }
    }

    /// Heap bytes of the spatial index (without the id maps).
    pub fn index_bytes(&self) -> usize {
        self.inner.read().map(|i| i.geo.heap_bytes()).unwrap_or(0)
    }

    /// Brings the index and the `geo` space up to date with a stored listing version.
    pub fn index(&self, store: &dyn Store, f: &Facility) -> Result<(), StoreError> {
        let packed = pack(f);
        store.put(Space::Geo, &f.meta.id, &packed)?;
        let Ok(id) = Ulid::from_string(&f.meta.id) else {
            return Ok(());
        };
        let mut inner = self.inner.write().unwrap_or_else(|p| p.into_inner());
        let slot = inner.slot_for(id.0);
        match unpack(&packed, slot) {
            Some(entry) if entry.has_valid_position() => {
                let _ = inner.geo.insert(entry);
            }
            _ => {
                inner.geo.remove(slot);
            }
        }
        Ok(())
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
