//! The keys that open health seals addressed to this node (docs/health.md §5, "After a key
//! rotation"): the current node key, then the keys `caremesh key rotate` retired, newest
//! first, at most [`MAX_RETIRED`] of them and each for [`RETIRED_OPEN_DAYS`] after its
//! retirement. A peer seals to the key it last learned, so a deposit, chunk, ask, decision or
//! read sealed before it learned of the rotation (in an outbox, parked, or resumed after a
//! restart) still opens. Past the window such a seal is refused `open`, as any seal this node
//! cannot open: the bound keeps an old key from being useful for ever.

use caremesh_federation::health_seal::{self, HealthSealError, Place};
use caremesh_federation::{Keychain, NodeKey};
use serde::de::DeserializeOwned;

/// Retired keys kept for opening, newest first.
pub const MAX_RETIRED: usize = 4;
/// Days after its retirement during which a retired key still opens seals.
pub const RETIRED_OPEN_DAYS: i64 = 30;
const DAY_MS: i64 = 86_400_000;

/// This node's opening keys.
#[derive(Clone)]
pub struct SealKeys {
    current: NodeKey,
    /// `(key, retired at, unix ms)`, newest first.
    retired: Vec<(NodeKey, i64)>,
}

impl SealKeys {
    /// The keys of `chain` that may open seals.
    pub fn of(chain: &Keychain) -> Self {
        let retired = chain
            .keys()
            .iter()
            .rev()
            .filter_map(|held| held.retired.map(|at| (held.key.clone(), at)))
            .take(MAX_RETIRED)
            .collect();
        SealKeys {
            current: chain.current().clone(),
            retired,
        }
    }

    /// Opens a payload sealed to this node at `place`: with the current key, else with a
    /// retired key still in its window at `now_ms`. A payload that opens but does not
    /// decode is that error at once.
    pub fn open<T: DeserializeOwned>(
        &self,
        place: &Place,
        sealed: &[u8],
        now_ms: i64,
    ) -> Result<T, HealthSealError> {
        let first = health_seal::open(&self.current, place, sealed);
        if !matches!(first, Err(HealthSealError::Opaque)) {
            return first;
        }
        let window = RETIRED_OPEN_DAYS * DAY_MS;
        for (key, retired) in &self.retired {
            if now_ms.saturating_sub(*retired) > window {
                continue;
            }
            match health_seal::open(key, place, sealed) {
                Err(HealthSealError::Opaque) => continue,
                opened => {
                    tracing::debug!(
                        key_id = key.id(),
                        kind = place.kind.as_str(),
                        "health seal opened with a retired key"
                    );
                    return opened;
                }
            }
        }
        first
    }
}

#[cfg(test)]
mod tests {
    use caremesh_federation::object::Kind;

    use super::*;

    const T0: i64 = 1_795_000_000_000;

    fn key(version: u8) -> NodeKey {
        NodeKey::from_secret(&format!("ed25519:{version}"), [version; 32]).unwrap()
    }

    /// A chain rotated from key 1 to key `last`, one day apart from T0 on.
    fn chain(last: u8) -> Keychain {
        let mut chain = Keychain::from(key(1));
        for version in 2..=last {
            let at = T0 + i64::from(version - 2) * DAY_MS;
            chain
                .rotate("https://home.example", key(version), at)
                .unwrap();
        }
        chain
    }

    fn place() -> Place {
        Place::new(
            Kind::Deposit,
            "01JD3V5Q0000000000000000D1",
            "https://home.example",
        )
    }

    fn sealed_for(version: u8) -> Vec<u8> {
        health_seal::seal(&key(version).public(), &place(), &"CBC".to_owned()).unwrap()
    }

    fn opens(keys: &SealKeys, sealed: &[u8], now: i64) -> bool {
        keys.open::<String>(&place(), sealed, now).is_ok()
    }

    #[test]
    fn a_seal_for_the_retired_key_opens_within_its_window() {
        let keys = SealKeys::of(&chain(2));
        let (old, new) = (sealed_for(1), sealed_for(2));
        assert!(opens(&keys, &new, T0 + DAY_MS));
        assert!(opens(&keys, &old, T0 + DAY_MS));
        assert!(opens(&keys, &old, T0 + RETIRED_OPEN_DAYS * DAY_MS));
        assert!(!opens(&keys, &old, T0 + (RETIRED_OPEN_DAYS + 1) * DAY_MS));
        assert!(
            opens(&keys, &new, T0 + 400 * DAY_MS),
            "the current key never lapses"
        );
        // A key the node never held opens nothing.
        assert!(!opens(&keys, &sealed_for(9), T0));
    }

    #[test]
    fn at_most_the_newest_retired_keys_open() {
        let last = 2 + MAX_RETIRED as u8;
        let keys = SealKeys::of(&chain(last));
        let now = T0 + i64::from(last) * DAY_MS;
        assert!(!opens(&keys, &sealed_for(1), now), "beyond the bound");
        for version in 2..=last {
            assert!(opens(&keys, &sealed_for(version), now), "key {version}");
        }
    }

    #[test]
    fn a_payload_that_opens_but_does_not_decode_says_so() {
        let keys = SealKeys::of(&chain(2));
        let err = keys.open::<u64>(&place(), &sealed_for(1), T0).unwrap_err();
        assert!(matches!(err, HealthSealError::Decode(_)), "{err}");
    }
}
