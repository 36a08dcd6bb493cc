//! Deposits: a record on its way to the health ID's home node. The uploading node sends one
//! deposit and its chunks; only the home node can open them (docs/protocol.md §9.2).

use serde::{Deserialize, Serialize};

use super::{Audience, Kind, Meta, ObjectKind, check_sealed, check_origin, field};
use crate::error::SchemaError;
use crate::health_seal::{MAX_CHUNKS, MAX_SMALL_SEALED};

/// A record's description, sealed to the home node; its chunks follow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deposit {
    pub meta: Meta,
    /// The home node of the health ID.
    pub addressee: String,
    /// How many chunks carry the bytes.
    pub chunks: u32,
    /// [`DepositContent`], sealed at [`Deposit::place`].
    #[serde(with = "serde_bytes")]
    pub sealed: Vec<u8>,
}

/// The facility a deposit or consent ask comes from (a facility of the sending node).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthFacility {
    pub id: String,
    pub name: String,
}

/// What a deposit says about its record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositContent {
    /// 14 digits.
    pub health_id: String,
    /// `lab_report`, `imaging`, `prescription`, `discharge_summary`, `vaccination`, `other`.
    #[serde(rename = "type")]
    pub record_type: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub facility: HealthFacility,
    /// The uploading staff member's handle.
    pub uploader: String,
    pub content_type: String,
    /// Bytes of the record.
    pub size: u64,
    /// Lowercase hex SHA-256 of the bytes.
    pub sha256: String,
    /// Bytes per chunk (the last holds the rest).
    pub chunk_size: u32,
}

sealed_place!(Deposit);

directed_kind!(Deposit, parent(_o) => None, validate(o) => {
    if o.chunks == 0 || o.chunks > MAX_CHUNKS {
        return Err(field("chunks", format!("must be 1 to {MAX_CHUNKS}")));
    }
    check_sealed(&o.sealed, MAX_SMALL_SEALED)
});
