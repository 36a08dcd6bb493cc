//! The care directory as chat sees it: facilities near a place, blood in stock, services
//! and prices, typed places, and triage of typed symptoms.

use caremesh_federation::object::FacilityKind;
use caremesh_federation::vocabulary::BloodGroup;
use serde::{Deserialize, Serialize};

use super::PortResult;

/// A facility, as chat shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FacilityInfo {
    pub id: String,
    pub name: String,
    pub kind: FacilityKind,
    pub contact: String,
    pub distance_km: Option<f64>,
    /// Where it is, for a map message.
    pub lat: f64,
    pub lon: f64,
    /// One line of address (may be empty).
    pub address: String,
}

/// A place a person typed, found in the node's gazetteer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// The place's name as the gazetteer spells it.
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

/// A facility's priced services, as chat shows them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServicesInfo {
    pub facility: String,
    /// (service, price, currency).
    pub services: Vec<(String, String, String)>,
}

/// What triage says about typed symptoms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriageInfo {
    pub specialties: Vec<String>,
    pub urgency: String,
    pub advice: String,
    /// One question to ask when the text leaves out what decides the urgency.
    #[serde(default)]
    pub follow_up: Option<FollowUpInfo>,
}

/// A follow-up question and the words a yes or a no adds to the symptoms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpInfo {
    pub question: String,
    pub yes: Option<String>,
    pub no: Option<String>,
}

/// Finding care.
#[async_trait::async_trait]
pub trait Directory: Send + Sync {
    /// Facilities near a point, nearest first, optionally of one kind.
    async fn nearby(
        &self,
        at: (f64, f64),
        kind: Option<FacilityKind>,
        limit: usize,
    ) -> PortResult<Vec<FacilityInfo>>;
    /// Blood banks near a point with `group` in stock, nearest first.
    async fn blood(
        &self,
        at: (f64, f64),
        group: BloodGroup,
        limit: usize,
    ) -> PortResult<Vec<FacilityInfo>>;
    /// The services and prices of the facility best matching `name` (an id or part of a
    /// name); `None` when there is none.
    async fn services(&self, name: &str) -> PortResult<Option<ServicesInfo>>;
    /// The place a person typed ("Pune", "andheri west", "दिल्ली"); `None` when unknown.
    async fn place(&self, text: &str) -> PortResult<Option<Place>>;
    /// One facility listing by id, for a map message; `None` when unknown.
    async fn facility(&self, id: &str) -> PortResult<Option<FacilityInfo>>;
    /// Triage of typed symptoms.
    async fn symptoms(&self, text: &str) -> PortResult<TriageInfo>;
}
