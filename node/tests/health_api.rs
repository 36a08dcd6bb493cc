//! The health API on one node through `app(state)`: health IDs, profile, uploads, consent
//! (ask, grant, scope, revoke), audit, FHIR, erasure, and every kind of bad input refused
//! with the right status, naming the field, with nothing stored.

#[path = "support/api.rs"]
mod support;

#[path = "health_api/bad_input.rs"]
mod bad_input;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{Api, api, field_error};

const LAB: &[u8] = b"Haemoglobin 13.1 g/dL, marker-lab-7731";
const SCAN: &[u8] = b"\x89PNG\r\n\x1a\nmarker-scan-4410";
const ALLERGY: &str = "penicillin-marker-5520";

/// A patient holding a new health ID and staff of a hospital: (patient token, staff token,
/// health ID).
async fn people(api: &Api) -> (String, String, String) {
    let fid = api.facility().await;
    let patient = api
        .member(json!({"handle": "meera", "role": "patient"}))
        .await;
    let staff = api
        .member(json!({"handle": "dr_rao", "role": "staff", "facility_id": fid}))
        .await;
    let (s, v) = api
        .call("POST", "/api/v1/health-ids", Some(&patient), Some("{}"))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    for field in ["health_id", "address", "name", "guardians"] {
        assert!(!v[field].is_null(), "{field} missing: {v}");
    }
    let hid = v["health_id"].as_str().unwrap().to_owned();
    (patient, staff, hid)
}

