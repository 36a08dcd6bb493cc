//! Medicine orders in chat across two real nodes, through the terminal chat's endpoint
//! (`POST /api/v1/chat`): a pharmacy on F, a patient on A with a prescription on record.
//! The patient orders with `/order` (where → pharmacy → "paracetamol 500mg x 10, cetirizine
//! 2 strips" → the prescription → Send); F's staff hear of the new order and quote it in
//! chat line by line; the patient hears the quote and confirms with its button; the staff
//! mark it ready, then collected, and the patient hears each. A second order the staff
//! cancel with a reason the patient is told; a third the patient cancels with its button,
//! which the staff are told. Every step is checked in both nodes' API, the prescription's
//! bytes at the pharmacy, and no medicine, health ID or prescription text in either node's
//! log.

use std::time::Duration;

use anyhow::{Context, Result};
use caremesh_e2e::chat::{button, chat, notices_until, press, say, tells, text};
use caremesh_e2e::health::{patient_with_id, send, upload};
use caremesh_e2e::{Node, eventually, start_pair};
use reqwest::Method;
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(30);
const PRESCRIPTION: &[u8] = b"Rx: paracetamol 500mg tds x 3 days; cetirizine 10mg hs";

/// Idles in chat until a notice holding `needle` came; that notice (with its buttons).
async fn notice(node: &Node, handle: &str, needle: &str) -> Result<Value> {
    let seen = notices_until(node, handle, needle).await?;
    let told = seen.into_iter().find(|n| tells(n, needle));
    Ok(json!({"notices": [told.context("the notice")?]}))
}

/// Polls `GET /api/v1/orders/{id}` on `node` until its status is `want`, nothing pending.
async fn status_becomes(node: &Node, token: &str, id: &str, want: &str) -> Result<Value> {
    let path = format!("/api/v1/orders/{id}");
    eventually(&format!("{} sees {want}", node.name), WAIT, || async {
        let (status, v) = node.get(&path, Some(token)).await?;
        anyhow::ensure!(status == 200, "{path}: {status} {v}");
        Ok((v["status"] == want && v["pending"].is_null()).then_some(v))
    })
    .await
}

