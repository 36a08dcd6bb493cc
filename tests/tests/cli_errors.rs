//! A newcomer's mistakes on the command line: each ends with one clear line on stderr and a
//! failing exit status, never a Rust backtrace, even with `RUST_BACKTRACE=1` set.

use std::path::Path;
use std::process::{Command, Output};

use caremesh_e2e::{Node, binary, output_with_stdin};

/// Runs `caremesh ARGS` with a backtrace asked for and `stdin` as input.
fn caremesh(args: &[&str], config: Option<&Path>, stdin: &str) -> anyhow::Result<Output> {
    let mut cmd = Command::new(binary()?);
    cmd.args(args);
    if let Some(config) = config {
        cmd.arg("--config").arg(config);
    }
    cmd.env("RUST_BACKTRACE", "1").env("CAREMESH_LOG", "off");
    output_with_stdin(&mut cmd, stdin)
}

/// The one line of stderr, checked: failing status, no backtrace, mentions `expected`.
fn one_line_error(out: &Output, expected: &str) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "should fail: {stderr}");
    assert!(
        !stderr.contains("backtrace") && !stderr.contains("panicked"),
        "no backtrace or panic: {stderr}"
    );
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line: {stderr}");
    assert!(lines[0].starts_with("caremesh: "), "{stderr}");
    assert!(
        lines[0].contains(expected),
        "mentions `{expected}`: {stderr}"
    );
    stderr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_errors_are_one_line_without_a_backtrace() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let missing = root.path().join("nowhere/config.toml");
    let out = caremesh(&["run"], Some(&missing), "")?;
    one_line_error(&out, "nowhere/config.toml");

    // A node made but not running: the chat client says to start it.
    let mut node = Node::init(root.path(), "cli", &[])?;
    let config = node.dir.join("config.toml");
    let out = caremesh(&["chat"], Some(&config), "/start\n")?;
    one_line_error(&out, "`caremesh run`");

    // Running, but `--as` names nobody: the node's reason, not its JSON.
    node.start().await?;
    let out = caremesh(&["chat", "--as", "nobody"], Some(&config), "/start\n")?;
    let line = one_line_error(&out, "no member `nobody`");
    assert!(!line.contains("{\""), "no raw JSON: {line}");

    // Importing into a running node: sled's lock, explained.
    let csv = root.path().join("f.csv");
    std::fs::write(&csv, "kind,name,lat,lon\nclinic,A,18.5,73.8\n")?;
    let out = caremesh(
        &["import", "facilities", &csv.to_string_lossy()],
        Some(&config),
        "",
    )?;
    one_line_error(&out, "stop `caremesh run`");
    node.stop()?;

    // A bad flag: clap's own short message and usage, status 2.
    let out = caremesh(&["run", "--bogus"], None, "")?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--bogus") && !stderr.contains("backtrace"),
        "{stderr}"
    );
    Ok(())
}
