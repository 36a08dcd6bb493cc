use serde_json::{Value, json};

use super::*;
use crate::health::hid::HealthId;
use crate::health::ids::Guardian;
use crate::health::profile::BloodGroup;
use crate::health::record::FacilityRef;

fn person() -> HealthIdRecord {
    HealthIdRecord {
        number: HealthId::from_parts(91000, 12_345_678).unwrap(),
        handle: "kamala.devi".into(),
        holder: None,
        guardians: vec![Guardian {
            member_id: "01JD3V5Q0000000000000000M1".into(),
            handle: "ravi".into(),
        }],
        name: "Kamala Devi".into(),
        birth_year: Some(1950),
        created_at: 1_795_000_000_000,
    }
}

fn profile() -> Profile {
    Profile {
        blood_group: Some(BloodGroup::BPos),
        allergies: vec!["Penicillin".into()],
        conditions: vec!["Type 2 diabetes".into(), "Hypertension".into()],
        medications: vec!["Metformin 500 mg".into()],
        emergency_contact: Some(EmergencyContact::Person {
            name: "Ravi".into(),
            phone: "+91 98 7654 3210".into(),
            relation: Some("son".into()),
        }),
    }
}

fn record() -> RecordMeta {
    RecordMeta {
        id: "01JD3V5Q0000000000000000D1".into(),
        record_type: RecordType::LabReport,
        title: "HbA1c".into(),
        date: "2026-11-02".into(),
        facility: FacilityRef {
            id: "01JD3V5Q0000000000000000F1".into(),
            name: "District Hospital".into(),
            node: "https://node.district-hospital.example".into(),
        },
        content_type: "application/pdf".into(),
        size: 48_213,
        sha256: "ab".repeat(32),
        uploaded_at: 1_795_000_000_000,
    }
}

fn bundle_json() -> Value {
    let url = |id: &str| format!("/api/v1/health-ids/91000123456788/records/{id}/content");
    let b = bundle(&person(), &profile(), &[record()], &url).unwrap();
    serde_json::to_value(&b).unwrap()
}

fn of_type<'a>(bundle: &'a Value, kind: &str) -> Vec<&'a Value> {
    bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == kind)
        .collect()
}

#[test]
fn the_bundle_holds_every_resource() {
    let b = bundle_json();
    assert_eq!(b["resourceType"], "Bundle");
    assert_eq!(b["type"], "collection");
    let patient = of_type(&b, "Patient");
    assert_eq!(patient.len(), 1);
    assert_eq!(patient[0]["identifier"][0]["system"], HEALTH_ID_SYSTEM);
    assert_eq!(patient[0]["identifier"][0]["value"], "91-0001-2345-6788");
    assert_eq!(patient[0]["name"][0]["text"], "Kamala Devi");
    assert_eq!(patient[0]["birthDate"], "1950");
    assert_eq!(patient[0]["contact"][0]["telecom"][0]["system"], "phone");
    assert_eq!(patient[0]["contact"][0]["relationship"][0]["text"], "son");
    assert_eq!(of_type(&b, "AllergyIntolerance").len(), 1);
    assert_eq!(of_type(&b, "Condition").len(), 2);
    let meds = of_type(&b, "MedicationStatement");
    assert_eq!(
        meds[0]["medicationCodeableConcept"]["text"],
        "Metformin 500 mg"
    );
    assert_eq!(meds[0]["status"], "active");
    let blood = of_type(&b, "Observation");
    assert_eq!(blood[0]["code"]["coding"][0]["code"], "882-1");
    assert_eq!(blood[0]["valueCodeableConcept"]["text"], "B+");
    let docs = of_type(&b, "DocumentReference");
    assert_eq!(docs[0]["status"], "current");
    assert_eq!(docs[0]["type"]["coding"][0]["code"], "11502-2");
    let attachment = &docs[0]["content"][0]["attachment"];
    assert_eq!(attachment["contentType"], "application/pdf");
    assert_eq!(attachment["size"], 48_213);
    assert_eq!(attachment["creation"], "2026-11-02");
    assert!(
        attachment["url"]
            .as_str()
            .unwrap()
            .ends_with("/01JD3V5Q0000000000000000D1/content")
    );
}

#[test]
fn references_point_at_the_patient_entry() {
    let b = bundle_json();
    let entries = b["entry"].as_array().unwrap();
    let patient_url = entries[0]["fullUrl"].as_str().unwrap();
    assert!(patient_url.starts_with("urn:uuid:") && patient_url.len() == 45);
    for entry in &entries[1..] {
        let r = &entry["resource"];
        let subject = if r["resourceType"] == "AllergyIntolerance" {
            &r["patient"]
        } else {
            &r["subject"]
        };
        assert_eq!(subject["reference"], patient_url, "{}", r["resourceType"]);
    }
    let urls: std::collections::BTreeSet<&str> = entries
        .iter()
        .map(|e| e["fullUrl"].as_str().unwrap())
        .collect();
    assert_eq!(urls.len(), entries.len(), "full URLs are unique");
    assert_eq!(bundle_json(), b, "the bundle is stable");
}

#[test]
fn a_bare_profile_gives_a_patient_only() {
    let mut p = person();
    p.birth_year = None;
    let b = bundle(&p, &Profile::default(), &[], &|id: &str| id.to_owned()).unwrap();
    let b = serde_json::to_value(&b).unwrap();
    assert_eq!(b["entry"].as_array().unwrap().len(), 1);
    assert!(b["entry"][0]["resource"].get("birthDate").is_none());
}

#[test]
fn uploaded_document_references_are_read() {
    let upload = json!({
        "resourceType": "DocumentReference",
        "status": "current",
        "type": {"coding": [{"system": "http://loinc.org", "code": "18842-5"}]},
        "description": "Discharge after cataract surgery",
        "content": [{"attachment": {
            "contentType": "text/plain",
            "data": "RGlzY2hhcmdlZCBpbiBnb29kIGhlYWx0aC4=",
            "creation": "2026-10-30T10:00:00+05:30"
        }}]
    });
    let doc = parse_document_reference(upload.to_string().as_bytes()).unwrap();
    assert_eq!(doc.record_type, Some(RecordType::DischargeSummary));
    assert_eq!(
        doc.title.as_deref(),
        Some("Discharge after cataract surgery")
    );
    assert_eq!(doc.date.as_deref(), Some("2026-10-30"));
    assert_eq!(doc.content_type, "text/plain");
    assert_eq!(doc.bytes, b"Discharged in good health.");
}

#[test]
fn bad_uploads_name_what_is_wrong() {
    let err = |v: Value| {
        parse_document_reference(v.to_string().as_bytes())
            .unwrap_err()
            .to_string()
    };
    let no_data = json!({"resourceType": "DocumentReference", "status": "current",
        "content": [{"attachment": {"contentType": "application/pdf", "url": "http://x.example/a.pdf"}}]});
    assert!(err(no_data).contains("content[0].attachment.data"));
    let no_type = json!({"resourceType": "DocumentReference", "status": "current",
        "content": [{"attachment": {"data": "eA=="}}]});
    assert!(err(no_type).contains("contentType"));
    let empty = json!({"resourceType": "DocumentReference", "status": "current", "content": []});
    assert!(err(empty).starts_with("`content`"));
    let patient = json!({"resourceType": "Patient"});
    assert!(err(patient).contains("not a FHIR DocumentReference"));
    assert!(parse_document_reference(b"%PDF-1.7").is_err());
}
