//! The closed vocabularies of protocol v1: every value of each enum that travels in an
//! object, in a fixed order, and its wire spelling. The wire spelling is what serde writes
//! (a test keeps the two equal), so other crates name values without a serde round trip,
//! and a new value shows up everywhere that lists them.

use serde::{Deserialize, Serialize};

use crate::object::{FacilityKind, Material, ProposalStatus, RequestStatus, Verdict};

/// A blood group, as the keys of a blood bank's `blood_stock` spell it (`O-`, `AB+`…).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum BloodGroup {
    #[serde(rename = "O-")]
    ONeg,
    #[serde(rename = "O+")]
    OPos,
    #[serde(rename = "A-")]
    ANeg,
    #[serde(rename = "A+")]
    APos,
    #[serde(rename = "B-")]
    BNeg,
    #[serde(rename = "B+")]
    BPos,
    #[serde(rename = "AB-")]
    AbNeg,
    #[serde(rename = "AB+")]
    AbPos,
}

impl BloodGroup {
    /// Every group, O- first (the universal donor), in the order people list them.
    pub const ALL: [BloodGroup; 8] = [
        BloodGroup::ONeg,
        BloodGroup::OPos,
        BloodGroup::ANeg,
        BloodGroup::APos,
        BloodGroup::BNeg,
        BloodGroup::BPos,
        BloodGroup::AbNeg,
        BloodGroup::AbPos,
    ];

    /// The wire spelling, e.g. `O-`.
    pub fn as_str(self) -> &'static str {
        match self {
            BloodGroup::ONeg => "O-",
            BloodGroup::OPos => "O+",
            BloodGroup::ANeg => "A-",
            BloodGroup::APos => "A+",
            BloodGroup::BNeg => "B-",
            BloodGroup::BPos => "B+",
            BloodGroup::AbNeg => "AB-",
            BloodGroup::AbPos => "AB+",
        }
    }

    /// The group with exactly this wire spelling.
    pub fn from_wire(text: &str) -> Option<BloodGroup> {
        BloodGroup::ALL.into_iter().find(|g| g.as_str() == text)
    }
}

/// What kind of report a health record is (`type` of a deposit; the scope unit of a consent,
/// `record_types` of a consent ask).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordType {
    LabReport,
    Imaging,
    Prescription,
    DischargeSummary,
    Vaccination,
    Other,
}

impl RecordType {
    /// Every type, in the order shown to people.
    pub const ALL: [RecordType; 6] = [
        RecordType::LabReport,
        RecordType::Imaging,
        RecordType::Prescription,
        RecordType::DischargeSummary,
        RecordType::Vaccination,
        RecordType::Other,
    ];

    /// The wire spelling, e.g. `lab_report`.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::LabReport => "lab_report",
            RecordType::Imaging => "imaging",
            RecordType::Prescription => "prescription",
            RecordType::DischargeSummary => "discharge_summary",
            RecordType::Vaccination => "vaccination",
            RecordType::Other => "other",
        }
    }

    /// The type with exactly this wire spelling.
    pub fn from_wire(text: &str) -> Option<RecordType> {
        RecordType::ALL.into_iter().find(|t| t.as_str() == text)
    }
}

/// Why a facility asks to read health records (`purpose` of a consent ask).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Care,
    Referral,
    Insurance,
    Research,
}

impl Purpose {
    /// Every purpose, in the order shown to people.
    pub const ALL: [Purpose; 4] = [
        Purpose::Care,
        Purpose::Referral,
        Purpose::Insurance,
        Purpose::Research,
    ];

    /// The wire spelling, e.g. `care`.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Care => "care",
            Purpose::Referral => "referral",
            Purpose::Insurance => "insurance",
            Purpose::Research => "research",
        }
    }

    /// The purpose with exactly this wire spelling.
    pub fn from_wire(text: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

impl FacilityKind {
    /// Every kind, in the order listings and menus show them.
    pub const ALL: [FacilityKind; 7] = [
        FacilityKind::Hospital,
        FacilityKind::Clinic,
        FacilityKind::NursingHome,
        FacilityKind::Lab,
        FacilityKind::Pharmacy,
        FacilityKind::BloodBank,
        FacilityKind::MakerHub,
    ];

    /// The wire spelling, e.g. `blood_bank`.
    pub fn as_str(self) -> &'static str {
        match self {
            FacilityKind::Hospital => "hospital",
            FacilityKind::Clinic => "clinic",
            FacilityKind::NursingHome => "nursing_home",
            FacilityKind::Lab => "lab",
            FacilityKind::Pharmacy => "pharmacy",
            FacilityKind::BloodBank => "blood_bank",
            FacilityKind::MakerHub => "maker_hub",
        }
    }
}

