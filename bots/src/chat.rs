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
    /// A file or a photo, with its caption (staff upload health records this way).
    File(FileIn),
}

/// The largest file the front ends fetch and the engine takes: a health record's limit.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// A file a person sent.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct FileIn {
    /// The file's name (a made-up one for photos).
    pub name: String,
    /// The media type the platform gives; may be empty or generic.
    #[serde(default)]
    pub content_type: String,
    /// The size the platform announced, bytes.
    pub size: u64,
    /// The bytes; empty when `size` is over [`MAX_FILE_BYTES`] (then never fetched).
    #[serde(default, with = "crate::base64")]
    pub bytes: Vec<u8>,
    /// The text sent with it.
    #[serde(default)]
    pub caption: String,
}

impl FileIn {
    /// A file small enough to take, with its bytes.
    pub fn new(
        name: impl Into<String>,
        content_type: impl Into<String>,
        bytes: Vec<u8>,
        caption: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            content_type: content_type.into(),
            size: bytes.len() as u64,
            bytes,
            caption: caption.into(),
        }
    }

    /// A file announced at `size` bytes, over the limit, so not fetched.
    pub fn too_large(name: impl Into<String>, size: u64, caption: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            content_type: String::new(),
            size,
            bytes: Vec::new(),
            caption: caption.into(),
        }
    }

    /// A file the front end could not fetch from its platform.
    pub fn unfetched(name: impl Into<String>, size: u64, caption: impl Into<String>) -> Self {
        Self {
            size: size.max(1),
            ..Self::too_large(name, 0, caption)
        }
    }

    /// True when the file was over the limit and not fetched.
    pub fn is_too_large(&self) -> bool {
        self.size > MAX_FILE_BYTES
    }

    /// True when the platform announced bytes the front end could not fetch.
    pub fn is_unfetched(&self) -> bool {
        self.bytes.is_empty() && self.size > 0 && !self.is_too_large()
    }
}

/// Files are health data: their bytes are never printed.
impl std::fmt::Debug for FileIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileIn")
            .field("content_type", &self.content_type)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
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
