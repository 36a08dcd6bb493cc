//! The terminal front end (`caremesh chat`): a client of a running node. Each typed line
//! goes to the node's `POST /api/v1/chat` (with the admin token: the terminal runs on the
//! node's machine); the answer (the engine's replies, then notifications kept since the
//! last line) is printed with buttons as numbered choices, and a typed number presses one.
//! `/attach PATH CAPTION` sends a file as if attached on a phone (staff upload records this
//! way); files the node sends back are saved in the downloads folder, and their path shown.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::chat::{Event, FileIn, MAX_FILE_BYTES};
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
    /// Where files the node sends are saved (made on first use, owner-only).
    pub downloads: PathBuf,
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
        let event = match attachment(&line) {
            Some(Ok(file)) => Event::File(file),
            Some(Err(problem)) => {
                writeln!(output, "{problem}")?;
                continue;
            }
            None => front::event_for_line(&line, &choices),
        };
        let body = ChatRequest {
            user: user.clone(),
            as_member: session.as_member.clone(),
            event,
        };
        let answer = say(&client, session, &body).await?;
        let (text, new_choices) = render(&answer.replies);
        let (notices, _) = render(&answer.notices);
        write!(output, "{text}{notices}")?;
        for document in answer.replies.iter().filter_map(|r| r.document.as_deref()) {
            let saved = save(&session.downloads, document)?;
            writeln!(output, "  saved: {}", saved.display())?;
        }
        output.flush()?;
        choices = new_choices;
    }
    Ok(())
}

/// `/attach PATH [CAPTION]`: the file at PATH with its caption, or why it cannot be sent;
/// `None` for any other line.
fn attachment(line: &str) -> Option<Result<FileIn, String>> {
    let rest = line.trim().strip_prefix("/attach")?;
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim();
    let (path, caption) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if path.is_empty() {
        return Some(Err("write /attach PATH CAPTION".into()));
    }
    let read = || -> std::io::Result<FileIn> {
        let size = std::fs::metadata(path)?.len();
        let name = Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into());
        if size > MAX_FILE_BYTES {
            return Ok(FileIn::too_large(name, size, caption.trim()));
        }
        Ok(FileIn::new(name, "", std::fs::read(path)?, caption.trim()))
    };
    Some(read().map_err(|e| format!("cannot read {path}: {e}")))
}

/// Saves a document in `dir` (owner-only: it may be a health record) under a free name.
fn save(dir: &Path, document: &crate::reply::Document) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    // Only the last part of the name the node gave, so nothing is written elsewhere.
    let name = Path::new(&document.name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .unwrap_or_else(|| "file".into());
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name.as_str(), ""));
    for n in 1..1000 {
        let candidate = match (n, extension) {
            (1, _) => name.clone(),
            (_, "") => format!("{stem}-{n}"),
            (_, ext) => format!("{stem}-{n}.{ext}"),
        };
        let path = dir.join(candidate);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(&path) {
            Ok(mut file) => {
                file.write_all(&document.bytes)?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other(
        "no free file name in the downloads folder",
    ))
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
