//! Guardians on real nodes: a clinic on F; on A a son adds his sister as a second guardian
//! of their mother's health ID (a dependant with no account), and a patient with an account
//! makes the son a guardian of her own ID. The son books for both; each reminder (the lead is
//! set so that it is due at once) reaches every guardian and the holder exactly once, through
//! A's chat. A guardian who steps down no longer sees the appointment; refusals name the
//! field and change nothing; the audit log records who added and removed.

use anyhow::Context;
use caremesh_e2e::Node;
use caremesh_e2e::appointments::{
    REMIND_AT_ONCE, WAIT, book, clinic, day_ahead, decided, digits, f_and_a, free_starts,
    nothing_leaks, post,
};
use caremesh_e2e::chat::{notices_until_quiet, say, tells};
use serde_json::{Value, json};

const AMMA: &str = "Amma Kamakshi";

/// A patient member of `node`: their token.
async fn member(node: &Node, handle: &str) -> anyhow::Result<String> {
    node.member(json!({"handle": handle, "role": "patient"}))
        .await
}

/// The guardians of `hid` as `token` sees them in `GET /api/v1/health-ids`.
async fn guardians_of(node: &Node, token: &str, hid: &str) -> anyhow::Result<Vec<String>> {
    let (status, v) = node.get("/api/v1/health-ids", Some(token)).await?;
    anyhow::ensure!(status == 200, "{v}");
    let ids = v["health_ids"].as_array().context("health_ids")?;
    let id = ids
        .iter()
        .find(|i| i["health_id"] == hid)
        .with_context(|| format!("{hid} not listed: {v}"))?;
    Ok(serde_json::from_value(id["guardians"].clone())?)
}

/// Whether `notice` is a reminder of an appointment for `name`.
fn reminds(notice: &Value, name: &str) -> bool {
    tells(notice, "Reminder") && tells(notice, &format!("for {name}."))
}

