//! The real teloxide bot against a fake Telegram Bot API server that records what the bot
//! sends and serves updates with Telegram's JSON shapes.

#[path = "support/fake_port.rs"]
mod fake_port;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::{Path, State};
use caremesh_bots::chat::{ChatUser, Platform};
use caremesh_bots::engine::Engine;
use caremesh_bots::outbound::Outbound;
use caremesh_bots::port::Role;
use caremesh_bots::reply::{Button, Reply};
use caremesh_bots::session::MemorySessions;
use caremesh_bots::telegram::Telegram;
use fake_port::FakePort;
use serde_json::{Value, json};

#[derive(Default)]
struct Fake {
    /// (method lowercased, body) of every call.
    calls: Mutex<Vec<(String, Value)>>,
    updates: Mutex<VecDeque<Value>>,
}

fn user(id: i64) -> Value {
    json!({"id": id, "is_bot": false, "first_name": "Asha", "language_code": "en"})
}

fn message(id: i64, chat: i64, extra: Value) -> Value {
    let mut m = json!({"message_id": id, "date": 1_700_000_000, "chat": {"id": chat, "type": "private", "first_name": "Asha"}, "from": user(chat)});
    if let (Some(m), Some(extra)) = (m.as_object_mut(), extra.as_object()) {
        m.extend(extra.clone());
    }
    m
}

/// A form field of a multipart body (teloxide sends files that way).
fn form_field(body: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let start = text.find(&format!("name=\"{name}\""))?;
    let value = &text[start..];
    let value = &value[value.find("\r\n\r\n")? + 4..];
    Some(value[..value.find("\r\n")?].to_owned())
}

/// A JSON body as is; a multipart one as its `chat_id` and `caption` fields and whether it
/// carries a PNG file.
fn call_body(headers: &axum::http::HeaderMap, body: &[u8]) -> Value {
    let kind = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if kind.starts_with("multipart/form-data") {
        let png = body.windows(8).any(|w| w == b"\x89PNG\r\n\x1a\n");
        json!({
            "chat_id": form_field(body, "chat_id").and_then(|c| c.parse::<i64>().ok()),
            "caption": form_field(body, "caption"),
            "png": png,
        })
    } else {
        serde_json::from_slice(body).unwrap_or(Value::Null)
    }
}

async fn api(
    State(fake): State<Arc<Fake>>,
    Path((_token, method)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Json<Value> {
    let method = method.to_lowercase();
    let body = call_body(&headers, &body);
    fake.calls
        .lock()
        .unwrap()
        .push((method.clone(), body.clone()));
    let result = match method.as_str() {
        "getme" => {
            json!({"id": 42, "is_bot": true, "first_name": "caremesh", "username": "caremesh_bot",
            "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
            "can_connect_to_business": false, "has_main_web_app": false})
        }
        "getupdates" => {
            let next = fake.updates.lock().unwrap().pop_front();
            match next {
                Some(u) => json!([u]),
                None => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    json!([])
                }
            }
        }
        "sendmessage" => {
            let chat = body["chat_id"].as_i64().unwrap_or(0);
            message(
                900,
                chat,
                json!({"text": body["text"].clone(), "from": {"id": 42, "is_bot": true, "first_name": "caremesh"}}),
            )
        }
        "sendphoto" => {
            let chat = body["chat_id"].as_i64().unwrap_or(0);
            let photo =
                json!([{"file_id": "p1", "file_unique_id": "u1", "width": 560, "height": 200}]);
            message(
                902,
                chat,
                json!({"photo": photo, "caption": body["caption"].clone(),
                    "from": {"id": 42, "is_bot": true, "first_name": "caremesh"}}),
            )
        }
        "sendvenue" => {
            // Telegram's venue message carries the location twice: alone and in the venue.
            let chat = body["chat_id"].as_i64().unwrap_or(0);
            let location = json!({"latitude": body["latitude"], "longitude": body["longitude"]});
            message(
                901,
                chat,
                json!({"location": location.clone(), "venue": {"location": location,
                    "title": body["title"], "address": body["address"]},
                    "from": {"id": 42, "is_bot": true, "first_name": "caremesh"}}),
            )
        }
        _ => json!(true),
    };
    Json(json!({"ok": true, "result": result}))
}

async fn start_fake() -> (Arc<Fake>, String) {
    let fake = Arc::new(Fake::default());
    let app = axum::Router::new()
        .route("/{token}/{method}", axum::routing::post(api).get(api))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (fake, url)
}

/// Waits until the bot made a `method` call to `chat` whose `field` contains `needle`.
async fn called(fake: &Fake, method: &str, chat: i64, field: &str, needle: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        let found = fake
            .calls
            .lock()
            .unwrap()
            .iter()
            .find(|(m, b)| {
                m == method
                    && b["chat_id"].as_i64() == Some(chat)
                    && b[field].as_str().is_some_and(|t| t.contains(needle))
            })
            .map(|(_, b)| b.clone());
        if let Some(body) = found {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!(
        "no {method} with {field} {needle:?} to {chat}; calls: {:?}",
        fake.calls.lock().unwrap()
    );
}

/// Waits until the bot sent a message to `chat` whose text contains `needle`.
async fn sent(fake: &Fake, chat: i64, needle: &str) -> Value {
    called(fake, "sendmessage", chat, "text", needle).await
}

#[tokio::test]
async fn bot_answers_texts_buttons_and_locations_on_the_bot_api() {
    let (fake, url) = start_fake().await;
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
        let calls = fake.calls.lock().unwrap();
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
    fake.updates.lock().unwrap().extend([
        json!({"update_id": 1, "message": message(1, 100, json!({"text": "/start"}))}),
        json!({"update_id": 2, "callback_query": {"id": "cb-1", "from": user(200), "chat_instance": "ci",
            "data": "/register", "message": message(2, 200, json!({"text": "old"}))}}),
        json!({"update_id": 3, "message": message(3, 300, json!({"text": "/subscribe 25 all"}))}),
        json!({"update_id": 4, "message": message(4, 300, json!({"location": {"latitude": 18.52, "longitude": 73.85}}))}),
        json!({"update_id": 5, "message": message(5, 400, json!({"text": "/nearby hospital in Pune"}))}),
        json!({"update_id": 6, "message": message(6, 500, json!({"text": "/stats"}))}),
    ]);
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
        fake.calls
            .lock()
            .unwrap()
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
    let venue = called(&fake, "sendvenue", 400, "title", "City Hospital").await;
    assert_eq!(venue["latitude"], 18.52);
    assert_eq!(venue["longitude"], 73.85);
    assert_eq!(venue["address"], "1 Station Road, Pune");
    let chart = called(&fake, "sendphoto", 500, "caption", "Needed, accepted").await;
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
