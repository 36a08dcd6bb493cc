//! The engine's ports implemented over the node's services, in-process: one file per area
//! ([`caremesh_bots::port::Accounts`], `Market`, `Directory`, `Listings`, `Health`,
//! `Appointments`, `Orders`), all on [`ChatNode`].

mod accounts;
mod appointments;
mod directory;
mod health;
mod listings;
mod market;
mod orders;

use std::sync::Arc;

use caremesh_bots::port::{Account, PortError, PortResult};

use super::records::ChatRecords;
use crate::error::ServiceError;
use crate::members::Member;
use crate::services::Services;
use crate::store::Store;

/// The node, as the chat engine sees it: the domain services it calls, and the chat's own
/// records.
pub struct ChatNode {
    pub(super) app: Services,
    pub(super) records: ChatRecords,
    /// The objects (schedules are looked for across facilities).
    store: Arc<dyn Store>,
}

impl ChatNode {
    /// The ports over the node's `services`, keeping chat records in `store`.
    pub fn new(services: &Services, store: Arc<dyn Store>) -> Self {
        Self {
            app: services.clone(),
            records: ChatRecords::new(store.clone()),
            store,
        }
    }

    /// The member behind an account.
    fn member(&self, account: &Account) -> PortResult<Member> {
        self.app
            .members
            .get(&account.handle)?
            .ok_or_else(|| PortError::NotFound {
                what: "member".into(),
                id: account.handle.clone(),
            })
    }

    /// Unix milliseconds now, plus `days`.
    fn days_from_now(&self, days: u32) -> i64 {
        self.app.clock.now_ms() + i64::from(days) * 86_400_000
    }
}

/// Service errors as the engine knows them; storage failures hide their details.
impl From<ServiceError> for PortError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid { field, problem } => PortError::Invalid {
                field: field.into(),
                problem,
            },
            ServiceError::Forbidden { reason } => PortError::Forbidden { reason },
            ServiceError::NotFound { what, id } => PortError::NotFound {
                what: what.into(),
                id,
            },
            ServiceError::Conflict { problem } => PortError::Conflict { problem },
            e @ (ServiceError::Store(_) | ServiceError::Corrupt { .. }) => PortError::Unavailable {
                problem: e.to_string(),
            },
        }
    }
}

fn store_err(e: crate::store::StoreError) -> PortError {
    ServiceError::from(e).into()
}
