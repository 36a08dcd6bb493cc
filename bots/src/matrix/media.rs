//! Files on Matrix: `m.file` and `m.image` messages people send (fetched, and decrypted in
//! encrypted rooms, through the SDK's media API, never kept in its media cache), and
//! documents the bot sends back as attachments (encrypted by the SDK in encrypted rooms).

use matrix_sdk::Client;
use matrix_sdk::attachment::AttachmentConfig;
use matrix_sdk::room::Room;
use matrix_sdk::ruma::events::room::message::{
    FileMessageEventContent, ImageMessageEventContent, MessageType, TextMessageEventContent,
};

use crate::chat::{FileIn, MAX_FILE_BYTES};
use crate::reply::Document;

/// A file or image message, before it is fetched.
pub(super) enum Media {
    File(FileMessageEventContent),
    Image(ImageMessageEventContent),
}

impl Media {
    /// The file or image of a message, if it is one.
    pub(super) fn of(msgtype: &MessageType) -> Option<Media> {
        match msgtype {
            MessageType::File(f) => Some(Media::File(f.clone())),
            MessageType::Image(i) => Some(Media::Image(i.clone())),
            _ => None,
        }
    }

    /// Name, media type, announced size and caption.
    fn describe(&self) -> (String, String, u64, String) {
        let (name, caption, mimetype, size) = match self {
            Media::File(f) => (
                f.filename(),
                f.caption(),
                f.info.as_ref().and_then(|i| i.mimetype.clone()),
                f.info.as_ref().and_then(|i| i.size),
            ),
            Media::Image(i) => (
                i.filename(),
                i.caption(),
                i.info.as_ref().and_then(|i| i.mimetype.clone()),
                i.info.as_ref().and_then(|i| i.size),
            ),
        };
        (
            name.to_owned(),
            mimetype.unwrap_or_default(),
            size.map(u64::from).unwrap_or(0),
            caption.unwrap_or_default().to_owned(),
        )
    }

    /// Fetches (and decrypts) the bytes; a file announced over the limit is not fetched, and
    /// one that cannot be fetched comes without bytes (the engine says so).
    pub(super) async fn fetch(self, client: &Client) -> FileIn {
        let (name, content_type, size, caption) = self.describe();
        if size > MAX_FILE_BYTES {
            return FileIn::too_large(name, size, caption);
        }
        // No cache: decrypted health records stay out of the SDK's media store.
        let fetched = match &self {
            Media::File(f) => client.media().get_file(f, false).await,
            Media::Image(i) => client.media().get_file(i, false).await,
        };
        match fetched {
            Ok(Some(bytes)) if bytes.len() as u64 <= MAX_FILE_BYTES => {
                FileIn::new(name, content_type, bytes, caption)
            }
            Ok(Some(bytes)) => FileIn::too_large(name, bytes.len() as u64, caption),
            Ok(None) => FileIn::unfetched(name, size, caption),
            Err(e) => {
                tracing::warn!(error = %e, "cannot fetch a file from Matrix");
                FileIn::unfetched(name, size, caption)
            }
        }
    }
}

/// Sends a document as an attachment with `body` as its caption.
pub(super) async fn send(
    room: &Room,
    body: String,
    document: &Document,
) -> Result<(), matrix_sdk::Error> {
    let mime = document
        .content_type
        .parse::<mime::Mime>()
        .unwrap_or(mime::APPLICATION_OCTET_STREAM);
    let config = AttachmentConfig::new().caption(Some(TextMessageEventContent::plain(body)));
    room.send_attachment(document.name.clone(), &mime, document.bytes.clone(), config)
        .await?;
    Ok(())
}
