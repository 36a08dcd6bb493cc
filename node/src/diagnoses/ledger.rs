//! Bounds on what `POST /diagnose` may keep: how many live query records each client holds
//! and how many the node holds in all. Anyone may call `/diagnose` and choose the query id,
//! so without them one client could fill the disk.
//!
//! The ledger counts the records in the store by client. Invariant: a record is counted
//! while it is in the store (expired or not); the sweep deletes expired records and counts
//! again from what remains, so a count that drifted is put right within one sweep.

use std::collections::HashMap;

/// The limits, from `[api]` in the config.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueryLimits {
    /// How long a diagnosis is kept, in milliseconds.
    pub ttl_ms: i64,
    /// Records one client (one IP address) may hold.
    pub per_client: usize,
    /// Records the node holds in all.
    pub total: usize,
}

impl QueryLimits {
    /// The limits set in `[api]`.
    pub fn of(api: &crate::config::ApiSection) -> Self {
        let ms = api.diagnose_ttl_secs.saturating_mul(1_000);
        Self {
            ttl_ms: i64::try_from(ms).unwrap_or(i64::MAX),
            per_client: usize::try_from(api.diagnose_per_client).unwrap_or(usize::MAX),
            total: usize::try_from(api.diagnose_max).unwrap_or(usize::MAX),
        }
    }
}

impl Default for QueryLimits {
    fn default() -> Self {
        Self {
            ttl_ms: 24 * 3_600_000,
            per_client: 1_000,
            total: 100_000,
        }
    }
}

/// A limit reached: the answer is 429 naming it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LimitReached {
    #[error(
        "this client already holds {max} diagnoses (limit `api.diagnose_per_client`); \
         they expire after `api.diagnose_ttl_secs`"
    )]
    PerClient { max: usize },
    #[error(
        "the node holds {max} diagnoses (limit `api.diagnose_max`); \
         they expire after `api.diagnose_ttl_secs`"
    )]
    Total { max: usize },
}

impl LimitReached {
    /// The stable code of the answer.
    pub fn code(self) -> &'static str {
        match self {
            LimitReached::PerClient { .. } => "diagnose_per_client",
            LimitReached::Total { .. } => "diagnose_max",
        }
    }
}

/// Records held, by client.
#[derive(Debug, Default)]
pub struct Ledger {
    by_client: HashMap<String, usize>,
    total: usize,
}

impl Ledger {
    /// A ledger counting `clients`, one entry per stored record.
    pub fn count<'a>(clients: impl Iterator<Item = &'a str>) -> Self {
        let mut ledger = Self::default();
        for client in clients {
            *ledger.by_client.entry(client.to_owned()).or_insert(0) += 1;
            ledger.total += 1;
        }
        ledger
    }

    /// Records held in all.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Counts a new record for `client`, unless a limit is reached.
    pub fn add(&mut self, client: &str, limits: &QueryLimits) -> Result<(), LimitReached> {
        let held = self.by_client.get(client).copied().unwrap_or(0);
        if held >= limits.per_client {
            return Err(LimitReached::PerClient {
                max: limits.per_client,
            });
        }
        if self.total >= limits.total {
            return Err(LimitReached::Total { max: limits.total });
        }
        *self.by_client.entry(client.to_owned()).or_insert(0) += 1;
        self.total += 1;
        Ok(())
    }

    /// Moves a record that `client` replaces from `previous`, its holder so far.
    pub fn replace(
        &mut self,
        previous: &str,
        client: &str,
        limits: &QueryLimits,
    ) -> Result<(), LimitReached> {
        if previous == client {
            return Ok(());
        }
        let held = self.by_client.get(client).copied().unwrap_or(0);
        if held >= limits.per_client {
            return Err(LimitReached::PerClient {
                max: limits.per_client,
            });
        }
        self.forget(previous);
        *self.by_client.entry(client.to_owned()).or_insert(0) += 1;
        self.total += 1;
        Ok(())
    }

    fn forget(&mut self, client: &str) {
        if let Some(n) = self.by_client.get_mut(client) {
            *n -= 1;
            self.total -= 1;
            if *n == 0 {
                self.by_client.remove(client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: QueryLimits = QueryLimits {
        ttl_ms: 1_000,
        per_client: 2,
        total: 3,
    };

    #[test]
    fn each_client_and_the_node_are_bounded() {
        let mut ledger = Ledger::count(["a"].into_iter());
        ledger.add("a", &LIMITS).expect("second for a");
        assert_eq!(
            ledger.add("a", &LIMITS),
            Err(LimitReached::PerClient { max: 2 })
        );
        ledger.add("b", &LIMITS).expect("first for b");
        assert_eq!(
            ledger.add("c", &LIMITS),
            Err(LimitReached::Total { max: 3 })
        );
        assert_eq!(ledger.total(), 3);
    }

    #[test]
    fn a_replaced_record_moves_to_its_new_holder() {
        let mut ledger = Ledger::count(["a", "a"].into_iter());
        ledger.replace("a", "a", &LIMITS).expect("own record");
        ledger.replace("a", "b", &LIMITS).expect("b takes one over");
        ledger.add("a", &LIMITS).expect("a holds one again");
        assert_eq!(ledger.total(), 3);
        assert_eq!(LimitReached::Total { max: 3 }.code(), "diagnose_max");
    }
}
