//! xcov19's brokering: a diagnosis of symptoms kept under the caller's query id, and later
//! the facilities fit for that diagnosis near a point (`POST /diagnose`, `POST /geo`).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::directory::finder::{Finder, Hit};
use crate::directory::search::Query;
use crate::error::ServiceError;
use crate::store::{Space, Store, record};
use crate::triage::{Assessment, Triage, Urgency};

/// A stored diagnosis query.
#[derive(Serialize, Deserialize)]
struct StoredQuery {
    specialties: Vec<String>,
    urgency: Urgency,
    created_at: i64,
}

/// Diagnoses by query id.
#[derive(Clone)]
pub struct Diagnoses {
    store: Arc<dyn Store>,
    triage: Arc<Triage>,
    finder: Finder,
    clock: Arc<dyn Clock>,
}

impl Diagnoses {
    /// Diagnoses kept in `store`, made by `triage`, answered through `finder`.
    pub fn new(
        store: Arc<dyn Store>,
        triage: Arc<Triage>,
        finder: Finder,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            store,
            triage,
            finder,
            clock,
        }
    }

    /// Assesses `symptoms` and keeps the specialties and urgency under `query_id` (a later
    /// diagnosis under the same id replaces it).
    pub fn diagnose(&self, query_id: &str, symptoms: &str) -> Result<Assessment, ServiceError> {
        let assessment = self.triage.assess(symptoms);
        let stored = StoredQuery {
            specialties: assessment.specialties.clone(),
            urgency: assessment.urgency,
            created_at: self.clock.now_ms(),
        };
        self.store
            .put(Space::Queries, query_id, &record::encode(&stored))?;
        Ok(assessment)
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
