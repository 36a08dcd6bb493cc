//! The terminal front end (`caremesh chat`): a client of a running node. Each typed line
//! goes to the node's `POST /api/v1/chat` (with the admin token: the terminal runs on the
//! node's machine); the answer (the engine's replies, then notifications kept since the
//! last line) is printed with buttons as numbered choices, and a typed number presses one.

use std::io::{BufRead, Write};

use serde::{Deserialize, Serialize};

use crate::chat::Event;
use crate::front::{self, Numbering};
use crate::reply::Reply;

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

/// Where the node is and who speaks.
#[derive(Clone, Debug)]
pub struct Session {
    /// The node's chat endpoint, e.g. `http://127.0.0.1:7700/api/v1/chat`.
    pub url: String,
    /// The node's admin token.
    pub token: String,
    /// Speak as this existing member; `None` speaks as the terminal user `console`.
    pub as_member: Option<String>,
}

/// Why the terminal chat stopped.
#[derive(Debug, thiserror::Error)]
pub enum TerminalError {
    /// Nothing answers at the node's address; `cause` is the innermost reason
    /// ("Connection refused").
    #[error("cannot reach the node at {url} ({cause}); is `caremesh run` running?")]
    Unreachable { url: String, cause: String },
    /// The node refused the line; `message` is its error message.
    #[error("the node refused ({status}): {message}")]
    Refused {
        status: reqwest::StatusCode,
        message: String,
    },
    #[error("the node's answer is not chat JSON: {0}")]
    BadAnswer(#[source] reqwest::Error),
    #[error("terminal: {0}")]
    Io(#[from] std::io::Error),
}

/// Replies rendered for a terminal, and the button payloads in the order they are numbered.
pub fn render(replies: &[Reply]) -> (String, Vec<String>) {
    let (bodies, choices) = front::numbered(replies, Numbering::Bracketed);
    let text = bodies.into_iter().map(|b| b + "\n").collect();
    (text, choices)
}

/// Reads lines from `input`, sends each to the node, writes the answers to `output`, until
/// `input` ends.
pub async fn run(
    session: &Session,
    input: impl BufRead,
    mut output: impl Write,
) -> Result<(), TerminalError> {
    let client = reqwest::Client::new();
    let user = session
        .as_member
        .clone()
        .unwrap_or_else(|| "console".to_owned());
    let mut choices: Vec<String> = Vec::new();
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let body = ChatRequest {
            user: user.clone(),
            as_member: session.as_member.clone(),
            event: front::event_for_line(&line, &choices),
        };
        let answer = say(&client, session, &body).await?;
        let (text, new_choices) = render(&answer.replies);
        let (notices, _) = render(&answer.notices);
        write!(output, "{text}{notices}")?;
        output.flush()?;
        choices = new_choices;
    }
    Ok(())
}

async fn say(
    client: &reqwest::Client,
    session: &Session,
    body: &ChatRequest,
) -> Result<ChatResponse, TerminalError> {
    let response = client
        .post(&session.url)
        .bearer_auth(session.token.trim())
        .json(body)
        .send()
        .await
        .map_err(|e| {
            let mut cause: &dyn std::error::Error = &e;
            while let Some(next) = cause.source() {
                cause = next;
            }
            TerminalError::Unreachable {
                url: session.url.clone(),
                cause: cause.to_string(),
            }
        })?;
    let status = response.status();
    if !status.is_success() {
        let body = response.text().await.unwrap_or_default();
        // The API's errors are `{"error": {"message": ...}}`: the message alone reads best.
        let message = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["error"]["message"].as_str().map(str::to_owned))
            .unwrap_or(body);
        return Err(TerminalError::Refused { status, message });
    }
    response.json().await.map_err(TerminalError::BadAnswer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::Button;

    #[test]
    fn replies_print_with_numbered_choices() {
        let reply = Reply::text("Pick").row(vec![
            Button::command("A", "/accept 1"),
            Button::command("B", "/decline 1"),
        ]);
        let (text, choices) = render(&[reply, Reply::text("Next")]);
        assert_eq!(text, "Pick\n  [1] A\n  [2] B\nNext\n");
        assert_eq!(choices, ["/accept 1", "/decline 1"]);
    }
}
