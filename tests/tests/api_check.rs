//! The OpenAPI document against the tools integrators use (`scripts/api-check.sh`):
//! `openapi-spec-validator` on the document a running `caremesh` serves, then
//! `schemathesis run --checks all` against that node with the admin token, so the
//! authenticated routes are exercised too. Both tools come from PyPI into `.cache` (or
//! `$CAREMESH_APICHECK_VENV`) on the first run.

use std::path::PathBuf;
use std::process::Command;

use caremesh_e2e::Node;
use serde_json::json;

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/api-check.sh")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_is_valid_and_the_server_agrees_with_it() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut node = Node::init(root.path(), "api-check", &[])?;
    node.start().await?;
    // Something to find, so searches and links reach real data.
    let (status, _) = node
        .post(
            "/api/v1/facilities",
            Some(&node.admin),
            &json!({"kind": "hospital", "name": "Sassoon General", "lat": 18.52, "lon": 73.87,
                "specialties": ["emergency_medicine"], "hours": "24/7"}),
        )
        .await?;
    assert_eq!(status, 201);
    let out = Command::new("bash")
        .arg(script())
        .arg(&node.url)
        .arg(&node.admin)
        .env("API_CHECK_MAX_EXAMPLES", "25")
        // One fixed seed, so a CI run is repeatable; set API_CHECK_SEED to explore others.
        .env(
            "API_CHECK_SEED",
            std::env::var("API_CHECK_SEED").unwrap_or_else(|_| "20261129".into()),
        )
        .output()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "api-check failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    assert!(stdout.contains("OK"), "the validator's verdict: {stdout}");
    assert!(stdout.contains("passed"), "schemathesis ran: {stdout}");
    // No answer of the run was a 5xx (a check) and the node is still up.
    let (status, _) = node.get("/healthz", None).await?;
    assert_eq!(status, 200);
    assert!(
        !node.log().contains("internal error"),
        "an internal error was logged"
    );
    node.stop()?;
    Ok(())
}
