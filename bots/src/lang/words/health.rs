//! Words for the health side: record types and purposes (the protocol's values), and how
//! chat names a consent's state and an audit entry's action.

use caremesh_federation::vocabulary::{Purpose, RecordType};

use super::{ChatWord, Words};
use crate::port::{AuditAction, ConsentState};

impl ChatWord for RecordType {
    fn all() -> &'static [Self] {
        &RecordType::ALL
    }
    fn wire(self) -> &'static str {
        self.as_str()
    }
    fn words(self) -> Words {
        match self {
            RecordType::LabReport => Words::new(
                &["lab report", "lab", "test report", "blood test"],
                &["लैब रिपोर्ट", "जाँच रिपोर्ट", "जांच रिपोर्ट", "जाँच"],
            ),
            RecordType::Imaging => Words::new(
                &[
                    "imaging",
                    "x-ray",
                    "xray",
                    "scan",
                    "mri",
                    "ct",
                    "ultrasound",
                ],
                &["इमेजिंग", "एक्स-रे", "एक्सरे", "स्कैन"],
            ),
            RecordType::Prescription => {
                Words::new(&["prescription", "rx"], &["पर्चा", "नुस्खा", "प्रिस्क्रिप्शन"])
            }
            RecordType::DischargeSummary => Words::new(
                &["discharge summary", "discharge"],
                &["डिस्चार्ज सारांश", "डिस्चार्ज"],
            ),
            RecordType::Vaccination => Words::new(
                &["vaccination", "vaccine", "immunization"],
                &["टीकाकरण", "टीका"],
            ),
            RecordType::Other => Words::new(&["other"], &["अन्य"]),
        }
    }
}

impl ChatWord for Purpose {
    fn all() -> &'static [Self] {
        &Purpose::ALL
    }
    fn wire(self) -> &'static str {
        self.as_str()
    }
    fn words(self) -> Words {
        match self {
            Purpose::Care => Words::new(&["care", "treatment"], &["इलाज", "देखभाल"]),
            Purpose::Referral => Words::new(&["referral"], &["रेफ़रल", "रेफरल"]),
            Purpose::Insurance => Words::new(&["insurance"], &["बीमा"]),
            Purpose::Research => Words::new(&["research"], &["शोध", "अनुसंधान"]),
        }
    }
}

impl ChatWord for ConsentState {
    fn all() -> &'static [Self] {
        &[
            ConsentState::Requested,
            ConsentState::Granted,
            ConsentState::Denied,
            ConsentState::Revoked,
            ConsentState::Expired,
        ]
    }
    fn wire(self) -> &'static str {
        match self {
            ConsentState::Requested => "requested",
            ConsentState::Granted => "granted",
            ConsentState::Denied => "denied",
            ConsentState::Revoked => "revoked",
            ConsentState::Expired => "expired",
        }
    }
    fn words(self) -> Words {
        match self {
            ConsentState::Requested => Words::new(&["waiting for a decision"], &["निर्णय बाकी"]),
            ConsentState::Granted => Words::new(&["granted"], &["दी गई"]),
            ConsentState::Denied => Words::new(&["denied"], &["मना की गई"]),
            ConsentState::Revoked => Words::new(&["revoked"], &["वापस ली गई"]),
            ConsentState::Expired => Words::new(&["expired"], &["समाप्त"]),
        }
    }
}

impl ChatWord for AuditAction {
    fn all() -> &'static [Self] {
        &[
            AuditAction::Issued,
            AuditAction::ProfileUpdated,
            AuditAction::Uploaded,
            AuditAction::Listed,
            AuditAction::Read,
            AuditAction::FhirExported,
            AuditAction::Asked,
            AuditAction::Granted,
            AuditAction::Denied,
            AuditAction::Revoked,
            AuditAction::Refused,
            AuditAction::Erased,
            AuditAction::GuardianAdded,
            AuditAction::GuardianRemoved,
        ]
    }
    fn wire(self) -> &'static str {
        match self {
            AuditAction::Issued => "issued",
            AuditAction::ProfileUpdated => "profile_updated",
            AuditAction::Uploaded => "uploaded",
            AuditAction::Listed => "listed",
            AuditAction::Read => "read",
            AuditAction::FhirExported => "fhir_exported",
            AuditAction::Asked => "asked",
            AuditAction::Granted => "granted",
            AuditAction::Denied => "denied",
            AuditAction::Revoked => "revoked",
            AuditAction::Refused => "refused",
            AuditAction::Erased => "erased",
            AuditAction::GuardianAdded => "guardian_added",
            AuditAction::GuardianRemoved => "guardian_removed",
        }
    }
    fn words(self) -> Words {
        match self {
            AuditAction::Issued => Words::new(&["ID issued"], &["ID जारी"]),
            AuditAction::ProfileUpdated => Words::new(&["profile changed"], &["प्रोफ़ाइल बदली"]),
            AuditAction::Uploaded => Words::new(&["record uploaded"], &["रिकॉर्ड अपलोड"]),
            AuditAction::Listed => Words::new(&["records listed"], &["रिकॉर्ड सूची देखी"]),
            AuditAction::Read => Words::new(&["record read"], &["रिकॉर्ड पढ़ा"]),
            AuditAction::FhirExported => Words::new(&["FHIR export"], &["FHIR निर्यात"]),
            AuditAction::Asked => Words::new(&["consent asked"], &["सहमति माँगी"]),
            AuditAction::Granted => Words::new(&["consent granted"], &["सहमति दी"]),
            AuditAction::Denied => Words::new(&["consent denied"], &["सहमति मना"]),
            AuditAction::Revoked => Words::new(&["consent revoked"], &["सहमति वापस"]),
            AuditAction::Refused => Words::new(&["read refused"], &["पढ़ना रोका"]),
            AuditAction::Erased => Words::new(&["erased"], &["मिटाया"]),
            AuditAction::GuardianAdded => Words::new(&["guardian added"], &["अभिभावक जोड़ा"]),
            AuditAction::GuardianRemoved => Words::new(&["guardian removed"], &["अभिभावक हटाया"]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_types_and_purposes_parse_in_every_language() {
        assert_eq!(RecordType::parse("lab_report"), Some(RecordType::LabReport));
        assert_eq!(RecordType::parse("X-Ray"), Some(RecordType::Imaging));
        assert_eq!(RecordType::parse("पर्चा"), Some(RecordType::Prescription));
        assert_eq!(Purpose::parse("बीमा"), Some(Purpose::Insurance));
        assert_eq!(Purpose::parse("Referral"), Some(Purpose::Referral));
        assert_eq!(Purpose::parse("fun"), None);
        for action in AuditAction::all() {
            let json = serde_json::to_value(action).ok();
            assert_eq!(
                json.and_then(|v| v.as_str().map(str::to_owned)).as_deref(),
                Some(action.wire())
            );
        }
    }
}
