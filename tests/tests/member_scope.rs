//! Members act only on what is theirs (issue 9, item 10), against a real `caremesh` process:
//! every role (requester, maker, staff, patient, admin) tries every write endpoint of
//! DESIGN.md's HTTP table on another member's data; each answer's status is checked, and
//! afterwards the data is compared with what it was. The world is `caremesh_e2e::scope`;
//! bidi text is in member_text.rs, marketplace quotas in member_quotas.rs.

use caremesh_e2e::Node;
use caremesh_e2e::health::delete;
use caremesh_e2e::scope::{World, send, snapshot, world};
use serde_json::{Value, json};

/// One write: method, path, body.
fn write(w: &World, endpoint: &str, handle: &str) -> (&'static str, String, Value) {
    let p = &w.proposal;
    match endpoint {
        "members" => (
            "POST",
            "/api/v1/members".into(),
            json!({"handle": format!("by-{handle}"), "role": "admin"}),
        ),
        "facility_create" => (
            "POST",
            "/api/v1/facilities".into(),
            json!({"kind": "clinic", "name": format!("Clinic of {handle}"), "lat": 18.5, "lon": 73.8}),
        ),
        "facility_update" => (
            "PUT",
            format!("/api/v1/facilities/{}", w.b),
            json!({"kind": "hospital", "name": "Hijacked", "lat": 1.0, "lon": 1.0, "contact": "+1 555"}),
        ),
        "facility_retract" => ("DELETE", format!("/api/v1/facilities/{}", w.b), json!(null)),
        "request" => (
            "POST",
            "/api/v1/requests".into(),
            json!({"facility_id": w.b, "product": "face-shield", "quantity": 5}),
        ),
        "proposal" => (
            "POST",
            format!("/api/v1/requests/{}/proposals", w.need),
            json!({"quantity": 3, "material": "PLA"}),
        ),
        "decision" => (
            "POST",
            format!("/api/v1/proposals/{p}/decision"),
            json!({"verdict": "accept"}),
        ),
        "shipped" => ("POST", format!("/api/v1/proposals/{p}/shipped"), json!({})),
        "received" => ("POST", format!("/api/v1/proposals/{p}/received"), json!({})),
        _ => (
            "POST",
            "/api/v1/peers".into(),
            json!({"url": "http://127.0.0.1:9"}),
        ),
    }
}

/// Every role × every write endpoint on data that is not theirs: refused with 403, and
/// nothing changed. The admin's rows come after, since they are allowed and change things.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_acts_only_on_its_own() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut node = Node::started(root.path(), "scope", &[]).await?;
    let w = world(&node).await?;
    let before = snapshot(&node, &w).await?;
    // (endpoint, handles refused). req.a and staff.a belong to facility A, not B; maker.n
    // did not make the proposal; maker.m made it, but does not decide on it.
    let refused: &[(&str, &[&str])] = &[
        ("members", &["req.a", "maker.m", "staff.a", "pat.p"]),
        ("facility_create", &["req.a", "maker.m", "pat.p"]),
        ("facility_update", &["req.a", "maker.m", "staff.a", "pat.p"]),
        (
            "facility_retract",
            &["req.a", "maker.m", "staff.a", "pat.p"],
        ),
        ("request", &["req.a", "maker.m", "staff.a", "pat.p"]),
        ("proposal", &["req.a", "staff.a", "pat.p"]),
        (
            "decision",
            &["req.a", "maker.m", "maker.n", "staff.a", "pat.p"],
        ),
        ("shipped", &["req.a", "maker.n", "staff.a", "pat.p"]),
        (
            "received",
            &["req.a", "maker.m", "maker.n", "staff.a", "pat.p"],
        ),
        ("peers", &["req.a", "maker.m", "staff.a", "pat.p"]),
    ];
    for (endpoint, handles) in refused {
        for handle in *handles {
            let (status, body) = send(&node, w.token(handle), write(&w, endpoint, handle)).await?;
            assert_eq!(status, 403, "{handle} on {endpoint}: {body}");
            assert_eq!(body["error"]["code"], "forbidden", "{handle} on {endpoint}");
        }
    }
    let (_, body) = send(
        &node,
        w.token("staff.a"),
        write(&w, "facility_update", "staff.a"),
    )
    .await?;
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("staff_facility"),
        "the check is named: {message}"
    );
    assert_eq!(
        snapshot(&node, &w).await?,
        before,
        "refused writes changed nothing"
    );
    for handle in ["req.a", "maker.m", "staff.a", "pat.p"] {
        let (s, v) = node
            .post(
                "/api/v1/members",
                Some(&node.admin),
                &json!({"handle": format!("by-{handle}"), "role": "patient"}),
            )
            .await?;
        assert_eq!(s, 201, "no member was made by {handle}: {v}");
    }
    allowed_rows(&node, &w).await?;
    node.stop()?;
    Ok(())
}

/// The owners (and the admin) are allowed the same writes: the refusals above are about
/// whose data it is, not broken endpoints.
async fn allowed_rows(node: &Node, w: &World) -> anyhow::Result<()> {
    let allowed: &[(&str, &str, u16)] = &[
        ("facility_update", "staff.b", 200),
        ("facility_create", "staff.a", 201),
        ("proposal", "maker.n", 201),
        ("shipped", "maker.m", 409),
        ("decision", "req.b", 200),
        ("request", "admin", 201),
        ("members", "admin", 201),
        ("facility_update", "admin", 200),
    ];
    for (endpoint, handle, want) in allowed {
        let (status, body) = send(node, w.token(handle), write(w, endpoint, handle)).await?;
        assert_eq!(status, *want, "{handle} on {endpoint}: {body}");
    }
    // Staff keep a listing they created, and only that one besides their own facility.
    let (_, created) = node.get("/api/v1/facilities?limit=50", None).await?;
    let mine = created["facilities"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["name"] == "Clinic of staff.a")
        .and_then(|f| f["id"].as_str())
        .unwrap_or_default()
        .to_owned();
    let (s, v) = delete(
        node,
        &format!("/api/v1/facilities/{mine}"),
        w.token("staff.a"),
    )
    .await?;
    assert_eq!(s, 200, "staff retract what they listed: {v}");
    let (s, v) = delete(
        node,
        &format!("/api/v1/facilities/{}", w.a),
        w.token("staff.b"),
    )
    .await?;
    assert_eq!(s, 403, "{v}");
    Ok(())
}
