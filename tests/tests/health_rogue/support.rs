//! The honest side of health_rogue.rs: a holder with two records at the home node, staff
//! elsewhere, a snapshot of what the holder sees (records, consents, audit), and the
//! rogue's consent ask.

use anyhow::Context;
use caremesh_e2e::Node;
use caremesh_e2e::health::{noise, patient_with_id, upload};
use caremesh_e2e::rogue::{Rogue, now_ms};
use caremesh_e2e::rogue_health::sealed_to;
use caremesh_federation::Identity;
use caremesh_federation::object::{AskContent, ConsentAsk, HealthFacility};
use serde_json::{Value, json};

const LAB: &[u8] = b"Haemoglobin 13.1 g/dL, marker-lab-4471";

/// A PNG signature and bytes that look random.
fn scan() -> Vec<u8> {
    [b"\x89PNG\r\n\x1a\n".as_slice(), &noise(3_000, 4)].concat()
}

/// A patient of the home node with a lab report and a scan uploaded by its hospital.
pub struct Holder {
    pub patient: String,
    /// As the API shows it.
    pub hid: String,
    /// The 14 digits, as sealed contents carry it.
    pub digits: String,
    /// Record ids.
    pub lab: String,
    pub scan: String,
    /// The home node's hospital.
    pub facility: String,
}

/// The body of a hospital named `name`.
fn hospital(name: &str) -> Value {
    json!({"kind": "hospital", "name": name, "lat": 18.5, "lon": 73.8})
}

/// A facility on `node` and a staff member of it; the member's token.
pub async fn staff_of(node: &Node, handle: &str) -> anyhow::Result<String> {
    let clinic = hospital(&format!("{handle}'s clinic"));
    Ok(node.facility_with_staff(&clinic, handle).await?.1)
}

/// A holder on `home` with a lab report and a scan uploaded there.
pub async fn holder_on(home: &Node) -> anyhow::Result<Holder> {
    let district = hospital("District Hospital");
    let (facility, staff) = home.facility_with_staff(&district, "dr_rao").await?;
    let (patient, hid) = patient_with_id(home, "meera").await?;
    let mut ids = Vec::new();
    for (query, content_type, bytes) in [
        (
            "type=lab_report&title=CBC&date=2026-11-02",
            "text/plain",
            LAB.to_vec(),
        ),
        (
            "type=imaging&title=Knee&date=2026-11-03",
            "image/png",
            scan(),
        ),
    ] {
        let (status, v) = upload(home, &staff, &hid, query, content_type, bytes).await?;
        anyhow::ensure!(status == 201, "upload at home: {status} {v}");
        ids.push(v["id"].as_str().context("record id")?.to_owned());
    }
    let [lab, scan] = <[String; 2]>::try_from(ids).map_err(|_| anyhow::anyhow!("two ids"))?;
    Ok(Holder {
        patient,
        digits: hid.chars().filter(char::is_ascii_digit).collect(),
        hid,
        lab,
        scan,
        facility,
    })
}

/// An ask by the rogue for lab reports of `digits`, naming `facility_id`, sealed to `home`.
pub fn ask(
    rogue: &Rogue,
    home: &Identity,
    digits: &str,
    facility_id: &str,
) -> anyhow::Result<ConsentAsk> {
    let content = AskContent {
        health_id: digits.to_owned(),
        purpose: "care".into(),
        record_types: vec!["lab_report".into()],
        from: None,
        to: None,
        expires: now_ms() + 86_400_000,
        facility: HealthFacility {
            id: facility_id.to_owned(),
            name: "Rogue Hospital".into(),
        },
        member: "rogue".into(),
    };
    let mut ask = ConsentAsk {
        meta: Rogue::meta(&rogue.url),
        addressee: home.url.clone(),
        sealed: Vec::new(),
    };
    ask.sealed = sealed_to(home, &ask.place(), &content)?;
    Ok(ask)
}

/// What the holder sees at the home node.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    pub audit: Vec<Value>,
    pub records: Vec<Value>,
    pub consents: Vec<Value>,
}

fn list(v: &Value, field: &str) -> anyhow::Result<Vec<Value>> {
    v[field]
        .as_array()
        .cloned()
        .with_context(|| format!("no {field} in {v}"))
}

impl Snapshot {
    /// The audit first: listing the records is itself audited.
    pub async fn take(home: &Node, holder: &str, hid: &str) -> anyhow::Result<Snapshot> {
        let (_, audit) = home
            .get(&format!("/api/v1/health-ids/{hid}/audit"), Some(holder))
            .await?;
        let (_, records) = home
            .get(&format!("/api/v1/health-ids/{hid}/records"), Some(holder))
            .await?;
        let (_, consents) = home.get("/api/v1/consents", Some(holder)).await?;
        Ok(Snapshot {
            audit: list(&audit, "audit")?,
            records: list(&records, "records")?,
            consents: list(&consents, "consents")?,
        })
    }

    /// The audit lines added since `before`, which must be a prefix of this audit
    /// (append-only: nothing altered or removed).
    pub fn added_since(&self, before: &Snapshot) -> anyhow::Result<&[Value]> {
        anyhow::ensure!(
            self.audit.starts_with(&before.audit),
            "the audit changed, not only grew:\nbefore {:#?}\nafter {:#?}",
            before.audit,
            self.audit
        );
        Ok(&self.audit[before.audit.len()..])
    }

    /// Records and consents as in `before`, and the audit grew only by the holder's own
    /// listings at `home` (taking a snapshot lists the records).
    pub fn unchanged_since(&self, before: &Snapshot, home: &str) -> anyhow::Result<()> {
        anyhow::ensure!(self.records == before.records, "records changed: {self:#?}");
        anyhow::ensure!(
            self.consents == before.consents,
            "consents changed: {self:#?}"
        );
        for line in self.added_since(before)? {
            let listed = line["action"] == "listed" && line["node"] == home;
            anyhow::ensure!(listed, "an audit line the attacks caused: {line}");
        }
        Ok(())
    }
}
