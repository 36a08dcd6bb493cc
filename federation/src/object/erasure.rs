//! Erasure notices: the home node tells a node that held a grant that a record, or a whole
//! health ID, was erased (docs/protocol.md §9.5).

use serde::{Deserialize, Serialize};

use super::{Audience, Kind, Meta, ObjectKind, check_sealed, check_origin};
use crate::error::SchemaError;
use crate::health_seal::{MAX_SMALL_SEALED};

/// A notice of erasure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erasure {
    pub meta: Meta,
    /// A node that held a grant for the health ID.
    pub addressee: String,
    /// [`ErasureContent`], sealed at [`Erasure::place`].
    #[serde(with = "serde_bytes")]
    pub sealed: Vec<u8>,
}

/// What was erased.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureContent {
    /// 14 digits.
    pub health_id: String,
    /// The record erased; `None` when the whole health ID was.
    pub record_id: Option<String>,
}

sealed_place!(Erasure);

directed_kind!(Erasure, parent(_o) => None, validate(o) => {
    check_sealed(&o.sealed, MAX_SMALL_SEALED)
});
