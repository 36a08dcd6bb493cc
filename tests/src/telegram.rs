//! A fake Telegram Bot API, for every test that runs the real teloxide bot (the bots
//! crate's own tests and the end-to-end tests): it serves injected updates to `getUpdates`
//! in Telegram's JSON shapes, answers sends with the message Telegram would return, and
//! records every call the bot makes (JSON bodies as they are; multipart uploads as their
//! `chat_id`, `caption` and whether a PNG is attached).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

/// How long [`FakeTelegram::called`] waits for the bot.
const WAIT: Duration = Duration::from_secs(30);

/// The fake server's state.
#[derive(Default)]
pub struct FakeTelegram {
    /// (method lowercased, body) of every call the bot made.
    calls: Mutex<Vec<(String, Value)>>,
    /// Updates waiting for the bot's next `getUpdates`.
    updates: Mutex<VecDeque<Value>>,
    next_update: AtomicI64,
    next_message: AtomicI64,
}

/// A Telegram user who is not a bot.
pub fn user(id: i64) -> Value {
    json!({"id": id, "is_bot": false, "first_name": "Ravi", "language_code": "en"})
}

/// A message in the private chat `chat` (whose user has the same id), with `extra` fields
/// (`text`, `location`…).
pub fn message(id: i64, chat: i64, extra: Value) -> Value {
    let mut m = json!({"message_id": id, "date": 1_700_000_000,
        "chat": {"id": chat, "type": "private", "first_name": "Ravi"}, "from": user(chat)});
    if let (Some(m), Some(extra)) = (m.as_object_mut(), extra.as_object()) {
        m.extend(extra.clone());
    }
    m
}

