//! The node's side of the terminal chat (`caremesh chat`, whose client is
//! [`caremesh_bots::terminal`]): one line from a terminal user through the engine, and the
//! notifications kept for terminal users until their next line.

use std::path::PathBuf;
use std::sync::Arc;

use caremesh_bots::chat::{ChatUser, Input, Platform};
use caremesh_bots::engine::Engine;
use caremesh_bots::outbound::{Outbound, SendError};
use caremesh_bots::reply::Reply;
use caremesh_bots::terminal::{ChatRequest, ChatResponse};

use anyhow::Context;

use super::records::ChatRecords;
use crate::config::Config;
use crate::error::ServiceError;
use crate::members::Members;
use crate::store::Store;

/// Notifications for terminal users, kept in the store.
pub struct Inbox {
    records: ChatRecords,
}

impl Inbox {
    /// An inbox in `store`.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            records: ChatRecords::new(store),
        }
    }
}

#[async_trait::async_trait]
impl Outbound for Inbox {
    async fn send(&self, to: &ChatUser, replies: &[Reply]) -> Result<(), SendError> {
        for reply in replies {
            self.records
                .put_inbox(to, reply)
                .map_err(|e| SendError::Platform {
                    platform: "terminal",
                    chat: to.chat.clone(),
                    problem: e.to_string(),
                    retry_after: None,
                })?;
        }
        Ok(())
    }
}

/// Terminal users talking to one node's engine.
#[derive(Clone)]
pub struct Terminal {
    engine: Engine,
    records: ChatRecords,
    members: Members,
}

impl Terminal {
    /// Terminal chat over `engine`, with chat records and members in the node's store.
    pub fn new(engine: Engine, store: Arc<dyn Store>, members: Members) -> Self {
        Self {
            engine,
            records: ChatRecords::new(store),
            members,
        }
    }

    /// One line: the engine's replies, then the notifications kept for this terminal user.
    /// The caller is the node's admin, who may speak as any member (`as_member`).
    pub async fn answer(&self, request: ChatRequest) -> Result<ChatResponse, ServiceError> {
        let name = request.user.trim();
        if name.is_empty() || request.user.chars().count() > 64 {
            return Err(ServiceError::invalid(
                "user",
                "must be 1 to 64 characters, not blank",
            ));
        }
        let who = ChatUser::direct(Platform::Terminal, name);
        if let Some(handle) = request.as_member.as_deref() {
            if self.members.get(handle)?.is_none() {
                return Err(ServiceError::invalid(
                    "as_member",
                    format!("names no member `{handle}`"),
                ));
            }
            if self.records.handle_of(&who)?.as_deref() != Some(handle) {
                self.records.link(&who, handle)?;
            }
        }
        let input = Input {
            from: who.clone(),
            event: request.event,
        };
        let replies = self.engine.handle(&input).await;
        let notices = self.records.take_inbox(&who)?;
        Ok(ChatResponse { replies, notices })
    }
}

/// Where `caremesh chat` saves files the node sends (records downloaded with `/records`),
/// relative to the folder it runs in.
pub const DOWNLOADS: &str = "caremesh-downloads";

/// Where the terminal client finds the node `config` describes: its chat endpoint and its
/// admin token file.
pub fn endpoint(config: &Config) -> (String, PathBuf) {
    let url = format!("http://{}/api/v1/chat", config.http.listen);
    (url, config.resolve(&config.api.admin_token_file))
}

/// `caremesh chat`: the terminal client of the node `config` describes, on this terminal.
pub async fn run_client(config: &Config, as_member: Option<String>) -> anyhow::Result<()> {
    let (url, token_path) = endpoint(config);
    let token = std::fs::read_to_string(&token_path).with_context(|| {
        format!(
            "cannot read the node's admin token {}: is this the node's machine, and has it run once?",
            token_path.display()
        )
    })?;
    let session = caremesh_bots::terminal::Session {
        url,
        token,
        as_member,
        downloads: PathBuf::from(DOWNLOADS),
    };
    let stdin = std::io::stdin();
    caremesh_bots::terminal::run(&session, stdin.lock(), std::io::stdout()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_config_the_client_talks_to_the_default_node_of_caremesh_run() {
        let (url, token) = endpoint(&Config::embedded_default());
        assert_eq!(url, "http://127.0.0.1:7700/api/v1/chat");
        assert!(token.ends_with("caremesh-data/admin.token"), "{token:?}");
    }
}
