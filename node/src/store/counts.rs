//! How many objects of each kind the store holds, kept as counters so that `GET /metrics`
//! reads a number instead of walking (and decoding) every object on each scrape.
//!
//! The counters live in memory: a store counts its keys once when it opens (keys only, no
//! value is decoded) and then adds one for each id stored for the first time and takes one
//! away for each removed object. A newer version of a stored id changes nothing.

use std::sync::atomic::{AtomicU64, Ordering};

use caremesh_federation::Kind;

/// One counter per kind code.
pub struct KindCounts {
    counts: [AtomicU64; 256],
}

impl Default for KindCounts {
    fn default() -> Self {
        Self {
            counts: std::array::from_fn(|_| AtomicU64::new(0)),
        }
    }
}

impl KindCounts {
    /// Counters from object keys whose first byte is their kind's code.
    pub fn from_keys<E>(keys: impl Iterator<Item = Result<u8, E>>) -> Result<Self, E> {
        let counts = Self::default();
        for code in keys {
            counts.counts[usize::from(code?)].fetch_add(1, Ordering::Relaxed);
        }
        Ok(counts)
    }

    /// One more object of `kind`.
    pub fn added(&self, kind: Kind) {
        self.counts[usize::from(kind.code())].fetch_add(1, Ordering::Relaxed);
    }

    /// One object of `kind` fewer (never below zero).
    pub fn removed(&self, kind: Kind) {
        let _ = self.counts[usize::from(kind.code())].fetch_update(
            Ordering::Relaxed,
            Ordering::Relaxed,
            |n| n.checked_sub(1),
        );
    }

    /// Objects of `kind` held now.
    pub fn get(&self, kind: Kind) -> usize {
        usize::try_from(self.counts[usize::from(kind.code())].load(Ordering::Relaxed))
            .unwrap_or(usize::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_follow_adds_and_removals_and_never_go_below_zero() {
        let keys = [
            Kind::Facility.code(),
            Kind::Request.code(),
            Kind::Facility.code(),
        ];
        let counts = KindCounts::from_keys(keys.into_iter().map(Ok::<u8, ()>)).expect("no error");
        assert_eq!(counts.get(Kind::Facility), 2);
        assert_eq!(counts.get(Kind::Request), 1);
        counts.added(Kind::Request);
        counts.removed(Kind::Facility);
        assert_eq!(
            (counts.get(Kind::Facility), counts.get(Kind::Request)),
            (1, 2)
        );
        counts.removed(Kind::Proposal);
        assert_eq!(counts.get(Kind::Proposal), 0);
    }
}
