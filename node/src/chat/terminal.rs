//! The terminal chat: `caremesh chat` is a client of a running node (`POST /api/v1/chat`,
//! admin token), and the node keeps notifications for terminal users until their next line.

use std::io::{BufRead, Write};
use std::sync::Arc;

use anyhow::Context;
use caremesh_bots::chat::{ChatUser, Event};
use caremesh_bots::outbound::{Outbound, SendError};
use caremesh_bots::reply::Reply;
use caremesh_bots::terminal::{event_for_line, render};
use serde::{Deserialize, Serialize};

use super::records::ChatRecords;
use crate::config::Config;
use crate::store::Store;

/// One line sent by the terminal client.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChatRequest {
    /// The terminal user's name.
    pub user: String,
    /// Speak as this existing member (the caller is the admin).
    #[serde(default)]
    pub as_member: Option<String>,
    pub event: Event,
}

/// The node's answer: replies, then notifications kept since the last line.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ChatResponse {
    pub replies: Vec<Reply>,
    pub notices: Vec<Reply>,
}

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

/// Reads lines from stdin, sends each to the node the config names, prints the answers.
pub async fn run(config: &Config, as_member: Option<String>) -> anyhow::Result<()> {
    let token_path = config.resolve(&config.api.admin_token_file);
    let token = std::fs::read_to_string(&token_path)
        .with_context(|| format!("cannot read the admin token {}", token_path.display()))?;
    let url = format!("http://{}/api/v1/chat", config.http.listen);
    let client = reqwest::Client::new();
    let user = as_member.clone().unwrap_or_else(|| "console".to_owned());
    let mut choices: Vec<String> = Vec::new();
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let line = line.context("cannot read stdin")?;
        if line.trim().is_empty() {
            continue;
        }
        let body = ChatRequest {
            user: user.clone(),
            as_member: as_member.clone(),
            event: event_for_line(&line, &choices),
        };
        let response = client
            .post(&url)
            .bearer_auth(token.trim())
            .json(&body)
            .send()
            .await
            .map_err(|e| {
                // The innermost cause says it best ("Connection refused").
                let mut cause: &dyn std::error::Error = &e;
                while let Some(next) = cause.source() {
                    cause = next;
                }
                anyhow::anyhow!(
                    "cannot reach the node at {url} ({cause}); is `caremesh run` running?"
                )
            })?;
        let status = response.status();
        if !status.is_success() {
            let text = response.text().await.unwrap_or_default();
            // The API's errors are `{"error": {"message": ...}}`: show the message alone.
            let message = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v["error"]["message"].as_str().map(str::to_owned))
                .unwrap_or(text);
            anyhow::bail!("the node refused ({status}): {message}");
        }
        let answer: ChatResponse = response
            .json()
            .await
            .context("the node's answer is not chat JSON")?;
        let (text, new_choices) = render(&answer.replies);
        let (notices, _) = render(&answer.notices);
        let mut out = std::io::stdout().lock();
        write!(out, "{text}{notices}")?;
        out.flush()?;
        choices = new_choices;
    }
    Ok(())
}
