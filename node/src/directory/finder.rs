//! Finding listings for people: the index search, each hit's listing loaded from the store,
//! the filters the index cannot answer (a service's name, open now in the listing's local
//! time), and a wider search when too few hits pass them. The HTTP API, the chat bots,
//! triage and the xcov19 pair all search through here.

use std::ops::ControlFlow;
use std::sync::Arc;

use caremesh_federation::object::{Facility, FacilityKind, from_e7};
use chrono::{DateTime, Datelike, Timelike, Utc};

use super::hours::{is_open, utc_offset_minutes};
use super::listings::Listings;
use super::search::{Directory, Found, Query};
use crate::clock::Clock;
use crate::error::ServiceError;

/// The most index hits one search reads while post-filtering.
const MAX_SCAN: usize = 4_096;

/// What a search asks for.
#[derive(Clone, Debug, Default)]
pub struct Search {
    /// Where from; without it, matching listings in id order, with no distance.
    pub from: Option<(f64, f64)>,
    /// Only within this distance of `from`.
    pub radius_km: Option<f64>,
    /// What the index filters on.
    pub query: Query,
    /// A service whose name contains this text (lower case).
    pub service: Option<String>,
    /// Open at this moment, in the listing's local time.
    pub open_now: bool,
    /// The most listings answered.
    pub limit: usize,
}

impl Search {
    /// The `limit` nearest listings to `at` that match `query`.
    pub fn nearest(at: (f64, f64), query: Query, limit: usize) -> Self {
        Self {
            from: Some(at),
            query,
            limit,
            ..Self::default()
        }
    }

    fn post_filtered(&self) -> bool {
        self.service.is_some() || self.open_now
    }
}

impl Query {
    /// Hospitals with an emergency department: where red flags send people.
    pub fn emergency() -> Self {
        Self {
            kind: Some(FacilityKind::Hospital),
            specialties: vec!["emergency_medicine".into()],
            ..Self::default()
        }
    }
}

/// A listing found, with its distance from the search point when there was one.
#[derive(Clone, Debug)]
pub struct Hit {
    pub facility: Facility,
    pub distance_km: Option<f64>,
}

/// The directory search service.
#[derive(Clone)]
pub struct Finder {
    index: Arc<Directory>,
    listings: Listings,
    clock: Arc<dyn Clock>,
}

impl Finder {
    /// Searches `index`, loading listings through `listings`.
    pub fn new(index: Arc<Directory>, listings: Listings, clock: Arc<dyn Clock>) -> Self {
        Self {
            index,
            listings,
            clock,
        }
    }

    /// The spatial index underneath.
    pub fn index(&self) -> &Arc<Directory> {
        &self.index
    }

    /// Listings that match `search`: nearest first when it has a point.
    #[tracing::instrument(skip_all, fields(limit = search.limit))]
    pub fn find(&self, search: &Search) -> Result<Vec<Hit>, ServiceError> {
        let now = DateTime::<Utc>::from_timestamp_millis(self.clock.now_ms()).unwrap_or_default();
        if let Some(service) = &search.service {
            return Ok(self.by_service(search, service, now));
        }
        let Some((lat, lon)) = search.from else {
            return self.scan(search, now);
        };
        // Post-filters drop hits the index returned, so ask it for more and widen until
        // enough pass or the index has nothing more.
        let mut k = if search.post_filtered() {
            search.limit * 4
        } else {
            search.limit
        };
        loop {
            let found = match search.radius_km {
                Some(r) => self.index.within(lat, lon, r, &search.query, k),
                None => self.index.nearest(lat, lon, k, &search.query, None),
            };
            let exhausted = found.len() < k;
            let mut out = Vec::new();
            for hit in found {
                let Some(hit) = self.load(hit) else {
                    continue;
                };
                if passes(search, &hit.facility, now) {
                    out.push(hit);
                    if out.len() == search.limit {
                        return Ok(out);
                    }
                }
            }
            if exhausted || k >= MAX_SCAN {
                return Ok(out);
            }
            k *= 4;
        }
    }

