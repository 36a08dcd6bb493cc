//! xcov19's brokering: a diagnosis of symptoms kept under the caller's query id, and later
//! the facilities fit for that diagnosis near a point (`POST /diagnose`, `POST /geo`).
//!
//! `/diagnose` is public and the caller picks the key, so what it keeps is bounded
//! ([`ledger`]): each record expires after a TTL (unknown to `/geo` at once, deleted by the
//! sweep), each client (IP address) and the node hold at most so many, and a write is not
//! flushed on its own (`Space::Queries` is lazy: a query lost in a crash is asked again).

pub mod ledger;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::directory::finder::{Finder, Hit};
use crate::directory::search::Query;
use crate::error::ServiceError;
use crate::store::{Space, Store, StoreError, record};
use crate::triage::{Assessment, Triage, Urgency};
use ledger::{Ledger, LimitReached, QueryLimits};

/// A stored diagnosis query.
#[derive(Serialize, Deserialize)]
struct StoredQuery {
    specialties: Vec<String>,
    urgency: Urgency,
    created_at: i64,
    /// Who asked (an IP address), for the per-client bound; empty in older records.
    #[serde(default)]
    client: String,
}

/// Why a diagnosis was not kept.
#[derive(Debug, thiserror::Error)]
pub enum DiagnoseError {
    #[error(transparent)]
    Limit(#[from] LimitReached),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<StoreError> for DiagnoseError {
    fn from(e: StoreError) -> Self {
        Self::Service(e.into())
    }
}

/// Diagnoses by query id.
#[derive(Clone)]
pub struct Diagnoses {
    store: Arc<dyn Store>,
    triage: Arc<Triage>,
    finder: Finder,
    clock: Arc<dyn Clock>,
    limits: QueryLimits,
    ledger: Arc<Mutex<Ledger>>,
}

impl Diagnoses {
    /// Diagnoses kept in `store` within `limits`, made by `triage`, answered through
    /// `finder`. Sweeps once, which counts the records already kept.
    pub fn new(
        store: Arc<dyn Store>,
        triage: Arc<Triage>,
        finder: Finder,
        clock: Arc<dyn Clock>,
        limits: QueryLimits,
    ) -> Result<Self, ServiceError> {
        let diagnoses = Self {
            store,
            triage,
            finder,
            clock,
            limits,
            ledger: Arc::default(),
        };
        diagnoses.sweep()?;
        Ok(diagnoses)
    }

    /// Assesses `symptoms` and keeps the specialties and urgency under `query_id` for
    /// `client` (a later diagnosis under the same id replaces it), unless a limit is reached.
    pub fn diagnose(
        &self,
        client: &str,
        query_id: &str,
        symptoms: &str,
    ) -> Result<Assessment, DiagnoseError> {
        let mut ledger = self.ledger.lock().unwrap_or_else(|p| p.into_inner());
        match self.store.get(Space::Queries, query_id)? {
            Some(bytes) => {
                let previous = record::decode::<StoredQuery>("query", query_id, &bytes)
                    .map(|q| q.client)
                    .unwrap_or_default();
                ledger.replace(&previous, client, &self.limits)?;
            }
            None => ledger.add(client, &self.limits)?,
        }
        let assessment = self.triage.assess(symptoms);
        let stored = StoredQuery {
            specialties: assessment.specialties.clone(),
            urgency: assessment.urgency,
            created_at: self.clock.now_ms(),
            client: client.to_owned(),
        };
        self.store
            .put(Space::Queries, query_id, &record::encode(&stored))?;
        Ok(assessment)
    }

    /// Deletes expired diagnoses and counts the others again; answers how many it deleted.
    pub fn sweep(&self) -> Result<usize, StoreError> {
        let mut ledger = self.ledger.lock().unwrap_or_else(|p| p.into_inner());
        let now = self.clock.now_ms();
        let mut expired = Vec::new();
        let mut live = Vec::new();
        self.store.visit(
            Space::Queries,
            &mut |key, bytes| match record::decode::<StoredQuery>("query", key, bytes) {
                Ok(q) if !self.expired(&q, now) => live.push(q.client),
                _ => expired.push(key.to_owned()),
            },
        )?;
        for key in &expired {
            self.store.delete(Space::Queries, key)?;
        }
        *ledger = Ledger::count(live.iter().map(String::as_str));
        Ok(expired.len())
    }

    /// Diagnoses kept now.
    pub fn held(&self) -> usize {
        self.ledger
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .total()
    }

    /// Sweeps every `min(ttl, 60 s)` until `shutdown`.
    pub async fn run(self, shutdown: Arc<tokio::sync::Notify>) {
        let ttl = u64::try_from(self.limits.ttl_ms).unwrap_or(1_000);
        let every = Duration::from_millis(ttl.clamp(1_000, 60_000));
        loop {
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = shutdown.notified() => return,
            }
            match self.sweep() {
                Ok(0) => {}
                Ok(n) => tracing::debug!(deleted = n, "expired diagnoses swept"),
                Err(e) => tracing::warn!(error = %e, "sweeping diagnoses failed"),
            }
        }
    }

    fn expired(&self, q: &StoredQuery, now: i64) -> bool {
        now.saturating_sub(q.created_at) >= self.limits.ttl_ms
    }

    /// Up to `limit` facilities fit for the diagnosis `query_id` near `at`, nearest first
    /// (`None` for an unknown query id): each specialty searched on its own (a facility
    /// needs only one of them); emergencies look for hospitals with an emergency department.
    pub fn facilities(
        &self,
        query_id: &str,
        at: (f64, f64),
        limit: usize,
    ) -> Result<Option<Vec<Hit>>, ServiceError> {
        let stored: StoredQuery = match self.store.get(Space::Queries, query_id)? {
            Some(bytes) => record::decode("query", query_id, &bytes)?,
            None => return Ok(None),
        };
        if self.expired(&stored, self.clock.now_ms()) {
            return Ok(None);
        }
        let searches: Vec<Query> = if stored.urgency == Urgency::Emergency {
            vec![Query::emergency()]
        } else {
            stored
                .specialties
                .iter()
                .map(|s| Query {
                    specialties: vec![s.clone()],
                    ..Query::default()
                })
                .collect()
        };
        Ok(Some(self.finder.nearest_any(at, &searches, limit)))
    }
}

#[cfg(test)]
mod tests;
