//! Health records across four real nodes: the patient on A, a hospital on H, a clinic on C,
//! and a relay R, the only node the other three peer with. H uploads to A through R; C asks
//! for consent, A grants, C reads live through R; scope, audit, revoke and erasure hold; R's
//! and A's data folders, every node's log, pulls and /metrics never show health data.

use std::time::Duration;

use anyhow::Context;
use caremesh_e2e::health::{
    ask_and_grant, decide_consent, delete, download, files_holding, holds, noise, patient_with_id,
    send, sha256_hex, upload,
};
use caremesh_e2e::{Node, eventually};
use reqwest::Method;
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(40);
const ALLERGY: &str = "allergy-marker-penicillin-9931";

struct Mesh {
    a: Node,
    h: Node,
    c: Node,
    r: Node,
}

async fn start_mesh(root: &std::path::Path) -> anyhow::Result<Mesh> {
    let mut r = Node::init(root, "r", &[])?;
    let mut a = Node::init(root, "a", &[&r.url])?;
    let mut h = Node::init(root, "h", &[&r.url])?;
    let mut c = Node::init(root, "c", &[&r.url])?;
    r.set_peers(&[&a.url, &h.url, &c.url])?;
    for node in [&mut r, &mut a, &mut h, &mut c] {
        node.start().await?;
    }
    Ok(Mesh { a, h, c, r })
}

/// A hospital on `node` and a staff member of it; the member's token.
async fn staff_of(node: &Node, handle: &str) -> anyhow::Result<String> {
    let body =
        json!({"kind": "hospital", "name": format!("{handle} care"), "lat": 18.5, "lon": 73.8});
    Ok(node.facility_with_staff(&body, handle).await?.1)
}

async fn records(node: &Node, token: &str, hid: &str) -> anyhow::Result<(u16, Value)> {
    node.get(&format!("/api/v1/health-ids/{hid}/records"), Some(token))
        .await
}

