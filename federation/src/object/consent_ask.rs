//! Consent asks: staff of a facility ask a health ID's home node for access to records
//! (docs/protocol.md §9.3). The ask's id is the consent's id from then on.

use serde::{Deserialize, Serialize};

use super::{Audience, HealthFacility, Kind, Meta, ObjectKind, check_sealed, check_origin};
use crate::error::SchemaError;
use crate::health_seal::{MAX_SMALL_SEALED};

/// An ask for consent, sealed to the home node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentAsk {
    pub meta: Meta,
    /// The home node of the health ID.
    pub addressee: String,
    /// [`AskContent`], sealed at [`ConsentAsk::place`].
    #[serde(with = "serde_bytes")]
    pub sealed: Vec<u8>,
}

/// What is asked for, modelled on ABDM's consent artefact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskContent {
    /// 14 digits.
    pub health_id: String,
    /// `care`, `referral`, `insurance` or `research`.
    pub purpose: String,
    /// Record types, as in [`super::DepositContent::record_type`].
    pub record_types: Vec<String>,
    /// Records dated from this day (`YYYY-MM-DD`), inclusive.
    pub from: Option<String>,
    /// Records dated up to this day, inclusive.
    pub to: Option<String>,
    /// Unix ms after which the grant ends.
    pub expires: i64,
    pub facility: HealthFacility,
    /// The asking staff member's handle.
    pub member: String,
}

sealed_place!(ConsentAsk);

directed_kind!(ConsentAsk, parent(_o) => None, validate(o) => {
    check_sealed(&o.sealed, MAX_SMALL_SEALED)
});
