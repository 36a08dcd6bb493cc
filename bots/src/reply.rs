//! What the engine answers: messages with text, choice buttons, a location request.

use serde::{Deserialize, Serialize};

/// A choice button. `data` goes back to the engine as [`crate::chat::Event::Button`] when
/// pressed: a command line (`/accept <id>`) that works at any time, or a dialogue answer
/// (`=<step>:<value>`) that is only valid while that dialogue waits for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub label: String,
    pub data: String,
}

impl Button {
    /// A button that runs a command line.
    pub fn command(label: impl Into<String>, line: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            data: line.into(),
        }
    }

    /// A button that answers the dialogue question `step` (see
    /// [`crate::session::Dialogue::step`]); pressed later, when another question is open,
    /// it is recognised as stale.
    pub fn answer(label: impl Into<String>, step: &str, value: impl AsRef<str>) -> Self {
        Self {
            label: label.into(),
            data: format!("={step}:{}", value.as_ref()),
        }
    }
}

/// How routine a message is (Matrix sends routine ones as `m.notice`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    /// A direct answer to what the person asked.
    #[default]
    Answer,
    /// A routine message (notifications, hints).
    Notice,
}

/// One outgoing message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub text: String,
    /// Rows of buttons.
    #[serde(default)]
    pub buttons: Vec<Vec<Button>>,
    /// Ask the person to share a location, with this button label (Telegram shows a
    /// keyboard button for it).
    #[serde(default)]
    pub request_location: Option<String>,
    #[serde(default)]
    pub tone: Tone,
}

impl Reply {
    /// A plain text answer.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }

    /// A routine text message.
    pub fn notice(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            tone: Tone::Notice,
            ..Self::default()
        }
    }

    /// Adds a row of buttons.
    pub fn row(mut self, row: Vec<Button>) -> Self {
        if !row.is_empty() {
            self.buttons.push(row);
        }
        self
    }

    /// Lays buttons out `per_row` to a row.
    pub fn grid(mut self, buttons: Vec<Button>, per_row: usize) -> Self {
        for chunk in buttons.chunks(per_row.max(1)) {
            self.buttons.push(chunk.to_vec());
        }
        self
    }

    /// Asks for a location with a button labelled `label`.
    pub fn with_location_request(mut self, label: impl Into<String>) -> Self {
        self.request_location = Some(label.into());
        self
    }

    /// Every button, in order.
    pub fn all_buttons(&self) -> impl Iterator<Item = &Button> {
        self.buttons.iter().flatten()
    }
}
