//! The real teloxide bot against the fake Telegram Bot API of `caremesh_e2e::telegram`,
//! which records what the bot sends and serves updates with Telegram's JSON shapes.

#[path = "support/fake_port.rs"]
mod fake_port;

use std::sync::Arc;
use std::time::Duration;

use caremesh_bots::chat::{ChatUser, Platform};
use caremesh_bots::engine::Engine;
use caremesh_bots::outbound::Outbound;
use caremesh_bots::port::Role;
use caremesh_bots::reply::{Button, Reply};
use caremesh_bots::session::MemorySessions;
use caremesh_bots::telegram::Telegram;
use caremesh_e2e::telegram::{FakeTelegram, button_data, message, user};
use fake_port::FakePort;
use serde_json::json;

/// Waits until the bot sent a message to `chat` whose text contains `needle`.
async fn sent(fake: &FakeTelegram, chat: i64, needle: &str) -> serde_json::Value {
    fake.called(0, "sendmessage", chat, "text", needle)
        .await
        .unwrap()
}

#[tokio::test]
async fn bot_answers_texts_buttons_and_locations_on_the_bot_api() {
    let (fake, url) = FakeTelegram::start().await.unwrap();
    let port = Arc::new(FakePort::default());
    port.add(
        &ChatUser::direct(Platform::Telegram, "300"),
        "maker",
        Role::Maker,
    );
    let engine = Engine::new(port, Arc::new(MemorySessions::default()), "Test node");
    let bot = Telegram::new("123:ABC", Some(&url)).unwrap();
    assert_eq!(bot.prepare().await.unwrap(), "caremesh_bot");
    {
        let calls = fake.calls();
        let menu = calls
            .iter()
            .find(|(m, _)| m == "setmycommands")
            .expect("command menu set");
        assert!(
            menu.1["commands"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["command"] == "need"),
            "{menu:?}"
        );
    }
    [
        json!({"update_id": 1, "message": message(1, 100, json!({"text": "/start"}))}),
        json!({"update_id": 2, "callback_query": {"id": "cb-1", "from": user(200), "chat_instance": "ci",
            "data": "/register", "message": message(2, 200, json!({"text": "old"}))}}),
        json!({"update_id": 3, "message": message(3, 300, json!({"text": "/subscribe 25 all"}))}),
        json!({"update_id": 4, "message": message(4, 300, json!({"location": {"latitude": 18.52, "longitude": 73.85}}))}),
        json!({"update_id": 5, "message": message(5, 400, json!({"text": "/nearby hospital in Pune"}))}),
        json!({"update_id": 6, "message": message(6, 500, json!({"text": "/stats"}))}),
    ]
    .into_iter()
    .for_each(|update| fake.push(update));
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let runner = tokio::spawn(bot.clone().run(engine, async move {
        let _ = stop_rx.await;
    }));
    let welcome = sent(&fake, 100, "Welcome to Test node").await;
    assert!(
        welcome["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "/register",
        "{welcome}"
    );
    let role = sent(&fake, 200, "Who are you?").await;
    assert_eq!(
        role["reply_markup"]["inline_keyboard"][0][1]["callback_data"],
        "=role:maker"
    );
    assert!(
        fake.calls()
            .iter()
            .any(|(m, b)| m == "answercallbackquery" && b["callback_query_id"] == "cb-1")
    );
    let cards = sent(&fake, 400, "Near Pune:").await;
    assert!(
        cards["text"]
            .as_str()
            .unwrap()
            .contains("☎ +91 20 1234 5678"),
        "{cards}"
    );
    assert_eq!(
        cards["reply_markup"]["inline_keyboard"][0][1]["callback_data"],
        "/map F1"
    );
    let venue = fake
        .called(0, "sendvenue", 400, "title", "City Hospital")
        .await
        .unwrap();
    assert_eq!(venue["latitude"], 18.52);
    assert_eq!(venue["longitude"], 73.85);
    assert_eq!(venue["address"], "1 Station Road, Pune");
    let chart = fake
        .called(0, "sendphoto", 500, "caption", "Needed, accepted")
        .await
        .unwrap();
    assert_eq!(chart["png"], true, "a PNG file is attached: {chart}");
    sent(&fake, 300, "within 25 km").await;
    sent(&fake, 300, "Rural Clinic").await;
    let reply = Reply::notice("New need near you").row(vec![Button::command("Offer", "/offer R1")]);
    bot.send(
        &ChatUser::direct(Platform::Telegram, "300"),
        &[reply.with_location_request("Share")],
    )
    .await
    .unwrap();
    let pushed = sent(&fake, 300, "New need near you").await;
    assert_eq!(
        pushed["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
        "/offer R1"
    );
    let ask = sent(&fake, 300, "Share").await;
    assert_eq!(
        ask["reply_markup"]["keyboard"][0][0]["request_location"], true,
        "{ask}"
    );
    let _ = stop_tx.send(());
    tokio::time::timeout(Duration::from_secs(30), runner)
        .await
        .expect("bot stops on shutdown")
        .unwrap();
}

fn tg(id: &str) -> ChatUser {
    ChatUser::direct(Platform::Telegram, id)
}

#[tokio::test]
async fn records_go_up_as_documents_and_photos_and_come_back_as_documents() {
    let (fake, url) = FakeTelegram::start().await.unwrap();
    let port = Arc::new(FakePort::default());
    port.add(&tg("600"), "u600", Role::Patient);
    port.add(&tg("700"), "lab", Role::Staff);
    let engine = Engine::new(
        port.clone(),
        Arc::new(MemorySessions::default()),
        "Test node",
    );
    let bot = Telegram::new("123:ABC", Some(&url)).unwrap();
    bot.prepare().await.unwrap();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let runner = tokio::spawn(bot.run(engine, async move {
        let _ = stop_rx.await;
    }));
    let (patient, staff) = (fake.chat(600), fake.chat(700));

    let m = patient.text("/healthid new");
    let card = fake
        .called(m, "sendphoto", 600, "caption", "42-1730-0000-0001")
        .await
        .unwrap();
    assert_eq!(card["png"], true, "the card is a PNG: {card}");

    let scan = b"%PDF-1.4 blood count \x00\xff binary".to_vec();
    let m = staff.document(
        "cbc.pdf",
        "application/pdf",
        scan.clone(),
        "42-1730-0000-0001 lab report 2024-05-01 Blood count",
    );
    staff.sent(m, "Stored: \"Blood count\"").await.unwrap();
    assert!(
        fake.calls()
            .iter()
            .any(|(m, b)| m == "getfile" && b["file_id"] == "f1"),
        "the bot asked for the file"
    );
    let xray = b"\xff\xd8\xff\xe0 jpeg chest".to_vec();
    let m = staff.photo(xray.clone(), "42173000000001 imaging Chest");
    staff.sent(m, "Stored: \"Chest\"").await.unwrap();
    let m = staff.document("big.pdf", "application/pdf", Vec::new(), "no id here");
    staff.sent(m, "the record type").await.unwrap();

    let stored = port.lock().health.records["42173000000001"].clone();
    let bytes_of = |title: &str| {
        stored
            .iter()
            .find(|(info, _)| info.title == title)
            .map(|(info, bytes)| (info.id.clone(), bytes.clone()))
            .unwrap_or_else(|| panic!("{title} stored"))
    };
    let (pdf_id, pdf) = bytes_of("Blood count");
    assert_eq!(pdf, scan, "the document's bytes, as sent");
    assert_eq!(bytes_of("Chest").1, xray, "the largest photo size");

    let m = patient.text("/records");
    let list = patient.sent(m, "Blood count").await.unwrap();
    let get = button_data(&list, &format!("/records get 42173000000001 {pdf_id}")).unwrap();
    let m = patient.press(&get);
    let sent = fake
        .called(m, "senddocument", 600, "document", "Blood_count")
        .await
        .unwrap();
    assert!(
        sent["caption"]
            .as_str()
            .unwrap_or("")
            .contains("Blood_count.pdf"),
        "{sent}"
    );
    let document = fake.documents().pop().expect("a document was sent");
    assert_eq!(document.chat, 600);
    assert_eq!(
        document.bytes, scan,
        "the record's bytes in the multipart upload"
    );

    let _ = stop_tx.send(());
    tokio::time::timeout(Duration::from_secs(30), runner)
        .await
        .expect("bot stops on shutdown")
        .unwrap();
}
