//! Who talks to the engine, from where, and what they sent.

use serde::{Deserialize, Serialize};

/// The chat platforms caremesh speaks on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Telegram,
    Matrix,
    Terminal,
}

impl Platform {
    /// The name used in store keys and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Telegram => "telegram",
            Platform::Matrix => "matrix",
            Platform::Terminal => "terminal",
        }
    }

    /// How commands are written on this platform (Element keeps a leading `/` for itself).
    pub fn command_prefix(self) -> char {
        match self {
            Platform::Matrix => '!',
            Platform::Telegram | Platform::Terminal => '/',
        }
    }
}

/// One person on one platform: the platform's user id, and the chat (Telegram chat id,
/// Matrix room id) where the engine answers and sends notifications.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ChatUser {
    pub platform: Platform,
    pub user: String,
    pub chat: String,
}

impl ChatUser {
    /// A user whose chat has the same id as the user (Telegram private chats, terminal).
    pub fn direct(platform: Platform, user: impl Into<String>) -> Self {
        let user = user.into();
        Self {
            platform,
            chat: user.clone(),
            user,
        }
    }

    /// A stable key for this person on this platform, for store keys.
    pub fn key(&self) -> String {
        format!("{}:{}", self.platform.as_str(), self.user)
    }
}

/// What a person sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// Typed text, including commands.
    Text { text: String },
    /// A shared location, degrees.
    Location { lat: f64, lon: f64 },
    /// A pressed button: the payload the engine put on it.
    Button { data: String },
    /// A file or image; the engine does not take files yet and says so.
    File { name: String },
}

/// One message to the engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Input {
    pub from: ChatUser,
    pub event: Event,
}

impl Input {
    /// Typed text from `from`.
    pub fn text(from: &ChatUser, text: impl Into<String>) -> Self {
        Self {
            from: from.clone(),
            event: Event::Text { text: text.into() },
        }
    }

    /// A button press from `from`.
    pub fn button(from: &ChatUser, data: impl Into<String>) -> Self {
        Self {
            from: from.clone(),
            event: Event::Button { data: data.into() },
        }
    }
}
