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
    /// [`crate::session::Dialogue::question`]); pressed later, when another question is open,
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

/// A place to show on a map: Telegram sends it as a venue, Matrix as `m.location`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Pin {
    pub lat: f64,
    pub lon: f64,
    pub title: String,
    /// One line of address (may be empty).
    #[serde(default)]
    pub address: String,
}

impl Pin {
    /// The RFC 5870 `geo:` URI.
    pub fn geo_uri(&self) -> String {
        format!("geo:{:.6},{:.6}", self.lat, self.lon)
    }

    /// A link to the place on openstreetmap.org, for chats without map messages.
    pub fn map_link(&self) -> String {
        format!(
            "https://www.openstreetmap.org/?mlat={lat:.5}&mlon={lon:.5}#map=17/{lat:.5}/{lon:.5}",
            lat = self.lat,
            lon = self.lon
        )
    }
}

/// An image to send (Telegram photo, Matrix `m.image`); `text` is its caption. Not sent
/// over the node's JSON chat API, where the caption stands alone.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Image {
    pub png: Vec<u8>,
    /// A file name for platforms that show one.
    pub name: String,
}

/// A file to send (Telegram document, Matrix `m.file`, saved by the terminal client);
/// `text` is its caption. Files are health data: their bytes are never printed.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub name: String,
    pub content_type: String,
    #[serde(with = "crate::base64")]
    pub bytes: Vec<u8>,
}

impl Document {
    /// A file named after `title`, with the extension its media type usually has.
    pub fn named(title: &str, content_type: &str, bytes: Vec<u8>) -> Self {
        let stem: String = title
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .take(60)
            .collect();
        let stem = if stem.trim_matches('_').is_empty() {
            "record".to_owned()
        } else {
            stem
        };
        let extension = match content_type {
            "application/pdf" => "pdf",
            "image/jpeg" => "jpg",
            "image/png" => "png",
            "text/plain" => "txt",
            "application/fhir+json" | "application/json" => "json",
            _ => "bin",
        };
        Self {
            name: format!("{stem}.{extension}"),
            content_type: content_type.to_owned(),
            bytes,
        }
    }
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("content_type", &self.content_type)
            .field("size", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// One outgoing message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
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
    /// A map location message; `text` is its caption where the platform has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<Box<Pin>>,
    #[serde(skip)]
    pub image: Option<Box<Image>>,
    /// A file; over the node's JSON chat API its bytes travel in base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<Box<Document>>,
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

    /// A map location message.
    pub fn pin(pin: Pin) -> Self {
        Self {
            text: format!("📍 {}\n{}", pin.title, pin.map_link()),
            pin: Some(Box::new(pin)),
            ..Self::default()
        }
    }

    /// An image with a caption.
    pub fn image(png: Vec<u8>, name: impl Into<String>, caption: impl Into<String>) -> Self {
        Self {
            text: caption.into(),
            image: Some(Box::new(Image {
                png,
                name: name.into(),
            })),
            ..Self::default()
        }
    }

    /// A file with a caption.
    pub fn document(document: Document, caption: impl Into<String>) -> Self {
        Self {
            text: caption.into(),
            document: Some(Box::new(document)),
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
