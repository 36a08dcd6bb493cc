//! Three real nodes in a line, A–B–C (A and C are not peers): a need posted on A reaches a
//! maker on C, the maker's proposal reaches A sealed past B, A's decision reaches C, the
//! remainder cap holds, a SIGKILLed relay catches up, and every node keeps its data.

use std::time::Duration;

use anyhow::Context;
use caremesh_e2e::market::{accept, post_need, proposal_step, proposals_seen, propose};
use caremesh_e2e::{Node, eventually};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(30);

struct Line {
    a: Node,
    b: Node,
    c: Node,
}

async fn start_line(root: &std::path::Path) -> anyhow::Result<Line> {
    let mut a = Node::init(root, "a", &[])?;
    let mut b = Node::init(root, "b", &[])?;
    let mut c = Node::init(root, "c", &[])?;
    a.set_peers(&[&b.url])?;
    b.set_peers(&[&a.url, &c.url])?;
    c.set_peers(&[&b.url])?;
    a.start().await?;
    b.start().await?;
    c.start().await?;
    Ok(Line { a, b, c })
}

async fn request_on(node: &Node, id: &str) -> anyhow::Result<Option<Value>> {
    let (status, v) = node.get(&format!("/api/v1/requests/{id}"), None).await?;
    Ok((status == 200).then_some(v))
}

async fn proposals_on_a(
    a: &Node,
    requester: &str,
    request: &str,
    count: usize,
) -> anyhow::Result<Vec<Value>> {
    proposals_seen(a, requester, request, count, WAIT).await
}

