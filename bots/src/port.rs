//! What the engine may ask of the node, by area: [`Accounts`], [`Market`], [`Directory`],
//! [`Listings`], [`Health`], [`Appointments`], [`Orders`]. The node implements each over its own services, in-process; tests use a
//! fake. Every method is required: an area a node does not serve answers with a clear
//! [`PortError`], never with a quiet empty default. A new area (health records,
//! appointments) is one more trait file here and one more field in [`Ports`].

mod accounts;
mod appointments;
mod directory;
mod health;
mod listings;
mod market;
mod orders;

use std::sync::Arc;

pub use accounts::{Account, Accounts, Registration};
pub use appointments::{
    AgendaLine, AppointmentInfo, AppointmentStep, Appointments, BookableInfo, BookingDraft,
    ScheduleInfo, ScheduleInput, SlotInfo,
};
pub use directory::{Directory, FacilityInfo, FollowUpInfo, Place, ServicesInfo, TriageInfo};
pub use health::{
    AuditAction, AuditLine, ConsentDecision, ConsentDraft, ConsentInfo, ConsentState,
    DependantDraft, Health, HealthIdInfo, ProfileInfo, RecordInfo, RecordUpload, Uploaded,
};
pub use listings::{FacilityChange, FacilityDraft, Listings};
pub use market::{
    Market, NeedDraft, OfferDraft, Product, ProposalInfo, RequestInfo, StatRow, Subscription,
};
pub use orders::{
    CounterStep, OrderAction, OrderDraft, OrderInfo, OrderLine, Orders, QuoteDraft, QuotedLine,
    RecordRef,
};

pub use crate::role::Role;

/// Why the node refused or failed; the engine turns each into a catalog message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PortError {
    /// Bad input about one field.
    #[error("`{field}` {problem}")]
    Invalid { field: String, problem: String },
    /// Not allowed for this person.
    #[error("{reason}")]
    Forbidden { reason: String },
    /// A read of health records outside a live consent grant (the API's 403 `no_consent`).
    #[error("{reason}")]
    NoConsent { reason: String },
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

/// The node, area by area, as the engine holds it.
#[derive(Clone)]
pub struct Ports {
    pub accounts: Arc<dyn Accounts>,
    pub market: Arc<dyn Market>,
    pub directory: Arc<dyn Directory>,
    pub listings: Arc<dyn Listings>,
    pub health: Arc<dyn Health>,
    pub appointments: Arc<dyn Appointments>,
    pub orders: Arc<dyn Orders>,
}

/// One value that serves every area (a test's fake node).
impl<T> From<Arc<T>> for Ports
where
    T: Accounts + Market + Directory + Listings + Health + Appointments + Orders + 'static,
{
    fn from(node: Arc<T>) -> Self {
        Ports {
            accounts: node.clone(),
            market: node.clone(),
            directory: node.clone(),
            listings: node.clone(),
            health: node.clone(),
            appointments: node.clone(),
            orders: node,
        }
    }
}
