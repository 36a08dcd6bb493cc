//! Read requests: a node reads records of a health ID under a consent grant, live from the
//! home node, relayed hop by hop at `POST /federation/v1/health/read` and never stored
//! (docs/protocol.md §9.4).

use serde::{Deserialize, Serialize};

use super::{Audience, Kind, Meta, ObjectKind, check_sealed, check_origin};
use crate::error::SchemaError;
use crate::health_seal::{MAX_SMALL_SEALED};

/// Path of the read relay on every node.
pub const READ_PATH: &str = "/federation/v1/health/read";
/// Hops a read may travel.
pub const MAX_HOPS: u8 = 8;
/// Most bytes of record content one read asks for.
pub const MAX_RANGE: u64 = 1 << 20;

/// A read, signed by the reading node and sealed to the home node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Read {
    pub meta: Meta,
    /// The home node of the health ID.
    pub addressee: String,
    /// [`ReadContent`], sealed at [`Read::place`].
    #[serde(with = "serde_bytes")]
    pub sealed: Vec<u8>,
}

/// What is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadOp {
    /// The records the grant covers.
    List,
    /// A byte range of one record.
    Content,
}

/// The read, as the home node opens it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadContent {
    /// The consent (ask) id the read relies on.
    pub consent_id: String,
    /// 14 digits.
    pub health_id: String,
    pub op: ReadOp,
    pub record_id: Option<String>,
    pub offset: u64,
    /// At most [`MAX_RANGE`].
    pub length: u64,
    /// The reading staff member's handle.
    pub member: String,
}

/// The body of `POST /federation/v1/health/read` (MessagePack).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadRelay {
    /// Hops left; a node that must forward a read with 0 refuses it.
    pub hops: u8,
    /// The [`Read`]'s envelope, byte for byte as its origin signed it.
    pub envelope: crate::Envelope,
}

sealed_place!(Read);

directed_kind!(Read, parent(_o) => None, validate(o) => {
    check_sealed(&o.sealed, MAX_SMALL_SEALED)
});
