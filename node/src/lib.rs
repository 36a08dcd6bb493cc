//! A caremesh node: configuration, the sled store, domain services, the HTTP API and the
//! federation endpoints, outbox delivery, and the wiring of the chat bots.

pub mod app;
pub mod appointments;
pub mod catalog;
pub mod chat;
pub mod clock;
pub mod config;
pub mod diagnoses;
pub mod directory;
pub mod error;
pub mod events;
pub mod federation;
pub mod fixtures;
pub mod fuzzing;
pub mod health;
pub mod http;
pub mod identities;
pub mod init;
pub mod kinds;
pub mod marketplace;
pub mod members;
pub mod metrics;
pub mod objects;
pub mod private_file;
pub mod server;
pub mod services;
pub mod specialties;
pub mod store;
#[cfg(test)]
mod testing;
pub mod triage;