fn ids_of(v: &Value) -> Vec<String> {
    v["records"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

async fn content(node: &Node, token: &str, hid: &str, id: &str) -> anyhow::Result<(u16, Vec<u8>)> {
    let path = format!("/api/v1/health-ids/{hid}/records/{id}/content");
    download(node, &path, token).await
}

/// Uploads from H until A's prefix is known there (announcements travel through R).
async fn upload_when_routed(
    h: &Node,
    staff: &str,
    hid: &str,
    query: &str,
    ct: &str,
    bytes: &[u8],
) -> anyhow::Result<Value> {
    eventually("H learns A's prefix", WAIT, || async {
        let (status, v) = upload(h, staff, hid, query, ct, bytes.to_vec()).await?;
        match status {
            202 | 201 => Ok(Some(v)),
            404 => Ok(None),
            other => anyhow::bail!("upload answered {other}: {v}"),
        }
    })
    .await
}

/// Whatever C reads of `hid`'s records, once the grant has reached A's answers.
async fn c_sees(c: &Node, staff: &str, hid: &str, want: usize) -> anyhow::Result<Vec<String>> {
    eventually("C reads under the grant", WAIT, || async {
        let (status, v) = records(c, staff, hid).await?;
        Ok((status == 200 && ids_of(&v).len() == want).then(|| ids_of(&v)))
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_travel_home_and_are_read_under_consent_through_a_relay() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mesh = start_mesh(root.path()).await?;
    let Mesh { a, h, c, r } = &mesh;
    let (patient, hid) = patient_with_id(a, "meera").await?;
    let hospital = staff_of(h, "dr_h").await?;
    let clinic = staff_of(c, "dr_c").await?;
    let digits: String = hid.chars().filter(char::is_ascii_digit).collect();
    let profile = json!({"blood_group": "B+", "allergies": [ALLERGY]});
    let (status, _) = a
        .put(
            &format!("/api/v1/health-ids/{hid}/profile"),
            Some(&patient),
            &profile,
        )
        .await?;
    anyhow::ensure!(status == 200);

    let lab = [b"%PDF-1.4\n".as_slice(), &noise(40_000, 7)].concat();
    let scan = [b"\x89PNG\r\n\x1a\n".as_slice(), &noise(300_000, 11)].concat();
    let lab_q = "type=lab_report&title=CBC&date=2026-11-02";
    let up = upload_when_routed(h, &hospital, &hid, lab_q, "application/pdf", &lab).await?;
    assert_eq!(up["sha256"], sha256_hex(&lab), "{up}");
    let scan_q = "type=imaging&title=Chest&date=2026-11-03";
    upload_when_routed(h, &hospital, &hid, scan_q, "image/png", &scan).await?;
    let at_home = eventually("both records reach A", WAIT, || async {
        let (_, v) = records(a, &patient, &hid).await?;
        Ok((ids_of(&v).len() == 2).then_some(v))
    })
    .await?;
    let lab_record = at_home["records"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["type"] == "lab_report"))
        .context("lab record")?;
    assert_eq!(lab_record["sha256"], sha256_hex(&lab));
    let lab_id = lab_record["id"].as_str().context("id")?.to_owned();
    let scan_id = ids_of(&at_home)
        .into_iter()
        .find(|i| *i != lab_id)
        .context("scan")?;
    assert_eq!(
        content(a, &patient, &hid, &scan_id).await?,
        (200, scan.clone())
    );

    let (status, v) = records(c, &clinic, &hid).await?;
    assert_eq!(status, 403, "no grant yet: {v}");
    let expires = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    let ask = json!({"health_id": hid, "purpose": "care", "record_types": ["lab_report"], "expires": expires});
    let cid = ask_and_grant((c, &clinic), (a, &patient), &ask).await?;
    assert_eq!(c_sees(c, &clinic, &hid, 1).await?, vec![lab_id.clone()]);
    assert_eq!(
        content(c, &clinic, &hid, &lab_id).await?,
        (200, lab.clone())
    );
    assert_eq!(
        content(c, &clinic, &hid, &scan_id).await?.0,
        403,
        "imaging is outside the grant"
    );

    let (_, audit) = a
        .get(&format!("/api/v1/health-ids/{hid}/audit"), Some(&patient))
        .await?;
    let by_c = audit["audit"]
        .as_array()
        .context("audit")?
        .iter()
        .filter(|e| e["node"] == c.url.as_str())
        .count();
    assert!(by_c >= 2, "C's list and read are audited at home: {audit}");

    decide_consent(a, &patient, &cid, "revoke").await?;
    assert_eq!(
        records(c, &clinic, &hid).await?.0,
        403,
        "revoked: reads end at once"
    );
    assert_eq!(content(c, &clinic, &hid, &lab_id).await?.0, 403);

    let path = format!("/api/v1/health-ids/{hid}/records/{scan_id}");
    assert_eq!(delete(a, &path, &patient).await?.0, 204);
    assert_eq!(
        ids_of(&records(a, &patient, &hid).await?.1),
        vec![lab_id.clone()]
    );

    for (what, needle) in [
        ("lab", &lab[64..4096]),
        ("scan", &scan[64..4096]),
        ("allergy", ALLERGY.as_bytes()),
    ] {
        for node in [r, a] {
            let found = files_holding(&node.dir, needle);
            assert!(
                found.is_empty(),
                "{what} in clear on {}: {found:?}",
                node.name
            );
        }
    }
    for node in [a, h, c, r] {
        let log = node.log();
        assert!(
            !log.contains(&hid) && !log.contains(&digits),
            "HID in {}'s log",
            node.name
        );
        assert!(!log.contains(ALLERGY), "profile in {}'s log", node.name);
        let path = "/federation/v1/objects?limit=1000";
        let (status, pull) = send(node, Method::GET, path, None, None, Vec::new()).await?;
        assert_eq!(status, 200, "pull of {}", node.name);
        for needle in [digits.as_bytes(), ALLERGY.as_bytes(), &lab[64..128]] {
            assert!(
                !holds(&pull, needle),
                "health data in the pull of {}",
                node.name
            );
        }
        let metrics = reqwest::get(format!("{}/metrics", node.url))
            .await?
            .text()
            .await?;
        assert!(!metrics.contains(&digits), "metrics of {}", node.name);
    }
    Ok(())
}

/// Bytes in the files below `dir`.
fn dir_bytes(dir: &std::path::Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_20_mib_scan_reaches_home_across_a_kill_of_the_home_node() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut r = Node::init(root.path(), "r", &[])?;
    let mut a = Node::init(root.path(), "a", &[&r.url])?;
    let mut h = Node::init(root.path(), "h", &[&r.url])?;
    r.set_peers(&[&a.url, &h.url])?;
    for node in [&mut r, &mut a, &mut h] {
        node.start().await?;
    }
    let (patient, hid) = patient_with_id(&a, "meera").await?;
    let hospital = staff_of(&h, "dr_h").await?;
    let scan = [
        b"\x89PNG\r\n\x1a\n".as_slice(),
        &noise(20 * 1024 * 1024 - 8, 5),
    ]
    .concat();
    let query = "type=imaging&title=MRI&date=2026-11-04";
    let over = [scan.as_slice(), b"x"].concat();
    let (status, _) = upload(&h, &hospital, &hid, query, "image/png", over).await?;
    assert_eq!(status, 413, "one byte over 20 MiB");

    let t0 = std::time::Instant::now();
    let before = dir_bytes(&a.dir);
    let up = upload_when_routed(&h, &hospital, &hid, query, "image/png", &scan).await?;
    assert_eq!(
        (up["status"].as_str(), &up["sha256"]),
        (Some("sending"), &json!(sha256_hex(&scan)))
    );
    eprintln!("upload answered after {:?}", t0.elapsed());
    eventually("a part of the scan reaches A", WAIT, || async {
        Ok((dir_bytes(&a.dir) > before + 2 * 1024 * 1024).then_some(()))
    })
    .await?;
    let (_, listed) = records(&a, &patient, &hid).await?;
    a.kill9();
    eprintln!("killed at {:?}", t0.elapsed());
    assert!(
        ids_of(&listed).is_empty(),
        "the transfer was not over at the kill: {listed}"
    );
    a.start().await?;
    eprintln!("restarted at {:?}", t0.elapsed());
    let at_home = eventually(
        "the whole scan at A after the restart",
        Duration::from_secs(90),
        || async {
            let (_, v) = records(&a, &patient, &hid).await?;
            Ok((ids_of(&v).len() == 1).then_some(v))
        },
    )
    .await?;
    eprintln!("complete at {:?}", t0.elapsed());
    assert_eq!(at_home["records"][0]["sha256"], sha256_hex(&scan));
    let id = &ids_of(&at_home)[0];
    let (status, bytes) = content(&a, &patient, &hid, id).await?;
    assert!(
        status == 200 && sha256_hex(&bytes) == sha256_hex(&scan),
        "{status}"
    );
    for node in [&r, &a] {
        let found = files_holding(&node.dir, &scan[1 << 20..(1 << 20) + 4096]);
        assert!(
            found.is_empty(),
            "the scan in clear on {}: {found:?}",
            node.name
        );
    }
    Ok(())
}
