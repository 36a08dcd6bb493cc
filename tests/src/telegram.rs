//! A fake Telegram Bot API, for every test that runs the real teloxide bot (the bots
//! crate's own tests and the end-to-end tests): it serves injected updates to `getUpdates`
//! in Telegram's JSON shapes, answers sends with the message Telegram would return, and
//! records every call the bot makes (JSON bodies as they are; multipart uploads as their
//! `chat_id`, `caption`, the attached document's name and whether a PNG is attached). Files
//! people send are served as Telegram does: `getFile`, then a download from
//! `/file/bot<token>/<file_path>`; documents the bot sends are kept with their bytes.

mod multipart;

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use multipart::call_body;

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
    /// Bytes of the files people sent, by file id (also their `file_path`).
    files: Mutex<HashMap<String, Vec<u8>>>,
    /// Documents the bot sent (`sendDocument`), in order.
    documents: Mutex<Vec<SentDocument>>,
}

/// A document the bot sent, with the bytes of its multipart upload.
#[derive(Clone, Debug)]
pub struct SentDocument {
    pub chat: i64,
    pub name: String,
    pub caption: Option<String>,
    pub bytes: Vec<u8>,
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

/// Telegram's `File` for a file a person sent.
fn file_meta(fake: &FakeTelegram, body: &Value) -> Value {
    let id = body["file_id"].as_str().unwrap_or_default();
    let files = fake.files.lock().unwrap_or_else(|e| e.into_inner());
    match files.get(id) {
        Some(bytes) => json!({"file_id": id, "file_unique_id": format!("u-{id}"),
            "file_size": bytes.len(), "file_path": id}),
        None => Value::Null,
    }
}

/// A download from `/file/bot<token>/<file_path>`.
async fn download(
    State(fake): State<Arc<FakeTelegram>>,
    Path((_bot, path)): Path<(String, String)>,
) -> Result<Vec<u8>, axum::http::StatusCode> {
    let files = fake.files.lock().unwrap_or_else(|e| e.into_inner());
    files
        .get(&path)
        .cloned()
        .ok_or(axum::http::StatusCode::NOT_FOUND)
}

async fn api(
    State(fake): State<Arc<FakeTelegram>>,
    Path((_token, method)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Json<Value> {
    let method = method.to_lowercase();
    let (body, document) = call_body(&headers, &body);
    fake.lock_calls().push((method.clone(), body.clone()));
    if let Some(document) = document {
        let mut documents = fake.documents.lock().unwrap_or_else(|e| e.into_inner());
        documents.push(document);
    }
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
        "getfile" => file_meta(&fake, &body),
        "senddocument" => {
            let document = json!({"file_id": "d1", "file_unique_id": "ud1",
                "file_name": body["document"].clone()});
            fake.sent_message(
                &body,
                json!({"document": document, "caption": body["caption"].clone()}),
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
            .route("/file/{bot}/{path}", axum::routing::get(download))
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

    /// Every document the bot sent so far, with its bytes.
    pub fn documents(&self) -> Vec<SentDocument> {
        self.documents
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Keeps a file a person sends; returns its file id.
    fn keep_file(&self, bytes: Vec<u8>) -> String {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        let id = format!("f{}", files.len() + 1);
        files.insert(id.clone(), bytes);
        id
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

    /// The person sends a document with a caption; returns the mark before it.
    pub fn document(&self, name: &str, mime: &str, bytes: Vec<u8>, caption: &str) -> usize {
        let size = bytes.len();
        let id = self.fake.keep_file(bytes);
        self.say(json!({"caption": caption, "document": {"file_id": id,
            "file_unique_id": format!("u-{id}"), "file_name": name, "mime_type": mime,
            "file_size": size}}))
    }

    /// The person sends a photo (Telegram offers it in two sizes: a thumbnail and `bytes`)
    /// with a caption; returns the mark before it.
    pub fn photo(&self, bytes: Vec<u8>, caption: &str) -> usize {
        let size = bytes.len();
        let thumb = self.fake.keep_file(b"thumbnail".to_vec());
        let full = self.fake.keep_file(bytes);
        self.say(json!({"caption": caption, "photo": [
            {"file_id": thumb, "file_unique_id": format!("u-{thumb}"), "width": 90,
                "height": 60, "file_size": 9},
            {"file_id": full, "file_unique_id": format!("u-{full}"), "width": 1280,
                "height": 960, "file_size": size}]}))
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
