//! The marketplace's per-node policy against a real `caremesh` process (issue 9, item 8):
//! quotas per maker and member, one waiting proposal per maker per request, and chat
//! requesters tied to a facility when approved.

use caremesh_e2e::Node;
use caremesh_e2e::scope::{snapshot, world};
use serde_json::{Value, json};

/// Asserts a 409 whose message starts with the name of `check`.
fn refused_by((status, body): (u16, Value), check: &str) {
    assert_eq!(status, 409, "{check}: {body}");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.starts_with(check), "{check}: {body}");
}

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
    let answer = node
        .post(&path, Some(w.token("maker.m")), &propose(5))
        .await?;
    refused_by(answer, "one_pending_proposal");
    let answer = node
        .post(&path, Some(w.token("maker.n")), &propose(51))
        .await?;
    refused_by(answer, "max_units_per_proposal");
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
    let mut node = Node::started(root.path(), "tie", &[]).await?;
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

/// `max_requests_per_day` and `max_open_proposals` count the member's own objects through
/// the store's owner index: the counts hold across kill -9, a decision frees a proposal
/// slot, and a proposal made just before a kill -9 still takes its slot after it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quotas_count_own_objects_across_kill9() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut node = Node::init(root.path(), "quota9", &[])?;
    node.append_config("\n[marketplace]\nmax_requests_per_day = 2\nmax_open_proposals = 1\n")?;
    node.start().await?;
    // req.b posted one need and maker.m offered on it (one waiting proposal).
    let w = world(&node).await?;
    let need = json!({"facility_id": w.b, "product": "face-shield", "quantity": 10});
    let (s, second) = node
        .post("/api/v1/requests", Some(w.token("req.b")), &need)
        .await?;
    assert_eq!(s, 201, "{second}");
    let second = second["id"].as_str().unwrap_or_default().to_owned();
    let offer = json!({"quantity": 5, "material": "PLA"});
    let offer_on = |id: &str| format!("/api/v1/requests/{id}/proposals");
    node.kill9();
    node.start().await?;

    let posted = node
        .post("/api/v1/requests", Some(w.token("req.b")), &need)
        .await?;
    refused_by(posted, "max_requests_per_day");
    // Another member of the same facility has a quota of her own.
    let (s, v) = node
        .post("/api/v1/requests", Some(w.token("staff.b")), &need)
        .await?;
    assert_eq!(s, 201, "{v}");
    let offered = node
        .post(&offer_on(&second), Some(w.token("maker.m")), &offer)
        .await?;
    refused_by(offered, "max_open_proposals");

    // Declined, maker.m's first proposal waits no more: the slot is free.
    let decline = json!({"verdict": "decline"});
    let decision = format!("/api/v1/proposals/{}/decision", w.proposal);
    let (s, v) = node
        .post(&decision, Some(w.token("req.b")), &decline)
        .await?;
    assert_eq!(s, 200, "{v}");
    let (s, v) = node
        .post(&offer_on(&second), Some(w.token("maker.m")), &offer)
        .await?;
    assert_eq!(s, 201, "{v}");
    node.kill9();
    node.start().await?;
    let offered = node
        .post(&offer_on(&w.need), Some(w.token("maker.m")), &offer)
        .await?;
    refused_by(offered, "max_open_proposals");
    let (s, v) = node
        .post(&offer_on(&w.need), Some(w.token("maker.n")), &offer)
        .await?;
    assert_eq!(s, 201, "maker.n's quota is his own: {v}");
    node.stop()?;
    Ok(())
}
