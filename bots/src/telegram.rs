//! The Telegram front end (teloxide): long polling, the command menu set at start, inline
//! keyboards for choices, a `request_location` keyboard button, location messages. Sends go
//! through teloxide's `Throttle` (about 30 messages/s in all, 1/s per chat) and wait out
//! 429s (`retry_after`) once.

use std::future::{Future, IntoFuture};
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

use teloxide::adaptors::Throttle;
use teloxide::adaptors::throttle::Limits;
use teloxide::prelude::*;
use teloxide::types::{
    BotCommand, ButtonRequest, InlineKeyboardButton, InlineKeyboardMarkup, InputFile,
    KeyboardButton, KeyboardMarkup, MediaKind, MessageKind, ReplyMarkup, UpdateKind,
};
use teloxide::{ApiError, RequestError};

use crate::chat::{ChatUser, Event, FileIn, Input, Platform};
use crate::command;
use crate::engine::Engine;
use crate::front;
use crate::lang::Lang;
use crate::outbound::{Outbound, SendError};
use crate::reply::Reply;

mod files;

/// The bot as the front end uses it.
type Bot = Throttle<teloxide::Bot>;

/// How long one `getUpdates` long poll waits, seconds.
const POLL_TIMEOUT_SECS: u32 = 25;

/// A Telegram bot; cheap to clone.
#[derive(Clone)]
pub struct Telegram {
    bot: Bot,
}

/// Why the bot could not start.
#[derive(Debug, thiserror::Error)]
pub enum TelegramError {
    #[error("Telegram api_url `{url}` is not a URL: {problem}")]
    BadUrl { url: String, problem: String },
    #[error("Telegram refused the bot token or is unreachable: {0}")]
    Start(#[source] RequestError),
}

impl Telegram {
    /// A bot for `token`, talking to `api_url` (a self-hosted Bot API server, a fake in
    /// tests) or to Telegram itself.
    pub fn new(token: &str, api_url: Option<&str>) -> Result<Self, TelegramError> {
        let mut bot = teloxide::Bot::new(token);
        if let Some(url) = api_url {
            let parsed = url
                .parse::<reqwest::Url>()
                .map_err(|e| TelegramError::BadUrl {
                    url: url.to_owned(),
                    problem: e.to_string(),
                })?;
            bot = bot.set_api_url(parsed);
        }
        Ok(Self {
            bot: bot.throttle(Limits::default()),
        })
    }

    /// Checks the token and sets the command menu.
    pub async fn prepare(&self) -> Result<String, TelegramError> {
        let me = self.bot.get_me().await.map_err(TelegramError::Start)?;
        for lang in Lang::ALL {
            let commands: Vec<BotCommand> = command::menu(lang)
                .into_iter()
                .map(|(name, about)| BotCommand::new(name, about))
                .collect();
            let request = self.bot.set_my_commands(commands);
            let result = match lang {
                Lang::En => request.await,
                other => request.language_code(other.code()).await,
            };
            if let Err(e) = result {
                tracing::warn!(error = %e, "cannot set the Telegram command menu");
            }
        }
        Ok(me.username().to_owned())
    }

    /// Long-polls updates and answers them until `shutdown` completes.
    pub async fn run(self, engine: Engine, shutdown: impl Future<Output = ()>) {
        let offset = AtomicI32::new(0);
        let poll = || {
            let request = self.bot.get_updates();
            let request = request
                .offset(offset.load(Ordering::Relaxed))
                .timeout(POLL_TIMEOUT_SECS);
            request.into_future()
        };
        let answer = |updates: Vec<Update>| async {
            for update in updates {
                offset.fetch_max(update.id.0 as i32 + 1, Ordering::Relaxed);
                self.on_update(&engine, update).await;
            }
        };
        front::poll_until("telegram", shutdown, retry_after, poll, answer).await;
    }

    async fn on_update(&self, engine: &Engine, update: Update) {
        let Some((from, received, callback)) = input_of(update) else {
            return;
        };
        let event = match received {
            Received::Event(event) => event,
            Received::File(file) => Event::File(files::fetch(&self.bot, file).await),
        };
        let input = Input { from, event };
        if let Some(id) = callback
            && let Err(e) = self.bot.answer_callback_query(id).await
        {
            tracing::debug!(error = %e, "answerCallbackQuery failed");
        }
        let replies = engine.handle(&input).await;
        if let Err(e) = self.send(&input.from, &replies).await {
            tracing::warn!(error = %e, "cannot answer on Telegram");
        }
    }