impl Material {
    /// Every material, in the order makers are offered them.
    pub const ALL: [Material; 6] = [
        Material::Pla,
        Material::Petg,
        Material::Abs,
        Material::Asa,
        Material::Tpu,
        Material::Nylon,
    ];

    /// The wire spelling, e.g. `PETG` or `nylon`.
    pub fn as_str(self) -> &'static str {
        match self {
            Material::Pla => "PLA",
            Material::Petg => "PETG",
            Material::Abs => "ABS",
            Material::Asa => "ASA",
            Material::Tpu => "TPU",
            Material::Nylon => "nylon",
        }
    }
}

impl RequestStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [RequestStatus; 4] = [
        RequestStatus::Open,
        RequestStatus::Satisfied,
        RequestStatus::Expired,
        RequestStatus::Cancelled,
    ];

    /// The wire spelling, e.g. `open`.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Open => "open",
            RequestStatus::Satisfied => "satisfied",
            RequestStatus::Expired => "expired",
            RequestStatus::Cancelled => "cancelled",
        }
    }
}

impl ProposalStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [ProposalStatus; 8] = [
        ProposalStatus::Pending,
        ProposalStatus::Accepted,
        ProposalStatus::Deferred,
        ProposalStatus::Declined,
        ProposalStatus::Withdrawn,
        ProposalStatus::Shipped,
        ProposalStatus::Received,
        ProposalStatus::Lapsed,
    ];

    /// The wire spelling, e.g. `pending`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalStatus::Pending => "pending",
            ProposalStatus::Accepted => "accepted",
            ProposalStatus::Deferred => "deferred",
            ProposalStatus::Declined => "declined",
            ProposalStatus::Withdrawn => "withdrawn",
            ProposalStatus::Shipped => "shipped",
            ProposalStatus::Received => "received",
            ProposalStatus::Lapsed => "lapsed",
        }
    }
}

impl Verdict {
    /// Every verdict.
    pub const ALL: [Verdict; 5] = [
        Verdict::Accept,
        Verdict::Defer,
        Verdict::Decline,
        Verdict::Received,
        Verdict::Lapse,
    ];

    /// The wire spelling, e.g. `accept`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Accept => "accept",
            Verdict::Defer => "defer",
            Verdict::Decline => "decline",
            Verdict::Received => "received",
            Verdict::Lapse => "lapse",
        }
    }
}

/// What an entry of a health ID's audit log records (docs/health.md §8): the home node's log,
/// its API and chat name the same actions.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Issued,
    ProfileUpdated,
    Uploaded,
    Listed,
    Read,
    FhirExported,
    Asked,
    Granted,
    Denied,
    Revoked,
    Refused,
    Erased,
    GuardianAdded,
    GuardianRemoved,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde writes for `value`, as a JSON string.
    fn serde_word<T: Serialize>(value: T) -> String {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::String(s)) => s,
            other => panic!("not a string: {other:?}"),
        }
    }

    #[test]
    fn wire_spellings_are_what_serde_writes() {
        for v in BloodGroup::ALL {
            assert_eq!(v.as_str(), serde_word(v));
            assert_eq!(BloodGroup::from_wire(v.as_str()), Some(v));
        }
        for v in FacilityKind::ALL {
            assert_eq!(v.as_str(), serde_word(v));
        }
        for v in Material::ALL {
            assert_eq!(v.as_str(), serde_word(v));
        }
        for v in RequestStatus::ALL {
            assert_eq!(v.as_str(), serde_word(v));
        }
        for v in ProposalStatus::ALL {
            assert_eq!(v.as_str(), serde_word(v));
        }
        for v in Verdict::ALL {
            assert_eq!(v.as_str(), serde_word(v));
        }
        for v in RecordType::ALL {
            assert_eq!(v.as_str(), serde_word(v));
            assert_eq!(RecordType::from_wire(v.as_str()), Some(v));
        }
        for v in Purpose::ALL {
            assert_eq!(v.as_str(), serde_word(v));
            assert_eq!(Purpose::from_wire(v.as_str()), Some(v));
        }
        assert_eq!(BloodGroup::from_wire("o-"), None);
    }
}
