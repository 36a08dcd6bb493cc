//! Who to alert about a new need: makers subscribed to its product within their radius.
//! The index keeps subscriptions sorted by latitude so a lookup only measures the band of
//! latitudes the largest radius can reach.

use caremesh_bots::port::Subscription;

use crate::directory::geo_index::{EARTH_RADIUS_KM, haversine_km};

/// Kilometres per degree of latitude.
const KM_PER_DEGREE: f64 = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;

/// True when a need for `product` at `at` should reach `sub`.
fn wants(sub: &Subscription, product: &str, at: (f64, f64)) -> bool {
    !sub.muted
        && (sub.products.is_empty() || sub.products.iter().any(|p| p == product))
        && haversine_km(sub.location.0, sub.location.1, at.0, at.1) <= sub.radius_km
}

/// Subscriptions of many members, for fast matching.
#[derive(Clone, Debug, Default)]
pub struct SubscriberIndex {
    /// Sorted by latitude.
    entries: Vec<(String, Subscription)>,
    max_radius_km: f64,
}

impl SubscriberIndex {
    /// An index over `(handle, subscription)` pairs.
    pub fn new(mut entries: Vec<(String, Subscription)>) -> Self {
        entries.retain(|(_, s)| s.location.0.is_finite() && s.location.1.is_finite());
        entries.sort_by(|a, b| a.1.location.0.total_cmp(&b.1.location.0));
        let max_radius_km = entries.iter().map(|(_, s)| s.radius_km).fold(0.0, f64::max);
        Self {
            entries,
            max_radius_km,
        }
    }

    /// How many subscriptions the index holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nobody is subscribed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Handles of the subscribers a need for `product` at `at` should reach.
    pub fn who_wants(&self, product: &str, at: (f64, f64)) -> Vec<&str> {
        let band = self.max_radius_km / KM_PER_DEGREE;
        let start = self
            .entries
            .partition_point(|(_, s)| s.location.0 < at.0 - band);
        self.entries[start..]
            .iter()
            .take_while(|(_, s)| s.location.0 <= at.0 + band)
            .filter(|(_, s)| wants(s, product, at))
            .map(|(h, _)| h.as_str())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(lat: f64, lon: f64, radius_km: f64, products: &[&str]) -> Subscription {
        Subscription {
            radius_km,
            products: products.iter().map(|p| p.to_string()).collect(),
            location: (lat, lon),
            muted: false,
        }
    }

    #[test]
    fn radius_product_and_mute_decide() {
        let pune = (18.52, 73.85);
        let mumbai = (19.07, 72.88);
        let mut muted = sub(pune.0, pune.1, 50.0, &[]);
        muted.muted = true;
        let index = SubscriberIndex::new(vec![
            ("near".into(), sub(pune.0, pune.1, 50.0, &[])),
            ("far".into(), sub(mumbai.0, mumbai.1, 50.0, &[])),
            (
                "wide".into(),
                sub(mumbai.0, mumbai.1, 200.0, &["face-shield"]),
            ),
            ("other".into(), sub(pune.0, pune.1, 50.0, &["gloves"])),
            ("muted".into(), muted),
        ]);
        let mut hits = index.who_wants("face-shield", pune);
        hits.sort();
        assert_eq!(hits, ["near", "wide"]);
        assert!((haversine_km(pune.0, pune.1, mumbai.0, mumbai.1) - 120.0).abs() < 10.0);
    }
}
