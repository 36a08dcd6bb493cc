//! Words for the kinds of bookable service (the protocol's `ServiceKind`): what `/book`
//! understands when a person types what they need.

use caremesh_federation::object::ServiceKind;

use super::{ChatWord, Words};

impl ChatWord for ServiceKind {
    fn all() -> &'static [Self] {
        &ServiceKind::ALL
    }
    fn wire(self) -> &'static str {
        self.as_str()
    }
    fn words(self) -> Words {
        match self {
            ServiceKind::Consultation => Words::new(
                &["consultation", "doctor", "consult"],
                &["परामर्श", "डॉक्टर", "daktar"],
            ),
            ServiceKind::Vaccination => Words::new(
                &["vaccination", "vaccine", "vaccines", "jab", "shot"],
                &["टीका", "टीकाकरण", "tika", "teeka"],
            ),
            ServiceKind::LabTest => Words::new(
                &[
                    "lab test",
                    "lab",
                    "test",
                    "tests",
                    "blood test",
                    "lab tests",
                ],
                &["जाँच", "जांच", "खून की जाँच", "jaanch"],
            ),
            ServiceKind::Other => Words::new(&["other"], &["अन्य"]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_kinds_parse_in_every_language_and_only_whole() {
        assert_eq!(
            ServiceKind::parse("Vaccine"),
            Some(ServiceKind::Vaccination)
        );
        assert_eq!(ServiceKind::parse("टीका"), Some(ServiceKind::Vaccination));
        assert_eq!(ServiceKind::parse("blood test"), Some(ServiceKind::LabTest));
        assert_eq!(ServiceKind::parse("खून की जाँच"), Some(ServiceKind::LabTest));
        assert_eq!(ServiceKind::parse("lab_test"), Some(ServiceKind::LabTest));
        assert_eq!(
            ServiceKind::parse("doctor"),
            Some(ServiceKind::Consultation)
        );
        // A service's own name is not a kind: "dental consultation" searches by name.
        assert_eq!(ServiceKind::parse("dental consultation"), None);
        assert_eq!(ServiceKind::parse("cardiology"), None);
    }
}
