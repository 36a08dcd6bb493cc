use super::*;
use crate::health::record::FacilityRef;

const DAY: i64 = 24 * 3600 * 1000;
const NOW: i64 = 1_795_000_000_000; // 2026-11-18
const CLINIC: &str = "https://clinic.example";

fn hid() -> HealthId {
    HealthId::from_parts(91000, 12_345_678).unwrap()
}

fn requester() -> Requester {
    Requester {
        node: CLINIC.into(),
        facility_id: "01JD3V5Q0000000000000000F2".into(),
        facility_name: "Eye Clinic".into(),
        member: "dr.rao".into(),
    }
}

fn ask(types: &[RecordType]) -> NewConsent {
    NewConsent {
        health_id: hid(),
        purpose: Purpose::Care,
        record_types: types.to_vec(),
        from: Some(NOW - 365 * DAY),
        to: None,
        expires: NOW + 30 * DAY,
    }
}

fn granted(types: &[RecordType]) -> Consent {
    let mut c = ask(types)
        .validate("01JD3V5Q0000000000000000C1".into(), requester(), NOW)
        .unwrap();
    c.decide(Decision::Grant, "kamala", NOW).unwrap();
    c
}

fn record(record_type: RecordType, date: &str) -> RecordMeta {
    RecordMeta {
        id: "01JD3V5Q0000000000000000D1".into(),
        record_type,
        title: "t".into(),
        date: date.into(),
        facility: FacilityRef {
            id: "f".into(),
            name: "District Hospital".into(),
            node: "https://h.example".into(),
        },
        content_type: "application/pdf".into(),
        size: 1,
        sha256: String::new(),
        uploaded_at: NOW,
    }
}

fn field_of(result: Result<Consent, ServiceError>) -> &'static str {
    match result {
        Err(ServiceError::Invalid { field, .. }) => field,
        other => panic!("not a field error: {other:?}"),
    }
}

#[test]
fn asks_are_validated_field_by_field() {
    let make = |a: NewConsent| a.validate("c".into(), requester(), NOW);
    assert_eq!(field_of(make(ask(&[]))), "record_types");
    let twice = ask(&[RecordType::Imaging, RecordType::Imaging]);
    assert_eq!(field_of(make(twice)), "record_types");
    let mut backwards = ask(&[RecordType::Imaging]);
    backwards.to = Some(NOW - 400 * DAY);
    assert_eq!(field_of(make(backwards)), "from");
    let mut past = ask(&[RecordType::Imaging]);
    past.expires = NOW;
    assert_eq!(field_of(make(past)), "expires");
    let mut too_long = ask(&[RecordType::Imaging]);
    too_long.expires = NOW + 366 * DAY;
    assert_eq!(field_of(make(too_long)), "expires");
    let ok = make(ask(&[RecordType::LabReport])).unwrap();
    assert_eq!(ok.status, Status::Requested);
    assert_eq!(ok.from.unwrap().to_string(), "2025-11-18");
}

#[test]
fn decisions_follow_the_life_of_a_consent() {
    let mut c = ask(&[RecordType::LabReport])
        .validate("c".into(), requester(), NOW)
        .unwrap();
    assert!(c.decide(Decision::Revoke, "kamala", NOW).is_err());
    c.decide(Decision::Grant, "ravi", NOW + 1).unwrap();
    assert_eq!(
        (c.status, c.decided_by.as_deref()),
        (Status::Granted, Some("ravi"))
    );
    assert!(c.decide(Decision::Grant, "ravi", NOW + 2).is_err());
    assert!(c.decide(Decision::Deny, "ravi", NOW + 2).is_err());
    c.decide(Decision::Revoke, "kamala", NOW + 3).unwrap();
    assert_eq!(c.status_at(NOW + 3), Status::Revoked);
    assert!(c.decide(Decision::Revoke, "kamala", NOW + 4).is_err());

    let mut denied = ask(&[RecordType::LabReport])
        .validate("d".into(), requester(), NOW)
        .unwrap();
    denied.decide(Decision::Deny, "kamala", NOW).unwrap();
    assert!(denied.decide(Decision::Grant, "kamala", NOW).is_err());

    let mut late = ask(&[RecordType::LabReport])
        .validate("e".into(), requester(), NOW)
        .unwrap();
    assert_eq!(late.status_at(NOW + 31 * DAY), Status::Expired);
    assert!(
        late.decide(Decision::Grant, "kamala", NOW + 31 * DAY)
            .is_err()
    );
}

#[test]
fn reads_are_checked_in_order() {
    let c = granted(&[RecordType::LabReport]);
    let (me, other) = (hid(), HealthId::from_parts(91000, 1).unwrap());
    let lab = record(RecordType::LabReport, "2026-11-02");
    let read = |node, id, rec| Read {
        node,
        health_id: id,
        record: rec,
    };
    let check = |r: Read<'_>, at| c.check_read(&r, at).map_err(|e| e.check);
    assert_eq!(check(read(CLINIC, &me, Some(&lab)), NOW), Ok(()));
    assert_eq!(check(read(CLINIC, &me, None), NOW), Ok(()));
    assert_eq!(
        check(read("https://evil.example", &me, Some(&lab)), NOW),
        Err("consent_requester")
    );
    assert_eq!(
        check(read(CLINIC, &other, Some(&lab)), NOW),
        Err("consent_subject")
    );
    assert_eq!(
        check(read(CLINIC, &me, Some(&lab)), NOW + 30 * DAY),
        Err("consent_expired")
    );
    let imaging = record(RecordType::Imaging, "2026-11-02");
    let refusal = c
        .check_read(&read(CLINIC, &me, Some(&imaging)), NOW)
        .unwrap_err();
    assert_eq!(refusal.check, "consent_scope");
    assert_eq!(refusal.message, "the grant does not cover imaging records");
    let old = record(RecordType::LabReport, "2020-01-01");
    assert_eq!(
        check(read(CLINIC, &me, Some(&old)), NOW),
        Err("consent_dates")
    );
    assert!(c.covers(&lab) && !c.covers(&imaging) && !c.covers(&old));
}

#[test]
fn revoked_and_unanswered_consents_allow_nothing() {
    let mut c = granted(&[RecordType::LabReport]);
    let me = hid();
    c.decide(Decision::Revoke, "kamala", NOW + 1).unwrap();
    let lab = record(RecordType::LabReport, "2026-11-02");
    let read = Read {
        node: CLINIC,
        health_id: &me,
        record: Some(&lab),
    };
    let refusal = c.check_read(&read, NOW + 2).unwrap_err();
    assert_eq!(refusal.check, "consent_status");
    assert!(refusal.message.contains("revoked"));
    let asked = ask(&[RecordType::LabReport])
        .validate("c".into(), requester(), NOW)
        .unwrap();
    assert_eq!(
        asked.check_read(&read, NOW).unwrap_err().check,
        "consent_status"
    );
}

#[test]
fn purposes_map_to_abdm() {
    assert_eq!(Purpose::parse(" Insurance "), Some(Purpose::Insurance));
    assert_eq!(Purpose::parse("marketing"), None);
    assert_eq!(Purpose::Research.abdm_code(), "DSRCH");
    let json = serde_json::to_string(&Status::Revoked).unwrap();
    assert_eq!(json, "\"revoked\"");
}
