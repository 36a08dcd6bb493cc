//! Text with Unicode bidi controls is refused naming the field, through the API and in the
//! chat, and nothing is stored (issue 9, item 10), against a real `caremesh` process.

use caremesh_e2e::Node;
use caremesh_e2e::scope::{send, snapshot, world};
use serde_json::json;

/// U+202E (right-to-left override) would make `+91 1234` read otherwise in someone else's
/// chat: refused with 400 naming the field, through the API and the chat; nothing stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bidi_controls_are_refused_naming_the_field() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut node = Node::started(root.path(), "bidi", &[]).await?;
    let w = world(&node).await?;
    let before = snapshot(&node, &w).await?;
    let rlo = "\u{202E}";
    let tries = [
        (
            "PUT",
            format!("/api/v1/facilities/{}", w.b),
            json!({"kind": "hospital", "name": format!("Sassoon {rlo}General"), "lat": 18.52, "lon": 73.85}),
            "name",
        ),
        (
            "PUT",
            format!("/api/v1/facilities/{}", w.b),
            json!({"kind": "hospital", "name": "Sassoon", "lat": 18.52, "lon": 73.85, "contact": format!("+91 {rlo}4321")}),
            "contact",
        ),
        (
            "POST",
            "/api/v1/requests".into(),
            json!({"facility_id": w.b, "product": "face-shield", "quantity": 5, "note": format!("call {rlo}0987")}),
            "note",
        ),
    ];
    for (method, path, body, field) in tries {
        let (status, answer) = send(&node, w.token("staff.b"), (method, path, body)).await?;
        assert_eq!(status, 400, "{field}: {answer}");
        assert_eq!(answer["error"]["field"], field, "{answer}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("U+202E"),
            "{answer}"
        );
    }
    let (status, answer) = node
        .post(
            "/api/v1/members",
            Some(&node.admin),
            &json!({"handle": "maker.x", "role": "maker", "contact": format!("+91 {rlo}1")}),
        )
        .await?;
    assert_eq!(
        (status, &answer["error"]["field"]),
        (400, &json!("contact")),
        "{answer}"
    );
    // The chat goes through the same checks: a rename with U+202E, and staff of A renaming B.
    let out = node.chat(
        Some("staff.b"),
        &format!("/facility {} name Evil{rlo}Name\n", w.b),
    )?;
    assert!(
        out.contains("`name`") && out.contains("U+202E"),
        "the chat names the field: {out}"
    );
    let out = node.chat(
        Some("staff.a"),
        &format!("/facility {} name Hijacked\n", w.b),
    )?;
    assert!(
        out.contains("Not allowed: staff_facility"),
        "staff of A cannot rename B in the chat: {out}"
    );
    assert_eq!(snapshot(&node, &w).await?, before, "nothing was stored");
    node.stop()?;
    Ok(())
}
