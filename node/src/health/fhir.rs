//! FHIR for `GET /api/v1/health-ids/{HID}/fhir` and for uploads of a DocumentReference
//! (docs/health.md §9), with the typed resources of the `fhir-model` crate.
//!
//! `fhir-model` has no FHIR 4.0.1 (R4) module, only 4.3.0 (R4B), whose Patient,
//! AllergyIntolerance, Condition, MedicationStatement, Observation, DocumentReference and
//! Bundle have the same elements as in R4, so the JSON we write is R4 JSON.

use std::str::FromStr;

use fhir_model::r4b::codes::{
    BundleType, ContactPointSystem, DocumentReferenceStatus, ObservationStatus,
};
use fhir_model::r4b::resources::{
    AllergyIntolerance, Bundle, BundleEntry, Condition, DocumentReference,
    DocumentReferenceContent, MedicationStatement, MedicationStatementMedication, Observation,
    ObservationValue, Patient, PatientContact, Resource,
};
use fhir_model::r4b::types::{
    Attachment, CodeableConcept, Coding, ContactPoint, HumanName, Identifier, Reference,
};
use fhir_model::{BuilderError, Date, DateTime, Instant};
use sha2::{Digest, Sha256};

use super::ids::HealthIdRecord;
use super::profile::{EmergencyContact, Profile};
use super::record::{RecordMeta, RecordType, RecordTypeCodes};

/// The identifier system of caremesh health ID numbers in FHIR resources.
pub const HEALTH_ID_SYSTEM: &str = "urn:caremesh:health-id";
/// The identifier system of caremesh record ids.
pub const RECORD_SYSTEM: &str = "urn:caremesh:record";
const LOINC: &str = "http://loinc.org";

/// Why a FHIR document could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum FhirError {
    #[error("FHIR resource could not be built: {0}")]
    Build(#[from] BuilderError),
    #[error("not a FHIR DocumentReference: {problem}")]
    Json { problem: String },
    #[error("`{field}` {problem}")]
    Field {
        field: &'static str,
        problem: &'static str,
    },
}

/// A stable `urn:uuid:` for something of a person, from a digest of what names it.
fn urn(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for part in parts {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let mut b: [u8; 16] = [0; 16];
    b.copy_from_slice(&h.finalize()[..16]);
    b[6] = (b[6] & 0x0f) | 0x50; // name-based
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    let x = hex::encode(b);
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &x[..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..]
    )
}

fn text_concept(text: &str) -> Result<CodeableConcept, BuilderError> {
    CodeableConcept::builder().text(text.to_owned()).build()
}

fn loinc_concept(code: &str, display: &str, text: &str) -> Result<CodeableConcept, BuilderError> {
    let coding = Coding::builder()
        .system(LOINC.to_owned())
        .code(code.to_owned())
        .display(display.to_owned())
        .build()?;
    CodeableConcept::builder()
        .coding(vec![Some(coding)])
        .text(text.to_owned())
        .build()
}

fn patient(person: &HealthIdRecord, profile: &Profile) -> Result<Patient, BuilderError> {
    let identifier = Identifier::builder()
        .system(HEALTH_ID_SYSTEM.to_owned())
        .value(person.number.to_string())
        .build()?;
    let name = HumanName::builder().text(person.name.clone()).build()?;
    let mut builder = Patient::builder()
        .identifier(vec![Some(identifier)])
        .name(vec![Some(name)]);
    if let Some(year) = person.birth_year {
        builder = builder.birth_date(Date::Year(i32::from(year)));
    }
    if let Some(contact) = &profile.emergency_contact {
        builder = builder.contact(vec![Some(patient_contact(contact)?)]);
    }
    builder.build()
}

fn patient_contact(contact: &EmergencyContact) -> Result<PatientContact, BuilderError> {
    match contact {
        EmergencyContact::Text(text) => PatientContact::builder()
            .name(HumanName::builder().text(text.clone()).build()?)
            .build(),
        EmergencyContact::Person {
            name,
            phone,
            relation,
        } => {
            let phone = ContactPoint::builder()
                .system(ContactPointSystem::Phone)
                .value(phone.clone())
                .build()?;
            let relationship = match relation {
                Some(r) => vec![Some(text_concept(r)?)],
                None => Vec::new(),
            };
            PatientContact::builder()
                .name(HumanName::builder().text(name.clone()).build()?)
                .telecom(vec![Some(phone)])
                .relationship(relationship)
                .build()
        }
    }
}

fn document(
    record: &RecordMeta,
    subject: &Reference,
    url: String,
) -> Result<DocumentReference, BuilderError> {
    let doc_type = match record.record_type.loinc() {
        Some((code, display)) => loinc_concept(code, display, record.record_type.label())?,
        None => text_concept(record.record_type.label())?,
    };
    let mut attachment = Attachment::builder()
        .content_type(record.content_type.clone())
        .url(url)
        .title(record.title.clone());
    if let Ok(size) = u32::try_from(record.size) {
        attachment = attachment.size(size);
    }
    if let Ok(date) = Date::from_str(&record.date) {
        attachment = attachment.creation(DateTime::Date(date));
    }
    let content = DocumentReferenceContent::builder()
        .attachment(attachment.build()?)
        .build()?;
    let identifier = Identifier::builder()
        .system(RECORD_SYSTEM.to_owned())
        .value(record.id.clone())
        .build()?;
    let author = Reference::builder()
        .display(record.facility.name.clone())
        .build()?;
    let mut builder = DocumentReference::builder()
        .status(DocumentReferenceStatus::Current)
        .identifier(vec![Some(identifier)])
        .r#type(doc_type)
        .subject(subject.clone())
        .author(vec![Some(author)])
        .description(record.title.clone())
        .content(vec![Some(content)]);
    let uploaded = fhir_model::time::OffsetDateTime::from_unix_timestamp_nanos(
        i128::from(record.uploaded_at) * 1_000_000,
    );
    if let Ok(at) = uploaded {
        builder = builder.date(Instant(at));
    }
    builder.build()
}