    async fn send_one(&self, chat: ChatId, reply: &Reply) -> Result<(), RequestError> {
        if let Some(document) = &reply.document {
            return files::send(&self.bot, chat, reply, document).await;
        }
        if let Some(image) = &reply.image {
            let file = InputFile::memory(image.png.clone()).file_name(image.name.clone());
            let photo = self.bot.send_photo(chat, file).caption(&reply.text);
            return retrying(|| photo.clone()).await;
        }
        if let Some(pin) = &reply.pin {
            // Telegram wants an address; the coordinates stand in when there is none.
            let address = if pin.address.trim().is_empty() {
                format!("{:.5}, {:.5}", pin.lat, pin.lon)
            } else {
                pin.address.clone()
            };
            let venue = self
                .bot
                .send_venue(chat, pin.lat, pin.lon, &pin.title, address);
            return retrying(|| venue.clone()).await;
        }
        let mut request = self.bot.send_message(chat, &reply.text);
        let inline = !reply.buttons.is_empty();
        if inline {
            request = request.reply_markup(ReplyMarkup::InlineKeyboard(inline_keyboard(reply)));
        } else if let Some(label) = &reply.request_location {
            request = request.reply_markup(location_keyboard(label));
        }
        retrying(|| request.clone()).await?;
        if inline && let Some(label) = &reply.request_location {
            let ask = self
                .bot
                .send_message(chat, format!("📍 {label}"))
                .reply_markup(location_keyboard(label));
            retrying(|| ask.clone()).await?;
        }
        Ok(())
    }
}

/// Sends a request, waiting once for Telegram's `retry_after` on a 429.
async fn retrying<R>(make: impl Fn() -> R) -> Result<(), RequestError>
where
    R: std::future::IntoFuture<Output = Result<Message, RequestError>>,
{
    let wait = |e: &RequestError, _| retry_after(e);
    let send = || {
        let sent = make().into_future();
        async move { sent.await.map(|_| ()) }
    };
    front::retry(2, wait, send).await
}

fn retry_after(e: &RequestError) -> Option<Duration> {
    match e {
        RequestError::RetryAfter(secs) => Some(secs.duration()),
        _ => None,
    }
}

fn inline_keyboard(reply: &Reply) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(reply.buttons.iter().map(|row| {
        row.iter()
            .map(|b| InlineKeyboardButton::callback(b.label.clone(), b.data.clone()))
            .collect::<Vec<_>>()
    }))
}

fn location_keyboard(label: &str) -> ReplyMarkup {
    let button = KeyboardButton::new(label).request(ButtonRequest::Location);
    ReplyMarkup::Keyboard(
        KeyboardMarkup::new(vec![vec![button]])
            .one_time_keyboard()
            .resize_keyboard(),
    )
}

/// What a message brought: an event, or a file still to fetch.
enum Received {
    Event(Event),
    File(files::Incoming),
}

/// Who sent an update, what it brought, and the callback query to answer, if any.
fn input_of(
    update: Update,
) -> Option<(ChatUser, Received, Option<teloxide::types::CallbackQueryId>)> {
    match update.kind {
        UpdateKind::Message(msg) => {
            let from = msg.from.as_ref()?;
            let who = ChatUser {
                platform: Platform::Telegram,
                user: from.id.0.to_string(),
                chat: msg.chat.id.0.to_string(),
            };
            let received = match files::incoming(&msg) {
                Some(file) => Received::File(file),
                None => Received::Event(event_of(&msg)?),
            };
            Some((who, received, None))
        }
        UpdateKind::CallbackQuery(q) => {
            let chat = q
                .message
                .as_ref()
                .map(|m| m.chat().id.0.to_string())
                .unwrap_or_else(|| q.from.id.0.to_string());
            let who = ChatUser {
                platform: Platform::Telegram,
                user: q.from.id.0.to_string(),
                chat,
            };
            let event = Event::Button {
                data: q.data.clone().unwrap_or_default(),
            };
            Some((who, Received::Event(event), Some(q.id)))
        }
        _ => None,
    }
}

fn event_of(msg: &Message) -> Option<Event> {
    if let Some(text) = msg.text() {
        return Some(Event::Text {
            text: text.to_owned(),
        });
    }
    if let Some(loc) = msg.location() {
        return Some(Event::Location {
            lat: loc.latitude,
            lon: loc.longitude,
        });
    }
    // Other media (voice, video, stickers) are files the engine does not take; it says so.
    match &msg.kind {
        MessageKind::Common(common) => {
            let name = match &common.media_kind {
                MediaKind::Voice(_) => "voice",
                MediaKind::Video(_) => "video",
                MediaKind::Sticker(_) => "sticker",
                _ => "message",
            };
            Some(Event::File(FileIn::new(name, "", Vec::new(), "")))
        }
        _ => None,
    }
}

#[async_trait::async_trait]
impl Outbound for Telegram {
    async fn send(&self, to: &ChatUser, replies: &[Reply]) -> Result<(), SendError> {
        let Ok(chat) = to.chat.parse::<i64>() else {
            return Err(SendError::Platform {
                platform: "telegram",
                chat: to.chat.clone(),
                problem: "not a Telegram chat id".into(),
                retry_after: None,
            });
        };
        for reply in replies {
            self.send_one(ChatId(chat), reply)
                .await
                .map_err(|e| SendError::Platform {
                    platform: "telegram",
                    chat: to.chat.clone(),
                    retry_after: retry_after(&e),
                    problem: match &e {
                        RequestError::Api(ApiError::BotBlocked) => {
                            "the person blocked the bot".into()
                        }
                        other => other.to_string(),
                    },
                })?;
        }
        Ok(())
    }
}
