//! Appointments in chat across two real nodes, through the terminal chat's endpoint
//! (`POST /api/v1/chat`): a clinic publishes a schedule on F; on A a guardian books a
//! vaccination for a dependant with `/book` (for whom → what → facility → "tmrw" → slot →
//! confirm), the answer comes from F as a notice with an `.ics` file and a map pin, and
//! the reminder (the slot is within a day, so the day-before reminder is due at once)
//! reaches the guardian once; a patient booking for herself hears the same; the clinic's
//! staff see the day on F with `/agenda` and mark an arrival, which the patient's
//! `/appointments` shows. The same booking on Telegram (the fake Bot API) ends with the
//! `.ics` sent as a document and the clinic as a venue.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use base64::Engine as _;
use caremesh_e2e::chat::{
    button, chat, notices_until, notices_until_quiet, press, say, tells, text,
};
use caremesh_e2e::health::patient_with_id;
use caremesh_e2e::telegram::{FakeTelegram, button_data};
use caremesh_e2e::{Node, init_pair, start_pair};
use chrono::Utc;
use serde_json::{Value, json};

/// A clinic on `f` with staff `dr_rao` and a vaccination every day, all day (UTC), two
/// people a slot. Returns the facility id and the staff token.
async fn clinic(f: &Node) -> Result<(String, String)> {
    let body = json!({"kind": "clinic", "name": "City Clinic", "lat": 18.52, "lon": 73.85});
    let (id, staff) = f.facility_with_staff(&body, "dr_rao").await?;
    let schedule = json!({
        "service": "Vaccination", "kind": "vaccination", "price": 250, "currency": "INR",
        "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "start": "00:00", "end": "23:30", "slot_minutes": 30, "capacity": 2,
        "time_zone": "UTC",
    });
    let path = format!("/api/v1/facilities/{id}/schedules");
    let (status, v) = f.post(&path, Some(&staff), &schedule).await?;
    anyhow::ensure!(status == 201, "schedule: {v}");
    Ok((id, staff))
}

