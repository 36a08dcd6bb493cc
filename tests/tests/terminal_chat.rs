//! `caremesh chat` as a scripted terminal client of a running node: lines on stdin, replies
//! (with numbered choices) on stdout.

use std::process::Command;

use caremesh_e2e::{Node, binary, output_with_stdin};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scripted_terminal_conversation_with_a_running_node() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let node = Node::started(root.path(), "terminal", &[]).await?;
    let blood_bank = json!({"kind": "blood_bank", "name": "Jankalyan Blood Bank", "lat": 18.51,
        "lon": 73.85, "blood_stock": {"O-": 4}});
    node.facility(&blood_bank).await?;

    let out = node.chat(
        None,
        "/start\n/frobnicate\n/blood O- 18.52,73.86\n/symptoms chest pain since an hour\n/help\n",
    )?;
    assert!(out.contains("Welcome to terminal"), "{out}");
    assert!(
        out.contains("1."),
        "buttons show as numbered choices: {out}"
    );
    assert!(
        out.contains("/frobnicate"),
        "unknown commands are named: {out}"
    );
    assert!(out.contains("Jankalyan Blood Bank"), "{out}");
    assert!(out.to_lowercase().contains("emergency"), "{out}");
    assert!(out.contains("/subscribe"), "help lists commands: {out}");

    // Registration through numbered choices, then an admin approves from another terminal.
    let out = node.chat(None, "/register\n1\n18.52,73.86\n")?;
    assert!(
        out.to_lowercase().contains("approv"),
        "a requester waits for approval: {out}"
    );
    let out = node.chat(Some("admin"), "/pending\n1\n")?;
    assert!(
        out.contains("Approve cli-console"),
        "the admin sees the waiting requester: {out}"
    );
    let out = node.chat(None, "/need\n")?;
    assert!(
        out.contains("[1]") && !out.contains("Only approved"),
        "the approved requester is asked for a product: {out}"
    );
    Ok(())
}

/// Without `--config`, `caremesh chat` is the client of the node `caremesh run` starts
/// without one: `./caremesh-data` and 127.0.0.1:7700. (The test does not take that fixed
/// port: in a folder with no such node, the one line it prints names where it looked.)
#[test]
fn without_a_config_the_chat_looks_for_the_default_node() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut cmd = Command::new(binary()?);
    cmd.arg("chat")
        .current_dir(root.path())
        .env("CAREMESH_LOG", "off");
    let out = output_with_stdin(&mut cmd, "/start\n")?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("caremesh-data/admin.token") && stderr.lines().count() == 1,
        "{stderr}"
    );
    Ok(())
}
