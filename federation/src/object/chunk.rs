//! Chunks: the bytes of a deposited record, one piece each, sealed to the home node and
//! bound to their deposit and position (docs/protocol.md §9.2).

use serde::{Deserialize, Serialize};

use super::{Audience, Meta, ObjectKind, check_sealed, check_ulid, check_origin, field};
use crate::error::SchemaError;
use crate::health_seal::{CHUNK_BYTES, MAX_CHUNKS, OVERHEAD, Place};

/// One piece of a deposit's bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chunk {
    pub meta: Meta,
    /// The home node of the health ID.
    pub addressee: String,
    pub deposit_id: String,
    /// Position from 0; chunk `i` holds bytes `i × chunk_size …`.
    pub index: u32,
    /// The bytes (MessagePack bin), sealed at [`Chunk::place`].
    #[serde(with = "serde_bytes")]
    pub sealed: Vec<u8>,
}

impl Chunk {
    /// Where its sealed bytes belong: `extra` is `deposit_id:index`.
    pub fn place(&self) -> Place {
        Place::with_extra(
            super::Kind::Chunk,
            &self.meta.id,
            &self.addressee,
            format!("{}:{}", self.deposit_id, self.index),
        )
    }
}

directed_kind!(Chunk, parent(o) => Some(&o.deposit_id), validate(o) => {
    check_ulid("deposit_id", &o.deposit_id)?;
    if o.index >= MAX_CHUNKS {
        return Err(field("index", format!("must be below {MAX_CHUNKS}")));
    }
    // MessagePack's bin32 header takes 5 bytes.
    check_sealed(&o.sealed, CHUNK_BYTES + 5 + OVERHEAD)
});
