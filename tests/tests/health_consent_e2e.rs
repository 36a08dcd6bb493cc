//! Consent that ends by itself, and a FHIR upload, between two real nodes: the patient on A,
//! a clinic on C. C's staff upload a FHIR R4 DocumentReference that A keeps as the report
//! inside it; C asks for a grant that expires within seconds (any future time up to 365
//! days is allowed, so no injected clock is needed), reads under it, and once it has
//! expired C's reads are 403 `no_consent`, audited at home as refused; the record itself is
//! unchanged.

use std::time::Duration;

use anyhow::Context;
use base64::Engine;
use caremesh_e2e::health::{ask_and_grant, download, noise, patient_with_id, sha256_hex, upload};
use caremesh_e2e::{eventually, start_pair};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(40);
/// How long the short grant lives: long enough to be granted and read on a loaded machine.
const GRANT_SECS: i64 = 20;

fn records_of(v: &Value) -> Vec<Value> {
    v["records"].as_array().cloned().unwrap_or_default()
}

/// A FHIR R4 DocumentReference holding `png` as an imaging report.
fn document_reference(png: &[u8]) -> Vec<u8> {
    let doc = json!({
        "resourceType": "DocumentReference",
        "status": "current",
        "type": {"coding": [{"system": "http://loinc.org", "code": "18748-4"}]},
        "description": "Knee X-ray",
        "content": [{"attachment": {
            "contentType": "image/png",
            "data": base64::engine::general_purpose::STANDARD.encode(png),
            "creation": "2026-10-01"
        }}]
    });
    serde_json::to_vec(&doc).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fhir_upload_is_kept_and_a_short_grant_ends_by_itself() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let (a, c) = start_pair(root.path(), "a", "c").await?;
    let (patient, hid) = patient_with_id(&a, "meera").await?;
    let lakeside = json!({"kind": "clinic", "name": "Lakeside clinic", "lat": 18.5, "lon": 73.8});
    let (_, clinic) = c.facility_with_staff(&lakeside, "dr_c").await?;

    // The FHIR upload: type, title and date come from the DocumentReference itself.
    let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &noise(50_000, 5)].concat();
    let fhir = document_reference(&png);
    let up = eventually("C learns A's prefix", WAIT, || async {
        let (status, v) =
            upload(&c, &clinic, &hid, "", "application/fhir+json", fhir.clone()).await?;
        match status {
            202 => Ok(Some(v)),
            404 => Ok(None),
            other => anyhow::bail!("upload answered {other}: {v}"),
        }
    })
    .await?;
    assert_eq!(
        up["sha256"],
        sha256_hex(&png),
        "the digest of the report: {up}"
    );
    let at_home = eventually("the record reaches A", WAIT, || async {
        let (_, v) = a
            .get(&format!("/api/v1/health-ids/{hid}/records"), Some(&patient))
            .await?;
        Ok(records_of(&v).into_iter().next())
    })
    .await?;
    assert_eq!(at_home["type"], "imaging", "{at_home}");
    assert_eq!(at_home["title"], "Knee X-ray");
    assert_eq!(at_home["date"], "2026-10-01");
    assert_eq!(at_home["content_type"], "image/png");
    assert_eq!(at_home["sha256"], sha256_hex(&png));
    let rid = at_home["id"].as_str().context("record id")?.to_owned();
    let content = format!("/api/v1/health-ids/{hid}/records/{rid}/content");
    assert_eq!(download(&a, &content, &patient).await?, (200, png.clone()));

    // A grant that ends within seconds.
    let expires = chrono::Utc::now() + chrono::Duration::seconds(GRANT_SECS);
    let ask = json!({"health_id": hid, "purpose": "care", "record_types": ["imaging"],
        "expires": expires.to_rfc3339()});
    ask_and_grant((&c, &clinic), (&a, &patient), &ask).await?;
    let records = format!("/api/v1/health-ids/{hid}/records");
    eventually("C reads under the grant", WAIT, || async {
        let (status, v) = c.get(&records, Some(&clinic)).await?;
        Ok((status == 200 && records_of(&v).len() == 1).then_some(()))
    })
    .await?;
    assert_eq!(download(&c, &content, &clinic).await?, (200, png.clone()));

    // After the expiry: refused at home, for the list and the bytes alike.
    let left = expires - chrono::Utc::now() + chrono::Duration::milliseconds(500);
    tokio::time::sleep(left.to_std().unwrap_or_default()).await;
    let (status, v) = c.get(&records, Some(&clinic)).await?;
    assert_eq!(status, 403, "after expiry: {v}");
    assert_eq!(v["error"]["code"], "no_consent", "{v}");
    assert_eq!(download(&c, &content, &clinic).await?.0, 403);
    let (_, v) = c.get("/api/v1/consents", Some(&clinic)).await?;
    assert_eq!(v["consents"][0]["status"], "expired", "{v}");

    let (_, audit) = a
        .get(&format!("/api/v1/health-ids/{hid}/audit"), Some(&patient))
        .await?;
    let refused = audit["audit"]
        .as_array()
        .context("audit")?
        .iter()
        .filter(|e| e["node"] == c.url.as_str() && e["action"] == "refused")
        .filter(|e| e["check"] == "consent_expired")
        .count();
    assert!(refused >= 1, "the expired read is audited at home: {audit}");
    // Honest data unchanged: the holder still reads the same bytes.
    assert_eq!(download(&a, &content, &patient).await?, (200, png));
    Ok(())
}
