//! The node side of the protocol: who may talk to us ([`peers`]), whose keys we trust
//! ([`keyring`]), receiving ([`inbox`]), sending ([`outbox`]), catching up ([`pull`]) and
//! making acknowledged writes durable in groups ([`flusher`]).

pub mod flusher;
pub mod inbox;
pub mod keyring;
pub mod outbox;
pub mod peers;
pub mod pull;
pub mod rate_limit;