    /// Listings near `at` that match any one of `queries`, nearest first, each once.
    pub fn nearest_any(&self, at: (f64, f64), queries: &[Query], limit: usize) -> Vec<Hit> {
        let mut found: Vec<Found> = queries
            .iter()
            .flat_map(|q| self.index.nearest(at.0, at.1, limit, q, None))
            .collect();
        found.sort_by(|a, b| {
            a.distance_km
                .total_cmp(&b.distance_km)
                .then_with(|| a.id.cmp(&b.id))
        });
        found.dedup_by(|a, b| a.id == b.id);
        found.truncate(limit);
        found.into_iter().filter_map(|hit| self.load(hit)).collect()
    }

    /// A search naming a service: the service-name index gives the listings that offer it
    /// (nearest first, or in id order without a point), and only those are read.
    fn by_service(&self, search: &Search, service: &str, now: DateTime<Utc>) -> Vec<Hit> {
        let found = self
            .index
            .with_service(service, &search.query, search.from, search.radius_km);
        let mut out = Vec::new();
        for hit in found {
            let Some(mut hit) = self.load(hit) else {
                continue;
            };
            if search.from.is_none() {
                hit.distance_km = None;
            }
            if passes(search, &hit.facility, now) {
                out.push(hit);
                if out.len() == search.limit {
                    break;
                }
            }
        }
        out
    }