/// Waits until `node` knows the clinic's schedule (it travels with federation).
async fn schedule_known(node: &Node, facility: &str) -> Result<()> {
    let tomorrow = (Utc::now().date_naive() + chrono::Days::new(1)).format("%Y-%m-%d");
    let path = format!("/api/v1/facilities/{facility}/slots?date={tomorrow}");
    let began = Instant::now();
    loop {
        let (status, v) = node.get(&path, Some(&node.admin)).await?;
        if status == 200 && v["slots"].as_array().is_some_and(|s| !s.is_empty()) {
            return Ok(());
        }
        anyhow::ensure!(
            began.elapsed() < Duration::from_secs(30),
            "no slots on A: {v}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Walks `/book` from "what" on: vaccination → the clinic → tomorrow → the first slot →
/// confirm. Returns the slot's start as the buttons carry it.
async fn book_from_what(a: &Node, handle: &str, asked: Value) -> Result<String> {
    let mut v = asked;
    if text(&v).contains("What do you need?") {
        v = say(a, handle, "vaccine").await?;
    }
    if text(&v).contains("Near where?") {
        v = chat(
            a,
            handle,
            json!({"type": "location", "lat": 18.5, "lon": 73.8}),
        )
        .await?;
    }
    anyhow::ensure!(
        text(&v).contains("City Clinic – Vaccination: 250.00 INR"),
        "{v}"
    );
    let v = press(a, handle, &button(&v, "City Clinic")?).await?;
    anyhow::ensure!(text(&v).contains("Which day?"), "{v}");
    let v = say(a, handle, "tmrw").await?;
    let slot = button(&v, ":")?;
    let start = slot.trim_start_matches("=book-slot:").to_owned();
    let v = press(a, handle, &slot).await?;
    anyhow::ensure!(text(&v).contains("Book Vaccination at City Clinic"), "{v}");
    let v = press(a, handle, &button(&v, "Book")?).await?;
    anyhow::ensure!(text(&v).contains("Sent to City Clinic"), "{v}");
    Ok(start)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn book_in_chat_across_nodes_confirmation_ics_reminder_and_agenda() -> Result<()> {
    let root = tempfile::tempdir()?;
    let (mut f, mut a) = start_pair(root.path(), "f", "a").await?;
    let result = scenario(&f, &a).await;
    let a_log = a.log();
    a.stop()?;
    f.stop()?;
    result?;
    // Names and health IDs never reach the log.
    anyhow::ensure!(!a_log.contains("Amma"), "a name in A's log");
    Ok(())
}

async fn scenario(f: &Node, a: &Node) -> Result<()> {
    let (facility, _staff) = clinic(f).await?;
    let ravi = a
        .member(json!({"handle": "ravi", "role": "patient"}))
        .await?;
    for body in [
        json!({}),
        json!({"dependant": {"name": "Amma", "birth_year": 1950}}),
    ] {
        let (status, v) = a.post("/api/v1/health-ids", Some(&ravi), &body).await?;
        anyhow::ensure!(status == 201, "{v}");
    }
    schedule_known(a, &facility).await?;

    // The guardian books for the dependant.
    let v = say(a, "ravi", "/book").await?;
    anyhow::ensure!(text(&v).contains("Who is the appointment for?"), "{v}");
    let v = press(a, "ravi", &button(&v, "Amma")?).await?;
    let start = book_from_what(a, "ravi", v).await?;

    let told = notices_until(a, "ravi", "Confirmed: Vaccination at City Clinic").await?;
    let confirmed = told
        .iter()
        .find(|n| tells(n, "Confirmed"))
        .context("confirmation")?;
    anyhow::ensure!(tells(confirmed, "for Amma"), "{confirmed}");
    let file = &confirmed["document"];
    anyhow::ensure!(file["content_type"] == "text/calendar", "{confirmed}");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(file["bytes"].as_str().context("ics bytes")?)?;
    let ics = String::from_utf8(bytes)?;
    let begins = chrono::DateTime::parse_from_rfc3339(&start)?
        .with_timezone(&Utc)
        .format("DTSTART:%Y%m%dT%H%M%SZ")
        .to_string();
    anyhow::ensure!(ics.contains(&begins), "{begins} not in {ics}");
    anyhow::ensure!(ics.contains("LOCATION:City Clinic"), "{ics}");
    let pin = told
        .iter()
        .find(|n| n["pin"].is_object())
        .context("a map pin")?;
    anyhow::ensure!(
        (pin["pin"]["lat"].as_f64().unwrap_or(0.0) - 18.52).abs() < 1e-6,
        "{pin}"
    );

    // The slot is within a day: the day-before reminder is due at once, and goes out once.
    let mut all = told.clone();
    if !all.iter().any(|n| tells(n, "Reminder")) {
        all.extend(notices_until(a, "ravi", "Reminder: Vaccination").await?);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    all.extend(notices_until_quiet(a, "ravi").await?);
    let reminders = all.iter().filter(|n| tells(n, "Reminder")).count();
    anyhow::ensure!(reminders == 1, "{reminders} reminders: {all:#?}");

    // The list shows it confirmed, with Cancel and Reschedule.
    let v = say(a, "ravi", "/appointments").await?;
    anyhow::ensure!(text(&v).contains("Vaccination · City Clinic"), "{v}");
    anyhow::ensure!(text(&v).contains("Amma · confirmed"), "{v}");
    button(&v, "Reschedule")?;

    // Staff on F see the day's list (the slot is tomorrow) and mark the arrival.
    let day = chrono::DateTime::parse_from_rfc3339(&start)?
        .format("%Y-%m-%d")
        .to_string();
    let v = say(f, "dr_rao", &format!("/agenda {day}")).await?;
    anyhow::ensure!(text(&v).contains("Vaccination · Amma"), "{v}");
    let v = press(f, "dr_rao", &button(&v, "Arrived")?).await?;
    anyhow::ensure!(text(&v).contains("Amma at"), "{v}");
    anyhow::ensure!(text(&v).contains("arrived"), "{v}");
    let began = Instant::now();
    loop {
        let v = say(a, "ravi", "/appointments").await?;
        if text(&v).contains("Amma · arrived") {
            break;
        }
        anyhow::ensure!(
            began.elapsed() < Duration::from_secs(30),
            "never arrived on A: {v}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    Ok(())
}

/// The Telegram user who books (their private chat id).
const TG_USER: i64 = 5151;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn book_on_telegram_gets_the_ics_document_and_a_venue() -> Result<()> {
    let (fake, telegram_url) = FakeTelegram::start().await?;
    let root = tempfile::tempdir()?;
    let (mut f, mut a) = init_pair(root.path(), "f", "a")?;
    std::fs::write(a.dir.join("telegram.token"), "123:ABC\n")?;
    a.append_config(&format!(
        "\n[telegram]\ntoken_file = \"telegram.token\"\napi_url = \"{telegram_url}\"\n"
    ))?;
    f.start().await?;
    a.start().await?;
    let result = on_telegram(&f, &a, &fake).await;
    a.stop()?;
    f.stop()?;
    result
}

async fn on_telegram(f: &Node, a: &Node, fake: &std::sync::Arc<FakeTelegram>) -> Result<()> {
    let (facility, _) = clinic(f).await?;
    patient_with_id(a, "mira").await?;
    schedule_known(a, &facility).await?;

    // Mira's Telegram account becomes the member (a one-time code from the terminal).
    let code_text = text(&say(a, "mira", "/link").await?);
    let code = code_text
        .split("code: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .with_context(|| format!("no code in {code_text}"))?;
    let tg = fake.chat(TG_USER);
    let mark = tg.text(&format!("/link {code}"));
    tg.sent(mark, "Linked").await?;

    let mark = tg.text("/book");
    tg.sent(mark, "What do you need?").await?;
    let mark = tg.text("vaccination");
    tg.sent(mark, "Near where?").await?;
    let mark = tg.location(18.5, 73.8);
    let offers = tg.sent(mark, "City Clinic – Vaccination").await?;
    let mark = tg.press(&button_data(&offers, "=book-offer:")?);
    tg.sent(mark, "Which day?").await?;
    let mark = tg.text("tomorrow");
    let slots = tg.sent(mark, "Free times").await?;
    let mark = tg.press(&button_data(&slots, "=book-slot:")?);
    let confirm = tg.sent(mark, "Book Vaccination at City Clinic").await?;
    let mark = tg.press(&button_data(&confirm, "=book-confirm:yes")?);
    tg.sent(mark, "Sent to City Clinic").await?;

    let began = Instant::now();
    let ics = loop {
        let sent = fake.documents();
        if let Some(doc) = sent
            .iter()
            .find(|d| d.chat == TG_USER && d.name == "appointment.ics")
        {
            break doc.clone();
        }
        anyhow::ensure!(
            began.elapsed() < Duration::from_secs(30),
            "no .ics sent: {sent:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let body = String::from_utf8(ics.bytes)?;
    anyhow::ensure!(
        body.contains("BEGIN:VEVENT") && body.contains("DTSTART:"),
        "{body}"
    );
    anyhow::ensure!(
        ics.caption
            .as_deref()
            .is_some_and(|c| c.contains("Confirmed: Vaccination")),
        "{:?}",
        ics.caption
    );
    fake.called(mark, "sendvenue", TG_USER, "title", "City Clinic")
        .await?;
    Ok(())
}
