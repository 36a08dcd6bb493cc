//! Health IDs, profiles, records and consent (docs/health.md is the design).
//!
//! A person's health data lives at their home node only, sealed at rest with the records key
//! ([`vault`]); other nodes reach it through consent grants checked at home on every read.
//! Nothing here is ever logged: tracing fields carry ULIDs of records and consents, never a
//! health ID, an address, a name or a profile field.

mod answer;
pub mod asks;
pub mod audit;
pub mod card;
pub mod consent;
pub mod consents;
mod deposits;
pub mod erasure;
pub mod error;
pub mod fhir;
mod gate;
pub mod grants;
mod guardians;
pub mod hid;
pub mod ids;
mod intake;
pub mod notices;
pub mod prefixes;
pub mod profile;
pub mod reads;
pub mod record;
pub mod records;
pub mod relay;
pub mod rules;
pub mod seal_keys;
pub mod service;
pub mod uploads;
pub mod vault;

pub use error::{HealthError, HealthResult};
pub use service::{Health, HealthParts, HealthSettings, HealthStartError};