/// A facility of `kind` on `node` with a staff member: (facility id, staff token).
async fn facility(node: &Node, kind: &str, name: &str, staff: &str) -> Result<(String, String)> {
    let body = json!({"kind": kind, "name": name, "lat": 18.52, "lon": 73.85,
        "address": {"city": "Pune", "country": "IN"}});
    node.facility_with_staff(&body, staff).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_in_chat_is_quoted_confirmed_made_ready_and_collected_across_nodes() -> Result<()>
{
    let root = tempfile::tempdir()?;
    let (mut f, mut a) = start_pair(root.path(), "f", "a").await?;
    let result = scenario(&f, &a).await;
    let logs = [(f.name.clone(), f.log()), (a.name.clone(), a.log())];
    let stopped = [a.stop(), f.stop()];
    let hid = result?;
    for s in stopped {
        anyhow::ensure!(s?, "a node did not stop cleanly");
    }
    let digits: String = hid.chars().filter(char::is_ascii_digit).collect();
    let secrets = [
        "paracetamol",
        "crocin",
        "electral",
        "cetirizine",
        "Rx:",
        hid.as_str(),
        digits.as_str(),
    ];
    for (name, log) in &logs {
        for secret in secrets {
            anyhow::ensure!(!log.contains(secret), "`{secret}` in {name}'s log");
        }
    }
    Ok(())
}

/// Runs the order; returns the patient's health ID.
async fn scenario(f: &Node, a: &Node) -> Result<String> {
    let (pharmacy, chemist) = facility(f, "pharmacy", "Sai Medicals", "chemist").await?;
    let (_, doctor) = facility(a, "clinic", "City Clinic", "dr_rao").await?;
    let (ravi, hid) = patient_with_id(a, "ravi").await?;
    let query = "type=prescription&title=Fever%20prescription&date=2026-11-20";
    let (status, v) = upload(a, &doctor, &hid, query, "text/plain", PRESCRIPTION.to_vec()).await?;
    anyhow::ensure!(status == 201, "upload: {status} {v}");
    eventually("A knows F's pharmacy", WAIT, || async {
        let (_, v) = a.get("/api/v1/facilities?kind=pharmacy", None).await?;
        Ok((v["facilities"][0]["id"] == json!(pharmacy)).then_some(()))
    })
    .await?;

    // The staff's chat exists before the order comes (notices go to linked chats only).
    let v = say(f, "chemist", "/orders").await?;
    anyhow::ensure!(text(&v).contains("No open orders at your pharmacy"), "{v}");

    let id = order_on_a(a, &ravi).await?;
    quote_on_f(f).await?;
    let v = status_becomes(f, &chemist, &id, "quoted").await?;
    assert_eq!(v["total"].as_f64(), Some(25.0), "{v}");
    let path = format!("/api/v1/orders/{id}/prescription");
    let (status, bytes) = send(f, Method::GET, &path, Some(&chemist), None, Vec::new()).await?;
    assert_eq!((status, bytes.as_slice()), (200, PRESCRIPTION));

    // The patient hears the quote and confirms with its button.
    let quote = notice(a, "ravi", "Sai Medicals answered your order").await?;
    let said = text(&quote);
    assert!(
        said.contains("• paracetamol 500mg: 10 of 10 at 2.50 each"),
        "{said}"
    );
    assert!(said.contains("• cetirizine: not available"), "{said}");
    assert!(
        said.contains("Total 25.00 INR") && said.contains(" 10:00"),
        "{said}"
    );
    let v = press(a, "ravi", &button(&quote, "Confirm")?).await?;
    assert!(text(&v).contains("Sent to Sai Medicals"), "{v}");
    status_becomes(a, &ravi, &id, "confirmed").await?;
    status_becomes(f, &chemist, &id, "confirmed").await?;

    // The staff hear it and press Ready; the patient hears it.
    let told = notice(f, "chemist", "ravi confirmed the quote").await?;
    let v = press(f, "chemist", &button(&told, "Ready")?).await?;
    assert!(text(&v).contains("now: ready for pickup"), "{v}");
    let ready = notice(a, "ravi", "is ready at Sai Medicals").await?;
    assert!(text(&ready).contains("Total 25.00 INR"), "{ready}");
    status_becomes(a, &ravi, &id, "ready").await?;

    // Collected from the staff's list.
    let open = say(f, "chemist", "/orders").await?;
    let v = press(f, "chemist", &button(&open, "Collected")?).await?;
    assert!(text(&v).contains("now: collected"), "{v}");
    notice(a, "ravi", "was collected").await?;
    status_becomes(a, &ravi, &id, "collected").await?;
    status_becomes(f, &chemist, &id, "collected").await?;

    cancels(f, a, &chemist, &ravi).await?;
    Ok(hid)
}

/// A second order the pharmacy cancels in chat with a reason the patient is told, and a
/// third the patient cancels with its button, which the staff are told.
async fn cancels(f: &Node, a: &Node, chemist: &str, ravi: &str) -> Result<()> {
    let v = say(a, "ravi", "/order crocin x 2").await?;
    anyhow::ensure!(text(&v).contains("Near where"), "{v}");
    let v = at_sai_medicals_without_prescription(a).await?;
    anyhow::ensure!(text(&v).contains("Prescription: none"), "{v}");
    press(a, "ravi", &button(&v, "Send")?).await?;
    notice(f, "chemist", "• crocin × 2").await?;
    let open = say(f, "chemist", "/orders").await?;
    let v = press(f, "chemist", &button(&open, "Cancel")?).await?;
    anyhow::ensure!(text(&v).contains("Why do you cancel"), "{v}");
    let v = say(f, "chemist", "out of stock until Monday").await?;
    anyhow::ensure!(text(&v).contains("now: cancelled"), "{v}");
    notice(
        a,
        "ravi",
        "cancelled the order for ravi: out of stock until Monday",
    )
    .await?;
    let (_, mine) = a.get("/api/v1/orders", Some(ravi)).await?;
    let id = mine["orders"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|o| o["items"][0]["name"] == "crocin")
        .and_then(|o| o["id"].as_str())
        .context("the crocin order")?
        .to_owned();
    status_becomes(a, ravi, &id, "cancelled").await?;
    status_becomes(f, chemist, &id, "cancelled").await?;

    say(a, "ravi", "/order electral x 3").await?;
    let v = at_sai_medicals_without_prescription(a).await?;
    press(a, "ravi", &button(&v, "Send")?).await?;
    let mine = say(a, "ravi", "/orders").await?;
    let v = press(a, "ravi", &button(&mine, "Cancel order")?).await?;
    anyhow::ensure!(text(&v).contains("Sent to Sai Medicals"), "{v}");
    notice(f, "chemist", "ravi cancelled their order").await?;
    Ok(())
}

/// Ravi, asked where he is, sends a location near Sai Medicals; the answer.
async fn send_location(a: &Node) -> Result<Value> {
    let near = json!({"type": "location", "lat": 18.5, "lon": 73.8});
    chat(a, "ravi", near).await
}

/// Ravi, asked where he is, picks Sai Medicals near him and skips the prescription (the
/// medicines were named with `/order`); the answer, which offers to send.
async fn at_sai_medicals_without_prescription(a: &Node) -> Result<Value> {
    let v = send_location(a).await?;
    let v = press(a, "ravi", &button(&v, "Sai Medicals")?).await?;
    press(a, "ravi", &button(&v, "Skip")?).await
}

/// `/order` on A: where → the pharmacy → the list → the prescription → Send. The order's id.
async fn order_on_a(a: &Node, ravi: &str) -> Result<String> {
    let v = say(a, "ravi", "/order").await?;
    anyhow::ensure!(text(&v).contains("Near where"), "{v}");
    let v = send_location(a).await?;
    anyhow::ensure!(text(&v).contains("1. Sai Medicals – "), "{v}");
    let v = press(a, "ravi", &button(&v, "Sai Medicals")?).await?;
    anyhow::ensure!(text(&v).contains("Which medicines"), "{v}");
    let wrong = say(a, "ravi", "x 10").await?;
    anyhow::ensure!(text(&wrong).contains("has no medicine name"), "{wrong}");
    let v = say(a, "ravi", "paracetamol 500mg x 10, cetirizine 2 strips").await?;
    let v = press(a, "ravi", &button(&v, "Fever prescription")?).await?;
    let shown = text(&v);
    anyhow::ensure!(
        shown.contains("Send this order to Sai Medicals for you?"),
        "{shown}"
    );
    anyhow::ensure!(shown.contains("Prescription: attached"), "{shown}");
    let v = press(a, "ravi", &button(&v, "Send")?).await?;
    anyhow::ensure!(text(&v).contains("Sent to Sai Medicals"), "{v}");

    let (status, v) = a.get("/api/v1/orders", Some(ravi)).await?;
    anyhow::ensure!(status == 200, "{v}");
    let order = &v["orders"][0];
    assert_eq!(order["status"], "requested", "{v}");
    assert_eq!(order["prescription"], true, "{v}");
    assert_eq!(
        order["items"][1],
        json!({"name": "cetirizine", "quantity": 2}),
        "{v}"
    );
    Ok(order["id"].as_str().context("order id")?.to_owned())
}

/// F's staff hear of the order and quote it in chat: 10 at 2.50, no cetirizine, tomorrow
/// 10am.
async fn quote_on_f(f: &Node) -> Result<()> {
    let new = notice(f, "chemist", "New medicine order for ravi").await?;
    let said = text(&new);
    assert!(said.contains("prescription attached"), "{said}");
    assert!(said.contains("• paracetamol 500mg × 10"), "{said}");
    let v = press(f, "chemist", &button(&new, "Quote")?).await?;
    anyhow::ensure!(text(&v).contains("paracetamol 500mg × 10: how many"), "{v}");
    let wrong = say(f, "chemist", "12 2").await?;
    anyhow::ensure!(text(&wrong).contains("Only 10 were ordered"), "{wrong}");
    say(f, "chemist", "10 2.50").await?;
    let v = say(f, "chemist", "no").await?;
    anyhow::ensure!(text(&v).contains("When can it be collected?"), "{v}");
    let v = say(f, "chemist", "tomorrow 10am").await?;
    anyhow::ensure!(text(&v).contains("Total 25.00 INR"), "{v}");
    let v = press(f, "chemist", &button(&v, "Send")?).await?;
    anyhow::ensure!(text(&v).contains("Quote sent"), "{v}");
    Ok(())
}
