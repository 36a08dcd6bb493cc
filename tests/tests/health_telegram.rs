//! The health flow on Telegram against a real node: one `caremesh` process whose bot talks
//! to the fake Bot API. A patient gets a health ID with `/healthid`; staff of a lab listed
//! on the node send a PDF as a Telegram document with the ID as caption; the patient is
//! told, lists `/records` and downloads it, and the document the bot sends back holds the
//! very bytes staff sent. The node's API shows the record with their sha256. A second
//! upload whose caption has a mistyped check digit is refused with a message naming the
//! check digit, and nothing is stored.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use caremesh_e2e::Node;
use caremesh_e2e::chat::{say, text};
use caremesh_e2e::telegram::{Chat, FakeTelegram, SentDocument, button_data};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The patient's private chat id (also their Telegram user id).
const TG_PATIENT: i64 = 6161;
/// The lab staff member's.
const TG_STAFF: i64 = 7171;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_goes_up_and_comes_back_as_a_telegram_document() -> Result<()> {
    let (fake, telegram_url) = FakeTelegram::start().await?;
    let root = tempfile::tempdir()?;
    let mut node = Node::init(root.path(), "home", &[])?;
    std::fs::write(node.dir.join("telegram.token"), "123:ABC\n")?;
    node.append_config(&format!(
        "\n[telegram]\ntoken_file = \"telegram.token\"\napi_url = \"{telegram_url}\"\n"
    ))?;
    node.start().await?;
    let result = scenario(&node, &fake).await;
    let log = node.log();
    node.stop()?;
    result?;
    // Neither the record's title nor its content reach the log.
    anyhow::ensure!(!log.contains("Blood count"), "a record title in the log");
    anyhow::ensure!(!log.contains("Hb 13.1"), "record content in the log");
    Ok(())
}

