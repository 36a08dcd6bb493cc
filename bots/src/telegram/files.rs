//! Files on Telegram: documents and photos people send (fetched with `getFile` and a download
//! from the Bot API's file path, up to the engine's limit) and documents the bot sends back
//! (`sendDocument`, the bytes in a multipart upload).

use teloxide::RequestError;
use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::{InputFile, ReplyMarkup};

use super::{Bot, inline_keyboard, retrying};
use crate::chat::{FileIn, MAX_FILE_BYTES};
use crate::reply::{Document, Reply};

/// A file someone sent, before it is fetched.
pub(super) struct Incoming {
    id: teloxide::types::FileId,
    name: String,
    content_type: String,
    size: u64,
    caption: String,
}

/// The document or photo (its largest size) in `msg`.
pub(super) fn incoming(msg: &Message) -> Option<Incoming> {
    let caption = msg.caption().unwrap_or_default().to_owned();
    if let Some(d) = msg.document() {
        return Some(Incoming {
            id: d.file.id.clone(),
            name: d.file_name.clone().unwrap_or_else(|| "document".into()),
            content_type: d
                .mime_type
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            size: u64::from(d.file.size),
            caption,
        });
    }
    let photo = msg.photo()?.iter().max_by_key(|p| p.width * p.height)?;
    Some(Incoming {
        id: photo.file.id.clone(),
        name: "photo.jpg".into(),
        content_type: "image/jpeg".into(),
        size: u64::from(photo.file.size),
        caption,
    })
}

/// Fetches the file's bytes; a file announced over the limit is not fetched, and one that
/// cannot be fetched comes without bytes (the engine says so).
pub(super) async fn fetch(bot: &Bot, file: Incoming) -> FileIn {
    if file.size > MAX_FILE_BYTES {
        return FileIn::too_large(file.name, file.size, file.caption);
    }
    match download(bot, &file).await {
        Ok(bytes) if bytes.len() as u64 <= MAX_FILE_BYTES => {
            FileIn::new(file.name, file.content_type, bytes, file.caption)
        }
        Ok(bytes) => FileIn::too_large(file.name, bytes.len() as u64, file.caption),
        Err(e) => {
            tracing::warn!(error = %e, "cannot fetch a file from Telegram");
            FileIn::unfetched(file.name, file.size, file.caption)
        }
    }
}

async fn download(bot: &Bot, file: &Incoming) -> Result<Vec<u8>, RequestError> {
    let meta = bot.get_file(file.id.clone()).await?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.size).unwrap_or(0));
    bot.download_file(&meta.path, &mut bytes).await?;
    Ok(bytes)
}

/// Sends a document with the reply's text as caption and its buttons under it.
pub(super) async fn send(
    bot: &Bot,
    chat: ChatId,
    reply: &Reply,
    document: &Document,
) -> Result<(), RequestError> {
    let file = InputFile::memory(document.bytes.clone()).file_name(document.name.clone());
    let mut request = bot.send_document(chat, file).caption(&reply.text);
    if !reply.buttons.is_empty() {
        request = request.reply_markup(ReplyMarkup::InlineKeyboard(inline_keyboard(reply)));
    }
    retrying(|| request.clone()).await
}
