//! The Matrix front end (matrix-sdk): logs in once and restores the saved session on later
//! starts, keeps its state and crypto stores in the node's data dir, joins rooms it is
//! invited to, answers commands in DMs and in rooms where it is mentioned (as a rich reply,
//! `m.notice`), takes `m.location` messages, and shows buttons as numbered choices: a reply
//! "1" presses the first. Encrypted rooms work through the SDK's crypto store. Requests that
//! hit `M_LIMIT_EXCEEDED` wait out `retry_after` (the SDK retries too) and are tried again.

mod media;
mod render;
mod session;

use std::collections::HashMap;
use std::future::{Future, IntoFuture};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use matrix_sdk::attachment::AttachmentConfig;
use matrix_sdk::config::SyncSettings;
use matrix_sdk::room::Room;
use matrix_sdk::ruma::api::error::{ErrorKind, RetryAfter};
use matrix_sdk::ruma::events::room::member::{MembershipState, StrippedRoomMemberEvent};
use matrix_sdk::ruma::events::room::message::{
    AddMentions, ForwardThread, LocationMessageEventContent, MessageType,
    OriginalSyncRoomMessageEvent, RoomMessageEventContent, TextMessageEventContent,
};
use matrix_sdk::ruma::{OwnedUserId, RoomId, UserId};
use matrix_sdk::{Client, RoomMemberships, RoomState};

use crate::chat::{ChatUser, Event, FileIn, Input, Platform};
use crate::engine::Engine;
use crate::front::{self, Numbering, event_for_line};
use crate::outbound::{Outbound, SendError};
use crate::reply::Reply;
pub use session::{MatrixConfig, Start};

/// How long one `/sync` long poll waits.
const SYNC_TIMEOUT: Duration = Duration::from_secs(30);
/// Attempts per send or join when the homeserver asks to slow down.
const ATTEMPTS: u32 = 5;

/// Why the Matrix bot could not start.
#[derive(Debug, thiserror::Error)]
pub enum MatrixError {
    #[error("cannot use {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot set up a Matrix client for {homeserver}: {problem}")]
    Build { homeserver: String, problem: String },
    #[error(
        "no saved Matrix session and no password for {user} (password_file or CAREMESH_MATRIX_PASSWORD)"
    )]
    NoPassword { user: String },
    #[error("Matrix login as {user} failed: {problem}")]
    Login { user: String, problem: String },
    #[error("saved Matrix session {path} is unusable: {problem}")]
    BadSession { path: PathBuf, problem: String },
    #[error("cannot restore the Matrix session from {path} (delete it to log in again): {problem}")]
    Restore { path: PathBuf, problem: String },
}

/// The last numbered choices shown, per (room, user).
type Choices = Arc<Mutex<HashMap<(String, String), Vec<String>>>>;

/// A logged-in Matrix bot; cheap to clone.
#[derive(Clone)]
pub struct Matrix {
    client: Client,
    start: Start,
    choices: Choices,
}

impl Matrix {
    /// Restores the saved session from `config.dir`, or logs in with the password and saves
    /// the new session there.
    pub async fn connect(config: &MatrixConfig) -> Result<Self, MatrixError> {
        let (client, start) = session::connect(config).await?;
        Ok(Self {
            client,
            start,
            choices: Choices::default(),
        })
    }

    /// Whether this start logged in or restored the saved session.
    pub fn start(&self) -> Start {
        self.start
    }

    /// The bot's user id.
    pub fn user_id(&self) -> Option<String> {
        self.client.user_id().map(ToString::to_string)
    }

    /// This start's device id.
    pub fn device_id(&self) -> Option<String> {
        self.client.device_id().map(ToString::to_string)
    }

    /// Syncs and answers until `shutdown` completes.
    pub async fn run(self, engine: Engine, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        if self.start == Start::LoggedIn {
            // A new device skips the backlog: old commands were not meant for it.
            tokio::select! {
                _ = &mut shutdown => return,
                r = self.client.sync_once(SyncSettings::default().timeout(Duration::ZERO)) => {
                    if let Err(e) = r {
                        tracing::warn!(error = %e, "first Matrix sync failed");
                    }
                }
            }
        }
        self.add_handlers(engine).await;
        for room in self.client.invited_rooms() {
            tokio::spawn(join(room));
        }
        // The event handlers answer during the sync itself.
        let sync = || {
            let settings = SyncSettings::default().timeout(SYNC_TIMEOUT);
            self.client.sync_once(settings)
        };
        front::poll_until("matrix", shutdown, retry_after, sync, |_| async {}).await;
    }