async fn upload(
    api: &Api,
    who: &str,
    hid: &str,
    query: &str,
    ct: &str,
    body: &[u8],
) -> (StatusCode, Value) {
    let path = format!("/api/v1/health-ids/{hid}/records?{query}");
    let (s, _, bytes) = api.raw("POST", &path, Some(who), ct, body.to_vec()).await;
    (s, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn record_ids(api: &Api, who: &str, hid: &str) -> (StatusCode, Vec<String>) {
    let (s, v) = api
        .get(&format!("/api/v1/health-ids/{hid}/records"), Some(who))
        .await;
    let ids = v["records"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| r["id"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default();
    (s, ids)
}

async fn content(api: &Api, who: &str, hid: &str, id: &str) -> (StatusCode, Vec<u8>) {
    let path = format!("/api/v1/health-ids/{hid}/records/{id}/content");
    let (s, _, bytes) = api
        .raw("GET", &path, Some(who), "application/json", vec![])
        .await;
    (s, bytes)
}

/// An expiry a month from now (grants may last at most a year).
fn in_a_month() -> String {
    (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339()
}

fn no_consent(answer: (StatusCode, impl std::fmt::Debug), what: &str) {
    assert_eq!(answer.0, StatusCode::FORBIDDEN, "{what}: {answer:?}");
}

/// Every file under `dir`, searched for `needle`.
fn files_holding(dir: &std::path::Path, needle: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path)
                && bytes.windows(needle.len()).any(|w| w == needle)
            {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

#[tokio::test]
async fn records_under_consent_scope_revoke_audit_and_erasure() {
    let api = api();
    let (patient, staff, hid) = people(&api).await;
    let profile = json!({"blood_group": "B+", "allergies": [ALLERGY]}).to_string();
    let path = format!("/api/v1/health-ids/{hid}/profile");
    let (s, v) = api.call("PUT", &path, Some(&patient), Some(&profile)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = api.get(&path, Some(&patient)).await;
    assert_eq!(
        (s, v["allergies"][0].as_str()),
        (StatusCode::OK, Some(ALLERGY))
    );
    let (s, _) = api.get(&path, Some(&staff)).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "staff do not see the profile");

    let query = "type=lab_report&title=CBC&date=2026-11-02";
    let (s, lab) = upload(&api, &staff, &hid, query, "text/plain", LAB).await;
    assert_eq!(
        (s, lab["status"].as_str()),
        (StatusCode::CREATED, Some("stored")),
        "{lab}"
    );
    let lab_id = lab["id"].as_str().unwrap().to_owned();
    let query = "type=imaging&title=Chest%20X-ray&date=2026-11-03";
    let (s, scan) = upload(&api, &staff, &hid, query, "image/png", SCAN).await;
    assert_eq!(s, StatusCode::CREATED, "{scan}");
    let scan_id = scan["id"].as_str().unwrap().to_owned();
    assert_eq!(record_ids(&api, &patient, &hid).await.1.len(), 2);
    assert_eq!(
        content(&api, &patient, &hid, &lab_id).await,
        (StatusCode::OK, LAB.to_vec())
    );

    no_consent(record_ids(&api, &staff, &hid).await, "no grant yet");
    no_consent(content(&api, &staff, &hid, &lab_id).await, "no grant yet");
    let ask = json!({"health_id": hid, "purpose": "care", "record_types": ["lab_report"],
        "expires": in_a_month()})
    .to_string();
    let (s, c) = api
        .call("POST", "/api/v1/consents", Some(&staff), Some(&ask))
        .await;
    assert_eq!(
        (s, c["status"].as_str()),
        (StatusCode::CREATED, Some("requested")),
        "{c}"
    );
    let cid = c["id"].as_str().unwrap().to_owned();
    no_consent(record_ids(&api, &staff, &hid).await, "requested");
    let (s, v) = api.get("/api/v1/consents", Some(&patient)).await;
    assert_eq!(
        (s, v["consents"][0]["id"].as_str()),
        (StatusCode::OK, Some(cid.as_str()))
    );
    let grant = format!("/api/v1/consents/{cid}/grant");
    let (s, _) = api.call("POST", &grant, Some(&staff), None).await;
    assert!(
        s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
        "staff cannot grant: {s}"
    );
    let (s, v) = api.call("POST", &grant, Some(&patient), None).await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("granted")),
        "{v}"
    );

    assert_eq!(
        record_ids(&api, &staff, &hid).await,
        (StatusCode::OK, vec![lab_id.clone()])
    );
    assert_eq!(
        content(&api, &staff, &hid, &lab_id).await,
        (StatusCode::OK, LAB.to_vec())
    );
    no_consent(
        content(&api, &staff, &hid, &scan_id).await,
        "imaging is out of scope",
    );

    let revoke = format!("/api/v1/consents/{cid}/revoke");
    let (s, v) = api.call("POST", &revoke, Some(&patient), None).await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("revoked")),
        "{v}"
    );
    no_consent(record_ids(&api, &staff, &hid).await, "revoked");
    no_consent(content(&api, &staff, &hid, &lab_id).await, "revoked");

    let (s, v) = api
        .get(&format!("/api/v1/health-ids/{hid}/audit"), Some(&patient))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let actions: Vec<&str> = v["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.len() >= 6, "{actions:?}");
    assert!(
        v["audit"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["who"] == "dr_rao" && e["record_id"] == lab_id.as_str()),
        "the staff read is audited: {v}"
    );
    let (s, v) = api
        .get(&format!("/api/v1/health-ids/{hid}/fhir"), Some(&patient))
        .await;
    assert_eq!(
        (s, v["resourceType"].as_str()),
        (StatusCode::OK, Some("Bundle")),
        "{v}"
    );

    for needle in [LAB, SCAN, ALLERGY.as_bytes()] {
        let holding = files_holding(api.dir(), needle);
        assert!(holding.is_empty(), "plaintext on disk in {holding:?}");
    }

    let path = format!("/api/v1/health-ids/{hid}/records/{scan_id}");
    let (s, _) = api.call("DELETE", &path, Some(&staff), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "staff cannot erase");
    let (s, _) = api.call("DELETE", &path, Some(&patient), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        record_ids(&api, &patient, &hid).await.1,
        vec![lab_id.clone()]
    );
    let (s, _) = api
        .call(
            "DELETE",
            &format!("/api/v1/health-ids/{hid}"),
            Some(&patient),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, v) = api.get("/api/v1/health-ids", Some(&patient)).await;
    assert_eq!(
        (s, v["health_ids"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(0))
    );
    assert_eq!(
        content(&api, &patient, &hid, &lab_id).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn dependants_are_guarded() {
    let api = api();
    let (patient, staff, _) = people(&api).await;
    let body = json!({"dependant": {"name": "Aai", "birth_year": 1950}}).to_string();
    let (s, v) = api
        .call("POST", "/api/v1/health-ids", Some(&patient), Some(&body))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["guardians"][0], "meera", "{v}");
    let hid = v["health_id"].as_str().unwrap().to_owned();
    let (s, v) = api.get("/api/v1/health-ids", Some(&patient)).await;
    assert_eq!(
        (s, v["health_ids"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(2))
    );
    let path = format!("/api/v1/health-ids/{hid}/profile");
    let (s, _) = api
        .call(
            "PUT",
            &path,
            Some(&patient),
            Some(r#"{"blood_group":"O-"}"#),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = api.get(&path, Some(&staff)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    field_error(
        &api.call(
            "POST",
            "/api/v1/health-ids",
            Some(&patient),
            Some(r#"{"dependant": {"name": "", "birth_year": 1950}}"#),
        )
        .await,
        "dependant.name",
    );
}
