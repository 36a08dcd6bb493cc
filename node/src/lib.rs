//! A caremesh node: configuration, the sled store, domain services, the HTTP API and the
//! federation endpoints, outbox delivery, and the wiring of the chat bots.

pub mod directory;
pub mod triage;