fn files_contain(dir: &std::path::Path, needle: &[u8]) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let path = e.path();
        if path.is_dir() {
            files_contain(&path, needle)
        } else {
            std::fs::read(&path)
                .map(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
                .unwrap_or(false)
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn need_offer_accept_across_a_line_of_three_nodes() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let mut line = start_line(root.path()).await?;
    let (a, c) = (&line.a, &line.c);

    // A: a hospital and its requester post a need.
    let (status, facility) = a
        .post(
            "/api/v1/facilities",
            Some(&a.admin),
            &json!({"kind": "hospital", "name": "Sassoon General", "lat": 18.5204, "lon": 73.8567, "specialties": ["emergency_medicine"]}),
        )
        .await?;
    assert_eq!(status, 201, "{facility}");
    let facility_id = facility["id"].as_str().context("facility id")?.to_owned();
    let requester = a
        .member(json!({"handle": "nurse.asha", "role": "requester", "facility_id": facility_id}))
        .await?;
    let need = post_need(a, &requester, &facility_id, 200).await?;

    // C (two hops away) lists it.
    let seen = eventually("request reaches C", WAIT, || request_on(c, &need)).await?;
    assert_eq!(seen["quantity"], 200);
    assert_eq!(seen["origin"], a.url.as_str());
    let (_, listed) = c
        .get(
            "/api/v1/requests?lat=18.5&lon=73.8&radius_km=30&status=open",
            None,
        )
        .await?;
    assert!(
        listed["requests"]
            .as_array()
            .is_some_and(|l| l.iter().any(|r| r["id"] == need.as_str())),
        "{listed}"
    );

    // A maker on C proposes; A's requester sees material and contact.
    let contact = "+91 98220 11223 (Kothrud Makers)";
    let maker = c
        .member(json!({"handle": "maker.ravi", "role": "maker", "contact": contact, "address": "Kothrud, Pune", "lat": 18.5074, "lon": 73.8077}))
        .await?;
    let p1 = propose(c, &maker, &need, 150, "PETG").await?;
    let list = proposals_on_a(a, &requester, &need, 1).await?;
    assert_eq!(list[0]["id"], p1.as_str());
    assert_eq!(list[0]["material"], "PETG");
    assert_eq!(list[0]["contact"], contact);
    assert_eq!(list[0]["status"], "pending");
    assert!(
        list[0]["distance_km"]
            .as_f64()
            .is_some_and(|d| d > 4.0 && d < 7.0),
        "{}",
        list[0]
    );

    // The relay B never holds the maker's contact in readable form.
    assert!(
        !files_contain(&line.b.dir.join("data"), contact.as_bytes()),
        "B's store holds the contact in clear"
    );

    // A accepts; C's maker sees it accepted.
    let decided = accept(a, &requester, &p1).await?;
    assert_eq!(decided["request"]["accepted"], 150);
    let mine = eventually("decision reaches C", WAIT, || async {
        let (_, v) = c.get("/api/v1/me/proposals", Some(&maker)).await?;
        let first = v["proposals"].get(0).cloned();
        Ok(first.filter(|p| p["status"] == "accepted"))
    })
    .await?;
    assert_eq!(mine["accepted_quantity"], 150);
    assert!(
        mine.get("contact").is_none(),
        "the maker's own node must not show contact fields: {mine}"
    );

    // A second and third maker offer 100 each; together they race for the 50 that remain.
    let maker2 = c
        .member(json!({"handle": "maker.meera", "role": "maker", "contact": "meera@example.org"}))
        .await?;
    let maker3 = c
        .member(json!({"handle": "maker.joseph", "role": "maker"}))
        .await?;
    let p2 = propose(c, &maker2, &need, 100, "PLA").await?;
    let p3 = propose(c, &maker3, &need, 100, "ABS").await?;
    proposals_on_a(a, &requester, &need, 3).await?;
    let verdict = json!({"verdict": "accept"});
    let (path2, path3) = (
        format!("/api/v1/proposals/{p2}/decision"),
        format!("/api/v1/proposals/{p3}/decision"),
    );
    let (r2, r3) = tokio::join!(
        a.post(&path2, Some(&requester), &verdict),
        a.post(&path3, Some(&requester), &verdict)
    );
    let (r2, r3) = (r2?, r3?);
    let statuses = [r2.0, r3.0];
    assert!(
        statuses.contains(&200) && statuses.contains(&409),
        "one capped acceptance, one refusal: {r2:?} {r3:?}"
    );
    let winner = if r2.0 == 200 { &r2.1 } else { &r3.1 };
    assert_eq!(winner["capped"], true);
    assert_eq!(winner["proposal"]["accepted_quantity"], 50);
    let (_, request) = a.get(&format!("/api/v1/requests/{need}"), None).await?;
    assert_eq!(request["accepted"], 200);
    assert_eq!(request["status"], "satisfied");
    assert_eq!(request["remaining"], 0);

    // Shipping on C and receipt on A.
    proposal_step(c, &maker, &p1, "shipped", &json!({})).await?;
    eventually("shipping reaches A", WAIT, || async {
        let list = proposals_on_a(a, &requester, &need, 3).await?;
        Ok(list
            .iter()
            .find(|p| p["id"] == p1.as_str() && p["status"] == "shipped")
            .cloned())
    })
    .await?;
    let got = proposal_step(a, &requester, &p1, "received", &json!({})).await?;
    assert_eq!(got["request"]["received"], 150);

    // B dies hard while A posts again; after its restart C gets the new need.
    line.b.kill9();
    let need2 = post_need(&line.a, &requester, &facility_id, 40).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        request_on(&line.c, &need2).await?.is_none(),
        "C cannot have it while B is down"
    );
    line.b.start().await?;
    eventually("second request reaches C after B restarts", WAIT, || {
        request_on(&line.c, &need2)
    })
    .await?;

    // Every node, killed and restarted, keeps its data.
    for node in [&mut line.a, &mut line.b, &mut line.c] {
        node.kill9();
        node.start().await?;
    }
    let (_, r) = line
        .a
        .get(&format!("/api/v1/requests/{need}"), None)
        .await?;
    assert_eq!(
        (r["accepted"].clone(), r["received"].clone()),
        (json!(200), json!(150))
    );
    assert_eq!(
        proposals_on_a(&line.a, &requester, &need, 3).await?.len(),
        3
    );
    for node in [&line.b, &line.c] {
        assert!(
            request_on(node, &need).await?.is_some(),
            "{} lost the request",
            node.name
        );
        assert!(
            request_on(node, &need2).await?.is_some(),
            "{} lost the second request",
            node.name
        );
    }
    let receipt = eventually("receipt reaches C", WAIT, || async {
        let (_, v) = line.c.get("/api/v1/me/proposals", Some(&maker)).await?;
        let first = v["proposals"].get(0).cloned();
        Ok(first.filter(|p| p["status"] == "received"))
    })
    .await?;
    assert_eq!(receipt["accepted_quantity"], 150);
    Ok(())
}