    /// The room to notify `user` in: a DM with them, else the chat they talked in, else a
    /// new DM.
    async fn room_for(&self, user: &UserId, chat: &str) -> Result<Room, matrix_sdk::Error> {
        if let Some(room) = self.client.get_dm_room(user) {
            return Ok(room);
        }
        if let Ok(id) = RoomId::parse(chat)
            && let Some(room) = self.client.get_room(&id)
            && room.state() == RoomState::Joined
        {
            return Ok(room);
        }
        self.client.create_dm(user).await
    }

    async fn add_handlers(&self, engine: Engine) {
        let display_name = match self.client.account().get_display_name().await {
            Ok(name) => name,
            Err(e) => {
                tracing::debug!(error = %e, "no Matrix display name");
                None
            }
        };
        self.client.add_event_handler(
            |event: StrippedRoomMemberEvent, room: Room, client: Client| async move {
                let me = client.user_id();
                if event.content.membership == MembershipState::Invite
                    && me.is_some_and(|me| event.state_key == *me)
                {
                    tokio::spawn(join(room));
                }
            },
        );
        // The handler holds no `Client` (the client holds the handler; a cycle would keep
        // the stores open after shutdown).
        let handler = Arc::new(Handler {
            engine,
            choices: self.choices.clone(),
            names: display_name.into_iter().collect(),
        });
        self.client.add_event_handler(
            move |event: OriginalSyncRoomMessageEvent, room: Room, client: Client| {
                let handler = handler.clone();
                async move { handler.on_message(&client, event, room).await }
            },
        );
    }
}

/// Answers messages; what the message event handler needs besides the client.
struct Handler {
    engine: Engine,
    choices: Choices,
    /// The bot's display names, to recognise mentions in group rooms.
    names: Vec<String>,
}

impl Handler {
    async fn on_message(&self, client: &Client, event: OriginalSyncRoomMessageEvent, room: Room) {
        let Some(me) = client.user_id() else {
            return;
        };
        if event.sender == *me || room.state() != RoomState::Joined {
            return;
        }
        let direct = is_direct(&room).await;
        let who = ChatUser {
            platform: Platform::Matrix,
            user: event.sender.to_string(),
            chat: room.room_id().to_string(),
        };
        let event_in = match media::Media::of(&event.content.msgtype) {
            Some(file) if direct => Event::File(file.fetch(client).await),
            Some(_) => return,
            None => match self.event_of(&who, &event, me, direct) {
                Some(e) => e,
                None => return,
            },
        };
        let input = Input {
            from: who,
            event: event_in,
        };
        let replies = self.engine.handle(&input).await;
        let sent = send_to_room(
            &self.choices,
            &room,
            &input.from.user,
            &replies,
            Some(&event),
        );
        if let Err(e) = sent.await {
            tracing::warn!(room = %room.room_id(), error = %e, "cannot answer on Matrix");
        }
    }

    /// The engine input for a message, if it is meant for the bot.
    fn event_of(
        &self,
        who: &ChatUser,
        event: &OriginalSyncRoomMessageEvent,
        me: &UserId,
        direct: bool,
    ) -> Option<Event> {
        match &event.content.msgtype {
            MessageType::Text(text) => {
                let mentioned = event
                    .content
                    .mentions
                    .as_ref()
                    .is_some_and(|m| m.user_ids.iter().any(|u| u == me));
                let names: Vec<&str> = self.names.iter().map(String::as_str).collect();
                let addressed = render::addressed(&text.body, me.as_str(), &names, mentioned);
                // In a DM everything is for the bot; a leading mention is dropped all the same.
                let line = match addressed {
                    Some(line) => line,
                    None if direct => text.body.trim(),
                    None => return None,
                };
                let choices = self.choices_for(who);
                Some(event_for_line(line, &choices))
            }
            MessageType::Location(location) if direct => match render::geo_uri(&location.geo_uri) {
                Some((lat, lon)) => Some(Event::Location { lat, lon }),
                None => Some(Event::Text {
                    text: location.geo_uri.clone(),
                }),
            },
            // Files and images are fetched by `media`; other media the engine does not take.
            MessageType::Audio(_) | MessageType::Video(_) if direct => {
                Some(Event::File(FileIn::new("media", "", Vec::new(), "")))
            }
            // Notices come from other bots: answering them could loop.
            _ => None,
        }
    }

    fn choices_for(&self, who: &ChatUser) -> Vec<String> {
        let choices = self.choices.lock().unwrap_or_else(|e| e.into_inner());
        choices
            .get(&(who.chat.clone(), who.user.clone()))
            .cloned()
            .unwrap_or_default()
    }
}

