//! The health commands on the terminal chat against a running node: a patient gets a
//! health ID, staff of a listed facility upload a file with `/attach`, the patient is told,
//! lists and downloads it (saved owner-only), staff are refused without consent, ask,
//! the patient grants, staff read, and the audit shows it all; then the same across two
//! nodes (the patient's home A, a lab on C), over real federation.

use std::path::Path;

use caremesh_e2e::{Node, run_chat, start_pair};
use serde_json::json;

/// Runs `caremesh chat --as HANDLE` in `cwd` with `lines` on stdin; returns stdout.
fn chat(node: &Node, cwd: &Path, handle: &str, lines: &str) -> anyhow::Result<String> {
    let mut cmd = node.chat_command(Some(handle))?;
    run_chat(cmd.current_dir(cwd), lines)
}

/// The `XX-XXXX-XXXX-XXXX` after "Health ID: " in `out`.
fn health_id(out: &str) -> anyhow::Result<String> {
    let at = out
        .find("Health ID: ")
        .ok_or_else(|| anyhow::anyhow!("no health ID in {out}"))?;
    let number: String = out[at + 11..].chars().take(17).collect();
    anyhow::ensure!(
        number.chars().filter(char::is_ascii_digit).count() == 14,
        "{number}"
    );
    Ok(number)
}