/// Makes `handle`'s Telegram account `tg` that member, with a one-time code from the
/// terminal chat.
async fn link(node: &Node, handle: &str, tg: &Chat) -> Result<()> {
    let code_text = text(&say(node, handle, "/link").await?);
    let code = code_text
        .split("code: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .with_context(|| format!("no code in {code_text}"))?;
    let mark = tg.text(&format!("/link {code}"));
    tg.sent(mark, "Linked").await?;
    Ok(())
}

/// A lab listed on `node` and its staff member `asha`; returns her token.
async fn lab_with_staff(node: &Node) -> Result<String> {
    let lab = json!({"kind": "lab", "name": "City Lab", "lat": 18.51, "lon": 73.85});
    Ok(node.facility_with_staff(&lab, "asha").await?.1)
}

/// The `XX-XXXX-XXXX-XXXX` after "Health ID: " in a card's caption.
fn health_id(caption: &str) -> Result<String> {
    let number: String = caption
        .split("Health ID: ")
        .nth(1)
        .with_context(|| format!("no health ID in {caption}"))?
        .chars()
        .take(17)
        .collect();
    anyhow::ensure!(
        number.chars().filter(char::is_ascii_digit).count() == 14,
        "{number}"
    );
    Ok(number)
}

/// The same number with its last (check) digit changed: a typo at the counter.
fn mistyped(hid: &str) -> Result<String> {
    let last = hid
        .chars()
        .last()
        .and_then(|c| c.to_digit(10))
        .context("a last digit")?;
    let other = char::from_digit((last + 1) % 10, 10).context("a digit")?;
    Ok(format!("{}{other}", &hid[..hid.len() - 1]))
}

/// The records of `hid` as its holder reads them through the API.
async fn records(node: &Node, token: &str, hid: &str) -> Result<Vec<Value>> {
    let (status, v) = node
        .get(&format!("/api/v1/health-ids/{hid}/records"), Some(token))
        .await?;
    anyhow::ensure!(status == 200, "records answered {status}: {v}");
    v["records"].as_array().cloned().context("records array")
}

/// Waits until the bot sent `chat` a document named like `name`.
async fn document_for(fake: &FakeTelegram, chat: i64, name: &str) -> Result<SentDocument> {
    let began = Instant::now();
    loop {
        let sent = fake.documents();
        if let Some(doc) = sent
            .iter()
            .find(|d| d.chat == chat && d.name.contains(name))
        {
            return Ok(doc.clone());
        }
        anyhow::ensure!(
            began.elapsed() < Duration::from_secs(30),
            "no document {name:?} sent to {chat}: {sent:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn scenario(node: &Node, fake: &Arc<FakeTelegram>) -> Result<()> {
    let staff_token = lab_with_staff(node).await?;
    let patient_token = node
        .member(json!({"handle": "ravi", "role": "patient"}))
        .await?;
    let (patient, staff) = (fake.chat(TG_PATIENT), fake.chat(TG_STAFF));
    link(node, "ravi", &patient).await?;
    link(node, "asha", &staff).await?;

    // No ID yet: `/healthid` offers to issue one; the card comes as an image.
    let mark = patient.text("/healthid");
    let none = patient.sent(mark, "no health ID yet").await?;
    let mark = patient.press(&button_data(&none, "/healthid new")?);
    let card = fake
        .called(mark, "sendphoto", TG_PATIENT, "caption", "Health ID: ")
        .await?;
    anyhow::ensure!(card["png"] == true, "the card is a PNG: {card}");
    let hid = health_id(card["caption"].as_str().unwrap_or_default())?;
    let digits: String = hid.chars().filter(char::is_ascii_digit).collect();

    // Staff send a PDF-like document with the ID as caption.
    let mut pdf = b"%PDF-1.4\n% blood count, Hb 13.1 g/dL\n".to_vec();
    pdf.extend(caremesh_e2e::health::noise(40_000, 11));
    pdf.extend(b"\n%%EOF\n");
    let sha = hex::encode(Sha256::digest(&pdf));
    let told_mark = patient.mark();
    let caption = format!("{hid} lab report 2024-05-01 Blood count");
    let mark = staff.document("cbc.pdf", "application/pdf", pdf.clone(), &caption);
    let stored = staff.sent(mark, "Stored: \"Blood count\"").await?;
    anyhow::ensure!(
        stored["text"]
            .as_str()
            .is_some_and(|t| t.contains(&sha[..8])),
        "the sha256 told to staff: {stored}"
    );
    patient
        .sent(told_mark, "A new health record has arrived")
        .await?;

    // The node holds it, with the bytes' sha256, for the holder's own token.
    let listed = records(node, &patient_token, &hid).await?;
    anyhow::ensure!(listed.len() == 1, "one record: {listed:?}");
    let record = &listed[0];
    anyhow::ensure!(record["sha256"] == sha.as_str(), "{record}");
    anyhow::ensure!(record["size"] == pdf.len(), "{record}");
    anyhow::ensure!(record["type"] == "lab_report", "{record}");
    anyhow::ensure!(record["title"] == "Blood count", "{record}");
    anyhow::ensure!(record["content_type"] == "application/pdf", "{record}");
    let record_id = record["id"].as_str().context("record id")?.to_owned();
    // Staff have no grant: the list is refused to them.
    let (status, v) = node
        .get(
            &format!("/api/v1/health-ids/{hid}/records"),
            Some(&staff_token),
        )
        .await?;
    anyhow::ensure!(status == 403 && v.to_string().contains("no_consent"), "{v}");

    // The patient lists `/records` and downloads it: a document with the same bytes.
    let mark = patient.text("/records");
    let list = patient.sent(mark, "Blood count").await?;
    let get = button_data(&list, &format!("/records get {digits} {record_id}"))?;
    let mark = patient.press(&get);
    let sent = fake
        .called(mark, "senddocument", TG_PATIENT, "document", "Blood_count")
        .await?;
    anyhow::ensure!(
        sent["caption"]
            .as_str()
            .is_some_and(|c| c.contains(&digits)),
        "{sent}"
    );
    let document = document_for(fake, TG_PATIENT, "Blood_count").await?;
    anyhow::ensure!(document.bytes == pdf, "the downloaded bytes differ");
    anyhow::ensure!(
        hex::encode(Sha256::digest(&document.bytes)) == sha,
        "sha256"
    );

    // A mistyped check digit: named in the answer, nothing stored.
    let wrong = mistyped(&hid)?;
    let other = b"%PDF-1.4\n% second report\n%%EOF\n".to_vec();
    let caption = format!("{wrong} lab report 2024-05-02 Second report");
    let mark = staff.document("second.pdf", "application/pdf", other, &caption);
    staff.sent(mark, "check digit").await?;
    let after = records(node, &patient_token, &hid).await?;
    anyhow::ensure!(
        after == listed,
        "nothing stored, the first unchanged: {after:?}"
    );
    let (status, v) = node
        .get(
            &format!("/api/v1/health-ids/{digits}/audit"),
            Some(&patient_token),
        )
        .await?;
    anyhow::ensure!(status == 200, "audit answered {status}: {v}");
    let audit = v["audit"].as_array().context("audit array")?;
    let uploads = audit
        .iter()
        .filter(|e| e["action"].as_str().is_some_and(|a| a.contains("upload")))
        .count();
    anyhow::ensure!(uploads == 1, "one upload in the audit: {audit:?}");
    let stored_after = fake
        .calls()
        .iter()
        .filter(|(m, b)| {
            m == "sendmessage"
                && b["chat_id"] == TG_STAFF
                && b["text"].as_str().is_some_and(|t| t.contains("Stored:"))
        })
        .count();
    anyhow::ensure!(stored_after == 1, "only the first upload was stored");
    Ok(())
}
