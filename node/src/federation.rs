//! The node side of the protocol: who may talk to us ([`peers`]), whose keys we trust
//! ([`keyring`]), receiving ([`inbox`]), sending ([`outbox`]) and catching up ([`pull`]).

pub mod inbox;
pub mod keyring;
pub mod outbox;
pub mod parking;
pub mod peers;
pub mod pull;
pub mod rate_limit;
pub mod routes;
