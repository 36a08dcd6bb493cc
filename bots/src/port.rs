//! The port through which the engine asks the node to do things. The node implements it
//! in-process over its services; tests use a fake.

use serde::{Deserialize, Serialize};

use crate::chat::ChatUser;
use crate::notice::Notice;
use crate::subscribers::Subscription;

/// What a person may do on the node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Requester,
    Maker,
    Patient,
    Staff,
    Admin,
}

/// The node member a chat user is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub handle: String,
    pub role: Role,
    /// False for requesters still waiting for an admin's approval.
    pub approved: bool,
    /// Where the member is, degrees.
    pub location: Option<(f64, f64)>,
}

impl Account {
    /// May post needs and decide on proposals.
    pub fn is_requester(&self) -> bool {
        self.approved && matches!(self.role, Role::Requester | Role::Staff | Role::Admin)
    }

    /// May create and change this node's facility listings.
    pub fn may_edit_listings(&self) -> bool {
        self.approved && matches!(self.role, Role::Staff | Role::Admin)
    }

    /// May offer goods.
    pub fn is_maker(&self) -> bool {
        self.approved && matches!(self.role, Role::Maker | Role::Admin)
    }
}

/// What `/register` collected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Registration {
    pub role: Role,
    pub location: Option<(f64, f64)>,
    /// The name the platform shows, to derive a handle from.
    pub display_name: String,
}

/// A catalog product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub slug: String,
    pub name: String,
}

/// A facility, as chat shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FacilityInfo {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub contact: String,
    pub distance_km: Option<f64>,
    /// Where it is, for a map message.
    #[serde(default)]
    pub lat: f64,
    #[serde(default)]
    pub lon: f64,
    /// One line of address (may be empty).
    #[serde(default)]
    pub address: String,
}

/// A new facility listing, as `/facility new` collects it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FacilityDraft {
    /// A facility kind as the node spells it (`hospital`, `blood_bank`…).
    pub kind: String,
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
        group: String,
        units: u32,
    },
    Retract,
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

/// A need, as chat shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestInfo {
    pub id: String,
    pub origin: String,
    pub product: String,
    pub quantity: u32,
    pub accepted: u32,
    pub received: u32,
    pub status: String,
    pub facility_name: String,
    pub location: (f64, f64),
    pub distance_km: Option<f64>,
}

/// An offer, as chat shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposalInfo {
    pub id: String,
    pub request_id: String,
    pub product: String,
    pub maker: String,
    pub material: String,
    pub quantity: u32,
    /// What the requester accepted so far.
    pub accepted: u32,
    pub status: String,
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
    pub product: String,
    pub quantity: u32,
    /// Unix milliseconds.
    pub needed_by: Option<i64>,
    pub facility_id: String,
}

/// An offer to make.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfferDraft {
    pub request_id: String,
    pub quantity: u32,
    pub material: String,
    /// Unix milliseconds.
    pub eta: Option<i64>,
}

/// The requester's choice on an offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Accept,
    Defer,
    Decline,
}

/// One line of `/stats`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatRow {
    pub product: String,
    pub needed: u64,
    pub accepted: u64,
    pub received: u64,
}

/// What triage says about typed symptoms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriageInfo {
    pub specialties: Vec<String>,
    pub urgency: String,
    pub advice: String,
}

/// Why the node refused or failed; the engine turns each into a catalog message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PortError {
    /// Bad input about one field.
    #[error("`{field}` {problem}")]
    Invalid { field: String, problem: String },
    /// Not allowed for this person.
    #[error("{reason}")]
    Forbidden { reason: String },
    /// No such thing.
    #[error("{what} `{id}` not found")]
    NotFound { what: String, id: String },
    /// The state of things does not allow it.
    #[error("{problem}")]
    Conflict { problem: String },
    /// The node failed; not the person's fault.
    #[error("node unavailable: {problem}")]
    Unavailable { problem: String },
}

/// Shorthand for port results.
pub type PortResult<T> = Result<T, PortError>;

