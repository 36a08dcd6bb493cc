//! The health commands on the terminal chat against a running node: a patient gets a
//! health ID, staff of a listed facility upload a file with `/attach`, the patient is told,
//! lists and downloads it (saved owner-only), staff are refused without consent, ask,
//! the patient grants, staff read, and the audit shows it all.

use std::path::Path;
use std::process::Command;

use caremesh_e2e::{Node, binary, output_with_stdin};
use serde_json::json;

/// Runs `caremesh chat --as HANDLE` in `cwd` with `lines` on stdin; returns stdout.
fn chat(node: &Node, cwd: &Path, handle: &str, lines: &str) -> anyhow::Result<String> {
    let mut cmd = Command::new(binary()?);
    cmd.current_dir(cwd)
        .args(["chat", "--as", handle, "--config"])
        .arg(node.dir.join("config.toml"));
    let out = output_with_stdin(&mut cmd, lines)?;
    anyhow::ensure!(
        out.status.success(),
        "chat failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
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

/// Waits until `handle` was told `needle`: in `earlier` output, or on a later line (notices
/// go out in the background, within about a second).
fn told(node: &Node, cwd: &Path, handle: &str, earlier: &str, needle: &str) -> anyhow::Result<()> {
    let mut seen = earlier.to_owned();
    for _ in 0..50 {
        if seen.contains(needle) {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
        seen = chat(node, cwd, handle, "/start\n")?;
    }
    anyhow::bail!("{handle} was not told {needle:?}")
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
    let mut node = Node::init(root.path(), "clinic", &[])?;
    node.start().await?;
    let (status, lab) = node
        .post(
            "/api/v1/facilities",
            Some(&node.admin),
            &json!({"kind": "lab", "name": "City Lab", "lat": 18.51, "lon": 73.85}),
        )
        .await?;
    assert_eq!(status, 201, "{lab}");
    node.member(json!({"handle": "ravi", "role": "patient"}))
        .await?;
    node.member(json!({"handle": "asha", "role": "staff", "facility_id": lab["id"]}))
        .await?;
    let (patient_dir, staff_dir) = (root.path().join("ravi"), root.path().join("asha"));
    std::fs::create_dir_all(&patient_dir)?;
    std::fs::create_dir_all(&staff_dir)?;

    let out = chat(&node, &patient_dir, "ravi", "/healthid new\n")?;
    let hid = health_id(&out)?;

    let scan = b"%PDF-1.4\n% blood count, Hb 13.1 g/dL\n%%EOF\n".to_vec();
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
