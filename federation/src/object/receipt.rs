//! Receipts: the home node tells the uploading node what became of a deposit
//! (docs/protocol.md §9.2).

use serde::{Deserialize, Serialize};

use super::{Audience, Kind, Meta, ObjectKind, check_sealed, check_ulid, check_origin};
use crate::error::SchemaError;
use crate::health_seal::{MAX_SMALL_SEALED};

/// The home node's answer to a deposit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub meta: Meta,
    /// The uploading node.
    pub addressee: String,
    pub deposit_id: String,
    /// [`ReceiptContent`], sealed at [`Receipt::place`].
    #[serde(with = "serde_bytes")]
    pub sealed: Vec<u8>,
}

/// Whether the record was kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptStatus {
    Stored,
    Refused,
}

/// What the receipt says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptContent {
    pub status: ReceiptStatus,
    /// For a refusal, the check that failed (`sha256`, `timeout`, ...).
    pub check: Option<String>,
    pub message: String,
}

sealed_place!(Receipt);

directed_kind!(Receipt, parent(o) => Some(&o.deposit_id), validate(o) => {
    check_ulid("deposit_id", &o.deposit_id)?;
    check_sealed(&o.sealed, MAX_SMALL_SEALED)
});
