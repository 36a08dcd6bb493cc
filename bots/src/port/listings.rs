//! This node's own facility listings, kept by its staff from the chat.

use caremesh_federation::object::FacilityKind;
use caremesh_federation::vocabulary::BloodGroup;
use serde::{Deserialize, Serialize};

use super::{Account, FacilityInfo, PortResult};

/// A new facility listing, as `/facility new` collects it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FacilityDraft {
    pub kind: FacilityKind,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    /// May be empty.
    pub contact: String,
}

/// One change to a listing, typed as `/facility ID FIELD VALUE`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FacilityChange {
    Contact(String),
    /// OSM `opening_hours` syntax, e.g. `Mo-Fr 09:00-17:00` or `24/7`.
    Hours(String),
    Name(String),
    /// Units of one blood group in stock.
    BloodStock {
        group: BloodGroup,
        units: u32,
    },
    Retract,
}

/// Listings of this node.
#[async_trait::async_trait]
pub trait Listings: Send + Sync {
    /// This node's own listings that can post needs (not maker hubs), the first few.
    async fn local_facilities(&self) -> PortResult<Vec<FacilityInfo>>;
    /// Publishes a new listing for this node.
    async fn create_facility(&self, by: &Account, draft: FacilityDraft)
    -> PortResult<FacilityInfo>;
    /// Changes one of this node's listings.
    async fn update_facility(
        &self,
        by: &Account,
        id: &str,
        change: FacilityChange,
    ) -> PortResult<FacilityInfo>;
}
