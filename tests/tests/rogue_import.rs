//! Issue 9, item 6: a rogue peer cannot squat the ids of another node's imported listings.
//! Before the honest node imports a hospital list, the rogue publishes under the id such an
//! import used to take (a public hash of the row's reference); the honest import is then
//! stored whole under ids bound to the honest node, and a second import changes nothing.

use std::time::Duration;

use caremesh_e2e::rogue::Rogue;
use caremesh_e2e::{Node, eventually};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The id an import took before ids were bound to the node: a fixed timestamp and 80 bits
/// of SHA-256 of the reference, which anyone can compute.
fn public_import_id(source_ref: &str) -> String {
    let digest = Sha256::digest(source_ref.as_bytes());
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    let bits = u128::from_be_bytes(first) & ((1u128 << 80) - 1);
    ulid::Ulid::from_parts(0x0100_0000_0000, bits).to_string()
}

async fn listings(node: &Node) -> anyhow::Result<Vec<Value>> {
    let (_, v) = node.get("/api/v1/facilities?limit=500", None).await?;
    Ok(v["facilities"].as_array().cloned().unwrap_or_default())
}

fn import(node: &Node, csv: &std::path::Path) -> anyhow::Result<String> {
    let out = node.command(&["import", "facilities", &csv.to_string_lossy()])?;
    anyhow::ensure!(
        out.status.success(),
        "import: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rogue_cannot_squat_the_ids_of_an_import() -> anyhow::Result<()> {
    let root = tempfile::tempdir()?;
    let rogue = Rogue::start().await?;
    let mut node = Node::started(root.path(), "honest", &[&rogue.url]).await?;
    let csv = root.path().join("hospitals.csv");
    std::fs::write(
        &csv,
        "id,kind,name,lat,lon,phone\n1,hospital,Honest General,18.52,73.85,+91 20 1\n\
         2,clinic,Honest Clinic,18.53,73.86,+91 20 2\n",
    )?;
    // The rogue takes the ids the rows would have had, before the import.
    let mut squats = Vec::new();
    for row in ["1", "2"] {
        let mut squat = Rogue::facility(&rogue.url, "Rogue Squat", "+1 666");
        squat.meta.id = public_import_id(&format!("hospitals:{row}"));
        squats.push(squat.meta.id.clone());
        let (s, v) = rogue.push(&node.url, vec![rogue.sign(squat)]).await?;
        anyhow::ensure!(s == 200, "push: {s} {v}");
    }
    eventually("the squats are stored", Duration::from_secs(10), || async {
        Ok((listings(&node).await?.len() == 2).then_some(()))
    })
    .await?;

    node.stop()?;
    let first = import(&node, &csv)?;
    node.start().await?;
    let after = listings(&node).await?;
    let honest: Vec<&Value> = after
        .iter()
        .filter(|f| f["name"].as_str().is_some_and(|n| n.starts_with("Honest")))
        .collect();
    assert_eq!(honest.len(), 2, "every row was imported: {first} {after:?}");
    for f in &honest {
        let id = f["id"].as_str().unwrap_or_default();
        assert!(!squats.iter().any(|s| s == id), "{f}");
        assert_eq!(f["origin"].as_str(), Some(node.url.as_str()), "{f}");
    }
    let general = honest
        .iter()
        .find(|f| f["name"] == "Honest General")
        .map(|f| f["contact"].clone());
    assert_eq!(
        general,
        Some(Value::from("+91 20 1")),
        "the honest phone number"
    );

    // Importing again finds the same listings and changes nothing.
    node.stop()?;
    let second = import(&node, &csv)?;
    node.start().await?;
    assert_eq!(
        listings(&node).await?,
        after,
        "re-import is idempotent: {second}"
    );
    node.stop()?;
    Ok(())
}
