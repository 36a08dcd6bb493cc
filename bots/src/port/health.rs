//! Health IDs, profiles, records and consent as chat sees them (docs/health.md). Every call
//! names the member who asks; the node decides what they may see, exactly as for its API:
//! holders and guardians at the home node, staff of a listed facility for uploads and consent
//! asks, and reads under a live grant only (else [`super::PortError::NoConsent`]).
//!
//! Health IDs are passed as typed by a person (with or without dashes); the node parses
//! them and names the check digit when one is mistyped.

pub use caremesh_federation::vocabulary::AuditAction;
use caremesh_federation::vocabulary::{BloodGroup, Purpose, RecordType};
use serde::{Deserialize, Serialize};

use super::{Account, PortResult};
use crate::reply::Document;

/// A health ID the member holds or guards.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthIdInfo {
    /// Shown `XX-XXXX-XXXX-XXXX`.
    pub number: String,
    /// `handle@host`.
    pub address: String,
    pub name: String,
    /// True for the member's own ID, false for a dependant's.
    pub own: bool,
    /// Dependants only.
    pub birth_year: Option<u16>,
    /// Handles of the guardians.
    pub guardians: Vec<String>,
}

/// A dependant to make a health ID for (`/family add`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DependantDraft {
    pub name: String,
    pub birth_year: i64,
}

/// A profile as chat shows and edits it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileInfo {
    pub blood_group: Option<BloodGroup>,
    pub allergies: Vec<String>,
    pub conditions: Vec<String>,
    pub medications: Vec<String>,
    /// One line (a structured contact of the API shows as "name, phone (relation)").
    pub emergency_contact: Option<String>,
}

/// One record in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordInfo {
    pub id: String,
    pub record_type: RecordType,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The uploading facility's name.
    pub facility: String,
    pub content_type: String,
    pub size: u64,
}

/// A record staff upload (`/upload`).
#[derive(Clone, PartialEq, Eq)]
pub struct RecordUpload {
    pub health_id: String,
    pub record_type: RecordType,
    pub title: String,
    /// `YYYY-MM-DD`; `None` for today.
    pub date: Option<String>,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// What became of an upload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uploaded {
    /// The record id (the deposit id while it travels home).
    pub id: String,
    pub sha256: String,
    /// True when stored at home already; false while it travels to the home node.
    pub stored: bool,
}

/// Where a consent stands (`requested` until the person decides; `expired` is computed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentState {
    Requested,
    Granted,
    Denied,
    Revoked,
    Expired,
}

/// What a holder or guardian decides on a consent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentDecision {
    Grant,
    Deny,
    Revoke,
}

/// A consent, from either side: asked of the member (as holder or guardian), or asked by the
/// member's facility.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentInfo {
    pub id: String,
    /// Shown `XX-XXXX-XXXX-XXXX`.
    pub health_id: String,
    /// The person's name, where the member may know it (at home); else empty.
    pub person: String,
    /// Who asks: the facility, its node's host and the staff member.
    pub facility: String,
    pub node: String,
    pub member: String,
    pub purpose: Purpose,
    pub record_types: Vec<RecordType>,
    /// `YYYY-MM-DD` bounds of the records' dates.
    pub from: Option<String>,
    pub to: Option<String>,
    /// RFC 3339.
    pub expires: String,
    pub state: ConsentState,
    /// True when the member may grant, deny or revoke it (holder or guardian at home).
    pub decides: bool,
}

/// A consent staff ask for (`/consent ask`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentDraft {
    pub health_id: String,
    pub purpose: Purpose,
    pub record_types: Vec<RecordType>,
    /// `YYYY-MM-DD`.
    pub from: Option<String>,
    pub to: Option<String>,
    /// The grant ends this many days after it is given.
    pub days: u32,
}

/// One line of a health ID's audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    /// RFC 3339.
    pub at: String,
    /// The actor's node (its host).
    pub node: String,
    /// The actor's handle there.
    pub who: String,
    pub action: AuditAction,
    /// The failed check of a refused read.
    pub check: Option<String>,
}

/// Health IDs, profiles, records and consent.
#[async_trait::async_trait]
pub trait Health: Send + Sync {
    /// The IDs the member holds (first) and guards.
    async fn health_ids(&self, by: &Account) -> PortResult<Vec<HealthIdInfo>>;
    /// Issues the member's own ID (`None`) or one for a dependant they will guard.
    async fn issue_health_id(
        &self,
        by: &Account,
        dependant: Option<DependantDraft>,
    ) -> PortResult<HealthIdInfo>;
    /// The card of an ID: a PNG with the name, number and a QR code of the address.
    async fn health_card(&self, by: &Account, health_id: &str) -> PortResult<Vec<u8>>;
    /// Erases a whole health ID (holder or guardian).
    async fn erase_health_id(&self, by: &Account, health_id: &str) -> PortResult<()>;
    /// The profile of an ID.
    async fn profile(&self, by: &Account, health_id: &str) -> PortResult<ProfileInfo>;
    /// Replaces the profile of an ID.
    async fn set_profile(
        &self,
        by: &Account,
        health_id: &str,
        profile: ProfileInfo,
    ) -> PortResult<ProfileInfo>;
    /// The records of an ID (at home, or under a grant from the home node).
    async fn records(&self, by: &Account, health_id: &str) -> PortResult<Vec<RecordInfo>>;
    /// One record's bytes, as a file to send.
    async fn record_file(
        &self,
        by: &Account,
        health_id: &str,
        record_id: &str,
    ) -> PortResult<Document>;
    /// Erases one record (holder or guardian).
    async fn erase_record(&self, by: &Account, health_id: &str, record_id: &str) -> PortResult<()>;
    /// Uploads a record for an ID (staff of a listed facility).
    async fn upload_record(&self, by: &Account, upload: RecordUpload) -> PortResult<Uploaded>;
    /// The consents the member decides on (at home) or asked for (staff), newest first.
    async fn consents(&self, by: &Account) -> PortResult<Vec<ConsentInfo>>;
    /// Grants, denies or revokes a consent.
    async fn decide_consent(
        &self,
        by: &Account,
        consent_id: &str,
        decision: ConsentDecision,
    ) -> PortResult<ConsentInfo>;
    /// Asks for consent to read an ID's records (staff of a listed facility).
    async fn ask_consent(&self, by: &Account, draft: ConsentDraft) -> PortResult<ConsentInfo>;
    /// The audit log of an ID, oldest first.
    async fn audit(&self, by: &Account, health_id: &str) -> PortResult<Vec<AuditLine>>;
}
