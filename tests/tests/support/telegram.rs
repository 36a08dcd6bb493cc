//! A fake Telegram Bot API for the chat end-to-end test: queues injected updates and records
//! every call the bot makes.

use super::*;

#[derive(Default)]
pub struct Telegram {
    /// (method lowercased, body) of every call the bot made.
    calls: Mutex<Vec<(String, Value)>>,
    /// Updates waiting for the bot's next `getUpdates`.
    updates: Mutex<VecDeque<Value>>,
    next_update: AtomicI64,
    next_message: AtomicI64,
}

pub fn tg_user(id: i64) -> Value {
    json!({"id": id, "is_bot": false, "first_name": "Ravi", "language_code": "en"})
}

pub fn tg_message(id: i64, chat: i64, extra: Value) -> Value {
    let mut m = json!({"message_id": id, "date": 1_700_000_000,
        "chat": {"id": chat, "type": "private", "first_name": "Ravi"}, "from": tg_user(chat)});
    if let (Some(m), Some(extra)) = (m.as_object_mut(), extra.as_object()) {
        m.extend(extra.clone());
    }
    m
}

pub async fn tg_api(
    State(fake): State<Arc<Telegram>>,
    Path((_token, method)): Path<(String, String)>,
    body: Option<Json<Value>>,
) -> Json<Value> {
    let method = method.to_lowercase();
    let body = body.map(|Json(v)| v).unwrap_or(Value::Null);
    fake.calls
        .lock()
        .unwrap()
        .push((method.clone(), body.clone()));
    let result = match method.as_str() {
        "getme" => json!({"id": 42, "is_bot": true, "first_name": "caremesh",
            "username": "caremesh_bot", "can_join_groups": true,
            "can_read_all_group_messages": false, "supports_inline_queries": false,
            "can_connect_to_business": false, "has_main_web_app": false}),
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
            let id = 10_000 + fake.next_message.fetch_add(1, Ordering::Relaxed);
            let mut sent = tg_message(id, chat, json!({"text": body["text"].clone()}));
            sent["from"] = json!({"id": 42, "is_bot": true, "first_name": "caremesh"});
            sent
        }
        _ => json!(true),
    };
    Json(json!({"ok": true, "result": result}))
}

impl Telegram {
    pub async fn start() -> Result<(Arc<Self>, String)> {
        let fake = Arc::new(Self::default());
        let app = axum::Router::new()
            .route("/{token}/{method}", axum::routing::post(tg_api).get(tg_api))
            .with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok((fake, url))
    }

    /// How many calls the bot made so far: a mark for `sent`.
    pub fn mark(&self) -> usize {
        self.calls.lock().unwrap().len()
    }

    pub fn push(&self, update: Value) {
        let id = 1 + self.next_update.fetch_add(1, Ordering::Relaxed);
        let mut update = update;
        update["update_id"] = json!(id);
        self.updates.lock().unwrap().push_back(update);
    }

    /// The maker types `text`; returns the mark before it.
    pub fn text(&self, text: &str) -> usize {
        let mark = self.mark();
        let id = self.next_update.load(Ordering::Relaxed) + 1;
        self.push(json!({"message": tg_message(id, MAKER, json!({"text": text}))}));
        mark
    }

    /// The maker shares a location; returns the mark before it.
    pub fn location(&self, lat: f64, lon: f64) -> usize {
        let mark = self.mark();
        let id = self.next_update.load(Ordering::Relaxed) + 1;
        self.push(json!({"message": tg_message(id, MAKER,
            json!({"location": {"latitude": lat, "longitude": lon}}))}));
        mark
    }

    /// The maker presses an inline button carrying `data`; returns the mark before it.
    pub fn press(&self, data: &str) -> usize {
        let mark = self.mark();
        let id = self.next_update.load(Ordering::Relaxed) + 1;
        self.push(
            json!({"callback_query": {"id": format!("cb-{id}"), "from": tg_user(MAKER),
            "chat_instance": "ci", "data": data,
            "message": tg_message(id, MAKER, json!({"text": "earlier"}))}}),
        );
        mark
    }

    /// Waits until the bot sent the maker (after `mark`) a message containing `needle`.
    pub async fn sent(&self, mark: usize, needle: &str) -> Result<Value> {
        let deadline = Instant::now() + WAIT;
        loop {
            let found = self
                .calls
                .lock()
                .unwrap()
                .iter()
                .skip(mark)
                .find(|(m, b)| {
                    m == "sendmessage"
                        && b["chat_id"].as_i64() == Some(MAKER)
                        && b["text"].as_str().is_some_and(|t| t.contains(needle))
                })
                .map(|(_, b)| b.clone());
            if let Some(body) = found {
                return Ok(body);
            }
            if Instant::now() > deadline {
                let texts: Vec<String> = self
                    .calls
                    .lock()
                    .unwrap()
                    .iter()
                    .skip(mark)
                    .filter(|(m, _)| m == "sendmessage")
                    .map(|(_, b)| b["text"].to_string())
                    .collect();
                bail!("Telegram: no message with {needle:?} to the maker; sent since: {texts:#?}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// The callback data of the inline button whose data starts with `prefix`.
pub fn button_data(message: &Value, prefix: &str) -> Result<String> {
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

// ---------------------------------------------------------------------------------------
// The Matrix side.