    /// No point: the first matches in id order, without reading past them.
    fn scan(&self, search: &Search, now: DateTime<Utc>) -> Result<Vec<Hit>, ServiceError> {
        let mut out = Vec::new();
        self.listings.visit(|f| {
            if passes(search, &f, now) {
                out.push(Hit {
                    facility: f,
                    distance_km: None,
                });
            }
            if out.len() >= search.limit {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })?;
        Ok(out)
    }

    /// The listing of an index hit; `None` when it cannot be read (logged by the store).
    fn load(&self, hit: Found) -> Option<Hit> {
        let facility = self.listings.get(&hit.id).ok()?;
        Some(Hit {
            facility,
            distance_km: Some(hit.distance_km),
        })
    }
}

/// Does `f` pass the search's filters at `now`? The index already applied the query to
/// hits it returned; listings scanned without a point are checked here.
fn passes(search: &Search, f: &Facility, now: DateTime<Utc>) -> bool {
    if let Some(service) = &search.service
        && !f
            .services
            .iter()
            .any(|s| s.name.to_lowercase().contains(service.as_str()))
    {
        return false;
    }
    if search.open_now && !open_at(f, now) {
        return false;
    }
    let q = &search.query;
    q.kind.is_none_or(|k| k == f.kind)
        && q.specialties.iter().all(|s| f.specialties.contains(s))
        && q.blood_group
            .as_ref()
            .is_none_or(|g| f.blood_stock.get(g).is_some_and(|u| *u > 0))
}

/// Is the listing open at `now` in its local time (its country's zone, else solar time from
/// its longitude)? Hours that do not parse count as closed.
fn open_at(f: &Facility, now: DateTime<Utc>) -> bool {
    let offset = utc_offset_minutes(&f.address.country, from_e7(f.lon_e7));
    let local = now + chrono::Duration::minutes(i64::from(offset));
    let minute = local.hour() * 60 + local.minute();
    is_open(
        &f.hours,
        local.weekday().num_days_from_monday() as usize,
        minute,
    ) == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_now_is_judged_in_the_listings_local_time() {
        let search = Search {
            open_now: true,
            limit: 10,
            ..Search::default()
        };
        let mut f = crate::fixtures::facility(caremesh_federation::Meta::default());
        f.hours = "09:00-11:00".into();
        // 10:00 UTC: 15:30 in India (closed), 10:00 in Paris by solar time (open).
        let now = DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z")
            .expect("time")
            .to_utc();
        assert!(!passes(&search, &f, now), "Pune at 15:30");
        f.address.country = "FR".into();
        f.lon_e7 = 23_522_000;
        assert!(passes(&search, &f, now), "Paris at 10:00");
    }

    /// Listings with assorted services, kinds and places, indexed as the node does.
    fn finder_with_listings() -> Finder {
        use crate::members::{Members, NewMember, Role};
        use caremesh_federation::object::Service;
        let store: Arc<dyn crate::store::Store> =
            Arc::new(crate::store::memory::MemoryStore::new());
        let clock: Arc<dyn Clock> = Arc::new(crate::clock::SystemClock);
        let publisher = crate::testing::publisher(store.clone());
        let listings = Listings::new(publisher, clock.clone());
        let admin = Members::new(store)
            .create(
                NewMember {
                    handle: "admin1".into(),
                    role: Some(Role::Admin),
                    ..Default::default()
                },
                0,
            )
            .expect("admin")
            .0;
        let index = Arc::new(super::super::search::Directory::default());
        let names = ["X-Ray", "Dental X-ray", "Consultation", "ECG", "Dialysis"];
        for i in 0..40u32 {
            let f = listings
                .create(&admin, |meta| {
                    let mut f = crate::fixtures::facility(meta);
                    f.kind = if i.is_multiple_of(3) {
                        FacilityKind::Clinic
                    } else {
                        FacilityKind::Hospital
                    };
                    f.lat_e7 = 185_000_000 + i as i32 * 37_000 % 900_000;
                    f.lon_e7 = 738_000_000 + i as i32 * 53_000 % 700_000;
                    f.services = (0..names.len())
                        .filter(|n| (i as usize + n).is_multiple_of(3))
                        .map(|n| Service {
                            name: names[n].into(),
                            price_minor: 0,
                            currency: "INR".into(),
                        })
                        .collect();
                    f
                })
                .expect("listing");
            index.index(&f);
        }
        Finder::new(index, listings, clock)
    }

    /// What a search naming a service answered before the index: every listing read and
    /// filtered, nearest first (or in id order).
    fn by_reading_all(finder: &Finder, search: &Search) -> Vec<String> {
        let now = Utc::now();
        let mut all: Vec<(f64, String)> = finder
            .listings
            .list()
            .expect("list")
            .into_iter()
            .filter(|f| passes(search, f, now))
            .map(|f| {
                let km = search.from.map_or(0.0, |(lat, lon)| {
                    crate::directory::geo_index::haversine_km(
                        lat,
                        lon,
                        from_e7(f.lat_e7),
                        from_e7(f.lon_e7),
                    )
                });
                (km, f.meta.id)
            })
            .filter(|(km, _)| search.radius_km.is_none_or(|r| *km <= r))
            .collect();
        all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        all.into_iter()
            .take(search.limit)
            .map(|(_, id)| id)
            .collect()
    }

    #[test]
    fn searches_naming_a_service_answer_what_reading_every_listing_answers() {
        let finder = finder_with_listings();
        let points = [None, Some((18.55, 73.85))];
        for needle in ["x-ray", "ray", "consult", "ecg", "dialysis", "nothing"] {
            for from in points {
                for (kind, radius_km, limit) in [
                    (None, None, 100),
                    (Some(FacilityKind::Clinic), None, 5),
                    (None, Some(4.0), 100),
                ] {
                    let search = Search {
                        from,
                        radius_km: radius_km.filter(|_| from.is_some()),
                        query: Query {
                            kind,
                            ..Query::default()
                        },
                        service: Some(needle.into()),
                        limit,
                        ..Search::default()
                    };
                    let got: Vec<String> = finder
                        .find(&search)
                        .expect("find")
                        .into_iter()
                        .map(|h| h.facility.meta.id)
                        .collect();
                    assert_eq!(got, by_reading_all(&finder, &search), "{search:?}");
                    if needle == "x-ray" && kind.is_none() && radius_km.is_none() {
                        assert!(got.len() > 10, "the fixture has x-ray listings");
                    }
                }
            }
        }
    }
}