/// The person's data as a FHIR Bundle of type `collection`: Patient, an Observation for the
/// blood group, AllergyIntolerance, Condition and MedicationStatement per profile entry, and a
/// DocumentReference per record whose attachment `url` is `content_url(record id)`.
pub fn bundle(
    person: &HealthIdRecord,
    profile: &Profile,
    records: &[RecordMeta],
    content_url: &dyn Fn(&str) -> String,
) -> Result<Bundle, FhirError> {
    let digits = person.number.digits();
    let patient_urn = urn(&["patient", &digits]);
    let subject = Reference::builder()
        .reference(patient_urn.clone())
        .build()?;
    let mut entries = vec![(patient_urn, Resource::from(patient(person, profile)?))];
    if let Some(group) = profile.blood_group {
        let observation = Observation::builder()
            .status(ObservationStatus::Final)
            .code(loinc_concept(
                "882-1",
                "ABO and Rh group [Type] in Blood",
                "Blood group",
            )?)
            .subject(subject.clone())
            .value(ObservationValue::CodeableConcept(text_concept(
                group.as_str(),
            )?))
            .build()?;
        entries.push((urn(&["blood", &digits]), observation.into()));
    }
    for (i, allergy) in profile.allergies.iter().enumerate() {
        let resource = AllergyIntolerance::builder()
            .patient(subject.clone())
            .code(text_concept(allergy)?)
            .build()?;
        entries.push((urn(&["allergy", &digits, &i.to_string()]), resource.into()));
    }
    for (i, condition) in profile.conditions.iter().enumerate() {
        let resource = Condition::builder()
            .subject(subject.clone())
            .code(text_concept(condition)?)
            .build()?;
        entries.push((
            urn(&["condition", &digits, &i.to_string()]),
            resource.into(),
        ));
    }
    for (i, medication) in profile.medications.iter().enumerate() {
        let resource = MedicationStatement::builder()
            .status("active".to_owned())
            .medication(MedicationStatementMedication::CodeableConcept(
                text_concept(medication)?,
            ))
            .subject(subject.clone())
            .build()?;
        entries.push((
            urn(&["medication", &digits, &i.to_string()]),
            resource.into(),
        ));
    }
    for record in records {
        let resource = document(record, &subject, content_url(&record.id))?;
        entries.push((urn(&["record", &record.id]), resource.into()));
    }
    let entry = entries
        .into_iter()
        .map(|(full_url, resource)| {
            BundleEntry::builder()
                .full_url(full_url)
                .resource(resource)
                .build()
                .map(Some)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Bundle::builder()
        .r#type(BundleType::Collection)
        .entry(entry)
        .build()?)
}

/// A report uploaded as a FHIR DocumentReference with inline data.
#[derive(Clone, PartialEq, Eq)]
pub struct UploadedDocument {
    pub record_type: Option<RecordType>,
    pub title: Option<String>,
    /// `YYYY-MM-DD`, from the attachment's creation or the reference's date.
    pub date: Option<String>,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Titles and bytes are health data: debug output shows the type and size only.
impl std::fmt::Debug for UploadedDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadedDocument")
            .field("record_type", &self.record_type)
            .field("content_type", &self.content_type)
            .field("size", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// The `YYYY-MM-DD` of a FHIR date or date-time (as written, in its own offset); a bare
/// year or month gives what it has.
fn day_of(date: &DateTime) -> Option<String> {
    let value = serde_json::to_value(date).ok()?;
    Some(value.as_str()?.chars().take(10).collect())
}

/// Reads an uploaded DocumentReference: the first content's inline `data` and `contentType`
/// are the record; type (our name or a LOINC code), title and date are taken when present.
pub fn parse_document_reference(json: &[u8]) -> Result<UploadedDocument, FhirError> {
    let doc: DocumentReference = serde_json::from_slice(json).map_err(|e| FhirError::Json {
        problem: e.to_string(),
    })?;
    let attachment = doc
        .content
        .iter()
        .flatten()
        .next()
        .map(|c| &c.attachment)
        .ok_or(FhirError::Field {
            field: "content",
            problem: "is empty: one attachment with inline data is needed",
        })?;
    let bytes = match &attachment.data {
        Some(data) if !data.0.is_empty() => data.0.clone(),
        _ => {
            return Err(FhirError::Field {
                field: "content[0].attachment.data",
                problem: "is missing: only inline (base64) attachments can be uploaded",
            });
        }
    };
    let content_type = attachment.content_type.clone().ok_or(FhirError::Field {
        field: "content[0].attachment.contentType",
        problem: "is missing",
    })?;
    let record_type = doc.r#type.as_ref().and_then(|t| {
        t.coding
            .iter()
            .flatten()
            .filter_map(|c| c.code.as_deref())
            .chain(t.text.as_deref())
            .find_map(RecordType::parse)
    });
    let date = attachment.creation.as_ref().and_then(day_of).or_else(|| {
        doc.date
            .as_ref()
            .and_then(|d| day_of(&DateTime::DateTime(d.clone())))
    });
    Ok(UploadedDocument {
        record_type,
        title: doc.description.clone().or_else(|| attachment.title.clone()),
        date,
        content_type,
        bytes,
    })
}

#[cfg(test)]
mod tests;