/// The callback data of the inline button whose data starts with `prefix`.
pub fn button_data(message: &Value, prefix: &str) -> anyhow::Result<String> {
    message["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|b| b["callback_data"].as_str())
        .find(|d| d.starts_with(prefix))
        .map(str::to_owned)
        .with_context(|| format!("no button {prefix:?} in {message}"))
}

/// A form field of a multipart body (teloxide sends files that way).
fn form_field(body: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let start = text.find(&format!("name=\"{name}\""))?;
    let value = &text[start..];
    let value = &value[value.find("\r\n\r\n")? + 4..];
    Some(value[..value.find("\r\n")?].to_owned())
}

/// A JSON body as is; a multipart one as its `chat_id` and `caption` and whether it
/// carries a PNG.
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
    State(fake): State<Arc<FakeTelegram>>,
    Path((_token, method)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Json<Value> {
    let method = method.to_lowercase();
    let body = call_body(&headers, &body);
    fake.lock_calls().push((method.clone(), body.clone()));
    let result = match method.as_str() {
        "getme" => json!({"id": 42, "is_bot": true, "first_name": "caremesh",
            "username": "caremesh_bot", "can_join_groups": true,
            "can_read_all_group_messages": false, "supports_inline_queries": false,
            "can_connect_to_business": false, "has_main_web_app": false}),
        "getupdates" => {
            let next = fake.lock_updates().pop_front();
            match next {
                Some(u) => json!([u]),
                None => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    json!([])
                }
            }
        }
        "sendmessage" => fake.sent_message(&body, json!({"text": body["text"].clone()})),
        "sendphoto" => {
            let photo =
                json!([{"file_id": "p1", "file_unique_id": "u1", "width": 640, "height": 200}]);
            fake.sent_message(
                &body,
                json!({"photo": photo, "caption": body["caption"].clone()}),
            )
        }
        "sendvenue" => {
            // Telegram's venue message carries the location twice: alone and in the venue.
            let location = json!({"latitude": body["latitude"], "longitude": body["longitude"]});
            fake.sent_message(
                &body,
                json!({"location": location.clone(), "venue": {"location": location,
                    "title": body["title"], "address": body["address"]}}),
            )
        }
        _ => json!(true),
    };
    Json(json!({"ok": true, "result": result}))
}

impl FakeTelegram {
    /// Serves the fake on a free loopback port; returns it and its URL (the bot's
    /// `api_url`).
    pub async fn start() -> anyhow::Result<(Arc<Self>, String)> {
        let fake = Arc::new(Self::default());
        let app = axum::Router::new()
            .route("/{token}/{method}", axum::routing::post(api).get(api))
            .with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok((fake, url))
    }

    fn lock_calls(&self) -> MutexGuard<'_, Vec<(String, Value)>> {
        self.calls.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_updates(&self) -> MutexGuard<'_, VecDeque<Value>> {
        self.updates.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The message Telegram returns for a send to `body["chat_id"]`, from the bot.
    fn sent_message(&self, body: &Value, extra: Value) -> Value {
        let chat = body["chat_id"].as_i64().unwrap_or(0);
        let id = 10_000 + self.next_message.fetch_add(1, Ordering::Relaxed);
        let mut sent = message(id, chat, extra);
        sent["from"] = json!({"id": 42, "is_bot": true, "first_name": "caremesh"});
        sent
    }

    /// Every call the bot made so far: (method lowercased, body).
    pub fn calls(&self) -> Vec<(String, Value)> {
        self.lock_calls().clone()
    }

    /// How many calls the bot made so far: a mark for [`FakeTelegram::called`].
    pub fn mark(&self) -> usize {
        self.lock_calls().len()
    }

    /// Queues an update for the bot; numbers it when it has no `update_id`.
    pub fn push(&self, mut update: Value) {
        let id = 1 + self.next_update.fetch_add(1, Ordering::Relaxed);
        if update.get("update_id").is_none() {
            update["update_id"] = json!(id);
        }
        self.lock_updates().push_back(update);
    }

    /// The person in private chat `chat`.
    pub fn chat(self: &Arc<Self>, chat: i64) -> Chat {
        Chat {
            fake: self.clone(),
            id: chat,
        }
    }

    /// Waits until the bot made (after `mark`) a `method` call to `chat` whose `field`
    /// contains `needle`.
    pub async fn called(
        &self,
        mark: usize,
        method: &str,
        chat: i64,
        field: &str,
        needle: &str,
    ) -> anyhow::Result<Value> {
        let deadline = Instant::now() + WAIT;
        loop {
            let found = self
                .lock_calls()
                .iter()
                .skip(mark)
                .find(|(m, b)| {
                    m == method
                        && b["chat_id"].as_i64() == Some(chat)
                        && b[field].as_str().is_some_and(|t| t.contains(needle))
                })
                .map(|(_, b)| b.clone());
            if let Some(body) = found {
                return Ok(body);
            }
            if Instant::now() > deadline {
                let since: Vec<String> = self
                    .lock_calls()
                    .iter()
                    .skip(mark)
                    .filter(|(m, b)| m == method && b["chat_id"].as_i64() == Some(chat))
                    .map(|(_, b)| b[field].to_string())
                    .collect();
                bail!("Telegram: no {method} with {field} {needle:?} to {chat}; since: {since:#?}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// One person in their private chat with the bot.
pub struct Chat {
    fake: Arc<FakeTelegram>,
    id: i64,
}

impl Chat {
    /// How many calls the bot made so far: a mark for [`Chat::sent`].
    pub fn mark(&self) -> usize {
        self.fake.mark()
    }

    fn say(&self, extra: Value) -> usize {
        let mark = self.mark();
        let id = self.fake.next_update.load(Ordering::Relaxed) + 1;
        self.fake
            .push(json!({"message": message(id, self.id, extra)}));
        mark
    }

    /// The person types `text`; returns the mark before it.
    pub fn text(&self, text: &str) -> usize {
        self.say(json!({"text": text}))
    }

    /// The person shares a location; returns the mark before it.
    pub fn location(&self, lat: f64, lon: f64) -> usize {
        self.say(json!({"location": {"latitude": lat, "longitude": lon}}))
    }

    /// The person presses an inline button carrying `data`; returns the mark before it.
    pub fn press(&self, data: &str) -> usize {
        let mark = self.mark();
        let id = self.fake.next_update.load(Ordering::Relaxed) + 1;
        self.fake
            .push(json!({"callback_query": {"id": format!("cb-{id}"),
            "from": user(self.id), "chat_instance": "ci", "data": data,
            "message": message(id, self.id, json!({"text": "earlier"}))}}));
        mark
    }

    /// Waits until the bot sent this chat (after `mark`) a message containing `needle`.
    pub async fn sent(&self, mark: usize, needle: &str) -> anyhow::Result<Value> {
        self.fake
            .called(mark, "sendmessage", self.id, "text", needle)
            .await
    }
}
