//! Health IDs, profiles, records and consent (docs/health.md is the design).
//!
//! A person's health data lives at their home node only, sealed at rest with the records key
//! ([`vault`]); other nodes reach it through consent grants checked at home on every read.
//! Nothing here is ever logged: tracing fields carry ULIDs of records and consents, never a
//! health ID, an address, a name or a profile field.

pub mod audit;
pub mod card;
pub mod consent;
pub mod fhir;
pub mod hid;
pub mod ids;
pub mod prefixes;
pub mod profile;
pub mod record;
pub mod rules;
pub mod vault;
