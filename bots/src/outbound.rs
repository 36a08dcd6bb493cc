//! Sending messages a person did not just ask for (notifications), through their platform.

use crate::chat::ChatUser;
use crate::reply::Reply;

/// Why a message could not be sent.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The platform refused or failed; `retry_after` when it asked to slow down.
    #[error("{platform} refused the message to {chat}: {problem}")]
    Platform {
        platform: &'static str,
        chat: String,
        problem: String,
        retry_after: Option<std::time::Duration>,
    },
}

/// A platform that can send to any of its chats.
#[async_trait::async_trait]
pub trait Outbound: Send + Sync {
    /// Sends `replies` to `to`'s chat, in order.
    async fn send(&self, to: &ChatUser, replies: &[Reply]) -> Result<(), SendError>;
}
