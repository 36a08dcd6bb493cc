//! The caremesh federation protocol, version 1.
//!
//! Every caremesh node owns an ed25519 key ([`key::NodeKey`]) and publishes it in an
//! [`identity::Identity`] document at `GET /federation/v1/identity`. Whatever a node
//! creates (a facility listing, a supply request, a maker's proposal, a requester's
//! decision) is an [`object::Object`] whose `origin` is that node's public URL. The node
//! encodes it as canonical MessagePack ([`codec`]) and signs those exact bytes behind a
//! domain-separated prefix, giving an [`envelope::Envelope`]. Envelopes are stored and
//! forwarded byte for byte: a node three hops away checks the origin's signature, never a
//! re-encoding.
//!
//! Nodes push envelopes to each other in [`batch::Batch`]es at `POST /federation/v1/inbox`;
//! the HTTP request itself is signed by the sending peer ([`request_auth`]), so the receiver
//! knows which peer sent it, can refuse unknown peers, stale or replayed requests before it
//! decodes anything. The receiver answers with one [`batch::Outcome`] per envelope. Public
//! objects (facilities, requests) are relayed onward to the receiver's own peers; directed
//! objects (proposals, decisions) travel only toward their addressee, and the private parts
//! (a maker's contact) are [`seal`]ed to the addressee's key so routing nodes cannot read
//! them. A node that was away catches up with `GET /federation/v1/objects`, the pull side.
//!
//! Health objects (deposits of records and their chunks, consent asks and decisions,
//! receipts, erasure notices) are directed too, and their content is [`health_seal`]ed to
//! the addressee with associated data that binds it to its object and position. Reads of
//! records under consent are never stored: a signed, sealed read travels hop by hop to the
//! health ID's home node, whose signed, sealed answer travels back
//! (`object::READ_PATH`). Which node is a health ID's home is public: each home node
//! announces its number prefixes in an `announcement`.
//!
//! This crate holds the protocol only: types, bytes and signatures, with no IO, so that
//! another implementation could use it as it is. The peer HTTP client
//! (`client::PeerClient`, reqwest) is behind the `client` feature, off by default.
//! Storage and the HTTP server live in `caremesh-node`. docs/protocol.md is the normative
//! description, with test vectors checked by this crate's tests.
//!
//! Object kinds are listed once, in [`for_each_kind!`](crate::for_each_kind); [`object::Object`] and
//! [`object::Kind`] are generated from that list, and each kind's rules are its
//! [`object::ObjectKind`] impl in its own module.

pub mod batch;
#[cfg(feature = "client")]
pub mod client;
pub mod codec;
pub mod envelope;
pub mod error;
pub mod fuzzing;
pub mod health_seal;
pub mod identity;
pub mod key;
pub mod keychain;
pub mod object;
pub mod origin;
pub mod request_auth;
pub mod seal;
pub mod vocabulary;
pub mod xaead;

pub use batch::{Batch, BatchReply, Check, Outcome, PullPage};
#[cfg(feature = "client")]
pub use client::PeerClient;
pub use envelope::Envelope;
pub use identity::Identity;
pub use key::NodeKey;
pub use keychain::Keychain;
pub use object::{Decision, Facility, Kind, Meta, Object, ObjectKind, Proposal, Request};
pub use vocabulary::BloodGroup;
