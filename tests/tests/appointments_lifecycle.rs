//! After booking, across three real nodes (a clinic on F, patients on A and C): a cancel on
//! one node frees the slot as the other node sees it, and a patient there books it; when
//! the day is full a refused patient waits, a cancel offers them the place and they take
//! it; a guardian books for a dependant. F's agenda agrees with what the patients see, and
//! no name or health ID shows in any node's log, pulls or /metrics.

use std::collections::BTreeSet;

use anyhow::Context;
use caremesh_e2e::appointments::{
    WAIT, agenda, book, clinic, day_ahead, decided, digits, free_starts, nothing_leaks, patient,
    post, slots, status_becomes, three_nodes,
};
use caremesh_e2e::eventually;
use serde_json::json;

const DEPENDANT: &str = "Kamala Devi Iyer";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_frees_across_nodes_waitlist_offer_and_a_dependant() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let [mut f, mut a, mut c] = three_nodes(root.path(), &[]).await?;
    let (clinic, staff) = clinic(&f, "dr_rao").await?;
    let (a1, a1_hid) = patient(&a, "asha").await?;
    let (a2, a2_hid) = patient(&a, "arun").await?;
    let (waiter, waiter_hid) = patient(&a, "wasim").await?;
    let (c1, c1_hid) = patient(&c, "chitra").await?;
    let (c2, c2_hid) = patient(&c, "charu").await?;
    let day = day_ahead(3)?;
    free_starts(&c, &clinic, day, 3).await?;
    let starts = free_starts(&a, &clinic, day, 3).await?;

    // The day fills: one booking per slot, from both nodes.
    let mut ids = Vec::new();
    for (node, token, start) in [(&a, &a1, 0), (&c, &c1, 1), (&a, &a2, 2)] {
        let id = book(node, token, &clinic, &starts[start], None).await?;
        let v = decided(node, token, &id).await?;
        anyhow::ensure!(v["status"] == "confirmed", "{v}");
        ids.push(id);
    }

    // A cancel on A frees the slot as C sees it; a patient on C books it.
    post(
        &a,
        &format!("/api/v1/appointments/{}/cancel", ids[0]),
        &a1,
        json!({}),
    )
    .await?;
    eventually("C sees the slot free", WAIT, || async {
        let s = slots(&c, &clinic, day).await?;
        Ok(s.iter()
            .any(|s| s["start"] == json!(starts[0]) && s["free"] == 1)
            .then_some(()))
    })
    .await?;
    let id = book(&c, &c2, &clinic, &starts[0], None).await?;
    let v = decided(&c, &c2, &id).await?;
    anyhow::ensure!(v["status"] == "confirmed", "{v}");
    status_becomes(
        &a,
        &a1,
        &format!("/api/v1/appointments/{}", ids[0]),
        "cancelled",
    )
    .await?;

    // The day is full again: a refused patient waits; a cancel on C offers the place, taken.
    let refused = book(&a, &waiter, &clinic, &starts[0], None).await?;
    let v = decided(&a, &waiter, &refused).await?;
    anyhow::ensure!(v["status"] == "refused" && v["check"] == "full", "{v}");
    let wpath = format!("/api/v1/appointments/{refused}");
    post(&a, &format!("{wpath}/wait"), &waiter, json!({})).await?;
    let v = status_becomes(&a, &waiter, &wpath, "waiting").await?;
    anyhow::ensure!(v["position"] == 1, "{v}");
    post(
        &c,
        &format!("/api/v1/appointments/{}/cancel", ids[1]),
        &c1,
        json!({}),
    )
    .await?;
    let v = status_becomes(&a, &waiter, &wpath, "offered").await?;
    anyhow::ensure!(v["start"] == json!(starts[1]), "{v}");
    post(&a, &format!("{wpath}/take"), &waiter, json!({})).await?;
    status_becomes(&a, &waiter, &wpath, "confirmed").await?;
    let confirmed = agenda(&f, &staff, &clinic, day, "confirmed").await?;
    let want = BTreeSet::from([
        (digits(&c2_hid), starts[0].clone()),
        (digits(&waiter_hid), starts[1].clone()),
        (digits(&a2_hid), starts[2].clone()),
    ]);
    anyhow::ensure!(confirmed == want, "F's agenda {confirmed:?}, want {want:?}");

    // A guardian on A books for a dependant who has no account.
    let v = post(
        &a,
        "/api/v1/health-ids",
        &a1,
        json!({"dependant": {"name": DEPENDANT, "birth_year": 1948}}),
    )
    .await?;
    let dependant = v["health_id"].as_str().context("dependant")?.to_owned();
    let next_day = day_ahead(4)?;
    let start = format!("{next_day}T10:00:00+05:30");
    let id = book(&a, &a1, &clinic, &start, Some(&dependant)).await?;
    let v = decided(&a, &a1, &id).await?;
    anyhow::ensure!(
        (v["status"].as_str(), v["name"].as_str()) == (Some("confirmed"), Some(DEPENDANT)),
        "{v}"
    );
    let lines = agenda(&f, &staff, &clinic, next_day, "confirmed").await?;
    anyhow::ensure!(
        lines == BTreeSet::from([(digits(&dependant), start)]),
        "{lines:?}"
    );

    let mut secrets = vec![DEPENDANT.to_owned()];
    for hid in [&a1_hid, &a2_hid, &waiter_hid, &c1_hid, &c2_hid, &dependant] {
        secrets.extend([hid.clone(), digits(hid)]);
    }
    nothing_leaks(&[&f, &a, &c], &secrets).await?;
    for node in [&mut f, &mut a, &mut c] {
        anyhow::ensure!(node.stop()?, "{} stopped cleanly", node.name);
    }
    Ok(())
}