/// Says `lines` again until the output holds `needle` (what travels between nodes, and
/// notices, arrive in the background); returns that output.
fn until(
    node: &Node,
    cwd: &Path,
    handle: &str,
    lines: &str,
    needle: &str,
) -> anyhow::Result<String> {
    let mut out = String::new();
    for _ in 0..100 {
        out = chat(node, cwd, handle, lines)?;
        if out.contains(needle) {
            return Ok(out);
        }
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    anyhow::bail!("{handle} never saw {needle:?}; last: {out}")
}

/// Waits until `handle` was told `needle`: in `earlier` output, or on a later line.
fn told(node: &Node, cwd: &Path, handle: &str, earlier: &str, needle: &str) -> anyhow::Result<()> {
    if !earlier.contains(needle) {
        until(node, cwd, handle, "/start\n", needle)?;
    }
    Ok(())
}

/// A lab on `node` and its staff member `handle`.
async fn lab_with_staff(node: &Node, handle: &str) -> anyhow::Result<()> {
    let lab = json!({"kind": "lab", "name": "City Lab", "lat": 18.51, "lon": 73.85});
    node.facility_with_staff(&lab, handle).await?;
    Ok(())
}

/// Folders for two people's terminal chats (their downloads land there).
fn folders(root: &Path) -> anyhow::Result<(std::path::PathBuf, std::path::PathBuf)> {
    let (patient, staff) = (root.join("ravi"), root.join("asha"));
    std::fs::create_dir_all(&patient)?;
    std::fs::create_dir_all(&staff)?;
    Ok((patient, staff))
}

/// The path after "saved: " in `out`.
fn saved(out: &str) -> anyhow::Result<String> {
    out.lines()
        .find_map(|l| l.trim().strip_prefix("saved: "))
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("nothing saved: {out}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_download_consent_and_audit_on_the_terminal_chat() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut node = Node::started(root.path(), "clinic", &[]).await?;
    lab_with_staff(&node, "asha").await?;
    node.member(json!({"handle": "ravi", "role": "patient"}))
        .await?;
    let (patient_dir, staff_dir) = folders(root.path())?;

    let out = chat(&node, &patient_dir, "ravi", "/healthid new\n")?;
    let hid = health_id(&out)?;

    // Over a megabyte: more than the API's JSON bodies may hold, as a scan often is.
    let mut scan = b"%PDF-1.4\n% blood count, Hb 13.1 g/dL\n".to_vec();
    scan.extend(caremesh_e2e::health::noise(1_500_000, 7));
    scan.extend(b"\n%%EOF\n");
    let file = staff_dir.join("cbc.pdf");
    std::fs::write(&file, &scan)?;
    let attach = format!(
        "/attach {} {hid} lab report 2024-05-01 Blood count\n",
        file.display()
    );
    let out = chat(&node, &staff_dir, "asha", &attach)?;
    assert!(out.contains("Stored: \"Blood count\""), "{out}");
    let out = chat(&node, &staff_dir, "asha", &format!("/records {hid}\n"))?;
    assert!(out.contains("No consent"), "no grant yet: {out}");

    // The patient was told; the list has a download button; the file is saved owner-only.
    let out = chat(&node, &patient_dir, "ravi", "/records\n1\n")?;
    assert!(out.contains("Blood count"), "{out}");
    told(
        &node,
        &patient_dir,
        "ravi",
        &out,
        "A new health record has arrived",
    )?;
    let path = patient_dir.join(saved(&out)?);
    assert_eq!(std::fs::read(&path)?, scan, "the record's bytes");
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    assert!(
        name.starts_with("lab_report_Blood_count") && name.ends_with(".pdf"),
        "named from the record's type, title and content type: {name}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)?.permissions().mode();
        assert_eq!(mode & 0o077, 0, "owner-only: {mode:o}");
    }

    let ask = format!("/consent ask {hid} care lab_report 30\n");
    let out = chat(&node, &staff_dir, "asha", &ask)?;
    assert!(out.contains("Asked"), "{out}");
    let out = chat(&node, &patient_dir, "ravi", "/consent\n1\n")?;
    told(&node, &patient_dir, "ravi", &out, "A facility asks to read")?;
    for shown in ["City Lab", "Asked by: asha", "Purpose: care", "lab report"] {
        assert!(out.contains(shown), "{shown} in {out}");
    }
    assert!(out.contains("Granted: City Lab"), "{out}");
    let out = chat(&node, &staff_dir, "asha", &format!("/records {hid}\n1\n"))?;
    assert!(out.contains("Blood count"), "under the grant: {out}");
    told(
        &node,
        &staff_dir,
        "asha",
        &out,
        "A consent you asked for was decided",
    )?;
    let staff_copy = staff_dir.join(saved(&out)?);
    assert!(
        staff_copy
            .display()
            .to_string()
            .contains("lab_report_Blood_count")
    );
    assert_eq!(std::fs::read(staff_copy)?, scan);

    let out = chat(&node, &patient_dir, "ravi", "/consent audit\n")?;
    for action in ["uploaded", "read refused", "consent asked", "granted"] {
        assert!(out.contains(action), "{action} in {out}");
    }
    let log = node.log();
    assert!(log.contains("record stored"), "the log is read: {log}");
    assert!(
        !log.contains("Hb 13.1") && !log.contains("Blood count"),
        "no health data in the log"
    );
    node.stop()?;
    Ok(())
}

/// The patient's home is node A; the lab is on node C. Over real federation between the two
/// processes: C's staff ask in chat, the patient is told and grants on A, C's staff are
/// told; C's upload travels to A and its uploader is told; C reads and downloads live from
/// A under the grant.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lab_on_another_node_asks_uploads_and_reads_through_chat() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let (mut a, mut c) = start_pair(root.path(), "a", "c").await?;
    a.member(json!({"handle": "ravi", "role": "patient"}))
        .await?;
    lab_with_staff(&c, "asha").await?;
    let (patient_dir, staff_dir) = folders(root.path())?;
    let hid = health_id(&chat(&a, &patient_dir, "ravi", "/healthid new\n")?)?;

    let ask = format!("/consent ask {hid} care lab_report 30\n");
    until(&c, &staff_dir, "asha", &ask, "Asked")?;
    let out = until(&a, &patient_dir, "ravi", "/consent\n", "Asked by: asha")?;
    told(&a, &patient_dir, "ravi", &out, "A facility asks to read")?;
    let out = chat(&a, &patient_dir, "ravi", "/consent\n1\n")?;
    assert!(out.contains("Granted: City Lab"), "{out}");
    told(
        &c,
        &staff_dir,
        "asha",
        "",
        "A consent you asked for was decided",
    )?;

    let scan = b"%PDF-1.4\n% lipid panel, LDL 96 mg/dL\n%%EOF\n".to_vec();
    let file = staff_dir.join("lipids.pdf");
    std::fs::write(&file, &scan)?;
    let attach = format!("/attach {} {hid} lab report Lipids\n", file.display());
    let out = chat(&c, &staff_dir, "asha", &attach)?;
    assert!(out.contains("to the home node"), "sent home: {out}");
    told(
        &c,
        &staff_dir,
        "asha",
        &out,
        "is stored at the person's home node",
    )?;
    told(
        &a,
        &patient_dir,
        "ravi",
        "",
        "A new health record has arrived",
    )?;

    let out = until(
        &c,
        &staff_dir,
        "asha",
        &format!("/records {hid}\n1\n"),
        "saved: ",
    )?;
    assert!(out.contains("Lipids"), "{out}");
    assert_eq!(std::fs::read(staff_dir.join(saved(&out)?))?, scan);
    let out = chat(&a, &patient_dir, "ravi", "/consent audit\n")?;
    for action in [
        "consent asked",
        "consent granted",
        "record uploaded",
        "record read",
    ] {
        assert!(out.contains(action), "{action} in {out}");
    }
    a.stop()?;
    c.stop()?;
    Ok(())
}
