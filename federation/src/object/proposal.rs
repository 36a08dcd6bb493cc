//! Maker proposals: an offer of goods for a request. Directed: owned by the maker's node and
//! sent only to the request's origin, with the maker's contact sealed to that node's key.

use serde::{Deserialize, Serialize};

use super::{
    Audience, Material, Meta, ObjectKind, check_coords, check_origin, check_quantity, check_text,
    check_ulid, field,
};
use crate::error::SchemaError;
use crate::seal;

/// Lifecycle of a proposal.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatus {
    Pending,
    Accepted,
    Deferred,
    Declined,
    Withdrawn,
    Shipped,
    Received,
    Lapsed,
}

/// A maker's offer for a request, owned by the maker's node and sent only to the request's
/// origin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub meta: Meta,
    pub request_id: String,
    pub request_origin: String,
    /// The maker's handle on their node.
    pub maker: String,
    pub material: Material,
    pub quantity: u32,
    /// Unix milliseconds.
    pub eta: Option<i64>,
    pub status: ProposalStatus,
    /// The maker's contact and address, sealed to the request origin's key and bound to this
    /// proposal ([`seal::seal_contact`]), so nodes that route the proposal cannot read them
    /// and nobody can copy them into another proposal.
    #[serde(with = "serde_bytes")]
    pub sealed_contact: Vec<u8>,
    /// The maker's location, degrees × 10⁷, for distance shown to the requester.
    pub lat_e7: Option<i32>,
    pub lon_e7: Option<i32>,
}

/// The plaintext inside `Proposal::sealed_contact`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MakerContact {
    pub contact: String,
    pub address: String,
}

impl ObjectKind for Proposal {
    fn meta(&self) -> &Meta {
        &self.meta
    }

    fn audience(&self) -> Audience<'_> {
        Audience::Directed {
            to: &self.request_origin,
        }
    }

    fn parent(&self) -> Option<&str> {
        Some(&self.request_id)
    }

    fn validate(&self) -> Result<(), SchemaError> {
        check_ulid("request_id", &self.request_id)?;
        check_origin("request_origin", &self.request_origin)?;
        check_quantity("quantity", self.quantity, false)?;
        if self.maker.is_empty() || self.maker.len() > 64 {
            return Err(field("maker", "must be 1 to 64 bytes"));
        }
        check_text("maker", &self.maker)?;
        if self.sealed_contact.len() > 4_096 {
            return Err(field("sealed_contact", "is longer than 4096 bytes"));
        }
        if self.sealed_contact.first() != Some(&seal::CONTACT_SEAL_VERSION)
            || self.sealed_contact.len() < 1 + seal::CORE_OVERHEAD
        {
            return Err(field(
                "sealed_contact",
                "is not a version 2 contact seal (0x02, ephemeral key, ciphertext, tag)",
            ));
        }
        if let (Some(lat), Some(lon)) = (self.lat_e7, self.lon_e7) {
            check_coords(lat, lon)?;
        }
        Ok(())
    }
}
