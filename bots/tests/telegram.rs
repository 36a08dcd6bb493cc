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
use caremesh_e2e::telegram::{FakeTelegram, message, user};
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