/// A DM: marked direct (`m.direct`, set when the invite said `is_direct`), or a room of two.
async fn is_direct(room: &Room) -> bool {
    if room.is_direct().await.unwrap_or(false) {
        return true;
    }
    // The sync summary's counts are often absent (0); the member events are in the store.
    match room.members_no_sync(RoomMemberships::ACTIVE).await {
        Ok(members) => members.len() == 2,
        Err(_) => false,
    }
}

/// Sends replies as `m.notice` (map pins as `m.location`, images as `m.image`), the first
/// as a reply to `to`, and remembers the numbered choices for `user` in this room.
async fn send_to_room(
    choices_by_chat: &Choices,
    room: &Room,
    user: &str,
    replies: &[Reply],
    to: Option<&OriginalSyncRoomMessageEvent>,
) -> Result<(), matrix_sdk::Error> {
    let (bodies, choices) = front::numbered(replies, Numbering::Dotted);
    {
        let mut all = choices_by_chat.lock().unwrap_or_else(|e| e.into_inner());
        all.insert((room.room_id().to_string(), user.to_owned()), choices);
    }
    for (i, (body, reply)) in bodies.into_iter().zip(replies).enumerate() {
        if let Some(document) = &reply.document {
            media::send(room, body, document).await?;
            continue;
        }
        if let Some(image) = &reply.image {
            let config =
                AttachmentConfig::new().caption(Some(TextMessageEventContent::plain(body)));
            room.send_attachment(
                image.name.clone(),
                &mime::IMAGE_PNG,
                image.png.clone(),
                config,
            )
            .await?;
            continue;
        }
        let mut content = match &reply.pin {
            Some(pin) => RoomMessageEventContent::new(MessageType::Location(
                LocationMessageEventContent::new(body, pin.geo_uri()),
            )),
            None => RoomMessageEventContent::notice_plain(body),
        };
        if i == 0
            && let Some(event) = to
        {
            content = content.make_reply_to(event, ForwardThread::Yes, AddMentions::No);
        }
        send_with_backoff(room, content).await?;
    }
    Ok(())
}

/// Joins an invited room, waiting out rate limits (Synapse may also not be ready with the
/// room right after the invite).
async fn join(room: Room) {
    let wait = |e: &matrix_sdk::Error, attempt| {
        tracing::debug!(room = %room.room_id(), attempt, error = %e, "cannot join yet");
        Some(retry_after(e).unwrap_or(front::doubling(Duration::from_millis(500), attempt)))
    };
    match front::retry(ATTEMPTS, wait, || room.join()).await {
        Ok(()) => tracing::info!(room = %room.room_id(), "joined Matrix room"),
        Err(e) => tracing::warn!(room = %room.room_id(), error = %e, "gave up joining Matrix room"),
    }
}

async fn send_with_backoff(
    room: &Room,
    content: RoomMessageEventContent,
) -> Result<(), matrix_sdk::Error> {
    let wait = |e: &matrix_sdk::Error, _| retry_after(e);
    let send = || {
        let sent = room.send(content.clone()).into_future();
        async move { sent.await.map(|_| ()) }
    };
    front::retry(ATTEMPTS, wait, send).await
}

/// How long to wait after `M_LIMIT_EXCEEDED`; `None` for other errors.
fn retry_after(e: &matrix_sdk::Error) -> Option<Duration> {
    match e.client_api_error_kind()? {
        ErrorKind::LimitExceeded(data) => Some(match &data.retry_after {
            Some(RetryAfter::Delay(d)) => *d,
            Some(RetryAfter::DateTime(at)) => at
                .duration_since(std::time::SystemTime::now())
                .unwrap_or_default(),
            None => Duration::from_secs(1),
        }),
        _ => None,
    }
}

#[async_trait::async_trait]
impl Outbound for Matrix {
    async fn send(&self, to: &ChatUser, replies: &[Reply]) -> Result<(), SendError> {
        let failed = |problem: String, retry: Option<Duration>| SendError::Platform {
            platform: "matrix",
            chat: to.chat.clone(),
            problem,
            retry_after: retry,
        };
        let user = OwnedUserId::try_from(to.user.as_str())
            .map_err(|e| failed(format!("not a Matrix user id: {e}"), None))?;
        let room = self
            .room_for(&user, &to.chat)
            .await
            .map_err(|e| failed(e.to_string(), retry_after(&e)))?;
        send_to_room(&self.choices, &room, &to.user, replies, None)
            .await
            .map_err(|e| failed(e.to_string(), retry_after(&e)))
    }
}
