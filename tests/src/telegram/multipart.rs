//! The bodies of the bot's calls as the fake records them: JSON as it is, a multipart
//! upload (teloxide sends files that way) as a small JSON summary plus the document sent.

use serde_json::{Value, json};

use super::SentDocument;

/// A form field of a multipart body (teloxide sends files that way).
fn form_field(body: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let start = text.find(&format!("name=\"{name}\""))?;
    let value = &text[start..];
    let value = &value[value.find("\r\n\r\n")? + 4..];
    Some(value[..value.find("\r\n")?].to_owned())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The (first) file part of a multipart body: its file name and bytes. (teloxide names
/// the part of an in-memory file after a random attachment id, not after the field.)
fn form_file(body: &[u8], boundary: &str) -> Option<(String, Vec<u8>)> {
    let start = find(body, b"; filename=\"")?;
    let part = &body[start..];
    let name_start = find(part, b"filename=\"")? + 10;
    let name_end = name_start + find(&part[name_start..], b"\"")?;
    let file_name = String::from_utf8_lossy(&part[name_start..name_end]).into_owned();
    let data_start = find(part, b"\r\n\r\n")? + 4;
    let data = &part[data_start..];
    let end = find(data, format!("\r\n--{boundary}").as_bytes())?;
    Some((file_name, data[..end].to_vec()))
}

/// A JSON body as is; a multipart one as its `chat_id`, `caption`, attached document's name
/// and whether it carries a PNG; the document itself, if any, with its bytes.
pub(super) fn call_body(
    headers: &axum::http::HeaderMap,
    body: &[u8],
) -> (Value, Option<SentDocument>) {
    let kind = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Some(boundary) = kind
        .strip_prefix("multipart/form-data")
        .and_then(|rest| rest.split_once("boundary="))
        .map(|(_, b)| b.trim_matches('"'))
    else {
        return (serde_json::from_slice(body).unwrap_or(Value::Null), None);
    };
    let png = body.windows(8).any(|w| w == b"\x89PNG\r\n\x1a\n");
    let chat_id = form_field(body, "chat_id").and_then(|c| c.parse::<i64>().ok());
    let caption = form_field(body, "caption");
    let document = form_file(body, boundary).map(|(name, bytes)| SentDocument {
        chat: chat_id.unwrap_or(0),
        name,
        caption: caption.clone(),
        bytes,
    });
    let json = json!({
        "chat_id": chat_id,
        "caption": caption,
        "png": png,
        "document": document.as_ref().map(|d| d.name.clone()),
    });
    (json, document)
}
