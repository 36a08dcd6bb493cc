//! Order notices survive a kill -9 and wait for a first chat. A pharmacy on F whose chemist
//! never wrote to the bot; a patient on A registered through the API who orders through
//! the API. F is killed with SIGKILL as soon as its API lists the order, A as soon as its
//! API shows the quote: whatever the crash interrupted, after the restart each hears of it
//! exactly once, on their first chat message (the chemist of the new order, the patient of
//! the quote). No medicine or health ID is in either node's log.

use caremesh_e2e::Node;
use caremesh_e2e::appointments::{
    digits, f_and_a, facility, nothing_leaks, order_listed, patient, post, status_becomes,
};
use caremesh_e2e::chat::{notices_until, notices_until_quiet};
use serde_json::json;

const MEDICINE: &str = "Metformin-marker 500 mg";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn order_notices_survive_a_kill_and_wait_for_a_chat() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let (mut f, mut a) = f_and_a(root.path(), "").await?;
    let result = scenario(&mut f, &mut a).await;
    a.stop()?;
    f.stop()?;
    result
}

async fn scenario(f: &mut Node, a: &mut Node) -> anyhow::Result<()> {
    let (pharmacy, chemist) = facility(f, "pharmacy", "Sai Medicals", "chemist").await?;
    let (meena, health_id) = patient(a, "meena").await?;
    let body = json!({"facility_id": pharmacy, "items": [{"name": MEDICINE, "quantity": 30}]});
    // F is killed the moment its API lists the order.
    let id = order_listed((a, &meena), (f, &chemist), &body).await?;
    f.kill9();
    f.start().await?;
    told_once(f, "chemist", "New medicine order for meena").await?;

    // A is killed the moment its API shows the quote.
    let quote = json!({"items": [{"available": 30, "unit_price": 4.5}], "pickup_at": "2099-01-01T10:00:00Z"});
    post(f, &format!("/api/v1/orders/{id}/quote"), &chemist, quote).await?;
    let path = format!("/api/v1/orders/{id}");
    status_becomes(a, &meena, &path, "quoted").await?;
    a.kill9();
    a.start().await?;
    let v = status_becomes(a, &meena, &path, "quoted").await?;
    anyhow::ensure!(v["total"].as_f64() == Some(135.0), "{v}");
    told_once(a, "meena", "Sai Medicals answered your order").await?;

    let secrets = [MEDICINE.to_owned(), digits(&health_id), health_id];
    nothing_leaks(&[f, a], &secrets).await
}

/// `handle`'s first chat messages on `node` bring `needle` exactly once.
async fn told_once(node: &Node, handle: &str, needle: &str) -> anyhow::Result<()> {
    let mut seen = notices_until(node, handle, needle).await?;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    seen.extend(notices_until_quiet(node, handle).await?);
    let texts: Vec<&str> = seen.iter().filter_map(|n| n["text"].as_str()).collect();
    let count = texts.iter().filter(|t| t.contains(needle)).count();
    anyhow::ensure!(count == 1, "{handle} told {count} times: {texts:#?}");
    Ok(())
}
