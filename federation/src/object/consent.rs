//! Consents: the home node's decision on an ask, signed by the home node and sent to the
//! asking node (docs/protocol.md §9.3). One object per ask; each decision is a new version
//! (granted or denied, then revoked).

use serde::{Deserialize, Serialize};

use super::{Audience, Kind, Meta, ObjectKind, check_sealed, check_ulid, check_origin};
use crate::error::SchemaError;
use crate::health_seal::{MAX_SMALL_SEALED};

/// A decision on a consent ask.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub meta: Meta,
    /// The asking node.
    pub addressee: String,
    /// The id of the ask (and of the consent).
    pub ask_id: String,
    /// [`ConsentContent`], sealed at [`Consent::place`].
    #[serde(with = "serde_bytes")]
    pub sealed: Vec<u8>,
}

/// Where a consent stands after a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentStatus {
    Granted,
    Denied,
    Revoked,
}

/// What was decided, repeating what was asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentContent {
    /// 14 digits.
    pub health_id: String,
    pub status: ConsentStatus,
    pub purpose: String,
    pub record_types: Vec<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Unix ms.
    pub expires: i64,
    /// Handle of the holder or guardian who decided.
    pub decided_by: String,
    /// Unix ms.
    pub decided_at: i64,
}

sealed_place!(Consent);

directed_kind!(Consent, parent(o) => Some(&o.ask_id), validate(o) => {
    check_ulid("ask_id", &o.ask_id)?;
    check_sealed(&o.sealed, MAX_SMALL_SEALED)
});
