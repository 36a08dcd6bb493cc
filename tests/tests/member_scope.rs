//! Members act only on what is theirs (issue 9, item 10), against a real `caremesh` process:
//! every role (requester, maker, staff, patient, admin) tries every write endpoint of
//! DESIGN.md's HTTP table on another member's data; each answer's status is checked, and
//! afterwards the data is compared with what it was. Text with Unicode bidi controls is
//! refused naming the field, through the API and in the chat.

use caremesh_e2e::Node;
use caremesh_e2e::health::delete;
use serde_json::{Value, json};

/// The members of the test: two facilities, each with a requester and staff; two makers;
/// a patient.
struct World {
    a: String,
    b: String,
    need: String,
    proposal: String,
    tokens: Vec<(&'static str, String)>,
}

impl World {
    fn token(&self, handle: &str) -> &str {
        self.tokens
            .iter()
            .find(|(h, _)| *h == handle)
            .map(|(_, t)| t.as_str())
            .unwrap_or("no-such-token")
    }
}

async fn facility(node: &Node, name: &str) -> anyhow::Result<String> {
    let (s, v) = node
        .post(
            "/api/v1/facilities",
            Some(&node.admin),
            &json!({"kind": "hospital", "name": name, "lat": 18.52, "lon": 73.85, "contact": "+91 20 1"}),
        )
        .await?;
    anyhow::ensure!(s == 201, "facility: {s} {v}");
    Ok(v["id"].as_str().unwrap_or_default().to_owned())
}

async fn world(node: &Node) -> anyhow::Result<World> {
    let a = facility(node, "Ruby Hall").await?;
    let b = facility(node, "Sassoon General").await?;
    let mut tokens = vec![("admin", node.admin.clone())];
    for (handle, role, at) in [
        ("req.a", "requester", Some(&a)),
        ("req.b", "requester", Some(&b)),
        ("staff.a", "staff", Some(&a)),
        ("staff.b", "staff", Some(&b)),
        ("maker.m", "maker", None),
        ("maker.n", "maker", None),
        ("pat.p", "patient", None),
    ] {
        let token = node
            .member(json!({"handle": handle, "role": role, "facility_id": at, "contact": "+91 9"}))
            .await?;
        tokens.push((handle, token));
    }
    let mut w = World {
        a,
        b,
        need: String::new(),
        proposal: String::new(),
        tokens,
    };
    let (s, need) = node
        .post(
            "/api/v1/requests",
            Some(w.token("req.b")),
            &json!({"facility_id": w.b, "product": "face-shield", "quantity": 100}),
        )
        .await?;
    anyhow::ensure!(s == 201, "need: {s} {need}");
    w.need = need["id"].as_str().unwrap_or_default().to_owned();
    let (s, p) = node
        .post(
            &format!("/api/v1/requests/{}/proposals", w.need),
            Some(w.token("maker.m")),
            &json!({"quantity": 10, "material": "PETG", "eta": "2099-12-20"}),
        )
        .await?;
    anyhow::ensure!(s == 201, "proposal: {s} {p}");
    w.proposal = p["id"].as_str().unwrap_or_default().to_owned();
    Ok(w)
}

/// What can change: facility B, the requests, the proposal's decision, members, peers.
async fn snapshot(node: &Node, w: &World) -> anyhow::Result<Value> {
    let (_, b) = node
        .get(&format!("/api/v1/facilities/{}", w.b), None)
        .await?;
    let (_, requests) = node.get("/api/v1/requests", None).await?;
    let (_, proposals) = node
        .get(
            &format!("/api/v1/requests/{}/proposals", w.need),
            Some(w.token("req.b")),
        )
        .await?;
    let (_, peers) = node.get("/api/v1/peers", Some(&node.admin)).await?;
    Ok(json!({"b": b, "requests": requests, "proposals": proposals, "peers": peers}))
}

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

async fn send(
    node: &Node,
    token: &str,
    (method, path, body): (&str, String, Value),
) -> anyhow::Result<(u16, Value)> {
    match method {
        "PUT" => node.put(&path, Some(token), &body).await,
        "DELETE" => delete(node, &path, token).await,
        _ => node.post(&path, Some(token), &body).await,
    }
}

/// Every role × every write endpoint on data that is not theirs: refused with 403, and
/// nothing changed. The admin's rows come after, since they are allowed and change things.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_acts_only_on_its_own() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut node = Node::init(root.path(), "scope", &[])?;
    node.start().await?;
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

/// U+202E (right-to-left override) would make `+91 1234` read otherwise in someone else's
/// chat: refused with 400 naming the field, through the API and the chat; nothing stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bidi_controls_are_refused_naming_the_field() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut node = Node::init(root.path(), "bidi", &[])?;
    node.start().await?;
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
