//! The marketplace's per-node policy against a real `caremesh` process (issue 9, item 8):
//! quotas per maker and member, one waiting proposal per maker per request, and chat
//! requesters tied to a facility when approved.

use caremesh_e2e::Node;
use caremesh_e2e::scope::{snapshot, world};
use serde_json::json;

/// `[marketplace]`: makers wait for approval when the node says so, requesters are tied
/// to a facility when approved, quotas and one waiting proposal per request answer 409
/// naming the check, and nothing of a refused offer is stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marketplace_policy_and_quotas() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut node = Node::init(root.path(), "policy", &[])?;
    node.append_config("\n[marketplace]\napprove_makers = true\nmax_units_per_proposal = 50\n")?;
    node.start().await?;
    let w = world(&node).await?;

    // A maker registering in the chat waits for the admin under `approve_makers`.
    let out = node.chat(None, "/register\n2\n18.52,73.86\n")?;
    assert!(out.contains("An admin must approve"), "{out}");
    let out = node.chat(None, "/register\n")?;
    assert!(out.contains("waits for an admin's approval"), "{out}");
    let out = node.chat(Some("admin"), "/approve cli-console\n")?;
    assert!(out.contains("cli-console is approved"), "{out}");
    let out = node.chat(None, "/register\n")?;
    assert!(out.contains("registered as cli-console (Maker)"), "{out}");

    let propose = |quantity: u32| json!({"quantity": quantity, "material": "PLA"});
    let path = format!("/api/v1/requests/{}/proposals", w.need);
    let before = snapshot(&node, &w).await?;
    let (s, v) = node
        .post(&path, Some(w.token("maker.m")), &propose(5))
        .await?;
    assert_eq!(s, 409, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with("one_pending_proposal"),
        "{v}"
    );
    let (s, v) = node
        .post(&path, Some(w.token("maker.n")), &propose(51))
        .await?;
    assert_eq!(s, 409, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with("max_units_per_proposal"),
        "{v}"
    );
    assert_eq!(
        snapshot(&node, &w).await?,
        before,
        "refused offers stored nothing"
    );
    let (s, v) = node
        .post(&path, Some(w.token("maker.n")), &propose(50))
        .await?;
    assert_eq!(s, 201, "{v}");
    node.stop()?;
    Ok(())
}

/// A requester approved in the chat is tied to the facility the admin names (the node's
/// only one when it has one): with several, `/approve HANDLE` alone is refused naming
/// `facility_id`, and the approved requester posts needs only for their facility.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_requesters_are_tied_to_a_facility_when_approved() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut node = Node::init(root.path(), "tie", &[])?;
    node.start().await?;
    let w = world(&node).await?;
    let out = node.chat(None, "/register\n1\n18.52,73.86\n")?;
    assert!(out.contains("An admin must approve"), "{out}");
    let out = node.chat(Some("admin"), "/approve cli-console\n")?;
    assert!(
        out.contains("`facility_id`") && out.contains(&w.b) && out.contains(&w.a),
        "with two facilities the admin must name one: {out}"
    );
    let out = node.chat(Some("admin"), &format!("/approve cli-console {}\n", w.b))?;
    assert!(out.contains("cli-console is approved"), "{out}");
    let (_, before) = node.get("/api/v1/requests", None).await?;
    // Product 1, 2 units, no date, then facility 1 (Ruby Hall, not theirs) or 2 (Sassoon).
    let out = node.chat(None, "/need\n1\n2\n5\n1\n")?;
    assert!(out.contains("Not allowed: facility"), "{out}");
    let (_, after) = node.get("/api/v1/requests", None).await?;
    assert_eq!(before, after, "the refused need was not posted");
    let out = node.chat(None, "/need\n1\n2\n5\n2\n/skip\n")?;
    let (_, after) = node.get("/api/v1/requests", None).await?;
    let posted = after["requests"].as_array().map_or(0, Vec::len);
    assert_eq!(
        posted, 2,
        "the need for their own facility was posted: {out}"
    );
    node.stop()?;
    Ok(())
}
