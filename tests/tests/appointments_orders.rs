//! A medicine order across real nodes: a patient on C orders from a pharmacy on F; F quotes,
//! C confirms, F makes it ready and collected, and C sees each step. No medicine, note or
//! health ID shows in any node's log, pulls or /metrics.

use caremesh_e2e::appointments::{
    WAIT, digits, facility, nothing_leaks, order_listed, patient, post, status_becomes, three_nodes,
};
use caremesh_e2e::eventually;
use serde_json::json;

const MEDICINE: &str = "Metformin-marker 500 mg";
const NOTE: &str = "note-marker knee pain";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_medicine_order_is_quoted_confirmed_and_collected_across_nodes() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let [mut f, mut a, mut c] = three_nodes(root.path(), &[]).await?;
    let (pharmacy, chemist) = facility(&f, "pharmacy", "Apollo Pharmacy", "chemist").await?;
    let (patient, health_id) = patient(&c, "meena").await?;

    let body = json!({"facility_id": pharmacy, "items": [{"name": MEDICINE, "quantity": 30}], "note": NOTE});
    let id = order_listed((&c, &patient), (&f, &chemist), &body).await?;
    let quote = json!({"items": [{"available": 30, "unit_price": 4.5}], "pickup_at": "2099-01-01T10:00:00Z"});
    post(&f, &format!("/api/v1/orders/{id}/quote"), &chemist, quote).await?;
    let path = format!("/api/v1/orders/{id}");
    let v = status_becomes(&c, &patient, &path, "quoted").await?;
    anyhow::ensure!(v["total"].as_f64() == Some(135.0), "{v}");
    post(&c, &format!("{path}/confirm"), &patient, json!({})).await?;
    status_becomes(&c, &patient, &path, "confirmed").await?;
    for step in ["ready", "collected"] {
        eventually(&format!("F marks the order {step}"), WAIT, || async {
            let (status, v) = f
                .post(&format!("{path}/{step}"), Some(&chemist), &json!({}))
                .await?;
            anyhow::ensure!(status == 200 || status == 409, "{step}: {status} {v}");
            Ok((status == 200).then_some(()))
        })
        .await?;
        status_becomes(&c, &patient, &path, step).await?;
    }

    let secrets = [
        MEDICINE.to_owned(),
        NOTE.to_owned(),
        digits(&health_id),
        health_id,
    ];
    nothing_leaks(&[&f, &a, &c], &secrets).await?;
    for node in [&mut f, &mut a, &mut c] {
        anyhow::ensure!(node.stop()?, "{} stopped cleanly", node.name);
    }
    Ok(())
}