/// Everything the engine may ask of the node.
#[async_trait::async_trait]
pub trait NodePort: Send + Sync {
    /// Unix milliseconds now.
    fn now_ms(&self) -> i64;
    /// The member this chat user is, if registered or linked.
    async fn account(&self, who: &ChatUser) -> PortResult<Option<Account>>;
    /// Registers a chat user; requesters come back unapproved.
    async fn register(&self, who: &ChatUser, registration: Registration) -> PortResult<Account>;
    /// Admin approval of a waiting requester; returns the approved account.
    async fn approve(&self, admin: &Account, handle: &str) -> PortResult<Account>;
    /// Handles of requesters waiting for approval.
    async fn pending(&self) -> PortResult<Vec<String>>;
    /// Stores where a member is.
    async fn set_location(&self, account: &Account, lat: f64, lon: f64) -> PortResult<()>;
    /// The product catalog.
    async fn products(&self) -> PortResult<Vec<Product>>;
    /// This node's facilities, for posting needs.
    async fn local_facilities(&self) -> PortResult<Vec<FacilityInfo>>;
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
    /// The member's alert subscription.
    async fn subscription(&self, by: &Account) -> PortResult<Option<Subscription>>;
    /// Stores the member's alert subscription.
    async fn set_subscription(&self, by: &Account, sub: Subscription) -> PortResult<()>;
    /// Facilities near a point, nearest first, optionally of one kind.
    async fn nearby(
        &self,
        at: (f64, f64),
        kind: Option<&str>,
        limit: usize,
    ) -> PortResult<Vec<FacilityInfo>>;
    /// Blood banks near a point with `group` in stock, nearest first. Nodes without a
    /// directory answer none.
    async fn blood(
        &self,
        at: (f64, f64),
        group: &str,
        limit: usize,
    ) -> PortResult<Vec<FacilityInfo>> {
        let _ = (at, group, limit);
        Ok(Vec::new())
    }
    /// The services and prices of the facility best matching `name` (an id or part of a
    /// name); `None` when there is none.
    async fn services(&self, name: &str) -> PortResult<Option<ServicesInfo>> {
        let _ = name;
        Ok(None)
    }
    /// The place a person typed ("Pune", "andheri west", "दिल्ली"); `None` when unknown.
    async fn place(&self, text: &str) -> PortResult<Option<Place>> {
        let _ = text;
        Ok(None)
    }
    /// One facility listing by id, for a map message; `None` when unknown.
    async fn facility(&self, id: &str) -> PortResult<Option<FacilityInfo>> {
        let _ = id;
        Ok(None)
    }
    /// Publishes a new listing for this node.
    async fn create_facility(
        &self,
        by: &Account,
        draft: FacilityDraft,
    ) -> PortResult<FacilityInfo> {
        let _ = (by, draft);
        Err(PortError::Unavailable {
            problem: "this node keeps no facility listings".into(),
        })
    }
    /// Changes one of this node's listings.
    async fn update_facility(
        &self,
        by: &Account,
        id: &str,
        change: FacilityChange,
    ) -> PortResult<FacilityInfo> {
        let _ = (by, change);
        Err(PortError::NotFound {
            what: "facility".into(),
            id: id.into(),
        })
    }
    /// Needed vs accepted vs received per product.
    async fn stats(&self) -> PortResult<Vec<StatRow>>;
    /// A one-time code another chat account of `by` can redeem with `/link`.
    async fn create_link_code(&self, by: &Account) -> PortResult<String>;
    /// Makes `who` the member the code was made for.
    async fn redeem_link_code(&self, who: &ChatUser, code: &str) -> PortResult<Account>;
    /// Triage of typed symptoms; `None` when this node has no triage.
    async fn symptoms(&self, text: &str) -> PortResult<Option<TriageInfo>>;
    /// Tells the admins (on every chat they are linked from) something.
    async fn notify_admins(&self, notice: Notice) -> PortResult<()>;
    /// Tells a member (on every chat they are linked from) something.
    async fn notify(&self, handle: &str, notice: Notice) -> PortResult<()>;
}
