//! A health record as the home node keeps it (DESIGN.md "Record"; docs/health.md §4): what it
//! is, who uploaded it, and the digest of its bytes. The bytes themselves are in the vault.

use serde::{Deserialize, Serialize};

/// What kind of report a record is; also the scope unit of a consent. The protocol's type
/// ([`caremesh_federation::vocabulary::RecordType`]); what only the home node needs of it
/// (words for people, LOINC codes, parsing the API's spelling) is [`RecordTypeCodes`].
pub use caremesh_federation::vocabulary::RecordType;

/// The node's view of a record type, beside the protocol's wire spelling.
pub trait RecordTypeCodes: Sized {
    /// Words for people: "lab report".
    fn label(self) -> &'static str;
    /// The LOINC document code and display for this type, where one fits.
    fn loinc(self) -> Option<(&'static str, &'static str)>;
    /// The type with this API name (any case) or LOINC code.
    fn parse(text: &str) -> Option<Self>;
}

impl RecordTypeCodes for RecordType {
    fn label(self) -> &'static str {
        match self {
            RecordType::LabReport => "lab report",
            RecordType::Imaging => "imaging",
            RecordType::Prescription => "prescription",
            RecordType::DischargeSummary => "discharge summary",
            RecordType::Vaccination => "vaccination",
            RecordType::Other => "other",
        }
    }

    fn loinc(self) -> Option<(&'static str, &'static str)> {
        match self {
            RecordType::LabReport => Some(("11502-2", "Laboratory report")),
            RecordType::Imaging => Some(("18748-4", "Diagnostic imaging study")),
            RecordType::Prescription => Some(("57833-6", "Prescription for medication")),
            RecordType::DischargeSummary => Some(("18842-5", "Discharge summary")),
            RecordType::Vaccination => Some(("11369-6", "History of Immunization Narrative")),
            RecordType::Other => None,
        }
    }

    fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        Self::ALL.into_iter().find(|t| {
            t.as_str().eq_ignore_ascii_case(text) || t.loinc().is_some_and(|(code, _)| code == text)
        })
    }
}

/// The facility that uploaded a record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacilityRef {
    pub id: String,
    pub name: String,
    /// The origin of the facility's node.
    pub node: String,
}

/// A stored record's description; also an item of `GET .../records`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordMeta {
    pub id: String,
    #[serde(rename = "type")]
    pub record_type: RecordType,
    pub title: String,
    /// The report's own date, `YYYY-MM-DD`.
    pub date: String,
    pub facility: FacilityRef,
    pub content_type: String,
    pub size: u64,
    /// Lowercase hex SHA-256 of the bytes.
    pub sha256: String,
    /// When the home node stored it, unix ms.
    pub uploaded_at: i64,
}

/// Titles are health data: debug output shows the id and type only.
impl std::fmt::Debug for RecordMeta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordMeta")
            .field("id", &self.id)
            .field("type", &self.record_type)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_by_name_and_code() {
        for t in RecordType::ALL {
            assert_eq!(RecordType::parse(t.as_str()), Some(t));
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
        }
        assert_eq!(
            RecordType::parse("18842-5"),
            Some(RecordType::DischargeSummary)
        );
        assert_eq!(RecordType::parse("LAB_REPORT"), Some(RecordType::LabReport));
        assert_eq!(RecordType::parse("x-ray"), None);
    }
}
