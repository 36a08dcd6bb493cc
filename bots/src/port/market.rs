//! The supply marketplace as chat sees it: the catalog, needs, offers, decisions, alerts
//! and the figures of `/stats`.

use caremesh_federation::object::{Material, ProposalStatus, RequestStatus, Verdict};
use serde::{Deserialize, Serialize};

use super::{Account, PortResult};

/// A catalog product: its slug (what needs carry on the wire) and its name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub slug: String,
    pub name: String,
}

/// A need, as chat shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestInfo {
    pub id: String,
    pub origin: String,
    /// A catalog slug.
    pub product: String,
    pub quantity: u32,
    pub accepted: u32,
    pub received: u32,
    pub status: RequestStatus,
    pub facility_name: String,
    pub location: (f64, f64),
    pub distance_km: Option<f64>,
}

/// An offer, as chat shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposalInfo {
    pub id: String,
    pub request_id: String,
    /// A catalog slug.
    pub product: String,
    pub maker: String,
    pub material: Material,
    pub quantity: u32,
    /// What the requester accepted so far.
    pub accepted: u32,
    pub status: ProposalStatus,
    /// Days until the promised delivery, when given.
    pub eta_days: Option<i64>,
    /// From the maker to the request's facility.
    pub distance_km: Option<f64>,
    /// The maker's contact, seen only by the requester's node.
    pub contact: Option<String>,
}

/// A need to post.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NeedDraft {
    /// A catalog slug.
    pub product: String,
    pub quantity: u32,
    /// Needed within this many days from now, if said.
    pub within_days: Option<u32>,
    pub facility_id: String,
}

/// An offer to make.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfferDraft {
    pub request_id: String,
    pub quantity: u32,
    pub material: Material,
    /// Delivered within this many days from now.
    pub eta_days: u32,
}

/// One line of `/stats`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatRow {
    /// A catalog slug.
    pub product: String,
    pub needed: u64,
    pub accepted: u64,
    pub received: u64,
}

/// A maker's alerts about new needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Subscription {
    pub radius_km: f64,
    /// Product slugs; empty means every product.
    pub products: Vec<String>,
    /// Where the maker is, degrees.
    pub location: (f64, f64),
    pub muted: bool,
}

/// Needs, offers and the alerts about them.
#[async_trait::async_trait]
pub trait Market: Send + Sync {
    /// The product catalog.
    async fn products(&self) -> PortResult<Vec<Product>>;
    /// Posts a need.
    async fn create_request(&self, by: &Account, need: NeedDraft) -> PortResult<RequestInfo>;
    /// Open needs, nearest to `by` first.
    async fn open_requests(&self, by: &Account, limit: usize) -> PortResult<Vec<RequestInfo>>;
    /// One need.
    async fn get_request(&self, id: &str) -> PortResult<RequestInfo>;
    /// Makes an offer.
    async fn create_proposal(&self, by: &Account, offer: OfferDraft) -> PortResult<ProposalInfo>;
    /// Offers on `by`'s needs (requesters) and `by`'s own offers (makers).
    async fn proposals(&self, by: &Account) -> PortResult<Vec<ProposalInfo>>;
    /// Accepts, defers or declines an offer.
    async fn decide(&self, by: &Account, id: &str, verdict: Verdict) -> PortResult<ProposalInfo>;
    /// The maker marks an accepted offer shipped.
    async fn mark_shipped(&self, by: &Account, id: &str) -> PortResult<ProposalInfo>;
    /// The requester confirms goods arrived.
    async fn mark_received(&self, by: &Account, id: &str) -> PortResult<ProposalInfo>;
    /// Needed vs accepted vs received per product.
    async fn stats(&self) -> PortResult<Vec<StatRow>>;
    /// The member's alert subscription.
    async fn subscription(&self, by: &Account) -> PortResult<Option<Subscription>>;
    /// Stores the member's alert subscription.
    async fn set_subscription(&self, by: &Account, sub: Subscription) -> PortResult<()>;
}
