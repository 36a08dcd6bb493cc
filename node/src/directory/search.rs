//! Search over every facility listing this node knows: the in-memory [`GeoIndex`] plus the
//! mapping between index slots and object ids. The index is loaded at start from its last
//! snapshot plus the store's log since then ([`persist`]), and kept current by
//! [`Directory::index`], which runs for every stored facility version, local or federated.

use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

use caremesh_federation::object::{Facility, FacilityKind, from_e7};
use ulid::Ulid;

use super::geo_index::{Filter, GeoEntry, GeoIndex, Hit, haversine_km};
use services::{ServiceIndex, names_of};

/// Blood groups in flag bits 0–7, in this order.
pub const BLOOD_GROUPS: [&str; 8] = ["O-", "O+", "A-", "A+", "B-", "B+", "AB-", "AB+"];

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
        .filter_map(|s| crate::specialties::position(s.as_ref()))
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
    services: ServiceIndex,
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
    /// Listing versions indexed since start; see [`Directory::save`].
    changes: AtomicU64,
    /// `changes` when the last snapshot was taken.
    saved_at: AtomicU64,
}

impl Directory {
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
        self.changes.fetch_add(1, Ordering::Relaxed);
        let slot = inner.slot_for(id.0);
        match entry_of(f).filter(GeoEntry::has_valid_position) {
            Some(e) => {
                let _ = inner.geo.insert(GeoEntry { slot, ..e });
                inner.services.set(slot, names_of(f));
            }
            None => {
                inner.geo.remove(slot);
                inner.services.set(slot, Vec::new());
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

    /// Listings that match `query` and offer a service whose name contains `needle` (lower
    /// case), found through the service-name index: nearest first within `max_km` of
    /// `from`, or in id order without a point (then `distance_km` is 0).
    pub fn with_service(
        &self,
        needle: &str,
        query: &Query,
        from: Option<(f64, f64)>,
        max_km: Option<f64>,
    ) -> Vec<Found> {
        let filter = Self::filter(query, max_km);
        let inner = self.inner.read().unwrap_or_else(|p| p.into_inner());
        let mut found: Vec<(f64, u128)> = inner
            .services
            .matching(needle)
            .into_iter()
            .filter_map(|slot| {
                let e = inner.geo.get(slot).filter(|e| admits(&filter, e))?;
                let id = *inner.ids.get(slot as usize)?;
                let km = from.map_or(0.0, |(lat, lon)| haversine_km(lat, lon, e.lat, e.lon));
                filter
                    .max_km
                    .is_none_or(|max| km <= max)
                    .then_some((km, id))
            })
            .collect();
        found.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        found
            .into_iter()
            .map(|(distance_km, id)| Found {
                id: Ulid(id).to_string(),
                distance_km,
            })
            .collect()
    }
}

/// Whether an entry passes a filter's kind, specialty and flag bits.
fn admits(filter: &Filter, e: &GeoEntry) -> bool {
    filter.kind.is_none_or(|k| k == e.kind)
        && e.specialties & filter.specialties_all == filter.specialties_all
        && e.flags & filter.flags_all == filter.flags_all
}

mod persist;
mod services;

pub use persist::Loaded;
