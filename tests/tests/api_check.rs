//! The OpenAPI document against the tools integrators use (`scripts/api-check.sh`):
//! `openapi-spec-validator` on the document a running `caremesh` serves, then
//! `schemathesis run --checks all` against that node with the admin token, so the
//! authenticated routes are exercised too. Both tools come from PyPI into `.cache` (or
//! `$CAREMESH_APICHECK_VENV`) on the first run.

use std::path::PathBuf;
use std::process::Command;

use caremesh_e2e::Node;
use caremesh_e2e::health::patient_with_id;
use serde_json::json;

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/api-check.sh")
}

/// The health routes, run again with a patient's and a staff member's token.
const HEALTH: &str = "^/api/v1/(health-ids|consents)";

/// Runs the API check against `node` as `token` (on the paths `include` matches, or all)
/// with `examples` per operation; its stdout if it passed.
fn check(
    node: &Node,
    token: &str,
    include: Option<&str>,
    examples: &str,
) -> anyhow::Result<String> {
    let mut command = Command::new("bash");
    command
        .arg(script())
        .arg(&node.url)
        .arg(token)
        .env("API_CHECK_MAX_EXAMPLES", examples)
        // One fixed seed, so a CI run is repeatable; set API_CHECK_SEED to explore others.
        .env(
            "API_CHECK_SEED",
            std::env::var("API_CHECK_SEED").unwrap_or_else(|_| "20261129".into()),
        );
    if let Some(include) = include {
        command.env("API_CHECK_INCLUDE", include);
    }
    let out = command.output()?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    anyhow::ensure!(
        out.status.success(),
        "api-check failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    Ok(stdout)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_is_valid_and_the_server_agrees_with_it() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut node = Node::started(root.path(), "api-check", &[]).await?;
    // Something to find, so searches and links reach real data.
    let sassoon = json!({"kind": "hospital", "name": "Sassoon General", "lat": 18.52,
        "lon": 73.87, "specialties": ["emergency_medicine"], "hours": "24/7"});
    let facility = node.facility(&sassoon).await?;
    let stdout = check(&node, &node.admin, None, "25")?;
    assert!(stdout.contains("OK"), "the validator's verdict: {stdout}");
    assert!(stdout.contains("passed"), "schemathesis ran: {stdout}");
    // The health routes again as the roles that reach past the role check: a patient
    // holding an ID, and staff of the facility.
    let (patient, _) = patient_with_id(&node, "asha").await?;
    let staff = node
        .member(json!({"handle": "ravi", "role": "staff", "facility_id": facility}))
        .await?;
    for token in [&patient, &staff] {
        let stdout = check(&node, token, Some(HEALTH), "10")?;
        assert!(stdout.contains("passed"), "schemathesis ran: {stdout}");
    }
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