/// Checks the reminders `handle` received, once they stopped coming: `(for whom, count)`.
async fn reminded(a: &Node, handle: &str, want: &[(&str, usize)]) -> anyhow::Result<()> {
    let mut seen = Vec::new();
    let began = std::time::Instant::now();
    while !want
        .iter()
        .all(|(name, count)| *count == 0 || seen.iter().any(|n| reminds(n, name)))
    {
        anyhow::ensure!(began.elapsed() < WAIT, "{handle} was told only {seen:#?}");
        seen.extend(notices_until_quiet(a, handle).await?);
    }
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    seen.extend(notices_until_quiet(a, handle).await?);
    for (name, count) in want {
        let got = seen.iter().filter(|n| reminds(n, name)).count();
        anyhow::ensure!(
            got == *count,
            "{handle}: {got} reminders for {name}, want {count}: {seen:#?}"
        );
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_guardian_and_the_holder_hear_one_reminder() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let (mut f, mut a) = f_and_a(root.path(), REMIND_AT_ONCE).await?;
    let result = scenario(&f, &a).await;
    a.stop()?;
    f.stop()?;
    result
}

async fn scenario(f: &Node, a: &Node) -> anyhow::Result<()> {
    let (clinic, _) = clinic(f, "dr_rao").await?;
    let ravi = member(a, "ravi").await?;
    let mira = member(a, "mira").await?;
    let kamala = member(a, "kamala").await?;
    let v = post(
        a,
        "/api/v1/health-ids",
        &ravi,
        json!({"dependant": {"name": AMMA, "birth_year": 1950}}),
    )
    .await?;
    let amma = v["health_id"].as_str().context("health_id")?.to_owned();
    let v = post(a, "/api/v1/health-ids", &kamala, json!({})).await?;
    let own = v["health_id"].as_str().context("health_id")?.to_owned();

    // Refusals name the field or the reason, and change nothing.
    let path = format!("/api/v1/health-ids/{amma}/guardians");
    let (status, v) = a
        .post(&path, Some(&ravi), &json!({"member": "nobody"}))
        .await?;
    anyhow::ensure!(
        status == 400 && v["error"]["field"] == "member",
        "{status} {v}"
    );
    let (status, v) = a
        .post(&path, Some(&kamala), &json!({"member": "kamala"}))
        .await?;
    anyhow::ensure!(status == 404, "a stranger adds herself: {status} {v}");
    anyhow::ensure!(guardians_of(a, &ravi, &amma).await? == ["ravi"]);

    // The son adds his sister to their mother's ID; the holder adds the son to hers.
    let v = post(a, &path, &ravi, json!({"member": "mira"})).await?;
    anyhow::ensure!(v["guardians"] == json!(["ravi", "mira"]), "{v}");
    let (status, v) = a
        .post(&path, Some(&ravi), &json!({"member": "mira"}))
        .await?;
    anyhow::ensure!(status == 409, "added twice: {status} {v}");
    anyhow::ensure!(guardians_of(a, &mira, &amma).await? == ["ravi", "mira"]);
    let own_path = format!("/api/v1/health-ids/{own}/guardians");
    post(a, &own_path, &kamala, json!({"member": "ravi"})).await?;

    // Each of them talks to A's chat (notices go to the chats a member has).
    for handle in ["ravi", "mira", "kamala"] {
        say(a, handle, "/appointments").await?;
    }

    // The son books for both; the facility's node confirms.
    let day = day_ahead(1)?;
    let starts = free_starts(a, &clinic, day, 3).await?;
    for (hid, start) in [(&amma, &starts[0]), (&own, &starts[1])] {
        let id = book(a, &ravi, &clinic, start, Some(hid)).await?;
        let v = decided(a, &ravi, &id).await?;
        anyhow::ensure!(v["status"] == "confirmed", "{v}");
    }

    // One reminder per appointment to each person told: guardians and the holder.
    reminded(a, "ravi", &[(AMMA, 1), ("kamala", 1)]).await?;
    reminded(a, "mira", &[(AMMA, 1), ("kamala", 0)]).await?;
    reminded(a, "kamala", &[(AMMA, 0), ("kamala", 1)]).await?;

    // The sister sees the appointment; after stepping down she does not, and he still does.
    let (_, v) = a.get("/api/v1/appointments", Some(&mira)).await?;
    let listed = v["appointments"].as_array().context("appointments")?;
    anyhow::ensure!(listed.len() == 1 && listed[0]["name"] == AMMA, "{v}");
    let (status, v) = send_delete(a, &format!("{path}/mira"), &mira).await?;
    anyhow::ensure!(
        status == 200 && v["guardians"] == json!(["ravi"]),
        "{status} {v}"
    );
    let (_, v) = a.get("/api/v1/appointments", Some(&mira)).await?;
    anyhow::ensure!(v["appointments"] == json!([]), "{v}");
    let (_, v) = a.get("/api/v1/appointments", Some(&ravi)).await?;
    anyhow::ensure!(v["appointments"].as_array().map(Vec::len) == Some(2), "{v}");
    let (status, v) = send_delete(a, &format!("{path}/ravi"), &ravi).await?;
    anyhow::ensure!(status == 409, "the last guardian left: {status} {v}");
    let (status, v) = send_delete(a, &format!("{own_path}/kamala"), &ravi).await?;
    anyhow::ensure!(status == 409, "the holder removed: {status} {v}");

    // The audit log says who added and who removed.
    let (_, v) = a
        .get(&format!("/api/v1/health-ids/{amma}/audit"), Some(&ravi))
        .await?;
    let actions: Vec<(&str, &str)> = v["audit"]
        .as_array()
        .context("audit")?
        .iter()
        .filter_map(|e| Some((e["action"].as_str()?, e["who"].as_str()?)))
        .filter(|(action, _)| action.starts_with("guardian"))
        .collect();
    anyhow::ensure!(
        actions
            == [
                ("guardian_added", "ravi"),
                ("guardian_added", "ravi"),
                ("guardian_removed", "mira")
            ],
        "{v}"
    );
    let secrets = [AMMA.to_owned(), digits(&amma), amma, digits(&own), own];
    nothing_leaks(&[f, a], &secrets).await
}

/// `DELETE` with a bearer token: status and JSON.
async fn send_delete(node: &Node, path: &str, token: &str) -> anyhow::Result<(u16, Value)> {
    let resp = reqwest::Client::new()
        .delete(format!("{}{path}", node.url))
        .bearer_auth(token)
        .send()
        .await?;
    let status = resp.status().as_u16();
    Ok((status, resp.json().await.unwrap_or(Value::Null)))
}
